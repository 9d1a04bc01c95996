//! Fitting the bulk model's parameters from the tables

pub(crate) mod atlas;
pub(crate) mod conditions;
pub(crate) mod disease;
pub(crate) mod dispersion;
pub(crate) mod latent;
pub(crate) mod perturb;
pub(crate) mod profiles;
pub(crate) mod sex;
pub(crate) mod universe;
pub(crate) mod vocabulary;
