//! The default output: rustc-style, `file:line:col`, the source line with
//! the span underlined and the suggestion as a help line, then a summary.

use super::{Checked, summary};
use crate::check::Severity;
use crate::text::escape::shown;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// What the human report shows, and how.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub colour: bool,
    /// Whether warnings fail the check (`--deny warnings`): the summary
    /// line says "failed" exactly when the exit code does.
    pub deny_warnings: bool,
    /// The findings themselves (off with `--statistics` alone).
    pub findings: bool,
    /// A count per rule, after the findings.
    pub statistics: bool,
    /// The closing summary lines (off with `--quiet`).
    pub summary: bool,
}

impl Options {
    /// The findings, plain, warnings allowed.
    pub fn plain() -> Options {
        Options {
            colour: false,
            deny_warnings: false,
            findings: true,
            statistics: false,
            summary: true,
        }
    }
}

pub fn render(checked: &[Checked<'_>], colour: bool) -> String {
    let options = Options {
        colour,
        ..Options::plain()
    };
    super::stream::to_string(|w| write(checked, &options, w))
}

pub fn write<W: std::io::Write + ?Sized>(
    checked: &[Checked<'_>],
    options: &Options,
    w: &mut W,
) -> std::io::Result<()> {
    if options.findings {
        write_findings(checked, options.colour, w)?;
    }
    if options.statistics {
        let counts = super::statistics::of(checked);
        w.write_all(super::statistics::to_text(&counts).as_bytes())?;
    }
    if options.summary {
        w.write_all(summary_text(checked, options.deny_warnings).as_bytes())?;
    }
    Ok(())
}

fn write_findings<W: std::io::Write + ?Sized>(
    checked: &[Checked<'_>],
    colour: bool,
    w: &mut W,
) -> std::io::Result<()> {
    let renderer = if colour {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    // Where columns fall in each long line, worked out once per line (the
    // findings on one line share it).
    let columns = crate::text::columns::Columns::of_lines(
        checked
            .iter()
            .flat_map(|c| &c.diagnostics)
            .filter_map(|d| d.source_line.as_ref()),
        LONG_LINE,
    );
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
            Some(line) if line.len() > LONG_LINE => {
                // A long line is shown as the stretch around the finding,
                // cut with `…`: drawing the whole line for each finding on
                // it would take time and output of findings × line length.
                let columns = columns.get(&crate::text::columns::Columns::address(line));
                let start = columns.map_or(0, |c| c.byte(line, d.column));
                let end = if d.end_line == d.line {
                    columns.map_or(start, |c| c.byte(line, d.end_column))
                } else {
                    line.len()
                };
                let (excerpt, span) = excerpt(line, start, end);
                let shown_column = excerpt.get(..span.start).map_or(0, |t| t.chars().count()) + 1;
                groups.push(
                    title.element(
                        Snippet::source(excerpt.as_str())
                            .line_start(d.line)
                            .path(path.as_str())
                            .annotation(AnnotationKind::Primary.span(span)),
                    ),
                );
                push_help(&mut groups, d.help.as_deref());
                // The drawing counts columns in the excerpt: name the line's.
                let mut text = renderer.render(&groups).replacen(
                    &format!("{path}:{}:{shown_column}", d.line),
                    &format!("{path}:{}:{}", d.line, d.column),
                    1,
                );
                text.push_str("\n\n");
                return text;
            }
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
        push_help(&mut groups, d.help.as_deref());
        let mut text = renderer.render(&groups);
        text.push_str("\n\n");
        text
    })?;
    Ok(())
}

/// A finding's help, as its own group after the drawing.
fn push_help<'a>(groups: &mut Vec<Group<'a>>, help: Option<&'a str>) {
    if let Some(help) = help {
        groups.push(Group::with_title(Level::HELP.secondary_title(help)));
    }
}

/// The closing lines: the verdict and the totals, then what a baseline
/// took out and which of its entries no longer occur.
fn summary_text(checked: &[Checked<'_>], deny_warnings: bool) -> String {
    let mut out = String::new();
    let s = summary(checked);
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    let failed = s.errors > 0 || (deny_warnings && s.warnings > 0);
    let exports: Vec<&super::ExportSummary> = checked
        .iter()
        .filter_map(|c| match c.subject {
            super::Subject::Export(e) => Some(e),
            super::Subject::Guide(_) => None,
        })
        .collect();
    if !exports.is_empty() {
        for e in exports {
            out.push_str(&format!(
                "{}: {}, {}: environment `{}` against {} in {} ({} and {} compared)\n",
                if failed {
                    "runsheet verify found drift"
                } else {
                    "runsheet verify passed"
                },
                plural(s.errors, "error"),
                plural(s.warnings, "warning"),
                shown(&e.environment),
                plural(e.files.len(), "file"),
                shown(&e.path),
                plural(e.agents, "agent"),
                plural(e.profiles, "run profile"),
            ));
        }
        return out;
    }
    out.push_str(&format!(
        "{}: {}, {} in {} ({} checked)\n",
        if failed {
            "runsheet check failed"
        } else {
            "runsheet check passed"
        },
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.files, "file"),
        plural(s.links, "link"),
    ));
    if s.other_site > 0 || s.xrefs > 0 {
        let mut parts = Vec::new();
        if s.other_site > 0 {
            parts.push(format!(
                "{} to other sites of the same host",
                plural(s.other_site, "link")
            ));
        }
        if s.xrefs > 0 {
            parts.push(plural(s.xrefs, "xref link"));
        }
        out.push_str(&format!(
            "{} not checked offline{}\n",
            parts.join(" and "),
            match s.site_links {
                0 => String::new(),
                n => format!(
                    "; {} written as the site sees {} checked against the tree",
                    plural(n, "link"),
                    if n == 1 { "it" } else { "them" }
                ),
            }
        ));
    }
    if s.left_to_preprocessors > 0 {
        let names: Vec<String> = s.preprocessors.iter().map(|p| format!("`{p}`")).collect();
        let (one, them) = if s.preprocessors.len() == 1 {
            ("preprocessor", "it")
        } else {
            ("preprocessors", "them")
        };
        out.push_str(&format!(
            "{} left unchecked: the book's {one} {} may turn {} into links and anchors; `mdbook build` with runsheet ordered after {them} (`after = [\"{}\"]` under [preprocessor.runsheet]) checks what readers see\n",
            plural(s.left_to_preprocessors, "link"),
            names.join(", "),
            if s.left_to_preprocessors == 1 { "it" } else { "them" },
            s.preprocessors.join("\", \""),
        ));
    }
    if s.repeats > 0 {
        out.push_str(&format!(
            "{} more place{} repeat{} a finding reported once (each says how many; --fix mends what it can fix in every place)\n",
            s.repeats,
            if s.repeats == 1 { "" } else { "s" },
            if s.repeats == 1 { "s" } else { "" },
        ));
    }
    if s.hidden_folders > 0 {
        let names: Vec<&str> = checked
            .iter()
            .flat_map(|c| match c.subject {
                super::Subject::Guide(d) => d.hidden.as_slice(),
                super::Subject::Export(_) => &[],
            })
            .map(String::as_str)
            .take(3)
            .collect();
        out.push_str(&format!(
            "{} not read ({}{}): --hidden reads them\n",
            plural(s.hidden_folders, "hidden folder"),
            names.join(", "),
            if s.hidden_folders > names.len() {
                ", …"
            } else {
                ""
            }
        ));
    }
    for c in checked {
        let Some(b) = &c.baseline else {
            continue;
        };
        out.push_str(&format!(
            "{} known in {} not shown\n",
            plural(b.known, "finding"),
            shown(&b.file)
        ));
        if b.stale.is_empty() {
            continue;
        }
        let gone: usize = b.stale.iter().map(|e| e.count).sum();
        out.push_str(&format!(
            "{} recorded in {} no longer occur{}; prune {} with `runsheet check --write-baseline`:\n",
            plural(gone, "finding"),
            shown(&b.file),
            if gone == 1 { "s" } else { "" },
            if gone == 1 { "it" } else { "them" },
        ));
        const SHOWN: usize = 10;
        for e in b.stale.iter().take(SHOWN) {
            let times = if e.count > 1 {
                format!(" (×{})", e.count)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "  {}: {}: {}{times}\n",
                shown(&c.display_path(&e.file)),
                shown(&e.rule),
                shown(&e.message)
            ));
        }
        if b.stale.len() > SHOWN {
            out.push_str(&format!("  … and {} more\n", b.stale.len() - SHOWN));
        }
    }
    out
}

