//! Edits to the query JSON that the editor's buttons make (new seed, a picked vocabulary term),
//! as pure text-to-text functions. Keys come back in alphabetical order (serde_json's map).

use serde_json::Value;

/// Why an edit could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The editor's text is not JSON.
    #[error("the query is not valid JSON yet ({0}); fix it in the editor first")]
    NotJson(String),
    /// The JSON is not an object.
    #[error("the query must be a JSON object {{...}}")]
    NotAnObject,
    /// There is no such input.
    #[error("the query has no inputs[{0}]; add a condition first")]
    NoSuchInput(usize),
}

/// Sets the top-level `seed`.
pub fn set_seed(text: &str, seed: u64) -> Result<String, EditError> {
    edit(text, |query| {
        query.insert("seed".into(), Value::from(seed));
        Ok(())
    })
}

/// Sets `inputs[input].metadata[key] = value`, creating the metadata object if needed.
pub fn set_metadata(text: &str, input: usize, key: &str, value: &str) -> Result<String, EditError> {
    edit(text, |query| {
        let entry = query
            .get_mut("inputs")
            .and_then(Value::as_array_mut)
            .and_then(|inputs| inputs.get_mut(input))
            .and_then(Value::as_object_mut)
            .ok_or(EditError::NoSuchInput(input))?;
        let metadata = entry
            .entry("metadata")
            .or_insert_with(|| Value::Object(Default::default()));
        if !metadata.is_object() {
            *metadata = Value::Object(Default::default());
        }
        if let Some(fields) = metadata.as_object_mut() {
            fields.insert(key.into(), Value::from(value));
        }
        Ok(())
    })
}

/// Pretty-prints query JSON (for loaded examples and imported files).
pub fn pretty(text: &str) -> Result<String, EditError> {
    edit(text, |_| Ok(()))
}

fn edit(
    text: &str,
    change: impl FnOnce(&mut serde_json::Map<String, Value>) -> Result<(), EditError>,
) -> Result<String, EditError> {
    let mut query: Value =
        serde_json::from_str(text).map_err(|error| EditError::NotJson(error.to_string()))?;
    let object = query.as_object_mut().ok_or(EditError::NotAnObject)?;
    change(object)?;
    serde_json::to_string_pretty(&query).map_err(|error| EditError::NotJson(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUERY: &str =
        r#"{"sampling_strategy": "sample generation", "inputs": [{"num_samples": 2}]}"#;

    fn parsed(text: &str) -> Value {
        serde_json::from_str(text).expect("json")
    }

    #[test]
    fn set_seed_adds_or_replaces_the_seed() {
        let once = set_seed(QUERY, 5).expect("edited");
        assert_eq!(parsed(&once)["seed"], Value::from(5));
        let twice = set_seed(&once, 9).expect("edited");
        assert_eq!(parsed(&twice)["seed"], Value::from(9));
        assert_eq!(parsed(&twice)["inputs"], parsed(QUERY)["inputs"]);
    }

    #[test]
    fn set_metadata_creates_the_metadata_object() {
        let edited =
            set_metadata(QUERY, 0, "tissue_ontology_id", "UBERON:0002107").expect("edited");
        assert_eq!(
            parsed(&edited)["inputs"][0]["metadata"]["tissue_ontology_id"],
            "UBERON:0002107"
        );
        assert_eq!(parsed(&edited)["inputs"][0]["num_samples"], 2);
    }

    #[test]
    fn edits_explain_what_is_wrong() {
        assert!(matches!(set_seed("{", 1), Err(EditError::NotJson(_))));
        assert_eq!(set_seed("[1]", 1), Err(EditError::NotAnObject));
        assert_eq!(
            set_metadata(QUERY, 3, "sex", "female"),
            Err(EditError::NoSuchInput(3))
        );
        assert!(EditError::NoSuchInput(3).to_string().contains("inputs[3]"));
    }
}
