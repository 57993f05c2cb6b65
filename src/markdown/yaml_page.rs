//! A DocFX YAML page (`toc.yml`, a `### YamlMime:Landing` `index.yml`) read
//! as a chapter that holds only links: the values of its `href`, `src`,
//! `url`, `imageSrc`, `topicHref` and `tocHref` keys, each where it is
//! written, so the link rules check them, `--fix` can edit them, and the
//! files they name are used. Nothing else of the page is read: it has no
//! headings, front matter or tables.

use super::links::{percent_decode, split_destination};
use crate::model::{Chapter, Link, LinkKind};
use crate::text::LineIndex;
use std::sync::Arc;

/// The keys whose values are links.
const KEYS: [&str; 6] = ["href", "src", "url", "imageSrc", "topicHref", "tocHref"];

/// Whether the file at `path` with this first line is a YAML page DocFX
/// builds: a table of contents (`toc.yml`) or a file that starts with
/// `### YamlMime:`.
pub fn is_yaml_page(path: &str, first_line: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.eq_ignore_ascii_case("toc.yml") || first_line.trim_start().starts_with("### YamlMime:")
}

/// The chapter of the YAML page at `path` with text `text`.
pub fn parse_yaml_page(path: &str, text: Arc<String>, bom: usize) -> Chapter {
    let lines = Arc::new(LineIndex::new(&text));
    let mut links = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some((start, end)) = link_value(line) {
            let (start, end) = (offset + start, offset + end);
            let value = &text[start..end];
            let (path_part, fragment) = split_destination(value);
            let span = lines.span(&text, start, end);
            let path_end =
                start + memchr::memchr2(b'#', b'?', value.as_bytes()).unwrap_or(value.len());
            let fragment_start = memchr::memchr(b'#', value.as_bytes()).map(|h| start + h + 1);
            let kind = if is_image(&path_part) {
                LinkKind::Image
            } else {
                LinkKind::Inline
            };
            links.push(Link {
                kind,
                destination: value.to_string(),
                path: path_part,
                fragment,
                text: String::new(),
                span,
                dest_span: Some(start..end),
                dest_path_end: Some(path_end),
                dest_fragment_start: fragment_start,
            });
        }
        offset += line.len();
    }
    Chapter {
        path: path.to_string(),
        title: None,
        listed: true,
        part: None,
        front_matter: None,
        headings: Vec::new(),
        links,
        prerequisites: Vec::new(),
        steps: Vec::new(),
        profiles: Vec::new(),
        next: Vec::new(),
        tables: Vec::new(),
        html_anchors: Vec::new(),
        undefined_references: Vec::new(),
        ordered_lists: Vec::new(),
        placeholders: Vec::new(),
        directives: Vec::new(),
        references: Vec::new(),
        blocks: Vec::new(),
        source: text,
        lines,
        bom,
    }
}

/// Where the link value of a `key: value` line is (byte range in the
/// line), when the key is one of [`KEYS`] and the value is a plain or
/// quoted scalar on the same line.
fn link_value(line: &str) -> Option<(usize, usize)> {
    let mut rest = line.trim_start();
    while let Some(r) = rest.strip_prefix("- ") {
        rest = r.trim_start();
    }
    let (key, after) = rest.split_once(':')?;
    if !KEYS.contains(&key) {
        return None;
    }
    let value_start = line.len() - after.len();
    let trimmed = after.trim_start();
    let mut start = value_start + (after.len() - trimmed.len());
    let body = trimmed.trim_end();
    let mut end = start + body.len();
    let mut value = body;
    if let Some(q) = value.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let inner = &value[1..];
        let close = inner.find(q)?;
        value = &inner[..close];
        start += 1;
        end = start + value.len();
    } else {
        // A plain scalar ends at a comment.
        if let Some(c) = value.find(" #") {
            value = value[..c].trim_end();
            end = start + value.len();
        }
        if value.starts_with(['|', '>', '&', '*', '[', '{', '!']) {
            return None;
        }
    }
    if value.is_empty() || percent_decode(value).contains("{{") {
        return None;
    }
    Some((start, end))
}

fn is_image(path: &str) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("png" | "jpg" | "jpeg" | "gif" | "svg" | "webp" | "bmp" | "ico" | "avif")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_keys_are_read_where_they_are_written() {
        let text = "### YamlMime:Landing\ntitle: C++\nlandingContent:\n- title: Learn\n  linkLists:\n  - linkListType: overview\n    links:\n    - text: Build\n      url: build/overview.md#start\n    - text: 'Other'\n      url: \"/windows/x\" # a comment\n  imageSrc: media/logo.svg\n- name: Tools\n  href: tools/\n  items:\n  - href: |\n      folded\n";
        let c = parse_yaml_page("index.yml", Arc::new(text.to_string()), 0);
        let found: Vec<(&str, usize, LinkKind)> = c
            .links
            .iter()
            .map(|l| (l.destination.as_str(), l.span.line, l.kind))
            .collect();
        assert_eq!(
            found,
            [
                ("build/overview.md#start", 9, LinkKind::Inline),
                ("/windows/x", 11, LinkKind::Inline),
                ("media/logo.svg", 12, LinkKind::Image),
                ("tools/", 14, LinkKind::Inline),
            ]
        );
        let first = &c.links[0];
        assert_eq!(first.path, "build/overview.md");
        assert_eq!(first.fragment.as_deref(), Some("start"));
        let range = first.dest_span.clone().unwrap();
        assert_eq!(&text[range], "build/overview.md#start");
        assert!(is_yaml_page("docs/toc.yml", "- name: A"));
        assert!(is_yaml_page("docs/index.yml", "### YamlMime:Landing"));
        assert!(!is_yaml_page("docs/data.yml", "a: b"));
    }
}
