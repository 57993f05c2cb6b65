//! The XML of an export read as a stream of events (quick-xml), never as
//! a tree: the text is decoded (a byte order mark, UTF-16 as some exports
//! are written), then each element's opening and closing, with the path
//! of element names down to it and its place, is handed to the caller,
//! which keeps only what it compares.
//!
//! What an export never holds is refused with its place rather than
//! guessed at: a file cut short, a second root, text outside the root,
//! nesting deeper than [`MAX_DEPTH`], and references to entities other
//! than XML's five and character references. A `DOCTYPE`'s own entities
//! are never expanded (quick-xml does not expand them, and a reference to
//! one is refused), so an entity that grows a billion times cannot grow.

use crate::text::{LineIndex, Located, Position};
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use std::borrow::Cow;

/// The deepest nesting an export file may have; MIM writes a dozen levels.
pub const MAX_DEPTH: usize = 256;

/// An element's opening or closing, as [`walk`] hands it over.
pub enum Item<'a, 'e> {
    /// An element opens (`<name …>`, or `<name …/>`, which closes at once).
    Open(&'a BytesStart<'e>),
    /// An element closes: the text directly inside it (the text since the
    /// last element opened inside it, for an element with children).
    Close(&'a str),
}

/// Bytes as text: UTF-8 (a byte order mark dropped) or UTF-16 with its
/// byte order mark, or without one when the file starts with `<` in
/// UTF-16. `shown` names the file in errors.
pub fn decode(bytes: Vec<u8>, shown: &str) -> Result<String, Located> {
    let utf16 = |little: bool, body: &[u8]| -> Result<String, Located> {
        let units = body
            .chunks(2)
            .map(|pair| match (pair.first(), pair.get(1)) {
                (Some(&a), Some(&b)) if little => u16::from_le_bytes([a, b]),
                (Some(&a), Some(&b)) => u16::from_be_bytes([a, b]),
                // An odd last byte is no character: the file is cut short.
                _ => 0xD800,
            });
        let mut text = String::with_capacity(body.len() / 2);
        for unit in char::decode_utf16(units) {
            match unit {
                Ok(c) => text.push(c),
                Err(_) => {
                    let lines = LineIndex::new(&text);
                    let at = lines.position(&text, text.len());
                    return Err(Located::new(
                        shown,
                        at.line,
                        at.column,
                        "the file is UTF-16 but this is not a character (a lone surrogate, or a file cut short in the middle of one)",
                    ));
                }
            }
        }
        Ok(text)
    };
    match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => utf16(true, rest),
        [0xFE, 0xFF, rest @ ..] => utf16(false, rest),
        [b'<', 0, ..] => utf16(true, &bytes),
        [0, b'<', ..] => utf16(false, &bytes),
        _ => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").map_or(0, |_| 3);
            let mut bytes = bytes;
            bytes.drain(..body);
            String::from_utf8(bytes).map_err(|e| {
                let valid = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let before = String::from_utf8_lossy(bytes.get(..valid).unwrap_or_default());
                let lines = LineIndex::new(&before);
                let at = lines.position(&before, before.len());
                Located::new(
                    shown,
                    at.line,
                    at.column,
                    "this byte is not UTF-8, and the file has no UTF-16 byte order mark: save the export again, or give it as MIM wrote it",
                )
            })
        }
    }
}

