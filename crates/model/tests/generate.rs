//! Generation semantics on a small hand-made model: determinism, mean estimation, inferred
//! keys, sex and perturbation effects, dose interpolation, errors

mod support;

use support::{
    Term, card, cell_line_control, cell_line_treated, context, dose, genes, query, term, tissue,
};
use synthome_matrix::ExpressionValues;
use synthome_model::{
    BulkModel, BulkParams, GenerateError, Latent, Noise, Perturbation, PerturbationKind,
    ProfileSex, Response,
};
use synthome_query::{MetadataKey, SamplingStrategy, ValidQuery};
use synthome_vocab::Vocabulary;

const N_GENES: usize = 40;
const LIVER: &str = "UBERON:0002107";
const K562: &str = "CVCL_0004";
const DRUG: &str = "CHEMBL941";
const Y_GENE: usize = 3;
const TARGET_GENE: usize = 7;

/// Two contexts (liver, mixed sex; K562, female), a sex effect on one gene, a compound
/// measured in K562 at two doses, two factors
fn model() -> BulkModel {
    let liver: Vec<f32> = (0..N_GENES).map(|g| 2.0 + (g % 7) as f32 * 0.8).collect();
    let k562: Vec<f32> = (0..N_GENES).map(|g| 4.0 - (g % 5) as f32 * 0.5).collect();
    let mut sex_effect = vec![0.0f32; N_GENES];
    sex_effect[Y_GENE] = 2.0;
    let mut loadings = vec![0.0f32; 2 * N_GENES];
    for g in 0..N_GENES {
        loadings[g] = if g % 2 == 0 { 0.3 } else { -0.3 };
        loadings[N_GENES + g] = 0.1;
    }
    let response = |dose: f64, change: f32| Response {
        dose_um: Some(dose),
        time_hours: Some(24.0),
        genes: vec![TARGET_GENE as u32],
        log_fold_changes: vec![change],
    };
    let params = BulkParams {
        card: card("test", "t"),
        genes: genes(N_GENES),
        vocabulary: Vocabulary::new(),
        contexts: vec![
            context("liver", liver, ProfileSex::Mixed),
            context("K562", k562, ProfileSex::Female),
        ],
        conditions: vec![
            tissue(0, LIVER, "female", 0.5),
            tissue(0, LIVER, "male", 0.5),
            cell_line_control(1, K562, 4.0),
            cell_line_treated((1, K562), DRUG, (1.0, "1 um"), 1.0),
        ],
        sex_effect,
        latent: Latent {
            n_factors: 2,
            loadings,
        },
        noise: Noise {
            technical: 0.02,
            technical_low_count: 0.0,
            biological: vec![0.01; N_GENES],
        },
        perturbations: vec![Perturbation {
            id: DRUG.into(),
            kind: PerturbationKind::Compound,
            measured_in: Some(1),
            source: "test plate".into(),
            responses: vec![response(1.0, -1.0), response(100.0, -3.0)],
        }],
    };
    BulkModel::new(params).expect("valid model")
}

/// `n` liver samples, nothing else given
fn liver(strategy: SamplingStrategy, deterministic: bool, n: u32) -> ValidQuery {
    query(
        strategy,
        deterministic,
        vec![(vec![term(MetadataKey::TissueOntologyId, LIVER)], n)],
    )
}

/// One sample of these conditions at the mean (deterministic mean estimation)
fn one_mean(conditions: Vec<Term>) -> ValidQuery {
    query(
        SamplingStrategy::MeanEstimation,
        true,
        vec![(conditions, 1)],
    )
}

fn run(model: &BulkModel, query: &ValidQuery, seed: u64) -> synthome_model::GenerateOutput {
    model
        .generate(query, seed, &mut |_, _| {})
        .expect("generates")
}

fn expected_rows(output: &synthome_model::GenerateOutput) -> Vec<Vec<f32>> {
    match output.matrix.values() {
        ExpressionValues::Expected(dense) => dense.rows().map(<[f32]>::to_vec).collect(),
        other => panic!("expected values, got {other:?}"),
    }
}

