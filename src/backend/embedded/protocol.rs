//! The page <-> worker messages, and the conversion of a generated matrix to and from the
//! parts that cross the boundary. A declared serialization boundary: these types are the wire
//! format, not the engine's types.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use synthome_analysis::Umap;

use crate::results::overview::ResultOverview;
use synthome_matrix::{
    Csr, Dense, ExpressionMatrix, ExpressionValues, GeneTable, MetadataField, PackedVec,
    Provenance, SampleMetadata, merge_part_warnings,
};

/// A message from the page to the worker. A `Load` carries the bundle bytes beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    /// Decode the bundle sent beside this message and register it under `name`.
    Load {
        /// The bundle's file name, for error messages.
        name: String,
    },
    /// Run a query on a loaded model (the worker validates it: its one pass in the worker).
    Run {
        /// What the run is for.
        job: Job,
        /// Model id or alias.
        model: String,
        /// The query JSON.
        query: String,
        /// The seed to use when the query has none (drawn by the page).
        fallback_seed: u64,
        /// For a generation split across workers: this worker's share, answered by
        /// [`Event::Part`] instead of a result; `None` for the whole query.
        share: Option<Share>,
    },
    /// Put the parts of a split generation together (their value buffers follow, part after
    /// part, each laid out as its `kind` says) and answer as for a whole run: the result, its
    /// overview, its UMAP.
    Join {
        /// The parts' headers, in sample order.
        parts: Vec<ResultHeader>,
    },
    /// Read the counts table sent beside this message and align it to `model`; the worker
    /// keeps it for [`Request::Predict`] and [`Request::Condition`] (answered by
    /// [`Event::Aligned`]).
    Align {
        /// Model id or alias.
        model: String,
        /// The file's name (its extension helps tell h5ad from text; errors name it).
        file_name: String,
    },
    /// Predict the metadata of every sample of the kept table ([`Event::Predicted`]).
    Predict,
    /// Condition on one sample of the kept table ([`Event::Conditioned`]).
    Condition(Box<ConditionRequest>),
}

/// One worker's share of a generation: the query's samples `start..end`, numbered over its
/// inputs in order ([`synthome_query::ValidQuery::span`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    /// Which share (0 = the first samples).
    pub index: usize,
    /// The first sample.
    pub start: u64,
    /// One past the last sample.
    pub end: u64,
}

/// A reference-conditioning run on one sample of the kept table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionRequest {
    /// The sample's index in the table.
    pub sample: usize,
    /// Perturbation metadata (`perturbation_ontology_id`, `perturbation_dose`, ...).
    pub metadata: BTreeMap<String, String>,
    /// Samples to generate.
    pub num_samples: u32,
    /// The seed (drawn by the page).
    pub seed: u64,
}

/// A counts table as the worker read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableSummary {
    /// The file's name.
    pub file_name: String,
    /// The model it was aligned to.
    pub model_id: String,
    /// How it was read (`CSV/TSV`, `h5ad`).
    pub format: String,
    /// Sample names, in table order.
    pub samples: Vec<String>,
    /// Table genes that matched a model gene.
    pub matched: usize,
    /// Genes in the table.
    pub table_genes: usize,
    /// Genes of the model.
    pub model_genes: usize,
    /// Whether genes were the table's rows (else its columns).
    pub genes_are_rows: bool,
    /// Values that were not whole numbers and were rounded.
    pub rounded: usize,
}

/// One sample's predicted metadata, or why it has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SamplePrediction {
    /// The sample's name.
    pub sample: String,
    /// The prediction, or the message of why the sample could not be predicted.
    pub outcome: Result<PredictedMetadata, String>,
}

/// Predicted metadata of a sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictedMetadata {
    /// The most probable value of each key the prediction is sure enough of, in key order.
    pub metadata: Vec<(String, String)>,
    /// Every key's values and their probabilities.
    pub classifier_probs: BTreeMap<String, BTreeMap<String, f64>>,
}

