//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning takes it and as
//! the SARIF Multitool validates it (`.ci/run`).
//!
//! - The rules, each with its id (what users write), its PascalCase name,
//!   its documentation as descriptions and help, and a `helpUri` to its
//!   section of the rule reference.
//! - Results with `ruleId`, `level`, the message as plain text, and a
//!   region in 1-based lines and character columns. The region's text is
//!   its `snippet`, and the line around it (at most [`SNIPPET_CHARS`]
//!   characters of it) is its `contextRegion`.
//! - Each result's `partialFingerprints`: what the finding is about, as a
//!   baseline records it (`check::baseline`), so GitHub code scanning
//!   tracks an alert across commits that move it.
//! - Paths relative to the working directory, which is `%SRCROOT%` in
//!   `originalUriBaseIds`; and, when the guides are in a Git repository
//!   with an `origin` remote, `versionControlProvenance` with the commit.
//!
//! Messages stay plain `text` rather than `id` and `arguments`: GitHub
//! shows only fully formatted messages, and each rule words its own.
#![allow(
    clippy::indexing_slicing,
    reason = "the JSON values written by key here are objects made by json! in this file; writing an object's key inserts it, never panics"
)]

use super::checkout::Checkout;
use super::stream::Findings;
use super::{Checked, stream};
use crate::check::rules::RULES;
use crate::check::{Diagnostic, Severity};
use crate::text::columns::Columns;
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// The most characters a snippet holds. A region longer than this has no
/// snippet, and the context of a longer line is the part of it around the
/// region.
pub const SNIPPET_CHARS: usize = 500;

/// The project's address, from `repository` in Cargo.toml: the driver's
/// `informationUri`, and the base of every rule's `helpUri`.
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The base id of the working directory.
const SRCROOT: &str = "%SRCROOT%";

pub fn render(checked: &[Checked<'_>], checkout: &Checkout) -> String {
    stream::to_string(|w| write(checked, checkout, w))
}

pub fn write<W: std::io::Write + ?Sized>(
    checked: &[Checked<'_>],
    checkout: &Checkout,
    w: &mut W,
) -> std::io::Result<()> {
    let rules: Vec<Value> = RULES.iter().map(|r| rule(r.meta())).collect();
    // Provenance says where the reported files come from: it is given only
    // when every one of them is in one of the repositories.
    let without_repositories;
    let checkout = if in_repositories(checked, checkout) {
        checkout
    } else {
        without_repositories = Checkout {
            working_dir: checkout.working_dir.clone(),
            repositories: Vec::new(),
        };
        &without_repositories
    };
    let bases = Bases::of(checkout);
    // What each finding is about, as the baseline knows it, so code
    // scanning follows an alert from commit to commit.
    // Where columns fall in long lines, once per line.
    let columns = Columns::of_lines(
        checked
            .iter()
            .flat_map(|c| &c.diagnostics)
            .filter_map(|d| d.source_line.as_ref()),
        SNIPPET_CHARS,
    );
    let prints: Vec<Vec<(String, usize)>> = checked
        .iter()
        .map(|c| crate::check::baseline::fingerprints(&c.diagnostics))
        .collect();
    // Where each file is, worked out once per file of each guide.
    let mut located: HashMap<(usize, &str), Value> = HashMap::new();
    for (g, c) in checked.iter().enumerate() {
        for d in &c.diagnostics {
            located
                .entry((g, d.file.as_str()))
                .or_insert_with(|| bases.locate(&c.display_path(&d.file)));
        }
    }
    let doc = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: json!({"driver": {
                "name": "runsheet",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": REPOSITORY,
                "rules": rules,
            }}),
            version_control_provenance: bases.provenance(checkout),
            original_uri_base_ids: bases.original_uri_base_ids(),
            column_kind: "unicodeCodePoints",
            results: Findings(
                checked,
                of_each(|c, i, d| {
                    let guide = checked.iter().position(|g| std::ptr::eq(g, c));
                    let mut r = result(&located, guide.unwrap_or(0), &columns, d);
                    if let Some((print, n)) = guide.and_then(|g| prints.get(g)?.get(i)) {
                        r.partial_fingerprints = Some(Fingerprints {
                            finding: format!("{print}:{n}"),
                        });
                    }
                    r
                }),
            ),
        }],
    };
    serde_json::to_writer_pretty(&mut *w, &doc).map_err(std::io::Error::from)?;
    w.write_all(b"\n")
}

