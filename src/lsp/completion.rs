//! Completion: after `](` the book's files as paths from the document's
//! folder, after `#` the anchors of the file the link names (or of the
//! document), inside `{{ }}` the declared variables with their
//! descriptions.

use super::workspace::Workspace;
use crate::check::index::Resolved;
use crate::model::{Link, LinkKind};
use crate::text::Span;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionParams, CompletionResponse,
    CompletionTextEdit, Documentation, TextEdit,
};

/// The most items offered at once; the list says it is incomplete, and
/// the client asks again as more is typed.
pub const MAX_ITEMS: usize = 200;

/// The most bytes of a line read back from the cursor.
const MAX_PREFIX: usize = 4096;

pub fn completion(ws: &mut Workspace, params: CompletionParams) -> Option<CompletionResponse> {
    let place = &params.text_document_position;
    let uri = place.text_document.uri.as_str();
    let file = ws.file_of(uri)?;
    let doc = ws.docs.get(uri)?;
    let offset = doc.text.offset(place.position, ws.encoding);
    let line_start = doc.text.offset(
        lsp_types::Position::new(place.position.line, 0),
        ws.encoding,
    );
    let mut from = line_start.max(offset.saturating_sub(MAX_PREFIX));
    while !doc.text.text.is_char_boundary(from) {
        from += 1;
    }
    let prefix = doc.text.text.get(from..offset)?.to_string();
    let after = doc
        .text
        .text
        .get(offset..)?
        .chars()
        .take(8)
        .collect::<String>();
    let text = doc.text.clone();
    let encoding = ws.encoding;
    let replace = |start: usize| text.range(start, offset, encoding);

    // Inside `{{ }}`.
    if let Some(open) = prefix.rfind("{{")
        && !prefix.get(open..).is_some_and(|p| p.contains("}}"))
    {
        let typed = prefix.get(open + 2..).unwrap_or("");
        let partial = typed.trim_start();
        if partial
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        {
            let start = offset - partial.len();
            let close = if after.trim_start().starts_with("}}") {
                ""
            } else {
                " }}"
            };
            let lead = if typed.len() == partial.len() {
                " "
            } else {
                ""
            };
            return Some(variables(ws, partial, replace(start), close, lead));
        }
    }
    // A link's destination.
    let open = prefix.rfind("](")?;
    let typed = prefix.get(open + 2..)?;
    if typed.contains([')', ' ', '\t', '<']) {
        return None;
    }
    let start = offset - typed.len();
    match typed.split_once('#') {
        Some((path, partial)) => {
            let fragment_start = start + path.len() + 1;
            anchors(ws, &file, path, partial, replace(fragment_start))
        }
        None => Some(paths(ws, &file, typed, replace(start))),
    }
}

fn list(items: Vec<CompletionItem>, incomplete: bool) -> CompletionResponse {
    CompletionResponse::List(CompletionList {
        is_incomplete: incomplete,
        items,
    })
}

/// The declared variables.
fn variables(
    ws: &mut Workspace,
    partial: &str,
    range: lsp_types::Range,
    close: &str,
    lead: &str,
) -> CompletionResponse {
    let Some(book) = ws.book.as_mut() else {
        return list(Vec::new(), false);
    };
    let envs = book.environments();
    let Some(declarations) = envs.declarations.as_ref() else {
        return list(Vec::new(), false);
    };
    let items: Vec<CompletionItem> = declarations
        .variables
        .values()
        .filter(|v| v.key.starts_with(partial))
        .take(MAX_ITEMS)
        .map(|v| CompletionItem {
            label: v.key.clone(),
            kind: Some(CompletionItemKind::VARIABLE),
            detail: Some(v.expected()),
            documentation: Some(Documentation::String(v.spec.description.clone())),
            filter_text: Some(v.key.clone()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range,
                new_text: format!("{lead}{}{close}", v.key),
            })),
            ..CompletionItem::default()
        })
        .collect();
    let incomplete = items.len() >= MAX_ITEMS;
    list(items, incomplete)
}

/// The book's files as paths from `file`'s folder.
fn paths(ws: &Workspace, file: &str, typed: &str, range: lsp_types::Range) -> CompletionResponse {
    let Some(book) = ws.book.as_ref() else {
        return list(Vec::new(), false);
    };
    let wanted = typed.to_lowercase();
    let mut items = Vec::new();
    let mut incomplete = false;
    for f in book.files() {
        let rel = crate::text::paths::relative(file, f);
        if !rel.to_lowercase().contains(&wanted) {
            continue;
        }
        if items.len() >= MAX_ITEMS {
            incomplete = true;
            break;
        }
        let written = rel.replace(' ', "%20");
        let title = book.chapter(f).and_then(|c| c.titles.first().cloned());
        items.push(CompletionItem {
            label: written.clone(),
            kind: Some(CompletionItemKind::FILE),
            detail: title,
            filter_text: Some(written.clone()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range,
                new_text: written,
            })),
            ..CompletionItem::default()
        });
    }
    list(items, incomplete)
}

/// The anchors of the file `path` (written in `file`; the document itself
/// when empty).
fn anchors(
    ws: &Workspace,
    file: &str,
    path: &str,
    partial: &str,
    range: lsp_types::Range,
) -> Option<CompletionResponse> {
    let book = ws.book.as_ref()?;
    let target = if path.is_empty() {
        file.to_string()
    } else {
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .into_owned();
        let link = Link {
            kind: LinkKind::Inline,
            destination: path.to_string(),
            path: decoded,
            fragment: None,
            text: String::new(),
            span: Span {
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
                start: 0,
                end: 0,
            },
            dest_span: None,
            dest_path_end: None,
            dest_fragment_start: None,
        };
        match book.target(file, &link)? {
            Resolved::File(t, _) | Resolved::CaseMismatch(t, _) => t.to_string(),
            _ => return None,
        }
    };
    let chapter = ws.chapter(&target)?;
    let items: Vec<CompletionItem> = chapter
        .headings
        .iter()
        .filter(|h| !h.tab && h.anchor.starts_with(partial))
        .map(|h| (h.anchor.clone(), Some(h.text.clone())))
        .chain(
            chapter
                .html_anchors
                .iter()
                .filter(|a| a.id.starts_with(partial))
                .map(|a| (a.id.clone(), None)),
        )
        .take(MAX_ITEMS)
        .map(|(anchor, heading)| CompletionItem {
            label: anchor.clone(),
            kind: Some(CompletionItemKind::REFERENCE),
            detail: heading,
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range,
                new_text: anchor,
            })),
            ..CompletionItem::default()
        })
        .collect();
    let incomplete = items.len() >= MAX_ITEMS;
    Some(list(items, incomplete))
}
