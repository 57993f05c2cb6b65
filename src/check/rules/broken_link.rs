//! `broken-link`: every local link and image leads to a file that exists.
//! A site-absolute link (`/docs/x.md`) is checked when the root holds its
//! target and otherwise left alone, since only the publishing system knows
//! where the site's root is; a DocFX tree says it (`check::docfx`).

use crate::docfx::SitePath;
use crate::check::index::Resolved;
use crate::check::{ChapterContext, Check, Diagnostic, RuleId, edits};
use crate::check::rules::{Example::Files, File::Text};

declare_rule! {
    /// A link or image to a local file that does not exist. Suggests the
    /// closest existing file, and the file with `.md` added when the extension
    /// is missing. `--fix` rewrites the link only when one file is clearly
    /// meant: no other name within one more edit, and the link's text (if
    /// it names anything) agreeing with that file's title or name. In an
    /// mdBook, an `#include` or `#rustdoc_include` directive naming a missing file
    /// too. In a DocFX tree, a link written as the site sees it
    /// (`/cpp/build/x`, `~/media/x.png`) is checked against the file the
    /// docset publishes there (see `link-to-redirect` for how the site's
    /// URL path is found); one to another site (`/windows/…`) is counted in
    /// the closing line, not checked.
    BrokenLink {
        id: "broken-link",
        default: Error,
        fails: Files(&[
            Text("run-profiles.md", "Install [the Graph MA](nstalling-GraphAPIMA.md) first.\n"),
            Text("installing-GraphAPIMA.md", "# Installing the Graph MA\n"),
        ]),
        passes: Files(&[
            Text("run-profiles.md", "Install [the Graph MA](installing-GraphAPIMA.md) first.\n"),
            Text("installing-GraphAPIMA.md", "# Installing the Graph MA\n"),
        ]),
    }
}

impl Check for BrokenLink {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let chapter = cx.chapter;
        if cx.book.kind == crate::model::BookKind::Mdbook {
            missing_includes(cx, out);
        }
        for (link, target) in cx.links() {
            let Some(Resolved::Missing(target)) = target else {
                continue;
            };
            // Site-absolute links are left alone unless a DocFX docset
            // says where they lead; files a redirect moved are
            // `link-to-redirect`'s.
            let on_site = matches!(
                cx.site.locate(&chapter.path, &link.path),
                SitePath::InTree(_)
            );
            if (link.path.starts_with('/') && !on_site)
                || cx.site.redirect(target).is_some()
            {
                continue;
            }
            let what = link.noun();
            if on_site {
                // Written as the site sees it: no file name to correct.
                out.push(
                    Diagnostic::at(
                        RuleId::BrokenLink,
                        &chapter.path,
                        link.span,
                        format!(
                            "{what} target `{}` is not published by this tree: `{target}` does not exist",
                            link.path
                        ),
                    )
                    .about(target),
                );
                continue;
            }
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
                    // Fixed only when it is clearly the one meant: no other
                    // name within one more edit, and (checked once every
                    // title is known) the link's text agreeing with its title.
                    let clear = cx.files.is_clear(target, only);
                    d = d.help(if clear {
                        format!("did you mean `{new_path}`?")
                    } else {
                        format!(
                            "did you mean `{new_path}`? (not fixed: another file's name is almost as close)"
                        )
                    });
                    d = match edits::destination(link, &new_path) {
                        Some((start, end, dest)) if clear => {
                            d.fix(start, end, dest).confirm_text(&link.text, only)
                        }
                        _ => d.suggest(new_path),
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

/// mdBook's `{{#include}}` and `{{#rustdoc_include}}` of files that do not
/// exist (inside the book or beside it: listings often sit outside `src`).
fn missing_includes(cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
    let chapter = cx.chapter;
    let folder = std::path::Path::new(&chapter.path)
        .parent()
        .unwrap_or(std::path::Path::new(""));
    for (at, path) in crate::check::links::includes(&chapter.source) {
        if let Resolved::File(..) | Resolved::CaseMismatch(..) = cx.files.resolve(&chapter.path, path) {
            continue;
        }
        if cx.book.src_dir.join(folder).join(path).exists() {
            continue;
        }
        out.push(
            Diagnostic::at_line(
                RuleId::BrokenLink,
                &chapter.path,
                chapter.lines.line_of(at),
                format!("included file `{path}` does not exist"),
            )
            .help("fix the path: mdBook cannot pull in a file that is not there"),
        );
    }
}
