//! `invalid-utf8`: a file that is not valid UTF-8, at its first bad byte.

use crate::check::{Check, Diagnostic, GuideContext, RuleId};
use crate::model::ProblemKind;

declare_rule! {
    /// A file that is not valid UTF-8. It is read with the bad bytes replaced.
    InvalidUtf8 {
        id: "invalid-utf8",
        default: Error,
        fails: "a chapter saved as Windows-1252",
        passes: "the same chapter saved as UTF-8",
    }
}

impl Check for InvalidUtf8 {
    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for p in cx.problems_of(ProblemKind::InvalidUtf8) {
            out.push(Diagnostic::of_problem(RuleId::InvalidUtf8, p));
        }
    }
}
