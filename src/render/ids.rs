//! Stable identifiers: step ids for runbooks and GUIDs for manifests.
//! Nothing here is random; the same names always give the same ids.

use uuid::Uuid;

/// The namespace every runsheet GUID is derived in (name-based, SHA-1,
/// RFC 9562 version 5). Changing it changes every id in every manifest.
const NAMESPACE: Uuid = Uuid::from_u128(0x93fa_d4ce_85ba_44ce_995a_fe02_6c9f_fb0f);

/// A GUID derived from `parts`, written as MIM writes them:
/// upper case in braces, `{8F3B…}`.
pub fn guid(parts: &[&str]) -> String {
    // A separator that cannot appear in a name keeps ("a b", "c") and
    // ("a", "b c") apart.
    let name = parts.join("\u{1f}");
    format!(
        "{{{}}}",
        Uuid::new_v5(&NAMESPACE, name.as_bytes()).hyphenated()
    )
    .to_uppercase()
}

/// Read a GUID written with or without braces; return it in MIM's form.
pub fn parse_guid(text: &str) -> Option<String> {
    let inner = text
        .trim()
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(text.trim());
    Uuid::try_parse(inner)
        .ok()
        .map(|u| format!("{{{}}}", u.hyphenated()).to_uppercase())
}

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
    fn guids_are_stable_upper_case_and_braced() {
        let a = guid(&["run-profile", "ADMA", "Export"]);
        assert_eq!(a, guid(&["run-profile", "ADMA", "Export"]));
        assert_ne!(a, guid(&["run-profile", "ADMA", "Export "]));
        assert_ne!(guid(&["a b", "c"]), guid(&["a", "b c"]));
        assert_eq!(a.len(), 38);
        assert!(a.starts_with('{') && a.ends_with('}'));
        assert_eq!(a, a.to_uppercase());
        // Version 5 in the third group.
        assert_eq!(&a[15..16], "5");
    }

    #[test]
    fn guids_are_read_with_or_without_braces() {
        assert_eq!(
            parse_guid("08f64d3f-b82c-44e2-ac6f-9f680decfebe").as_deref(),
            Some("{08F64D3F-B82C-44E2-AC6F-9F680DECFEBE}")
        );
        assert!(parse_guid("{08F64D3F-B82C-44E2-AC6F-9F680DECFEBE}").is_some());
        assert!(parse_guid("default").is_none());
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
