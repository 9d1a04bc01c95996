//! Generation: sparse counts with the right means, zeros and library sizes; conditions
//! filled from the training distribution; determinism; mean estimation

mod common;

use common::{IFNB1, N_GENES, model, query};
use synthome_matrix::{ExpressionValues, Row};
use synthome_query::{Limits, parse_and_validate};
use synthome_sc_model::{GenerateError, ScModel};

fn generate(model: &ScModel, json: &str, seed: u64) -> synthome_sc_model::GenerateOutput {
    let valid = query(model, json);
    model
        .generate(&valid, seed, &mut |_, _| {})
        .unwrap_or_else(|error| panic!("{error}"))
}

fn sample_query(metadata: &str, n: u32, total: f64) -> String {
    format!(
        r#"{{"sampling_strategy": "sample generation", "total_count": {total},
            "inputs": [{{"metadata": {metadata}, "num_samples": {n}}}]}}"#
    )
}

/// Per-gene mean counts and zero shares, and the mean library size
fn summarise(values: &ExpressionValues) -> (Vec<f64>, Vec<f64>, f64) {
    let ExpressionValues::SparseCounts(csr) = values else {
        panic!("sample generation must give sparse counts");
    };
    let n = csr.n_rows() as f64;
    let mut sums = vec![0.0; csr.n_cols()];
    let mut nonzero = vec![0.0; csr.n_cols()];
    let mut library = 0.0;
    for (indices, counts) in csr.rows() {
        for (gene, count) in indices.iter().zip(counts.iter()) {
            sums[gene as usize] += f64::from(count);
            nonzero[gene as usize] += 1.0;
            library += f64::from(count);
        }
    }
    (
        sums.iter().map(|s| s / n).collect(),
        nonzero.iter().map(|z| 1.0 - z / n).collect(),
        library / n,
    )
}

#[test]
fn sample_generation_matches_the_profile_zeros_and_depth() {
    let model = model(false);
    let total = 2000.0;
    let json = sample_query(
        r#"{"cell_type_ontology_id": "CL:0000236", "perturbation_type": "control"}"#,
        4000,
        total,
    );
    let output = generate(&model, &json, 3);
    let (means, _, library) = summarise(output.matrix.values());
    // B cells: library offset 0.5, sd 0.3 -> mean exp(0.5 + 0.045) * total
    let want_library = total * (0.5f64 + 0.045).exp();
    assert!(
        (library / want_library - 1.0).abs() < 0.03,
        "library {library} want {want_library}"
    );
    let proportions = model
        .group_proportions(2)
        .unwrap_or_else(|| panic!("group 2"));
    for gene in 0..N_GENES {
        let mu = proportions[gene] * want_library;
        let tolerance = 0.05 * mu + 4.0 * (mu / 4000.0).sqrt() + 0.01;
        assert!(
            (means[gene] - mu).abs() < tolerance,
            "gene {gene}: mean {} want {mu}",
            means[gene]
        );
    }
}

#[test]
fn zeros_follow_the_negative_binomial_or_the_pooled_poisson() {
    let model = model(false);
    let total = 10.0;
    let json = sample_query(
        r#"{"cell_type_ontology_id": "CL:0000236", "perturbation_type": "control"}"#,
        10_000,
        total,
    );
    let output = generate(&model, &json, 4);
    let (_, zeros, _) = summarise(output.matrix.values());
    let proportions = model
        .group_proportions(2)
        .unwrap_or_else(|| panic!("group 2"));
    let median = total * 0.5f64.exp();
    let phi = 0.1;
    // expectation over the log-normal library size (offset 0.5, sd 0.3), by simulation
    let mut stream = synthome_sc_model::cell_stream(99, 0, 0);
    let libraries: Vec<f64> = (0..20_000)
        .map(|_| median * (0.3 * stream.normal()).exp())
        .collect();
    let mut pooled_seen = 0;
    for gene in 0..N_GENES {
        let p = proportions[gene];
        let pooled = p * median < synthome_sc_model::POOLED_BELOW_MEAN;
        pooled_seen += usize::from(pooled);
        let want = libraries
            .iter()
            .map(|&library| {
                let mu = p * library;
                if pooled {
                    (-mu).exp()
                } else {
                    (1.0 + phi * mu).powf(-1.0 / phi)
                }
            })
            .sum::<f64>()
            / libraries.len() as f64;
        assert!(
            (zeros[gene] - want).abs() < 0.01,
            "gene {gene} (pooled {pooled}): zeros {} want {want}",
            zeros[gene]
        );
    }
    assert!(
        pooled_seen > 5 && pooled_seen < N_GENES - 5,
        "the fixture must exercise both paths"
    );
}

