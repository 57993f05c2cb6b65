//! Headings: their text, their anchors in the book's flavour (`{#id}`
//! attributes where it has them), and whether a heading opens a
//! Prerequisites or Next section.

use super::Place;
use super::sections::SectionKind;
use crate::model::Heading;
use crate::slug::{Flavour, Slugger};

/// A heading being read.
struct Open {
    level: u8,
    start: usize,
    text: String,
    /// The part of `text` that came from entities or escapes (`&#x20;`),
    /// which is kept when the ends are trimmed: GitHub slugs `# &#x20;a`
    /// as `-a`.
    decoded: Option<(usize, usize)>,
    id: Option<String>,
}

pub(super) struct Headings {
    slugger: Slugger,
    open: Option<Open>,
    pub(super) list: Vec<Heading>,
}

impl Headings {
    pub(super) fn new(flavour: Flavour) -> Self {
        Headings {
            slugger: Slugger::new(flavour),
            open: None,
            list: Vec::new(),
        }
    }

    pub(super) fn start(&mut self, level: u8, start: usize, len: usize, id: Option<String>) {
        self.open = Some(Open {
            level,
            start,
            // Its text is at most as long as its source.
            text: String::with_capacity(len),
            decoded: None,
            id,
        });
    }

    pub(super) fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// Text of the open heading; `written` is whether the source holds it
    /// as it is (not an entity or escape).
    pub(super) fn text(&mut self, s: &str, written: bool) {
        if let Some(h) = &mut self.open {
            let start = h.text.len();
            h.text.push_str(s);
            if !written {
                let end = h.text.len();
                h.decoded = Some(h.decoded.map_or((start, end), |(a, _)| (a, end)));
            }
        }
    }

    /// Close the open heading at body offset `end`: its level and what
    /// kind of section it opens.
    pub(super) fn end(&mut self, place: &Place<'_>, end: usize) -> Option<(u8, SectionKind)> {
        let Open {
            level,
            start,
            text,
            decoded,
            id,
        } = self.open.take()?;
        // The slug is made of the text with the spaces Markdown strips
        // trimmed, but not those written as entities.
        let mut from = text.len() - text.trim_start().len();
        let mut to = text.trim_end().len();
        if let Some((a, b)) = decoded {
            from = from.min(a);
            to = to.max(b);
        }
        let anchor = match &id {
            Some(id) => self.slugger.reserve(id),
            None => self.slugger.slug(&text[from..to.max(from)]),
        };
        let text = if text.trim().len() == text.len() {
            text
        } else {
            text.trim().to_string()
        };
        let span = place.span(start..end);
        let kind = classify(&text);
        let written = place.text[span.start..span.end]
            .trim_start_matches('#')
            .trim();
        let tab = written.starts_with('[') && written.ends_with(')') && written.contains("](#tab/");
        self.list.push(Heading {
            level,
            text,
            anchor,
            line: span.line,
            explicit_id: id,
            tab,
            span,
        });
        Some((level, kind))
    }

    /// The text of the nearest heading above.
    pub(super) fn last_text(&self) -> Option<&str> {
        self.list.last().map(|h| h.text.as_str())
    }

    /// The nearest heading above: its index and text.
    pub(super) fn last(&self) -> Option<(usize, &str)> {
        let i = self.list.len().checked_sub(1)?;
        self.list.get(i).map(|h| (i, h.text.as_str()))
    }
}

