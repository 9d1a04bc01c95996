//! The metadata keys of the baseline-model query and the form each key's value takes

use synthome_vocab::QuantityKind;

/// A metadata key of the query; nothing else is accepted in `inputs[].metadata`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetadataKey {
    /// `age_years`: a number or numeric string
    AgeYears,
    /// `cell_line_ontology_id`: a Cellosaurus id (CVCL_xxxx)
    CellLineOntologyId,
    /// `cell_type_ontology_id`: a Cell Ontology id (CL:nnnnnnn)
    CellTypeOntologyId,
    /// `developmental_stage`: a term of the model's vocabulary
    DevelopmentalStage,
    /// `disease_ontology_id`: a MONDO id (MONDO:nnnnnnn), or PATO:0000461 for normal
    DiseaseOntologyId,
    /// `ethnicity`: a term of the model's vocabulary
    Ethnicity,
    /// `genotype`: a term of the model's vocabulary
    Genotype,
    /// `race`: a term of the model's vocabulary
    Race,
    /// `sample_type`: one of [`SAMPLE_TYPES`]
    SampleType,
    /// `sex`: one of [`SEXES`]
    Sex,
    /// `tissue_ontology_id`: an UBERON id (UBERON:nnnnnnn)
    TissueOntologyId,
    /// `perturbation_dose`: a number and a dose unit ("10 um", "1 mg/kg")
    PerturbationDose,
    /// `perturbation_ontology_id`: an Ensembl gene, ChEBI, ChEMBL or NCBI Taxonomy id
    PerturbationOntologyId,
    /// `perturbation_time`: a number and a time unit ("24 hours")
    PerturbationTime,
    /// `perturbation_type`: one of [`PERTURBATION_TYPES`]
    PerturbationType,
    /// `study`: a BioProject id (PRJNA..., PRJEB..., PRJDB...)
    Study,
    /// `library_selection`: an ENA library selection value ("cDNA", "polyA", ...)
    LibrarySelection,
    /// `library_layout`: one of [`LIBRARY_LAYOUTS`]
    LibraryLayout,
    /// `platform`: a sequencing platform ("illumina")
    Platform,
}

/// The values of `sample_type`
pub const SAMPLE_TYPES: &[&str] = &[
    "cell line",
    "organoid",
    "other",
    "primary cells",
    "primary tissue",
    "xenograft",
];
/// The values of `sex`
pub const SEXES: &[&str] = &["male", "female"];
/// The values of `perturbation_type`
pub const PERTURBATION_TYPES: &[&str] = &[
    "coculture",
    "compound",
    "control",
    "crispr",
    "genetic",
    "infection",
    "other",
    "overexpression",
    "peptide or biologic",
    "shrna",
    "sirna",
];
/// The values of `library_layout`
pub const LIBRARY_LAYOUTS: &[&str] = &["PAIRED", "SINGLE"];

/// The form a key's value takes, checked before the model's vocabulary
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyForm {
    /// An id with a fixed syntax
    Id(IdSyntax),
    /// One value of a fixed list (matched ignoring case)
    Enumeration(&'static [&'static str]),
    /// Free text, checked only against the model's vocabulary
    Text,
    /// A number with a unit of this kind
    Quantity(QuantityKind),
    /// A plain number (or numeric string) of years
    Years,
}

/// The syntax of an id-valued key (prefixes are matched ignoring case)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdSyntax {
    /// `CVCL_` and 4 letters or digits
    Cellosaurus,
    /// `CL:` and 7 digits
    CellOntology,
    /// `MONDO:` and 7 digits, or `PATO:0000461` (normal)
    Mondo,
    /// `UBERON:` and 7 digits
    Uberon,
    /// `ENSG` and 11 digits (a `.version` suffix is dropped), `CHEBI:` and digits,
    /// `CHEMBL` and digits, or an NCBI Taxonomy number
    Perturbation,
    /// `PRJNA`, `PRJEB` or `PRJDB` and digits
    BioProject,
}

