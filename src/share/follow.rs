//! The start-up hook that follows share links: the link in the page's URL goes into the
//! editor, and so does any other link pasted into the same tab later.

use leptos::prelude::*;

use super::{LinkOutcome, decode_fragment};
use crate::query::edit::pretty;
use crate::state::AppState;

/// Loads the share link in the page's URL into the editor, now and whenever the fragment
/// changes to another link (a link pasted into the same tab). A link is loaded once: going
/// back to it in the history keeps the edits made since.
pub fn follow_share_links(state: AppState) {
    let applied = StoredValue::new(String::new());
    let apply = move |fragment: String| {
        if applied.with_value(|last| *last == fragment) {
            return;
        }
        match decode_fragment(&fragment) {
            Ok(None) => return,
            Ok(Some(shared)) => {
                state.selected_model.set(shared.model.clone());
                state
                    .query_text
                    .set(pretty(&shared.query_json).unwrap_or_else(|_| shared.query_json.clone()));
                state.link.set(Some(LinkOutcome::Loaded(shared)));
            }
            Err(error) => state.link.set(Some(LinkOutcome::Damaged(error))),
        }
        applied.set_value(fragment);
    };
    apply(window().location().hash().unwrap_or_default());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        apply(window().location().hash().unwrap_or_default());
    });
    on_cleanup(move || handle.remove());
}
