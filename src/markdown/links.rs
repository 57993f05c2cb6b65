//! Links and images: kind, destination as written and decoded into a path
//! and a fragment, text, span, and the byte range of the destination in
//! the source (for an inline link inside its parentheses, for a reference
//! link in its definition), so a fix can rewrite exactly those bytes.
//! References without a definition are recorded as such.

use super::Place;
use crate::model::{Link, LinkKind, Reference};
use pulldown_cmark::{CowStr, LinkType};
use std::ops::Range;

struct Open {
    kind: LinkKind,
    dest: String,
    ref_label: Option<String>,
    start: usize,
    text: String,
}

#[derive(Default)]
pub(super) struct Links {
    open: Vec<Open>,
    pub(super) list: Vec<Link>,
    pub(super) undefined: Vec<Reference>,
}

impl Links {
    pub(super) fn start(
        &mut self,
        kind: LinkKind,
        dest: CowStr<'_>,
        link_type: LinkType,
        id: CowStr<'_>,
        start: usize,
    ) {
        let ref_label = matches!(
            link_type,
            LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut
        )
        .then(|| id.into_string());
        self.open.push(Open {
            kind,
            dest: dest.into_string(),
            ref_label,
            start,
            text: String::new(),
        });
    }

    pub(super) fn text(&mut self, s: &str) {
        for l in &mut self.open {
            l.text.push_str(s);
        }
    }

    /// The innermost open link closes at body offset `end`: its index.
    pub(super) fn end(&mut self, place: &Place<'_>, end: usize) -> Option<usize> {
        let open = self.open.pop()?;
        let span = place.span(open.start..end);
        let base = place.base;
        let raw = &place.text[base + open.start..base + end];
        let dest_span = match open.kind {
            LinkKind::Inline | LinkKind::Image if open.ref_label.is_none() => {
                find_inline_destination(raw, &open.dest)
                    .map(|r| base + open.start + r.start..base + open.start + r.end)
            }
            LinkKind::Autolink => {
                let inner = raw.strip_prefix('<').and_then(|r| r.strip_suffix('>'));
                inner.map(|_| base + open.start + 1..base + end - 1)
            }
            _ => open.ref_label.as_ref().and_then(|label| {
                let body = &place.text[base..];
                find_definition_destination(body, label, &open.dest)
                    .map(|r| base + r.start..base + r.end)
            }),
        };
        let (path, fragment) = split_destination(&open.dest);
        let (dest_path_end, dest_fragment_start) = dest_parts(place.text, dest_span.clone());
        self.list.push(Link {
            kind: open.kind,
            destination: open.dest,
            path,
            fragment,
            text: super::lists::collapse_owned(open.text),
            span,
            dest_span,
            dest_path_end,
            dest_fragment_start,
        });
        Some(self.list.len() - 1)
    }

    /// A link or image written in raw HTML (`href`/`src`) whose value, as
    /// the browser reads it, is `value`: written at byte range `written` of
    /// the source when it is written in one piece, else somewhere in
    /// `covering`.
    pub(super) fn html(
        &mut self,
        place: &Place<'_>,
        value: &str,
        written: Option<Range<usize>>,
        covering: Range<usize>,
    ) {
        self.attribute(LinkKind::Html, place, value, written, covering);
    }

    /// DocFX's `:::image source="…" lightbox="…":::` in the source at body
    /// range `range`: an image for each attribute.
    pub(super) fn docfx_image(&mut self, place: &Place<'_>, range: Range<usize>) {
        let base = place.base;
        let text = &place.text[base + range.start..base + range.end];
        let mut rest = 0;
        while let Some(at) = text[rest..].find(":::image") {
            let start = rest + at + ":::image".len();
            let end = text[start..].find(":::").map_or(text.len(), |e| start + e);
            let block = &text[start..end];
            for attr in ["source=\"", "lightbox=\""] {
                let mut from = 0;
                while let Some(i) = block[from..].find(attr) {
                    let value_start = from + i + attr.len();
                    // Only a whole attribute name (not `data-source=`).
                    let whole = block[..from + i]
                        .chars()
                        .next_back()
                        .is_none_or(char::is_whitespace);
                    let Some(len) = block[value_start..].find('"') else {
                        break;
                    };
                    if whole && len > 0 {
                        let value = &block[value_start..value_start + len];
                        let at = base + range.start + start + value_start;
                        let at = at..at + len;
                        self.attribute(LinkKind::Image, place, value, Some(at.clone()), at);
                    }
                    from = value_start + len;
                }
            }
            rest = end;
        }
    }

