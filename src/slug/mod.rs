//! Heading ids ("anchors") as each publishing flavour makes them.
//!
//! * `github`: what GitHub (and github-slugger, used by most of the
//!   remark/unified world) makes: lower-case, keep letters, marks, numbers,
//!   connector punctuation, spaces and hyphens; spaces become hyphens.
//! * `mdbook`: what mdBook's HTML renderer makes: lower-case, keep
//!   alphanumerics, `_` and `-`; whitespace becomes a hyphen. `{#id}`
//!   attributes set an id verbatim.
//!
//! * `docfx`: what DocFX (Markdig's GitHub identifiers) makes: GitHub's
//!   ids, except that a heading whose id would be empty (`` ### `$?` ``)
//!   is `section`.
//!
//! All number repeated ids `-1`, `-2`, … in document order (a second
//! empty DocFX heading is `section-1`).

use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

pub mod step;
mod unassigned13;

/// Which publishing system's heading ids to expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Flavour {
    /// GitHub / github-slugger ids.
    #[default]
    Github,
    /// mdBook ids, with `{#id}` heading attributes.
    Mdbook,
    /// DocFX ids: GitHub's, with `section` for an empty one.
    Docfx,
}

impl Flavour {
    pub fn name(self) -> &'static str {
        match self {
            Flavour::Github => "github",
            Flavour::Mdbook => "mdbook",
            Flavour::Docfx => "docfx",
        }
    }

    /// Whether `{#id}` after a heading sets its id.
    pub fn heading_attributes(self) -> bool {
        matches!(self, Flavour::Mdbook)
    }

    /// The id of one heading's text, before repeats are numbered.
    pub fn slug(self, text: &str) -> String {
        match self {
            Flavour::Github => github_slug(text),
            Flavour::Mdbook => mdbook_slug(text),
            Flavour::Docfx => match github_slug(text.trim()) {
                s if s.is_empty() => "section".to_string(),
                s => s,
            },
        }
    }
}

impl std::str::FromStr for Flavour {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "github" | "gfm" => Ok(Flavour::Github),
            "mdbook" => Ok(Flavour::Mdbook),
            "docfx" => Ok(Flavour::Docfx),
            other => Err(format!(
                "unknown slug flavour `{other}` (expected github, mdbook or docfx)"
            )),
        }
    }
}

/// GitHub's heading id for `text` (before de-duplication).
pub fn github_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch.is_ascii() {
            match ch {
                'A'..='Z' => out.push(ch.to_ascii_lowercase()),
                'a'..='z' | '0'..='9' | '_' | '-' => out.push(ch),
                ' ' => out.push('-'),
                _ => {}
            }
            continue;
        }
        for lower in ch.to_lowercase() {
            if lower == ' ' || lower == '-' {
                out.push('-');
            } else if keeps_in_github_slug(lower) {
                out.push(lower);
            }
        }
    }
    out
}

/// github-slugger strips other numbers, punctuation but `_`-like
/// connectors, symbols, separators, controls, format and private-use
/// characters, and anything Unicode 13.0 had not assigned — except
/// alphabetic characters. What is left: letters, marks, decimal and letter
/// numbers, connector punctuation.
fn keeps_in_github_slug(ch: char) -> bool {
    if ch.is_ascii() {
        return ch.is_ascii_alphanumeric() || ch == '_';
    }
    if unassigned_in_unicode_13(ch) {
        return false;
    }
    if ch.is_alphabetic() {
        return true;
    }
    match ch.general_category_group() {
        GeneralCategoryGroup::Letter | GeneralCategoryGroup::Mark => true,
        _ => matches!(
            ch.general_category(),
            GeneralCategory::DecimalNumber
                | GeneralCategory::LetterNumber
                | GeneralCategory::ConnectorPunctuation
        ),
    }
}

fn unassigned_in_unicode_13(ch: char) -> bool {
    let cp = ch as u32;
    let table = &unassigned13::UNASSIGNED_13;
    let i = table.partition_point(|&(_, end)| end < cp);
    table.get(i).is_some_and(|&(start, _)| start <= cp)
}

