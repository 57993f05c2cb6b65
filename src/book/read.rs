//! Reading and parsing chapters in parallel, each result written straight
//! into its place in the reading order.

use super::Visit;
use super::decode::decode;
use crate::markdown::parse_chapter;
use crate::model::{Book, Chapter, Problem, ProblemKind};
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;

/// A chapter to read, and what the book says of it before it is read.
pub(super) struct Planned {
    /// Relative to the source folder.
    pub path: String,
    /// Whether SUMMARY lists it (always, outside a book).
    pub listed: bool,
    /// The SUMMARY part it sits in.
    pub part: Option<String>,
    /// Its title in SUMMARY, for a chapter without one of its own.
    pub summary_title: Option<String>,
}

impl Planned {
    /// A chapter of a guide without a SUMMARY.
    pub(super) fn unlisted_ok(path: String) -> Planned {
        Planned {
            path,
            listed: true,
            part: None,
            summary_title: None,
        }
    }
}

/// What reading the chapters gave.
pub(super) struct Read<T> {
    /// The visitor's output per chapter that could be read, in order.
    pub chapters: Vec<T>,
    /// Sorted.
    pub problems: Vec<Problem>,
    /// The first chapter's title (a one-file guide's title).
    pub first_title: Option<String>,
}

/// Read and parse these chapters in parallel, handing each to `visit` as
/// it is parsed; a chapter `texts` holds is read from there.
pub(super) fn chapters<V: Visit>(
    book: &Book,
    files: &[String],
    planned: &[Planned],
    texts: Option<&std::collections::BTreeMap<String, String>>,
    visit: &V,
) -> Read<V::Output> {
    // Each result is written straight into its place in the final vectors;
    // the few files that could not be read leave a gap, closed in place.
    // The first file's title is kept aside: it is the book's when the book
    // names none.
    let first_title = std::sync::OnceLock::new();
    let (chapters, problems): (Vec<Option<V::Output>>, Vec<Vec<Problem>>) = planned
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let given = texts.and_then(|t| t.get(&p.path));
            let (chapter, problems) = match given {
                Some(text) => parse(book, &p.path, text.clone().into_bytes()),
                None => read_one(&book.src_dir, &p.path, book),
            };
            let Some(mut c) = chapter else {
                return (None, problems);
            };
            c.listed = p.listed;
            c.part = p.part.clone();
            if c.title.is_none() {
                c.title = p.summary_title.clone();
            }
            if i == 0 {
                let _ = first_title.set(c.title.clone());
            }
            let out = visit.chapter(book, files, c, &problems);
            (Some(out), problems)
        })
        .unzip();
    // `filter_map`, not `flatten`: it collects in place, into the same memory.
    #[allow(clippy::filter_map_identity)]
    let chapters: Vec<V::Output> = chapters.into_iter().filter_map(|c| c).collect();
    let mut problems: Vec<Problem> = problems.into_iter().flatten().collect();
    problems.sort();
    Read {
        chapters,
        problems,
        first_title: first_title.into_inner().flatten(),
    }
}

fn read_one(dir: &Path, rel: &str, book: &Book) -> (Option<Chapter>, Vec<Problem>) {
    match std::fs::read(dir.join(rel)) {
        Ok(bytes) => parse(book, rel, bytes),
        Err(e) => (None, vec![unreadable(rel, &e)]),
    }
}

/// The problem of a file that cannot be read.
fn unreadable(rel: &str, e: &std::io::Error) -> Problem {
    Problem {
        kind: ProblemKind::UnreadableFile,
        file: rel.to_string(),
        line: 1,
        column: 1,
        message: if rel.contains('\u{fffd}') && e.kind() == std::io::ErrorKind::NotFound {
            "cannot read the file: its name is not valid UTF-8 (shown with \u{fffd}); rename it"
                .to_string()
        } else {
            format!("cannot read the file: {e}")
        },
    }
}

/// A file's bytes read as a chapter of `book` (a DocFX YAML page for a
/// `.yml` file, `None` for one that is data).
pub(super) fn parse(book: &Book, rel: &str, bytes: Vec<u8>) -> (Option<Chapter>, Vec<Problem>) {
    let (text, bom, problem) = decode(rel, bytes);
    // A DocFX tree's `.yml` files are planned too: those that are pages
    // (`toc.yml`, `### YamlMime:…`) are read for their links, the others
    // are data.
    if rel.ends_with(".yml") {
        if !crate::markdown::is_yaml_page(rel, text.lines().next().unwrap_or("")) {
            return (None, Vec::new());
        }
        let chapter = crate::markdown::parse_yaml_page(rel, Arc::new(text), bom);
        return (Some(chapter), problem.into_iter().collect());
    }
    let (chapter, mut problems) = parse_chapter(rel, Arc::new(text), bom, book.flavour);
    problems.extend(problem);
    (Some(chapter), problems)
}
