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
        for p in cx.problems.iter().filter(|p| p.kind == ProblemKind::FrontMatterYaml) {
            let mut d = Diagnostic::at_line(RuleId::FrontMatterInvalid, &p.file, p.line, p.message.clone());
            d.column = p.column;
            d.end_column = p.column;
            out.push(d);
        }
    }
}
