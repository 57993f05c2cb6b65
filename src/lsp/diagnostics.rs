//! Findings as the protocol's diagnostics: a range in the file's text, the
//! severity, the rule's id as the code with a link to its entry in the
//! rule reference, and the help after the message.

use super::documents::{Encoding, Text};
use super::workspace::Workspace;
use crate::check::{Diagnostic, Severity};
use lsp_types::{
    CodeDescription, DiagnosticSeverity, NumberOrString, Position, PublishDiagnosticsParams, Range,
};

/// The most diagnostics sent for one file: a file with more (a line of
/// sixty thousand broken links) gets these and a last one saying how many
/// more there are.
pub const MAX_PER_FILE: usize = 1000;

/// Where the rule reference is published: the repository's page, whose
/// headings are the rules' ids.
pub const RULES_PAGE: &str = concat!(
    env!("CARGO_PKG_REPOSITORY"),
    "/blob/main/docs/runsheet-rules.md"
);

/// The link to a rule's entry in the reference.
pub fn rule_link(id: &str) -> String {
    format!("{RULES_PAGE}#{id}")
}

/// The range a finding covers in `text` (`None`: a file that cannot be
/// read, whose lines are taken as they are). A finding on no text in
/// particular (a whole line's, at its first column) covers its line.
pub fn range(d: &Diagnostic, text: Option<&Text>, encoding: Encoding) -> Range {
    let Some(text) = text else {
        let at = |line: usize, column: usize| {
            Position::new(
                u32::try_from(line.saturating_sub(1)).unwrap_or(u32::MAX),
                u32::try_from(column.saturating_sub(1)).unwrap_or(u32::MAX),
            )
        };
        return Range::new(at(d.line, d.column), at(d.end_line, d.end_column));
    };
    let start = text.position_of_column(d.line, d.column, encoding);
    let mut end = text.position_of_column(d.end_line.max(d.line), d.end_column, encoding);
    if end <= start {
        end = text.line_end(start.line as usize, encoding);
    }
    Range::new(start, end.max(start))
}

/// One finding as a diagnostic.
pub fn to_lsp(d: &Diagnostic, text: Option<&Text>, encoding: Encoding) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    if let Some(help) = d.help.as_deref().filter(|h| !h.is_empty()) {
        message.push('\n');
        message.push_str(help);
    }
    lsp_types::Diagnostic {
        range: range(d, text, encoding),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.rule.as_str().to_string())),
        code_description: rule_link(d.rule.as_str())
            .parse()
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("runsheet".into()),
        message,
        related_information: None,
        tags: None,
        data: None,
    }
}

/// The diagnostics of `file` as they stand, for the client.
pub fn of_file(ws: &Workspace, file: &str) -> Option<PublishDiagnosticsParams> {
    let book = ws.book.as_ref()?;
    let uri = ws.uri_of(file)?.parse().ok()?;
    let found = book.findings(file);
    let text = if found.is_empty() {
        None
    } else {
        ws.text(file)
    };
    let mut diagnostics: Vec<lsp_types::Diagnostic> = found
        .iter()
        .take(MAX_PER_FILE)
        .map(|d| to_lsp(d, text.as_ref(), ws.encoding))
        .collect();
    if found.len() > MAX_PER_FILE {
        diagnostics.push(lsp_types::Diagnostic {
            range: Range::default(),
            severity: Some(DiagnosticSeverity::INFORMATION),
            source: Some("runsheet".into()),
            message: format!(
                "{} more findings in this file are not shown: `runsheet check` lists them all",
                found.len() - MAX_PER_FILE
            ),
            ..lsp_types::Diagnostic::default()
        });
    }
    Some(PublishDiagnosticsParams {
        uri,
        diagnostics,
        version: ws.document(file).map(|d| d.version),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::RuleId;
    use crate::text::Span;

    #[test]
    fn a_finding_is_a_range_with_its_rule_and_link() {
        let text = Text::new("# T\n\nSee [é](gone.md).\n".to_string());
        let span = Span {
            line: 3,
            column: 5,
            end_line: 3,
            end_column: 18,
            start: 0,
            end: 0,
        };
        let d = Diagnostic::at(RuleId::BrokenLink, "a.md", span, "gone").help("did you mean");
        let lsp = to_lsp(&d, Some(&text), Encoding::Utf16);
        assert_eq!(
            lsp.range,
            Range::new(Position::new(2, 4), Position::new(2, 17))
        );
        assert_eq!(lsp.message, "gone\ndid you mean");
        assert_eq!(lsp.code, Some(NumberOrString::String("broken-link".into())));
        assert_eq!(
            lsp.code_description.unwrap().href.as_str(),
            "https://github.com/runsheet/runsheet/blob/main/docs/runsheet-rules.md#broken-link"
        );
        let u8range = to_lsp(&d, Some(&text), Encoding::Utf8).range;
        assert_eq!(u8range.end, Position::new(2, 18));
    }

    #[test]
    fn a_finding_on_a_whole_line_covers_it() {
        let text = Text::new("---\ntitle: x\n---\n".to_string());
        let d = Diagnostic::at_line(RuleId::FrontMatterMissingKey, "a.md", 2, "m");
        let lsp = to_lsp(&d, Some(&text), Encoding::Utf16);
        assert_eq!(
            lsp.range,
            Range::new(Position::new(1, 0), Position::new(1, 8))
        );
    }
}
