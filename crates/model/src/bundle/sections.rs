//! Section tags and the codes of small enumerations

use crate::params::{PerturbationKind, ProfileSex};

/// Section tags of the bulk model, in the order they are written (after `KIND`)
pub(crate) const TAGS: [&[u8; 4]; 9] = [
    b"CARD", b"GENE", b"VOCB", b"CTXS", b"CNDS", b"SEXE", b"LATN", b"NOIS", b"PERT",
];

/// Code of a profile sex
pub(crate) fn sex_code(sex: ProfileSex) -> u8 {
    match sex {
        ProfileSex::Mixed => 0,
        ProfileSex::Female => 1,
        ProfileSex::Male => 2,
    }
}

/// Profile sex of a code
pub(crate) fn sex_from_code(code: u8) -> Option<ProfileSex> {
    match code {
        0 => Some(ProfileSex::Mixed),
        1 => Some(ProfileSex::Female),
        2 => Some(ProfileSex::Male),
        _ => None,
    }
}

/// Code of a perturbation kind
pub(crate) fn kind_code(kind: PerturbationKind) -> u8 {
    match kind {
        PerturbationKind::Shrna => 0,
        PerturbationKind::Crispr => 1,
        PerturbationKind::Compound => 2,
        PerturbationKind::Overexpression => 3,
    }
}

/// Perturbation kind of a code
pub(crate) fn kind_from_code(code: u8) -> Option<PerturbationKind> {
    PerturbationKind::ALL.get(usize::from(code)).copied()
}

/// Marker of "no context" (a consensus signature)
pub(crate) const NO_CONTEXT: u32 = u32::MAX;
