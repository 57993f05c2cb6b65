//! `duplicate-chapter`: two chapters that say the same.

use crate::check::rules::{Example::Files, File::Text, Reads};
use crate::check::{Check, Diagnostic, GuideContext, RuleId};
use std::collections::BTreeMap;

declare_rule! {
    /// A chapter that is the same as another, byte for byte or but for line
    /// endings, trailing spaces and blank lines: a copy left behind, which
    /// readers find instead of the chapter kept up to date. The later
    /// chapter in reading order is reported, naming the first. Chapters
    /// with nothing in them, and a symbolic link to a chapter (the same
    /// chapter under a second name, on purpose), are not compared.
    DuplicateChapter {
        id: "duplicate-chapter",
        default: Warning,
        fails: Files(&[
            Text("install-sharepoint.md", "# Install SharePoint\n\nRun the prerequisite installer, then setup.\n"),
            Text("install-sharepoint-server.md", "# Install SharePoint\n\nRun the prerequisite installer, then setup.\n"),
        ]),
        passes: Files(&[
            Text("install-sharepoint.md", "# Install SharePoint\n\nRun the prerequisite installer, then setup.\n"),
        ]),
    }
}

impl Check for DuplicateChapter {
    fn guide_reads(&self) -> Reads {
        Reads::TEXT
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        let mut first: BTreeMap<(u64, u64), usize> = BTreeMap::new();
        for (i, c) in cx.chapters.iter().enumerate() {
            let Some(seen) = c.fingerprint.seen else {
                continue;
            };
            if cx.is_toc(&c.path) || c.path.ends_with(".yml") {
                continue;
            }
            let at = *first.entry(seen).or_insert(i);
            let Some(earlier) = cx.chapters.get(at).filter(|_| at != i) else {
                continue;
            };
            // A symbolic link to a chapter is that chapter under a second
            // name on purpose, not a copy. (Asked only of the few chapters
            // found twice.)
            let linked = |path: &str| {
                std::fs::symlink_metadata(cx.book.src_dir.join(path))
                    .is_ok_and(|m| m.file_type().is_symlink())
            };
            if linked(&c.path) || linked(&earlier.path) {
                continue;
            }
            let how = if earlier.fingerprint.bytes == c.fingerprint.bytes {
                "byte for byte"
            } else {
                "but for line endings, trailing spaces and blank lines"
            };
            let name = crate::text::paths::relative(&c.path, &earlier.path);
            out.push(
                Diagnostic::at_line(
                    RuleId::DuplicateChapter,
                    &c.path,
                    1,
                    format!("chapter is the same as `{name}`, {how}"),
                )
                .about(&earlier.path)
                .help(format!(
                    "delete one of the two and link to the other, or make each say what it is for (`{}` comes first in reading order)",
                    earlier.path
                )),
            );
        }
    }
}
