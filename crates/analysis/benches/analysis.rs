//! Timing of the viewer's heavy analyses on a bulk-sized (1,000 x 20,000 dense counts) and a
//! single-cell-sized (10,000 x 20,000 sparse counts) matrix, and of the UMAP of 10,000 cells
//! (from their PCA, and of 10,000 ready points): `cargo bench -p synthome-analysis`.
//!
//! Each analysis runs a few times and the best and median wall times are printed.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::{RngCore, SeedableRng};
use synthome_analysis::{
    CELL_UMAP_PCA, DenseMatrix, Grouping, HeatmapConfig, PcaConfig, UmapConfig, cell_umap,
    differential_expression, dot_plot, pca, umap, variable_gene_heatmap,
};
use synthome_matrix::{
    CsrBuilder, Dense, ExpressionMatrix, ExpressionValues, GeneTable, MetadataField, SampleMetadata,
};

const N_GENES: usize = 20_000;

fn main() {
    let bulk = bulk_matrix(1_000);
    report_bulk(&bulk);
    let cells = sparse_matrix(10_000);
    report_sparse(&cells);
}

fn report_bulk(matrix: &ExpressionMatrix) {
    println!(
        "bulk: {} samples x {} genes, dense u32 counts",
        matrix.n_samples(),
        matrix.n_genes()
    );
    let grouping = Grouping::by_field(matrix.samples(), "condition");
    let (test, reference) = (grouping.members(1), grouping.members(0));
    time("PCA (2,000 genes, 10 PCs)", 5, || {
        pca(matrix, &PcaConfig::default()).map(|p| p.components.len())
    });
    if let Ok(result) = pca(matrix, &PcaConfig::default()) {
        print_pca(&result);
    }
    time("DE Welch + BH (all genes)", 5, || {
        differential_expression(matrix, &test, &reference).map(|de| de.n_tested())
    });
    time("heatmap (50 genes)", 5, || {
        variable_gene_heatmap(matrix, &grouping, &HeatmapConfig::default()).map(|h| h.z.len())
    });
}

fn report_sparse(matrix: &ExpressionMatrix) {
    let nnz = match matrix.values() {
        ExpressionValues::SparseCounts(csr) => csr.nnz(),
        _ => 0,
    };
    println!(
        "single cell: {} cells x {} genes, sparse, {nnz} stored values",
        matrix.n_samples(),
        matrix.n_genes()
    );
    let grouping = Grouping::by_field(matrix.samples(), "condition");
    let (test, reference) = (grouping.members(1), grouping.members(0));
    time("PCA (2,000 genes, 10 PCs)", 1, || {
        pca(matrix, &PcaConfig::default()).map(|p| p.components.len())
    });
    if let Ok(result) = pca(matrix, &PcaConfig::default()) {
        print_pca(&result);
    }
    time("DE Welch + BH (all genes)", 3, || {
        differential_expression(matrix, &test, &reference).map(|de| de.n_tested())
    });
    let genes: Vec<usize> = (0..20).collect();
    time("dot plot (20 genes)", 3, || {
        dot_plot(matrix, &genes, &grouping).map(|d| d.mean.len())
    });
    time("PCA (2,000 genes, 20 PCs)", 1, || {
        pca(matrix, &CELL_UMAP_PCA).map(|p| p.components.len())
    });
    time("UMAP of the cells (PCA too)", 1, || {
        cell_umap(matrix, &UmapConfig::default()).map(|u| u.embedding.len())
    });
    let points = clustered_points(matrix.n_samples(), 30);
    time("UMAP of 10,000 points (30-d)", 3, || {
        umap(&points, &UmapConfig::default()).map(|u| u.embedding.len())
    });
}

/// `n` points in `dims` dimensions around 10 centres (PCA-score-like input for the UMAP).
fn clustered_points(n: usize, dims: usize) -> DenseMatrix {
    let mut rng = rand_pcg::Pcg64::seed_from_u64(13);
    let centres: Vec<f64> = (0..10 * dims).map(|_| 20.0 * uniform(&mut rng)).collect();
    let mut data = Vec::with_capacity(n * dims);
    for point in 0..n {
        let centre = &centres[(point % 10) * dims..(point % 10 + 1) * dims];
        data.extend(centre.iter().map(|c| c + 4.0 * (uniform(&mut rng) - 0.5)));
    }
    DenseMatrix {
        rows: n,
        cols: dims,
        data,
    }
}

