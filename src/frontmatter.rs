//! YAML front matter: the block between a first line `---` and the next line
//! `---` (or `...`).
//!
//! Front matter is read as the publishing tools read it. Most of it is a
//! flat list of `key: value` lines, read by a small reader here (on a large
//! tree the YAML library costs more than the Markdown parse); the rest goes
//! to `yaml_serde`, a port of libyaml, which accepts what DocFX and Jekyll
//! accept (a flow list continued on an unindented line, for one) where the
//! stricter positioned reader of environment files ([`crate::yaml`]) does
//! not. It bounds alias expansion itself.

use crate::model::{FrontMatter, FrontMatterKey};

/// Where the front matter sits in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// Byte range of the YAML between the fences.
    pub yaml_start: usize,
    pub yaml_end: usize,
    /// Byte offset where the Markdown body starts (after the closing fence).
    pub body_start: usize,
    /// Number of lines the block takes, fences included.
    pub lines: usize,
}

/// Find a front-matter block at the very start of `text`.
/// Whether `text` opens front matter (`---`, then a `key:` line) that no
/// `---` line closes: the whole chapter would otherwise be read as a
/// horizontal rule and text.
pub fn unclosed(text: &str) -> bool {
    let mut lines = text.lines();
    lines.next().is_some_and(|l| l.trim_end() == "---")
        && lines.next().is_some_and(|l| {
            let l = l.trim_end();
            l.split_once(':').is_some_and(|(key, _)| {
                !key.is_empty()
                    && !key.starts_with(' ')
                    && key
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
            })
        })
        && find(text).is_none()
}

pub fn find(text: &str) -> Option<Bounds> {
    let first_end = memchr::memchr(b'\n', text.as_bytes())?;
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let yaml_start = first_end + 1;
    let mut pos = yaml_start;
    let mut lines = 1;
    while pos <= text.len() {
        let end = memchr::memchr(b'\n', text.as_bytes().get(pos..).unwrap_or_default())
            .map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim_end();
        lines += 1;
        if line == "---" || line == "..." {
            let body_start = (end + 1).min(text.len());
            return Some(Bounds {
                yaml_start,
                yaml_end: pos,
                body_start,
                lines,
            });
        }
        if end >= text.len() {
            break;
        }
        pos = end + 1;
    }
    None
}

/// Parse the YAML of a block. `first_line` is the 1-based line of the
/// opening fence. An error carries the 1-based line in the file.
pub fn parse(
    text: &str,
    bounds: Bounds,
    first_line: usize,
) -> Result<FrontMatter, (usize, String)> {
    // The error is its line and a whole sentence.
    let raw = &text[bounds.yaml_start..bounds.yaml_end];
    let yaml_first_line = first_line + 1;
    let keys = top_level_keys(raw, yaml_first_line);
    let values = if raw.trim().is_empty() {
        serde_json::Value::Object(Default::default())
    } else if let Some(map) = simple_mapping(raw) {
        serde_json::Value::Object(map)
    } else {
        if let Some(line) = nested_too_deep(raw) {
            return Err((
                yaml_first_line + line - 1,
                format!(
                    "front matter nests flow collections (`[`, `{{`) more than {MAX_FLOW_DEPTH} deep: runsheet does not read it; write the value flatter"
                ),
            ));
        }
        let value: yaml_serde::Value = yaml_serde::from_str(raw).map_err(|e| {
            let line = e
                .location()
                .map_or(yaml_first_line, |l| yaml_first_line + l.line() - 1);
            let msg = e.to_string();
            // The library appends its own "at line N column M"; ours names the file's line.
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            (line, format!("front matter is not valid YAML: {msg}"))
        })?;
        match to_json(value) {
            map @ serde_json::Value::Object(_) => map,
            // `- a` or a lone word: YAML, but not the `key: value` lines
            // front matter is made of.
            other => {
                let what = match other {
                    serde_json::Value::Array(_) => "a list",
                    serde_json::Value::Null => "empty",
                    _ => "a single value",
                };
                return Err((
                    yaml_first_line,
                    format!(
                        "front matter is {what}, not `key: value` lines; write each key on its own line, such as `title: …`"
                    ),
                ));
            }
        }
    };
    Ok(FrontMatter {
        raw: raw.to_string(),
        values,
        keys,
        line: first_line,
        end_line: first_line + bounds.lines - 1,
    })
}

