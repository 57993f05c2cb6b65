//! One Markdown file as runsheet reads it: its front matter, headings and
//! anchors, links, Prerequisites and Next lists, steps, run-profile rows,
//! tables, lists, placeholders and control comments, each with where it
//! is written. Always complete: what was read is all here.

use crate::text::{LineIndex, Span};
use serde::Serialize;
use std::ops::Range;
use std::sync::Arc;

/// One Markdown file. (Serialised with its [`Chapter::anchors`], which are
/// its headings' and HTML anchors' ids.)
#[derive(Debug, Clone)]
pub struct Chapter {
    pub path: String,
    /// Front matter `title`, else the first H1, else the SUMMARY title.
    pub title: Option<String>,
    /// Whether SUMMARY lists this chapter (always true outside a book).
    pub listed: bool,
    /// The part of SUMMARY this chapter sits in.
    pub part: Option<String>,
    pub front_matter: Option<FrontMatter>,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    pub prerequisites: Vec<ListedLink>,
    pub steps: Vec<Step>,
    pub profiles: Vec<Profile>,
    pub next: Vec<ListedLink>,
    pub tables: Vec<Table>,
    /// `id="…"` and `name="…"` attributes in raw HTML.
    pub html_anchors: Vec<HtmlAnchor>,
    /// `[text][label]` references with no definition.
    pub undefined_references: Vec<Reference>,
    /// Ordered lists as written (for numbering checks).
    pub ordered_lists: Vec<OrderedList>,
    /// `{{ name }}` placeholders in the chapter's text.
    pub placeholders: Vec<Placeholder>,
    /// `<!-- runsheet-… -->` comments.
    pub directives: Vec<Directive>,
    /// The labels of its reference definitions (`[label]: target`).
    pub references: Vec<String>,
    /// The body's top-level blocks in the order written: what a runbook
    /// carries of the chapter, each with what it holds.
    pub blocks: Vec<Block>,
    /// The file's text (after any BOM), shared.
    pub source: Arc<String>,
    pub lines: Arc<LineIndex>,
    /// Length of a UTF-8 byte order mark that preceded the text on disk.
    pub bom: usize,
}

/// One top-level block of a chapter's body (a heading, a paragraph, a
/// list, a quote or alert, a table, a code block, raw HTML, a rule).
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    #[serde(flatten)]
    pub kind: BlockKind,
    pub line: usize,
    /// The block's bytes in the chapter's text.
    #[serde(skip)]
    pub range: Range<usize>,
    /// The steps it holds, by their indices in `Chapter::steps`.
    #[serde(skip)]
    pub steps: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlockKind {
    /// By its index in `Chapter::headings`.
    Heading {
        level: u8,
        index: usize,
    },
    Paragraph,
    List {
        ordered: bool,
    },
    /// A blockquote; a GitHub alert (`> [!WARNING]`) when `alert` is set.
    Quote {
        alert: Option<AlertKind>,
    },
    /// By its index in `Chapter::tables`.
    Table {
        index: usize,
    },
    Code,
    Html,
    Rule,
    Footnote,
}

/// The five GitHub alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AlertKind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl AlertKind {
    /// The word GitHub writes it with (`WARNING`).
    pub fn label(self) -> &'static str {
        match self {
            AlertKind::Note => "Note",
            AlertKind::Tip => "Tip",
            AlertKind::Important => "Important",
            AlertKind::Warning => "Warning",
            AlertKind::Caution => "Caution",
        }
    }

    /// Whether an operator must not read past it: Important, Warning and
    /// Caution.
    pub fn is_serious(self) -> bool {
        matches!(
            self,
            AlertKind::Important | AlertKind::Warning | AlertKind::Caution
        )
    }
}

