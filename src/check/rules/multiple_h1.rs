//! `multiple-h1`: a chapter has one title. A DocFX tab heading
//! (`# [Windows](#tab/windows)`) is a tab's title, not the chapter's.

use crate::check::{ChapterContext, Check, Diagnostic, RuleId};
use crate::check::rules::Example::Markdown;

declare_rule! {
    /// More than one level-1 heading in a chapter. Front matter `title` is not
    /// a heading.
    MultipleH1 {
        id: "multiple-h1",
        default: Warning,
        fails: Markdown("# Domain preparation\n\nCreate the accounts.\n\n# Delegation\n\nDelegate the OU.\n"),
        passes: Markdown("# Domain preparation\n\nCreate the accounts.\n\n## Delegation\n\nDelegate the OU.\n"),
    }
}

impl Check for MultipleH1 {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        if cx.is_toc() {
            return;
        }
        let chapter = cx.chapter;
        let mut h1s = chapter.headings.iter().filter(|h| h.level == 1 && !h.tab);
        let Some(first) = h1s.next() else {
            return;
        };
        for h in h1s {
            out.push(
                Diagnostic::at(
                    RuleId::MultipleH1,
                    &chapter.path,
                    h.span,
                    format!("second level-1 heading `{}`", h.text),
                )
                .help(format!(
                    "a chapter has one title (`{}`, line {}); make this `## {}`",
                    first.text, first.line, h.text
                )),
            );
        }
    }
}