/// What a run is for: it decides the limits, whether progress is posted, and where the page
/// sends the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Job {
    /// The user's generation: the browser's limits, progress posted.
    Generation,
    /// The ground truth of a result (one mean-estimation sample per input): no progress.
    GroundTruth,
    /// The "Your data" view's requests (align, predict, condition): answered in order.
    YourData,
}

/// A message from the worker to the page. A `Result` carries the value buffers beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The worker's code is running and listening.
    Ready,
    /// A bundle was decoded.
    Loaded {
        /// The model id it holds.
        model_id: String,
    },
    /// Generation progress (of [`Job::Generation`] runs only).
    Progress {
        /// Samples done.
        done: u64,
        /// Samples in all.
        total: u64,
    },
    /// A run finished; the values follow as buffers.
    Result(Box<ResultHeader>),
    /// A share of a split generation finished; its values follow as buffers.
    Part {
        /// The share's index.
        index: usize,
        /// Everything but the values.
        header: Box<ResultHeader>,
    },
    /// The overview of the [`Job::Generation`] result just posted (computed after posting it,
    /// so the page shows the summary while the worker works out the plots' statistics).
    Overview(Box<ResultOverview>),
    /// The UMAP of the same result (or why there is none), posted after its overview: a
    /// generation's last message.
    Umap(Box<Result<Umap, String>>),
    /// A counts table was read and aligned.
    Aligned(Box<TableSummary>),
    /// Every sample of the kept table, predicted (a struct variant: a tagged newtype cannot
    /// hold a sequence).
    Predicted {
        /// The samples, in table order.
        samples: Vec<SamplePrediction>,
    },
    /// A reference-conditioning result: the value buffers follow as for [`Event::Result`],
    /// then one more buffer, the reference sample's aligned counts (u32, model gene order).
    Conditioned(Box<ResultHeader>),
    /// Loading (no job) or a run failed.
    Failed {
        /// The run that failed; `None` for a bundle that did not load.
        job: Option<Job>,
        /// What went wrong, for the user.
        message: String,
    },
    /// The request just answered left the worker's memory more than [`SPENT_GROWTH_BYTES`]
    /// above its size once its bundles were loaded: wasm memory never shrinks, so the page
    /// replaces the worker with a fresh one when it has nothing else to do.
    Spent {
        /// Bytes above the size after loading.
        grown_bytes: u64,
    },
}

/// How far a worker's memory may grow over its size after loading before it asks to be
/// replaced ([`Event::Spent`]): 192 MiB. A 1,000 x 20,000 bulk result with its overview grows
/// a worker by about 116 MiB, which the next run reuses, so it is kept (a fresh worker would
/// make a run started at once wait for its bundles); 10,000 cells grow it by 350-500 MiB.
pub const SPENT_GROWTH_BYTES: u64 = 192 << 20;

/// The same for a helper worker, which keeps nothing after its share: 64 MiB. A helper's share
/// of 1,000 bulk samples grows it by about 9 MiB (kept, so the next split generation starts at
/// once); a share of 10,000 cells by about 145 MiB, which the helper gives back by being
/// stopped.
pub const HELPER_SPENT_GROWTH_BYTES: u64 = 64 << 20;

/// How the value buffers of a result are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValuesKind {
    /// One buffer: u32 counts, row-major.
    Counts,
    /// One buffer: f32 expected counts, row-major.
    Expected,
    /// Three buffers: u32 indptr; indices and data, each u16 when all its values fit and u32
    /// otherwise (the width is the buffer's bytes over the entry count, the last indptr).
    SparseCounts,
}

impl ValuesKind {
    /// How many buffers carry values laid out this way.
    pub fn buffers(self) -> usize {
        match self {
            ValuesKind::Counts | ValuesKind::Expected => 1,
            ValuesKind::SparseCounts => 3,
        }
    }
}

/// Everything about a result except its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultHeader {
    /// The run this is the result of.
    pub job: Job,
    /// The model's id: the page takes the gene table from its own copy of the model.
    pub model_id: String,
    /// Samples (rows).
    pub n_samples: usize,
    /// Genes (columns).
    pub n_genes: usize,
    /// Layout of the value buffers.
    pub kind: ValuesKind,
    /// Per-sample metadata, in row order.
    pub samples: Vec<WireSample>,
    /// What produced the result.
    pub provenance: WireProvenance,
    /// Milliseconds the worker spent generating.
    pub elapsed_ms: f64,
}

