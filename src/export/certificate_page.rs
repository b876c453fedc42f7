//! The certificate's two renderings: plain text for the terminal or a .txt
//! file, and a standalone printable HTML page (assets/certificate.html).
//! Both name the issuing organisation, show titles (never ids), and, when
//! an Open Badges credential was written beside them, say where it is and
//! how anyone can verify it.

use std::borrow::Cow;
use std::collections::HashMap;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::certificate::{Certificate, long_date};
use crate::content::sanitize::{clean, one_line};
use crate::records::stamp;

/// The page template; `{{name}}` marks are filled by `render_html`.
const TEMPLATE: &str = include_str!("../../assets/certificate.html");

/// More modules than this and the page lists them one line each, to stay on one page.
const COMPACT_AFTER: usize = 5;

/// The signed Open Badges credential written beside a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialLink {
    /// The credential's file name, as the certificate refers to it (beside it).
    pub file: String,
    /// The issuer's did:key that signed it.
    pub issuer: String,
}

fn center(line: &str, width: usize) -> String {
    let pad = width.saturating_sub(line.width()) / 2;
    format!("{}{line}", " ".repeat(pad))
}

/// Characters of a name a certificate prints. pace caps new names at 60;
/// a longer one (from an older records file) is cut with an ellipsis, so the
/// certificate stays on one page. The verification code covers the whole name.
pub const NAME_CHARS: usize = 120;

