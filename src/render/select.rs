//! What a render is for: which environments (those asked for, or every
//! one of the book), where it writes by default, and which environments a
//! recorded output folder may keep.

use crate::env::{self, EnvError, Environment, Set};
use crate::text::Located;
use std::path::{Path, PathBuf};

/// The environments named `names` of the book at `root`, or, when
/// `names` is empty, every environment of the book, each with `sets` over
/// its files. A book without environments is a problem naming the folder
/// they go in; every environment that does not load is a problem of its
/// own.
pub fn environments(
    root: &Path,
    names: &[String],
    sets: &[Set],
) -> Result<Vec<Environment>, Vec<EnvError>> {
    let names = if names.is_empty() {
        let names = env::names(root).map_err(|e| vec![e])?;
        if names.is_empty() {
            return Err(vec![no_environments(root)]);
        }
        names
    } else {
        let mut names = names.to_vec();
        names.dedup();
        names
    };
    let mut environments = Vec::new();
    let mut errors = Vec::new();
    for name in &names {
        match env::load(root, name, sets) {
            Ok(e) => environments.push(e),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(environments)
    } else {
        Err(errors)
    }
}

fn no_environments(root: &Path) -> Located {
    let dir = Path::new(&super::shown_root(root)).join(env::DIR);
    Located::file(
        dir.display().to_string(),
        "no environments: add one NAME.yaml per environment (`runsheet schema environment` prints the format)",
    )
}

/// The output folder when none is given: `out/` in the book's root.
pub fn default_out(root: &Path) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::from("out")
    } else {
        root.join("out")
    }
}

/// Every environment of the book at `root` and those `rendered`: a folder
/// the output's record names for any other is stale.
pub fn book_environments(root: &Path, rendered: &[Environment]) -> Vec<String> {
    let mut names = env::names(root).unwrap_or_default();
    names.extend(rendered.iter().map(|e| e.name.clone()));
    names
}
