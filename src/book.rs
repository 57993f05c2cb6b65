//! Finding and reading a guide: an mdBook (`book.toml` + SUMMARY), a plain
//! folder of Markdown files, or a single file.
//!
//! Files are read and parsed in parallel; the result is in a fixed order
//! whatever the walk or the thread pool did.

use crate::markdown::{ParseOptions, parse_chapter, parse_chapter_with};
use crate::model::*;
use crate::slug::Flavour;
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How to read a guide.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Heading-id flavour; by default mdBook's for a book, GitHub's otherwise.
    pub flavour: Option<Flavour>,
    /// Keep only what cross-chapter work needs: each chapter's text is let
    /// go once the visitor of [`load_with`] has seen it, and step and link
    /// texts are not collected. For checking large trees.
    pub lean: bool,
}

/// What [`load_with`] calls while it reads a guide.
pub trait Visit<T>: Sync {
    /// Once, with every file under the source folder (sorted), before any
    /// chapter is read; it runs while the reading order is worked out.
    fn files(&self, _files: &[String]) {}

    /// Each chapter, on the thread that parsed it, while the chapter still
    /// holds its text: with the book, every file under its source folder,
    /// the chapter, and the problems met reading it. It may trim the
    /// chapter; a lean load then lets its text go.
    fn chapter(
        &self,
        book: &Book,
        files: &[String],
        chapter: &mut Chapter,
        problems: &[Problem],
    ) -> T;
}

/// The visitor of a plain [`load`]: it looks at nothing.
struct NoVisit;

impl Visit<()> for NoVisit {
    fn chapter(&self, _: &Book, _: &[String], _: &mut Chapter, _: &[Problem]) {}
}

/// A visitor of any kind.
pub type Visitor<'v, T> = dyn Visit<T> + 'v;

/// Read the guide at `path` (a book's root, a folder, or a file).
///
/// Fails only when nothing can be read at all (no such path, a `book.toml`
/// that is not valid TOML); everything else is a [`Problem`] in the guide.
pub fn load(path: &Path, options: &LoadOptions) -> Result<Guide> {
    load_with(path, options, &NoVisit).map(|(guide, _)| guide)
}

/// [`load`], calling `visit` on every chapter as soon as it is parsed; the
/// results come back in the guide's chapter order.
pub fn load_with<T: Send>(
    path: &Path,
    options: &LoadOptions,
    visit: &Visitor<'_, T>,
) -> Result<(Guide, Vec<T>)> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
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
        load_folder(path, options, visit)
    }
}

/// The folder a guide's settings live in: a book's root (also when `path`
/// is the book's source folder), a folder, or a file's folder.
pub fn guide_root(path: &Path) -> PathBuf {
    if path.is_file() {
        return path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
    }
    if path.join("book.toml").is_file() {
        return path.to_path_buf();
    }
    book_of_source_folder(path).unwrap_or_else(|| path.to_path_buf())
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
    let config = read_config(&parent.join("book.toml")).ok()??;
    let src = config
        .get("book")
        .and_then(|b| b.get("src"))
        .and_then(|s| s.as_str())
        .unwrap_or("src");
    (Path::new(src.trim_end_matches('/')) == Path::new(name)).then_some(parent)
}

fn load_file<T: Send>(
    path: &Path,
    options: &LoadOptions,
    visit: &Visitor<'_, T>,
) -> Result<(Guide, Vec<T>)> {
    let root = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    load_plain(root, BookKind::File, Some(name), options, visit)
}

fn load_folder<T: Send>(
    root: &Path,
    options: &LoadOptions,
    visit: &Visitor<'_, T>,
) -> Result<(Guide, Vec<T>)> {
    load_plain(root.to_path_buf(), BookKind::Folder, None, options, visit)
}

/// A guide without a SUMMARY: one file, or every Markdown file of a folder
/// in reading order.
fn load_plain<T: Send>(
    root: PathBuf,
    kind: BookKind,
    only: Option<String>,
    options: &LoadOptions,
    visit: &Visitor<'_, T>,
) -> Result<(Guide, Vec<T>)> {
    let files = walk(&root);
    let (order, ()) = rayon::join(
        || match only {
            Some(name) => vec![name],
            None => {
                let mut md: Vec<String> =
                    files.iter().filter(|f| is_markdown(f)).cloned().collect();
                md.par_sort_by(|a, b| reading_order(a, b));
                md
            }
        },
        || visit.files(&files),
    );
    let config = match kind {
        BookKind::Folder => read_config(&root.join("runsheet.toml"))?,
        _ => None,
    };
    let mut book = Book {
        title: None,
        src: ".".into(),
        kind,
        flavour: options.flavour.unwrap_or(Flavour::Github),
        root: root.clone(),
        src_dir: root,
        summary: None,
        config,
    };
    let (chapters, problems, visits) = read_chapters(&book, &files, &order, options, visit);
    if kind == BookKind::File {
        book.title = chapters.first().and_then(|c| c.title.clone());
    }
    Ok((
        Guide {
            book,
            chapters,
            files,
            problems,
        },
        visits,
    ))
}

