//! `{{key}}` placeholders that lessons use for organisation facts.

use super::model::Organisation;

/// Every `{{key}}` in `text`, as (byte offset, key).
pub fn find(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("{{").map(|i| i + from) {
        let Some(len) = text[start + 2..].find("}}") else { break };
        found.push((start, text[start + 2..start + 2 + len].trim()));
        from = start + 2 + len + 2;
    }
    found
}

/// `text` with every known placeholder replaced; unknown ones stay as written.
pub fn fill(text: &str, org: &Organisation) -> String {
    if !text.contains("{{") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else { break };
        let key = rest[start + 2..start + 2 + len].trim();
        out.push_str(&rest[..start]);
        match org.value(key) {
            Some(value) => out.push_str(value),
            None => out.push_str(&rest[start..start + 4 + len]),
        }
        rest = &rest[start + 4 + len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn org() -> Organisation {
        Organisation {
            format: 1,
            name: "Acme".into(),
            home_page: "https://acme.test".into(),
            fields: BTreeMap::from([("coe_email".to_string(), "hub@acme.test".to_string())]),
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
