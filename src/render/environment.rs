//! Environments: `environments/NAME.yaml` beside `book.toml`, one per
//! place the guide is carried out (lab, test, production).
//!
//! A file may `extends:` others; maps merge key by key, scalars and lists
//! replace, a null removes a key, and `--set KEY=VALUE` is applied last.
//! Files whose name starts with `_` are layers only: they can be extended
//! but are not environments of their own.
//!
//! Placeholders (`{{ ad.domain }}`) are looked up under `values`, except
//! names that start with `agents.`, which read the agent declarations
//! (`{{ agents.ad.name }}`).

use super::yaml::{self, Kind, Node, Origin, Scalar, ScalarValue, Source};
use crate::model::{Chapter, Guide};
use crate::placeholder::is_dotted_identifier;
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The folder holding the environment files, relative to the book's root.
pub const DIR: &str = "environments";

/// The keys an environment file may have at its top level. A placeholder
/// or `--set` key whose first part is none of these is read under `values`.
pub const TOP_LEVEL_KEYS: [&str; 6] = [
    "extends",
    "description",
    "path",
    "agents",
    "run_cycle",
    "values",
];

/// An environment file as written (the JSON Schema is generated from it).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "runsheet environment",
    description = "One environment the guide is carried out in: environments/NAME.yaml beside book.toml. Files are layered with `extends`: maps merge key by key, scalars and lists replace, null removes a key, and `runsheet render --set KEY=VALUE` wins last. Files named `_*.yaml` are layers only."
)]
pub struct EnvironmentFile {
    /// The files this one is layered on, applied in order before this one:
    /// a name in the environments folder (`base`, `_fabrikam`) or a path
    /// relative to this file ending in `.yaml`.
    #[serde(default)]
    pub extends: Option<Extends>,
    /// One line saying what this environment is; shown in the runbook.
    #[serde(default)]
    pub description: Option<String>,
    /// The path through the book this environment follows.
    #[serde(default)]
    pub path: BookPath,
    /// The management agents, by a short key used in placeholders
    /// (`{{ agents.ad.name }}`), run cycles and step ids. The runbook lists
    /// them in the order written.
    #[serde(default)]
    pub agents: IndexMap<String, AgentSpec>,
    /// The run cycle, in order. Left out, it follows the guide: full import
    /// and full synchronization on each agent (MIM Service, then Graph and
    /// other extensible agents, then Active Directory), then export on each
    /// Active Directory agent, confirmed by a delta import and a delta
    /// synchronization.
    #[serde(default)]
    pub run_cycle: Option<Vec<RunStepSpec>>,
    /// The values of the placeholders the chapters use: `{{ ad.domain }}`
    /// reads `values.ad.domain`. Keys are letters, digits and `_`.
    #[serde(default)]
    #[schemars(schema_with = "values_schema")]
    pub values: serde_json::Map<String, serde_json::Value>,
}

fn values_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "object",
        "propertyNames": { "pattern": "^[A-Za-z_][A-Za-z0-9_]*$" },
        "additionalProperties": {
            "anyOf": [
                { "type": ["string", "number", "boolean"] },
                { "type": "array", "items": { "type": ["string", "number", "boolean"] } },
                { "type": "null", "description": "Removes the value a file this one extends sets." },
                { "$ref": "#/properties/values" }
            ]
        }
    })
}

/// The JSON Schema of an environment file. An agent's `name`, `type` and
/// `partition` are required once the layers are merged, not in every file
/// (a base may give the type, the environment the name), so the schema
/// does not require them of a single file.
pub fn json_schema() -> serde_json::Value {
    let mut schema =
        serde_json::to_value(schemars::schema_for!(EnvironmentFile)).expect("a schema serialises");
    if let Some(agent) = schema
        .pointer_mut("/$defs/AgentSpec")
        .and_then(|a| a.as_object_mut())
    {
        agent.remove("required");
        agent.insert(
            "description".into(),
            "A management agent. `name`, `type` and `partition` must be set once the files are layered, in this file or in one it extends.".into(),
        );
    }
    // `agents: { mim: null }` removes an agent a base declares.
    if let Some(agents) = schema
        .pointer_mut("/properties/agents")
        .and_then(|a| a.as_object_mut())
    {
        agents.insert(
            "additionalProperties".into(),
            serde_json::json!({
                "anyOf": [
                    { "$ref": "#/$defs/AgentSpec" },
                    { "type": "null", "description": "Removes an agent a file this one extends declares." }
                ]
            }),
        );
    }
    schema
}

