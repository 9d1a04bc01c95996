//! `sc-bench [BUNDLE]`: times single-cell generation natively on one core and prints a table
//! (cells, genes, strategy, total_count, seconds, non-zeros, CSR bytes per non-zero)
//!
//! The bundle defaults to `public/models/synthome-sc-v1.bundle`.

use std::process::ExitCode;
use std::time::Instant;

use synthome_matrix::ExpressionValues;
use synthome_query::{Limits, parse_and_validate};

/// Runs per case; the fastest is reported
const RUNS: usize = 3;

/// CPU seconds (user + system) this process has used, from `/proc/self/stat` (Linux, 100 Hz
/// ticks); `None` elsewhere. Reported beside wall time because the machine may be shared.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}

fn main() -> ExitCode {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "public/models/synthome-sc-v1.bundle".to_owned());
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("error: {path}: {error}");
            return ExitCode::from(1);
        }
    };
    let model = match synthome_sc_model::read(&bytes) {
        Ok(model) => model,
        Err(error) => {
            eprintln!("error: {path}: {error}");
            return ExitCode::from(1);
        }
    };
    println!(
        "bundle {path}: {} bytes, {} genes",
        bytes.len(),
        model.n_genes()
    );
    println!(
        "| cells | genes | metadata | strategy | total_count | wall seconds (best of {RUNS}) | CPU seconds (best) | non-zeros | non-zeros per cell | CSR bytes per non-zero |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    // any type (drawn over every group: Kang and atlas), one atlas type, one Kang type
    let any = "{}";
    let hepatocyte = r#"{"cell_type_ontology_id": "CL:0000182"}"#;
    let cd4 = r#"{"cell_type_ontology_id": "CL:0000624", "tissue_ontology_id": "UBERON:0000178"}"#;
    let cases = [
        (10_000u32, any, "sample generation", 10_000.0),
        (10_000, hepatocyte, "sample generation", 10_000.0),
        (10_000, cd4, "sample generation", 10_000.0),
        (10_000, any, "sample generation", 1_354.0),
        (1_000, any, "sample generation", 10_000.0),
        (1_000, any, "mean estimation", 10_000.0),
    ];
    for (cells, metadata, strategy, total_count) in cases {
        let json = format!(
            r#"{{"sampling_strategy": "{strategy}", "total_count": {total_count}, "seed": 1,
                "inputs": [{{"metadata": {metadata}, "num_samples": {cells}}}]}}"#
        );
        let query = match parse_and_validate(&json, &model.target(), &Limits::default()) {
            Ok(query) => query,
            Err(errors) => {
                eprintln!("error: {errors}");
                return ExitCode::from(1);
            }
        };
        let mut best = f64::INFINITY;
        let mut best_cpu = f64::INFINITY;
        let mut nnz = 0usize;
        let mut csr_bytes = 0usize;
        for _ in 0..RUNS {
            let start = Instant::now();
            let cpu_start = cpu_seconds();
            let output = match model.generate(&query, 1, &mut |_, _| {}) {
                Ok(output) => output,
                Err(error) => {
                    eprintln!("error: {error}");
                    return ExitCode::from(1);
                }
            };
            best = best.min(start.elapsed().as_secs_f64());
            if let (Some(before), Some(after)) = (cpu_start, cpu_seconds()) {
                best_cpu = best_cpu.min(after - before);
            }
            match output.matrix.values() {
                ExpressionValues::SparseCounts(csr) => {
                    nnz = csr.nnz();
                    csr_bytes = 4 * (csr.indptr().len() + csr.indices().len() + csr.data().len());
                }
                other => {
                    nnz = other.n_rows() * other.n_cols();
                    csr_bytes = 0;
                }
            }
        }
        let per_nnz = if csr_bytes > 0 {
            format!("{:.2}", csr_bytes as f64 / nnz.max(1) as f64)
        } else {
            "dense".to_owned()
        };
        println!(
            "| {cells} | {} | `{metadata}` | {strategy} | {total_count} | {best:.3} | {best_cpu:.2} | {nnz} | {:.0} | {per_nnz} |",
            model.n_genes(),
            nnz as f64 / f64::from(cells)
        );
    }
    ExitCode::SUCCESS
}
