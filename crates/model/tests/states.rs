//! Disease, age and latent spread on a small hand-made model: effects, the healthy value,
//! errors naming the valid alternatives, clamping, inferred values, the bundle round trip and
//! a seeded property sweep over ages and diseases

mod support;

use support::{Term, card, cell_line_control, context, fields, genes, query, term};
use synthome_matrix::ExpressionValues;
use synthome_model::{
    AgeEffect, BulkModel, BulkParams, DiseaseEffect, FamilyNoise, GenerateError, HEALTHY, Latent,
    Noise, ProfileSex, States, TrainingCondition,
};
use synthome_query::{CanonicalValue, ConditionValue, MetadataKey, SamplingStrategy};
use synthome_vocab::Vocabulary;

const N_GENES: usize = 30;
const COLON: &str = "UBERON:0001155";
const BLOOD: &str = "UBERON:0000178";
const K562: &str = "CVCL_0004";
const CROHN: &str = "MONDO:0005011";
const COVID: &str = "MONDO:0100096";
const CROHN_GENE: usize = 4;
const AGE_GENE: usize = 9;

/// A tissue condition with a disease value
fn diseased(context: usize, tissue: &str, disease: &str, weight: f64) -> TrainingCondition {
    TrainingCondition {
        context,
        fields: fields(&[
            (MetadataKey::DiseaseOntologyId, disease),
            (MetadataKey::SampleType, "primary tissue"),
            (MetadataKey::Sex, "female"),
            (MetadataKey::TissueOntologyId, tissue),
        ]),
        perturbation: None,
        weight,
    }
}

/// Colon (healthy and Crohn), blood (healthy and COVID-19), K562; Crohn and COVID-19 effects,
/// an age effect on colon (20 to 70, reference 45), spread 2 on blood
fn model() -> BulkModel {
    let profile = |shift: f32| -> Vec<f32> {
        (0..N_GENES)
            .map(|g| 2.0 + shift + (g % 6) as f32 * 0.5)
            .collect()
    };
    let params = BulkParams {
        card: card("states", "s"),
        genes: genes(N_GENES),
        vocabulary: Vocabulary::new(),
        contexts: vec![
            context("colon", profile(0.0), ProfileSex::Mixed),
            context("whole blood", profile(0.3), ProfileSex::Mixed),
            context("K562", profile(-0.2), ProfileSex::Female),
        ],
        conditions: vec![
            diseased(0, COLON, HEALTHY, 1.0),
            diseased(0, COLON, CROHN, 1.0),
            diseased(1, BLOOD, HEALTHY, 1.0),
            diseased(1, BLOOD, COVID, 3.0),
            cell_line_control(2, K562, 1.0),
        ],
        sex_effect: vec![0.0; N_GENES],
        latent: Latent {
            n_factors: 1,
            loadings: (0..N_GENES)
                .map(|g| if g % 2 == 0 { 0.2 } else { -0.2 })
                .collect(),
        },
        noise: Noise {
            technical: 0.01,
            technical_low_count: 0.0,
            biological: vec![0.0; N_GENES],
        },
        perturbations: Vec::new(),
    };
    let disease = |id: &str, context: usize, gene: usize| DiseaseEffect {
        id: id.into(),
        label: format!("label of {id}"),
        context,
        source: "test set".into(),
        per_sample: true,
        genes: vec![gene as u32],
        log_fold_changes: vec![1.5],
        severity_sd: 0.3,
        spread: 1.5,
        noise: None,
    };
    let states = States {
        diseases: vec![disease(CROHN, 0, CROHN_GENE), disease(COVID, 1, 2)],
        ages: vec![AgeEffect {
            contexts: vec![0],
            source: "test ages".into(),
            min_years: 20.0,
            max_years: 70.0,
            reference_years: 45.0,
            ages: vec![20.0, 45.0, 70.0],
            genes: vec![AGE_GENE as u32],
            per_year: vec![0.02],
        }],
        spread: vec![1.0, 2.0, 1.0],
        noise: Vec::new(),
    };
    BulkModel::new(params)
        .expect("valid model")
        .with_states(states)
        .expect("valid states")
}

