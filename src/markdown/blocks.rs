//! The body's top-level blocks in the order written: what a runbook
//! carries of a chapter. A block is recorded when its outermost tag closes,
//! after the other collectors have seen it, so it can name the heading,
//! table and steps they recorded inside it.

use super::Place;
use crate::model::{AlertKind, Block, BlockKind};
use pulldown_cmark::{BlockQuoteKind, Tag};
use std::ops::Range;

struct Open {
    kind: BlockKind,
    start: usize,
    end: usize,
    steps: usize,
}

#[derive(Default)]
pub(super) struct Blocks {
    /// Tags open, at every depth.
    depth: usize,
    open: Option<Open>,
    pub(super) list: Vec<Block>,
}

impl Blocks {
    /// A tag opens over body range `range`; `headings`, `tables` and
    /// `steps` are how many of each the chapter has so far.
    pub(super) fn start(
        &mut self,
        tag: &Tag<'_>,
        range: &Range<usize>,
        headings: usize,
        tables: usize,
        steps: usize,
    ) {
        self.depth += 1;
        if self.depth != 1 {
            return;
        }
        let kind = match tag {
            Tag::Heading { level, .. } => BlockKind::Heading {
                level: *level as u8,
                index: headings,
            },
            Tag::Paragraph => BlockKind::Paragraph,
            Tag::List(start) => BlockKind::List {
                ordered: start.is_some(),
            },
            Tag::BlockQuote(kind) => BlockKind::Quote {
                alert: kind.map(|k| match k {
                    BlockQuoteKind::Note => AlertKind::Note,
                    BlockQuoteKind::Tip => AlertKind::Tip,
                    BlockQuoteKind::Important => AlertKind::Important,
                    BlockQuoteKind::Warning => AlertKind::Warning,
                    BlockQuoteKind::Caution => AlertKind::Caution,
                }),
            },
            Tag::Table(_) => BlockKind::Table { index: tables },
            Tag::CodeBlock(_) => BlockKind::Code,
            Tag::HtmlBlock => BlockKind::Html,
            Tag::FootnoteDefinition(_) => BlockKind::Footnote,
            // Anything else at the top is read as a paragraph of text.
            _ => BlockKind::Paragraph,
        };
        self.open = Some(Open {
            kind,
            start: range.start,
            end: range.end,
            steps,
        });
    }

    /// A tag closes; `steps` is how many steps the chapter has now.
    pub(super) fn end(&mut self, place: &Place<'_>, steps: usize) {
        self.depth = self.depth.saturating_sub(1);
        if self.depth != 0 {
            return;
        }
        if let Some(open) = self.open.take() {
            self.push(place, open.kind, open.start..open.end, open.steps..steps);
        }
    }

    /// A thematic break (`---`) at body range `range`.
    pub(super) fn rule(&mut self, place: &Place<'_>, range: &Range<usize>) {
        if self.depth == 0 {
            self.push(place, BlockKind::Rule, range.clone(), 0..0);
        }
    }

    fn push(
        &mut self,
        place: &Place<'_>,
        kind: BlockKind,
        body: Range<usize>,
        steps: Range<usize>,
    ) {
        // A block's range ends after its last line's ending; keep the text.
        let mut end = body.end;
        let bytes = place.text.as_bytes();
        while end > body.start && matches!(bytes.get(place.base + end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        self.list.push(Block {
            kind,
            line: place.line_at(body.start),
            range: place.base + body.start..place.base + end,
            steps,
        });
    }
}
