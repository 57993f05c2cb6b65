//! `summary-invalid`: SUMMARY.md exists and mdBook can read it.

use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::model::ProblemKind;
use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};

declare_rule! {
    /// SUMMARY.md cannot be read as an mdBook summary, or the book has none;
    /// chapters are then read in folder order.
    SummaryInvalid {
        id: "summary-invalid",
        default: Error,
        fails: Files(&[
            BOOK_TOML,
            Text(
                "src/SUMMARY.md",
                "# Summary\n\n- [Install](install.md)\n\n[Appendix](appendix.md)\n\n- [Configure](configure.md)\n",
            ),
            Text("src/install.md", "# Install\n"),
            Text("src/appendix.md", "# Appendix\n"),
            Text("src/configure.md", "# Configure\n"),
        ]),
        passes: Files(&[
            BOOK_TOML,
            Text(
                "src/SUMMARY.md",
                "# Summary\n\n- [Install](install.md)\n- [Configure](configure.md)\n\n[Appendix](appendix.md)\n",
            ),
            Text("src/install.md", "# Install\n"),
            Text("src/appendix.md", "# Appendix\n"),
            Text("src/configure.md", "# Configure\n"),
        ]),
    }
}

impl Check for SummaryInvalid {
    fn guide_reads(&self) -> Reads {
        Reads::PROBLEMS
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        let problems = cx.problems_of(ProblemKind::SummaryParse);
        for p in problems.chain(cx.problems_of(ProblemKind::SummaryMissing)) {
            out.push(Diagnostic::at_line(RuleId::SummaryInvalid, &p.file, p.line, p.message.clone()));
        }
    }
}
