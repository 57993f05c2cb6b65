//! The lines of `runbook.md` that progress is read back from, defined once
//! for both sides: the template writes them with the functions
//! [`register`] gives every template, and `progress::read` reads them with
//! the `read_*` functions here.
//!
//! | line | written by | read as |
//! | --- | --- | --- |
//! | `` - [ ] `ID` <!-- hash HASH --> `` then the step's Markdown, its further lines indented by two spaces | `md_step_box(step, kept)` | a step, ticked or not, with its hash and text |
//! | `**Changed since it was ticked: do it again.**` after a step's box | `md_step_box` (a kept step that changed) | left out of the step's text |
//! | ``**Sign-off of `SLUG`:** done by … · date … · result …`` | `md_sign_off(slug, signoffs)` | the sign-off of chapter SLUG |
//! | `` \| Environment \| `NAME` \| `` | `md_environment_row(name)` | the environment |
//! | `` \| `ID` \| agent \| profile \| result \| adds \| updates \| deletes \| errors \| `` | `md_run_record_header()`, `md_run_record_row(id, agent, profile, runs)` | a run's result and counts (a blank count is not recorded) |
//!
//! A book's own `runbook.md.j2` that writes other lines still renders, but
//! its ticked `runbook.md` cannot be read back: the reader says which line
//! it did not find (`progress.json` and `runbook.csv` are read all the
//! same).

use super::context::{KeptRun, RunCounts};
use crate::text::escape;
use minijinja::value::Value;
use minijinja::{Environment, Error, ErrorKind};

/// What a step's box shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepBox {
    /// Not done.
    Open,
    /// Ticked (in the progress carried over, unchanged since).
    Ticked,
    /// Ticked once, but its text changed since: unticked and marked.
    Changed,
}

/// The mark after the box of a step that changed since it was ticked.
pub const CHANGED: &str = "**Changed since it was ticked: do it again.** ";

/// How a step's further lines are indented under its box.
pub const CONTINUATION: &str = "  ";

/// What an empty field of a sign-off line holds, to be written over.
pub const BLANK: &str = "____________";

const HASH_OPEN: &str = "<!-- hash ";
const HASH_CLOSE: &str = " -->";
const SIGN_OFF: &str = "**Sign-off of `";
const SIGN_OFF_BY: &str = "`:** done by ";
/// The sign-off line of an earlier runsheet, which did not name its
/// chapter: read as the sign-off of the chapter of the step line above.
const SIGN_OFF_UNNAMED: &str = "**Sign-off:** done by ";
const SIGN_OFF_DATE: &str = " · date ";
const SIGN_OFF_RESULT: &str = " · result ";
const ENVIRONMENT: &str = "| Environment | `";

/// The run record table's header: a row's cells are the run's id, agent,
/// run profile, result, adds, updates, deletes and errors, in this order.
pub const RUN_RECORD_HEADER: &str = "| Run | Agent | Run profile | Result | Adds | Updates | Deletes | Errors |\n| --- | --- | --- | --- | --- | --- | --- | --- |";

/// The start of a step's line, up to its Markdown:
/// `` - [x] `ID` <!-- hash HASH --> ``.
pub fn step_box(id: &str, hash: &str, state: StepBox) -> String {
    let (mark, changed) = match state {
        StepBox::Open => (' ', ""),
        StepBox::Ticked => ('x', ""),
        StepBox::Changed => (' ', CHANGED),
    };
    format!("- [{mark}] `{id}` {HASH_OPEN}{hash}{HASH_CLOSE} {changed}")
}

/// The sign-off line of the chapter whose slug is `slug`; an empty field
/// is [`BLANK`], the others are escaped for Markdown.
pub fn sign_off(slug: &str, done_by: &str, date: &str, result: &str) -> String {
    let field = |s: &str| {
        if s.is_empty() {
            BLANK.to_string()
        } else {
            escape::markdown(s)
        }
    };
    format!(
        "{SIGN_OFF}{slug}{SIGN_OFF_BY}{}{SIGN_OFF_DATE}{}{SIGN_OFF_RESULT}{}",
        field(done_by),
        field(date),
        field(result)
    )
}

/// The title table's row naming the environment.
pub fn environment_row(name: &str) -> String {
    format!("{ENVIRONMENT}{name}` |")
}

