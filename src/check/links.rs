//! Where each link of a chapter leads, worked out once per chapter for
//! every rule that reads links (broken links and anchors, case, links out
//! of the book, what nothing links to).
//!
//! External links (`http:`, `mailto:`, `//host` …) and autolinks are never
//! resolved: runsheet works offline.

use super::Settings;
use super::index::{Files, Resolved};
use crate::docfx::{Site, SitePath};
use crate::model::{Chapter, LinkKind};

/// Per link of `chapter`, by index: where it leads among `files`, or
/// `None` when it is not a link to a local path. In a DocFX tree, a link
/// written as the site sees it (`/cpp/build/x`, `~/media/x.png`) leads
/// where the tree's docsets say: to a file of the tree, or to another
/// site. A link the `ignore-links` setting names is not a local path, nor
/// is a name a preprocessor the check does not see may rewrite (see
/// [`super::preprocessed`]).
pub fn targets<'f>(
    files: &'f Files,
    settings: &Settings,
    site: &Site,
    chapter: &Chapter,
) -> Vec<Option<Resolved<'f>>> {
    chapter
        .links
        .iter()
        .map(|link| target(files, settings, site, &chapter.path, link))
        .collect()
}

/// Where one `link` written in the file `from` leads (see [`targets`]).
pub fn target<'f>(
    files: &'f Files,
    settings: &Settings,
    site: &Site,
    from: &str,
    link: &crate::model::Link,
) -> Option<Resolved<'f>> {
    // An autolink `<…>` is a URL or an email address, never a file.
    if link.is_external()
        || link.kind == LinkKind::Autolink
        || link.path.is_empty()
        || settings.ignore_links.matches(&link.path)
    {
        return None;
    }
    let resolved = match site.locate(from, &link.path) {
        SitePath::Not => files.resolve(from, &link.path),
        SitePath::InTree(path) => files.resolve_site(&path),
        SitePath::Elsewhere => Resolved::Elsewhere,
    };
    // A name a preprocessor the check does not see may turn into a link
    // is left to it (see `preprocessed`).
    if matches!(resolved, Resolved::Missing(_))
        && super::preprocessed::withholding(settings)
        && super::preprocessed::may_rewrite_path(&link.path, files)
    {
        return None;
    }
    Some(resolved)
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

/// mdBook's `{{#include path}}`, `{{#rustdoc_include path}}` and
/// `{{#playground path}}` in a chapter's `source`: the byte offset of each
/// path and the path without its `:anchor` or `:line` part. mdBook pulls
/// those files in when it builds, so they are used, and must exist. One
/// written `\{{#include …}}` is shown as text and left out.
pub fn includes(source: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    for at in memchr::memmem::find_iter(source.as_bytes(), b"{{#") {
        if source[..at].ends_with('\\') {
            continue;
        }
        let rest = &source[at + 3..];
        let Some(name_end) = rest.find(|c: char| c.is_whitespace()) else {
            continue;
        };
        if !matches!(
            &rest[..name_end],
            "include" | "rustdoc_include" | "playground"
        ) {
            continue;
        }
        let args = &rest[name_end..];
        let Some(close) = args.find("}}") else {
            continue;
        };
        let args = &args[..close];
        let trimmed = args.trim_start();
        let path = trimmed.split_whitespace().next().unwrap_or("");
        let path = path.split(':').next().unwrap_or("");
        if path.is_empty() {
            continue;
        }
        let offset = at + 3 + name_end + (args.len() - trimmed.len());
        found.push((offset, path));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_are_mdbooks_directives_without_their_anchors() {
        let text = "# A\n\n```rust\n{{#rustdoc_include ../listings/ch02/main.rs:all}}\n```\n\n{{#include part.md}}\n\\{{#include shown.md}}\n{{#title A}}\n{{ name }}\n";
        let found: Vec<&str> = includes(text).into_iter().map(|(_, p)| p).collect();
        assert_eq!(found, ["../listings/ch02/main.rs", "part.md"]);
        let (at, path) = includes(text)[1];
        assert_eq!(&text[at..at + path.len()], "part.md");
    }
}