/// One sample's metadata on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireSample {
    /// The sample id.
    pub id: String,
    /// `(key, value, inferred)` in order.
    pub fields: Vec<(String, String, bool)>,
}

/// Provenance on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireProvenance {
    /// Model id.
    pub model_id: String,
    /// Model version.
    pub model_version: String,
    /// Bundle sha256.
    pub bundle_sha256: String,
    /// The query as run.
    pub query_json: String,
    /// The seed used.
    pub seed: u64,
    /// The sampling strategy.
    pub sampling_strategy: String,
    /// Warnings raised.
    pub warnings: Vec<String>,
}

/// The value arrays of a result, as they cross the boundary.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueBuffers {
    /// u32 counts.
    Counts(Vec<u32>),
    /// f32 expected counts.
    Expected(Vec<f32>),
    /// CSR arrays.
    Sparse {
        /// Row pointers.
        indptr: Vec<u32>,
        /// Column indices.
        indices: PackedVec,
        /// Values.
        data: PackedVec,
    },
}

/// A result that does not fit back together (a bug or a mismatched model, never user input).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the worker's result does not fit together: {0}")]
pub struct ReassemblyError(String);

/// Splits the matrix a `job` generated into the header and the buffers to transfer.
pub fn split(
    job: Job,
    matrix: ExpressionMatrix,
    provenance: Provenance,
    elapsed_ms: f64,
) -> (ResultHeader, ValueBuffers) {
    let n_samples = matrix.n_samples();
    let n_genes = matrix.n_genes();
    let (_, samples, values) = matrix.into_parts();
    let (kind, buffers) = match values {
        ExpressionValues::Counts(dense) => {
            (ValuesKind::Counts, ValueBuffers::Counts(dense.into_data()))
        }
        ExpressionValues::Expected(dense) => (
            ValuesKind::Expected,
            ValueBuffers::Expected(dense.into_data()),
        ),
        ExpressionValues::SparseCounts(csr) => {
            let (indptr, indices, data) = csr.into_parts();
            (
                ValuesKind::SparseCounts,
                ValueBuffers::Sparse {
                    indptr,
                    indices,
                    data,
                },
            )
        }
    };
    let header = ResultHeader {
        job,
        model_id: provenance.model_id.clone(),
        n_samples,
        n_genes,
        kind,
        samples: samples.into_iter().map(wire_sample).collect(),
        provenance: WireProvenance {
            model_id: provenance.model_id,
            model_version: provenance.model_version,
            bundle_sha256: provenance.bundle_sha256,
            query_json: provenance.query_json,
            seed: provenance.seed,
            sampling_strategy: provenance.sampling_strategy,
            warnings: provenance.warnings,
        },
        elapsed_ms,
    };
    (header, buffers)
}

/// The header of the parts of a split generation put end to end: their samples in order, the
/// first part's provenance with every part's warnings merged as a single run raises them, and
/// the longest part's time (the parts ran side by side). Parts of different models, genes or
/// value layouts do not fit together.
pub fn join_headers(parts: Vec<ResultHeader>) -> Result<ResultHeader, ReassemblyError> {
    let mut parts = parts.into_iter();
    let mut joined = parts
        .next()
        .ok_or_else(|| ReassemblyError("a split generation came back without parts".into()))?;
    for part in parts {
        if (&part.model_id, part.n_genes, part.kind, part.job)
            != (&joined.model_id, joined.n_genes, joined.kind, joined.job)
        {
            return Err(ReassemblyError(format!(
                "a part of {} x {} genes ({:?}) does not go with parts of {} x {} genes ({:?})",
                part.model_id,
                part.n_genes,
                part.kind,
                joined.model_id,
                joined.n_genes,
                joined.kind
            )));
        }
        joined.n_samples += part.n_samples;
        joined.samples.extend(part.samples);
        merge_part_warnings(&mut joined.provenance.warnings, part.provenance.warnings);
        joined.elapsed_ms = joined.elapsed_ms.max(part.elapsed_ms);
    }
    Ok(joined)
}