/// A TOML file (`book.toml`, `runsheet.toml`) as a table, `None` when
/// there is no such file; a file that is not TOML is an error naming its
/// line.
pub fn read_config(path: &Path) -> Result<Option<toml::Table>> {
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e
            .span()
            .map_or(1, |s| text[..s.start].matches('\n').count() + 1);
        anyhow::anyhow!("{}:{line}: not valid TOML: {}", path.display(), e.message())
    })?;
    Ok(Some(table))
}

fn load_book<T: Send>(
    root: &Path,
    book_toml: &Path,
    options: &LoadOptions,
    visit: &Visitor<'_, T>,
) -> Result<(Guide, Vec<T>)> {
    let config = read_config(book_toml)?.unwrap_or_default();
    let book_table = config.get("book").and_then(|b| b.as_table());
    let src = book_table
        .and_then(|b| b.get("src"))
        .and_then(|s| s.as_str())
        .unwrap_or("src")
        .to_string();
    let title = book_table
        .and_then(|b| b.get("title"))
        .and_then(|s| s.as_str())
        .map(str::to_string);
    let src_dir = root.join(&src);
    if !src_dir.is_dir() {
        bail!(
            "{}: the book's source folder `{}` does not exist (set `[book] src` to the folder holding SUMMARY.md)",
            book_toml.display(),
            src
        );
    }
    let flavour = options.flavour.unwrap_or(Flavour::Mdbook);
    let files = walk(&src_dir);
    let mut problems = Vec::new();

    let summary_path = "SUMMARY.md".to_string();
    let summary = match std::fs::read_to_string(src_dir.join(&summary_path)) {
        Ok(text) => match read_summary(&text, flavour, &files) {
            Ok(entries) => Some(SummaryInfo {
                path: summary_path.clone(),
                entries,
                source: Arc::from(text.as_str()),
            }),
            Err(e) => {
                let msg = format!("{e:#}");
                let line = msg
                    .split("line ")
                    .nth(1)
                    .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(1);
                problems.push(Problem {
                    kind: "summary-parse".into(),
                    file: summary_path.clone(),
                    line,
                    column: 1,
                    message: format!("SUMMARY.md cannot be read as an mdBook summary: {msg:#}"),
                });
                None
            }
        },
        Err(_) => {
            problems.push(Problem {
                kind: "summary-missing".into(),
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

    let mut order: Vec<String> = Vec::new();
    let mut parts: HashMap<String, Option<String>> = HashMap::new();
    let mut seen = HashSet::new();
    if let Some(s) = &summary {
        for e in &s.entries {
            if !e.exists {
                problems.push(Problem {
                    kind: "summary-missing-file".into(),
                    file: s.path.clone(),
                    line: e.line,
                    column: 1,
                    message: format!("SUMMARY lists `{}`, which does not exist", e.path),
                });
                continue;
            }
            if seen.insert(e.path.clone()) {
                order.push(e.path.clone());
                parts.insert(e.path.clone(), e.part.clone());
            }
        }
    }
    let listed_count = order.len();
    let mut rest: Vec<String> = files
        .iter()
        .filter(|f| {
            is_markdown(f) && !seen.contains(*f) && (summary.is_none() || **f != summary_path)
        })
        .cloned()
        .collect();
    rest.sort_by(|a, b| reading_order(a, b));
    order.extend(rest);

    let book = Book {
        title,
        src,
        kind: BookKind::Mdbook,
        flavour,
        root: root.to_path_buf(),
        src_dir,
        summary,
        config: Some(config),
    };
    visit.files(&files);
    let (mut chapters, read_problems, visits) =
        read_chapters(&book, &files, &order, options, visit);
    problems.extend(read_problems);
    for (i, c) in chapters.iter_mut().enumerate() {
        c.listed = book.summary.is_none() || i < listed_count;
        c.part = parts.get(&c.path).cloned().flatten();
        if c.title.is_none() {
            c.title = book
                .summary
                .as_ref()
                .and_then(|s| s.entries.iter().find(|e| e.path == c.path))
                .map(|e| e.title.clone());
        }
    }
    problems.sort();
    Ok((
        Guide {
            book,
            chapters,
            files,
            problems,
        },
        visits,
    ))
}

/// Read SUMMARY.md with mdBook's own parser, and find each entry's line.
fn read_summary(text: &str, flavour: Flavour, files: &[String]) -> Result<Vec<SummaryEntry>> {
    let parsed = mdbook_summary::parse_summary(text)?;
    let mut flat = Vec::new();
    let mut part: Option<String> = None;
    for item in parsed
        .prefix_chapters
        .iter()
        .chain(&parsed.numbered_chapters)
        .chain(&parsed.suffix_chapters)
    {
        flatten(item, &mut part, &mut flat);
    }
    // Lines: SUMMARY's own links, in order, matched to entries in order.
    let (as_chapter, _) = parse_chapter("SUMMARY.md", Arc::new(text.to_string()), 0, flavour);
    let mut used = vec![false; as_chapter.links.len()];
    let file_set: HashSet<&str> = files.iter().map(String::as_str).collect();
    Ok(flat
        .into_iter()
        .map(|(title, location, part)| {
            let path = location.to_string_lossy().replace('\\', "/");
            let path = path.strip_prefix("./").unwrap_or(&path).to_string();
            let line = as_chapter
                .links
                .iter()
                .enumerate()
                .find(|(i, l)| !used[*i] && l.path.trim_start_matches("./") == path)
                .map(|(i, l)| {
                    used[i] = true;
                    l.span.line
                })
                .unwrap_or(1);
            let exists = file_set.contains(path.as_str());
            SummaryEntry {
                title,
                path,
                line,
                part,
                exists,
            }
        })
        .collect())
}

fn flatten(
    item: &mdbook_summary::SummaryItem,
    part: &mut Option<String>,
    out: &mut Vec<(String, PathBuf, Option<String>)>,
) {
    match item {
        mdbook_summary::SummaryItem::PartTitle(t) => *part = Some(t.clone()),
        mdbook_summary::SummaryItem::Link(link) => {
            if let Some(loc) = &link.location {
                out.push((link.name.clone(), loc.clone(), part.clone()));
            }
            for nested in &link.nested_items {
                flatten(nested, part, out);
            }
        }
        _ => {}
    }
}

/// Read and parse these chapters (paths relative to the source folder) in
/// parallel, visiting each as it is parsed.
fn read_chapters<T: Send>(
    book: &Book,
    files: &[String],
    paths: &[String],
    options: &LoadOptions,
    visit: &Visitor<'_, T>,
) -> (Vec<Chapter>, Vec<Problem>, Vec<T>) {
    let parse = ParseOptions {
        flavour: book.flavour,
        detail: !options.lean,
    };
    // Each result is written straight into its place in the final vectors;
    // the few files that could not be read leave a gap, closed in place.
    type Columns<T> = (Vec<Option<Chapter>>, (Vec<Option<T>>, Vec<Vec<Problem>>));
    let (chapters, (visits, problems)): Columns<T> = paths
        .par_iter()
        .map(|rel| {
            let (chapter, problems) = read_chapter(&book.src_dir, rel, &parse);
            let Some(mut c) = chapter else {
                return (None, (None, problems));
            };
            let t = visit.chapter(book, files, &mut c, &problems);
            if options.lean {
                c.release_source();
            }
            (Some(c), (Some(t), problems))
        })
        .unzip();
    // `filter_map`, not `flatten`: it collects in place, into the same memory.
    #[allow(clippy::filter_map_identity)]
    let chapters: Vec<Chapter> = chapters.into_iter().filter_map(|c| c).collect();
    #[allow(clippy::filter_map_identity)]
    let visits: Vec<T> = visits.into_iter().filter_map(|t| t).collect();
    let mut problems: Vec<Problem> = problems.into_iter().flatten().collect();
    problems.sort();
    (chapters, problems, visits)
}

fn read_chapter(dir: &Path, rel: &str, parse: &ParseOptions) -> (Option<Chapter>, Vec<Problem>) {
    let bytes = match std::fs::read(dir.join(rel)) {
        Ok(b) => b,
        Err(e) => {
            let problem = Problem {
                kind: "unreadable-file".into(),
                file: rel.to_string(),
                line: 1,
                column: 1,
                message: format!("cannot read the file: {e}"),
            };
            return (None, vec![problem]);
        }
    };
    let (text, bom, problem) = decode(rel, bytes);
    let (chapter, mut problems) = parse_chapter_with(rel, Arc::new(text), bom, parse);
    problems.extend(problem);
    (Some(chapter), problems)
}

/// UTF-8 text without its BOM. Bytes that are not UTF-8 become U+FFFD and a
/// problem names the first of them.
fn decode(rel: &str, mut bytes: Vec<u8>) -> (String, usize, Option<Problem>) {
    let bom = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    bytes.drain(..bom);
    match String::from_utf8(bytes) {
        Ok(text) => (text, bom, None),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = bytes[..valid]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            let column = String::from_utf8_lossy(&bytes[line_start..valid])
                .chars()
                .count()
                + 1;
            let problem = Problem {
                kind: "invalid-utf8".into(),
                file: rel.to_string(),
                line,
                column,
                message: format!(
                    "the file is not valid UTF-8 (byte 0x{:02X}); save it as UTF-8 — it was read with the bad bytes replaced",
                    bytes[valid]
                ),
            };
            (
                String::from_utf8_lossy(&bytes).into_owned(),
                bom,
                Some(problem),
            )
        }
    }
}

/// Every file under `dir`, relative, `/`-separated, sorted; hidden entries
/// and `node_modules` are skipped.
pub fn walk(dir: &Path) -> Vec<String> {
    // Folders are opened breadth-first until there are enough of them to
    // share between threads, then each is walked on its own: on a large
    // tree the walk is otherwise the longest stretch run on one thread.
    let mut files: Vec<String> = Vec::new();
    let mut frontier: Vec<PathBuf> = vec![dir.to_path_buf()];
    for _ in 0..3 {
        if frontier.len() >= 4 * rayon::current_num_threads() {
            break;
        }
        let mut next = Vec::new();
        for folder in &frontier {
            let Ok(entries) = std::fs::read_dir(folder) else {
                continue;
            };
            for e in entries.filter_map(Result::ok) {
                if !keep(&e.file_name().to_string_lossy()) {
                    continue;
                }
                let path = e.path();
                // Follow links, as the walk below does.
                match std::fs::metadata(&path) {
                    Ok(m) if m.is_dir() => next.push(path),
                    Ok(m) if m.is_file() => files.extend(relative_name(dir, &path)),
                    _ => {}
                }
            }
        }
        frontier = next;
    }
    frontier.sort();
    let below: Vec<String> = frontier
        .par_iter()
        .flat_map_iter(|top| {
            walkdir::WalkDir::new(top)
                .follow_links(true)
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || keep(&e.file_name().to_string_lossy()))
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file())
                .filter_map(|e| relative_name(dir, e.path()))
                .collect::<Vec<_>>()
        })
        .collect();
    files.extend(below);
    files.par_sort_unstable();
    files
}

/// Hidden entries and `node_modules` are not part of a guide.
fn keep(name: &str) -> bool {
    !name.starts_with('.') && name != "node_modules"
}

/// `path` below `dir`, `/`-separated.
fn relative_name(dir: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(dir).ok()?;
    let text = rel.to_string_lossy();
    Some(if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    })
}

