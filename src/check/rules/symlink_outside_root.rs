//! `symlink-outside-root`: a symbolic link that leads out of the checked
//! folder.

use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::model::ProblemKind;
use crate::check::rules::{Example::Files, File::{Symlink, Text}};

declare_rule! {
    /// A symbolic link in the guide that leads out of the checked folder
    /// (`ln -s /etc/passwd docs/notes.md`). runsheet neither follows nor
    /// reads it, so nothing outside the guide ends up in a report or a
    /// runbook; replace the link with the file, or move what it points to
    /// into the guide.
    SymlinkOutsideRoot {
        id: "symlink-outside-root",
        default: Error,
        fails: Files(&[
            Text("install.md", "# Install\n"),
            Symlink("notes.md", "/etc/passwd"),
        ]),
        passes: Files(&[
            Text("install.md", "# Install\n"),
            Symlink("notes.md", "install.md"),
        ]),
    }
}

impl Check for SymlinkOutsideRoot {
    fn guide_reads(&self) -> Reads {
        Reads::PROBLEMS
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for p in cx.problems_of(ProblemKind::SymlinkOutsideRoot) {
            out.push(Diagnostic::of_problem(RuleId::SymlinkOutsideRoot, p));
        }
    }
}