/// `f`, as a function of each finding of guides that live for `'a` (a
/// closure's own signature would be for any lifetime, and its results
/// borrow from the finding).
fn of_each<'a, F, T>(f: F) -> F
where
    F: Fn(&'a Checked<'a>, usize, &'a Diagnostic) -> T,
{
    f
}

#[derive(Serialize)]
#[serde(bound(serialize = "Findings<'a, F>: Serialize"))]
struct Log<'a, F> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a, F>; 1],
}

#[derive(Serialize)]
#[serde(bound(serialize = "Findings<'a, F>: Serialize"))]
struct Run<'a, F> {
    tool: Value,
    #[serde(
        rename = "versionControlProvenance",
        skip_serializing_if = "Vec::is_empty"
    )]
    version_control_provenance: Vec<Value>,
    #[serde(rename = "originalUriBaseIds", skip_serializing_if = "Map::is_empty")]
    original_uri_base_ids: Map<String, Value>,
    #[serde(rename = "columnKind")]
    column_kind: &'static str,
    results: Findings<'a, F>,
}

/// Where a rule's documentation is: its section of the rule reference,
/// whose headings' ids are the rule ids.
pub fn help_uri(id: &str) -> String {
    format!("{REPOSITORY}/blob/main/docs/runsheet-rules.md#{id}")
}

/// One rule's `reportingDescriptor`, from what the rule says of itself.
fn rule(r: &crate::check::RuleMeta) -> Value {
    let summary = r.summary();
    json!({
        "id": r.id,
        "name": r.rule.name(),
        "shortDescription": {"text": first_sentence(&summary)},
        "fullDescription": {"text": summary},
        "helpUri": help_uri(r.id),
        "help": {
            "text": format!(
                "{summary}\n\nReported:\n{}\n\nPasses:\n{}",
                r.fails.text(),
                r.passes.text()
            ),
            "markdown": format!(
                "{summary}\n\nReported:\n\n{}\n\nPasses:\n\n{}",
                r.fails.markdown(),
                r.passes.markdown()
            ),
        },
        "defaultConfiguration": {"level": level(r.default), "enabled": !r.opt_in},
        "properties": {"tags": [match r.command {
            crate::check::Command::Check => "documentation",
            crate::check::Command::Verify => "configuration-drift",
        }]},
    })
}

/// The text up to the end of its first sentence (a `.` before a space,
/// outside code).
fn first_sentence(text: &str) -> &str {
    let mut in_code = false;
    for (i, c) in text.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '.' if !in_code && text[i + 1..].starts_with(' ') => return &text[..=i],
            _ => {}
        }
    }
    text
}

fn result<'d>(
    located: &'d HashMap<(usize, &str), Value>,
    guide: usize,
    columns: &HashMap<usize, Columns>,
    d: &'d Diagnostic,
) -> SarifResult<'d> {
    let mut text = d.message.clone();
    if let Some(h) = &d.help {
        // The help is a sentence of its own after the message.
        text.push_str(". ");
        let mut chars = h.chars();
        text.extend(chars.next().map(|c| c.to_ascii_uppercase()));
        text.push_str(chars.as_str());
    }
    let artifact = located
        .get(&(guide, d.file.as_str()))
        .unwrap_or(&Value::Null);
    let line_columns = d
        .source_line
        .as_deref()
        .and_then(|l| columns.get(&Columns::address(l)));
    let (region, context_region) = regions(d, line_columns);
    SarifResult {
        rule_id: d.rule.as_str(),
        rule_index: d.rule as usize,
        level: level(d.severity),
        message: Text { text },
        locations: [Location {
            physical_location: Physical {
                artifact_location: artifact,
                region,
                context_region,
            },
        }],
        partial_fingerprints: None,
    }
}

