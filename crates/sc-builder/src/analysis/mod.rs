//! Unsupervised analysis of the Kang cells: normalisation, variable genes (IFN-responsive genes
//! excluded), PCA, k-means clusters, and their annotation into Cell Ontology types

pub(crate) mod annotate;
pub(crate) mod embed;
pub(crate) mod kmeans;
pub(crate) mod linalg;
