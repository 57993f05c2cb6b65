//! Tables: header and rows, each row's cells as written (GFM pads or cuts
//! rows to the header's width; a check needs the count before that), and
//! the run-profile tables: `Name | Type` tables that name MIM step types or
//! sit under a run-profile heading.

use super::Place;
use super::lists::strip_quote_markers;
use crate::mim::StepType;
use crate::model::{Profile, Table, TableRow};
use crate::text::{LineIndex, Span};
use std::ops::Range;

#[derive(Default)]
pub(super) struct Tables {
    open: Option<(Table, Vec<Profile>)>,
    cell: Option<String>,
    row: Vec<String>,
    row_start: usize,
    pub(super) tables: Vec<Table>,
    /// Rows of run-profile tables, in order.
    pub(super) profiles: Vec<Profile>,
}

impl Tables {
    pub(super) fn start(&mut self, place: &Place<'_>, range: Range<usize>, in_blockquote: bool) {
        let span = place.span(range);
        self.open = Some((
            Table {
                line: span.line,
                header: Vec::new(),
                header_cells: 0,
                header_cells_markdig: 0,
                rows: Vec::new(),
                run_profiles: false,
                in_blockquote,
            },
            Vec::new(),
        ));
    }

    pub(super) fn row_start(&mut self, start: usize) {
        self.row.clear();
        self.row_start = start;
    }

    pub(super) fn cell_start(&mut self) {
        self.cell = Some(String::new());
    }

    pub(super) fn text(&mut self, s: &str) {
        if let Some(c) = &mut self.cell {
            c.push_str(s);
        }
    }

    pub(super) fn cell_end(&mut self) {
        if let Some(c) = self.cell.take() {
            let trimmed = c.trim();
            self.row.push(if trimmed.len() == c.len() {
                c
            } else {
                trimmed.to_string()
            });
        }
    }

    pub(super) fn head_end(&mut self, place: &Place<'_>) {
        if let Some((t, _)) = &mut self.open {
            t.header = std::mem::take(&mut self.row);
            let line = place.lines.line_text(place.text, t.line);
            t.header_cells = count_written_cells(line);
            t.header_cells_markdig = count_markdig_cells(line);
        }
    }

    pub(super) fn row_end(&mut self, place: &Place<'_>, end: usize) {
        let line = place.line_at(self.row_start);
        let text = place.lines.line_text(place.text, line);
        let written = count_written_cells(text);
        let markdig = if memchr::memchr(b'`', text.as_bytes()).is_some() {
            count_markdig_cells(text)
        } else {
            written
        };
        let span = place.span(self.row_start..end);
        let cells = std::mem::take(&mut self.row);
        if let Some((t, _)) = &mut self.open {
            t.rows.push(TableRow {
                line,
                cells,
                written_cells: written,
                markdig_cells: markdig,
                span,
            });
        }
    }

    /// The table closes; `heading` is the text of the nearest heading
    /// above, which can make a `Name | Type` table a run-profile table.
    pub(super) fn end(&mut self, place: &Place<'_>, heading: Option<&str>) {
        let Some((mut table, _)) = self.open.take() else {
            return;
        };
        if is_name_type(&table.header) {
            let any_step_type = table
                .rows
                .iter()
                .any(|r| r.cells.get(1).is_some_and(|c| StepType::parse(c).is_some()));
            if any_step_type || heading.is_some_and(mentions_run_profiles) {
                table.run_profiles = true;
                for row in &table.rows {
                    let name = row.cells.first().cloned().unwrap_or_default();
                    let ty = row.cells.get(1).cloned().unwrap_or_default();
                    if name.is_empty() && ty.is_empty() {
                        continue;
                    }
                    let cell =
                        |n| cell_span(place.text, place.lines, row.span, n).unwrap_or(row.span);
                    self.profiles.push(Profile {
                        name,
                        step_type: ty,
                        line: row.line,
                        name_span: cell(0),
                        type_span: cell(1),
                    });
                }
            }
        }
        self.tables.push(table);
    }
}

/// A `Name | Type` header: the shape of a run-profile table.
fn is_name_type(header: &[String]) -> bool {
    matches!(header, [name, ty, ..]
        if name.eq_ignore_ascii_case("name") && ty.eq_ignore_ascii_case("type"))
}

fn mentions_run_profiles(heading: &str) -> bool {
    let h = heading.to_lowercase().replace(['-', '_'], " ");
    h.contains("run profile") || h.contains("runprofile")
}

