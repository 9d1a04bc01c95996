//! Percent-encoding of URL parts (share link parameters, API path segments).

/// Percent-encodes everything but the URL's unreserved characters (`A-Z a-z 0-9 - _ . ~`).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::percent_encode;

    #[test]
    fn only_unreserved_characters_stay() {
        assert_eq!(percent_encode("a b/c~é"), "a%20b%2Fc~%C3%A9");
    }
}
