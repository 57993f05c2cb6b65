//! `invalid-utf8`: a file that is not valid UTF-8, at its first bad byte.

use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::model::ProblemKind;
use crate::check::rules::{Example::Files, File::{Bytes, Text}};

declare_rule! {
    /// A file that is not valid UTF-8. It is read with the bad bytes replaced.
    InvalidUtf8 {
        id: "invalid-utf8",
        default: Error,
        fails: Files(&[Bytes(
            "install.md",
            b"# Install\n\nSign in to the MIM server \x96 as the installer.\n",
        )]),
        passes: Files(&[Text(
            "install.md",
            "# Install\n\nSign in to the MIM server – as the installer.\n",
        )]),
    }
}

impl Check for InvalidUtf8 {
    fn guide_reads(&self) -> Reads {
        Reads::PROBLEMS
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for p in cx.problems_of(ProblemKind::InvalidUtf8) {
            out.push(Diagnostic::of_problem(RuleId::InvalidUtf8, p));
        }
    }
}
