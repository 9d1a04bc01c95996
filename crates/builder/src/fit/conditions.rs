//! Assembling contexts, perturbations and the weighted training conditions

use synthome_model::{
    AppliedPerturbation, Context, Perturbation, PerturbationKind, ProfileSex, Response,
    TrainingCondition,
};
use synthome_query::MetadataKey;

use crate::fit::profiles::log_cpm;

/// How a context's samples split by sex in the training distribution
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum SexSplit {
    /// Half female, half male (tissue and blood summaries of mixed donors)
    Even,
    /// Only this sex ("female" or "male")
    Only(&'static str),
    /// Female and male sample weights (per-sample sets)
    Counts(f64, f64),
}

/// Contexts, perturbations and conditions under construction
#[derive(Debug, Default)]
pub(crate) struct Assembly {
    pub contexts: Vec<Context>,
    pub conditions: Vec<TrainingCondition>,
    pub perturbations: Vec<Perturbation>,
}

/// The `sex` values and weights of a split with total weight `weight`
fn sexes(split: SexSplit, weight: f64) -> Vec<(&'static str, f64)> {
    match split {
        SexSplit::Even => vec![("female", 0.5 * weight), ("male", 0.5 * weight)],
        SexSplit::Only(sex) => vec![(sex, weight)],
        SexSplit::Counts(female, male) => {
            let total = female + male;
            [("female", female), ("male", male)]
                .into_iter()
                .filter(|(_, count)| *count > 0.0)
                .map(|(sex, count)| (sex, weight * count / total))
                .collect()
        }
    }
}

/// The profile sex of a split
pub(crate) fn profile_sex(split: SexSplit) -> ProfileSex {
    match split {
        SexSplit::Only("male") => ProfileSex::Male,
        SexSplit::Only(_) => ProfileSex::Female,
        SexSplit::Even | SexSplit::Counts(..) => ProfileSex::Mixed,
    }
}

impl Assembly {
    /// Adds a context from its CPM; returns its index
    pub(crate) fn add_context(
        &mut self,
        name: impl Into<String>,
        cpm: &[f64],
        sex: ProfileSex,
    ) -> usize {
        self.contexts.push(Context {
            name: name.into(),
            log_cpm: log_cpm(cpm),
            profile_sex: sex,
        });
        self.contexts.len() - 1
    }

    /// Adds the unperturbed conditions of a context, one per sex of the split
    pub(crate) fn add_baseline(
        &mut self,
        context: usize,
        fields: &[(MetadataKey, String)],
        split: SexSplit,
        weight: f64,
    ) {
        for (sex, sex_weight) in sexes(split, weight) {
            let mut all = fields.to_vec();
            all.push((MetadataKey::Sex, sex.to_owned()));
            all.sort_by_key(|(key, _)| *key);
            self.conditions.push(TrainingCondition {
                context,
                fields: all,
                perturbation: None,
                weight: sex_weight,
            });
        }
    }

    /// Adds a perturbation; returns its index
    pub(crate) fn add_perturbation(
        &mut self,
        id: impl Into<String>,
        kind: PerturbationKind,
        measured_in: Option<usize>,
        source: impl Into<String>,
        responses: Vec<Response>,
    ) -> usize {
        self.perturbations.push(Perturbation {
            id: id.into(),
            kind,
            measured_in,
            source: source.into(),
            responses,
        });
        self.perturbations.len() - 1
    }

    /// Adds the perturbed conditions of a context: the context's fields plus the
    /// perturbation's id, type, dose and time
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn add_perturbed(
        &mut self,
        context: usize,
        fields: &[(MetadataKey, String)],
        split: SexSplit,
        perturbation: usize,
        dose_um: Option<f64>,
        time_hours: Option<f64>,
        weight: f64,
    ) {
        let record = &self.perturbations[perturbation];
        let mut base = fields.to_vec();
        base.retain(|(key, _)| *key != MetadataKey::PerturbationType);
        base.push((MetadataKey::PerturbationOntologyId, record.id.clone()));
        base.push((
            MetadataKey::PerturbationType,
            record.kind.as_str().to_owned(),
        ));
        if let Some(dose) = dose_um {
            base.push((MetadataKey::PerturbationDose, format!("{} um", trim(dose))));
        }
        if let Some(time) = time_hours {
            base.push((
                MetadataKey::PerturbationTime,
                format!("{} hours", trim(time)),
            ));
        }
        for (sex, sex_weight) in sexes(split, weight) {
            let mut all = base.clone();
            all.push((MetadataKey::Sex, sex.to_owned()));
            all.sort_by_key(|(key, _)| *key);
            self.conditions.push(TrainingCondition {
                context,
                fields: all,
                perturbation: Some(AppliedPerturbation {
                    index: perturbation,
                    dose_um,
                    time_hours,
                }),
                weight: sex_weight,
            });
        }
    }
}

/// A number without trailing zeros
pub(crate) fn trim(value: f64) -> String {
    let text = format!("{value:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baselines_split_by_sex_and_perturbed_conditions_carry_the_perturbation() {
        let mut assembly = Assembly::default();
        let context = assembly.add_context("x", &[1e6], ProfileSex::Mixed);
        assembly.add_baseline(
            context,
            &[(MetadataKey::SampleType, "cell line".into())],
            SexSplit::Counts(3.0, 1.0),
            4.0,
        );
        assert_eq!(assembly.conditions.len(), 2);
        assert_eq!(assembly.conditions[0].weight, 3.0);
        assert_eq!(assembly.conditions[1].field(MetadataKey::Sex), Some("male"));
        let index = assembly.add_perturbation(
            "CHEMBL1",
            PerturbationKind::Compound,
            Some(context),
            "plate",
            vec![],
        );
        assembly.add_perturbed(
            context,
            &[(MetadataKey::PerturbationType, "control".into())],
            SexSplit::Only("female"),
            index,
            Some(0.37),
            Some(24.0),
            1.0,
        );
        let condition = &assembly.conditions[2];
        assert_eq!(
            condition.field(MetadataKey::PerturbationDose),
            Some("0.37 um")
        );
        assert_eq!(
            condition.field(MetadataKey::PerturbationType),
            Some("compound")
        );
        assert_eq!(
            condition.field(MetadataKey::PerturbationTime),
            Some("24 hours")
        );
        assert_eq!(profile_sex(SexSplit::Only("male")), ProfileSex::Male);
    }
}
