//! Input that could not be read as written: a file that is not UTF-8 or
//! cannot be read, front matter that is not YAML, a SUMMARY that mdBook
//! cannot read or whose entries have no file. Reading goes on past each.

use serde::Serialize;

/// Something wrong with the input that stopped a part of it being read.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub kind: ProblemKind,
    /// Relative to the source folder.
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// What kind of problem: serialised as a stable id (`invalid-utf8`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// A file that is not valid UTF-8 (read with the bad bytes replaced).
    InvalidUtf8,
    /// A file that exists but cannot be read.
    UnreadableFile,
    /// Front matter that is not valid YAML.
    FrontMatterYaml,
    /// SUMMARY.md that mdBook cannot read.
    SummaryParse,
    /// A book without SUMMARY.md.
    SummaryMissing,
    /// A SUMMARY entry whose file does not exist.
    SummaryMissingFile,
    /// A symbolic link that leads out of the checked folder: not read.
    SymlinkOutsideRoot,
    /// Lines ending in a lone carriage return, read as line breaks.
    LoneCarriageReturn,
}

impl ProblemKind {
    /// The stable id.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::InvalidUtf8 => "invalid-utf8",
            ProblemKind::UnreadableFile => "unreadable-file",
            ProblemKind::FrontMatterYaml => "front-matter-yaml",
            ProblemKind::SummaryParse => "summary-parse",
            ProblemKind::SummaryMissing => "summary-missing",
            ProblemKind::SummaryMissingFile => "summary-missing-file",
            ProblemKind::SymlinkOutsideRoot => "symlink-outside-root",
            ProblemKind::LoneCarriageReturn => "lone-carriage-return",
        }
    }
}

impl std::fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
