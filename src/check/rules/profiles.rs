//! `profile-type-unknown`: every row of a run-profile table names a step
//! type the Synchronization Service offers.

use crate::check::{Context, Diagnostic};
use crate::mim::StepType;
use crate::model::Chapter;

pub fn check(_cx: &Context<'_>, chapter: &Chapter, out: &mut Vec<Diagnostic>) {
    for p in &chapter.profiles {
        if StepType::parse(&p.step_type).is_some() {
            continue;
        }
        let mut d = Diagnostic::at(
            "profile-type-unknown",
            &chapter.path,
            p.type_span,
            format!(
                "run profile `{}` has type `{}`, which is not a MIM run-profile step type",
                p.name, p.step_type
            ),
        );
        d = match StepType::closest(&p.step_type) {
            Some(t) => d
                .help(format!("did you mean `{}`?", t.label()))
                .suggest(t.label()),
            None => d.help(format!(
                "the step types are: {}",
                StepType::ALL
                    .iter()
                    .map(|t| t.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        out.push(d);
    }
}
