//! `summary-missing-file` and `summary-invalid`: SUMMARY.md as mdBook reads it.

use crate::check::{Context, Diagnostic};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in &cx.guide.problems {
        let rule = match p.kind.as_str() {
            "summary-missing-file" => "summary-missing-file",
            "summary-parse" | "summary-missing" => "summary-invalid",
            _ => continue,
        };
        let mut d = Diagnostic::at_line(rule, &p.file, p.line, p.message.clone());
        if rule == "summary-missing-file"
            && let Some(summary) = cx.guide.book.summary.as_ref()
            && let Some(entry) = summary
                .entries
                .iter()
                .find(|e| e.line == p.line && !e.exists)
        {
            // Point at the destination as written on the entry's line.
            if let Some(text) = summary.source.lines().nth(p.line.saturating_sub(1))
                && let Some(open) = text.find("](")
            {
                let rest = &text[open + 2..];
                let (start, len) = match rest.strip_prefix('<') {
                    Some(inner) => (open + 3, inner.find('>').unwrap_or(inner.len())),
                    None => (
                        open + 2,
                        rest.find(|c: char| c == ')' || c.is_whitespace())
                            .unwrap_or(rest.len()),
                    ),
                };
                let inner = &text[start..];
                d.column = text[..start].chars().count() + 1;
                d.end_column = d.column + inner[..len].chars().count();
            }
            let found = cx.index.suggest_file(&entry.path);
            d = match found.as_slice() {
                [only] => d.help(format!("did you mean `{only}`?")).suggest(*only),
                _ => d.help("create the file, or fix the path in SUMMARY.md"),
            };
        }
        out.push(d);
    }
}
