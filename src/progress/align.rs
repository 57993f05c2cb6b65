//! Which step of today's runbook each step of a progress is: a step's
//! identity follows its content, not its place, so that a step inserted,
//! removed or moved in a chapter changes nothing for the others.
//!
//! Within each chapter (the steps whose ids start with the same slug):
//!
//! 1. a step whose author wrote its id (`<!-- runsheet-step: ID -->`) is
//!    the progress step of that id, whatever its text;
//! 2. a progress step without a hash (a hand-written `progress.json`) is
//!    today's step of the same id;
//! 3. the rest are aligned on their hashes as a diff aligns lines (Myers);
//!    a hash found on both sides but not aligned is a moved step;
//! 4. what is left between two aligned steps is paired by the likeness of
//!    its words (at least half alike, in order), or, when the progress has
//!    no text for it or there are too many to compare, in order; then what
//!    is left in the chapter, by likeness alone: such a pair is a step
//!    whose text changed.
//!
//! A progress step paired with none of today's steps was removed; one of
//! today's steps paired with none was added. Bounded: a chapter of more
//! steps than [`DIFF_MOST`] on either side is aligned on hashes in order,
//! and at most [`LIKENESS_MOST`] pairs of texts are compared per runbook.

use super::Progress;
use crate::render::context::Context;
use similar::{Algorithm, DiffOp, TextDiff};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The most steps of a chapter, on either side, aligned by a diff.
pub const DIFF_MOST: usize = 5_000;

/// The most pairs of texts compared for likeness in one alignment.
pub const LIKENESS_MOST: usize = 20_000;

/// How alike two texts must be (the share of their words in common) to be
/// one step that changed.
const ALIKE: f32 = 0.5;

/// A progress step laid onto one of today's steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Laid {
    /// Its index in the progress's steps.
    pub progress: usize,
    /// Whether its text is the same (the same hash, or the progress has
    /// none to compare).
    pub same: bool,
}

/// A progress laid onto today's runbook.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Alignment {
    /// For each of today's steps (`Context::steps`, in order), the
    /// progress step laid onto it.
    pub today: Vec<Option<Laid>>,
    /// The progress steps laid onto none of today's (removed since),
    /// in the progress's order. Runs of the run cycle that are a record
    /// rather than steps are not among them.
    pub left: Vec<usize>,
}

impl Alignment {
    /// The progress step laid onto today's step `i`.
    pub fn of(&self, i: usize) -> Option<Laid> {
        self.today.get(i).copied().flatten()
    }
}

/// The chapter of a step id: its first part (`install-sql.select-next` →
/// `install-sql`).
pub fn chapter_of(id: &str) -> &str {
    id.split_once('.').map_or(id, |(chapter, _)| chapter)
}

/// One step as an alignment sees it: its id, hash and text, and whether
/// its author wrote its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Side<'a> {
    pub id: &'a str,
    /// Empty when the progress has none.
    pub hash: &'a str,
    /// Empty when the progress has none.
    pub text: &'a str,
    pub written_id: bool,
}

/// Lay `progress` onto `ctx`'s runbook.
pub fn align(progress: &Progress, ctx: &Context) -> Alignment {
    let markdown = if progress.text_is_markdown {
        super::markdown_lines(ctx)
    } else {
        BTreeMap::new()
    };
    let old: Vec<Side> = progress
        .steps
        .iter()
        .map(|s| Side {
            id: &s.id,
            hash: &s.hash,
            text: &s.text,
            written_id: false,
        })
        .collect();
    let new: Vec<Side> = ctx
        .steps
        .iter()
        .map(|s| Side {
            id: &s.id,
            hash: &s.hash,
            // The text as the progress has its own: Markdown or plain.
            text: markdown
                .get(s.id.as_str())
                .map_or(s.full_text.as_str(), String::as_str),
            written_id: s.written_id,
        })
        .collect();
    let (today, left) = align_steps(&old, &new);
    // Runs of a cycle that a chapter runs are a record, not steps.
    let steps: HashSet<&str> = ctx.steps.iter().map(|s| s.id.as_str()).collect();
    let records: HashSet<&str> = ctx
        .run_cycle
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !steps.contains(id))
        .collect();
    let left = left
        .into_iter()
        .filter(|&i| old.get(i).is_some_and(|s| !records.contains(s.id)))
        .collect();
    Alignment { today, left }
}

