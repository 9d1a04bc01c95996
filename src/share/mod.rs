//! Share links: the query, the model and its version packed into the URL fragment, so a link
//! reproduces the same data when opened and survives a reload on any static host.
//!
//! Layout: `#/query?m=<model>&v=<model version>&q=<payload>`, where the payload is the query as
//! minified JSON with its frequent pieces replaced by single bytes ([`tokens`]), deflated (raw
//! DEFLATE, `miniz_oxide`) and written in unpadded base64url. The
//! route stays first so [`crate::route::Route::from_fragment`] still finds the view. The seed
//! travels inside the query; [`fix_seed`] puts one there when the query has none. Nothing else
//! (in particular no API key) ever goes into a link. The parameter names are the format's
//! version: a future encoding would use a new name, so links made today keep opening.
//!
//! [`follow`] loads a link into the editor at start-up; [`panel`] is the Share panel.

pub mod follow;
pub mod panel;
mod tokens;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use crate::percent::percent_encode;

/// Largest decompressed query a link may carry (a guard against deflate bombs).
pub const MAX_QUERY_BYTES: usize = 256 * 1024;

/// The compression level used for links (best).
const LEVEL: u8 = 10;

/// What a share link carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedQuery {
    /// Model id or alias (`gem-1-bulk`).
    pub model: String,
    /// The model version the link was made with, when it says.
    pub model_version: Option<String>,
    /// The query as minified JSON.
    pub query_json: String,
}

/// What became of a share link the page was opened with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkOutcome {
    /// Its query was put into the editor.
    Loaded(SharedQuery),
    /// It could not be read.
    Damaged(ShareError),
}

/// Where the seed of a link's query comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedSource {
    /// The query sets it.
    Query(u64),
    /// The query has none; the last result of the same query used this one.
    LastResult(u64),
    /// Nobody fixed one: the link gives different data each time.
    Unset,
}

/// The query a link should carry: the editor's query, with the seed of the last result of the
/// same query (`last_result`: its query JSON and seed) when the editor's query has none.
pub fn link_query(
    query_text: &str,
    last_result: Option<(&str, u64)>,
) -> Result<(String, SeedSource), ShareError> {
    let minified = query_object(query_text)?.to_string();
    if let Some(seed) = seed_of(&minified) {
        return Ok((minified, SeedSource::Query(seed)));
    }
    match last_result {
        Some((result_query, seed)) if same_apart_from_seed(result_query, query_text) => {
            Ok((fix_seed(query_text, seed)?, SeedSource::LastResult(seed)))
        }
        _ => Ok((minified, SeedSource::Unset)),
    }
}

/// Why a share link could not be read or made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    /// The query text is not a JSON object (when making a link).
    #[error("the query is not a JSON object yet ({0}); fix it in the editor before sharing")]
    NotAnObject(String),
    /// The link names no model.
    #[error("this share link names no model (its m= part is missing); ask for the link again")]
    NoModel,
    /// The payload is not base64url.
    #[error(
        "this share link is damaged: its q= part is not base64url text (A-Z, a-z, 0-9, - and _); it may have been cut off or changed when it was copied"
    )]
    NotBase64,
    /// The payload does not inflate.
    #[error(
        "this share link is damaged: its q= part does not decompress ({0}); it may have been cut off when it was copied"
    )]
    NotDeflate(String),
    /// The inflated payload is larger than [`MAX_QUERY_BYTES`].
    #[error("this share link holds more than {max} bytes of query, the most a link may carry", max = MAX_QUERY_BYTES)]
    TooLarge,
    /// The inflated payload is not a JSON object.
    #[error("this share link does not hold a query: {0}")]
    NotAQuery(String),
    /// A `%xx` escape in the fragment is broken.
    #[error("this share link is damaged: its {0}= part has a broken %-escape")]
    BadEscape(&'static str),
}

/// Packs `shared` into the fragment of a share link (`#/query?m=...&v=...&q=...`).
pub fn encode_fragment(shared: &SharedQuery) -> Result<String, ShareError> {
    let value = query_object(&shared.query_json)?;
    let minified = value.to_string();
    let deflated = miniz_oxide::deflate::compress_to_vec(&tokens::encode(&minified), LEVEL);
    let mut fragment = format!("#/query?m={}", percent_encode(&shared.model));
    if let Some(version) = &shared.model_version {
        fragment.push_str("&v=");
        fragment.push_str(&percent_encode(version));
    }
    fragment.push_str("&q=");
    fragment.push_str(&URL_SAFE_NO_PAD.encode(deflated));
    Ok(fragment)
}

/// The full link: `page_url` (any fragment it has is dropped) followed by the fragment.
pub fn share_url(page_url: &str, shared: &SharedQuery) -> Result<String, ShareError> {
    let base = page_url.split('#').next().unwrap_or(page_url);
    Ok(format!("{base}{}", encode_fragment(shared)?))
}

