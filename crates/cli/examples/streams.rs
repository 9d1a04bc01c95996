//! Memory and size of `synthome generate` written in parts: for every format it runs the
//! release binary under `/usr/bin/time -v` on a bulk query of INPUTS inputs of N samples (default
//! 2 x 10,000 = 20,000 samples) and prints peak RSS, wall time and the size of what was written;
//! then the h5ad of 1,000 bulk samples against anndata's own gzip write of the same matrix
//! (`$SYNTHOME_PYTHON`, else `python3`, with anndata).
//!
//! ```text
//! cargo build --release -p synthome-cli --bin synthome --example streams
//! target/release/examples/streams [--inputs 2] [--samples 10000] [--formats json,csv,...] [--dir DIR]
//! ```
//!
//! Measured (2 shared cores, 2026-12-02; 20,357 genes; 2 x 10,000 bulk samples), after the
//! inputs were split into parts of about 800 samples:
//!
//! | format | peak RSS (MB) | wall (s) | written (MB) |
//! |---|---:|---:|---:|
//! | json | 162 | 12.5 | 1,245 |
//! | h5ad | 238 | 16.5 | 583 |
//! | parquet (row groups of 1,024) | 714 | 16.1 | 919 |
//! | parquet (groups of 3,296 written a column at a time, 2026-12-03) | 522 | 13.5 | 848 |
//!
//! (Before the split, bounded by one input of 10,000 samples: json 865, csv/tsv/gct 872, mex
//! 873, h5ad 912, parquet 1,387 MB.) Parquet grows with the row groups it has written: the
//! writer keeps each group's column-chunk metadata for the footer, about 12 MB per group of
//! 20,357 columns. Through ArrowWriter, which encodes every column of the open group at once
//! (~8 bytes per buffered value), 100,000 samples peaked at 1,882 MB (groups of 1,024) and
//! 1,302 MB (2,048); buffered as plain counts and written a column at a time in groups of
//! 3,296 samples (`parquet_out/row_groups.rs`), 920 MB (75 s, 4,310 MB written). h5ad of
//! 1,000 samples: 30.0 MB, against anndata's gzip write of the same matrix: 51.4 MB (CSR
//! int32), 32.0 MB (dense int32), 34.2 MB (dense float32).

use std::path::{Path, PathBuf};
use std::process::Command;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const FORMATS: [(&str, &str); 8] = [
    ("json", "out.json"),
    ("csv", "out.csv"),
    ("tsv", "out.tsv"),
    ("gct", "out.gct"),
    ("mex", "out.mex"),
    ("mex", "out.zip"),
    ("h5ad", "out.h5ad"),
    ("parquet", "out.parquet"),
];

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| {
        args.iter()
            .position(|arg| arg == name)
            .and_then(|at| args.get(at + 1))
            .cloned()
    };
    let inputs: usize = value("--inputs").map_or(Ok(2), |text| text.parse())?;
    let samples: usize = value("--samples").map_or(Ok(10_000), |text| text.parse())?;
    let only: Option<Vec<String>> =
        value("--formats").map(|list| list.split(',').map(str::to_string).collect());
    let dir = value("--dir").map_or_else(
        || std::env::temp_dir().join(format!("synthome-streams-{}", std::process::id())),
        PathBuf::from,
    );
    std::fs::create_dir_all(&dir)?;
    let binary = binary()?;
    let query = dir.join("query.json");
    std::fs::write(&query, bulk_query(inputs, samples))?;
    println!(
        "synthome generate, gem-1-bulk, {inputs} inputs x {samples} samples = {} samples",
        inputs * samples
    );
    println!("| format | out | peak RSS (MB) | wall (s) | written (MB) |");
    println!("|---|---|---:|---:|---:|");
    for (format, out) in FORMATS {
        if only
            .as_ref()
            .is_some_and(|only| !only.iter().any(|name| name == format || name == out))
        {
            continue;
        }
        let (rss_kb, wall) = timed(&binary, &query, format, &dir.join(out))?;
        let written = remove_outputs(&dir)?;
        println!(
            "| {format} | {out} | {:.0} | {wall:.1} | {:.0} |",
            rss_kb as f64 / 1024.0,
            written as f64 / 1e6
        );
    }
    h5ad_sizes(&binary, &dir)?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// `$SYNTHOME_BIN`, else the `synthome` binary of the same build as this example.
