//! Quick fixes: every fix `runsheet check --fix` can make, offered on its
//! finding, and one action that makes every fix of a rule in the file.
//!
//! A fix is a byte range of the text the check read and its replacement;
//! the check read the open document's text (without a byte order mark),
//! so the range is a range of the document.

use super::diagnostics;
use super::documents::Text;
use super::workspace::Workspace;
use crate::check::{Diagnostic, Fix};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Range, TextEdit,
    WorkspaceEdit,
};
use std::collections::{BTreeMap, HashMap};

/// The actions for the findings of the document at `params`' range.
pub fn code_actions(ws: &Workspace, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let uri = params.text_document.uri.as_str();
    let (Some(book), Some(file), Some(doc)) = (ws.book.as_ref(), ws.file_of(uri), ws.docs.get(uri))
    else {
        return Vec::new();
    };
    let text = &doc.text;
    // A text the check did not read (too large to check as typed) has no
    // fixes that fit it.
    if !doc.checked() {
        return Vec::new();
    }
    // The check reads a text without its byte order mark.
    let bom = if text.text.starts_with('\u{feff}') {
        3
    } else {
        0
    };
    let found: Vec<Diagnostic> = book
        .findings(&file)
        .into_iter()
        .map(|mut d| {
            if let Some(f) = &mut d.fix {
                f.start += bom;
                f.end += bom;
            }
            d
        })
        .collect();
    let fixable: Vec<(&Diagnostic, &Fix)> = found
        .iter()
        .filter_map(|d| d.fix.as_ref().map(|f| (d, f)))
        .filter(|(_, f)| {
            f.start <= f.end
                && text.text.is_char_boundary(f.start)
                && text.text.is_char_boundary(f.end)
        })
        .collect();
    let mut actions = Vec::new();
    let mut rules_here = BTreeMap::new();
    for (d, fix) in &fixable {
        let shown = diagnostics::to_lsp(d, Some(text), ws.encoding);
        if !overlaps(shown.range, params.range) {
            continue;
        }
        rules_here.insert(d.rule.as_str(), d.rule);
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: title(fix),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![shown]),
            edit: Some(edit(&params.text_document.uri, text, ws, [*fix])),
            is_preferred: Some(true),
            ..CodeAction::default()
        }));
    }
    for (id, rule) in rules_here {
        let all: Vec<&Fix> = fixable
            .iter()
            .filter(|(d, _)| d.rule == rule)
            .map(|(_, f)| *f)
            .collect();
        if all.len() < 2 {
            continue;
        }
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("Fix all {id} findings in this file ({})", all.len()),
            kind: Some(CodeActionKind::QUICKFIX),
            edit: Some(edit(&params.text_document.uri, text, ws, all)),
            ..CodeAction::default()
        }));
    }
    actions
}

/// What an action says it does.
fn title(fix: &Fix) -> String {
    let shown: String = fix.replacement.chars().take(80).collect();
    if fix.replacement.is_empty() {
        "Remove the text".into()
    } else {
        format!("Change to `{shown}`")
    }
}

/// The edit making `fixes` in the document: overlapping ones keep the
/// first, as `--fix` does.
fn edit<'f>(
    uri: &lsp_types::Uri,
    text: &Text,
    ws: &Workspace,
    fixes: impl IntoIterator<Item = &'f Fix>,
) -> WorkspaceEdit {
    let mut fixes: Vec<&Fix> = fixes.into_iter().collect();
    fixes.sort();
    fixes.dedup();
    let mut edits = Vec::new();
    let mut pos = 0;
    for f in fixes {
        if f.start < pos {
            continue;
        }
        edits.push(TextEdit {
            range: text.range(f.start, f.end, ws.encoding),
            new_text: f.replacement.clone(),
        });
        pos = f.end;
    }
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// Whether two ranges share a position (an empty range, a cursor, counts
/// where it stands).
fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}