pub fn is_markdown(path: &str) -> bool {
    let ends_with = |ext: &str| {
        path.len() >= ext.len()
            && path.as_bytes()[path.len() - ext.len()..].eq_ignore_ascii_case(ext.as_bytes())
    };
    ends_with(".md") || ends_with(".markdown")
}

/// Reading order: folder by folder, README.md or index.md first in its
/// folder, then by name. Compares without allocating: a large tree sorts
/// ten thousand paths before any is read.
fn reading_order(a: &str, b: &str) -> std::cmp::Ordering {
    // Most pairs differ in their first folders: compare the common start
    // once, then only the parts from the folder where they part.
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let from = memchr::memrchr(b'/', &a.as_bytes()[..common]).map_or(0, |i| i + 1);
    let (a, b) = (&a[from..], &b[from..]);
    let (mut x, mut y) = (a.split('/').peekable(), b.split('/').peekable());
    loop {
        match (x.next(), y.next()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(p), Some(q)) => {
                let p_first = x.peek().is_none() && is_folder_index(p);
                let q_first = y.peek().is_none() && is_folder_index(q);
                let order = q_first.cmp(&p_first).then_with(|| p.cmp(q));
                if order.is_ne() {
                    return order;
                }
            }
        }
    }
}

fn is_folder_index(name: &str) -> bool {
    name.eq_ignore_ascii_case("readme.md") || name.eq_ignore_ascii_case("index.md")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readme_and_index_come_first_in_their_folder() {
        let mut v = vec!["b.md", "a.md", "README.md", "sub/z.md", "sub/index.md"];
        v.sort_by(|a, b| reading_order(a, b));
        assert_eq!(v, ["README.md", "a.md", "b.md", "sub/index.md", "sub/z.md"]);
    }

    #[test]
    fn bad_utf8_is_reported_with_line_and_column() {
        let (text, _, problem) = decode("x.md", b"ok\nab\xFFc\n".to_vec());
        let p = problem.unwrap();
        assert_eq!((p.line, p.column), (2, 3));
        assert!(text.contains('\u{FFFD}'));
    }

    #[test]
    fn a_bom_is_stripped_and_remembered() {
        let (text, bom, problem) = decode("x.md", b"\xEF\xBB\xBF# T\n".to_vec());
        assert_eq!((text.as_str(), bom), ("# T\n", 3));
        assert!(problem.is_none());
    }
}
