//! `profile-type-unknown`: every row of a run-profile table names a step
//! type the Synchronization Service offers.

use crate::check::{ChapterContext, Diagnostic};
use crate::mim::StepType;
use crate::model::Chapter;

pub fn check(_cx: &ChapterContext<'_>, chapter: &Chapter, out: &mut Vec<Diagnostic>) {
    for p in &chapter.profiles {
        let Err(unknown) = StepType::read(&p.step_type) else {
            continue;
        };
        let mut d = Diagnostic::at(
            "profile-type-unknown",
            &chapter.path,
            p.type_span,
            unknown.message(&p.name, &p.step_type),
        )
        .help(unknown.help());
        if let Some(t) = unknown.likely {
            d = d.suggest(t.label());
        }
        out.push(d);
    }
}
