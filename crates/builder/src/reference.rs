//! The reference tables: GENCODE and HGNC genes (required), compound names and ontology
//! terms (optional; they label the vocabulary)

use synthome_inputs::Inputs;
use synthome_reference::{
    CellLineNames, CompoundTable, GeneTable as ReferenceGenes, OntologyTerms, ReferenceTables,
    unzstd,
};

use crate::error::BuildError;

/// Reads the reference tables; GENCODE and HGNC are required, the rest label the vocabulary
pub(crate) fn read(
    files: &mut Inputs,
    report: &mut Vec<String>,
) -> Result<ReferenceTables, BuildError> {
    let mut genes = ReferenceGenes::from_gencode(
        files
            .bytes("reference/genes_homo_sapiens.csv.gz")?
            .as_slice(),
    )?;
    genes.add_hgnc(files.bytes("reference/hgnc_entries.tsv.gz")?.as_slice())?;
    let mut present = Vec::new();
    let compounds = read_compounds(files, &mut present)?;
    let ontologies = read_ontologies(files, &mut present)?;
    let cell_lines = if files.exists("reference/cellosaurus_depmap_synonyms.tsv.gz")
        && files.exists("reference/cellosaurus_depmap_mappings.tsv.gz")
    {
        let synonyms = files.bytes("reference/cellosaurus_depmap_synonyms.tsv.gz")?;
        let mappings = files.bytes("reference/cellosaurus_depmap_mappings.tsv.gz")?;
        CellLineNames::new(&ontologies, synonyms.as_slice(), mappings.as_slice())?
    } else {
        CellLineNames::default()
    };
    report.push(format!(
        "reference: {} genes, {} compounds, {} ontology terms, {} optional tables",
        genes.len(),
        compounds.len(),
        ontologies.len(),
        present.len()
    ));
    Ok(ReferenceTables {
        ontologies,
        genes,
        compounds,
        cell_lines,
    })
}

/// The compound tables present, in a fixed order; each one read is added to `present`
fn read_compounds(
    files: &mut Inputs,
    present: &mut Vec<&'static str>,
) -> Result<CompoundTable, BuildError> {
    let mut compounds = CompoundTable::new();
    for (file, add) in [
        ("reference/chembl_names.csv.gz", 0),
        ("reference/chebi_to_chembl.tsv.gz", 1),
        ("reference/drugbank_mappings.tsv.gz", 2),
        ("reference/lincs_small_molecules.json.gz", 3),
    ] {
        if !files.exists(file) {
            continue;
        }
        let bytes = files.bytes(file)?;
        match add {
            0 => compounds.add_chembl_names(bytes.as_slice())?,
            1 => compounds.add_chebi_to_chembl(bytes.as_slice())?,
            2 => compounds.add_drugbank_mappings(bytes.as_slice())?,
            _ => compounds.add_lincs_small_molecules(bytes.as_slice())?,
        }
        present.push(file);
    }
    Ok(compounds)
}

/// The ontologies present (UBERON, CL, Cellosaurus); each one read is added to `present`
fn read_ontologies(
    files: &mut Inputs,
    present: &mut Vec<&'static str>,
) -> Result<OntologyTerms, BuildError> {
    let mut ontologies = OntologyTerms::new();
    for (file, table) in [
        (
            "reference/ontologies/UBERON-ontology-v2026-04-01.json.zst",
            "UBERON",
        ),
        (
            "reference/ontologies/CL-ontology-v2026-03-26.json.zst",
            "CL",
        ),
        (
            "reference/ontologies/CVCL-ontology-55.0.json.zst",
            "Cellosaurus",
        ),
    ] {
        if files.exists(file) {
            let raw = files.raw(file)?;
            ontologies.add_json(&unzstd(raw.as_slice(), table)?, table)?;
            present.push(file);
        }
    }
    Ok(ontologies)
}
