//! `link-outside-root`: a relative link that climbs out of the folder being
//! checked breaks once the book is published on its own.

use crate::check::index::Resolved;
use crate::check::{ChapterContext, Check, Diagnostic, RuleId};
use crate::check::rules::Example::Markdown;

declare_rule! {
    /// A relative link that climbs out of the book or folder being checked, so
    /// it breaks once the book is published on its own. Links to a site
    /// published beside the book (the Rust book's `../std/`) are not
    /// reported once their prefix is listed in `published-beside`, written
    /// from the book's source folder, the root of the published book: one
    /// entry `../std/` serves `../std/…` from a top-level chapter and
    /// `../../std/…` from a chapter one folder down. Any link
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
            if published_beside(&cx.settings.published_beside, &chapter.path, &link.path) {
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
                     list its prefix as seen from the book's source folder: `published-beside = [\"../std/\"]` under `[preprocessor.runsheet]` \
                     in book.toml (or in runsheet.toml); `ignore-links = [\"../../LICENSE\"]` there \
                     leaves link paths unchecked, `exclude = [\"drafts/**\"]` files unreported",
                ),
            );
        }
    }
}

/// Whether the link `path`, written in the chapter `from`, leads into a
/// site published beside the book: the path from the book's source folder
/// (`../../std/x` from `a/b.md` is `../std/x`) starts with a prefix, itself
/// read from the source folder. A prefix also matches the link as written,
/// as it did before prefixes were read from the source folder.
fn published_beside(prefixes: &[String], from: &str, path: &str) -> bool {
    if prefixes.is_empty() {
        return false;
    }
    let folder = crate::text::paths::folder(from);
    let from_root = if folder.is_empty() {
        crate::text::paths::normalise(path)
    } else {
        crate::text::paths::normalise(&format!("{folder}/{path}"))
    };
    let written = path.trim_start_matches("./");
    prefixes.iter().any(|p| {
        let mut prefix = crate::text::paths::normalise(p);
        if p.ends_with('/') && !prefix.ends_with('/') {
            prefix.push('/');
        }
        from_root.starts_with(&prefix) || written.starts_with(p.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_read_from_the_source_folder() {
        let beside = ["../std/".to_string(), "../rustc/".to_string()];
        assert!(published_beside(&beside, "ch01.md", "../std/index.html"));
        assert!(published_beside(&beside, "a/b.md", "../../rustc/x.html"));
        assert!(published_beside(&beside, "a/b/c.md", "./../../../std/x.html"));
        assert!(!published_beside(&beside, "a/b.md", "../../stdx/x.html"));
        assert!(!published_beside(&beside, "ch01.md", "../../std/x.html"));
        assert!(!published_beside(&beside, "ch01.md", "../stdlib/x.html"));
    }
}
