//! The model card (Markdown): sources, annotation evidence, groups, sampler accuracy, limits

use std::fmt::Write;

use synthome_query::MetadataKey;
use synthome_sc_model::{MAX_EXACT_GENES, POOLED_BELOW_MEAN};

use crate::analysis::annotate::{CANDIDATES, HPA_WEIGHT};
use crate::analysis::embed::{N_COMPONENTS, N_VARIABLE};
use crate::atlas::{ANCHOR_WEIGHT, PBMC_ATLASES};
use crate::fit::Fitted;
use crate::fit::latent::{FACTORS, LATENT_GENES, MIN_CELLS};
use crate::fit::profiles::PRIOR_COUNTS;
use crate::fit::{MIN_GROUP_CELLS, MIN_TYPE_CELLS};
use crate::prepare::Prepared;

/// The Kang types whose means were blended with PBMC atlas profiles
fn anchoring_section(out: &mut String, fitted: &Fitted) {
    if fitted.anchored.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "## Healthy-blood means anchored to PBMC atlases\n\nThe Kang cells are one study's shallow cells: real Kang type means correlate with another PBMC atlas's means of the same type at r 0.6-0.8, where two atlases agree at 0.81-0.86. Each Kang group (control and IFN-beta) of a type that the PBMC atlases of the cell-profile library ({}) also have is blended with the mean of those atlases' profiles of the type, with weight {ANCHOR_WEIGHT} on ln(1 + 10^4 x share), over the genes an atlas measured that are not interferon-responsive (the atlases pool COVID-19 patients and controls; Kang's cells are the healthy and IFN-beta reference there). The weight is the largest, in steps of 0.1, that keeps the held-out Kang per-gene mean r at 0.9 or more; `REALISM-sc.md` shows, leaving each atlas out in turn, what anchoring gains on the held-out atlas and what it costs against the held-out Kang cells. Types no PBMC atlas has keep their Kang means.\n\n| cell type | atlases | genes blended |\n|---|---|---|",
        PBMC_ATLASES.join(", ")
    );
    for anchored in &fitted.anchored {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            anchored.cell_type,
            anchored.atlases.join(", "),
            anchored.genes
        );
    }
    out.push('\n');
}

/// Interferon-stimulated genes reported per type
pub const ISGS: [&str; 3] = ["ISG15", "IFI6", "MX1"];

