//! Standard normal draws (Box-Muller with libm) from a seeded generator

use rand::Rng;
use rand_pcg::Pcg64;

/// One standard normal draw
pub(crate) fn standard_normal(rng: &mut Pcg64) -> f64 {
    let u: f64 = 1.0 - rng.random::<f64>();
    let v: f64 = rng.random::<f64>();
    libm::sqrt(-2.0 * libm::log(u)) * libm::cos(std::f64::consts::TAU * v)
}
