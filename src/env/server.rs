//! What an environment requires of the server's configuration beyond its
//! agents, read from `values` by keys that `runsheet verify` knows:
//!
//! - `KEY.scope.include` and `KEY.scope.exclude`: the containers (OUs) the
//!   partition of the agent whose key is `KEY` includes and excludes, its
//!   OU scope; where an environment gives the inclusions, exclusions it
//!   leaves out are none;
//! - `metaverse.provisioning`: `rules`, `extension`, `both` or `none`;
//! - `metaverse.deletion.TYPE`: the object deletion rule of the metaverse
//!   object type `TYPE` (`last-connector`, `any-connector`, `extension`);
//! - `KEY.object_classes`: the object types the partition of agent `KEY`
//!   selects (written into `run-profiles.xml`'s partition filter);
//! - `schedule.max_export_deletes` and `schedule.run_history_days`: the
//!   defaults of the run cycle script's `-MaxExportDeletes` and
//!   `-ClearRunHistoryDays`.
//!
//! A book declares them in `variables.yaml` like any value (the scope
//! derived from the guest OU, say); they are read here whether declared
//! or not.

use super::Environment;
use crate::mim::metaverse::{DeletionRule, Provisioning};
use crate::yaml::{Kind, Node, Origin};

/// A value set in an environment, with the place that set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed<T> {
    pub value: T,
    pub origin: Origin,
}

/// The OU scope an environment requires of an agent's partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub include: Placed<Vec<String>>,
    /// None when the environment leaves it out.
    pub exclude: Placed<Vec<String>>,
}

/// A value that is not what its key reads, at the place that sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub origin: Origin,
    pub message: String,
}

/// Whether `key` (as a placeholder writes it) is one that `runsheet
/// verify` reads: a variable no chapter uses may still be needed.
pub fn is_read_by_verify(key: &str) -> bool {
    let parts: Vec<&str> = key.split('.').collect();
    matches!(
        parts.as_slice(),
        [_, "scope", "include" | "exclude"]
            | [_, "object_classes"]
            | ["schedule", "max_export_deletes" | "run_history_days"]
            | ["metaverse", "provisioning"]
            | ["metaverse", "deletion", _]
    )
}

impl Environment {
    /// The OU scope the environment requires of the partition of agent
    /// `key`, when it gives `KEY.scope.include`.
    pub fn scope(&self, key: &str) -> Result<Option<Scope>, Refused> {
        let Some(include) = self.tree.at(&["values", key, "scope", "include"]) else {
            return Ok(None);
        };
        let include = list(include, &format!("{key}.scope.include"), CONTAINER)?;
        let exclude = match self.tree.at(&["values", key, "scope", "exclude"]) {
            Some(node) => list(node, &format!("{key}.scope.exclude"), CONTAINER)?,
            None => Placed {
                value: Vec::new(),
                origin: include.origin.clone(),
            },
        };
        Ok(Some(Scope { include, exclude }))
    }

    /// The object types the partition of agent `key` selects, when the
    /// environment gives `KEY.object_classes`.
    pub fn object_classes(&self, key: &str) -> Result<Option<Placed<Vec<String>>>, Refused> {
        self.tree
            .at(&["values", key, "object_classes"])
            .map(|node| {
                list(
                    node,
                    &format!("{key}.object_classes"),
                    "an object type's name",
                )
            })
            .transpose()
    }

    /// A whole number of at least 0 the run cycle script is rendered with
    /// (`schedule.max_export_deletes`), when the environment gives it.
    pub fn script_number(&self, key: &str) -> Result<Option<Placed<u32>>, Refused> {
        let path: Vec<&str> = std::iter::once("values").chain(key.split('.')).collect();
        let Some(node) = self.tree.at(&path) else {
            return Ok(None);
        };
        let number = node.as_str().and_then(|t| t.trim().parse::<u32>().ok());
        match number {
            Some(value) => Ok(Some(Placed {
                value,
                origin: node.origin.clone(),
            })),
            None => Err(Refused {
                origin: node.origin.clone(),
                message: format!(
                    "`{key}` is {}, where a whole number of 0 or more is expected",
                    node.describe()
                ),
            }),
        }
    }

    /// The provisioning the environment requires of the metaverse.
    pub fn provisioning(&self) -> Result<Option<Placed<Provisioning>>, Refused> {
        let Some(node) = self.tree.at(&["values", "metaverse", "provisioning"]) else {
            return Ok(None);
        };
        word(
            node,
            "metaverse.provisioning",
            Provisioning::from_word,
            || Provisioning::ALL.iter().map(|p| p.word()).collect(),
        )
        .map(Some)
    }

    /// The object deletion rules the environment requires, by metaverse
    /// object type, in the order written.
    pub fn deletion_rules(&self) -> Result<Vec<(String, Placed<DeletionRule>)>, Refused> {
        let Some(Kind::Map(entries)) = self
            .tree
            .at(&["values", "metaverse", "deletion"])
            .map(|n| &n.kind)
        else {
            return Ok(Vec::new());
        };
        entries
            .iter()
            .map(|(k, node)| {
                let rule = word(
                    node,
                    &format!("metaverse.deletion.{}", k.name),
                    DeletionRule::from_word,
                    || DeletionRule::ALL.iter().map(|d| d.word()).collect(),
                )?;
                Ok((k.name.clone(), rule))
            })
            .collect()
    }
}

/// What an OU scope's items are.
const CONTAINER: &str = "a container's distinguished name";

fn list(node: &Node, key: &str, item: &str) -> Result<Placed<Vec<String>>, Refused> {
    let items = match &node.kind {
        Kind::Seq(items) => items
            .iter()
            .map(|i| {
                i.as_str().map(str::to_string).ok_or_else(|| Refused {
                    origin: i.origin.clone(),
                    message: format!("`{key}` holds {}, where {item} is expected", i.describe()),
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
        Kind::Null => Vec::new(),
        _ => {
            return Err(Refused {
                origin: node.origin.clone(),
                message: format!(
                    "`{key}` is {}, where a list of items, each {item}, is expected",
                    node.describe()
                ),
            });
        }
    };
    Ok(Placed {
        value: items,
        origin: node.origin.clone(),
    })
}

fn word<T>(
    node: &Node,
    key: &str,
    read: fn(&str) -> Option<T>,
    words: fn() -> Vec<&'static str>,
) -> Result<Placed<T>, Refused> {
    node.as_str()
        .and_then(read)
        .map(|value| Placed {
            value,
            origin: node.origin.clone(),
        })
        .ok_or_else(|| Refused {
            origin: node.origin.clone(),
            message: format!(
                "`{key}` is `{}`, which `runsheet verify` does not read: write one of {}",
                node.describe(),
                words()
                    .iter()
                    .map(|w| format!("`{w}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keys_verify_reads() {
        assert!(is_read_by_verify("ad.scope.include"));
        assert!(is_read_by_verify("corp.scope.exclude"));
        assert!(is_read_by_verify("metaverse.provisioning"));
        assert!(is_read_by_verify("metaverse.deletion.person"));
        assert!(is_read_by_verify("ad.object_classes"));
        assert!(is_read_by_verify("schedule.max_export_deletes"));
        assert!(!is_read_by_verify("ad.scope"));
        assert!(!is_read_by_verify("ad.domain"));
        assert!(!is_read_by_verify("metaverse.deletion"));
    }
}
