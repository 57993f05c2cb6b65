//! `environment-invalid`: an environment file, or the book's variable
//! declarations, that cannot be read. Nothing else about environments can
//! be checked until it is mended, so `runsheet check` exits 2.

use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};

declare_rule! {
    /// An environment file (`environments/*.yaml`) or the variable declarations
    /// (`variables.yaml`) that is not valid: not YAML, an unknown key of the file
    /// format, an `extends` that leads nowhere. The check exits 2.
    EnvironmentInvalid {
        id: "environment-invalid",
        default: Error,
        fails: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Domain](domain.md)\n"),
            Text("src/domain.md", "# Domain\n\n1. Join {{ ad.domain }}.\n"),
            Text("environments/prod.yaml", "values:\n  ad: { domain: corp.fabrikam.com\n"),
        ]),
        passes: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Domain](domain.md)\n"),
            Text("src/domain.md", "# Domain\n\n1. Join {{ ad.domain }}.\n"),
            Text("environments/prod.yaml", "values:\n  ad: { domain: corp.fabrikam.com }\n"),
        ]),
    }
}

impl Check for EnvironmentInvalid {
    fn guide_reads(&self) -> Reads {
        Reads::ENVIRONMENTS
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for e in &cx.environments().errors {
            let file = if e.file.starts_with("--set ") {
                e.file.clone()
            } else {
                cx.shown_file(&e.file)
            };
            let mut d = Diagnostic::at_line(RuleId::EnvironmentInvalid, &file, e.line.max(1), e.message.clone());
            d.column = e.column.max(1);
            d.end_column = d.column;
            out.push(d.help("mend the file: nothing else about the environments is checked until it can be read"));
        }
    }
}
