//! The scalars of a YAML document where they are written, read with the
//! same yaml-rust2 event parser as [`parse()`](super::parse()) but without
//! building a tree: each scalar is handed over as it is read, with the key
//! it is the value of, its style, its line and column, and the byte range
//! of its text when the text is written exactly as it reads. For pages of
//! thousands of entries whose values are wanted one by one (DocFX's
//! `toc.yml`), in one pass.
//!
//! An alias stands for its anchor's scalar (not for a list or a map, whose
//! scalars were handed over where they are written); all aliases together
//! copy at most as many bytes as the document has ([`ALIAS_BYTES`] at the
//! least), so a page of aliases cannot ask for more than its size.

use super::YamlError;
use std::collections::HashMap;
use std::ops::Range;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// The bytes aliases may copy in a document smaller than this.
pub const ALIAS_BYTES: usize = 1 << 16;

/// How a scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|`
    Literal,
    /// `>`
    Folded,
    /// `*name`: the text is the anchor's.
    Alias,
}

/// One scalar as it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenScalar<'a> {
    /// The key of the mapping entry this scalar is the value of (`None` for
    /// a key, a list item, a document that is one scalar).
    pub key: Option<&'a str>,
    /// What it reads as.
    pub text: &'a str,
    pub style: Style,
    /// 1-based, of its first character as written (a quote, `|`, `*`).
    pub line: usize,
    pub column: usize,
    /// The byte offset of that character.
    pub start: usize,
    /// The byte range of `text` in the document, when it is written as it
    /// reads: a plain scalar on one line, a quoted one without escapes
    /// (inside the quotes). `None` for block scalars, folded lines, escapes
    /// and aliases, where rewriting the range would change what it means.
    pub verbatim: Option<Range<usize>>,
}

impl WrittenScalar<'_> {
    /// Whether it reads as null (`~`, `null`, nothing): plain and null in
    /// the core schema.
    pub fn is_null(&self) -> bool {
        self.style == Style::Plain && super::Scalar::is_null(self.text)
    }
}

/// Hand every scalar of the YAML document `text` (of every document in it)
/// that is not a key to `visit`, in the order they are written, each with
/// the key it is the value of. An error stops the reading
/// at the place it names, after the scalars before it were handed over.
pub fn scalars(text: &str, visit: impl FnMut(&WrittenScalar<'_>)) -> Result<(), YamlError> {
    let mut reader = Reader {
        text,
        offsets: Offsets::new(text),
        stack: Vec::new(),
        anchors: HashMap::new(),
        copied: 0,
        budget: text.len().max(ALIAS_BYTES),
        visit,
    };
    Parser::new_from_str(text)
        .load(&mut reader, true)
        .map_err(|e| YamlError {
            line: e.marker().line(),
            column: e.marker().col() + 1,
            message: e.info().to_string(),
        })
}

/// Where the reader is in a collection.
enum Frame {
    Seq,
    /// A map, and the key of the entry being read (`None` while its key is
    /// read).
    Map(Option<String>),
}

struct Reader<'t, F> {
    text: &'t str,
    offsets: Offsets<'t>,
    stack: Vec<Frame>,
    /// Anchored scalars' text.
    anchors: HashMap<usize, String>,
    /// Bytes aliases copied so far, and how many they may.
    copied: usize,
    budget: usize,
    visit: F,
}

/// What a value just read is in its collection.
enum Role {
    /// A mapping's key, which names the value that follows.
    Key,
    /// A value: of this mapping key, or (`None`) a list item or a document.
    Value(Option<String>),
}

