//! Small bulk data folders for tests, laid out like `shared/data`: the reference gene tables,
//! GEUVADIS lines and a K562 SRF shRNA set, each written from a function of the gene (and
//! sample) so a test states what the data hold. Used by the tests of `synthome-builder` and
//! `synthome-realism`; panics on I/O errors (a test cannot go on without its folder).

use std::io::Write;
use std::path::{Path, PathBuf};

/// Gene 0 is a Y gene (RPS4Y1; male only in the per-sample sets)
pub const Y_GENE: usize = 0;
/// Gene 1 is SRF (the K562 shRNA target)
pub const SRF: usize = 1;

/// The Ensembl id of fixture gene `g`
pub fn gene_id(g: usize) -> String {
    format!("ENSG{:011}", g + 100)
}

/// The symbol of fixture gene `g`
pub fn symbol(g: usize) -> String {
    match g {
        Y_GENE => "RPS4Y1".to_owned(),
        SRF => "SRF".to_owned(),
        _ => format!("GENE{g}"),
    }
}

/// An empty folder `<temp>/synthome-<prefix>-<name>-<pid>` (an old one is removed)
pub fn temp_folder(prefix: &str, name: &str) -> PathBuf {
    let root =
        std::env::temp_dir().join(format!("synthome-{prefix}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("fixture folder");
    root
}

/// Writes `text` gzipped to `path`, creating its folder
pub fn gz(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("dir");
    }
    let file = std::fs::File::create(path).expect("create");
    let mut encoder = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    encoder.write_all(text.as_bytes()).expect("write");
    encoder.finish().expect("finish");
}

/// The GENCODE and HGNC tables of genes `0..n_genes`, gene `g` `1000 + length_step * g`
/// bases long
pub fn write_reference_genes(root: &Path, n_genes: usize, length_step: usize) {
    let mut genes = String::new();
    let mut hgnc = "HGNC ID\tApproved symbol\tApproved name\tStatus\tAlias symbols\tNCBI Gene ID(supplied by NCBI)\tUniProt ID(supplied by UniProt)\tMouse genome database ID(supplied by MGI)\tRat genome database ID(supplied by RGD)\tPrevious symbols\tEnsembl gene ID\tLocus type\tEnzyme IDs\n".to_owned();
    for g in 0..n_genes {
        genes.push_str(&format!(
            "{},{},1,{},protein_coding\n",
            gene_id(g),
            symbol(g),
            1000 + length_step * g
        ));
        hgnc.push_str(&format!(
            "HGNC:{g}\t{}\tname\tApproved\t\t{}\t\t\t\t\t{}\tgene with protein product\t\n",
            symbol(g),
            5000 + g,
            gene_id(g)
        ));
    }
    gz(&root.join("reference/genes_homo_sapiens.csv.gz"), &genes);
    gz(&root.join("reference/hgnc_entries.tsv.gz"), &hgnc);
}

/// GEUVADIS counts and sample table of `n_lines` lines `NA00000...` alternating female, male;
/// `count(line, gene, male)` is rounded
pub fn write_geuvadis(
    root: &Path,
    n_lines: usize,
    n_genes: usize,
    count: impl Fn(usize, usize, bool) -> f64,
) {
    let samples: Vec<String> = (0..n_lines).map(|s| format!("NA{s:05}")).collect();
    let mut counts = format!("id\t{}\n", samples.join("\t"));
    for g in 0..n_genes {
        let row: Vec<String> = (0..n_lines)
            .map(|s| format!("{}", count(s, g, s % 2 == 1).round()))
            .collect();
        counts.push_str(&format!("{}\t{}\n", gene_id(g), row.join("\t")));
    }
    gz(&root.join("bulk/geuvadis_lcl_counts.tsv.gz"), &counts);
    let mut table = "sample\tsex\tlib_size\n".to_owned();
    for (s, sample) in samples.iter().enumerate() {
        table.push_str(&format!(
            "{sample}\t{}\t0\n",
            if s % 2 == 1 { "male" } else { "female" }
        ));
    }
    std::fs::write(root.join("bulk/geuvadis_lcl_samples.tsv"), table).expect("samples");
}

/// K562 SRF shRNA: runs R1, R2 uninduced and R3, R4 induced 48 h; `level(run, gene)` is the
/// uninduced count (rounded), SRF drops 4-fold when induced; every run has `mapped_reads`
pub fn write_k562_srf(
    root: &Path,
    n_genes: usize,
    mapped_reads: u64,
    level: impl Fn(usize, usize) -> f64,
) {
    let runs = ["R1", "R2", "R3", "R4"];
    let mut k562 = format!("id\t{}\n", runs.join("\t"));
    for g in 0..n_genes {
        let row: Vec<String> = (0..4)
            .map(|r| {
                let mut value = level(r, g);
                if g == SRF && r >= 2 {
                    value /= 4.0;
                }
                format!("{}", value.round())
            })
            .collect();
        k562.push_str(&format!("{}.3\t{}\n", gene_id(g), row.join("\t")));
    }
    gz(&root.join("bulk/k562_shrna_counts.tsv.gz"), &k562);
    let mut k562_samples = "run\tmapped_read_count\ttitle\n".to_owned();
    for (r, run) in runs.iter().enumerate() {
        let title = if r < 2 {
            format!(
                "K562 cells with shRNA targeting SRF gene cultured with no doxycycline (uninduced - UI), rep{}.",
                r + 1
            )
        } else {
            format!(
                "K562 cells with shRNA targeting SRF gene cultured with doxycycline for 48 hours (48 hr), rep{}.",
                r - 1
            )
        };
        k562_samples.push_str(&format!("{run}\t{mapped_reads}\t{title}\n"));
    }
    gz(&root.join("bulk/k562_shrna_samples.tsv.gz"), &k562_samples);
}
