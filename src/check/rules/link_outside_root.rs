//! `link-outside-root`: a relative link that climbs out of the folder being
//! checked breaks once the book is published on its own.

use crate::check::index::Resolved;
use crate::check::{ChapterContext, Check, Diagnostic, RuleId};
use crate::check::rules::Example::Markdown;

declare_rule! {
    /// A relative link that climbs out of the book or folder being checked, so
    /// it breaks once the book is published on its own. Links to a site
    /// published beside the book (the Rust book's `../std/`) are not
    /// reported once their prefix is listed in `published-beside`; any link
    /// path can be left unchecked with `ignore-links` patterns, and files
    /// left unreported with `exclude` patterns.
    LinkOutsideRoot {
        id: "link-outside-root",
        default: Error,
        fails: Markdown("See [the licence](../../LICENSE).\n"),
        passes: Markdown("See [the licence](https://example.com/LICENSE).\n"),
    }
}

impl Check for LinkOutsideRoot {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let chapter = cx.chapter;
        for (link, target) in cx.links() {
            if !matches!(target, Some(Resolved::Outside)) {
                continue;
            }
            let written = link.path.trim_start_matches("./");
            if cx
                .settings
                .published_beside
                .iter()
                .any(|p| written.starts_with(p.as_str()))
            {
                continue;
            }
            let what = link.noun();
            out.push(
                Diagnostic::at(
                    RuleId::LinkOutsideRoot,
                    &chapter.path,
                    link.span,
                    format!("{what} `{}` leaves the folder being checked", link.path),
                )
                .help(
                    "link to a file inside the book, use a full URL, or, for a site published beside the book, \
                     list its prefix: `published-beside = [\"../std/\"]` under `[preprocessor.runsheet]` \
                     in book.toml (or in runsheet.toml); `ignore-links = [\"../../LICENSE\"]` there \
                     leaves link paths unchecked, `exclude = [\"drafts/**\"]` files unreported",
                ),
            );
        }
    }
}