#[test]
fn the_same_seed_gives_the_same_counts_and_another_seed_does_not() {
    let model = model(true);
    let json = sample_query("{}", 300, 10_000.0);
    let first = generate(&model, &json, 42);
    let again = generate(&model, &json, 42);
    let other = generate(&model, &json, 43);
    assert_eq!(first.matrix.values(), again.matrix.values());
    assert_eq!(first.matrix.samples(), again.matrix.samples());
    assert_ne!(first.matrix.values(), other.matrix.values());
}

#[test]
fn rows_are_sparse_with_increasing_genes() {
    let model = model(true);
    let output = generate(&model, &sample_query("{}", 50, 500.0), 1);
    for row in output.matrix.rows() {
        let Row::Sparse { indices, values } = row else {
            panic!("rows must be sparse");
        };
        let indices = indices.to_vec();
        assert!(indices.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(values.iter().all(|count| count > 0));
        assert!(indices.len() < N_GENES);
    }
}

#[test]
fn unspecified_keys_are_drawn_by_cell_counts_and_echoed_as_inferred() {
    let model = model(false);
    let output = generate(
        &model,
        &sample_query(r#"{"perturbation_type": "control"}"#, 2000, 1000.0),
        5,
    );
    let samples = output.matrix.samples();
    let b_cells = samples
        .iter()
        .filter(|sample| sample.get("cell_type_ontology_id") == Some("CL:0000236"))
        .count() as f64;
    // 100 B cells out of 400 control cells
    assert!(
        (b_cells / 2000.0 - 0.25).abs() < 0.04,
        "B share {}",
        b_cells / 2000.0
    );
    let first = &samples[0];
    let given = first.fields.iter().find(|f| f.key == "perturbation_type");
    assert_eq!(
        given.map(|f| (f.value.as_str(), f.inferred)),
        Some(("control", false))
    );
    let tissue = first.fields.iter().find(|f| f.key == "tissue_ontology_id");
    assert_eq!(
        tissue.map(|f| (f.value.as_str(), f.inferred)),
        Some(("UBERON:0000178", true))
    );
    assert!(first.get("perturbation_time").is_none());
    assert_eq!(first.sample_id, "input1_cell1");

    let deterministic = r#"{"sampling_strategy": "mean estimation", "deterministic_latents": true,
        "inputs": [{"metadata": {}, "num_samples": 3}]}"#;
    let output = generate(&model, deterministic, 5);
    for sample in output.matrix.samples() {
        assert_eq!(sample.get("cell_type_ontology_id"), Some("CL:0000624"));
        assert_eq!(sample.get("perturbation_type"), Some("control"));
    }
}

#[test]
fn stimulation_selects_the_stimulated_profile() {
    let model = model(false);
    let stim = format!(
        r#"{{"perturbation_type": "peptide or biologic", "perturbation_ontology_id": "{IFNB1}", "perturbation_time": "360 minutes", "cell_type_ontology_id": "CL:0000624"}}"#
    );
    let (stim_means, _, stim_library) = summarise(
        generate(&model, &sample_query(&stim, 1500, 1000.0), 9)
            .matrix
            .values(),
    );
    let control = r#"{"perturbation_type": "control", "cell_type_ontology_id": "CL:0000624"}"#;
    let (control_means, _, control_library) = summarise(
        generate(&model, &sample_query(control, 1500, 1000.0), 9)
            .matrix
            .values(),
    );
    let fold = (stim_means[5] / stim_library) / (control_means[5] / control_library);
    assert!(fold > 10.0, "interferon gene fold change {fold}");
}

#[test]
fn impossible_combinations_and_unmodelled_keys_are_rejected() {
    let model = model(false);
    let valid = query(
        &model,
        &sample_query(
            r#"{"perturbation_type": "control", "perturbation_time": "6 hours"}"#,
            2,
            1000.0,
        ),
    );
    match model.generate(&valid, 1, &mut |_, _| {}) {
        Err(GenerateError::NoGroup {
            input: 0,
            conditions,
        }) => {
            assert!(
                conditions.contains("perturbation_time=6 hours"),
                "{conditions}"
            );
        }
        other => panic!("expected NoGroup, got {other:?}"),
    }
    let errors = parse_and_validate(
        &sample_query(r#"{"sex": "female"}"#, 2, 1000.0),
        &model.target(),
        &Limits::default(),
    )
    .err()
    .unwrap_or_else(|| panic!("sex is not modelled"));
    assert!(errors.to_string().contains("sex"), "{errors}");
}

#[test]
fn mean_estimation_gives_expected_counts_at_total_count() {
    let model = model(true);
    let json = r#"{"sampling_strategy": "mean estimation", "total_count": 10000, "deterministic_latents": true,
        "inputs": [{"metadata": {"cell_type_ontology_id": "CL:0000624", "perturbation_type": "control"}, "num_samples": 2}]}"#;
    let output = generate(&model, json, 1);
    let ExpressionValues::Expected(dense) = output.matrix.values() else {
        panic!("mean estimation must give expected values");
    };
    let proportions = model
        .group_proportions(0)
        .unwrap_or_else(|| panic!("group 0"));
    for (gene, &value) in dense.row(0).unwrap_or_default().iter().enumerate() {
        assert!(
            (f64::from(value) - 10_000.0 * proportions[gene]).abs()
                < 1e-2 * (1.0 + f64::from(value))
        );
    }
    assert!((output.matrix.library_sizes()[1] - 10_000.0).abs() < 1.0);

    // with latent draws, rows differ but still sum to total_count
    let drawn = json.replace(
        "\"deterministic_latents\": true",
        "\"deterministic_latents\": false",
    );
    let output = generate(&model, &drawn, 1);
    let sizes = output.matrix.library_sizes();
    assert!(
        sizes.iter().all(|size| (size - 10_000.0).abs() < 1.0),
        "{sizes:?}"
    );
    assert_ne!(output.matrix.row(0), output.matrix.row(1));
}

#[test]
fn latent_factors_add_correlated_variance() {
    let with = model(true);
    let without = model(false);
    let json = sample_query(
        r#"{"cell_type_ontology_id": "CL:0000624", "perturbation_type": "control"}"#,
        3000,
        5000.0,
    );
    let correlation = |model: &ScModel| -> f64 {
        let output = generate(model, &json, 8);
        let pairs: Vec<(f64, f64)> = (0..3000)
            .map(|cell| {
                let dense = output.matrix.log_cpm(cell).unwrap_or_default();
                (f64::from(dense[0]), f64::from(dense[2]))
            })
            .collect();
        let n = pairs.len() as f64;
        let (mx, my) = pairs
            .iter()
            .fold((0.0, 0.0), |acc, p| (acc.0 + p.0 / n, acc.1 + p.1 / n));
        let cov: f64 = pairs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>() / n;
        let vx: f64 = pairs.iter().map(|p| (p.0 - mx).powi(2)).sum::<f64>() / n;
        let vy: f64 = pairs.iter().map(|p| (p.1 - my).powi(2)).sum::<f64>() / n;
        cov / (vx * vy).sqrt()
    };
    // genes 0 and 2 share a positive loading
    assert!(
        correlation(&with) > 0.3 + correlation(&without),
        "latent must correlate genes 0 and 2"
    );
}

#[test]
fn mean_estimation_refuses_dense_results_that_are_too_large() {
    let model = ScModel::new(common::params_with_genes(false, 600))
        .unwrap_or_else(|error| panic!("{error}"));
    let json = r#"{"sampling_strategy": "mean estimation", "inputs": [{"metadata": {}, "num_samples": 10000},
        {"metadata": {}, "num_samples": 10000}, {"metadata": {}, "num_samples": 10000}, {"metadata": {}, "num_samples": 10000},
        {"metadata": {}, "num_samples": 10000}, {"metadata": {}, "num_samples": 10000}, {"metadata": {}, "num_samples": 10000},
        {"metadata": {}, "num_samples": 10000}, {"metadata": {}, "num_samples": 10000}, {"metadata": {}, "num_samples": 10000}]}"#;
    let valid = query(&model, json);
    let result = model.generate(&valid, 1, &mut |_, _| {}).err();
    assert_eq!(
        result,
        Some(GenerateError::TooLarge {
            cells: 100_000,
            genes: 600,
            max: synthome_sc_model::MAX_DENSE_VALUES
        })
    );
}