impl MetadataKey {
    /// Every key, in the order of the query-language issue
    pub const ALL: [MetadataKey; 19] = [
        MetadataKey::AgeYears,
        MetadataKey::CellLineOntologyId,
        MetadataKey::CellTypeOntologyId,
        MetadataKey::DevelopmentalStage,
        MetadataKey::DiseaseOntologyId,
        MetadataKey::Ethnicity,
        MetadataKey::Genotype,
        MetadataKey::Race,
        MetadataKey::SampleType,
        MetadataKey::Sex,
        MetadataKey::TissueOntologyId,
        MetadataKey::PerturbationDose,
        MetadataKey::PerturbationOntologyId,
        MetadataKey::PerturbationTime,
        MetadataKey::PerturbationType,
        MetadataKey::Study,
        MetadataKey::LibrarySelection,
        MetadataKey::LibraryLayout,
        MetadataKey::Platform,
    ];

    /// The key as written in queries and vocabularies
    pub fn as_str(self) -> &'static str {
        match self {
            MetadataKey::AgeYears => "age_years",
            MetadataKey::CellLineOntologyId => "cell_line_ontology_id",
            MetadataKey::CellTypeOntologyId => "cell_type_ontology_id",
            MetadataKey::DevelopmentalStage => "developmental_stage",
            MetadataKey::DiseaseOntologyId => "disease_ontology_id",
            MetadataKey::Ethnicity => "ethnicity",
            MetadataKey::Genotype => "genotype",
            MetadataKey::Race => "race",
            MetadataKey::SampleType => "sample_type",
            MetadataKey::Sex => "sex",
            MetadataKey::TissueOntologyId => "tissue_ontology_id",
            MetadataKey::PerturbationDose => "perturbation_dose",
            MetadataKey::PerturbationOntologyId => "perturbation_ontology_id",
            MetadataKey::PerturbationTime => "perturbation_time",
            MetadataKey::PerturbationType => "perturbation_type",
            MetadataKey::Study => "study",
            MetadataKey::LibrarySelection => "library_selection",
            MetadataKey::LibraryLayout => "library_layout",
            MetadataKey::Platform => "platform",
        }
    }

    /// The form of the key's values
    pub fn form(self) -> KeyForm {
        match self {
            MetadataKey::AgeYears => KeyForm::Years,
            MetadataKey::CellLineOntologyId => KeyForm::Id(IdSyntax::Cellosaurus),
            MetadataKey::CellTypeOntologyId => KeyForm::Id(IdSyntax::CellOntology),
            MetadataKey::DiseaseOntologyId => KeyForm::Id(IdSyntax::Mondo),
            MetadataKey::TissueOntologyId => KeyForm::Id(IdSyntax::Uberon),
            MetadataKey::PerturbationOntologyId => KeyForm::Id(IdSyntax::Perturbation),
            MetadataKey::Study => KeyForm::Id(IdSyntax::BioProject),
            MetadataKey::SampleType => KeyForm::Enumeration(SAMPLE_TYPES),
            MetadataKey::Sex => KeyForm::Enumeration(SEXES),
            MetadataKey::PerturbationType => KeyForm::Enumeration(PERTURBATION_TYPES),
            MetadataKey::LibraryLayout => KeyForm::Enumeration(LIBRARY_LAYOUTS),
            MetadataKey::DevelopmentalStage
            | MetadataKey::Ethnicity
            | MetadataKey::Genotype
            | MetadataKey::Race
            | MetadataKey::LibrarySelection
            | MetadataKey::Platform => KeyForm::Text,
            MetadataKey::PerturbationDose => KeyForm::Quantity(QuantityKind::Dose),
            MetadataKey::PerturbationTime => KeyForm::Quantity(QuantityKind::Time),
        }
    }

    /// Whether the key describes how the sample was sequenced rather than a biological
    /// condition (study, library_selection, library_layout, platform)
    pub fn is_technical(self) -> bool {
        matches!(
            self,
            MetadataKey::Study
                | MetadataKey::LibrarySelection
                | MetadataKey::LibraryLayout
                | MetadataKey::Platform
        )
    }
}