/// An age condition
fn age(years: f64) -> Term {
    (
        MetadataKey::AgeYears,
        ConditionValue {
            given: format!("{years}"),
            canonical: CanonicalValue::Number(years),
        },
    )
}

/// Expected values of one deterministic sample
fn mean_of(model: &BulkModel, conditions: Vec<Term>) -> (Vec<f32>, Vec<String>) {
    let q = query(
        SamplingStrategy::MeanEstimation,
        true,
        vec![(conditions, 1)],
    );
    let output = model.generate(&q, 7, &mut |_, _| {}).expect("generates");
    let row = match output.matrix.values() {
        ExpressionValues::Expected(dense) => dense.rows().next().expect("a row").to_vec(),
        other => panic!("expected values, got {other:?}"),
    };
    (row, output.warnings.clone())
}

fn error_of(model: &BulkModel, conditions: Vec<Term>) -> GenerateError {
    let q = query(
        SamplingStrategy::SampleGeneration,
        false,
        vec![(conditions, 2)],
    );
    model
        .generate(&q, 1, &mut |_, _| {})
        .expect_err("the query is rejected")
}

#[test]
fn a_disease_adds_its_effect_on_its_context() {
    let model = model();
    let (healthy, _) = mean_of(
        &model,
        vec![
            term(MetadataKey::TissueOntologyId, COLON),
            term(MetadataKey::DiseaseOntologyId, HEALTHY),
            age(45.0),
        ],
    );
    let (crohn, _) = mean_of(
        &model,
        vec![
            term(MetadataKey::TissueOntologyId, COLON),
            term(MetadataKey::DiseaseOntologyId, CROHN),
            age(45.0),
        ],
    );
    let ratio = |g: usize| (crohn[g] / healthy[g]).ln();
    // The effect gene moves by 1.5 relative to an unchanged gene
    assert!((ratio(CROHN_GENE) - ratio(0) - 1.5).abs() < 1e-3);
    assert!((ratio(1) - ratio(0)).abs() < 1e-4);
}

#[test]
fn a_disease_on_another_tissue_is_an_error_naming_its_tissue() {
    let model = model();
    let error = error_of(
        &model,
        vec![
            term(MetadataKey::TissueOntologyId, BLOOD),
            term(MetadataKey::DiseaseOntologyId, CROHN),
        ],
    );
    let text = error.to_string();
    assert!(
        matches!(error, GenerateError::DiseaseTissue { .. }),
        "{text}"
    );
    assert!(
        text.contains(CROHN) && text.contains(COLON) && text.contains(BLOOD),
        "{text}"
    );
    let error = error_of(
        &model,
        vec![
            term(MetadataKey::CellLineOntologyId, K562),
            term(MetadataKey::DiseaseOntologyId, COVID),
        ],
    );
    assert!(error.to_string().contains(BLOOD), "{error}");
}

#[test]
fn the_healthy_value_is_accepted_on_cell_lines_and_filled_in_on_tissues() {
    let model = model();
    let q = query(
        SamplingStrategy::SampleGeneration,
        false,
        vec![
            (
                vec![
                    term(MetadataKey::CellLineOntologyId, K562),
                    term(MetadataKey::DiseaseOntologyId, HEALTHY),
                ],
                2,
            ),
            (vec![term(MetadataKey::TissueOntologyId, BLOOD)], 40),
        ],
    );
    let output = model.generate(&q, 3, &mut |_, _| {}).expect("generates");
    let diseases: Vec<String> = output.matrix.samples()[2..]
        .iter()
        .filter_map(|s| s.fields.iter().find(|f| f.key == "disease_ontology_id"))
        .inspect(|f| assert!(f.inferred))
        .map(|f| f.value.clone())
        .collect();
    // Blood without a disease: drawn from the training mix (1 healthy : 3 COVID-19)
    let covid = diseases.iter().filter(|d| *d == COVID).count();
    assert_eq!(diseases.len(), 40);
    assert!((20..40).contains(&covid), "{covid} of 40 COVID-19");
    assert!(diseases.iter().any(|d| d == HEALTHY));
}

