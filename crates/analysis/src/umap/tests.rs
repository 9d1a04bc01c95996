//! Tests of the whole UMAP: separation of clusters, preservation of a manifold's
//! neighbourhoods, seeds, errors.

use rand::RngCore;

use super::*;
use crate::test_matrix::sparse_matrix;

fn normal(rng: &mut rand_pcg::Pcg64) -> f64 {
    let u = ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    let v = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    libm::sqrt(-2.0 * libm::log(u)) * libm::cos(2.0 * std::f64::consts::PI * v)
}

/// `per_blob` points around each of three centres 8 apart in 10 dimensions (unit spread),
/// apart only in the last three coordinates, so the start (the first two) mixes them.
fn blobs(per_blob: usize) -> (DenseMatrix, Vec<usize>) {
    let mut rng = generator(3);
    let dims = 10;
    let mut data = Vec::new();
    let mut labels = Vec::new();
    for blob in 0..3 {
        for _ in 0..per_blob {
            for dim in 0..dims {
                let centre = if dim == dims - 1 - blob { 8.0 } else { 0.0 };
                data.push(centre + normal(&mut rng));
            }
            labels.push(blob);
        }
    }
    let points = DenseMatrix {
        rows: 3 * per_blob,
        cols: dims,
        data,
    };
    (points, labels)
}

/// A Swiss roll: a 2-D sheet rolled up in 3-D, listed by its unrolled coordinates.
fn swiss_roll(n: usize) -> DenseMatrix {
    let mut rng = generator(5);
    let mut data = Vec::with_capacity(3 * n);
    for _ in 0..n {
        let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let t = 1.5 * std::f64::consts::PI * (1.0 + 2.0 * u);
        let height = 20.0 * (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        data.extend([t * libm::cos(t), height, t * libm::sin(t)]);
    }
    DenseMatrix {
        rows: n,
        cols: 3,
        data,
    }
}

fn embedding_matrix(umap: &Umap) -> DenseMatrix {
    DenseMatrix {
        rows: umap.embedding.len(),
        cols: 2,
        data: umap
            .embedding
            .iter()
            .flatten()
            .map(|&x| f64::from(x))
            .collect(),
    }
}

fn run(points: &DenseMatrix, config: &UmapConfig) -> Umap {
    umap(points, config).unwrap_or_else(|error| panic!("{error}"))
}

/// Share of points whose nearest other point in the embedding has their label.
fn nearest_label_agreement(umap: &Umap, labels: &[usize]) -> f64 {
    let neighbours = exact_neighbours(&embedding_matrix(umap), 1);
    let agreeing = (0..labels.len())
        .filter(|&point| labels[neighbours.of(point).0[0]] == labels[point])
        .count();
    agreeing as f64 / labels.len() as f64
}

/// Trustworthiness (Venna & Kaski 2001) of `embedding` for `k` neighbours: 1 when every
/// embedding neighbour is an input neighbour, about 0.5 for a random layout.
fn trustworthiness(input: &DenseMatrix, embedding: &DenseMatrix, k: usize) -> f64 {
    let n = input.rows;
    let embedded = exact_neighbours(embedding, k);
    let mut penalty = 0.0;
    for point in 0..n {
        let mut order: Vec<(f64, usize)> = (0..n)
            .filter(|&other| other != point)
            .map(|other| (squared_distance(input.row(point), input.row(other)), other))
            .collect();
        order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut rank = vec![0usize; n];
        for (position, &(_, other)) in order.iter().enumerate() {
            rank[other] = position + 1;
        }
        for &other in embedded.of(point).0 {
            if rank[other] > k {
                penalty += (rank[other] - k) as f64;
            }
        }
    }
    let (n, k) = (n as f64, k as f64);
    1.0 - 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)) * penalty
}

use crate::dense::squared_distance;

#[test]
fn separated_clusters_stay_separated() {
    let (points, labels) = blobs(100);
    let start = Umap {
        embedding: initial_layout(&points, &mut generator(0)),
    };
    let mixed = nearest_label_agreement(&start, &labels);
    assert!(
        mixed < 0.6,
        "the start already separates the clusters: {mixed}"
    );
    let layout = run(&points, &UmapConfig::default());
    assert_eq!(layout.embedding.len(), 300);
    let agreement = nearest_label_agreement(&layout, &labels);
    assert!(
        agreement > 0.95,
        "nearest-neighbour label agreement {agreement}"
    );
    // And the clusters are apart: every point is closer to its own cluster's centre.
    let embedded = embedding_matrix(&layout);
    let centres: Vec<[f64; 2]> = (0..3)
        .map(|blob| {
            let members: Vec<&[f64]> = embedded
                .data
                .chunks(2)
                .zip(&labels)
                .filter(|(_, label)| **label == blob)
                .map(|(point, _)| point)
                .collect();
            let n = members.len() as f64;
            [
                members.iter().map(|p| p[0]).sum::<f64>() / n,
                members.iter().map(|p| p[1]).sum::<f64>() / n,
            ]
        })
        .collect();
    let nearest_centre = |p: &[f64]| {
        (0..3)
            .min_by(|&a, &b| {
                let d = |c: [f64; 2]| (p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2);
                d(centres[a]).total_cmp(&d(centres[b]))
            })
            .unwrap_or(0)
    };
    let right = embedded
        .data
        .chunks(2)
        .zip(&labels)
        .filter(|(point, label)| nearest_centre(point) == **label)
        .count();
    assert!(right >= 297, "{right} of 300 nearest to their own cluster");
}

