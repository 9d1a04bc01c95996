//! The model families on the committed bulk bundle: metadata prediction recovers the conditions
//! of generated samples; reference conditioning keeps each output nearest its own reference
//! among references of the same kind, applies the model's perturbation effect, keeps the
//! reference's library size and is deterministic with `deterministic_latents` + mean
//! estimation; bad counts are refused naming their input. Skipped, with a message, where the
//! bundle is absent. `evidence_*` (ignored; run with `--release -- --ignored`) print the
//! figures of docs/families.md.

use synthome_engine::families::{
    Family, FamilyResult, PredictedSample, prepare_family, run_family,
};
use synthome_engine::{ModelEntry, prepare, run};
use synthome_matrix::ExpressionMatrix;
use synthome_query::{Limits, MetadataKey};

fn entry(name: &str) -> Option<ModelEntry> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../public/models")
        .join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Some(ModelEntry::from_bundle(name, &bytes).unwrap_or_else(|e| panic!("{e}"))),
        Err(error) => {
            eprintln!("skipped: {} cannot be read ({error})", path.display());
            None
        }
    }
}

fn dense_rows(matrix: &ExpressionMatrix) -> Vec<Vec<f64>> {
    (0..matrix.n_samples())
        .map(|sample| {
            let mut dense = vec![0.0f32; matrix.n_genes()];
            if let Some(row) = matrix.row(sample) {
                row.fill_dense(&mut dense);
            }
            dense.iter().map(|&v| f64::from(v)).collect()
        })
        .collect()
}