/// `extends: base` or `extends: [base, _option1]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Extends {
    One(String),
    Many(Vec<String>),
}

/// Which chapters of the book an environment's runbook holds: every
/// chapter listed in SUMMARY.md, less the parts and chapters skipped here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BookPath {
    /// SUMMARY.md part titles (`# Option 2: extension DLL`) whose chapters
    /// this environment does not follow.
    #[serde(default)]
    pub skip_parts: Vec<String>,
    /// Chapter files (relative to the book's source folder) this
    /// environment does not follow.
    #[serde(default)]
    pub skip_chapters: Vec<String>,
}

/// A management agent as the environment declares it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentSpec {
    /// The management agent's name in the Synchronization Service, exactly
    /// as created (run profiles are started by it).
    pub name: String,
    /// The connector type, as the Create Management Agent wizard lists it.
    #[serde(rename = "type")]
    pub connector: ConnectorType,
    /// The partition the run profiles run against: the domain naming
    /// context for Active Directory (`DC=contoso,DC=local`), `default` for
    /// the others.
    pub partition: String,
    /// The partition's GUID as MIM shows it (`{8F3B…}`), to make the
    /// manifests match a live server; derived from the agent's and the
    /// partition's names when left out.
    #[serde(default)]
    pub partition_id: Option<String>,
}

/// The connector types runsheet knows how to write run profiles for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum ConnectorType {
    #[serde(rename = "FIM Service Management Agent")]
    MimService,
    #[serde(rename = "Active Directory Domain Services")]
    ActiveDirectory,
    #[serde(rename = "Graph (Microsoft)")]
    Graph,
    #[serde(rename = "Extensible Connectivity 2.0")]
    Extensible2,
}

impl ConnectorType {
    /// The wizard's label.
    pub fn label(self) -> &'static str {
        match self {
            ConnectorType::MimService => "FIM Service Management Agent",
            ConnectorType::ActiveDirectory => "Active Directory Domain Services",
            ConnectorType::Graph => "Graph (Microsoft)",
            ConnectorType::Extensible2 => "Extensible Connectivity 2.0",
        }
    }

    /// `<category>` in an exported management agent.
    pub fn category(self) -> &'static str {
        match self {
            ConnectorType::MimService => "FIM",
            ConnectorType::ActiveDirectory => "AD",
            ConnectorType::Graph | ConnectorType::Extensible2 => "Extensible2",
        }
    }

    /// Where the agent comes in the default run cycle.
    pub fn cycle_rank(self) -> u8 {
        match self {
            ConnectorType::MimService => 0,
            ConnectorType::Graph | ConnectorType::Extensible2 => 1,
            ConnectorType::ActiveDirectory => 2,
        }
    }
}

/// One step of a run cycle override.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunStepSpec {
    /// The agent's key under `agents` (`ad`, not `ADMA`).
    pub agent: String,
    /// The run profile's name, as the book's run-profile table has it.
    pub profile: String,
}

/// A management agent of a loaded environment.
#[derive(Debug, Clone, Serialize)]
pub struct Agent {
    pub key: String,
    pub name: String,
    #[serde(rename = "type")]
    pub connector: ConnectorType,
    pub partition: String,
    pub partition_id: Option<String>,
    #[serde(skip)]
    pub origin: Origin,
}

/// A run-cycle step an environment asks for, with where it is written.
#[derive(Debug, Clone)]
pub struct RunStepOverride {
    pub agent: String,
    pub profile: String,
    pub origin: Origin,
}

/// An environment with every layer applied.
#[derive(Debug, Clone)]
pub struct Environment {
    /// The file name without `.yaml`.
    pub name: String,
    /// The environment's own file, relative to the book's root.
    pub file: String,
    /// Every file layered into it, the farthest base first and its own
    /// file last, relative to the book's root.
    pub layers: Vec<String>,
    pub description: Option<String>,
    pub path: BookPath,
    pub agents: Vec<Agent>,
    pub run_cycle: Option<Vec<RunStepOverride>>,
    /// The merged document, every value with the place that set it.
    pub tree: Node,
}

/// A problem with an environment file (or a `--set`), with the place to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvError {
    /// The file as the user can open it (the book's root joined with the
    /// file's place in it), or `--set …`.
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

impl std::error::Error for EnvError {}

/// `KEY=VALUE` from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Set {
    /// The full document path (`values.ad.domain`).
    pub path: Vec<String>,
    pub value: String,
    pub arg: String,
}

