//! `front-matter-invalid`: front matter that is not valid YAML, at the line
//! the YAML reader stopped at.

use crate::check::{Check, Diagnostic, GuideContext, RuleId};
use crate::model::ProblemKind;

declare_rule! {
    /// Front matter that is not valid YAML; its keys cannot be read.
    FrontMatterInvalid {
        id: "front-matter-invalid",
        default: Error,
        fails: "---\ntitle: [Install\n---",
        passes: "---\ntitle: \"[Install]\"\n---",
    }
}

impl Check for FrontMatterInvalid {
    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for p in cx.problems_of(ProblemKind::FrontMatterYaml) {
            out.push(Diagnostic::of_problem(RuleId::FrontMatterInvalid, p));
        }
    }
}
