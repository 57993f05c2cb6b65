//! Reading progress back: a `progress.json` (what `runbook.html` exports),
//! a ticked `runbook.md` or a filled `runbook.csv`, told apart by the
//! file's extension. Progress files are untrusted: at most
//! [`MAX_BYTES`] and [`MAX_STEPS`] steps, and every problem is reported
//! with the file and line.

use super::{FORMAT, Progress, SignOff, StepProgress};
use crate::render::context::RunCounts;
use crate::render::runbook_md;
use crate::text::Located;
use std::collections::HashMap;
use std::path::Path;

/// The largest progress file read.
pub const MAX_BYTES: u64 = 16 * 1024 * 1024;
/// The most steps a progress file may list.
pub const MAX_STEPS: usize = 100_000;

/// Read the progress in the file at `path`, shown in messages as `shown`.
pub fn load(path: &Path, shown: &str) -> Result<Progress, Located> {
    use crate::text::inside::{Cap, Why};
    // At most the cap plus one byte is read, of a regular file only: a
    // FIFO or a device is refused, whatever size it reports.
    let cap = Cap {
        bytes: MAX_BYTES,
        what: "a progress file",
    };
    let text = crate::text::inside::read_string(path, cap).map_err(|e| {
        let message = match e.why {
            Why::Read(e) => format!("cannot read: {e}"),
            Why::NotUtf8 => "is not UTF-8".to_string(),
            why => why.to_string(),
        };
        Located::file(shown.to_string(), message)
    })?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let progress = match ext.as_str() {
        "json" => json(&text, shown)?,
        "md" | "markdown" => markdown(&text, shown)?,
        "csv" => csv(&text, shown)?,
        _ => {
            return Err(Located::file(
                shown.to_string(),
                "not a progress file: give a .json (exported from runbook.html), a ticked runbook.md or a filled runbook.csv".to_string(),
            ));
        }
    };
    if progress.steps.len() > MAX_STEPS {
        return Err(Located::file(
            shown.to_string(),
            format!(
                "{} steps: a progress file may list at most {MAX_STEPS}",
                progress.steps.len()
            ),
        ));
    }
    let mut seen = std::collections::HashSet::with_capacity(progress.steps.len());
    if let Some(twice) = progress.steps.iter().find(|s| !seen.insert(s.id.as_str())) {
        return Err(Located::file(
            shown.to_string(),
            format!(
                "step `{}` is listed twice: a progress lists each step once, so which of its states holds cannot be told; keep one",
                crate::text::escape::shown(&twice.id)
            ),
        ));
    }
    if progress.steps.is_empty() {
        return Err(Located::file(
            shown.to_string(),
            "no steps with ids: is this a runbook rendered by `runsheet render`, or its progress?"
                .to_string(),
        ));
    }
    Ok(progress)
}

/// A `progress.json`.
pub fn json(text: &str, shown: &str) -> Result<Progress, Located> {
    let p: Progress = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| Located::new(shown.to_string(), e.line(), e.column(), e.to_string()))?;
    if !p.format.is_empty() && p.format != FORMAT {
        return Err(Located::file(
            shown.to_string(),
            format!(
                "format `{}`: this runsheet reads `{FORMAT}`",
                crate::text::escape::shown(&p.format)
            ),
        ));
    }
    for s in &p.steps {
        if s.id.is_empty() {
            return Err(Located::file(
                shown.to_string(),
                "a step without an id".to_string(),
            ));
        }
    }
    Ok(p)
}

/// A ticked `runbook.md`: the lines [`crate::render::runbook_md`] defines,
/// as the default template writes them: check boxes with their step ids
/// and hashes, the chapters' sign-off lines, the environment row and the
/// run record table. A file without a single step line was written by a
/// template that does not write them, and says so.
pub fn markdown(text: &str, shown: &str) -> Result<Progress, Located> {
    let mut p = Progress {
        format: FORMAT.into(),
        text_is_markdown: true,
        ..Progress::default()
    };
    let mut current: Option<usize> = None;
    // Each step's place by id (the first of an id), so a run record finds
    // its step at once however many steps the file has.
    let mut places: HashMap<String, usize> = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(env) = runbook_md::read_environment(line) {
            p.environment = Some(env.to_string());
            continue;
        }
        if let Some(i) = current {
            if let Some(more) = runbook_md::read_continuation(line) {
                if let Some(s) = p.steps.get_mut(i) {
                    let more = more.trim();
                    if !more.is_empty() {
                        s.text.push(' ');
                        s.text.push_str(more);
                    }
                }
                continue;
            }
            if !line.trim().is_empty() {
                current = None;
            }
        }
        if let Some(step) = runbook_md::read_step(line) {
            let step = step.map_err(|bad| {
                Located::new(
                    shown,
                    n + 1,
                    bad.column,
                    format!("step `{}`: a check box is `[ ]` or `[x]`", bad.id),
                )
            })?;
            p.steps.push(StepProgress {
                id: step.id.to_string(),
                hash: step.hash.to_string(),
                text: step.text.to_string(),
                done: step.done,
                ..StepProgress::default()
            });
            current = Some(p.steps.len() - 1);
            places
                .entry(step.id.to_string())
                .or_insert(p.steps.len() - 1);
            continue;
        }
        if let Some(line) = runbook_md::read_sign_off(line) {
            // An earlier runsheet's line names no chapter: that of the
            // step above.
            let chapter = line.chapter.or_else(|| {
                p.steps
                    .last()
                    .map(|s| super::align::chapter_of(&s.id).to_string())
            });
            let [done_by, date, result] = line.fields;
            if let Some(chapter) = chapter {
                p.signoffs.push(SignOff {
                    chapter,
                    done_by,
                    date,
                    result,
                });
            }
            continue;
        }
        if let Some(run) = runbook_md::read_run_record_row(line) {
            let run = run.map_err(|bad| {
                Located::new(
                    shown,
                    n + 1,
                    bad.column,
                    format!(
                        "run `{}`: a count is a whole number, or blank when not recorded, not `{}`",
                        bad.id, bad.text
                    ),
                )
            })?;
            record_run(&mut p, &mut places, run.id, run.result, run.counts);
        }
    }
    if p.steps.is_empty() {
        return Err(Located::file(shown, no_step_lines()));
    }
    Ok(p)
}

