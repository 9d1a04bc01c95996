//! Times every writer on a 1,000 x 20,000 count matrix (and a 10,000 x 20,000 sparse one):
//! `cargo run --release -p synthome-formats --example write_speed`.

use std::sync::Arc;
use std::time::Instant;

use synthome_formats::csv::Delimiter;
use synthome_formats::h5ad::H5adOptions;
use synthome_formats::mex::MexFiles;
use synthome_formats::{csv, gct, h5ad, json};
use synthome_matrix::{
    CsrBuilder, Dense, ExpressionMatrix, ExpressionValues, GeneTable, Provenance, SampleMetadata,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (n_samples, n_genes) = (1_000usize, 20_000usize);
    let ids: Vec<String> = (0..n_genes).map(|gene| format!("ENSG{gene:011}")).collect();
    let genes = Arc::new(GeneTable::new(ids.clone(), ids)?);
    // A cheap deterministic spread of counts: mostly small, some large, about 30% zeros.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let counts: Vec<u32> = (0..n_samples * n_genes)
        .map(|_| {
            let draw = next();
            if draw % 10 < 3 {
                0
            } else {
                ((draw >> 8) % (1 << ((draw >> 40) % 14))) as u32
            }
        })
        .collect();
    let samples = (0..n_samples)
        .map(|sample| SampleMetadata::new(format!("sample_{sample}"), vec![]))
        .collect();
    let matrix = ExpressionMatrix::new(
        genes.clone(),
        samples,
        ExpressionValues::Counts(Dense::new(n_samples, n_genes, counts)?),
    )?;
    let provenance = Provenance {
        model_id: "synthome-bulk-v1".into(),
        model_version: "1.0.0".into(),
        bundle_sha256: "0".into(),
        query_json: "{}".into(),
        seed: 1,
        sampling_strategy: "sample generation".into(),
        warnings: vec![],
    };
    let time = |name: &str, run: &mut dyn FnMut() -> Result<usize, Box<dyn std::error::Error>>| {
        let start = Instant::now();
        match run() {
            Ok(bytes) => println!(
                "{name:<28} {:>7.3} s {:>8.1} MB",
                start.elapsed().as_secs_f64(),
                bytes as f64 / 1e6
            ),
            Err(error) => println!("{name:<28} failed: {error}"),
        }
    };
    time("json 1000x20000", &mut || {
        let mut out = Vec::new();
        json::write(&mut out, &matrix, &provenance)?;
        Ok(out.len())
    });
    time("csv 1000x20000", &mut || {
        let mut out = Vec::new();
        csv::write_expression(&mut out, &matrix, Delimiter::Comma)?;
        Ok(out.len())
    });
    time("gct 1000x20000", &mut || {
        let mut out = Vec::new();
        gct::write(&mut out, &matrix, &provenance)?;
        Ok(out.len())
    });
    time("h5ad 1000x20000 deflate 1", &mut || {
        let mut out = Vec::new();
        h5ad::write(&mut out, &matrix, &provenance, H5adOptions::default())?;
        Ok(out.len())
    });
    time("h5ad 1000x20000 plain", &mut || {
        let mut out = Vec::new();
        h5ad::write(
            &mut out,
            &matrix,
            &provenance,
            H5adOptions {
                deflate_level: None,
            },
        )?;
        Ok(out.len())
    });
    time("mex 1000x20000", &mut || {
        Ok(MexFiles::build(&matrix, &provenance)?.matrix.len())
    });

    let n_cells = 10_000usize;
    let mut builder = CsrBuilder::with_capacity(n_genes, n_cells, n_cells * n_genes / 20);
    let (mut indices, mut values) = (Vec::new(), Vec::new());
    for _ in 0..n_cells {
        indices.clear();
        values.clear();
        for gene in 0..n_genes as u32 {
            if next() % 20 == 0 {
                indices.push(gene);
                values.push(1 + (next() % 5) as u32);
            }
        }
        builder.push_row(&indices, &values)?;
    }
    let cells = (0..n_cells)
        .map(|cell| SampleMetadata::new(format!("cell_{cell}"), vec![]))
        .collect();
    let sparse = ExpressionMatrix::new(
        genes,
        cells,
        ExpressionValues::SparseCounts(builder.finish()),
    )?;
    time("json sparse 10000x20000", &mut || {
        let mut out = Vec::new();
        json::write(&mut out, &sparse, &provenance)?;
        Ok(out.len())
    });
    time("h5ad sparse 10000x20000", &mut || {
        let mut out = Vec::new();
        h5ad::write(&mut out, &sparse, &provenance, H5adOptions::default())?;
        Ok(out.len())
    });
    time("mex sparse 10000x20000", &mut || {
        Ok(MexFiles::build(&sparse, &provenance)?.matrix.len())
    });
    Ok(())
}
