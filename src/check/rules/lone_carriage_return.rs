//! `lone-carriage-return`: lines that end in a carriage return alone.

use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::model::ProblemKind;
use crate::check::rules::{Example::Files, File::Bytes};

declare_rule! {
    /// A chapter whose lines end in a lone carriage return (CR, as old Mac
    /// editors saved them). mdBook and GitHub read such a file as one long
    /// line: its headings, links and steps vanish. runsheet reads the CRs
    /// as line breaks, checks the chapter, and says so; `--fix` leaves the
    /// file alone. Save it with LF or CRLF line endings.
    LoneCarriageReturn {
        id: "lone-carriage-return",
        default: Warning,
        fails: Files(&[Bytes("old.md", b"# Old notes\r\rSee the setup.\r")]),
        passes: Files(&[Bytes("old.md", b"# Old notes\r\n\r\nSee the setup.\r\n")]),
    }
}

impl Check for LoneCarriageReturn {
    fn guide_reads(&self) -> Reads {
        Reads::PROBLEMS
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for p in cx.problems_of(ProblemKind::LoneCarriageReturn) {
            out.push(Diagnostic::of_problem(RuleId::LoneCarriageReturn, p));
        }
    }
}
