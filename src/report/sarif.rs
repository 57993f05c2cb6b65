//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning takes it: the
//! rules with their help text, results with `ruleId`, `level`, a region in
//! 1-based lines and character columns, URIs relative to the working
//! directory.

use super::{Checked, stream};
use crate::check::Severity;
use crate::check::rules::RULES;
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
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {
                    "text": format!("{}\n\nReported:\n{}\n\nPasses:\n{}", r.summary, r.fails, r.passes),
                    "markdown": format!("{}\n\nReported:\n\n```markdown\n{}\n```\n\nPasses:\n\n```markdown\n{}\n```", r.summary, r.fails, r.passes),
                },
                "defaultConfiguration": {"level": level(r.default)},
                "properties": {"tags": ["documentation"]},
            })
        })
        .collect();
    let result = |c: &Checked<'_>, d: &crate::check::Diagnostic| {
        let rule_index = RULES.iter().position(|r| r.id == d.rule).unwrap_or(0);
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
            "ruleId": d.rule,
            "ruleIndex": rule_index,
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
    };
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "runsheet",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": stream::array_marker(),
        }],
    });
    stream::json_with_array(w, &doc, &stream::all(checked), |c, d, pad| {
        stream::pretty(&result(c, d), pad)
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
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_escape_spaces_and_keep_slashes() {
        assert_eq!(super::uri("docs/my file.md"), "docs/my%20file.md");
    }
}
