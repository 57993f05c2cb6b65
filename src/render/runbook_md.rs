//! The lines of `runbook.md` that progress is read back from, defined once
//! for both sides: the template writes them with the functions
//! [`register`] gives every template, and `progress::read` reads them with
//! the `read_*` functions here.
//!
//! | line | written by | read as |
//! | --- | --- | --- |
//! | `` - [ ] `ID` <!-- hash HASH --> `` then the step's Markdown, its further lines indented by two spaces | `md_step_box(step, kept)` | a step, ticked or not, with its hash and text |
//! | `**Changed since it was ticked: do it again.**` after a step's box | `md_step_box` (a kept step that changed) | left out of the step's text |
//! | `**Sign-off:** done by … · date … · result …` | `md_sign_off(slug, signoffs)` | the sign-off of the ticked steps above it (since the last one) |
//! | `` \| Environment \| `NAME` \| `` | `md_environment_row(name)` | the environment |
//! | `` \| `ID` \| agent \| profile \| result \| adds \| updates \| deletes \| errors \| `` | `md_run_record_header()`, `md_run_record_row(id, agent, profile)` | a run's result and counts |
//!
//! A book's own `runbook.md.j2` that writes other lines still renders, but
//! its ticked `runbook.md` cannot be read back: the reader says which line
//! it did not find (`progress.json` and `runbook.csv` are read all the
//! same).

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
const SIGN_OFF: &str = "**Sign-off:** done by ";
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

/// A chapter's sign-off line; an empty field is [`BLANK`], the others are
/// escaped for Markdown.
pub fn sign_off(done_by: &str, date: &str, result: &str) -> String {
    let field = |s: &str| {
        if s.is_empty() {
            BLANK.to_string()
        } else {
            escape::markdown(s)
        }
    };
    format!(
        "{SIGN_OFF}{}{SIGN_OFF_DATE}{}{SIGN_OFF_RESULT}{}",
        field(done_by),
        field(date),
        field(result)
    )
}

/// The title table's row naming the environment.
pub fn environment_row(name: &str) -> String {
    format!("{ENVIRONMENT}{name}` |")
}

/// A run's row of the run record table, its result and counts left to
/// fill in.
pub fn run_record_row(id: &str, agent: &str, profile: &str) -> String {
    format!(
        "| `{id}` | {} | {} | | | | | |",
        super::templates::markdown_cell(&escape::code_span(agent)),
        super::templates::markdown_cell(profile)
    )
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

/// A sign-off line's fields (done by, date, result), a [`BLANK`] one
/// empty; `None` when the line is not one.
pub fn read_sign_off(line: &str) -> Option<[String; 3]> {
    let rest = line.strip_prefix(SIGN_OFF)?;
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
    Some([field(by), field(date), field(result)])
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
    /// Adds, updates, deletes and errors, when the row has their cells (a
    /// cell that is not a number counts 0).
    pub counts: Option<[u64; 4]>,
}

/// A table row whose first cell is a step id in backticks and whose result
/// is filled, or `None` (any other line, or a run not recorded yet). Rows
/// of other tables whose first cell is in backticks are read too; their
/// ids are no step's.
pub fn read_run_record_row(line: &str) -> Option<RunRecord> {
    if !line.starts_with("| `") {
        return None;
    }
    let cells = split_row(line);
    let [id, _, _, result, counts @ ..] = cells.as_slice() else {
        return None;
    };
    let result = result.trim();
    if result.is_empty() {
        return None;
    }
    let n: Vec<u64> = counts
        .iter()
        .map(|c| c.trim().parse().unwrap_or(0))
        .collect();
    Some(RunRecord {
        id: id.trim().trim_matches('`').to_string(),
        result: result.to_string(),
        counts: match n.as_slice() {
            [adds, updates, deletes, errors, ..] => Some([*adds, *updates, *deletes, *errors]),
            _ => None,
        },
    })
}

/// The cells of a Markdown table row, `\|` kept inside a cell.
fn split_row(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut escaped = false;
    for c in inner.chars() {
        if escaped {
            cell.push(c);
            escaped = false;
        } else if c == '\\' {
            cell.push(c);
            escaped = true;
        } else if c == '|' {
            cells.push(std::mem::take(&mut cell));
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
    env.add_function(
        "md_run_record_row",
        |id: &str, agent: &str, profile: &str| run_record_row(id, agent, profile),
    );
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
        return Ok(sign_off("", "", ""));
    }
    let field = |name: &str| attr(&s, name, "md_sign_off");
    Ok(sign_off(
        &field("done_by")?,
        &field("date")?,
        &field("result")?,
    ))
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
        let line = sign_off("Ann", "", "success");
        assert_eq!(
            line,
            "**Sign-off:** done by Ann · date ____________ · result success"
        );
        assert_eq!(
            read_sign_off(&line),
            Some(["Ann".to_string(), String::new(), "success".to_string()])
        );
        assert_eq!(read_sign_off("Sign-off: Ann"), None);
    }

    #[test]
    fn the_environment_row_reads_back_as_written() {
        assert_eq!(read_environment(&environment_row("prod")), Some("prod"));
        assert_eq!(read_environment("| Book | x |"), None);
    }

    #[test]
    fn a_filled_run_record_row_reads_back_with_its_counts() {
        let row = run_record_row("run-cycle.1", "FAB|AD", "Full Import");
        assert_eq!(
            row,
            "| `run-cycle.1` | `FAB\\|AD` | Full Import | | | | | |"
        );
        assert_eq!(read_run_record_row(&row), None, "not filled in yet");
        let filled = row.replacen("| | | | | |", "| success | 1 | 2 | x | 4 |", 1);
        assert_eq!(
            read_run_record_row(&filled),
            Some(RunRecord {
                id: "run-cycle.1".into(),
                result: "success".into(),
                counts: Some([1, 2, 0, 4]),
            })
        );
    }
}
