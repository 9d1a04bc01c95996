//! The UMAP gives the same bytes natively and in wasm32: this prints
//! `cross-platform umap <sha256>` over the embedding's f32 bytes; run it both ways and compare
//! (`cargo test -p synthome-analysis --release --test cross_platform -- --nocapture`, and the
//! same with `--target wasm32-unknown-unknown`). Both check the committed hash.

use rand::{RngCore, SeedableRng};
use sha2::{Digest, Sha256};
use synthome_analysis::{DenseMatrix, UmapConfig, umap};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The hash the native build gave when this test was written.
const EXPECTED: &str = "672c258e670f5b846f6f2ff6c6885d416d4be8afc506e8b981b4000bab78f71f";

/// 600 points in 12 dimensions around six centres.
fn points() -> DenseMatrix {
    let mut rng = rand_pcg::Pcg64::seed_from_u64(21);
    let mut uniform = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let centres: Vec<f64> = (0..6 * 12).map(|_| 10.0 * uniform()).collect();
    let data = (0..600)
        .flat_map(|point| (0..12).map(move |dim| (point, dim)))
        .map(|(point, dim)| centres[(point % 6) * 12 + dim] + 3.0 * (uniform() - 0.5))
        .collect();
    DenseMatrix {
        rows: 600,
        cols: 12,
        data,
    }
}

#[test]
fn umap_bytes() {
    let layout = umap(&points(), &UmapConfig::default()).unwrap_or_else(|e| panic!("{e}"));
    let mut hash = Sha256::new();
    for point in &layout.embedding {
        for value in point {
            hash.update(value.to_le_bytes());
        }
    }
    let hex: String = hash
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::console_log!("cross-platform umap {hex}");
    #[cfg(not(target_arch = "wasm32"))]
    println!("cross-platform umap {hex}");
    assert_eq!(hex, EXPECTED);
}
