//! One chapter's text → a [`Chapter`]: front matter, headings and anchors,
//! links with spans, tables, ordered lists and steps, the Prerequisites and
//! Next lists, run-profile tables, placeholders and control comments.
//!
//! One pass of pulldown-cmark over the body. The walker here reads the
//! events and hands each to the collectors that want it, one concept a
//! file: `headings`, `links`, `tables`, `lists` (and steps), raw `html`,
//! and the Prerequisites/Next `sections`. Everything they
//! record is read off the events and the source bytes they point at.

mod blocks;
mod code;
mod headings;
mod html;
mod links;
mod lists;
mod sections;
mod tables;
mod text;
mod yaml_page;

pub use code::code_ranges;
pub use headings::{Misspelt, misspelt as misspelt_heading};
pub use links::{percent_decode, split_destination};
pub use lists::{collapse_ws, step_markdown};
pub use sections::introduced_as_alternative;
pub use tables::{count_markdig_cells, count_written_cells};
pub use text::{flat_text, plain_text};
pub use yaml_page::{is_yaml_page, parse_yaml_page};

use crate::frontmatter;
use crate::model::*;
use crate::placeholder;
use crate::slug::Flavour;
use crate::text::{LineIndex, Position, Span};
use pulldown_cmark::{BrokenLink, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use std::cell::Cell;
use std::ops::Range;
use std::sync::Arc;

/// The Markdown extensions a chapter is read with (GitHub's, as mdBook and
/// DocFX enable them); heading attributes `{#id}` only where the flavour
/// has them.
pub fn options(flavour: Flavour) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM;
    if flavour.heading_attributes() {
        options |= Options::ENABLE_HEADING_ATTRIBUTES;
    }
    options
}

/// Parse one chapter. `text` is the file's text with any BOM removed;
/// `path` is relative to the source folder. Problems (bad front matter) are
/// returned beside the chapter, which is always produced.
pub fn parse_chapter(
    path: &str,
    text: Arc<String>,
    bom: usize,
    flavour: Flavour,
) -> (Chapter, Vec<Problem>) {
    let lines = Arc::new(LineIndex::new(&text));
    let mut problems = Vec::new();

    let bounds = frontmatter::find(&text);
    let front_matter = bounds.and_then(|b| match frontmatter::parse(&text, b, 1) {
        Ok(fm) => Some(fm),
        Err((line, message)) => {
            problems.push(Problem {
                kind: ProblemKind::FrontMatterYaml,
                file: path.to_string(),
                line,
                column: 1,
                message,
            });
            None
        }
    });
    if bounds.is_none() && frontmatter::unclosed(&text) {
        problems.push(Problem {
            kind: ProblemKind::FrontMatterYaml,
            file: path.to_string(),
            line: 1,
            column: 1,
            message:
                "front matter opened on line 1 is never closed: add a `---` line after its last key"
                    .into(),
        });
    }
    let body_start = bounds.map_or(0, |b| b.body_start);

    let place = Place {
        text: &text,
        lines: &lines,
        base: body_start,
        cursor: Cell::new(None),
    };
    let mut walker = Walker::new(place, flavour);
    walker.run();
    let Walker {
        headings,
        links,
        tables,
        lists,
        sections,
        html,
        contexts,
        references,
        blocks,
        ..
    } = walker;
    let headings = headings.list;
    let (prerequisites, next) = sections.finish(&links.list);

    // Placeholders and contexts both come in document order: one sweep
    // finds each placeholder's context (the outermost that holds it), so
    // a chapter of many code spans and placeholders stays linear.
    let mut contexts = contexts;
    contexts.sort_by_key(|(r, _)| r.start);
    let mut next_context = 0;
    let mut open: Vec<(Range<usize>, PlaceholderContext)> = Vec::new();
    let placeholders = placeholder::scan(&text[body_start..])
        .into_iter()
        .map(|(name, range)| {
            let start = body_start + range.start;
            while let Some(c) = contexts.get(next_context).filter(|(r, _)| r.start <= start) {
                open.push(c.clone());
                next_context += 1;
            }
            open.retain(|(r, _)| r.end > start);
            let (within, context) = open
                .iter()
                .find(|(r, _)| r.contains(&start))
                .map_or((start..start, PlaceholderContext::Text), |(r, c)| {
                    (r.clone(), *c)
                });
            let span = lines.span(&text, start, body_start + range.end);
            Placeholder {
                name,
                line: span.line,
                column: span.column,
                span,
                context,
                within,
            }
        })
        .collect();

    let title = front_matter
        .as_ref()
        .and_then(|fm| fm.values.get("title"))
        .and_then(|t| t.as_str())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .or_else(|| {
            headings
                .iter()
                .find(|h| h.level == 1)
                .map(|h| h.text.clone())
        });

    let chapter = Chapter {
        path: path.to_string(),
        title,
        listed: true,
        part: None,
        front_matter,
        headings,
        links: links.list,
        prerequisites,
        steps: lists.steps,
        profiles: tables.profiles,
        next,
        tables: tables.tables,
        html_anchors: html.anchors,
        undefined_references: links.undefined,
        ordered_lists: lists.ordered,
        placeholders,
        directives: html.directives,
        references,
        blocks: blocks.list,
        source: text.clone(),
        lines,
        bom,
    };
    (chapter, problems)
}

