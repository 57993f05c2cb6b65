//! The values of some keys in a YAML document written in the plain block
//! style most DocFX tables of contents use: one `key: value` (or `- key:
//! value`, `- item`) a line, values plain or quoted on their line, nested
//! by indentation. For such a document this reads what [`super::scalars`]
//! reads, at a fraction of its cost; any other document it declines, and
//! the caller reads it with [`super::scalars`].
//!
//! Written by hand, for speed only: the event parser costs about a hundred
//! instructions a byte, which on a DocFX tree's tables of contents is a
//! twentieth of a whole check. What it accepts is held to the event
//! parser by a property test; a line it does not know for certain (a block
//! scalar, a flow collection, an anchor, an alias, a tag, a folded line,
//! an escape, a tab, a directive, an indentation YAML would refuse) makes
//! it decline the whole document, so it never reads a document otherwise
//! than the parser does.

use super::written::{Style, WrittenScalar};

/// The values of `keys` written on their key's line in `text`, in the
/// order written, when `text` is a plain block document (see the module);
/// `None` otherwise. (A key whose value is left out, a null, is not among
/// them.)
pub fn values<'t>(text: &'t str, keys: &[&str]) -> Option<Vec<WrittenScalar<'t>>> {
    let mut found = Vec::new();
    let mut levels = Levels::default();
    let mut offset = 0;
    for (n, raw) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw.len();
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.contains(['\r', '\t']) {
            return None;
        }
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if n == 0 && content.starts_with('\u{feff}') {
            return None;
        }
        if content.starts_with("---") || content.starts_with("...") || content.starts_with('%') {
            return None;
        }
        let mut col = line.len() - content.len();
        let mut rest = content;
        let mut dashes = 0;
        // `- ` prefixes: entries of block sequences.
        while let Some(after) = rest.strip_prefix('-') {
            if !(after.is_empty() || after.starts_with(' ')) {
                break;
            }
            levels.entry(col)?;
            dashes += 1;
            let spaces = after.len() - after.trim_start_matches(' ').len();
            col += 1 + spaces;
            rest = &after[spaces..];
            if rest.is_empty() || rest.starts_with('#') {
                // `-` alone: the entry's node is on the lines below.
                break;
            }
        }
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        let Some((key, after)) = key(rest) else {
            // A list item's scalar; a line that is neither a key's nor an
            // item's (a scalar on a line of its own, a folded line) is
            // declined.
            if dashes == 0 {
                return None;
            }
            scalar(rest)?;
            levels.opened = None;
            continue;
        };
        levels.key(col)?;
        let value_at = col + key.len() + 1;
        let spaces = after.len() - after.trim_start_matches(' ').len();
        let value = &after[spaces..];
        if value.is_empty() || value.starts_with('#') {
            // `key:` — its value is on the lines below, or null.
            levels.opened = Some(col);
            continue;
        }
        let (text_range, style) = scalar(value)?;
        if keys.contains(&key) {
            let value_start = start + value_at + spaces;
            let text_start = value_start + text_range.start;
            let text_end = value_start + text_range.end;
            let written = text.get(text_start..text_end)?;
            let column = line.get(..value_at + spaces)?.chars().count() + 1;
            found.push(WrittenScalar {
                key: Some(key),
                text: written,
                style,
                line: n + 1,
                column,
                start: value_start,
                verbatim: Some(text_start..text_end),
            });
        }
    }
    Some(found)
}

/// A plain key at the start of `rest` (`name:` followed by a space or
/// the end of the line) and what follows its colon.
fn key(rest: &str) -> Option<(&str, &str)> {
    let end = rest
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))?;
    let (key, after) = rest.split_at(end);
    let first = key.bytes().next()?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    let after = after.strip_prefix(':')?;
    (after.is_empty() || after.starts_with(' ')).then_some((key, after))
}

