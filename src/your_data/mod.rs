//! The "Your data" feature: a user's own counts table, read and aligned in the worker
//! ([`upload`]), its samples' predicted metadata ([`predictions`]) and new samples conditioned
//! on one of them, compared with it ([`reference`]). [`YourData`] holds what the view shows,
//! so it survives a visit to the result viewer. Everything runs in the embedded model's
//! worker: nothing is uploaded.

pub mod predictions;
pub mod reference;
pub mod upload;

use leptos::prelude::*;

use crate::backend::embedded::protocol::{SamplePrediction, TableSummary};
use crate::results::differential::compare::Comparison;

/// The view's state, provided as context by `App`.
#[derive(Clone, Copy)]
pub struct YourData {
    /// The table the worker holds, as it read it.
    pub table: RwSignal<Option<TableSummary>>,
    /// Every sample's prediction, once asked for.
    pub predictions: RwSignal<Option<Vec<SamplePrediction>>>,
    /// The sample chosen (index in the table): its bar charts, and the reference.
    pub selected: RwSignal<usize>,
    /// The last conditioned run against its reference.
    pub comparison: RwSignal<Option<Comparison>>,
    /// What the worker is doing for the view, when it is.
    pub busy: RwSignal<Option<&'static str>>,
    /// The last failure, for the user.
    pub error: RwSignal<Option<String>>,
}

impl Default for YourData {
    fn default() -> Self {
        YourData {
            table: RwSignal::new(None),
            predictions: RwSignal::new(None),
            selected: RwSignal::new(0),
            comparison: RwSignal::new(None),
            busy: RwSignal::new(None),
            error: RwSignal::new(None),
        }
    }
}

impl YourData {
    /// Forgets the table and everything computed from it (a new file, or a failure).
    pub fn clear(self) {
        self.table.set(None);
        self.predictions.set(None);
        self.comparison.set(None);
        self.selected.set(0);
    }

    /// Records a failure and stops the busy line.
    pub fn fail(self, message: String) {
        self.busy.set(None);
        self.error.set(Some(message));
    }
}

/// Why the view cannot use a model, when it cannot: it needs the bulk model (the single-cell
/// model's families are not offered in the browser).
pub fn unsupported_model(model_id: &str) -> Option<String> {
    model_id.starts_with("synthome-sc").then(|| {
        format!(
            "The Your data view needs the bulk model (synthome-bulk-v1); {model_id} is a \
             single-cell model. Choose the bulk model to read a counts table."
        )
    })
}

#[cfg(test)]
mod tests {
    use super::unsupported_model;

    #[test]
    fn only_the_bulk_model_is_offered() {
        assert_eq!(unsupported_model("synthome-bulk-v1"), None);
        assert!(
            unsupported_model("synthome-sc-v1")
                .is_some_and(|message| message.contains("needs the bulk model"))
        );
    }
}
