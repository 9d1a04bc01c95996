//! Loads the real reference tables (path given as the first argument, e.g.
//! `../shared/data/reference`), times the load, builds a realistic vocabulary (10,000
//! protein-coding genes, the LINCS compounds with a ChEMBL id, tissues, cell lines) and reports
//! its encoded size and search latency:
//! `cargo run --release -p synthome-reference --example reference_vocabulary -- ../shared/data/reference`

use std::path::Path;
use std::time::Instant;

use synthome_query::MetadataKey;
use synthome_reference::{ReferenceFiles, ReferenceTables, vocabulary_terms};
use synthome_vocab::{KeyDomain, TermIndex, Vocabulary};

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data/reference".to_owned());
    let dir = Path::new(&dir);
    let mut ontology_paths: Vec<_> = std::fs::read_dir(dir.join("ontologies"))
        .unwrap_or_else(|e| panic!("listing ontologies: {e}"))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    ontology_paths.sort();
    let ontology_bytes: Vec<Vec<u8>> = ontology_paths.iter().map(|p| read(p)).collect();
    let ontology_slices: Vec<&[u8]> = ontology_bytes.iter().map(Vec::as_slice).collect();
    let names = [
        "genes_homo_sapiens.csv.gz",
        "hgnc_entries.tsv.gz",
        "chembl_names.csv.gz",
        "chebi_to_chembl.tsv.gz",
        "drugbank_mappings.tsv.gz",
        "lincs_small_molecules.json.gz",
        "cellosaurus_depmap_synonyms.tsv.gz",
        "cellosaurus_depmap_mappings.tsv.gz",
    ];
    let files = names.map(|name| read(&dir.join(name)));
    let started = Instant::now();
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
        "load (all {} ontologies incl. ChEBI): {:?}; {} ontology terms, {} genes, {} compounds",
        ontology_paths.len(),
        started.elapsed(),
        tables.ontologies.len(),
        tables.genes.len(),
        tables.compounds.len()
    );

    let mut perturbation_ids: Vec<String> = tables
        .genes
        .genes()
        .iter()
        .filter(|gene| gene.gene_type == "protein_coding")
        .take(10_000)
        .map(|gene| gene.ensembl_id.clone())
        .collect();
    if !perturbation_ids.iter().any(|id| id == "ENSG00000141510") {
        perturbation_ids.push("ENSG00000141510".to_owned());
    }
    let compound_ids: Vec<String> = tables
        .compounds
        .compounds()
        .iter()
        .filter(|compound| !compound.synonyms.is_empty() || compound.display_name.is_some())
        .take(1_500)
        .map(|compound| compound.chembl_id.clone())
        .collect();
    perturbation_ids.extend(compound_ids);
    if !perturbation_ids.iter().any(|id| id == "CHEMBL941") {
        perturbation_ids.push("CHEMBL941".to_owned());
    }
    let tissue_ids = [
        "UBERON:0002107",
        "UBERON:0002048",
        "UBERON:0000945",
        "UBERON:0000955",
        "UBERON:0002113",
    ];
    let cell_line_ids = [
        "CVCL_0030",
        "CVCL_0023",
        "CVCL_0004",
        "CVCL_0132",
        "CVCL_0480",
    ];

    let mut vocabulary = Vocabulary::new();
    let mut total_terms = 0;
    for (key, ids) in [
        (
            MetadataKey::PerturbationOntologyId,
            perturbation_ids
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        ),
        (MetadataKey::TissueOntologyId, tissue_ids.to_vec()),
        (MetadataKey::CellLineOntologyId, cell_line_ids.to_vec()),
    ] {
        let labelled = vocabulary_terms(key, ids, &tables);
        total_terms += labelled.terms.len();
        println!(
            "{key}: {} terms, {} unlabelled",
            labelled.terms.len(),
            labelled.unlabelled.len()
        );
        let index = TermIndex::new(labelled.terms).unwrap_or_else(|e| panic!("{key}: {e}"));
        vocabulary
            .insert(key.as_str(), KeyDomain::Terms(index))
            .unwrap_or_else(|e| panic!("{key}: {e}"));
    }
    let bytes = vocabulary.encode();
    let started = Instant::now();
    let decoded = Vocabulary::decode(&bytes).unwrap_or_else(|e| panic!("decode: {e}"));
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gzip, &bytes).unwrap_or_else(|e| panic!("gzip: {e}"));
    let gzipped = gzip.finish().unwrap_or_else(|e| panic!("gzip: {e}"));
    println!(
        "{total_terms} terms encode to {} bytes ({} gzipped); decode + index {:?}",
        bytes.len(),
        gzipped.len(),
        started.elapsed()
    );
    let rounds = 50u32;
    for (key, text) in [
        ("perturbation_ontology_id", "TP53"),
        ("perturbation_ontology_id", "tp5"),
        ("perturbation_ontology_id", "imatinib"),
        ("perturbation_ontology_id", "imatnib"),
        ("perturbation_ontology_id", "gleevec"),
        ("perturbation_ontology_id", "t"),
        ("perturbation_ontology_id", "kinase"),
        ("perturbation_ontology_id", "ENSG000001415"),
        ("cell_line_ontology_id", "hela"),
        ("tissue_ontology_id", "livr"),
    ] {
        let started = Instant::now();
        for _ in 0..rounds {
            std::hint::black_box(decoded.search(Some(key), text, 10));
        }
        let mean = started.elapsed() / rounds;
        let top: Vec<String> = decoded
            .search(Some(key), text, 3)
            .iter()
            .map(|hit| format!("{} {} ({:?})", hit.term.id, hit.term.label, hit.kind))
            .collect();
        println!("{text:>14}: {mean:>10.1?}  {top:?}");
    }
}