#[test]
fn a_manifolds_neighbourhoods_are_kept() {
    let points = swiss_roll(600);
    let layout = run(&points, &UmapConfig::default());
    let trust = trustworthiness(&points, &embedding_matrix(&layout), 10);
    assert!(trust > 0.98, "trustworthiness {trust}");
    // The measure can fail: the starting layout (two of the roll's three axes) folds the roll.
    let start = initial_layout(&points, &mut generator(0));
    let folded = DenseMatrix {
        rows: start.len(),
        cols: 2,
        data: start.iter().flatten().map(|&x| f64::from(x)).collect(),
    };
    let start_trust = trustworthiness(&points, &folded, 10);
    assert!(start_trust < 0.9, "the folded start scores {start_trust}");
}

#[test]
fn the_seed_decides_the_layout() {
    let (points, _) = blobs(30);
    let config = UmapConfig {
        n_epochs: 50,
        ..UmapConfig::default()
    };
    let first = run(&points, &config);
    assert_eq!(run(&points, &config), first);
    let other = run(&points, &UmapConfig { seed: 43, ..config });
    assert_ne!(other, first);
}

#[test]
fn too_few_points_or_bad_settings_are_refused_with_the_reason() {
    let (points, _) = blobs(4);
    let error = umap(&points, &UmapConfig::default()).map_err(|error| error.to_string());
    assert_eq!(
        error,
        Err("the UMAP (one point and its n_neighbors - 1 neighbours) has 12 samples; at least 15 are needed".into())
    );
    for (config, parameter) in [
        (
            UmapConfig {
                n_neighbors: 1,
                ..UmapConfig::default()
            },
            "n_neighbors",
        ),
        (
            UmapConfig {
                min_dist: 1.5,
                ..UmapConfig::default()
            },
            "min_dist",
        ),
        (
            UmapConfig {
                n_epochs: 0,
                ..UmapConfig::default()
            },
            "n_epochs",
        ),
    ] {
        assert!(
            matches!(umap(&points, &config), Err(AnalysisError::InvalidParameter { parameter: p, .. }) if p == parameter),
            "{parameter}"
        );
    }
    let mut broken = points.clone();
    broken.data[5] = f64::NAN;
    let config = UmapConfig {
        n_neighbors: 3,
        ..UmapConfig::default()
    };
    assert!(umap(&broken, &config).is_err());
}

#[test]
fn cells_are_laid_out_from_their_pca() {
    // Two kinds of cells that express different genes.
    let rows: Vec<Vec<u32>> = (0..40)
        .map(|cell| {
            (0..30)
                .map(|gene| {
                    let own = (gene < 15) == (cell < 20);
                    let base = if own { 20 } else { 1 };
                    ((base + (cell * 7 + gene * 3) % 5) as u32).saturating_sub(2)
                })
                .collect()
        })
        .collect();
    let matrix = sparse_matrix(&rows);
    let config = UmapConfig {
        n_neighbors: 5,
        ..UmapConfig::default()
    };
    let layout = cell_umap(&matrix, &config).unwrap_or_else(|error| panic!("{error}"));
    let labels: Vec<usize> = (0..40).map(|cell| usize::from(cell >= 20)).collect();
    assert_eq!(nearest_label_agreement(&layout, &labels), 1.0);
    // The viewer's overview of single-cell counts is the UMAP's own PCA, so the UMAP can
    // start from it and give the same layout.
    let overview = crate::overview(&matrix);
    let start = overview.pca.unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(pca(&matrix, &CELL_UMAP_PCA).as_ref(), Ok(&start));
    assert_eq!(umap_of_pca(&start, &config), Ok(layout));
    let few = sparse_matrix(&rows[..4]);
    assert!(matches!(
        cell_umap(&few, &config),
        Err(AnalysisError::TooFewSamples {
            size: 4,
            minimum: 5,
            ..
        })
    ));
}
