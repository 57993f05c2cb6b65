//! `summary-invalid`: SUMMARY.md exists and mdBook can read it.

use crate::check::{Check, Diagnostic, GuideContext, RuleId};
use crate::model::ProblemKind;

declare_rule! {
    /// SUMMARY.md cannot be read as an mdBook summary, or the book has none;
    /// chapters are then read in folder order.
    SummaryInvalid {
        id: "summary-invalid",
        default: Error,
        fails: "- [Chapter](a.md)\n\n[Suffix](b.md)\n\n- [More](c.md)",
        passes: "- [Chapter](a.md)\n- [More](c.md)\n\n[Suffix](b.md)",
    }
}

impl Check for SummaryInvalid {
    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        let problems = cx.problems_of(ProblemKind::SummaryParse);
        for p in problems.chain(cx.problems_of(ProblemKind::SummaryMissing)) {
            out.push(Diagnostic::at_line(RuleId::SummaryInvalid, &p.file, p.line, p.message.clone()));
        }
    }
}
