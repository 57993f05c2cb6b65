//! What a Synchronization Service export holds. `svrexport.exe FOLDER`
//! ("Export Server Configuration") writes one `MA-{GUID}.XML` per
//! management agent and `MV.XML` for the metaverse; "Export Management
//! ExportedAgent" writes one agent's file. [`read`] takes either and keeps what
//! `runsheet verify` compares, each part with its place in its file:
//! agents ([`agent`]: name, category, partitions with their containers,
//! run profiles with their steps) and the metaverse ([`metaverse`]:
//! provisioning, object deletion rules). Ids, times, versions, the
//! `server` and the `export-date` are read past.
//!
//! Each file is read whole and walked as a stream of XML events
//! ([`xml`]); memory grows with the largest file, and nothing is kept of
//! the parts not compared (the schema, attribute flows, filter hints).

pub mod agent;
pub mod metaverse;
pub mod xml;

use crate::text::{Located, Position};
use serde::Serialize;
use std::path::Path;

/// The largest export file read, in bytes: a server's largest agent file
/// is a few megabytes.
pub const MAX_FILE: u64 = 512 << 20;

/// The most files a folder may hold for it to be read as an export.
pub const MAX_FILES: usize = 10_000;

/// A text of an export with the place of the element that holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Value {
    pub text: String,
    pub at: Position,
}

/// A whole export, or one agent's file.
#[derive(Debug, Clone, Serialize)]
pub struct Export {
    /// The folder or file read, as given.
    pub path: String,
    /// Whether it is a whole server's configuration (a folder): what it
    /// lacks, the server lacks. One agent's file says nothing of the rest.
    pub whole: bool,
    /// Every file read, as shown, in the order read.
    pub files: Vec<String>,
    /// The agents, in file name order.
    pub agents: Vec<ExportedAgent>,
    pub metaverse: Option<Metaverse>,
}

/// An exported management agent.
#[derive(Debug, Clone, Serialize)]
pub struct ExportedAgent {
    /// Its file, as shown.
    pub file: String,
    /// `<ma-data>`.
    pub at: Position,
    pub id: Option<String>,
    pub name: Option<Value>,
    /// `AD`, `FIM`, `Extensible2`, `MSSQL`, …
    pub category: Option<Value>,
    pub subtype: Option<Value>,
    /// The connector's name, for an extensible agent.
    pub listname: Option<Value>,
    pub partitions: Vec<Partition>,
    pub profiles: Vec<ExportedProfile>,
}

/// A partition of an agent (`ma-partition-data/partition`).
#[derive(Debug, Clone, Serialize)]
pub struct Partition {
    pub at: Position,
    /// Its GUID, as MIM writes them.
    pub id: Option<String>,
    pub name: Option<Value>,
    /// `<selected>`: `1` when the agent runs against it.
    pub selected: Option<Value>,
    /// `filter/containers/inclusions`: where the list is and its entries.
    pub inclusions: Option<(Position, Vec<Value>)>,
    pub exclusions: Option<(Position, Vec<Value>)>,
}

/// A run profile (`ma-run-data/run-configuration`).
#[derive(Debug, Clone, Serialize)]
pub struct ExportedProfile {
    pub at: Position,
    pub name: Option<Value>,
    pub steps: Vec<ExportedStep>,
}

/// A step of a run profile.
#[derive(Debug, Clone, Serialize)]
pub struct ExportedStep {
    pub at: Position,
    /// `<step-type type="…">`.
    pub step_type: Option<Value>,
    /// The subtype element inside `<step-type>` and its value.
    pub subtype: Option<(String, Value)>,
    /// The GUID of the partition it runs against.
    pub partition: Option<Value>,
    /// `<threshold>`'s limits (`object`, `delete`, `batch-size`).
    pub thresholds: Vec<(String, Value)>,
    /// `<custom-data>`'s limits as `KIND/NAME` (`adma-step-data/page-size`).
    pub limits: Vec<(String, Value)>,
}

/// The exported metaverse.
#[derive(Debug, Clone, Serialize)]
pub struct Metaverse {
    pub file: String,
    /// `<mv-data>`.
    pub at: Position,
    /// `<provisioning type="…">`.
    pub provisioning: Option<Value>,
    pub deletion_rules: Vec<DeletionRuleEntry>,
}

/// An object deletion rule (`mv-deletion/mv-deletion-rule`).
#[derive(Debug, Clone, Serialize)]
pub struct DeletionRuleEntry {
    pub at: Position,
    pub object_type: String,
    /// `declared-last`, `declared-any`, `scripted`.
    pub kind: String,
    /// The GUIDs of the agents a `declared-any` rule names.
    pub sources: Vec<String>,
}

impl Partition {
    pub fn is_selected(&self) -> bool {
        self.selected.as_ref().is_some_and(|s| s.text == "1")
    }

