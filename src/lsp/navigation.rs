//! Going from a link to what it names, from a heading to every link to it,
//! and renaming either end: a heading's new text gives it a new anchor,
//! and every link to the old one is edited (as marksman does); a variable
//! renamed is renamed in every chapter, in `variables.yaml` and in the
//! environment files that set it.

use super::documents::Text;
use super::hover::link_at;
use super::workspace::{At, Workspace};
use crate::check::index::Resolved;
use crate::model::{Chapter, Heading, Link};
use lsp_types::{
    GotoDefinitionParams, GotoDefinitionResponse, Location, PrepareRenameResponse, Range,
    ReferenceParams, RenameParams, TextDocumentPositionParams, TextEdit, WorkspaceEdit,
};
use std::collections::{BTreeMap, HashMap};

/// The most links a reference search or a rename gathers.
const MAX_LINKS: usize = 10_000;

pub fn definition(
    ws: &mut Workspace,
    params: GotoDefinitionParams,
) -> Option<GotoDefinitionResponse> {
    let place = &params.text_document_position_params;
    let at = ws.at(place.text_document.uri.as_str(), place.position)?;
    if let Some(p) = placeholder_at(&at) {
        let name = p.name.clone();
        let locations = variable_places(ws, &name);
        return (!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations));
    }
    let link = link_at(&at.chapter, at.offset)?;
    let (file, fragment) = link_target(ws, &at, link)?;
    let uri = ws.uri_of(&file)?.parse().ok()?;
    let range = fragment
        .and_then(|f| heading_place(ws, &file, &f))
        .unwrap_or_default();
    Some(GotoDefinitionResponse::Scalar(Location::new(uri, range)))
}

pub fn references(ws: &mut Workspace, params: ReferenceParams) -> Option<Vec<Location>> {
    let place = &params.text_document_position;
    let at = ws.at(place.text_document.uri.as_str(), place.position)?;
    let (file, anchor) = match heading_at(&at) {
        Some(h) => (at.file.clone(), h.anchor.clone()),
        None => {
            let link = link_at(&at.chapter, at.offset)?;
            let (file, fragment) = link_target(ws, &at, link)?;
            (file, fragment?)
        }
    };
    let mut out: Vec<Location> = Vec::new();
    if params.context.include_declaration
        && let Some(range) = heading_place(ws, &file, &anchor)
        && let Some(uri) = ws.uri_of(&file).and_then(|u| u.parse().ok())
    {
        out.push(Location::new(uri, range));
    }
    for (from, links) in links_to(ws, &file, &anchor) {
        let (Some(text), Some(uri)) = (
            ws.text(&from),
            ws.uri_of(&from)
                .and_then(|u| u.parse::<lsp_types::Uri>().ok()),
        ) else {
            continue;
        };
        for link in links {
            out.push(Location::new(
                uri.clone(),
                ws.range_in(&text, link.span.start, link.span.end),
            ));
        }
    }
    Some(out)
}

pub fn prepare_rename(
    ws: &mut Workspace,
    params: TextDocumentPositionParams,
) -> Option<PrepareRenameResponse> {
    let at = ws.at(params.text_document.uri.as_str(), params.position)?;
    let text = ws.docs.get(params.text_document.uri.as_str())?.text.clone();
    if let Some(p) = placeholder_at(&at) {
        let (start, end) = name_range(&text.text, p.span.start, p.span.end, &p.name)?;
        return Some(PrepareRenameResponse::RangeWithPlaceholder {
            range: ws.range_in(&text, start, end),
            placeholder: p.name.clone(),
        });
    }
    let h = heading_at(&at)?;
    let (start, end) = heading_text_range(&at.chapter, h)?;
    Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: ws.range_in(&text, start, end),
        placeholder: at.chapter.source.get(start..end)?.to_string(),
    })
}