/// Lay the steps `old` (a progress's) onto `new` (today's): for each of
/// `new`, the one of `old` laid onto it; and the indexes of `old` laid
/// onto none.
pub fn align_steps(old: &[Side], new: &[Side]) -> (Vec<Option<Laid>>, Vec<usize>) {
    let mut old_groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, s) in old.iter().enumerate() {
        old_groups.entry(chapter_of(s.id)).or_default().push(i);
    }
    let mut new_groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, s) in new.iter().enumerate() {
        new_groups.entry(chapter_of(s.id)).or_default().push(i);
    }
    let mut work = Work {
        old,
        new,
        today: vec![None; new.len()],
        laid: vec![false; old.len()],
        compared: 0,
    };
    for (chapter, n) in &new_groups {
        let o = old_groups.get(chapter).map_or(&[][..], Vec::as_slice);
        work.chapter(o, n);
    }
    let left = (0..old.len())
        .filter(|&i| !work.laid.get(i).copied().unwrap_or(true))
        .collect();
    (work.today, left)
}

/// An alignment being made.
struct Work<'s, 'a> {
    old: &'s [Side<'a>],
    new: &'s [Side<'a>],
    today: Vec<Option<Laid>>,
    /// Whether each progress step is laid.
    laid: Vec<bool>,
    /// Pairs of texts compared so far.
    compared: usize,
}

