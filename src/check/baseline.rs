//! A baseline: the findings a guide already had when its team turned the
//! check on, recorded so that only new ones are reported.
//!
//! `runsheet check --write-baseline` records every finding as an entry:
//! its file, its rule, a fingerprint and how many findings share it.
//! `runsheet check --baseline` then drops as many findings of each
//! fingerprint as the entry counts, reports the rest as new, and names the
//! entries that no longer occur so the file can be pruned.
//!
//! A fingerprint is what the finding is about, not where it is: the rule,
//! the file, the message with its digits left out (so "line 12" in a
//! message does not move it) and the source text the finding points at
//! (a link's `[text](target)`, a table row, a front matter line). Lines
//! inserted above it or another paragraph edited keep it; a second broken
//! link to the same target in the same file adds one to the count, so it
//! is new. The fingerprint is a name-based UUID (SHA-1, RFC 9562 version
//! 5) of those parts, cut to 16 hex digits: the same on every machine and
//! in every runsheet build.

use super::Diagnostic;
use crate::text::columns::Columns;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The file name a baseline gets beside `book.toml` (or at the checked
/// root) unless one is named.
pub const DEFAULT_FILE: &str = "runsheet-baseline.json";

/// The most findings one entry of a baseline may count: far more than a
/// guide has of one fingerprint in one file, and few enough that every
/// count of a baseline adds up without overflowing.
pub const MAX_COUNT: usize = 1_000_000;

/// The longest source text, in characters, a fingerprint reads: enough to
/// tell findings apart, bounded on a megabyte-long line.
const SUBJECT_CHARS: usize = 200;

/// What a finding is about, as a short stable id (16 hex digits).
pub fn fingerprint(d: &Diagnostic) -> String {
    fingerprint_in(d, None)
}

/// [`fingerprint`], with the columns of the finding's line when they were
/// worked out (a long line's, shared by its findings).
fn fingerprint_in(d: &Diagnostic, columns: Option<&Columns>) -> String {
    const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6c1f_3b0e_8d2a_4f5c_9a47_2e61_d0b8_c3f9);
    let message: String = d.message.chars().filter(|c| !c.is_ascii_digit()).collect();
    let mut name = Vec::with_capacity(d.file.len() + message.len() + 64);
    for part in [d.rule.as_str(), &d.file, &message, subject(d, columns)] {
        name.extend_from_slice(part.as_bytes());
        name.push(0);
    }
    let id = uuid::Uuid::new_v5(&NAMESPACE, &name);
    id.simple().to_string()[..16].to_string()
}

/// The source text a finding points at: its span on its first line (to
/// the end of that line when it goes on), trimmed; empty when the span is
/// empty or the line is not known.
fn subject<'d>(d: &'d Diagnostic, columns: Option<&Columns>) -> &'d str {
    let Some(line) = d.source_line.as_deref() else {
        return "";
    };
    let byte_at = |column: usize| match columns {
        Some(c) => c.byte(line, column),
        None => line
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line.len(), |(i, _)| i),
    };
    // A finding on no text in particular (a whole file's, such as missing
    // front matter, placed at 1:1) is about its message alone: the line it
    // is placed on may change under it.
    let end = match d.end_line.cmp(&d.line) {
        std::cmp::Ordering::Greater => line.len(),
        std::cmp::Ordering::Equal if d.end_column > d.column => byte_at(d.end_column),
        _ => return "",
    };
    let start = byte_at(d.column);
    let text = line.get(start..end.max(start)).unwrap_or("").trim();
    match text.char_indices().nth(SUBJECT_CHARS) {
        Some((cut, _)) => &text[..cut],
        None => text,
    }
}

/// Each finding's fingerprint and its occurrence among the findings of the
/// same file with the same fingerprint (0 for the first), in the order
/// given.
pub fn fingerprints(findings: &[Diagnostic]) -> Vec<(String, usize)> {
    let mut seen: BTreeMap<(&str, String), usize> = BTreeMap::new();
    prints(findings)
        .into_iter()
        .zip(findings)
        .map(|(print, d)| {
            let n = seen.entry((d.file.as_str(), print.clone())).or_default();
            let occurrence = *n;
            *n += 1;
            (print, occurrence)
        })
        .collect()
}

/// The findings a guide is known to have.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// The format's version: 1.
    pub version: u32,
    /// Sorted by file, rule and fingerprint.
    pub findings: Vec<Entry>,
}

/// Findings of one fingerprint in one file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Relative to the guide's source folder, `/`-separated.
    pub file: String,
    pub rule: String,
    pub fingerprint: String,
    /// How many findings share the fingerprint.
    pub count: usize,
    /// The first one's message, for the people who read the file.
    pub message: String,
}