fn binary() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("SYNTHOME_BIN") {
        return Ok(PathBuf::from(path));
    }
    let exe = std::env::current_exe()?;
    exe.parent()
        .and_then(|examples| examples.parent())
        .map(|profile| profile.join("synthome"))
        .filter(|path| path.exists())
        .ok_or_else(|| "no synthome binary beside the example; set SYNTHOME_BIN".into())
}

fn bulk_query(inputs: usize, samples: usize) -> String {
    let metadata = [
        r#"{"tissue_ontology_id": "UBERON:0002107", "sex": "female"}"#,
        r#"{"sex": "male"}"#,
        r#"{"tissue_ontology_id": "UBERON:0000955"}"#,
        r#"{}"#,
    ];
    let inputs: Vec<String> = (0..inputs)
        .map(|input| {
            format!(
                r#"{{"metadata": {}, "num_samples": {samples}}}"#,
                metadata[input % metadata.len()]
            )
        })
        .collect();
    format!(
        r#"{{"sampling_strategy": "sample generation", "seed": 7, "inputs": [{}]}}"#,
        inputs.join(", ")
    )
}

/// Peak RSS (kB) and wall seconds of one `generate`.
fn timed(binary: &Path, query: &Path, format: &str, out: &Path) -> Result<(u64, f64)> {
    let started = std::time::Instant::now();
    let output = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(binary)
        .args([
            "generate",
            "-m",
            "gem-1-bulk",
            "--quiet",
            "-f",
            format,
            "-q",
        ])
        .arg(query)
        .arg("-o")
        .arg(out)
        .output()?;
    let wall = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("{format}: {stderr}").into());
    }
    let rss = stderr
        .lines()
        .find_map(|line| {
            line.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|value| value.trim().parse().ok())
        .ok_or("no peak RSS in /usr/bin/time's report")?;
    Ok((rss, wall))
}

/// Removes everything in `dir` but the query; returns the bytes removed.
fn remove_outputs(dir: &Path) -> Result<u64> {
    let mut bytes = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.file_name().is_some_and(|name| name == "query.json") {
            continue;
        }
        if path.is_dir() {
            for file in std::fs::read_dir(&path)? {
                bytes += file?.metadata()?.len();
            }
            std::fs::remove_dir_all(&path)?;
        } else {
            bytes += path.metadata()?.len();
            std::fs::remove_file(&path)?;
        }
    }
    Ok(bytes)
}

/// The h5ad of 1,000 bulk samples against anndata's gzip writes of the same matrix.
fn h5ad_sizes(binary: &Path, dir: &Path) -> Result<()> {
    let query = dir.join("query-1000.json");
    std::fs::write(&query, bulk_query(1, 1_000))?;
    let ours = dir.join("ours.h5ad");
    timed(binary, &query, "h5ad", &ours)?;
    let python =
        std::env::var_os("SYNTHOME_PYTHON").map_or_else(|| "python3".into(), PathBuf::from);
    let script = r#"
import os, sys, anndata, numpy as np
ours = sys.argv[1]
a = anndata.read_h5ad(ours)
a.write_h5ad(sys.argv[2], compression="gzip")
d = a.copy(); d.X = a.X.toarray()
d.write_h5ad(sys.argv[3], compression="gzip")
f = a.copy(); f.X = a.X.toarray().astype(np.float32)
f.write_h5ad(sys.argv[4], compression="gzip")
for name, path in (("synthome (CSR int32, shuffle+deflate 1)", ours), ("anndata gzip, same CSR int32", sys.argv[2]), ("anndata gzip, dense int32", sys.argv[3]), ("anndata gzip, dense float32", sys.argv[4])):
    print(f"| {name} | {os.path.getsize(path) / 1e6:.1f} |")
"#;
    let output = Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(&ours)
        .arg(dir.join("csr.h5ad"))
        .arg(dir.join("dense.h5ad"))
        .arg(dir.join("float.h5ad"))
        .output()?;
    println!("\nh5ad of 1,000 bulk samples");
    println!("| file | MB |");
    println!("|---|---:|");
    if output.status.success() {
        print!("{}", String::from_utf8_lossy(&output.stdout));
    } else {
        println!(
            "| synthome | {:.1} |\n(no anndata: {})",
            ours.metadata()?.len() as f64 / 1e6,
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
    }
    Ok(())
}
