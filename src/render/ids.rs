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
    id_part(stem)
}

/// The short hash of a step's rendered text (the one-line text of the CSV's
/// `step` column): FNV-1a 64 of its UTF-8 bytes, the top 48 bits as 12
/// lower-case hex digits. The same text always gives the same hash; a
/// changed word gives another, so a ticked step that changed is found.
pub fn step_hash(text: &str) -> String {
    format!("{:012x}", fnv1a(text.as_bytes()) >> 16)
}

/// FNV-1a 64 of `bytes`: a hash that is the same on every machine and in
/// every version, for telling text apart (not for security).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A name as a part of a step id (a chapter's path, a run profile's
/// name): lower case letters and digits, other runs of characters as one
/// `-`.
pub fn id_part(text: &str) -> String {
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
    fn step_hashes_are_fnv1a_and_twelve_digits() {
        // FNV-1a 64 of "" is cbf29ce484222325, of "a" af63dc4c8601ec8c.
        assert_eq!(step_hash(""), "cbf29ce48422");
        assert_eq!(step_hash("a"), "af63dc4c8601");
        assert_ne!(step_hash("Run it."), step_hash("Run it!"));
    }

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
