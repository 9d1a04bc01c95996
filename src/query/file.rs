//! Importing and exporting the query as a `.json` file. An imported file may be a query, or a
//! result JSON or `provenance.json` written by Synthome, whose embedded `query` (and model)
//! are taken, so the query behind any download can be loaded back into the editor.

use serde_json::Value;

/// Largest file accepted (a result JSON that embeds its query can be large).
pub const MAX_IMPORT_BYTES: usize = 256 * 1024 * 1024;

/// A query read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The query, pretty-printed for the editor.
    pub query_text: String,
    /// The model the file names (result and provenance files), if any.
    pub model: Option<String>,
    /// What the file was, for the message shown after importing.
    pub kind: ImportedKind,
}

/// What kind of file was imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportedKind {
    /// A query file.
    Query,
    /// A result or provenance file; its query was taken.
    Embedded,
}

/// Why a file could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Not JSON.
    #[error("{file} is not JSON ({reason}); choose a query .json file")]
    NotJson {
        /// The file name.
        file: String,
        /// What the parser said.
        reason: String,
    },
    /// JSON, but not an object.
    #[error("{file} holds JSON but not a query: a query is an object {{\"inputs\": [...], ...}}")]
    NotAnObject {
        /// The file name.
        file: String,
    },
    /// A result file that does not carry the query that produced it.
    #[error(
        "{file} is a result (it has outputs) but does not say which query produced it; import the query file, or a result or provenance file written by Synthome"
    )]
    ResultWithoutQuery {
        /// The file name.
        file: String,
    },
    /// Larger than [`MAX_IMPORT_BYTES`].
    #[error("{file} is {size} bytes, more than the {max} bytes a query file may have", max = MAX_IMPORT_BYTES)]
    TooLarge {
        /// The file name.
        file: String,
        /// Its size.
        size: usize,
    },
}

/// Reads a query file (or a Synthome result / provenance file) named `file`.
pub fn import(file: &str, text: &str) -> Result<Imported, ImportError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            file: file.to_string(),
            size: text.len(),
        });
    }
    let value: Value = serde_json::from_str(text).map_err(|error| ImportError::NotJson {
        file: file.to_string(),
        reason: error.to_string(),
    })?;
    let Value::Object(fields) = value else {
        return Err(ImportError::NotAnObject {
            file: file.to_string(),
        });
    };
    let embedded = fields
        .get("query")
        .filter(|query| query.is_object())
        .cloned();
    let (query, model, kind) = match embedded {
        Some(query) if fields.contains_key("model_id") => {
            let model = fields
                .get("model_id")
                .and_then(Value::as_str)
                .map(String::from);
            (query, model, ImportedKind::Embedded)
        }
        _ if fields.contains_key("outputs") => {
            return Err(ImportError::ResultWithoutQuery {
                file: file.to_string(),
            });
        }
        _ => (Value::Object(fields), None, ImportedKind::Query),
    };
    let query_text = serde_json::to_string_pretty(&query).unwrap_or_else(|_| query.to_string());
    Ok(Imported {
        query_text,
        model,
        kind,
    })
}

/// The name of an exported query file: `synthome-query_<model>_<timestamp>.json`.
pub fn export_name(model: &str, timestamp: &str) -> String {
    let safe = |text: &str| -> String {
        text.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '-'
                }
            })
            .collect()
    };
    format!("synthome-query_{}_{}.json", safe(model), safe(timestamp))
}

/// The exported file's content: the editor's text when it is JSON (pretty-printed, ending in a
/// newline); the text as it is otherwise, so nothing the user wrote is lost.
pub fn export_text(query_text: &str) -> String {
    let pretty = serde_json::from_str::<Value>(query_text)
        .ok()
        .and_then(|value| serde_json::to_string_pretty(&value).ok())
        .unwrap_or_else(|| query_text.to_string());
    format!("{}\n", pretty.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Value {
        serde_json::from_str(text).expect("json")
    }

    #[test]
    fn export_then_import_gives_the_same_query() {
        let query = r#"{"inputs":[{"metadata":{"sex":"female"},"num_samples":2}],"seed":5}"#;
        let file = export_text(query);
        assert!(file.ends_with("}\n"));
        let back = import("q.json", &file).expect("imported");
        assert_eq!(parsed(&back.query_text), parsed(query));
        assert_eq!(back.model, None);
        assert_eq!(back.kind, ImportedKind::Query);
    }

    #[test]
    fn result_and_provenance_files_give_their_query_and_model() {
        let result = r#"{"outputs":[{"counts":[1,2]}],"gene_order":["A","B"],
            "model_id":"synthome-bulk-v1","seed":3,"query":{"inputs":[],"seed":3}}"#;
        let back = import("result.json", result).expect("imported");
        assert_eq!(
            parsed(&back.query_text),
            parsed(r#"{"inputs":[],"seed":3}"#)
        );
        assert_eq!(back.model.as_deref(), Some("synthome-bulk-v1"));
        assert_eq!(back.kind, ImportedKind::Embedded);
    }

    #[test]
    fn files_that_are_not_queries_are_refused_by_name() {
        let error = import("notes.json", "hello").expect_err("not json");
        assert!(
            error.to_string().starts_with("notes.json is not JSON"),
            "{error}"
        );
        let error = import("list.json", "[1, 2]").expect_err("not an object");
        assert!(error.to_string().contains("not a query"), "{error}");
        let hosted = r#"{"outputs":[{"counts":[1]}],"gene_order":["A"],"model_version":2}"#;
        let error = import("hosted.json", hosted).expect_err("no query");
        assert!(
            error.to_string().starts_with("hosted.json is a result"),
            "{error}"
        );
    }

    #[test]
    fn export_names_are_safe_and_text_is_kept_when_not_json() {
        assert_eq!(
            export_name("gem-1-bulk", "2026-11-25T13:05:09.123Z"),
            "synthome-query_gem-1-bulk_2026-11-25T13-05-09-123Z.json"
        );
        assert_eq!(export_text("{ broken"), "{ broken\n");
    }
}
