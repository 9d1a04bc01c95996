//! Generation speed on the committed bulk bundle, natively and in wasm (a benchmark, not a
//! timed test: ignored unless asked for)
//!
//! Native: `cargo test --release -p synthome-model --test bench -- --ignored --nocapture`;
//! wasm (Node, one thread): the same with `--target wasm32-unknown-unknown` and
//! `-- --include-ignored --nocapture`. Prints samples/s for both strategies at 1 and 1,000
//! samples (best of 5 runs, each of at least 200 samples), from wall-clock time and, natively,
//! from the generating thread's CPU time.

use synthome_query::{
    CanonicalValue, ConditionValue, Conditions, MetadataKey, SamplingStrategy, ValidInput,
    ValidQuery,
};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The committed bulk bundle
const BUNDLE: &[u8] = include_bytes!("../../../public/models/synthome-bulk-v1.bundle");

/// Wall-clock seconds since an arbitrary origin
fn wall() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now() / 1e3
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::OnceLock;
        use std::time::Instant;
        static ORIGIN: OnceLock<Instant> = OnceLock::new();
        ORIGIN.get_or_init(Instant::now).elapsed().as_secs_f64()
    }
}

/// CPU seconds of this thread (from /proc/thread-self/schedstat, updated every few
/// milliseconds; other processes on a shared machine do not count), where available
fn cpu() -> Option<f64> {
    if cfg!(target_arch = "wasm32") {
        return None;
    }
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(text.split_whitespace().next()?.parse::<f64>().ok()? / 1e9)
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
            first_sample: 0,
        }],
        total_count: 1e7,
        deterministic_latents: false,
        seed: Some(1),
    }
}

#[test]
#[ignore = "a benchmark: run with --ignored (native) or --include-ignored (wasm)"]
fn samples_per_second() {
    let model = synthome_model::bundle::read(BUNDLE).expect("the committed bundle loads");
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
    print("| strategy | samples | samples/s (wall) | samples/s (CPU time) |");
    print("|---|---|---|---|");
    for strategy in [
        SamplingStrategy::SampleGeneration,
        SamplingStrategy::MeanEstimation,
    ] {
        for samples in [1u32, 1000] {
            let query = liver_query(strategy, samples);
            // Small queries are repeated so that each timing covers ~200 samples
            let repeats = (200 / samples).max(1);
            let (mut best_wall, mut best_cpu) = (f64::INFINITY, f64::INFINITY);
            for run in 0..5 {
                let (wall_start, cpu_start) = (wall(), cpu());
                for repeat in 0..repeats {
                    let output = model
                        .generate(&query, u64::from(run * repeats + repeat), &mut |_, _| {})
                        .expect("the query generates");
                    assert_eq!(output.matrix.n_samples(), samples as usize);
                }
                let per_query = |seconds: f64| seconds / f64::from(repeats);
                best_wall = best_wall.min(per_query(wall() - wall_start));
                if let (Some(start), Some(end)) = (cpu_start, cpu()) {
                    best_cpu = best_cpu.min(per_query(end - start));
                }
            }
            let rate = |seconds: f64| {
                if seconds.is_finite() {
                    format!("{:.0}", f64::from(samples) / seconds)
                } else {
                    "-".to_owned()
                }
            };
            print(&format!(
                "| {strategy} | {samples} | {} | {} |",
                rate(best_wall),
                rate(best_cpu)
            ));
        }
    }
}