/// One part's value arrays as they arrive, read without an intermediate copy: array `index`
/// is the values (dense) or 0 indptr, 1 indices, 2 data (sparse), as [`ValuesKind`] lays
/// them out.
pub trait PartArrays {
    /// How the part's values are laid out.
    fn kind(&self) -> ValuesKind;
    /// Elements of array `index`.
    fn len(&self, index: usize) -> usize;
    /// Bytes per element of array `index`: 2 for a packed sparse array whose values all fit,
    /// 4 otherwise.
    fn width(&self, index: usize) -> usize;
    /// Copies array `index` of u32 into `into` (of its length), widening two-byte values.
    fn copy_u32(&self, index: usize, into: &mut [u32]);
    /// Copies array `index`, of two-byte values, into `into` (of its length).
    fn copy_u16(&self, index: usize, into: &mut [u16]);
    /// Copies array `index` of f32 into `into` (of its length).
    fn copy_f32(&self, index: usize, into: &mut [f32]);
}

/// The value arrays of the parts of a split generation put end to end (rows after rows; a
/// sparse part's row pointers moved past the entries before it), each array allocated once at
/// its final size and each part copied into it once. Parts of different layouts do not fit
/// together.
pub fn join_values<P: PartArrays>(parts: &[P]) -> Result<ValueBuffers, ReassemblyError> {
    let Some(kind) = parts.first().map(PartArrays::kind) else {
        return Err(ReassemblyError(
            "a split generation came back without values".into(),
        ));
    };
    if parts.iter().any(|part| part.kind() != kind) {
        return Err(ReassemblyError(
            "the parts of a split generation have different value layouts".into(),
        ));
    }
    // Array `index` of every part end to end; `copy` puts one part's into its place.
    fn concatenated<T: Copy + Default, P: PartArrays>(
        parts: &[P],
        index: usize,
        copy: fn(&P, usize, &mut [T]),
    ) -> Vec<T> {
        let mut joined = vec![T::default(); parts.iter().map(|part| part.len(index)).sum()];
        let mut start = 0;
        for part in parts {
            let end = start + part.len(index);
            copy(part, index, &mut joined[start..end]);
            start = end;
        }
        joined
    }
    Ok(match kind {
        ValuesKind::Counts => ValueBuffers::Counts(concatenated(parts, 0, P::copy_u32)),
        ValuesKind::Expected => ValueBuffers::Expected(concatenated(parts, 0, P::copy_f32)),
        ValuesKind::SparseCounts => {
            let mut indptr = vec![0];
            let mut entries_before = 0;
            for part in parts {
                let mut own = vec![0; part.len(0)];
                part.copy_u32(0, &mut own);
                indptr.extend(own.iter().skip(1).map(|&start| entries_before + start));
                entries_before += own.last().copied().unwrap_or(0);
            }
            // Two bytes per value when every part's values fit in two.
            let packed = |index: usize| {
                if parts.iter().all(|part| part.width(index) == 2) {
                    PackedVec::U16(concatenated(parts, index, P::copy_u16))
                } else {
                    PackedVec::U32(concatenated(parts, index, P::copy_u32))
                }
            };
            ValueBuffers::Sparse {
                indptr,
                indices: packed(1),
                data: packed(2),
            }
        }
    })
}

impl ValueBuffers {
    /// Sparse array `index` (1 indices, 2 data), the ones that are packed.
    fn packed(&self, index: usize) -> Option<&PackedVec> {
        match (self, index) {
            (ValueBuffers::Sparse { indices, .. }, 1) => Some(indices),
            (ValueBuffers::Sparse { data, .. }, 2) => Some(data),
            _ => None,
        }
    }
}

impl PartArrays for ValueBuffers {
    fn kind(&self) -> ValuesKind {
        match self {
            ValueBuffers::Counts(_) => ValuesKind::Counts,
            ValueBuffers::Expected(_) => ValuesKind::Expected,
            ValueBuffers::Sparse { .. } => ValuesKind::SparseCounts,
        }
    }

