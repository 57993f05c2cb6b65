//! One chapter's text → a [`Chapter`]: front matter, headings and anchors,
//! links with spans, tables, ordered lists and steps, the Prerequisites and
//! Next lists, run-profile tables, placeholders and control comments.
//!
//! One pass of pulldown-cmark over the body; everything else is read off the
//! events and the source bytes they point at.

use crate::frontmatter;
use crate::mim::StepType;
use crate::model::*;
use crate::placeholder;
use crate::slug::{Flavour, Slugger};
use crate::text::lines::{LineIndex, Span};
use pulldown_cmark::{BrokenLink, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use std::ops::Range;
use std::sync::Arc;

/// Parse one chapter. `text` is the file's text with any BOM removed;
/// `path` is relative to the source folder. Problems (bad front matter) are
/// returned beside the chapter, which is always produced.
pub fn parse_chapter(
    path: &str,
    text: Arc<String>,
    bom: usize,
    flavour: Flavour,
) -> (Chapter, Vec<Problem>) {
    parse_chapter_with(
        path,
        text,
        bom,
        &ParseOptions {
            flavour,
            detail: true,
        },
    )
}

/// How much of a chapter to read.
#[derive(Debug, Clone, Copy)]
pub struct ParseOptions {
    pub flavour: Flavour,
    /// Keep the text of steps and links. A check does not need them and
    /// skips the work on large trees.
    pub detail: bool,
}

/// [`parse_chapter`] with options.
pub fn parse_chapter_with(
    path: &str,
    text: Arc<String>,
    bom: usize,
    options: &ParseOptions,
) -> (Chapter, Vec<Problem>) {
    let flavour = options.flavour;
    let lines = Arc::new(LineIndex::new(&text));
    let mut problems = Vec::new();

    let bounds = frontmatter::find(&text);
    let front_matter =
        bounds.and_then(
            |b| match frontmatter::parse_with(&text, b, 1, options.detail) {
                Ok(fm) => Some(fm),
                Err((line, message)) => {
                    problems.push(Problem {
                        kind: "front-matter-yaml".into(),
                        file: path.to_string(),
                        line,
                        column: 1,
                        message: format!("front matter is not valid YAML: {message}"),
                    });
                    None
                }
            },
        );
    let body_start = bounds.map_or(0, |b| b.body_start);

    let mut walker = Walker::new(&text, &lines, body_start, flavour);
    walker.detail = options.detail;
    walker.run();
    let Walker {
        headings,
        links,
        tables,
        html_anchors,
        undefined_references,
        ordered_lists,
        steps,
        directives,
        sections,
        h1_candidates,
        ..
    } = walker;

    let prerequisites = listed_links(&links, &sections, SectionKind::Prerequisites)
        .or_else(|| h1_prerequisites(&links, &h1_candidates))
        .unwrap_or_default();
    let next = listed_links(&links, &sections, SectionKind::Next).unwrap_or_default();

    let profiles = tables
        .iter()
        .filter(|t| t.table.run_profiles)
        .flat_map(|t| t.profiles.iter().cloned())
        .collect();
    let tables = tables.into_iter().map(|t| t.table).collect();

    let placeholders = placeholder::scan(&text[body_start..])
        .into_iter()
        .map(|(name, range)| {
            let span = lines.span(&text, body_start + range.start, body_start + range.end);
            Placeholder {
                name,
                line: span.line,
                column: span.column,
                span,
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

    // A lean read fills `anchors` when it lets the headings go.
    let anchors: Vec<String> = if options.detail {
        headings
            .iter()
            .map(|h| h.anchor.clone())
            .chain(html_anchors.iter().map(|a| a.id.clone()))
            .collect()
    } else {
        Vec::new()
    };
    let local_links = links.iter().filter(|l| !l.is_external()).count();
    let chapter = Chapter {
        path: path.to_string(),
        title,
        listed: true,
        part: None,
        front_matter,
        headings,
        links,
        prerequisites,
        steps,
        profiles,
        next,
        tables,
        anchors,
        html_anchors,
        undefined_references,
        ordered_lists,
        placeholders,
        directives,
        local_links,
        source: text.clone(),
        lines,
        bom,
    };
    (chapter, problems)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SectionKind {
    Prerequisites,
    Next,
    Other,
}

/// A heading's section: which links (by index) sit in list items under it.
#[derive(Debug)]
struct Section {
    kind: SectionKind,
    list_links: Vec<usize>,
}

/// A bullet list directly under the H1, before any other heading, that may
/// be a prerequisites list written without a heading.
#[derive(Debug, Default)]
struct H1Candidate {
    lead: String,
    items: usize,
    items_with_link: usize,
    links: Vec<usize>,
}

struct TableBuild {
    table: Table,
    profiles: Vec<Profile>,
}

fn classify_heading(text: &str) -> SectionKind {
    if text.is_ascii() {
        classify_ascii_heading(text.as_bytes())
    } else {
        classify_any_heading(text)
    }
}

fn classify_any_heading(text: &str) -> SectionKind {
    // The heading's letters, lower-cased, without allocating: most
    // headings are classified by their first letter alone.
    let letters = || {
        text.chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
    };
    if !matches!(letters().next(), Some('n' | 'p' | 'b' | 'r')) {
        return SectionKind::Other;
    }
    if starts_with(letters(), "next") {
        return SectionKind::Next;
    }
    // "Prerequisites", and the misspellings real guides carry
    // ("Prerequisits", "Pre-requisites", "Prerequisities").
    let word = text.split_whitespace().next().unwrap_or("");
    let word_letters = || {
        word.chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
    };
    if starts_with(word_letters(), "prereq")
        || starts_with(letters(), "prereq")
        || letters().eq("beforeyoubegin".chars())
        || letters().eq("requirements".chars())
    {
        return SectionKind::Prerequisites;
    }
    let word_len: usize = word_letters().map(char::len_utf8).sum();
    if (11..=15).contains(&word_len) && word_letters().next() == Some('p') {
        let first_word: String = word_letters().collect();
        if strsim::damerau_levenshtein(&first_word, "prerequisites") <= 2 {
            return SectionKind::Prerequisites;
        }
    }
    SectionKind::Other
}

/// [`classify_heading`] for an ASCII heading, on its first letters.
fn classify_ascii_heading(text: &[u8]) -> SectionKind {
    // Up to 16 letters, lower-cased: enough for every name compared.
    let mut letters = [0u8; 16];
    let mut n = 0;
    for &b in text {
        if b.is_ascii_alphabetic() {
            if n == letters.len() {
                n += 1;
                break;
            }
            letters[n] = b.to_ascii_lowercase();
            n += 1;
        }
    }
    let letters = &letters[..n.min(16)];
    if !matches!(letters.first(), Some(b'n' | b'p' | b'b' | b'r')) {
        return SectionKind::Other;
    }
    if letters.starts_with(b"next") {
        return SectionKind::Next;
    }
    // Split as `str::split_whitespace` splits ASCII text.
    let word = text
        .split(|b| matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' '))
        .find(|w| !w.is_empty())
        .unwrap_or(b"");
    let first_word: Vec<u8> = word
        .iter()
        .filter(|b| b.is_ascii_alphabetic())
        .map(u8::to_ascii_lowercase)
        .collect();
    if first_word.starts_with(b"prereq")
        || letters.starts_with(b"prereq")
        || (n <= 16 && (letters == b"beforeyoubegin" || letters == b"requirements"))
        || ((11..=15).contains(&first_word.len())
            && first_word.starts_with(b"p")
            && strsim::damerau_levenshtein(
                std::str::from_utf8(&first_word).unwrap_or(""),
                "prerequisites",
            ) <= 2)
    {
        return SectionKind::Prerequisites;
    }
    SectionKind::Other
}

/// Whether `chars` begins with `prefix`.
fn starts_with(mut chars: impl Iterator<Item = char>, prefix: &str) -> bool {
    prefix.chars().all(|p| chars.next() == Some(p))
}

fn listed_links(
    links: &[Link],
    sections: &[Section],
    kind: SectionKind,
) -> Option<Vec<ListedLink>> {
    let found: Vec<&Section> = sections.iter().filter(|s| s.kind == kind).collect();
    if found.is_empty() {
        return None;
    }
    Some(
        found
            .iter()
            .flat_map(|s| s.list_links.iter())
            .map(|&i| listed(links, i))
            .collect(),
    )
    .filter(|v: &Vec<ListedLink>| !v.is_empty() || kind == SectionKind::Next)
}

fn listed(links: &[Link], i: usize) -> ListedLink {
    let l = &links[i];
    ListedLink {
        text: l.text.clone(),
        target: l.destination.clone(),
        line: l.span.line,
        link: i,
    }
}

/// A chapter that lists its prerequisites under the H1 with no heading of
/// their own: a bullet list of chapter links, introduced by a sentence that
/// says they come first.
fn h1_prerequisites(links: &[Link], candidates: &[H1Candidate]) -> Option<Vec<ListedLink>> {
    const CUES: [&str; 8] = [
        "prerequisit",
        "before",
        "already",
        "complete",
        "require",
        "need",
        "first",
        "should have",
    ];
    candidates
        .iter()
        .find(|c| {
            let lead = c.lead.to_lowercase();
            c.items > 0 && c.items_with_link == c.items && CUES.iter().any(|cue| lead.contains(cue))
        })
        .map(|c| c.links.iter().map(|&i| listed(links, i)).collect())
}

struct OpenLink {
    kind: LinkKind,
    dest: String,
    ref_label: Option<String>,
    start: usize,
    text: String,
}

struct OpenList {
    ordered: bool,
    numbers: Vec<u64>,
    item_lines: Vec<usize>,
    line: usize,
    nested: bool,
}

struct OpenStep {
    number: u64,
    start: usize,
    text: String,
    /// Depth of nested lists inside the step (text inside them is left out).
    nested: usize,
    in_code_block: bool,
}

struct Walker<'a> {
    text: &'a str,
    lines: &'a LineIndex,
    base: usize,
    flavour: Flavour,
    slugger: Slugger,
    detail: bool,
    /// Whether table cells' text is collected (see `Tag::TableCell`).
    collect_cells: bool,
    /// Cells written on the current table's header line.
    header_cells: usize,
    /// The last position worked out, to count columns from.
    cursor: std::cell::Cell<Option<(usize, crate::text::lines::Position)>>,

    headings: Vec<Heading>,
    links: Vec<Link>,
    tables: Vec<TableBuild>,
    html_anchors: Vec<HtmlAnchor>,
    undefined_references: Vec<Reference>,
    ordered_lists: Vec<OrderedList>,
    steps: Vec<Step>,
    directives: Vec<Directive>,
    sections: Vec<Section>,
    h1_candidates: Vec<H1Candidate>,

    // state
    heading: Option<(u8, usize, String, Option<String>)>,
    section_level: Option<u8>,
    /// Index of the nearest heading above, in `headings`.
    last_heading: Option<usize>,
    open_links: Vec<OpenLink>,
    lists: Vec<OpenList>,
    step: Option<OpenStep>,
    item_has_link: Vec<bool>,
    blockquote: usize,
    table: Option<TableBuild>,
    cell: Option<String>,
    row: Vec<String>,
    row_start: usize,
    in_h1_zone: bool,
    paragraph: String,
    in_paragraph: bool,
}

impl<'a> Walker<'a> {
    fn new(text: &'a str, lines: &'a LineIndex, base: usize, flavour: Flavour) -> Self {
        Walker {
            text,
            lines,
            base,
            flavour,
            slugger: Slugger::new(flavour),
            detail: true,
            collect_cells: true,
            header_cells: 0,
            cursor: std::cell::Cell::new(None),
            headings: Vec::new(),
            links: Vec::new(),
            tables: Vec::new(),
            html_anchors: Vec::new(),
            undefined_references: Vec::new(),
            ordered_lists: Vec::new(),
            steps: Vec::new(),
            directives: Vec::new(),
            sections: Vec::new(),
            h1_candidates: Vec::new(),
            heading: None,
            section_level: None,
            last_heading: None,
            open_links: Vec::new(),
            lists: Vec::new(),
            step: None,
            item_has_link: Vec::new(),
            blockquote: 0,
            table: None,
            cell: None,
            row: Vec::new(),
            row_start: 0,
            in_h1_zone: false,
            paragraph: String::new(),
            in_paragraph: false,
        }
    }

    /// The 1-based line of a body offset (no column counting).
    fn line_at(&self, offset: usize) -> usize {
        self.lines.line_of(self.base + offset)
    }

    fn span(&self, range: Range<usize>) -> Span {
        let start = self.base + range.start;
        let span =
            self.lines
                .span_after(self.text, self.cursor.get(), start, self.base + range.end);
        if self.cursor.get().is_none_or(|(at, _)| at <= start) {
            self.cursor.set(Some((
                start,
                crate::text::lines::Position {
                    line: span.line,
                    column: span.column,
                },
            )));
        }
        span
    }

    fn run(&mut self) {
        let text: &'a str = self.text;
        let body = &text[self.base..];
        let mut options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_GFM;
        if self.flavour.heading_attributes() {
            options |= Options::ENABLE_HEADING_ATTRIBUTES;
        }
        let mut broken: Vec<(Range<usize>, String, LinkType)> = Vec::new();
        let callback = |link: BrokenLink<'_>| -> Option<(CowStr<'_>, CowStr<'_>)> {
            broken.push((
                link.span.clone(),
                link.reference.to_string(),
                link.link_type,
            ));
            None
        };
        let parser = Parser::new_with_broken_link_callback(body, options, Some(callback));
        for (event, range) in parser.into_offset_iter() {
            self.event(event, range);
        }
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
            ) {
                let span = self.span(range.clone());
                let raw = &body[range];
                let text = raw
                    .strip_prefix('[')
                    .and_then(|r| r.split("][").next())
                    .unwrap_or(raw);
                self.undefined_references.push(Reference {
                    label,
                    text: text.trim_end_matches(']').to_string(),
                    line: span.line,
                    column: span.column,
                    span,
                });
            }
        }
        self.undefined_references.sort_by_key(|r| r.span.start);
    }

    fn push_text(&mut self, s: &str) {
        if let Some(h) = &mut self.heading {
            h.2.push_str(s);
        }
        if self.detail {
            for l in &mut self.open_links {
                l.text.push_str(s);
            }
        }
        if let Some(c) = &mut self.cell {
            c.push_str(s);
        }
        if let Some(st) = &mut self.step
            && self.detail
            && st.nested == 0
            && !st.in_code_block
        {
            st.text.push_str(s);
        }
        if self.in_paragraph {
            self.paragraph.push_str(s);
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(t) => self.push_text(&t),
            Event::Code(t) => self.push_text(&t),
            Event::SoftBreak | Event::HardBreak => self.push_text(" "),
            Event::Html(html) | Event::InlineHtml(html) => self.html(&html, range),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Heading { level, id, .. } => {
                self.heading = Some((
                    level as u8,
                    range.start,
                    // Its text is at most as long as its source.
                    String::with_capacity(range.len()),
                    id.map(|i| i.into_string()),
                ));
            }
            Tag::Paragraph => {
                // Only a paragraph under the H1 can introduce a prerequisites list.
                self.in_paragraph = self.in_h1_zone && self.lists.is_empty();
                self.paragraph.clear();
            }
            Tag::BlockQuote(_) => self.blockquote += 1,
            Tag::CodeBlock(_) => {
                if let Some(st) = &mut self.step {
                    st.in_code_block = true;
                }
            }
            Tag::List(start) => {
                let nested = !self.lists.is_empty();
                if let Some(st) = &mut self.step {
                    st.nested += 1;
                }
                let line = self.line_at(range.start);
                self.lists.push(OpenList {
                    ordered: start.is_some(),
                    numbers: Vec::new(),
                    item_lines: Vec::new(),
                    line,
                    nested,
                });
                if !nested && start.is_none() && self.in_h1_zone {
                    self.h1_candidates.push(H1Candidate {
                        lead: std::mem::take(&mut self.paragraph),
                        ..Default::default()
                    });
                }
            }
            Tag::Item => {
                let line = self.line_at(range.start);
                let depth = self.lists.len();
                let number = item_number(&self.text[self.base + range.start..]);
                if let Some(list) = self.lists.last_mut() {
                    list.item_lines.push(line);
                    if list.ordered {
                        list.numbers.push(number.unwrap_or(0));
                    }
                    if list.ordered && depth == 1 {
                        self.step = Some(OpenStep {
                            number: number.unwrap_or(0),
                            start: range.start,
                            text: String::new(),
                            nested: 0,
                            in_code_block: false,
                        });
                    }
                }
                self.item_has_link.push(false);
                if depth == 1
                    && self.in_h1_zone
                    && let Some(c) = self.h1_candidates.last_mut()
                {
                    c.items += 1;
                }
                // The item's own range ends where the item ends; record it
                // for the step's Markdown when it closes.
                if let Some(st) = &mut self.step
                    && depth == 1
                {
                    st.start = range.start;
                }
                let _ = range.end;
            }
            Tag::Table(_) => {
                self.collect_cells = true;
                let span = self.span(range.clone());
                self.table = Some(TableBuild {
                    table: Table {
                        line: span.line,
                        header: Vec::new(),
                        rows: Vec::new(),
                        run_profiles: false,
                        in_blockquote: self.blockquote > 0,
                    },
                    profiles: Vec::new(),
                });
            }
            Tag::TableHead | Tag::TableRow => {
                self.row.clear();
                self.row_start = range.start;
            }
            // A check needs the header's cells, and a row's only under a
            // `Name | Type` header.
            Tag::TableCell if self.collect_cells => self.cell = Some(String::new()),
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
                self.open_link(kind, dest_url, link_type, id, range.start);
            }
            Tag::Image {
                link_type,
                dest_url,
                id,
                ..
            } => {
                self.open_link(LinkKind::Image, dest_url, link_type, id, range.start);
            }
            _ => {}
        }
    }

    fn open_link(
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
        self.open_links.push(OpenLink {
            kind,
            dest: dest.into_string(),
            ref_label,
            start,
            text: String::new(),
        });
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        match tag {
            TagEnd::Heading(_) => {
                if let Some((level, start, text, id)) = self.heading.take() {
                    let text = if text.trim().len() == text.len() {
                        text
                    } else {
                        text.trim().to_string()
                    };
                    let anchor = match &id {
                        Some(id) => self.slugger.reserve(id),
                        None => self.slugger.slug(&text),
                    };
                    let span = self.span(start..range.end);
                    // A new heading closes a Prerequisites/Next section at
                    // its level or above; any heading opens a section.
                    let kind = classify_heading(&text);
                    if let Some(l) = self.section_level
                        && (level <= l || kind != SectionKind::Other)
                    {
                        self.section_level = None;
                    }
                    self.sections.push(Section {
                        kind,
                        list_links: Vec::new(),
                    });
                    if kind != SectionKind::Other {
                        self.section_level = Some(level);
                    } else if self.section_level.is_some() {
                        // A subheading inside Prerequisites/Next keeps the
                        // section going: its links belong to the parent.
                        let parent = self
                            .sections
                            .iter()
                            .rev()
                            .skip(1)
                            .find(|s| s.kind != SectionKind::Other)
                            .map(|s| s.kind)
                            .unwrap_or(SectionKind::Other);
                        if let Some(last) = self.sections.last_mut() {
                            last.kind = parent;
                        }
                    }
                    self.in_h1_zone = level == 1;
                    self.last_heading = Some(self.headings.len());
                    let written = self.text[span.start..span.end]
                        .trim_start_matches('#')
                        .trim();
                    let tab = written.starts_with('[')
                        && written.ends_with(')')
                        && written.contains("](#tab/");
                    self.headings.push(Heading {
                        level,
                        text,
                        anchor,
                        line: span.line,
                        explicit_id: id,
                        tab,
                        span,
                    });
                }
            }
            TagEnd::Paragraph => self.in_paragraph = false,
            TagEnd::BlockQuote(_) => self.blockquote = self.blockquote.saturating_sub(1),
            TagEnd::CodeBlock => {
                if let Some(st) = &mut self.step {
                    st.in_code_block = false;
                }
            }
            TagEnd::List(_) => {
                if let Some(list) = self.lists.pop()
                    && list.ordered
                {
                    self.ordered_lists.push(OrderedList {
                        line: list.line,
                        numbers: list.numbers,
                        lines: list.item_lines,
                        nested: list.nested,
                    });
                }
                if let Some(st) = &mut self.step {
                    st.nested = st.nested.saturating_sub(1);
                }
                self.paragraph.clear();
            }
            TagEnd::Item => {
                let depth = self.lists.len();
                self.item_has_link.pop();
                if depth == 1
                    && let Some(st) = self.step.take()
                    && self.detail
                {
                    let span = self.span(st.start..range.end);
                    let markdown =
                        step_markdown(&self.text[self.base + st.start..self.base + range.end]);
                    self.steps.push(Step {
                        number: st.number,
                        text: collapse_ws(&st.text),
                        markdown,
                        line: span.line,
                        section: self.last_heading.map(|h| self.headings[h].text.clone()),
                    });
                }
            }
            TagEnd::TableCell => {
                if let Some(c) = self.cell.take() {
                    self.row.push(c.trim().to_string());
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.table.header = std::mem::take(&mut self.row);
                    self.collect_cells = self.detail || is_name_type(&t.table.header);
                    self.header_cells =
                        count_written_cells(self.lines.line_text(self.text, t.table.line));
                }
            }
            TagEnd::TableRow => {
                let line = self.line_at(self.row_start);
                let written = count_written_cells(self.lines.line_text(self.text, line));
                // Where a row is shown (a finding, a run profile), its exact
                // span; a check skips working it out for the rest.
                let span = if self.detail || self.collect_cells || written != self.header_cells {
                    self.span(self.row_start..range.end)
                } else {
                    Span {
                        line,
                        column: 1,
                        end_line: line,
                        end_column: 1,
                        start: self.base + self.row_start,
                        end: self.base + range.end,
                    }
                };
                let cells = std::mem::take(&mut self.row);
                if let Some(t) = &mut self.table {
                    t.table.rows.push(TableRow {
                        line,
                        cells,
                        written_cells: written,
                        span,
                    });
                }
            }
            TagEnd::Table => {
                if let Some(mut t) = self.table.take() {
                    self.finish_table(&mut t);
                    self.tables.push(t);
                }
            }
            TagEnd::Link | TagEnd::Image => {
                if let Some(open) = self.open_links.pop() {
                    self.close_link(open, range);
                }
            }
            _ => {}
        }
    }

    /// The byte range of a span, its line and column left at 0: a lean
    /// read works those out only where they are needed (see
    /// [`Chapter::link_span`]).
    fn unplaced(&self, range: Range<usize>) -> Span {
        let start = self.base + range.start;
        let mut end = (self.base + range.end).max(start);
        while end > start && matches!(self.text.as_bytes().get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        Span {
            line: 0,
            column: 0,
            end_line: 0,
            end_column: 0,
            start,
            end,
        }
    }

    fn close_link(&mut self, open: OpenLink, range: Range<usize>) {
        // A check finds most links fine and never shows where they are.
        let span = if self.detail {
            self.span(open.start..range.end)
        } else {
            self.unplaced(open.start..range.end)
        };
        let raw = &self.text[self.base + open.start..self.base + range.end];
        let dest_span = match open.kind {
            LinkKind::Inline | LinkKind::Image if open.ref_label.is_none() => {
                find_inline_destination(raw, &open.dest)
                    .map(|r| self.base + open.start + r.start..self.base + open.start + r.end)
            }
            LinkKind::Autolink => {
                let inner = raw.strip_prefix('<').and_then(|r| r.strip_suffix('>'));
                inner.map(|_| self.base + open.start + 1..self.base + range.end - 1)
            }
            _ => open.ref_label.as_ref().and_then(|label| {
                let body = &self.text[self.base..];
                find_definition_destination(body, label, &open.dest)
                    .map(|r| self.base + r.start..self.base + r.end)
            }),
        };
        let (path, fragment) = split_destination(&open.dest);
        let (dest_path_end, dest_fragment_start) = dest_parts(self.text, dest_span.clone());
        let index = self.links.len();
        self.links.push(Link {
            kind: open.kind,
            destination: open.dest,
            path,
            fragment,
            text: if self.detail {
                collapse_ws(&open.text)
            } else {
                String::new()
            },
            span,
            dest_span,
            dest_path_end,
            dest_fragment_start,
        });
        // Listed in a Prerequisites/Next section or an H1 candidate list?
        let mut listed = false;
        let in_item = !self.item_has_link.is_empty();
        if in_item && open.kind != LinkKind::Image {
            if let Some(sec) = self.sections.last_mut()
                && self.section_level.is_some()
                && sec.kind != SectionKind::Other
            {
                sec.list_links.push(index);
                listed = true;
            }
            if self.in_h1_zone && self.lists.len() == 1 && !self.lists[0].ordered {
                let first_in_item = !self.item_has_link.last().copied().unwrap_or(true);
                let local = !self.links[index].is_external() && !self.links[index].path.is_empty();
                if let Some(c) = self.h1_candidates.last_mut() {
                    if local && first_in_item {
                        c.items_with_link += 1;
                    }
                    if local {
                        c.links.push(index);
                        listed = true;
                    }
                }
            }
            if let Some(flag) = self.item_has_link.last_mut() {
                *flag = true;
            }
        }
        // Listed links carry their line into the model.
        if listed && !self.detail {
            self.links[index].span = self.span(open.start..range.end);
        }
    }

    fn finish_table(&mut self, t: &mut TableBuild) {
        if !is_name_type(&t.table.header) {
            return;
        }
        let any_step_type = t
            .table
            .rows
            .iter()
            .any(|r| r.cells.get(1).is_some_and(|c| StepType::parse(c).is_some()));
        let section_says = self
            .last_heading
            .map(|h| self.headings[h].text.as_str())
            .is_some_and(mentions_run_profiles);
        if !(any_step_type || section_says) {
            return;
        }
        t.table.run_profiles = true;
        for row in &t.table.rows {
            let name = row.cells.first().cloned().unwrap_or_default();
            let ty = row.cells.get(1).cloned().unwrap_or_default();
            if name.is_empty() && ty.is_empty() {
                continue;
            }
            let type_span = cell_span(self.text, self.lines, row.span, 1).unwrap_or(row.span);
            t.profiles.push(Profile {
                name,
                step_type: ty,
                line: row.line,
                type_span,
            });
        }
    }

    fn html(&mut self, html: &str, range: Range<usize>) {
        // Where this chunk sits in the source; fall back to the event start.
        let abs = self.base + range.start;
        let chunk = &self.text[abs..(self.base + range.end).min(self.text.len())];
        let offset_in_chunk = if chunk.starts_with(html) {
            0
        } else {
            chunk.find(html).unwrap_or(0)
        };
        let base = abs + offset_in_chunk;
        for (attr, value, at) in html_attributes(html) {
            let line = self.lines.position(self.text, base + at).line;
            match attr.as_str() {
                "id" | "name" => self.html_anchors.push(HtmlAnchor { id: value, line }),
                "href" | "src" => {
                    let span = self
                        .lines
                        .span(self.text, base + at, base + at + value.len());
                    let (path, fragment) = split_destination(&value);
                    self.links.push(Link {
                        kind: LinkKind::Html,
                        destination: value.clone(),
                        path,
                        fragment,
                        text: String::new(),
                        span,
                        dest_span: Some(span.start..span.end),
                        dest_path_end: dest_parts(self.text, Some(span.start..span.end)).0,
                        dest_fragment_start: dest_parts(self.text, Some(span.start..span.end)).1,
                    });
                }
                _ => {}
            }
        }
        for (directive, at) in parse_directives(html) {
            let line = self.lines.position(self.text, base + at).line;
            let mut target_line = line + 1;
            while target_line < self.lines.line_count()
                && self
                    .lines
                    .line_text(self.text, target_line)
                    .trim()
                    .is_empty()
            {
                target_line += 1;
            }
            self.directives.push(Directive {
                line,
                target_line,
                ..directive
            });
        }
    }
}

