//! `runsheet diff`: what changed in a runbook since its progress was
//! recorded: steps added, steps removed, and steps whose text changed
//! (another hash), above all those already ticked, which must be done
//! again. Steps are paired by content ([`super::align`]), so a step
//! inserted is one added and nothing else.

use super::Progress;
use super::align::align;
use crate::render::context::Context;
use crate::text::escape::shown;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};
use std::fmt::Write as _;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub environment: String,
    /// In today's runbook, not in the progress.
    pub added: Vec<StepText>,
    /// In the progress, not in today's runbook.
    pub removed: Vec<StepText>,
    /// In both, with another hash.
    pub changed: Vec<Changed>,
}

/// A step added or removed: its id and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepText {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed {
    /// Its id today.
    pub id: String,
    /// Its id in the progress, when another.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub was: Option<String>,
    /// Ticked in the progress: to do again.
    pub ticked: bool,
    pub old_hash: String,
    pub new_hash: String,
    /// `[-old-]{+new+}` over words; empty when the progress lacks the old
    /// text.
    pub word_diff: String,
}

impl Diff {
    /// Whether a ticked step changed (`runsheet diff` exits 1).
    pub fn ticked_changed(&self) -> bool {
        self.changed.iter().any(|c| c.ticked)
    }

    /// For people. Every value in it that a file gave is [`shown`].
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        let redo: Vec<&Changed> = self.changed.iter().filter(|c| c.ticked).collect();
        let _ = writeln!(
            o,
            "{}: {} added, {} removed, {} changed ({} of them ticked: to do again)",
            shown(&self.environment),
            self.added.len(),
            self.removed.len(),
            self.changed.len(),
            redo.len()
        );
        for c in &self.changed {
            let what = if c.ticked {
                "changed after it was ticked, do it again"
            } else {
                "changed, not ticked yet"
            };
            let was = c
                .was
                .as_ref()
                .map_or(String::new(), |w| format!(", was {}", shown(w)));
            let _ = writeln!(
                o,
                "~ {}  {what} ({} → {}{was})",
                shown(&c.id),
                shown(&c.old_hash),
                shown(&c.new_hash)
            );
            if c.word_diff.is_empty() {
                let _ = writeln!(o, "    (the progress does not have the old text)");
            } else {
                let _ = writeln!(o, "    {}", shown(&c.word_diff));
            }
        }
        for s in &self.added {
            let _ = writeln!(o, "+ {}  {}", shown(&s.id), shown(&s.text));
        }
        for s in &self.removed {
            let _ = writeln!(o, "- {}  {}", shown(&s.id), shown(&s.text));
        }
        o
    }
}

/// Compare `progress` with `ctx`'s runbook.
pub fn diff(progress: &Progress, ctx: &Context) -> Diff {
    let alignment = align(progress, ctx);
    // The new text as the progress has the old: Markdown or plain.
    let markdown = if progress.text_is_markdown {
        super::markdown_lines(ctx)
    } else {
        std::collections::BTreeMap::new()
    };
    let mut added = Vec::new();
    let mut changed = Vec::new();
    for (i, s) in ctx.steps.iter().enumerate() {
        let laid = alignment.of(i);
        match laid.and_then(|l| progress.steps.get(l.progress).map(|p| (l, p))) {
            None => added.push(StepText {
                id: s.id.clone(),
                text: s.text.clone(),
            }),
            Some((l, p)) if !l.same => changed.push(Changed {
                id: s.id.clone(),
                was: (p.id != s.id).then(|| p.id.clone()),
                ticked: p.done,
                old_hash: p.hash.clone(),
                new_hash: s.hash.clone(),
                word_diff: if p.text.is_empty() {
                    String::new()
                } else {
                    let new = markdown.get(s.id.as_str()).unwrap_or(&s.full_text);
                    word_diff(&p.text, new)
                },
            }),
            Some(_) => {}
        }
    }
    let removed = alignment
        .left
        .iter()
        .filter_map(|&i| progress.steps.get(i))
        .map(|s| StepText {
            id: s.id.clone(),
            text: s.text.clone(),
        })
        .collect();
    Diff {
        environment: ctx.environment.name.clone(),
        added,
        removed,
        changed,
    }
}

/// `old` and `new` word by word: `[-removed-]{+inserted+}`, the rest as is.
pub fn word_diff(old: &str, new: &str) -> String {
    let diff = TextDiff::from_words(old, new);
    let mut out = String::new();
    let mut run: Option<(ChangeTag, String)> = None;
    let flush = |out: &mut String, run: Option<(ChangeTag, String)>| match run {
        Some((ChangeTag::Delete, t)) => {
            let _ = write!(out, "[-{t}-]");
        }
        Some((ChangeTag::Insert, t)) => {
            let _ = write!(out, "{{+{t}+}}");
        }
        Some((ChangeTag::Equal, t)) => out.push_str(&t),
        None => {}
    };
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        let value = change.value();
        match &mut run {
            Some((t, text)) if *t == tag => text.push_str(value),
            // Whitespace between two changes of the same kind joins them.
            _ => {
                flush(&mut out, run.take());
                run = Some((tag, value.to_string()));
            }
        }
    }
    flush(&mut out, run);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_diff_marks_what_went_and_what_came() {
        assert_eq!(
            word_diff("Create the OU Guests now.", "Create the OU B2B Guests now."),
            "Create the OU {+B2B +}Guests now."
        );
        assert_eq!(word_diff("a b", "a c"), "a [-b-]{+c+}");
    }
}
