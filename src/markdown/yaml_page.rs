//! A DocFX YAML page (`toc.yml`, a `### YamlMime:Landing` `index.yml`) read
//! as a chapter that holds only links: every scalar value of an `href`,
//! `src`, `url`, `imageSrc`, `topicHref` or `tocHref` key, in block or flow
//! mappings at any depth, each where it is written, so the link rules check
//! them, `--fix` can edit them, and the files they name are used. Nothing
//! else of the page is read: it has no headings, front matter or tables.
//!
//! The page is read by the positioned YAML reader ([`crate::yaml::scalars`]),
//! or, when it is written in the plain block style most tables of contents
//! use, by [`crate::yaml::plain::values`], which reads the same at a
//! fraction of the cost; either way as DocFX reads it: an `href:` line inside a `|` block is text, and
//! `- {name: B, href: b.md}` is an entry. A value written as it reads (plain
//! on one line, quoted without escapes) has its range, inside the quotes,
//! for `--fix`; one written otherwise (a block scalar, folded lines, an
//! escape, an alias) is checked but has no range to rewrite, its place
//! being where it starts. A page that is not valid YAML (DocFX cannot build
//! it) keeps the links before the place the reader stopped at; no problem
//! is reported for it, as no rule reports YAML pages that do not read.

use super::links::{percent_decode, split_destination};
use crate::model::{Chapter, Link, LinkKind};
use crate::text::LineIndex;
use crate::yaml::{WrittenScalar, scalars};
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
    // A page whose values may show images in their Markdown (an FAQ's
    // answers) is read whole; the others only for their link keys.
    let shows_images = [&b"!["[..], b"<img", b":::image"]
        .iter()
        .any(|pattern| memchr::memmem::find(text.as_bytes(), pattern).is_some());
    let plain = if shows_images {
        None
    } else {
        crate::yaml::plain::values(&text, &KEYS)
    };
    match plain {
        // Most tables of contents: read as the parser would, at a fraction
        // of its cost.
        Some(values) => links.extend(values.iter().filter_map(|s| link(&text, &lines, s))),
        // An error ends the reading; the links before it are kept.
        None => {
            let _ = scalars(&text, |s| {
                if let Some(link) = link(&text, &lines, s) {
                    links.push(link);
                } else if shows_images {
                    links.extend(images_shown(&text, &lines, s));
                }
            });
        }
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

/// The link a scalar is, when it is the value of one of [`KEYS`] and not
/// null, blank or templated (`{{ … }}`).
fn link(text: &str, lines: &LineIndex, s: &WrittenScalar<'_>) -> Option<Link> {
    if !s.key.is_some_and(|k| KEYS.contains(&k))
        || s.is_null()
        || s.text.trim().is_empty()
        || percent_decode(s.text).contains("{{")
    {
        return None;
    }
    let value = s.text;
    let (path_part, fragment) = split_destination(value);
    let kind = if is_image(&path_part) {
        LinkKind::Image
    } else {
        LinkKind::Inline
    };
    let (span, dest_path_end, dest_fragment_start) = match &s.verbatim {
        Some(r) => (
            lines.span(text, r.start, r.end),
            Some(r.start + memchr::memchr2(b'#', b'?', value.as_bytes()).unwrap_or(value.len())),
            memchr::memchr(b'#', value.as_bytes()).map(|h| r.start + h + 1),
        ),
        None => (lines.span(text, s.start, s.start), None, None),
    };
    Some(Link {
        kind,
        destination: value.to_string(),
        path: path_part,
        fragment,
        text: String::new(),
        span,
        dest_span: s.verbatim.clone(),
        dest_path_end,
        dest_fragment_start,
    })
}

/// The images the Markdown of a value that is not a link shows
/// (`![alt](media/x.png)`, `<img src="…">`, `:::image source="…":::`),
/// each at the line it is written on. They are checked and count as used;
/// a value's text is not always its bytes (a block scalar's indentation),
/// so they have no range for `--fix` to rewrite.
fn images_shown(text: &str, lines: &LineIndex, s: &WrittenScalar<'_>) -> Vec<Link> {
    use pulldown_cmark::{Event, Parser, Tag};
    let value = s.text;
    if s.key.is_some_and(|k| KEYS.contains(&k)) || !value.contains(['!', '<', ':']) {
        return Vec::new();
    }
    let mut found: Vec<(usize, String)> = Vec::new();
    let options = super::options(crate::slug::Flavour::Docfx);
    for (event, range) in Parser::new_ext(value, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                found.push((range.start, dest_url.to_string()));
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for (at, src) in attribute_values(&html, "<img", "src=") {
                    found.push((range.start + at, src));
                }
            }
            _ => {}
        }
    }
    for (at, src) in attribute_values(value, ":::image", "source=") {
        found.push((at, src));
    }
    found.sort();
    found
        .into_iter()
        .filter(|(_, dest)| !dest.trim().is_empty() && !percent_decode(dest).contains("{{"))
        .map(|(at, dest)| {
            let (path, fragment) = split_destination(&dest);
            let span = shown_at(text, lines, s, at, &dest);
            Link {
                kind: LinkKind::Image,
                destination: dest,
                path,
                fragment,
                text: String::new(),
                span,
                dest_span: None,
                dest_path_end: None,
                dest_fragment_start: None,
            }
        })
        .collect()
}

