//! The whole report on a small data folder made here (no shared data): every section runs,
//! the figures behave as the fixture's construction says they must, the outputs render

use std::path::PathBuf;

use synthome_bulk_fixture::{
    Y_GENE, gene_id, gz, symbol, temp_folder, write_geuvadis, write_k562_srf, write_reference_genes,
};
use synthome_realism::{RealismError, ReportOptions, bulk_report};

const N_GENES: usize = 60;
const TISSUES: [&str; 3] = ["liver", "lung", "kidney"];
/// Compounds of the real A375 mapping table (pert_id, ChEMBL id)
const COMPOUNDS: [(&str, &str); 2] = [
    ("BRD-K56343971", "CHEMBL1229517"),
    ("BRD-K85606544", "CHEMBL180022"),
];
const DOSES: [f64; 6] = [0.04, 0.12, 0.37, 1.11, 3.33, 10.0];
const LINES: usize = 24;

/// A deterministic pseudo-random number in [0, 1)
fn noise(seed: usize) -> f64 {
    let mut x = (seed as u64)
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    x ^= x >> 29;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    ((x >> 11) as f64) / ((1u64 << 53) as f64)
}

/// TPM of gene `g` in tissue `t`: each tissue has its own third of the genes high; the Y
/// gene at a sex-average level
fn tissue_tpm(g: usize, t: usize, jitter: usize) -> f64 {
    if g == Y_GENE {
        return 10.0;
    }
    let level = if g % 3 == t { 400.0 } else { 20.0 };
    level * (0.8 + 0.4 * noise(g * 31 + t * 7 + jitter))
}

fn fixture(name: &str) -> PathBuf {
    let root = temp_folder("realism", name);
    std::fs::write(root.join("MANIFEST.tsv"), "file\n").expect("manifest");
    write_reference_genes(&root, N_GENES, 10);
    // GTEx (HPA) tissues and HPA's own RNA-seq of the same tissues (other jitter)
    let mut gtex = "Gene\tGene.name\tTissue\tTPM\tpTPM\tnTPM\n".to_owned();
    let mut rnaseq = "Gene\tGene.name\tTissue\tTPM\tpTPM\n".to_owned();
    for g in 0..N_GENES {
        for (t, tissue) in TISSUES.iter().enumerate() {
            let a = tissue_tpm(g, t, 0);
            let b = tissue_tpm(g, t, 1000);
            gtex.push_str(&format!(
                "{}\t{}\t{tissue}\t{a:.2}\t{a:.2}\t{a:.2}\n",
                gene_id(g),
                symbol(g)
            ));
            rnaseq.push_str(&format!(
                "{}\t{}\t{tissue}\t{b:.2}\t{b:.2}\n",
                gene_id(g),
                symbol(g)
            ));
        }
    }
    gz(&root.join("bulk/hpa_gtex_tissue.tsv.gz"), &gtex);
    gz(&root.join("bulk/hpa_rnaseq_tissue.tsv.gz"), &rnaseq);
    // Two HPA cell lines (A375 takes the nearer one's profile)
    let mut lines = "GeneID\tA549\tA-431\n".to_owned();
    for g in 0..N_GENES {
        lines.push_str(&format!(
            "{}\t{:.1}\t{:.1}\n",
            gene_id(g),
            50.0 + 5.0 * g as f64,
            300.0 - 4.0 * g as f64
        ));
    }
    gz(&root.join("bulk/hpa_cell_lines_and_tissues.tsv.gz"), &lines);
    // GEUVADIS: lines alternate sex; one latent factor plus gene noise; the Y gene in males
    write_geuvadis(&root, LINES, N_GENES, |s, g, male| {
        if g == Y_GENE {
            if male { 900.0 } else { 1.0 }
        } else {
            let factor = (noise(s * 13) - 0.5) * if g % 2 == 0 { 1.0 } else { -1.0 };
            (300.0 + 30.0 * g as f64) * (factor + 0.2 * (noise(s * 97 + g) - 0.5)).exp()
        }
    });
    // K562: SRF shRNA; SRF drops 4-fold when induced
    write_k562_srf(&root, N_GENES, 1_000_000, |r, g| {
        3000.0 + 500.0 * g as f64 * (0.95 + 0.1 * noise(r * 31 + g))
    });
    gz(
        &root.join("bulk/l1000_a375_kinase_inhibitors.gct.gz"),
        &plate(),
    );
    root
}

