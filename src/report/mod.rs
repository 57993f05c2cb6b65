//! Views of a check's diagnostics: one module per output format. Every
//! format shows the same findings in the same order; none decides anything.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod stream;

use crate::check::{Diagnostic, Summary};
use crate::model::Guide;

/// One checked guide, as the report shows it.
pub struct Checked<'a> {
    pub guide: &'a Guide,
    /// The source folder as the user reaches it from the working directory
    /// (`docs`, `tests/fixtures/book/src`, `.`).
    pub display_root: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked<'_> {
    /// A diagnostic's file as the user should see it: `/`-separated,
    /// relative to the working directory when the input was.
    pub fn display_path(&self, file: &str) -> String {
        join(&self.display_root, file)
    }
}

pub fn join(root: &str, file: &str) -> String {
    if root.is_empty() || root == "." {
        return file.to_string();
    }
    if !file.starts_with("../") {
        let root = root.trim_end_matches('/');
        if !root.is_empty() {
            let mut out = String::with_capacity(root.len() + 1 + file.len());
            out.push_str(root);
            out.push('/');
            out.push_str(file);
            return out;
        }
    }
    // `docs` + `../environments/prod.yaml` is `environments/prod.yaml`.
    let mut parts: Vec<&str> = root.trim_end_matches('/').split('/').collect();
    let mut rest = file;
    while let Some(r) = rest.strip_prefix("../") {
        match parts.last() {
            Some(&last) if last != ".." && !last.is_empty() => {
                parts.pop();
                rest = r;
            }
            _ => break,
        }
    }
    if parts.is_empty() || parts == [""] && !root.starts_with('/') {
        rest.to_string()
    } else {
        format!("{}/{}", parts.join("/"), rest)
    }
}

/// Totals over every checked guide.
pub fn summary(checked: &[Checked<'_>]) -> Summary {
    let mut total = Summary {
        files: 0,
        links: 0,
        errors: 0,
        warnings: 0,
    };
    for c in checked {
        let s = crate::check::summarise(c.guide, &c.diagnostics);
        total.files += s.files;
        total.links += s.links;
        total.errors += s.errors;
        total.warnings += s.warnings;
    }
    total
}
