//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning takes it: the
//! rules with their help text, results with `ruleId`, `level`, a region in
//! 1-based lines and character columns, URIs relative to the working
//! directory.

use super::stream::Findings;
use super::{Checked, stream};
use crate::check::Severity;
use crate::check::rules::RULES;
use serde::Serialize;
use serde_json::json;

pub fn render(checked: &[Checked<'_>]) -> String {
    stream::to_string(|w| write(checked, w))
}

pub fn write<W: std::io::Write + ?Sized>(
    checked: &[Checked<'_>],
    w: &mut W,
) -> std::io::Result<()> {
    let rules: Vec<_> = RULES
        .iter()
        .map(|r| {
            let r = r.meta();
            let summary = r.summary();
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": {"text": summary},
                "fullDescription": {"text": summary},
                "help": {
                    "text": format!("{}\n\nReported:\n{}\n\nPasses:\n{}", summary, r.fails, r.passes),
                    "markdown": format!("{}\n\nReported:\n\n```markdown\n{}\n```\n\nPasses:\n\n```markdown\n{}\n```", summary, r.fails, r.passes),
                },
                "defaultConfiguration": {"level": level(r.default)},
                "properties": {"tags": ["documentation"]},
            })
        })
        .collect();
    let doc = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: json!({"driver": {
                "name": "runsheet",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }}),
            column_kind: "unicodeCodePoints",
            results: Findings(checked, result),
        }],
    };
    serde_json::to_writer_pretty(&mut *w, &doc).map_err(std::io::Error::from)?;
    w.write_all(b"\n")
}

#[derive(Serialize)]
#[serde(bound(serialize = "Findings<'a, F>: Serialize"))]
struct Log<'a, F> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a, F>; 1],
}

#[derive(Serialize)]
#[serde(bound(serialize = "Findings<'a, F>: Serialize"))]
struct Run<'a, F> {
    tool: serde_json::Value,
    #[serde(rename = "columnKind")]
    column_kind: &'static str,
    results: Findings<'a, F>,
}

fn result(c: &Checked<'_>, d: &crate::check::Diagnostic) -> serde_json::Value {
    let mut text = d.message.clone();
    if let Some(h) = &d.help {
        // The help is a sentence of its own after the message.
        text.push_str(". ");
        let mut chars = h.chars();
        text.extend(chars.next().map(|c| c.to_ascii_uppercase()));
        text.push_str(chars.as_str());
    }
    let end_column = if d.end_line == d.line && d.end_column <= d.column {
        d.column + 1
    } else {
        d.end_column.max(1)
    };
    json!({
        "ruleId": d.rule.as_str(),
        "ruleIndex": d.rule as usize,
        "level": level(d.severity),
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri(&c.display_path(&d.file))},
                "region": {
                    "startLine": d.line,
                    "startColumn": d.column,
                    "endLine": d.end_line.max(d.line),
                    "endColumn": end_column,
                }
            }
        }],
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A relative URI reference: `/`-separated, with characters outside the
/// unreserved and path sets percent-encoded.
fn uri(path: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const PATH: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'/')
        .remove(b'!')
        .remove(b'$')
        .remove(b'&')
        .remove(b'\'')
        .remove(b'(')
        .remove(b')')
        .remove(b'*')
        .remove(b'+')
        .remove(b',')
        .remove(b';')
        .remove(b'=')
        .remove(b':')
        .remove(b'@');
    utf8_percent_encode(path, PATH).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_escape_spaces_and_keep_slashes() {
        assert_eq!(super::uri("docs/my file.md"), "docs/my%20file.md");
    }
}
