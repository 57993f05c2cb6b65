//! Finding and reading a guide: an mdBook (`book.toml` + SUMMARY), a plain
//! folder of Markdown files, or a single file.
//!
//! [`config`] reads `book.toml`, [`summary`] SUMMARY.md, [`walk`](mod@walk) lists
//! the files and puts chapters in reading order, [`decode`] turns bytes
//! into text, and [`read`] parses the chapters in parallel. The result is
//! in a fixed order whatever the walk or the thread pool did.

pub mod config;
pub mod decode;
pub mod read;
pub mod summary;
pub mod walk;

pub use walk::{is_markdown, walk};

use crate::model::*;
use crate::slug::Flavour;
use crate::text::Located;
use read::Planned;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How to read a guide.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Heading-id flavour; by default mdBook's for a book, GitHub's otherwise.
    pub flavour: Option<Flavour>,
    /// Read hidden folders (`.github`) too; by default they are skipped
    /// and counted.
    pub hidden: bool,
    /// Texts read in place of files, by path from the source folder: the
    /// chapters as mdBook's preprocessors left them (see the mdBook
    /// preprocessor).
    pub texts: Option<std::sync::Arc<std::collections::BTreeMap<String, String>>>,
}

/// Why nothing could be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The path (or a configuration file) cannot be read.
    #[error("cannot read `{}`", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// `book.toml` or `runsheet.toml` is not valid TOML.
    #[error("{0}")]
    Config(Located),
    /// `book.toml` names a source folder that is not there.
    #[error(
        "{book_toml}: the book's source folder `{src}` does not exist (set `[book] src` to the folder holding SUMMARY.md)"
    )]
    NoSourceFolder { book_toml: String, src: String },
    /// A folder with no Markdown file in it: nothing to check, which is
    /// more likely a mistyped path than a clean guide.
    #[error(
        "`{}` holds no Markdown files: give a book's folder (with book.toml), a folder of .md files or one file",
        path.display()
    )]
    NoMarkdown { path: PathBuf },
}

/// What [`load_with`] calls while it reads a guide.
pub trait Visit: Sync {
    /// What it makes of each chapter.
    type Output: Send;

    /// Once, with every file under the source folder (sorted), before any
    /// chapter is read; it runs while the reading order is worked out.
    fn files(&self, _files: &[String]) {}

    /// Each chapter, on the thread that parsed it: with the book, every
    /// file under its source folder, the chapter (complete, and the
    /// visitor's to keep or let go), and the problems met reading it.
    fn chapter(
        &self,
        book: &Book,
        files: &[String],
        chapter: Chapter,
        problems: &[Problem],
    ) -> Self::Output;
}

/// A guide read by [`load_with`]: what the visitor made of each chapter,
/// in reading order, beside the book, its files and the problems met.
#[derive(Debug)]
pub struct Visited<T> {
    pub book: Book,
    pub files: Vec<String>,
    /// The hidden folders not read (see [`LoadOptions::hidden`]).
    pub hidden: Vec<String>,
    pub chapters: Vec<T>,
    pub problems: Vec<Problem>,
}

/// The visitor of a plain [`load`]: it keeps each chapter.
struct Keep;

impl Visit for Keep {
    type Output = Chapter;
    fn chapter(&self, _: &Book, _: &[String], chapter: Chapter, _: &[Problem]) -> Chapter {
        chapter
    }
}

/// Read the guide at `path` (a book's root, a folder, or a file).
///
/// Fails only when nothing can be read at all (no such path, a `book.toml`
/// that is not valid TOML); everything else is a [`Problem`] in the guide.
pub fn load(path: &Path, options: &LoadOptions) -> Result<Guide, LoadError> {
    let v = load_with(path, options, &Keep)?;
    Ok(Guide {
        book: v.book,
        chapters: v.chapters,
        files: v.files,
        problems: v.problems,
    })
}

/// One chapter of a book already read, read again from `bytes` (its text
/// as an editor holds it, saved or not): the same reading [`load`] gives
/// it, with the place in SUMMARY it had (`listed`, `part`). `None` for a
/// DocFX `.yml` file that is data, not a page.
pub fn read_again(
    book: &Book,
    path: &str,
    bytes: Vec<u8>,
    listed: bool,
    part: Option<String>,
) -> (Option<Chapter>, Vec<Problem>) {
    let (chapter, problems) = read::parse(book, path, bytes);
    let chapter = chapter.map(|mut c| {
        c.listed = listed;
        c.part = part;
        if c.title.is_none() {
            c.title = book
                .summary
                .as_ref()
                .and_then(|s| s.entries.iter().find(|e| e.path == path))
                .map(|e| e.title.clone());
        }
        c
    });
    (chapter, problems)
}

