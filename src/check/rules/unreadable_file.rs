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
        for p in cx.problems_of(ProblemKind::UnreadableFile) {
            out.push(Diagnostic::of_problem(RuleId::UnreadableFile, p));
        }
    }
}