#[test]
fn ages_are_clamped_with_a_warning_and_inferred_when_left_out() {
    let model = model();
    let colon = || {
        vec![
            term(MetadataKey::TissueOntologyId, COLON),
            term(MetadataKey::DiseaseOntologyId, HEALTHY),
        ]
    };
    let at = |years: f64| {
        let mut c = colon();
        c.push(age(years));
        mean_of(&model, c)
    };
    let (young, none) = at(25.0);
    let (old, _) = at(65.0);
    assert!(none.is_empty(), "{none:?}");
    let change = (old[AGE_GENE] / young[AGE_GENE]).ln() - (old[0] / young[0]).ln();
    assert!((change - 0.8).abs() < 1e-3, "40 years x 0.02: {change}");
    let (clamped, warnings) = at(95.0);
    let (oldest, _) = at(70.0);
    assert_eq!(clamped, oldest);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("95") && w.contains("20 to 70")),
        "{warnings:?}"
    );
    let q = query(SamplingStrategy::MeanEstimation, true, vec![(colon(), 1)]);
    let output = model.generate(&q, 1, &mut |_, _| {}).expect("generates");
    let inferred = output.matrix.samples()[0]
        .fields
        .iter()
        .find(|f| f.key == "age_years")
        .expect("age filled in");
    assert!(inferred.inferred);
    assert_eq!(inferred.value, "45");
}

#[test]
fn an_age_on_a_cell_line_is_an_error_and_on_a_tissue_without_ages_a_warning() {
    let model = model();
    let error = error_of(
        &model,
        vec![term(MetadataKey::CellLineOntologyId, K562), age(30.0)],
    );
    let text = error.to_string();
    assert!(
        matches!(error, GenerateError::AgeNotModelled { .. }),
        "{text}"
    );
    assert!(
        text.contains("colon") && text.contains("20 to 70"),
        "{text}"
    );
    let (_, warnings) = mean_of(
        &model,
        vec![
            term(MetadataKey::TissueOntologyId, BLOOD),
            term(MetadataKey::DiseaseOntologyId, COVID),
            age(60.0),
        ],
    );
    assert!(
        warnings.iter().any(|w| w.contains("no age data")),
        "{warnings:?}"
    );
}

#[test]
fn states_survive_the_bundle_round_trip() {
    let model = model();
    let bytes = synthome_model::bundle::write_with_states(model.params(), model.states());
    let read = synthome_model::bundle::read(&bytes).expect("reads");
    assert_eq!(read.states(), model.states());
    let plain = synthome_model::bundle::write(model.params());
    assert!(
        synthome_model::bundle::read(&plain)
            .expect("reads")
            .states()
            .diseases
            .is_empty()
    );
}

#[test]
fn any_age_and_disease_either_generates_deterministically_or_names_the_problem() {
    // Seeded sweep: ages 0 to 150 in uneven steps, every disease value on every context
    let model = model();
    let contexts = [
        term(MetadataKey::TissueOntologyId, COLON),
        term(MetadataKey::TissueOntologyId, BLOOD),
        term(MetadataKey::CellLineOntologyId, K562),
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for step in 0..60 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let years = (state % 1501) as f64 / 10.0;
        let disease = [HEALTHY, CROHN, COVID][step % 3];
        let place = contexts[(step / 3) % 3].clone();
        let mut conditions = vec![place, term(MetadataKey::DiseaseOntologyId, disease)];
        if step % 2 == 0 {
            conditions.push(age(years));
        }
        let q = query(
            SamplingStrategy::SampleGeneration,
            false,
            vec![(conditions, 3)],
        );
        match model.generate(&q, step as u64, &mut |_, _| {}) {
            Ok(first) => {
                let again = model
                    .generate(&q, step as u64, &mut |_, _| {})
                    .expect("again");
                assert_eq!(first.matrix.values(), again.matrix.values());
            }
            Err(error) => {
                let text = error.to_string();
                assert!(
                    text.starts_with("inputs[0]") && text.contains("remove"),
                    "{text}"
                );
            }
        }
    }
}

