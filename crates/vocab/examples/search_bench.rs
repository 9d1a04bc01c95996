//! Times search on a synthetic 10,000-term vocabulary (labels of 1-4 made-up words, 0-4
//! synonyms each) and prints the encoded size: `cargo run --release -p synthome-vocab --example search_bench`

use std::time::Instant;

use synthome_vocab::{KeyDomain, Term, TermIndex, Vocabulary};

/// A tiny deterministic generator (64-bit LCG), enough for made-up words
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }

    fn word(&mut self) -> String {
        const SYLLABLES: [&str; 24] = [
            "ka", "lo", "mi", "ne", "ver", "tis", "ar", "gen", "cyt", "ol", "in", "ase", "pro",
            "tor", "hep", "ren", "al", "ex", "um", "sa", "ric", "on", "ty", "phi",
        ];
        let n = 1 + self.next(4);
        (0..n)
            .map(|_| SYLLABLES[self.next(SYLLABLES.len() as u64) as usize])
            .collect()
    }

    fn phrase(&mut self) -> String {
        let n = 1 + self.next(4);
        (0..n).map(|_| self.word()).collect::<Vec<_>>().join(" ")
    }
}

fn main() {
    let mut rng = Lcg(42);
    let mut terms: Vec<Term> = (0..10_000)
        .map(|i| {
            let synonyms: Vec<String> = (0..rng.next(5)).map(|_| rng.phrase()).collect();
            Term::new(format!("UBERON:{:07}", 3_000_000 + i), rng.phrase()).with_synonyms(synonyms)
        })
        .collect();
    terms.push(Term::new("UBERON:0002107", "liver").with_synonyms(["hepar"]));
    let started = Instant::now();
    let index = TermIndex::new(terms).unwrap_or_else(|e| panic!("synthetic terms: {e}"));
    let build = started.elapsed();
    let mut vocabulary = Vocabulary::new();
    vocabulary
        .insert("tissue_ontology_id", KeyDomain::Terms(index))
        .unwrap_or_else(|e| panic!("new key: {e}"));
    let bytes = vocabulary.encode();
    let started = Instant::now();
    let decoded = Vocabulary::decode(&bytes).unwrap_or_else(|e| panic!("decodes: {e}"));
    let decode = started.elapsed();
    println!(
        "terms: 10001, encoded: {} bytes, index build: {build:?}, decode+index: {decode:?}",
        bytes.len()
    );
    let queries = [
        "l",
        "li",
        "liv",
        "livr",
        "liver",
        "hepar",
        "kalo",
        "kalover",
        "tis gen",
        "tisgen",
        "UBERON:0002107",
        "uberon:00021",
        "0002107",
        "cytasepro",
        "cytsaepro",
        "zzzz",
        "ka lo mi",
        "verarol",
    ];
    let rounds = 50u32;
    let mut worst_mean = (std::time::Duration::ZERO, "");
    let started = Instant::now();
    for query in queries {
        let one = Instant::now();
        for _ in 0..rounds {
            std::hint::black_box(decoded.search(Some("tissue_ontology_id"), query, 10));
        }
        let mean = one.elapsed() / rounds;
        println!("{query:>16}: {mean:?} per search");
        if mean > worst_mean.0 {
            worst_mean = (mean, query);
        }
    }
    let searches = rounds * queries.len() as u32;
    println!(
        "search: {searches} searches, mean {:?}, slowest query {:?} at {:?}",
        started.elapsed() / searches,
        worst_mean.1,
        worst_mean.0
    );
    for query in ["livr", "liver", "uberon:0002108"] {
        let hits = decoded.search(Some("tissue_ontology_id"), query, 3);
        let shown: Vec<String> = hits
            .iter()
            .map(|hit| format!("{} {:?} {}", hit.term.id, hit.kind, hit.score))
            .collect();
        println!("{query:>16}: {shown:?}");
    }
    let started = Instant::now();
    let near = decoded.nearest("tissue_ontology_id", "UBERON:0002108", 5);
    println!(
        "nearest UBERON:0002108: {:?} in {:?}",
        near.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        started.elapsed()
    );
}
