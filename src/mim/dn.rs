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

/// The partitions the Active Directory agent's wizard lists beside a
/// domain naming context `domain` (`DC=corp,DC=fabrikam,DC=com`) when the
/// domain is its forest's root: the configuration partition and the
/// domain's and forest's DNS application partitions. None for a name that
/// is not a domain's (one of `DC=` parts only).
pub fn forest_partitions(domain: &str) -> Vec<String> {
    let is_domain = !domain.trim().is_empty()
        && domain.split(',').all(|rdn| {
            rdn.split_once('=').is_some_and(|(attr, value)| {
                attr.trim().eq_ignore_ascii_case("DC") && !value.trim().is_empty()
            })
        });
    if !is_domain {
        return Vec::new();
    }
    ["CN=Configuration", "DC=DomainDnsZones", "DC=ForestDnsZones"]
        .iter()
        .map(|first| format!("{first},{domain}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forest_root_lists_its_configuration_and_dns_partitions() {
        assert_eq!(
            forest_partitions("DC=corp,DC=fabrikam,DC=com"),
            [
                "CN=Configuration,DC=corp,DC=fabrikam,DC=com",
                "DC=DomainDnsZones,DC=corp,DC=fabrikam,DC=com",
                "DC=ForestDnsZones,DC=corp,DC=fabrikam,DC=com"
            ]
        );
        assert!(forest_partitions("default").is_empty());
        assert!(forest_partitions("OU=x,DC=y").is_empty());
    }

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
