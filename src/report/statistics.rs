//! `--statistics`: how many findings each rule has, largest first, with
//! their severity and how many files they are in. The first look at a tree
//! that already has thousands of findings.

use super::Checked;
use crate::check::Severity;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One rule's findings, counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    pub rule: &'static str,
    pub severity: &'static str,
    pub count: usize,
    /// How many files they are in (their repeats' files included).
    pub files: usize,
    /// Places of these findings reported once for many (see
    /// [`crate::check::Diagnostic::repeats`]).
    #[serde(skip_serializing_if = "is_zero")]
    pub repeats: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The counts per rule and severity, largest first (then by rule id).
pub fn of(checked: &[Checked<'_>]) -> Vec<RuleCount> {
    // Per rule and severity: the count, and the files (by guide and path).
    type Files<'a> = BTreeSet<(usize, &'a str)>;
    let mut by_rule: BTreeMap<(&'static str, Severity), (usize, usize, Files<'_>)> =
        BTreeMap::new();
    for (guide, c) in checked.iter().enumerate() {
        for d in &c.diagnostics {
            let entry = by_rule.entry((d.rule.as_str(), d.severity)).or_default();
            entry.0 += 1;
            entry.1 += d.repeats.len();
            entry.2.insert((guide, d.file.as_str()));
            for r in &d.repeats {
                entry.2.insert((guide, r.file.as_str()));
            }
        }
    }
    let mut counts: Vec<RuleCount> = by_rule
        .into_iter()
        .map(|((rule, severity), (count, repeats, files))| RuleCount {
            rule,
            severity: severity.name(),
            count,
            files: files.len(),
            repeats,
        })
        .collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
    counts
}

/// The counts as a table: count, severity, rule, files.
pub fn to_text(counts: &[RuleCount]) -> String {
    let rule_width = counts
        .iter()
        .map(|c| c.rule.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let count_width = counts
        .iter()
        .map(|c| c.count.to_string().len())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut out = format!(
        "{:>count_width$}  {:<8} {:<rule_width$}  in\n",
        "count", "severity", "rule"
    );
    for c in counts {
        out.push_str(&format!(
            "{:>count_width$}  {:<8} {:<rule_width$}  {} file{}{}\n",
            c.count,
            c.severity,
            c.rule,
            c.files,
            if c.files == 1 { "" } else { "s" },
            match c.repeats {
                0 => String::new(),
                1 => " (and 1 more place reported with them)".to_string(),
                n => format!(" (and {n} more places reported with them)"),
            }
        ));
    }
    out.push('\n');
    out
}