impl Set {
    /// Parse `KEY=VALUE`. KEY is a dotted name; one that does not start
    /// with a top-level key of the file (`agents`, `path`, …) is read under
    /// `values`, as placeholders are. The value is read as a plain YAML
    /// scalar (`null` or nothing removes the key); commas are not split.
    pub fn parse(arg: &str) -> Result<Set, EnvError> {
        let fail = |message: String| EnvError {
            file: format!("--set {arg}"),
            line: 0,
            column: 0,
            message,
        };
        let Some((key, value)) = arg.split_once('=') else {
            return Err(fail(
                "expected KEY=VALUE, e.g. `--set ad.domain=contoso.local`".into(),
            ));
        };
        let key = key.trim();
        if !is_dotted_identifier(key) {
            return Err(fail(format!(
                "`{key}` is not a key: use names of letters, digits and `_` joined by dots, e.g. `ad.domain`"
            )));
        }
        let path = document_path(key);
        if path[0] == "extends" {
            return Err(fail(
                "`extends` cannot be set from the command line; use --env to pick the environment"
                    .into(),
            ));
        }
        Ok(Set {
            path,
            value: value.to_string(),
            arg: arg.to_string(),
        })
    }

    fn node(&self) -> Node {
        let origin = Origin {
            source: Source::CommandLine(Arc::from(self.arg.as_str())),
            line: 0,
            column: 0,
        };
        let kind = match Scalar::plain(&self.value) {
            Some(s) => Kind::Scalar(s),
            None => Kind::Null,
        };
        let mut node = Node::new(kind, origin.clone());
        for key in self.path.iter().rev() {
            let key = yaml::Key {
                name: key.clone(),
                origin: origin.clone(),
            };
            node = Node::new(Kind::Map(vec![(key, node)]), origin.clone());
        }
        node
    }
}

/// The full document path of a key as written in a placeholder, `--set`
/// or `--explain`: `ad.domain` → `values.ad.domain`; `agents.ad.name` stays.
pub fn document_path(key: &str) -> Vec<String> {
    let parts: Vec<String> = key.split('.').map(str::to_string).collect();
    if TOP_LEVEL_KEYS.contains(&parts[0].as_str()) {
        parts
    } else {
        std::iter::once("values".to_string()).chain(parts).collect()
    }
}

/// The names of the environments of the book at `root`, sorted: every
/// `environments/*.yaml` (or `.yml`) whose name does not start with `_`.
pub fn names(root: &Path) -> Result<Vec<String>, EnvError> {
    let dir = root.join(DIR);
    let entries = std::fs::read_dir(&dir).map_err(|e| EnvError {
        file: shown(&dir),
        line: 0,
        column: 0,
        message: if e.kind() == std::io::ErrorKind::NotFound {
            "no environments folder: create it beside book.toml with one NAME.yaml per environment (`runsheet schema environment` prints the file format)".into()
        } else {
            format!("cannot read the folder: {e}")
        },
    })?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            let stem = file
                .strip_suffix(".yaml")
                .or_else(|| file.strip_suffix(".yml"))?;
            (!stem.starts_with('_') && !stem.starts_with('.') && !stem.is_empty())
                .then(|| stem.to_string())
        })
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// Every environment of the book at `root`, sorted by name.
pub fn load_all(root: &Path) -> Result<Vec<Environment>, EnvError> {
    let names = names(root)?;
    names.iter().map(|n| load(root, n, &[])).collect()
}

/// One environment of the book at `root`, with `sets` applied last.
pub fn load(root: &Path, name: &str, sets: &[Set]) -> Result<Environment, EnvError> {
    let file = env_file(root, name).ok_or_else(|| {
        let available = names(root).unwrap_or_default();
        EnvError {
            file: shown(&root.join(DIR)),
            line: 0,
            column: 0,
            message: if name.starts_with('_') {
                format!("`{name}` is a layer (its name starts with `_`), not an environment; the environments are: {}", available.join(", "))
            } else if available.is_empty() {
                format!("there is no environment `{name}` and no environment at all: add {DIR}/{name}.yaml")
            } else {
                format!(
                    "there is no environment `{name}`{}; the environments are: {}",
                    suggest(name, &available.iter().map(String::as_str).collect::<Vec<_>>())
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default(),
                    available.join(", ")
                )
            },
        }
    })?;
    let mut layers = Vec::new();
    let mut tree = read_layered(root, &file, &mut Vec::new(), &mut layers)?;
    for set in sets {
        tree.merge(set.node());
    }
    tree.strip_nulls();
    build(root, name, layers, tree)
}

