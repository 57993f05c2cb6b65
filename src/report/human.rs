//! The default output: rustc-style, `file:line:col`, the source line with
//! the span underlined and the suggestion as a help line, then a summary.

use super::{Checked, summary};
use crate::check::Severity;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

pub fn render(checked: &[Checked<'_>], colour: bool) -> String {
    super::stream::to_string(|w| write(checked, colour, w))
}

pub fn write<W: std::io::Write + ?Sized>(
    checked: &[Checked<'_>],
    colour: bool,
    w: &mut W,
) -> std::io::Result<()> {
    let renderer = if colour {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    // Each finding is drawn on its own, in parallel, and written in order.
    super::stream::each(w, &super::stream::all(checked), "", |c, d| {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = c.display_path(&d.file);
        let title = level.primary_title(d.message.as_str()).id(d.rule.as_str());
        let mut groups = Vec::new();
        let group = match &d.source_line {
            Some(line) => {
                let start = byte_of_column(line, d.column);
                let end = if d.end_line == d.line {
                    byte_of_column(line, d.end_column)
                } else {
                    line.len()
                };
                // An empty span underlines the character it points at
                // (whole, however many bytes it takes).
                let end = if end > start {
                    end
                } else {
                    line[start..]
                        .chars()
                        .next()
                        .map_or(start, |c| start + c.len_utf8())
                };
                title.element(
                    Snippet::source(&**line)
                        .line_start(d.line)
                        .path(path.as_str())
                        .annotation(AnnotationKind::Primary.span(start..end.min(line.len()))),
                )
            }
            None => title.element(
                annotate_snippets::Origin::path(path.as_str())
                    .line(d.line)
                    .char_column(d.column),
            ),
        };
        groups.push(group);
        if let Some(help) = &d.help {
            groups.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        let mut text = renderer.render(&groups);
        text.push_str("\n\n");
        text
    })?;
    let mut out = String::new();
    let s = summary(checked);
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    out.push_str(&format!(
        "{}: {}, {} in {} ({} checked)\n",
        if s.errors > 0 {
            "runsheet check failed"
        } else {
            "runsheet check passed"
        },
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.files, "file"),
        plural(s.links, "link"),
    ));
    w.write_all(out.as_bytes())
}

/// The byte offset of 1-based character column `column` in `line`.
fn byte_of_column(line: &str, column: usize) -> usize {
    line.char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i)
}