/// One result, as SARIF writes it (typed: a report of a hundred thousand
/// findings is written in a third of the time a tree of values takes).
#[derive(Serialize)]
struct SarifResult<'d> {
    #[serde(rename = "ruleId")]
    rule_id: &'static str,
    #[serde(rename = "ruleIndex")]
    rule_index: usize,
    level: &'static str,
    message: Text<String>,
    locations: [Location<'d>; 1],
    #[serde(
        rename = "partialFingerprints",
        skip_serializing_if = "Option::is_none"
    )]
    partial_fingerprints: Option<Fingerprints>,
}

#[derive(Serialize)]
struct Text<T> {
    text: T,
}

#[derive(Serialize)]
struct Location<'d> {
    #[serde(rename = "physicalLocation")]
    physical_location: Physical<'d>,
}

#[derive(Serialize)]
struct Physical<'d> {
    #[serde(rename = "artifactLocation")]
    artifact_location: &'d Value,
    region: Region<'d>,
    #[serde(rename = "contextRegion", skip_serializing_if = "Option::is_none")]
    context_region: Option<Region<'d>>,
}

/// A region: a line, or columns of one (see [`regions`]).
#[derive(Serialize)]
struct Region<'d> {
    #[serde(rename = "startLine")]
    start_line: usize,
    #[serde(rename = "startColumn", skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(rename = "endLine", skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(rename = "endColumn", skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text<&'d str>>,
}

/// `partialFingerprints`: runsheet's one fingerprint, under the key
/// `runsheetFinding/v1`: the baseline's fingerprint and the finding's
/// occurrence among those that share it in its file.
#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "runsheetFinding/v1")]
    finding: String,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

// ------------------------------------------------------------ regions

/// A finding's region, with its text as `snippet`, and the line around it
/// as a context region. Both snippets are exact: a region that is longer
/// than [`SNIPPET_CHARS`], runs past its line or spans lines (only the
/// first is known) has no snippet; a context region is given only when it
/// is larger than the region.
fn regions<'d>(d: &'d Diagnostic, columns: Option<&Columns>) -> (Region<'d>, Option<Region<'d>>) {
    let end_line = d.end_line.max(d.line);
    let end_column = if end_line == d.line && d.end_column <= d.column {
        d.column + 1
    } else {
        d.end_column.max(1)
    };
    let mut region = Region {
        start_line: d.line,
        start_column: Some(d.column),
        end_line: Some(end_line),
        end_column: Some(end_column),
        snippet: None,
    };
    let Some(line) = d.source_line.as_deref() else {
        return (region, None);
    };
    if end_line != d.line {
        return (region, None);
    }
    // 0-based characters [start, end) of the line.
    let (start, end) = (d.column.saturating_sub(1), end_column - 1);
    if end - start > SNIPPET_CHARS {
        return (region, None);
    }
    let Some(at) = Window::of(line, columns, start, end - start) else {
        return (region, None);
    };
    region.snippet = line.get(at.from..at.to).map(|text| Text { text });
    let context = context(line, at).map(|w| {
        if w.from == 0 && w.to == line.len() {
            // The whole line: a region of one line with no columns.
            Region {
                start_line: d.line,
                start_column: None,
                end_line: None,
                end_column: None,
                snippet: Some(Text { text: line }),
            }
        } else {
            Region {
                start_line: d.line,
                start_column: Some(w.column + 1),
                end_line: Some(d.line),
                end_column: Some(w.column + w.chars + 1),
                snippet: line.get(w.from..w.to).map(|text| Text { text }),
            }
        }
    });
    (region, context)
}