fn print_pca(result: &synthome_analysis::Pca) {
    let ratios: Vec<String> = result
        .components
        .iter()
        .map(|c| format!("{:.4}", c.variance_ratio))
        .collect();
    println!(
        "    {} iterations; variance ratios {}",
        result.iterations,
        ratios.join(" ")
    );
}

fn time<T, E: std::fmt::Display>(name: &str, runs: usize, mut run: impl FnMut() -> Result<T, E>) {
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        match run() {
            Ok(value) => {
                black_box(value);
            }
            Err(error) => {
                println!("  {name}: failed: {error}");
                return;
            }
        }
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "  {name:<28} best {:>8.1} ms   median {:>8.1} ms   ({runs} runs)",
        times[0].as_secs_f64() * 1e3,
        times[runs / 2].as_secs_f64() * 1e3
    );
}

fn genes() -> Arc<GeneTable> {
    let ids = (0..N_GENES).map(|g| format!("ENSG{g:011}")).collect();
    let symbols = (0..N_GENES).map(|g| format!("GENE{g}")).collect();
    Arc::new(GeneTable::new(ids, symbols).unwrap_or_else(|e| panic!("{e}")))
}

fn samples(n: usize) -> Vec<SampleMetadata> {
    (0..n)
        .map(|i| {
            let condition = if i % 2 == 0 { "control" } else { "treated" };
            SampleMetadata::new(
                format!("sample_{}", i + 1),
                vec![MetadataField {
                    key: "condition".into(),
                    value: condition.into(),
                    inferred: false,
                }],
            )
        })
        .collect()
}

/// Uniform in [0, 1).
fn uniform(rng: &mut rand_pcg::Pcg64) -> f64 {
    f64::from(rng.next_u32()) / 4_294_967_296.0
}

/// A Poisson-ish count around `mean` (normal approximation, cheap, deterministic).
fn count(rng: &mut rand_pcg::Pcg64, mean: f64) -> u32 {
    if mean < 30.0 {
        // Inversion for small means.
        let mut u = uniform(rng);
        let mut k = 0u32;
        let mut p = (-mean).exp();
        while u > p && k < 200 {
            u -= p;
            k += 1;
            p *= mean / f64::from(k);
        }
        return k;
    }
    let z = (0..4).map(|_| uniform(rng)).sum::<f64>() - 2.0;
    (mean + z * (mean * 3.0).sqrt()).max(0.0).round() as u32
}

/// Dense bulk-like counts: log-normal gene means, 5% of genes changed in "treated", sample
/// depth around 20 million.
fn bulk_matrix(n_samples: usize) -> ExpressionMatrix {
    let mut rng = rand_pcg::Pcg64::seed_from_u64(7);
    let base: Vec<f64> = (0..N_GENES)
        .map(|_| (uniform(&mut rng) * 12.0 - 2.0).exp())
        .collect();
    let mut data = Vec::with_capacity(n_samples * N_GENES);
    for sample in 0..n_samples {
        let depth = 0.7 + 0.6 * uniform(&mut rng);
        for (gene, &mean) in base.iter().enumerate() {
            let effect = if sample % 2 == 1 && gene % 20 == 0 {
                3.0
            } else {
                1.0
            };
            let noise = 1.0 + 0.3 * (uniform(&mut rng) - 0.5);
            data.push(count(&mut rng, mean * depth * effect * noise));
        }
    }
    let dense = Dense::new(n_samples, N_GENES, data).unwrap_or_else(|e| panic!("{e}"));
    ExpressionMatrix::new(genes(), samples(n_samples), ExpressionValues::Counts(dense))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Sparse UMI-like counts: most genes rarely detected, about 2,500 genes per cell.
fn sparse_matrix(n_cells: usize) -> ExpressionMatrix {
    let mut rng = rand_pcg::Pcg64::seed_from_u64(11);
    let detection: Vec<f64> = (0..N_GENES)
        .map(|_| uniform(&mut rng).powi(4) * 0.6 + 0.005)
        .collect();
    let mut builder = CsrBuilder::new(N_GENES);
    let mut indices = Vec::new();
    let mut values = Vec::new();
    for cell in 0..n_cells {
        indices.clear();
        values.clear();
        for (gene, &p) in detection.iter().enumerate() {
            let p = if cell % 2 == 1 && gene % 25 == 0 {
                (p * 3.0).min(0.9)
            } else {
                p
            };
            if uniform(&mut rng) < p {
                indices.push(gene as u32);
                values.push(1 + count(&mut rng, p * 10.0));
            }
        }
        builder
            .push_row(&indices, &values)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    ExpressionMatrix::new(
        genes(),
        samples(n_cells),
        ExpressionValues::SparseCounts(builder.finish()),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}