/// What kind of section a heading opens: "Next …", "Prerequisites" (and
/// the misspellings real guides carry), or any other.
pub(super) fn classify(text: &str) -> SectionKind {
    // The heading's first letters, lower-cased: no more than the names
    // compared need.
    let mut letters = Letters::default();
    let mut wanted = 0;
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        if letters.len == 0 {
            // Most headings are told apart by their first letter alone;
            // the others by as many letters as the longest name they may
            // be, plus one.
            wanted = match c {
                'n' | 'N' => "next".len(),
                'p' | 'P' => "prereq".len(),
                'b' | 'B' => "beforeyoubegin".len() + 1,
                'r' | 'R' => "requirements".len() + 1,
                _ => return SectionKind::Other,
            };
        }
        if !letters.push_lower(c) || letters.len >= wanted {
            break;
        }
    }
    match letters.chars().first() {
        Some('n') if letters.starts_with("next") => return SectionKind::Next,
        Some('b') if letters.is("beforeyoubegin") => return SectionKind::Prerequisites,
        Some('r') if letters.is("requirements") => return SectionKind::Prerequisites,
        Some('p') => {}
        _ => return SectionKind::Other,
    }
    // "Prerequisites", and the misspellings real guides carry
    // ("Prerequisits", "Pre-requisites", "Prerequisities").
    let mut word = Letters::default();
    for c in text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_alphabetic())
    {
        if !word.push_lower(c) {
            break;
        }
    }
    if word.starts_with("prereq") || letters.starts_with("prereq") {
        return SectionKind::Prerequisites;
    }
    let word_len: usize = word.chars().iter().map(|c| c.len_utf8()).sum();
    if !word.full()
        && (11..=15).contains(&word_len)
        && word.starts_with("p")
        && strsim::damerau_levenshtein(&word.chars().iter().collect::<String>(), "prerequisites")
            <= 2
    {
        return SectionKind::Prerequisites;
    }
    SectionKind::Other
}

/// The first words of headings [`classify`] reads as Prerequisites by
/// their name, not by a misspelling ("Prereqs", "Requirements", "Before
/// you begin"): none is misspelt, and a reference page's "Requirements"
/// is not compared letter by letter with "Prerequisites".
const READ_BY_NAME: [&str; 4] = ["prereq", "prereqs", "requirements", "before"];

/// A word of a standard heading that is misspelt: the word as written and
/// as it is spelt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misspelt {
    pub written: String,
    pub correct: String,
}

/// The misspelt word of a heading runsheet reads as a Prerequisites or Next
/// heading by its misspelling ("Prerequisits", "Prerequisities", "Next
/// setps"), with the word it stands for, in the case it is written in.
/// Spellings in use ("Pre-requisites", "Prereqs", "Next step") are not
/// misspelt, and a heading runsheet does not read as one of these is left
/// alone.
pub fn misspelt(text: &str) -> Option<Misspelt> {
    let (word, names): (&str, &[&str]) = match classify(text) {
        SectionKind::Prerequisites => (
            text.split_whitespace().next()?,
            &["prerequisites", "prerequisite"],
        ),
        SectionKind::Next => {
            let mut words = text.split_whitespace();
            let first = words.next()?;
            let first: String = first.chars().filter(|c| c.is_alphabetic()).collect();
            if !first.eq_ignore_ascii_case("next") {
                return None;
            }
            (words.next()?, &["steps", "step"])
        }
        SectionKind::Other => return None,
    };
    // The word without the punctuation around it (`Prerequisits:`).
    let word = word.trim_matches(|c: char| !c.is_alphabetic());
    if word.is_empty() || !word.chars().all(char::is_alphabetic) {
        return None;
    }
    let lower = word.to_lowercase();
    if names.contains(&lower.as_str()) || READ_BY_NAME.contains(&lower.as_str()) {
        return None;
    }
    let is_steps = names.first() == Some(&"steps");
    let mut best: Option<(usize, &str)> = None;
    for &name in names {
        let d = strsim::damerau_levenshtein(&lower, name);
        let close = if is_steps {
            // A short word: only letters swapped, one letter more or one
            // fewer ("setps", "stpes", "stepps"), so "stop" stays a word.
            let mut a: Vec<char> = lower.chars().collect();
            let mut b: Vec<char> = name.chars().collect();
            a.sort_unstable();
            b.sort_unstable();
            d == 1 && (a == b || lower.chars().count().abs_diff(name.len()) == 1)
        } else {
            d <= 2
        };
        // Ties go to the first name, the plural heading.
        if close && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, name));
        }
    }
    let (_, name) = best?;
    let correct = if word.chars().all(char::is_uppercase) {
        name.to_uppercase()
    } else if word.chars().next().is_some_and(char::is_uppercase) {
        let mut c = name.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    } else {
        name.to_string()
    };
    Some(Misspelt {
        written: word.to_string(),
        correct,
    })
}

/// The first letters of a heading, lower-cased, on the stack: one more
/// than the longest name compared, so "exactly this name" can be told
/// from "this name and more".
#[derive(Default)]
struct Letters {
    buf: [char; 17],
    len: usize,
}

