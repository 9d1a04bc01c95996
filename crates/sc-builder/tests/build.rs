//! The build on a fixture made in the test, and on the real data when it is present

mod common;

use common::{options, temp};

use std::path::{Path, PathBuf};

use synthome_query::{Limits, MetadataKey, parse_and_validate};
use synthome_sc_builder::{
    BUNDLE_FILE, BuildError, BuildOptions, CARD_FILE, InputError, PBMC_ATLASES, build_single_cell,
    data_available, fit_anchored, fit_prepared, prepare,
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

/// The real data folder when it holds the Kang 2018 cells; otherwise says that `unchecked`
/// was not checked
fn real_data(unchecked: &str) -> Option<PathBuf> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if data_available(&data) {
        return Some(data);
    }
    println!(
        "SKIPPED: {} has no Kang 2018 single-cell data; {unchecked}",
        data.display()
    );
    None
}

#[test]
fn the_real_data_builds_every_main_pbmc_type() {
    let Some(data) = real_data("the real-data build was not checked") else {
        return;
    };
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

#[test]
fn anchoring_keeps_the_interferon_response_and_moves_means_towards_the_pbmc_atlases() {
    let Some(data) = real_data("anchoring was not checked") else {
        return;
    };
    let prepared = prepare(&data, &BuildOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let Some(atlas) = &prepared.atlas else {
        println!("SKIPPED: the data folder has no cell-profile library; anchoring was not checked");
        return;
    };
    let every_cell = vec![true; prepared.dataset.cells.len()];
    let plain = fit_anchored(&prepared, &every_cell, &[]).unwrap_or_else(|e| panic!("{e}"));
    let anchored = fit_prepared(&prepared, &every_cell).unwrap_or_else(|e| panic!("{e}"));
    assert!(plain.anchored.is_empty());
    assert!(
        anchored
            .anchored
            .iter()
            .any(|a| a.cell_type == "CL:0000624"),
        "CD4 T cells are in both PBMC atlases: {:?}",
        anchored.anchored
    );
    let groups_of = |fitted: &synthome_sc_builder::Fitted, type_id: &str| {
        let params = &fitted.params;
        let mut control = None;
        let mut stimulated = None;
        for group in &params.groups {
            if params.cell_types[group.cell_type].id != type_id || group.log_profile.is_empty() {
                continue;
            }
            let profile: Vec<f64> = group.log_profile.iter().map(|&l| f64::from(l)).collect();
            if group.field(MetadataKey::PerturbationOntologyId).is_some() {
                stimulated = Some(profile);
            } else {
                control = Some(profile);
            }
        }
        (
            control.expect("a control group"),
            stimulated.expect("a stimulated group"),
        )
    };
    let isg15 = prepared
        .dataset
        .gene_symbols
        .iter()
        .position(|s| s == "ISG15")
        .expect("ISG15 is measured");
    let (plain_control, plain_stimulated) = groups_of(&plain, "CL:0000624");
    let (control, stimulated) = groups_of(&anchored, "CL:0000624");
    let response = |c: &[f64], s: &[f64]| s[isg15] - c[isg15];
    assert!(
        (response(&control, &stimulated) - response(&plain_control, &plain_stimulated)).abs() < 0.1,
        "the ISG15 response (ln fold) is kept: {} anchored, {} fitted",
        response(&control, &stimulated),
        response(&plain_control, &plain_stimulated)
    );
    let profiles: Vec<Vec<Option<f64>>> = PBMC_ATLASES
        .iter()
        .filter_map(|name| atlas.type_profile(name, "CL:0000624"))
        .collect();
    let reference: Vec<f64> = (0..prepared.dataset.gene_ids.len())
        .map(|g| profiles.iter().map(|p| p[g].unwrap_or(0.0)).sum::<f64>() / profiles.len() as f64)
        .collect();
    let scaled = |log_profile: &[f64]| -> Vec<f64> {
        log_profile
            .iter()
            .map(|l| (1e4 * l.exp()).ln_1p())
            .collect()
    };
    let target: Vec<f64> = reference.iter().map(|p| (1e4 * p).ln_1p()).collect();
    let r_plain = synthome_analysis::pearson(&scaled(&plain_control), &target).unwrap_or(0.0);
    let r_anchored = synthome_analysis::pearson(&scaled(&control), &target).unwrap_or(0.0);
    assert!(
        r_anchored > r_plain + 0.02,
        "the CD4 T mean moves towards the atlases: r {r_plain:.3} fitted, {r_anchored:.3} anchored"
    );
}