    fn len(&self, index: usize) -> usize {
        match (self, index) {
            (ValueBuffers::Counts(data), 0) => data.len(),
            (ValueBuffers::Expected(data), 0) => data.len(),
            (ValueBuffers::Sparse { indptr, .. }, 0) => indptr.len(),
            (ValueBuffers::Sparse { indices, .. }, 1) => indices.len(),
            (ValueBuffers::Sparse { data, .. }, 2) => data.len(),
            _ => 0,
        }
    }

    fn width(&self, index: usize) -> usize {
        self.packed(index).map_or(4, PackedVec::width)
    }

    fn copy_u32(&self, index: usize, into: &mut [u32]) {
        match (self, index) {
            (ValueBuffers::Counts(data), 0) | (ValueBuffers::Sparse { indptr: data, .. }, 0) => {
                into.copy_from_slice(data);
            }
            _ => {
                if let Some(packed) = self.packed(index) {
                    for (slot, value) in into.iter_mut().zip(packed.as_packed()) {
                        *slot = value;
                    }
                }
            }
        }
    }

    fn copy_u16(&self, index: usize, into: &mut [u16]) {
        if let Some(PackedVec::U16(values)) = self.packed(index) {
            into.copy_from_slice(values);
        }
    }

    fn copy_f32(&self, index: usize, into: &mut [f32]) {
        if let (ValueBuffers::Expected(data), 0) = (self, index) {
            into.copy_from_slice(data);
        }
    }
}

/// Puts a result back together on the page, with the gene table of the page's model.
pub fn reassemble(
    header: ResultHeader,
    buffers: ValueBuffers,
    genes: Arc<GeneTable>,
) -> Result<(ExpressionMatrix, Provenance), ReassemblyError> {
    let shape_error = |error: synthome_matrix::MatrixError| ReassemblyError(error.to_string());
    let values = match buffers {
        ValueBuffers::Counts(data) => ExpressionValues::Counts(
            Dense::new(header.n_samples, header.n_genes, data).map_err(shape_error)?,
        ),
        ValueBuffers::Expected(data) => ExpressionValues::Expected(
            Dense::new(header.n_samples, header.n_genes, data).map_err(shape_error)?,
        ),
        ValueBuffers::Sparse {
            indptr,
            indices,
            data,
        } => ExpressionValues::SparseCounts(
            Csr::from_packed(header.n_samples, header.n_genes, indptr, indices, data)
                .map_err(shape_error)?,
        ),
    };
    let samples = header.samples.into_iter().map(sample_metadata).collect();
    let matrix = ExpressionMatrix::new(genes, samples, values).map_err(shape_error)?;
    let wire = header.provenance;
    let provenance = Provenance {
        model_id: wire.model_id,
        model_version: wire.model_version,
        bundle_sha256: wire.bundle_sha256,
        query_json: wire.query_json,
        seed: wire.seed,
        sampling_strategy: wire.sampling_strategy,
        warnings: wire.warnings,
    };
    Ok((matrix, provenance))
}

fn wire_sample(sample: SampleMetadata) -> WireSample {
    WireSample {
        id: sample.sample_id,
        fields: sample
            .fields
            .into_iter()
            .map(|field| (field.key, field.value, field.inferred))
            .collect(),
    }
}

