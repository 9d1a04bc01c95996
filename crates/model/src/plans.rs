//! The plans resolved for one input, with their offsets, kept for reuse: a sample's plan is
//! usually one of a few, and computing an offset visits every gene

use crate::effects::offset;
use crate::model::BulkModel;
use crate::resolve::Plan;

/// Distinct plans kept per input
pub(crate) const PLAN_CACHE: usize = 16;

/// A plan with its offset vector and when it was last used
struct Entry {
    plan: Plan,
    offset: Vec<f32>,
    used: u64,
}

/// Up to [`PLAN_CACHE`] plans of one input; the least recently used one is replaced, so the
/// slots handed out for a batch of at most [`PLAN_CACHE`] samples stay valid for the batch
pub(crate) struct PlanCache {
    entries: Vec<Entry>,
    clock: u64,
}

impl PlanCache {
    /// An empty cache
    pub(crate) fn new() -> PlanCache {
        PlanCache {
            entries: Vec::new(),
            clock: 0,
        }
    }

    /// The slot holding `plan`; a new plan gets its offset computed and its warnings (those
    /// of the offset, then the plan's own) appended to `warnings` unless already there
    pub(crate) fn slot(
        &mut self,
        model: &BulkModel,
        input: usize,
        plan: Plan,
        warnings: &mut Vec<String>,
    ) -> usize {
        self.clock += 1;
        if let Some(slot) = self.entries.iter().position(|entry| entry.plan == plan) {
            self.entries[slot].used = self.clock;
            return slot;
        }
        let slot = if self.entries.len() < PLAN_CACHE {
            self.entries.push(Entry {
                plan,
                offset: vec![0.0; model.n_genes()],
                used: self.clock,
            });
            self.entries.len() - 1
        } else {
            let oldest = (0..self.entries.len())
                .min_by_key(|&slot| self.entries[slot].used)
                .unwrap_or(0);
            let entry = &mut self.entries[oldest];
            entry.plan = plan;
            entry.used = self.clock;
            oldest
        };
        let entry = &mut self.entries[slot];
        let mut raised = offset(model, input, &entry.plan, &mut entry.offset);
        raised.extend(entry.plan.warnings.iter().cloned());
        for warning in raised {
            if !warnings.contains(&warning) {
                warnings.push(warning);
            }
        }
        slot
    }

    /// The plan in `slot`
    pub(crate) fn plan(&self, slot: usize) -> &Plan {
        &self.entries[slot].plan
    }

    /// The offset (log CPM before latent variation) of the plan in `slot`
    pub(crate) fn offset(&self, slot: usize) -> &[f32] {
        &self.entries[slot].offset
    }
}

#[cfg(test)]
mod tests {
    use synthome_matrix::GeneTable;
    use synthome_vocab::Vocabulary;

    use super::*;
    use crate::params::{
        BulkParams, Context, Latent, ModelCard, Noise, ProfileSex, TrainingCondition,
    };

    /// Two genes, 40 contexts whose log CPM are (c, -c)
    fn model() -> BulkModel {
        let contexts = (0..40)
            .map(|c| Context {
                name: format!("context {c}"),
                log_cpm: vec![c as f32, -(c as f32)],
                profile_sex: ProfileSex::Mixed,
            })
            .collect();
        BulkModel::new(BulkParams {
            card: ModelCard {
                id: "plans".into(),
                alias: "plans".into(),
                version: "0".into(),
                summary: String::new(),
                licence: String::new(),
            },
            genes: GeneTable::new(
                vec!["ENSG00000000001".into(), "ENSG00000000002".into()],
                vec!["A".into(), "B".into()],
            )
            .expect("genes"),
            vocabulary: Vocabulary::new(),
            contexts,
            conditions: vec![TrainingCondition {
                context: 0,
                fields: Vec::new(),
                perturbation: None,
                weight: 1.0,
            }],
            sex_effect: vec![0.0; 2],
            latent: Latent {
                n_factors: 0,
                loadings: Vec::new(),
            },
            noise: Noise {
                technical: 0.0,
                technical_low_count: 0.0,
                biological: vec![0.0; 2],
            },
            perturbations: Vec::new(),
        })
        .expect("valid model")
    }

    fn plan(context: usize) -> Plan {
        Plan {
            context,
            sex_sign: 0.0,
            perturbation: None,
            fields: Vec::new(),
            warnings: Vec::new(),
            disease: None,
            age: None,
            latent_scale: 1.0,
            noise: None,
        }
    }

    #[test]
    fn the_slots_of_the_last_plan_cache_requests_stay_valid() {
        let model = model();
        let mut cache = PlanCache::new();
        let mut warnings = Vec::new();
        // Plans revisited and new ones mixed, far more than the cache holds
        let sequence: Vec<usize> = (0..200).map(|i| (i * 7 + i / 3) % 37).collect();
        let mut recent: Vec<(usize, usize)> = Vec::new();
        for &context in &sequence {
            let slot = cache.slot(&model, 0, plan(context), &mut warnings);
            recent.push((context, slot));
            if recent.len() > PLAN_CACHE {
                recent.remove(0);
            }
            for &(context, slot) in &recent {
                assert_eq!(cache.plan(slot).context, context);
                assert_eq!(cache.offset(slot), [context as f32, -(context as f32)]);
            }
        }
        assert!(warnings.is_empty());
    }
}