impl<F: FnMut(&WrittenScalar<'_>)> Reader<'_, F> {
    fn role(&mut self) -> Role {
        match self.stack.last_mut() {
            Some(Frame::Map(key)) => match key.take() {
                Some(k) => Role::Value(Some(k)),
                None => Role::Key,
            },
            _ => Role::Value(None),
        }
    }

    /// The key of the mapping entry whose value comes next.
    fn set_key(&mut self, name: String) {
        if let Some(Frame::Map(key)) = self.stack.last_mut() {
            *key = Some(name);
        }
    }

    /// A list, a map or an alias of one: a key names nothing by it.
    fn collection(&mut self) {
        if let Role::Key = self.role() {
            self.set_key(String::new());
        }
    }

    fn scalar(&mut self, text: String, style: Style, mark: Marker, anchor: usize) {
        let key = match self.role() {
            Role::Key => {
                if anchor > 0 {
                    self.anchors.insert(anchor, text.clone());
                }
                self.set_key(text);
                return;
            }
            Role::Value(key) => key,
        };
        let start = self.offsets.byte(mark.line(), mark.col());
        let verbatim = verbatim(self.text, start, &text, style);
        (self.visit)(&WrittenScalar {
            key: key.as_deref(),
            text: &text,
            style,
            line: mark.line(),
            column: mark.col() + 1,
            start,
            verbatim,
        });
        if anchor > 0 {
            self.anchors.insert(anchor, text);
        }
    }
}

impl<F: FnMut(&WrittenScalar<'_>)> MarkedEventReceiver for Reader<'_, F> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(text, style, anchor, _) => {
                let style = match style {
                    TScalarStyle::SingleQuoted => Style::SingleQuoted,
                    TScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                    TScalarStyle::Literal => Style::Literal,
                    TScalarStyle::Folded => Style::Folded,
                    TScalarStyle::Plain => Style::Plain,
                };
                self.scalar(text, style, mark, anchor);
            }
            Event::Alias(id) => {
                let text = self
                    .anchors
                    .get(&id)
                    .filter(|t| self.copied.saturating_add(t.len()) <= self.budget)
                    .cloned();
                match text {
                    Some(text) => {
                        self.copied += text.len();
                        self.scalar(text, Style::Alias, mark, 0);
                    }
                    // A list or a map (read where it is written), or past
                    // the bound: it takes its place but is not read again.
                    None => self.collection(),
                }
            }
            Event::SequenceStart(..) => {
                self.collection();
                self.stack.push(Frame::Seq);
            }
            Event::MappingStart(..) => {
                self.collection();
                self.stack.push(Frame::Map(None));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// Where `text`, read from a scalar of `style` whose first character is at
/// byte `start`, is written as it reads.
fn verbatim(doc: &str, start: usize, text: &str, style: Style) -> Option<Range<usize>> {
    let (from, close) = match style {
        // A line break in the text was folded from one or more in the
        // source: never as written.
        Style::Plain if !text.contains('\n') => (start, None),
        // No quote (written doubled) and no break in the text.
        Style::SingleQuoted if !text.contains(['\'', '\n']) => (start + 1, Some(b'\'')),
        // No backslash (an escape would have left none where the text
        // is the same) and no quote or break.
        Style::DoubleQuoted if !text.contains(['\\', '"', '\n']) => (start + 1, Some(b'"')),
        _ => return None,
    };
    let end = from + text.len();
    let written = doc.get(from..end)?;
    let closed = close.is_none_or(|q| doc.as_bytes().get(end) == Some(&q));
    (written == text && !written.contains('\n') && closed).then_some(from..end)
}

/// Byte offsets of yaml-rust2's lines and columns (its character index
/// runs ahead past a block scalar with non-ASCII text; line and column do
/// not). A column is counted in characters from the last one asked for on
/// the same line, so a long line of flow entries is counted once.
struct Offsets<'t> {
    text: &'t str,
    ascii: bool,
    /// Where each line starts: after `\n`, `\r\n` or a lone `\r`, as
    /// yaml-rust2 breaks lines.
    starts: Vec<usize>,
    /// The last position asked for: line, column, byte.
    last: (usize, usize, usize),
}

impl<'t> Offsets<'t> {
    fn new(text: &'t str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&i| !(bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) == Some(&b'\n')))
                .map(|i| i + 1),
        );
        Offsets {
            text,
            ascii: text.is_ascii(),
            starts,
            last: (0, 0, 0),
        }
    }

    /// The byte offset of 1-based `line`, 0-based `column`.
    fn byte(&mut self, line: usize, column: usize) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        if self.ascii {
            return (start + column).min(self.text.len());
        }
        let (mut at, mut byte) = match self.last {
            (l, c, b) if l == line && c <= column => (c, b),
            _ => (0, start),
        };
        while at < column {
            let Some(c) = self.text.get(byte..).and_then(|r| r.chars().next()) else {
                break;
            };
            byte += c.len_utf8();
            at += 1;
        }
        self.last = (line, at, byte);
        byte
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scalar read: its key, text, style and text as written.
    type Read<'a> = (Option<String>, String, Style, Option<&'a str>);

    fn read(text: &str) -> (Vec<Read<'_>>, Option<usize>) {
        let mut out = Vec::new();
        let result = scalars(text, |s| {
            let written = s.verbatim.clone().map(|r| &text[r]);
            out.push((
                s.key.map(str::to_string),
                s.text.to_string(),
                s.style,
                written,
            ));
        });
        (out, result.err().map(|e| e.line))
    }

    fn key<'a>(found: &'a [Read<'a>], k: &str) -> Vec<(&'a str, Option<&'a str>)> {
        found
            .iter()
            .filter(|(key, ..)| key.as_deref() == Some(k))
            .map(|(_, t, _, w)| (t.as_str(), *w))
            .collect()
    }

    #[test]
    fn values_know_their_key_and_where_they_are_written_as_read() {
        let text = "- name: A\n  href: a.md # note\n- {name: B, href: 'b.md'}\n- href: \"c\\td\"\n  items:\n  - href: |\n      lit\n  - href: 'it''s'\n  - [href, x]\n  - href: \"é.md\"\n";
        let (found, error) = read(text);
        assert_eq!(error, None);
        assert_eq!(
            key(&found, "href"),
            [
                ("a.md", Some("a.md")),
                ("b.md", Some("b.md")),
                ("c\td", None),
                ("lit\n", None),
                ("it's", None),
                ("é.md", Some("é.md")),
            ]
        );
        // A list item is no entry's value.
        assert!(found.iter().any(|(k, t, ..)| k.is_none() && t == "x"));
    }

    #[test]
    fn offsets_hold_after_non_ascii_text_in_blocks_and_on_the_line() {
        let text =
            "- name: |\n    a.mdé\n- {name: é, href: 'ü.md'}\n- href: a.md\r\n- href: b.md\n";
        let (found, _) = read(text);
        assert_eq!(
            key(&found, "href"),
            [
                ("ü.md", Some("ü.md")),
                ("a.md", Some("a.md")),
                ("b.md", Some("b.md"))
            ]
        );
    }

    #[test]
    fn folded_plain_lines_are_not_as_written() {
        let (found, _) = read("href: a\n  b.md\nsrc: \"x\n  y\"\n");
        assert_eq!(key(&found, "href"), [("a b.md", None)]);
        assert_eq!(key(&found, "src"), [("x y", None)]);
    }

    #[test]
    fn aliases_stand_for_scalars_within_the_bound() {
        let (found, _) = read("a: &x one.md\nhref: *x\nb: &m {href: two.md}\nc: *m\n");
        assert_eq!(
            key(&found, "href"),
            [("one.md", None), ("two.md", Some("two.md"))]
        );
        let long = "x".repeat(1000);
        let mut text = format!("a: &x {long}\n");
        for i in 0..(2 * ALIAS_BYTES / 1000) {
            text.push_str(&format!("k{i}: *x\n"));
        }
        let (found, _) = read(&text);
        let copies = found.iter().filter(|(_, t, ..)| *t == long).count();
        assert!(copies <= ALIAS_BYTES / 1000 + 1, "{copies}");
        assert!(copies > 10, "{copies}");
    }

    #[test]
    fn an_error_keeps_the_scalars_before_it() {
        let (found, error) = read("- href: a.md\n- href: b.md\n  bad: [\n");
        assert_eq!(
            key(&found, "href"),
            [("a.md", Some("a.md")), ("b.md", Some("b.md"))]
        );
        assert!(error.is_some());
    }
}
