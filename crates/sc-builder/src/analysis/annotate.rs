//! Cluster annotation into Cell Ontology types from two kinds of evidence
//!
//! For each cluster and each candidate PBMC type:
//! - marker score: the mean, over the candidate's CL consensus marker genes measured in the
//!   data, of (cluster mean - all-cell mean) / all-cell standard deviation of the log values;
//! - HPA score: the Pearson correlation between the cluster's mean profile and the candidate's
//!   HPA sorted-cell profile, both centred gene by gene (across clusters, across HPA types),
//!   over the 1,000 genes most variable across the HPA PBMC types (IFN-responsive genes left
//!   out); the best of the candidate's HPA columns;
//! - total = marker score + 2 x HPA score. The cluster takes the candidate with the largest
//!   total. Candidates without an HPA profile (megakaryocytes, erythrocytes) rely on markers.

use synthome_analysis::pearson;

use crate::dataset::Dataset;

use super::embed::{Embedding, SCALE, log_value};

/// Weight of the HPA correlation against the marker score
pub(crate) const HPA_WEIGHT: f64 = 2.0;
/// Genes used for the HPA correlation
const HPA_GENES: usize = 1_000;

/// A PBMC cell type the annotation can assign
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// Cell Ontology id
    pub id: &'static str,
    /// Short name for tables
    pub name: &'static str,
    /// CL terms whose consensus markers are used
    pub marker_terms: &'static [&'static str],
    /// HPA blood table columns that profile it
    pub hpa_columns: &'static [&'static str],
}

/// The candidate types (reviewed: each CL id, its marker terms and its HPA columns)
pub const CANDIDATES: [Candidate; 10] = [
    Candidate {
        id: "CL:0000624",
        name: "CD4 T",
        marker_terms: &["CL:0000624"],
        hpa_columns: &["naive_CD4_T_cell", "memory_CD4_T_cell", "T_reg"],
    },
    Candidate {
        id: "CL:0000625",
        name: "CD8 T",
        marker_terms: &["CL:0000625"],
        hpa_columns: &["naive_CD8_T_cell", "memory_CD8_T_cell"],
    },
    Candidate {
        id: "CL:0000623",
        name: "NK",
        marker_terms: &["CL:0000623"],
        hpa_columns: &["NK_cell"],
    },
    Candidate {
        id: "CL:0000236",
        name: "B",
        marker_terms: &["CL:0000236"],
        hpa_columns: &["naive_B_cell", "memory_B_cell"],
    },
    Candidate {
        id: "CL:0001054",
        name: "CD14 monocyte",
        marker_terms: &["CL:0000576"],
        hpa_columns: &["classical_monocyte"],
    },
    Candidate {
        id: "CL:0002396",
        name: "CD16 monocyte",
        marker_terms: &["CL:0000576"],
        hpa_columns: &["non_classical_monocyte"],
    },
    Candidate {
        id: "CL:0000451",
        name: "dendritic cell",
        marker_terms: &["CL:0000451"],
        hpa_columns: &["myeloid_DC"],
    },
    Candidate {
        id: "CL:0000784",
        name: "pDC",
        marker_terms: &["CL:0000784"],
        hpa_columns: &["plasmacytoid_DC"],
    },
    Candidate {
        id: "CL:0000556",
        name: "megakaryocyte",
        marker_terms: &["CL:0000556", "CL:0000233"],
        hpa_columns: &[],
    },
    Candidate {
        id: "CL:0000232",
        name: "erythrocyte",
        marker_terms: &["CL:0000232"],
        hpa_columns: &[],
    },
];

/// The scores of one candidate for one cluster
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// Index into [`CANDIDATES`]
    pub candidate: usize,
    /// Marker score
    pub marker: f64,
    /// HPA correlation (0 without an HPA profile)
    pub hpa: f64,
    /// marker + HPA_WEIGHT * hpa
    pub total: f64,
}

