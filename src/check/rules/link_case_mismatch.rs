//! `link-case-mismatch`: a link whose target exists only with other letter
//! case works on Windows and macOS and breaks on Linux and Git hosts.

use crate::check::index::Resolved;
use crate::check::{ChapterContext, Check, Diagnostic, RuleId, edits};

declare_rule! {
    /// A link whose target exists only with different letter case: it works on
    /// Windows and macOS, and breaks on Linux and on Git hosts. In a DocFX
    /// tree (a `docfx.json` at the root or a folder below it) it is a
    /// warning by default: Microsoft Learn serves paths whatever their case.
    LinkCaseMismatch {
        id: "link-case-mismatch",
        default: Error,
        fails: "[SQL Server](install-SQL-server.md)   <!-- the file is Install-SQL-server.md -->",
        passes: "[SQL Server](Install-SQL-server.md)",
    }
}

impl Check for LinkCaseMismatch {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let chapter = cx.chapter;
        for (link, target) in cx.links() {
            let Some(Resolved::CaseMismatch(actual, _)) = target else {
                continue;
            };
            let what = link.noun();
            let fixed_path = edits::recase(&link.path, actual);
            let mut d = Diagnostic::at(
                RuleId::LinkCaseMismatch,
                &chapter.path,
                link.span,
                format!(
                    "{what} target `{}` exists only as `{actual}`: the link breaks on case-sensitive systems",
                    link.path
                ),
            )
            .help(format!("write `{fixed_path}`"))
            .about(actual);
            if let Some((start, end, dest)) = edits::destination(link, &fixed_path) {
                d = d.fix(start, end, dest);
            }
            out.push(d);
        }
    }
}