#[test]
fn few_training_cells_raise_a_warning_and_the_example_query_is_valid() {
    let model = model(false);
    let stim_b = format!(
        r#"{{"cell_type_ontology_id": "CL:0000236", "perturbation_ontology_id": "{IFNB1}"}}"#
    );
    let output = generate(&model, &sample_query(&stim_b, 2, 1000.0), 1);
    assert_eq!(output.warnings.len(), 1);
    assert!(
        output.warnings[0].contains("12 training cells"),
        "{:?}",
        output.warnings
    );
    let example = generate(&model, &model.example_query(), 11);
    assert_eq!(example.matrix.n_samples(), 200);
    assert_eq!(
        example.matrix.samples()[150].get("perturbation_ontology_id"),
        Some(IFNB1)
    );
}

#[test]
fn a_latent_bank_keeps_sub_populations_apart() {
    let mut params = common::params(true);
    // two training states on the one factor, far apart, with a small kernel
    params.cell_types[0].latent.bank = vec![-3.0, 3.0];
    params.cell_types[0].latent.jitter = 0.1;
    let model = ScModel::new(params).unwrap_or_else(|error| panic!("{error}"));
    let json = sample_query(
        r#"{"cell_type_ontology_id": "CL:0000624", "perturbation_type": "control"}"#,
        2000,
        100_000.0,
    );
    let output = generate(&model, &json, 12);
    let (mut low, mut middle, mut high) = (0, 0, 0);
    for cell in 0..2000 {
        let dense = output.matrix.log_cpm(cell).unwrap_or_default();
        // genes 0 and 1 have loadings +0.5 and -0.5: their log ratio is z (in log2 units / ln 2)
        let ratio =
            f64::from(dense[0] - dense[1]) * std::f64::consts::LN_2 - (2.0f64).powf(1.3).ln();
        match ratio {
            r if r < -1.0 => low += 1,
            r if r > 1.0 => high += 1,
            _ => middle += 1,
        }
    }
    assert!(
        middle < 100,
        "the two states must stay apart: {low} / {middle} / {high}"
    );
    assert!(
        low > 800 && high > 800,
        "both states must be drawn: {low} / {high}"
    );
}

