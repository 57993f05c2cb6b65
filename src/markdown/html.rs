//! Raw HTML in a chapter: `id` anchors (any element) and `name` anchors
//! (`<a>` only), `href` and `src` links, and the `<!-- runsheet-… -->`
//! control comments, read with html5gum's tokenizer: tags, attributes,
//! quotes, character references and comments as a browser reads them, so
//! `<img alt="a src=x.png" src="ok.png">` has one link, `ok.png`.
//!
//! pulldown-cmark hands over an HTML block line by line, and an inline
//! tag written over several lines as one event whose text leaves out each
//! line's `>` and indentation inside a block quote or a list item. The
//! pieces of a block are joined and read once the block ends, so a tag
//! spanning lines is one tag; every piece remembers where its bytes sit in
//! the source, so a value is located exactly where it is written.
//!
//! A link's destination is the attribute's value as the browser reads it
//! (`&amp;` is `&`), and its range covers the value as written, without
//! the quotes. `--fix` rewrites the path part or the fragment only where
//! that part is written as it reads (no character reference, no line break
//! in it): elsewhere the link is still checked but not rewritten. A value
//! written across a block quote's `>` markers or a `\r\n` line break has
//! no range at all (its line and column are where it starts). Empty
//! values are neither links nor anchors. As the standard says, a tag left
//! open at the end of its block is no tag, and of an attribute written
//! twice in a tag the first counts.

use super::Place;
use super::links::Links;
use crate::model::{Directive, DirectiveAction, HtmlAnchor};
use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Emitter, ForwardingEmitter, Span, Tokenizer};
use std::ops::Range;

/// The collector of raw HTML.
#[derive(Default)]
pub(super) struct Html {
    pub(super) anchors: Vec<HtmlAnchor>,
    pub(super) directives: Vec<Directive>,
    /// The HTML block being read, until it ends.
    block: Option<Pieces>,
}

impl Html {
    /// An HTML block starts: its lines are gathered until it ends.
    pub(super) fn block_start(&mut self) {
        self.block = Some(Pieces::default());
    }

    /// The HTML block ends: read it.
    pub(super) fn block_end(&mut self, place: &Place<'_>, links: &mut Links) {
        if let Some(block) = self.block.take() {
            self.read(place, &block, links);
        }
    }

    /// One event's HTML `html` at body range `range`: a line of the open
    /// block, or inline HTML read at once.
    pub(super) fn event(
        &mut self,
        place: &Place<'_>,
        html: &str,
        range: Range<usize>,
        links: &mut Links,
    ) {
        if let Some(block) = &mut self.block {
            block.push(place, html, range);
        } else {
            let mut pieces = Pieces::default();
            pieces.push(place, html, range);
            self.read(place, &pieces, links);
        }
    }

    fn read(&mut self, place: &Place<'_>, pieces: &Pieces, links: &mut Links) {
        let html = pieces.text.as_str();
        // No `=`, no attribute value; no `<!--`, no comment (`<br/>`,
        // `</a>`: most inline HTML).
        if memchr::memchr(b'=', html.as_bytes()).is_none()
            && memchr::memmem::find(html.as_bytes(), b"<!--").is_none()
        {
            return;
        }
        for found in tokenize(html) {
            match found {
                Found::Attribute { name, value, at } => {
                    let written = pieces.exact(&at);
                    let covering = pieces.covering(&at);
                    match name {
                        Attr::Id | Attr::Name => {
                            let line = place.lines.line_of(covering.start);
                            self.anchors.push(HtmlAnchor { id: value, line });
                        }
                        Attr::Href | Attr::Src => links.html(place, &value, written, covering),
                    }
                }
                Found::Comment { text, at } => {
                    if let Some(directive) = directive(&text) {
                        let line = place.lines.line_of(pieces.covering(&(at..at)).start);
                        self.directives.push(Directive {
                            line,
                            target_line: target_line(place, line),
                            ..directive
                        });
                    }
                }
            }
        }
    }
}

/// The line a directive on `line` is for: the next line that is not blank.
fn target_line(place: &Place<'_>, line: usize) -> usize {
    let mut target = line + 1;
    while target < place.lines.line_count()
        && place.lines.line_text(place.text, target).trim().is_empty()
    {
        target += 1;
    }
    target
}

/// The HTML of one block (or one inline event) as the tokenizer reads it,
/// and where each piece of it sits in the source.
#[derive(Default)]
struct Pieces {
    text: String,
    /// In order of `at`, the first at 0.
    map: Vec<Piece>,
}

/// The bytes of `Pieces::text` from `at` to the next piece's `at`: written
/// as they are at `source` when `exact`, else all taken to be at `source`.
#[derive(Clone, Copy, Debug)]
struct Piece {
    at: usize,
    source: usize,
    exact: bool,
}

