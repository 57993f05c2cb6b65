//! `path-alternatives`: an environment whose path takes none, or more than
//! one, of a set of parts the book declares as alternatives
//! (`path.alternatives` in `variables.yaml`): both options' chapters in one
//! runbook, or neither.

use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};
use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::env::FindingKind;
use crate::env::resolve::RefusalKind;

/// The book of the examples: two options, of which an environment takes one.
const OPTIONS_SUMMARY: crate::check::rules::File = Text(
    "src/SUMMARY.md",
    "# Summary\n\n# Option 1: portal\n\n- [Portal](portal.md)\n\n# Option 2: extension DLL\n\n- [DLL](dll.md)\n",
);
const OPTIONS_DECLARED: crate::check::rules::File = Text(
    "variables.yaml",
    "path:\n  alternatives:\n    - parts: [\"Option 1: portal\", \"Option 2: extension DLL\"]\n      description: the two ways to provision; pick one\n",
);

declare_rule! {
    /// An environment whose path takes none of a set of parts `variables.yaml` declares as
    /// alternatives (`path.alternatives`), or more than one: reported where the environment's
    /// path is written (its `skip_parts`, or the top of its file).
    PathAlternatives {
        id: "path-alternatives",
        default: Error,
        fails: Files(&[
            BOOK_TOML,
            OPTIONS_SUMMARY,
            Text("src/portal.md", "# Portal\n"),
            Text("src/dll.md", "# DLL\n"),
            OPTIONS_DECLARED,
            Text("environments/prod.yaml", "description: Production\n"),
        ]),
        passes: Files(&[
            BOOK_TOML,
            OPTIONS_SUMMARY,
            Text("src/portal.md", "# Portal\n"),
            Text("src/dll.md", "# DLL\n"),
            OPTIONS_DECLARED,
            Text("environments/prod.yaml", "description: Production\npath:\n  skip_parts: [\"Option 2: extension DLL\"]\n"),
        ]),
    }
}

impl Check for PathAlternatives {
    fn guide_reads(&self) -> Reads {
        Reads::ENVIRONMENTS
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for (_, r) in cx.refusals() {
            if r.kind == RefusalKind::Finding(FindingKind::Alternatives) {
                out.push(cx.refusal(RuleId::PathAlternatives, r));
            }
        }
    }
}
