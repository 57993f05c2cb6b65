//! The readers of raw HTML and of DocFX YAML pages, held to independent
//! parsers on generated input (proptest, bounded cases; `PROPTEST_CASES`
//! raises them):
//!
//! - raw HTML: a chapter of tags with random attributes (quoted with `"`,
//!   `'` or not at all; values holding `=`, `src=`, `id=`, `>`, character
//!   references, line breaks), in HTML blocks, paragraphs and block quotes,
//!   has the anchors and links that servo's html5ever tokenizer finds in
//!   the HTML pulldown-cmark renders of it, in the same order; every range
//!   slices the value as written, between its quotes;
//! - YAML pages: a `toc.yml` of block and flow mappings and lists, with
//!   plain, quoted and block scalars, has the link values `yaml_serde`
//!   reads, and a range for exactly the values written as they read, which
//!   slices them.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use proptest::prelude::*;
use runsheet::markdown::{options, parse_chapter, parse_yaml_page};
use runsheet::model::{Chapter, LinkKind};
use runsheet::slug::Flavour;
use std::cell::RefCell;
use std::sync::Arc;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(cases),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---- raw HTML ----

/// What html5ever finds: anchors and links, in document order.
#[derive(Debug, Default, PartialEq, Eq)]
struct Found {
    anchors: Vec<String>,
    links: Vec<String>,
}

struct Sink(RefCell<Found>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token
            && tag.kind == TagKind::StartTag
        {
            let mut found = self.0.borrow_mut();
            for attr in &tag.attrs {
                let (name, value) = (&*attr.name.local, attr.value.to_string());
                if value.is_empty() {
                    continue;
                }
                match name {
                    "id" => found.anchors.push(value),
                    "name" if &*tag.name == "a" => found.anchors.push(value),
                    "href" | "src" => found.links.push(value),
                    _ => {}
                }
            }
        }
        TokenSinkResult::Continue
    }
}

fn html5ever_reads(html: &str) -> Found {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(
        Sink(RefCell::new(Found::default())),
        TokenizerOpts::default(),
    );
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

/// The HTML pulldown-cmark renders of a chapter: its raw HTML as the
/// parser hands it over, everything else escaped.
fn rendered(markdown: &str) -> String {
    let mut html = String::new();
    let parser = pulldown_cmark::Parser::new_ext(markdown, options(Flavour::Github));
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}

fn chapter(text: &str) -> Chapter {
    parse_chapter("c.md", Arc::new(text.to_string()), 0, Flavour::Github).0
}

fn attribute() -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec![
        "id", "name", "href", "src", "title", "alt", "ID", "HREF", "Src", "data-src", "class",
    ]);
    let piece = prop::sample::select(vec![
        "x",
        "a.md",
        "=",
        "src=",
        "id=",
        "href=b.md",
        " src=c.png",
        ">",
        "&amp;",
        "&amp",
        "&lt;",
        "&#35;",
        "&#x41;",
        "&notin;",
        "&noti",
        "&ampx",
        "#top",
        "?q=1&r=2",
        " ",
        "\n",
        "é",
        "/",
        "'",
        "\"",
        "<",
    ]);
    let value = prop::collection::vec(piece, 0..5).prop_map(|p| p.concat());
    let quote = prop::sample::select(vec!["\"", "'", "", "none"]);
    let eq = prop::sample::select(vec!["=", "=", " = "]);
    (name, value, quote, eq).prop_map(|(name, value, quote, eq)| match quote {
        "none" => name.to_string(),
        "" => {
            // Unquoted: up to white space or `>`; no quote to start it.
            let v: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !matches!(c, '>' | '"' | '\''))
                .collect();
            let v = if v.is_empty() { "v".to_string() } else { v };
            format!("{name}{eq}{v}")
        }
        q => {
            let v = no_blank_lines(&value.replace(q, ""));
            format!("{name}{eq}{q}{v}{q}")
        }
    })
}

