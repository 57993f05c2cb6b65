//! `runsheet status`: where a runbook stands, from its progress laid onto
//! the runbook the guide renders today ([`super::align`]).
//!
//! A chapter's sign-off counts only when every step of the chapter is
//! done; a sign-off of a chapter with steps not done (none ticked at all
//! included) is reported, not read as ticking them. `--check` fails on
//! that, on a result that is not of the `success` class, and on a ticked
//! step whose text changed since.

use super::align::{Alignment, align, chapter_of};
use super::{Progress, SignOff};
use crate::mim::run_result::{Action, action, is_success};
use crate::render::context::{Context, RunCounts};
use crate::text::escape::shown;
use serde::Serialize;
use std::fmt::Write as _;

/// Where one environment's runbook stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    pub environment: String,
    pub done: usize,
    pub total: usize,
    pub chapters: Vec<ChapterStatus>,
    /// Ticked steps, in runbook order, with who did them, when and with
    /// what result, where the progress says.
    pub signed_off: Vec<SignedOff>,
    /// The runs of the run cycle recorded, with their result and counts.
    pub runs: Vec<RunStatus>,
    /// The first step in runbook order that is not done.
    pub next: Option<NextStep>,
    /// Results that are not of the `success` class: of steps, runs and
    /// sign-offs.
    pub not_success: Vec<NotSuccess>,
    /// Sign-offs of chapters whose steps are not all done: not counted.
    pub early_sign_offs: Vec<EarlySignOff>,
    /// Ticked steps whose text changed since (they count as not done).
    pub changed: Vec<String>,
    /// Step ids in the progress that the runbook no longer has.
    pub unknown: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChapterStatus {
    /// Its title.
    pub chapter: String,
    /// Its slug, the first part of its step ids.
    pub slug: String,
    pub done: usize,
    pub remaining: usize,
    /// Its sign-off, when every step is done and the progress has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_off: Option<SignOff>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignedOff {
    pub id: String,
    pub done_by: String,
    pub date: String,
    pub result: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunStatus {
    pub id: String,
    pub agent: String,
    pub profile: String,
    pub result: String,
    pub counts: RunCounts,
}

/// A result that is not of the `success` class, and whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotSuccess {
    /// `step ID`, `run ID` or `sign-off of SLUG`.
    pub of: String,
    pub result: String,
    /// What a run cycle does after it: go on and report (`Warn`) or stop.
    pub action: Action,
}

/// A sign-off of a chapter not done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EarlySignOff {
    pub chapter: String,
    pub slug: String,
    pub done: usize,
    pub total: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextStep {
    pub id: String,
    pub chapter: String,
    pub text: String,
}

/// One chapter of today's runbook against a progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChapterState {
    pub slug: String,
    pub title: String,
    pub done: usize,
    pub total: usize,
    /// The progress's sign-off of the chapter, filled in.
    pub sign_off: Option<SignOff>,
}

impl ChapterState {
    /// Whether the chapter is done: every step, or, for a chapter without
    /// steps, its sign-off.
    pub fn is_done(&self) -> bool {
        if self.total == 0 {
            self.sign_off.is_some()
        } else {
            self.done == self.total
        }
    }

    /// Its sign-off, when it counts: the chapter is done.
    pub fn counted_sign_off(&self) -> Option<&SignOff> {
        self.sign_off.as_ref().filter(|_| self.is_done())
    }
}

/// Whether today's step `i` is done in the progress: ticked and unchanged
/// since.
fn is_done(progress: &Progress, alignment: &Alignment, i: usize) -> bool {
    alignment
        .of(i)
        .is_some_and(|l| l.same && progress.steps.get(l.progress).is_some_and(|p| p.done))
}

