//! `--format junit`: one test case per checked file, failing with one
//! failure element per error (warnings are listed as system-out).

use super::Checked;
use crate::check::Severity;
use std::collections::BTreeMap;

pub fn write<W: std::io::Write + ?Sized>(
    checked: &[Checked<'_>],
    w: &mut W,
) -> std::io::Result<()> {
    w.write_all(render(checked).as_bytes())
}

pub fn render(checked: &[Checked<'_>]) -> String {
    let mut cases: BTreeMap<String, Vec<&crate::check::Diagnostic>> = BTreeMap::new();
    for c in checked {
        for ch in &c.guide.chapters {
            cases.entry(c.display_path(&ch.path)).or_default();
        }
        for d in &c.diagnostics {
            cases.entry(c.display_path(&d.file)).or_default().push(d);
        }
    }
    let failures = cases
        .values()
        .filter(|ds| ds.iter().any(|d| d.severity == Severity::Error))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"runsheet\" tests=\"{}\" failures=\"{failures}\">\n  <testsuite name=\"runsheet check\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">\n",
        cases.len(),
        cases.len()
    ));
    for (file, ds) in &cases {
        out.push_str(&format!(
            "    <testcase classname=\"runsheet.check\" name=\"{}\" file=\"{}\"",
            escape(file),
            escape(file)
        ));
        if ds.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        let mut warnings = String::new();
        for d in ds {
            let text = format!("{file}:{}:{}: {} [{}]", d.line, d.column, d.message, d.rule);
            match d.severity {
                Severity::Error => out.push_str(&format!(
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                    d.rule,
                    escape(&d.message),
                    escape(&text)
                )),
                Severity::Warning => {
                    warnings.push_str(&format!("warning: {text}\n"));
                }
            }
        }
        if !warnings.is_empty() {
            out.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                escape(&warnings)
            ));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}
