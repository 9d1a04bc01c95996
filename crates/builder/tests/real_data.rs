//! Builds the real bundle when ../shared/data is present (prints that it skipped otherwise)

use std::path::PathBuf;

use synthome_builder::{BuildOptions, build_bulk};

#[test]
fn real_data_builds_a_model_with_every_part() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if !data.join("MANIFEST.tsv").is_file() {
        println!(
            "SKIPPED: {} is absent; the real-data build was not checked",
            data.display()
        );
        return;
    }
    let output = build_bulk(&data, &BuildOptions::default()).expect("the real data build");
    let model = &output.model;
    assert!(model.n_genes() > 19_000, "{} genes", model.n_genes());
    assert!(model.params().latent.n_factors >= 10);
    assert!(model.params().contexts.len() > 100);
    assert!(output.inputs.len() >= 20);
    for (key, value) in [
        ("tissue_ontology_id", "UBERON:0002107"),
        ("cell_type_ontology_id", "CL:0000236"),
        ("cell_line_ontology_id", "CVCL_0132"),
        ("perturbation_ontology_id", "ENSG00000125798"),
        ("sex", "female"),
    ] {
        assert!(
            model.vocabulary().resolve(key, value).is_some(),
            "{key} {value}"
        );
    }
    println!("{}", output.report.join("\n"));
}
