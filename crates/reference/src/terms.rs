//! Turns the ids a model accepts for a key into vocabulary terms with labels, synonyms and
//! alternative ids, from the reference tables

use std::collections::HashSet;

use synthome_query::MetadataKey;
use synthome_vocab::Term;

use crate::cell_lines::CellLineNames;
use crate::compounds::CompoundTable;
use crate::compression::{gunzip, unzstd};
use crate::error::ReferenceError;
use crate::genes::GeneTable;
use crate::ontology::OntologyTerms;
use crate::text::normalise_name;

/// Most synonyms kept per term (keeps the vocabulary asset small)
pub const MAX_SYNONYMS: usize = 10;

/// The reference tables needed to label vocabulary ids
#[derive(Debug, Clone, Default)]
pub struct ReferenceTables {
    /// Ontology terms of every loaded ontology (UBERON, CL, MONDO, ...; ChEBI when loaded)
    pub ontologies: OntologyTerms,
    /// Genes (GENCODE joined with HGNC)
    pub genes: GeneTable,
    /// Compounds (ChEMBL, ChEBI, DrugBank, LINCS)
    pub compounds: CompoundTable,
    /// Cell-line names (Cellosaurus, DepMap)
    pub cell_lines: CellLineNames,
}

/// The compressed bytes of the reference files, as the caller read them
#[derive(Debug, Clone, Copy)]
pub struct ReferenceFiles<'a> {
    /// `ontologies/*.json.zst` (include `CVCL-*` for cell-line labels; `CHEBI-*` is large and
    /// only adds ChEBI labels)
    pub ontologies_zst: &'a [&'a [u8]],
    /// `genes_homo_sapiens.csv.gz`
    pub gencode_gz: &'a [u8],
    /// `hgnc_entries.tsv.gz`
    pub hgnc_gz: &'a [u8],
    /// `chembl_names.csv.gz`
    pub chembl_names_gz: &'a [u8],
    /// `chebi_to_chembl.tsv.gz`
    pub chebi_to_chembl_gz: &'a [u8],
    /// `drugbank_mappings.tsv.gz`
    pub drugbank_mappings_gz: &'a [u8],
    /// `lincs_small_molecules.json.gz`
    pub lincs_small_molecules_gz: &'a [u8],
    /// `cellosaurus_depmap_synonyms.tsv.gz`
    pub depmap_synonyms_gz: &'a [u8],
    /// `cellosaurus_depmap_mappings.tsv.gz`
    pub depmap_mappings_gz: &'a [u8],
}

impl ReferenceTables {
    /// Reads every table from the files' bytes
    pub fn from_files(files: &ReferenceFiles<'_>) -> Result<ReferenceTables, ReferenceError> {
        let mut ontologies = OntologyTerms::new();
        for bytes in files.ontologies_zst {
            let json = unzstd(*bytes, "ontology")?;
            ontologies.add_json(&json, "ontology")?;
        }
        let mut genes = GeneTable::from_gencode(gunzip(files.gencode_gz))?;
        genes.add_hgnc(gunzip(files.hgnc_gz))?;
        let mut compounds = CompoundTable::new();
        compounds.add_chembl_names(gunzip(files.chembl_names_gz))?;
        compounds.add_chebi_to_chembl(gunzip(files.chebi_to_chembl_gz))?;
        compounds.add_drugbank_mappings(gunzip(files.drugbank_mappings_gz))?;
        compounds.add_lincs_small_molecules(gunzip(files.lincs_small_molecules_gz))?;
        let cell_lines = CellLineNames::new(
            &ontologies,
            gunzip(files.depmap_synonyms_gz),
            gunzip(files.depmap_mappings_gz),
        )?;
        Ok(ReferenceTables {
            ontologies,
            genes,
            compounds,
            cell_lines,
        })
    }
}

/// Terms for a key's ids, and the ids no table could label (their label is the id itself)
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelledTerms {
    /// One term per distinct id, in the order given
    pub terms: Vec<Term>,
    /// Ids that got no label from the tables
    pub unlabelled: Vec<String>,
}

/// Builds the terms of `key` for `ids` (in order, duplicates dropped)
///
/// - Ontology keys (tissue, cell type, disease, developmental stage, ethnicity, race): the
///   ontology label and synonyms; ids that are not ontology CURIEs are their own label.
/// - Cell lines: the Cellosaurus label, DepMap names as synonyms.
/// - Perturbations: Ensembl genes get the symbol as label and HGNC aliases, previous symbols and
///   name as synonyms; ChEMBL compounds their name, other names as synonyms and their ChEBI ids
///   as alternative ids; ChEBI ids the ChEBI label; NCBI Taxonomy numbers stay unlabelled.
/// - Enumerations and free text (sex, sample_type, study, platform, ...): the value itself.
///
/// At most [`MAX_SYNONYMS`] synonyms are kept per term. An alternative id is dropped when it is
/// another term's id or already used, so the terms always form a valid `TermIndex`.
pub fn vocabulary_terms<'a>(
    key: MetadataKey,
    ids: impl IntoIterator<Item = &'a str>,
    tables: &ReferenceTables,
) -> LabelledTerms {
    let mut seen: HashSet<String> = HashSet::new();
    let mut result = LabelledTerms::default();
    for id in ids {
        if !seen.insert(id.to_owned()) {
            continue;
        }
        let (term, labelled) = term_for(key, id, tables);
        if !labelled {
            result.unlabelled.push(id.to_owned());
        }
        result.terms.push(term);
    }
    let primary: HashSet<String> = result.terms.iter().map(|t| t.id.clone()).collect();
    let mut used: HashSet<String> = HashSet::new();
    for term in &mut result.terms {
        term.alternative_ids
            .retain(|alt| !primary.contains(alt) && used.insert(alt.clone()));
    }
    result
}