/// A `Name | Type` header: the shape of a run-profile table.
fn is_name_type(header: &[String]) -> bool {
    header.len() >= 2
        && header[0].eq_ignore_ascii_case("name")
        && header[1].eq_ignore_ascii_case("type")
}

/// Where the path part of a written destination ends (at `#` or `?`) and
/// where its fragment starts, as byte offsets in the source.
fn dest_parts(text: &str, dest_span: Option<Range<usize>>) -> (Option<usize>, Option<usize>) {
    let Some(ds) = dest_span else {
        return (None, None);
    };
    let written = &text.as_bytes()[ds.start..ds.end];
    let path_end = ds.start + memchr::memchr2(b'#', b'?', written).unwrap_or(written.len());
    let fragment = memchr::memchr(b'#', written).map(|h| ds.start + h + 1);
    (Some(path_end), fragment)
}

fn mentions_run_profiles(heading: &str) -> bool {
    let h = heading.to_lowercase().replace(['-', '_'], " ");
    h.contains("run profile") || h.contains("runprofile")
}

/// The number written at the start of an ordered-list item (`12.` / `3)`),
/// skipping indentation and blockquote markers.
fn item_number(s: &str) -> Option<u64> {
    let s = s.trim_start_matches([' ', '\t', '>']);
    let digits: &str = &s[..s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len())];
    digits.parse().ok()
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An item's Markdown without its list marker, continuation lines dedented
/// to the item's content column, blockquote markers removed.
fn step_markdown(raw: &str) -> String {
    let mut lines = raw.lines();
    let first = lines.next().unwrap_or("");
    let marker_len = first.find(|c: char| !c.is_ascii_digit()).unwrap_or(0) + 1;
    let after_marker = &first[marker_len.min(first.len())..];
    let content = after_marker.trim_start();
    let indent = marker_len + (after_marker.len() - content.len()).min(4);
    let mut out = String::from(content.trim_end());
    for line in lines {
        let line = strip_quote_markers(line);
        let spaces = line.len() - line.trim_start_matches(' ').len();
        out.push('\n');
        out.push_str(line[spaces.min(indent)..].trim_end());
    }
    out.trim_end().to_string()
}

