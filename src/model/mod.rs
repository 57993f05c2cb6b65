//! The guide as runsheet understands it: plain data, serialisable, with no
//! knowledge of rules, templates or output formats. `runsheet extract`
//! prints it.
//!
//! Paths are relative to the book's source folder and use `/`. A
//! [`Chapter`] is one file as read ([`chapter`]); a [`Problem`] is input
//! that could not be read as written ([`problem`]).

pub mod chapter;
pub mod problem;

pub use chapter::*;
pub use problem::{Problem, ProblemKind};

use crate::slug::Flavour;
use crate::text::Span;
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
    /// Where the entry's link destination is written in SUMMARY.md.
    #[serde(skip)]
    pub destination: Option<Span>,
    /// Part title this entry sits under, if any.
    pub part: Option<String>,
    pub exists: bool,
}

impl Guide {
    /// The chapter at `path` (relative to the source folder).
    pub fn chapter(&self, path: &str) -> Option<&Chapter> {
        self.chapters.iter().find(|c| c.path == path)
    }
}
