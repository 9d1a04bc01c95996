//! The formats whose files need the whole result before some of their bytes, written in parts
//! ([`run_in_parts`]: a part, at most about 800 bulk samples, at a time) with temporary files beside
//! the output, so that memory is bounded by a part and not by the query:
//!
//! - GCT (genes x samples): each part's column block goes to a temporary file; at the end the
//!   head (sample ids and metadata, kept) is written and the blocks are joined line by line
//!   (`formats::gct::write_rows`). Same bytes as `gct::write` on one run.
//! - MEX: the `matrix.mtx.gz` entries are gzipped into a temporary file as they come; the header
//!   member (which holds the non-zero count) is written at the end and the entries copied after
//!   it. Same bytes as `MexFiles::build` on one run, folder or zip.
//! - h5ad: the skeleton is written at the first part, `X` is appended in place as CSR
//!   (`formats::h5ad::H5adParts`; `hdf5_pure::File::open_rw`, one fsync at close), `obs`/`uns`
//!   at the end. Same decoded content as `h5ad::write`; `X` is CSR int32 where that is dense.
//! - Parquet (feature `parquet`): see [`crate::parquet_out`].
//!
//! Temporary files are named `.<name>.synthome-part-N.tmp` and removed on success and failure.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use synthome_engine::{ModelEntry, Prepared};
use synthome_formats::csv::{Delimiter, write_metadata_rows};
use synthome_formats::h5ad::{H5adOptions, H5adParts, write_parts_start};
use synthome_formats::mex::{
    MatrixEntries, ZipMember, gzip, write_barcodes_of, write_features_of, write_matrix_head,
    write_zip,
};
use synthome_formats::provenance::{values_kind, write_summary};
use synthome_formats::{FormatError, gct};
use synthome_matrix::{ExpressionValues, Provenance, SampleMetadata};

use crate::in_parts::{PartsError, run_in_parts};

/// Temporary files beside an output, removed when dropped.
pub(crate) struct Scratch {
    dir: PathBuf,
    name: String,
    paths: Vec<PathBuf>,
}

impl Scratch {
    /// Temporary files for the output at `output` (in its folder, named after it).
    pub(crate) fn beside(output: &Path) -> Self {
        let dir = output
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let name = output.file_name().map_or_else(
            || "out".to_string(),
            |name| name.to_string_lossy().into_owned(),
        );
        Self {
            dir,
            name,
            paths: Vec::new(),
        }
    }

    /// Temporary files in the system's temporary folder (an output to standard output).
    pub(crate) fn in_temp_dir() -> Self {
        Self {
            dir: std::env::temp_dir(),
            name: format!("synthome-{}", std::process::id()),
            paths: Vec::new(),
        }
    }

