//! One exported management agent (`MA-{GUID}.XML`,
//! `saved-ma-configuration/ma-data`): its name and type, its partitions
//! with their containers, and its run profiles with their steps. Ids,
//! times and versions are read past.

use super::xml::{self, Item};
use super::{ExportedAgent, ExportedProfile, ExportedStep, Partition, Value};
use crate::text::{Located, Position};

/// The root element of an exported management agent.
pub const ROOT: &str = "saved-ma-configuration";

/// Read the agent in `text`; `shown` names the file.
pub fn read(text: &str, shown: &str) -> Result<ExportedAgent, Located> {
    let mut agent = ExportedAgent {
        file: shown.to_string(),
        at: Position { line: 1, column: 1 },
        id: None,
        name: None,
        category: None,
        subtype: None,
        listname: None,
        partitions: Vec::new(),
        profiles: Vec::new(),
    };
    let mut seen_ma_data = false;
    xml::walk(text, shown, ROOT, |path, item, at| {
        let names: Vec<&str> = path.iter().map(String::as_str).collect();
        // Below <ma-data>, the rest of the path.
        let Some(rest) = names.strip_prefix(&[ROOT, "ma-data"]) else {
            return Ok(());
        };
        match (rest, item) {
            ([], Item::Open(_)) => {
                if seen_ma_data {
                    return Err("a second `<ma-data>`: an exported agent holds one".into());
                }
                seen_ma_data = true;
                agent.at = at;
            }
            (["id"], Item::Close(t)) => agent.id = crate::mim::guid::parse(t),
            (["name"], Item::Close(t)) => agent.name = Some(value(t, at)),
            (["category"], Item::Close(t)) => agent.category = Some(value(t, at)),
            (["subtype"], Item::Close(t)) => agent.subtype = Some(value(t, at)),
            (["ma-listname"], Item::Close(t)) => agent.listname = Some(value(t, at)),
            (["ma-partition-data", "partition"], Item::Open(_)) => {
                agent.partitions.push(Partition {
                    at,
                    id: None,
                    name: None,
                    selected: None,
                    inclusions: None,
                    exclusions: None,
                })
            }
            (["ma-partition-data", "partition", field @ ..], item) => {
                let Some(p) = agent.partitions.last_mut() else {
                    return Ok(());
                };
                match (field, item) {
                    (["id"], Item::Close(t)) => p.id = crate::mim::guid::parse(t),
                    (["name"], Item::Close(t)) => p.name = Some(value(t, at)),
                    (["selected"], Item::Close(t)) => p.selected = Some(value(t, at)),
                    (["filter", "containers", "inclusions"], Item::Open(_)) => {
                        p.inclusions = Some((at, Vec::new()));
                    }
                    (["filter", "containers", "exclusions"], Item::Open(_)) => {
                        p.exclusions = Some((at, Vec::new()));
                    }
                    (["filter", "containers", "inclusions", "inclusion"], Item::Close(t)) => {
                        if let Some((_, list)) = &mut p.inclusions
                            && !t.trim().is_empty()
                        {
                            list.push(value(t, at));
                        }
                    }
                    (["filter", "containers", "exclusions", "exclusion"], Item::Close(t)) => {
                        if let Some((_, list)) = &mut p.exclusions
                            && !t.trim().is_empty()
                        {
                            list.push(value(t, at));
                        }
                    }
                    _ => {}
                }
            }
            (["ma-run-data", "run-configuration"], Item::Open(_)) => {
                agent.profiles.push(ExportedProfile {
                    at,
                    name: None,
                    steps: Vec::new(),
                });
            }
            (["ma-run-data", "run-configuration", field @ ..], item) => {
                let Some(profile) = agent.profiles.last_mut() else {
                    return Ok(());
                };
                match (field, item) {
                    (["name"], Item::Close(t)) => profile.name = Some(value(t, at)),
                    (["configuration", "step"], Item::Open(_)) => {
                        profile.steps.push(ExportedStep {
                            at,
                            step_type: None,
                            subtype: None,
                            partition: None,
                            thresholds: Vec::new(),
                            limits: Vec::new(),
                        })
                    }
                    (["configuration", "step", part @ ..], item) => {
                        let Some(step) = profile.steps.last_mut() else {
                            return Ok(());
                        };
                        step_part(step, part, item, at)?;
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    if !seen_ma_data {
        return Err(Located::file(
            shown,
            format!("`<{ROOT}>` holds no `<ma-data>`: not an exported management agent"),
        ));
    }
    Ok(agent)
}

/// What a part of a `<step>` says.
fn step_part(
    step: &mut ExportedStep,
    part: &[&str],
    item: Item<'_, '_>,
    at: Position,
) -> Result<(), String> {
    match (part, item) {
        (["step-type"], Item::Open(e)) => {
            step.step_type = xml::attribute(e, "type")?.map(|t| value(&t, at));
        }
        (["step-type", element], Item::Close(t)) => {
            step.subtype = Some((element.to_string(), value(t, at)));
        }
        (["threshold", name], Item::Close(t)) => {
            step.thresholds.push((name.to_string(), value(t, at)));
        }
        (["partition"], Item::Close(t)) => step.partition = Some(value(t, at)),
        // `<custom-data><adma-step-data><batch-size>`: the limits of one
        // connector type's step.
        (["custom-data", kind, name], Item::Close(t)) => {
            step.limits.push((format!("{kind}/{name}"), value(t, at)));
        }
        _ => {}
    }
    Ok(())
}

fn value(text: &str, at: Position) -> Value {
    Value {
        text: text.trim().to_string(),
        at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AGENT: &str = "<saved-ma-configuration server='S' export-date='2026-01-01'>\n\
<ma-data>\n\
 <id>{11111111-1111-1111-1111-111111111111}</id>\n\
 <name>ADMA</name>\n\
 <category>AD</category>\n\
 <ma-partition-data>\n\
  <partition><id>{22222222-2222-2222-2222-222222222222}</id><name>DC=contoso,DC=local</name><selected>1</selected>\n\
   <filter><containers><exclusions/><inclusions><inclusion>OU=Guests,DC=contoso,DC=local</inclusion></inclusions></containers></filter>\n\
  </partition>\n\
 </ma-partition-data>\n\
 <ma-run-data><run-configuration><id>{3}</id><name>Export</name><configuration><step><step-type type=\"export\"></step-type><threshold><batch-size>1</batch-size><delete>10</delete></threshold><partition>{22222222-2222-2222-2222-222222222222}</partition><custom-data><adma-step-data><batch-size>100</batch-size></adma-step-data></custom-data></step></configuration></run-configuration></ma-run-data>\n\
</ma-data>\n\
</saved-ma-configuration>\n";

    #[test]
    fn an_agent_is_read_with_the_places_of_its_parts() {
        let a = read(AGENT, "MA-x.XML").unwrap();
        assert_eq!(a.name.as_ref().unwrap().text, "ADMA");
        assert_eq!(a.name.as_ref().unwrap().at, Position { line: 4, column: 1 });
        assert_eq!(a.category.as_ref().unwrap().text, "AD");
        let p = &a.partitions[0];
        assert_eq!(p.name.as_ref().unwrap().text, "DC=contoso,DC=local");
        assert_eq!(
            p.id.as_deref(),
            Some("{22222222-2222-2222-2222-222222222222}")
        );
        assert!(p.is_selected());
        let (at, inclusions) = p.inclusions.as_ref().unwrap();
        assert_eq!(at.line, 8);
        assert_eq!(inclusions[0].text, "OU=Guests,DC=contoso,DC=local");
        assert_eq!(p.exclusions.as_ref().unwrap().1, []);
        let step = &a.profiles[0].steps[0];
        assert_eq!(step.step_type.as_ref().unwrap().text, "export");
        assert_eq!(step.subtype, None);
        assert_eq!(step.thresholds.len(), 2);
        assert_eq!(step.limits[0].0, "adma-step-data/batch-size");
        assert_eq!(
            a.partition_name(step).as_deref(),
            Some("DC=contoso,DC=local")
        );
    }

    #[test]
    fn a_file_without_an_agent_is_refused() {
        let e = read("<saved-ma-configuration/>", "MA-x.XML").unwrap_err();
        assert!(e.message.contains("no `<ma-data>`"), "{e}");
        let e = read("<saved-mv-configuration/>", "MA-x.XML").unwrap_err();
        assert!(e.message.contains("root element"), "{e}");
    }
}
