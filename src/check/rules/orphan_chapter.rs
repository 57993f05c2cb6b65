//! `orphan-chapter`: a Markdown file of an mdBook that SUMMARY.md leaves out
//! and no chapter links to.

use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::model::BookKind;
use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};

declare_rule! {
    /// A Markdown file in the book that SUMMARY.md leaves out and no chapter
    /// links to. The page mdBook renders for a missing page (`404.md`, or
    /// `input-404` under `[output.html]`) is not one.
    OrphanChapter {
        id: "orphan-chapter",
        default: Warning,
        fails: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Install](install.md)\n"),
            Text("src/install.md", "# Install\n"),
            Text("src/architecture.md", "# Architecture\n"),
        ]),
        passes: Files(&[
            BOOK_TOML,
            Text(
                "src/SUMMARY.md",
                "# Summary\n\n- [Install](install.md)\n- [Architecture](architecture.md)\n",
            ),
            Text("src/install.md", "# Install\n"),
            Text("src/architecture.md", "# Architecture\n"),
        ]),
    }
}

impl Check for OrphanChapter {
    fn guide_reads(&self) -> Reads {
        Reads::LINKS
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        if cx.book.kind != BookKind::Mdbook || cx.book.summary.is_none() {
            return;
        }
        let not_found = cx
            .book
            .config
            .as_ref()
            .and_then(|t| t.get("output")?.get("html")?.get("input-404")?.as_str())
            .unwrap_or("404.md");
        for c in cx.chapters.iter().filter(|c| !c.listed) {
            if !cx.is_summary(&c.path) && c.path != not_found && !cx.linked.contains(c.path.as_str()) {
                out.push(
                    Diagnostic::at_line(
                        RuleId::OrphanChapter,
                        &c.path,
                        1,
                        "SUMMARY.md leaves this chapter out and no chapter links to it",
                    )
                    .help("add it to SUMMARY.md, link to it, or delete it"),
                );
            }
        }
    }
}
