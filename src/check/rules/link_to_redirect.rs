//! `link-to-redirect`: a link to a file that a DocFX redirect file
//! (`.openpublishing.redirection*.json`) says has moved.

use crate::check::index::Resolved;
use crate::check::{ChapterContext, Check, Diagnostic, RuleId};

declare_rule! {
    /// A link to a file that is gone from the tree because a redirect file
    /// (`.openpublishing.redirection*.json` beside the tree) moved it: the
    /// published site sends readers on, but the link should name the new
    /// place. Names the redirect's target. Such a link is not a
    /// `broken-link`.
    LinkToRedirect {
        id: "link-to-redirect",
        default: Warning,
        fails: "[Overview](amp/overview.md)   <!-- redirected to /previous-versions/amp/overview -->",
        passes: "[Overview](/previous-versions/amp/overview)",
    }
}

impl Check for LinkToRedirect {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        if cx.config.redirects.is_empty() {
            return;
        }
        let chapter = cx.chapter;
        for (link, target) in cx.links() {
            let Some(Resolved::Missing(target)) = target else {
                continue;
            };
            let Some(url) = cx.config.redirects.get(target.as_str()) else {
                continue;
            };
            out.push(
                Diagnostic::at(
                    RuleId::LinkToRedirect,
                    &chapter.path,
                    link.span,
                    format!(
                        "{} target `{}` has moved: a redirect file sends it to `{url}`",
                        link.noun(),
                        link.path
                    ),
                )
                .help(format!("link to `{url}` (or the file published there)"))
                .about(target),
            );
        }
    }
}
