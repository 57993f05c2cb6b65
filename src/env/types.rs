//! The types a declared variable can have, and whether a value is one.
//!
//! The checks are written here rather than taken from crates: each is a
//! few lines of the published rule (RFC 1123 host names, RFC 4514
//! distinguished names, Active Directory's logon names), and the crates
//! that parse URLs or e-mail addresses in full would be new dependencies
//! for one shape check each. GUIDs are read by `uuid`, already a dependency.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a variable holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VarType {
    /// Any text on one value (not a list or a map).
    #[default]
    String,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// A computer's name: one DNS label (`FABMIM01`) or a dotted name.
    Hostname,
    /// A DNS domain of two labels or more (`corp.fabrikam.com`).
    Domain,
    /// An LDAP distinguished name (`OU=Guests,DC=corp,DC=fabrikam,DC=com`).
    DistinguishedName,
    /// A GUID, with or without braces.
    Guid,
    /// An `http` or `https` URL.
    Url,
    /// An e-mail address.
    Email,
    /// An absolute Windows path (`D:\Operations`, `\\server\share`), or a
    /// server's SQL instance (`FABMIM01\MIMSYNC`) is better typed `string`.
    WindowsPath,
    /// A pre-Windows 2000 logon name (`svc-mim-adma`, at most 20 characters).
    Account,
    /// One of the declaration's `values`.
    OneOf,
}

impl VarType {
    /// The form a value of this type takes, for messages.
    pub fn expected(self, values: &[String]) -> String {
        match self {
            VarType::String => "one value of text, not a list or a map".into(),
            VarType::Integer => "a whole number, e.g. 42".into(),
            VarType::Boolean => "`true` or `false`".into(),
            VarType::Hostname => {
                "a host name: letters, digits and `-` in labels of at most 63 characters joined by dots, e.g. FABMIM01 or mim.contoso.com".into()
            }
            VarType::Domain => {
                "a DNS domain of two labels or more, e.g. corp.fabrikam.com".into()
            }
            VarType::DistinguishedName => {
                "a distinguished name: ATTRIBUTE=value pairs joined by commas, e.g. OU=B2B Guests,DC=corp,DC=fabrikam,DC=com".into()
            }
            VarType::Guid => "a GUID, e.g. 9e5fc936-3b65-45b0-b634-e995cb84be4a".into(),
            VarType::Url => "an http:// or https:// URL with a host, e.g. https://mim.contoso.com".into(),
            VarType::Email => "an e-mail address, e.g. mimservice@contoso.com".into(),
            VarType::WindowsPath => {
                "an absolute Windows path, e.g. D:\\Operations\\MIM or \\\\server\\share".into()
            }
            VarType::Account => {
                "an account name of at most 20 characters without \" / \\ [ ] : ; | = , + * ? < > @, e.g. svc-mim-adma".into()
            }
            VarType::OneOf => format!(
                "one of {}",
                values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// The JSON Schema `type` and `format` of a value of this type.
    pub fn json_type(self) -> (&'static str, Option<&'static str>) {
        match self {
            VarType::Integer => ("integer", None),
            VarType::Boolean => ("boolean", None),
            VarType::Hostname | VarType::Domain => ("string", Some("hostname")),
            VarType::Guid => ("string", Some("uuid")),
            VarType::Url => ("string", Some("uri")),
            VarType::Email => ("string", Some("email")),
            _ => ("string", None),
        }
    }

    /// Whether `text` (a scalar's text as written; `is_int`/`is_bool` what
    /// YAML read it as) is a value of this type.
    pub fn accepts(self, text: &str, is_int: bool, is_bool: bool, values: &[String]) -> bool {
        match self {
            VarType::String => true,
            VarType::Integer => is_int,
            VarType::Boolean => is_bool,
            VarType::Hostname => is_hostname(text, 1),
            VarType::Domain => is_hostname(text, 2),
            VarType::DistinguishedName => is_dn(text),
            VarType::Guid => uuid::Uuid::try_parse(text.trim()).is_ok(),
            VarType::Url => is_url(text),
            VarType::Email => is_email(text),
            VarType::WindowsPath => is_windows_path(text),
            VarType::Account => is_account(text),
            VarType::OneOf => values.iter().any(|v| v == text),
        }
    }
}

/// RFC 1123: labels of letters, digits and `-`, 1–63 characters, not
/// starting or ending with `-`; 253 characters in all.
fn is_hostname(text: &str, min_labels: usize) -> bool {
    let labels: Vec<&str> = text.split('.').collect();
    text.len() <= 253
        && labels.len() >= min_labels
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// RFC 4514, as far as a guide's values need: `attr=value` pairs joined by
/// unescaped commas (or `+`), attributes of letters, digits and `-`,
/// values not empty, `\` escaping the next character.
fn is_dn(text: &str) -> bool {
    if text.trim() != text || text.is_empty() {
        return false;
    }
    let mut rdns = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) => {
                    current.push('\\');
                    current.push(n);
                }
                None => return false,
            },
            ',' | '+' => rdns.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    rdns.push(current);
    rdns.iter().all(|rdn| match rdn.split_once('=') {
        Some((attr, value)) => {
            !attr.is_empty()
                && attr.trim() == attr
                && attr.starts_with(|c: char| c.is_ascii_alphabetic())
                && attr.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !value.trim().is_empty()
        }
        None => false,
    })
}

/// `http://` or `https://`, a host name (or `[…]`), an optional port, and
/// anything without spaces after `/`.
fn is_url(text: &str) -> bool {
    let Some(rest) = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
    else {
        return false;
    };
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if !h.ends_with(']') || authority.starts_with('[') => {
            if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) || port.len() > 5 {
                return false;
            }
            h
        }
        _ => authority,
    };
    (is_hostname(host, 1) || (host.starts_with('[') && host.ends_with(']') && host.len() > 2))
        && !path.contains(char::is_whitespace)
}