/// Reads a share link's fragment: `Ok(None)` when the fragment carries no query (an ordinary
/// route), the shared query when it does, an error saying what is wrong when it is damaged.
pub fn decode_fragment(fragment: &str) -> Result<Option<SharedQuery>, ShareError> {
    let Some((_, parameters)) = fragment.split_once('?') else {
        return Ok(None);
    };
    let (mut model, mut version, mut payload) = (None, None, None);
    for pair in parameters.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        match name {
            "m" => model = Some(unescape(value, "m")?),
            "v" => version = Some(unescape(value, "v")?),
            "q" => payload = Some(value),
            _ => {}
        }
    }
    let Some(payload) = payload else {
        return Ok(None);
    };
    let model = model
        .filter(|model| !model.is_empty())
        .ok_or(ShareError::NoModel)?;
    let deflated = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| ShareError::NotBase64)?;
    let inflated = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_QUERY_BYTES)
        .map_err(|error| match error.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
        status => ShareError::NotDeflate(format!("{status:?}")),
    })?;
    let decoded = tokens::decode(&inflated);
    if decoded.len() > MAX_QUERY_BYTES {
        return Err(ShareError::TooLarge);
    }
    let text = String::from_utf8(decoded)
        .map_err(|_| ShareError::NotAQuery("the decompressed text is not UTF-8".into()))?;
    let value = query_object(&text).map_err(|error| match error {
        ShareError::NotAnObject(reason) => ShareError::NotAQuery(reason),
        other => other,
    })?;
    Ok(Some(SharedQuery {
        model,
        model_version: version.filter(|version| !version.is_empty()),
        query_json: value.to_string(),
    }))
}

/// The query's `seed`, when it has a whole-number one.
pub fn seed_of(query_json: &str) -> Option<u64> {
    serde_json::from_str::<Value>(query_json)
        .ok()?
        .get("seed")?
        .as_u64()
}

/// The query with `seed` set when it has none (a link must fix the seed to reproduce data);
/// a query that already has a seed comes back unchanged. Minified.
pub fn fix_seed(query_json: &str, seed: u64) -> Result<String, ShareError> {
    let mut value = query_object(query_json)?;
    if let Value::Object(fields) = &mut value
        && fields.get("seed").is_none_or(Value::is_null)
    {
        fields.insert("seed".into(), Value::from(seed));
    }
    Ok(value.to_string())
}

