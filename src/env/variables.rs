//! The book's declared variables: `variables.yaml` beside `book.toml`.
//!
//! Each key a chapter's `{{ key }}` can read under `values` is declared once,
//! with what it means, its type, an example, and whether every environment
//! must set it; a value can be a secret (never written into a runbook) or
//! derived from others (`OU={{ ad.guest_ou | rdn }},{{ ad.domain | dn }}`),
//! so that it cannot disagree with its parts. A book without the file has
//! no declarations, and its environments are not checked against them.

use super::types::VarType;
use super::{DIR, EnvError, TOP_LEVEL_KEYS, derive};
use crate::placeholder::is_dotted_identifier;
use crate::text::{paths, suggest};
use crate::yaml::{self, Kind, Origin};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use std::path::Path;
use std::sync::Arc;

/// The declarations file, beside `book.toml`.
pub const FILE: &str = "variables.yaml";

/// The longest `pattern` or `derive` a declaration may hold, in bytes.
pub const MAX_EXPRESSION: usize = 1_000;

/// One variable as the declarations file writes it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VariableSpec {
    /// What the value is, in one sentence: shown by `runsheet env new` and
    /// in editors.
    pub description: String,
    /// The kind of value.
    #[serde(rename = "type", default)]
    pub kind: VarType,
    /// The values a `one_of` variable may take.
    #[serde(default)]
    pub values: Vec<String>,
    /// A list of values of the type rather than one (an OU scope's
    /// containers): templates and `runsheet verify` read it, a placeholder
    /// cannot show it. Its `example` is one item; its derivation gives one
    /// item per line.
    #[serde(default)]
    pub list: bool,
    /// A regular expression (Rust `regex` syntax) the whole value must
    /// match, on top of its type.
    #[serde(default)]
    pub pattern: Option<String>,
    /// A value of the right form, for `runsheet env new` and editors.
    #[serde(default)]
    pub example: Option<String>,
    /// Whether every environment must set it (default `true`). A variable
    /// that is not required and not set renders as a prompt to fill in.
    #[serde(default = "yes")]
    pub required: bool,
    /// The value when an environment sets none.
    #[serde(default)]
    pub default: Option<String>,
    /// A secret is never written into a rendered file or printed: its
    /// placeholder renders as `‹enter KEY›`, and environments and `--set`
    /// may not give it.
    #[serde(default)]
    pub secret: bool,
    /// A template computing the value from other variables, such as
    /// `OU={{ ad.guest_ou | rdn }},{{ ad.domain | dn }}` (filters: `dn`
    /// turns a domain into `DC=` parts, `rdn` escapes a name for a
    /// distinguished name). An environment may leave it out; one that sets
    /// it must set the same value.
    #[serde(default)]
    pub derive: Option<String>,
    /// Conditions the value must meet together with others, each a
    /// minijinja expression and the message to show when it does not
    /// hold (`expect: "agents.ad.name == 'ADMA' or not takes('Option 2:
    /// extension DLL')"`). `check` and `render` report a check that fails
    /// at the line that sets the value, with the values it reads.
    #[serde(default)]
    pub checks: Vec<CheckSpec>,
}

/// A condition between values, as the declarations file writes it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    /// A minijinja expression that holds for a right environment. It reads
    /// the values by their keys (`ad.domain`), the agents
    /// (`agents.ad.name`, `agents.ad.partition`, `agents.ad.type`), the
    /// path (`path.skip_parts`, `path.skip_chapters`, and `takes('Part')`,
    /// whether the environment follows a SUMMARY part), and the filters of
    /// `derive:` (`dn`, `rdn`).
    pub expect: String,
    /// What is wrong when it does not hold, in a sentence: the finding
    /// adds the values the expression read.
    pub message: String,
}

/// What the book declares of the path every environment takes:
/// `path:` in the declarations file.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PathSpec {
    /// Sets of SUMMARY parts an environment chooses between (two ways of
    /// building the same thing): `check` reports an environment whose
    /// path takes none of a set, or more than one, and `runsheet env new`
    /// asks which to take.
    #[serde(default)]
    pub alternatives: Vec<AlternativeSpec>,
}

