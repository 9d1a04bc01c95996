//! A small data folder made in the test, laid out like `shared/data`: three planted PBMC
//! types (CD4 T, B, CD14 monocytes) in control and stimulated cells, their markers, HPA-like
//! profiles, GENCODE/HGNC tables and CL/UBERON label files

#![allow(dead_code)]

use std::io::Write;
use std::path::Path;

use synthome_sc_builder::BuildOptions;
use synthome_sc_model::cell_stream;

/// Build options for the fixture: few clusters and restarts
pub fn options() -> BuildOptions {
    BuildOptions {
        n_clusters: 6,
        restarts: 3,
        seed: 1,
    }
}

/// A temporary folder
pub fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

/// Genes measured by the fixture's counts
pub const N_GENES: usize = 300;
/// Genes only in the HPA table
pub const N_HPA_ONLY: usize = 20;
/// Cells per type and condition
pub const CELLS_PER_GROUP: usize = 60;
/// Interferon-stimulated genes (planted at positions 30..33)
pub const ISGS: [&str; 3] = ["ISG15", "IFI6", "MX1"];
/// The planted types: CL id, first marker gene
pub const TYPES: [(&str, usize); 3] = [("CL:0000624", 0), ("CL:0000236", 10), ("CL:0001054", 20)];

fn symbol(gene: usize) -> String {
    match gene {
        30..=32 => ISGS[gene - 30].to_owned(),
        _ => format!("GENE{gene}"),
    }
}

fn ensembl(gene: usize) -> String {
    format!("ENSG{:011}", gene + 1)
}

