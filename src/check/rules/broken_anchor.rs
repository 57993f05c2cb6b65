//! `broken-anchor`: every `#fragment` names an anchor of its target. Links
//! into the same chapter are checked with the chapter; links into another
//! chapter once every chapter's anchors are known.

use crate::check::{ChapterContext, Check, Diagnostic, GuideContext, RuleId, edits, links, rules::Reads};
use crate::check::digest::fragment_written;
use crate::text::Span;
use std::ops::Range;
use rayon::prelude::*;
use crate::check::rules::{Example::Files, File::Text};

declare_rule! {
    /// A `#fragment` that names no heading, `{#id}` or HTML `id`/`name` in the
    /// target file (or in the same file). Fragments into a DocFX YAML page
    /// (an FAQ's questions) are not checked. Suggests the closest anchor;
    /// `--fix` rewrites the fragment only when no other anchor is within
    /// one more edit.
    BrokenAnchor {
        id: "broken-anchor",
        default: Error,
        fails: Files(&[
            Text("agents.md", "Then create [the run profiles](configuring-MA-runprofiles.md#run-profile).\n"),
            Text("configuring-MA-runprofiles.md", "# Configuring the agents\n\n## Run profiles\n"),
        ]),
        passes: Files(&[
            Text("agents.md", "Then create [the run profiles](configuring-MA-runprofiles.md#run-profiles).\n"),
            Text("configuring-MA-runprofiles.md", "# Configuring the agents\n\n## Run profiles\n"),
        ]),
    }
}

impl Check for BrokenAnchor {
    fn guide_reads(&self) -> Reads {
        Reads::ANCHORS.and(Reads::LINKS)
    }

    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let chapter = cx.chapter;
        // The chapter's own anchors, gathered the first time one is needed.
        let mut own: Option<Anchors<'_>> = None;
        for (link, target) in cx.links() {
            // URLs and autolinks have no target and a path of their own, so
            // they never point into this chapter.
            let Some(fragment) = &link.fragment else {
                continue;
            };
            if left_to_preprocessors(cx.settings, fragment) {
                continue;
            }
            if links::into_own_chapter(chapter, &link.path, target) && !chapter.path.ends_with(".yml")
            {
                let anchors = own.get_or_insert_with(|| Anchors::new(chapter.anchors().collect()));
                let at = (link.span, fragment_written(link));
                check(&chapter.path, at, &chapter.path, anchors, fragment, out);
            }
        }
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        // Each chapter's anchors, ready to look up, made the first time a
        // link needs them.
        let sets: Vec<std::sync::OnceLock<Anchors<'_>>> =
            cx.chapters.iter().map(|_| std::sync::OnceLock::new()).collect();
        let found: Vec<Diagnostic> = cx
            .chapters
            .par_iter()
            .flat_map_iter(|chapter| {
                let mut found = Vec::new();
                for link in &chapter.fragment_links {
                    let fragment = &*link.fragment;
                    if left_to_preprocessors(cx.settings, fragment) {
                        continue;
                    }
                    // The file the chapter pass resolved the link to.
                    let Some(target) = cx.files.path(link.target) else {
                        continue;
                    };
                    // Only Markdown files have anchors runsheet can know: a
                    // DocFX YAML page's (an FAQ's questions) are its own.
                    if target.ends_with(".yml") {
                        continue;
                    }
                    if let Some(i) = cx.chapter_index(target)
                        && let (Some(set), Some(anchors)) = (sets.get(i), cx.anchors(target))
                    {
                        let anchors = set.get_or_init(|| {
                            Anchors::new(anchors.iter().collect())
                        });
                        let at = (link.span, link.written.clone());
                        check(&chapter.path, at, target, anchors, fragment, &mut found);
                    }
                }
                found
            })
            .collect();
        out.extend(found);
    }
}