/// A set of parts an environment takes one of.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AlternativeSpec {
    /// The SUMMARY part titles (`# Option 1: …` in SUMMARY.md), two or more.
    pub parts: Vec<String>,
    /// `one` (the default): every environment takes exactly one of the
    /// parts; `at_most_one`: it may take none.
    #[serde(default)]
    pub choose: Choose,
    /// What the choice is about, for `runsheet env new` and findings.
    #[serde(default)]
    pub description: Option<String>,
}

/// How many parts of a set of alternatives an environment takes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Choose {
    /// Exactly one.
    #[default]
    One,
    /// One or none.
    AtMostOne,
}

/// A set of alternative parts, checked, with where it is declared.
#[derive(Debug, Clone)]
pub struct Alternative {
    pub parts: Vec<String>,
    /// Where each part is written, in the order of `parts`.
    pub parts_at: Vec<Origin>,
    pub choose: Choose,
    pub description: Option<String>,
    pub origin: Origin,
}

/// A declared check, with what it reads and where it is written.
#[derive(Debug, Clone)]
pub struct ValueCheck {
    pub expect: String,
    pub message: String,
    /// The keys the expression reads (`agents.ad.name`, `ad.domain`),
    /// sorted.
    pub inputs: Vec<String>,
    pub origin: Origin,
}

/// The outputs a book lists (`outputs:` in the declarations file), each
/// with where it is written.
#[derive(Debug, Clone)]
pub struct Outputs {
    pub names: Vec<(String, Origin)>,
    pub origin: Origin,
}

/// The top-level keys of the declarations file that are not variables:
/// `path` (alternatives) and `outputs`.
pub const RESERVED: [&str; 2] = ["path", "outputs"];

/// The files `runsheet render` writes from its built-in templates.
pub const BUILT_IN_OUTPUTS: [&str; 6] = [
    "Invoke-RunCycle.ps1",
    "manifest.yaml",
    "run-profiles.xml",
    "runbook.csv",
    "runbook.html",
    "runbook.md",
];

/// The built-in outputs about Microsoft Identity Manager, written only
/// for a runbook that has management agents or run profiles (unless the
/// book lists its `outputs`).
pub const MIM_OUTPUTS: [&str; 3] = ["Invoke-RunCycle.ps1", "manifest.yaml", "run-profiles.xml"];

/// The folder of a book's own templates, beside `book.toml`.
pub const TEMPLATES_DIR: &str = "templates";

/// The fields of an agent a book may declare (`agents.ad.partition`).
pub const AGENT_FIELDS: [&str; 2] = ["name", "partition"];

fn yes() -> bool {
    true
}

/// A declared variable, checked.
#[derive(Debug, Clone)]
pub struct Variable {
    /// The key as placeholders write it (`ad.domain`).
    pub key: String,
    pub spec: VariableSpec,
    pub pattern: Option<regex::Regex>,
    /// The variables a derived value is computed from.
    pub inputs: Vec<String>,
    /// The conditions it must meet with other values.
    pub checks: Vec<ValueCheck>,
    /// Where the key is written in the declarations file.
    pub origin: Origin,
}

impl Variable {
    /// The text a placeholder of a secret, or of an optional variable
    /// left unset, renders as.
    pub fn prompt(&self) -> String {
        format!("‹enter {}›", self.key)
    }

    /// What a value of this variable looks like, for messages.
    pub fn expected(&self) -> String {
        if self.spec.list {
            format!("a list, each item {}", self.expected_item())
        } else {
            self.expected_item()
        }
    }

    /// What one value (one item of a list) looks like, for messages.
    pub fn expected_item(&self) -> String {
        let mut s = self.spec.kind.expected(&self.spec.values);
        if let Some(p) = &self.spec.pattern {
            s.push_str(&format!(", matching `{p}`"));
        }
        s
    }
}

