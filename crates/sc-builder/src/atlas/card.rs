//! The model card's atlas section: what is transferred and assumed, the mapping review, the
//! atlases with their citations and imputed genes

use std::collections::BTreeMap;
use std::fmt::Write;

use synthome_query::MetadataKey;
use synthome_sc_model::{AtlasProfiles, ScParams};

use crate::atlas::extend::KEY_WEIGHT;
use crate::atlas::mapping::TABLE;
use crate::atlas::profiles::AtlasData;

/// Appends the section to `out`
pub(crate) fn render(out: &mut String, atlas: &AtlasData, params: &ScParams) {
    let atlas_groups: Vec<_> = params
        .groups
        .iter()
        .filter(|g| g.log_profile.is_empty())
        .collect();
    let mut types = std::collections::BTreeSet::new();
    let mut tissues = std::collections::BTreeSet::new();
    for group in &atlas_groups {
        types.extend(group.field(MetadataKey::CellTypeOntologyId));
        tissues.extend(group.field(MetadataKey::TissueOntologyId));
    }
    let _ = writeln!(
        out,
        "## Cell types across the body (cell-profile library)\n\n{} mean per-cell profiles of {} atlases (Nanostring CellProfileLibrary, CC BY 4.0; each atlas keeps its own terms, cited below) are {} groups of the model: {} Cell Ontology types in {} tissues, keyed by `cell_type_ontology_id`, `tissue_ontology_id`, `developmental_stage` (HsapDv: fetal stage for the Descartes fetal atlases, prenatal stage for fetal-derived placental cells, adult stage otherwise) and `disease_ontology_id` (MONDO:0100096 for the COVID-19 atlases, MONDO:0018177 for the glioblastoma atlas, PATO:0000461 otherwise). A type present in several tissues keeps each tissue's profile; a type asked for without a tissue is drawn from the tissues that have it (echoed as inferred); a type asked for in a tissue the model lacks is an error that names the tissues it has.\n",
        atlas.columns.len(),
        atlas.atlases.len(),
        atlas_groups.len(),
        types.len(),
        tissues.len()
    );
    let _ = writeln!(
        out,
        "### What is transferred from the Kang cells, and what is assumed\n\nThe profiles are means, not cells. Per-cell variation comes from the 2,000 Kang UMI-counted PBMCs:\n\n- **Same CL type as a Kang type** (T, NK, B cells, monocytes, DC, pDC, megakaryocytes, erythrocytes): the Kang type's latent factors (co-varying genes, kernel bank of training-cell states) and per-gene negative binomial dispersions act on the atlas profile; the latent offsets keep every gene's mean at the atlas profile.\n- **Other types**: no latent factors; each gene's dispersion is the Kang dispersion trend at its expected count: the median over Kang genes of total over-dispersion (phi plus the latent factors' extra variance, `exp(var eta) - 1`) per bin of ln(expected count), {} knots from {:.2} to {:.2} (ln mean), phi {:.2} to {:.2}. Assumed: within-type structure beyond that (sub-states, cell cycle) is not modelled, and a tissue's noise is that of 10x PBMCs.\n- **Library sizes**: log-normal around `total_count` with the Kang groups' mean log-sd; the profiles carry no depth information (each column was rescaled to 1e6).\n- **Weights**: the profiles have no cell counts; each key carries a nominal {KEY_WEIGHT} training cells, shared by its sub-profiles (e.g. six hepatocyte clusters of Liver_HCA are drawn as a mixture). A query that names only a cell type draws Kang and atlas groups by these weights.\n- **Storage**: atlas profiles are stored as one byte per gene, ln proportion in steps of 1/8 from {} (at most 6.4% relative error; genes below e^-13 = 2.3e-6 of a cell's counts, 0.02 counts of a 10,000-count cell, are 0), gene-major so each gene's values sit together for compression.\n",
        params.dispersion_trend.log_means.len(),
        params
            .dispersion_trend
            .log_means
            .first()
            .copied()
            .unwrap_or(0.0),
        params
            .dispersion_trend
            .log_means
            .last()
            .copied()
            .unwrap_or(0.0),
        params
            .dispersion_trend
            .log_dispersions
            .first()
            .map_or(0.0, |v| v.exp()),
        params
            .dispersion_trend
            .log_dispersions
            .last()
            .map_or(0.0, |v| v.exp()),
        AtlasProfiles::FLOOR
    );
    let _ = writeln!(
        out,
        "### Gene sets, full-length protocols and imputed genes\n\nLibrary symbols are resolved to the model's Ensembl gene universe through HGNC/GENCODE ({} library symbols resolve to no universe gene and are dropped). Full-length (Smart-seq) atlases count reads, which grow with transcript length, where 10x atlases count molecules: for {} the values are divided by the GENCODE gene length and renormalised, giving count-like proportions of molecules. A universe gene an atlas did not measure (NA, not zero) is filled as the v1 model fills the genes Kang lacks, from a reference profile: the mean proportion of the gene over the other profiles of the same CL type that measured it, else its median over all profiles that measured it (a median, so that e.g. protamines of sperm do not leak into atlases that lack them); the column is then renormalised.\n\n| atlas | profiles mapped | genes measured | genes imputed | length-corrected | citation |\n|---|---|---|---|---|---|",
        atlas.dropped_symbols,
        crate::atlas::profiles::FULL_LENGTH_ATLASES.join(", ")
    );
    for summary in &atlas.atlases {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            summary.atlas,
            summary.columns,
            summary.measured,
            summary.imputed,
            if summary.full_length { "yes" } else { "no" },
            summary.citation.replace('|', "/")
        );
    }
    mapping_review(out);
}

/// The review of the mapping: counts by confidence and the left-out profiles with their notes
fn mapping_review(out: &mut String) {
    let mut confidence: BTreeMap<&str, usize> = BTreeMap::new();
    let mut excluded = Vec::new();
    let mut doubtful = Vec::new();
    for line in TABLE.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (Some(column), Some(id), Some(label), Some(level), Some(note)) = (
            fields.first(),
            fields.get(1),
            fields.get(2),
            fields.get(6),
            fields.get(9),
        ) else {
            continue;
        };
        *confidence.entry(level).or_default() += 1;
        if id.is_empty() {
            excluded.push(format!("| {column} | {note} |"));
        } else if *level == "low" {
            doubtful.push(format!("| {column} | {id} {label} | {note} |"));
        }
    }
    let counts: Vec<String> = confidence.iter().map(|(k, v)| format!("{v} {k}")).collect();
    let _ = writeln!(
        out,
        "\n### Mapping review\n\nThe library's `cell_type_ontology_id_guess` (an automatic label match for 312 of 551 columns) was reviewed column by column against CL labels and synonyms and the profile's most specific genes (log ratio to the median profile), with CL consensus markers (OpenScPCA / CellMarker 2.0) of the term or its nearest ancestor counted among the profile's 500 highest genes; the reviewed table is `crates/sc-builder/mappings/cell_profile_cl.tsv` (one row per column, a note on every doubtful case). Columns: {}. Guesses replaced include striatal primate terms for cortical LAMP5/VIP interneurons, the generic stem cell for intestinal crypt stem cells, CD14+CD16+ for non-classical monocytes, epicardial adipocytes for a mesothelial profile and chromaffin cells for intestinal enteroendocrine cells. Subclusters of one type in one atlas share its CL term (and key).\n\nLow-confidence mappings kept:\n\n| column | CL term | note |\n|---|---|---|\n{}\n\nLeft out:\n\n| column | why |\n|---|---|\n{}\n",
        counts.join(", "),
        doubtful.join("\n"),
        excluded.join("\n")
    );
}