/// A scalar written on its line (plain, or quoted without escapes) at the
/// start of `value`, with nothing after it but spaces and a comment: the
/// byte range of its text within `value`, and its style.
fn scalar(value: &str) -> Option<(std::ops::Range<usize>, Style)> {
    let first = value.chars().next()?;
    let (range, after, style) = match first {
        '\'' => {
            let close = value.get(1..)?.find('\'')? + 1;
            (1..close, value.get(close + 1..)?, Style::SingleQuoted)
        }
        '"' => {
            let close = value.get(1..)?.find('"')? + 1;
            let inner = value.get(1..close)?;
            if inner.contains('\\') {
                return None;
            }
            (1..close, value.get(close + 1..)?, Style::DoubleQuoted)
        }
        // Indicators: anything that starts otherwise than a plain scalar
        // the parser reads the same way is declined.
        '-' | '?' | ':' | ',' | '[' | ']' | '{' | '}' | '#' | '&' | '*' | '!' | '|' | '>' | '%'
        | '@' | '`' => return None,
        _ => {
            // A plain scalar ends at ` #` (a comment) and its trailing
            // spaces; it may not hold `: ` nor end with `:`.
            let end = value.find(" #").unwrap_or(value.len());
            let text = value.get(..end)?.trim_end_matches(' ');
            if text.contains(": ") || text.ends_with(':') {
                return None;
            }
            (0..text.len(), value.get(text.len()..)?, Style::Plain)
        }
    };
    let after = after.trim_start_matches(' ');
    if !(after.is_empty() || after.starts_with('#')) {
        return None;
    }
    // `'it''s'` reads `it's`: a doubled quote is declined above, as the
    // closing quote would be the first of the pair; so is a quote
    // followed by text.
    Some((range, style))
}

/// The block collections open at a line, by the column their entries
/// start at, and the node the line before left open below it.
#[derive(Default)]
struct Levels {
    open: Vec<(usize, Kind)>,
    /// The column of the last line's `key:` or `-` when nothing followed
    /// it: its node may be on the lines below, indented further (or, for
    /// a key, a sequence at the key's column).
    opened: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Map,
    Seq,
}

impl Levels {
    /// Where a node of `kind` may start at `col`: as the next entry of an
    /// open collection there, or as a new one under the node the line
    /// before opened.
    fn start(&mut self, col: usize, kind: Kind) -> Option<()> {
        // A node opened at or past `col` has nothing below it: it is null.
        let opened = self.opened.take();
        let below = opened.filter(|&o| o < col);
        let at_key = opened == Some(col);
        while self.open.last().is_some_and(|&(c, _)| c > col) {
            self.open.pop();
        }
        match self.open.last().copied() {
            // Under the node the line before opened.
            Some((c, _)) if below == Some(c) => {
                self.open.push((col, kind));
                Some(())
            }
            // A sequence may be a key's value at the key's own column.
            Some((c, Kind::Map)) if c == col && kind == Kind::Seq && at_key => {
                self.open.push((col, kind));
                Some(())
            }
            Some((c, k)) if c == col && k == kind => Some(()),
            // A sequence at a key's column ends where a key comes next.
            Some((c, Kind::Seq)) if c == col && kind == Kind::Map => {
                self.open.pop();
                match self.open.last() {
                    Some(&(c, Kind::Map)) if c == col => Some(()),
                    _ => None,
                }
            }
            None if col == 0 => {
                self.open.push((col, kind));
                Some(())
            }
            _ => None,
        }
    }

    /// A `-` at `col`: what follows it on its line, or below, is the
    /// entry's node.
    fn entry(&mut self, col: usize) -> Option<()> {
        self.start(col, Kind::Seq)?;
        self.opened = Some(col);
        Some(())
    }

