//! `sc-build DATA_DIR OUT_DIR`: builds the single-cell bundle and model card from a data folder
//! laid out like `shared/data` (the realism report lives in `synthome-realism`: `synthome
//! build-model sc --realism`)

use std::path::PathBuf;
use std::process::ExitCode;

use synthome_sc_builder::{BuildOptions, build_single_cell, data_available};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let positional: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let (Some(data_dir), Some(out_dir)) = (positional.first(), positional.get(1)) else {
        eprintln!("usage: sc-build DATA_DIR OUT_DIR");
        return ExitCode::from(2);
    };
    let data_dir = PathBuf::from(data_dir);
    let out_dir = PathBuf::from(out_dir);
    if !data_available(&data_dir) {
        eprintln!(
            "{} has no single_cell/kang2018_pbmc_* files; nothing built",
            data_dir.display()
        );
        return ExitCode::from(2);
    }
    let options = BuildOptions::default();
    match build_single_cell(&data_dir, &out_dir, &options) {
        Ok(output) => {
            println!(
                "wrote {} ({} bytes, {} gzipped) and {}",
                output.bundle_path.display(),
                output.bundle.len(),
                output.gzip_bytes,
                output.card_path.display()
            );
        }
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(1);
        }
    }
    if args.iter().any(|a| a == "--realism") {
        eprintln!("the realism report is written by `synthome build-model sc --realism`");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
