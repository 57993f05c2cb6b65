//! `front-matter-invalid`: front matter that is not valid YAML, at the line
//! the YAML reader stopped at.

use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::model::ProblemKind;
use crate::check::rules::Example::Markdown;

declare_rule! {
    /// Front matter that is not valid YAML; its keys cannot be read.
    FrontMatterInvalid {
        id: "front-matter-invalid",
        default: Error,
        fails: Markdown("---\ntitle: [Preview] Install SQL Server\ndescription: Install SQL Server 2019 with the features MIM needs, as the account MIM setup uses later.\nauthor: jdoe\nms.date: 04/15/2024\nms.topic: how-to\n---\n\n# Install SQL Server\n"),
        passes: Markdown("---\ntitle: \"[Preview] Install SQL Server\"\ndescription: Install SQL Server 2019 with the features MIM needs, as the account MIM setup uses later.\nauthor: jdoe\nms.date: 04/15/2024\nms.topic: how-to\n---\n\n# Install SQL Server\n"),
    }
}

impl Check for FrontMatterInvalid {
    fn guide_reads(&self) -> Reads {
        Reads::PROBLEMS
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for p in cx.problems_of(ProblemKind::FrontMatterYaml) {
            out.push(Diagnostic::of_problem(RuleId::FrontMatterInvalid, p));
        }
    }
}
