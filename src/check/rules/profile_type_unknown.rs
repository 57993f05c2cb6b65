//! `profile-type-unknown`: every row of a run-profile table names a step
//! type the Synchronization Service offers.

use crate::check::{ChapterContext, Check, Diagnostic, RuleId};
use crate::mim::StepType;
use crate::check::rules::Example::Markdown;

declare_rule! {
    /// A row of a run-profile table whose Type is not a MIM run-profile step
    /// type. Suggests the closest type.
    ProfileTypeUnknown {
        id: "profile-type-unknown",
        default: Error,
        fails: Markdown("## Run profiles\n\n| Name | Type |\n|---|---|\n| Nightly | Full Import |\n"),
        passes: Markdown("## Run profiles\n\n| Name | Type |\n|---|---|\n| Nightly | Full Import (Stage Only) |\n"),
    }
}

impl Check for ProfileTypeUnknown {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let chapter = cx.chapter;
        for p in &chapter.profiles {
            let Err(unknown) = StepType::read(&p.step_type) else {
                continue;
            };
            let mut d = Diagnostic::at(
                RuleId::ProfileTypeUnknown,
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
}