/// YAML front matter, kept as written and parsed.
#[derive(Debug, Clone, Serialize)]
pub struct FrontMatter {
    /// The YAML text between the `---` lines.
    pub raw: String,
    /// The parsed mapping, keys in written order (null when not valid YAML).
    pub values: serde_json::Value,
    /// Per top-level key: where it is written.
    pub keys: Vec<FrontMatterKey>,
    /// Lines of the opening and closing `---`.
    pub line: usize,
    pub end_line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct FrontMatterKey {
    pub key: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub anchor: String,
    pub line: usize,
    /// `{#id}` as written, when the flavour supports it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explicit_id: Option<String>,
    /// A DocFX tab, `# [Windows](#tab/windows)`: a tab's title, not a
    /// section of the chapter.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub tab: bool,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    Inline,
    Reference,
    Autolink,
    Image,
    /// `href`/`src` in raw HTML.
    Html,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub kind: LinkKind,
    /// The destination as written, percent-encoding and all (without `<>`).
    pub destination: String,
    /// The path part of the destination, percent-decoded.
    pub path: String,
    /// The part after `#`, percent-decoded, if any.
    pub fragment: Option<String>,
    pub text: String,
    /// The whole link in the source (shown as its line, column, end line
    /// and end column).
    #[serde(flatten)]
    pub span: Span,
    /// The byte range of the destination in the source (for an inline link
    /// or image: inside the parentheses; for a reference link: in its
    /// definition).
    #[serde(skip)]
    pub dest_span: Option<std::ops::Range<usize>>,
    /// Byte offset in the source where the destination's path part ends
    /// (at its `#` or `?`, or the destination's end).
    #[serde(skip)]
    pub dest_path_end: Option<usize>,
    /// Byte offset in the source where the fragment (after `#`) starts.
    #[serde(skip)]
    pub dest_fragment_start: Option<usize>,
}

impl Link {
    /// What to call it in a message: `image` or `link`.
    pub fn noun(&self) -> &'static str {
        if self.kind == LinkKind::Image {
            "image"
        } else {
            "link"
        }
    }

    /// Whether the link leaves the guide (a URL with a scheme, `//host`, or
    /// `mailto:`).
    pub fn is_external(&self) -> bool {
        is_external(&self.destination)
    }
}