impl<'a> Work<'_, 'a> {
    fn old_id(&self, o: usize) -> &'a str {
        self.old.get(o).map_or("", |s| s.id)
    }

    fn old_hash(&self, o: usize) -> &'a str {
        self.old.get(o).map_or("", |s| s.hash)
    }

    fn old_text(&self, o: usize) -> &'a str {
        self.old.get(o).map_or("", |s| s.text)
    }

    fn new_id(&self, n: usize) -> &'a str {
        self.new.get(n).map_or("", |s| s.id)
    }

    fn new_hash(&self, n: usize) -> &'a str {
        self.new.get(n).map_or("", |s| s.hash)
    }

    fn new_text(&self, n: usize) -> &'a str {
        self.new.get(n).map_or("", |s| s.text)
    }

    fn is_laid(&self, o: usize) -> bool {
        self.laid.get(o).copied().unwrap_or(true)
    }

    fn is_taken(&self, n: usize) -> bool {
        self.today.get(n).is_none_or(Option::is_some)
    }

    fn lay(&mut self, o: usize, n: usize) {
        let same = self.old_hash(o).is_empty() || self.old_hash(o) == self.new_hash(n);
        if let Some(slot) = self.today.get_mut(n) {
            *slot = Some(Laid { progress: o, same });
        }
        if let Some(l) = self.laid.get_mut(o) {
            *l = true;
        }
    }

    /// Align one chapter's steps: `old` in the progress, `new` today, each
    /// in order.
    fn chapter(&mut self, old: &[usize], new: &[usize]) {
        // 1 and 2: written ids, and progress steps without a hash, by id.
        let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
        for &o in old {
            by_id.entry(self.old_id(o)).or_default().push(o);
        }
        for &n in new {
            let written = self.new.get(n).is_some_and(|s| s.written_id);
            let found = by_id.get(self.new_id(n)).and_then(|candidates| {
                candidates
                    .iter()
                    .copied()
                    .find(|&o| !self.is_laid(o) && (written || self.old_hash(o).is_empty()))
            });
            if let Some(o) = found {
                self.lay(o, n);
            }
        }
        let old: Vec<usize> = old.iter().copied().filter(|&o| !self.is_laid(o)).collect();
        let new: Vec<usize> = new.iter().copied().filter(|&n| !self.is_taken(n)).collect();
        // 3: the hashes aligned, then moved steps.
        let gaps = self.hashes(&old, &new);
        let mut by_hash: HashMap<&str, Vec<usize>> = HashMap::new();
        for &o in old.iter().rev().filter(|&&o| !self.is_laid(o)) {
            by_hash.entry(self.old_hash(o)).or_default().push(o);
        }
        for &n in &new {
            if self.is_taken(n) {
                continue;
            }
            // The first of the progress's steps of that hash not laid.
            if let Some(o) = by_hash.get_mut(self.new_hash(n)).and_then(Vec::pop) {
                self.lay(o, n);
            }
        }
        // 4: what is left between aligned steps, by likeness; then what is
        // left in the chapter (a moved step can split a gap).
        for (old_gap, new_gap) in gaps {
            let o: Vec<usize> = old_gap.into_iter().filter(|&o| !self.is_laid(o)).collect();
            let n: Vec<usize> = new_gap.into_iter().filter(|&n| !self.is_taken(n)).collect();
            self.gap(&o, &n, true);
        }
        let o: Vec<usize> = old.iter().copied().filter(|&o| !self.is_laid(o)).collect();
        let n: Vec<usize> = new.iter().copied().filter(|&n| !self.is_taken(n)).collect();
        self.gap(&o, &n, false);
    }

    /// Lay the steps whose hashes a diff aligns; the gaps between them,
    /// each as (progress steps, today's steps).
    fn hashes(&mut self, old: &[usize], new: &[usize]) -> Vec<(Vec<usize>, Vec<usize>)> {
        if old.len() > DIFF_MOST || new.len() > DIFF_MOST {
            // Too many for a diff: equal hashes in order, one gap.
            let mut places: HashMap<&str, Vec<usize>> = HashMap::new();
            for (k, &o) in old.iter().enumerate() {
                places.entry(self.old_hash(o)).or_default().push(k);
            }
            let mut from = 0;
            for &n in new {
                let found = places.get(self.new_hash(n)).and_then(|ks| {
                    let k = *ks.get(ks.partition_point(|&k| k < from))?;
                    Some((k, *old.get(k)?))
                });
                if let Some((k, o)) = found {
                    self.lay(o, n);
                    from = k + 1;
                }
            }
            return vec![(old.to_vec(), new.to_vec())];
        }
        let old_hashes: Vec<&str> = old.iter().map(|&o| self.old_hash(o)).collect();
        let new_hashes: Vec<&str> = new.iter().map(|&n| self.new_hash(n)).collect();
        let ops = similar::capture_diff_slices(Algorithm::Myers, &old_hashes, &new_hashes);
        let mut gaps = Vec::new();
        let (mut old_gap, mut new_gap) = (Vec::new(), Vec::new());
        for op in ops {
            match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    gaps.push((std::mem::take(&mut old_gap), std::mem::take(&mut new_gap)));
                    for k in 0..len {
                        if let (Some(&o), Some(&n)) =
                            (old.get(old_index + k), new.get(new_index + k))
                        {
                            self.lay(o, n);
                        }
                    }
                }
                DiffOp::Delete {
                    old_index, old_len, ..
                } => old_gap.extend(old.iter().skip(old_index).take(old_len)),
                DiffOp::Insert {
                    new_index, new_len, ..
                } => new_gap.extend(new.iter().skip(new_index).take(new_len)),
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => {
                    old_gap.extend(old.iter().skip(old_index).take(old_len));
                    new_gap.extend(new.iter().skip(new_index).take(new_len));
                }
            }
        }
        gaps.push((old_gap, new_gap));
        gaps.retain(|(o, n)| !o.is_empty() && !n.is_empty());
        gaps
    }

    /// Pair what is left between two aligned steps: by likeness, in order,
    /// or in order alone when the progress has no texts or there are too
    /// many to compare.
    /// `in_order`: when the texts cannot be compared, pair them in order
    /// (within a gap between aligned steps, not across a chapter).
    fn gap(&mut self, old: &[usize], new: &[usize], in_order: bool) {
        if old.is_empty() || new.is_empty() {
            return;
        }
        let pairs = old.len() * new.len();
        let texts = old.iter().all(|&o| !self.old_text(o).is_empty());
        if !texts || self.compared + pairs > LIKENESS_MOST {
            if in_order {
                for (&o, &n) in old.iter().zip(new) {
                    self.lay(o, n);
                }
            }
            return;
        }
        self.compared += pairs;
        let mut from = 0;
        for &n in new {
            let text = self.new_text(n);
            let best = (old.iter().enumerate().skip(from))
                .map(|(k, &o)| (k, o, likeness(self.old_text(o), text)))
                .fold(None, |best: Option<(usize, usize, f32)>, c| match best {
                    Some(b) if b.2 >= c.2 => Some(b),
                    _ => Some(c),
                });
            if let Some((k, o, alike)) = best
                && alike >= ALIKE
            {
                self.lay(o, n);
                from = k + 1;
            }
        }
    }
}

