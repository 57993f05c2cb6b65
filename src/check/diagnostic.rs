//! What a rule reports: one finding at one place, with an optional fix.

use super::RuleId;
use crate::text::Span;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A byte-range replacement in one file's text (offsets into the text after
/// any BOM, as the model holds it).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Fix {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub rule: RuleId,
    pub severity: Severity,
    /// Relative to the book's source folder, `/`-separated.
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
    /// The replacement text a fix would write, if there is one answer.
    pub suggestion: Option<String>,
    /// A longer hint for people ("did you mean …", "rename the file …").
    #[serde(skip)]
    pub help: Option<String>,
    #[serde(skip)]
    pub fix: Option<Fix>,
    /// The other file the finding is about, from the source folder: the
    /// file a link leads to (or would, when it is missing). A change to
    /// that file can make or mend the finding.
    #[serde(skip)]
    pub target: Option<String>,
    /// The text of `line`, for showing the finding in context; shared by
    /// the findings on the same line.
    #[serde(skip)]
    pub source_line: Option<std::sync::Arc<str>>,
    /// A fix that stands only if a link's text agrees with the title of
    /// the file it would lead to, which the guide pass knows.
    #[serde(skip)]
    pub confirm: Option<Box<Confirm>>,
    /// Findings of one rule with the same key are one mistake made in many
    /// places (a folder's name written with the wrong case in every link
    /// into it): the guide pass keeps the first, in report order, and
    /// moves the others into its `repeats`.
    #[serde(skip)]
    pub fold: Option<Box<Fold>>,
    /// The further places of a folded finding (see `fold`), in report
    /// order. They are not reported, but counted, and `--fix` mends them
    /// with the finding.
    #[serde(skip)]
    pub repeats: Vec<Repeat>,
}

/// What findings reported once for many share: a key, and what the kept
/// one adds to its message, given how many more there are and the key.
#[derive(Debug, Clone)]
pub struct Fold {
    pub key: String,
    pub note: fn(usize, &str) -> String,
}

/// One further place of a folded finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub fix: Option<Fix>,
    /// The file the link leads to (see [`Diagnostic::target`]).
    pub target: Option<String>,
}

/// What a fix waits on: the link's `text` must agree with the title of
/// `target` (see [`super::edits::text_agrees`]).
#[derive(Debug, Clone)]
pub struct Confirm {
    pub text: String,
    pub target: String,
}

impl Diagnostic {
    /// A finding at a span of a chapter.
    pub fn at(rule: RuleId, file: &str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: Severity::Error,
            file: file.to_string(),
            line: span.line,
            column: span.column,
            end_line: span.end_line,
            end_column: span.end_column,
            message: message.into(),
            suggestion: None,
            help: None,
            fix: None,
            target: None,
            source_line: None,
            confirm: None,
            fold: None,
            repeats: Vec::new(),
        }
    }

    /// A finding on a whole line (no better span is known).
    pub fn at_line(rule: RuleId, file: &str, line: usize, message: impl Into<String>) -> Self {
        let span = Span {
            line,
            column: 1,
            end_line: line,
            end_column: 1,
            start: 0,
            end: 0,
        };
        Diagnostic::at(rule, file, span, message)
    }

    /// A finding at the place of a problem met while reading.
    pub fn of_problem(rule: RuleId, p: &crate::model::Problem) -> Self {
        let mut d = Diagnostic::at_line(rule, &p.file, p.line, p.message.clone());
        d.column = p.column;
        d.end_column = p.column;
        d
    }

    /// The file the finding is about besides its own (see [`Diagnostic::target`]).
    pub fn about(mut self, target: &str) -> Self {
        self.target = Some(target.to_string());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Offer a fix: replace `start..end` with `replacement`; the suggestion
    /// shown is the replacement.
    pub fn fix(mut self, start: usize, end: usize, replacement: impl Into<String>) -> Self {
        let replacement = replacement.into();
        self.suggestion = Some(replacement.clone());
        self.fix = Some(Fix {
            start,
            end,
            replacement,
        });
        self
    }

    /// Keep the fix only if the link's `text` agrees with the title of the
    /// file `target` (checked once every chapter is read).
    pub fn confirm_text(mut self, text: &str, target: &str) -> Self {
        self.confirm = Some(Box::new(Confirm {
            text: text.to_string(),
            target: target.to_string(),
        }));
        self
    }

    /// Report this finding once with the others of its rule that have the
    /// same `key` (see [`Diagnostic::fold`]); `note` says what the kept one
    /// adds to its message, given how many more there are and the key.
    pub fn fold(mut self, key: impl Into<String>, note: fn(usize, &str) -> String) -> Self {
        self.fold = Some(Box::new(Fold {
            key: key.into(),
            note,
        }));
        self
    }

    /// Every fix this finding carries, with the file each edits: its own
    /// and its repeats'.
    pub fn fixes(&self) -> impl Iterator<Item = (&str, &Fix)> {
        self.fix.iter().map(|f| (self.file.as_str(), f)).chain(
            self.repeats
                .iter()
                .filter_map(|r| r.fix.as_ref().map(|f| (r.file.as_str(), f))),
        )
    }

    /// A suggested replacement that is not safe to apply by itself.
    pub fn suggest(mut self, replacement: impl Into<String>) -> Self {
        self.suggestion = Some(replacement.into());
        self
    }

    /// The order findings are reported in: file, line, column, rule,
    /// message.
    pub(crate) fn sort_key(&self) -> (&str, usize, usize, &'static str, &str) {
        (
            &self.file,
            self.line,
            self.column,
            self.rule.as_str(),
            &self.message,
        )
    }
}