/// A run of characters of a line: its bytes `from..to`, its first
/// character's 0-based index, and how many characters it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    from: usize,
    to: usize,
    column: usize,
    chars: usize,
}

impl Window {
    /// The `chars` characters from character `column` of `line`, if the
    /// line has them all. A long line's `columns` are looked up; in a
    /// short one only the part before the window's end is looked at, and
    /// an ASCII prefix is skipped without decoding.
    fn of(line: &str, columns: Option<&Columns>, column: usize, chars: usize) -> Option<Window> {
        let (from, to) = match columns {
            Some(c) => (c.byte_of(line, column)?, c.byte_of(line, column + chars)?),
            None => {
                let from = byte_of(line, column)?;
                (from, from + byte_of(line.get(from..)?, chars)?)
            }
        };
        Some(Window {
            from,
            to,
            column,
            chars,
        })
    }
}

/// The byte offset of 0-based character `index` of `text` (its length,
/// when `index` is its number of characters), or `None` past the end.
fn byte_of(text: &str, index: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.get(..index).is_some_and(<[u8]>::is_ascii) {
        return Some(index);
    }
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .nth(index)
}

/// The context of `region` in `line`: the whole line when it has at most
/// [`SNIPPET_CHARS`] characters, else [`SNIPPET_CHARS`] of them around the
/// region (as many before it as after, where the line allows). `None` when
/// that is no larger than the region, or the region alone is too long.
fn context(line: &str, region: Window) -> Option<Window> {
    let short = line.len() <= SNIPPET_CHARS || line.chars().nth(SNIPPET_CHARS).is_none();
    let window = if short {
        Window {
            from: 0,
            to: line.len(),
            column: 0,
            chars: line.chars().count(),
        }
    } else {
        if region.chars >= SNIPPET_CHARS {
            return None;
        }
        // As many characters before the region as the line has, up to
        // half of what the region leaves; then the rest after it.
        let before = region.column.min((SNIPPET_CHARS - region.chars) / 2);
        let from = match before {
            0 => region.from,
            n => line[..region.from].char_indices().rev().nth(n - 1)?.0,
        };
        let rest = &line[from..];
        let (to, chars) = match byte_of(rest, SNIPPET_CHARS) {
            Some(to) => (to, SNIPPET_CHARS),
            None => (rest.len(), rest.chars().count()),
        };
        let (to, column) = (from + to, region.column - before);
        // Near the end of the line, what is left goes before the region.
        let more = (SNIPPET_CHARS - chars).min(column);
        let from = match more {
            0 => from,
            n => line[..from].char_indices().rev().nth(n - 1)?.0,
        };
        Window {
            from,
            to,
            column: column - more,
            chars: chars + more,
        }
    };
    (window.chars > region.chars).then_some(window)
}

// ------------------------------------------------------------ uri bases

/// The named bases of relative URIs: `%SRCROOT%`, the working directory,
/// first; then `REPOROOT`, `REPOROOT2`, … for each repository whose root
/// is not at or below the working directory.
struct Bases {
    /// Each base's id and absolute directory.
    list: Vec<(String, PathBuf)>,
    /// Each repository's `mappedTo`, in the checkout's order.
    mapped: Vec<Value>,
}

