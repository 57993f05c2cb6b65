//! `unreadable-file`: a file that exists but cannot be read.

use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::model::ProblemKind;
use crate::check::rules::{Example::Files, File::{Text, Unreadable}};

declare_rule! {
    /// A file that exists but cannot be read.
    UnreadableFile {
        id: "unreadable-file",
        default: Error,
        fails: Files(&[Unreadable("install.md", "# Install\n")]),
        passes: Files(&[Text("install.md", "# Install\n")]),
    }
}

impl Check for UnreadableFile {
    fn guide_reads(&self) -> Reads {
        Reads::PROBLEMS
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for p in cx.problems_of(ProblemKind::UnreadableFile) {
            out.push(Diagnostic::of_problem(RuleId::UnreadableFile, p));
        }
    }
}