#[test]
fn same_seed_same_counts_other_seed_other_counts() {
    let model = model();
    let q = liver(SamplingStrategy::SampleGeneration, false, 3);
    let a = run(&model, &q, 1);
    let b = run(&model, &q, 1);
    let c = run(&model, &q, 2);
    assert_eq!(a.matrix.values(), b.matrix.values());
    assert_ne!(a.matrix.values(), c.matrix.values());
    assert_eq!(a.matrix.n_samples(), 3);
    // 40 genes of ~250,000 counts with dispersion 0.03: the library size has a relative
    // spread of ~5 %, so 20 % is four standard deviations
    for size in a.matrix.library_sizes() {
        assert!((size / 1e7 - 1.0).abs() < 0.2, "library size {size}");
    }
}

#[test]
fn samples_do_not_depend_on_what_else_is_in_the_query() {
    let model = model();
    let one = liver(SamplingStrategy::SampleGeneration, false, 2);
    let more = liver(SamplingStrategy::SampleGeneration, false, 5);
    let a = run(&model, &one, 9);
    let b = run(&model, &more, 9);
    assert_eq!(a.matrix.row(1), b.matrix.row(1));
}

#[test]
fn samples_do_not_depend_on_how_they_are_batched() {
    // 18 samples decode in batches of 16 and 2, 40 in 16, 16 and 8; an empty input draws
    // its conditions (two contexts, sexes, a compound) per sample
    let model = model();
    for strategy in [
        SamplingStrategy::SampleGeneration,
        SamplingStrategy::MeanEstimation,
    ] {
        let few = run(&model, &query(strategy, false, vec![(vec![], 18)]), 5);
        let many = run(&model, &query(strategy, false, vec![(vec![], 40)]), 5);
        for sample in 0..18 {
            assert_eq!(
                few.matrix.row(sample),
                many.matrix.row(sample),
                "{strategy}"
            );
            assert_eq!(few.matrix.samples()[sample], many.matrix.samples()[sample]);
        }
        let contexts: std::collections::BTreeSet<Option<&str>> = many
            .matrix
            .samples()
            .iter()
            .map(|sample| sample.get("cell_line_ontology_id"))
            .collect();
        assert!(contexts.len() > 1, "the samples mix contexts");
    }
}

#[test]
fn deterministic_mean_estimation_ignores_the_seed_and_sums_to_total_count() {
    let model = model();
    let q = liver(SamplingStrategy::MeanEstimation, true, 2);
    let a = expected_rows(&run(&model, &q, 1));
    let b = expected_rows(&run(&model, &q, 99));
    assert_eq!(a, b);
    assert_eq!(a[0], a[1]);
    let total: f64 = a[0].iter().map(|&v| f64::from(v)).sum();
    assert!((total - 1e7).abs() < 10.0);
}

#[test]
fn mean_estimation_with_drawn_latents_varies_between_samples() {
    let model = model();
    let q = query(
        SamplingStrategy::MeanEstimation,
        false,
        vec![(vec![term(MetadataKey::CellLineOntologyId, K562)], 2)],
    );
    let rows = expected_rows(&run(&model, &q, 3));
    assert_ne!(rows[0], rows[1]);
}

#[test]
fn unspecified_keys_are_filled_and_marked_inferred() {
    let model = model();
    let q = liver(SamplingStrategy::MeanEstimation, true, 1);
    let output = run(&model, &q, 1);
    let sample = &output.matrix.samples()[0];
    let tissue = sample
        .fields
        .iter()
        .find(|f| f.key == "tissue_ontology_id")
        .expect("tissue");
    assert!(!tissue.inferred);
    let sex = sample
        .fields
        .iter()
        .find(|f| f.key == "sex")
        .expect("sex filled");
    assert!(sex.inferred);
    assert_eq!(sex.value, "female", "ties go to the first condition");
    let empty = query(SamplingStrategy::MeanEstimation, true, vec![(vec![], 1)]);
    let output = run(&model, &empty, 1);
    assert_eq!(
        output.matrix.samples()[0].get("cell_line_ontology_id"),
        Some(K562),
        "heaviest condition"
    );
}

