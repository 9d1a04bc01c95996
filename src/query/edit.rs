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

/// Sets a top-level option (`sampling_strategy`, `total_count`, `deterministic_latents`), or
/// removes it when `value` is `None`.
pub fn set_option(text: &str, key: &str, value: Option<Value>) -> Result<String, EditError> {
    edit(text, |query| {
        match value {
            Some(value) => query.insert(key.into(), value),
            None => query.remove(key),
        };
        Ok(())
    })
}

/// The top-level options of query text as the editor shows them: strategy, total_count (empty
/// when unset), deterministic_latents.
pub fn options(text: &str) -> Option<(String, String, bool)> {
    let query: Value = serde_json::from_str(text).ok()?;
    let strategy = query
        .get("sampling_strategy")
        .or_else(|| query.get("mode"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let total = query
        .get("total_count")
        .map(|n| n.to_string())
        .unwrap_or_default();
    let deterministic = query
        .get("deterministic_latents")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Some((strategy, total, deterministic))
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

/// Removes `inputs[input].metadata[key]`.
pub fn remove_metadata(text: &str, input: usize, key: &str) -> Result<String, EditError> {
    edit(text, |query| {
        let entry = input_mut(query, input)?;
        if let Some(fields) = entry.get_mut("metadata").and_then(Value::as_object_mut) {
            fields.remove(key);
        }
        Ok(())
    })
}

/// Sets `inputs[input].num_samples`.
pub fn set_num_samples(text: &str, input: usize, num_samples: u64) -> Result<String, EditError> {
    edit(text, |query| {
        input_mut(query, input)?.insert("num_samples".into(), Value::from(num_samples));
        Ok(())
    })
}

/// Appends a copy of `inputs[input]`, or an empty condition with 1 sample when `input` is `None`.
pub fn add_input(text: &str, copy_of: Option<usize>) -> Result<String, EditError> {
    edit(text, |query| {
        let inputs = query
            .entry("inputs")
            .or_insert_with(|| Value::Array(Vec::new()));
        if !inputs.is_array() {
            *inputs = Value::Array(Vec::new());
        }
        let Some(list) = inputs.as_array_mut() else {
            return Err(EditError::NotAnObject);
        };
        let new = match copy_of {
            Some(index) => list
                .get(index)
                .cloned()
                .ok_or(EditError::NoSuchInput(index))?,
            None => serde_json::json!({"metadata": {}, "num_samples": 1}),
        };
        list.push(new);
        Ok(())
    })
}

/// Removes `inputs[input]`.
pub fn remove_input(text: &str, input: usize) -> Result<String, EditError> {
    edit(text, |query| {
        let list = query
            .get_mut("inputs")
            .and_then(Value::as_array_mut)
            .filter(|list| input < list.len())
            .ok_or(EditError::NoSuchInput(input))?;
        list.remove(input);
        Ok(())
    })
}

/// One condition as the cards show it: its metadata as text pairs and its sample count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionView {
    /// `(key, value)` in key order; non-string values as their JSON text.
    pub metadata: Vec<(String, String)>,
    /// `num_samples` as written (empty when missing).
    pub num_samples: String,
}

/// The conditions of query text, or `None` when it is not a JSON object with an inputs list.
pub fn conditions(text: &str) -> Option<Vec<ConditionView>> {
    let query: Value = serde_json::from_str(text).ok()?;
    let inputs = query.get("inputs")?.as_array()?;
    Some(
        inputs
            .iter()
            .map(|input| ConditionView {
                metadata: input
                    .get("metadata")
                    .and_then(Value::as_object)
                    .map(|fields| {
                        fields
                            .iter()
                            .map(|(key, value)| {
                                let text = value
                                    .as_str()
                                    .map_or_else(|| value.to_string(), str::to_string);
                                (key.clone(), text)
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                num_samples: input
                    .get("num_samples")
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
            })
            .collect(),
    )
}

fn input_mut(
    query: &mut serde_json::Map<String, Value>,
    input: usize,
) -> Result<&mut serde_json::Map<String, Value>, EditError> {
    query
        .get_mut("inputs")
        .and_then(Value::as_array_mut)
        .and_then(|inputs| inputs.get_mut(input))
        .and_then(Value::as_object_mut)
        .ok_or(EditError::NoSuchInput(input))
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
    fn conditions_can_be_added_duplicated_edited_and_removed() {
        let with_tissue =
            set_metadata(QUERY, 0, "tissue_ontology_id", "UBERON:0002107").expect("set");
        let duplicated = add_input(&with_tissue, Some(0)).expect("duplicated");
        let edited = set_num_samples(&duplicated, 1, 7).expect("count");
        let edited = remove_metadata(&edited, 1, "tissue_ontology_id").expect("removed key");
        let edited = add_input(&edited, None).expect("added");
        let shown = conditions(&edited).expect("conditions");
        assert_eq!(shown.len(), 3);
        assert_eq!(
            shown[0].metadata,
            vec![(
                "tissue_ontology_id".to_string(),
                "UBERON:0002107".to_string()
            )]
        );
        assert_eq!(
            (shown[1].metadata.len(), shown[1].num_samples.as_str()),
            (0, "7")
        );
        assert_eq!(shown[2].num_samples, "1");
        let removed = remove_input(&edited, 0).expect("removed");
        assert_eq!(conditions(&removed).expect("conditions").len(), 2);
        assert_eq!(remove_input(&removed, 5), Err(EditError::NoSuchInput(5)));
        assert_eq!(conditions("not json"), None);
    }

    #[test]
    fn options_are_read_set_and_removed() {
        let edited = set_option(QUERY, "total_count", Some(Value::from(5000))).expect("set");
        let edited =
            set_option(&edited, "deterministic_latents", Some(Value::from(true))).expect("set");
        assert_eq!(
            options(&edited),
            Some(("sample generation".to_string(), "5000".to_string(), true))
        );
        let removed = set_option(&edited, "total_count", None).expect("removed");
        assert_eq!(
            options(&removed).map(|(_, total, _)| total),
            Some(String::new())
        );
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
