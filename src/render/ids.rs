//! Stable step ids for runbooks: chapter slugs from paths and names. The
//! same names always give the same ids. (The manifests' GUIDs are
//! `mim::guid`.)

/// The slug of a chapter for step ids: its path without the extension,
/// lower case, every run of other characters than letters and digits
/// turned into one `-` (`configuring-MA-runprofiles.md` →
/// `configuring-ma-runprofiles`, `ops/Run Book.md` → `ops-run-book`).
pub fn chapter_slug(path: &str) -> String {
    let stem = path
        .rsplit_once('.')
        .filter(|(_, ext)| !ext.contains('/'))
        .map_or(path, |(stem, _)| stem);
    slug(stem)
}

/// Lower case letters and digits, other runs of characters as one `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapter_slugs_come_from_the_path() {
        assert_eq!(
            chapter_slug("configuring-MA-runprofiles.md"),
            "configuring-ma-runprofiles"
        );
        assert_eq!(chapter_slug("Install-SQL-server.md"), "install-sql-server");
        assert_eq!(chapter_slug("ops/Run Book.md"), "ops-run-book");
        assert_eq!(chapter_slug("v1.2/notes"), "v1-2-notes");
    }
}
