//! Same model + query + seed must give the same bytes natively and in wasm
//!
//! Each case generates a query and prints `cross-platform <case> <sha256>` over the values'
//! bytes, the sample metadata and the warnings. The same file runs natively and under
//! `wasm-bindgen-test` in Node; `crates/model/tests/cross_platform.sh` runs both and compares
//! the lines. The cases are a deterministic fixture model (600 genes, realistic log CPM, six
//! factors, three contexts, a compound at three doses) and the committed bulk bundle with the
//! query of the native/wasm mismatch report.

mod support;

use rand::SeedableRng;
use rand_pcg::Pcg64;
use sha2::{Digest, Sha256};
use support::{
    card, cell_line_control, cell_line_treated, context, dose, genes, query, term, tissue,
};
use synthome_matrix::ExpressionValues;
use synthome_model::sampler;
use synthome_model::{
    BulkModel, BulkParams, Latent, Noise, Perturbation, PerturbationKind, ProfileSex, Response,
};
use synthome_query::{Limits, MetadataKey, ModelTarget, SamplingStrategy, ValidQuery};
use synthome_vocab::Vocabulary;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const N_GENES: usize = 600;
const N_FACTORS: usize = 6;
const LIVER: &str = "UBERON:0002107";
const BRAIN: &str = "UBERON:0000955";
const A375: &str = "CVCL_0132";
const DRUG: &str = "CHEMBL1229517";

/// The committed bulk bundle
const REAL_BUNDLE: &[u8] = include_bytes!("../../../public/models/synthome-bulk-v1.bundle");

/// Prints one case's hash where both test runners show it
fn report(case: &str, hash: &str) {
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::console_log!("cross-platform {case} {hash}");
    #[cfg(not(target_arch = "wasm32"))]
    println!("cross-platform {case} {hash}");
}

/// Uniform in [0, 1) from 53 bits (the sampler's): exact on every platform
fn uniform(rng: &mut Pcg64) -> f32 {
    sampler::uniform(rng) as f32
}

/// A roughly standard normal value from basic arithmetic only (sum of four uniforms)
fn gaussian(rng: &mut Pcg64) -> f32 {
    let sum: f32 = (0..4).map(|_| uniform(rng)).sum();
    (sum - 2.0) * 1.732_050_8
}

/// A profile like real log CPM (natural log): mean about 1, spread 2.5, from -6 to 10
fn profile(rng: &mut Pcg64, shift: f32) -> Vec<f32> {
    (0..N_GENES)
        .map(|_| (1.0 + shift + 2.5 * gaussian(rng)).clamp(-6.0, 10.0))
        .collect()
}

/// The fixture: liver (mixed sex), brain (mixed) and A375 (female, control and a compound
/// measured at three doses), six factors, dispersions from 0.005 to 0.8
fn fixture() -> BulkModel {
    let mut rng = Pcg64::seed_from_u64(20_261_125);
    let liver = profile(&mut rng, 0.0);
    let brain = profile(&mut rng, 0.2);
    let a375 = profile(&mut rng, -0.1);
    let sex_effect: Vec<f32> = (0..N_GENES)
        .map(|g| {
            if g % 50 == 3 {
                2.5
            } else {
                0.02 * gaussian(&mut rng)
            }
        })
        .collect();
    let loadings: Vec<f32> = (0..N_FACTORS * N_GENES)
        .map(|i| (0.35 / (1.0 + (i / N_GENES) as f32)) * gaussian(&mut rng))
        .collect();
    let biological: Vec<f32> = (0..N_GENES)
        .map(|_| 0.005 + 0.8 * uniform(&mut rng) * uniform(&mut rng))
        .collect();
    let response = |rng: &mut Pcg64, dose: f64, strength: f32| {
        let genes: Vec<u32> = (0..N_GENES as u32).filter(|g| g % 7 == 2).collect();
        let log_fold_changes = genes.iter().map(|_| strength * gaussian(rng)).collect();
        Response {
            dose_um: Some(dose),
            time_hours: Some(24.0),
            genes,
            log_fold_changes,
        }
    };
    let responses = vec![
        response(&mut rng, 0.1, 0.2),
        response(&mut rng, 1.0, 0.6),
        response(&mut rng, 10.0, 1.5),
    ];
    let treated = |dose: f64, text: &str| cell_line_treated((2, A375), DRUG, (dose, text), 2.0);
    let params = BulkParams {
        card: card("fixture", "fixture"),
        genes: genes(N_GENES),
        vocabulary: Vocabulary::new(),
        contexts: vec![
            context("liver", liver, ProfileSex::Mixed),
            context("brain", brain, ProfileSex::Mixed),
            context("A375", a375, ProfileSex::Female),
        ],
        conditions: vec![
            tissue(0, LIVER, "female", 3.0),
            tissue(0, LIVER, "male", 2.0),
            tissue(1, BRAIN, "female", 1.0),
            tissue(1, BRAIN, "male", 1.5),
            cell_line_control(2, A375, 4.0),
            treated(0.1, "0.1 um"),
            treated(1.0, "1 um"),
            treated(10.0, "10 um"),
        ],
        sex_effect,
        latent: Latent {
            n_factors: N_FACTORS,
            loadings,
        },
        noise: Noise {
            technical: 0.01,
            technical_low_count: 0.4,
            biological,
        },
        perturbations: vec![Perturbation {
            id: DRUG.into(),
            kind: PerturbationKind::Compound,
            measured_in: Some(2),
            source: "fixture plate".into(),
            responses,
        }],
    };
    BulkModel::new(params).expect("the fixture model is valid")
}