fn strip_quote_markers(line: &str) -> &str {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix('>') {
        strip_quote_markers(rest.strip_prefix(' ').unwrap_or(rest))
    } else {
        line
    }
}

/// Cells written on a table line: `| a | b |` and `a | b` are 2; escaped
/// pipes and pipes inside code spans do not separate cells.
pub fn count_written_cells(line: &str) -> usize {
    // GFM splits a row at every unescaped pipe, inside code spans too.
    let content = strip_quote_markers(line).trim();
    let bytes = content.as_bytes();
    let mut pipes = 0;
    let mut leading = false;
    let mut trailing = false;
    let mut escaped_until = 0;
    for i in memchr::memchr2_iter(b'|', b'\\', bytes) {
        if i < escaped_until {
            continue;
        }
        if bytes[i] == b'\\' {
            escaped_until = i + 2;
            continue;
        }
        pipes += 1;
        leading |= i == 0;
        trailing = i + 1 == bytes.len();
    }
    // n separators make n + 1 pieces; an outer pipe makes an empty one.
    (pipes + 1usize).saturating_sub(usize::from(leading) + usize::from(trailing))
}

/// Byte ranges of each cell's content within a table line.
fn cell_ranges(line: &str) -> Vec<Range<usize>> {
    let content_start = line.len() - strip_quote_markers(line).len();
    let bytes = line.as_bytes();
    let mut seps = Vec::new();
    let mut i = content_start;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'|' => seps.push(i),
            _ => {}
        }
        i += 1;
    }
    let trimmed_start =
        content_start + (line[content_start..].len() - line[content_start..].trim_start().len());
    let trimmed_end = line.trim_end().len();
    let mut bounds = vec![trimmed_start];
    let mut cells = Vec::new();
    for &s in &seps {
        bounds.push(s);
    }
    bounds.push(trimmed_end);
    for w in bounds.windows(2) {
        let (a, b) = (w[0], w[1]);
        let a = if a == trimmed_start && seps.first() != Some(&a) {
            a
        } else {
            a + 1
        };
        cells.push(a.min(b)..b);
    }
    // A leading pipe makes an empty first piece, a trailing pipe an empty last one.
    if seps.first() == Some(&trimmed_start) {
        cells.remove(0);
    }
    if seps.last().is_some_and(|&s| s + 1 == trimmed_end) {
        cells.pop();
    }
    cells
}

