//! The Prerequisites and Next lists: links in list items under a heading
//! that means "Prerequisites" or starts with "Next", or, without such a
//! heading, a bullet list of chapter links right under the H1 that a
//! sentence introduces as what must come first. A link its sentence offers
//! as an alternative ("… you will need to instead follow [the other
//! guide]") is not a prerequisite: see [`introduced_as_alternative`].

use crate::model::{Link, ListedLink};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SectionKind {
    Prerequisites,
    Next,
    Other,
}

/// A heading's section: which links (by index) sit in list items under it.
#[derive(Debug)]
struct Section {
    kind: SectionKind,
    list_links: Vec<usize>,
}

/// A bullet list directly under the H1, before any other heading, that may
/// be a prerequisites list written without a heading.
#[derive(Debug, Default)]
struct H1Candidate {
    lead: String,
    items: usize,
    items_with_link: usize,
    links: Vec<usize>,
}

#[derive(Default)]
pub(super) struct Sections {
    sections: Vec<Section>,
    /// The level of the open Prerequisites/Next section's heading.
    level: Option<u8>,
    /// Between the H1 and the next heading.
    in_h1_zone: bool,
    candidates: Vec<H1Candidate>,
    /// The paragraph being read under the H1 (a list's lead-in).
    paragraph: String,
    in_paragraph: bool,
    /// Per open list item, whether a link was met in it yet.
    item_has_link: Vec<bool>,
    /// Per open list item, its text and links, when it may hold
    /// prerequisites (under a Prerequisites heading or the H1).
    item_text: Vec<Option<ItemText>>,
    /// Where in its item's text the open link starts.
    link_from: Option<usize>,
    /// The links their sentences offer as alternatives, by index.
    alternatives: Vec<usize>,
}

/// A list item's text as read, and each of its links: its index and where
/// its text starts and ends in the item's.
#[derive(Debug, Default)]
struct ItemText {
    text: String,
    links: Vec<(usize, usize, usize)>,
}

impl Sections {
    /// A heading of `level` closed: it opens a section of `kind`.
    pub(super) fn heading(&mut self, level: u8, kind: SectionKind) {
        // A new heading closes a Prerequisites/Next section at its level or
        // above; any heading opens a section.
        if let Some(l) = self.level
            && (level <= l || kind != SectionKind::Other)
        {
            self.level = None;
        }
        self.sections.push(Section {
            kind,
            list_links: Vec::new(),
        });
        if kind != SectionKind::Other {
            self.level = Some(level);
        } else if self.level.is_some() {
            // A subheading inside Prerequisites/Next keeps the section
            // going: its links belong to the parent.
            let parent = self
                .sections
                .iter()
                .rev()
                .skip(1)
                .find(|s| s.kind != SectionKind::Other)
                .map(|s| s.kind)
                .unwrap_or(SectionKind::Other);
            if let Some(last) = self.sections.last_mut() {
                last.kind = parent;
            }
        }
        self.in_h1_zone = level == 1;
    }

    /// A paragraph starts; only one under the H1 and outside lists can
    /// introduce a prerequisites list.
    pub(super) fn paragraph_start(&mut self, in_list: bool) {
        self.in_paragraph = self.in_h1_zone && !in_list;
        self.paragraph.clear();
    }

    pub(super) fn paragraph_end(&mut self) {
        self.in_paragraph = false;
    }

    pub(super) fn text(&mut self, s: &str) {
        if self.in_paragraph {
            self.paragraph.push_str(s);
        }
        if let Some(Some(item)) = self.item_text.last_mut() {
            item.text.push_str(s);
        }
    }

    /// A link opens (its text follows).
    pub(super) fn link_start(&mut self) {
        self.link_from = match self.item_text.last() {
            Some(Some(item)) => Some(item.text.len()),
            _ => None,
        };
    }

    pub(super) fn list_start(&mut self, nested: bool, ordered: bool) {
        if !nested && !ordered && self.in_h1_zone {
            self.candidates.push(H1Candidate {
                lead: std::mem::take(&mut self.paragraph),
                ..Default::default()
            });
        }
    }

    pub(super) fn list_end(&mut self) {
        self.paragraph.clear();
    }

    /// An item opens at list depth `depth` (1 for a top-level list).
    pub(super) fn item_start(&mut self, depth: usize) {
        self.item_has_link.push(false);
        let may_hold = self.level.is_some() || self.in_h1_zone;
        self.item_text.push(may_hold.then(ItemText::default));
        if depth == 1
            && self.in_h1_zone
            && let Some(c) = self.candidates.last_mut()
        {
            c.items += 1;
        }
    }

    pub(super) fn item_end(&mut self) {
        self.item_has_link.pop();
        if let Some(Some(item)) = self.item_text.pop() {
            for &(index, from, to) in &item.links {
                let before = item.text.get(..from).unwrap_or_default();
                let after = item.text.get(to..).unwrap_or_default();
                if introduced_as_alternative(before, after) {
                    self.alternatives.push(index);
                }
            }
        }
    }

