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
            && let Some(entry) = cx
                .guide
                .book
                .summary
                .as_ref()
                .and_then(|s| s.entries.iter().find(|e| e.line == p.line && !e.exists))
        {
            let found = cx.index.suggest_file(&entry.path);
            d = match found.as_slice() {
                [only] => d.help(format!("did you mean `{only}`?")).suggest(*only),
                _ => d.help("create the file, or fix the path in SUMMARY.md"),
            };
        }
        out.push(d);
    }
}