/// Every variable a book declares.
#[derive(Debug, Clone)]
pub struct Declarations {
    /// The file, relative to the book's root.
    pub file: String,
    pub variables: IndexMap<String, Variable>,
    /// The derived variables, each after every derived variable it reads.
    pub derive_order: Vec<String>,
    /// Sets of parts an environment chooses between (`path.alternatives`).
    pub alternatives: Vec<Alternative>,
    /// The outputs the book wants, when it lists them.
    pub outputs: Option<Outputs>,
}

impl Declarations {
    /// The declarations of the book at `root`, or `None` when it has no
    /// `variables.yaml`.
    pub fn load(root: &Path) -> Result<Option<Arc<Declarations>>, EnvError> {
        let book = crate::text::inside::Root::new(root);
        let path = book.resolve(FILE)?;
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(None);
        }
        let text = crate::text::inside::read_string(&path, crate::text::inside::Cap::CONFIG)?;
        let declarations = Declarations::parse(&text, &paths::shown(&path), FILE)?;
        // Each output listed is one a template makes: a built-in one, or
        // the book's own `templates/NAME.j2`.
        if let Some(outputs) = &declarations.outputs {
            for (name, origin) in &outputs.names {
                let own = root.join(TEMPLATES_DIR).join(format!("{name}.j2"));
                if !BUILT_IN_OUTPUTS.contains(&name.as_str()) && !own.is_file() {
                    return Err(EnvError::new(
                        paths::shown(&path),
                        origin.line,
                        origin.column,
                        format!(
                            "`{name}` is listed in `outputs`, but no template makes it: the built-in outputs are {}, and a book's own is {TEMPLATES_DIR}/{name}.j2",
                            BUILT_IN_OUTPUTS.map(|n| format!("`{n}`")).join(", ")
                        ),
                    ));
                }
            }
        }
        Ok(Some(Arc::new(declarations)))
    }

    /// Read declarations from `text`; `shown` names the file in errors,
    /// `rel` in origins.
    pub fn parse(text: &str, shown: &str, rel: &str) -> Result<Declarations, EnvError> {
        let error = |origin: &Origin, message: String| {
            EnvError::new(shown, origin.line, origin.column, message)
        };
        let node = yaml::parse(text, Arc::from(rel)).map_err(|e| {
            EnvError::new(
                shown,
                e.line,
                e.column,
                format!("not valid YAML: {}", e.message),
            )
        })?;
        let entries = match &node.kind {
            Kind::Map(entries) => entries,
            Kind::Null => &Vec::new(),
            _ => {
                return Err(error(
                    &node.origin,
                    "the declarations are a map of keys (`ad.domain:`) to what each holds (`description:`, `type:` …); `runsheet schema variables` prints the format".into(),
                ));
            }
        };
        let mut variables: IndexMap<String, Variable> = IndexMap::new();
        let mut alternatives = Vec::new();
        let mut outputs = None;
        for (key, value) in entries {
            let k = key.name.as_str();
            match k {
                "path" => {
                    alternatives = read_alternatives(value, &error)?;
                    continue;
                }
                "outputs" => {
                    outputs = Some(read_outputs(value, &error)?);
                    continue;
                }
                _ => {}
            }
            if !is_dotted_identifier(k) {
                return Err(error(
                    &key.origin,
                    format!(
                        "`{k}` cannot be a placeholder: use names of letters, digits and `_` joined by dots, e.g. `ad.domain`"
                    ),
                ));
            }
            let parts: Vec<&str> = k.split('.').collect();
            let first = parts.first().copied().unwrap_or(k);
            let agent_field =
                matches!(parts.as_slice(), ["agents", _, field] if AGENT_FIELDS.contains(field));
            if TOP_LEVEL_KEYS.contains(&first) && !agent_field {
                return Err(error(
                    &key.origin,
                    if first == "agents" {
                        format!(
                            "`{k}` is not a field of an agent a book declares: declare `agents.KEY.name` or `agents.KEY.partition` (to derive it or check it), or keys under `values`"
                        )
                    } else {
                        format!(
                            "`{k}` reads the environment's `{first}:`, not a value: declare keys under `values` only (`agents.KEY.name` and `agents.KEY.partition` may be declared too)"
                        )
                    },
                ));
            }
            let spec: VariableSpec = yaml::from_node(value).map_err(|e| {
                error(
                    e.origin.as_ref().unwrap_or(&value.origin),
                    format!("`{k}`: {}", e.message),
                )
            })?;
            if agent_field && (spec.secret || spec.list) {
                return Err(error(
                    &key.origin,
                    format!("`{k}` is a field of an agent: it is one value, and no secret"),
                ));
            }
            let at = |field: &str| value.get(field).map_or(&value.origin, |n| &n.origin);
            let pattern = match &spec.pattern {
                None => None,
                Some(p) if p.len() > MAX_EXPRESSION => {
                    return Err(error(
                        at("pattern"),
                        format!("the pattern of `{k}` is longer than {MAX_EXPRESSION} bytes"),
                    ));
                }
                Some(p) => Some(
                    regex::RegexBuilder::new(&format!("^(?:{p})$"))
                        .size_limit(1 << 20)
                        .build()
                        .map_err(|e| {
                            error(
                                at("pattern"),
                                format!("the pattern of `{k}` is not a regular expression: {e}"),
                            )
                        })?,
                ),
            };
            match (spec.kind, spec.values.is_empty()) {
                (VarType::OneOf, true) => {
                    return Err(error(
                        at("type"),
                        format!("`{k}` is `one_of`: list what it may be under `values:`"),
                    ));
                }
                (t, false) if t != VarType::OneOf => {
                    return Err(error(
                        at("values"),
                        format!(
                            "`{k}` has `values:`, which only a `one_of` variable has; write `type: one_of` or remove them"
                        ),
                    ));
                }
                _ => {}
            }
            if spec.secret && (spec.default.is_some() || spec.derive.is_some()) {
                return Err(error(
                    &key.origin,
                    format!(
                        "`{k}` is a secret, so it has no default or derivation: a runbook only ever asks for it"
                    ),
                ));
            }
            if spec.list && (spec.secret || spec.default.is_some()) {
                return Err(error(
                    &key.origin,
                    format!(
                        "`{k}` is a list, which has no default and is no secret: leave it unset for none, or derive it"
                    ),
                ));
            }
            if spec.derive.is_some() && spec.default.is_some() {
                return Err(error(
                    at("default"),
                    format!("`{k}` is derived, so it has no default"),
                ));
            }
            let inputs = match &spec.derive {
                None => Vec::new(),
                Some(t) if t.len() > MAX_EXPRESSION => {
                    return Err(error(
                        at("derive"),
                        format!("the derivation of `{k}` is longer than {MAX_EXPRESSION} bytes"),
                    ));
                }
                Some(t) => derive::inputs(t).map_err(|e| {
                    error(
                        at("derive"),
                        format!("the derivation of `{k}` is not a template: {e}"),
                    )
                })?,
            };
            let checks = match value.get("checks").map(|n| &n.kind) {
                Some(Kind::Seq(items)) => spec
                    .checks
                    .iter()
                    .zip(items)
                    .map(|(c, node)| {
                        let at = node.get("expect").map_or(&node.origin, |n| &n.origin);
                        if c.expect.len() > MAX_EXPRESSION {
                            return Err(error(
                                at,
                                format!("a check of `{k}` is longer than {MAX_EXPRESSION} bytes"),
                            ));
                        }
                        let inputs = derive::expression_inputs(&c.expect).map_err(|e| {
                            error(at, format!("a check of `{k}` is not an expression: {e}"))
                        })?;
                        Ok(ValueCheck {
                            expect: c.expect.clone(),
                            message: c.message.clone(),
                            inputs,
                            origin: node.origin.clone(),
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                _ => Vec::new(),
            };
            let variable = Variable {
                key: k.to_string(),
                spec,
                pattern,
                inputs,
                checks,
                origin: key.origin.clone(),
            };
            for (field, text) in [
                ("example", &variable.spec.example),
                ("default", &variable.spec.default),
            ] {
                if let Some(text) = text
                    && !variable.accepts(text, None)
                {
                    return Err(error(
                        at(field),
                        format!(
                            "the {field} of `{k}`, `{text}`, is not {}",
                            variable.expected_item()
                        ),
                    ));
                }
            }
            variables.insert(k.to_string(), variable);
        }
        // A key is a value or a map of values, not both.
        for k in variables.keys() {
            let mut prefix = String::new();
            for part in k.split('.') {
                if !prefix.is_empty() {
                    if let Some(v) = variables.get(&prefix) {
                        return Err(error(
                            &v.origin,
                            format!(
                                "`{prefix}` is declared as a value, but `{k}` puts keys under it: rename one"
                            ),
                        ));
                    }
                    prefix.push('.');
                }
                prefix.push_str(part);
            }
        }
        // What derivations and checks read must be declared (an agent's
        // fields and the path are the environment's own), not secret, and
        // derivations must not go round.
        for v in variables.values() {
            let reads = v.inputs.iter().map(|i| (i, "derivation")).chain(
                v.checks
                    .iter()
                    .flat_map(|c| c.inputs.iter().map(|i| (i, "check"))),
            );
            for (input, what) in reads {
                if is_environment_key(input) && !variables.contains_key(input.as_str()) {
                    continue;
                }
                // A check may read a map of values (`ad`) as a whole.
                let declared_parent = what == "check"
                    && variables.keys().any(|k| {
                        k.strip_prefix(input.as_str())
                            .is_some_and(|rest| rest.starts_with('.'))
                    });
                match variables.get(input) {
                    None if declared_parent => {}
                    None if what == "check" => {
                        let keys: Vec<&str> = variables.keys().map(String::as_str).collect();
                        return Err(error(
                            &v.origin,
                            format!(
                                "a check of `{}` reads `{input}`, which is not declared{}",
                                v.key,
                                suggest::best(input, &keys, 0.6)
                                    .map(|s| format!(" (did you mean `{s}`?)"))
                                    .unwrap_or_default()
                            ),
                        ));
                    }
                    None => {
                        let keys: Vec<&str> = variables.keys().map(String::as_str).collect();
                        return Err(error(
                            &v.origin,
                            format!(
                                "the derivation of `{}` reads `{input}`, which is not declared{}",
                                v.key,
                                suggest::best(input, &keys, 0.6)
                                    .map(|s| format!(" (did you mean `{s}`?)"))
                                    .unwrap_or_default()
                            ),
                        ));
                    }
                    Some(i) if i.spec.secret => {
                        return Err(error(
                            &v.origin,
                            format!(
                                "the {what} of `{}` reads the secret `{input}`, which would put it into the runbook",
                                v.key
                            ),
                        ));
                    }
                    _ => {}
                }
            }
        }
        let derive_order = derive_order(&variables).map_err(|cycle| {
            error(
                cycle
                    .first()
                    .and_then(|k| variables.get(k))
                    .map_or(&node.origin, |v| &v.origin),
                format!("derivations go round in a circle: {}", cycle.join(" → ")),
            )
        })?;
        Ok(Declarations {
            file: rel.to_string(),
            variables,
            derive_order,
            alternatives,
            outputs,
        })
    }

    /// The set of alternatives `part` belongs to, if any.
    pub fn alternative_of(&self, part: &str) -> Option<&Alternative> {
        self.alternatives
            .iter()
            .find(|a| a.parts.iter().any(|p| p == part))
    }

    /// Whether `a` and `b` are two parts of one set of alternatives: a
    /// link between them says "instead", not "first".
    pub fn are_alternatives(&self, a: &str, b: &str) -> bool {
        a != b
            && self
                .alternatives
                .iter()
                .any(|alt| alt.parts.iter().any(|p| p == a) && alt.parts.iter().any(|p| p == b))
    }

    pub fn get(&self, key: &str) -> Option<&Variable> {
        self.variables.get(key)
    }

    /// Whether `key` is a declared variable or the start of one (`ad`).
    pub fn is_declared_or_parent(&self, key: &str) -> bool {
        self.variables.contains_key(key)
            || self.variables.keys().any(|k| {
                k.strip_prefix(key)
                    .is_some_and(|rest| rest.starts_with('.'))
            })
    }

    /// The declared key closest to `key`, for "did you mean".
    pub fn closest(&self, key: &str) -> Option<&str> {
        let keys: Vec<&str> = self.variables.keys().map(String::as_str).collect();
        suggest::best(key, &keys, 0.6)
    }

    /// The JSON Schema of `values` in an environment file of this book.
    #[allow(
        clippy::indexing_slicing,
        reason = "`leaf` is an object made by json! here; indexing an object by key inserts, never panics"
    )]
    pub fn values_schema(&self) -> serde_json::Value {
        use serde_json::{Map, Value, json};
        let mut root = Value::Object(Map::new());
        for v in self
            .variables
            .values()
            .filter(|v| !v.key.starts_with("agents."))
        {
            let parts: Vec<&str> = v.key.split('.').collect();
            let Some((last, parents)) = parts.split_last() else {
                continue;
            };
            // Where the leaf goes, as a JSON pointer: `/ad/properties`.
            let mut pointer = String::new();
            for part in parents {
                let Some(level) = root.pointer_mut(&pointer).and_then(Value::as_object_mut) else {
                    break;
                };
                let entry = level.entry(part.to_string()).or_insert(Value::Null);
                // A key that is both a value and a parent (`a` and `a.b`)
                // is shown as the parent.
                if !entry.get("properties").is_some_and(Value::is_object) {
                    *entry = json!({ "type": "object", "additionalProperties": false, "properties": {} });
                }
                pointer.push('/');
                pointer.push_str(&part.replace('~', "~0").replace('/', "~1"));
                pointer.push_str("/properties");
            }
            let mut description = v.spec.description.clone();
            let leaf = if v.spec.secret {
                description.push_str(
                    " A secret: never written in an environment file; the runbook asks for it.",
                );
                json!({ "description": description, "not": {} })
            } else {
                let (ty, format) = v.spec.kind.json_type();
                let mut item = json!({ "type": [ty, "null"] });
                if let Some(f) = format {
                    item["format"] = f.into();
                }
                if let Some(p) = &v.spec.pattern {
                    item["pattern"] = format!("^(?:{p})$").into();
                }
                if !v.spec.values.is_empty() {
                    item["enum"] = v
                        .spec
                        .values
                        .iter()
                        .map(|s| Value::from(s.as_str()))
                        .chain([Value::Null])
                        .collect();
                }
                let mut leaf = if v.spec.list {
                    item["type"] = ty.into();
                    if let Some(e) = &v.spec.example {
                        item["examples"] = json!([e]);
                    }
                    json!({ "type": ["array", "null"], "items": item })
                } else {
                    if let Some(e) = &v.spec.example {
                        item["examples"] = json!([e]);
                    }
                    item
                };
                if let Some(d) = &v.spec.default {
                    leaf["default"] = d.as_str().into();
                }
                if let Some(d) = &v.spec.derive {
                    description.push_str(&format!(" Derived: `{d}`; leave it out."));
                }
                leaf["description"] = description.into();
                leaf
            };
            if let Some(level) = root.pointer_mut(&pointer).and_then(Value::as_object_mut) {
                level.entry(last.to_string()).or_insert(leaf);
            }
        }
        json!({
            "type": "object",
            "description": "The values of the placeholders the chapters use, as variables.yaml declares them. A null removes a value a file this one extends sets.",
            "additionalProperties": false,
            "properties": root,
        })
    }
}

impl Variable {
    /// Whether `text` is a value of this variable (`scalar`: what YAML
    /// read it as, when it came from YAML).
    pub fn accepts(&self, text: &str, scalar: Option<&yaml::ScalarValue>) -> bool {
        let (is_int, is_bool) = match scalar {
            Some(yaml::ScalarValue::Int(_)) => (true, false),
            Some(yaml::ScalarValue::Bool(_)) => (false, true),
            Some(_) => (false, false),
            None => (
                text.parse::<i64>().is_ok(),
                text == "true" || text == "false",
            ),
        };
        self.spec
            .kind
            .accepts(text, is_int, is_bool, &self.spec.values)
            && self.pattern.as_ref().is_none_or(|p| p.is_match(text))
    }
}

/// Whether `key` is read from the environment's own keys rather than its
/// values: an agent's field (`agents.ad.name`) or its path (`path`,
/// `path.skip_parts`).
pub fn is_environment_key(key: &str) -> bool {
    key == "agents" || key == "path" || key.starts_with("agents.") || key.starts_with("path.")
}

/// `path:` of the declarations file.
fn read_alternatives(
    node: &yaml::Node,
    error: &dyn Fn(&Origin, String) -> EnvError,
) -> Result<Vec<Alternative>, EnvError> {
    let spec: PathSpec = yaml::from_node(node).map_err(|e| {
        error(
            e.origin.as_ref().unwrap_or(&node.origin),
            format!("`path`: {}", e.message),
        )
    })?;
    let items = match node.get("alternatives").map(|n| &n.kind) {
        Some(Kind::Seq(items)) => items.as_slice(),
        _ => &[],
    };
    let mut out: Vec<Alternative> = Vec::new();
    for (alt, item) in spec.alternatives.into_iter().zip(items) {
        let at = item.get("parts").map_or(&item.origin, |n| &n.origin);
        if alt.parts.len() < 2 {
            return Err(error(
                at,
                "a set of alternatives names two parts or more: an environment chooses between them".into(),
            ));
        }
        for (i, part) in alt.parts.iter().enumerate() {
            let again = alt.parts.iter().take(i).any(|p| p == part)
                || out.iter().any(|o| o.parts.contains(part));
            if again {
                return Err(error(
                    at,
                    format!(
                        "part `{part}` is named twice among the alternatives: a part belongs to one set"
                    ),
                ));
            }
        }
        let parts_at = match item.get("parts").map(|n| &n.kind) {
            Some(Kind::Seq(nodes)) => nodes.iter().map(|n| n.origin.clone()).collect(),
            _ => Vec::new(),
        };
        out.push(Alternative {
            parts_at,
            parts: alt.parts,
            choose: alt.choose,
            description: alt.description,
            origin: item.origin.clone(),
        });
    }
    Ok(out)
}

/// `outputs:` of the declarations file: file names, as `runsheet render`
/// writes them into `OUT/ENV/`.
fn read_outputs(
    node: &yaml::Node,
    error: &dyn Fn(&Origin, String) -> EnvError,
) -> Result<Outputs, EnvError> {
    let Kind::Seq(items) = &node.kind else {
        return Err(error(
            &node.origin,
            "`outputs` lists the files a render writes for each environment, such as [runbook.md, runbook.html]".into(),
        ));
    };
    let mut names: Vec<(String, Origin)> = Vec::new();
    for item in items {
        let name = item.as_str().unwrap_or_default();
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            return Err(error(
                &item.origin,
                format!(
                    "`{}` cannot be an output: name a file a render writes, such as runbook.md",
                    item.describe()
                ),
            ));
        }
        if names.iter().any(|(n, _)| n == name) {
            return Err(error(&item.origin, format!("`{name}` is listed twice")));
        }
        names.push((name.to_string(), item.origin.clone()));
    }
    Ok(Outputs {
        names,
        origin: node.origin.clone(),
    })
}

