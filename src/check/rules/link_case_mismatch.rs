//! `link-case-mismatch`: a link whose target exists only with other letter
//! case works on Windows and macOS and breaks on Linux and Git hosts.

use crate::check::index::Resolved;
use crate::check::{ChapterContext, Check, Diagnostic, RuleId, edits};
use crate::check::rules::{Example::Files, File::Text};

declare_rule! {
    /// A link whose target exists only with different letter case: it works on
    /// Windows and macOS, and breaks on Linux and on Git hosts. In a DocFX
    /// tree (a `docfx.json` at the root or a folder below it) it is a
    /// warning by default: Microsoft Learn serves paths whatever their case.
    ///
    /// In a DocFX tree one wrongly cased folder or file name is reported
    /// once: every link that writes the same path segment the same wrong way
    /// (two thousand `[!code-cpp[…](codesnippet/cpp/…)]` links into a folder
    /// named `CPP`) is one finding, at the first such link in report order,
    /// saying "and N more links write `docs/mfc/codesnippet/cpp` this way".
    /// The others are counted in the closing line and in `--statistics`,
    /// listed as `repeats` in the JSON report, and `--fix` mends every one
    /// of them. Elsewhere each link is its own finding.
    LinkCaseMismatch {
        id: "link-case-mismatch",
        default: Error,
        fails: Files(&[
            Text("sync.md", "Install [SQL Server](install-SQL-server.md) first.\n"),
            Text("Install-SQL-server.md", "# Install SQL Server\n"),
        ]),
        passes: Files(&[
            Text("sync.md", "Install [SQL Server](Install-SQL-server.md) first.\n"),
            Text("Install-SQL-server.md", "# Install SQL Server\n"),
        ]),
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
            if cx.site.docfx {
                d = d.fold(wrong_segment(&chapter.path, &link.path, actual), |n, key| {
                    let (s, verb) = if n == 1 { ("", "writes") } else { ("s", "write") };
                    format!("{n} more link{s} {verb} `{key}` this way")
                });
            }
            if let Some((start, end, dest)) = edits::destination(link, &fixed_path) {
                d = d.fix(start, end, dest);
            }
            out.push(d);
        }
    }
}

/// The path of `written` (a link in the file `from`) up to and including
/// its first segment whose case differs from `actual`'s: what the links
/// that make one mistake share (`docs/mfc/codesnippet/cpp`).
fn wrong_segment(from: &str, written: &str, actual: &str) -> String {
    let Some(resolved) = crate::text::paths::resolve(from, written) else {
        return actual.to_string();
    };
    let mut upto = Vec::new();
    for (w, a) in resolved.split('/').zip(actual.split('/')) {
        upto.push(w);
        if w != a {
            return upto.join("/");
        }
    }
    actual.to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_wrong_segment_is_the_path_up_to_the_first_that_differs() {
        assert_eq!(
            super::wrong_segment(
                "docs/mfc/a.md",
                "codesnippet/cpp/x.cpp",
                "docs/mfc/codesnippet/CPP/x.cpp"
            ),
            "docs/mfc/codesnippet/cpp"
        );
        assert_eq!(
            super::wrong_segment("a/b.md", "../C1.md", "c1.md"),
            "C1.md"
        );
    }
}
