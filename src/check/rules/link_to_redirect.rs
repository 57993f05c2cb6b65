//! `link-to-redirect`: a link to a file that a DocFX redirect file
//! (`.openpublishing.redirection*.json`) says has moved.

use crate::check::index::Resolved;
use crate::docfx::SitePath;
use crate::check::{ChapterContext, Check, Diagnostic, RuleId, edits};
use crate::check::rules::{Example::Files, File::Text};

declare_rule! {
    /// A link to a file that is gone from the tree because a redirect file
    /// moved it: the published site sends readers on, but the link should
    /// name the new place. Names the redirect's target. Such a link is not
    /// a `broken-link`.
    ///
    /// The redirect files are every `.openpublishing.redirection*.json` at
    /// the root or in a docset's folder and those that `redirection_files`
    /// lists in `.openpublishing.publish.config.json` (at its top or in a
    /// docset of `docsets_to_publish`) or in a `docfx.json`, read only
    /// inside the root. As DocFX reads them, a `source_path` is relative to
    /// the redirect file's folder and `source_path_from_root` to the root,
    /// and a `redirect_url` that is neither site-absolute nor a URL is
    /// relative to the page it moves. In a DocFX tree a link that names a
    /// moved page with other letter case is the same page: the site serves
    /// URLs whatever their case.
    /// A redirect's URL (`/cpp/build/new-page`) is a file of the tree
    /// when it starts with the URL path a docset is published under: the
    /// `site-path` setting, else the first `tocHref` of the breadcrumb file
    /// that `docfx.json`'s `globalMetadata.breadcrumb_path` names, else the
    /// docset's `build_output_subfolder`; `build.content` `src`/`dest`
    /// pairs say which folder serves which URL path.
    ///
    /// `--fix` rewrites the link to that file (a path relative to the
    /// linking file, fragment kept), following a redirect whose target was
    /// moved again, when the final target is a file of the tree; a target
    /// on another site or missing is never written, and no closest name is
    /// guessed in its place.
    LinkToRedirect {
        id: "link-to-redirect",
        default: Warning,
        fails: Files(&[
            Text(
                ".openpublishing.redirection.json",
                "{\"redirections\": [{\"source_path_from_root\": \"/docs/amp/overview.md\", \"redirect_url\": \"/cpp/parallel/overview\"}]}\n",
            ),
            Text("docs/index.md", "See [the overview](amp/overview.md).\n"),
        ]),
        passes: Files(&[
            Text(
                ".openpublishing.redirection.json",
                "{\"redirections\": [{\"source_path_from_root\": \"/docs/amp/overview.md\", \"redirect_url\": \"/cpp/parallel/overview\"}]}\n",
            ),
            Text("docs/index.md", "See [the overview](parallel/overview.md).\n"),
            Text("docs/parallel/overview.md", "# Overview\n"),
        ]),
    }
}

impl Check for LinkToRedirect {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        if cx.site.redirects.is_empty() {
            return;
        }
        let chapter = cx.chapter;
        for (link, target) in cx.links() {
            let Some(Resolved::Missing(target)) = target else {
                continue;
            };
            let Some((source, url)) = cx.site.redirect(target) else {
                continue;
            };
            let mut d = Diagnostic::at(
                RuleId::LinkToRedirect,
                &chapter.path,
                link.span,
                format!(
                    "{} target `{}` has moved: a redirect file sends it to `{url}`",
                    link.noun(),
                    link.path
                ),
            )
            .about(target);
            match moved_to(cx, source) {
                Some(file) => {
                    let new_path = crate::text::paths::relative(&chapter.path, file);
                    d = d.help(format!("link to `{new_path}`, the file published there"));
                    if let Some((start, end, dest)) = edits::destination(link, &new_path) {
                        d = d.fix(start, end, dest);
                    }
                }
                None => d = d.help(format!("link to `{url}` (or the file published there)")),
            }
            out.push(d);
        }
    }
}

/// The file of the tree the redirects send `moved` (a root-relative path)
/// to, following redirects of redirects; `None` when the last target is
/// on another site, missing, or the redirects go round.
fn moved_to<'f>(cx: &ChapterContext<'f>, moved: &str) -> Option<&'f str> {
    let mut at = moved.to_string();
    for _ in 0..16 {
        let (_, url) = cx.site.redirect(&at)?;
        let path = match cx.site.locate(&at, url) {
            SitePath::InTree(path) => path,
            // A relative URL whose page's URL is not known: from the
            // page's folder in the tree.
            SitePath::Not if crate::docfx::redirects::is_relative(url) => {
                let (path, _) = crate::markdown::split_destination(url);
                crate::text::paths::resolve(&at, &path)?
            }
            _ => return None,
        };
        match cx.files.resolve_site(&path) {
            Resolved::File(file, _) => return Some(file),
            Resolved::Missing(next) if cx.site.redirect(&next).is_some() => {
                at = next;
            }
            _ => return None,
        }
    }
    None
}