fn sample_metadata(sample: WireSample) -> SampleMetadata {
    let fields = sample
        .fields
        .into_iter()
        .map(|(key, value, inferred)| MetadataField {
            key,
            value,
            inferred,
        })
        .collect();
    SampleMetadata::new(sample.id, fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn genes(n: usize) -> Arc<GeneTable> {
        Arc::new(
            GeneTable::new(
                (0..n).map(|g| format!("ENSG{g:011}")).collect(),
                (0..n).map(|g| format!("G{g}")).collect(),
            )
            .expect("genes"),
        )
    }

    fn samples(n: usize) -> Vec<SampleMetadata> {
        (0..n)
            .map(|s| {
                SampleMetadata::new(
                    format!("sample_{s}"),
                    vec![MetadataField {
                        key: "sex".into(),
                        value: "female".into(),
                        inferred: s == 0,
                    }],
                )
            })
            .collect()
    }

    fn provenance() -> Provenance {
        Provenance {
            model_id: "synthome-bulk-v1".into(),
            model_version: "1.0.0".into(),
            bundle_sha256: "ab".repeat(32),
            query_json: "{}".into(),
            seed: 11,
            sampling_strategy: "sample generation".into(),
            warnings: vec!["transferred".into()],
        }
    }

    fn round_trip(matrix: ExpressionMatrix) {
        let genes = matrix.genes_arc().clone();
        let (header, buffers) = split(Job::Generation, matrix.clone(), provenance(), 1.5);
        let header_json =
            serde_json::to_string(&Event::Result(Box::new(header))).expect("serialize");
        let Event::Result(header) = serde_json::from_str(&header_json).expect("parse") else {
            panic!("not a result");
        };
        let (back, provenance_back) = reassemble(*header, buffers, genes).expect("reassembled");
        assert_eq!(back, matrix);
        assert_eq!(provenance_back, provenance());
    }

    #[test]
    fn dense_counts_expected_and_sparse_results_survive_the_boundary() {
        let counts = Dense::new(2, 3, vec![1, 2, 3, 4, 5, 6]).expect("dense");
        round_trip(
            ExpressionMatrix::new(genes(3), samples(2), ExpressionValues::Counts(counts))
                .expect("m"),
        );
        let expected = Dense::new(2, 3, vec![0.5, 1.5, 2.0, 0.0, 3.25, 9.0]).expect("dense");
        round_trip(
            ExpressionMatrix::new(genes(3), samples(2), ExpressionValues::Expected(expected))
                .expect("m"),
        );
        let csr = Csr::new(2, 3, vec![0, 1, 3], vec![2, 0, 1], vec![7, 1, 2]).expect("csr");
        round_trip(
            ExpressionMatrix::new(genes(3), samples(2), ExpressionValues::SparseCounts(csr))
                .expect("m"),
        );
    }

    /// The matrix's samples `rows` alone, as a worker's share of it would come.
    fn rows_of(matrix: &ExpressionMatrix, rows: std::ops::Range<usize>) -> ExpressionMatrix {
        let n_genes = matrix.n_genes();
        let samples = matrix.samples()[rows.clone()].to_vec();
        let values = match matrix.values() {
            ExpressionValues::Counts(dense) => ExpressionValues::Counts(
                Dense::new(
                    rows.len(),
                    n_genes,
                    dense.data()[rows.start * n_genes..rows.end * n_genes].to_vec(),
                )
                .expect("dense"),
            ),
            ExpressionValues::SparseCounts(csr) => {
                let (first, last) = (csr.indptr()[rows.start], csr.indptr()[rows.end]);
                let entries = first as usize..last as usize;
                ExpressionValues::SparseCounts(
                    Csr::new(
                        rows.len(),
                        n_genes,
                        csr.indptr()[rows.start..=rows.end]
                            .iter()
                            .map(|&start| start - first)
                            .collect(),
                        csr.indices().slice(entries.clone()).to_vec(),
                        csr.data().slice(entries).to_vec(),
                    )
                    .expect("csr"),
                )
            }
            ExpressionValues::Expected(_) => unreachable!("not used here"),
        };
        ExpressionMatrix::new(matrix.genes_arc().clone(), samples, values).expect("m")
    }

    #[test]
    fn shares_joined_give_back_the_whole_result() {
        let dense = Dense::new(5, 2, (0..10).collect()).expect("dense");
        let csr = Csr::new(
            5,
            3,
            vec![0, 1, 1, 3, 4, 6],
            vec![2, 0, 1, 1, 0, 2],
            vec![7, 1, 2, 3, 4, 5],
        )
        .expect("csr");
        for (values, n_genes) in [
            (ExpressionValues::Counts(dense), 2),
            (ExpressionValues::SparseCounts(csr), 3),
        ] {
            let whole = ExpressionMatrix::new(genes(n_genes), samples(5), values).expect("m");
            let (mut headers, mut buffers) = (Vec::new(), Vec::new());
            for (rows, warning, elapsed) in [(0..2, "a", 4.0), (2..2, "b", 9.0), (2..5, "a", 6.0)] {
                let mut part_provenance = provenance();
                part_provenance.warnings = vec![warning.into()];
                let part = rows_of(&whole, rows);
                let (header, values) = split(Job::Generation, part, part_provenance, elapsed);
                headers.push(header);
                buffers.push(values);
            }
            let header = join_headers(headers).expect("headers fit");
            assert_eq!(header.provenance.warnings, ["a", "b"]);
            assert_eq!(header.elapsed_ms, 9.0);
            let values = join_values(&buffers).expect("values fit");
            let (back, _) = reassemble(header, values, genes(n_genes)).expect("reassembled");
            assert_eq!(back, whole);
        }
    }

    #[test]
    fn shares_of_different_layouts_do_not_join() {
        let counts = ValueBuffers::Counts(vec![1]);
        let expected = ValueBuffers::Expected(vec![1.0]);
        let error = join_values(&[counts, expected]).expect_err("mismatch");
        assert!(
            error.to_string().contains("different value layouts"),
            "{error}"
        );
        assert!(join_headers(Vec::new()).is_err());
        assert!(join_values::<ValueBuffers>(&[]).is_err());
    }

    #[test]
    fn a_result_for_another_gene_table_is_refused() {
        let counts = Dense::new(1, 3, vec![1, 2, 3]).expect("dense");
        let matrix = ExpressionMatrix::new(genes(3), samples(1), ExpressionValues::Counts(counts))
            .expect("m");
        let (header, buffers) = split(Job::GroundTruth, matrix, provenance(), 0.0);
        let error = reassemble(header, buffers, genes(4)).expect_err("mismatch");
        assert!(
            error.to_string().contains("does not fit together"),
            "{error}"
        );
    }

    #[test]
    fn requests_use_tagged_json() {
        let request = Request::Run {
            job: Job::GroundTruth,
            model: "gem-1-bulk".into(),
            query: "{}".into(),
            fallback_seed: 5,
            share: Some(Share {
                index: 1,
                start: 3,
                end: 7,
            }),
        };
        let json = serde_json::to_string(&request).expect("serialize");
        assert_eq!(
            json,
            r#"{"type":"run","job":"ground_truth","model":"gem-1-bulk","query":"{}","fallback_seed":5,"share":{"index":1,"start":3,"end":7}}"#
        );
        assert_eq!(
            serde_json::from_str::<Request>(&json).expect("parse"),
            request
        );
        let condition = Request::Condition(Box::new(ConditionRequest {
            sample: 2,
            metadata: BTreeMap::from([("perturbation_dose".into(), "10 um".into())]),
            num_samples: 4,
            seed: 9,
        }));
        let json = serde_json::to_string(&condition).expect("serialize");
        assert_eq!(
            json,
            r#"{"type":"condition","sample":2,"metadata":{"perturbation_dose":"10 um"},"num_samples":4,"seed":9}"#
        );
        assert_eq!(
            serde_json::from_str::<Request>(&json).expect("parse"),
            condition
        );
        assert_eq!(
            serde_json::to_string(&Request::Predict).expect("serialize"),
            r#"{"type":"predict"}"#
        );
        let predicted = Event::Predicted {
            samples: vec![SamplePrediction {
                sample: "S1".into(),
                outcome: Err("too few genes".into()),
            }],
        };
        let json = serde_json::to_string(&predicted).expect("serialize");
        assert_eq!(
            serde_json::from_str::<Event>(&json).expect("parse"),
            predicted
        );
        // The worker's last-resort message (written by hand) names no job.
        let failed: Event =
            serde_json::from_str(r#"{"type":"failed","message":"m"}"#).expect("parse");
        assert_eq!(
            failed,
            Event::Failed {
                job: None,
                message: "m".into()
            }
        );
    }
}