#[test]
fn sex_effect_moves_the_sex_gene() {
    let model = model();
    let male = one_mean(vec![
        term(MetadataKey::TissueOntologyId, LIVER),
        term(MetadataKey::Sex, "male"),
    ]);
    let female = one_mean(vec![
        term(MetadataKey::TissueOntologyId, LIVER),
        term(MetadataKey::Sex, "female"),
    ]);
    let m = expected_rows(&run(&model, &male, 1));
    let f = expected_rows(&run(&model, &female, 1));
    let ratio = (m[0][Y_GENE] / f[0][Y_GENE]).ln() - (m[0][0] / f[0][0]).ln();
    assert!((ratio - 4.0).abs() < 0.05, "log ratio {ratio}");
    // A female line asked to be male gets the full effect, with a warning
    let k562_male = one_mean(vec![
        term(MetadataKey::CellLineOntologyId, K562),
        term(MetadataKey::Sex, "male"),
    ]);
    let output = run(&model, &k562_male, 1);
    assert!(
        output.warnings.iter().any(|w| w.contains("sex effect")),
        "{:?}",
        output.warnings
    );
}

#[test]
fn compound_doses_interpolate_in_log_dose_and_transfer_with_a_warning() {
    let model = model();
    let at = |value: f64| {
        let q = one_mean(vec![
            term(MetadataKey::CellLineOntologyId, K562),
            term(MetadataKey::PerturbationOntologyId, DRUG),
            dose(value),
        ]);
        let output = run(&model, &q, 1);
        (expected_rows(&output)[0].clone(), output.warnings)
    };
    let control = one_mean(vec![
        term(MetadataKey::CellLineOntologyId, K562),
        term(MetadataKey::PerturbationType, "control"),
    ]);
    let base = expected_rows(&run(&model, &control, 1))[0].clone();
    let change =
        |row: &[f32]| (row[TARGET_GENE] / base[TARGET_GENE]).ln() - (row[0] / base[0]).ln();
    let (low, _) = at(1.0);
    let (middle, warnings) = at(10.0);
    assert!((change(&low) + 1.0).abs() < 0.01);
    assert!(
        (change(&middle) + 2.0).abs() < 0.01,
        "halfway in log dose: {}",
        change(&middle)
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    let liver = one_mean(vec![
        term(MetadataKey::TissueOntologyId, LIVER),
        term(MetadataKey::PerturbationOntologyId, DRUG),
    ]);
    let output = run(&model, &liver, 1);
    assert!(
        output
            .warnings
            .iter()
            .any(|w| w.contains("transferred as-is")),
        "{:?}",
        output.warnings
    );
    assert_eq!(
        output.matrix.samples()[0].get("perturbation_type"),
        Some("compound")
    );
}

#[test]
fn impossible_combinations_are_errors_that_name_the_input() {
    let model = model();
    let q = query(
        SamplingStrategy::MeanEstimation,
        true,
        vec![
            (vec![], 1),
            (
                vec![
                    term(MetadataKey::TissueOntologyId, LIVER),
                    term(MetadataKey::CellLineOntologyId, K562),
                ],
                1,
            ),
        ],
    );
    let error = model
        .generate(&q, 1, &mut |_, _| {})
        .expect_err("no such context");
    assert!(matches!(error, GenerateError::NoContext { input: 1, .. }));
    assert!(error.to_string().starts_with("inputs[1]"));
    let wrong_kind = one_mean(vec![
        term(MetadataKey::TissueOntologyId, LIVER),
        term(MetadataKey::PerturbationOntologyId, DRUG),
        term(MetadataKey::PerturbationType, "shrna"),
    ]);
    let error = model
        .generate(&wrong_kind, 1, &mut |_, _| {})
        .expect_err("wrong kind");
    assert!(error.to_string().contains("compound"), "{error}");
}

#[test]
fn progress_reports_every_sample() {
    let model = model();
    let q = query(
        SamplingStrategy::SampleGeneration,
        false,
        vec![(vec![], 2), (vec![], 3)],
    );
    let mut seen = Vec::new();
    model
        .generate(&q, 5, &mut |done, total| seen.push((done, total)))
        .expect("generates");
    assert_eq!(seen, vec![(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]);
}

#[test]
fn example_query_names_known_conditions() {
    let text = model().example_query();
    assert!(text.contains(LIVER) && text.contains(DRUG), "{text}");
}
