//! Embeds every model bundle found in `public/models/*.bundle` into the binary, so `synthome`
//! works from any directory after `cargo install --path crates/cli`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let models_dir = manifest_dir.join("../../public/models");
    println!("cargo::rerun-if-changed={}", models_dir.display());
    let mut bundles: Vec<PathBuf> = fs::read_dir(&models_dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| path.extension().is_some_and(|ext| ext == "bundle"))
                .collect()
        })
        .unwrap_or_default();
    bundles.sort();
    let mut code = String::from("/// Bundles embedded at build time: (file name, bytes).\n");
    code.push_str("pub(crate) const EMBEDDED_BUNDLES: &[(&str, &[u8])] = &[\n");
    for path in &bundles {
        println!("cargo::rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let absolute = fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        let _ = writeln!(
            code,
            "    ({name:?}, include_bytes!({:?})),",
            absolute.display().to_string()
        );
    }
    code.push_str("];\n");
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(error) = fs::write(out_dir.join("embedded_bundles.rs"), code) {
        println!("cargo::error=could not write the embedded bundle list: {error}");
    }
}