    /// A new temporary file's path.
    pub(crate) fn next_path(&mut self) -> PathBuf {
        let path = self.dir.join(format!(
            ".{}.synthome-part-{}.tmp",
            self.name,
            self.paths.len() + 1
        ));
        self.paths.push(path.clone());
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        for path in &self.paths {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn create(path: &Path) -> Result<BufWriter<File>, FormatError> {
    Ok(BufWriter::with_capacity(1 << 16, File::create(path)?))
}

/// Generates `prepared` a part at a time and writes its GCT to `sink` (column blocks in
/// `scratch`); returns the provenance.
pub fn write_gct_in_parts<W: Write>(
    entry: &ModelEntry,
    prepared: &Prepared,
    threads: usize,
    mut sink: W,
    mut scratch: Scratch,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Provenance, PartsError> {
    let genes = entry.engine.genes();
    let mut samples: Vec<SampleMetadata> = Vec::new();
    let provenance = run_in_parts(entry, prepared, threads, progress, &mut |matrix| {
        gct::write_block(create(&scratch.next_path())?, matrix)?;
        samples.extend_from_slice(matrix.samples());
        Ok(())
    })?;
    gct::write_head(&mut sink, genes.len(), &samples, &provenance)?;
    let mut blocks = scratch
        .paths
        .iter()
        .map(|path| File::open(path).map(|file| BufReader::with_capacity(1 << 16, file)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(FormatError::from)?;
    gct::write_rows(&mut sink, &genes, &mut blocks)?;
    sink.flush().map_err(FormatError::from)?;
    Ok(provenance)
}

/// Generates `prepared` a part at a time and writes its MEX files into the folder `path`, or
/// into the zip `path` (`zip`); returns the files written and the provenance.
pub fn write_mex_in_parts(
    entry: &ModelEntry,
    prepared: &Prepared,
    threads: usize,
    path: &Path,
    zip: bool,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(Vec<PathBuf>, Provenance), PartsError> {
    if !zip {
        std::fs::create_dir_all(path).map_err(FormatError::from)?;
    }
    let mut scratch = if zip {
        Scratch::beside(path)
    } else {
        Scratch::beside(&path.join("matrix.mtx.gz"))
    };
    let entries_path = scratch.next_path();
    let genes = entry.engine.genes();
    let mut entries = MatrixEntries::begin(create(&entries_path)?);
    let mut samples: Vec<SampleMetadata> = Vec::new();
    let mut values = None;
    let provenance = run_in_parts(entry, prepared, threads, progress, &mut |matrix| {
        entries.part(matrix)?;
        samples.extend_from_slice(matrix.samples());
        values.get_or_insert(values_kind(matrix.values()));
        Ok(())
    })?;
    let (mut entries_file, nnz, field) = entries.finish()?;
    entries_file.flush().map_err(FormatError::from)?;
    drop(entries_file);
    let values = values.unwrap_or("counts");
    let head = write_matrix_head(
        Vec::new(),
        field,
        genes.len(),
        &samples,
        nnz,
        values,
        &provenance,
    )?;
    let mut features = Vec::new();
    write_features_of(&mut features, &genes)?;
    let features = gzip(&features)?;
    let mut barcodes = Vec::new();
    write_barcodes_of(&mut barcodes, &samples)?;
    let barcodes = gzip(&barcodes)?;
    let mut metadata = Vec::new();
    write_metadata_rows(&mut metadata, &samples, Delimiter::Tab)?;
    let mut provenance_json = Vec::new();
    write_summary(
        &mut provenance_json,
        &samples,
        genes.len(),
        values,
        &provenance,
    )?;
    let entries_len = std::fs::metadata(&entries_path)
        .map_err(FormatError::from)?
        .len();
    let mut matrix = (&head[..]).chain(BufReader::new(
        File::open(&entries_path).map_err(FormatError::from)?,
    ));
    if zip {
        let folder = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let folder = folder
            .strip_suffix(".zip")
            .or_else(|| folder.strip_suffix(".ZIP"))
            .unwrap_or(&folder)
            .to_string();
        let (mut f, mut b, mut m, mut p) = (
            &features[..],
            &barcodes[..],
            &metadata[..],
            &provenance_json[..],
        );
        let mut members = [
            ZipMember {
                name: "matrix.mtx.gz",
                len: head.len() as u64 + entries_len,
                bytes: &mut matrix,
            },
            ZipMember {
                name: "features.tsv.gz",
                len: features.len() as u64,
                bytes: &mut f,
            },
            ZipMember {
                name: "barcodes.tsv.gz",
                len: barcodes.len() as u64,
                bytes: &mut b,
            },
            ZipMember {
                name: "metadata.tsv",
                len: metadata.len() as u64,
                bytes: &mut m,
            },
            ZipMember {
                name: "provenance.json",
                len: provenance_json.len() as u64,
                bytes: &mut p,
            },
        ];
        write_zip(create(path)?, &folder, &mut members)?;
        return Ok((vec![path.to_path_buf()], provenance));
    }
    let mut written = Vec::new();
    let matrix_path = path.join("matrix.mtx.gz");
    let mut out = create(&matrix_path)?;
    std::io::copy(&mut matrix, &mut out).map_err(FormatError::from)?;
    out.flush().map_err(FormatError::from)?;
    written.push(matrix_path);
    for (name, bytes) in [
        ("features.tsv.gz", &features),
        ("barcodes.tsv.gz", &barcodes),
        ("metadata.tsv", &metadata),
        ("provenance.json", &provenance_json),
    ] {
        let file = path.join(name);
        std::fs::write(&file, bytes).map_err(FormatError::from)?;
        written.push(file);
    }
    Ok((written, provenance))
}

/// Generates `prepared` a part at a time and writes its h5ad to `path`, `X` appended in place
/// part by part; returns the provenance.
pub fn write_h5ad_in_parts(
    entry: &ModelEntry,
    prepared: &Prepared,
    threads: usize,
    path: &Path,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Provenance, PartsError> {
    let genes = entry.engine.genes();
    let mut open: Option<(hdf5_pure::File, H5adParts)> = None;
    let mut samples: Vec<SampleMetadata> = Vec::new();
    let mut values = None;
    let hdf5 = |error: hdf5_pure::Error| FormatError::Hdf5(error.to_string());
    let provenance = run_in_parts(entry, prepared, threads, progress, &mut |matrix| {
        if open.is_none() {
            let expected = matches!(matrix.values(), ExpressionValues::Expected(_));
            let mut out = create(path)?;
            write_parts_start(&mut out, &genes, expected, H5adOptions::default())?;
            out.flush()?;
            drop(out);
            let access = hdf5_pure::FileAccessProperties::new()
                .with_sync_policy(hdf5_pure::SyncPolicy::OnClose);
            let file = hdf5_pure::File::open_rw_with_options(path, access).map_err(hdf5)?;
            let parts = H5adParts::open(&file)?;
            open = Some((file, parts));
        }
        if let Some((_, parts)) = open.as_mut() {
            parts.part(matrix)?;
        }
        samples.extend_from_slice(matrix.samples());
        values.get_or_insert(values_kind(matrix.values()));
        Ok(())
    })?;
    let Some((file, parts)) = open else {
        return Err(FormatError::Hdf5("the query generated no part".into()).into());
    };
    parts.finish(
        &file,
        &samples,
        genes.len(),
        values.unwrap_or("counts"),
        &provenance,
    )?;
    file.close().map_err(hdf5)?;
    Ok(provenance)
}

#[cfg(test)]
mod tests {
    use super::*;
    use synthome_engine::run;
    use synthome_formats::mex::MexFiles;
    use synthome_formats::{ResultFile, h5ad_read};
    use synthome_query::Limits;

    fn scratch_dir(name: &str) -> anyhow::Result<PathBuf> {
        let dir =
            std::env::temp_dir().join(format!("synthome-in-parts-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        Ok(dir)
    }

    #[test]
    fn gct_mex_and_h5ad_written_in_parts_are_those_of_a_single_run() -> anyhow::Result<()> {
        let registry = crate::embedded::registry(&[])?;
        let entry = registry.get("gem-1-bulk")?;
        let query = r#"{"sampling_strategy": "sample generation", "seed": 5, "inputs": [
            {"metadata": {"tissue_ontology_id": "UBERON:0002107"}, "num_samples": 3},
            {"metadata": {"sex": "male"}, "num_samples": 4},
            {"metadata": {}, "num_samples": 1}]}"#;
        let prepared = synthome_engine::prepare(entry, query, None, || 1, &Limits::default())
            .map_err(|errors| anyhow::anyhow!("{errors}"))?;
        let (matrix, single) = run(entry, &prepared, &mut |_, _| {})?;
        let dir = scratch_dir("bulk")?;

        let gct_path = dir.join("out.gct");
        let mut seen = Vec::new();
        // three inputs, three parts, made on two threads
        let threads = 2;
        let provenance = write_gct_in_parts(
            entry,
            &prepared,
            threads,
            create(&gct_path)?,
            Scratch::beside(&gct_path),
            &mut |done, total| seen.push((done, total)),
        )?;
        assert_eq!(provenance.warnings, single.warnings);
        assert_eq!(seen.last(), Some(&(8, 8)));
        assert!(std::fs::read(&gct_path)? == ResultFile::Gct.to_bytes(&matrix, &single, "")?);

        let files = MexFiles::build(&matrix, &single)?;
        write_mex_in_parts(
            entry,
            &prepared,
            threads,
            &dir.join("out.mex"),
            false,
            &mut |_, _| {},
        )?;
        for (name, bytes) in files.files() {
            assert!(
                std::fs::read(dir.join("out.mex").join(name))? == bytes,
                "{name}"
            );
        }
        write_mex_in_parts(
            entry,
            &prepared,
            threads,
            &dir.join("out.zip"),
            true,
            &mut |_, _| {},
        )?;
        let zip = ResultFile::MexZip.to_bytes(&matrix, &single, "out.zip")?;
        assert!(
            std::fs::read(dir.join("out.zip"))? == zip,
            "the zips differ"
        );

        let h5ad_path = dir.join("out.h5ad");
        write_h5ad_in_parts(entry, &prepared, threads, &h5ad_path, &mut |_, _| {})?;
        let read = h5ad_read::read_h5ad(std::fs::read(&h5ad_path)?)
            .map_err(|error| anyhow::anyhow!("{}", error.0))?;
        let names: Vec<&str> = matrix
            .samples()
            .iter()
            .map(|s| s.sample_id.as_str())
            .collect();
        assert_eq!(read.obs_names, names);
        assert_eq!(read.n_vars, matrix.n_genes());
        let mut whole = vec![0.0f32; matrix.n_genes()];
        let mut expected = Vec::new();
        for row in matrix.rows() {
            row.fill_dense(&mut whole);
            expected.extend(whole.iter().map(|&value| f64::from(value)));
        }
        assert!(read.values == expected, "the h5ad values differ");
        // Nothing is left beside the outputs.
        let left: Vec<_> = std::fs::read_dir(&dir)?
            .filter_map(Result::ok)
            .filter(|entry| entry.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
        std::fs::remove_dir_all(&dir)?;
        Ok(())
    }

    #[test]
    fn the_h5ad_bytes_do_not_depend_on_the_threads_or_parts() -> anyhow::Result<()> {
        let registry = crate::embedded::registry(&[])?;
        let entry = registry.get("gem-1-bulk")?;
        // 300 samples: one part on one thread, parts of 274 and 26 on three (rows are
        // appended 256 at a time either way)
        let query = r#"{"sampling_strategy": "sample generation", "seed": 6, "inputs": [
            {"metadata": {}, "num_samples": 300}]}"#;
        let prepared = synthome_engine::prepare(entry, query, None, || 1, &Limits::default())
            .map_err(|errors| anyhow::anyhow!("{errors}"))?;
        let dir = scratch_dir("threads")?;
        let mut written = Vec::new();
        for threads in [1, 3] {
            let path = dir.join(format!("{threads}.h5ad"));
            write_h5ad_in_parts(entry, &prepared, threads, &path, &mut |_, _| {})?;
            written.push(std::fs::read(&path)?);
        }
        assert!(
            written[0] == written[1],
            "the h5ad differs between 1 and 3 threads"
        );
        std::fs::remove_dir_all(&dir)?;
        Ok(())
    }
}