    pub fn name(&self) -> &str {
        self.name.as_ref().map_or("", |n| n.text.as_str())
    }
}

impl ExportedProfile {
    pub fn name(&self) -> &str {
        self.name.as_ref().map_or("", |n| n.text.as_str())
    }
}

impl ExportedAgent {
    pub fn name(&self) -> &str {
        self.name.as_ref().map_or("", |n| n.text.as_str())
    }

    pub fn category(&self) -> &str {
        self.category.as_ref().map_or("", |n| n.text.as_str())
    }

    /// The name of the partition a step runs against, its GUID looked up
    /// among the agent's partitions.
    pub fn partition_name(&self, step: &ExportedStep) -> Option<String> {
        let id = crate::mim::guid::parse(&step.partition.as_ref()?.text)?;
        self.partitions
            .iter()
            .find(|p| p.id.as_deref() == Some(id.as_str()))
            .map(|p| p.name().to_string())
    }
}

/// What is read at `path`: a folder of an export (its `MA-*.XML` files and
/// `MV.XML`, names in any case), or one agent's or the metaverse's file.
/// `shown` is how `path` is shown in messages.
pub fn read(path: &Path, shown: &str) -> Result<Export, Located> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Located::file(shown, format!("cannot read the export: {e}")))?;
    let mut export = Export {
        path: shown.to_string(),
        whole: meta.is_dir(),
        files: Vec::new(),
        agents: Vec::new(),
        metaverse: None,
    };
    let files: Vec<(String, std::path::PathBuf)> = if meta.is_dir() {
        let entries = std::fs::read_dir(path)
            .map_err(|e| Located::file(shown, format!("cannot read the folder: {e}")))?;
        let mut files = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if kind(&name).is_some() && entry.path().is_file() {
                if files.len() >= MAX_FILES {
                    return Err(Located::file(
                        shown,
                        format!("the folder holds more than {MAX_FILES} export files"),
                    ));
                }
                files.push((name, entry.path()));
            }
        }
        files.sort();
        if !files
            .iter()
            .any(|(n, _)| kind(n) == Some(Kind::ExportedAgent))
        {
            return Err(Located::file(
                shown,
                "the folder holds no MA-*.XML file: give the folder `svrexport.exe` wrote, or one agent's file",
            ));
        }
        files
    } else {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        vec![(name, path.to_path_buf())]
    };
    for (name, file) in files {
        let shown_file = if meta.is_dir() {
            crate::text::paths::join(shown.trim_end_matches('/'), &name)
        } else {
            shown.to_string()
        };
        let text = read_text(&file, &shown_file)?;
        let root = root_name(&text);
        match (kind(&name), root.as_deref()) {
            (Some(Kind::Metaverse), _) | (None, Some(metaverse::ROOT)) => {
                export.metaverse = Some(metaverse::read(&text, &shown_file)?);
            }
            _ => export.agents.push(agent::read(&text, &shown_file)?),
        }
        export.files.push(shown_file);
    }
    Ok(export)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    ExportedAgent,
    Metaverse,
}

/// What a file of an export folder is, by its name.
fn kind(name: &str) -> Option<Kind> {
    let upper = name.to_ascii_uppercase();
    if upper == "MV.XML" {
        Some(Kind::Metaverse)
    } else if upper.starts_with("MA-") && upper.ends_with(".XML") {
        Some(Kind::ExportedAgent)
    } else {
        None
    }
}

/// The name of the first element of `text`, to tell a metaverse given
/// alone from an agent.
fn root_name(text: &str) -> Option<String> {
    let mut reader = quick_xml::reader::Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                return Some(e.local_name().into_inner().to_string());
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// A file's text, decoded, refused above [`MAX_FILE`] bytes (read to one
/// byte past it, whatever size the file reports) and when it is not a
/// regular file.
fn read_text(path: &Path, shown: &str) -> Result<String, Located> {
    use crate::text::inside::{Cap, Why};
    let cap = Cap {
        bytes: MAX_FILE,
        what: "an export of a server",
    };
    let bytes = crate::text::inside::read(path, cap).map_err(|e| {
        let message = match e.why {
            Why::Read(e) => format!("cannot read the file: {e}"),
            why => why.to_string(),
        };
        Located::file(shown, message)
    })?;
    xml::decode(bytes, shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_files_are_told_by_their_names() {
        assert_eq!(kind("MA-{0C33}.XML"), Some(Kind::ExportedAgent));
        assert_eq!(kind("ma-tinyhr.xml"), Some(Kind::ExportedAgent));
        assert_eq!(kind("MV.XML"), Some(Kind::Metaverse));
        assert_eq!(kind("LICENSE"), None);
        assert_eq!(
            root_name("<!-- x --><saved-mv-configuration/>").as_deref(),
            Some("saved-mv-configuration")
        );
    }
}
