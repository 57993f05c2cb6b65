//! `summary-missing-file`: every SUMMARY.md entry names a file that exists.

use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::model::ProblemKind;
use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};

declare_rule! {
    /// An entry in SUMMARY.md whose file does not exist.
    SummaryMissingFile {
        id: "summary-missing-file",
        default: Error,
        fails: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Install the portal](install-mim-service-portal.md)\n"),
            Text("src/install-mim-portal.md", "# Install the portal\n"),
        ]),
        passes: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Install the portal](install-mim-portal.md)\n"),
            Text("src/install-mim-portal.md", "# Install the portal\n"),
        ]),
    }
}

impl Check for SummaryMissingFile {
    fn guide_reads(&self) -> Reads {
        Reads::PROBLEMS
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for p in cx
            .problems
            .iter()
            .filter(|p| p.kind == ProblemKind::SummaryMissingFile)
        {
            let mut d = Diagnostic::at_line(RuleId::SummaryMissingFile, &p.file, p.line, p.message.clone());
            if let Some(entry) = cx
                .book
                .summary
                .as_ref()
                .and_then(|s| s.entries.iter().find(|e| e.line == p.line && !e.exists))
            {
                // Point at the destination as written on the entry's line.
                if let Some(at) = entry.destination {
                    d.column = at.column;
                    d.end_column = at.end_column;
                }
                // A file in a folder runsheet could not open may be there.
                let closed = cx.problems_of(ProblemKind::UnreadableFile).any(|u| {
                    entry
                        .path
                        .strip_prefix(u.file.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
                });
                d = match cx.files.suggest_file(&entry.path).as_slice() {
                    _ if closed => d.help("let the user running runsheet read the folder"),
                    [only] => d.help(format!("did you mean `{only}`?")).suggest(*only),
                    _ => d.help("create the file, or fix the path in SUMMARY.md"),
                };
            }
            out.push(d);
        }
    }
}
