//! `broken-link`, `link-case-mismatch`, `broken-anchor`, `link-outside-root`
//! and `undefined-reference`: one pass over a chapter's links.
//!
//! External links (`http:`, `mailto:`, `//host` …) are never checked:
//! runsheet works offline. A site-absolute link (`/docs/x.md`) is checked
//! when the root holds its target and otherwise left alone, since only the
//! publishing system knows where the site's root is.

use crate::check::index::{Files, Resolved};
use crate::check::{Context, Diagnostic};
use crate::model::{Chapter, Link, LinkKind};
use crate::text::paths::relative;
use crate::text::suggest::closest;

/// What [`check`] found in one chapter besides diagnostics.
#[derive(Default)]
pub struct Reached {
    /// Every other file a link reaches (exactly or but for case), by its
    /// [`Files::id`], for the rules that look for what nothing links to.
    pub files: Vec<u32>,
    /// Links (indices into `Chapter::links`) into another chapter with a
    /// `#fragment`: their anchors are checked by [`check_fragments`] once
    /// every chapter is read.
    pub fragments: Vec<usize>,
}

/// The links of one chapter, against the guide's files: that each target
/// exists as written, and each `#fragment` into this same chapter.
/// Needs no other chapter, so it runs while the book is being read.
pub fn check(files: &Files, chapter: &Chapter, out: &mut Vec<Diagnostic>) -> Reached {
    let mut reached = Reached::default();
    let mut own: Option<Vec<&str>> = None;
    for (i, link) in chapter.links.iter().enumerate() {
        // An autolink `<…>` is a URL or an email address, never a file.
        if link.is_external() || link.kind == LinkKind::Autolink {
            continue;
        }
        // Into this chapter: a bare `#anchor`, or a path to this file.
        let here = match check_file(files, chapter, link, out) {
            None => link.path.is_empty(),
            Some((target, _)) if target == chapter.path => true,
            Some((_, id)) => {
                reached.files.push(id);
                if link.fragment.is_some() {
                    reached.fragments.push(i);
                }
                false
            }
        };
        if here && let Some(fragment) = &link.fragment {
            let anchors = own.get_or_insert_with(|| own_anchors(chapter));
            check_anchor(chapter, link, &chapter.path, anchors, fragment, out);
        }
    }
    reached
}

/// The anchors of links into other chapters: the links [`check`] left,
/// against the whole guide's index.
pub fn check_fragments(
    cx: &Context<'_>,
    chapter: &Chapter,
    links: &[usize],
    out: &mut Vec<Diagnostic>,
) {
    for &i in links {
        let Some(link) = chapter.links.get(i) else {
            continue;
        };
        let Some(fragment) = &link.fragment else {
            continue;
        };
        let (Resolved::File(target, _) | Resolved::CaseMismatch(target, _)) =
            cx.index.resolve(&chapter.path, &link.path)
        else {
            continue;
        };
        // Only Markdown files have anchors runsheet can know.
        if let Some(anchors) = cx.index.anchors(target) {
            check_anchor(chapter, link, target, anchors, fragment, out);
        }
    }
}

/// Every id a link into `chapter` can name, read from its headings while
/// they are still there.
fn own_anchors(chapter: &Chapter) -> Vec<&str> {
    if !chapter.anchors.is_empty() {
        return chapter.anchors.iter().map(String::as_str).collect();
    }
    chapter
        .headings
        .iter()
        .map(|h| h.anchor.as_str())
        .chain(chapter.html_anchors.iter().map(|a| a.id.as_str()))
        .collect()
}

/// `undefined-reference`: needs only the chapter itself.
pub fn check_references(chapter: &Chapter, out: &mut Vec<Diagnostic>) {
    for r in &chapter.undefined_references {
        out.push(
            Diagnostic::at(
                "undefined-reference",
                &chapter.path,
                r.span,
                format!("reference `[{}]` has no definition", r.label),
            )
            .help(format!(
                "add a definition line such as `[{}]: target.md`, or write the link inline",
                r.label
            )),
        );
    }
}