impl Bases {
    fn of(checkout: &Checkout) -> Bases {
        let Some(cwd) = &checkout.working_dir else {
            return Bases {
                list: Vec::new(),
                mapped: Vec::new(),
            };
        };
        let cwd = crate::text::paths::normalise_path(cwd);
        let mut list = vec![(SRCROOT.to_string(), cwd.clone())];
        let mut mapped = Vec::new();
        let mut repo_roots = 0;
        for repo in &checkout.repositories {
            let root = crate::text::paths::normalise_path(&repo.root);
            match root.strip_prefix(&cwd) {
                Ok(rel) if rel.as_os_str().is_empty() => mapped.push(json!({"uriBaseId": SRCROOT})),
                Ok(rel) => mapped.push(json!({"uri": dir_reference(rel), "uriBaseId": SRCROOT})),
                Err(_) => {
                    repo_roots += 1;
                    let id = match repo_roots {
                        1 => "REPOROOT".to_string(),
                        n => format!("REPOROOT{n}"),
                    };
                    mapped.push(json!({"uriBaseId": id}));
                    list.push((id, root));
                }
            }
        }
        Bases { list, mapped }
    }

    /// `versionControlProvenance`: one entry per repository.
    fn provenance(&self, checkout: &Checkout) -> Vec<Value> {
        if checkout.working_dir.is_none() {
            return Vec::new();
        }
        checkout
            .repositories
            .iter()
            .zip(&self.mapped)
            .map(|(repo, mapped)| {
                let mut v = json!({
                    "repositoryUri": repo.uri,
                    "revisionId": repo.revision,
                });
                if let Some(branch) = &repo.branch {
                    v["branch"] = json!(branch);
                }
                v["mappedTo"] = mapped.clone();
                v
            })
            .collect()
    }

    /// `originalUriBaseIds`: each base relative to the innermost
    /// repository root it lies in, or as an absolute `file:` URI.
    fn original_uri_base_ids(&self) -> Map<String, Value> {
        let mut out = Map::new();
        for (id, dir) in &self.list {
            let parent = self
                .list
                .iter()
                .filter(|(other, d)| {
                    other != id && other != SRCROOT && dir.starts_with(d) && d != dir
                })
                .max_by_key(|(_, d)| d.components().count());
            let value = match parent {
                Some((parent, d)) => json!({
                    "uri": dir_reference(dir.strip_prefix(d).unwrap_or(dir)),
                    "uriBaseId": parent,
                }),
                None => json!({"uri": file_uri(dir, true)}),
            };
            out.insert(id.clone(), value);
        }
        out
    }

    /// The `artifactLocation` of `path` as the report shows it (relative
    /// to the working directory, or absolute): relative to the innermost
    /// base it lies in, else an absolute `file:` URI. Without a working
    /// directory, the path as it is.
    fn locate(&self, path: &str) -> Value {
        let Some((_, cwd)) = self.list.first() else {
            return json!({"uri": reference(path)});
        };
        let full = crate::text::paths::normalise_path(&cwd.join(path));
        let base = self
            .list
            .iter()
            .filter(|(_, d)| full.starts_with(d))
            .max_by_key(|(_, d)| d.components().count());
        match base {
            Some((id, d)) => json!({
                "uri": reference(&slashed(full.strip_prefix(d).unwrap_or(&full))),
                "uriBaseId": id,
            }),
            None => json!({"uri": file_uri(&full, false)}),
        }
    }
}