#[test]
fn the_disease_arm_and_blood_spread_more_than_the_healthy_colon() {
    let model = model();
    let spread = |conditions: Vec<Term>| -> f64 {
        let q = query(
            SamplingStrategy::MeanEstimation,
            false,
            vec![(conditions, 200)],
        );
        let output = model.generate(&q, 11, &mut |_, _| {}).expect("generates");
        let ExpressionValues::Expected(dense) = output.matrix.values() else {
            panic!("expected values")
        };
        let values: Vec<f64> = dense
            .rows()
            .map(|row| f64::from(row[0] / row[1]).ln())
            .collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64).sqrt()
    };
    let healthy = spread(vec![
        term(MetadataKey::TissueOntologyId, COLON),
        term(MetadataKey::DiseaseOntologyId, HEALTHY),
        age(45.0),
    ]);
    let crohn = spread(vec![
        term(MetadataKey::TissueOntologyId, COLON),
        term(MetadataKey::DiseaseOntologyId, CROHN),
        age(45.0),
    ]);
    let blood = spread(vec![
        term(MetadataKey::TissueOntologyId, BLOOD),
        term(MetadataKey::DiseaseOntologyId, HEALTHY),
    ]);
    assert!(crohn > 1.2 * healthy, "{crohn} vs {healthy}");
    assert!(blood > 1.6 * healthy, "{blood} vs {healthy}");
}

/// The states model with a blood family noise: one factor moving only gene 3, and a large
/// biological dispersion on gene 4
fn model_with_blood_noise() -> BulkModel {
    let model = model();
    let mut states = model.states().clone();
    states.noise = vec![FamilyNoise {
        name: "blood".into(),
        contexts: vec![1],
        n_factors: 1,
        loadings: (0..N_GENES)
            .map(|g| if g == 3 { 0.8 } else { 0.0 })
            .collect(),
        biological: (0..N_GENES)
            .map(|g| if g == 4 { 0.5 } else { 0.0 })
            .collect(),
    }];
    BulkModel::new(model.params().clone())
        .expect("valid model")
        .with_states(states)
        .expect("valid states")
}

/// SD over 300 samples of ln(value of `gene` / value of gene 1)
fn log_ratio_sd(model: &BulkModel, strategy: SamplingStrategy, tissue: &str, gene: usize) -> f64 {
    let q = query(
        strategy,
        false,
        vec![(
            vec![
                term(MetadataKey::TissueOntologyId, tissue),
                term(MetadataKey::DiseaseOntologyId, HEALTHY),
            ],
            300,
        )],
    );
    let output = model.generate(&q, 5, &mut |_, _| {}).expect("generates");
    let values: Vec<f64> = match output.matrix.values() {
        ExpressionValues::Expected(dense) => dense
            .rows()
            .map(|row| f64::from(row[gene] / row[1]).ln())
            .collect(),
        ExpressionValues::Counts(dense) => dense
            .rows()
            .map(|row| (f64::from(row[gene]) + 0.5).ln() - (f64::from(row[1]) + 0.5).ln())
            .collect(),
        other => panic!("unexpected values {other:?}"),
    };
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64).sqrt()
}

#[test]
fn a_family_with_its_own_noise_varies_along_its_own_factors_and_dispersion() {
    let plain = model();
    let family = model_with_blood_noise();
    let mean = SamplingStrategy::MeanEstimation;
    // The model's factor moves genes 0 and 1 apart (even +, odd -): blood no longer does
    assert!(log_ratio_sd(&plain, mean, BLOOD, 0) > 0.3);
    assert!(log_ratio_sd(&family, mean, BLOOD, 0) < 1e-6);
    // The family's factor moves gene 3 only
    assert!(log_ratio_sd(&family, mean, BLOOD, 3) > 0.5);
    // Colon keeps the model's noise, bit for bit
    let colon = |model: &BulkModel| {
        let q = query(
            SamplingStrategy::SampleGeneration,
            false,
            vec![(vec![term(MetadataKey::TissueOntologyId, COLON)], 20)],
        );
        model.generate(&q, 9, &mut |_, _| {}).expect("generates")
    };
    assert_eq!(
        colon(&plain).matrix.values(),
        colon(&family).matrix.values()
    );
    // The family's biological dispersion widens gene 4's counts in blood only
    let counts = SamplingStrategy::SampleGeneration;
    let wide = log_ratio_sd(&family, counts, BLOOD, 4);
    let narrow = log_ratio_sd(&family, counts, BLOOD, 2);
    assert!(wide > 1.5 * narrow, "{wide} vs {narrow}");
}

