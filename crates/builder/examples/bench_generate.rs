//! Generation speed on a real bundle: `cargo run --release -p synthome-builder --example
//! bench_generate -- public/models/synthome-bulk-v1.bundle`; prints samples/s for sample
//! generation and mean estimation at 1 and 1,000 samples (one core, best of 5 runs)

use std::process::ExitCode;
use std::time::Instant;

use synthome_query::{
    CanonicalValue, ConditionValue, Conditions, MetadataKey, SamplingStrategy, ValidInput,
    ValidQuery,
};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: bench_generate BUNDLE");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("cannot read {path}: {error}");
            return ExitCode::from(1);
        }
    };
    let started = Instant::now();
    let model = match synthome_model::bundle::read(&bytes) {
        Ok(model) => model,
        Err(error) => {
            eprintln!("cannot load {path}: {error}");
            return ExitCode::from(1);
        }
    };
    println!(
        "bundle loaded in {:.0} ms; {} genes, {} factors",
        started.elapsed().as_secs_f64() * 1e3,
        model.n_genes(),
        model.params().latent.n_factors
    );
    println!("| strategy | samples | seconds (best of 5) | samples/s |");
    println!("|---|---|---|---|");
    for strategy in [
        SamplingStrategy::SampleGeneration,
        SamplingStrategy::MeanEstimation,
    ] {
        for samples in [1u32, 1000] {
            let mut metadata = Conditions::new();
            metadata.insert(
                MetadataKey::TissueOntologyId,
                ConditionValue {
                    given: "UBERON:0002107".into(),
                    canonical: CanonicalValue::Term("UBERON:0002107".into()),
                },
            );
            let query = ValidQuery {
                sampling_strategy: strategy,
                inputs: vec![ValidInput {
                    metadata,
                    num_samples: samples,
                }],
                total_count: 1e7,
                deterministic_latents: false,
                seed: Some(1),
            };
            let mut best = f64::INFINITY;
            for run in 0..5 {
                let started = Instant::now();
                if let Err(error) = model.generate(&query, run, &mut |_, _| {}) {
                    eprintln!("generation failed: {error}");
                    return ExitCode::from(1);
                }
                best = best.min(started.elapsed().as_secs_f64());
            }
            println!(
                "| {strategy} | {samples} | {best:.4} | {:.0} |",
                f64::from(samples) / best
            );
        }
    }
    ExitCode::SUCCESS
}