/// Whether a destination points outside the local file tree.
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match memchr::memchr(b':', dest.as_bytes()) {
        Some(i) => {
            let scheme = &dest[..i];
            // A one-letter "scheme" is a Windows drive (C:\…), not a URL.
            scheme.len() > 1
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// A link listed in a Prerequisites or Next section.
#[derive(Debug, Clone, Serialize)]
pub struct ListedLink {
    pub text: String,
    pub target: String,
    pub line: usize,
    /// Index into `Chapter::links`.
    #[serde(skip)]
    pub link: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// The number as written.
    pub number: u64,
    /// Plain text of the step (inline markup removed, nested lists left out).
    pub text: String,
    /// The step's Markdown as written, marker removed, continuation lines
    /// dedented.
    pub markdown: String,
    pub line: usize,
    /// Text of the nearest heading above the step.
    pub section: Option<String>,
    /// That heading, by its index in `headings`.
    #[serde(skip)]
    pub heading: Option<usize>,
    /// The item's bytes in the chapter's text, marker included.
    #[serde(skip)]
    pub range: Range<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub name: String,
    #[serde(rename = "type")]
    pub step_type: String,
    pub line: usize,
    /// Where the Name cell's text is.
    #[serde(skip)]
    pub name_span: Span,
    /// Where the Type cell's text is.
    #[serde(skip)]
    pub type_span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub line: usize,
    pub header: Vec<String>,
    /// The number of cells written on the header line.
    #[serde(skip)]
    pub header_cells: usize,
    /// The same as Markdig (DocFX's parser) counts them: a pipe inside a
    /// code span does not separate cells there.
    #[serde(skip)]
    pub header_cells_markdig: usize,
    pub rows: Vec<TableRow>,
    /// Whether it is a run-profile table.
    pub run_profiles: bool,
    /// Whether it sits inside a blockquote.
    pub in_blockquote: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableRow {
    pub line: usize,
    pub cells: Vec<String>,
    /// The number of cells as written on the line (GFM pads or cuts rows
    /// to the header's width; this is before that).
    pub written_cells: usize,
    /// The same as Markdig (DocFX's parser) counts them: a pipe inside a
    /// code span does not separate cells there.
    #[serde(skip)]
    pub markdig_cells: usize,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct HtmlAnchor {
    pub id: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reference {
    pub label: String,
    pub text: String,
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrderedList {
    pub line: usize,
    /// Numbers of the items as written.
    pub numbers: Vec<u64>,
    /// Line of each item.
    pub lines: Vec<usize>,
    /// Whether the list is nested inside another list.
    pub nested: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placeholder {
    pub name: String,
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub span: Span,
    /// What it is written in, which decides how a value is escaped there.
    #[serde(skip)]
    pub context: PlaceholderContext,
    /// The byte range of what holds it (the whole code span, backticks
    /// included, for `Code`); empty at its start for `Text`.
    #[serde(skip)]
    pub within: std::ops::Range<usize>,
}

/// What a placeholder is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceholderContext {
    /// Markdown text: a value is backslash-escaped.
    Text,
    /// A code span: a value goes in as it is.
    Code,
    /// A code block: a value goes in as it is, lines indented alike.
    CodeBlock,
    /// Raw HTML: a value is HTML-escaped.
    Html,
}

/// An inline control comment: `<!-- runsheet-disable-next-line RULE -->`,
/// `<!-- runsheet-disable RULE -->`, `<!-- runsheet-enable RULE -->`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Directive {
    pub action: DirectiveAction,
    /// Rule ids; empty means every rule.
    pub rules: Vec<String>,
    pub line: usize,
    /// For `disable-next-line`: the line it silences (the next non-blank
    /// line).
    #[serde(skip)]
    pub target_line: usize,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum DirectiveAction {
    DisableNextLine,
    Disable,
    Enable,
}

impl Chapter {
    /// Every id a link can point at with `#`: heading anchors (`{#id}`
    /// attributes included) and HTML `id`/`name` attributes, in order.
    pub fn anchors(&self) -> impl Iterator<Item = &str> {
        self.headings
            .iter()
            .map(|h| h.anchor.as_str())
            .chain(self.html_anchors.iter().map(|a| a.id.as_str()))
    }

    /// The source line `line` (1-based) without its ending.
    pub fn line_text(&self, line: usize) -> &str {
        self.lines.line_text(&self.source, line)
    }

    /// How many of its links are local (not URLs).
    pub fn local_links(&self) -> usize {
        self.links.iter().filter(|l| !l.is_external()).count()
    }
}

impl Serialize for Chapter {
    /// What was read, field by field, with the anchors; not the text.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("Chapter", 19)?;
        out.serialize_field("path", &self.path)?;
        out.serialize_field("title", &self.title)?;
        out.serialize_field("listed", &self.listed)?;
        out.serialize_field("part", &self.part)?;
        out.serialize_field("front_matter", &self.front_matter)?;
        out.serialize_field("headings", &self.headings)?;
        out.serialize_field("links", &self.links)?;
        out.serialize_field("prerequisites", &self.prerequisites)?;
        out.serialize_field("steps", &self.steps)?;
        out.serialize_field("profiles", &self.profiles)?;
        out.serialize_field("next", &self.next)?;
        out.serialize_field("tables", &self.tables)?;
        out.serialize_field("anchors", &self.anchors().collect::<Vec<_>>())?;
        out.serialize_field("html_anchors", &self.html_anchors)?;
        out.serialize_field("undefined_references", &self.undefined_references)?;
        out.serialize_field("ordered_lists", &self.ordered_lists)?;
        out.serialize_field("placeholders", &self.placeholders)?;
        out.serialize_field("directives", &self.directives)?;
        out.serialize_field("blocks", &self.blocks)?;
        out.end()
    }
}
