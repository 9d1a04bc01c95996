//! The share format's token table: frequent pieces of query JSON (keys with their colon,
//! common values, id prefixes) written as single control bytes before deflating, which more
//! than halves links. Minified JSON never holds raw control bytes (they are escaped inside
//! strings), so the substitution is exactly reversible, and text without codes decodes as it
//! is. Tab, line feed and carriage return are never codes. The table is part of the link
//! format: never change or reorder it, only add (a new code must not yet be in use).

/// `(code, token)`, tried in this order when encoding.
const TOKENS: [(u8, &str); 28] = [
    (0x01, "\"inputs\":["),
    (0x02, "\"metadata\":{"),
    (0x03, "\"num_samples\":"),
    (0x04, "\"sampling_strategy\":"),
    (0x05, "\"sample generation\""),
    (0x06, "\"mean estimation\""),
    (0x07, "\"seed\":"),
    (0x08, "\"total_count\":"),
    (0x0B, "\"deterministic_latents\":"),
    (0x0C, "\"sample_type\":"),
    (0x0E, "\"sex\":"),
    (0x0F, "\"female\""),
    (0x10, "\"male\""),
    (0x11, "\"tissue_ontology_id\":"),
    (0x12, "\"cell_type_ontology_id\":"),
    (0x13, "\"cell_line_ontology_id\":"),
    (0x14, "\"disease_ontology_id\":"),
    (0x15, "\"perturbation_ontology_id\":"),
    (0x16, "\"perturbation_type\":"),
    (0x17, "\"perturbation_time\":"),
    (0x18, "\"perturbation_dose\":"),
    (0x19, "\"primary tissue\""),
    (0x1A, "\"cell line\""),
    (0x1B, "\"UBERON:"),
    (0x1C, "\"CL:"),
    (0x1D, "\"CVCL_"),
    (0x1E, "\"ENSG"),
    (0x1F, "false"),
];

/// Replaces every token in minified JSON by its code.
pub fn encode(json: &str) -> Vec<u8> {
    let bytes = json.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let rest = &bytes[at..];
        match TOKENS
            .iter()
            .find(|(_, token)| rest.starts_with(token.as_bytes()))
        {
            Some((code, token)) => {
                out.push(*code);
                at += token.len();
            }
            None => {
                out.push(bytes[at]);
                at += 1;
            }
        }
    }
    out
}

/// Replaces every code by its token; other bytes stay as they are.
pub fn decode(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        match TOKENS.iter().find(|(code, _)| *code == byte) {
            Some((_, token)) => out.extend_from_slice(token.as_bytes()),
            None => out.push(byte),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_control_bytes_but_never_whitespace() {
        let mut codes: Vec<u8> = TOKENS.iter().map(|(code, _)| *code).collect();
        assert!(codes.iter().all(|&code| code < 0x20 && code != 0));
        assert!(
            !codes
                .iter()
                .any(|code| [b'\t', b'\n', b'\r'].contains(code))
        );
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), TOKENS.len());
    }

    #[test]
    fn substitution_round_trips_even_inside_escaped_strings() {
        for json in [
            r#"{"inputs":[{"metadata":{"sex":"female","tissue_ontology_id":"UBERON:0002107"},"num_samples":2}],"seed":1}"#,
            r#"{"study":"\"female\" \"metadata\":{ \"UBERON:1 false","deterministic_latents":false}"#,
            r#"{"sex":"male","x":"femaleish","y":"é \u0001"}"#,
            "",
        ] {
            let encoded = encode(json);
            assert_eq!(decode(&encoded), json.as_bytes(), "{json}");
        }
        let plain = br#"{"a": 1,
  "b": "\t"}"#;
        assert_eq!(decode(plain), plain, "text without codes decodes as it is");
        assert!(encode(r#"{"inputs":[]}"#).len() < 6);
    }
}