/// Why a `runbook.md` without step lines gives no progress.
fn no_step_lines() -> String {
    format!(
        "no step lines to read progress from (`{}…`, which the built-in runbook.md.j2 writes with `md_step_box`): a book's own runbook.md.j2 that writes its steps otherwise cannot be read back; read the progress from progress.json (exported from runbook.html) or a filled runbook.csv instead",
        runbook_md::step_box("ID", "HASH", runbook_md::StepBox::Open)
    )
}

/// A recorded run: its result and counts, on the step of its id (a run of
/// a run cycle of its own, which it marks done when it has a result) or
/// on an entry of its own (a run of a cycle a chapter runs, whose steps
/// are the runs).
fn record_run(
    p: &mut Progress,
    places: &mut HashMap<String, usize>,
    id: String,
    result: String,
    counts: [Option<u64>; 4],
) {
    let counts = RunCounts::from_each(counts);
    let counts = (!counts.is_blank()).then_some(counts);
    match places.get(&id).and_then(|&i| p.steps.get_mut(i)) {
        Some(step) => {
            step.done |= !result.is_empty();
            step.result = result;
            step.counts = counts;
        }
        None => {
            places.insert(id.clone(), p.steps.len());
            p.steps.push(StepProgress {
                id,
                result,
                counts,
                ..StepProgress::default()
            });
        }
    }
}

/// A filled `runbook.csv`: a step is done when its `done by`, `date` or
/// `result` is filled; a run's row (`run-cycle.N`) gives it its result and
/// its counts (`adds`, `updates`, `deletes`, `errors`; a blank one is not
/// recorded).
pub fn csv(text: &str, shown: &str) -> Result<Progress, Located> {
    let rows = csv_rows(text.trim_start_matches('\u{feff}'), shown)?;
    let mut rows = rows.into_iter();
    let Some((_, header)) = rows.next() else {
        return Ok(Progress::default());
    };
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let Some(id_col) = col("id") else {
        return Err(Located::new(
            shown.to_string(),
            1,
            1,
            "no `id` column: is this a runbook.csv rendered by `runsheet render`?".to_string(),
        ));
    };
    let (step_col, by_col, date_col, result_col, hash_col) = (
        col("step"),
        col("done by"),
        col("date"),
        col("result"),
        col("hash"),
    );
    let count_cols = ["adds", "updates", "deletes", "errors"].map(|name| (name, col(name)));
    let mut p = Progress {
        format: FORMAT.into(),
        ..Progress::default()
    };
    for (line, row) in rows {
        let cell = |c: Option<usize>| {
            let v = c.and_then(|c| row.get(c)).map_or("", |v| v.trim());
            // The render guards a cell a spreadsheet would read as a formula.
            match v.strip_prefix('\'') {
                Some(r) if r.starts_with(['=', '+', '-', '@']) => r.to_string(),
                _ => v.to_string(),
            }
        };
        let id = cell(Some(id_col));
        if id.is_empty() {
            if row.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            return Err(Located::new(
                shown.to_string(),
                line,
                1,
                "a row without an id".to_string(),
            ));
        }
        let mut counts = [None; 4];
        for (slot, (name, c)) in counts.iter_mut().zip(count_cols) {
            let text = cell(c);
            if matches!(text.as_str(), "" | "-" | "–" | "—") {
                continue;
            }
            *slot = Some(text.parse::<u64>().map_err(|_| {
                Located::new(
                    shown.to_string(),
                    line,
                    c.map_or(1, |c| c + 1),
                    format!(
                        "`{id}`: {name} is a whole number, or blank when not recorded, not `{text}`"
                    ),
                )
            })?);
        }
        let counts = RunCounts::from_each(counts);
        let (done_by, date, result) = (cell(by_col), cell(date_col), cell(result_col));
        p.steps.push(StepProgress {
            id,
            hash: cell(hash_col),
            text: cell(step_col),
            done: !(done_by.is_empty() && date.is_empty() && result.is_empty()),
            done_by,
            date,
            result,
            counts: (!counts.is_blank()).then_some(counts),
        });
    }
    Ok(p)
}

