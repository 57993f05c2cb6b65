//! The metaverse of an export (`MV.XML`, `saved-mv-configuration/mv-data`):
//! its provisioning type and its object deletion rules. The schema and
//! the import precedence are read past.

use super::xml::{self, Item};
use super::{DeletionRuleEntry, Metaverse, Value};
use crate::text::{Located, Position};

/// The root element of an exported metaverse.
pub const ROOT: &str = "saved-mv-configuration";

/// Read the metaverse in `text`; `shown` names the file.
pub fn read(text: &str, shown: &str) -> Result<Metaverse, Located> {
    let mut mv = Metaverse {
        file: shown.to_string(),
        at: Position { line: 1, column: 1 },
        provisioning: None,
        deletion_rules: Vec::new(),
    };
    let mut seen = false;
    xml::walk(text, shown, ROOT, |path, item, at| {
        let names: Vec<&str> = path.iter().map(String::as_str).collect();
        let Some(rest) = names.strip_prefix(&[ROOT, "mv-data"]) else {
            return Ok(());
        };
        match (rest, item) {
            ([], Item::Open(_)) => {
                seen = true;
                mv.at = at;
            }
            (["provisioning"], Item::Open(e)) => {
                mv.provisioning = xml::attribute(e, "type")?.map(|t| Value { text: t, at });
            }
            (["mv-deletion", "mv-deletion-rule"], Item::Open(e)) => {
                mv.deletion_rules.push(DeletionRuleEntry {
                    at,
                    object_type: xml::attribute(e, "mv-object-type")?.unwrap_or_default(),
                    kind: xml::attribute(e, "type")?.unwrap_or_default(),
                    sources: Vec::new(),
                });
            }
            (["mv-deletion", "mv-deletion-rule", "src-ma"], Item::Close(t)) => {
                if let Some(rule) = mv.deletion_rules.last_mut() {
                    rule.sources.extend(crate::mim::guid::parse(t));
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    if !seen {
        return Err(Located::file(
            shown,
            format!("`<{ROOT}>` holds no `<mv-data>`: not an exported metaverse"),
        ));
    }
    Ok(mv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provisioning_and_deletion_rules_are_read() {
        let text = "<saved-mv-configuration server='S'>\r\n<mv-data>\r\n <provisioning type=\"both\" />\r\n <mv-deletion><mv-deletion-rule mv-object-type=\"person\" id=\"{1}\" type=\"declared-any\"><src-ma>{0C3357F1-FAD7-4E1E-88E2-A9CFCFE67491}</src-ma></mv-deletion-rule><mv-deletion-rule mv-object-type=\"group\" type=\"scripted\" /></mv-deletion>\r\n</mv-data>\r\n</saved-mv-configuration>\r\n";
        let mv = read(text, "MV.XML").unwrap();
        let p = mv.provisioning.unwrap();
        assert_eq!((p.text.as_str(), p.at.line, p.at.column), ("both", 3, 2));
        assert_eq!(mv.deletion_rules.len(), 2);
        assert_eq!(mv.deletion_rules[0].object_type, "person");
        assert_eq!(mv.deletion_rules[0].kind, "declared-any");
        assert_eq!(
            mv.deletion_rules[0].sources,
            ["{0C3357F1-FAD7-4E1E-88E2-A9CFCFE67491}"]
        );
        assert_eq!(mv.deletion_rules[1].kind, "scripted");
    }
}
