//! The book the server checks and the documents the editor has open: what
//! every request reads. Files are named as findings name them (relative
//! to the book's source folder, `../environments/lab.yaml` for a file
//! beside it); documents by URI.

use super::documents::{Document, Documents, Encoding, Text};
use super::uri;
use crate::check::Incremental;
use crate::model::Chapter;
use std::path::{Path, PathBuf};

/// The largest file read from disk to show a position or answer a request.
const MAX_READ: u64 = 64 << 20;

/// A place in an open chapter.
pub struct At {
    /// The file, as findings name it.
    pub file: String,
    /// The chapter as its document reads now.
    pub chapter: Chapter,
    /// The byte offset in the chapter's text.
    pub offset: usize,
}

/// The length of a byte order mark at the start of `text`.
pub fn bom_of(text: &str) -> usize {
    if text.starts_with('\u{feff}') { 3 } else { 0 }
}

/// The book and the open documents.
pub struct Workspace {
    /// The book, once read (`None` when it could not be).
    pub book: Option<Incremental>,
    pub docs: Documents,
    pub encoding: Encoding,
    /// The book's source folder, absolute, and as the file system has it.
    src: Vec<PathBuf>,
    /// The folder its settings are in (a book's root), absolute.
    root: PathBuf,
}

impl Workspace {
    pub fn new(encoding: Encoding) -> Workspace {
        Workspace {
            book: None,
            docs: Documents::default(),
            encoding,
            src: Vec::new(),
            root: PathBuf::new(),
        }
    }

    /// Keep `book` as the book checked.
    pub fn set_book(&mut self, book: Incremental) {
        let src = std::path::absolute(&book.book().src_dir)
            .unwrap_or_else(|_| book.book().src_dir.clone());
        let canonical = src.canonicalize().ok();
        self.src = std::iter::once(src).chain(canonical).collect();
        self.src.dedup();
        self.root =
            std::path::absolute(&book.book().root).unwrap_or_else(|_| book.book().root.clone());
        self.book = Some(book);
    }

    /// The file a URI names, as findings name it: below the source folder,
    /// or below the book's root (`../environments/lab.yaml`).
    pub fn file_of(&self, uri: &str) -> Option<String> {
        let path = uri::to_path(uri)?;
        let canonical = path.canonicalize().ok();
        for candidate in std::iter::once(&path).chain(canonical.as_ref()) {
            for src in &self.src {
                if let Some(rel) = crate::text::paths::below(src, candidate) {
                    return Some(rel);
                }
            }
        }
        // Beside the source folder: climb out of it to the root.
        let src = self.src.first()?;
        let rel = crate::text::paths::below(&self.root, &path)?;
        let up = crate::text::paths::below(&self.root, src)?;
        let depth = up.split('/').filter(|p| !p.is_empty()).count();
        Some(format!("{}{rel}", "../".repeat(depth)))
    }

    /// The path on disk of a file named as findings name it.
    pub fn path_of(&self, file: &str) -> Option<PathBuf> {
        let src = self.src.first()?;
        Some(crate::text::paths::normalise_path(&src.join(file)))
    }

    /// The URI of a file named as findings name it.
    pub fn uri_of(&self, file: &str) -> Option<String> {
        self.path_of(file).map(|p| uri::from_path(&p))
    }

    /// The open document of a file.
    pub fn document(&self, file: &str) -> Option<&Document> {
        self.docs.get(&self.uri_of(file)?)
    }

    /// The text of a file: the open document's, else the file's on disk
    /// (bounded; `None` when it cannot be read).
    pub fn text(&self, file: &str) -> Option<Text> {
        if let Some(doc) = self.document(file) {
            return Some(doc.text.clone());
        }
        let path = self.path_of(file)?;
        if std::fs::metadata(&path).ok()?.len() > MAX_READ {
            return None;
        }
        let bytes = std::fs::read(path).ok()?;
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        if text.starts_with('\u{feff}') {
            text.drain(..3);
        }
        Some(Text::new(text))
    }

    /// A chapter of the book as it reads now: the open document's text,
    /// else the file's.
    pub fn chapter(&self, file: &str) -> Option<Chapter> {
        let book = self.book.as_ref()?;
        match self.document(file) {
            Some(doc) => book.read_chapter(file, Some(&doc.text.text)),
            None => book.read_chapter(file, None),
        }
    }

    /// The chapter of an open document and the place of a client's
    /// `position` in the chapter's text (which has no byte order mark).
    pub fn at(&self, uri: &str, position: lsp_types::Position) -> Option<At> {
        let file = self.file_of(uri)?;
        let doc = self.docs.get(uri)?;
        let chapter = self
            .book
            .as_ref()?
            .read_chapter(&file, Some(&doc.text.text))?;
        let bom = bom_of(&doc.text.text);
        let offset = doc.text.offset(position, self.encoding).saturating_sub(bom);
        Some(At {
            file,
            chapter,
            offset,
        })
    }

    /// The range of `start..end` of a chapter's text in a file's `text`
    /// (a document's may start with a byte order mark the chapter's has
    /// not).
    pub fn range_in(&self, text: &Text, start: usize, end: usize) -> lsp_types::Range {
        let bom = bom_of(&text.text);
        text.range(start + bom, end + bom, self.encoding)
    }

    /// The place of a value set in an environment file or declared in
    /// `variables.yaml`.
    pub fn origin(&self, origin: &crate::yaml::Origin) -> Option<lsp_types::Location> {
        let crate::yaml::Source::File(shown) = &origin.source else {
            return None;
        };
        let path = Path::new(shown.as_ref());
        let path = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.root.join(path)
        };
        let uri = uri::from_path(&path).parse().ok()?;
        let text = std::fs::read_to_string(&path).ok().map(Text::new);
        let position = match &text {
            Some(t) => t.position_of_column(origin.line, origin.column, self.encoding),
            None => lsp_types::Position::new(
                u32::try_from(origin.line.saturating_sub(1)).unwrap_or(0),
                0,
            ),
        };
        Some(lsp_types::Location::new(
            uri,
            lsp_types::Range::new(position, position),
        ))
    }

    /// Whether a file is beside the book as one of its environments or
    /// its `variables.yaml`.
    pub fn is_environment_file(&self, file: &str) -> bool {
        let Some(path) = self.path_of(file) else {
            return false;
        };
        let Some(rel) = crate::text::paths::below(&self.root, &path) else {
            return false;
        };
        rel == crate::env::variables::FILE
            || (rel.starts_with("environments/")
                && (rel.ends_with(".yaml") || rel.ends_with(".yml")))
    }

    /// The root of the book.
    pub fn root(&self) -> &Path {
        &self.root
    }
}