/// Each chapter of today's runbook (and the run cycle when it is a list
/// of its own), in order: steps done of all, and its sign-off.
pub fn chapters(progress: &Progress, ctx: &Context, alignment: &Alignment) -> Vec<ChapterState> {
    let mut out: Vec<ChapterState> = ctx
        .chapters
        .iter()
        .map(|c| ChapterState {
            slug: c.slug.clone(),
            title: c.title.clone(),
            done: 0,
            total: 0,
            sign_off: progress.signoff(&c.slug).cloned(),
        })
        .collect();
    if ctx.run_cycle_in.is_none() && !ctx.run_cycle.is_empty() {
        out.push(ChapterState {
            slug: crate::render::ids::RUN_CYCLE.into(),
            title: "Run cycle".into(),
            done: 0,
            total: 0,
            sign_off: progress.signoff(crate::render::ids::RUN_CYCLE).cloned(),
        });
    }
    let place: std::collections::HashMap<String, usize> = out
        .iter()
        .enumerate()
        .map(|(i, c)| (c.slug.clone(), i))
        .collect();
    for (i, s) in ctx.steps.iter().enumerate() {
        let at = place.get(chapter_of(&s.id)).copied();
        if let Some(c) = at.and_then(|at| out.get_mut(at)) {
            c.total += 1;
            if is_done(progress, alignment, i) {
                c.done += 1;
            }
        }
    }
    out
}

/// The status of `ctx`'s runbook given `progress`.
pub fn status(progress: &Progress, ctx: &Context) -> Status {
    let alignment = align(progress, ctx);
    let chapter_states = chapters(progress, ctx, &alignment);
    let mut signed_off = Vec::new();
    let mut not_success = Vec::new();
    let mut changed = Vec::new();
    let mut next = None;
    let mut done = 0;
    fn not_success_of(into: &mut Vec<NotSuccess>, of: String, result: &str) {
        if !result.is_empty() && !is_success(result) {
            into.push(NotSuccess {
                of,
                result: result.to_string(),
                action: action(result),
            });
        }
    }
    for (i, s) in ctx.steps.iter().enumerate() {
        let laid = alignment.of(i);
        let p = laid.and_then(|l| progress.steps.get(l.progress).map(|p| (l, p)));
        match p {
            Some((l, p)) if p.done && !l.same => changed.push(s.id.clone()),
            Some((_, p)) if p.done => {
                done += 1;
                if !(p.done_by.is_empty() && p.date.is_empty() && p.result.is_empty()) {
                    signed_off.push(SignedOff {
                        id: s.id.clone(),
                        done_by: p.done_by.clone(),
                        date: p.date.clone(),
                        result: p.result.clone(),
                    });
                }
                not_success_of(&mut not_success, format!("step {}", s.id), &p.result);
                continue;
            }
            _ => {}
        }
        if next.is_none() {
            next = Some(NextStep {
                id: s.id.clone(),
                chapter: s.chapter.clone(),
                text: s.text.clone(),
            });
        }
    }
    let runs: Vec<RunStatus> = ctx
        .run_cycle
        .iter()
        .filter_map(|r| {
            let p = progress.run(&r.id)?;
            Some(RunStatus {
                id: r.id.clone(),
                agent: r.agent.name.clone(),
                profile: r.profile.name.clone(),
                result: p.result.clone(),
                counts: p.counts.clone().unwrap_or_default(),
            })
        })
        .collect();
    for r in &runs {
        // A run's result is said once, though the run may be a step too.
        if !not_success.iter().any(|n| n.of == format!("step {}", r.id)) {
            not_success_of(&mut not_success, format!("run {}", r.id), &r.result);
        }
    }
    let mut early_sign_offs = Vec::new();
    let chapters = chapter_states
        .iter()
        .map(|c| {
            if let Some(s) = c.counted_sign_off() {
                not_success_of(
                    &mut not_success,
                    format!("sign-off of {}", c.slug),
                    &s.result,
                );
            } else if c.sign_off.is_some() {
                early_sign_offs.push(EarlySignOff {
                    chapter: c.title.clone(),
                    slug: c.slug.clone(),
                    done: c.done,
                    total: c.total,
                });
            }
            ChapterStatus {
                chapter: c.title.clone(),
                slug: c.slug.clone(),
                done: c.done,
                remaining: c.total - c.done,
                signed_off: c.counted_sign_off().cloned(),
            }
        })
        .filter(|c| c.done + c.remaining > 0 || c.signed_off.is_some())
        .collect();
    let unknown = alignment
        .left
        .iter()
        .filter_map(|&i| progress.steps.get(i))
        .map(|s| s.id.clone())
        .collect();
    Status {
        environment: ctx.environment.name.clone(),
        done,
        total: ctx.steps.len(),
        chapters,
        signed_off,
        runs,
        next,
        not_success,
        early_sign_offs,
        changed,
        unknown,
    }
}