/// How deep flow collections may nest in front matter. The YAML reader
/// (a port of libyaml) takes time of the square of the depth to scan them
/// (400 KB of brackets took over a minute), and refuses more than 128
/// levels when it reads the value anyway.
pub const MAX_FLOW_DEPTH: usize = 128;

/// The 1-based line (of `raw`) where flow collections open more than
/// [`MAX_FLOW_DEPTH`] deep, looked for in one pass: brackets in quotes and
/// comments do not count. Written by hand as the guard before the YAML
/// reader, which cannot bound its own time.
fn nested_too_deep(raw: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (n, line) in raw.lines().enumerate() {
        let mut quote: Option<u8> = None;
        let mut prev = b' ';
        let bytes = line.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match (quote, b) {
                (Some(b'"'), b'\\') => i += 1,
                (Some(q), _) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'#') if prev == b' ' || prev == b'\t' || i == 0 => break,
                (None, b'"' | b'\'')
                    if matches!(prev, b' ' | b'[' | b'{' | b',' | b':') || i == 0 =>
                {
                    quote = Some(b)
                }
                (None, b'[' | b'{') => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some(n + 1);
                    }
                }
                (None, b']' | b'}') => depth = depth.saturating_sub(1),
                _ => {}
            }
            prev = b;
            i += 1;
        }
    }
    None
}

/// Most front matter is a flat list of `key: value` lines, some keys
/// followed by a block list of such values (`- value` lines, each at the
/// same indent). Those are read here without the YAML library (which
/// costs more than the Markdown parse on a large tree); anything this
/// reader is not certain about — nesting, block scalars, anchors, escapes,
/// numbers, booleans, duplicate keys, indented comments, tabs — returns
/// `None` and goes to the YAML library.
pub fn simple_mapping(raw: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let mut map = serde_json::Map::with_capacity(16);
    // The key last read with nothing after its colon, whose value a block
    // list may give; and that list, with the indent of its dashes.
    let mut empty_key: Option<&str> = None;
    let mut list: Option<(usize, Vec<serde_json::Value>)> = None;
    let mut start = 0;
    while start <= raw.len() {
        let end = memchr::memchr(b'\n', raw.as_bytes().get(start..).unwrap_or_default())
            .map_or(raw.len(), |i| start + i);
        let line = &raw[start..end];
        start = end + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let trimmed = line.trim_end();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = trimmed.len() - trimmed.trim_start_matches(' ').len();
        if let Some(item) = trimmed[indent..].strip_prefix("- ") {
            match &mut list {
                Some((at, _)) if *at != indent => return None,
                Some(_) => {}
                None if empty_key.is_some() => list = Some((indent, Vec::new())),
                None => return None,
            }
            if memchr::memchr(b'\t', line.as_bytes()).is_some() {
                return None;
            }
            let value = simple_scalar(item.trim())?;
            if value.is_null() {
                return None;
            }
            if let Some((_, items)) = &mut list {
                items.push(value);
            }
            continue;
        }
        if let (Some(key), Some((_, items))) = (empty_key.take(), list.take())
            && let Some(value) = map.get_mut(key)
        {
            *value = serde_json::Value::Array(items);
        }
        if line.starts_with([
            ' ', '\t', '-', '?', '%', '[', '{', '"', '\'', '&', '*', '!', '|', '>', '@', '`',
        ]) {
            return None;
        }
        let colon = memchr::memchr(b':', trimmed.as_bytes())?;
        let key = &trimmed[..colon];
        let rest = &trimmed[colon + 1..];
        if !(rest.is_empty() || rest.starts_with([' ', '\t']))
            || crate::text::scan::find_pair(key.as_bytes(), b' ', b'#').is_some()
            || key.trim() != key
        {
            return None;
        }
        let value = simple_scalar(rest.trim())?;
        if value.is_null() && rest.trim().is_empty() {
            empty_key = Some(key);
        }
        if map.insert(key.to_string(), value).is_some() {
            return None;
        }
    }
    if let (Some(key), Some((_, items))) = (empty_key, list)
        && let Some(value) = map.get_mut(key)
    {
        *value = serde_json::Value::Array(items);
    }
    Some(map)
}