/// The derived variables in an order where each comes after the derived
/// variables it reads (Kahn's algorithm, linear in the declarations), or
/// a cycle among them.
fn derive_order(variables: &IndexMap<String, Variable>) -> Result<Vec<String>, Vec<String>> {
    let derived: Vec<&Variable> = variables
        .values()
        .filter(|v| v.spec.derive.is_some())
        .collect();
    let is_derived = |k: &str| variables.get(k).is_some_and(|v| v.spec.derive.is_some());
    // How many derived inputs each waits for, and who reads each.
    let mut waiting: IndexMap<&str, usize> = IndexMap::new();
    let mut readers: std::collections::HashMap<&str, Vec<&str>> = Default::default();
    for v in &derived {
        let inputs: Vec<&str> = v
            .inputs
            .iter()
            .map(String::as_str)
            .filter(|i| is_derived(i))
            .collect();
        waiting.insert(&v.key, inputs.len());
        for i in inputs {
            readers.entry(i).or_default().push(&v.key);
        }
    }
    let mut ready: std::collections::VecDeque<&str> = waiting
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(k, _)| *k)
        .collect();
    let mut order = Vec::with_capacity(derived.len());
    while let Some(k) = ready.pop_front() {
        order.push(k.to_string());
        for r in readers.get(k).map(Vec::as_slice).unwrap_or_default() {
            if let Some(n) = waiting.get_mut(r) {
                *n -= 1;
                if *n == 0 {
                    ready.push_back(r);
                }
            }
        }
    }
    if order.len() == derived.len() {
        return Ok(order);
    }
    // Follow unfinished inputs from an unfinished variable until one repeats.
    let left = |k: &str| waiting.get(k).is_some_and(|n| *n > 0);
    let mut path: Vec<String> = Vec::new();
    let mut at = waiting
        .iter()
        .find(|(_, n)| **n > 0)
        .map(|(k, _)| k.to_string())
        .unwrap_or_default();
    while !path.contains(&at) {
        path.push(at.clone());
        match variables
            .get(&at)
            .and_then(|v| v.inputs.iter().find(|i| left(i)))
        {
            Some(next) => at = next.clone(),
            None => return Err(path),
        }
    }
    let start = path.iter().position(|k| *k == at).unwrap_or(0);
    let mut cycle = path.split_off(start);
    cycle.push(at);
    Err(cycle)
}