/// The evidence for one cluster's annotation
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterEvidence {
    /// Cluster number (by size, 0 largest)
    pub cluster: usize,
    /// Cells
    pub n_cells: usize,
    /// Stimulated cells among them
    pub n_stimulated: usize,
    /// Scores of every candidate, best first
    pub scores: Vec<Score>,
}

impl ClusterEvidence {
    /// The chosen candidate
    pub(crate) fn chosen(&self) -> usize {
        self.scores[0].candidate
    }
}

/// The annotation: a candidate per cell, with the evidence
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// Candidate index of each cell
    pub cell_types: Vec<usize>,
    /// One entry per cluster
    pub clusters: Vec<ClusterEvidence>,
    /// Per candidate, its measured marker genes (universe indices)
    pub marker_genes: Vec<Vec<u32>>,
}

/// Annotates the clusters of the cells
pub(crate) fn annotate(dataset: &Dataset, embedding: &Embedding, clusters: &[usize]) -> Annotation {
    let n_genes = dataset.gene_ids.len();
    let n_clusters = clusters.iter().copied().max().map_or(0, |max| max + 1);
    let counts = &dataset.counts;
    let n_cells = counts.n_cells();
    // log-value moments over all cells and log / linear sums per cluster
    let mut sum = vec![0.0; n_genes];
    let mut sum2 = vec![0.0; n_genes];
    let mut cluster_log = vec![vec![0.0; n_genes]; n_clusters];
    let mut cluster_linear = vec![vec![0.0; n_genes]; n_clusters];
    let mut sizes = vec![0usize; n_clusters];
    let mut stimulated = vec![0usize; n_clusters];
    for cell in 0..n_cells {
        let cluster = clusters[cell];
        sizes[cluster] += 1;
        stimulated[cluster] += usize::from(dataset.cells[cell].stimulated);
        let (genes, values) = counts.row(cell);
        for (&gene, &count) in genes.iter().zip(values) {
            let y = log_value(count, embedding.libraries[cell]);
            sum[gene as usize] += y;
            sum2[gene as usize] += y * y;
            cluster_log[cluster][gene as usize] += y;
            cluster_linear[cluster][gene as usize] +=
                SCALE * f64::from(count) / embedding.libraries[cell];
        }
    }
    let n = n_cells as f64;
    let mean_all: Vec<f64> = sum.iter().map(|s| s / n).collect();
    let sd_all: Vec<f64> = (0..n_genes)
        .map(|g| (sum2[g] / n - mean_all[g] * mean_all[g]).max(0.0).sqrt())
        .collect();
    for cluster in 0..n_clusters {
        let size = sizes[cluster].max(1) as f64;
        for g in 0..n_genes {
            cluster_log[cluster][g] /= size;
            cluster_linear[cluster][g] = (cluster_linear[cluster][g] / size).ln_1p();
        }
    }
    let marker_genes: Vec<Vec<u32>> = CANDIDATES
        .iter()
        .map(|candidate| {
            let mut genes: Vec<u32> = candidate
                .marker_terms
                .iter()
                .filter_map(|term| dataset.markers.by_term.get(*term))
                .flat_map(|(_, ids)| ids.iter())
                .filter_map(|id| dataset.gene_ids.binary_search(id).ok())
                .filter(|&g| dataset.measured[g])
                .map(|g| g as u32)
                .collect();
            genes.sort_unstable();
            genes.dedup();
            genes
        })
        .collect();
    let hpa = HpaReference::new(dataset, embedding);
    let clusters_evidence = (0..n_clusters)
        .map(|cluster| {
            let profile = &cluster_log[cluster];
            let centred = hpa.centred_cluster(&cluster_linear, cluster);
            let mut scores: Vec<Score> = CANDIDATES
                .iter()
                .enumerate()
                .map(|(index, candidate)| {
                    let genes = &marker_genes[index];
                    let marker = if genes.is_empty() {
                        0.0
                    } else {
                        genes
                            .iter()
                            .map(|&g| {
                                let g = g as usize;
                                (profile[g] - mean_all[g]) / (sd_all[g] + 1e-3)
                            })
                            .sum::<f64>()
                            / genes.len() as f64
                    };
                    let hpa_score = candidate
                        .hpa_columns
                        .iter()
                        .filter_map(|column| hpa.correlation(&centred, column))
                        .fold(None, |best: Option<f64>, r| {
                            Some(best.map_or(r, |b| b.max(r)))
                        })
                        .unwrap_or(0.0);
                    Score {
                        candidate: index,
                        marker,
                        hpa: hpa_score,
                        total: marker + HPA_WEIGHT * hpa_score,
                    }
                })
                .collect();
            scores.sort_by(|a, b| {
                b.total
                    .total_cmp(&a.total)
                    .then(a.candidate.cmp(&b.candidate))
            });
            ClusterEvidence {
                cluster,
                n_cells: sizes[cluster],
                n_stimulated: stimulated[cluster],
                scores,
            }
        })
        .collect::<Vec<_>>();
    let cell_types = clusters
        .iter()
        .map(|&cluster| clusters_evidence[cluster].chosen())
        .collect();
    Annotation {
        cell_types,
        clusters: clusters_evidence,
        marker_genes,
    }
}