impl Pieces {
    /// Add an event's text `html`, found at body range `range`.
    fn push(&mut self, place: &Place<'_>, html: &str, range: Range<usize>) {
        let start = (place.base + range.start).min(place.text.len());
        let end = (place.base + range.end).clamp(start, place.text.len());
        let written = place.text.get(start..end).unwrap_or_default();
        if written == html {
            self.piece(html, start, true);
            return;
        }
        // The event left out the `>` or indentation of each line: each of
        // its lines ends where the same line of the source ends (the last
        // where the event does).
        let mut line_start = start;
        for line in html.split_inclusive('\n') {
            let line_end = if line.ends_with('\n') {
                place
                    .text
                    .as_bytes()
                    .get(line_start..end)
                    .and_then(|rest| memchr::memchr(b'\n', rest))
                    .map_or(end, |n| line_start + n + 1)
            } else {
                end
            };
            let source_line = place.text.get(line_start..line_end).unwrap_or_default();
            if source_line.ends_with(line) {
                self.piece(line, line_end - line.len(), true);
            } else if let Some(body) = line.strip_suffix('\n')
                && source_line
                    .strip_suffix("\r\n")
                    .is_some_and(|s| s.ends_with(body))
            {
                // The event's `\n` stands for the source's `\r\n`.
                self.piece(body, line_end - 2 - body.len(), true);
                self.piece("\n", line_end - 2, false);
            } else {
                self.piece(line, line_start, false);
            }
            line_start = line_end;
        }
    }

    /// Add `text`, written at `source`. Line breaks written `\r\n` or `\r`
    /// are given to the tokenizer as the `\n` it reads them as (its spans
    /// around a `\r` are not exact), each a piece of its own.
    fn piece(&mut self, text: &str, source: usize, exact: bool) {
        if !exact {
            self.plain_piece(
                &text.replace("\r\n", "\n").replace('\r', "\n"),
                source,
                false,
            );
        } else if memchr::memchr(b'\r', text.as_bytes()).is_some() {
            let mut from = 0;
            for cr in memchr::memchr_iter(b'\r', text.as_bytes()) {
                if cr < from {
                    continue;
                }
                self.plain_piece(text.get(from..cr).unwrap_or_default(), source + from, true);
                self.plain_piece("\n", source + cr, false);
                from = cr
                    + if text.as_bytes().get(cr + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
            }
            self.plain_piece(text.get(from..).unwrap_or_default(), source + from, true);
        } else {
            self.plain_piece(text, source, exact);
        }
    }

    fn plain_piece(&mut self, text: &str, source: usize, exact: bool) {
        if text.is_empty() {
            return;
        }
        let at = self.text.len();
        self.text.push_str(text);
        // A piece that goes on where the last one ended is the same piece.
        if let Some(last) = self.map.last()
            && last.exact
            && exact
            && last.source + (at - last.at) == source
        {
            return;
        }
        self.map.push(Piece { at, source, exact });
    }

    /// The piece that holds offset `at` of the text, and where it ends.
    fn piece_at(&self, at: usize) -> Option<(Piece, usize)> {
        let i = self.map.partition_point(|p| p.at <= at).checked_sub(1)?;
        let piece = *self.map.get(i)?;
        let end = self.map.get(i + 1).map_or(self.text.len(), |p| p.at);
        Some((piece, end))
    }

    /// Where a range of the text is written, when it is written as it is
    /// (inside one piece of the source).
    fn exact(&self, range: &Range<usize>) -> Option<Range<usize>> {
        let (piece, end) = self.piece_at(range.start)?;
        // A quoted value that starts or ends where its piece does goes on
        // past what the pieces leave out (a `>`, indentation, a `\r`) to
        // its quote.
        let quote = |at: Option<usize>| {
            matches!(
                at.and_then(|a| self.text.as_bytes().get(a)),
                Some(b'"' | b'\'')
            )
        };
        let inside = (range.start > piece.at || !quote(range.start.checked_sub(1)))
            && (range.end < end || !quote(Some(range.end)));
        (piece.exact && inside)
            .then(|| piece.source + (range.start - piece.at)..piece.source + (range.end - piece.at))
    }

    /// The source range from where `range` starts to where it ends, for
    /// its line and column.
    fn covering(&self, range: &Range<usize>) -> Range<usize> {
        let point = |at: usize| match self.piece_at(at) {
            Some((p, _)) if p.exact => p.source + (at - p.at),
            Some((p, _)) => p.source,
            None => 0,
        };
        let start = point(range.start);
        start..point(range.end).max(start)
    }
}

/// The attributes read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Attr {
    Id,
    Name,
    Href,
    Src,
}