/// The model card of a build
pub(crate) fn render(
    prepared: &Prepared,
    fitted: &Fitted,
    bundle: &[u8],
    gzip_bytes: usize,
    sha256: &str,
) -> String {
    let params = &fitted.params;
    let dataset = &prepared.dataset;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Model card: {} ({})\n",
        params.card.id, params.card.alias
    );
    let _ = writeln!(
        out,
        "Version {}. {}\n",
        params.card.version, params.card.summary
    );
    let _ = writeln!(out, "Licence: {}.\n", params.card.licence);
    let _ = writeln!(
        out,
        "Bundle: `public/models/synthome-sc-v1.bundle`, {} bytes raw, {} bytes gzipped, sha256 `{}`.\n",
        bundle.len(),
        gzip_bytes,
        sha256
    );
    out.push_str("## Sources\n\n| file | sha256 | bytes |\n|---|---|---|\n");
    for input in &prepared.inputs {
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {} |",
            input.path, input.sha256, input.bytes
        );
    }
    out.push_str(
        "\nKang HM et al. (2018) Nat Biotechnol 36:89 (GEO GSE96583; the 2,000-cell subset shipped with the harmony package, GPL-3); Human Protein Atlas blood cell types (CC BY-SA 4.0); CL consensus markers from OpenScPCA / CellMarker 2.0 (CC BY 4.0); Cell Ontology and UBERON (CC BY 4.0); GENCODE v48 and HGNC for gene ids.\n\n",
    );
    let measured = dataset.measured.iter().filter(|&&m| m).count();
    let _ = writeln!(
        out,
        "## Genes\n\n{} Kang gene symbols; {} mapped to Ensembl ids through HGNC/GENCODE ({} symbols unmatched and dropped, {} merged into a gene another symbol already named). The gene universe adds the {} other genes of the HPA blood table: {} genes in all. Unmeasured genes get `kappa x HPA nTPM` capped at the detection limit of the Kang gene filter; they carry {:.2}% of a cell's expected counts on average before the Kang types are anchored to the PBMC atlases (below), which measured many of them.\n",
        measured + dataset.unmapped.len() + dataset.merged,
        measured + dataset.merged,
        dataset.unmapped.len(),
        dataset.merged,
        dataset.gene_ids.len() - measured,
        dataset.gene_ids.len(),
        100.0 * fitted.unmeasured_share
    );
    if !fitted.unlabelled.is_empty() {
        let _ = writeln!(
            out,
            "Vocabulary ids without a label in the reference tables: {}.\n",
            fitted.unlabelled.join(", ")
        );
    }
    annotation_section(&mut out, prepared, fitted);
    groups_section(&mut out, prepared, fitted);
    anchoring_section(&mut out, fitted);
    if let Some(atlas) = &prepared.atlas {
        crate::atlas::card::render(&mut out, atlas, params);
    }
    let _ = writeln!(
        out,
        "## Sampler and its accuracy\n\nSample generation draws, per cell: the training group (when keys are unspecified, by cell count), the latent scores, the library size `exp(N(log total_count + offset, sd^2))`, then counts. Genes with latent factors and genes expected at {POOLED_BELOW_MEAN} counts or more at the group's median library size (at most {MAX_EXACT_GENES} per cell) get their own negative binomial draw (inversion below a mean of 10, gamma-Poisson above, a skewness-corrected normal for large means). All other genes are pooled: one Poisson total for the pool, spread over its genes by an alias table, so zeros are never visited. A pooled gene is Poisson rather than negative binomial: its share of zeros is `exp(-mu)` instead of `(1 + phi mu)^(-1/phi)`, e.g. 0.9512 instead of 0.9535 at `mu = 0.05, phi = 1`; at the default 10,000 counts per cell the cap of {MAX_EXACT_GENES} exact genes puts genes expected below about 0.4 counts in the pool. Memory grows with the non-zeros (CSR rows assembled from a reused per-gene scratch and a bit set). Mean estimation returns the dense expected counts at exactly `total_count` per cell.\n"
    );
    let _ = writeln!(
        out,
        "## Realism and speed\n\nSee `REALISM-sc.md` beside this card (held-out Kang cells against generated cells, per cell type) and run `cargo run --release -p synthome-sc-builder --bin sc_bench` for the generation speed on your machine.\n"
    );
    let _ = writeln!(
        out,
        "## Limitations\n\n- One donor pool, one 10x run, 2,000 cells: small cell types (dendritic cells, pDC, megakaryocytes) rest on a few dozen cells or fewer; their profiles are shrunk towards the type's pooled profile and the shared interferon response ({PRIOR_COUNTS} prior counts).\n- Cell types are cluster annotations, not sorted cells; CD4/CD8 T cells and NK/CD8 T cells overlap in 10x data and some clusters are mixtures.\n- The only perturbation is IFN-beta for 6 hours; no dose, no other time.\n- Genes outside the Kang matrix are imputed from bulk HPA nTPM, or blended towards the PBMC atlases where they measured them; the HPA part is never validated.\n- Anchoring trades fidelity to the Kang study for agreement with other PBMC data: generated cells are told from held-out Kang cells more easily than without it (see `REALISM-sc.md`).\n- Library sizes follow the Kang depth (median around 1,200 UMI); a `total_count` of 10,000 extrapolates to 8x that depth with the same proportions.\n"
    );
    out
}

