//! `misspelt-heading`: a Prerequisites or Next heading with its name
//! misspelt.

use crate::check::rules::Example::Markdown;
use crate::check::{ChapterContext, Check, Diagnostic, RuleId};

declare_rule! {
    /// A Prerequisites or Next heading whose name is misspelt (`## Prerequisits`,
    /// `## Prerequisities`, `## Next setps`). runsheet reads it as the heading
    /// it stands for, so its list still counts; readers and search see the
    /// misspelling. Only headings runsheet reads by their misspelling are
    /// reported; spellings in use (`Pre-requisites`, `Prereqs`) are not.
    /// `--fix` writes the word as it is spelt, in the case it is written in.
    MisspeltHeading {
        id: "misspelt-heading",
        default: Warning,
        fails: Markdown("# Configure the run profiles\n\n## Prerequisits\n\n- The three management agents, created.\n"),
        passes: Markdown("# Configure the run profiles\n\n## Prerequisites\n\n- The three management agents, created.\n"),
    }
}

impl Check for MisspeltHeading {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        if cx.is_toc() {
            return;
        }
        let chapter = cx.chapter;
        for h in &chapter.headings {
            let Some(m) = crate::markdown::misspelt_heading(&h.text) else {
                continue;
            };
            let written = chapter.source.get(h.span.start..h.span.end).unwrap_or_default();
            // The word's place in the heading as written, when it is
            // written there once.
            let places: Vec<(usize, &str)> = written.match_indices(&m.written).collect();
            let at = match places.as_slice() {
                [(i, _)] => Some(h.span.start + i),
                _ => None,
            };
            let span = match at {
                Some(start) => chapter
                    .lines
                    .span(&chapter.source, start, start + m.written.len()),
                None => h.span,
            };
            let d = Diagnostic::at(
                RuleId::MisspeltHeading,
                &chapter.path,
                span,
                format!(
                    "heading `{}` misspells `{}` as `{}`",
                    h.text, m.correct, m.written
                ),
            )
            .help(format!("write `{}`", m.correct));
            out.push(match at {
                Some(start) => d.fix(start, start + m.written.len(), m.correct),
                None => d.suggest(m.correct),
            });
        }
    }
}
