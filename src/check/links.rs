//! Where each link of a chapter leads, worked out once per chapter for
//! every rule that reads links (broken links and anchors, case, links out
//! of the book, what nothing links to).
//!
//! External links (`http:`, `mailto:`, `//host` …) and autolinks are never
//! resolved: runsheet works offline.

use super::index::{Files, Resolved};
use crate::model::{Chapter, LinkKind};

/// Per link of `chapter`, by index: where it leads among `files`, or
/// `None` when it is not a link to a local path.
pub fn targets<'f>(files: &'f Files, chapter: &Chapter) -> Vec<Option<Resolved<'f>>> {
    chapter
        .links
        .iter()
        .map(|link| {
            // An autolink `<…>` is a URL or an email address, never a file.
            if link.is_external() || link.kind == LinkKind::Autolink || link.path.is_empty() {
                return None;
            }
            Some(files.resolve(&chapter.path, &link.path))
        })
        .collect()
}

/// Whether a link with `target` (from [`targets`]) and this `path` points
/// into `chapter` itself: a bare `#anchor`, or a path to its own file.
pub fn into_own_chapter(chapter: &Chapter, path: &str, target: Option<&Resolved<'_>>) -> bool {
    match target {
        None => path.is_empty(),
        Some(Resolved::File(t, _) | Resolved::CaseMismatch(t, _)) => *t == chapter.path,
        Some(_) => false,
    }
}