    /// A link whose destination is `value`, written at `written` (or, not
    /// in one piece, in `covering`). A fix may rewrite the path part or the
    /// fragment only where that part is written as it reads (an HTML value
    /// with `&amp;` in its query still has its path fixed).
    fn attribute(
        &mut self,
        kind: LinkKind,
        place: &Place<'_>,
        value: &str,
        written: Option<Range<usize>>,
        covering: Range<usize>,
    ) {
        let at = written.clone().unwrap_or(covering);
        let span = place.lines.span(place.text, at.start, at.end);
        let (path, fragment) = split_destination(value);
        let (dest_path_end, dest_fragment_start) = match &written {
            Some(w) if place.text.get(w.clone()) == Some(value) => {
                dest_parts(place.text, written.clone())
            }
            Some(w) => {
                // Written otherwise than it reads (`&amp;`): the path part
                // as written must start the value, and the fragment as
                // written must end it.
                let as_written = place.text.get(w.clone()).unwrap_or_default().as_bytes();
                let value = value.as_bytes();
                let path_len = memchr::memchr2(b'#', b'?', value).unwrap_or(value.len());
                let path_end = (as_written.get(..path_len) == value.get(..path_len)
                    && as_written.get(path_len) == value.get(path_len))
                .then_some(w.start + path_len);
                let fragment_start = memchr::memchr(b'#', value).and_then(|h| {
                    let fragment = value.get(h + 1..)?;
                    let hash = as_written.len().checked_sub(fragment.len() + 1)?;
                    (as_written.get(hash) == Some(&b'#')
                        && as_written.get(hash + 1..) == Some(fragment))
                    .then_some(w.start + hash + 1)
                });
                (path_end, fragment_start)
            }
            None => (None, None),
        };
        self.list.push(Link {
            kind,
            destination: value.to_string(),
            path,
            fragment,
            text: String::new(),
            span,
            dest_span: written,
            dest_path_end,
            dest_fragment_start,
        });
    }

    /// References the parser could not resolve (its broken-link callback):
    /// full and collapsed references without a definition that were meant
    /// as links ([`meant_as_link`]). Shortcuts (`[plain]`, `> [!TIP]`) are
    /// text.
    pub(super) fn unresolved(
        &mut self,
        place: &Place<'_>,
        body: &str,
        broken: Vec<(Range<usize>, String, LinkType)>,
    ) {
        for (mut range, label, kind) in broken {
            // A collapsed reference `[text][]` ends after its `[]`.
            if matches!(kind, LinkType::Collapsed | LinkType::CollapsedUnknown)
                && body[range.end..].starts_with("[]")
            {
                range.end += 2;
            }
            if matches!(
                kind,
                LinkType::Reference
                    | LinkType::Collapsed
                    | LinkType::ReferenceUnknown
                    | LinkType::CollapsedUnknown
            ) && meant_as_link(body, &range, &label)
            {
                let span = place.span(range.clone());
                let raw = &body[range];
                let text = raw
                    .strip_prefix('[')
                    .and_then(|r| r.split("][").next())
                    .unwrap_or(raw);
                self.undefined.push(Reference {
                    label,
                    text: text.trim_end_matches(']').to_string(),
                    line: span.line,
                    column: span.column,
                    span,
                });
            }
        }
        self.undefined.sort_by_key(|r| r.span.start);
    }
}

/// Whether an undefined full or collapsed reference at `range` of `body`
/// was clearly meant as a link. CommonMark renders an undefined one as
/// text, and brackets are common as text: inside a word
/// (`MFCx0[U][D].DLL`), in a row of three or more (`[Microsoft][ODBC
/// Driver][SQL Server]`), or as syntax notation whose label is not a name
/// (`[**,DATA**]`, `[*index2*]`). Those are not references.
fn meant_as_link(body: &str, range: &Range<usize>, label: &str) -> bool {
    let before = body[..range.start].chars().next_back();
    let after = body[range.end..].chars().next();
    let glued = before.is_some_and(|c| c.is_alphanumeric() || c == ']')
        || after.is_some_and(|c| c.is_alphanumeric() || c == '[');
    let label = label.trim();
    let names_something =
        label.starts_with(|c: char| c.is_alphanumeric()) && !label.contains(['*', '`']);
    !glued && names_something
}

