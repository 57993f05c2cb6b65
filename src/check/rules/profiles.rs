//! `profile-type-unknown`: every row of a run-profile table names a step
//! type the Synchronization Service offers.

use crate::check::{ChapterContext, Diagnostic};
use crate::mim::StepType;
use crate::model::Chapter;

pub fn check(_cx: &ChapterContext<'_>, chapter: &Chapter, out: &mut Vec<Diagnostic>) {
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
        d = match likely_type(&p.step_type) {
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

/// The step type a wrong label most likely means: the closest label, else
/// the shortest label that starts with what was written, so a shortened
/// name is recognised ("Full Import" is "Full Import (Stage Only)", "Delta
/// Sync" is "Delta Synchronization").
fn likely_type(written: &str) -> Option<StepType> {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    StepType::closest(written).or_else(|| {
        let wanted = squash(written);
        if wanted.chars().count() < 4 {
            return None;
        }
        StepType::ALL
            .into_iter()
            .filter(|t| squash(t.label()).starts_with(&wanted))
            .min_by_key(|t| t.label().len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortened_labels_mean_the_shortest_type_they_begin() {
        let label = |s: &str| likely_type(s).map(StepType::label);
        assert_eq!(label("Full Import"), Some("Full Import (Stage Only)"));
        assert_eq!(label("Delta Import"), Some("Delta Import (Stage Only)"));
        assert_eq!(label("Full Sync"), Some("Full Synchronization"));
        assert_eq!(label("delta sync"), Some("Delta Synchronization"));
        assert_eq!(label("Full Synchronisation"), Some("Full Synchronization"));
        assert_eq!(label("Ful"), None);
        assert_eq!(label("Name"), None);
    }
}
