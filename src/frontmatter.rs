//! YAML front matter: the block between a first line `---` and the next line
//! `---` (or `...`).

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
pub fn find(text: &str) -> Option<Bounds> {
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let yaml_start = first_end + 1;
    let mut pos = yaml_start;
    let mut lines = 1;
    while pos <= text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
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
    let raw = &text[bounds.yaml_start..bounds.yaml_end];
    let yaml_first_line = first_line + 1;
    let keys = top_level_keys(raw, yaml_first_line);
    let values = if raw.trim().is_empty() {
        serde_json::Value::Object(Default::default())
    } else {
        let value: serde_yaml::Value = serde_yaml::from_str(raw).map_err(|e| {
            let line = e
                .location()
                .map_or(yaml_first_line, |l| yaml_first_line + l.line() - 1);
            let msg = e.to_string();
            // The library appends its own "at line N column M"; ours names the file's line.
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            (line, msg)
        })?;
        to_json(value)
    };
    Ok(FrontMatter {
        raw: raw.to_string(),
        values,
        keys,
        line: first_line,
        end_line: first_line + bounds.lines - 1,
    })
}

fn to_json(value: serde_yaml::Value) -> serde_json::Value {
    use serde_yaml::Value as Y;
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
                        other => serde_yaml::to_string(&other)
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
    raw.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            if line.starts_with([' ', '\t', '#', '-']) {
                return None;
            }
            let colon = line.find(':')?;
            let key = line[..colon].trim().trim_matches(['"', '\'']);
            (!key.is_empty()).then(|| FrontMatterKey {
                key: key.to_string(),
                line: first_line + i,
            })
        })
        .collect()
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

    #[test]
    fn invalid_yaml_names_the_file_line() {
        let text = "---\ntitle: [unclosed\nauthor: x\n---\n";
        let (line, msg) = parse(text, find(text).unwrap(), 1).unwrap_err();
        assert!(line >= 2, "line {line}");
        assert!(!msg.is_empty());
    }
}