/// RFC 4180 records, each with the line it starts on.
fn csv_rows(text: &str, shown: &str) -> Result<Vec<(usize, Vec<String>)>, Located> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut line = 1;
    let mut start = 1;
    let mut quoted = false;
    let mut quote_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                _ => {
                    if c == '\n' {
                        line += 1;
                    }
                    cell.push(c);
                }
            }
            continue;
        }
        match c {
            '"' if cell.is_empty() => {
                quoted = true;
                quote_line = line;
            }
            ',' => row.push(std::mem::take(&mut cell)),
            '\r' if chars.peek() == Some(&'\n') => {}
            // A line ends with LF, CRLF, or CR alone (an old Mac's, some
            // spreadsheets' export).
            '\n' | '\r' => {
                row.push(std::mem::take(&mut cell));
                rows.push((start, std::mem::take(&mut row)));
                line += 1;
                start = line;
            }
            _ => cell.push(c),
        }
    }
    if quoted {
        return Err(Located::new(
            shown.to_string(),
            quote_line,
            1,
            "a quoted cell is not closed".to_string(),
        ));
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push((start, row));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_may_be_quoted_over_lines() {
        let rows = csv_rows("a,b\n\"x, \"\"y\"\"\nz\",2\n", "t.csv").unwrap_or_default();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows.get(1).map(|r| r.1.clone()),
            Some(vec!["x, \"y\"\nz".to_string(), "2".to_string()])
        );
        assert!(csv_rows("a,\"b\n", "t.csv").is_err());
    }

    #[test]
    fn a_markdown_sign_off_is_its_chapters_and_ticks_nothing() {
        let md = "| Environment | `prod` |\n- [x] `a.do-it` <!-- hash 0123456789ab --> Do it:\n\n  more\n- [ ] `a.then-this` <!-- hash ba9876543210 --> Then this.\n\n**Sign-off of `a`:** done by Ann · date 2026-12-01 · result ____________\n";
        let p = markdown(md, "r.md").unwrap_or_default();
        assert_eq!(p.environment.as_deref(), Some("prod"));
        let first = p.step("a.do-it").cloned().unwrap_or_default();
        assert!(first.done);
        assert_eq!(first.hash, "0123456789ab");
        assert_eq!(first.text, "Do it: more");
        assert_eq!(first.done_by, "", "the sign-off is the chapter's");
        assert!(!p.step("a.then-this").is_some_and(|s| s.done));
        assert_eq!(
            p.signoffs,
            [SignOff {
                chapter: "a".into(),
                done_by: "Ann".into(),
                date: "2026-12-01".into(),
                result: String::new(),
            }]
        );
    }

    #[test]
    fn a_count_that_is_not_a_number_is_named_with_its_line_and_column() {
        let md = "- [ ] `a.x` <!-- hash 0123456789ab --> X\n| `run-cycle.1` | `AD` | Export | success | 12 | lots | | |\n";
        let e = markdown(md, "r.md")
            .err()
            .unwrap_or_else(|| Located::file("", ""));
        assert_eq!((e.line, e.column), (2, 50), "{e}");
        assert!(e.message.contains("not `lots`"), "{e}");
        let csv_text = "id,result,adds,errors,hash\nrun-cycle.1,success,4,x,\n";
        let e = csv(csv_text, "r.csv")
            .err()
            .unwrap_or_else(|| Located::file("", ""));
        assert_eq!((e.line, e.column), (2, 4), "{e}");
        let p = csv("id,result,adds,errors\nrun-cycle.1,success,4,\n", "r.csv").unwrap_or_default();
        assert_eq!(
            p.step("run-cycle.1").and_then(|s| s.counts.clone()),
            Some(RunCounts::from_each([Some(4), None, None, None]))
        );
    }

    #[test]
    fn each_run_record_reaches_its_own_step_among_tens_of_thousands() {
        // A run row finds its step by id at once (a search through the
        // steps for each row took minutes on a file within the caps).
        let n = 40_000;
        let mut md: String = (0..n)
            .map(|i| format!("- [ ] `run-cycle.{i}` <!-- hash 0123456789ab --> Run {i}\n"))
            .collect();
        md.extend(
            (0..n).map(|i| format!("| `run-cycle.{i}` | `AD` | Export | success | {i} | | | |\n")),
        );
        let p = markdown(&md, "r.md").unwrap_or_default();
        assert_eq!(p.steps.len(), n);
        for i in [0, n / 2, n - 1] {
            let step = p.step(&format!("run-cycle.{i}"));
            assert!(step.is_some_and(|s| s.done && s.result == "success"));
            assert_eq!(
                step.and_then(|s| s.counts.clone()),
                Some(RunCounts::from_each([Some(i as u64), None, None, None]))
            );
        }
    }
}
