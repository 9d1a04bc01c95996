//! Yan et al. 2013 pre-implantation embryo cells as atlas columns: one mean profile per
//! stage, keyed by the stage's cell type and HsapDv stage in the embryo
//!
//! RPKM is already divided by transcript length, so it is proportional to molecules: a
//! stage's profile is its cells' mean RPKM, normalised to sum to 1. Oocytes are left out
//! (HsapDv has no stage before fertilisation). The three cleavage stages (2-, 4-, 8-cell)
//! share one key: blastomeres (`CL:0000353`, blastoderm cell) at Carnegie stage 02 (the
//! table's `HsapDv:0000004` is deprecated, replaced by `HsapDv:0000005`).

use synthome_inputs::Inputs;

use crate::atlas::mapping::MappedColumn;
use crate::error::BuildError;

/// Yan 2013 cell table
pub(crate) const YAN_CELLS: &str = "single_cell/yan2013_embryo_cells.tsv";
/// Yan 2013 RPKM (genes x cells)
pub(crate) const YAN_RPKM: &str = "single_cell/yan2013_embryo_rpkm.tsv.gz";
/// Name of these columns' atlas
pub const EMBRYO_ATLAS: &str = "Embryo_Yan2013";
/// Embryo
const EMBRYO: &str = "UBERON:0000922";

/// Stage label in the cell table -> (CL id, HsapDv id, confidence)
const STAGES: [(&str, &str, &str, &str); 6] = [
    ("zygote", "CL:0000365", "HsapDv:0000003", "high"),
    ("2-cell", "CL:0000353", "HsapDv:0000005", "high"),
    ("4-cell", "CL:0000353", "HsapDv:0000005", "high"),
    ("8-cell", "CL:0000353", "HsapDv:0000005", "high"),
    ("morula", "CL:0000360", "HsapDv:0000205", "high"),
    // trophectoderm and inner cell mass cells pooled: embryonic cell
    ("late blastocyst", "CL:0002321", "HsapDv:0000007", "low"),
];

/// One stage: its mapping and the symbols' mean RPKM
pub(crate) struct StageProfile {
    /// The key
    pub mapping: MappedColumn,
    /// (symbol, mean RPKM)
    pub values: Vec<(String, f64)>,
}

/// The stages' profiles, when the data folder has the Yan tables
pub(crate) fn load(files: &mut Inputs) -> Result<Vec<StageProfile>, BuildError> {
    if !files.exists(YAN_CELLS) || !files.exists(YAN_RPKM) {
        return Ok(Vec::new());
    }
    let cells = files.text(YAN_CELLS)?;
    // sample id -> stage, in table order (the RPKM columns use the same ids)
    let stages: Vec<(String, String)> = cells
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            Some(((*fields.first()?).to_owned(), (*fields.get(2)?).to_owned()))
        })
        .collect();
    let text = files.text(YAN_RPKM)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let stage_of: Vec<Option<usize>> = header
        .iter()
        .skip(1)
        .map(|sample| {
            let stage = &stages.iter().find(|(id, _)| id == sample)?.1;
            STAGES.iter().position(|(name, ..)| name == stage)
        })
        .collect();
    let mut counts = [0usize; STAGES.len()];
    for stage in stage_of.iter().flatten() {
        counts[*stage] += 1;
    }
    let mut profiles: Vec<StageProfile> = STAGES
        .iter()
        .map(|(name, cell_type, stage, confidence)| StageProfile {
            mapping: MappedColumn {
                column: format!("{EMBRYO_ATLAS}|{name}"),
                cell_type: (*cell_type).to_owned(),
                tissue: EMBRYO.to_owned(),
                stage: (*stage).to_owned(),
                disease: "PATO:0000461".to_owned(),
                confidence: (*confidence).to_owned(),
            },
            values: Vec::new(),
        })
        .collect();
    for (number, line) in lines.enumerate() {
        let mut fields = line.split('\t');
        let symbol = fields.next().unwrap_or_default().to_owned();
        let mut sums = [0.0f64; STAGES.len()];
        for (value, stage) in fields.zip(&stage_of) {
            let Some(stage) = stage else { continue };
            let value: f64 = value.parse().map_err(|_| BuildError::Parse {
                file: YAN_RPKM.to_owned(),
                line: number + 2,
                detail: format!("{value:?} is not a number"),
            })?;
            sums[*stage] += value.max(0.0);
        }
        for (profile, (sum, &n)) in profiles.iter_mut().zip(sums.iter().zip(&counts)) {
            profile.values.push((symbol.clone(), sum / n.max(1) as f64));
        }
    }
    profiles.retain(|profile| profile.values.iter().any(|(_, v)| *v > 0.0));
    Ok(profiles)
}