/// The edit of a rename, or why there is none.
pub fn rename(ws: &mut Workspace, params: RenameParams) -> Result<Option<WorkspaceEdit>, String> {
    let place = &params.text_document_position;
    let uri = place.text_document.uri.as_str();
    let Some(at) = ws.at(uri, place.position) else {
        return Ok(None);
    };
    let new_name = params.new_name.trim();
    if let Some(p) = placeholder_at(&at) {
        let old = p.name.clone();
        return rename_variable(ws, &old, new_name).map(Some);
    }
    let Some(h) = heading_at(&at) else {
        return Ok(None);
    };
    let Some((start, end)) = heading_text_range(&at.chapter, h) else {
        return Ok(None);
    };
    if new_name.is_empty() || new_name.contains(['\n', '\r']) {
        return Err("a heading's text is one line, not empty".into());
    }
    let index = at
        .chapter
        .headings
        .iter()
        .position(|x| std::ptr::eq(x, h))
        .unwrap_or(0);
    let old_anchor = h.anchor.clone();
    // The anchor the new text gives, as the book's reading makes it.
    let mut new_text = at.chapter.source.to_string();
    new_text.replace_range(start..end, new_name);
    let new_anchor = ws
        .book
        .as_ref()
        .and_then(|b| b.read_chapter(&at.file, Some(&new_text)))
        .and_then(|c| c.headings.get(index).map(|h| h.anchor.clone()))
        .unwrap_or_else(|| old_anchor.clone());
    let mut edits: BTreeMap<String, Vec<TextEdit>> = BTreeMap::new();
    let doc_text = ws.docs.get(uri).map(|d| d.text.clone());
    if let Some(text) = &doc_text {
        edits.entry(at.file.clone()).or_default().push(TextEdit {
            range: ws.range_in(text, start, end),
            new_text: new_name.to_string(),
        });
    }
    if new_anchor != old_anchor {
        for (from, links) in links_to(ws, &at.file, &old_anchor) {
            let Some(text) = ws.text(&from) else {
                continue;
            };
            for link in links {
                if let Some(written) = link.fragment.filter(|r| r.start <= r.end) {
                    edits.entry(from.clone()).or_default().push(TextEdit {
                        range: ws.range_in(&text, written.start, written.end),
                        new_text: new_anchor.clone(),
                    });
                }
            }
        }
    }
    Ok(Some(workspace_edit(ws, edits)))
}

#[allow(
    clippy::mutable_key_type,
    reason = "lsp-types keys a WorkspaceEdit's changes by Uri, hashed by its text, which nothing changes"
)]
fn workspace_edit(ws: &Workspace, edits: BTreeMap<String, Vec<TextEdit>>) -> WorkspaceEdit {
    let mut changes = HashMap::new();
    for (file, mut list) in edits {
        let Some(uri) = ws.uri_of(&file).and_then(|u| u.parse().ok()) else {
            continue;
        };
        list.sort_by_key(|e| (e.range.start, e.range.end));
        list.dedup_by(|a, b| a.range == b.range);
        changes.insert(uri, list);
    }
    WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }
}

/// The placeholder at the place.
fn placeholder_at(at: &At) -> Option<&crate::model::Placeholder> {
    at.chapter
        .placeholders
        .iter()
        .find(|p| p.span.start <= at.offset && at.offset < p.span.end)
}

/// The heading whose line the place is on.
fn heading_at(at: &At) -> Option<&Heading> {
    let line = at.chapter.lines.line_of(at.offset);
    at.chapter
        .headings
        .iter()
        .find(|h| !h.tab && h.span.line <= line && line <= h.span.end_line.max(h.span.line))
}

/// The byte range of a heading's text in its line: after the `#`s, before
/// closing `#`s and a `{#id}`.
fn heading_text_range(chapter: &Chapter, h: &Heading) -> Option<(usize, usize)> {
    let line_start = chapter.lines.line_start(h.span.line);
    let line = chapter.line_text(h.span.line);
    let trimmed = line.trim_start_matches([' ', '\t']);
    let after_marks = trimmed.trim_start_matches('#');
    let atx = after_marks.len() < trimmed.len();
    let body = if atx {
        after_marks.trim_start_matches([' ', '\t'])
    } else {
        trimmed
    };
    let start = line_start + line.len() - body.len();
    let mut body_end = body.trim_end();
    if let Some(id) = &h.explicit_id
        && let Some(cut) = body_end.rfind(&format!("{{#{id}}}"))
    {
        body_end = body_end.get(..cut).unwrap_or(body_end).trim_end();
    }
    if atx {
        let closed = body_end.trim_end_matches('#');
        if closed.len() < body_end.len() && (closed.is_empty() || closed.ends_with([' ', '\t'])) {
            body_end = closed.trim_end();
        }
    }
    (start <= start + body_end.len()).then_some((start, start + body_end.len()))
}

/// The file and fragment a link leads to (the chapter itself for a bare
/// `#anchor`).
fn link_target(ws: &Workspace, at: &At, link: &Link) -> Option<(String, Option<String>)> {
    let fragment = link.fragment.clone().filter(|f| !f.is_empty());
    match ws.book.as_ref()?.target(&at.file, link) {
        Some(Resolved::File(path, _) | Resolved::CaseMismatch(path, _)) => {
            Some((path.to_string(), fragment))
        }
        None if link.path.is_empty() && fragment.is_some() => Some((at.file.clone(), fragment)),
        _ => None,
    }
}

