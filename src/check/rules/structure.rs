//! Structure: `multiple-h1` and `table-column-count` per chapter;
//! `orphan-chapter` and `unused-asset` over the whole book.

use crate::check::index::Linked;
use crate::check::{ChapterContext, Context, Diagnostic};
use crate::markdown::count_written_cells;
use crate::model::{BookKind, Chapter};

pub fn check_chapter(cx: &ChapterContext<'_>, chapter: &Chapter, out: &mut Vec<Diagnostic>) {
    if cx.is_summary(chapter) {
        return;
    }
    let h1s: Vec<_> = chapter
        .headings
        .iter()
        .filter(|h| h.level == 1 && !h.tab)
        .collect();
    if let Some(first) = h1s.first() {
        for h in &h1s[1..] {
            out.push(
                Diagnostic::at(
                    "multiple-h1",
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
    for table in &chapter.tables {
        let header_cells = count_written_cells(chapter.line_text(table.line));
        for row in &table.rows {
            if row.written_cells != header_cells {
                let plural = |n: usize| if n == 1 { "" } else { "s" };
                let effect = if row.written_cells > header_cells {
                    let n = row.written_cells - header_cells;
                    format!("Markdown drops the {n} extra cell{}", plural(n))
                } else {
                    let n = header_cells - row.written_cells;
                    format!("Markdown pads it with {n} empty cell{}", plural(n))
                };
                out.push(
                    Diagnostic::at(
                        "table-column-count",
                        &chapter.path,
                        row.span,
                        format!(
                            "row has {} cell{}, the header {header_cells}: {effect}",
                            row.written_cells,
                            plural(row.written_cells)
                        ),
                    )
                    .help(format!(
                        "give every row {header_cells} cells, or add a column to the header"
                    )),
                );
            }
        }
    }
}

const IMAGE_EXTENSIONS: [&str; 9] = [
    "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "avif",
];

/// `linked`: every file some chapter links to (other than itself), as the
/// link rules found them.
pub fn check_guide(cx: &Context<'_>, linked: &Linked<'_>, out: &mut Vec<Diagnostic>) {
    if cx.guide.book.kind == BookKind::Mdbook && cx.guide.book.summary.is_some() {
        for c in cx.guide.chapters.iter().filter(|c| !c.listed) {
            let is_summary = cx
                .guide
                .book
                .summary
                .as_ref()
                .is_some_and(|s| s.path == c.path);
            if !is_summary && !linked.contains(c.path.as_str()) {
                out.push(
                    Diagnostic::at_line(
                        "orphan-chapter",
                        &c.path,
                        1,
                        "SUMMARY.md leaves this chapter out and no chapter links to it",
                    )
                    .help("add it to SUMMARY.md, link to it, or delete it"),
                );
            }
        }
    }
    // Checking one file says nothing about the images beside it.
    if cx.guide.book.kind == BookKind::File {
        return;
    }
    for f in &cx.guide.files {
        let ext = f
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        if IMAGE_EXTENSIONS.contains(&ext.as_str()) && !linked.contains(f.as_str()) {
            out.push(
                Diagnostic::at_line(
                    "unused-asset",
                    f,
                    1,
                    "no chapter shows or links to this image",
                )
                .help("use it in a chapter, or delete it"),
            );
        }
    }
}