/// Lines longer than this (in bytes) are shown cut around the finding.
const LONG_LINE: usize = 400;

/// How much of a long line is shown on each side of a finding, in bytes:
/// the excerpt and its finding fit a terminal of 100 columns (wider, the
/// drawing cuts it again), and a line of a hundred thousand findings is
/// drawn in half the time.
const CONTEXT: usize = 40;

/// The part of `line` around bytes `start..end` (a finding's span, itself
/// cut to a few lines' worth), with `…` where it was cut, and the span's
/// place in it.
fn excerpt(line: &str, start: usize, end: usize) -> (String, std::ops::Range<usize>) {
    let floor = |mut i: usize| {
        i = i.min(line.len());
        while !line.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(start);
    let end = floor(end.max(start).min(start + 4 * CONTEXT));
    let from = floor(start.saturating_sub(CONTEXT));
    let to = floor(end.saturating_add(CONTEXT));
    let mut text = String::with_capacity(to - from + 8);
    if from > 0 {
        text.push('…');
    }
    let shift = text.len();
    text.push_str(line.get(from..to).unwrap_or_default());
    if to < line.len() {
        text.push('…');
    }
    let at = shift + start - from;
    // An empty span underlines the character it points at.
    let width = if end > start {
        end - start
    } else {
        line.get(start..)
            .and_then(|rest| rest.chars().next())
            .map_or(0, char::len_utf8)
    };
    (text, at..at + width)
}

/// The byte offset of 1-based character column `column` in `line`.
fn byte_of_column(line: &str, column: usize) -> usize {
    line.char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i)
}
