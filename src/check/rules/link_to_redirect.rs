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
    /// the root and those that `redirection_files` lists in
    /// `.openpublishing.publish.config.json` (at its top or in a docset of
    /// `docsets_to_publish`) or in a `docfx.json`, read only inside the
    /// root. A redirect's URL (`/cpp/build/new-page`) is a file of the tree
    /// when it starts with the URL path a docset is published under: the
    /// `site-path` setting, else the first `tocHref` of the breadcrumb file
    /// that `docfx.json`'s `globalMetadata.breadcrumb_path` names, else the
    /// docset's `build_output_subfolder`; `build.content` `src`/`dest`
    /// pairs say which folder serves which URL path.
    ///
    /// `--fix` rewrites the link to that file (a path relative to the
    /// linking file, fragment kept), following a redirect whose target was
    /// moved again, when the final target is a file of the tree; a target
    /// on another site or missing is never written.
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
            let Some(url) = cx.site.redirects.get(target.as_str()) else {
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
            match moved_to(cx, target) {
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
        let url = cx.site.redirects.get(at.as_str())?;
        let SitePath::InTree(path) = cx.site.locate(&at, url) else {
            return None;
        };
        match cx.files.resolve_site(&path) {
            Resolved::File(file, _) => return Some(file),
            Resolved::Missing(next) if cx.site.redirects.contains_key(next.as_str()) => at = next,
            _ => return None,
        }
    }
    None
}