/// Where the part of the value `s` at byte `at` of its text, holding
/// `dest`, is written: exactly for a value written as it reads; else on
/// the line it falls on (the reader places a block scalar where its text
/// starts, on the line after its `|` or `>`), at `dest` when that line
/// holds it.
fn shown_at(
    text: &str,
    lines: &LineIndex,
    s: &WrittenScalar<'_>,
    at: usize,
    dest: &str,
) -> crate::text::Span {
    if let Some(r) = &s.verbatim {
        let start = r.start + at;
        return lines.span(text, start, start);
    }
    let before = s.text.get(..at).unwrap_or_default();
    let line = s.line + before.matches('\n').count();
    let start = lines.line_start(line);
    let written = lines.line_text(text, line);
    let start = written.find(dest).map_or(start, |i| start + i);
    lines.span(text, start, start)
}

/// The values of `attribute` (`src=`) in each `opener` (`<img`,
/// `:::image`) of `text`, quoted with `"` or `'`: where each value starts,
/// and the value.
fn attribute_values(text: &str, opener: &str, attribute: &str) -> Vec<(usize, String)> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower.get(from..).and_then(|r| r.find(opener)) {
        let tag = from + i;
        from = tag + opener.len();
        let end = lower
            .get(tag..)
            .and_then(|r| r.find(['>', '\n']).map(|e| tag + e))
            .unwrap_or(text.len());
        // What follows up to the tag's end is this tag's: an opener in it
        // is text, so the search goes on after it (linear in the value).
        from = end.max(from);
        let Some(a) = lower.get(tag..end).and_then(|t| t.find(attribute)) else {
            continue;
        };
        let value_at = tag + a + attribute.len();
        let Some(quote) = text.get(value_at..).and_then(|r| r.chars().next()) else {
            continue;
        };
        if quote != '"' && quote != '\'' {
            continue;
        }
        let inner = value_at + 1;
        if let Some(close) = text.get(inner..end).and_then(|r| r.find(quote)) {
            out.push((inner, text[inner..inner + close].to_string()));
        }
    }
    out
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
        let text = "### YamlMime:Landing\ntitle: C++\nlandingContent:\n- title: Learn\n  linkLists:\n  - linkListType: overview\n    links:\n    - text: Build\n      url: build/overview.md#start\n    - text: 'Other'\n      url: \"/windows/x\" # a comment\n  imageSrc: media/logo.svg\n- name: Tools\n  href: tools/\n  summary: |\n    href: not-a-link.md\n  items:\n  - {name: B, href: b.md}\n  - href: ~\n  - href: >\n      folded.md\n";
        let c = parse_yaml_page("index.yml", Arc::new(text.to_string()), 0);
        let found: Vec<(&str, usize, LinkKind, Option<&str>)> = c
            .links
            .iter()
            .map(|l| {
                let written = l.dest_span.clone().map(|r| &text[r]);
                (l.destination.as_str(), l.span.line, l.kind, written)
            })
            .collect();
        let inline = LinkKind::Inline;
        assert_eq!(
            found,
            [
                (
                    "build/overview.md#start",
                    9,
                    inline,
                    Some("build/overview.md#start")
                ),
                ("/windows/x", 11, inline, Some("/windows/x")),
                (
                    "media/logo.svg",
                    12,
                    LinkKind::Image,
                    Some("media/logo.svg")
                ),
                ("tools/", 14, inline, Some("tools/")),
                ("b.md", 18, inline, Some("b.md")),
                ("folded.md\n", 21, inline, None),
            ]
        );
        let first = &c.links[0];
        assert_eq!(first.path, "build/overview.md");
        assert_eq!(first.fragment.as_deref(), Some("start"));
        let end = first.dest_span.clone().unwrap().end;
        assert_eq!(&text[first.dest_fragment_start.unwrap()..end], "start");
        assert!(is_yaml_page("docs/toc.yml", "- name: A"));
        assert!(is_yaml_page("docs/TOC.yml", "items:"));
        assert!(is_yaml_page("docs/index.yml", "### YamlMime:Landing"));
        assert!(!is_yaml_page("docs/data.yml", "a: b"));
    }

    #[test]
    fn images_an_faq_shows_in_its_answers_are_its_links() {
        let text = "### YamlMime:FAQ\ntitle: Questions\nsections:\n- name: Agents\n  questions:\n  - question: What does the wizard show?\n    answer: |\n      The first page:\n\n      ![The wizard](media/wizard.png)\n\n      and <img src=\"media/second.png\" alt=\"x\">.\n  - question: And then?\n    answer: 'See ![next](media/next.png).'\n";
        let c = parse_yaml_page("faq.yml", Arc::new(text.to_string()), 0);
        let found: Vec<(&str, usize, usize, LinkKind)> = c
            .links
            .iter()
            .map(|l| (l.destination.as_str(), l.span.line, l.span.column, l.kind))
            .collect();
        assert_eq!(
            found,
            [
                ("media/wizard.png", 10, 21, LinkKind::Image),
                ("media/second.png", 12, 21, LinkKind::Image),
                ("media/next.png", 14, 18, LinkKind::Image),
            ]
        );
        assert!(c.links.iter().all(|l| l.dest_span.is_none()));
    }

    #[test]
    fn a_toc_of_more_values_than_an_environment_file_may_hold_is_read_whole() {
        // 40,000 entries: 120,001 values, past `yaml::MAX_VALUES`, which
        // bounds what an environment file's aliases expand to.
        let n = 40_000;
        let text: String = (0..n).map(|i| format!("- href: a{i}.md\n")).collect();
        assert!(3 * n > crate::yaml::MAX_VALUES);
        let c = parse_yaml_page("toc.yml", Arc::new(text.clone()), 0);
        assert_eq!(c.links.len(), n);
        let last = c.links.last().unwrap();
        assert_eq!(&text[last.dest_span.clone().unwrap()], "a39999.md");
        assert_eq!(last.span.line, n);
    }

    #[test]
    fn a_page_that_is_not_yaml_keeps_the_links_before_the_error() {
        let text = "- href: a.md\n- href: b.md\n- name: [unclosed\n- href: c.md\n";
        let c = parse_yaml_page("toc.yml", Arc::new(text.to_string()), 0);
        let found: Vec<_> = c.links.iter().map(|l| l.destination.as_str()).collect();
        assert_eq!(found, ["a.md", "b.md"]);
    }
}
