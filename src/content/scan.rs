//! One look at a module file's bytes, before the loader walks the parsed
//! module: whether any string may hold something the sanitiser removes, and
//! whether any placeholder may be unknown. Most files hold neither, and
//! then the loader skips the sanitiser's walk and the placeholder checks,
//! which would otherwise read every string of the module again.
//!
//! Both answers err one way only: "maybe" when unsure, never "no" when
//! there is one. Two vectorised byte searches (memchr) over the file.

use super::model::Organisation;
use super::sanitize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scan {
    /// Some string may hold a control character or bidi override.
    pub may_need_cleaning: bool,
    /// Some `{{key}}` may name a key the organisation does not have.
    pub may_have_unknown_placeholder: bool,
}

/// Looks at a module file (JSON text) for the organisation `org`.
///
/// Cleaning: raw control characters are not valid JSON, so inside strings
/// they come only from escapes; a file with no escape but `\n \" \\ \/`, and
/// no DEL, C1 control or bidi override written as it is, has clean strings.
///
/// Placeholders: with no escape but those four (none of which makes a
/// brace), a string's braces are the file's; `{{` never occurs in JSON
/// outside a string, and a key with no quote or backslash lies inside one
/// string whose bytes are its parsed text. So when every `{{key}}` in the
/// file has such a key and the organisation knows it, every placeholder a
/// string holds is known. (A key that crosses from one line of a text array
/// to the next crosses a quote.)
pub fn scan(json: &[u8], org: &Organisation) -> Scan {
    let mut out = Scan { may_need_cleaning: false, may_have_unknown_placeholder: false };
    let mut at = 0;
    while !(out.may_need_cleaning && out.may_have_unknown_placeholder)
        && let Some(found) = json.get(at..).and_then(|rest| memchr::memchr3(b'\\', 0x7f, b'{', rest))
    {
        let i = at + found;
        at = i + 1;
        match json[i] {
            b'\\' => {
                // The escaped character is passed over: `\\u` is a backslash and a u.
                at = i + 2;
                if !matches!(json.get(i + 1), Some(b'n' | b'"' | b'\\' | b'/')) {
                    // `\u007b` is a brace the byte search does not see.
                    out.may_need_cleaning = true;
                    out.may_have_unknown_placeholder = true;
                }
            }
            0x7f => out.may_need_cleaning = true,
            _ if json.get(i + 1) == Some(&b'{') => match placeholder_end(json, i + 2) {
                Some(end) => {
                    let key = &json[i + 2..end];
                    // The search goes on after the key, so look inside it here
                    // (the search for C1 and bidi bytes below sees all of it).
                    if key.iter().any(|b| matches!(b, b'\\' | 0x7f)) {
                        out.may_need_cleaning = true;
                    }
                    let known = std::str::from_utf8(key)
                        .is_ok_and(|key| !key.contains(['"', '\\']) && org.value(key.trim()).is_some());
                    out.may_have_unknown_placeholder |= !known;
                    at = end + 2;
                }
                // Not closed in the file; in the strings it is no placeholder,
                // but saying "maybe" costs only the full check.
                None => out.may_have_unknown_placeholder = true,
            },
            _ => {}
        }
    }
    if !out.may_need_cleaning {
        out.may_need_cleaning = memchr::memchr2_iter(0xC2, 0xE2, json).any(|i| sanitize::special_at(json, i, i + 1));
    }
    out
}

/// The index of the next `}}` at or after `from`.
fn placeholder_end(json: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(i) = json.get(at..).and_then(|rest| memchr::memchr(b'}', rest)) {
        let i = at + i;
        if json.get(i + 1) == Some(&b'}') {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::content::placeholder;

    fn org() -> Organisation {
        let mut org = crate::content::load::embedded_organisation();
        org.fields.insert("policy_url".into(), "https://example.com/policy".into());
        org
    }

    #[test]
    fn plain_files_need_no_cleaning_and_know_their_placeholders() {
        let plain = r#"{"title": "Plain, \"quoted\", a\\b, a\/b at {{company}}", "body": ["line\nnext {{ policy_url }}", "café — “quotes” 漢字"], "x": {"y": {}}}"#;
        let s = scan(plain.as_bytes(), &org());
        assert_eq!(s, Scan { may_need_cleaning: false, may_have_unknown_placeholder: false });
        let long = format!(r#"{{"body": "{}"}}"#, "long line of plain text ".repeat(20));
        assert!(!scan(long.as_bytes(), &org()).may_need_cleaning);
    }

    #[test]
    fn escapes_and_special_characters_may_need_cleaning() {
        let specials = [r"\t", r"\r", r"\b", r"\f", r"\u001b", r"\u0041", "\u{7f}", "\u{85}", "\u{202e}", "\u{2067}"];
        for special in specials {
            for at in [0, 5, 31, 32, 33, 100] {
                let text = format!(r#"{{"t": "{}{special}{}"}}"#, "x".repeat(at), "y".repeat(40));
                assert!(scan(text.as_bytes(), &org()).may_need_cleaning, "{text:?}");
            }
        }
        // An escaped backslash before a letter is not an escape of that letter.
        assert!(!scan(br#"{"t": "a\\u001b"}"#, &org()).may_need_cleaning);
        assert!(scan(br#"{"t": "a\\\u001b"}"#, &org()).may_need_cleaning);
    }

    #[test]
    fn what_the_scan_passes_parses_to_clean_strings() {
        // Every character up to U+024F and the general punctuation block,
        // written as it is and as a \u escape, between plain text.
        let chars = (0u32..0x250).chain(0x2000..0x2070).filter_map(char::from_u32);
        for c in chars {
            for json in [format!("[\"ab{c}cd\"]"), format!("[\"ab\\u{:04x}cd\"]", u32::from(c))] {
                let Ok(strings) = serde_json::from_str::<Vec<String>>(&json) else { continue };
                if !scan(json.as_bytes(), &org()).may_need_cleaning {
                    assert!(matches!(sanitize::clean(&strings[0]), Cow::Borrowed(_)), "{json:?}");
                }
            }
        }
    }

    #[test]
    fn what_the_scan_passes_has_only_known_placeholders_and_clean_strings() {
        // Every sequence of up to four pieces inside a text array, as JSON
        // sees it and as a lesson joins it.
        let pieces = [
            "{", "}", "{{", "}}", "company", "nope", " ", r#"\""#, r"\\", r"\n", r"\u007b", r"\u007d", r#"", ""#,
            r"\t", "\u{85}",
        ];
        let org = org();
        let mut sequences: Vec<String> = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> =
                sequences.iter().flat_map(|s| pieces.iter().map(move |p| format!("{s}{p}"))).collect();
            for body in &longer {
                let json = format!("[\"{body}\"]");
                let Ok(lines) = serde_json::from_str::<Vec<String>>(&json) else { continue };
                let text = lines.join("\n");
                let found = scan(json.as_bytes(), &org);
                if !found.may_have_unknown_placeholder {
                    let unknown = placeholder::find(&text).iter().any(|(_, k)| org.value(k).is_none());
                    assert!(!unknown, "{json}");
                }
                if !found.may_need_cleaning {
                    assert!(lines.iter().all(|l| matches!(sanitize::clean(l), Cow::Borrowed(_))), "{json}");
                }
            }
            sequences = longer;
        }
        assert!(!scan(br#"["at {{company}}"]"#, &org).may_have_unknown_placeholder);
        assert!(scan(br#"["at {{nope}}"]"#, &org).may_have_unknown_placeholder);
    }
}