/// The HPA profiles centred per gene across the candidates' columns, on informative genes
struct HpaReference {
    /// Informative genes (universe indices)
    genes: Vec<usize>,
    /// Column names used
    columns: Vec<String>,
    /// Centred log1p nTPM, column-major: `values[column][position]`
    values: Vec<Vec<f64>>,
}

impl HpaReference {
    fn new(dataset: &Dataset, embedding: &Embedding) -> HpaReference {
        let table = &dataset.hpa;
        let mut columns: Vec<String> = Vec::new();
        for candidate in &CANDIDATES {
            for column in candidate.hpa_columns {
                if table.column(column).is_some() && !columns.iter().any(|c| c == column) {
                    columns.push((*column).to_owned());
                }
            }
        }
        let indices: Vec<usize> = columns.iter().filter_map(|c| table.column(c)).collect();
        let width = table.columns.len();
        let log = |gene: usize, column: usize| table.values[gene * width + column].ln_1p();
        let mut candidates: Vec<(f64, usize)> = (0..dataset.gene_ids.len())
            .filter(|&g| dataset.measured[g] && !embedding.ifn_responsive[g])
            .filter_map(|g| {
                if indices.is_empty() {
                    return None;
                }
                let values: Vec<f64> = indices.iter().map(|&c| log(g, c)).collect();
                let mean = values.iter().sum::<f64>() / values.len() as f64;
                let variance =
                    values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64;
                (variance > 0.0).then_some((variance, g))
            })
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        candidates.truncate(HPA_GENES);
        let mut genes: Vec<usize> = candidates.into_iter().map(|(_, g)| g).collect();
        genes.sort_unstable();
        let mut values = vec![vec![0.0; genes.len()]; indices.len()];
        for (position, &g) in genes.iter().enumerate() {
            let row: Vec<f64> = indices.iter().map(|&c| log(g, c)).collect();
            let mean = row.iter().sum::<f64>() / row.len() as f64;
            for (column, value) in row.iter().enumerate() {
                values[column][position] = value - mean;
            }
        }
        HpaReference {
            genes,
            columns,
            values,
        }
    }

    /// The cluster's log mean profile on the informative genes, centred across clusters
    fn centred_cluster(&self, cluster_linear: &[Vec<f64>], cluster: usize) -> Vec<f64> {
        let n_clusters = cluster_linear.len() as f64;
        self.genes
            .iter()
            .map(|&g| {
                let mean = cluster_linear.iter().map(|c| c[g]).sum::<f64>() / n_clusters;
                cluster_linear[cluster][g] - mean
            })
            .collect()
    }

    /// Pearson correlation of a centred cluster profile with an HPA column
    fn correlation(&self, centred: &[f64], column: &str) -> Option<f64> {
        let index = self.columns.iter().position(|c| c == column)?;
        Some(pearson(centred, &self.values[index]).unwrap_or(0.0))
    }
}