fn env_file(root: &Path, name: &str) -> Option<PathBuf> {
    if name.starts_with('_') || name.contains(['/', '\\']) {
        return None;
    }
    ["yaml", "yml"]
        .iter()
        .map(|ext| root.join(DIR).join(format!("{name}.{ext}")))
        .find(|p| p.is_file())
}

/// `path` as shown to the user: without a leading `./`.
fn shown(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// `path` relative to the book's root, with `/`.
fn relative(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => shown(path),
    }
}

/// Read `file` with everything it extends merged under it.
fn read_layered(
    root: &Path,
    file: &Path,
    chain: &mut Vec<PathBuf>,
    layers: &mut Vec<String>,
) -> Result<Node, EnvError> {
    let rel = relative(root, file);
    let error = |line: usize, column: usize, message: String| EnvError {
        file: shown(file),
        line,
        column,
        message,
    };
    let canonical = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
    if chain.contains(&canonical) {
        let names: Vec<String> = chain
            .iter()
            .chain(std::iter::once(&canonical))
            .map(|p| {
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        return Err(error(
            0,
            0,
            format!("`extends` goes round in a circle: {}", names.join(" → ")),
        ));
    }
    let text = std::fs::read_to_string(file)
        .map_err(|e| error(0, 0, format!("cannot read the file: {e}")))?;
    let mut node = yaml::parse(&text, Arc::from(rel.as_str()))
        .map_err(|e| error(e.line, e.column, format!("not valid YAML: {}", e.message)))?;
    if !matches!(node.kind, Kind::Map(_)) {
        return Err(error(
            node.origin.line,
            node.origin.column,
            "an environment file is a map of keys (`values:`, `agents:` …), not a single value or a list".into(),
        ));
    }
    let bases: Vec<(String, Origin)> = match node.remove("extends") {
        None => Vec::new(),
        Some((_, value)) => match &value.kind {
            Kind::Null => Vec::new(),
            Kind::Scalar(s) => vec![(s.text.clone(), value.origin.clone())],
            Kind::Seq(items) => items
                .iter()
                .map(|i| match &i.kind {
                    Kind::Scalar(s) => Ok((s.text.clone(), i.origin.clone())),
                    _ => Err(error(
                        i.origin.line,
                        i.origin.column,
                        "`extends` lists file names".into(),
                    )),
                })
                .collect::<Result<_, _>>()?,
            Kind::Map(_) => {
                return Err(error(
                    value.origin.line,
                    value.origin.column,
                    "`extends` is a name (`base`) or a list of names".into(),
                ));
            }
        },
    };
    chain.push(canonical);
    let mut merged: Option<Node> = None;
    for (base, origin) in bases {
        let base_file = if base.ends_with(".yaml") || base.ends_with(".yml") {
            file.parent().unwrap_or(Path::new(".")).join(&base)
        } else {
            root.join(DIR).join(format!("{base}.yaml"))
        };
        if !base_file.is_file() {
            let alt = root.join(DIR).join(format!("{base}.yml"));
            if !base.ends_with(".yaml") && alt.is_file() {
                let layer = read_layered(root, &alt, chain, layers)?;
                merge_into(&mut merged, layer);
                continue;
            }
            return Err(error(
                origin.line,
                origin.column,
                format!("extends `{base}`, but there is no {}", shown(&base_file)),
            ));
        }
        let layer = read_layered(root, &base_file, chain, layers)?;
        merge_into(&mut merged, layer);
    }
    chain.pop();
    layers.push(rel);
    Ok(match merged {
        Some(mut base) => {
            base.merge(node);
            base
        }
        None => node,
    })
}

fn merge_into(merged: &mut Option<Node>, layer: Node) {
    match merged {
        Some(m) => m.merge(layer),
        None => *merged = Some(layer),
    }
}

fn build(
    root: &Path,
    name: &str,
    layers: Vec<String>,
    tree: Node,
) -> Result<Environment, EnvError> {
    let file_error = |origin: &Origin, message: String| EnvError {
        file: match &origin.source {
            Source::File(f) => shown(&root.join(f.as_ref())),
            Source::CommandLine(arg) => format!("--set {arg}"),
        },
        line: origin.line,
        column: origin.column,
        message,
    };
    let spec: EnvironmentFile = yaml::from_node(&tree).map_err(|e| {
        let origin = e.origin.clone().unwrap_or_else(|| tree.origin.clone());
        file_error(&origin, e.message)
    })?;

    // Every key under `values` must be usable in a placeholder.
    if let Some(values) = tree.get("values") {
        check_value_keys(values, "values", &file_error)?;
    }

    let mut agents = Vec::new();
    for (key, agent) in spec.agents {
        let node = tree
            .at(&["agents", &key])
            .expect("deserialised from the tree");
        let key_origin = match &tree.get("agents").map(|a| &a.kind) {
            Some(Kind::Map(entries)) => entries
                .iter()
                .find(|(k, _)| k.name == key)
                .map(|(k, _)| k.origin.clone())
                .unwrap_or_else(|| node.origin.clone()),
            _ => node.origin.clone(),
        };
        if !is_dotted_identifier(&key) || key.contains('.') {
            return Err(file_error(
                &key_origin,
                format!("`{key}` cannot be an agent key: use letters, digits and `_` (e.g. `ad`)"),
            ));
        }
        if agent.name.trim().is_empty() {
            return Err(file_error(
                &node.origin,
                format!("agent `{key}` has an empty name"),
            ));
        }
        if let Some(id) = &agent.partition_id
            && super::ids::parse_guid(id).is_none()
        {
            let at = node.get("partition_id").map_or(&node.origin, |n| &n.origin);
            return Err(file_error(
                at,
                format!(
                    "`{id}` is not a GUID; write it as MIM shows it, e.g. {{08F64D3F-B82C-44E2-AC6F-9F680DECFEBE}}"
                ),
            ));
        }
        agents.push(Agent {
            key,
            name: agent.name,
            connector: agent.connector,
            partition: agent.partition,
            partition_id: agent.partition_id,
            origin: key_origin,
        });
    }
    for (i, a) in agents.iter().enumerate() {
        if let Some(b) = agents[..i]
            .iter()
            .find(|b| b.name.eq_ignore_ascii_case(&a.name))
        {
            return Err(file_error(
                &a.origin,
                format!(
                    "agents `{}` and `{}` are both named `{}`; every management agent needs its own name",
                    b.key, a.key, a.name
                ),
            ));
        }
    }

    let run_cycle = spec.run_cycle.map(|steps| {
        let items = match tree.get("run_cycle").map(|n| &n.kind) {
            Some(Kind::Seq(items)) => items.clone(),
            _ => Vec::new(),
        };
        steps
            .into_iter()
            .enumerate()
            .map(|(i, s)| RunStepOverride {
                agent: s.agent,
                profile: s.profile,
                origin: items
                    .get(i)
                    .map_or_else(|| tree.origin.clone(), |n| n.origin.clone()),
            })
            .collect()
    });
    if let Some(steps) = &run_cycle {
        for step in steps as &Vec<RunStepOverride> {
            if !agents.iter().any(|a| a.key == step.agent) {
                let keys: Vec<&str> = agents.iter().map(|a| a.key.as_str()).collect();
                return Err(file_error(
                    &step.origin,
                    format!(
                        "the run cycle names agent `{}`, which this environment does not declare; the agents are: {}",
                        step.agent,
                        keys.join(", ")
                    ),
                ));
            }
        }
    }

    Ok(Environment {
        name: name.to_string(),
        file: layers.last().cloned().unwrap_or_default(),
        layers,
        description: spec.description,
        path: spec.path,
        agents,
        run_cycle,
        tree,
    })
}

fn check_value_keys(
    node: &Node,
    at: &str,
    error: &dyn Fn(&Origin, String) -> EnvError,
) -> Result<(), EnvError> {
    if let Kind::Map(entries) = &node.kind {
        for (key, value) in entries {
            let path = format!("{at}.{}", key.name);
            if key.name.contains('.') || !is_dotted_identifier(&key.name) {
                return Err(error(
                    &key.origin,
                    format!(
                        "`{}` cannot be used in a placeholder: name values with letters, digits and `_`, and nest maps for dots",
                        key.name
                    ),
                ));
            }
            if at == "values" && TOP_LEVEL_KEYS.contains(&key.name.as_str()) {
                return Err(error(
                    &key.origin,
                    format!(
                        "`values.{}` cannot be reached: `{{{{ {}.… }}}}` reads the top-level `{}` key; rename the value",
                        key.name, key.name, key.name
                    ),
                ));
            }
            check_value_keys(value, &path, error)?;
        }
    }
    Ok(())
}

/// Why a placeholder has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// Nothing is set at this key.
    Undefined {
        /// The nearest key that is set, for "did you mean".
        suggestion: Option<String>,
    },
    /// The key holds a map (or a list of maps): name one of its keys.
    NotAValue { keys: Vec<String> },
}

impl Missing {
    /// A sentence to follow "`{{ key }}` …".
    pub fn describe(&self, key: &str, env: &Environment) -> String {
        let full = document_path(key).join(".");
        match self {
            Missing::Undefined { suggestion } => format!(
                "is not defined in environment `{}`: add `{full}` to {}{}",
                env.name,
                env.file,
                suggestion
                    .as_ref()
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default()
            ),
            Missing::NotAValue { keys } => format!(
                "is a map in environment `{}` ({}), not a value: use one of {}",
                env.name,
                env.file,
                keys.iter()
                    .map(|k| format!("`{key}.{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

impl Environment {
    /// The text a placeholder `{{ key }}` stands for in this environment,
    /// and where it was set. A list of plain values reads as `a, b, c`.
    pub fn placeholder_value(&self, key: &str) -> Result<(Cow<'_, str>, &Origin), Missing> {
        let path = document_path(key);
        let parts: Vec<&str> = path.iter().map(String::as_str).collect();
        let Some(node) = self.tree.at(&parts) else {
            return Err(Missing::Undefined {
                suggestion: self.suggest_key(key),
            });
        };
        match &node.kind {
            Kind::Scalar(s) => Ok((Cow::Borrowed(&s.text), &node.origin)),
            Kind::Seq(items) => {
                let texts: Option<Vec<&str>> = items.iter().map(Node::as_str).collect();
                match texts {
                    Some(t) => Ok((Cow::Owned(t.join(", ")), &node.origin)),
                    None => Err(Missing::NotAValue { keys: Vec::new() }),
                }
            }
            Kind::Map(entries) => Err(Missing::NotAValue {
                keys: entries.iter().map(|(k, _)| k.name.clone()).collect(),
            }),
            Kind::Null => Err(Missing::Undefined { suggestion: None }),
        }
    }

    /// Whether `{{ key }}` has a value in this environment.
    pub fn is_defined(&self, key: &str) -> bool {
        self.placeholder_value(key).is_ok()
    }

    /// Whether this environment's runbook holds `chapter`: it is listed in
    /// SUMMARY.md, and neither its part nor the file is skipped.
    pub fn follows(&self, chapter: &Chapter) -> bool {
        chapter.listed
            && !chapter
                .part
                .as_ref()
                .is_some_and(|p| self.path.skip_parts.iter().any(|s| s == p))
            && !self.path.skip_chapters.iter().any(|s| s == &chapter.path)
    }

    /// `skip_parts` and `skip_chapters` entries that name nothing in the
    /// guide (a typo would otherwise silently keep chapters in).
    pub fn check_path(&self, guide: &Guide) -> Vec<(Origin, String)> {
        let mut parts: Vec<&str> = guide
            .chapters
            .iter()
            .filter_map(|c| c.part.as_deref())
            .collect();
        parts.dedup();
        let mut problems = Vec::new();
        let entries = |key: &str| -> Vec<Node> {
            match self.tree.at(&["path", key]).map(|n| &n.kind) {
                Some(Kind::Seq(items)) => items.clone(),
                _ => Vec::new(),
            }
        };
        for node in entries("skip_parts") {
            let name = node.as_str().unwrap_or_default();
            if !parts.contains(&name) {
                let quoted: Vec<String> = parts.iter().map(|p| format!("`{p}`")).collect();
                problems.push((
                    node.origin.clone(),
                    if parts.is_empty() {
                        format!("`{name}` is not a part of the book: the book has no parts (`# Part` headings in SUMMARY.md)")
                    } else {
                        format!(
                            "`{name}` is not a part of the book{}; the parts are {}",
                            suggest(name, &parts).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default(),
                            quoted.join(", ")
                        )
                    },
                ));
            }
        }
        for node in entries("skip_chapters") {
            let name = node.as_str().unwrap_or_default();
            if guide.chapter(name).is_none() {
                let paths: Vec<&str> = guide.chapters.iter().map(|c| c.path.as_str()).collect();
                problems.push((
                    node.origin.clone(),
                    format!(
                        "`{name}` is not a chapter of the book{}",
                        suggest(name, &paths)
                            .map(|s| format!(" (did you mean `{s}`?)"))
                            .unwrap_or_default()
                    ),
                ));
            }
        }
        problems
    }

    /// Every value under `values` with its dotted key (without `values.`),
    /// sorted by key.
    pub fn values_flat(&self) -> Vec<(String, String, &Origin)> {
        let mut out = Vec::new();
        if let Some(values) = self.tree.get("values") {
            flatten(values, "", &mut out);
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// `values` as plain data for templates: maps keep their keys, scalars
    /// are strings except booleans and integers.
    pub fn values_json(&self) -> serde_json::Value {
        self.tree
            .get("values")
            .map_or_else(|| serde_json::Value::Object(Default::default()), to_json)
    }

    /// What `key` is set to and which file and line set it (every leaf
    /// under it, for a map), or `None` when it is not set.
    pub fn explain(&self, key: &str) -> Option<Explanation> {
        let path = document_path(key);
        let parts: Vec<&str> = path.iter().map(String::as_str).collect();
        let node = self.tree.at(&parts)?;
        let mut leaves = Vec::new();
        explain_leaves(node, &path.join("."), &mut leaves);
        Some(Explanation {
            key: path.join("."),
            leaves,
        })
    }

    fn suggest_key(&self, key: &str) -> Option<String> {
        let mut keys: Vec<String> = self.values_flat().into_iter().map(|(k, _, _)| k).collect();
        for a in &self.agents {
            for field in ["name", "partition"] {
                keys.push(format!("agents.{}.{field}", a.key));
            }
        }
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        suggest(key, &refs).map(str::to_string)
    }
}

fn flatten<'a>(node: &'a Node, prefix: &str, out: &mut Vec<(String, String, &'a Origin)>) {
    match &node.kind {
        Kind::Map(entries) => {
            for (k, v) in entries {
                let key = if prefix.is_empty() {
                    k.name.clone()
                } else {
                    format!("{prefix}.{}", k.name)
                };
                flatten(v, &key, out);
            }
        }
        Kind::Scalar(s) => out.push((prefix.to_string(), s.text.clone(), &node.origin)),
        Kind::Seq(items) => out.push((
            prefix.to_string(),
            items
                .iter()
                .map(Node::describe)
                .collect::<Vec<_>>()
                .join(", "),
            &node.origin,
        )),
        Kind::Null => {}
    }
}

fn to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value;
    match &node.kind {
        Kind::Null => Value::Null,
        Kind::Scalar(s) => match s.value {
            ScalarValue::Bool(b) => Value::Bool(b),
            ScalarValue::Int(i) => Value::from(i),
            // Floats keep their text: `1.10` is a version, not 1.1.
            ScalarValue::Float(_) | ScalarValue::Str => Value::String(s.text.clone()),
        },
        Kind::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        Kind::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), to_json(v)))
                .collect(),
        ),
    }
}

/// What `--explain KEY` prints.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// The full key (`values.ad.domain`).
    pub key: String,
    pub leaves: Vec<ExplainedValue>,
}

#[derive(Debug, Clone)]
pub struct ExplainedValue {
    pub key: String,
    pub value: String,
    pub origin: Origin,
    /// The values it replaced, nearest first.
    pub overrides: Vec<(Origin, String)>,
}

fn explain_leaves(node: &Node, key: &str, out: &mut Vec<ExplainedValue>) {
    match &node.kind {
        Kind::Map(entries) if !entries.is_empty() => {
            for (k, v) in entries {
                explain_leaves(v, &format!("{key}.{}", k.name), out);
            }
        }
        _ => out.push(ExplainedValue {
            key: key.to_string(),
            value: node.describe(),
            origin: node.origin.clone(),
            overrides: node.overrides.clone(),
        }),
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for leaf in &self.leaves {
            writeln!(f, "{} = {}", leaf.key, leaf.value)?;
            writeln!(f, "  set by {}", leaf.origin)?;
            for (origin, value) in &leaf.overrides {
                writeln!(f, "  overrides {origin} ({value})")?;
            }
        }
        Ok(())
    }
}

/// The closest of `candidates` to `word`, if any is close.
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| {
            (
                strsim::normalized_levenshtein(&word.to_lowercase(), &c.to_lowercase()),
                *c,
            )
        })
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(DIR)).unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(DIR).join(name), text).unwrap();
        }
        dir
    }

    const AGENTS: &str = "agents:\n  ad:\n    name: ADMA\n    type: Active Directory Domain Services\n    partition: DC=x,DC=y\n";

    #[test]
    fn names_skip_layers_and_other_files() {
        let dir = book(&[
            ("prod.yaml", ""),
            ("_base.yaml", ""),
            ("lab.yml", ""),
            ("notes.txt", ""),
        ]);
        assert_eq!(names(dir.path()).unwrap(), ["lab", "prod"]);
    }

    #[test]
    fn placeholders_read_values_and_agents() {
        let dir = book(&[(
            "lab.yaml",
            &format!("{AGENTS}values:\n  ad:\n    domain: x.local\n  perms: [a, b]\n"),
        )]);
        let env = load(dir.path(), "lab", &[]).unwrap();
        assert_eq!(env.placeholder_value("ad.domain").unwrap().0, "x.local");
        assert_eq!(env.placeholder_value("agents.ad.name").unwrap().0, "ADMA");
        assert_eq!(env.placeholder_value("perms").unwrap().0, "a, b");
        assert_eq!(
            env.placeholder_value("ad"),
            Err(Missing::NotAValue {
                keys: vec!["domain".into()]
            })
        );
        assert_eq!(
            env.placeholder_value("ad.domian"),
            Err(Missing::Undefined {
                suggestion: Some("ad.domain".into())
            })
        );
    }

    #[test]
    fn layers_merge_and_explain_names_every_file() {
        let dir = book(&[
            (
                "_base.yaml",
                &format!("{AGENTS}values:\n  ad:\n    domain: base.local\n    netbios: BASE\n"),
            ),
            (
                "prod.yaml",
                "extends: _base\nvalues:\n  ad:\n    domain: prod.local\n",
            ),
        ]);
        let sets = [Set::parse("ad.netbios=CLI").unwrap()];
        let env = load(dir.path(), "prod", &sets).unwrap();
        assert_eq!(
            env.layers,
            ["environments/_base.yaml", "environments/prod.yaml"]
        );
        assert_eq!(env.placeholder_value("ad.netbios").unwrap().0, "CLI");
        let text = env.explain("ad.domain").unwrap().to_string();
        assert_eq!(
            text,
            "values.ad.domain = prod.local\n  set by environments/prod.yaml:4\n  overrides environments/_base.yaml:8 (base.local)\n"
        );
        let text = env.explain("ad.netbios").unwrap().to_string();
        assert!(text.contains("set by --set ad.netbios=CLI"), "{text}");
        assert!(env.explain("nothing.here").is_none());
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let dir = book(&[(
            "lab.yaml",
            "agents:\n  ad:\n    name: ADMA\n    type: LDAP\n    partition: p\n",
        )]);
        let e = load(dir.path(), "lab", &[]).unwrap_err();
        assert!(e.file.ends_with("environments/lab.yaml"), "{e}");
        assert_eq!(e.line, 4, "{e}");
        assert!(
            e.message.contains("Active Directory Domain Services"),
            "{e}"
        );

        let dir = book(&[("lab.yaml", "values:\n  my-key: 1\n")]);
        let e = load(dir.path(), "lab", &[]).unwrap_err();
        assert_eq!(e.line, 2, "{e}");

        let dir = book(&[("lab.yaml", "values:\n  agents: 1\n")]);
        assert!(
            load(dir.path(), "lab", &[])
                .unwrap_err()
                .message
                .contains("top-level")
        );

        let dir = book(&[("a.yaml", "extends: b\n"), ("b.yaml", "extends: a\n")]);
        let e = load(dir.path(), "a", &[]).unwrap_err();
        assert!(e.message.contains("a.yaml → b.yaml → a.yaml"), "{e}");

        let dir = book(&[("a.yaml", "extends: nothing\n")]);
        let e = load(dir.path(), "a", &[]).unwrap_err();
        assert_eq!((e.line, e.column), (1, 10), "{e}");

        let dir = book(&[("a.yaml", "values: [1\n")]);
        assert!(
            load(dir.path(), "a", &[])
                .unwrap_err()
                .message
                .starts_with("not valid YAML")
        );

        let dir = book(&[("prod.yaml", "")]);
        let e = load(dir.path(), "prd", &[]).unwrap_err();
        assert!(e.message.contains("did you mean `prod`"), "{e}");
    }

    #[test]
    fn set_keys_are_checked() {
        assert_eq!(Set::parse("a.b=c=d").unwrap().value, "c=d");
        assert_eq!(
            Set::parse("agents.ad.name=X").unwrap().path,
            ["agents", "ad", "name"]
        );
        assert_eq!(
            Set::parse("ad.domain=x").unwrap().path,
            ["values", "ad", "domain"]
        );
        assert!(Set::parse("novalue").is_err());
        assert!(Set::parse("bad key=1").is_err());
        assert!(Set::parse("extends=x").is_err());
    }

    #[test]
    fn a_null_layer_removes_an_inherited_agent() {
        let dir = book(&[
            ("_base.yaml", AGENTS),
            ("test.yaml", "extends: _base\nagents:\n  ad: null\n"),
        ]);
        assert!(load(dir.path(), "test", &[]).unwrap().agents.is_empty());
    }
}