/// Check where one link leads; returns the file it reaches and its id, if
/// any (its anchor is for the caller).
fn check_file<'f>(
    files: &'f Files,
    chapter: &Chapter,
    link: &Link,
    out: &mut Vec<Diagnostic>,
) -> Option<(&'f str, u32)> {
    let what = if link.kind == LinkKind::Image {
        "image"
    } else {
        "link"
    };
    if link.path.is_empty() {
        return None;
    }
    let absolute = link.path.starts_with('/');
    match files.resolve(&chapter.path, &link.path) {
        Resolved::File(target, id) => Some((target, id)),
        Resolved::Dir(_) => None,
        Resolved::CaseMismatch(actual, id) => {
            let fixed_path = recase(&link.path, actual);
            let mut d = Diagnostic::at(
                "link-case-mismatch",
                &chapter.path,
                chapter.link_span(link),
                format!("{what} target `{}` exists only as `{}`: the link breaks on case-sensitive systems", link.path, actual),
            )
            .help(format!("write `{fixed_path}`"));
            if let Some((start, end, dest)) = destination_edit(chapter, link, &fixed_path) {
                d = d.fix(start, end, dest);
            }
            out.push(d);
            Some((actual, id))
        }
        Resolved::Missing(_) if absolute => None,
        Resolved::Missing(target) => {
            let candidates = files.suggest_file(&target);
            let mut d = Diagnostic::at(
                "broken-link",
                &chapter.path,
                chapter.link_span(link),
                format!("{what} target `{}` does not exist", link.path),
            );
            match candidates.as_slice() {
                [] => {}
                [only] => {
                    let new_path = rewrite_path(&link.path, &chapter.path, only);
                    d = d.help(format!("did you mean `{new_path}`?"));
                    d = match destination_edit(chapter, link, &new_path) {
                        Some((start, end, dest)) => d.fix(start, end, dest),
                        None => d.suggest(new_path),
                    };
                }
                many => {
                    let names: Vec<String> = many
                        .iter()
                        .take(3)
                        .map(|c| format!("`{}`", rewrite_path(&link.path, &chapter.path, c)))
                        .collect();
                    d = d.help(format!("did you mean {}?", names.join(" or ")));
                }
            }
            out.push(d);
            None
        }
        Resolved::Outside => {
            out.push(
                Diagnostic::at(
                    "link-outside-root",
                    &chapter.path,
                    chapter.link_span(link),
                    format!("{what} `{}` leaves the folder being checked", link.path),
                )
                .help("link to a file inside the book, or use a full URL for anything outside it"),
            );
            None
        }
    }
}

fn check_anchor<S: AsRef<str>>(
    chapter: &Chapter,
    link: &Link,
    target: &str,
    anchors: &[S],
    fragment: &str,
    out: &mut Vec<Diagnostic>,
) {
    // `#top` and an empty fragment always work in a browser.
    // `#tab/name` in a heading link is DocFX's syntax for tabbed content,
    // not an anchor.
    if fragment.is_empty()
        || fragment == "top"
        || fragment.starts_with("tab/")
        || anchors.iter().any(|a| a.as_ref() == fragment)
    {
        return;
    }
    let in_file = if target == chapter.path {
        "this file".to_string()
    } else {
        format!("`{target}`")
    };
    let mut d = Diagnostic::at(
        "broken-anchor",
        &chapter.path,
        chapter.link_span(link),
        format!("anchor `#{fragment}` does not exist in {in_file}"),
    );
    // An id can be both a heading's and an HTML anchor's: count it once.
    let mut sorted: Vec<&str> = anchors.iter().map(AsRef::as_ref).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let folded = fragment.to_lowercase();
    let case_only: Vec<&str> = sorted
        .iter()
        .copied()
        .filter(|a| a.to_lowercase() == folded)
        .collect();
    let best: Vec<&str> = if case_only.len() == 1 {
        case_only
    } else {
        closest(&folded, sorted.into_iter().map(|a| (a.to_string(), a)), 0.6)
    };
    match best.as_slice() {
        [] => {}
        [only] => {
            d = d.help(format!("did you mean `#{only}`?"));
            if let Some((start, end, dest)) = fragment_edit(chapter, link, only) {
                d = d.fix(start, end, dest);
            }
            // The suggestion names the anchor as the help does, whether or
            // not the fix could locate the fragment in the source.
            d = d.suggest(format!("#{only}"));
        }
        many => {
            let mut names: Vec<String> = many.iter().take(3).map(|a| format!("`#{a}`")).collect();
            names.sort();
            d = d.help(format!("did you mean {}?", names.join(" or ")));
        }
    }
    out.push(d);
}

