//! `list-numbering`: ordered lists count up by one. A list that resumes
//! after a table or a bullet list (`3.` after `1.`, `2.` and a table) must
//! carry on from the list before it in the same section. Lists written all
//! `1.` are a common style and pass.

use crate::check::{ChapterContext, Check, Diagnostic, RuleId};
use crate::model::Chapter;

declare_rule! {
    /// An ordered list that skips or repeats numbers, or that resumes with a
    /// number that does not follow the list before it.
    ListNumbering {
        id: "list-numbering",
        default: Warning,
        fails: "1. Open the wizard\n2. Pick the type\n4. Finish",
        passes: "1. Open the wizard\n2. Pick the type\n3. Finish",
    }
}

impl Check for ListNumbering {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let chapter = cx.chapter;
        // The last top-level list's final number, per section (reset at headings).
        let mut lists: Vec<_> = chapter.ordered_lists.iter().collect();
        lists.sort_by_key(|l| l.line);
        let mut previous_end: Option<(usize, u64)> = None; // (heading index, last number)
        for list in lists {
            let section = chapter
                .headings
                .iter()
                .take_while(|h| h.line <= list.line)
                .count();
            if list.numbers.len() > 1 && list.numbers.iter().all(|&n| n == 1) {
                if !list.nested {
                    previous_end = Some((section, list.numbers.len() as u64));
                }
                continue;
            }
            if !list.nested
                && let Some(&first) = list.numbers.first()
            {
                let continues =
                    matches!(previous_end, Some((s, last)) if s == section && first == last + 1);
                if first > 1 && !continues {
                    let expected = match previous_end {
                        Some((s, last)) if s == section => last + 1,
                        _ => 1,
                    };
                    if expected != first
                        && let Some(&line) = list.lines.first()
                    {
                        out.push(numbering(chapter, line, first, expected));
                    }
                }
            }
            for (pair, &line) in list.numbers.windows(2).zip(list.lines.iter().skip(1)) {
                if let [before, after] = *pair
                    && after != before + 1
                {
                    out.push(numbering(chapter, line, after, before + 1));
                }
            }
            if !list.nested {
                previous_end = list.numbers.last().map(|&n| (section, n));
            }
        }
    }
}

fn numbering(chapter: &Chapter, line: usize, found: u64, expected: u64) -> Diagnostic {
    let kind = if found < expected {
        "repeats or goes back"
    } else {
        "skips"
    };
    let text = chapter.line_text(line);
    let indent = text.len() - text.trim_start_matches([' ', '\t', '>']).len();
    let digits = text[indent..]
        .chars()
        .take_while(char::is_ascii_digit)
        .count();
    let start = chapter.lines.line_start(line) + indent;
    let span = chapter.lines.span(&chapter.source, start, start + digits);
    Diagnostic::at(
        RuleId::ListNumbering,
        &chapter.path,
        span,
        format!("list item numbered {found} {kind}: {expected} expected"),
    )
    .help(format!("number it {expected}, or renumber the list"))
    .suggest(expected.to_string())
}
