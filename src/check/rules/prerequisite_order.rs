//! `prerequisite-order`: each prerequisite is read before the chapter that
//! needs it. Reading order is only defined where SUMMARY.md sets it.

use crate::check::prerequisites::edges;
use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};

declare_rule! {
    /// A prerequisite that points to a chapter read later in the book.
    PrerequisiteOrder {
        id: "prerequisite-order",
        default: Warning,
        fails: Files(&[
            BOOK_TOML,
            Text(
                "src/SUMMARY.md",
                "# Summary\n\n- [Install the service](install-service.md)\n- [Install SQL Server](install-sql.md)\n",
            ),
            Text(
                "src/install-service.md",
                "# Install the service\n\n## Prerequisites\n\n- [Install SQL Server](install-sql.md)\n",
            ),
            Text("src/install-sql.md", "# Install SQL Server\n"),
        ]),
        passes: Files(&[
            BOOK_TOML,
            Text(
                "src/SUMMARY.md",
                "# Summary\n\n- [Install SQL Server](install-sql.md)\n- [Install the service](install-service.md)\n",
            ),
            Text("src/install-sql.md", "# Install SQL Server\n"),
            Text(
                "src/install-service.md",
                "# Install the service\n\n## Prerequisites\n\n- [Install SQL Server](install-sql.md)\n",
            ),
        ]),
    }
}

impl Check for PrerequisiteOrder {
    fn guide_reads(&self) -> Reads {
        Reads::PREREQUISITES.and(Reads::ENVIRONMENTS)
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        if cx.book.summary.is_none() {
            return;
        }
        let chapters = cx.chapters;
        for edge in edges(cx).iter().flatten() {
            let (Some(c), Some(target)) = (chapters.get(edge.from), chapters.get(edge.to)) else {
                continue;
            };
            if edge.to > edge.from && c.listed && target.listed {
                out.push(
                    Diagnostic::at(
                        RuleId::PrerequisiteOrder,
                        &c.path,
                        edge.link.span,
                        format!(
                            "prerequisite `{}` comes after this chapter in reading order",
                            target.path
                        ),
                    )
                    .help("move the prerequisite earlier in SUMMARY.md, or drop it from the list"),
                );
            }
        }
    }
}