/// [`load`], handing every chapter to `visit` as soon as it is parsed.
pub fn load_with<V: Visit>(
    path: &Path,
    options: &LoadOptions,
    visit: &V,
) -> Result<Visited<V::Output>, LoadError> {
    let meta = std::fs::metadata(path).map_err(|source| LoadError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.is_file() {
        return load_file(path, options, visit);
    }
    let book_toml = path.join("book.toml");
    if book_toml.is_file() {
        load_book(path, &book_toml, options, visit)
    } else if let Some(root) = book_of_source_folder(path) {
        // `runsheet check docs` where docs/ is a book's `src`: the book.
        load_book(&root, &root.join("book.toml"), options, visit)
    } else {
        let visited = load_plain(path.to_path_buf(), BookKind::Folder, None, options, visit)?;
        if visited.chapters.is_empty() && visited.problems.is_empty() {
            return Err(LoadError::NoMarkdown {
                path: path.to_path_buf(),
            });
        }
        Ok(visited)
    }
}

/// The folder a guide's settings live in: a book's root (also when `path`
/// is the book's source folder), a folder, or a file's folder.
pub fn guide_root(path: &Path) -> PathBuf {
    if path.is_file() {
        return parent_folder(path);
    }
    if path.join("book.toml").is_file() {
        return path.to_path_buf();
    }
    book_of_source_folder(path).unwrap_or_else(|| path.to_path_buf())
}

/// A file's folder, `.` for a bare file name.
fn parent_folder(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// When `dir` is the `src` folder of a book one level up, that book's root.
fn book_of_source_folder(dir: &Path) -> Option<PathBuf> {
    // `.` and `..` have no name of their own: ask the filesystem.
    let dir = if dir.file_name().is_none() {
        dir.canonicalize().ok()?
    } else {
        dir.to_path_buf()
    };
    let name = dir.file_name()?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let config = config::read(&parent.join("book.toml")).ok()??;
    let section = config::BookSection::of(&config);
    (Path::new(section.src().trim_end_matches('/')) == Path::new(name)).then_some(parent)
}

fn load_file<V: Visit>(
    path: &Path,
    options: &LoadOptions,
    visit: &V,
) -> Result<Visited<V::Output>, LoadError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    load_plain(
        parent_folder(path),
        BookKind::File,
        Some(name),
        options,
        visit,
    )
}

/// A problem for each symbolic link that leads out of the checked folder.
fn links_out(outside: &[String]) -> Vec<Problem> {
    outside
        .iter()
        .map(|path| Problem {
            kind: ProblemKind::SymlinkOutsideRoot,
            file: path.clone(),
            line: 1,
            column: 1,
            message: format!(
                "`{path}` is a symbolic link out of the checked folder: runsheet does not read it"
            ),
        })
        .collect()
}

/// A problem for each folder that could not be opened.
fn folders_closed(unreadable: &[(String, String)]) -> Vec<Problem> {
    unreadable
        .iter()
        .map(|(path, why)| Problem {
            kind: ProblemKind::UnreadableFile,
            file: path.clone(),
            line: 1,
            column: 1,
            message: format!(
                "cannot read the folder `{path}` ({why}): none of its files were checked; give the user running runsheet permission to read it"
            ),
        })
        .collect()
}

/// The folder of `path` that could not be read, if `path` is inside one.
fn closed_folder<'u>(unreadable: &'u [(String, String)], path: &str) -> Option<&'u str> {
    unreadable
        .iter()
        .map(|(folder, _)| folder.as_str())
        .find(|folder| {
            path.strip_prefix(folder)
                .is_some_and(|rest| rest.starts_with('/'))
        })
}

/// A guide without a SUMMARY: one file, or every Markdown file of a folder
/// in reading order.
fn load_plain<V: Visit>(
    root: PathBuf,
    kind: BookKind,
    only: Option<String>,
    options: &LoadOptions,
    visit: &V,
) -> Result<Visited<V::Output>, LoadError> {
    let walk::Walked {
        files,
        hidden,
        outside,
        unreadable,
    } = walk(&root, options.hidden);
    let docfx = !crate::docfx::files(&root).is_empty();
    let (order, ()) = rayon::join(
        || match only {
            Some(name) => vec![name],
            None => {
                use rayon::prelude::*;
                // A DocFX tree's YAML pages (`toc.yml`, landing pages) are
                // read for their links too.
                let mut md: Vec<String> = files
                    .iter()
                    .filter(|f| is_markdown(f) || (docfx && f.ends_with(".yml")))
                    .cloned()
                    .collect();
                md.par_sort_by(|a, b| walk::reading_order(a, b));
                md
            }
        },
        || visit.files(&files),
    );
    let config = match kind {
        BookKind::Folder => config::read(&root.join("runsheet.toml"))?,
        _ => None,
    };
    let mut book = Book {
        title: None,
        src: ".".into(),
        kind,
        // A `docfx.json` makes it a DocFX tree, with DocFX's heading ids.
        flavour: options.flavour.unwrap_or(if docfx {
            Flavour::Docfx
        } else {
            Flavour::Github
        }),
        root: root.clone(),
        src_dir: root,
        summary: None,
        config,
    };
    let planned: Vec<Planned> = order.into_iter().map(Planned::unlisted_ok).collect();
    let read = read::chapters(&book, &files, &planned, options.texts.as_deref(), visit);
    if kind == BookKind::File {
        book.title = read.first_title;
    }
    let mut problems = links_out(&outside);
    problems.extend(folders_closed(&unreadable));
    problems.extend(read.problems);
    Ok(Visited {
        book,
        files,
        hidden,
        chapters: read.chapters,
        problems,
    })
}

