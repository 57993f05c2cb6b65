//! `{{ name }}` placeholders in a chapter's text.
//!
//! A placeholder is `{{`, optional spaces, a dotted identifier
//! (`domain`, `ad.netbios`), optional spaces, `}}`. Nothing else in a
//! chapter is template syntax: a `{{` that is not followed by such a name is
//! plain text, and `\{{ name }}` writes the characters `{{ name }}` without
//! making a placeholder.
//!
//! A backslash right after a letter, a digit, `}` or `:` is a Windows path
//! or account separator, not an escape: `CONTOSO\{{ user }}`,
//! `{{ domain }}\{{ user }}` and `C:\Scripts\{{ file }}` are placeholders.

use std::ops::Range;

/// Every placeholder in `text`: its name and byte range.
pub fn scan(text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) =
        crate::text::scan::find_pair(text.as_bytes().get(from..).unwrap_or_default(), b'{', b'{')
    {
        let start = from + i;
        from = start + 2;
        if escaped_at(text, start) {
            continue;
        }
        if let Some((name, end)) = parse_at(text, start) {
            out.push((name, start..end));
            from = end;
        }
    }
    out
}

/// Whether the `{{` at `start` is escaped: a backslash before it that does
/// not itself follow a letter, a digit, `}` or `:`.
pub fn escaped_at(text: &str, start: usize) -> bool {
    let before = text.as_bytes().get(..start).unwrap_or_default();
    match before {
        [.., b'\\'] => {
            !matches!(before, [.., c, b'\\'] if c.is_ascii_alphanumeric() || matches!(c, b'}' | b':'))
        }
        _ => false,
    }
}

/// Parse a placeholder starting at `start` (which holds `{{`): `{{`,
/// spaces, a dotted identifier, spaces, `}}`. Only those characters are
/// read, so a text of many `{{` without `}}` is read in one pass.
fn parse_at(text: &str, start: usize) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    let mut at = start + 2;
    let spaces = |mut at: usize| {
        while bytes.get(at) == Some(&b' ') {
            at += 1;
        }
        at
    };
    at = spaces(at);
    let name_start = at;
    while bytes
        .get(at)
        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'))
    {
        at += 1;
    }
    let name = text.get(name_start..at)?;
    at = spaces(at);
    (bytes.get(at..at + 2) == Some(b"}}") && is_dotted_identifier(name))
        .then(|| (name.to_string(), at + 2))
}

/// The placeholder that starts at byte `start` of `text`, if one does
/// (escaped or not): its name and byte range.
pub fn at(text: &str, start: usize) -> Option<(String, Range<usize>)> {
    if text.as_bytes().get(start..start + 2) != Some(b"{{") {
        return None;
    }
    parse_at(text, start).map(|(name, end)| (name, start..end))
}

/// `a`, `a_b`, `a.b.c`: ASCII letters, digits and `_`, not starting with a digit.
pub fn is_dotted_identifier(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_dotted_names_with_or_without_spaces() {
        let found = scan("Sign in to {{ domain.netbios }} \\{{x}} and {{server}}.");
        let names: Vec<_> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["domain.netbios", "server"]);
    }

    #[test]
    fn a_backslash_after_a_word_is_a_windows_separator() {
        let names = |t: &str| -> Vec<String> { scan(t).into_iter().map(|(n, _)| n).collect() };
        assert_eq!(names("{{ d }}\\{{ u }}"), ["d", "u"]);
        assert_eq!(
            names("CONTOSO\\{{ u }} C:\\{{ f }} C:\\x\\{{ g }}"),
            ["u", "f", "g"]
        );
        assert_eq!(names("type \\{{ u }} or `\\{{ v }}`"), Vec::<String>::new());
    }

    #[test]
    fn other_braces_are_plain_text() {
        assert!(scan("{{#include file.md}} {{ not a name }} {{1x}} {{}}").is_empty());
        assert!(scan(r"\{{ escaped }}").is_empty());
    }
}