/// The JSON Schema of the declarations file (`runsheet schema variables`).
#[allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a schema derived from our own types always serialises; `defs` is an object"
)]
pub fn json_schema() -> serde_json::Value {
    let spec =
        serde_json::to_value(schemars::schema_for!(VariableSpec)).expect("a schema serialises");
    let mut defs = spec
        .get("$defs")
        .cloned()
        .unwrap_or_else(|| serde_json::json!({}));
    let mut variable = spec.clone();
    if let Some(o) = variable.as_object_mut() {
        o.remove("$defs");
        o.remove("$schema");
        o.remove("title");
    }
    defs["Variable"] = variable;
    let mut path =
        serde_json::to_value(schemars::schema_for!(PathSpec)).expect("a schema serialises");
    if let Some(extra) = path.get("$defs").and_then(|d| d.as_object()).cloned() {
        for (k, v) in extra {
            defs[k.as_str()] = v;
        }
    }
    if let Some(o) = path.as_object_mut() {
        o.remove("$defs");
        o.remove("$schema");
        o.remove("title");
        o.insert(
            "description".into(),
            "What the book declares of the path every environment takes.".into(),
        );
    }
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "runsheet variables",
        "description": format!("The variables a book's chapters use as {{{{ key }}}} placeholders: {FILE} beside book.toml. Each key (`ad.domain`) is read under `values` in the environment files ({DIR}/NAME.yaml)."),
        "type": "object",
        "propertyNames": { "pattern": "^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$" },
        "properties": {
            "path": path,
            "outputs": {
                "description": "The files `runsheet render` writes for each environment, by name (runbook.md, runbook.html, runbook.csv, manifest.yaml, run-profiles.xml, Invoke-RunCycle.ps1, or X for a template of the book's own templates/X.j2). Left out: every output, less the Microsoft Identity Manager ones (manifest.yaml, run-profiles.xml, Invoke-RunCycle.ps1) for an environment without agents or run profiles.",
                "type": "array",
                "items": { "type": "string" },
                "uniqueItems": true
            }
        },
        "additionalProperties": { "$ref": "#/$defs/Variable" },
        "$defs": defs,
    })
}
