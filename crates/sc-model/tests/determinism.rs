//! Same bytes natively and in wasm: a fixed query on the test fixture (latent bank, both
//! sampling paths, stimulated and control cells) hashes to the same value on both targets.
//! `cargo test` checks it natively; `cargo test --target wasm32-unknown-unknown` in wasm (node).

mod common;

use synthome_matrix::ExpressionValues;

/// FNV-1a of the CSR arrays of the fixed query, the same on every platform (a change of the
/// sampler changes it: update it only together with the model version)
const EXPECTED: u64 = 0x16d2_4e2d_b621_1b74;

fn fnv(hash: &mut u64, words: &[u32]) {
    for word in words {
        for byte in word.to_le_bytes() {
            *hash ^= u64::from(byte);
            *hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn digest() -> u64 {
    let mut params = common::params_with_genes(true, 400);
    params.cell_types[0].latent.bank = vec![-1.0, 0.5, 2.0];
    params.cell_types[0].latent.jitter = 0.4;
    let model = synthome_sc_model::ScModel::new(params).unwrap_or_else(|error| panic!("{error}"));
    let json = r#"{"sampling_strategy": "sample generation", "total_count": 3000,
        "inputs": [{"metadata": {}, "num_samples": 300},
                   {"metadata": {"perturbation_ontology_id": "ENSG00000171855"}, "num_samples": 200}]}"#;
    let query = common::query(&model, json);
    let output = model
        .generate(&query, 20_260_101, &mut |_, _| {})
        .unwrap_or_else(|error| panic!("{error}"));
    let ExpressionValues::SparseCounts(csr) = output.matrix.values() else {
        panic!("sample generation must give sparse counts");
    };
    let mut hash = 0xcbf2_9ce4_8422_2325;
    fnv(&mut hash, csr.indptr());
    fnv(&mut hash, &csr.indices().to_vec());
    fnv(&mut hash, &csr.data().to_vec());
    hash
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn native_output_has_the_shared_hash() {
    assert_eq!(digest(), EXPECTED, "digest {:#x}", digest());
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen_test::wasm_bindgen_test]
fn wasm_output_has_the_shared_hash() {
    assert_eq!(digest(), EXPECTED, "digest {:#x}", digest());
}
