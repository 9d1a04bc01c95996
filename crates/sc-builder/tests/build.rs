//! The build on a fixture made in the test, and on the real data when it is present

mod common;

use common::{options, temp};

use std::path::Path;

use synthome_query::{Limits, parse_and_validate};
use synthome_sc_builder::{
    BUNDLE_FILE, BuildError, BuildOptions, CARD_FILE, InputError, build_single_cell, data_available,
};

#[test]
fn the_fixture_builds_a_model_with_the_planted_types_and_the_same_bytes_twice() {
    let data = temp();
    common::write_fixture(data.path());
    let out = temp();
    let first =
        build_single_cell(data.path(), out.path(), &options()).unwrap_or_else(|e| panic!("{e}"));
    let again = build_single_cell(data.path(), &out.path().join("again"), &options())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        first.bundle, again.bundle,
        "same inputs must give the same bytes"
    );
    assert_eq!(
        std::fs::read(out.path().join(BUNDLE_FILE)).ok(),
        Some(first.bundle.clone())
    );
    assert!(out.path().join(CARD_FILE).is_file());
    assert_eq!(first.inputs.len(), 9, "{:?}", first.inputs);
    assert!(first.inputs.iter().all(|input| input.sha256.len() == 64));

    let model = synthome_sc_model::read(&first.bundle).unwrap_or_else(|e| panic!("{e}"));
    let mut types: Vec<&str> = model
        .params()
        .cell_types
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    types.sort_unstable();
    assert_eq!(types, vec!["CL:0000236", "CL:0000624", "CL:0001054"]);
    assert_eq!(model.params().groups.len(), 6);
    assert_eq!(model.n_genes(), common::N_GENES + common::N_HPA_ONLY);
    let b_cells = model
        .vocabulary()
        .resolve("cell_type_ontology_id", "CL:0000236")
        .map(|t| t.label.clone());
    assert_eq!(b_cells.as_deref(), Some("B cell"));
    assert!(model.vocabulary().domain("sex").is_none());

    // the B-cell profile carries its planted markers and the stimulated one the ISGs
    let b_type = model
        .params()
        .cell_types
        .iter()
        .position(|t| t.id == "CL:0000236")
        .unwrap_or(0);
    let groups: Vec<usize> = (0..model.params().groups.len())
        .filter(|&g| model.params().groups[g].cell_type == b_type)
        .collect();
    let control = model.group_proportions(groups[0]).unwrap_or_default();
    let stimulated = model.group_proportions(groups[1]).unwrap_or_default();
    let marker = model.genes().find("GENE12").unwrap_or(0);
    let other = model.genes().find("GENE2").unwrap_or(0);
    assert!(
        control[marker] > 10.0 * control[other],
        "B marker {} vs CD4 marker {}",
        control[marker],
        control[other]
    );
    let isg = model.genes().find("ISG15").unwrap_or(0);
    assert!(stimulated[isg] > 10.0 * control[isg]);

    let query = parse_and_validate(&model.example_query(), &model.target(), &Limits::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let output = model
        .generate(&query, 3, &mut |_, _| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.matrix.n_samples(), 200);
}

#[test]
fn a_missing_input_is_named() {
    let data = temp();
    common::write_fixture(data.path());
    std::fs::remove_file(data.path().join("bulk/hpa_blood_cell_types.tsv.gz"))
        .unwrap_or_else(|e| panic!("{e}"));
    let error = build_single_cell(data.path(), temp().path(), &options()).err();
    match error {
        Some(BuildError::Inputs(InputError::Read { path, .. })) => {
            assert!(path.ends_with("hpa_blood_cell_types.tsv.gz"), "{path}")
        }
        other => panic!("expected an I/O error naming the file, got {other:?}"),
    }
}

#[test]
fn the_real_data_builds_every_main_pbmc_type() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if !data_available(&data) {
        println!(
            "SKIPPED: {} has no Kang 2018 single-cell data; the real-data build was not checked",
            data.display()
        );
        return;
    }
    let out = temp();
    let output = build_single_cell(&data, out.path(), &BuildOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let model = synthome_sc_model::read(&output.bundle).unwrap_or_else(|e| panic!("{e}"));
    let types: Vec<&str> = model
        .params()
        .cell_types
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    for wanted in [
        "CL:0000624",
        "CL:0000625",
        "CL:0000623",
        "CL:0000236",
        "CL:0001054",
        "CL:0002396",
        "CL:0000451",
    ] {
        assert!(types.contains(&wanted), "{wanted} missing from {types:?}");
    }
    assert!(model.n_genes() > 15_000);
}