#[test]
fn latent_draws_leave_gene_means_at_the_profile() {
    for bank in [Vec::new(), vec![-1.5, 0.2, 1.0]] {
        let mut params = common::params(true);
        params.cell_types[0].latent.bank = bank.clone();
        params.cell_types[0].latent.jitter = 0.5;
        let model = ScModel::new(params).unwrap_or_else(|error| panic!("{error}"));
        let json = r#"{"sampling_strategy": "mean estimation", "total_count": 10000,
            "inputs": [{"metadata": {"cell_type_ontology_id": "CL:0000624", "perturbation_type": "control"}, "num_samples": 8000}]}"#;
        let output = generate(&model, json, 21);
        let ExpressionValues::Expected(dense) = output.matrix.values() else {
            panic!("mean estimation must give expected values");
        };
        let proportions = model
            .group_proportions(0)
            .unwrap_or_else(|| panic!("group 0"));
        for gene in [0usize, 1, 2, 7, 30] {
            let mean = (0..8000)
                .map(|cell| f64::from(dense.row(cell).unwrap_or_default()[gene]))
                .sum::<f64>()
                / 8000.0;
            let want = 10_000.0 * proportions[gene];
            // without the offset the bias would be exp(0.25 / 2) - 1 = 13%
            assert!(
                (mean / want - 1.0).abs() < 0.05,
                "bank {bank:?} gene {gene}: mean {mean} want {want}"
            );
        }
    }
}

#[test]
fn atlas_groups_generate_and_a_type_without_tissue_draws_one_that_has_it() {
    let model = ScModel::new(common::params_with_atlas()).unwrap_or_else(|error| panic!("{error}"));
    let metadata = format!(r#"{{"cell_type_ontology_id": "{}"}}"#, common::HEPATOCYTE);
    let output = generate(&model, &sample_query(&metadata, 200, 5000.0), 3);
    let (means, _, depth) = summarise(output.matrix.values());
    assert!((depth / 5000.0 - 1.0).abs() < 0.1, "depth {depth}");
    // the hepatocyte column has its marker at gene 20 (cell type 2 in the profile rule)
    let marker = means[20] / means.iter().sum::<f64>();
    let expected = model.group_proportions(4).unwrap_or_default()[20];
    assert!(
        (marker / expected - 1.0).abs() < 0.1,
        "{marker} vs {expected}"
    );
    let sample = &output.matrix.samples()[0];
    let tissue = sample.fields.iter().find(|f| f.key == "tissue_ontology_id");
    assert_eq!(
        tissue.map(|f| (f.value.as_str(), f.inferred)),
        Some((common::LIVER, true))
    );
}

#[test]
fn a_type_in_a_tissue_the_model_lacks_names_the_tissues_it_has() {
    let model = ScModel::new(common::params_with_atlas()).unwrap_or_else(|error| panic!("{error}"));
    let metadata = format!(
        r#"{{"cell_type_ontology_id": "CL:0000236", "tissue_ontology_id": "{}"}}"#,
        common::LIVER
    );
    let query = common::query(&model, &sample_query(&metadata, 5, 1000.0));
    let error = model
        .generate(&query, 1, &mut |_, _| {})
        .err()
        .unwrap_or_else(|| panic!("B cells in liver generated"));
    let message = error.to_string();
    assert!(
        message.contains("UBERON:0000178, UBERON:0002048"),
        "{message}"
    );
    assert!(message.contains(common::LIVER), "{message}");
}