/// An A375 plate: 8 DMSO wells and two compounds whose change grows linearly in log dose
fn plate() -> String {
    let mut wells: Vec<(String, String, String, String)> = Vec::new();
    for w in 0..8 {
        wells.push((
            format!("P:D{w:02}"),
            "ctl_vehicle".into(),
            "DMSO".into(),
            "-666".into(),
        ));
    }
    for (c, (pert_id, _)) in COMPOUNDS.iter().enumerate() {
        for (d, dose) in DOSES.iter().enumerate() {
            wells.push((
                format!("P:C{c}{d}"),
                "trt_cp".into(),
                (*pert_id).into(),
                format!("{dose}"),
            ));
        }
    }
    let rows: Vec<usize> = (2..N_GENES).collect();
    let mut text = format!("#1.3\n{}\t{}\t1\t4\n", rows.len(), wells.len());
    text.push_str(&format!(
        "id\tpr_gene_id\t{}\n",
        wells
            .iter()
            .map(|w| w.0.clone())
            .collect::<Vec<_>>()
            .join("\t")
    ));
    for (name, pick) in [
        ("pert_type", 1),
        ("pert_id", 2),
        ("pert_dose", 3),
        ("pert_time", 4),
    ] {
        let values: Vec<String> = wells
            .iter()
            .map(|w| match pick {
                1 => w.1.clone(),
                2 => w.2.clone(),
                3 => w.3.clone(),
                _ => "24".to_owned(),
            })
            .collect();
        text.push_str(&format!("{name}\tna\t{}\n", values.join("\t")));
    }
    for &g in &rows {
        let values: Vec<String> = wells
            .iter()
            .enumerate()
            .map(|(w, well)| {
                let base = 8.0 + (g % 5) as f64 + 0.02 * (noise(g * 7 + w) - 0.5);
                let effect = match well.3.parse::<f64>() {
                    Ok(dose) if dose > 0.0 => {
                        let sign = if g % 2 == 0 { 1.0 } else { -1.0 };
                        let compound = if well.2 == COMPOUNDS[0].0 { 1.0 } else { 0.5 };
                        sign * compound * 0.3 * (dose.log10() + 2.0)
                    }
                    _ => 0.0,
                };
                format!("{:.4}", base + effect)
            })
            .collect();
        text.push_str(&format!("{}_at\t{}\t{}\n", g, 5000 + g, values.join("\t")));
    }
    text
}

fn small_options() -> ReportOptions {
    ReportOptions {
        splits: 2,
        factor_sweep: vec![1],
        folds: 3,
        cv_repeats: 1,
        trees: 30,
        components: 5,
        sex_genes: 3,
        tissue_samples: 3,
        perturbation_samples: 4,
        sampler_draws: 3000,
        ..ReportOptions::default()
    }
}

fn number(value: &serde_json::Value, path: &[&str]) -> f64 {
    let mut at = value;
    for key in path {
        at = &at[*key];
    }
    at.as_f64()
        .unwrap_or_else(|| panic!("{path:?} is not a number: {at}"))
}

