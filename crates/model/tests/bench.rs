//! Generation speed on the committed bulk bundle, natively and in wasm (a benchmark, not a
//! timed test: ignored unless asked for)
//!
//! Native: `cargo test --release -p synthome-model --test bench -- --ignored --nocapture`;
//! wasm (Node, one thread): the same with `--target wasm32-unknown-unknown` and
//! `-- --include-ignored --nocapture`. Prints samples/s for both strategies at 1 and 1,000
//! samples (best of 5 runs, each of at least 200 samples; natively in CPU time of the generating thread).

use synthome_query::{
    CanonicalValue, ConditionValue, Conditions, MetadataKey, SamplingStrategy, ValidInput,
    ValidQuery,
};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The committed bulk bundle
const BUNDLE: &[u8] = include_bytes!("../../../public/models/synthome-bulk-v1.bundle");

/// Seconds since an arbitrary origin: natively the thread's CPU time (from
/// /proc/thread-self/schedstat, so other processes on a shared machine do not count; wall
/// time where that file is missing), in wasm wall time
fn now() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now() / 1e3
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::OnceLock;
        use std::time::Instant;
        let cpu = std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|text| text.split_whitespace().next()?.parse::<f64>().ok());
        if let Some(nanoseconds) = cpu {
            return nanoseconds / 1e9;
        }
        static ORIGIN: OnceLock<Instant> = OnceLock::new();
        ORIGIN.get_or_init(Instant::now).elapsed().as_secs_f64()
    }
}

fn print(line: &str) {
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::console_log!("{line}");
    #[cfg(not(target_arch = "wasm32"))]
    println!("{line}");
}

fn liver_query(strategy: SamplingStrategy, samples: u32) -> ValidQuery {
    let mut metadata = Conditions::new();
    metadata.insert(
        MetadataKey::TissueOntologyId,
        ConditionValue {
            given: "UBERON:0002107".into(),
            canonical: CanonicalValue::Term("UBERON:0002107".into()),
        },
    );
    ValidQuery {
        sampling_strategy: strategy,
        inputs: vec![ValidInput {
            metadata,
            num_samples: samples,
        }],
        total_count: 1e7,
        deterministic_latents: false,
        seed: Some(1),
    }
}

#[test]
#[ignore = "a benchmark: run with --ignored (native) or --include-ignored (wasm)"]
fn samples_per_second() {
    let model = synthome_bundle::read(BUNDLE).expect("the committed bundle loads");
    print(&format!(
        "{} genes, {} factors; {}",
        model.n_genes(),
        model.params().latent.n_factors,
        if cfg!(target_arch = "wasm32") {
            "wasm32"
        } else {
            "native"
        }
    ));
    print("| strategy | samples | seconds per query (best of 5) | samples/s |");
    print("|---|---|---|---|");
    for strategy in [
        SamplingStrategy::SampleGeneration,
        SamplingStrategy::MeanEstimation,
    ] {
        for samples in [1u32, 1000] {
            let query = liver_query(strategy, samples);
            // Small queries are repeated so that each timing covers ~200 samples
            let repeats = (200 / samples).max(1);
            let mut best = f64::INFINITY;
            for run in 0..5 {
                let started = now();
                for repeat in 0..repeats {
                    let output = model
                        .generate(&query, u64::from(run * repeats + repeat), &mut |_, _| {})
                        .expect("the query generates");
                    assert_eq!(output.matrix.n_samples(), samples as usize);
                }
                best = best.min((now() - started) / f64::from(repeats));
            }
            print(&format!(
                "| {strategy} | {samples} | {best:.4} | {:.0} |",
                f64::from(samples) / best
            ));
        }
    }
}
