//! The guide as runsheet understands it: plain data, serialisable, with no
//! knowledge of rules, templates or output formats.
//!
//! Paths are relative to the book's source folder and use `/`.

use crate::slug::Flavour;
use crate::text::lines::{LineIndex, Span};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;

/// A whole guide: the book, its chapters in reading order, and every file
/// found under its source folder.
#[derive(Debug, Clone, Serialize)]
pub struct Guide {
    pub book: Book,
    /// Chapters in reading order: SUMMARY's order for a book (listed
    /// chapters first, then other Markdown files found in the folder,
    /// sorted), the folder order otherwise.
    pub chapters: Vec<Chapter>,
    /// Every file under the source folder (sorted, `/`-separated), the
    /// index links are resolved against.
    #[serde(skip)]
    pub files: Vec<String>,
    /// Problems met while loading (unreadable files, bad YAML, SUMMARY
    /// entries without a file). Loading goes on past each of them.
    pub problems: Vec<Problem>,
}

/// What kind of input the guide came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BookKind {
    /// A directory with `book.toml` and a SUMMARY.
    Mdbook,
    /// A plain directory of Markdown files.
    Folder,
    /// One Markdown file.
    File,
}

#[derive(Debug, Clone, Serialize)]
pub struct Book {
    pub title: Option<String>,
    /// The source folder, relative to the root (`docs`, `src`, or `.`).
    pub src: String,
    pub kind: BookKind,
    /// The heading-id flavour anchors were computed with.
    pub flavour: Flavour,
    /// The directory holding `book.toml` (or the folder / the file's folder).
    #[serde(skip)]
    pub root: PathBuf,
    /// `root` joined with `src`.
    #[serde(skip)]
    pub src_dir: PathBuf,
    /// The SUMMARY file, relative to the source folder, for a book.
    pub summary: Option<SummaryInfo>,
    /// Raw `book.toml` table, for configuration readers.
    #[serde(skip)]
    pub config: Option<toml::Table>,
}

/// SUMMARY.md as read: where it is and every chapter entry it lists.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryInfo {
    pub path: String,
    pub entries: Vec<SummaryEntry>,
    /// SUMMARY.md's text.
    #[serde(skip)]
    pub source: Arc<str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SummaryEntry {
    pub title: String,
    /// Location as written, relative to the source folder.
    pub path: String,
    pub line: usize,
    /// Part title this entry sits under, if any.
    pub part: Option<String>,
    pub exists: bool,
}

/// Something wrong with the input that stopped a part of it being read.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// A stable id: `invalid-utf8`, `front-matter-yaml`, `summary-parse`,
    /// `summary-missing-file`, `unreadable-file`.
    pub kind: String,
    /// Relative to the source folder.
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// One Markdown file.
#[derive(Debug, Clone, Serialize)]
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
    /// Every id a link can point at with `#`: heading anchors, `{#id}`
    /// attributes, HTML `id`/`name` attributes.
    pub anchors: Vec<String>,
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
    /// How many of `links` are local (not URLs), also after
    /// [`Chapter::keep_links`] has let the others go.
    #[serde(skip)]
    pub local_links: usize,
    /// The file's text (after any BOM), shared.
    #[serde(skip)]
    pub source: Arc<String>,
    #[serde(skip)]
    pub lines: Arc<LineIndex>,
    /// Length of a UTF-8 byte order mark that preceded the text on disk.
    #[serde(skip)]
    pub bom: usize,
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

#[derive(Debug, Clone, Serialize)]
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
}

#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub name: String,
    #[serde(rename = "type")]
    pub step_type: String,
    pub line: usize,
    /// Column of the Type cell.
    #[serde(skip)]
    pub type_span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub line: usize,
    pub header: Vec<String>,
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

#[derive(Debug, Clone, Serialize)]
pub struct Placeholder {
    pub name: String,
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub span: Span,
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

impl Guide {
    /// The chapter at `path` (relative to the source folder).
    pub fn chapter(&self, path: &str) -> Option<&Chapter> {
        self.chapters.iter().find(|c| c.path == path)
    }
}

impl Chapter {
    /// The source line `line` (1-based) without its ending ("" once the
    /// source has been let go, see [`Chapter::release_source`]).
    pub fn line_text(&self, line: usize) -> &str {
        if self.source.is_empty() {
            return "";
        }
        self.lines.line_text(&self.source, line)
    }

    /// Where `link` (one of this chapter's) is: a lean read leaves the line
    /// and column of most links to be worked out here, while the chapter
    /// still has its text.
    pub fn link_span(&self, link: &Link) -> Span {
        if link.span.line != 0 || self.source.is_empty() {
            return link.span;
        }
        self.lines
            .span(&self.source, link.span.start, link.span.end)
    }

    /// Let go of every link but those at `indices` (sorted) and those the
    /// Prerequisites and Next lists point at; returns where the links at
    /// `indices` are now. Once the chapter rules have checked where each
    /// link leads, a check keeps only the links whose anchors must wait
    /// for the other chapters.
    pub fn keep_links(&mut self, indices: &[usize]) -> Vec<usize> {
        if indices.is_empty() && self.prerequisites.is_empty() && self.next.is_empty() {
            self.links = Vec::new();
            return Vec::new();
        }
        let mut keep = vec![false; self.links.len()];
        for &i in indices {
            keep[i] = true;
        }
        for l in self.prerequisites.iter().chain(&self.next) {
            keep[l.link] = true;
        }
        // Old index → new index.
        let mut moved = vec![usize::MAX; self.links.len()];
        let mut n = 0;
        for (i, k) in keep.iter().enumerate() {
            if *k {
                moved[i] = n;
                n += 1;
            }
        }
        if n < self.links.len() {
            let mut i = 0;
            self.links.retain(|_| {
                i += 1;
                keep[i - 1]
            });
            self.links.shrink_to_fit();
            for l in self.prerequisites.iter_mut().chain(&mut self.next) {
                l.link = moved[l.link];
            }
        }
        // What is kept is shown later, when the text is gone.
        for i in 0..self.links.len() {
            let span = self.link_span(&self.links[i]);
            self.links[i].span = span;
        }
        indices.iter().map(|&i| moved[i]).collect()
    }

    /// Let go of the text and of what only per-chapter work needs (steps,
    /// tables, lists, headings), keeping what cross-chapter work reads:
    /// links, prerequisites, anchors, that there is front matter,
    /// directives. A check of
    /// ten thousand files holds this much, not the files.
    pub fn release_source(&mut self) {
        self.source = Arc::new(String::new());
        self.lines = Arc::new(LineIndex::new(""));
        self.steps = Vec::new();
        self.tables = Vec::new();
        self.ordered_lists = Vec::new();
        if self.anchors.is_empty() {
            let headings = std::mem::take(&mut self.headings);
            let html = std::mem::take(&mut self.html_anchors);
            self.anchors = headings
                .into_iter()
                .map(|h| h.anchor)
                .chain(html.into_iter().map(|a| a.id))
                .collect();
        } else {
            self.headings = Vec::new();
            self.html_anchors = Vec::new();
        }
        // Give back what growth left unused, where that is worth a copy.
        if self.links.capacity() - self.links.len() > 8 {
            self.links.shrink_to_fit();
        }
        if let Some(fm) = &mut self.front_matter {
            // Its rules have run; that it exists is what is left to know.
            fm.raw = String::new();
            fm.values = serde_json::Value::Null;
            fm.keys = Vec::new();
        }
    }
}
