//! `{{key}}` placeholders that lessons use for organisation facts.

use super::model::Organisation;

/// Every `{{key}}` in `text`, as (byte offset, key).
pub fn find(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = next_pair(text, from, b'{') {
        let Some(end) = next_pair(text, start + 2, b'}') else { break };
        found.push((start, text[start + 2..end].trim()));
        from = end + 2;
    }
    found
}

/// The next `cc` (`{{` or `}}`) at or after `from`. A vectorised single-byte
/// search (memchr) per candidate: a two-byte substring search was a fifth of
/// the loader's time on long lessons.
fn next_pair(text: &str, from: usize, c: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(i) = memchr::memchr(c, bytes.get(at..)?) {
        let i = at + i;
        if bytes.get(i + 1) == Some(&c) {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

/// `text` with every known placeholder replaced; unknown ones stay as written.
pub fn fill(text: &str, org: &Organisation) -> String {
    if next_pair(text, 0, b'{').is_none() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    while let Some(start) = next_pair(text, from, b'{') {
        let Some(end) = next_pair(text, start + 2, b'}') else { break };
        out.push_str(&text[from..start]);
        match org.value(text[start + 2..end].trim()) {
            Some(value) => out.push_str(value),
            None => out.push_str(&text[start..end + 2]),
        }
        from = end + 2;
    }
    out.push_str(&text[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn org() -> Organisation {
        Organisation {
            schema: None,
            format: 1,
            name: "Acme".into(),
            home_page: "https://acme.test".into(),
            learner_id: Default::default(),
            fields: BTreeMap::from([("coe_email".to_string(), "hub@acme.test".to_string())]),
            countries: Vec::new(),
            credential_issuer: None,
            credential_salt: None,
        }
    }

    #[test]
    fn fills_known_keys_and_keeps_unknown_ones() {
        assert_eq!(
            fill("Ask {{coe_email}} at {{company}} about {{nope}}.", &org()),
            "Ask hub@acme.test at Acme about {{nope}}."
        );
    }

    #[test]
    fn finds_keys_with_offsets() {
        assert_eq!(find("a {{ x }} b {{y}}"), vec![(2, "x"), (12, "y")]);
        assert!(find("no {{ close").is_empty());
    }
}
