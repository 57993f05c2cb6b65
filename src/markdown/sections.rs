//! The Prerequisites and Next lists: links in list items under a heading
//! that means "Prerequisites" or starts with "Next", or, without such a
//! heading, a bullet list of chapter links right under the H1 that a
//! sentence introduces as what must come first.

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
        if depth == 1
            && self.in_h1_zone
            && let Some(c) = self.candidates.last_mut()
        {
            c.items += 1;
        }
    }

    pub(super) fn item_end(&mut self) {
        self.item_has_link.pop();
    }

    /// The link at `index` closed. `top_bullet` tells whether the only open
    /// list is a bullet list.
    pub(super) fn link(&mut self, index: usize, link: &Link, top_bullet: bool) {
        if self.item_has_link.is_empty() || link.kind == crate::model::LinkKind::Image {
            return;
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
        let prerequisites = listed_links(links, &self.sections, SectionKind::Prerequisites)
            .or_else(|| h1_prerequisites(links, &self.candidates))
            .unwrap_or_default();
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