/// The share of two texts' words in common, 0 to 1.
fn likeness(old: &str, new: &str) -> f32 {
    TextDiff::from_words(old, new).ratio()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chapter_is_the_first_part_of_an_id() {
        assert_eq!(chapter_of("install-sql.select-next-2"), "install-sql");
        assert_eq!(chapter_of("run-cycle.3"), "run-cycle");
        assert_eq!(chapter_of("a.profile.ad.full-import"), "a");
        assert_eq!(chapter_of("plain"), "plain");
    }

    /// Steps of chapter `c` from (words, text) pairs, the hash their text.
    fn steps(texts: &[(&'static str, &'static str)]) -> Vec<Side<'static>> {
        texts
            .iter()
            .map(|(id, text)| Side {
                id,
                hash: text,
                text,
                written_id: false,
            })
            .collect()
    }

    fn pairs(old: &[Side], new: &[Side]) -> Vec<Option<(usize, bool)>> {
        let (today, _) = align_steps(old, new);
        today
            .into_iter()
            .map(|l| l.map(|l| (l.progress, l.same)))
            .collect()
    }

    const OLD: [(&str, &str); 4] = [
        ("c.1", "Open the portal."),
        ("c.2", "Select New registration."),
        ("c.3", "Fill in the form and select Register."),
        ("c.4", "Copy the two values."),
    ];

    #[test]
    fn an_inserted_step_is_new_and_the_others_keep_their_progress() {
        let old = steps(&OLD);
        let new = steps(&[
            ("c.open", "Open the portal."),
            ("c.check", "Check your account can consent."),
            ("c.select", "Select New registration."),
            ("c.fill", "Fill in the form and select Register."),
            ("c.copy", "Copy the two values."),
        ]);
        assert_eq!(
            pairs(&old, &new),
            [
                Some((0, true)),
                None,
                Some((1, true)),
                Some((2, true)),
                Some((3, true))
            ]
        );
    }

    #[test]
    fn removed_moved_and_changed_steps() {
        let old = steps(&OLD);
        let new = steps(&[
            ("c.copy", "Copy the two values."),
            ("c.open", "Open the portal."),
            ("c.fill", "Fill in the form at the top and select Register."),
        ]);
        let (today, left) = align_steps(&old, &new);
        let today: Vec<_> = today
            .into_iter()
            .map(|l| l.map(|l| (l.progress, l.same)))
            .collect();
        assert_eq!(today, [Some((3, true)), Some((0, true)), Some((2, false))]);
        assert_eq!(left, [1], "the second step was removed");
    }

    #[test]
    fn a_written_id_wins_and_steps_without_a_hash_go_by_id() {
        let old = vec![
            Side {
                id: "c.keep",
                hash: "1",
                text: "Old words entirely.",
                written_id: false,
            },
            Side {
                id: "c.2",
                hash: "",
                text: "",
                written_id: false,
            },
        ];
        let new = vec![
            Side {
                id: "c.other",
                hash: "2",
                text: "Old words entirely.",
                written_id: false,
            },
            Side {
                id: "c.keep",
                hash: "3",
                text: "Nothing alike.",
                written_id: true,
            },
            Side {
                id: "c.2",
                hash: "4",
                text: "Anything.",
                written_id: false,
            },
        ];
        assert_eq!(pairs(&old, &new), [None, Some((0, false)), Some((1, true))]);
    }

    #[test]
    fn steps_of_another_chapter_are_not_taken() {
        let old = steps(&[("a.x", "Select Next."), ("b.y", "Select OK.")]);
        let new = steps(&[("b.x", "Select Next."), ("b.y", "Select OK.")]);
        assert_eq!(pairs(&old, &new), [None, Some((1, true))]);
    }

    #[test]
    fn texts_alike_and_not() {
        assert!(
            likeness(
                "Select New registration.",
                "Select New registration at the top."
            ) >= ALIKE
        );
        assert!(likeness("Select New registration.", "Copy the secret value now.") < ALIKE);
    }
}