/// The value without a line of only white space (which would end the
/// Markdown block the tag is in).
fn no_blank_lines(value: &str) -> String {
    let lines: Vec<&str> = value.split('\n').collect();
    let last = lines.len().saturating_sub(1);
    lines
        .iter()
        .enumerate()
        .filter(|(i, l)| *i == 0 || *i == last || !l.trim().is_empty())
        .map(|(_, l)| *l)
        .collect::<Vec<_>>()
        .join("\n")
}

fn tag() -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec!["a", "A", "img", "div", "span", "p"]);
    let separator = prop::sample::select(vec![" ", " ", "\n", "\n  "]);
    (
        name,
        prop::collection::vec((separator, attribute()), 1..6),
        any::<bool>(),
    )
        .prop_map(|(name, attrs, self_closing)| {
            let attrs: String = attrs.into_iter().map(|(s, a)| format!("{s}{a}")).collect();
            let close = if self_closing { " />" } else { ">" };
            format!("<{name}{attrs}{close}")
        })
}

/// A piece of a chapter holding a tag, and whether it is in a block quote.
fn item() -> impl Strategy<Value = (String, bool)> {
    (tag(), 0..3u8).prop_map(|(tag, place)| match place {
        0 => (format!("<div>\n{tag}\n</div>\n"), false),
        1 => (format!("Text {tag} more.\n"), false),
        _ => {
            let quoted: String = format!("Text {tag} more.\n\n<div>\n{tag}\n</div>\n")
                .lines()
                .map(|l| format!("> {l}\n"))
                .collect();
            (quoted, true)
        }
    })
}

/// Whether `range` of `text` is a whole attribute value as written.
fn is_whole_value(text: &str, range: std::ops::Range<usize>) -> bool {
    let bytes = text.as_bytes();
    match range.start.checked_sub(1).map(|b| bytes[b]) {
        Some(q @ (b'"' | b'\'')) => bytes.get(range.end) == Some(&q),
        Some(b'=' | b' ' | b'\n') => bytes
            .get(range.end)
            .is_none_or(|b| b.is_ascii_whitespace() || *b == b'>'),
        _ => false,
    }
}

/// What a value as written reads as, to html5ever.
fn decoded(written: &str, quote: Option<u8>) -> String {
    let html = match quote {
        Some(q) => format!("<a href={q}{written}{q}>", q = q as char),
        None => format!("<a href={written}>"),
    };
    html5ever_reads(&html).links.concat()
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn raw_html_reads_as_html5ever_reads_it(
        items in prop::collection::vec(item(), 1..5),
        crlf in any::<bool>(),
    ) {
        let mut text = items.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>().join("\n");
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let quoted = items.iter().any(|(_, q)| *q);
        let c = chapter(&text);
        let want = html5ever_reads(&rendered(&text));
        let anchors: Vec<String> = c.html_anchors.iter().map(|a| a.id.clone()).collect();
        let links: Vec<_> = c.links.iter().filter(|l| l.kind == LinkKind::Html).collect();
        let destinations: Vec<String> = links.iter().map(|l| l.destination.clone()).collect();
        prop_assert_eq!(&anchors, &want.anchors, "{:?}", text);
        prop_assert_eq!(&destinations, &want.links, "{:?}", text);
        for link in links {
            match link.dest_span.clone() {
                Some(range) => {
                    prop_assert!(is_whole_value(&text, range.clone()), "{:?} in {:?}", range, text);
                    let quote = text.as_bytes()[range.start - 1];
                    let quote = matches!(quote, b'"' | b'\'').then_some(quote);
                    prop_assert_eq!(decoded(&text[range], quote), link.destination.clone());
                }
                // Only a value written across a block quote's markers, or
                // across a `\r\n`.
                None => prop_assert!(
                    (quoted || crlf) && link.destination.contains('\n'),
                    "{:?}",
                    text
                ),
            }
        }
    }
}

// ---- YAML pages ----

const KEYS: [&str; 6] = ["href", "src", "url", "imageSrc", "topicHref", "tocHref"];