/// Cells written on a table line: `| a | b |` and `a | b` are 2; escaped
/// pipes and pipes inside code spans do not separate cells.
pub fn count_written_cells(line: &str) -> usize {
    // GFM splits a row at every unescaped pipe, inside code spans too.
    let content = strip_quote_markers(line).trim();
    let bytes = content.as_bytes();
    let mut pipes = 0;
    let mut leading = false;
    let mut trailing = false;
    let mut escaped_until = 0;
    for i in memchr::memchr2_iter(b'|', b'\\', bytes) {
        if i < escaped_until {
            continue;
        }
        if bytes.get(i) == Some(&b'\\') {
            escaped_until = i + 2;
            continue;
        }
        pipes += 1;
        leading |= i == 0;
        trailing = i + 1 == bytes.len();
    }
    // n separators make n + 1 pieces; an outer pipe makes an empty one.
    (pipes + 1usize).saturating_sub(usize::from(leading) + usize::from(trailing))
}

/// Cells on a table line as Markdig (DocFX's parser) counts them: as
/// [`count_written_cells`], except that a pipe inside a code span
/// (`` `a|b` ``) does not separate cells.
pub fn count_markdig_cells(line: &str) -> usize {
    // Without a backtick there is no code span: GitHub's count.
    if memchr::memchr(b'`', line.as_bytes()).is_none() {
        return count_written_cells(line);
    }
    let content = strip_quote_markers(line).trim();
    let bytes = content.as_bytes();
    let mut pipes = 0;
    let mut leading = false;
    let mut trailing = false;
    let mut i = 0;
    // The length of the run of backticks at `at`.
    let run_at = |at: usize| {
        bytes
            .get(at..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&b| b == b'`')
            .count()
    };
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'`' => {
                let run = run_at(i);
                // The span closes at the next run of exactly as many backticks.
                let mut j = i + run;
                let mut close = None;
                while let Some(&c) = bytes.get(j) {
                    if c == b'`' {
                        let n = run_at(j);
                        if n == run {
                            close = Some(j + n);
                            break;
                        }
                        j += n;
                    } else {
                        j += 1;
                    }
                }
                i = close.unwrap_or(i + run);
            }
            b'|' => {
                pipes += 1;
                leading |= i == 0;
                trailing = i + 1 == bytes.len();
                i += 1;
            }
            _ => i += 1,
        }
    }
    (pipes + 1usize).saturating_sub(usize::from(leading) + usize::from(trailing))
}

/// Byte ranges of each cell's content within a table line.
pub(super) fn cell_ranges(line: &str) -> Vec<Range<usize>> {
    let content_start = line.len() - strip_quote_markers(line).len();
    let bytes = line.as_bytes();
    let mut seps = Vec::new();
    let mut i = content_start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 1,
            b'|' => seps.push(i),
            _ => {}
        }
        i += 1;
    }
    let trimmed_start =
        content_start + (line[content_start..].len() - line[content_start..].trim_start().len());
    let trimmed_end = line.trim_end().len();
    let mut bounds = vec![trimmed_start];
    let mut cells = Vec::new();
    for &s in &seps {
        bounds.push(s);
    }
    bounds.push(trimmed_end);
    for w in bounds.windows(2) {
        let &[a, b] = w else { continue };
        let a = if a == trimmed_start && seps.first() != Some(&a) {
            a
        } else {
            a + 1
        };
        cells.push(a.min(b)..b);
    }
    // A leading pipe makes an empty first piece, a trailing pipe an empty last one.
    if seps.first() == Some(&trimmed_start) {
        cells.remove(0);
    }
    if seps.last().is_some_and(|&s| s + 1 == trimmed_end) {
        cells.pop();
    }
    cells
}

/// The span of cell `n` (0-based) of the row at `row`.
fn cell_span(text: &str, lines: &LineIndex, row: Span, n: usize) -> Option<Span> {
    let line_start = lines.line_start(row.line);
    let line = lines.line_text(text, row.line);
    let r = cell_ranges(line).into_iter().nth(n)?;
    let cell = &line[r.clone()];
    let lead = cell.len() - cell.trim_start().len();
    let len = cell.trim().len();
    Some(lines.span(
        text,
        line_start + r.start + lead,
        line_start + r.start + lead + len,
    ))
}
