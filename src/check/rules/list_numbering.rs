//! `list-numbering`: ordered lists count up by one. A list that resumes
//! after a table or a bullet list (`3.` after `1.`, `2.` and a table) must
//! carry on from the list before it in the same section; one that carries
//! on from the list before a heading (steps grouped under headings and
//! numbered through) continues it. Lists written all `1.` are a common
//! style and pass.

use crate::check::{ChapterContext, Check, Diagnostic, RuleId};
use crate::model::Chapter;
use crate::check::rules::Example::Markdown;

declare_rule! {
    /// An ordered list that skips or repeats numbers, or that resumes with a
    /// number that does not follow the list before it. A list under a new
    /// heading may start at 1 or carry on from the list before the heading
    /// (steps numbered through their groups). In a DocFX tree,
    /// moniker blocks written one after another (`::: moniker range="<msvc-170"`
    /// … `::: moniker-end`, then `::: moniker range=">=msvc-170"`) are
    /// versions of the same text, of which a reader sees one: a list in
    /// each continues from where the text before the first block left off.
    ListNumbering {
        id: "list-numbering",
        default: Warning,
        fails: Markdown("1. Open the wizard\n2. Pick the type\n4. Finish\n"),
        passes: Markdown("1. Open the wizard\n2. Pick the type\n3. Finish\n"),
    }
}

impl Check for ListNumbering {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        if cx.is_toc() {
            return;
        }
        let chapter = cx.chapter;
        // The last top-level list's final number, per section (reset at headings).
        let mut lists: Vec<_> = chapter.ordered_lists.iter().collect();
        lists.sort_by_key(|l| l.line);
        let mut previous_end: Option<(usize, u64)> = None; // (heading index, last number)
        let blocks = if cx.site.docfx
            && !chapter.ordered_lists.is_empty()
            && memchr::memmem::find(chapter.source.as_bytes(), b"moniker-end").is_some()
        {
            moniker_groups(chapter)
        } else {
            Vec::new()
        };
        // Per group of moniker blocks: the state before its first block.
        let mut entered: Vec<Option<Option<(usize, u64)>>> = vec![None; blocks.len()];
        let mut current_block: Option<(usize, usize)> = None; // (group, block)
        // Every block in line order, for finding a list's by halving.
        let flat: Vec<(usize, usize, usize, usize)> = blocks
            .iter()
            .enumerate()
            .flat_map(|(g, bs)| bs.iter().enumerate().map(move |(b, &(start, end))| (start, end, g, b)))
            .collect();
        let mut section = 0; // headings at or above the list's line
        for list in lists {
            if !list.nested
                && let Some((g, b)) = moniker_block(&flat, list.line)
            {
                let entry = entered
                    .get_mut(g)
                    .map_or(previous_end, |e| *e.get_or_insert(previous_end));
                if current_block != Some((g, b)) {
                    // The first list of a block follows the text before the group.
                    previous_end = entry;
                    current_block = Some((g, b));
                }
            }
            // Lists come in line order: the headings above only grow.
            while chapter
                .headings
                .get(section)
                .is_some_and(|h| h.line <= list.line)
            {
                section += 1;
            }
            if list.numbers.len() > 1 && list.numbers.iter().all(|&n| n == 1) {
                if !list.nested {
                    previous_end = Some((section, list.numbers.len() as u64));
                }
                continue;
            }
            if !list.nested
                && let Some(&first) = list.numbers.first()
            {
                // A list that carries on from the one before, even under a
                // heading of its own (steps grouped by heading, numbered
                // through), continues it.
                let continues = matches!(previous_end, Some((_, last)) if first == last + 1);
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

/// The moniker blocks of a chapter, as groups of blocks that follow one
/// another with only blank lines between: each block its first and last
/// line.
fn moniker_groups(chapter: &Chapter) -> Vec<Vec<(usize, usize)>> {
    let mut groups: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut open: Option<usize> = None;
    let mut last_end: Option<usize> = None;
    let mut blank_since_end = true;
    for (i, line) in chapter.source.lines().enumerate() {
        let n = i + 1;
        let t = line.trim();
        let directive = t.strip_prefix(":::").map(str::trim_start);
        match directive {
            Some(d) if d.starts_with("moniker range") => {
                let adjacent = last_end.is_some() && blank_since_end;
                if !adjacent || groups.is_empty() {
                    groups.push(Vec::new());
                }
                open = Some(n);
            }
            Some(d) if d.starts_with("moniker-end") => {
                if let (Some(start), Some(group)) = (open.take(), groups.last_mut()) {
                    group.push((start, n));
                    last_end = Some(n);
                    blank_since_end = true;
                }
            }
            _ => {
                if open.is_none() && !t.is_empty() {
                    blank_since_end = false;
                }
            }
        }
    }
    groups
}

/// The group and block of the moniker block holding `line`, from every
/// block in line order (blocks do not overlap).
fn moniker_block(flat: &[(usize, usize, usize, usize)], line: usize) -> Option<(usize, usize)> {
    let i = flat.partition_point(|&(start, ..)| start < line);
    let &(start, end, g, b) = flat.get(i.checked_sub(1)?)?;
    (start < line && line < end).then_some((g, b))
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
