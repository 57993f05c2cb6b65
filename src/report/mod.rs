//! Views of a check's diagnostics: one module per output format. Every
//! format shows the same findings in the same order; none decides anything.

pub mod checkout;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod statistics;
pub mod stream;

pub use crate::check::baseline::BaselineNote;
use crate::check::{Diagnostic, Digest, Summary};

/// One checked guide, as the report shows it.
pub struct Checked<'a> {
    pub digest: &'a Digest,
    /// The source folder as the user reaches it from the working directory
    /// (`docs`, `tests/fixtures/book/src`, `.`).
    pub display_root: String,
    pub diagnostics: Vec<Diagnostic>,
    /// What a baseline took out of the findings, when one was applied.
    pub baseline: Option<BaselineNote>,
}

impl Checked<'_> {
    /// A diagnostic's file as the user should see it: `/`-separated,
    /// relative to the working directory when the input was.
    pub fn display_path(&self, file: &str) -> String {
        crate::text::paths::join(&self.display_root, file)
    }
}

/// Totals over every checked guide.
pub fn summary(checked: &[Checked<'_>]) -> Summary {
    let mut total = Summary {
        files: 0,
        links: 0,
        errors: 0,
        warnings: 0,
        hidden_folders: 0,
        repeats: 0,
        other_site: 0,
        xrefs: 0,
        site_links: 0,
    };
    for c in checked {
        let s = crate::check::summarise(c.digest, &c.diagnostics);
        total.files += s.files;
        total.links += s.links;
        total.errors += s.errors;
        total.warnings += s.warnings;
        total.hidden_folders += s.hidden_folders;
        total.repeats += s.repeats;
        total.other_site += s.other_site;
        total.xrefs += s.xrefs;
        total.site_links += s.site_links;
    }
    total
}
