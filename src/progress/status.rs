//! `runsheet status`: where a runbook stands, from its progress and the
//! runbook the guide renders today.

use super::Progress;
use crate::mim::run_result::is_success;
use crate::render::context::Context;
use serde::Serialize;
use std::fmt::Write as _;

/// Where one environment's runbook stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    pub environment: String,
    pub done: usize,
    pub total: usize,
    pub chapters: Vec<ChapterStatus>,
    /// Ticked steps, in runbook order, with their sign-off.
    pub signed_off: Vec<SignedOff>,
    /// The first step in runbook order that is not done.
    pub next: Option<NextStep>,
    /// Ticked steps whose result is not of the `success` class.
    pub not_success: Vec<SignedOff>,
    /// Ticked steps whose text changed since (they count as not done).
    pub changed: Vec<String>,
    /// Step ids in the progress that the runbook no longer has.
    pub unknown: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChapterStatus {
    pub chapter: String,
    pub done: usize,
    pub remaining: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignedOff {
    pub id: String,
    pub done_by: String,
    pub date: String,
    pub result: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<super::Counts>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextStep {
    pub id: String,
    pub chapter: String,
    pub text: String,
}

/// The status of `ctx`'s runbook given `progress`.
pub fn status(progress: &Progress, ctx: &Context) -> Status {
    let by_id = progress.by_id();
    let mut chapters: Vec<ChapterStatus> = Vec::new();
    let mut signed_off = Vec::new();
    let mut not_success = Vec::new();
    let mut changed = Vec::new();
    let mut next = None;
    let mut done = 0;
    for s in &ctx.steps {
        let p = by_id.get(s.id.as_str()).filter(|p| p.done);
        let is_changed = p.is_some_and(|p| !p.hash.is_empty() && p.hash != s.hash);
        let is_done = p.is_some() && !is_changed;
        if is_changed {
            changed.push(s.id.clone());
        }
        if !matches!(chapters.last(), Some(c) if c.chapter == s.chapter) {
            chapters.push(ChapterStatus {
                chapter: s.chapter.clone(),
                done: 0,
                remaining: 0,
            });
        }
        if let Some(c) = chapters.last_mut() {
            if is_done {
                c.done += 1;
            } else {
                c.remaining += 1;
            }
        }
        if let Some(p) = p.filter(|_| is_done) {
            done += 1;
            let signed = SignedOff {
                id: s.id.clone(),
                done_by: p.done_by.clone(),
                date: p.date.clone(),
                result: p.result.clone(),
                counts: p.counts.clone(),
            };
            if !p.result.is_empty() && !is_success(&p.result) {
                not_success.push(signed.clone());
            }
            signed_off.push(signed);
        } else if next.is_none() {
            next = Some(NextStep {
                id: s.id.clone(),
                chapter: s.chapter.clone(),
                text: s.text.clone(),
            });
        }
    }
    let known: std::collections::HashSet<&str> = ctx.steps.iter().map(|s| s.id.as_str()).collect();
    let unknown = progress
        .steps
        .iter()
        .filter(|s| !known.contains(s.id.as_str()))
        .map(|s| s.id.clone())
        .collect();
    Status {
        environment: ctx.environment.name.clone(),
        done,
        total: ctx.steps.len(),
        chapters,
        signed_off,
        next,
        not_success,
        changed,
        unknown,
    }
}

/// A sign-off as one phrase: `Ann · 2026-12-01 · success`.
fn phrase(s: &SignedOff) -> String {
    let parts: Vec<&str> = [s.done_by.as_str(), s.date.as_str(), s.result.as_str()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
    let mut out = if parts.is_empty() {
        "(no sign-off)".to_string()
    } else {
        parts.join(" · ")
    };
    if let Some(c) = &s.counts {
        let _ = write!(
            out,
            " (adds {}, updates {}, deletes {}, errors {})",
            c.adds, c.updates, c.deletes, c.errors
        );
    }
    out
}

impl Status {
    /// For people.
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "{}: {} of {} steps done",
            self.environment, self.done, self.total
        );
        for c in &self.chapters {
            let _ = writeln!(
                o,
                "  {}: {} done, {} remaining",
                c.chapter, c.done, c.remaining
            );
        }
        if !self.signed_off.is_empty() {
            let _ = writeln!(o, "signed off:");
            for s in &self.signed_off {
                let _ = writeln!(o, "  {}  {}", s.id, phrase(s));
            }
        }
        if !self.not_success.is_empty() {
            let _ = writeln!(o, "results that were not success:");
            for s in &self.not_success {
                let _ = writeln!(o, "  {}  {}", s.id, phrase(s));
            }
        }
        if !self.changed.is_empty() {
            let _ = writeln!(
                o,
                "changed since they were ticked (to do again): {}",
                self.changed.join(", ")
            );
        }
        if !self.unknown.is_empty() {
            let _ = writeln!(
                o,
                "not in the runbook any more: {}",
                self.unknown.join(", ")
            );
        }
        match &self.next {
            Some(n) => {
                let _ = writeln!(o, "next: {} ({}) {}", n.id, n.chapter, n.text);
            }
            None => {
                let _ = writeln!(o, "next: nothing, every step is done");
            }
        }
        o
    }
}
