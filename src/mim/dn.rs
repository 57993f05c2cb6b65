//! Distinguished names as Active Directory compares them: attribute
//! names and values without regard to case, spaces around `=` and `,`
//! not counted, escapes kept (`CN=Smith\, John`).

/// `dn` folded for comparison: each RDN's attribute and value trimmed and
/// lower-cased, joined by `,`. Two names that fold alike name the same
/// container.
pub fn fold(dn: &str) -> String {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = dn.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                current.push('\\');
                if let Some(n) = chars.next() {
                    current.push(n);
                }
            }
            ',' => parts.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    parts.push(current);
    parts
        .iter()
        .map(|rdn| match rdn.split_once('=') {
            Some((attr, value)) => format!("{}={}", attr.trim(), value.trim()),
            None => rdn.trim().to_string(),
        })
        .collect::<Vec<_>>()
        .join(",")
        .to_lowercase()
}

/// Whether `a` and `b` name the same container.
pub fn same(a: &str, b: &str) -> bool {
    fold(a) == fold(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_spacing_do_not_count_escapes_do() {
        assert!(same(
            "OU=AAD Guest Users,DC=contoso,DC=local",
            "ou=aad guest users, dc=CONTOSO,dc=local"
        ));
        assert!(same("CN=Smith\\, John,DC=x", "cn=smith\\, john,dc=x"));
        assert!(!same("OU=Guests,DC=x", "OU=Guest,DC=x"));
        assert!(!same("CN=Smith\\, John,DC=x", "CN=Smith,CN=John,DC=x"));
    }
}
