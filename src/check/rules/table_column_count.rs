//! `table-column-count`: every row of a table has as many cells as its
//! header, counted as written: Markdown drops the extra cells and pads
//! the missing ones without a word.

use crate::check::{ChapterContext, Check, Diagnostic, RuleId};
use crate::check::rules::Example::Markdown;

declare_rule! {
    /// A table row with more or fewer cells than the header: Markdown silently
    /// drops or pads them. In a DocFX tree cells are counted as Markdig,
    /// DocFX's parser, counts them: a pipe inside a code span (`` `a|b` ``)
    /// does not separate cells there, as it does on GitHub, and a `:::`
    /// line (`:::moniker-end`) right under a table ends it rather than
    /// being a row. There, too, the short rows of one table are one
    /// finding, at the first, saying how many more there are: a table
    /// whose rows leave out an empty last column (`| Output File | The
    /// name |` under `| Property | Description | Choices |`) is one thing to
    /// look at, not twenty. Every row with more cells than the header, whose
    /// text Markdown drops, is its own finding.
    TableColumnCount {
        id: "table-column-count",
        default: Warning,
        fails: Markdown("| Source | Target |\n|---|---|\n| mail | email | Allow null |\n"),
        passes: Markdown("| Source | Target | Options |\n|---|---|---|\n| mail | email | Allow null |\n"),
    }
}

impl Check for TableColumnCount {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        if cx.is_toc() {
            return;
        }
        let chapter = cx.chapter;
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let markdig = cx.site.docfx;
        for table in &chapter.tables {
            let (header_cells, cells): (usize, fn(&crate::model::TableRow) -> usize) = if markdig
            {
                (table.header_cells_markdig, |r| r.markdig_cells)
            } else {
                (table.header_cells, |r| r.written_cells)
            };
            for row in table.rows.iter().filter(|r| cells(r) != header_cells) {
                // Markdig reads a DocFX `:::` line as a block of its own.
                if markdig && chapter.line_text(row.line).trim_start().starts_with(":::") {
                    continue;
                }
                let written = cells(row);
                let effect = if written > header_cells {
                    let n = written - header_cells;
                    format!("Markdown drops the {n} extra cell{}", plural(n))
                } else {
                    let n = header_cells - written;
                    format!("Markdown pads it with {n} empty cell{}", plural(n))
                };
                let mut d = Diagnostic::at(
                        RuleId::TableColumnCount,
                        &chapter.path,
                        row.span,
                        format!(
                            "row has {} cell{}, the header {header_cells}: {effect}",
                            written,
                            plural(written)
                        ),
                    )
                    .help(format!(
                        "give every row {header_cells} cells, or add a column to the header"
                    ));
                if markdig && written < header_cells {
                    d = d.fold(format!("{}:{}", chapter.path, table.line), |n, _| {
                        if n == 1 {
                            "1 more row of this table is short too".to_string()
                        } else {
                            format!("{n} more rows of this table are short too")
                        }
                    });
                }
                out.push(d);
            }
        }
    }
}