fn simple_scalar(v: &str) -> Option<serde_json::Value> {
    use serde_json::Value;
    if v.is_empty() {
        return Some(Value::Null);
    }
    if let Some(inner) = v.strip_prefix('"') {
        let inner = inner.strip_suffix('"')?;
        return memchr::memchr2(b'"', b'\\', inner.as_bytes())
            .is_none()
            .then(|| Value::String(inner.to_string()));
    }
    if let Some(inner) = v.strip_prefix('\'') {
        let inner = inner.strip_suffix('\'')?;
        if inner.replace("''", "").contains('\'') {
            return None;
        }
        return Some(Value::String(inner.replace("''", "'")));
    }
    if let Some(inner) = v.strip_prefix('[') {
        return flow_sequence(inner.strip_suffix(']')?).map(Value::Array);
    }
    // A plain scalar: cut a trailing comment, refuse what YAML would read
    // as something other than a string.
    let v = match crate::text::scan::find_pair(v.as_bytes(), b' ', b'#') {
        Some(i) => v[..i].trim_end(),
        None => v,
    };
    if v.as_bytes().first().is_some_and(|b| {
        matches!(
            b,
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
                | b'+'
                | b'.'
                | b'~'
        )
    }) || crate::text::scan::find_pair(v.as_bytes(), b':', b' ').is_some()
        || v.ends_with(':')
        || memchr::memchr(b'\t', v.as_bytes()).is_some()
    {
        return None;
    }
    const KEYWORDS: [&str; 9] = ["true", "false", "yes", "no", "on", "off", "null", "y", "n"];
    if v.len() <= 5 && KEYWORDS.iter().any(|k| v.eq_ignore_ascii_case(k)) {
        return None;
    }
    // Only text starting like a number can be one (`.5` and `+1` were
    // refused above).
    if v.starts_with(|c: char| c.is_ascii_digit() || c == 'i' || c == 'I' || c == 'n' || c == 'N')
        && (v.parse::<f64>().is_ok()
            || v.get(..2)
                .is_some_and(|p| ["0x", "0o", "0b"].iter().any(|q| p.eq_ignore_ascii_case(q)))
            || (v.starts_with(|c: char| c.is_ascii_digit())
                && v.chars().all(|c| {
                    c.is_ascii_digit() || matches!(c, '_' | ':' | '.' | 'e' | 'E' | '-' | '+')
                })))
    {
        return None;
    }
    Some(Value::String(v.to_string()))
}

/// `"a", 'b', c` inside `[...]`: quoted items without escapes or plain
/// words; anything nested or unusual is refused.
fn flow_sequence(inner: &str) -> Option<Vec<serde_json::Value>> {
    let mut items = Vec::new();
    let mut rest = inner.trim();
    while !rest.is_empty() {
        let (item, after) = match rest.chars().next()? {
            q @ ('"' | '\'') => {
                let body = &rest[1..];
                let mut end = None;
                let mut i = 0;
                while let Some(off) =
                    memchr::memchr(q as u8, body.as_bytes().get(i..).unwrap_or_default())
                {
                    let at = i + off;
                    if q == '\'' && body[at + 1..].starts_with('\'') {
                        i = at + 2;
                        continue;
                    }
                    end = Some(at);
                    break;
                }
                let end = end?;
                let text = &body[..end];
                if q == '"' && text.contains('\\') {
                    return None;
                }
                let item = if q == '\'' {
                    serde_json::Value::String(text.replace("''", "'"))
                } else {
                    serde_json::Value::String(text.to_string())
                };
                (item, &body[end + 1..])
            }
            _ => {
                let end = rest.find(',').unwrap_or(rest.len());
                let word = rest[..end].trim();
                if word.contains(['[', ']', '{', '}', '"', '\'', '#']) {
                    return None;
                }
                let item = simple_scalar(word)?;
                if !item.is_string() {
                    return None;
                }
                (item, &rest[end..])
            }
        };
        items.push(item);
        let after = after.trim_start();
        rest = match after.strip_prefix(',') {
            Some(r) => r.trim_start(),
            None if after.is_empty() => after,
            None => return None,
        };
    }
    Some(items)
}

