//! "Copy as code": the current query as a Python (pysynthbio), R (rsynthbio) or curl program
//! against the hosted API or a Synthome server. The API key is never written into a snippet:
//! every one reads `SYNTHESIZE_API_KEY` from the environment, as the official clients do.

use std::fmt::Write as _;

use serde_json::Value;

/// The hosted Synthesize Bio API, the official clients' default base URL.
pub const HOSTED_API: &str = "https://app.synthesize.bio";

/// A language a snippet can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Python with pysynthbio.
    Python,
    /// R with rsynthbio.
    R,
    /// A shell script with curl and jq.
    Curl,
}

impl Language {
    /// Every language, in the order the tabs show them.
    pub const ALL: [Language; 3] = [Language::Python, Language::R, Language::Curl];

    /// The tab label.
    pub fn label(self) -> &'static str {
        match self {
            Language::Python => "Python (pysynthbio)",
            Language::R => "R (rsynthbio)",
            Language::Curl => "curl",
        }
    }

    /// A stable id for tests.
    pub fn slug(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::R => "r",
            Language::Curl => "curl",
        }
    }
}

/// Why a snippet could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnippetError {
    /// The editor's text is not a JSON object.
    #[error("the query is not a JSON object yet ({0}); fix it in the editor to see it as code")]
    NotAnObject(String),
}

/// What a snippet is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnippetTarget<'a> {
    /// The model id the API knows (`gem-1-bulk`).
    pub model_id: &'a str,
    /// The API's base URL, without a trailing slash; `None` for the hosted API.
    pub base_url: Option<&'a str>,
}

/// The query in `query_json` as a program in `language`.
pub fn snippet(
    language: Language,
    query_json: &str,
    target: &SnippetTarget<'_>,
) -> Result<String, SnippetError> {
    let query: Value = serde_json::from_str(query_json)
        .map_err(|error| SnippetError::NotAnObject(error.to_string()))?;
    if !query.is_object() {
        return Err(SnippetError::NotAnObject("it is not a {...} object".into()));
    }
    Ok(match language {
        Language::Python => python(&query, target),
        Language::R => r(&query, target),
        Language::Curl => curl(&query, target),
    })
}

fn python(query: &Value, target: &SnippetTarget<'_>) -> String {
    let mut out = String::from(
        "# pip install pysynthbio; export SYNTHESIZE_API_KEY=<your key>\nimport pysynthbio\n\nquery = ",
    );
    python_value(&mut out, query, 0);
    out.push_str("\n\nresult = pysynthbio.predict_query(\n    query=query,\n");
    let _ = writeln!(out, "    model_id={},", python_string(target.model_id));
    if let Some(base) = target.base_url {
        let _ = writeln!(out, "    api_base_url={},", python_string(base));
    }
    out.push_str(")\nexpression = result[\"expression\"]  # samples x genes counts (pandas)\nmetadata = result[\"metadata\"]\n");
    out
}

/// Writes `value` as a Python literal (`True`, `False`, `None`, dicts and lists).
fn python_value(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(number) => out.push_str(&number.to_string()),
        Value::String(text) => out.push_str(&python_string(text)),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push_str("[\n");
            for item in items {
                push_indent(out, indent + 1);
                python_value(out, item, indent + 1);
                out.push_str(",\n");
            }
            push_indent(out, indent);
            out.push(']');
        }
        Value::Object(fields) if fields.is_empty() => out.push_str("{}"),
        Value::Object(fields) => {
            out.push_str("{\n");
            for (key, item) in fields {
                push_indent(out, indent + 1);
                out.push_str(&python_string(key));
                out.push_str(": ");
                python_value(out, item, indent + 1);
                out.push_str(",\n");
            }
            push_indent(out, indent);
            out.push('}');
        }
    }
}

/// A Python string literal: JSON's escapes are Python's too (serde_json writes no `\/`).
fn python_string(text: &str) -> String {
    Value::from(text).to_string()
}

fn push_indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("    ");
    }
}