/// Whether two queries are the same apart from their seeds (to reuse the seed of a result).
pub fn same_apart_from_seed(a: &str, b: &str) -> bool {
    let without_seed = |text: &str| {
        let mut value: Value = serde_json::from_str(text).ok()?;
        value.as_object_mut()?.remove("seed");
        Some(value)
    };
    match (without_seed(a), without_seed(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

fn query_object(text: &str) -> Result<Value, ShareError> {
    let value: Value =
        serde_json::from_str(text).map_err(|error| ShareError::NotAnObject(error.to_string()))?;
    if !value.is_object() {
        return Err(ShareError::NotAnObject("it is not a {...} object".into()));
    }
    Ok(value)
}

fn unescape(text: &str, part: &'static str) -> Result<String, ShareError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte == b'%' {
            let hex = bytes
                .get(index + 1..index + 3)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .ok_or(ShareError::BadEscape(part))?;
            out.push(hex);
            index += 3;
        } else {
            out.push(byte);
            index += 1;
        }
    }
    String::from_utf8(out).map_err(|_| ShareError::BadEscape(part))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::Route;

    const EXAMPLE: &str = r#"{
      "deterministic_latents": false,
      "inputs": [
        {"metadata": {"sample_type": "primary tissue", "sex": "female",
                      "tissue_ontology_id": "UBERON:0001013"}, "num_samples": 2},
        {"metadata": {"cell_line_ontology_id": "CVCL_0004",
                      "perturbation_ontology_id": "ENSG00000162772",
                      "perturbation_time": "24 hours", "perturbation_type": "shrna",
                      "sample_type": "cell line", "sex": "female"}, "num_samples": 2}
      ],
      "sampling_strategy": "sample generation",
      "seed": 11,
      "total_count": 10000000
    }"#;

    fn shared(query: &str) -> SharedQuery {
        SharedQuery {
            model: "gem-1-bulk".into(),
            model_version: Some("1.0.0".into()),
            query_json: query.into(),
        }
    }

    fn parsed(text: &str) -> Value {
        serde_json::from_str(text).expect("json")
    }

    #[test]
    fn a_link_round_trips_model_version_and_query() {
        let fragment = encode_fragment(&shared(EXAMPLE)).expect("encoded");
        assert!(
            fragment.starts_with("#/query?m=gem-1-bulk&v=1.0.0&q="),
            "{fragment}"
        );
        assert_eq!(Route::from_fragment(&fragment), Route::Query);
        let back = decode_fragment(&fragment)
            .expect("decoded")
            .expect("a query");
        assert_eq!(back.model, "gem-1-bulk");
        assert_eq!(back.model_version.as_deref(), Some("1.0.0"));
        assert_eq!(parsed(&back.query_json), parsed(EXAMPLE));
        assert_eq!(seed_of(&back.query_json), Some(11));
    }

    #[test]
    fn unusual_model_names_and_unicode_survive_escaping() {
        let query = r#"{"inputs":[{"metadata":{"study":"é & ü ?#%"},"num_samples":1}]}"#;
        let link = SharedQuery {
            model: "a model&m=x".into(),
            model_version: None,
            query_json: query.into(),
        };
        let fragment = encode_fragment(&link).expect("encoded");
        assert!(
            !fragment.contains(' ') && !fragment.contains('é'),
            "{fragment}"
        );
        let back = decode_fragment(&fragment)
            .expect("decoded")
            .expect("a query");
        assert_eq!(back.model, "a model&m=x");
        assert_eq!(back.model_version, None);
        assert_eq!(parsed(&back.query_json), parsed(query));
    }

    #[test]
    fn the_link_for_the_example_query_is_short() {
        let url = share_url(
            "https://example.org/synthome/index.html#/results",
            &shared(EXAMPLE),
        )
        .expect("link");
        assert!(url.starts_with("https://example.org/synthome/index.html#/query?m="));
        let fragment = &url[url.find('#').expect("fragment")..];
        let minified = parsed(EXAMPLE).to_string();
        println!(
            "example query: {} bytes minified, share fragment {} chars, full link {} chars",
            minified.len(),
            fragment.len(),
            url.len()
        );
        assert!(
            fragment.len() < minified.len(),
            "the fragment ({}) is not shorter than the minified query ({})",
            fragment.len(),
            minified.len()
        );
        assert!(fragment.len() < 200, "fragment of {} chars", fragment.len());
    }

    #[test]
    fn ordinary_routes_carry_no_query() {
        for fragment in [
            "",
            "#",
            "#/query",
            "#/results",
            "#/about?from=share",
            "#/query?m=x",
        ] {
            assert_eq!(decode_fragment(fragment), Ok(None), "{fragment}");
        }
    }

    #[test]
    fn damaged_links_say_what_is_wrong() {
        let fragment = encode_fragment(&shared(EXAMPLE)).expect("encoded");
        for cut in 1..40 {
            let error = decode_fragment(&fragment[..fragment.len() - cut]).expect_err("cut link");
            assert!(
                matches!(error, ShareError::NotDeflate(_) | ShareError::NotBase64),
                "{error:?}"
            );
            assert!(error.to_string().contains("cut off"), "{error}");
        }

        let garbled = fragment.replace("&q=", "&q=*!");
        assert_eq!(decode_fragment(&garbled), Err(ShareError::NotBase64));

        let no_model = fragment.replace("m=gem-1-bulk&", "");
        assert_eq!(decode_fragment(&no_model), Err(ShareError::NoModel));

        let bad_escape = fragment.replace("v=1.0.0", "v=1%G0");
        assert_eq!(
            decode_fragment(&bad_escape),
            Err(ShareError::BadEscape("v"))
        );

        let not_json = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(b"[1,2]", 6));
        let error = decode_fragment(&format!("#/query?m=gem-1-bulk&q={not_json}"))
            .expect_err("not an object");
        assert!(matches!(error, ShareError::NotAQuery(_)), "{error:?}");
    }

    #[test]
    fn a_deflate_bomb_is_refused() {
        let huge = format!(r#"{{"study":"{}"}}"#, "a".repeat(MAX_QUERY_BYTES * 2));
        let payload =
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(huge.as_bytes(), 10));
        assert!(payload.len() < 4_000, "bomb payload {}", payload.len());
        assert_eq!(
            decode_fragment(&format!("#/query?m=gem-1-bulk&q={payload}")),
            Err(ShareError::TooLarge)
        );
    }

    #[test]
    fn links_take_the_seed_of_the_last_result_of_the_same_query() {
        let unseeded = r#"{"inputs": [{"num_samples": 2}]}"#;
        let ran = r#"{"inputs":[{"num_samples":2}],"seed":77}"#;
        let (query, source) = link_query(unseeded, Some((ran, 77))).expect("query");
        assert_eq!(source, SeedSource::LastResult(77));
        assert_eq!(seed_of(&query), Some(77));
        let other = r#"{"inputs":[{"num_samples":3}],"seed":77}"#;
        let (query, source) = link_query(unseeded, Some((other, 77))).expect("query");
        assert_eq!(source, SeedSource::Unset);
        assert_eq!(seed_of(&query), None);
        let (_, source) = link_query(EXAMPLE, Some((ran, 77))).expect("query");
        assert_eq!(source, SeedSource::Query(11));
        assert!(link_query("nope", None).is_err());
    }

    #[test]
    fn fixing_the_seed_adds_one_only_when_missing() {
        let without = r#"{"inputs":[],"seed":null}"#;
        assert_eq!(seed_of(&fix_seed(without, 42).expect("fixed")), Some(42));
        assert_eq!(seed_of(&fix_seed(EXAMPLE, 42).expect("fixed")), Some(11));
        assert!(matches!(fix_seed("{", 1), Err(ShareError::NotAnObject(_))));
        assert!(same_apart_from_seed(
            r#"{"inputs":[],"seed":1}"#,
            r#"{ "inputs": [] }"#
        ));
        assert!(!same_apart_from_seed(
            r#"{"inputs":[],"seed":1}"#,
            r#"{"inputs":[{}]}"#
        ));
    }
}