/// Whether the anchor `fragment` names is one a preprocessor the check does
/// not see may make (see [`crate::check::preprocessed`]).
fn left_to_preprocessors(settings: &crate::check::Settings, fragment: &str) -> bool {
    crate::check::preprocessed::withholding(settings)
        && crate::check::preprocessed::may_rewrite_fragment(fragment)
}

/// A chapter's anchors in the order written, and a set of them for a
/// chapter with many, so that each link is one lookup, not a scan.
struct Anchors<'a> {
    list: Vec<&'a str>,
    set: Option<rustc_hash::FxHashSet<&'a str>>,
}

/// Past this many anchors a chapter's are looked up in a set.
const SCAN: usize = 32;

/// Past this many anchors a chapter gets no "did you mean": comparing the
/// fragment with each of them, for each broken link, would grow with
/// links × anchors.
const SUGGEST: usize = 10_000;

impl<'a> Anchors<'a> {
    fn new(list: Vec<&'a str>) -> Self {
        let set = (list.len() > SCAN).then(|| list.iter().copied().collect());
        Anchors { list, set }
    }

    fn contains(&self, id: &str) -> bool {
        match &self.set {
            Some(set) => set.contains(id),
            None => self.list.contains(&id),
        }
    }
}

/// The finding for a link in the chapter at `from`, whose `fragment` must
/// be one of `anchors` of the chapter at `target`: the link's span, and
/// where its fragment is written (for the fix).
fn check(
    from: &str,
    (span, written): (Span, Option<Range<usize>>),
    target: &str,
    anchors: &Anchors<'_>,
    fragment: &str,
    out: &mut Vec<Diagnostic>,
) {
    // `#top` and an empty fragment always work in a browser.
    // `#tab/name` in a heading link is DocFX's syntax for tabbed content,
    // not an anchor.
    if fragment.is_empty()
        || fragment == "top"
        || fragment.starts_with("tab/")
        || anchors.contains(fragment)
    {
        return;
    }
    let in_file = if target == from {
        "this file".to_string()
    } else {
        format!("`{target}`")
    };
    let mut d = Diagnostic::at(
        RuleId::BrokenAnchor,
        from,
        span,
        format!("anchor `#{fragment}` does not exist in {in_file}"),
    )
    .about(target);
    if anchors.list.len() > SUGGEST {
        out.push(d);
        return;
    }
    // An id can be both a heading's and an HTML anchor's: count it once.
    let mut sorted: Vec<&str> = anchors.list.clone();
    sorted.sort_unstable();
    sorted.dedup();
    let folded = fragment.to_lowercase();
    let case_only: Vec<&str> = sorted
        .iter()
        .copied()
        .filter(|a| a.to_lowercase() == folded)
        .collect();
    let case_fix = case_only.len() == 1;
    let best: Vec<&str> = if case_fix {
        case_only
    } else {
        crate::text::suggest::closest(&folded, sorted.iter().map(|a| (a.to_string(), *a)), 0.6)
    };
    match best.as_slice() {
        [] => {}
        [only] => {
            // Fixed only when clearly meant: the same but for case, or no
            // other anchor within one more edit.
            let clear = case_fix || {
                let d = strsim::levenshtein(&folded, &only.to_lowercase());
                !sorted
                    .iter()
                    .any(|a| a != only && strsim::levenshtein(&folded, &a.to_lowercase()) <= d + 1)
            };
            if clear {
                d = d.help(format!("did you mean `#{only}`?"));
                if let Some((start, end, dest)) = edits::fragment(written, only) {
                    d = d.fix(start, end, dest);
                }
            } else {
                d = d.help(format!(
                    "did you mean `#{only}`? (not fixed: another anchor is almost as close)"
                ));
            }
            // The suggestion names the anchor as the help does, whether or
            // not the fix could locate the fragment in the source.
            d = d.suggest(format!("#{only}"));
        }
        many => {
            let mut names: Vec<String> = many.iter().take(3).map(|a| format!("`#{a}`")).collect();
            names.sort();
            d = d.help(format!("did you mean {}?", names.join(" or ")));
        }
    }
    out.push(d);
}