/// The range of the heading with `anchor` in `file`.
fn heading_place(ws: &Workspace, file: &str, anchor: &str) -> Option<Range> {
    let chapter = ws.chapter(file)?;
    let h = chapter.headings.iter().find(|h| h.anchor == anchor)?;
    let text = ws.text(file)?;
    Some(ws.range_in(&text, h.span.start, h.span.end))
}

/// A link as a reference to an anchor: where it is written, and where its
/// fragment is (after its `#`), when known.
struct LinkPlace {
    span: crate::text::Span,
    fragment: Option<std::ops::Range<usize>>,
}

/// Every link to `anchor` in `file`, by the file it is written in: links
/// from other chapters (their digests), and the file's own.
fn links_to(ws: &Workspace, file: &str, anchor: &str) -> BTreeMap<String, Vec<LinkPlace>> {
    let mut out: BTreeMap<String, Vec<LinkPlace>> = BTreeMap::new();
    let Some(book) = ws.book.as_ref() else {
        return out;
    };
    let mut count = 0;
    for c in book.chapters() {
        for link in &c.fragment_links {
            if count >= MAX_LINKS {
                return out;
            }
            if *link.fragment == *anchor && book.file_at(link.target) == Some(file) {
                out.entry(c.path.clone()).or_default().push(LinkPlace {
                    span: link.span,
                    fragment: link.written.clone(),
                });
                count += 1;
            }
        }
    }
    if let Some(own) = ws.chapter(file) {
        for link in &own.links {
            let into_own = match book.target(file, link) {
                None => link.path.is_empty(),
                Some(Resolved::File(t, _) | Resolved::CaseMismatch(t, _)) => t == file,
                Some(_) => false,
            };
            if into_own && link.fragment.as_deref() == Some(anchor) {
                out.entry(file.to_string()).or_default().push(LinkPlace {
                    span: link.span,
                    fragment: crate::check::digest::fragment_written(link),
                });
            }
        }
    }
    out
}

/// The byte range of `name` inside the placeholder written at
/// `start..end` of `text`.
fn name_range(text: &str, start: usize, end: usize, name: &str) -> Option<(usize, usize)> {
    let written = text.get(start..end)?;
    let at = written.find(name)?;
    Some((start + at, start + at + name.len()))
}

/// Where a variable is declared and set: `variables.yaml`, then each
/// environment's file (and the layers under it).
fn variable_places(ws: &mut Workspace, key: &str) -> Vec<Location> {
    let Some(book) = ws.book.as_mut() else {
        return Vec::new();
    };
    let envs = book.environments();
    let mut origins = Vec::new();
    if let Some(v) = envs.declarations.as_ref().and_then(|d| d.get(key)) {
        origins.push(v.origin.clone());
    }
    for env in &envs.environments {
        for leaf in env.explain(key).map(|e| e.leaves).unwrap_or_default() {
            if leaf.derived.is_none() {
                origins.push(leaf.origin.clone());
            }
            origins.extend(leaf.overrides.iter().map(|(o, _)| o.clone()));
        }
    }
    let mut out: Vec<Location> = Vec::new();
    for origin in origins {
        if let Some(l) = ws.origin(&origin)
            && !out.contains(&l)
        {
            out.push(l);
        }
    }
    out
}