/// A baseline file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error(
        "{path}: cannot read the baseline: {source}; write one with `runsheet check --write-baseline`"
    )]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path}:{line}:{column}: not a runsheet baseline: {message}; write it again with `runsheet check --write-baseline`"
    )]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{path}: not a runsheet baseline: {message}; write it again with `runsheet check --write-baseline`"
    )]
    Count { path: String, message: String },
    #[error("{path}: baseline version {version} is not one this runsheet reads (1)")]
    Version { path: String, version: u32 },
    /// A baseline outside the book, or not a regular file, or too large.
    #[error("{0}")]
    Refused(crate::text::inside::FileError),
    #[error("{path}: cannot write the baseline: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// The largest baseline read: 64 MiB, some 300,000 findings' entries.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// What a baseline did to a guide's findings, as reports show it.
#[derive(Debug, Clone, Serialize)]
pub struct BaselineNote {
    /// The baseline file, as the user reaches it.
    pub file: String,
    /// How many findings it knew (not shown).
    pub known: usize,
    /// Its entries that no longer occur, with how many of each are gone.
    pub stale: Vec<Entry>,
}

/// What applying a baseline left.
#[derive(Debug, Default)]
pub struct Applied {
    /// The findings the baseline does not know, in the order given.
    pub new: Vec<Diagnostic>,
    /// How many findings it knew.
    pub known: usize,
    /// Entries (or parts of their counts) that no longer occur: `count` is
    /// how many of the entry's findings are gone.
    pub stale: Vec<Entry>,
}

/// Each finding's fingerprint, the columns of each long line worked out
/// once: a megabyte-long line with thousands of findings is not walked once
/// per finding.
fn prints(findings: &[Diagnostic]) -> Vec<String> {
    let columns = Columns::of_lines(
        findings.iter().filter_map(|d| d.source_line.as_ref()),
        LONG_LINE,
    );
    findings
        .iter()
        .map(|d| {
            let line = d.source_line.as_deref();
            fingerprint_in(d, line.and_then(|l| columns.get(&Columns::address(l))))
        })
        .collect()
}

/// A line longer than this (in bytes) has its columns worked out once.
const LONG_LINE: usize = 1024;

impl Baseline {
    /// The baseline of `findings`.
    pub fn of(findings: &[Diagnostic]) -> Baseline {
        let mut entries: BTreeMap<(&str, &str, String), Entry> = BTreeMap::new();
        for (d, print) in findings.iter().zip(prints(findings)) {
            entries
                .entry((d.file.as_str(), d.rule.as_str(), print.clone()))
                .and_modify(|e| e.count += 1)
                .or_insert_with(|| Entry {
                    file: d.file.clone(),
                    rule: d.rule.as_str().to_string(),
                    fingerprint: print,
                    count: 1,
                    message: d.message.clone(),
                });
        }
        Baseline {
            version: 1,
            findings: entries.into_values().collect(),
        }
    }

    /// How many findings it records.
    pub fn total(&self) -> usize {
        self.findings.iter().map(|e| e.count).sum()
    }