/// A run's row of the run record table: its result and counts as
/// `run` recorded them, or left to fill in.
pub fn run_record_row(id: &str, agent: &str, profile: &str, run: Option<&KeptRun>) -> String {
    let cell = super::templates::markdown_cell;
    let mut row = format!(
        "| `{id}` | {} | {} |",
        cell(&escape::code_span(agent)),
        cell(profile)
    );
    let result = run.map_or(String::new(), |r| cell(&escape::markdown(&r.result)));
    let counts = run.map_or([None; 4], |r| r.counts.each());
    for value in std::iter::once(result).chain(
        counts
            .iter()
            .map(|n| n.map_or(String::new(), |n| n.to_string())),
    ) {
        if value.is_empty() {
            row.push_str(" |");
        } else {
            row.push(' ');
            row.push_str(&value);
            row.push_str(" |");
        }
    }
    row
}

/// A step's Markdown on one line, as [`read_step`] and
/// [`read_continuation`] give it back: its lines trimmed, the empty ones
/// left out, joined by a space.
pub fn one_line(markdown: &str) -> String {
    markdown
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A step's line read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepLine<'a> {
    pub id: &'a str,
    /// Empty when the line has no hash.
    pub hash: &'a str,
    pub done: bool,
    /// Its Markdown after the box (and the [`CHANGED`] mark).
    pub text: &'a str,
}

/// A box that is neither `[ ]` nor `[x]`: the step's id and the column of
/// the mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadBox<'a> {
    pub id: &'a str,
    pub column: usize,
}

/// A step's line (`` - [x] `ID` <!-- hash HASH --> text ``), or `None`
/// when the line is not one.
pub fn read_step(line: &str) -> Option<Result<StepLine<'_>, BadBox<'_>>> {
    let rest = line.strip_prefix("- [")?;
    let mut chars = rest.chars();
    let mark = chars.next();
    let rest = chars.as_str().strip_prefix("] `")?;
    let (id, rest) = rest.split_once('`')?;
    let done = match mark {
        Some('x' | 'X') => true,
        Some(' ') => false,
        _ => return Some(Err(BadBox { id, column: 4 })),
    };
    let rest = rest.trim_start();
    let (hash, rest) = match rest.strip_prefix(HASH_OPEN) {
        Some(r) => r.split_once(HASH_CLOSE).unwrap_or((r, "")),
        None => ("", rest),
    };
    let rest = rest.trim_start();
    Some(Ok(StepLine {
        id,
        hash: hash.trim(),
        done,
        text: rest.strip_prefix(CHANGED).unwrap_or(rest),
    }))
}

/// A further line of the step above, without its indent.
pub fn read_continuation(line: &str) -> Option<&str> {
    line.strip_prefix(CONTINUATION)
}

/// A sign-off line read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOffLine {
    /// The chapter's slug; `None` in the line of an earlier runsheet,
    /// which did not name it.
    pub chapter: Option<String>,
    /// Done by, date and result, a [`BLANK`] one empty.
    pub fields: [String; 3],
}

/// A sign-off line, or `None` when the line is not one.
pub fn read_sign_off(line: &str) -> Option<SignOffLine> {
    let (chapter, rest) = match line.strip_prefix(SIGN_OFF) {
        Some(rest) => {
            let (slug, rest) = rest.split_once(SIGN_OFF_BY)?;
            (Some(slug.to_string()), rest)
        }
        None => (None, line.strip_prefix(SIGN_OFF_UNNAMED)?),
    };
    let (by, rest) = rest.split_once(SIGN_OFF_DATE).unwrap_or((rest, ""));
    let (date, result) = rest.split_once(SIGN_OFF_RESULT).unwrap_or((rest, ""));
    let field = |s: &str| {
        let s = s.trim();
        if s.chars().all(|c| c == '_') {
            String::new()
        } else {
            s.to_string()
        }
    };
    Some(SignOffLine {
        chapter,
        fields: [field(by), field(date), field(result)],
    })
}

/// The environment a title table's row names, or `None` when the line is
/// not that row.
pub fn read_environment(line: &str) -> Option<&str> {
    let rest = line.strip_prefix(ENVIRONMENT)?;
    rest.split_once('`').map(|(name, _)| name)
}

/// A filled row of the run record table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRecord {
    pub id: String,
    pub result: String,
    /// Adds, updates, deletes and errors; a blank cell (or `-`) is `None`.
    pub counts: [Option<u64>; 4],
}

/// A count cell that is neither blank nor a whole number: its text, and
/// the column it starts in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadCount {
    pub id: String,
    pub text: String,
    pub column: usize,
}

