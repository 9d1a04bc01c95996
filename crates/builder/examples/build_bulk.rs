//! Builds the bulk bundle: `cargo run --release -p synthome-builder --example build_bulk --
//! DATA_DIR OUT_DIR [--exclude ID,ID,...] [--max-factors K]`; writes the bundle, its sha256
//! and the build report (inputs with sha256s) into OUT_DIR

use std::path::PathBuf;
use std::process::ExitCode;

use synthome_builder::{BuildOptions, build_bulk};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(data), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: build_bulk DATA_DIR OUT_DIR [--exclude ID,...] [--max-factors K]");
        return ExitCode::from(2);
    };
    let mut options = BuildOptions::default();
    let mut rest = args[2..].iter();
    while let Some(flag) = rest.next() {
        match (flag.as_str(), rest.next()) {
            ("--exclude", Some(ids)) => options
                .exclude_samples
                .extend(ids.split(',').map(str::to_owned)),
            ("--max-factors", Some(k)) => match k.parse() {
                Ok(k) => options.max_factors = k,
                Err(_) => {
                    eprintln!("--max-factors needs a number, got {k:?}");
                    return ExitCode::from(2);
                }
            },
            _ => {
                eprintln!("unknown or incomplete option {flag:?}");
                return ExitCode::from(2);
            }
        }
    }
    let started = std::time::Instant::now();
    let output = match build_bulk(&PathBuf::from(data), &options) {
        Ok(output) => output,
        Err(error) => {
            eprintln!("build failed: {error}");
            return ExitCode::from(1);
        }
    };
    let out = PathBuf::from(out);
    let bundle = out.join("synthome-bulk-v1.bundle");
    let mut report = String::new();
    for line in &output.report {
        report.push_str(line);
        report.push('\n');
    }
    report.push_str("\ninputs (sha256, bytes, path):\n");
    for input in &output.inputs {
        report.push_str(&format!(
            "{}  {:>9}  {}\n",
            input.sha256, input.bytes, input.path
        ));
    }
    let written = std::fs::create_dir_all(&out)
        .and_then(|()| std::fs::write(&bundle, &output.bundle))
        .and_then(|()| {
            std::fs::write(
                out.join("synthome-bulk-v1.bundle.sha256"),
                format!("{}  synthome-bulk-v1.bundle\n", output.sha256),
            )
        })
        .and_then(|()| std::fs::write(out.join("synthome-bulk-v1.build-report.txt"), &report));
    if let Err(error) = written {
        eprintln!("cannot write into {}: {error}", out.display());
        return ExitCode::from(1);
    }
    print!("{report}");
    println!(
        "bundle: {} ({} bytes, sha256 {}) in {:.1} s",
        bundle.display(),
        output.bundle.len(),
        output.sha256,
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