/// Rename a variable: in every chapter, its declaration, and the keys
/// that set it.
fn rename_variable(ws: &mut Workspace, old: &str, new: &str) -> Result<WorkspaceEdit, String> {
    if !crate::placeholder::is_dotted_identifier(new) {
        return Err(format!(
            "`{new}` is not a variable's name: letters, digits and `_`, in parts joined by `.`"
        ));
    }
    let (old_parent, old_last) = old.rsplit_once('.').unwrap_or(("", old));
    let (new_parent, new_last) = new.rsplit_once('.').unwrap_or(("", new));
    if old_parent != new_parent {
        return Err(format!(
            "a rename changes the last part of the key only: `{old}` can become `{old_parent}{}…`, not `{new}`",
            if old_parent.is_empty() { "" } else { "." }
        ));
    }
    let mut edits: BTreeMap<String, Vec<TextEdit>> = BTreeMap::new();
    // Every chapter that writes the placeholder.
    let uses: Vec<(String, Vec<(usize, usize)>)> = ws
        .book
        .as_ref()
        .map(|b| {
            b.chapters()
                .iter()
                .filter(|c| c.placeholders.iter().any(|p| p.name == old))
                .map(|c| {
                    let spans = c
                        .placeholders
                        .iter()
                        .filter(|p| p.name == old)
                        .map(|p| (p.span.start, p.span.end))
                        .collect();
                    (c.path.clone(), spans)
                })
                .collect()
        })
        .unwrap_or_default();
    for (file, spans) in uses {
        let Some(text) = ws.text(&file) else {
            continue;
        };
        let bom = super::workspace::bom_of(&text.text);
        for (start, end) in spans {
            if let Some((a, b)) = name_range(&text.text, start + bom, end + bom, old) {
                edits.entry(file.clone()).or_default().push(TextEdit {
                    range: text.range(a, b, ws.encoding),
                    new_text: new.to_string(),
                });
            }
        }
    }
    // The declaration and the keys that set it.
    let Some(book) = ws.book.as_mut() else {
        return Ok(workspace_edit(ws, edits));
    };
    let envs = book.environments();
    let mut keys: Vec<(crate::yaml::Origin, &str, &str)> = Vec::new();
    if let Some(v) = envs.declarations.as_ref().and_then(|d| d.get(old)) {
        keys.push((v.origin.clone(), old, new));
    }
    for env in &envs.environments {
        for leaf in env.explain(old).map(|e| e.leaves).unwrap_or_default() {
            if leaf.derived.is_none() && leaf.key.ends_with(old) {
                keys.push((leaf.origin.clone(), old_last, new_last));
            }
            for (o, _) in &leaf.overrides {
                keys.push((o.clone(), old_last, new_last));
            }
        }
    }
    let root = ws.root().to_path_buf();
    for (origin, from, to) in keys {
        let crate::yaml::Source::File(shown) = &origin.source else {
            continue;
        };
        let path = root.join(shown.as_ref());
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let text = Text::new(text);
        let Some(line) = origin.line.checked_sub(1) else {
            continue;
        };
        let line_text = text.line(line);
        // The key before the value's column, followed by `:`.
        let value_at = line_text
            .char_indices()
            .nth(origin.column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i);
        let before = line_text.get(..value_at).unwrap_or(line_text);
        let key = format!("{from}:");
        // A declaration's place is its key's; a value's is the value's,
        // after its key.
        let key_at = if line_text
            .get(value_at..)
            .is_some_and(|t| t.starts_with(&key))
        {
            Some(value_at)
        } else {
            before.rfind(&key)
        };
        let Some(key_at) = key_at else {
            continue;
        };
        let line_start = text.offset(lsp_types::Position::new(line as u32, 0), ws.encoding);
        let file = ws
            .file_of(&super::uri::from_path(&path))
            .unwrap_or_else(|| shown.to_string());
        edits.entry(file).or_default().push(TextEdit {
            range: text.range(
                line_start + key_at,
                line_start + key_at + from.len(),
                ws.encoding,
            ),
            new_text: to.to_string(),
        });
    }
    // The derivations that read it, in the declarations file.
    let derived_from = envs.declarations.as_ref().filter(|d| {
        d.variables
            .values()
            .any(|v| v.inputs.iter().any(|i| i == old))
    });
    if let Some(d) = derived_from
        && let Ok(text) = std::fs::read_to_string(root.join(&d.file))
    {
        let text = Text::new(text);
        let file = ws
            .file_of(&super::uri::from_path(&root.join(&d.file)))
            .unwrap_or_else(|| d.file.clone());
        for line in 0..text.lines() {
            let written = text.line(line);
            if !written.trim_start().starts_with("derive:") {
                continue;
            }
            let line_start = text.offset(
                lsp_types::Position::new(u32::try_from(line).unwrap_or(u32::MAX), 0),
                ws.encoding,
            );
            for (at, _) in written.match_indices(old) {
                let part = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
                let before = written.get(..at).and_then(|b| b.chars().next_back());
                let after = written.get(at + old.len()..).and_then(|a| a.chars().next());
                if before.is_some_and(part) || after.is_some_and(part) {
                    continue;
                }
                edits.entry(file.clone()).or_default().push(TextEdit {
                    range: text.range(line_start + at, line_start + at + old.len(), ws.encoding),
                    new_text: new.to_string(),
                });
            }
        }
    }
    Ok(workspace_edit(ws, edits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn chapter(text: &str) -> Chapter {
        crate::markdown::parse_chapter(
            "a.md",
            Arc::new(text.to_string()),
            0,
            crate::slug::Flavour::Mdbook,
        )
        .0
    }

    #[test]
    fn a_headings_text_is_between_its_marks_and_its_id() {
        for (text, want) in [
            ("# Install SQL\n", "Install SQL"),
            ("## Install SQL ##\n", "Install SQL"),
            ("  ### Install {#sql}\n", "Install"),
            ("Install SQL\n===\n", "Install SQL"),
        ] {
            let c = chapter(text);
            let (a, b) = heading_text_range(&c, &c.headings[0]).unwrap();
            assert_eq!(&c.source[a..b], want, "{text}");
        }
    }
}