/// A YAML value as JSON, as front matter is kept.
fn to_json(value: yaml_serde::Value) -> serde_json::Value {
    use yaml_serde::Value as Y;
    match value {
        Y::Null => serde_json::Value::Null,
        Y::Bool(b) => serde_json::Value::Bool(b),
        Y::Number(n) => serde_json::to_value(&n).unwrap_or(serde_json::Value::Null),
        Y::String(s) => serde_json::Value::String(s),
        Y::Sequence(items) => serde_json::Value::Array(items.into_iter().map(to_json).collect()),
        Y::Mapping(map) => serde_json::Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        other => yaml_serde::to_string(&other)
                            .unwrap_or_default()
                            .trim()
                            .to_string(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        Y::Tagged(tagged) => to_json(tagged.value),
    }
}

/// Top-level `key:` lines, in order, with their file lines.
fn top_level_keys(raw: &str, first_line: usize) -> Vec<FrontMatterKey> {
    keys_written(raw)
        .map(|(i, key)| FrontMatterKey {
            key: key.to_string(),
            line: first_line + i,
        })
        .collect()
}

/// Each top-level key with its 0-based line in `raw`.
fn keys_written(raw: &str) -> impl Iterator<Item = (usize, &str)> {
    raw.lines().enumerate().filter_map(|(i, line)| {
        if line.starts_with([' ', '\t', '#', '-']) {
            return None;
        }
        let colon = memchr::memchr(b':', line.as_bytes())?;
        let key = line[..colon].trim().trim_matches(['"', '\'']);
        (!key.is_empty()).then_some((i, key))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_block_with_crlf_endings() {
        let text = "---\r\ntitle: A\r\n---\r\n# A\r\n";
        let b = find(text).unwrap();
        assert_eq!(&text[b.yaml_start..b.yaml_end], "title: A\r\n");
        assert_eq!(&text[b.body_start..], "# A\r\n");
        assert_eq!(b.lines, 3);
    }

    #[test]
    fn a_thematic_break_without_a_closing_fence_is_not_front_matter() {
        assert_eq!(find("---\nno closing fence\n"), None);
        assert_eq!(find("# Title\n---\n"), None);
    }

    #[test]
    fn keys_keep_their_order_and_lines() {
        let text =
            "---\ntitle: T\n# a comment: not a key\ndescription: \nms.date: 04/15/2020\n---\n";
        let fm = parse(text, find(text).unwrap(), 1).unwrap();
        let keys: Vec<_> = fm.keys.iter().map(|k| (k.key.as_str(), k.line)).collect();
        assert_eq!(keys, [("title", 2), ("description", 4), ("ms.date", 5)]);
        assert_eq!(fm.values["description"], serde_json::Value::Null);
        assert_eq!(fm.values["ms.date"], "04/15/2020");
        assert_eq!(fm.end_line, 6);
    }

    /// Where the quick reader answers, it answers what YAML answers.
    #[test]
    fn the_quick_reader_agrees_with_the_yaml_library() {
        let cases = [
            "title: Install SQL Server \ndescription: \nauthor: RZomerman\nms.date: 04/15/2020\n",
            "title: \"C/C++: Project Properties\"\nms.topic: 'it''s'\n",
            "f1_keywords: [\"VC.A\", \"VC.B\"]\nhelpviewer_keywords: [a, b c]\n",
            "title: A # a comment\n# a whole comment line\nms.date: 3/26/2026\n",
            "empty: []\nquoted-empty: \"\"\n",
            "helpviewer_keywords: [\"CWinApp [MFC], constructor\", 'it''s, here', plain]\n",
            "helpviewer_keywords:\n  - timer length\n  - \"a, b: c\"\n\n  - [x, 'y']\nms.date: 01/01/2018\n",
            "f1_keywords:\n- a\n# between\n- b # a comment\nempty:\nlast:\n    - c\n",
        ];
        for case in cases {
            let quick =
                simple_mapping(case).unwrap_or_else(|| panic!("quick reader refused {case:?}"));
            let full = to_json(yaml_serde::from_str(case).unwrap());
            assert_eq!(serde_json::Value::Object(quick), full, "{case}");
        }
    }

    #[test]
    fn the_quick_reader_refuses_what_it_is_not_sure_of() {
        for case in [
            "count: 3\n",
            "flag: yes\n",
            "nested:\n  a: 1\n",
            "text: |\n  block\n",
            "a: b: c\n",
            "esc: \"a\\nb\"\n",
            "dup: 1\ndup: 2\n",
            "list: [[a]]\n",
            "version: 1.10\n",
            "anchor: &x y\n",
            "list:\n  - a\n - b\n",
            "list:\n  - a\n    more\n",
            "title: x\n  - a\n",
            "list:\n  -\n",
            "list:\n  - a\n  # an indented comment\n  - b\n",
            "list:\n\t- a\n",
            "list:\n  - a: b\n",
            "list:\n  - - a\n",
            "- a\n",
        ] {
            assert!(simple_mapping(case).is_none(), "{case:?}");
        }
    }

    use proptest::prelude::*;

    /// A value as front matter writes one: plain, quoted, a flow list, or
    /// something only YAML reads (a number, a keyword, a mapping, an
    /// anchor, a comment).
    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z][a-z ,.()/-]{0,8}[a-z)]",
            "\"[a-z ,:#'\\[\\]-]{0,8}\"",
            "'[a-z ,:\"]{0,6}'",
            "\\[[a-z, \"]{0,10}\\]",
            "[0-9]{1,3}(\\.[0-9])?",
            "(yes|No|true|null|~|on)",
            "[a-z]{1,4}: [a-z]{1,4}",
            "[a-z]{1,4} #[a-z ]{0,4}",
            "(&a x|\\*a|!tag x|\\||>|-|- a|\\? a)",
        ]
    }

    /// A line of front matter: a key with a value or with none, a list
    /// item at an indent, a blank or comment line, a continuation.
    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => ("[a-z]{1,3}", scalar()).prop_map(|(k, v)| format!("{k}: {v}")),
            3 => "[a-z]{1,3}:".prop_map(String::from),
            6 => ("( {0,3})", scalar()).prop_map(|(i, v)| format!("{i}- {v}")),
            1 => "( {0,2})-".prop_map(String::from),
            1 => Just(String::new()),
            1 => "( {0,2})# [a-z]{0,4}".prop_map(String::from),
            1 => "( {1,4})[a-z]{1,4}".prop_map(String::from),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// Wherever the quick reader answers, YAML reads the same mapping.
        #[test]
        fn the_quick_reader_answers_as_the_yaml_library(
            first in ("[a-z]{1,3}", scalar()).prop_map(|(k, v)| format!("{k}: {v}")),
            lines in proptest::collection::vec(line(), 0..10),
        ) {
            let doc = format!("{first}\n{}\n", lines.join("\n"));
            if let Some(quick) = simple_mapping(&doc) {
                let full: yaml_serde::Value = yaml_serde::from_str(&doc)
                    .map_err(|e| TestCaseError::fail(format!("{doc:?}: quick reader answered, YAML refused: {e}")))?;
                prop_assert_eq!(serde_json::Value::Object(quick), to_json(full), "{:?}", doc);
            }
        }
    }

    #[test]
    fn invalid_yaml_names_the_file_line() {
        let text = "---\ntitle: [unclosed\nauthor: x\n---\n";
        let (line, msg) = parse(text, find(text).unwrap(), 1).unwrap_err();
        assert!(line >= 2, "line {line}");
        assert!(!msg.is_empty());
    }

    #[test]
    fn flow_collections_nested_too_deep_are_refused_at_once() {
        let deep = format!("key: {}{}\n", "[".repeat(200_000), "]".repeat(200_000));
        let text = format!("---\n{deep}---\n# A\n");
        let bounds = find(&text).unwrap();
        let (line, message) = parse(&text, bounds, 1).unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("more than 128 deep"), "{message}");
        // Brackets in quotes and comments do not count, and a value nested a
        // few levels is read.
        let quoted = format!(
            "---\ntitle: \"{}\" # {}\nlist: [[a, b], {{c: [d]}}]\n---\n",
            "[".repeat(300),
            "{".repeat(300)
        );
        let bounds = find(&quoted).unwrap();
        let fm = parse(&quoted, bounds, 1).unwrap();
        assert_eq!(fm.values["list"][1]["c"][0], "d");
    }
}