#[test]
fn family_noise_survives_the_bundle_round_trip_and_bad_noise_is_refused() {
    let model = model_with_blood_noise();
    let bytes = synthome_model::bundle::write_with_states(model.params(), model.states());
    let read = synthome_model::bundle::read(&bytes).expect("reads");
    assert_eq!(read.states().noise.len(), 1);
    assert_eq!(read.states().noise[0].contexts, vec![1]);
    assert!((read.states().noise[0].loadings[3] - 0.8).abs() < 1e-3);
    let mut states = model.states().clone();
    states.noise[0].n_factors = 2;
    let error = BulkModel::new(model.params().clone())
        .expect("valid model")
        .with_states(states.clone())
        .expect_err("two factors on a one-factor model");
    assert!(error.to_string().contains("at most"), "{error}");
    states.noise[0].n_factors = 1;
    states.noise.push(states.noise[0].clone());
    let error = BulkModel::new(model.params().clone())
        .expect("valid model")
        .with_states(states)
        .expect_err("a context in two families");
    assert!(error.to_string().contains("one family"), "{error}");
}

/// The states model whose COVID-19 arm has its own noise: one factor moving only gene 3
fn model_with_covid_arm_noise() -> BulkModel {
    let model = model();
    let mut states = model.states().clone();
    states.noise = vec![FamilyNoise {
        name: "COVID-19 arm".into(),
        contexts: Vec::new(),
        n_factors: 1,
        loadings: (0..N_GENES)
            .map(|g| if g == 3 { 0.8 } else { 0.0 })
            .collect(),
        biological: vec![0.0; N_GENES],
    }];
    let covid = states
        .diseases
        .iter()
        .position(|disease| disease.id == COVID)
        .expect("the model has COVID-19");
    states.diseases[covid].noise = Some(0);
    BulkModel::new(model.params().clone())
        .expect("valid model")
        .with_states(states)
        .expect("valid states")
}

/// SD over 300 expected samples of ln(value of `gene` / value of gene 1) in blood with `disease`
fn blood_log_ratio_sd(model: &BulkModel, disease: &str, gene: usize) -> f64 {
    let q = query(
        SamplingStrategy::MeanEstimation,
        false,
        vec![(
            vec![
                term(MetadataKey::TissueOntologyId, BLOOD),
                term(MetadataKey::DiseaseOntologyId, disease),
            ],
            300,
        )],
    );
    let output = model.generate(&q, 5, &mut |_, _| {}).expect("generates");
    let ExpressionValues::Expected(dense) = output.matrix.values() else {
        panic!("expected values")
    };
    let values: Vec<f64> = dense
        .rows()
        .map(|row| f64::from(row[gene] / row[1]).ln())
        .collect();
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64).sqrt()
}

#[test]
fn a_disease_arm_with_its_own_noise_varies_along_it_and_healthy_samples_do_not() {
    let plain = model();
    let own = model_with_covid_arm_noise();
    // The arm's factor moves gene 3 only; the model's (genes 0 and 1 apart) is gone for it
    assert!(blood_log_ratio_sd(&own, COVID, 3) > 0.5);
    assert!(blood_log_ratio_sd(&own, COVID, 0) < 1e-6);
    assert!(blood_log_ratio_sd(&plain, COVID, 0) > 0.3);
    // Healthy blood keeps the model's noise
    assert!(blood_log_ratio_sd(&own, HEALTHY, 0) > 0.3);
    assert!(blood_log_ratio_sd(&own, HEALTHY, 3) < 1e-6);
    // Through the bundle: the arm's noise and its link survive
    let bytes = synthome_model::bundle::write_with_states(own.params(), own.states());
    let read = synthome_model::bundle::read(&bytes).expect("reads");
    let covid = read
        .states()
        .diseases
        .iter()
        .find(|disease| disease.id == COVID)
        .expect("COVID-19 read back");
    assert_eq!(covid.noise, Some(0));
    assert!(read.states().noise[0].contexts.is_empty());
    // A link to a noise the model lacks is refused
    let mut states = own.states().clone();
    states.noise.clear();
    let error = BulkModel::new(own.params().clone())
        .expect("valid model")
        .with_states(states)
        .expect_err("a disease noise that is not there");
    assert!(error.to_string().contains("its own noise"), "{error}");
}
