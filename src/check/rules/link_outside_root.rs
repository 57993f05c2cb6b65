//! `link-outside-root`: a relative link that climbs out of the folder being
//! checked breaks once the book is published on its own.

use crate::check::index::Resolved;
use crate::check::{ChapterContext, Check, Diagnostic, RuleId};

declare_rule! {
    /// A relative link that climbs out of the book or folder being checked, so
    /// it breaks once the book is published on its own.
    LinkOutsideRoot {
        id: "link-outside-root",
        default: Error,
        fails: "[Licence](../../LICENSE)",
        passes: "[Licence](https://example.com/LICENSE)",
    }
}

impl Check for LinkOutsideRoot {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let chapter = cx.chapter;
        for (link, target) in cx.links() {
            if !matches!(target, Some(Resolved::Outside)) {
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
                .help("link to a file inside the book, or use a full URL for anything outside it"),
            );
        }
    }
}