/// Who, when and what, as one phrase: `Ann · 2026-12-01 · success`.
/// Each part shown as [`shown`] does: they come from a progress file.
fn phrase(parts: [&str; 3]) -> String {
    let parts: Vec<String> = (parts.into_iter())
        .filter(|p| !p.is_empty())
        .map(|p| shown(p).to_string())
        .collect();
    if parts.is_empty() {
        "(nothing filled in)".to_string()
    } else {
        parts.join(" · ")
    }
}

/// Ids or names, each [`shown`], joined with commas.
fn listed(items: &[String]) -> String {
    let shown: Vec<String> = items.iter().map(|i| shown(i).to_string()).collect();
    shown.join(", ")
}

/// A run's counts, those recorded: `adds 417, errors 2`.
pub fn counts_phrase(c: &RunCounts) -> String {
    let names = ["adds", "updates", "deletes", "errors"];
    let parts: Vec<String> = (names.iter().zip(c.each()))
        .filter_map(|(name, n)| n.map(|n| format!("{name} {n}")))
        .collect();
    if parts.is_empty() {
        "no counts recorded".to_string()
    } else {
        parts.join(", ")
    }
}

impl Status {
    /// What `status --check` fails on: a result that is not success, a
    /// ticked step that changed, a sign-off of a chapter not done.
    pub fn check_fails(&self) -> bool {
        !(self.not_success.is_empty() && self.changed.is_empty() && self.early_sign_offs.is_empty())
    }

    /// For people. Every value in it that a file gave (a progress's
    /// fields, the guide's titles and text) is [`shown`]: a progress file
    /// cannot write a line of its own or steer the terminal.
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "{}: {} of {} steps done",
            shown(&self.environment),
            self.done,
            self.total
        );
        for c in &self.chapters {
            let signed = match &c.signed_off {
                Some(s) => format!(", signed off: {}", phrase([&s.done_by, &s.date, &s.result])),
                None => String::new(),
            };
            let _ = writeln!(
                o,
                "  {}: {} done, {} remaining{signed}",
                shown(&c.chapter),
                c.done,
                c.remaining
            );
        }
        if !self.signed_off.is_empty() {
            let _ = writeln!(o, "steps done:");
            for s in &self.signed_off {
                let _ = writeln!(
                    o,
                    "  {}  {}",
                    shown(&s.id),
                    phrase([&s.done_by, &s.date, &s.result])
                );
            }
        }
        if !self.runs.is_empty() {
            let _ = writeln!(o, "runs recorded:");
            for r in &self.runs {
                let result = if r.result.is_empty() {
                    "(no result)".to_string()
                } else {
                    shown(&r.result).to_string()
                };
                let _ = writeln!(
                    o,
                    "  {}  {} on {}: {result} ({})",
                    shown(&r.id),
                    shown(&r.profile),
                    shown(&r.agent),
                    counts_phrase(&r.counts)
                );
            }
        }
        if !self.not_success.is_empty() {
            let _ = writeln!(o, "results that were not success:");
            for n in &self.not_success {
                let _ = writeln!(o, "  {}: {}", shown(&n.of), shown(&n.result));
            }
        }
        for e in &self.early_sign_offs {
            let _ = writeln!(
                o,
                "signed off with {} of {} steps done, so not counted: {} ({}); tick the steps done, or clear the sign-off",
                e.done,
                e.total,
                shown(&e.chapter),
                shown(&e.slug)
            );
        }
        if !self.changed.is_empty() {
            let _ = writeln!(
                o,
                "changed since they were ticked (to do again): {}",
                listed(&self.changed)
            );
        }
        if !self.unknown.is_empty() {
            let _ = writeln!(o, "not in the runbook any more: {}", listed(&self.unknown));
        }
        match &self.next {
            Some(n) => {
                let _ = writeln!(
                    o,
                    "next: {} ({}) {}",
                    shown(&n.id),
                    shown(&n.chapter),
                    shown(&n.text)
                );
            }
            None => {
                let _ = writeln!(o, "next: nothing, every step is done");
            }
        }
        o
    }
}