fn gzip(path: &Path, text: &str) {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder
        .write_all(text.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let bytes = encoder.finish().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{e}"));
}

/// Mean expression of a gene in a type (proportional units)
fn mean(type_index: usize, gene: usize, stimulated: bool) -> f64 {
    let mut value = 2.0 / (1.0 + gene as f64 * 0.05);
    let first = TYPES[type_index].1;
    if (first..first + 10).contains(&gene) {
        value *= 25.0;
    }
    if stimulated && (30..35).contains(&gene) {
        value *= 30.0;
    }
    value
}

/// Writes the fixture under `root`
pub fn write_fixture(root: &Path) {
    for folder in ["single_cell", "bulk", "reference/ontologies"] {
        std::fs::create_dir_all(root.join(folder)).unwrap_or_else(|e| panic!("{e}"));
    }
    let symbols: Vec<String> = (0..N_GENES).map(symbol).collect();
    gzip(
        &root.join("single_cell/kang2018_pbmc_genes.txt.gz"),
        &(symbols.join("\n") + "\n"),
    );
    let mut cells = String::new();
    let mut entries = Vec::new();
    let mut column = 0;
    let mut stream = cell_stream(5, 0, 0);
    for (type_index, _) in TYPES.iter().enumerate() {
        for stimulated in [false, true] {
            for cell in 0..CELLS_PER_GROUP {
                column += 1;
                let condition = if stimulated { "stim" } else { "ctrl" };
                cells.push_str(&format!("T{type_index}C{cell}{condition}-1\t{condition}\n"));
                let means: Vec<f64> = (0..N_GENES)
                    .map(|g| mean(type_index, g, stimulated))
                    .collect();
                let total: f64 = means.iter().sum();
                let library = 1500.0 * (0.3 * stream.normal()).exp();
                for (gene, m) in means.iter().enumerate() {
                    let count = stream.negative_binomial(library * m / total, 0.2);
                    if count > 0 {
                        entries.push(format!("{} {column} {count}", gene + 1));
                    }
                }
            }
        }
    }
    gzip(&root.join("single_cell/kang2018_pbmc_cells.tsv.gz"), &cells);
    let mtx = format!(
        "%%MatrixMarket matrix coordinate integer general\n{N_GENES} {column} {}\n{}\n",
        entries.len(),
        entries.join("\n")
    );
    gzip(&root.join("single_cell/kang2018_pbmc_counts.mtx.gz"), &mtx);

    let mut gencode = String::new();
    let mut hgnc = String::from(
        "HGNC ID\tApproved symbol\tApproved name\tStatus\tAlias symbols\tNCBI Gene ID(supplied by NCBI)\tPrevious symbols\tEnsembl gene ID\n",
    );
    for gene in 0..N_GENES + N_HPA_ONLY {
        let name = if gene < N_GENES {
            symbol(gene)
        } else {
            format!("HPAONLY{gene}")
        };
        gencode.push_str(&format!("{},{name},1,1000,protein_coding\n", ensembl(gene)));
        hgnc.push_str(&format!(
            "HGNC:{gene}\t{name}\t{name} gene\tApproved\t\t{}\t\t{}\n",
            gene + 1,
            ensembl(gene)
        ));
    }
    gencode.push_str("ENSG00000171855,IFNB1,7,839,protein_coding\n");
    gzip(&root.join("reference/genes_homo_sapiens.csv.gz"), &gencode);
    gzip(&root.join("reference/hgnc_entries.tsv.gz"), &hgnc);

    let mut markers =
        String::from("consensus_ontology\tconsensus_annotation\tensembl_gene_id\tgene_symbol\n");
    for (term, label, first) in [
        ("CL:0000624", "CD4-positive, alpha-beta T cell", 0),
        ("CL:0000236", "B cell", 10),
        ("CL:0000576", "monocyte", 20),
    ] {
        for gene in first..first + 6 {
            markers.push_str(&format!(
                "{term}\t{label}\t{}\t{}\n",
                ensembl(gene),
                symbol(gene)
            ));
        }
    }
    gzip(
        &root.join("reference/cl_consensus_markers.tsv.gz"),
        &markers,
    );

    let columns = [
        "naive_CD4_T_cell",
        "memory_CD4_T_cell",
        "naive_B_cell",
        "memory_B_cell",
        "classical_monocyte",
        "non_classical_monocyte",
        "total_PBMC",
    ];
    let mut hpa = format!("GeneID\t{}\n", columns.join("\t"));
    for gene in 0..N_GENES + N_HPA_ONLY {
        let base = |t: usize| {
            if gene < N_GENES {
                100.0 * mean(t, gene, false)
            } else {
                3.0
            }
        };
        let values = [
            base(0),
            base(0) * 1.1,
            base(1),
            base(1) * 0.9,
            base(2),
            base(2) * if (25..30).contains(&gene) { 0.2 } else { 1.0 },
            (base(0) + base(1) + base(2)) / 3.0,
        ];
        let row: Vec<String> = values.iter().map(|v| format!("{v:.1}")).collect();
        hpa.push_str(&format!("{}\t{}\n", ensembl(gene), row.join("\t")));
    }
    gzip(&root.join("bulk/hpa_blood_cell_types.tsv.gz"), &hpa);

    let cl = r#"{"CL:0000624": {"label": "CD4-positive, alpha-beta T cell", "synonyms": ["CD4 T cell"], "deprecated": false, "ancestors": [], "replaced_by": null},
        "CL:0000236": {"label": "B cell", "synonyms": [], "deprecated": false, "ancestors": [], "replaced_by": null},
        "CL:0001054": {"label": "CD14-positive monocyte", "synonyms": [], "deprecated": false, "ancestors": [], "replaced_by": null}}"#;
    let uberon = r#"{"UBERON:0000178": {"label": "blood", "synonyms": [], "deprecated": false, "ancestors": [], "replaced_by": null}}"#;
    for (name, json) in [
        ("CL-ontology-test.json.zst", cl),
        ("UBERON-ontology-test.json.zst", uberon),
    ] {
        let compressed = ruzstd::encoding::compress_to_vec(
            json.as_bytes(),
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        std::fs::write(root.join("reference/ontologies").join(name), compressed)
            .unwrap_or_else(|e| panic!("{e}"));
    }
}