fn load_book<V: Visit>(
    root: &Path,
    book_toml: &Path,
    options: &LoadOptions,
    visit: &V,
) -> Result<Visited<V::Output>, LoadError> {
    let config = config::read(book_toml)?.unwrap_or_default();
    let section = config::BookSection::of(&config);
    let src = section.src().to_string();
    // The source folder is held inside the book: `src = "../../elsewhere"`,
    // an absolute path or a link out are refused.
    let src_dir = crate::text::inside::Root::new(root)
        .resolve(src.trim_end_matches('/'))
        .map_err(|e| {
            LoadError::Config(Located::file(
                book_toml.display().to_string(),
                format!("`[book] src` (`{src}`): {}", e.why),
            ))
        })?;
    if !src_dir.is_dir() {
        return Err(LoadError::NoSourceFolder {
            book_toml: book_toml.display().to_string(),
            src,
        });
    }
    let flavour = options.flavour.unwrap_or(Flavour::Mdbook);
    let walk::Walked {
        files,
        hidden,
        outside,
        unreadable,
    } = walk(&src_dir, options.hidden);
    let mut problems = links_out(&outside);
    problems.extend(folders_closed(&unreadable));

    let summary_path = "SUMMARY.md".to_string();
    // A SUMMARY.md that links out of the book is not read either.
    let summary_text = if outside.contains(&summary_path) {
        Err(std::io::ErrorKind::PermissionDenied.into())
    } else {
        crate::text::inside::read_string(
            &src_dir.join(&summary_path),
            crate::text::inside::Cap::CONFIG,
        )
        .map_err(|e| match e.why {
            crate::text::inside::Why::Read(e) => e,
            why => std::io::Error::other(why.to_string()),
        })
    };
    let summary = match summary_text {
        Ok(text) => match summary::read(&text, flavour, &files) {
            Ok(entries) => Some(SummaryInfo {
                path: summary_path.clone(),
                entries,
                source: Arc::from(text.as_str()),
            }),
            Err(e) => {
                problems.push(Problem {
                    kind: ProblemKind::SummaryParse,
                    file: summary_path.clone(),
                    line: e.line,
                    column: e.column,
                    message: e.message,
                });
                None
            }
        },
        Err(_) => {
            problems.push(Problem {
                kind: ProblemKind::SummaryMissing,
                file: summary_path.clone(),
                line: 1,
                column: 1,
                message: format!(
                    "the book has no {src}/SUMMARY.md; chapters are read in folder order"
                ),
            });
            None
        }
    };

    // Listed chapters in SUMMARY's order, then the other Markdown files.
    let mut planned: Vec<Planned> = Vec::new();
    let mut seen = HashSet::new();
    let mut titles: HashMap<&str, &str> = HashMap::new();
    if let Some(s) = &summary {
        for e in &s.entries {
            titles.entry(e.path.as_str()).or_insert(e.title.as_str());
        }
        for e in &s.entries {
            if !e.exists {
                problems.push(Problem {
                    kind: ProblemKind::SummaryMissingFile,
                    file: s.path.clone(),
                    line: e.line,
                    column: 1,
                    message: match closed_folder(&unreadable, &e.path) {
                        Some(folder) => format!(
                            "SUMMARY lists `{}`, in the folder `{folder}`, which cannot be read",
                            e.path
                        ),
                        None => format!("SUMMARY lists `{}`, which does not exist", e.path),
                    },
                });
                continue;
            }
            if seen.insert(e.path.clone()) {
                planned.push(Planned {
                    path: e.path.clone(),
                    listed: true,
                    part: e.part.clone(),
                    summary_title: Some(e.title.clone()),
                });
            }
        }
    }
    let mut rest: Vec<String> = files
        .iter()
        .filter(|f| {
            is_markdown(f) && !seen.contains(*f) && (summary.is_none() || **f != summary_path)
        })
        .cloned()
        .collect();
    rest.sort_by(|a, b| walk::reading_order(a, b));
    planned.extend(rest.into_iter().map(|path| Planned {
        summary_title: titles.get(path.as_str()).map(|t| t.to_string()),
        path,
        listed: summary.is_none(),
        part: None,
    }));

    let book = Book {
        title: section.title,
        src,
        kind: BookKind::Mdbook,
        flavour,
        root: root.to_path_buf(),
        src_dir,
        summary,
        config: Some(config),
    };
    visit.files(&files);
    let read = read::chapters(&book, &files, &planned, options.texts.as_deref(), visit);
    problems.extend(read.problems);
    problems.sort();
    Ok(Visited {
        book,
        files,
        hidden,
        chapters: read.chapters,
        problems,
    })
}
