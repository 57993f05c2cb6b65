//! `broken-link`: every local link and image leads to a file that exists.
//! A site-absolute link (`/docs/x.md`) is checked when the root holds its
//! target and otherwise left alone, since only the publishing system knows
//! where the site's root is.

use crate::check::index::Resolved;
use crate::check::{ChapterContext, Check, Diagnostic, RuleId, edits};

declare_rule! {
    /// A link or image to a local file that does not exist. Suggests the
    /// closest existing file, and the file with `.md` added when the extension
    /// is missing.
    BrokenLink {
        id: "broken-link",
        default: Error,
        fails: "[The Graph MA](nstalling-GraphAPIMA.md)",
        passes: "[The Graph MA](installing-GraphAPIMA.md)",
    }
}

impl Check for BrokenLink {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let chapter = cx.chapter;
        for (link, target) in cx.links() {
            let Some(Resolved::Missing(target)) = target else {
                continue;
            };
            if link.path.starts_with('/') {
                continue;
            }
            let what = link.noun();
            let mut d = Diagnostic::at(
                RuleId::BrokenLink,
                &chapter.path,
                link.span,
                format!("{what} target `{}` does not exist", link.path),
            )
            .about(target);
            match cx.files.suggest_file(target).as_slice() {
                [] => {}
                [only] => {
                    let new_path = edits::rewrite_path(&link.path, &chapter.path, only);
                    d = d.help(format!("did you mean `{new_path}`?"));
                    d = match edits::destination(link, &new_path) {
                        Some((start, end, dest)) => d.fix(start, end, dest),
                        None => d.suggest(new_path),
                    };
                }
                many => {
                    let names: Vec<String> = many
                        .iter()
                        .take(3)
                        .map(|c| format!("`{}`", edits::rewrite_path(&link.path, &chapter.path, c)))
                        .collect();
                    d = d.help(format!("did you mean {}?", names.join(" or ")));
                }
            }
            out.push(d);
        }
    }
}
