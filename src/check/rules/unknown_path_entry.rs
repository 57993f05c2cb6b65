//! `unknown-path-entry`: an environment's `path.skip_parts` or
//! `path.skip_chapters` entry that names no part or chapter of the book
//! (a part named in another case, a chapter moved), or a part of the
//! declared alternatives the book does not have: the environment would
//! silently keep what it meant to skip, and `runsheet render` refuses it.

use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};
use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::env::resolve::RefusalKind;

/// The book of the examples: two parts.
const PARTS_SUMMARY: crate::check::rules::File = Text(
    "src/SUMMARY.md",
    "# Summary\n\n# Common preparation\n\n- [Domain](domain.md)\n\n# Option 2: extension DLL\n\n- [DLL](dll.md)\n",
);

declare_rule! {
    /// An entry of an environment's `path.skip_parts` or `path.skip_chapters` that names no
    /// part or chapter of the book (parts are named exactly as SUMMARY.md writes them, case
    /// included), or a part of `variables.yaml`'s `path.alternatives` that the book does not
    /// have; with the closest name.
    UnknownPathEntry {
        id: "unknown-path-entry",
        default: Error,
        fails: Files(&[
            BOOK_TOML,
            PARTS_SUMMARY,
            Text("src/domain.md", "# Domain\n"),
            Text("src/dll.md", "# DLL\n"),
            Text("environments/prod.yaml", "path:\n  skip_parts: [\"Option 2: Extension DLL\"]\n"),
        ]),
        passes: Files(&[
            BOOK_TOML,
            PARTS_SUMMARY,
            Text("src/domain.md", "# Domain\n"),
            Text("src/dll.md", "# DLL\n"),
            Text("environments/prod.yaml", "path:\n  skip_parts: [\"Option 2: extension DLL\"]\n"),
        ]),
    }
}

impl Check for UnknownPathEntry {
    fn guide_reads(&self) -> Reads {
        // Only the parts and paths of chapters, which any change of the
        // SUMMARY reads the book again for.
        Reads::ENVIRONMENTS
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for (_, r) in cx.refusals() {
            if r.kind == RefusalKind::PathEntry {
                out.push(cx.refusal(RuleId::UnknownPathEntry, r));
            }
        }
    }
}