/// A table row whose first cell is a run's id in backticks
/// (`` `run-cycle.N` ``) and that has a result or a count filled in, or
/// `None` (any other line, or a run not recorded yet).
pub fn read_run_record_row(line: &str) -> Option<Result<RunRecord, BadCount>> {
    if !line.starts_with("| `") {
        return None;
    }
    let cells = split_row(line);
    let [id, _, _, result, counts @ ..] = cells.as_slice() else {
        return None;
    };
    let id = id.cell.trim().trim_matches('`').to_string();
    if !super::ids::is_run_id(&id) {
        return None;
    }
    let result = result.cell.trim();
    let mut read = [None; 4];
    for (slot, c) in read.iter_mut().zip(counts) {
        let text = c.cell.trim();
        if matches!(text, "" | "-" | "–" | "—") {
            continue;
        }
        match text.parse::<u64>() {
            Ok(n) => *slot = Some(n),
            Err(_) => {
                let indent = c.cell.chars().take_while(|c| c.is_whitespace()).count();
                return Some(Err(BadCount {
                    id,
                    text: text.to_string(),
                    column: c.column + indent,
                }));
            }
        }
    }
    if result.is_empty() && read.iter().all(Option::is_none) {
        return None;
    }
    Some(Ok(RunRecord {
        id,
        result: result.to_string(),
        counts: read,
    }))
}

/// A cell of a Markdown table row: its text, and the column (1-based,
/// in characters) it starts in.
struct Cell {
    cell: String,
    column: usize,
}

/// The cells of a Markdown table row, `\|` kept inside a cell.
fn split_row(line: &str) -> Vec<Cell> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut start = 0;
    let mut escaped = false;
    for (column, c) in line.chars().enumerate().map(|(i, c)| (i + 1, c)) {
        if escaped {
            cell.push(c);
            escaped = false;
        } else if c == '\\' {
            cell.push(c);
            escaped = true;
        } else if c == '|' {
            if start > 0 {
                cells.push(Cell {
                    cell: std::mem::take(&mut cell),
                    column: start,
                });
            }
            start = column + 1;
        } else {
            cell.push(c);
        }
    }
    cells
}

/// Give the templates the functions that write these lines.
pub(super) fn register(env: &mut Environment<'static>) {
    env.add_function("md_step_box", md_step_box);
    env.add_function("md_sign_off", md_sign_off);
    env.add_function("md_environment_row", |name: &str| environment_row(name));
    env.add_function("md_run_record_header", || RUN_RECORD_HEADER);
    env.add_function("md_run_record_row", md_run_record_row);
}

/// A string attribute of a template value (`step.id`), or an error naming
/// it.
fn attr(value: &Value, name: &str, function: &str) -> Result<String, Error> {
    let v = value.get_attr(name)?;
    v.as_str().map(str::to_string).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("{function}: the value has no `{name}` text"),
        )
    })
}

/// `md_step_box(step, kept)`: the box of a step (anything with `id` and
/// `hash`), ticked when `kept` (the context's) holds it unchanged.
fn md_step_box(step: Value, kept: Value) -> Result<String, Error> {
    let id = attr(&step, "id", "md_step_box")?;
    let hash = attr(&step, "hash", "md_step_box")?;
    let k = kept.get_item(&Value::from(id.as_str()))?;
    let state = if k.is_undefined() || k.is_none() {
        StepBox::Open
    } else if k.get_attr("changed")?.is_true() {
        StepBox::Changed
    } else {
        StepBox::Ticked
    };
    Ok(step_box(&id, &hash, state))
}

/// `md_sign_off(slug, signoffs)`: the sign-off line of the chapter whose
/// slug is `slug`, filled from `signoffs` (the context's) where it holds
/// one.
fn md_sign_off(slug: &str, signoffs: Value) -> Result<String, Error> {
    let s = signoffs.get_item(&Value::from(slug))?;
    if s.is_undefined() || s.is_none() {
        return Ok(sign_off(slug, "", "", ""));
    }
    let field = |name: &str| attr(&s, name, "md_sign_off");
    Ok(sign_off(
        slug,
        &field("done_by")?,
        &field("date")?,
        &field("result")?,
    ))
}