fn r(query: &Value, target: &SnippetTarget<'_>) -> String {
    let json = serde_json::to_string_pretty(query).unwrap_or_else(|_| query.to_string());
    let mut out = String::from(
        "# install.packages(\"rsynthbio\"); Sys.setenv(SYNTHESIZE_API_KEY = \"<your key>\")\nlibrary(rsynthbio)\n\n",
    );
    let _ = writeln!(
        out,
        "query <- jsonlite::fromJSON({}, simplifyVector = FALSE)\n",
        r_string(&json)
    );
    let _ = write!(
        out,
        "result <- predict_query(query, model_id = {}",
        r_string(target.model_id)
    );
    if let Some(base) = target.base_url {
        let _ = write!(out, ", api_base_url = {}", r_string(base));
    }
    out.push_str(")\nexpression <- result$expression  # samples x genes counts\nmetadata <- result$metadata\n");
    out
}

/// An R single-quoted string literal.
fn r_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for character in text.chars() {
        match character {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            _ => out.push(character),
        }
    }
    out.push('\'');
    out
}

fn curl(query: &Value, target: &SnippetTarget<'_>) -> String {
    let json = serde_json::to_string_pretty(query).unwrap_or_else(|_| query.to_string());
    let base = target.base_url.unwrap_or(HOSTED_API);
    let mut out = String::from("# needs curl and jq; export SYNTHESIZE_API_KEY=<your key>\n");
    let _ = writeln!(out, "BASE={}", shell_word(base));
    let _ = writeln!(out, "MODEL={}", shell_word(target.model_id));
    out.push_str(concat!(
        "RESPONSE=$(curl -sS -X POST \"$BASE/api/models/$MODEL/predict\" \\\n",
        "  -H \"Authorization: Bearer $SYNTHESIZE_API_KEY\" \\\n",
        "  -H \"Content-Type: application/json\" \\\n",
        "  --data-binary @- <<'QUERY_JSON'\n",
    ));
    out.push_str(&json);
    out.push_str(concat!(
        "\nQUERY_JSON\n)\n",
        "QUERY_ID=$(printf '%s' \"$RESPONSE\" | jq -r '.modelQueryId // empty')\n",
        "# the job runs asynchronously: ask for its status every 2 s until it is ready or failed\n",
        "while [ -n \"$QUERY_ID\" ]; do\n",
        "  STATUS=$(curl -sS \"$BASE/api/model-queries/$QUERY_ID/status\" \\\n",
        "    -H \"Authorization: Bearer $SYNTHESIZE_API_KEY\")\n",
        "  case $(printf '%s' \"$STATUS\" | jq -r .status) in\n",
        "    ready|failed|null) break ;;\n",
        "  esac\n",
        "  sleep 2\n",
        "done\n",
        "printf '%s\\n' \"${STATUS:-$RESPONSE}\"\n",
        "# the result JSON (outputs, gene_order, ...); its download link needs no key\n",
        "URL=$(printf '%s' \"${STATUS:-}\" | jq -r '.downloadUrl // empty')\n",
        "[ -n \"$URL\" ] && curl -sS \"$URL\" -o result.json\n",
    ));
    out
}

