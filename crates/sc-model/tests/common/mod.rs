//! A small single-cell model made in the test: 60 genes, two cell types, control and
//! stimulated groups, one latent factor on the first type

#![allow(dead_code)]

use synthome_matrix::GeneTable;
use synthome_query::{Limits, MetadataKey, ValidQuery, parse_and_validate};
use synthome_sc_model::{
    AtlasProfiles, CellType, DispersionTrend, Group, Latent, LibrarySize, ModelCard, ScModel,
    ScParams,
};
use synthome_vocab::{KeyDomain, QuantityUnit, Term, TermIndex, Vocabulary};

pub const N_GENES: usize = 60;
pub const IFNB1: &str = "ENSG00000171855";

/// Proportions: a few large genes, a long tail of small ones; gene 5 is the "interferon gene"
fn profile(cell_type: usize, stimulated: bool, n_genes: usize) -> Vec<f32> {
    (0..n_genes)
        .map(|gene| {
            let mut value = 1.0 / (1.0 + gene as f64).powf(1.3);
            if gene == 10 + cell_type * 5 {
                value *= 30.0; // a marker
            }
            if stimulated && gene == 5 {
                value *= 20.0;
            }
            value as f32
        })
        .map(|value| value.ln())
        .collect()
}

fn terms(pairs: &[(&str, &str)]) -> KeyDomain {
    let index = TermIndex::new(
        pairs
            .iter()
            .map(|(id, label)| Term::new(*id, *label))
            .collect(),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    KeyDomain::Terms(index)
}

pub fn vocabulary() -> Vocabulary {
    vocabulary_with(&[], &[])
}

/// The fixture's vocabulary with more cell types and tissues
fn vocabulary_with(cell_types: &[(&str, &str)], tissues: &[(&str, &str)]) -> Vocabulary {
    let mut vocabulary = Vocabulary::new();
    let mut insert = |key: MetadataKey, domain: KeyDomain| {
        vocabulary
            .insert(key.as_str(), domain)
            .unwrap_or_else(|error| panic!("{error}"));
    };
    insert(
        MetadataKey::CellTypeOntologyId,
        terms(
            &[
                [("CL:0000624", "CD4 T"), ("CL:0000236", "B cell")].as_slice(),
                cell_types,
            ]
            .concat(),
        ),
    );
    insert(
        MetadataKey::TissueOntologyId,
        terms(&[[("UBERON:0000178", "blood")].as_slice(), tissues].concat()),
    );
    insert(
        MetadataKey::SampleType,
        terms(&[("primary cells", "primary cells")]),
    );
    insert(
        MetadataKey::PerturbationType,
        terms(&[
            ("control", "control"),
            ("peptide or biologic", "peptide or biologic"),
        ]),
    );
    insert(
        MetadataKey::PerturbationOntologyId,
        terms(&[(IFNB1, "IFNB1")]),
    );
    insert(
        MetadataKey::PerturbationTime,
        KeyDomain::Quantity {
            unit: QuantityUnit::Hours,
            min: 6.0,
            max: 6.0,
            known: vec![6.0],
        },
    );
    vocabulary
}

fn group(cell_type: usize, stimulated: bool, n_cells: u32, n_genes: usize) -> Group {
    let type_id = ["CL:0000624", "CL:0000236"][cell_type];
    let mut fields = vec![
        (MetadataKey::CellTypeOntologyId, type_id.to_owned()),
        (MetadataKey::TissueOntologyId, "UBERON:0000178".to_owned()),
        (MetadataKey::SampleType, "primary cells".to_owned()),
    ];
    if stimulated {
        fields.push((
            MetadataKey::PerturbationType,
            "peptide or biologic".to_owned(),
        ));
        fields.push((MetadataKey::PerturbationOntologyId, IFNB1.to_owned()));
        fields.push((MetadataKey::PerturbationTime, "6 hours".to_owned()));
    } else {
        fields.push((MetadataKey::PerturbationType, "control".to_owned()));
    }
    Group {
        cell_type,
        fields,
        n_cells,
        log_profile: profile(cell_type, stimulated, n_genes),
        library: LibrarySize {
            log_offset: if cell_type == 0 { 0.0 } else { 0.5 },
            log_sd: 0.3,
        },
    }
}

/// The fixture's parameters; `with_latent` puts one factor on genes 0..8 of the first type
pub fn params(with_latent: bool) -> ScParams {
    params_with_genes(with_latent, N_GENES)
}

/// The fixture with `n_genes` genes (at least 20)
pub fn params_with_genes(with_latent: bool, n_genes: usize) -> ScParams {
    let ids = (0..n_genes)
        .map(|gene| format!("ENSG{:011}", gene + 1))
        .collect();
    let symbols = (0..n_genes).map(|gene| format!("G{gene}")).collect();
    let latent_genes: Vec<u32> = if with_latent {
        (0..8).collect()
    } else {
        Vec::new()
    };
    let n_factors = usize::from(with_latent);
    let loadings = latent_genes
        .iter()
        .map(|&gene| if gene % 2 == 0 { 0.5 } else { -0.5 })
        .take(latent_genes.len() * n_factors)
        .collect();
    let cell_types = vec![
        CellType {
            id: "CL:0000624".into(),
            label: "CD4 T".into(),
            latent: Latent {
                genes: latent_genes,
                n_factors,
                loadings,
                scales: vec![1.0; n_factors],
                bank: Vec::new(),
                jitter: 0.0,
            },
            dispersion: vec![0.3; n_genes],
        },
        CellType {
            id: "CL:0000236".into(),
            label: "B cell".into(),
            latent: Latent::none(),
            dispersion: vec![0.1; n_genes],
        },
    ];
    ScParams {
        card: ModelCard {
            id: "synthome-sc-v1".into(),
            alias: "gem-1-sc".into(),
            version: "1.0.0".into(),
            summary: "test fixture".into(),
            licence: "CC BY 4.0".into(),
        },
        genes: GeneTable::new(ids, symbols).unwrap_or_else(|error| panic!("{error}")),
        vocabulary: vocabulary(),
        cell_types,
        groups: vec![
            group(0, false, 300, n_genes),
            group(0, true, 200, n_genes),
            group(1, false, 100, n_genes),
            group(1, true, 12, n_genes),
        ],
        mean_log_library: 1000f32.ln(),
        dispersion_trend: DispersionTrend::default(),
        atlas: AtlasProfiles::default(),
    }
}

/// Hepatocyte of the atlas fixture
pub const HEPATOCYTE: &str = "CL:0000182";
/// Liver
pub const LIVER: &str = "UBERON:0002107";
/// Lung
pub const LUNG: &str = "UBERON:0002048";

/// The fixture plus atlas groups: hepatocytes in liver (a type without per-gene dispersions,
/// so it takes the trend) and B cells in lung
pub fn params_with_atlas() -> ScParams {
    let mut params = params(false);
    let n_genes = params.genes.len();
    params.vocabulary = vocabulary_with(
        &[(HEPATOCYTE, "hepatocyte")],
        &[(LIVER, "liver"), (LUNG, "lung")],
    );
    params.cell_types.push(CellType {
        id: HEPATOCYTE.into(),
        label: "hepatocyte".into(),
        latent: Latent::none(),
        dispersion: Vec::new(),
    });
    params.dispersion_trend = DispersionTrend {
        log_means: vec![-2.0, 2.0],
        log_dispersions: vec![0.0, -2.0],
    };
    let atlas_group = |cell_type: usize, id: &str, tissue: &str| Group {
        cell_type,
        fields: vec![
            (MetadataKey::CellTypeOntologyId, id.to_owned()),
            (MetadataKey::TissueOntologyId, tissue.to_owned()),
        ],
        n_cells: 100,
        log_profile: Vec::new(),
        library: LibrarySize {
            log_offset: 0.0,
            log_sd: 0.3,
        },
    };
    params.groups.push(atlas_group(2, HEPATOCYTE, LIVER));
    params.groups.push(atlas_group(1, "CL:0000236", LUNG));
    let columns: Vec<Vec<u8>> = [2usize, 1]
        .iter()
        .map(|&marker| {
            profile(marker, false, n_genes)
                .iter()
                .map(|&log| AtlasProfiles::encode(f64::from(log).exp()))
                .collect()
        })
        .collect();
    params.atlas = AtlasProfiles {
        n_columns: 2,
        codes: columns.concat(),
    };
    params
}

pub fn model(with_latent: bool) -> ScModel {
    ScModel::new(params(with_latent)).unwrap_or_else(|error| panic!("{error}"))
}

pub fn query(model: &ScModel, json: &str) -> ValidQuery {
    parse_and_validate(json, &model.target(), &Limits::default())
        .unwrap_or_else(|errors| panic!("{errors}"))
}
