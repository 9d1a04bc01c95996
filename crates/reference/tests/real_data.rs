//! Loads the real reference files when `../shared/data/reference` exists (it says plainly when
//! it skips) and checks the look-ups the issue names

use std::path::{Path, PathBuf};
use std::time::Instant;

use synthome_query::MetadataKey;
use synthome_reference::{ReferenceFiles, ReferenceTables, vocabulary_terms};

fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/reference")
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("reading {name}: {e}"))
}

#[test]
fn real_reference_tables_resolve_the_issue_examples() {
    let dir = reference_dir();
    if !dir.exists() {
        println!(
            "SKIPPED: {} does not exist; the real-data check did not run",
            dir.display()
        );
        return;
    }
    let started = Instant::now();
    let mut ontology_names: Vec<String> = std::fs::read_dir(dir.join("ontologies"))
        .unwrap_or_else(|e| panic!("listing ontologies: {e}"))
        .filter_map(|entry| {
            entry
                .ok()
                .map(|e| e.file_name().to_string_lossy().into_owned())
        })
        // ChEBI (115 MB of JSON) only adds ChEBI labels; this check does not need them
        .filter(|name| name.ends_with(".json.zst") && !name.starts_with("CHEBI"))
        .collect();
    ontology_names.sort();
    let ontology_bytes: Vec<Vec<u8>> = ontology_names
        .iter()
        .map(|name| read(&dir.join("ontologies"), name))
        .collect();
    let ontology_slices: Vec<&[u8]> = ontology_bytes.iter().map(Vec::as_slice).collect();
    let files = [
        "genes_homo_sapiens.csv.gz",
        "hgnc_entries.tsv.gz",
        "chembl_names.csv.gz",
        "chebi_to_chembl.tsv.gz",
        "drugbank_mappings.tsv.gz",
        "lincs_small_molecules.json.gz",
        "cellosaurus_depmap_synonyms.tsv.gz",
        "cellosaurus_depmap_mappings.tsv.gz",
    ]
    .map(|name| read(&dir, name));
    let tables = ReferenceTables::from_files(&ReferenceFiles {
        ontologies_zst: &ontology_slices,
        gencode_gz: &files[0],
        hgnc_gz: &files[1],
        chembl_names_gz: &files[2],
        chebi_to_chembl_gz: &files[3],
        drugbank_mappings_gz: &files[4],
        lincs_small_molecules_gz: &files[5],
        depmap_synonyms_gz: &files[6],
        depmap_mappings_gz: &files[7],
    })
    .unwrap_or_else(|e| panic!("reference tables: {e}"));
    println!(
        "loaded {} ontology terms, {} genes, {} compounds in {:?} (without ChEBI)",
        tables.ontologies.len(),
        tables.genes.len(),
        tables.compounds.len(),
        started.elapsed()
    );
    assert_eq!(tables.cell_lines.lookup("hela"), Some("CVCL_0030"));
    assert_eq!(tables.cell_lines.lookup("HeLa"), Some("CVCL_0030"));
    assert_eq!(tables.cell_lines.lookup("HELA"), Some("CVCL_0030"));
    assert_eq!(
        tables
            .compounds
            .by_name("imatinib")
            .map(|c| c.chembl_id.as_str()),
        Some("CHEMBL941")
    );
    assert_eq!(
        tables
            .compounds
            .by_chebi("CHEBI:45783")
            .map(|c| c.chembl_id.as_str()),
        Some("CHEMBL941")
    );
    assert_eq!(
        tables
            .genes
            .by_symbol("TP53")
            .map(|g| g.ensembl_id.as_str()),
        Some("ENSG00000141510")
    );
    assert_eq!(tables.ontologies.label("UBERON:0002107"), Some("liver"));
    let perturbations = vocabulary_terms(
        MetadataKey::PerturbationOntologyId,
        ["ENSG00000141510", "CHEMBL941"],
        &tables,
    );
    assert_eq!(perturbations.terms[0].label, "TP53");
    assert!(
        perturbations.terms[1]
            .alternative_ids
            .contains(&"CHEBI:45783".to_owned())
    );
}
