//! GUIDs as MIM writes them (upper case, in braces: `{8F3B…}`): read from
//! an environment file, or derived from names, so that manifests are the
//! same on every render. Nothing here is random.

use uuid::Uuid;

/// The namespace every runsheet GUID is derived in (name-based, SHA-1,
/// RFC 9562 version 5). Changing it changes every id in every manifest.
const NAMESPACE: Uuid = Uuid::from_u128(0x93fa_d4ce_85ba_44ce_995a_fe02_6c9f_fb0f);

/// A GUID derived from `parts`, written as MIM writes them:
/// upper case in braces, `{8F3B…}`.
pub fn derived(parts: &[&str]) -> String {
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
pub fn parse(text: &str) -> Option<String> {
    let inner = text
        .trim()
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(text.trim());
    Uuid::try_parse(inner)
        .ok()
        .map(|u| format!("{{{}}}", u.hyphenated()).to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_stable_upper_case_and_braced() {
        let a = derived(&["run-profile", "ADMA", "Export"]);
        assert_eq!(a, derived(&["run-profile", "ADMA", "Export"]));
        assert_ne!(a, derived(&["run-profile", "ADMA", "Export "]));
        assert_ne!(derived(&["a b", "c"]), derived(&["a", "b c"]));
        assert_eq!(a.len(), 38);
        assert!(a.starts_with('{') && a.ends_with('}'));
        assert_eq!(a, a.to_uppercase());
        // Version 5 in the third group.
        assert_eq!(&a[15..16], "5");
    }

    #[test]
    fn guids_are_read_with_or_without_braces() {
        assert_eq!(
            parse("08f64d3f-b82c-44e2-ac6f-9f680decfebe").as_deref(),
            Some("{08F64D3F-B82C-44E2-AC6F-9F680DECFEBE}")
        );
        assert!(parse("{08F64D3F-B82C-44E2-AC6F-9F680DECFEBE}").is_some());
        assert!(parse("default").is_none());
    }
}