/// Whether every file with a finding is in one of the checkout's
/// repositories (by path, as the working directory reaches it).
fn in_repositories(checked: &[Checked<'_>], checkout: &Checkout) -> bool {
    let Some(cwd) = &checkout.working_dir else {
        return true;
    };
    let roots: Vec<PathBuf> = checkout
        .repositories
        .iter()
        .map(|r| crate::text::paths::normalise_path(&r.root))
        .collect();
    if roots.is_empty() {
        return true;
    }
    checked.iter().all(|c| {
        let mut last: Option<&str> = None;
        c.diagnostics.iter().all(|d| {
            // Findings come sorted by file: each file is looked at once.
            if last == Some(d.file.as_str()) {
                return true;
            }
            last = Some(&d.file);
            let full = crate::text::paths::normalise_path(&cwd.join(c.display_path(&d.file)));
            roots.iter().any(|root| full.starts_with(root))
        })
    })
}

/// A relative path's parts joined with `/`.
fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A relative directory as a URI reference ending in `/`.
fn dir_reference(dir: &Path) -> String {
    let mut out = reference(&slashed(dir));
    out.push('/');
    out
}

/// An absolute path as a `file:` URI (`file:///home/a%20b/x.md`), ending
/// in `/` when it is a directory.
fn file_uri(path: &Path, dir: bool) -> String {
    let mut out = String::from("file://");
    for c in path.components() {
        match c {
            Component::Prefix(p) => {
                // A drive (`C:`) keeps its colon.
                out.push('/');
                out.push_str(&p.as_os_str().to_string_lossy().replace('\\', "/"));
            }
            Component::RootDir => {}
            other => {
                out.push('/');
                out.push_str(&reference(&other.as_os_str().to_string_lossy()));
            }
        }
    }
    if dir || out == "file://" {
        out.push('/');
    }
    out
}

/// A relative URI reference: `/`-separated, with characters outside the
/// unreserved and path sets percent-encoded, and `:` too (a first segment
/// with a colon would read as a scheme).
fn reference(path: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const PATH: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'/')
        .remove(b'!')
        .remove(b'$')
        .remove(b'&')
        .remove(b'\'')
        .remove(b'(')
        .remove(b')')
        .remove(b'*')
        .remove(b'+')
        .remove(b',')
        .remove(b';')
        .remove(b'=')
        .remove(b'@');
    utf8_percent_encode(path, PATH).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::RuleId;
    use crate::report::checkout::Repository;

    /// A finding's regions as SARIF writes them.
    fn regions(d: &Diagnostic, columns: Option<&Columns>) -> (Value, Option<Value>) {
        let (region, context) = super::regions(d, columns);
        let json = |r: &Region<'_>| serde_json::to_value(r).unwrap_or_default();
        (json(&region), context.as_ref().map(json))
    }

    fn finding(line: &str, column: usize, end_column: usize) -> Diagnostic {
        let mut d = Diagnostic::at_line(RuleId::BrokenLink, "a.md", 7, "gone");
        d.column = column;
        d.end_column = end_column;
        d.source_line = Some(line.into());
        d
    }

    /// The characters of `line` in 1-based columns `from..to`.
    fn columns(line: &str, from: u64, to: u64) -> String {
        line.chars()
            .skip(from as usize - 1)
            .take((to - from) as usize)
            .collect()
    }

    #[test]
    fn uris_escape_spaces_and_keep_slashes() {
        assert_eq!(reference("docs/my file.md"), "docs/my%20file.md");
        assert_eq!(reference("a:b.md"), "a%3Ab.md");
    }

    #[test]
    fn a_short_line_is_the_context_of_its_region() {
        let line = "Read [the setup](setup.md) first.";
        let (region, context) = regions(&finding(line, 6, 27), None);
        assert_eq!(region["snippet"]["text"], "[the setup](setup.md)");
        assert_eq!(
            context.unwrap(),
            json!({"startLine": 7, "snippet": {"text": line}})
        );
        // A region that is the whole line has no larger context.
        let (region, context) = regions(&finding("abc", 1, 4), None);
        assert_eq!(region["snippet"]["text"], "abc");
        assert_eq!(context, None);
    }

    #[test]
    fn a_snippet_of_a_long_line_is_bounded_and_cut_between_characters() {
        // 1 MB of two-byte characters, a link, and more after it.
        let line = format!("{}[x](gone.md){}", "é".repeat(500_000), "ü".repeat(1000));
        let column = 500_001;
        let (region, context) = regions(&finding(&line, column, column + 12), None);
        // The same from the line's columns worked out once.
        let once = Columns::new(&line);
        assert_eq!(
            (region.clone(), context.clone()),
            regions(&finding(&line, column, column + 12), Some(&once))
        );
        assert_eq!(region["snippet"]["text"], "[x](gone.md)");
        let context = context.unwrap();
        let text = context["snippet"]["text"].as_str().unwrap();
        assert_eq!(text.chars().count(), SNIPPET_CHARS);
        assert!(text.contains("[x](gone.md)") && text.starts_with('é') && text.ends_with('ü'));
        let (from, to) = (
            context["startColumn"].as_u64().unwrap(),
            context["endColumn"].as_u64().unwrap(),
        );
        assert_eq!(to - from, SNIPPET_CHARS as u64);
        assert_eq!(columns(&line, from, to), text);
        // At the end of the line, the context is the characters before.
        let line = format!("{}[x](gone.md)", "ü".repeat(2000));
        let (_, context) = regions(&finding(&line, 2001, 2013), None);
        let context = context.unwrap();
        assert_eq!(context["startColumn"], 2013 - SNIPPET_CHARS as u64);
        assert_eq!(context["endColumn"], 2013);
        assert!(
            context["snippet"]["text"]
                .as_str()
                .unwrap()
                .ends_with("[x](gone.md)")
        );
    }

    #[test]
    fn no_snippet_for_a_region_too_long_past_its_line_or_over_lines() {
        let line = "x".repeat(2 * SNIPPET_CHARS);
        for d in [
            finding(&line, 1, SNIPPET_CHARS + 2),
            finding("short", 3, 20),
            {
                let mut d = finding("first line", 1, 3);
                d.end_line = 8;
                d
            },
        ] {
            let (region, context) = regions(&d, None);
            assert!(region.get("snippet").is_none(), "{region}");
            assert_eq!(context, None);
        }
    }

    #[test]
    fn the_short_description_is_the_first_sentence() {
        assert_eq!(
            first_sentence("A link to `a. b`. Suggests a file."),
            "A link to `a. b`."
        );
        assert_eq!(first_sentence("One sentence"), "One sentence");
    }

    fn checkout(cwd: &str, repos: &[&str]) -> Checkout {
        Checkout {
            working_dir: Some(cwd.into()),
            repositories: repos
                .iter()
                .map(|root| Repository {
                    root: root.into(),
                    uri: "https://example.com/o/r".into(),
                    revision: "0".repeat(40),
                    branch: None,
                })
                .collect(),
        }
    }

    #[cfg(unix)]
    #[test]
    fn paths_are_relative_to_the_working_directory_or_a_repository() {
        // The repository is the working directory.
        let b = Bases::of(&checkout("/w/my repo", &["/w/my repo"]));
        assert_eq!(b.mapped, [json!({"uriBaseId": "%SRCROOT%"})]);
        assert_eq!(
            Value::Object(b.original_uri_base_ids()),
            json!({"%SRCROOT%": {"uri": "file:///w/my%20repo/"}})
        );
        assert_eq!(
            b.locate("docs/a b.md"),
            json!({"uri": "docs/a%20b.md", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            b.locate("/elsewhere/a.md"),
            json!({"uri": "file:///elsewhere/a.md"})
        );
        // The working directory is inside the repository.
        let b = Bases::of(&checkout("/r/docs", &["/r"]));
        assert_eq!(b.mapped, [json!({"uriBaseId": "REPOROOT"})]);
        assert_eq!(
            Value::Object(b.original_uri_base_ids()),
            json!({
                "%SRCROOT%": {"uri": "docs/", "uriBaseId": "REPOROOT"},
                "REPOROOT": {"uri": "file:///r/"},
            })
        );
        assert_eq!(
            b.locate("../other/a.md"),
            json!({"uri": "other/a.md", "uriBaseId": "REPOROOT"})
        );
        // The repository is inside the working directory.
        let b = Bases::of(&checkout("/w", &["/w/guides/repo"]));
        assert_eq!(
            b.mapped,
            [json!({"uri": "guides/repo/", "uriBaseId": "%SRCROOT%"})]
        );
    }
}
