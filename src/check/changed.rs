//! Only what a change touched: the findings in files a change added,
//! modified or renamed, and the findings anywhere whose link leads to a
//! file the change touched (removed, renamed away, or edited so that an
//! anchor went). The whole guide is still read and indexed, so a link in
//! a changed file is checked against every file.

use super::Diagnostic;
use crate::git::Changes;

/// The findings of `findings` that `changes` can have made or mended.
pub fn only_changed(findings: Vec<Diagnostic>, changes: &Changes) -> Vec<Diagnostic> {
    findings
        .into_iter()
        .filter(|d| {
            let touched = |file: &str, target: Option<&str>| {
                changes.touches(file) || target.is_some_and(|t| changes.touches(t))
            };
            // A folded finding stays when any of its places does.
            touched(&d.file, d.target.as_deref())
                || d.repeats
                    .iter()
                    .any(|r| touched(&r.file, r.target.as_deref()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::RuleId;

    #[test]
    fn findings_in_changed_files_and_links_into_them_stay() {
        let mut changes = Changes::default();
        changes.changed.insert("edited.md".into());
        changes.gone.insert("renamed.md".into());
        let at = |file: &str, target: Option<&str>| {
            let d = Diagnostic::at_line(RuleId::BrokenLink, file, 1, "m");
            match target {
                Some(t) => d.about(t),
                None => d,
            }
        };
        let kept = only_changed(
            vec![
                at("edited.md", None),
                at("same.md", Some("renamed.md")),
                at("same.md", Some("edited.md")),
                at("same.md", Some("other.md")),
                at("same.md", None),
            ],
            &changes,
        );
        let shown: Vec<_> = kept
            .iter()
            .map(|d| (d.file.as_str(), d.target.as_deref()))
            .collect();
        assert_eq!(
            shown,
            [
                ("edited.md", None),
                ("same.md", Some("renamed.md")),
                ("same.md", Some("edited.md"))
            ]
        );
    }
}
