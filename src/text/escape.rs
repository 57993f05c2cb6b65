//! Escaping text for where it lands: HTML (and XML) text and attributes,
//! Markdown, and a terminal or a log ([`shown`]).

use std::fmt;

/// `& < > " '` as entities: safe in HTML and XML text and in quoted
/// attributes.
pub fn html(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Backslash-escape what Markdown would read as markup, so the value shows
/// as written.
pub fn markdown(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 4);
    for c in value.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `value` as a Markdown code span: fenced with one more backtick than its
/// longest run of backticks, and padded with a space where it starts or
/// ends with a backtick (Markdown takes one space off each side again).
pub fn code_span(value: &str) -> String {
    let longest = value.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if value.starts_with('`') || value.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{value}{pad}{fence}")
}

/// A value that came from a file, as a terminal or a log shows it: every
/// control character visible (C0 ones and DEL as their Unicode control
/// pictures, `␛` for ESC, `␍` for CR, `␊` for a line feed; C1 ones as
/// `<U+0085>`), and so is every bidirectional formatting character
/// (`<U+202E>`), so that a value can neither move the cursor, colour the
/// terminal, start a line of its own nor reorder what follows it. The one
/// function all human output of such values goes through (a check's
/// drawings get the same from annotate-snippets). Shown twice is shown
/// once: what it writes holds no character it replaces.
pub fn shown(value: &str) -> Shown<'_> {
    Shown(value)
}

/// A message of runsheet's own that quotes values from files, as a
/// terminal or a log shows it: each of its lines [`shown`], the message's
/// line breaks kept. For a message made where the values are not known
/// apart (an error of a library that quotes its input).
pub fn shown_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for (i, line) in message.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = fmt::Write::write_fmt(&mut out, format_args!("{}", shown(line)));
    }
    out
}

/// [`shown`]'s value, written as it is formatted.
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a>(&'a str);

/// Whether `c` is a bidirectional formatting character: the embeddings,
/// overrides and isolates, and the marks (LRM, RLM, ALM).
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        let mut rest = self.0;
        while let Some(at) = rest.find(|c: char| c.is_control() || is_bidi(c)) {
            let (plain, from) = rest.split_at(at);
            f.write_str(plain)?;
            let mut chars = from.chars();
            let Some(c) = chars.next() else { break };
            match u32::from(c) {
                n @ 0..=0x1F => f.write_char(char::from_u32(0x2400 + n).unwrap_or('\u{FFFD}'))?,
                0x7F => f.write_char('\u{2421}')?,
                n => write!(f, "<U+{n:04X}>")?,
            }
            rest = chars.as_str();
        }
        f.write_str(rest)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_value_shown_keeps_no_control_or_bidi_character() {
        let shown = |v: &str| super::shown(v).to_string();
        assert_eq!(shown("Ann"), "Ann");
        assert_eq!(
            shown("x\u{1b}[2K\rFAKE: 210 of 210 done\n"),
            "x\u{241B}[2K\u{240D}FAKE: 210 of 210 done\u{240A}"
        );
        assert_eq!(
            shown("a\u{7f}b\u{85}c\u{202e}d\u{2066}"),
            "a\u{2421}b<U+0085>c<U+202E>d<U+2066>"
        );
        assert_eq!(shown("tab\there"), "tab\u{2409}here");
        let once = shown("\u{1b}\u{202e}\r");
        assert_eq!(shown(&once), once);
    }

    #[test]
    fn code_spans_outlast_the_value_s_backticks() {
        assert_eq!(super::code_span("ADMA"), "`ADMA`");
        assert_eq!(super::code_span("a`b"), "``a`b``");
        assert_eq!(super::code_span("`x``"), "``` `x`` ```");
    }
}