/// Liver female, brain with sex drawn, A375 + the compound at an interpolated dose, and
/// liver + the compound (a transferred response)
fn fixture_query(strategy: SamplingStrategy, deterministic: bool) -> ValidQuery {
    let inputs = vec![
        (
            vec![
                term(MetadataKey::TissueOntologyId, LIVER),
                term(MetadataKey::Sex, "female"),
            ],
            4,
        ),
        (vec![term(MetadataKey::TissueOntologyId, BRAIN)], 3),
        (
            vec![
                term(MetadataKey::CellLineOntologyId, A375),
                term(MetadataKey::PerturbationOntologyId, DRUG),
                dose(3.0),
            ],
            3,
        ),
        (
            vec![
                term(MetadataKey::TissueOntologyId, LIVER),
                term(MetadataKey::PerturbationOntologyId, DRUG),
            ],
            2,
        ),
    ];
    query(strategy, deterministic, inputs)
}

/// sha256 over the values' little-endian bytes, the samples' metadata and the warnings
fn output_hash(model: &BulkModel, query: &ValidQuery, seed: u64) -> String {
    let output = model
        .generate(query, seed, &mut |_, _| {})
        .expect("the query generates");
    let mut hasher = Sha256::new();
    match output.matrix.values() {
        ExpressionValues::Counts(dense) => {
            hasher.update(b"counts");
            for value in dense.data() {
                hasher.update(value.to_le_bytes());
            }
        }
        ExpressionValues::Expected(dense) => {
            hasher.update(b"expected");
            for value in dense.data() {
                hasher.update(value.to_bits().to_le_bytes());
            }
        }
        ExpressionValues::SparseCounts(_) => panic!("the bulk model returns dense values"),
    }
    for sample in output.matrix.samples() {
        hasher.update(sample.sample_id.as_bytes());
        for field in &sample.fields {
            hasher.update(format!("{}={}:{};", field.key, field.value, field.inferred));
        }
    }
    for warning in &output.warnings {
        hasher.update(warning.as_bytes());
    }
    let digest = hasher.finalize();
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Hashes one case twice (generation must repeat exactly) and reports it
fn check(case: &str, model: &BulkModel, query: &ValidQuery, seed: u64) {
    let hash = output_hash(model, query, seed);
    assert_eq!(
        hash,
        output_hash(model, query, seed),
        "{case}: a second run differs"
    );
    report(case, &hash);
}

#[test]
fn fixture_hashes() {
    let model = fixture();
    check(
        "fixture-mean-deterministic",
        &model,
        &fixture_query(SamplingStrategy::MeanEstimation, true),
        1,
    );
    check(
        "fixture-mean-drawn",
        &model,
        &fixture_query(SamplingStrategy::MeanEstimation, false),
        20_261_125,
    );
    check(
        "fixture-sample-deterministic",
        &model,
        &fixture_query(SamplingStrategy::SampleGeneration, true),
        7,
    );
    check(
        "fixture-sample-drawn",
        &model,
        &fixture_query(SamplingStrategy::SampleGeneration, false),
        20_261_125,
    );
}

/// The query of the mismatch report, with the strategy and latents given
fn real_query(model: &BulkModel, strategy: &str, deterministic: bool) -> ValidQuery {
    let json = format!(
        r#"{{"sampling_strategy":"{strategy}","deterministic_latents":{deterministic},"inputs":[{{"metadata":{{"tissue_ontology_id":"UBERON:0002107","sex":"female","sample_type":"primary tissue"}},"num_samples":4}},{{"metadata":{{"tissue_ontology_id":"UBERON:0000955"}},"num_samples":3}}],"seed":20261125}}"#
    );
    let target = ModelTarget {
        name: "bulk model",
        vocabulary: model.vocabulary(),
        default_total_count: synthome_query::BULK_DEFAULT_TOTAL_COUNT,
        strategies: &SamplingStrategy::ALL,
    };
    synthome_query::parse_and_validate(&json, &target, &Limits::default())
        .expect("the reported query is valid for the bundle")
}

#[test]
fn real_bundle_hashes() {
    let model = synthome_model::bundle::read(REAL_BUNDLE).expect("the committed bundle loads");
    for (case, strategy, deterministic) in [
        ("real-mean-deterministic", "mean estimation", true),
        ("real-sample-drawn", "sample generation", false),
    ] {
        let query = real_query(&model, strategy, deterministic);
        let seed = query.seed.expect("the query has a seed");
        check(case, &model, &query, seed);
    }
}