/// mdBook's heading id for `text` (before de-duplication).
pub fn mdbook_slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|ch| {
            if ch.is_alphanumeric() || ch == '_' || ch == '-' {
                Some(ch)
            } else if ch.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// Hands out unique ids within one document, numbering repeats.
#[derive(Debug, Default)]
pub struct Slugger {
    flavour: Flavour,
    /// Every id handed out; for GitHub, with the count of repeats of each
    /// base id (github-slugger's occurrences).
    taken: Taken,
}

/// A set of ids with a counter each. Chapters have a handful of headings:
/// a short list searched in order beats hashing; past a few dozen ids it
/// becomes a hash map.
#[derive(Debug, Default)]
struct Taken {
    few: Vec<(String, usize)>,
    many: Option<HashMap<String, usize>>,
}

impl Taken {
    const FEW: usize = 32;

    fn contains(&self, id: &str) -> bool {
        match &self.many {
            Some(map) => map.contains_key(id),
            None => self.few.iter().any(|(k, _)| k == id),
        }
    }

    fn count_mut(&mut self, id: &str) -> Option<&mut usize> {
        match &mut self.many {
            Some(map) => map.get_mut(id),
            None => self.few.iter_mut().find(|(k, _)| k == id).map(|(_, n)| n),
        }
    }

    /// [`Taken::insert`], copying `id` only when it is new.
    fn add_new(&mut self, id: &str) -> bool {
        !self.contains(id) && self.insert_new(id.to_string())
    }

    /// Add `id` (with count 0) unless it is there; whether it was added.
    fn insert(&mut self, id: String) -> bool {
        !self.contains(&id) && self.insert_new(id)
    }

    /// Add `id`, known not to be there.
    fn insert_new(&mut self, id: String) -> bool {
        match &mut self.many {
            Some(map) => {
                map.insert(id, 0);
            }
            None if self.few.len() < Self::FEW => self.few.push((id, 0)),
            None => {
                let mut map: HashMap<String, usize> = self.few.drain(..).collect();
                map.insert(id, 0);
                self.many = Some(map);
            }
        }
        true
    }
}

/// `base-n`, without the formatting machinery (chapters repeat headings
/// such as "Example" thousands of times across a large tree).
fn numbered(base: &str, n: usize) -> String {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(n);
    let mut out = String::with_capacity(base.len() + 1 + digits.len());
    out.push_str(base);
    out.push('-');
    out.push_str(digits);
    out
}

impl Slugger {
    pub fn new(flavour: Flavour) -> Self {
        Slugger {
            flavour,
            taken: Taken::default(),
        }
    }

    /// The unique id for a heading with this text.
    pub fn slug(&mut self, text: &str) -> String {
        let base = self.flavour.slug(text);
        self.unique(base)
    }

    /// Reserve an explicit id (`{#id}`); returns it unchanged.
    pub fn reserve(&mut self, id: &str) -> String {
        self.taken.insert(id.to_string());
        id.to_string()
    }

    fn unique(&mut self, base: String) -> String {
        if self.taken.add_new(&base) {
            return base;
        }
        match self.flavour {
            Flavour::Github => {
                // github-slugger: while the candidate is taken, bump the
                // base's counter and try `base-N`.
                let mut result = base.clone();
                while self.taken.contains(&result) {
                    #[allow(
                        clippy::expect_used,
                        reason = "`base` was found taken just above, so it has a count"
                    )]
                    let n = self.taken.count_mut(&base).expect("base is counted");
                    *n += 1;
                    result = numbered(&base, *n);
                }
                self.taken.insert(result.clone());
                result
            }
            Flavour::Docfx | Flavour::Mdbook => {
                // Both take the first free `base-N` from N = 1 (Markdig's
                // and mdBook's own rule). Ids are only ever added, so every
                // number below the last one handed out for this base is
                // still taken: the search starts after it, and 20,000
                // repeats of one heading stay linear.
                let mut counter = self.taken.count_mut(&base).map_or(0, |n| *n) + 1;
                loop {
                    let candidate = numbered(&base, counter);
                    if self.taken.insert(candidate.clone()) {
                        if let Some(n) = self.taken.count_mut(&base) {
                            *n = counter;
                        }
                        return candidate;
                    }
                    counter += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_keeps_underscores_and_drops_punctuation() {
        assert_eq!(
            github_slug("Configuring Run Profiles (MIMMA)"),
            "configuring-run-profiles-mimma"
        );
        assert_eq!(
            github_slug("heading with an _ underscore"),
            "heading-with-an-_-underscore"
        );
        assert_eq!(github_slug("MA’s"), "mas");
    }

    #[test]
    fn mdbook_numbers_repeats_from_one_and_skips_taken_ids() {
        let mut s = Slugger::new(Flavour::Mdbook);
        assert_eq!(s.reserve("next-steps-2"), "next-steps-2");
        let ids: Vec<String> = (0..4).map(|_| s.slug("Next steps")).collect();
        assert_eq!(
            ids,
            ["next-steps", "next-steps-1", "next-steps-3", "next-steps-4"]
        );
        // A base that is itself a numbered id of another.
        assert_eq!(s.slug("Next steps 1"), "next-steps-1-1");
    }

    #[test]
    fn mdbook_trims_and_keeps_alphanumerics() {
        assert_eq!(
            mdbook_slug("  Step 1: Create the MA  "),
            "step-1-create-the-ma"
        );
        assert_eq!(
            mdbook_slug("Full Import (Stage Only)"),
            "full-import-stage-only"
        );
    }

    #[test]
    fn flavours_differ_on_surrounding_spaces() {
        assert_eq!(github_slug(" a "), "-a-");
        assert_eq!(mdbook_slug(" a "), "a");
    }

    #[test]
    fn mdbook_numbers_repeats_from_one() {
        let mut s = Slugger::new(Flavour::Mdbook);
        assert_eq!(s.slug("Next"), "next");
        assert_eq!(s.slug("Next"), "next-1");
        assert_eq!(s.slug("Next"), "next-2");
    }

    #[test]
    fn numbering_holds_past_a_few_dozen_headings() {
        for flavour in [Flavour::Github, Flavour::Mdbook] {
            let mut s = Slugger::new(flavour);
            for i in 0..50 {
                assert_eq!(s.slug(&format!("Part {i}")), format!("part-{i}"));
            }
            assert_eq!(s.slug("Step"), "step");
            for n in 1..100 {
                assert_eq!(s.slug("Step"), format!("step-{n}"));
            }
            assert_eq!(s.slug("Part 3"), "part-3-1");
        }
    }

    #[test]
    fn numbered_ids_are_written_in_decimal() {
        assert_eq!(numbered("step", 0), "step-0");
        assert_eq!(numbered("step", 7), "step-7");
        assert_eq!(numbered("step", 1203), "step-1203");
    }

    #[test]
    fn docfx_names_empty_ids_section() {
        let mut s = Slugger::new(Flavour::Docfx);
        assert_eq!(s.slug("`$?`"), "section");
        assert_eq!(s.slug("Run profiles"), "run-profiles");
        assert_eq!(s.slug("`$_`"), "_");
        assert_eq!(s.slug("..."), "section-1");
        assert_eq!(s.slug("Section"), "section-2");
        // GitHub leaves the empty id empty.
        let mut g = Slugger::new(Flavour::Github);
        assert_eq!(g.slug("`$?`"), "");
    }

    #[test]
    fn docfx_numbers_the_first_free_id_from_one() {
        let mut s = Slugger::new(Flavour::Docfx);
        assert_eq!(s.slug("Step"), "step");
        assert_eq!(s.slug("Step 2"), "step-2");
        assert_eq!(s.slug("Step"), "step-1");
        assert_eq!(s.slug("Step"), "step-3");
        for n in 4..200 {
            assert_eq!(s.slug("Step"), format!("step-{n}"));
        }
    }

    #[test]
    fn explicit_ids_are_reserved() {
        let mut s = Slugger::new(Flavour::Mdbook);
        assert_eq!(s.reserve("setup"), "setup");
        assert_eq!(s.slug("Setup"), "setup-1");
    }
}