/// Where things are: the chapter's text, its line index and where its body
/// starts. The walker's events are body offsets; spans are worked out
/// here, counting columns from the last position worked out, so a long
/// line is counted once, not once per link on it.
pub(crate) struct Place<'a> {
    text: &'a str,
    lines: &'a LineIndex,
    base: usize,
    cursor: Cell<Option<(usize, Position)>>,
}

impl Place<'_> {
    /// The 1-based line of a body offset.
    fn line_at(&self, offset: usize) -> usize {
        self.lines.line_of(self.base + offset)
    }

    /// The span of a body range.
    fn span(&self, range: Range<usize>) -> Span {
        let start = self.base + range.start;
        let span =
            self.lines
                .span_after(self.text, self.cursor.get(), start, self.base + range.end);
        if self.cursor.get().is_none_or(|(at, _)| at <= start) {
            self.cursor.set(Some((
                start,
                Position {
                    line: span.line,
                    column: span.column,
                },
            )));
        }
        span
    }
}

struct Walker<'a> {
    place: Place<'a>,
    flavour: Flavour,
    headings: headings::Headings,
    links: links::Links,
    tables: tables::Tables,
    lists: lists::Lists,
    sections: sections::Sections,
    html: html::Html,
    /// Code spans, code blocks and raw HTML (byte ranges of the source),
    /// for the placeholders in them; kept only when the body has `{{`.
    contexts: Vec<(Range<usize>, PlaceholderContext)>,
    want_contexts: bool,
    references: Vec<String>,
    blocks: blocks::Blocks,
    blockquote: usize,
    /// Inside a code block, where `:::image` is text.
    in_code_block: bool,
    /// Where the last `:::image` scan stopped (body offset).
    images_scanned: usize,
}

impl<'a> Walker<'a> {
    fn new(place: Place<'a>, flavour: Flavour) -> Self {
        let want_contexts = memchr::memmem::find(
            place.text.as_bytes().get(place.base..).unwrap_or_default(),
            b"{{",
        )
        .is_some();
        Walker {
            place,
            flavour,
            headings: headings::Headings::new(flavour),
            links: Default::default(),
            tables: Default::default(),
            lists: Default::default(),
            sections: Default::default(),
            html: Default::default(),
            contexts: Vec::new(),
            want_contexts,
            references: Vec::new(),
            blocks: Default::default(),
            blockquote: 0,
            in_code_block: false,
            images_scanned: 0,
        }
    }