impl Letters {
    /// Add `c` lower-cased; `false` once the buffer is full.
    fn push_lower(&mut self, c: char) -> bool {
        for l in c.to_lowercase() {
            let Some(slot) = self.buf.get_mut(self.len) else {
                return false;
            };
            *slot = l;
            self.len += 1;
        }
        self.len < self.buf.len()
    }

    fn chars(&self) -> &[char] {
        self.buf.get(..self.len).unwrap_or_default()
    }

    /// Whether more letters came than the buffer keeps.
    fn full(&self) -> bool {
        self.len == self.buf.len()
    }

    fn starts_with(&self, prefix: &str) -> bool {
        let mut have = self.chars().iter();
        prefix.chars().all(|p| have.next() == Some(&p))
    }

    fn is(&self, name: &str) -> bool {
        !self.full() && self.chars().iter().copied().eq(name.chars())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_by_name_are_farther_than_a_misspelling_from_every_name() {
        // So taking them as not misspelt before any distance is worked out
        // answers what the distance would.
        for word in ["requirements", "before"] {
            for name in ["prerequisites", "prerequisite"] {
                assert!(strsim::damerau_levenshtein(word, name) > 2, "{word} {name}");
            }
            assert_eq!(
                misspelt(&format!("{}{}", word[..1].to_uppercase(), &word[1..])),
                None
            );
        }
        assert_eq!(misspelt("Before you begin"), None);
        assert_eq!(misspelt("Requirements"), None);
        assert!(misspelt("Requirments").is_none());
    }

    #[test]
    fn misspelt_standard_headings_and_their_spelling() {
        let fixed = |t: &str| misspelt(t).map(|m| (m.written, m.correct));
        let pair = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        assert_eq!(fixed("Prerequisits"), pair("Prerequisits", "Prerequisites"));
        assert_eq!(
            fixed("Prerequisities"),
            pair("Prerequisities", "Prerequisites")
        );
        assert_eq!(
            fixed("PREREQUISTES:"),
            pair("PREREQUISTES", "PREREQUISITES")
        );
        assert_eq!(fixed("prerequisit"), pair("prerequisit", "prerequisite"));
        assert_eq!(fixed("Next setps"), pair("setps", "steps"));
        assert_eq!(fixed("Next: Stpes"), pair("Stpes", "Steps"));
        for fine in [
            "Prerequisites",
            "Prerequisite",
            "Pre-requisites",
            "Prereqs",
            "Pre requisites and more",
            "Prerequisitesxxxxxxxx",
            "Next steps",
            "Next step",
            "Next stop: the portal",
            "Next: Configuring the rules",
            "Nxet steps",
            "Before you begin",
            "Remarks",
            "Next",
        ] {
            assert_eq!(misspelt(fine), None, "{fine}");
        }
    }

    #[test]
    fn misspelt_prerequisites_and_next_headings_are_recognised() {
        for (h, kind) in [
            ("Next steps", SectionKind::Next),
            ("nExT: part 2", SectionKind::Next),
            ("Prerequisites", SectionKind::Prerequisites),
            ("Prerequisits", SectionKind::Prerequisites),
            ("Pre-requisites", SectionKind::Prerequisites),
            ("Prerequisities", SectionKind::Prerequisites),
            ("Before you begin", SectionKind::Prerequisites),
            ("Requirements", SectionKind::Prerequisites),
            ("Remarks", SectionKind::Other),
            ("Properties of the Prerequisite", SectionKind::Other),
            ("Requirementsx", SectionKind::Other),
            ("Before you begin here", SectionKind::Other),
            ("PREREQUISITES", SectionKind::Prerequisites),
            ("Prérequis", SectionKind::Other),
            ("Pre requisites and more", SectionKind::Prerequisites),
            ("Prerequisitesxxxxxxxx", SectionKind::Prerequisites),
            ("Perquisites", SectionKind::Prerequisites),
            ("Prrequisiteslongerword", SectionKind::Other),
            ("İnstall", SectionKind::Other),
            ("", SectionKind::Other),
        ] {
            assert_eq!(classify(h), kind, "{h:?}");
        }
    }
}
