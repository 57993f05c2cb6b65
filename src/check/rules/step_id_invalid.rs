//! `step-id-invalid`: an id an author wrote into a step
//! (`<!-- runsheet-step: ID -->`) that cannot be a step id, or that
//! another step of the chapter has too: `runsheet render` refuses both,
//! since progress is kept by step id.

use crate::check::{ChapterContext, Check, Diagnostic, RuleId};

declare_rule! {
    /// A step id written into a step (`<!-- runsheet-step: ID -->`) that is not lower-case
    /// letters, digits and single `-` (at most 64 characters), or that two steps of a
    /// chapter share.
    StepIdInvalid {
        id: "step-id-invalid",
        default: Error,
        fails: crate::check::rules::Example::Markdown(
            "# Guests\n\n1. Create the OU. <!-- runsheet-step: create-ou -->\n2. Move the guests. <!-- runsheet-step: create-ou -->\n",
        ),
        passes: crate::check::rules::Example::Markdown(
            "# Guests\n\n1. Create the OU. <!-- runsheet-step: create-ou -->\n2. Move the guests. <!-- runsheet-step: move-guests -->\n",
        ),
    }
}

impl Check for StepIdInvalid {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let c = cx.chapter;
        for (line, message) in crate::slug::step::written_id_problems(
            c.steps.iter().map(|s| (s.line, s.markdown.as_str())),
        ) {
            out.push(
                Diagnostic::at_line(RuleId::StepIdInvalid, &c.path, line, message)
                    .help("write an id of lower-case letters, digits and `-`, one of its own for each step"),
            );
        }
    }
}
