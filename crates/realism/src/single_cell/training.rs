//! The real training cells as the report's reference: their points in the build's embedding,
//! the per-type centroids of the nearest-centroid classifier, and the distance to the nearest
//! training cell (the memorisation check)

use synthome_analysis::squared_distance;
use synthome_sc_builder::{Fitted, Prepared};

/// Counts of one real cell: its gene indices and their counts
pub(crate) fn real_cell(prepared: &Prepared, cell: usize) -> (Vec<u32>, Vec<u32>) {
    let (genes, counts) = prepared.dataset.counts.row(cell);
    (genes.to_vec(), counts.to_vec())
}

/// A cell's point in the build's embedding
pub(crate) fn project(prepared: &Prepared, cell: &(Vec<u32>, Vec<u32>)) -> Vec<f64> {
    let library: f64 = cell.1.iter().map(|&c| f64::from(c)).sum();
    prepared.embedding.project(&cell.0, &cell.1, library)
}

/// The training cells of the modelled types, projected
pub(crate) struct Training {
    /// Cell indices
    cells: Vec<usize>,
    /// Their points, in the same order
    points: Vec<Vec<f64>>,
    /// Centroid of each modelled type (`fitted.type_candidates` order)
    pub centroids: Vec<Vec<f64>>,
}

impl Training {
    /// The cells marked in `train` whose type was modelled
    pub(crate) fn new(prepared: &Prepared, fitted: &Fitted, train: &[bool]) -> Training {
        let cell_types = &prepared.annotation.cell_types;
        let cells: Vec<usize> = (0..prepared.dataset.cells.len())
            .filter(|&c| train[c] && fitted.type_candidates.contains(&cell_types[c]))
            .collect();
        let points: Vec<Vec<f64>> = cells
            .iter()
            .map(|&c| project(prepared, &real_cell(prepared, c)))
            .collect();
        let mut training = Training {
            cells,
            points,
            centroids: Vec::new(),
        };
        training.centroids = fitted
            .type_candidates
            .iter()
            .map(|&candidate| {
                let members: Vec<&Vec<f64>> = training.points_of(prepared, candidate).collect();
                let k = members.first().map_or(0, |p| p.len());
                (0..k)
                    .map(|j| members.iter().map(|p| p[j]).sum::<f64>() / members.len() as f64)
                    .collect()
            })
            .collect();
        training
    }

    /// The points of the training cells of `candidate`, in cell order
    pub(crate) fn points_of<'a>(
        &'a self,
        prepared: &'a Prepared,
        candidate: usize,
    ) -> impl Iterator<Item = &'a Vec<f64>> + 'a {
        self.cells
            .iter()
            .zip(&self.points)
            .filter(move |(c, _)| prepared.annotation.cell_types[**c] == candidate)
            .map(|(_, p)| p)
    }

    /// Distance of `point` to the nearest training cell
    pub(crate) fn nearest_distance(&self, point: &[f64]) -> f64 {
        self.points
            .iter()
            .map(|other| squared_distance(point, other))
            .fold(f64::INFINITY, f64::min)
            .sqrt()
    }
}
