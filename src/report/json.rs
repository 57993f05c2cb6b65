//! `--format json`: `{"version": 1, "diagnostics": [...], "summary": {...}}`.

use super::{Checked, stream, summary};
use crate::check::Diagnostic;
use std::io::{self, Write};

pub fn write<W: Write + ?Sized>(checked: &[Checked<'_>], w: &mut W) -> io::Result<()> {
    let doc = serde_json::json!({
        "version": 1,
        "diagnostics": stream::array_marker(),
        "summary": summary(checked),
    });
    stream::json_with_array(w, &doc, &stream::all(checked), |c, d, pad| {
        entry(&c.display_path(&d.file), d, pad)
    })
}

/// One finding as the pretty-printer would write it at this depth, written
/// directly: a large tree's report has tens of thousands of them.
fn entry(file: &str, d: &Diagnostic, pad: &str) -> String {
    let mut out = String::with_capacity(256 + d.message.len());
    let field = |out: &mut String, name: &str| {
        out.push_str(pad);
        out.push_str("  \"");
        out.push_str(name);
        out.push_str("\": ");
    };
    out.push_str(pad);
    out.push_str("{\n");
    for (name, text) in [
        ("rule", d.rule),
        ("severity", d.severity.name()),
        ("file", file),
    ] {
        field(&mut out, name);
        quote(&mut out, text);
        out.push_str(",\n");
    }
    for (name, n) in [
        ("line", d.line),
        ("column", d.column),
        ("end_line", d.end_line),
        ("end_column", d.end_column),
    ] {
        field(&mut out, name);
        out.push_str(itoa::Buffer::new().format(n));
        out.push_str(",\n");
    }
    field(&mut out, "message");
    quote(&mut out, &d.message);
    out.push_str(",\n");
    field(&mut out, "suggestion");
    match &d.suggestion {
        Some(s) => quote(&mut out, s),
        None => out.push_str("null"),
    }
    out.push('\n');
    out.push_str(pad);
    out.push('}');
    out
}

/// `text` as a JSON string, escaped as serde_json escapes it.
fn quote(out: &mut String, text: &str) {
    if !text.bytes().any(|b| b < 0x20) && memchr::memchr2(b'"', b'\\', text.as_bytes()).is_none() {
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        out.push_str(&serde_json::Value::from(text).to_string());
    }
}

pub fn render(checked: &[Checked<'_>]) -> String {
    stream::to_string(|w| write(checked, w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for text in [
            "plain",
            "say \"hi\"",
            r"back\slash",
            "tab\tand\nnewline\u{1}",
            "üñíçødé ✓",
            "",
        ] {
            let mut out = String::new();
            quote(&mut out, text);
            assert_eq!(out, serde_json::Value::from(text).to_string());
        }
    }
}
