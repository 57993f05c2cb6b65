//! `backslash-path`: a link that separates folders with `\`.

use crate::check::rules::Example::Files;
use crate::check::rules::File::Text;
use crate::check::{ChapterContext, Check, Diagnostic, RuleId};

declare_rule! {
    /// A local link whose path separates folders with `\` (`..\setup\install.md`),
    /// as Windows authors write them. Microsoft Learn and browsers on Windows
    /// read it as `/`; GitHub and other sites do not, and the link breaks
    /// there. `--fix` writes `/` where the path is written with `\`. In a
    /// DocFX tree, where the site forgives it, it is one habit: reported
    /// once, at the first such link, saying how many more write `\`; the
    /// others are counted in the closing line, listed as `repeats` in the
    /// JSON report, and mended by `--fix` with it.
    BackslashPath {
        id: "backslash-path",
        default: Warning,
        fails: Files(&[
            Text("agents/directory.md", "# The directory agent\n\nPrepare the server first: [Prepare the server](..\\setup\\prepare-server.md).\n"),
            Text("setup/prepare-server.md", "# Prepare the server\n"),
        ]),
        passes: Files(&[
            Text("agents/directory.md", "# The directory agent\n\nPrepare the server first: [Prepare the server](../setup/prepare-server.md).\n"),
            Text("setup/prepare-server.md", "# Prepare the server\n"),
        ]),
    }
}

impl Check for BackslashPath {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let chapter = cx.chapter;
        for (link, target) in cx.links() {
            // Only a local path: a URL's backslashes are its own business.
            if target.is_none() || !link.path.contains('\\') {
                continue;
            }
            let slashed = link.path.replace('\\', "/");
            let mut d = Diagnostic::at(
                RuleId::BackslashPath,
                &chapter.path,
                link.span,
                format!(
                    "{} path `{}` separates folders with `\\`: it works on Microsoft Learn, not on GitHub or other sites",
                    link.noun(),
                    link.path
                ),
            )
            .help(format!("write it with `/`: `{slashed}`"));
            if cx.site.docfx {
                // The tree's writers' habit, which the site forgives: one
                // finding, the other links its repeats.
                d = d.fold("\\", |n, _| {
                    let (s, verb) = if n == 1 { ("", "writes") } else { ("s", "write") };
                    format!("{n} more link{s} {verb} `\\` this way")
                });
            }
            d = match written_path(&chapter.source, link) {
                Some((start, end, written)) => d.fix(start, end, written.replace('\\', "/")),
                None => d.suggest(slashed),
            };
            out.push(d);
        }
    }
}

/// The link's path as it is written in `source` (without its fragment),
/// with where it is, when each `\` of it is a `\` of the path: none is an
/// escape (`\\`, `\.`), so writing `/` for each changes nothing else.
fn written_path<'s>(source: &'s str, link: &crate::model::Link) -> Option<(usize, usize, &'s str)> {
    let span = link.dest_span.clone()?;
    let end = link.dest_path_end?;
    let written = source.get(span.start..end)?;
    let mut chars = written.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            return None;
        }
    }
    let count = |s: &str| s.matches('\\').count();
    (count(written) == count(&link.path)).then_some((span.start, end, written))
}
