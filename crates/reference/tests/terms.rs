//! vocabulary_terms on small fixtures: labels, synonyms, alternative ids per key

use synthome_query::MetadataKey;
use synthome_reference::{
    CellLineNames, CompoundTable, GeneTable, OntologyTerms, ReferenceTables, vocabulary_terms,
};
use synthome_vocab::TermIndex;

fn tables() -> ReferenceTables {
    let mut ontologies = OntologyTerms::new();
    ontologies
        .add_json(
            br#"{"UBERON:0002107": {"label": "liver", "synonyms": ["iecur", "Liver", "hepar"], "deprecated": false},
                 "CVCL_0030": {"label": "HeLa", "deprecated": false},
                 "HsapDv:0000087": {"label": "human adult stage", "deprecated": false},
                 "CHEBI:45783": {"label": "imatinib", "deprecated": false}}"#,
            "fixture",
        )
        .expect("json");
    let mut genes =
        GeneTable::from_gencode("ENSG00000141510,TP53,19,2426,protein_coding\n".as_bytes())
            .expect("gencode");
    genes
        .add_hgnc(
            "Approved symbol\tApproved name\tAlias symbols\tNCBI Gene ID(supplied by NCBI)\tPrevious symbols\tEnsembl gene ID\nTP53\ttumor protein p53\tP53, LFS1\t7157\t\tENSG00000141510\n"
                .as_bytes(),
        )
        .expect("hgnc");
    let mut compounds = CompoundTable::new();
    compounds
        .add_chembl_names(
            "chembl_id,pref_name,chebi_id\nCHEMBL941,IMATINIB,45783\nCHEMBL1,OTHER,45783\n"
                .as_bytes(),
        )
        .expect("names");
    compounds
        .add_lincs_small_molecules(
            r#"{"a": {"Name": "Imatinib", "Alternative Names": "Gleevec; STI-571", "ChEBI ID": "", "ChEMBL ID": "941"}}"#
                .as_bytes(),
        )
        .expect("lincs");
    let cell_lines = CellLineNames::new(
        &ontologies,
        "text\tcurie\nHELA\tdepmap:A\nHeLa cells\tdepmap:A\n".as_bytes(),
        "subject_id\tobject_id\ndepmap:A\tcellosaurus:0030\n".as_bytes(),
    )
    .expect("cell lines");
    ReferenceTables {
        ontologies,
        genes,
        compounds,
        cell_lines,
    }
}

#[test]
fn each_key_gets_labels_synonyms_and_alternative_ids() {
    let tables = tables();
    let tissues = vocabulary_terms(
        MetadataKey::TissueOntologyId,
        ["UBERON:0002107", "UBERON:0002107", "UBERON:9999999"],
        &tables,
    );
    assert_eq!(tissues.terms.len(), 2, "duplicates dropped");
    assert_eq!(tissues.terms[0].label, "liver");
    assert_eq!(tissues.terms[0].synonyms, vec!["iecur", "hepar"]);
    assert_eq!(tissues.unlabelled, vec!["UBERON:9999999"]);

    let lines = vocabulary_terms(MetadataKey::CellLineOntologyId, ["CVCL_0030"], &tables);
    assert_eq!(lines.terms[0].label, "HeLa");
    assert_eq!(lines.terms[0].synonyms, vec!["HeLa cells"]);

    let perturbations = vocabulary_terms(
        MetadataKey::PerturbationOntologyId,
        ["ENSG00000141510", "CHEMBL941", "CHEMBL1", "9606"],
        &tables,
    );
    let [gene, imatinib, other, taxon] = perturbations.terms.as_slice() else {
        panic!("four terms expected: {:?}", perturbations.terms);
    };
    assert_eq!(gene.label, "TP53");
    assert_eq!(gene.synonyms, vec!["P53", "LFS1", "tumor protein p53"]);
    assert_eq!(imatinib.label, "Imatinib");
    assert_eq!(imatinib.synonyms, vec!["Gleevec", "STI-571"]);
    assert_eq!(imatinib.alternative_ids, vec!["CHEBI:45783"]);
    assert!(
        other.alternative_ids.is_empty(),
        "a ChEBI id serves one term only"
    );
    assert_eq!(taxon.label, "9606");
    assert_eq!(perturbations.unlabelled, vec!["9606"]);
    TermIndex::new(perturbations.terms.clone()).expect("the terms form a valid index");

    let stages = vocabulary_terms(
        MetadataKey::DevelopmentalStage,
        ["HsapDv:0000087", "adult"],
        &tables,
    );
    assert_eq!(stages.terms[0].label, "human adult stage");
    assert_eq!(stages.terms[1].label, "adult");
    assert!(
        stages.unlabelled.is_empty(),
        "plain text values are their own label"
    );

    let sexes = vocabulary_terms(MetadataKey::Sex, ["female", "male"], &tables);
    assert_eq!(sexes.terms[1].id, "male");
    assert_eq!(sexes.terms[1].label, "male");
}