/// A scalar value: its written form in block and in flow context, what
/// it reads as, and whether it is written as it reads in each.
#[derive(Debug, Clone)]
struct Scalar {
    block: String,
    flow: String,
    value: Option<String>,
    as_written: bool,
    flow_as_written: bool,
}

fn scalar() -> impl Strategy<Value = Scalar> {
    let piece = prop::sample::select(vec![
        "a.md",
        "b/c.md",
        "#top",
        "x.png",
        "../up.md",
        "with space",
        "é",
        ":",
        "-",
        "'",
        "\"",
        "\\",
        " #",
        "{{ v }}",
        "?q=1",
        "href: no.md",
        ",",
        "[",
        "}",
    ]);
    let value = prop::collection::vec(piece, 0..4).prop_map(|p| p.concat());
    (value, 0..6u8).prop_map(|(v, style)| {
        let plain_safe = !v.is_empty()
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || "./_#?=é".contains(c))
            && !v.starts_with(['#', '?']);
        let single = format!("'{}'", v.replace('\'', "''"));
        let double = format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""));
        match style {
            0 if plain_safe => Scalar {
                block: v.clone(),
                flow: v.clone(),
                value: Some(v),
                as_written: true,
                flow_as_written: true,
            },
            0 | 1 => Scalar {
                block: single.clone(),
                flow: single,
                as_written: !v.contains('\''),
                flow_as_written: !v.contains('\''),
                value: Some(v),
            },
            2 => Scalar {
                block: double.clone(),
                flow: double,
                as_written: !v.contains(['\\', '"']),
                flow_as_written: !v.contains(['\\', '"']),
                value: Some(v),
            },
            // An escape that is not needed: never as written.
            3 => Scalar {
                block: format!("\"\\x41{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")),
                flow: format!("\"\\x41{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")),
                value: Some(format!("A{v}")),
                as_written: false,
                flow_as_written: false,
            },
            // A block scalar (a quoted one in flow context).
            4 => Scalar {
                block: format!("|\n{{indent}}{v}\n"),
                flow: single,
                as_written: false,
                flow_as_written: !v.contains('\''),
                value: Some(v),
            },
            _ => Scalar {
                block: "~".into(),
                flow: "~".into(),
                value: None,
                as_written: false,
                flow_as_written: false,
            },
        }
    })
}