/// `md_run_record_row(id, agent, profile, runs)`: the run record's row of
/// run `id`, filled from `runs` (the context's) where it holds the run.
fn md_run_record_row(
    id: &str,
    agent: &str,
    profile: &str,
    runs: Option<Value>,
) -> Result<String, Error> {
    let run = match runs {
        Some(runs) => {
            let r = runs.get_item(&Value::from(id))?;
            if r.is_undefined() || r.is_none() {
                None
            } else {
                let counts = r.get_attr("counts")?;
                let count = |name: &str| -> Result<Option<u64>, Error> {
                    let v = counts.get_attr(name)?;
                    if v.is_undefined() || v.is_none() {
                        Ok(None)
                    } else {
                        u64::try_from(v).map(Some)
                    }
                };
                Some(KeptRun {
                    result: attr(&r, "result", "md_run_record_row")?,
                    counts: RunCounts::from_each([
                        count("adds")?,
                        count("updates")?,
                        count("deletes")?,
                        count("errors")?,
                    ]),
                })
            }
        }
        None => None,
    };
    Ok(run_record_row(id, agent, profile, run.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_box_reads_back_as_written() {
        for state in [StepBox::Open, StepBox::Ticked, StepBox::Changed] {
            let line = format!("{}Do **it**.", step_box("a.1", "0123456789ab", state));
            let read = read_step(&line).and_then(Result::ok);
            assert_eq!(
                read,
                Some(StepLine {
                    id: "a.1",
                    hash: "0123456789ab",
                    done: state == StepBox::Ticked,
                    text: "Do **it**.",
                }),
                "{line}"
            );
        }
        assert_eq!(read_step("- [x] done"), None);
        assert_eq!(
            read_step("- [?] `a.1` x"),
            Some(Err(BadBox {
                id: "a.1",
                column: 4
            }))
        );
    }

    #[test]
    fn a_sign_off_reads_back_as_written_and_blank_fields_as_empty() {
        let line = sign_off("install-sql", "Ann", "", "success");
        assert_eq!(
            line,
            "**Sign-off of `install-sql`:** done by Ann · date ____________ · result success"
        );
        assert_eq!(
            read_sign_off(&line),
            Some(SignOffLine {
                chapter: Some("install-sql".into()),
                fields: ["Ann".to_string(), String::new(), "success".to_string()]
            })
        );
        assert_eq!(
            read_sign_off("**Sign-off:** done by Bo · date 1 · result ok").map(|s| s.chapter),
            Some(None),
            "an earlier runsheet's line"
        );
        assert_eq!(read_sign_off("Sign-off: Ann"), None);
    }

    #[test]
    fn the_environment_row_reads_back_as_written() {
        assert_eq!(read_environment(&environment_row("prod")), Some("prod"));
        assert_eq!(read_environment("| Book | x |"), None);
    }

    #[test]
    fn a_run_record_row_reads_back_with_its_counts_and_blank_is_not_zero() {
        let row = run_record_row("run-cycle.1", "FAB|AD", "Full Import", None);
        assert_eq!(
            row,
            "| `run-cycle.1` | `FAB\\|AD` | Full Import | | | | | |"
        );
        assert_eq!(read_run_record_row(&row), None, "not filled in yet");
        assert_eq!(
            read_run_record_row("| `mim` | `MIMMA` | FIM | default | many |"),
            None,
            "another table's row"
        );
        let filled = row.replacen("| | | | | |", "| success | 1 | | - | 4 |", 1);
        assert_eq!(
            read_run_record_row(&filled),
            Some(Ok(RunRecord {
                id: "run-cycle.1".into(),
                result: "success".into(),
                counts: [Some(1), None, None, Some(4)],
            }))
        );
        let bad = row.replacen("| | | | | |", "| success | 1 | many | | |", 1);
        assert_eq!(
            read_run_record_row(&bad),
            Some(Err(BadCount {
                id: "run-cycle.1".into(),
                text: "many".into(),
                column: 59,
            }))
        );
        let kept = KeptRun {
            result: "completed-export-errors".into(),
            counts: RunCounts::from_each([Some(417), None, None, Some(2)]),
        };
        let written = run_record_row("run-cycle.1", "AD", "Export", Some(&kept));
        assert_eq!(
            written,
            "| `run-cycle.1` | `AD` | Export | completed-export-errors | 417 | | | 2 |"
        );
        assert_eq!(
            read_run_record_row(&written),
            Some(Ok(RunRecord {
                id: "run-cycle.1".into(),
                result: "completed-export-errors".into(),
                counts: [Some(417), None, None, Some(2)],
            }))
        );
    }
}