/// Where the path part of a written destination ends (at `#` or `?`) and
/// where its fragment starts, as byte offsets in the source.
fn dest_parts(text: &str, dest_span: Option<Range<usize>>) -> (Option<usize>, Option<usize>) {
    let Some(ds) = dest_span else {
        return (None, None);
    };
    let Some(written) = text.as_bytes().get(ds.start..ds.end) else {
        return (None, None);
    };
    let path_end = ds.start + memchr::memchr2(b'#', b'?', written).unwrap_or(written.len());
    let fragment = memchr::memchr(b'#', written).map(|h| ds.start + h + 1);
    (Some(path_end), fragment)
}

/// Split a destination into its percent-decoded path and fragment.
pub fn split_destination(dest: &str) -> (String, Option<String>) {
    let (path, fragment) = match memchr::memchr(b'#', dest.as_bytes()) {
        Some(i) => (&dest[..i], Some(&dest[i + 1..])),
        None => (dest, None),
    };
    let path = match memchr::memchr(b'?', path.as_bytes()) {
        Some(i) => &path[..i],
        None => path,
    };
    (percent_decode(path), fragment.map(percent_decode))
}

/// Decode `%XX` escapes (invalid sequences are kept as written; a result
/// that is not UTF-8 keeps the text as written).
pub fn percent_decode(s: &str) -> String {
    if memchr::memchr(b'%', s.as_bytes()).is_none() {
        return s.to_string();
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_string(), |d| d.into_owned())
}

/// Backslash escapes removed, as pulldown-cmark reports a destination.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&n) = chars.peek()
            && n.is_ascii_punctuation()
        {
            out.push(n);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

/// Where an inline link's destination sits in its raw text `[..](dest "t")`.
fn find_inline_destination(raw: &str, dest: &str) -> Option<Range<usize>> {
    // Most links are `[text](dest)` exactly: the destination is what
    // stands between the last `](` and the closing `)`.
    if let Some(body) = raw.strip_suffix(')')
        && body.ends_with(dest)
        && raw[..body.len() - dest.len()].ends_with("](")
    {
        return Some(body.len() - dest.len()..body.len());
    }
    let mut search_end = raw.len();
    while let Some(pos) = crate::text::scan::rfind_pair(
        raw.as_bytes().get(..search_end).unwrap_or_default(),
        b']',
        b'(',
    ) {
        let after = pos + 2;
        let rest = &raw[after..];
        let ws = rest.len() - rest.trim_start().len();
        let start = after + ws;
        let candidate = &raw[start..];
        let range = if let Some(inner) = candidate.strip_prefix('<') {
            inner.find('>').map(|e| start + 1..start + 1 + e)
        } else {
            let mut depth = 0i32;
            let mut end = candidate.len();
            let mut escaped = false;
            for (i, c) in candidate.char_indices() {
                if escaped {
                    escaped = false;
                    continue;
                }
                match c {
                    '\\' => escaped = true,
                    '(' => depth += 1,
                    ')' if depth == 0 => {
                        end = i;
                        break;
                    }
                    ')' => depth -= 1,
                    c if c.is_whitespace() => {
                        end = i;
                        break;
                    }
                    _ => {}
                }
            }
            Some(start..start + end)
        };
        if let Some(r) = range {
            let written = &raw[r.clone()];
            let same = if written.contains('\\') {
                unescape(written) == dest
            } else {
                written == dest
            };
            if same || (dest.is_empty() && r.is_empty()) {
                return Some(r);
            }
        }
        if pos == 0 {
            break;
        }
        search_end = pos;
    }
    None
}

/// Where a reference definition `[label]: dest` puts its destination.
fn find_definition_destination(body: &str, label: &str, dest: &str) -> Option<Range<usize>> {
    let wanted = label.to_lowercase();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start_matches([' ', '>']).trim_start();
        let lead = line.len() - t.len();
        if let Some(rest) = t.strip_prefix('[')
            && let Some(close) = rest.find("]:")
            && rest[..close]
                .to_lowercase()
                .split_whitespace()
                .eq(wanted.split_whitespace())
        {
            let after = &rest[close + 2..];
            let ws = after.len() - after.trim_start().len();
            let start = offset + lead + 1 + close + 2 + ws;
            let value = &body[start..];
            let (s, len) = if let Some(inner) = value.strip_prefix('<') {
                (start + 1, inner.find('>').unwrap_or(0))
            } else {
                (
                    start,
                    value.find(char::is_whitespace).unwrap_or(value.len()),
                )
            };
            if unescape(&body[s..s + len]) == dest {
                return Some(s..s + len);
            }
        }
        offset += line.len();
    }
    None
}