    /// Read a baseline file.
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        use crate::text::inside::{Cap, Why};
        let shown = path.display().to_string();
        let cap = Cap {
            bytes: MAX_BYTES,
            what: "a baseline",
        };
        let text = crate::text::inside::read_string(path, cap).map_err(|e| match e.why {
            Why::Read(source) => BaselineError::Read {
                path: shown.clone(),
                source,
            },
            _ => BaselineError::Refused(e),
        })?;
        // A byte order mark, as an editor may write, is no part of the JSON
        // (a progress file is read the same way).
        let json = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let baseline: Baseline =
            serde_json::from_str(json).map_err(|e| BaselineError::Invalid {
                path: shown.clone(),
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })?;
        if baseline.version != 1 {
            return Err(BaselineError::Version {
                path: shown,
                version: baseline.version,
            });
        }
        if let Some(e) = baseline.findings.iter().find(|e| e.count > MAX_COUNT) {
            return Err(BaselineError::Count {
                path: shown,
                message: format!(
                    "the entry of {} ({}) counts {} findings, more than a check reports ({MAX_COUNT} at most)",
                    crate::text::escape::shown(&e.file),
                    crate::text::escape::shown(&e.rule),
                    e.count
                ),
            });
        }
        Ok(baseline)
    }

    /// The file's text: JSON with one entry a line, so that a change to
    /// it reads well in a diff and the file stays small.
    pub fn to_json(&self) -> String {
        let mut text = format!("{{\n  \"version\": {},\n  \"findings\": [", self.version);
        for (i, entry) in self.findings.iter().enumerate() {
            text.push_str(if i == 0 { "\n    " } else { ",\n    " });
            // An entry of strings and a number always serialises.
            text.push_str(&serde_json::to_string(entry).unwrap_or_default());
        }
        text.push_str(if self.findings.is_empty() {
            "]\n}\n"
        } else {
            "\n  ]\n}\n"
        });
        text
    }

    /// Write the baseline to `path`: beside it first, then renamed into
    /// place, so a failure leaves the previous file whole.
    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        let failed = |source| BaselineError::Write {
            path: path.display().to_string(),
            source,
        };
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut file = tempfile::NamedTempFile::new_in(dir).map_err(failed)?;
        std::io::Write::write_all(&mut file, self.to_json().as_bytes()).map_err(failed)?;
        file.persist(path).map_err(|e| failed(e.error))?;
        Ok(())
    }

    /// Split `findings` into those the baseline knows and new ones. Of the
    /// findings that share a fingerprint in a file, the first ones (as many
    /// as the entry counts) are known; any more are new.
    pub fn apply(&self, findings: Vec<Diagnostic>) -> Applied {
        let key = |file: &str, rule: &str, print: &str| format!("{file}\0{rule}\0{print}");
        let mut left: BTreeMap<String, usize> = self
            .findings
            .iter()
            .map(|e| (key(&e.file, &e.rule, &e.fingerprint), e.count))
            .collect();
        let mut applied = Applied::default();
        let prints = prints(&findings);
        for (d, print) in findings.into_iter().zip(prints) {
            let k = key(&d.file, d.rule.as_str(), &print);
            match left.get_mut(&k) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    applied.known += 1;
                }
                _ => applied.new.push(d),
            }
        }
        applied.stale = self
            .findings
            .iter()
            .filter_map(|e| {
                // Taken, so an entry written twice is counted once.
                let gone = left
                    .remove(&key(&e.file, &e.rule, &e.fingerprint))
                    .unwrap_or(0);
                (gone > 0).then(|| Entry {
                    count: gone,
                    ..e.clone()
                })
            })
            .collect();
        applied
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::RuleId;
    use crate::text::lines::Span;

    fn broken(line: usize, column: usize, source: &str, target: &str) -> Diagnostic {
        let len = source.chars().count();
        let mut d = Diagnostic::at(
            RuleId::BrokenLink,
            "guide.md",
            Span {
                line,
                column,
                end_line: line,
                end_column: column + len,
                start: 0,
                end: 0,
            },
            format!("link to `{target}` does not exist"),
        );
        d.source_line = Some(format!("{}{source} and more", " ".repeat(column - 1)).into());
        d
    }

    #[test]
    fn a_finding_keeps_its_fingerprint_when_it_moves() {
        let here = broken(3, 1, "[Setup](setup.md)", "setup.md");
        let moved = broken(103, 5, "[Setup](setup.md)", "setup.md");
        assert_eq!(fingerprint(&here), fingerprint(&moved));
        let other = broken(3, 1, "[Install](setup.md)", "setup.md");
        assert_ne!(fingerprint(&here), fingerprint(&other));
    }

    #[test]
    fn line_numbers_in_a_message_do_not_move_its_fingerprint() {
        let mut a = broken(3, 1, "# Two", "x");
        a.message = "a chapter has one title (`One`, line 1)".into();
        let mut b = a.clone();
        b.message = "a chapter has one title (`One`, line 41)".into();
        assert_eq!(fingerprint(&a), fingerprint(&b));
    }

    #[test]
    fn a_second_finding_of_the_same_kind_is_new_and_a_fixed_one_is_stale() {
        let one = broken(3, 1, "[Setup](setup.md)", "setup.md");
        let gone = broken(9, 1, "[Old](old.md)", "old.md");
        let baseline = Baseline::of(&[one.clone(), gone]);
        assert_eq!(baseline.total(), 2);
        let again = broken(20, 1, "[Setup](setup.md)", "setup.md");
        let applied = baseline.apply(vec![one, again.clone()]);
        assert_eq!(applied.known, 1);
        assert_eq!(applied.new.len(), 1);
        assert_eq!(applied.new[0].line, again.line);
        assert_eq!(applied.stale.len(), 1);
        assert_eq!(applied.stale[0].message, "link to `old.md` does not exist");
    }

    #[test]
    fn fingerprints_number_repeats_in_order() {
        let a = broken(3, 1, "[Setup](setup.md)", "setup.md");
        let b = broken(4, 1, "[Setup](setup.md)", "setup.md");
        let prints = fingerprints(&[a, b]);
        assert_eq!(prints[0].0, prints[1].0);
        assert_eq!((prints[0].1, prints[1].1), (0, 1));
    }

    #[test]
    fn the_subject_is_bounded_on_a_long_line() {
        let long = "x".repeat(1_000_000);
        let d = broken(1, 1, &long, "x");
        assert_eq!(subject(&d, None).chars().count(), SUBJECT_CHARS);
    }

    #[test]
    fn a_baseline_survives_its_own_file() {
        let baseline = Baseline::of(&[broken(3, 1, "[a](b.md)", "b.md")]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DEFAULT_FILE);
        baseline.write(&path).unwrap();
        assert_eq!(Baseline::read(&path).unwrap(), baseline);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 6, "{text}");
        assert_eq!(
            Baseline::default().to_json(),
            "{\n  \"version\": 0,\n  \"findings\": []\n}\n"
        );
        std::fs::write(&path, "{\"version\": 1, \"findngs\": []}").unwrap();
        let err = Baseline::read(&path).unwrap_err().to_string();
        assert!(err.contains("not a runsheet baseline"), "{err}");
        assert!(err.contains("--write-baseline"), "{err}");
    }
}
