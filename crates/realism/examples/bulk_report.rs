//! Writes the bulk realism report: `cargo run --release -p synthome-realism --example
//! bulk_report -- [--data DIR] [--out DIR] [--splits N] [--seed N]`; defaults
//! `../shared/data` and `docs/realism`. Prints SKIPPED and exits 0 when the data folder is
//! absent.

use std::path::PathBuf;
use std::process::ExitCode;

use synthome_realism::{ReportOptions, bulk_report};

fn main() -> ExitCode {
    let mut data = PathBuf::from("../shared/data");
    let mut out = PathBuf::from("docs/realism");
    let mut options = ReportOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let Some(value) = args.next() else {
            eprintln!(
                "{flag} needs a value; usage: bulk_report [--data DIR] [--out DIR] [--splits N] [--seed N]"
            );
            return ExitCode::from(2);
        };
        let number = |what: &str| -> Option<u64> {
            let parsed = value.parse().ok();
            if parsed.is_none() {
                eprintln!("{what} needs a whole number, got {value:?}");
            }
            parsed
        };
        match flag.as_str() {
            "--data" => data = PathBuf::from(&value),
            "--out" => out = PathBuf::from(&value),
            "--splits" => match number("--splits") {
                Some(n) => options.splits = n as usize,
                None => return ExitCode::from(2),
            },
            "--seed" => match number("--seed") {
                Some(n) => options.seed = n,
                None => return ExitCode::from(2),
            },
            other => {
                eprintln!("unknown option {other:?}; valid: --data, --out, --splits, --seed");
                return ExitCode::from(2);
            }
        }
    }
    if !data.join("MANIFEST.tsv").is_file() {
        println!(
            "SKIPPED: {} is absent (no MANIFEST.tsv); the realism report was not made",
            data.display()
        );
        return ExitCode::SUCCESS;
    }
    let started = std::time::Instant::now();
    let report = match bulk_report(&data, &options) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("realism report failed: {error}");
            return ExitCode::from(1);
        }
    };
    let written = std::fs::create_dir_all(&out)
        .and_then(|()| std::fs::write(out.join("bulk.md"), report.to_markdown()))
        .and_then(|()| std::fs::write(out.join("bulk.json"), report.to_json()))
        .and_then(|()| {
            report
                .plots()
                .iter()
                .try_for_each(|plot| std::fs::write(out.join(&plot.file), &plot.svg))
        });
    if let Err(error) = written {
        eprintln!("cannot write into {}: {error}", out.display());
        return ExitCode::from(1);
    }
    print!("{}", report.to_markdown());
    eprintln!(
        "wrote {} (bulk.md, bulk.json, {} plots) in {:.0} s",
        out.display(),
        report.plots().len(),
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