/// Cluster evidence and marker tables
fn annotation_section(out: &mut String, prepared: &Prepared, fitted: &Fitted) {
    let _ = writeln!(
        out,
        "## Cell-type annotation\n\nThe cells carry no labels. Counts are normalised to 10,000 per cell and logged; genes whose mean differs more than two-fold between stimulated and control cells ({} genes) are excluded so cells cluster by type, not by interferon response; the {N_VARIABLE} most variable remaining genes (dispersion z-score within mean bins) are scaled, and {N_COMPONENTS} principal components are clustered by k-means (k-means++ seeded from a fixed seed, best of several restarts). Each cluster is scored against {} candidate PBMC types: marker score = mean standardised expression of the type's CL consensus markers; HPA score = correlation of the cluster's centred profile with the type's centred HPA sorted-cell profile over the 1,000 most variable HPA genes; total = marker + {HPA_WEIGHT} x HPA. The best total wins. Types with fewer than {MIN_TYPE_CELLS} cells are not modelled{}.\n",
        prepared
            .embedding
            .ifn_responsive
            .iter()
            .filter(|&&f| f)
            .count(),
        CANDIDATES.len(),
        if fitted.dropped.is_empty() {
            String::new()
        } else {
            format!(
                " (left out: {})",
                fitted
                    .dropped
                    .iter()
                    .map(|(c, n)| format!("{} with {n} cells", CANDIDATES[*c].name))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    out.push_str("| cluster | cells | stimulated | assigned | total | marker | HPA r | runner-up (total) |\n|---|---|---|---|---|---|---|---|\n");
    for cluster in &prepared.annotation.clusters {
        let best = cluster.scores[0];
        let second = cluster.scores.get(1);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.2} | {:.2} | {:.2} | {} |",
            cluster.cluster,
            cluster.n_cells,
            cluster.n_stimulated,
            CANDIDATES[best.candidate].name,
            best.total,
            best.marker,
            best.hpa,
            second.map_or_else(String::new, |s| format!(
                "{} ({:.2})",
                CANDIDATES[s.candidate].name, s.total
            ))
        );
    }
    out.push_str("\nMarker evidence per modelled type (log value = ln(1 + 10^4 count / library); share = cells with a count):\n\n| type | CL id | cells | marker genes: share in type / share in other cells |\n|---|---|---|---|\n");
    let dataset = &prepared.dataset;
    let n_cells = dataset.counts.n_cells();
    for &candidate in &fitted.type_candidates {
        let in_type: Vec<usize> = (0..n_cells)
            .filter(|&c| prepared.annotation.cell_types[c] == candidate)
            .collect();
        let others = n_cells - in_type.len();
        let mut described = Vec::new();
        for &gene in prepared.annotation.marker_genes[candidate].iter().take(10) {
            let mut expressing = [0usize; 2];
            for cell in 0..n_cells {
                let (genes, _) = dataset.counts.row(cell);
                if genes.binary_search(&gene).is_ok() {
                    expressing[usize::from(prepared.annotation.cell_types[cell] == candidate)] += 1;
                }
            }
            described.push(format!(
                "{} {:.0}% / {:.0}%",
                dataset.gene_symbols[gene as usize],
                100.0 * expressing[1] as f64 / in_type.len().max(1) as f64,
                100.0 * expressing[0] as f64 / others.max(1) as f64
            ));
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            CANDIDATES[candidate].name,
            CANDIDATES[candidate].id,
            in_type.len(),
            described.join(", ")
        );
    }
    out.push('\n');
}

/// Training groups, library sizes, latent factors and the interferon response
fn groups_section(out: &mut String, prepared: &Prepared, fitted: &Fitted) {
    let params = &fitted.params;
    let _ = writeln!(
        out,
        "## Training groups\n\nA group needs {MIN_GROUP_CELLS} cells. Latent factors: up to {FACTORS} per type over its {LATENT_GENES} most over-dispersed variable genes, for types with at least {MIN_CELLS} cells (k-NN smoothed log rates, centred per condition, PCA); `z` is drawn from a kernel density over the training cells' scores (Silverman bandwidth), and the scores are multiplied by a factor calibrated on the training cells so that generated cells spread like real ones along the build's principal components (smallest sum of squared log variance ratios; k-NN smoothing shrinks the scores). A multiplier at the top of the grid (3) means the factors cannot reach the real spread. Dispersion: method of moments beyond the latent variance, shrunk towards the mean trend.\n\n| cell type | CL id | condition | cells | library geometric mean | log sd | latent factors | latent multiplier | median dispersion |\n|---|---|---|---|---|---|---|---|---|"
    );
    // the Kang groups (atlas groups, with no profile of their own here, are in their section)
    for group in params.groups.iter().filter(|g| !g.log_profile.is_empty()) {
        let cell_type = &params.cell_types[group.cell_type];
        let mut dispersion: Vec<f32> = cell_type
            .dispersion
            .iter()
            .zip(&prepared.dataset.measured)
            .filter(|(_, m)| **m)
            .map(|(d, _)| *d)
            .collect();
        dispersion.sort_by(f32::total_cmp);
        let condition = if group.field(MetadataKey::PerturbationOntologyId).is_some() {
            "IFN-beta 6 h"
        } else {
            "control"
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.0} | {:.2} | {} | {:.2} | {:.3} |",
            cell_type.label,
            cell_type.id,
            condition,
            group.n_cells,
            f64::from(params.mean_log_library + group.library.log_offset).exp(),
            group.library.log_sd,
            cell_type.latent.n_factors,
            fitted.latent_multipliers[group.cell_type],
            dispersion.get(dispersion.len() / 2).copied().unwrap_or(0.0)
        );
    }
    out.push_str("\nIFN-beta response in the model (log2 fold change of the stimulated over the control profile):\n\n| cell type |");
    for gene in ISGS {
        let _ = write!(out, " {gene} |");
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(ISGS.len()));
    out.push('\n');
    let symbols = &prepared.dataset.gene_symbols;
    for (type_index, cell_type) in params.cell_types.iter().enumerate() {
        let control = params.groups.iter().find(|g| {
            g.cell_type == type_index
                && !g.log_profile.is_empty()
                && g.field(MetadataKey::PerturbationOntologyId).is_none()
        });
        let stimulated = params.groups.iter().find(|g| {
            g.cell_type == type_index && g.field(MetadataKey::PerturbationOntologyId).is_some()
        });
        let (Some(control), Some(stimulated)) = (control, stimulated) else {
            continue;
        };
        let _ = write!(out, "| {} |", cell_type.label);
        for gene in ISGS {
            match symbols.iter().position(|s| s == gene) {
                Some(g) => {
                    let fold = f64::from(stimulated.log_profile[g] - control.log_profile[g])
                        / std::f64::consts::LN_2;
                    let _ = write!(out, " {fold:+.2} |");
                }
                None => out.push_str(" - |"),
            }
        }
        out.push('\n');
    }
    out.push('\n');
}