/// A word safe to put after `NAME=` in a shell script.
fn shell_word(text: &str) -> String {
    if text
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || b"-_./:@%+=,".contains(&byte))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;
    use std::process::{Command, Stdio};

    use super::*;

    const QUERY: &str = r#"{"inputs":[{"metadata":{"sex":"female","study":"it's a \"test\" \\ é"},
        "num_samples":2}],"deterministic_latents":false,"seed":11,"total_count":1e7,
        "sampling_strategy":"sample generation","source":null,"empty":{},"list":[]}"#;

    fn hosted() -> SnippetTarget<'static> {
        SnippetTarget {
            model_id: "gem-1-bulk",
            base_url: None,
        }
    }

    fn local() -> SnippetTarget<'static> {
        SnippetTarget {
            model_id: "gem-1-bulk",
            base_url: Some("http://127.0.0.1:8080"),
        }
    }

    fn parsed(text: &str) -> Value {
        serde_json::from_str(text).expect("json")
    }

    /// Runs `program` with `input` on stdin; `None` when the program is not installed.
    fn run(program: &str, args: &[&str], input: &str) -> Option<String> {
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .ok()?;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write");
        let output = child.wait_with_output().expect("wait");
        assert!(
            output.status.success(),
            "{program} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        Some(String::from_utf8(output.stdout).expect("utf-8"))
    }

    #[test]
    fn python_calls_predict_query_with_the_query_as_a_literal() {
        let code = snippet(Language::Python, QUERY, &hosted()).expect("python");
        assert!(code.contains("import pysynthbio"), "{code}");
        assert!(
            code.contains(
                "pysynthbio.predict_query(\n    query=query,\n    model_id=\"gem-1-bulk\",\n)"
            ),
            "{code}"
        );
        assert!(code.contains("\"deterministic_latents\": False"), "{code}");
        assert!(code.contains("\"source\": None"), "{code}");
        assert!(!code.contains("api_base_url"), "{code}");
        let to_server = snippet(Language::Python, QUERY, &local()).expect("python");
        assert!(
            to_server.contains("    api_base_url=\"http://127.0.0.1:8080\",\n"),
            "{to_server}"
        );
    }

    #[test]
    fn the_python_literal_evaluates_to_the_query() {
        let code = snippet(Language::Python, QUERY, &hosted()).expect("python");
        let literal = code
            .split("query = ")
            .nth(1)
            .and_then(|rest| rest.split("\n\nresult").next())
            .expect("literal");
        let program =
            "import ast, json, sys\nprint(json.dumps(ast.literal_eval(sys.stdin.read())))";
        match run("python3", &["-c", program], literal) {
            Some(json) => assert_eq!(parsed(&json), parsed(QUERY)),
            None => println!("SKIPPED the Python literal check: python3 is not installed"),
        }
    }

    #[test]
    fn r_parses_the_query_with_jsonlite_from_an_escaped_string() {
        let code = snippet(Language::R, QUERY, &local()).expect("r");
        assert!(code.contains("library(rsynthbio)"), "{code}");
        assert!(
            code.contains("result <- predict_query(query, model_id = 'gem-1-bulk', api_base_url = 'http://127.0.0.1:8080')"),
            "{code}"
        );
        let literal = code
            .split("jsonlite::fromJSON(")
            .nth(1)
            .and_then(|rest| rest.split(", simplifyVector").next())
            .expect("literal");
        // R's parser turns the literal back into the JSON text.
        match run(
            "Rscript",
            &["-e", "cat(eval(parse(file('stdin'))))"],
            literal,
        ) {
            Some(json) => assert_eq!(parsed(&json), parsed(QUERY)),
            None => println!("SKIPPED the R literal check: Rscript is not installed"),
        }
    }

    #[test]
    fn curl_posts_the_query_polls_and_downloads() {
        let code = snippet(Language::Curl, QUERY, &hosted()).expect("curl");
        assert!(code.contains("BASE=https://app.synthesize.bio\n"), "{code}");
        assert!(
            code.contains("\"$BASE/api/models/$MODEL/predict\""),
            "{code}"
        );
        assert!(
            code.contains("Authorization: Bearer $SYNTHESIZE_API_KEY"),
            "{code}"
        );
        assert!(
            code.contains("/api/model-queries/$QUERY_ID/status"),
            "{code}"
        );
        assert!(code.contains("sleep 2"), "{code}");
        let body = code
            .split("<<'QUERY_JSON'\n")
            .nth(1)
            .and_then(|rest| rest.split("\nQUERY_JSON\n").next())
            .expect("here-document");
        assert_eq!(parsed(body), parsed(QUERY));
        match run("bash", &["-n"], &code) {
            Some(_) => {}
            None => println!("SKIPPED the shell syntax check: bash is not installed"),
        }
        assert_eq!(shell_word("it's"), "'it'\\''s'");
    }

    #[test]
    fn no_snippet_for_text_that_is_not_a_query() {
        for language in Language::ALL {
            assert!(matches!(
                snippet(language, "[1]", &hosted()),
                Err(SnippetError::NotAnObject(_))
            ));
            assert!(matches!(
                snippet(language, "{", &hosted()),
                Err(SnippetError::NotAnObject(_))
            ));
        }
    }
}
