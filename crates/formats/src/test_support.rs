//! Small fixtures shared by the unit tests of every format.

use std::sync::Arc;

use synthome_matrix::{
    ExpressionMatrix, ExpressionValues, GeneTable, MetadataField, Provenance, SampleMetadata,
};

/// Three genes (one symbol with a quote) and two samples with uneven metadata.
pub(crate) fn matrix_with(values: ExpressionValues) -> ExpressionMatrix {
    let genes = GeneTable::new(
        vec!["ENSG1".into(), "ENSG2".into(), "ENSG3".into()],
        vec!["A1".into(), "B\"2".into(), "C3".into()],
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let samples = vec![
        SampleMetadata::new(
            "sample_1",
            vec![
                MetadataField {
                    key: "sex".into(),
                    value: "female".into(),
                    inferred: false,
                },
                MetadataField {
                    key: "tissue_ontology_id".into(),
                    value: "UBERON:0002107".into(),
                    inferred: true,
                },
            ],
        ),
        SampleMetadata::new(
            "sample_2",
            vec![MetadataField {
                key: "sex".into(),
                value: "male".into(),
                inferred: false,
            }],
        ),
    ];
    ExpressionMatrix::new(Arc::new(genes), samples, values)
        .unwrap_or_else(|error| panic!("{error}"))
}

/// A provenance with a small query and one warning.
pub(crate) fn provenance() -> Provenance {
    Provenance {
        model_id: "synthome-bulk-v1".into(),
        model_version: "1.0.0".into(),
        bundle_sha256: "abc".into(),
        query_json: r#"{"inputs": []}"#.into(),
        seed: 11,
        sampling_strategy: "sample generation".into(),
        warnings: vec!["w1".into()],
    }
}

/// The value, or a panic with the error's message.
pub(crate) fn ok<T, E: std::fmt::Display>(result: Result<T, E>) -> T {
    result.unwrap_or_else(|error| panic!("{error}"))
}

/// `matrix` cut into one matrix per sample (the parts of a run in parts).
pub(crate) fn one_part_per_sample(matrix: &ExpressionMatrix) -> Vec<ExpressionMatrix> {
    use synthome_matrix::{Csr, Dense};
    let n_genes = matrix.n_genes();
    (0..matrix.n_samples())
        .map(|sample| {
            let values = match matrix.values() {
                ExpressionValues::Counts(dense) => ExpressionValues::Counts(ok(Dense::new(
                    1,
                    n_genes,
                    dense.row(sample).map(<[u32]>::to_vec).unwrap_or_default(),
                ))),
                ExpressionValues::Expected(dense) => ExpressionValues::Expected(ok(Dense::new(
                    1,
                    n_genes,
                    dense.row(sample).map(<[f32]>::to_vec).unwrap_or_default(),
                ))),
                ExpressionValues::SparseCounts(csr) => {
                    let (indices, counts) = csr.row(sample).unwrap_or_default();
                    ExpressionValues::SparseCounts(ok(Csr::new(
                        1,
                        n_genes,
                        vec![0, indices.len() as u32],
                        indices.to_vec(),
                        counts.to_vec(),
                    )))
                }
            };
            ok(ExpressionMatrix::new(
                matrix.genes_arc().clone(),
                matrix.samples()[sample..=sample].to_vec(),
                values,
            ))
        })
        .collect()
}

/// The three kinds of values of [`matrix_with`]: dense counts, expected counts, sparse counts.
pub(crate) fn every_kind() -> Vec<ExpressionMatrix> {
    use synthome_matrix::{Csr, Dense};
    vec![
        matrix_with(ExpressionValues::Counts(ok(Dense::new(
            2,
            3,
            vec![12, 0, 5, 1, 2, 3],
        )))),
        matrix_with(ExpressionValues::Expected(ok(Dense::new(
            2,
            3,
            vec![0.5, 0.0, 2.25, 1.0, 1e-7, 3.0],
        )))),
        matrix_with(ExpressionValues::SparseCounts(ok(Csr::new(
            2,
            3,
            vec![0, 2, 3],
            vec![0, 2, 1],
            vec![4, 9, 1],
        )))),
    ]
}