/// A toc entry: keys with scalar values, and perhaps items under it.
#[derive(Debug, Clone)]
struct Entry {
    fields: Vec<(&'static str, Scalar)>,
    items: Vec<Entry>,
    flow: bool,
}

fn entry() -> impl Strategy<Value = Entry> {
    let key = prop::sample::select(vec![
        "name",
        "href",
        "src",
        "url",
        "imageSrc",
        "topicHref",
        "tocHref",
        "summary",
        "displayName",
        "uid",
    ]);
    let fields = prop::collection::vec((key, scalar()), 1..4).prop_map(|fields| {
        // One of each key, as DocFX wants.
        let mut seen = Vec::new();
        fields
            .into_iter()
            .filter(|(k, _)| {
                let new = !seen.contains(k);
                seen.push(*k);
                new
            })
            .collect::<Vec<_>>()
    });
    let leaf = (fields, any::<bool>()).prop_map(|(fields, flow)| Entry {
        fields,
        items: Vec::new(),
        flow,
    });
    leaf.prop_recursive(3, 24, 4, |inner| {
        (
            prop::collection::vec(
                (
                    prop::sample::select(vec!["name", "href", "summary"]),
                    scalar(),
                ),
                1..3,
            ),
            prop::collection::vec(inner, 1..4),
            any::<bool>(),
        )
            .prop_map(|(fields, items, flow)| {
                let mut seen = Vec::new();
                let fields = fields
                    .into_iter()
                    .filter(|(k, _)| {
                        let new = !seen.contains(k);
                        seen.push(*k);
                        new
                    })
                    .collect();
                Entry {
                    fields,
                    items,
                    flow,
                }
            })
    })
}

/// Write a list of entries at `indent` (block style), or as a flow list.
fn write_list(out: &mut String, entries: &[Entry], indent: usize) {
    for e in entries {
        out.push_str(&" ".repeat(indent));
        out.push_str("- ");
        if e.flow {
            write_flow(out, e);
            out.push('\n');
            continue;
        }
        let inner = indent + 2;
        for (i, (k, s)) in e.fields.iter().enumerate() {
            if i > 0 {
                out.push_str(&" ".repeat(inner));
            }
            let block = s.block.replace("{indent}", &" ".repeat(inner + 2));
            out.push_str(&format!("{k}: {block}"));
            if !block.ends_with('\n') {
                out.push('\n');
            }
        }
        if !e.items.is_empty() {
            out.push_str(&" ".repeat(inner));
            out.push_str("items:\n");
            write_list(out, &e.items, inner);
        }
    }
}

fn write_flow(out: &mut String, e: &Entry) {
    out.push('{');
    let mut parts: Vec<String> = e
        .fields
        .iter()
        .map(|(k, s)| format!("{k}: {}", s.flow))
        .collect();
    if !e.items.is_empty() {
        let mut items = String::from("items: [");
        for (i, item) in e.items.iter().enumerate() {
            if i > 0 {
                items.push_str(", ");
            }
            write_flow(&mut items, item);
        }
        items.push(']');
        parts.push(items);
    }
    out.push_str(&parts.join(", "));
    out.push('}');
}

/// Link values `yaml_serde` reads: every string value of a link key that
/// is not blank or templated, in any mapping.
fn yaml_serde_links(value: &yaml_serde::Value, out: &mut Vec<String>) {
    match value {
        yaml_serde::Value::Mapping(m) => {
            for (k, v) in m {
                if let (Some(k), yaml_serde::Value::String(s)) = (k.as_str(), v)
                    && KEYS.contains(&k)
                    && !s.trim().is_empty()
                    && !s.contains("{{")
                {
                    out.push(s.clone());
                }
                yaml_serde_links(v, out);
            }
        }
        yaml_serde::Value::Sequence(items) => {
            for item in items {
                yaml_serde_links(item, out);
            }
        }
        _ => {}
    }
}

/// How many link values are written as they read (in entries written in
/// flow style when `flow`).
fn as_written(entries: &[Entry], flow: bool) -> usize {
    entries
        .iter()
        .map(|e| {
            let flow = flow || e.flow;
            let own = e
                .fields
                .iter()
                .filter(|(k, s)| {
                    KEYS.contains(k)
                        && if flow {
                            s.flow_as_written
                        } else {
                            s.as_written
                        }
                        && s.value
                            .as_ref()
                            .is_some_and(|v| !v.trim().is_empty() && !v.contains("{{"))
                })
                .count();
            own + as_written(&e.items, flow)
        })
        .sum()
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn yaml_pages_have_the_links_yaml_serde_reads(
        entries in prop::collection::vec(entry(), 1..6),
        crlf in any::<bool>(),
    ) {
        let mut text = String::new();
        write_list(&mut text, &entries, 0);
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let read: yaml_serde::Value = match yaml_serde::from_str(&text) {
            Ok(read) => read,
            Err(e) => panic!("{e}: {text}"),
        };
        let mut want = Vec::new();
        yaml_serde_links(&read, &mut want);
        let c = parse_yaml_page("toc.yml", Arc::new(text.clone()), 0);
        let mut got: Vec<String> = c.links.iter().map(|l| l.destination.clone()).collect();
        want.sort();
        got.sort();
        prop_assert_eq!(&got, &want, "{}", text);
        let mut ranges = 0;
        for link in &c.links {
            prop_assert_eq!(link.kind == LinkKind::Image, link.path.to_lowercase().ends_with(".png"));
            if let Some(range) = link.dest_span.clone() {
                ranges += 1;
                prop_assert_eq!(&text[range], link.destination.as_str(), "{}", text);
            }
        }
        prop_assert_eq!(ranges, as_written(&entries, false), "{}", text);
    }
}