/// The span of cell `n` (0-based) of the row at `row`.
fn cell_span(text: &str, lines: &LineIndex, row: Span, n: usize) -> Option<Span> {
    let line_start = lines.line_start(row.line);
    let line = lines.line_text(text, row.line);
    let r = cell_ranges(line).into_iter().nth(n)?;
    let cell = &line[r.clone()];
    let lead = cell.len() - cell.trim_start().len();
    let len = cell.trim().len();
    Some(lines.span(
        text,
        line_start + r.start + lead,
        line_start + r.start + lead + len,
    ))
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
    while let Some(pos) = crate::text::scan::rfind_pair(&raw.as_bytes()[..search_end], b']', b'(') {
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

/// `name="value"` attributes of interest in a chunk of HTML, with the byte
/// offset of each value.
fn html_attributes(html: &str) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    // No `=`, no attribute (`<br/>`, `</a>`): most inline HTML.
    if memchr::memchr(b'=', html.as_bytes()).is_none() || html.trim_start().starts_with("<!--") {
        return out;
    }
    let bytes = html.as_bytes();
    // Each `=`: the word before it (after any spaces), preceded by a space,
    // names the attribute.
    for eq in memchr::memchr_iter(b'=', bytes) {
        let name_end = html[..eq].trim_end().len();
        let name_start = bytes[..name_end]
            .iter()
            .rposition(|b| b.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        if name_start == 0 {
            continue;
        }
        let name = &html[name_start..name_end];
        let Some(attr) = ["id", "name", "href", "src"]
            .into_iter()
            .find(|a| name.eq_ignore_ascii_case(a))
        else {
            continue;
        };
        let after_eq = &html[eq + 1..];
        let after_eq_trim = after_eq.trim_start();
        let value_start = eq + 1 + (after_eq.len() - after_eq_trim.len());
        let (value, vstart) = match after_eq_trim.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let inner = &after_eq_trim[1..];
                match inner.find(q) {
                    Some(e) => (&inner[..e], value_start + 1),
                    None => continue,
                }
            }
            Some(_) => {
                let e = after_eq_trim
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .unwrap_or(after_eq_trim.len());
                (&after_eq_trim[..e], value_start)
            }
            None => continue,
        };
        // `name` only counts on an anchor element.
        if attr == "name"
            && !html[..name_start].rsplit('<').next().is_some_and(|t| {
                let t = t.as_bytes();
                t.len() >= 2
                    && t[0].eq_ignore_ascii_case(&b'a')
                    && matches!(t[1], b' ' | b'\t' | b'\n')
            })
        {
            continue;
        }
        out.push((attr.to_string(), value.to_string(), vstart));
    }
    out
}