    /// The link at `index` closed. `top_bullet` tells whether the only open
    /// list is a bullet list.
    pub(super) fn link(&mut self, index: usize, link: &Link, top_bullet: bool) {
        if self.item_has_link.is_empty() || link.kind == crate::model::LinkKind::Image {
            return;
        }
        if let (Some(Some(item)), Some(from)) = (self.item_text.last_mut(), self.link_from.take()) {
            item.links.push((index, from, item.text.len()));
        }
        if let Some(sec) = self.sections.last_mut()
            && self.level.is_some()
            && sec.kind != SectionKind::Other
        {
            sec.list_links.push(index);
        }
        if self.in_h1_zone && top_bullet {
            let first_in_item = !self.item_has_link.last().copied().unwrap_or(true);
            let local = !link.is_external() && !link.path.is_empty();
            if let Some(c) = self.candidates.last_mut() {
                if local && first_in_item {
                    c.items_with_link += 1;
                }
                if local {
                    c.links.push(index);
                }
            }
        }
        if let Some(flag) = self.item_has_link.last_mut() {
            *flag = true;
        }
    }

    /// The chapter's Prerequisites and Next lists.
    pub(super) fn finish(self, links: &[Link]) -> (Vec<ListedLink>, Vec<ListedLink>) {
        let mut prerequisites = listed_links(links, &self.sections, SectionKind::Prerequisites)
            .or_else(|| h1_prerequisites(links, &self.candidates))
            .unwrap_or_default();
        prerequisites.retain(|p| !self.alternatives.contains(&p.link));
        let next = listed_links(links, &self.sections, SectionKind::Next).unwrap_or_default();
        (prerequisites, next)
    }
}

fn listed_links(
    links: &[Link],
    sections: &[Section],
    kind: SectionKind,
) -> Option<Vec<ListedLink>> {
    let found: Vec<&Section> = sections.iter().filter(|s| s.kind == kind).collect();
    if found.is_empty() {
        return None;
    }
    Some(
        found
            .iter()
            .flat_map(|s| s.list_links.iter())
            .filter_map(|&i| listed(links, i))
            .collect(),
    )
    .filter(|v: &Vec<ListedLink>| !v.is_empty() || kind == SectionKind::Next)
}

fn listed(links: &[Link], i: usize) -> Option<ListedLink> {
    let l = links.get(i)?;
    Some(ListedLink {
        text: l.text.clone(),
        target: l.destination.clone(),
        line: l.span.line,
        link: i,
    })
}

/// A chapter that lists its prerequisites under the H1 with no heading of
/// their own: a bullet list of chapter links, introduced by a sentence that
/// says they come first.
fn h1_prerequisites(links: &[Link], candidates: &[H1Candidate]) -> Option<Vec<ListedLink>> {
    const CUES: [&str; 8] = [
        "prerequisit",
        "before",
        "already",
        "complete",
        "require",
        "need",
        "first",
        "should have",
    ];
    candidates
        .iter()
        .find(|c| {
            let lead = c.lead.to_lowercase();
            c.items > 0 && c.items_with_link == c.items && CUES.iter().any(|cue| lead.contains(cue))
        })
        .map(|c| c.links.iter().filter_map(|&i| listed(links, i)).collect())
}

/// Whether a link is offered as an alternative rather than as a step to
/// take first, by the words of its sentence before it (`before`) and after
/// it (`after`): "instead" (also "instead of"), "alternatively",
/// "otherwise", "rather than" or "in place of" before it in the sentence,
/// or "instead" right after it ("follow [the other guide] instead", not
/// "[this one] instead of that one").
///
/// The one reading of such a sentence: a Prerequisites list drops the link,
/// and anything else that tells a choice from a requirement should ask
/// here.
pub fn introduced_as_alternative(before: &str, after: &str) -> bool {
    const BEFORE: [&str; 5] = [
        "instead",
        "alternatively",
        "otherwise",
        "rather than",
        "in place of",
    ];
    let ends = |c: char| matches!(c, '.' | ';' | '!' | '?');
    // A sentence's words near the link: a bounded look either side, so an
    // item of many links stays linear.
    let before = tail(before, 400);
    let after = head(after, 200);
    let sentence = before
        .rfind(ends)
        .map_or(before, |i| before.get(i + 1..).unwrap_or_default())
        .to_lowercase();
    let words = |text: &str, phrase: &str| {
        text.match_indices(phrase).any(|(i, _)| {
            let start_ok = text[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let end_ok = text[i + phrase.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            start_ok && end_ok
        })
    };
    if BEFORE.iter().any(|cue| words(&sentence, cue)) {
        return true;
    }
    let after = after
        .split(ends)
        .next()
        .unwrap_or_default()
        .trim_start_matches(|c: char| c.is_whitespace() || c == ',')
        .to_lowercase();
    let Some(rest) = after.strip_prefix("instead") else {
        return false;
    };
    !rest.starts_with(|c: char| c.is_alphanumeric()) && !rest.trim_start().starts_with("of")
}

/// The last `max` bytes of `text` at most, on a character boundary.
fn tail(text: &str, max: usize) -> &str {
    let mut from = text.len().saturating_sub(max);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    text.get(from..).unwrap_or_default()
}

/// The first `max` bytes of `text` at most, on a character boundary.
fn head(text: &str, max: usize) -> &str {
    let mut to = max.min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    text.get(..to).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::introduced_as_alternative as alt;

    #[test]
    fn alternatives_are_told_from_steps_by_their_sentence() {
        assert!(alt(
            "If your guests live in another forest, you will need to instead follow ",
            "."
        ));
        assert!(alt("Alternatively, use ", " with a separate server."));
        assert!(alt("To use the portal, follow ", " instead."));
        assert!(alt("Complete [the portal] instead of ", ""));
        assert!(!alt("Complete ", " instead of the portal."));
        assert!(!alt("", ""));
        assert!(!alt("Instead of the portal, use the DLL. Then read ", "."));
        assert!(!alt("The instructions in ", " (insteadly)."));
        assert!(!alt("Install ", " first."));
    }
}