    fn run(&mut self) {
        let text: &'a str = self.place.text;
        let body = &text[self.place.base..];
        let mut broken: Vec<(Range<usize>, String, LinkType)> = Vec::new();
        let callback = |link: BrokenLink<'_>| -> Option<(CowStr<'_>, CowStr<'_>)> {
            broken.push((
                link.span.clone(),
                link.reference.to_string(),
                link.link_type,
            ));
            None
        };
        let parser =
            Parser::new_with_broken_link_callback(body, options(self.flavour), Some(callback));
        let mut events = parser.into_offset_iter();
        for (event, range) in events.by_ref() {
            self.event(event, range);
        }
        self.references = events
            .reference_definitions()
            .iter()
            .map(|(label, _)| label.to_string())
            .collect();
        drop(events);
        self.links.unresolved(&self.place, body, broken);
    }

    /// Note that body range `range` is code or HTML, for placeholders.
    fn context(&mut self, range: &Range<usize>, context: PlaceholderContext) {
        if self.want_contexts {
            let base = self.place.base;
            self.contexts
                .push((base + range.start..base + range.end, context));
        }
    }

    fn text(&mut self, s: &str) {
        self.text_at(s, true);
    }

    /// Text whose source is `written` as it is (not an entity or escape).
    fn text_at(&mut self, s: &str, written: bool) {
        self.headings.text(s, written);
        self.links.text(s);
        self.tables.text(s);
        self.lists.text(s);
        self.sections.text(s);
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => {
                self.blocks.start(
                    &tag,
                    &range,
                    self.headings.list.len(),
                    self.tables.tables.len(),
                    self.lists.steps.len(),
                );
                self.start(tag, range)
            }
            Event::End(tag) => {
                self.end(tag, range);
                self.blocks.end(&self.place, self.lists.steps.len());
            }
            Event::Rule => self.blocks.rule(&self.place, &range),
            Event::Text(t) => {
                // DocFX's `:::image source="…":::`, at the start of a line
                // of a paragraph, a list item or a quote (the start of a
                // run of text): read from the source to the line's end,
                // since the parser may split its text.
                if !self.in_code_block
                    && range.start >= self.images_scanned
                    && t.starts_with(":::image")
                {
                    let body = &self.place.text[self.place.base..];
                    let end = body[range.start..]
                        .find('\n')
                        .map_or(body.len(), |e| range.start + e);
                    self.links.docfx_image(&self.place, range.start..end);
                    self.images_scanned = end;
                }
                let base = self.place.base;
                // Only a heading's slug needs to know.
                let written = !self.headings.is_open()
                    || self.place.text.get(base + range.start..base + range.end) == Some(&*t);
                self.text_at(&t, written)
            }
            Event::Code(t) => {
                self.context(&range, PlaceholderContext::Code);
                self.text(&t);
            }
            Event::SoftBreak | Event::HardBreak => self.text(" "),
            Event::Html(h) | Event::InlineHtml(h) => {
                self.context(&range, PlaceholderContext::Html);
                self.html.event(&self.place, &h, range, &mut self.links);
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Heading { level, id, .. } => self.headings.start(
                level as u8,
                range.start,
                range.len(),
                id.map(|i| i.into_string()),
            ),
            Tag::Paragraph => self.sections.paragraph_start(self.lists.depth() > 0),
            Tag::BlockQuote(_) => self.blockquote += 1,
            Tag::CodeBlock(_) => {
                self.in_code_block = true;
                self.context(&range, PlaceholderContext::CodeBlock);
                self.lists.code_block(true);
            }
            Tag::HtmlBlock => {
                self.context(&range, PlaceholderContext::Html);
                self.html.block_start();
            }
            Tag::List(start) => {
                let ordered = start.is_some();
                let nested = self.lists.list_start(&self.place, range.start, ordered);
                self.sections.list_start(nested, ordered);
            }
            Tag::Item => {
                self.lists.item_start(&self.place, range.start);
                self.sections.item_start(self.lists.depth());
            }
            Tag::Table(_) => self.tables.start(&self.place, range, self.blockquote > 0),
            Tag::TableHead | Tag::TableRow => self.tables.row_start(range.start),
            Tag::TableCell => self.tables.cell_start(),
            Tag::Link {
                link_type,
                dest_url,
                id,
                ..
            } => {
                let kind = match link_type {
                    LinkType::Autolink | LinkType::Email => LinkKind::Autolink,
                    LinkType::Inline => LinkKind::Inline,
                    _ => LinkKind::Reference,
                };
                self.sections.link_start();
                self.links.start(kind, dest_url, link_type, id, range.start);
            }
            Tag::Image {
                link_type,
                dest_url,
                id,
                ..
            } => self
                .links
                .start(LinkKind::Image, dest_url, link_type, id, range.start),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        match tag {
            TagEnd::Heading(_) => {
                if let Some((level, kind)) = self.headings.end(&self.place, range.end) {
                    self.sections.heading(level, kind);
                }
            }
            TagEnd::Paragraph => self.sections.paragraph_end(),
            TagEnd::BlockQuote(_) => self.blockquote = self.blockquote.saturating_sub(1),
            TagEnd::CodeBlock => {
                self.in_code_block = false;
                self.lists.code_block(false);
            }
            TagEnd::List(_) => {
                self.lists.list_end();
                self.sections.list_end();
            }
            TagEnd::Item => {
                self.sections.item_end();
                self.lists
                    .item_end(&self.place, range.end, self.headings.last());
            }
            TagEnd::HtmlBlock => self.html.block_end(&self.place, &mut self.links),
            TagEnd::TableCell => self.tables.cell_end(),
            TagEnd::TableHead => self.tables.head_end(&self.place),
            TagEnd::TableRow => self.tables.row_end(&self.place, range.end),
            TagEnd::Table => self.tables.end(&self.place, self.headings.last_text()),
            TagEnd::Link | TagEnd::Image => {
                if let Some(index) = self.links.end(&self.place, range.end)
                    && let Some(link) = self.links.list.get(index)
                {
                    let top_bullet = self.lists.in_top_bullet_list();
                    self.sections.link(index, link, top_bullet);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::links::split_destination;
    use super::tables::cell_ranges;
    use super::*;

    fn chapter(text: &str) -> Chapter {
        parse_chapter("c.md", Arc::new(text.to_string()), 0, Flavour::Github).0
    }

    #[test]
    fn headings_get_anchors_and_lines() {
        let c = chapter("# Title\n\n## Step one\n\n## Step one\n");
        let h: Vec<_> = c
            .headings
            .iter()
            .map(|h| (h.level, h.anchor.as_str(), h.line))
            .collect();
        assert_eq!(
            h,
            [(1, "title", 1), (2, "step-one", 3), (2, "step-one-1", 5)]
        );
    }

    #[test]
    fn setext_headings_are_headings() {
        let c = chapter("Title\n=====\n\nPart\n----\n");
        assert_eq!(c.headings.len(), 2);
        assert_eq!(c.headings[1].anchor, "part");
    }

    #[test]
    fn links_in_code_are_not_links() {
        let c = chapter("`[a](b.md)`\n\n```\n[c](d.md)\n```\n\n[e](f.md)\n");
        assert_eq!(c.links.len(), 1);
        assert_eq!(c.links[0].destination, "f.md");
    }

    #[test]
    fn link_destinations_are_located_exactly() {
        let text = "See [the MA](<installing ADMA.md#step-2> \"title\") now.\n";
        let c = chapter(text);
        let l = &c.links[0];
        let d = l.dest_span.clone().unwrap();
        assert_eq!(&text[d.start..d.end], "installing ADMA.md#step-2");
        assert_eq!(l.path, "installing ADMA.md");
        assert_eq!(l.fragment.as_deref(), Some("step-2"));
    }

    #[test]
    fn percent_escapes_are_decoded_in_paths() {
        let (p, f) = split_destination("my%20file.md#a%20b");
        assert_eq!(p, "my file.md");
        assert_eq!(f.as_deref(), Some("a b"));
    }

    #[test]
    fn reference_links_point_at_their_definition() {
        let text = "Read [the guide][g].\n\n[g]: guide.md#top\n";
        let c = chapter(text);
        assert_eq!(c.links[0].kind, LinkKind::Reference);
        let d = c.links[0].dest_span.clone().unwrap();
        assert_eq!(&text[d.start..d.end], "guide.md#top");
        assert_eq!(c.lines.line_of(d.start), 3);
    }

    #[test]
    fn undefined_references_are_recorded_but_shortcuts_and_alerts_are_not() {
        let c = chapter("[a][missing] and [plain] text.\n\n> [!TIP]\n> Hello\n");
        let labels: Vec<_> = c
            .undefined_references
            .iter()
            .map(|r| r.label.as_str())
            .collect();
        assert_eq!(labels, ["missing"]);
    }

    #[test]
    fn docfx_images_are_images() {
        let text = "# A\n\n:::image type=\"content\" source=\"media/a.png\" alt-text=\"A [b]\" lightbox=\"media/big.png\":::\n\n:::image type=\"complex\" source=\"../b.svg\" alt-text=\"B\":::\nLong text.\n:::image-end:::\n\n1. Step\n   :::image type=\"content\" source=\"media/c.png\" alt-text=\"C\":::\n\n> :::image source=\"media/d.png\" alt-text=\"D\":::\n\n```\n:::image source=\"media/code.png\":::\n```\n";
        let c = chapter(text);
        let images: Vec<_> = c
            .links
            .iter()
            .filter(|l| l.kind == LinkKind::Image)
            .map(|l| l.path.as_str())
            .collect();
        assert_eq!(
            images,
            [
                "media/a.png",
                "media/big.png",
                "../b.svg",
                "media/c.png",
                "media/d.png"
            ]
        );
        let span = c.links[0].dest_span.clone().unwrap();
        assert_eq!(&text[span], "media/a.png");
    }

    #[test]
    fn brackets_that_are_text_are_not_references() {
        let c = chapter(
            "Uses MFCx0[U][D].DLL.\n\n\
             Example: [Microsoft][ODBC SQL Server Driver][SQL Server]\n\n\
             /EXPORT:name[**,DATA**] and *a*[*index1*, *index2*] and [x][,*file4*]\n\n\
             See [the portal][portal-page] and [Setup][].\n",
        );
        let labels: Vec<_> = c
            .undefined_references
            .iter()
            .map(|r| r.label.as_str())
            .collect();
        assert_eq!(labels, ["portal-page", "Setup"]);
    }

    #[test]
    fn html_ids_are_anchors() {
        let c = chapter("<a name=\"old-anchor\"></a>\n\n<div id=\"box\">x</div>\n");
        let ids: Vec<_> = c.html_anchors.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["old-anchor", "box"]);
    }

    /// Each HTML link's destination, and what its range slices.
    fn html_links(text: &str) -> Vec<(String, Option<&str>, usize)> {
        chapter(text)
            .links
            .iter()
            .filter(|l| l.kind == LinkKind::Html)
            .map(|l| {
                let written = l.dest_span.clone().map(|r| &text[r]);
                (l.destination.clone(), written, l.span.line)
            })
            .collect()
    }

    #[test]
    fn html_tags_written_over_several_lines_are_one_tag() {
        let text = "<div\n  id=\"x\">\n<img alt=\"a\n src=no.png\"\n  src=\"b.png\">\n</div>\n";
        let c = chapter(text);
        let ids: Vec<_> = c
            .html_anchors
            .iter()
            .map(|a| (a.id.as_str(), a.line))
            .collect();
        assert_eq!(ids, [("x", 2)]);
        assert_eq!(html_links(text), [("b.png".into(), Some("b.png"), 5)]);
        // Inline, and inside a block quote, whose `>` the event leaves out.
        let text = "> text <img\n> alt=\"x\"\n> src=\"a.png\"> more\n>\n> <div\n>   id=\"y\">\n";
        assert_eq!(html_links(text), [("a.png".into(), Some("a.png"), 3)]);
        let ids: Vec<_> = chapter(text)
            .html_anchors
            .iter()
            .map(|a| (a.id.clone(), a.line))
            .collect();
        assert_eq!(ids, [("y".to_string(), 6)]);
        let text = "text <img\r\n src=\"a.png\"> x\r\n";
        assert_eq!(html_links(text), [("a.png".into(), Some("a.png"), 2)]);
        // A value written across the quote's markers has no range.
        let text = "> <a href=\"a\n> b.md\">x</a>\n";
        assert_eq!(html_links(text), [("a\nb.md".into(), None, 1)]);
    }

    #[test]
    fn html_values_are_decoded_and_fixed_only_where_written_as_read() {
        let text = "<a href=\"a.md?x=1&amp;y=2#top\">x</a> <a href='b&#46;md#c'>y</a>\n";
        let c = chapter(text);
        let (a, b) = (&c.links[0], &c.links[1]);
        assert_eq!(a.destination, "a.md?x=1&y=2#top");
        assert_eq!(&text[a.dest_span.clone().unwrap()], "a.md?x=1&amp;y=2#top");
        assert_eq!(
            &text[a.dest_span.clone().unwrap().start..a.dest_path_end.unwrap()],
            "a.md"
        );
        assert_eq!(
            &text[a.dest_fragment_start.unwrap()..a.dest_span.clone().unwrap().end],
            "top"
        );
        assert_eq!(
            (b.path.as_str(), b.fragment.as_deref()),
            ("b.md", Some("c"))
        );
        assert_eq!(b.dest_path_end, None);
        assert_eq!(
            &text[b.dest_fragment_start.unwrap()..b.dest_span.clone().unwrap().end],
            "c"
        );
    }

    #[test]
    fn written_cells_are_counted_before_gfm_pads_them() {
        assert_eq!(count_written_cells("| a | b |"), 2);
        assert_eq!(count_written_cells("> | a | b |"), 2);
        assert_eq!(count_written_cells("a | b | c"), 3);
        assert_eq!(count_written_cells("|---|:---:"), 2);
        // As GFM: a pipe inside a code span still splits; an escaped one does not.
        assert_eq!(count_written_cells("| `a|b` | c \\| d |"), 3);
        // Markdig keeps a code span's pipes in it.
        assert_eq!(count_markdig_cells("| `a|b` | c \\| d |"), 2);
        assert_eq!(count_markdig_cells("| **` | `** | OR |"), 2);
        assert_eq!(count_markdig_cells("| `` a|` `` | ``b | c |"), 3);
    }

    #[test]
    fn the_cell_counter_and_the_cell_splitter_agree() {
        for line in [
            "| a | b |",
            "> | a | b |",
            "a | b | c",
            "|---|:---:",
            "| `a|b` | c \\| d |",
            "|",
            "x",
            "| a |  |",
        ] {
            assert_eq!(
                cell_ranges(line).len(),
                count_written_cells(line),
                "{line:?}"
            );
        }
    }

    #[test]
    fn step_markdown_drops_the_marker_and_dedents() {
        assert_eq!(
            step_markdown("3. Do this\n   - and that\n"),
            "Do this\n- and that"
        );
    }

    #[test]
    fn directives_are_read_from_comments() {
        let c = chapter("<!-- runsheet-disable-next-line broken-link -->\n[x](y.md)\n");
        assert_eq!(c.directives.len(), 1);
        assert_eq!(c.directives[0].action, DirectiveAction::DisableNextLine);
        assert_eq!(c.directives[0].rules, ["broken-link"]);
        assert_eq!(c.directives[0].line, 1);
    }

    #[test]
    fn name_type_tables_outside_run_profiles_are_not_profiles() {
        let c = chapter("## Parameters\n\n| Name | Type |\n|---|---|\n| id | string |\n");
        assert!(c.profiles.is_empty());
        assert!(!c.tables[0].run_profiles);
    }

    #[test]
    fn a_run_profiles_heading_makes_a_profile_table() {
        let c =
            chapter("## Run profiles\n\n| Name | Type |\n|---|---|\n| Nightly | Full Import |\n");
        assert_eq!(c.profiles.len(), 1);
        assert_eq!(c.profiles[0].step_type, "Full Import");
        assert_eq!(c.profiles[0].type_span.column, 13);
    }
}