    /// A key at `col`; `open` when its value is below it.
    fn key(&mut self, col: usize) -> Option<()> {
        self.start(col, Kind::Map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Option<Vec<(&str, usize, usize)>> {
        values(text, &["href", "src"])
            .map(|v| v.into_iter().map(|s| (s.text, s.line, s.column)).collect())
    }

    #[test]
    fn a_toc_in_the_plain_block_style_is_read() {
        let text = "### YamlMime:TableOfContents\nitems:\n- name: A\n  href: a.md # note\n  items:\n  - name: B\n    href: 'b.md'\n  - href: \"c d.md\"\n- name: E\n  src: ~\n";
        assert_eq!(
            read(text),
            Some(vec![
                ("a.md", 4, 9),
                ("b.md", 7, 11),
                ("c d.md", 8, 11),
                ("~", 10, 8)
            ])
        );
        // A sequence at its key's column, then a key again.
        let text = "items:\n- href: a.md\nmore:\n  href: b.md\n";
        assert_eq!(read(text), Some(vec![("a.md", 2, 9), ("b.md", 4, 9)]));
    }

    #[test]
    fn anything_it_cannot_be_sure_of_is_declined() {
        for text in [
            "- href: |\n    x.md\n",
            "- {name: B, href: b.md}\n",
            "- href: a\n    b.md\n",
            "- a\n  b\n",
            "- href: \"a\\x2emd\"\n",
            "- href: 'it''s'\n",
            "- href: &x a.md\n- href: *x\n",
            "-\thref: a.md\n",
            "---\n- href: a.md\n",
            "a:\n  b: x\n c: y\n",
            "- href: a.md\r- href: b.md\n",
            "key: a: b\n",
            "? complex\n: value\n",
        ] {
            assert_eq!(read(text), None, "{text:?}");
        }
    }

    /// A document in the plain block style: maps and sequences nested by
    /// indentation, compact `- key: value` entries, sequences at their
    /// key's column, plain and quoted values, comments.
    #[derive(Debug, Clone)]
    enum Node {
        Scalar(String),
        Map(Vec<(String, Node)>),
        Seq(Vec<Node>),
    }

    fn scalar_text() -> impl Strategy<Value = String> {
        let plain = "[a-z0-9_./][a-z0-9_./ #:-]{0,12}[a-z0-9_./]".prop_filter("plain", |s| {
            !s.contains(": ") && !s.contains(" #") && !s.ends_with(':')
        });
        prop_oneof![
            plain,
            "[a-z0-9 ./#:-]{0,8}".prop_map(|s| format!("'{s}'")),
            "[a-z0-9 ./#:-]{0,8}".prop_map(|s| format!("\"{s}\"")),
            Just("~".to_string()),
            Just("null".to_string()),
        ]
    }

    fn node() -> impl Strategy<Value = Node> {
        let key = prop_oneof![
            Just("href".to_string()),
            Just("src".to_string()),
            Just("name".to_string()),
            Just("items".to_string()),
        ];
        scalar_text()
            .prop_map(Node::Scalar)
            .prop_recursive(4, 40, 5, move |inner| {
                prop_oneof![
                    prop::collection::vec((key.clone(), inner.clone()), 1..5).prop_map(Node::Map),
                    prop::collection::vec(inner, 1..5).prop_map(Node::Seq),
                ]
            })
    }

    /// `node` written at `indent`, as the value after `key:` when `key`.
    fn write(node: &Node, indent: usize, compact_seq: bool, out: &mut String) {
        let pad = " ".repeat(indent);
        match node {
            Node::Scalar(s) => {
                out.push_str(&format!("{pad}{s}\n"));
            }
            Node::Map(entries) => {
                for (k, v) in entries {
                    write_entry(k, v, indent, compact_seq, out);
                }
            }
            Node::Seq(items) => {
                for item in items {
                    match item {
                        Node::Scalar(s) => out.push_str(&format!("{pad}- {s}\n")),
                        Node::Map(entries) => {
                            // `- key: value`, the rest of the map below it.
                            let mut first = true;
                            for (k, v) in entries {
                                if first {
                                    out.push_str(&format!("{pad}- "));
                                    let mut line = String::new();
                                    write_entry(k, v, indent + 2, compact_seq, &mut line);
                                    out.push_str(line.trim_start_matches(' '));
                                    first = false;
                                } else {
                                    write_entry(k, v, indent + 2, compact_seq, out);
                                }
                            }
                        }
                        Node::Seq(_) => {
                            out.push_str(&format!("{pad}-\n"));
                            write(item, indent + 2, compact_seq, out);
                        }
                    }
                }
            }
        }
    }

    fn write_entry(k: &str, v: &Node, indent: usize, compact_seq: bool, out: &mut String) {
        let pad = " ".repeat(indent);
        match v {
            Node::Scalar(s) => out.push_str(&format!("{pad}{k}: {s}\n")),
            Node::Seq(_) if compact_seq => {
                out.push_str(&format!("{pad}{k}:\n"));
                write(v, indent, compact_seq, out);
            }
            _ => {
                out.push_str(&format!("{pad}{k}: # below\n"));
                write(v, indent + 2, compact_seq, out);
            }
        }
    }

    /// What the event parser reads of `keys` in `text`, a value left out
    /// (a null) aside.
    /// A value read: key, text, line, column, start, range as written.
    type Read = (
        String,
        String,
        usize,
        usize,
        usize,
        Option<std::ops::Range<usize>>,
    );

    fn parsed(text: &str) -> Option<Vec<Read>> {
        let mut out = Vec::new();
        super::super::scalars(text, |s| {
            if s.key.is_some_and(|k| ["href", "src"].contains(&k))
                && !(s.style == Style::Plain && s.text.is_empty())
            {
                out.push((
                    s.key.unwrap_or_default().to_string(),
                    s.text.to_string(),
                    s.line,
                    s.column,
                    s.start,
                    s.verbatim.clone(),
                ));
            }
        })
        .ok()?;
        Some(out)
    }

    fn fast(text: &str) -> Option<Vec<Read>> {
        values(text, &["href", "src"]).map(|v| {
            v.into_iter()
                .map(|s| {
                    (
                        s.key.unwrap_or_default().to_string(),
                        s.text.to_string(),
                        s.line,
                        s.column,
                        s.start,
                        s.verbatim,
                    )
                })
                .collect()
        })
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// A document in the plain block style is read, and read as the
        /// event parser reads it.
        #[test]
        fn plain_block_documents_read_as_the_parser_reads_them(
            root in node().prop_filter("a collection", |n| !matches!(n, Node::Scalar(_))),
            compact in any::<bool>(),
            crlf in any::<bool>(),
        ) {
            let mut text = String::from("### YamlMime:TableOfContents\n");
            write(&root, 0, compact, &mut text);
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            let fast = fast(&text);
            prop_assert!(fast.is_some(), "declined:\n{}", text);
            prop_assert_eq!(fast, parsed(&text), "{}", text);
        }

        /// Whatever a changed line makes of a document, what is read is
        /// what the event parser reads, or nothing.
        #[test]
        fn a_document_it_reads_is_read_as_the_parser_reads_it(
            root in node().prop_filter("a collection", |n| !matches!(n, Node::Scalar(_))),
            compact in any::<bool>(),
            at in any::<prop::sample::Index>(),
            change in prop_oneof![
                Just("  x"), Just(" href: a.md"), Just("   href: b.md"), Just("href: |"),
                Just("- {href: c.md}"), Just("  - d.md"), Just("    e.md"), Just("src: 'f''g'"),
                Just("- &a h.md"), Just("- *a"), Just("---"), Just("href: i: j"), Just("# c"),
                Just("- - href: k.md"), Just("-"), Just("  -"), Just("items:"),
            ],
            replace in any::<bool>(),
        ) {
            let mut text = String::new();
            write(&root, 0, compact, &mut text);
            let mut lines: Vec<&str> = text.lines().collect();
            let i = at.index(lines.len() + 1);
            if replace && i < lines.len() {
                lines[i] = change;
            } else {
                lines.insert(i.min(lines.len()), change);
            }
            let text = lines.join("\n") + "\n";
            if let Some(fast) = fast(&text) {
                prop_assert_eq!(Some(fast), parsed(&text), "{}", text);
            }
        }
    }
}