/// `local@domain`: a local part without spaces, `@` or angle brackets,
/// and a domain of two labels or more.
fn is_email(text: &str) -> bool {
    match text.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && local.len() <= 64
                && !local.contains(|c: char| c.is_whitespace() || "@<>()[]\\,;:\"".contains(c))
                && is_hostname(domain, 2)
        }
        None => false,
    }
}

/// `X:\…` or `\\server\share…`, without the characters Windows forbids in
/// names.
fn is_windows_path(text: &str) -> bool {
    let bytes = text.as_bytes();
    let rest = if let [drive, b':', b'\\', ..] = bytes
        && drive.is_ascii_alphabetic()
    {
        text.get(3..).unwrap_or_default()
    } else if let Some(unc) = text.strip_prefix("\\\\") {
        match unc.split_once('\\') {
            Some((server, share)) if is_hostname(server, 1) && !share.is_empty() => share,
            _ => return false,
        }
    } else {
        return false;
    };
    !rest.contains(|c: char| "<>:\"/|?*".contains(c) || c.is_control())
}

/// Active Directory's `sAMAccountName`: at most 20 characters, none of
/// `"/\[]:;|=,+*?<>@`, not only dots and spaces.
fn is_account(text: &str) -> bool {
    !text.is_empty()
        && text.chars().count() <= 20
        && !text.contains(|c: char| "\"/\\[]:;|=,+*?<>@".contains(c) || c.is_control())
        && !text.chars().all(|c| c == '.' || c == ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(t: VarType, text: &str) -> bool {
        t.accepts(text, false, false, &[])
    }

    #[test]
    fn each_type_takes_its_values_and_refuses_others() {
        use VarType::*;
        for (t, good, bad) in [
            (Hostname, "FABMIM01", "FAB MIM"),
            (Hostname, "mim.contoso.com", "-mim.contoso.com"),
            (Domain, "corp.fabrikam.com", "FABRIKAM"),
            (
                DistinguishedName,
                "OU=B2B Guests,DC=corp,DC=com",
                "B2B Guests",
            ),
            (DistinguishedName, "CN=Smith\\, John,DC=x", "OU=,DC=x"),
            (
                Guid,
                "9e5fc936-3b65-45b0-b634-e995cb84be4a",
                "9e5fc936-3b65",
            ),
            (Guid, "{8F3B0C1D-0000-4000-8000-000000000001}", "x"),
            (Url, "http://identity.fabrikam.com", "identity.fabrikam.com"),
            (Url, "https://mim.contoso.com:8443/a", "http://mim contoso"),
            (Email, "mim-service@fabrikam.com", "mim-service"),
            (WindowsPath, "D:\\Operations\\MIM", "Operations\\MIM"),
            (WindowsPath, "\\\\fs01\\share\\x", "D:\\a|b"),
            (Account, "svc-mim-adma", "svc-mim-adma@corp"),
            (Account, "MIMSyncSvc", "a-very-long-service-account-name"),
        ] {
            assert!(ok(t, good), "{t:?} {good}");
            assert!(!ok(t, bad), "{t:?} {bad}");
        }
        assert!(VarType::OneOf.accepts("b", false, false, &["a".into(), "b".into()]));
        assert!(!VarType::OneOf.accepts("c", false, false, &["a".into()]));
        assert!(VarType::Integer.accepts("4", true, false, &[]));
        assert!(!VarType::Integer.accepts("four", false, false, &[]));
    }
}
