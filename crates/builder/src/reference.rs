//! The reference tables: GENCODE and HGNC genes (required), compound names and ontology
//! terms (optional; they label the vocabulary)

use std::collections::HashMap;

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
) -> Result<(ReferenceTables, HashMap<String, Vec<String>>), BuildError> {
    let mut genes = ReferenceGenes::from_gencode(
        files
            .bytes("reference/genes_homo_sapiens.csv.gz")?
            .as_slice(),
    )?;
    genes.add_hgnc(files.bytes("reference/hgnc_entries.tsv.gz")?.as_slice())?;
    let mut present = Vec::new();
    let compounds = read_compounds(files, &mut present)?;
    let (ontologies, disease_ancestors) = read_ontologies(files, &mut present)?;
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
    Ok((
        ReferenceTables {
            ontologies,
            genes,
            compounds,
            cell_lines,
        },
        disease_ancestors,
    ))
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

/// The ontologies present (UBERON, CL, Cellosaurus, MONDO, PATO), and the MONDO ancestors of
/// every MONDO term; each file read is added to `present`
fn read_ontologies(
    files: &mut Inputs,
    present: &mut Vec<&'static str>,
) -> Result<(OntologyTerms, HashMap<String, Vec<String>>), BuildError> {
    let mut ontologies = OntologyTerms::new();
    let mut ancestors = HashMap::new();
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
        (
            "reference/ontologies/MONDO-ontology-v2026-05-05.json.zst",
            "MONDO",
        ),
        (
            "reference/ontologies/PATO-ontology-v2025-05-14.json.zst",
            "PATO",
        ),
    ] {
        if files.exists(file) {
            let raw = files.raw(file)?;
            let json = unzstd(raw.as_slice(), table)?;
            ontologies.add_json(&json, table)?;
            if table == "MONDO" {
                ancestors = mondo_ancestors(&json, file)?;
            }
            present.push(file);
        }
    }
    Ok((ontologies, ancestors))
}

/// The MONDO ancestors (MONDO ids only, nearest first) of every term of the ontology JSON
fn mondo_ancestors(json: &[u8], file: &str) -> Result<HashMap<String, Vec<String>>, BuildError> {
    let value: serde_json::Value = serde_json::from_slice(json)
        .map_err(|error| BuildError::parse(file, 0, error.to_string()))?;
    let mut out = HashMap::new();
    if let Some(terms) = value.as_object() {
        for (id, term) in terms {
            let Some(found) = term.get("ancestors").and_then(|a| a.as_object()) else {
                continue;
            };
            let mut list: Vec<(u64, &String)> = found
                .iter()
                .filter(|(ancestor, _)| ancestor.starts_with("MONDO:"))
                .map(|(ancestor, distance)| (distance.as_u64().unwrap_or(u64::MAX), ancestor))
                .collect();
            list.sort();
            out.insert(
                id.clone(),
                list.into_iter()
                    .map(|(_, ancestor)| ancestor.clone())
                    .collect(),
            );
        }
    }
    Ok(out)
}