#[test]
fn every_section_runs_on_a_small_folder() {
    let root = fixture("sections");
    let report = bulk_report(&root, &small_options()).expect("the report runs");
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).expect("valid JSON");

    // 1. GEUVADIS: four rows; the model's means follow the held-out lines; the mean-only
    // baseline has no variance to correlate
    let rows = json["geuvadis"].as_array().expect("rows");
    assert_eq!(rows.len(), 4);
    let row = |name: &str| {
        rows.iter()
            .find(|r| r["generator"] == name)
            .unwrap_or_else(|| panic!("no {name} row"))
    };
    assert!(number(row("model"), &["mean_r", "mean"]) > 0.95);
    assert!(row("mean_only")["variance_r"].is_null());
    assert_eq!(
        number(row("model"), &["auroc", "n"]),
        2.0,
        "one AUROC per split"
    );
    assert_eq!(json["data"]["held_out_lines"], serde_json::json!([12, 12]));
    let sweep = json["factor_sweep"].as_array().expect("sweep");
    assert_eq!(sweep.len(), 2, "the sweep value and the main factor count");
    assert_eq!(number(&sweep[0], &["factors_fitted", "mean"]), 1.0);

    // 2. Tissue identity: the three fixture tissues differ sharply
    assert_eq!(json["tissues"]["tissues"], 3);
    assert_eq!(number(&json["tissues"], &["pearson_accuracy", "mean"]), 1.0);

    // 3. Sex: the Y gene tells every generated line's sex, and every tissue sample's
    assert_eq!(number(&json["sex"], &["generated_lcl", "mean"]), 1.0);
    assert!(
        json["sex"]["genes"]
            .as_array()
            .expect("genes")
            .iter()
            .any(|g| g == "RPS4Y1")
    );
    for tissue in json["sex"]["tissues"].as_array().expect("tissues") {
        assert_eq!(tissue["female_correct"], tissue["female_total"], "{tissue}");
        assert_eq!(tissue["male_correct"], tissue["male_total"], "{tissue}");
        assert!(
            number(tissue, &["female_male_gene_level"])
                < number(&json["sex"], &["male_genes_real_male"]),
            "{tissue}"
        );
    }

    // 4. Perturbations: SRF goes down about 4-fold as in the data; held-out doses of a
    // change linear in log dose are predicted better than no change
    let srf = &json["knockdowns"][0];
    assert_eq!(srf["target"], "SRF");
    assert!(number(srf, &["generated_log2"]) < -1.0, "{srf}");
    assert!((number(srf, &["observed_log2"]) + 2.0).abs() < 0.2, "{srf}");
    let plate = &json["plate"];
    assert_eq!(plate["compounds"], 2);
    assert!(
        number(plate, &["model", "rmse", "mean"]) < number(plate, &["no_change", "rmse", "mean"]),
        "{plate}"
    );

    // 5. Memorisation: one distance per generated line
    assert_eq!(json["memorisation"]["generated_total"], 24);

    // Sampler: every cell's mean within 10 % of mu
    let sampler = json["sampler"].as_array().expect("sampler");
    assert_eq!(sampler.len(), 36);
    for cell in sampler {
        let ratio = number(cell, &["mean_ratio"]);
        assert!((0.9..1.1).contains(&ratio), "{cell}");
    }

    // Outputs
    let markdown = report.to_markdown();
    for heading in [
        "## 1. GEUVADIS",
        "## 2. Tissue identity",
        "## 3. Sex",
        "## 4. Perturbations",
        "## 5. Memorisation",
        "## 6. Plots",
        "## What limits realism",
    ] {
        assert!(markdown.contains(heading), "no {heading:?}");
    }
    assert_eq!(report.plots().len(), 5);
    for plot in report.plots() {
        assert!(
            plot.svg.starts_with("<svg") && plot.svg.contains("<circle"),
            "{}",
            plot.file
        );
        assert!(
            markdown.contains(&format!("({})", plot.file)),
            "{} not linked",
            plot.file
        );
    }
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn the_same_seed_gives_the_same_report() {
    let root = fixture("seed");
    let options = ReportOptions {
        factor_sweep: Vec::new(),
        sampler_draws: 200,
        ..small_options()
    };
    let first = bulk_report(&root, &options).expect("runs");
    let second = bulk_report(&root, &options).expect("runs again");
    assert_eq!(first.to_json(), second.to_json());
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn a_folder_without_the_gene_table_is_a_clear_error() {
    let root = std::env::temp_dir().join(format!("synthome-realism-empty-{}", std::process::id()));
    std::fs::create_dir_all(&root).expect("dir");
    let error = bulk_report(&root, &ReportOptions::default()).expect_err("nothing to build from");
    assert!(matches!(error, RealismError::Missing { .. }), "{error}");
    assert!(error.to_string().contains("genes_homo_sapiens"), "{error}");
    let _ = std::fs::remove_dir_all(root);
}