/// `s` cleaned, on one line, and cut to `max` characters with an ellipsis.
fn display(s: &str, max: usize) -> String {
    let line = one_line(s);
    if line.chars().count() <= max {
        return line;
    }
    let mut cut: String = line.chars().take(max.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// `text` centred on lines of at most `width` columns, broken at spaces
/// where it can be and inside a word where it cannot; at most `max_lines`,
/// the last ending in an ellipsis when text was left out.
fn centred_lines(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        for piece in pieces(word, width) {
            if line.is_empty() {
                line = piece;
            } else if line.width() + 1 + piece.width() <= width {
                line.push(' ');
                line.push_str(&piece);
            } else {
                lines.push(std::mem::replace(&mut line, piece));
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while last.width() + 1 > width {
                last.pop();
            }
            last.push('…');
        }
    }
    lines.iter().map(|l| center(l, width)).collect()
}

/// `word` in pieces of at most `width` columns.
fn pieces(word: &str, width: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    for c in word.chars() {
        let w = c.width().unwrap_or(0);
        if out.last().is_some_and(|p| p.width() + w > width && !p.is_empty()) {
            out.push(String::new());
        }
        if let Some(p) = out.last_mut() {
            p.push(c);
        }
    }
    out
}

/// The certificate for a terminal or a .txt file.
pub fn render_text(c: &Certificate) -> String {
    render_text_with(c, None)
}

/// The text certificate, naming the credential written beside it if any.
pub fn render_text_with(c: &Certificate, credential: Option<&CredentialLink>) -> String {
    const WIDTH: usize = 68;
    let rule = "=".repeat(WIDTH);
    let mut out = Vec::new();
    out.push(rule.clone());
    out.extend(centred_lines(&display(&c.organisation, NAME_CHARS), WIDTH, 2));
    out.push(center("CERTIFICATE OF ACHIEVEMENT", WIDTH));
    out.push(String::new());
    out.push(center("This certifies that", WIDTH));
    // Names may hold anything: one line each, wrapped and capped, so the
    // layout below them never moves off the page.
    out.extend(centred_lines(&display(&c.learner, NAME_CHARS), WIDTH, 2));
    out.push(center("holds the level", WIDTH));
    out.extend(centred_lines(&display(&c.level_title, NAME_CHARS), WIDTH, 2));
    out.push(String::new());
    out.push(format!("  Granted      {}", long_date(c.granted_at)));
    out.push(format!("  Valid until  {}", long_date(c.expires_at)));
    out.push(format!("  Issued by    {}", display(&c.organisation, WIDTH - 15)));
    out.push(String::new());
    out.push("  Earned by passing".into());
    for m in &c.modules {
        out.push(format!("  {:>5}  {}", format!("{}%", m.score), display(&m.title, WIDTH - 9)));
        if let Some(t) = m.passed_at {
            out.push(format!("         passed {}", long_date(t)));
        }
    }
    out.push(String::new());
    if let Some(link) = credential {
        out.push(format!("  Open Badges credential  {}", one_line(&link.file)));
        out.push(format!("  signed by               {}", one_line(&link.issuer)));
        out.push(format!("  Anyone can verify it:   pace badge verify {}", one_line(&link.file)));
        out.push("                          (or any Open Badges 3.0 verifier)".into());
    }
    out.push(format!("  Verification code  {}", c.code));
    out.push(format!("  Check it with      pace certificate --verify {}", c.code));
    out.push(rule);
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// `s` safe inside HTML text and attribute values.
pub fn escape_html(s: &str) -> Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Content for the page: cleaned of control characters, then escaped.
fn html(s: &str) -> String {
    escape_html(&clean(s)).into_owned()
}

/// The certificate as a standalone printable HTML page: inline CSS only, no
/// network resources, one landscape A4 or Letter page.
pub fn render_html(c: &Certificate) -> String {
    render_html_with(c, None)
}

/// The page, naming the credential written beside it if any.
pub fn render_html_with(c: &Certificate, credential: Option<&CredentialLink>) -> String {
    let rows: String = c
        .modules
        .iter()
        .map(|m| {
            format!(
                "<tr><td>{}</td><td class=\"num\">{}%</td><td>{}</td></tr>\n",
                html(&m.title),
                m.score,
                m.passed_at.map(|t| html(&long_date(t))).unwrap_or_default()
            )
        })
        .collect();
    let credential_line = credential.map_or_else(String::new, |link| {
        format!(
            "<p class=\"credential\">Open Badges 3.0 credential <code>{file}</code> beside this page, signed by \
             <code class=\"did\">{did}</code>.<br>Anyone can verify it: <code>pace badge verify {file}</code>, \
             or any Open Badges 3.0 verifier.</p>\n",
            file = html(&link.file),
            did = html(&link.issuer)
        )
    });
    let learner = display(&c.learner, NAME_CHARS);
    let values: HashMap<&str, String> = HashMap::from([
        ("page_title", html(&format!("{} — {}", display(&c.level_title, NAME_CHARS), learner))),
        ("organisation", html(&display(&c.organisation, NAME_CHARS))),
        ("learner_class", name_class(&learner).to_string()),
        ("learner", html(&learner)),
        ("level_title", html(&display(&c.level_title, NAME_CHARS))),
        ("granted", html(&long_date(c.granted_at))),
        ("expires", html(&long_date(c.expires_at))),
        ("granted_iso", html(&stamp(c.granted_at))),
        ("expires_iso", html(&stamp(c.expires_at))),
        ("module_rows", rows),
        ("credential", credential_line),
        ("code", html(&c.code)),
        ("sheet_class", if c.modules.len() > COMPACT_AFTER { "sheet compact" } else { "sheet" }.to_string()),
    ]);
    fill(TEMPLATE, &values)
}

/// The size class of the name on the page: the longer the name, the
/// smaller the type, so any name fits in two lines of the sheet.
fn name_class(name: &str) -> &'static str {
    match name.chars().count() {
        0..=40 => "learner",
        41..=70 => "learner long",
        _ => "learner longer",
    }
}

/// Replaces each `{{name}}` in `template` in one pass, so a value that itself
/// contains `{{...}}` (a learner can type anything as a name) is never
/// expanded. Unknown names are left as they are.
fn fill(template: &str, values: &HashMap<&str, String>) -> String {
    let mut out = String::with_capacity(template.len() + 1024);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}").and_then(|end| values.get(&after[..end]).map(|v| (end, v))) {
            Some((end, value)) => {
                out.push_str(value);
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_does_not_expand_marks_inside_values() {
        let values = HashMap::from([("a", "{{b}}".to_string()), ("b", "B".to_string())]);
        assert_eq!(fill("<{{a}}|{{b}}|{{c}}>", &values), "<{{b}}|B|{{c}}>");
    }

    #[test]
    fn any_name_keeps_the_text_certificate_in_shape() {
        for name in [
            "Ana Ruiz",
            &"W".repeat(10_000),
            &"Li ".repeat(5_000),
            "Eve\nMallory\r\n\u{1b}[2Jx",
            "日本語の名前".repeat(40).as_str(),
        ] {
            let lines = centred_lines(&display(name, NAME_CHARS), 68, 2);
            assert!(!lines.is_empty() && lines.len() <= 2, "{name:.20}: {lines:?}");
            assert!(lines.iter().all(|l| l.width() <= 68 && !l.contains(['\n', '\r', '\u{1b}'])), "{lines:?}");
        }
        assert_eq!(centred_lines("Ana Ruiz", 12, 2), ["  Ana Ruiz"]);
        assert_eq!(centred_lines("aaaa bbbb cccc", 9, 2), ["aaaa bbbb", "  cccc"]);
        assert_eq!(centred_lines("aaaaaaaaaaaa", 5, 2), ["aaaaa", "aaaa…"]);
        assert_eq!(display(&"x".repeat(200), 10), "xxxxxxxxx…");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape_html("<a href=\"x\">O'Neil & co</a>"),
            "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; co&lt;/a&gt;"
        );
    }
}