/// The term of one id, and whether a table labelled it
fn term_for(key: MetadataKey, id: &str, tables: &ReferenceTables) -> (Term, bool) {
    match key {
        MetadataKey::TissueOntologyId
        | MetadataKey::CellTypeOntologyId
        | MetadataKey::DiseaseOntologyId
        | MetadataKey::DevelopmentalStage
        | MetadataKey::Ethnicity
        | MetadataKey::Race => ontology_term(
            id,
            &tables.ontologies,
            key.form() != synthome_query::KeyForm::Text,
        ),
        MetadataKey::CellLineOntologyId => {
            let label = tables
                .cell_lines
                .label(id)
                .or_else(|| tables.ontologies.label(id));
            let synonyms = tables.cell_lines.synonyms(id).to_vec();
            match label {
                Some(label) => (with_synonyms(Term::new(id, label), synonyms), true),
                None => (Term::new(id, id), false),
            }
        }
        MetadataKey::PerturbationOntologyId => perturbation_term(id, tables),
        MetadataKey::AgeYears
        | MetadataKey::SampleType
        | MetadataKey::Sex
        | MetadataKey::PerturbationDose
        | MetadataKey::PerturbationTime
        | MetadataKey::PerturbationType
        | MetadataKey::Study
        | MetadataKey::LibrarySelection
        | MetadataKey::LibraryLayout
        | MetadataKey::Genotype
        | MetadataKey::Platform => (Term::new(id, id), true),
    }
}

/// An ontology term; for free-text keys an id that is no CURIE is its own (valid) label
fn ontology_term(id: &str, ontologies: &OntologyTerms, must_be_curie: bool) -> (Term, bool) {
    match ontologies.get(id) {
        Some(term) => (
            with_synonyms(Term::new(id, term.label.clone()), term.synonyms.clone()),
            true,
        ),
        None => (Term::new(id, id), !must_be_curie && !id.contains(':')),
    }
}

/// A perturbation: Ensembl gene, ChEMBL or ChEBI compound, or NCBI Taxonomy number
fn perturbation_term(id: &str, tables: &ReferenceTables) -> (Term, bool) {
    let upper = id.to_uppercase();
    if upper.starts_with("ENSG") {
        return match tables.genes.by_ensembl(id) {
            Some(gene) => {
                let synonyms = gene
                    .aliases
                    .iter()
                    .chain(&gene.previous_symbols)
                    .chain(&gene.name)
                    .cloned()
                    .collect();
                (
                    with_synonyms(Term::new(id, gene.symbol.clone()), synonyms),
                    true,
                )
            }
            None => (Term::new(id, id), false),
        };
    }
    if upper.starts_with("CHEMBL") {
        return match tables.compounds.by_chembl(id) {
            Some(compound) => {
                let mut synonyms: Vec<String> = compound.name.iter().cloned().collect();
                synonyms.extend(compound.synonyms.iter().cloned());
                let alternative_ids = compound
                    .chebi_ids
                    .iter()
                    .map(|chebi| format!("CHEBI:{chebi}"))
                    .collect::<Vec<_>>();
                let term = with_synonyms(Term::new(id, compound.label()), synonyms)
                    .with_alternative_ids(alternative_ids);
                (term, true)
            }
            None => (Term::new(id, id), false),
        };
    }
    if upper.starts_with("CHEBI:") {
        let compound = tables.compounds.by_chebi(id);
        let label = tables
            .ontologies
            .label(id)
            .map(str::to_owned)
            .or_else(|| compound.map(|c| c.label().to_owned()));
        return match label {
            Some(label) => {
                let synonyms = compound.map(|c| c.synonyms.clone()).unwrap_or_default();
                let alternative_ids = compound
                    .map(|c| vec![c.chembl_id.clone()])
                    .unwrap_or_default();
                let term = with_synonyms(Term::new(id, label), synonyms)
                    .with_alternative_ids(alternative_ids);
                (term, true)
            }
            None => (Term::new(id, id), false),
        };
    }
    (Term::new(id, id), false)
}

/// `term` with up to [`MAX_SYNONYMS`] synonyms that differ from its label and each other
/// (ignoring case and punctuation)
fn with_synonyms(term: Term, synonyms: Vec<String>) -> Term {
    let mut keys: HashSet<String> =
        HashSet::from([normalise_name(&term.label), normalise_name(&term.id)]);
    let kept: Vec<String> = synonyms
        .into_iter()
        .filter(|synonym| {
            let key = normalise_name(synonym);
            !key.is_empty() && keys.insert(key)
        })
        .take(MAX_SYNONYMS)
        .collect();
    term.with_synonyms(kept)
}