impl Attr {
    fn of(name: &[u8]) -> Option<Attr> {
        // The tokenizer lowercases attribute names.
        match name {
            b"id" => Some(Attr::Id),
            b"name" => Some(Attr::Name),
            b"href" => Some(Attr::Href),
            b"src" => Some(Attr::Src),
            _ => None,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// What the tokenizer found that matters here, with offsets in its input.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    /// A non-empty value of an attribute of a start tag (`name` only on
    /// `<a>`), decoded, and the range it is written at.
    Attribute {
        name: Attr,
        value: String,
        at: Range<usize>,
    },
    /// A comment's text and where it starts (its `<`).
    Comment { text: String, at: usize },
}

/// The tag being read: its attributes are kept once it closes.
#[derive(Default)]
struct Open {
    in_start_tag: bool,
    is_a: bool,
    seen: [bool; 4],
    current: Option<Attr>,
    attributes: Vec<Found>,
}

/// Tokenize `html` (the WHATWG tokenizer, switching to raw text in
/// `<script>`, `<style>`, `<textarea>` and the like as a browser would).
fn tokenize(html: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut open = Open::default();
    let mut emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, span: Span<usize>| {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                open = Open {
                    in_start_tag: true,
                    is_a: name == b"a",
                    ..Open::default()
                };
            }
            CallbackEvent::AttributeName { name } => {
                open.current = None;
                if let Some(attr) = Attr::of(name).filter(|_| open.in_start_tag)
                    && let Some(seen) = open.seen.get_mut(attr.index())
                    && !std::mem::replace(seen, true)
                    && (attr != Attr::Name || open.is_a)
                {
                    open.current = Some(attr);
                }
            }
            CallbackEvent::AttributeValue { value } => {
                // Only a non-empty value comes as an event.
                if let Some(name) = open.current.take()
                    && let Ok(value) = std::str::from_utf8(value)
                {
                    open.attributes.push(Found::Attribute {
                        name,
                        value: value.to_string(),
                        at: span.start..span.end,
                    });
                }
            }
            CallbackEvent::CloseStartTag { .. } => {
                if open.in_start_tag {
                    found.append(&mut open.attributes);
                }
                open = Open::default();
            }
            CallbackEvent::EndTag { .. } => open = Open::default(),
            CallbackEvent::Comment { value } => {
                open = Open::default();
                found.push(Found::Comment {
                    text: String::from_utf8_lossy(value).into_owned(),
                    at: span.start,
                });
            }
            CallbackEvent::String { .. }
            | CallbackEvent::Doctype { .. }
            | CallbackEvent::Error(_) => {}
        }
        None::<std::convert::Infallible>
    });
    emitter.naively_switch_states(true);
    // Reading a `&str` cannot fail.
    let _ = Tokenizer::new_with_emitter(html, Quiet(emitter)).finish();
    found
}

/// An emitter that asks the tokenizer for no parse errors (which are not
/// read here), sparing it the check of every character.
struct Quiet<E>(E);

impl<E: Emitter> ForwardingEmitter for Quiet<E> {
    type Token = E::Token;

    fn inner(&mut self) -> &mut impl Emitter<Token = Self::Token> {
        &mut self.0
    }

    fn should_emit_errors(&mut self) -> bool {
        false
    }
}

/// The directive a comment's text is: `runsheet-disable-next-line RULE …`,
/// `runsheet-disable …` or `runsheet-enable …` (rules separated by spaces
/// or commas).
fn directive(comment: &str) -> Option<Directive> {
    let mut words = comment
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty());
    let action = match words.next()? {
        "runsheet-disable-next-line" => DirectiveAction::DisableNextLine,
        "runsheet-disable" => DirectiveAction::Disable,
        "runsheet-enable" => DirectiveAction::Enable,
        _ => return None,
    };
    Some(Directive {
        action,
        rules: words.map(str::to_string).collect(),
        line: 0,
        target_line: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes(html: &str) -> Vec<(Attr, String, &str)> {
        tokenize(html)
            .into_iter()
            .filter_map(|f| match f {
                Found::Attribute { name, value, at } => Some((name, value, &html[at])),
                Found::Comment { .. } => None,
            })
            .collect()
    }

    fn directives(html: &str) -> Vec<Vec<String>> {
        tokenize(html)
            .into_iter()
            .filter_map(|f| match f {
                Found::Comment { text, .. } => directive(&text).map(|d| d.rules),
                Found::Attribute { .. } => None,
            })
            .collect()
    }

    #[test]
    fn empty_comments_whose_ends_overlap_their_starts_are_comments() {
        for html in ["<!-->", "<!--->", "<!---->"] {
            assert!(directives(html).is_empty(), "{html}");
        }
        assert_eq!(
            directives("<!-->x<!-- runsheet-disable broken-link -->"),
            [["broken-link"]]
        );
        assert_eq!(
            directives("<!--->x<!-- runsheet-disable a, b -->"),
            [["a", "b"]]
        );
        assert!(directives("<!-- not-runsheet-disable a -->").is_empty());
    }

    #[test]
    fn values_are_read_as_written_and_decoded() {
        assert_eq!(
            attributes("<img alt=\"a src=missing.png\" src=\"ok.png\">"),
            [(Attr::Src, "ok.png".into(), "ok.png")]
        );
        assert_eq!(
            attributes("<a title='see id=foo' href=a&amp;b.md>"),
            [(Attr::Href, "a&b.md".into(), "a&amp;b.md")]
        );
        // `name` on `<a>` only; the first of two; not on end tags; not in
        // a tag the input leaves open.
        assert_eq!(
            attributes("<div name=x id=a ID=b></div id=c><a name=n><p id=\"open\""),
            [(Attr::Id, "a".into(), "a"), (Attr::Name, "n".into(), "n")]
        );
        // Raw text is not read for tags.
        assert!(attributes("<script>var s = '<a href=x>';</script>").is_empty());
    }
}
