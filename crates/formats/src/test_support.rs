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