impl std::fmt::Display for MetadataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A metadata key name that is not one of [`MetadataKey::ALL`]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name:?} is not a metadata key; valid keys are {}", key_list())]
pub struct UnknownKey {
    /// The name given
    pub name: String,
}

/// The valid key names, comma separated
fn key_list() -> String {
    MetadataKey::ALL
        .iter()
        .map(|key| key.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl std::str::FromStr for MetadataKey {
    type Err = UnknownKey;

    fn from_str(name: &str) -> Result<MetadataKey, UnknownKey> {
        MetadataKey::ALL
            .into_iter()
            .find(|key| key.as_str() == name)
            .ok_or_else(|| UnknownKey {
                name: name.to_owned(),
            })
    }
}

impl serde::Serialize for MetadataKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for MetadataKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<MetadataKey, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

impl IdSyntax {
    /// What a valid id looks like, for error messages
    pub fn describe(self) -> &'static str {
        match self {
            IdSyntax::Cellosaurus => "a Cellosaurus id such as CVCL_0030",
            IdSyntax::CellOntology => "a Cell Ontology id such as CL:0000236",
            IdSyntax::Mondo => "a MONDO id such as MONDO:0011719 (or PATO:0000461 for normal)",
            IdSyntax::Uberon => "an UBERON id such as UBERON:0002107",
            IdSyntax::Perturbation => {
                "an Ensembl gene id (ENSG00000141510), a ChEBI id (CHEBI:45783), a ChEMBL id (CHEMBL941) or an NCBI Taxonomy number (9606)"
            }
            IdSyntax::BioProject => "a BioProject id such as PRJNA123456 or PRJEB3366",
        }
    }

    /// The id in its canonical form (upper-case prefix, Ensembl version dropped), or `None`
    /// when `text` does not have this syntax
    pub fn canonical(self, text: &str) -> Option<String> {
        let upper = text.to_ascii_uppercase();
        let digits_after = |prefix: &str, count: Option<usize>| -> Option<String> {
            let rest = upper.strip_prefix(prefix)?;
            let ok = !rest.is_empty()
                && rest.bytes().all(|b| b.is_ascii_digit())
                && count.is_none_or(|n| rest.len() == n);
            ok.then(|| format!("{prefix}{rest}"))
        };
        match self {
            IdSyntax::Cellosaurus => {
                let rest = upper.strip_prefix("CVCL_")?;
                (rest.len() == 4 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
                    .then(|| format!("CVCL_{rest}"))
            }
            IdSyntax::CellOntology => digits_after("CL:", Some(7)),
            IdSyntax::Mondo => digits_after("MONDO:", Some(7))
                .or_else(|| (upper == "PATO:0000461").then_some(upper.clone())),
            IdSyntax::Uberon => digits_after("UBERON:", Some(7)),
            IdSyntax::Perturbation => {
                let unversioned = match upper.split_once('.') {
                    Some((id, version))
                        if upper.starts_with("ENSG")
                            && !version.is_empty()
                            && version.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        id
                    }
                    _ => upper.as_str(),
                };
                let is_taxon = !unversioned.is_empty()
                    && unversioned.len() <= 10
                    && unversioned.bytes().all(|b| b.is_ascii_digit());
                if is_taxon {
                    return Some(unversioned.to_owned());
                }
                let ensembl = unversioned.strip_prefix("ENSG").is_some_and(|rest| {
                    rest.len() == 11 && rest.bytes().all(|b| b.is_ascii_digit())
                });
                if ensembl {
                    return Some(unversioned.to_owned());
                }
                digits_after("CHEBI:", None).or_else(|| digits_after("CHEMBL", None))
            }
            IdSyntax::BioProject => ["PRJNA", "PRJEB", "PRJDB"]
                .into_iter()
                .find_map(|prefix| digits_after(prefix, None)),
        }
    }
}
