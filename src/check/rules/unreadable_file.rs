//! `unreadable-file`: a file that exists but cannot be read.

use crate::check::{Check, Diagnostic, GuideContext, RuleId};
use crate::model::ProblemKind;

declare_rule! {
    /// A file that exists but cannot be read.
    UnreadableFile {
        id: "unreadable-file",
        default: Error,
        fails: "a chapter without read permission",
        passes: "a readable chapter",
    }
}

impl Check for UnreadableFile {
    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for p in cx.problems.iter().filter(|p| p.kind == ProblemKind::UnreadableFile) {
            let mut d = Diagnostic::at_line(RuleId::UnreadableFile, &p.file, p.line, p.message.clone());
            d.column = p.column;
            d.end_column = p.column;
            out.push(d);
        }
    }
}