/// `n` generated samples for `fields`, with `strategy`
fn generated(
    entry: &ModelEntry,
    fields: &[(MetadataKey, String)],
    n: u32,
    seed: u64,
) -> Vec<Vec<f64>> {
    let metadata: serde_json::Map<String, serde_json::Value> = fields
        .iter()
        .map(|(key, value)| (key.as_str().to_owned(), value.clone().into()))
        .collect();
    let text = serde_json::json!({
        "inputs": [{"metadata": metadata, "num_samples": n}],
        "sampling_strategy": "sample generation", "seed": seed,
    })
    .to_string();
    let prepared =
        prepare(entry, &text, None, || 0, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    let (matrix, _) = run(entry, &prepared, &mut |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
    dense_rows(&matrix)
}

fn fields(pairs: &[(MetadataKey, &str)]) -> Vec<(MetadataKey, String)> {
    pairs
        .iter()
        .map(|(key, value)| (*key, (*value).to_owned()))
        .collect()
}

fn predict(entry: &ModelEntry, samples: &[Vec<f64>]) -> Vec<PredictedSample> {
    let inputs: Vec<serde_json::Value> = samples
        .iter()
        .map(|counts| serde_json::json!({"counts": counts}))
        .collect();
    let text = serde_json::json!({"inputs": inputs, "seed": 1}).to_string();
    let prepared = prepare_family(
        entry,
        Family::PredictMetadata,
        &text,
        None,
        || 0,
        &Limits::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    match run_family(entry, &prepared).unwrap_or_else(|e| panic!("{e}")) {
        FamilyResult::Predicted { samples, .. } => samples,
        FamilyResult::Conditioned { .. } => panic!("not a prediction"),
    }
}

fn value(sample: &PredictedSample, key: MetadataKey) -> Option<&str> {
    sample
        .prediction
        .metadata
        .iter()
        .find(|(known, _)| *known == key)
        .map(|(_, value)| value.as_str())
}

fn condition(
    entry: &ModelEntry,
    references: &[Vec<f64>],
    metadata: serde_json::Value,
    extra: serde_json::Value,
) -> (ExpressionMatrix, usize) {
    let inputs: Vec<serde_json::Value> = references
        .iter()
        .map(|counts| serde_json::json!({"counts": counts, "metadata": metadata, "num_samples": 1}))
        .collect();
    let mut query = serde_json::json!({"inputs": inputs, "seed": 5});
    if let (Some(object), Some(more)) = (query.as_object_mut(), extra.as_object()) {
        object.extend(more.clone());
    }
    let prepared = prepare_family(
        entry,
        Family::ReferenceConditioning,
        &query.to_string(),
        None,
        || 0,
        &Limits::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    match run_family(entry, &prepared).unwrap_or_else(|e| panic!("{e}")) {
        FamilyResult::Conditioned {
            matrix, latents, ..
        } => (matrix, latents.len()),
        FamilyResult::Predicted { .. } => panic!("not conditioned"),
    }
}

fn log_cpm(counts: &[f64]) -> Vec<f64> {
    let total: f64 = counts.iter().sum();
    counts
        .iter()
        .map(|c| (c / total * 1e6 + 1.0).log2())
        .collect()
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    sab / (saa * sbb).sqrt()
}

const LIVER: &str = "UBERON:0002107";
const BRAIN: &str = "UBERON:0000955";

#[test]
fn bulk_prediction_recovers_generated_tissue_and_sex() {
    let Some(entry) = entry("synthome-bulk-v1.bundle") else {
        return;
    };
    let mut samples = generated(
        &entry,
        &fields(&[
            (MetadataKey::TissueOntologyId, LIVER),
            (MetadataKey::Sex, "female"),
        ]),
        2,
        1,
    );
    samples.extend(generated(
        &entry,
        &fields(&[
            (MetadataKey::TissueOntologyId, BRAIN),
            (MetadataKey::Sex, "male"),
        ]),
        2,
        2,
    ));
    let predicted = predict(&entry, &samples);
    let expect = [
        (LIVER, "female"),
        (LIVER, "female"),
        (BRAIN, "male"),
        (BRAIN, "male"),
    ];
    for (sample, (tissue, sex)) in predicted.iter().zip(expect) {
        assert_eq!(
            value(sample, MetadataKey::TissueOntologyId),
            Some(tissue),
            "{:?}",
            sample.prediction.metadata
        );
        assert_eq!(value(sample, MetadataKey::Sex), Some(sex));
        for (key, probabilities) in &sample.prediction.classifier_probs {
            let sum: f64 = probabilities.values().sum();
            assert!((sum - 1.0).abs() < 1e-9, "{key}: {sum}");
        }
        assert_eq!(sample.prediction.latents.biological.len(), 20);
        assert_eq!(sample.decoder_sample.len(), entry.engine.genes().len());
    }
    // Genes a user lacks are zeros: half the genes zeroed changes nothing here
    let halved: Vec<Vec<f64>> = samples
        .iter()
        .map(|counts| {
            counts
                .iter()
                .enumerate()
                .map(|(g, &c)| if g % 2 == 0 { 0.0 } else { c })
                .collect()
        })
        .collect();
    for (sample, (tissue, sex)) in predict(&entry, &halved).iter().zip(expect) {
        assert_eq!(value(sample, MetadataKey::TissueOntologyId), Some(tissue));
        assert_eq!(value(sample, MetadataKey::Sex), Some(sex));
    }
}

#[test]
fn bad_counts_and_non_perturbation_metadata_name_their_input() {
    let Some(entry) = entry("synthome-bulk-v1.bundle") else {
        return;
    };
    let n = entry.engine.genes().len();
    let mut negative = vec![1.0; n];
    negative[7] = -3.0;
    let text = serde_json::json!({"inputs": [{"counts": vec![1.0; n]}, {"counts": negative}, {"counts": [1, 2]}]}).to_string();
    let error = prepare_family(
        &entry,
        Family::PredictMetadata,
        &text,
        None,
        || 0,
        &Limits::default(),
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(
        error.contains("inputs[1].counts: value 7 (-3) is negative"),
        "{error}"
    );
    assert!(
        error.contains(&format!(
            "inputs[2].counts: 2 values; the model has {n} genes"
        )),
        "{error}"
    );
    let reference = generated(
        &entry,
        &fields(&[(MetadataKey::TissueOntologyId, LIVER)]),
        1,
        3,
    );
    let text = serde_json::json!({"inputs": [{"counts": reference[0], "metadata": {"tissue_ontology_id": LIVER}}]}).to_string();
    let prepared = prepare_family(
        &entry,
        Family::ReferenceConditioning,
        &text,
        None,
        || 0,
        &Limits::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let error = run_family(&entry, &prepared)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        error.starts_with("inputs[0].metadata.tissue_ontology_id: the reference sample defines"),
        "{error}"
    );
}

#[test]
fn conditioning_keeps_its_reference_applies_the_effect_and_is_deterministic() {
    let Some(entry) = entry("synthome-bulk-v1.bundle") else {
        return;
    };
    // Four references of the same kind (liver, female), drawn with noise
    let references = generated(
        &entry,
        &fields(&[
            (MetadataKey::TissueOntologyId, LIVER),
            (MetadataKey::Sex, "female"),
        ]),
        4,
        9,
    );
    // A perturbation the model has: the first perturbed training condition's perturbation keys
    let view = entry.engine.training_view();
    let treatment: serde_json::Map<String, serde_json::Value> = view
        .classes
        .iter()
        .map(|class| {
            class
                .fields
                .iter()
                .filter(|(key, _)| key.is_perturbation())
                .cloned()
                .collect::<Vec<_>>()
        })
        .find(|fields| {
            fields
                .iter()
                .any(|(key, value)| *key == MetadataKey::PerturbationType && value != "control")
        })
        .unwrap_or_default()
        .into_iter()
        .map(|(key, value)| (key.as_str().to_owned(), value.into()))
        .collect();
    let deterministic =
        serde_json::json!({"sampling_strategy": "mean estimation", "deterministic_latents": true});
    let (treated, n_latents) = condition(
        &entry,
        &references,
        serde_json::Value::Object(treatment.clone()),
        deterministic.clone(),
    );
    let (again, _) = condition(
        &entry,
        &references,
        serde_json::Value::Object(treatment),
        deterministic.clone(),
    );
    assert_eq!(n_latents, 4);
    assert_eq!(dense_rows(&treated), dense_rows(&again), "deterministic");
    let (control, _) = condition(&entry, &references, serde_json::json!({}), deterministic);
    let treated_rows = dense_rows(&treated);
    let control_rows = dense_rows(&control);
    for (index, (row, reference)) in control_rows.iter().zip(&references).enumerate() {
        let library: f64 = reference.iter().sum();
        let total: f64 = row.iter().sum();
        assert!(
            (total - library).abs() < 1e-3 * library,
            "library {total} vs {library}"
        );
        let own = pearson(&log_cpm(row), &log_cpm(reference));
        for (other, other_reference) in references.iter().enumerate() {
            if other != index {
                let r = pearson(&log_cpm(row), &log_cpm(other_reference));
                assert!(
                    own > r,
                    "output {index}: own r {own} vs reference {other} r {r}"
                );
            }
        }
    }
    // The effect recovered: generated treated vs control log2FC where the effect is large
    let fc: Vec<f64> = treated_rows[0]
        .iter()
        .zip(&control_rows[0])
        .map(|(t, c)| ((t + 1.0) / (c + 1.0)).log2())
        .collect();
    let moved = fc.iter().filter(|v| v.abs() > 0.5).count();
    assert!(moved > 0, "the perturbation moved no gene");
}

/// Held-out style evidence on generated samples of every context (printed, not asserted)
#[test]
#[ignore = "evidence for docs/families.md; run in release"]
fn evidence_generated_samples_of_every_context() {
    let Some(entry) = entry("synthome-bulk-v1.bundle") else {
        return;
    };
    let view = entry.engine.training_view();
    let mut right = [0usize; 3];
    let mut total = [0usize; 3];
    let keys = [
        MetadataKey::TissueOntologyId,
        MetadataKey::CellTypeOntologyId,
        MetadataKey::CellLineOntologyId,
    ];
    let mut seen: Vec<Vec<(MetadataKey, String)>> = Vec::new();
    for class in &view.classes {
        let context: Vec<(MetadataKey, String)> = class
            .fields
            .iter()
            .filter(|(key, _)| keys.contains(key) || *key == MetadataKey::SampleType)
            .cloned()
            .collect();
        if seen.contains(&context) || class.fields.iter().any(|(key, _)| key.is_perturbation()) {
            continue;
        }
        seen.push(context.clone());
        let samples = generated(&entry, &context, 1, seen.len() as u64);
        let predicted = predict(&entry, &samples);
        for (slot, key) in keys.iter().enumerate() {
            if let Some((_, want)) = context.iter().find(|(known, _)| known == key) {
                total[slot] += 1;
                if value(&predicted[0], *key) == Some(want.as_str()) {
                    right[slot] += 1;
                }
            }
        }
    }
    for (slot, key) in keys.iter().enumerate() {
        eprintln!(
            "EVIDENCE generated {}: {}/{} right",
            key.as_str(),
            right[slot],
            total[slot]
        );
    }
}

/// A table of `../shared/data/bulk`, decompressed, with its sample -> (sex, tissue) labels
fn real(file: &str) -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/bulk")
        .join(file);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(error) => {
            eprintln!("skipped: {} ({error})", path.display());
            None
        }
    }
}

/// Held-out real samples: GTEx brain cortex (40, not in the bundle's sources), GEUVADIS LCLs
/// (43) and K562 (12); sex and tissue accuracy, reliability table, temperature scan
#[test]
#[ignore = "evidence for docs/families.md; needs ../shared/data (decompressed copies in /tmp)"]
fn evidence_held_out_real_samples() {
    let Some(entry) = entry("synthome-bulk-v1.bundle") else {
        return;
    };
    let genes = entry.engine.genes();
    let mut labelled: Vec<(String, Vec<f64>, String, Option<bool>)> = Vec::new();
    let read = |path: &str| std::fs::read_to_string(path).ok();
    let brain_regions = [
        "UBERON:0000955",
        "UBERON:0000956",
        "UBERON:0000988",
        "UBERON:0001873",
        "UBERON:0001874",
        "UBERON:0001876",
        "UBERON:0001882",
        "UBERON:0001891",
        "UBERON:0001896",
        "UBERON:0001897",
        "UBERON:0001898",
        "UBERON:0002037",
        "UBERON:0002038",
        "UBERON:0002316",
        "UBERON:0002420",
        "UBERON:0002421",
    ];
    if let (Some(counts), Some(samples)) = (
        read("/tmp/gtex_brain.tsv"),
        real("gtex_brain_age_samples.tsv"),
    ) {
        let table = synthome_engine::families::table::align_table(&counts, &genes)
            .unwrap_or_else(|e| panic!("{e}"));
        eprintln!(
            "EVIDENCE gtex brain: {} of {} genes matched",
            table.matched, table.table_genes
        );
        for (name, counts) in table.samples.iter().zip(table.counts) {
            let sex = samples
                .lines()
                .find(|line| line.split('\t').next() == Some(name))
                .and_then(|line| line.split('\t').nth(4))
                .unwrap_or("")
                .to_owned();
            labelled.push((format!("gtex:{name}"), counts, sex, Some(true)));
        }
    }
    if let (Some(counts), Some(samples)) =
        (read("/tmp/geuvadis.tsv"), real("geuvadis_lcl_samples.tsv"))
    {
        let table = synthome_engine::families::table::align_table(&counts, &genes)
            .unwrap_or_else(|e| panic!("{e}"));
        for (name, counts) in table.samples.iter().zip(table.counts) {
            let sex = samples
                .lines()
                .find(|line| line.split('\t').next() == Some(name))
                .and_then(|line| line.split('\t').nth(1))
                .unwrap_or("")
                .to_owned();
            labelled.push((format!("geuvadis:{name}"), counts, sex, None));
        }
    }
    if let Some(counts) = read("/tmp/k562.tsv") {
        let table = synthome_engine::families::table::align_table(&counts, &genes)
            .unwrap_or_else(|e| panic!("{e}"));
        for (name, counts) in table.samples.iter().zip(table.counts) {
            labelled.push((format!("k562:{name}"), counts, "female".into(), Some(false)));
        }
    }
    let predictor =
        synthome_engine::families::run::predictor(&entry).unwrap_or_else(|e| panic!("{e}"));
    let temperatures = [1.0, 5.0, 10.0, 20.0, 40.0, 80.0, 160.0, 320.0];
    let mut nll = vec![0.0f64; temperatures.len()];
    let mut brain_nll = vec![0.0f64; temperatures.len()];
    let (mut n_sex, mut n_brain) = (0usize, 0usize);
    let mut reliability = [(0usize, 0usize); 5];
    let (mut sex_right, mut brain_right, mut k562_right) = (0usize, 0usize, 0usize);
    let mut n_k562 = 0usize;
    for (name, counts, sex, is_brain) in &labelled {
        let fit = predictor
            .sample_fit(counts)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let (_, fits) = predictor.posterior(&fit, |_| true);
        let scores: Vec<f64> = fits
            .iter()
            .map(|f| f.as_ref().map_or(f64::NEG_INFINITY, |f| f.score))
            .collect();
        let best = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for (slot, t) in temperatures.iter().enumerate() {
            let w: Vec<f64> = scores.iter().map(|s| ((s - best) / t).exp()).collect();
            let total: f64 = w.iter().sum();
            let mass = |pred: &dyn Fn(&Fields) -> bool| -> f64 {
                predictor
                    .classes
                    .iter()
                    .zip(&w)
                    .filter(|(c, _)| pred(&c.fields))
                    .map(|(_, w)| w)
                    .sum::<f64>()
                    / total
            };
            let p_sex = mass(&|f| f.iter().any(|(k, v)| *k == MetadataKey::Sex && v == sex));
            nll[slot] -= p_sex.max(1e-12).ln();
            if *is_brain == Some(true) {
                let p = mass(&|f| {
                    f.iter().any(|(k, v)| {
                        *k == MetadataKey::TissueOntologyId && brain_regions.contains(&v.as_str())
                    })
                });
                brain_nll[slot] -= p.max(1e-12).ln();
            }
        }
        let sample = predictor.predict(counts).unwrap_or_else(|e| panic!("{e}"));
        n_sex += 1;
        let predicted_sex = value_of(&sample.metadata, MetadataKey::Sex);
        let p_top = sample
            .classifier_probs
            .get("sex")
            .and_then(|p| predicted_sex.as_ref().and_then(|s| p.get(s)))
            .copied()
            .unwrap_or(0.0);
        let right = predicted_sex.as_deref() == Some(sex.as_str());
        sex_right += usize::from(right);
        let bin = (((p_top - 0.5) / 0.1).floor().clamp(0.0, 4.0)) as usize;
        reliability[bin].0 += 1;
        reliability[bin].1 += usize::from(right);
        let tissue = value_of(&sample.metadata, MetadataKey::TissueOntologyId);
        match is_brain {
            Some(true) => {
                n_brain += 1;
                brain_right += usize::from(
                    tissue
                        .as_deref()
                        .is_some_and(|t| brain_regions.contains(&t)),
                );
            }
            Some(false) => {
                n_k562 += 1;
                k562_right += usize::from(
                    value_of(&sample.metadata, MetadataKey::CellLineOntologyId).as_deref()
                        == Some("CVCL_0004"),
                );
            }
            None => {}
        }
        eprintln!(
            "EVIDENCE sample {name}: sex {sex} -> {predicted_sex:?} ({p_top:.3}); tissue {tissue:?}; cell line {:?}; cell type {:?}",
            value_of(&sample.metadata, MetadataKey::CellLineOntologyId),
            value_of(&sample.metadata, MetadataKey::CellTypeOntologyId)
        );
    }
    eprintln!(
        "EVIDENCE sex accuracy {sex_right}/{n_sex}; brain tissue accuracy {brain_right}/{n_brain}; K562 cell line {k562_right}/{n_k562}"
    );
    for (bin, (count, right)) in reliability.iter().enumerate() {
        eprintln!(
            "EVIDENCE reliability sex p in [{:.1}, {:.1}): {count} samples, {right} right",
            0.5 + 0.1 * bin as f64,
            0.6 + 0.1 * bin as f64
        );
    }
    for (slot, t) in temperatures.iter().enumerate() {
        eprintln!(
            "EVIDENCE temperature {t}: mean sex NLL {:.4}, mean brain NLL {:.4}",
            nll[slot] / n_sex as f64,
            brain_nll[slot] / n_brain.max(1) as f64
        );
    }
}

/// A class's metadata
type Fields = [(MetadataKey, String)];

fn value_of(metadata: &[(MetadataKey, String)], key: MetadataKey) -> Option<String> {
    metadata
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.clone())
}

/// The model's mean for `metadata` (JSON object), deterministic
fn model_mean(
    entry: &ModelEntry,
    metadata: &serde_json::Map<String, serde_json::Value>,
) -> Vec<f64> {
    let text = serde_json::json!({
        "inputs": [{"metadata": metadata, "num_samples": 1}],
        "sampling_strategy": "mean estimation", "deterministic_latents": true, "seed": 1,
    })
    .to_string();
    let prepared =
        prepare(entry, &text, None, || 0, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    let (matrix, _) = run(entry, &prepared, &mut |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
    dense_rows(&matrix).remove(0)
}

/// Conditioning evidence: nearest-reference accuracy of noisy outputs among 20 references of
/// two kinds, and the perturbation effect recovered
#[test]
#[ignore = "evidence for docs/families.md; run in release"]
fn evidence_conditioning() {
    let Some(entry) = entry("synthome-bulk-v1.bundle") else {
        return;
    };
    let mut references = generated(
        &entry,
        &fields(&[
            (MetadataKey::TissueOntologyId, LIVER),
            (MetadataKey::Sex, "female"),
        ]),
        10,
        21,
    );
    references.extend(generated(
        &entry,
        &fields(&[
            (MetadataKey::TissueOntologyId, BRAIN),
            (MetadataKey::Sex, "male"),
        ]),
        10,
        22,
    ));
    let treatment = serde_json::json!({"perturbation_ontology_id": "CHEMBL941", "perturbation_type": "compound", "perturbation_dose": "10 um", "perturbation_time": "24 hours"});
    for (label, strategy) in [
        (
            "sample generation",
            serde_json::json!({"sampling_strategy": "sample generation"}),
        ),
        (
            "mean estimation",
            serde_json::json!({"sampling_strategy": "mean estimation"}),
        ),
    ] {
        let (matrix, _) = condition(&entry, &references, treatment.clone(), strategy);
        let rows = dense_rows(&matrix);
        let reference_cpm: Vec<Vec<f64>> = references.iter().map(|r| log_cpm(r)).collect();
        let mut right = 0;
        for (index, row) in rows.iter().enumerate() {
            let cpm = log_cpm(row);
            let nearest = (0..references.len())
                .max_by(|&a, &b| {
                    pearson(&cpm, &reference_cpm[a]).total_cmp(&pearson(&cpm, &reference_cpm[b]))
                })
                .unwrap_or(0);
            right += usize::from(nearest == index);
        }
        eprintln!(
            "EVIDENCE conditioning {label}: nearest reference is its own for {right}/{}",
            rows.len()
        );
    }
    let deterministic =
        serde_json::json!({"sampling_strategy": "mean estimation", "deterministic_latents": true});
    let (matrix, _) = condition(&entry, &references[..1], treatment.clone(), deterministic);
    let output = dense_rows(&matrix).remove(0);
    let sample = &matrix.samples()[0];
    let treated_metadata: serde_json::Map<String, serde_json::Value> = sample
        .fields
        .iter()
        .map(|f| (f.key.clone(), f.value.clone().into()))
        .collect();
    let control_metadata: serde_json::Map<String, serde_json::Value> = sample
        .fields
        .iter()
        .filter(|f| !f.key.starts_with("perturbation_"))
        .map(|f| (f.key.clone(), f.value.clone().into()))
        .collect();
    let (treated_mean, control_mean) = (
        model_mean(&entry, &treated_metadata),
        model_mean(&entry, &control_metadata),
    );
    let (ref_cpm, out_cpm) = (log_cpm(&references[0]), log_cpm(&output));
    let (tm, cm) = (log_cpm(&treated_mean), log_cpm(&control_mean));
    let genes: Vec<usize> = (0..output.len())
        .filter(|&g| ref_cpm[g] > (10.0f64 + 1.0).log2())
        .collect();
    let observed: Vec<f64> = genes.iter().map(|&g| out_cpm[g] - ref_cpm[g]).collect();
    let model: Vec<f64> = genes.iter().map(|&g| tm[g] - cm[g]).collect();
    let moved = model.iter().filter(|v| v.abs() > 1.0).count();
    let slope = observed.iter().zip(&model).map(|(o, m)| o * m).sum::<f64>()
        / model.iter().map(|m| m * m).sum::<f64>();
    eprintln!(
        "EVIDENCE effect ({:?}): {} genes above 10 CPM in the reference, {moved} with |model log2FC| > 1; r(generated vs reference log2FC, model log2FC) = {:.3}, slope {:.3}",
        sample
            .fields
            .iter()
            .map(|f| format!("{}={}", f.key, f.value))
            .collect::<Vec<_>>(),
        genes.len(),
        pearson(&observed, &model),
        slope
    );
}

/// How many genes a user needs: GTEx brain samples with all but `k` random genes zeroed
#[test]
#[ignore = "evidence for docs/families.md; needs /tmp/gtex_brain.tsv"]
fn evidence_genes_needed() {
    let Some(entry) = entry("synthome-bulk-v1.bundle") else {
        return;
    };
    let (Ok(counts), Some(samples)) = (
        std::fs::read_to_string("/tmp/gtex_brain.tsv"),
        real("gtex_brain_age_samples.tsv"),
    ) else {
        return;
    };
    let genes = entry.engine.genes();
    let table = synthome_engine::families::table::align_table(&counts, &genes)
        .unwrap_or_else(|e| panic!("{e}"));
    let predictor =
        synthome_engine::families::run::predictor(&entry).unwrap_or_else(|e| panic!("{e}"));
    for keep in [20000usize, 5000, 2000, 1000, 500, 200] {
        let (mut brain, mut sex, mut refused, mut informative) = (0, 0, 0, 0usize);
        for (index, (name, counts)) in table.samples.iter().zip(&table.counts).enumerate() {
            // a fixed pseudo-random subset of the model's genes per sample
            let kept: Vec<f64> = counts
                .iter()
                .enumerate()
                .map(|(g, &c)| {
                    if (g * 2_654_435_761 + index * 97) % genes.len() < keep {
                        c
                    } else {
                        0.0
                    }
                })
                .collect();
            let want = samples
                .lines()
                .find(|l| l.split('\t').next() == Some(name))
                .and_then(|l| l.split('\t').nth(4))
                .unwrap_or("")
                .to_owned();
            informative += predictor
                .informative
                .iter()
                .filter(|&&g| kept[g] > 0.0)
                .count();
            match predictor.predict(&kept) {
                Ok(p) => {
                    brain += usize::from(
                        value_of(&p.metadata, MetadataKey::TissueOntologyId)
                            .is_some_and(|t| t == "UBERON:0000955" || t == "UBERON:0000956"),
                    );
                    sex += usize::from(
                        value_of(&p.metadata, MetadataKey::Sex).as_deref() == Some(want.as_str()),
                    );
                }
                Err(_) => refused += 1,
            }
        }
        eprintln!(
            "EVIDENCE genes kept {keep}: mean expressed informative {:.0}; brain/cortex {brain}/40, sex {sex}/40, refused {refused}",
            informative as f64 / 40.0
        );
    }
}