/// `<!-- runsheet-disable-next-line RULE … -->` and friends.
fn parse_directives(html: &str) -> Vec<(Directive, usize)> {
    let mut out = Vec::new();
    if !html.contains("<!--") {
        return out;
    }
    let mut from = 0;
    while let Some(i) = html[from..].find("<!--") {
        let start = from + i;
        let Some(end) = html[start..].find("-->") else {
            break;
        };
        let inner = html[start + 4..start + end].trim();
        from = start + end + 3;
        let mut words = inner
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty());
        let action = match words.next() {
            Some("runsheet-disable-next-line") => DirectiveAction::DisableNextLine,
            Some("runsheet-disable") => DirectiveAction::Disable,
            Some("runsheet-enable") => DirectiveAction::Enable,
            _ => continue,
        };
        let rules = words.map(str::to_string).collect();
        out.push((
            Directive {
                action,
                rules,
                line: 0,
                target_line: 0,
            },
            start,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
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
    fn ascii_headings_are_classified_as_any_text_is() {
        for h in [
            "Next steps",
            "Next",
            "nExT: part 2",
            "Prerequisites",
            "Prerequisits",
            "Pre-requisites",
            "Prerequisities",
            "Prerequisite checks",
            "Before you begin",
            "Before you begin now",
            "Requirements",
            "Requirements list",
            "Remarks",
            "Parameters",
            "Properties of the Prerequisite",
            "  prereqs ",
            "P",
            "",
            "123 Next",
            "Return value\x0bPrerequisites",
            "Beforeyoubeginandmoreletters",
            "Preprequisites and such",
        ] {
            assert_eq!(
                classify_ascii_heading(h.as_bytes()),
                classify_any_heading(h),
                "{h:?}"
            );
        }
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
    fn html_ids_are_anchors() {
        let c = chapter("<a name=\"old-anchor\"></a>\n\n<div id=\"box\">x</div>\n");
        let ids: Vec<_> = c.html_anchors.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["old-anchor", "box"]);
    }

    #[test]
    fn written_cells_are_counted_before_gfm_pads_them() {
        assert_eq!(count_written_cells("| a | b |"), 2);
        assert_eq!(count_written_cells("> | a | b |"), 2);
        assert_eq!(count_written_cells("a | b | c"), 3);
        assert_eq!(count_written_cells("|---|:---:"), 2);
        // As GFM: a pipe inside a code span still splits; an escaped one does not.
        assert_eq!(count_written_cells("| `a|b` | c \\| d |"), 3);
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