/// The byte edit that makes the link point at `new_path`, keeping its
/// fragment and the way it was written.
fn destination_edit(
    _chapter: &Chapter,
    link: &Link,
    new_path: &str,
) -> Option<(usize, usize, String)> {
    let span = link.dest_span.clone()?;
    let path_end = link.dest_path_end?;
    // A destination written with a space is inside `<…>`, where spaces may
    // stay; anywhere else a space would end the destination and unmake the
    // link, so it is written `%20`.
    let encoded = if link.destination.contains(' ') {
        new_path.to_string()
    } else {
        new_path.replace(' ', "%20")
    };
    Some((span.start, path_end, encoded))
}

fn fragment_edit(_chapter: &Chapter, link: &Link, anchor: &str) -> Option<(usize, usize, String)> {
    let span = link.dest_span.clone()?;
    let start = link.dest_fragment_start?;
    Some((start, span.end, anchor.to_string()))
}

/// Keep the written path's folders and `..`s; swap in the right-cased
/// trailing components from `actual`.
fn recase(written: &str, actual: &str) -> String {
    let mut parts: Vec<String> = written.split('/').map(str::to_string).collect();
    let actual_parts: Vec<&str> = actual.split('/').collect();
    let mut a = actual_parts.len();
    for p in parts.iter_mut().rev() {
        if p.is_empty() || p == "." || p == ".." || a == 0 {
            break;
        }
        a -= 1;
        *p = actual_parts[a].to_string();
    }
    parts.join("/")
}

/// The path to write for a suggested file: same folder as written when the
/// file is a sibling, else a path relative to the chapter.
fn rewrite_path(written: &str, from: &str, suggested: &str) -> String {
    let (written_dir, _) = written.rsplit_once('/').unwrap_or(("", written));
    let (_, name) = suggested.rsplit_once('/').unwrap_or(("", suggested));
    let sibling = crate::text::paths::resolve(
        from,
        format!("{written_dir}/{name}").trim_start_matches('/'),
    );
    if sibling.as_deref() == Some(suggested) {
        if written_dir.is_empty() {
            name.to_string()
        } else {
            format!("{written_dir}/{name}")
        }
    } else {
        relative(from, suggested)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recase_keeps_the_written_folders() {
        assert_eq!(
            recase("../media/Shot.PNG", "docs/media/shot.png"),
            "../media/shot.png"
        );
        assert_eq!(
            recase("install-SQL-server.md", "Install-SQL-server.md"),
            "Install-SQL-server.md"
        );
    }

    #[test]
    fn suggestions_keep_the_written_folder() {
        assert_eq!(
            rewrite_path("sub/nstalling.md", "a.md", "sub/installing.md"),
            "sub/installing.md"
        );
        assert_eq!(
            rewrite_path("nstalling.md", "a/b.md", "a/installing.md"),
            "installing.md"
        );
        assert_eq!(rewrite_path("x.md", "a/b.md", "c/x.md"), "../c/x.md");
    }
}
