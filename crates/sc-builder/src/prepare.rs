//! Reading the inputs and the unsupervised analysis shared by the build and the realism report

use std::path::Path;

use crate::analysis::annotate::{Annotation, annotate};
use crate::analysis::embed::Embedding;
use crate::analysis::kmeans::kmeans;
use crate::atlas::AtlasData;
use crate::dataset::{Dataset, load};
use crate::error::BuildError;
use synthome_inputs::{InputFile, Inputs};

/// Options of the analysis
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildOptions {
    /// k-means clusters (more clusters than types: clusters are merged by their annotation)
    pub n_clusters: usize,
    /// k-means restarts (the lowest inertia is kept)
    pub restarts: usize,
    /// Seed of the k-means seeding
    pub seed: u64,
}

impl Default for BuildOptions {
    /// 20 clusters, 10 restarts, seed 2018
    fn default() -> BuildOptions {
        BuildOptions {
            n_clusters: 20,
            restarts: 10,
            seed: 2018,
        }
    }
}

/// The inputs and the analysis of all cells
#[derive(Debug)]
pub struct Prepared {
    /// The data
    pub dataset: Dataset,
    /// Embedding of the cells
    pub embedding: Embedding,
    /// Cell types
    pub annotation: Annotation,
    /// The atlas profiles, when the data folder has the cell-profile library
    pub atlas: Option<AtlasData>,
    /// Input files with sha256
    pub inputs: Vec<InputFile>,
}

/// Reads the data folder and annotates every cell
pub fn prepare(data_dir: &Path, options: &BuildOptions) -> Result<Prepared, BuildError> {
    let mut files = Inputs::new(data_dir);
    let dataset = load(&mut files)?;
    if dataset.counts.n_cells() < options.n_clusters {
        return Err(BuildError::Data {
            step: "clustering",
            detail: format!(
                "{} cells are fewer than the {} clusters asked for",
                dataset.counts.n_cells(),
                options.n_clusters
            ),
        });
    }
    let embedding = Embedding::new(&dataset);
    let clusters = kmeans(
        &embedding.pca.scores,
        options.n_clusters,
        options.restarts,
        options.seed,
    );
    let annotation = annotate(&dataset, &embedding, &clusters);
    let atlas = crate::atlas::profiles::load(&mut files, &dataset)?;
    Ok(Prepared {
        dataset,
        embedding,
        annotation,
        atlas,
        inputs: files.into_read(),
    })
}