/// Walk the elements of `text`, whose root must be `root`. `visit` gets
/// the names of the elements from the root down to the one opening or
/// closing, the item, and the place of its `<`; what it refuses (an `Err`
/// with a message) is reported at that place.
pub fn walk<F>(text: &str, shown: &str, root: &str, mut visit: F) -> Result<(), Located>
where
    F: FnMut(&[String], Item<'_, '_>, Position) -> Result<(), String>,
{
    let lines = LineIndex::new(text);
    let at = |offset: u64| lines.position(text, usize::try_from(offset).unwrap_or(usize::MAX));
    let error = |offset: u64, message: String| {
        let p = at(offset);
        Located::new(shown, p.line, p.column, message)
    };
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.expand_empty_elements = true;
    // The names open from the root down, and where each opened.
    let mut path: Vec<String> = Vec::new();
    let mut opened: Vec<u64> = Vec::new();
    let mut seen_root = false;
    // The text since the last element opened.
    let mut inner = String::new();
    loop {
        let before = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| error(reader.error_position(), format!("not well-formed XML: {e}")))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.local_name().into_inner().to_string();
                if path.is_empty() {
                    if seen_root {
                        return Err(error(
                            before,
                            format!(
                                "a second root element `<{name}>` after `</{root}>`: the file holds one"
                            ),
                        ));
                    }
                    if name != root {
                        return Err(error(
                            before,
                            format!(
                                "the root element is `<{name}>`, where an export's is `<{root}>`"
                            ),
                        ));
                    }
                    seen_root = true;
                }
                if path.len() >= MAX_DEPTH {
                    return Err(error(
                        before,
                        format!(
                            "elements nest deeper than {MAX_DEPTH} levels here; MIM writes a dozen"
                        ),
                    ));
                }
                path.push(name);
                opened.push(before);
                inner.clear();
                visit(&path, Item::Open(e), at(before)).map_err(|m| error(before, m))?;
                if empty {
                    // Not written when empty elements are expanded, but
                    // read alike: it closes at once.
                    opened.pop();
                    visit(&path, Item::Close(""), at(before)).map_err(|m| error(before, m))?;
                    path.pop();
                }
            }
            Event::End(_) => {
                let start = opened.pop().unwrap_or(before);
                visit(&path, Item::Close(&inner), at(start)).map_err(|m| error(start, m))?;
                path.pop();
                inner.clear();
            }
            Event::Text(t) => {
                let content = t.xml10_content();
                if path.is_empty() {
                    if !content.trim().is_empty() {
                        return Err(error(
                            before,
                            format!("text outside the root element `<{root}>`"),
                        ));
                    }
                } else {
                    inner.push_str(&content);
                }
            }
            Event::CData(t) => inner.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let name = r.xml10_content();
                let c: Cow<'_, str> = if r.is_char_ref() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => Cow::Owned(c.to_string()),
                        _ => {
                            return Err(error(before, format!("`&{name};` is no character")));
                        }
                    }
                } else {
                    match &*name {
                        "amp" => Cow::Borrowed("&"),
                        "lt" => Cow::Borrowed("<"),
                        "gt" => Cow::Borrowed(">"),
                        "quot" => Cow::Borrowed("\""),
                        "apos" => Cow::Borrowed("'"),
                        _ => {
                            return Err(error(
                                before,
                                format!(
                                    "`&{name};` refers to an entity XML does not define; entities a DOCTYPE declares are never expanded, and MIM's exports use none"
                                ),
                            ));
                        }
                    }
                };
                if path.is_empty() {
                    return Err(error(
                        before,
                        format!("text outside the root element `<{root}>`"),
                    ));
                }
                inner.push_str(&c);
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
            Event::Eof => {
                if let (Some(name), Some(&start)) = (path.last(), opened.last()) {
                    let opened_at = at(start);
                    return Err(error(
                        reader.buffer_position(),
                        format!(
                            "the file ends inside `<{name}>` (opened at line {}): it is cut short or damaged; export the configuration again",
                            opened_at.line
                        ),
                    ));
                }
                if !seen_root {
                    return Err(Located::file(
                        shown,
                        format!("no `<{root}>` element: the file is empty or not an export"),
                    ));
                }
                return Ok(());
            }
        }
    }
}

/// The value of attribute `name` of `e`, XML's escapes read.
pub fn attribute(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, String> {
    match e.try_get_attribute(name) {
        Ok(None) => Ok(None),
        Ok(Some(a)) => a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| Some(v.into_owned()))
            .map_err(|err| format!("attribute `{name}`: {err}")),
        Err(err) => Err(format!("the attributes are not well-formed: {err}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Result<Vec<String>, Located> {
        let mut out = Vec::new();
        walk(text, "x.xml", "r", |path, item, at| {
            if let Item::Close(t) = item {
                out.push(format!(
                    "{}={}@{}:{}",
                    path.join("/"),
                    t,
                    at.line,
                    at.column
                ));
            }
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn elements_close_with_their_text_and_place() {
        assert_eq!(
            names("<r>\r\n <a>x &amp; &#65;</a><b/>\r\n</r>").unwrap(),
            ["r/a=x & A@2:2", "r/b=@2:22", "r=\n@1:1"]
        );
    }

    #[test]
    fn what_an_export_never_holds_is_refused_at_its_place() {
        let e = names("<r>\n<a>\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(
            e.message.contains("ends inside `<a>` (opened at line 2)"),
            "{e}"
        );
        let e = names("<x/>").unwrap_err();
        assert!(e.message.contains("root element is `<x>`"), "{e}");
        let e = names("<r></r><r/>").unwrap_err();
        assert!(e.message.contains("second root"), "{e}");
        let e = names("<r><a></b></r>").unwrap_err();
        assert!(e.message.contains("not well-formed"), "{e}");
        let e = names("").unwrap_err();
        assert!(e.message.contains("no `<r>` element"), "{e}");
        let deep = format!("<r>{}", "<a>".repeat(MAX_DEPTH));
        assert!(names(&deep).unwrap_err().message.contains("deeper than"));
    }

    #[test]
    fn entities_of_a_doctype_are_not_expanded() {
        let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n <!ENTITY a \"aaaaaaaaaa\">\n <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n]>\n<r><n>&b;</n></r>";
        let e = names(bomb).unwrap_err();
        assert_eq!((e.line, e.column), (6, 7), "{e}");
        assert!(e.message.contains("`&b;`"), "{e}");
    }

    #[test]
    fn utf16_and_byte_order_marks_are_decoded() {
        let text = "<r>é</r>";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(le, "x").unwrap(), text);
        assert_eq!(decode(be, "x").unwrap(), text);
        assert_eq!(decode(b"\xEF\xBB\xBF<r/>".to_vec(), "x").unwrap(), "<r/>");
        let e = decode(b"<r>\n\xE9</r>".to_vec(), "x").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e}");
        let cut: Vec<u8> = [0xFF, 0xFE, b'<', 0, b'r'].to_vec();
        assert!(decode(cut, "x").is_err());
    }
}
