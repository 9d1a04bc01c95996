//! The query's one validation pass in the browser: the editor's query parsed and validated for
//! the selected model whenever either changes. The problems it finds are shown under the
//! editor and the cards, and Generate takes the valid query from here instead of validating
//! again.

use leptos::prelude::*;
use synthome_query::{QueryErrors, ValidQuery, parse_and_validate};

use crate::browser::limits::browser_limits;
use crate::state::AppState;

/// The editor's query checked against the selected model: `None` until that model is loaded.
pub type Validation = Option<Result<ValidQuery, QueryErrors>>;

/// The live validation of the editor's query.
pub fn validate_query(state: AppState) -> Memo<Validation> {
    Memo::new(move |_| {
        let text = state.query_text.get();
        let model = state.model()?;
        Some(parse_and_validate(
            &text,
            &model.engine.target(),
            &browser_limits(&model.info.id),
        ))
    })
}

/// The problems of a validation, `None` when the query is valid (or no model is loaded yet).
pub fn problems_of(validation: Memo<Validation>) -> Memo<Option<QueryErrors>> {
    Memo::new(move |_| validation.with(|checked| checked.as_ref()?.as_ref().err().cloned()))
}
