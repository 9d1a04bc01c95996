//! The build: analysis, fit on every cell, bundle and model card written to a folder

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::atlas::PBMC_ATLASES;
use crate::atlas::anchor::anchor;
use crate::card;
use crate::dataset::{KANG_COUNTS, KANG_GENES};
use crate::error::BuildError;
use crate::fit::{Fitted, fit};
use crate::prepare::{BuildOptions, Prepared, prepare};
use synthome_inputs::{InputFile, write};

/// File name of the bundle
pub const BUNDLE_FILE: &str = "synthome-sc-v1.bundle";
/// File name of the model card
pub const CARD_FILE: &str = "MODEL_CARD-sc.md";

/// What a build produced
#[derive(Debug, Clone)]
pub struct BuildOutput {
    /// The bundle bytes
    pub bundle: Vec<u8>,
    /// Where the bundle was written
    pub bundle_path: PathBuf,
    /// The model card (Markdown)
    pub model_card: String,
    /// Where the model card was written
    pub card_path: PathBuf,
    /// The inputs read, with their sha256
    pub inputs: Vec<InputFile>,
    /// gzip size of the bundle in bytes
    pub gzip_bytes: usize,
    /// Lower-case hex sha256 of the bundle (its `bundle_sha256`)
    pub sha256: String,
}

/// Whether `data_dir` holds the single-cell inputs (the real-data build needs them)
pub fn data_available(data_dir: &Path) -> bool {
    data_dir.join(KANG_COUNTS).is_file() && data_dir.join(KANG_GENES).is_file()
}

/// Builds the model from `data_dir` (laid out like `shared/data`) and writes
/// [`BUNDLE_FILE`] and [`CARD_FILE`] into `out_dir`
pub fn build_single_cell(
    data_dir: &Path,
    out_dir: &Path,
    options: &BuildOptions,
) -> Result<BuildOutput, BuildError> {
    let prepared = prepare(data_dir, options)?;
    let mut fitted = fit_prepared(&prepared, &vec![true; prepared.dataset.cells.len()])?;
    add_atlas(&prepared, &mut fitted)?;
    let bundle = synthome_sc_model::write(&fitted.params);
    let gzip_bytes = gzip_size(&bundle);
    let sha256 = synthome_bundle::container::sha256_hex(&bundle);
    let model_card = card::render(&prepared, &fitted, &bundle, gzip_bytes, &sha256);
    let bundle_path = out_dir.join(BUNDLE_FILE);
    let card_path = out_dir.join(CARD_FILE);
    write(&bundle_path, &bundle)?;
    write(&card_path, model_card.as_bytes())?;
    Ok(BuildOutput {
        bundle,
        bundle_path,
        model_card,
        card_path,
        inputs: prepared.inputs,
        gzip_bytes,
        sha256,
    })
}

/// Fits the model on the cells of `prepared` marked in `train`, its healthy-blood means
/// anchored to every PBMC atlas of the library (when the data folder has it)
pub fn fit_prepared(prepared: &Prepared, train: &[bool]) -> Result<Fitted, BuildError> {
    fit_anchored(prepared, train, &PBMC_ATLASES)
}

/// Fits the model on the cells of `prepared` marked in `train`, its healthy-blood means
/// anchored to the PBMC atlases named in `anchors` (none: the Kang cells alone)
pub fn fit_anchored(
    prepared: &Prepared,
    train: &[bool],
    anchors: &[&str],
) -> Result<Fitted, BuildError> {
    let mut fitted = fit(
        &prepared.dataset,
        &prepared.embedding,
        &prepared.annotation,
        train,
    )?;
    if let Some(atlas) = &prepared.atlas {
        fitted.anchored = anchor(
            &mut fitted.params,
            atlas,
            anchors,
            &prepared.embedding.ifn_responsive,
        );
    }
    Ok(fitted)
}

/// Adds the atlas profiles of `prepared` (when it has them) to a Kang fit and rebuilds its
/// vocabulary
pub fn add_atlas(prepared: &Prepared, fitted: &mut Fitted) -> Result<(), BuildError> {
    if let Some(atlas) = &prepared.atlas {
        fitted.unlabelled = crate::atlas::extend::extend(
            &mut fitted.params,
            atlas,
            &prepared.dataset.measured,
            &prepared.dataset.tables,
        )?;
    }
    Ok(())
}

/// Size of `bytes` gzipped at the default level
pub(crate) fn gzip_size(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    if encoder.write_all(bytes).is_err() {
        return 0;
    }
    encoder.finish().map_or(0, |out| out.len())
}
