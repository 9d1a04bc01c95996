//! The latent factor and noise of the tiny bulk bundles tests make (the engine's tests and the
//! CLI's, which include this file by path, since test code is not a crate).

use synthome_model::{Latent, Noise};

/// One latent factor loading +0.2 on even genes and -0.2 on odd ones.
pub fn one_factor(n_genes: usize) -> Latent {
    Latent {
        n_factors: 1,
        loadings: (0..n_genes)
            .map(|gene| if gene % 2 == 0 { 0.2 } else { -0.2 })
            .collect(),
    }
}

/// Little technical and biological noise.
pub fn little_noise(n_genes: usize) -> Noise {
    Noise {
        technical: 0.01,
        technical_low_count: 0.0,
        biological: vec![0.02; n_genes],
    }
}
