//! Environments: `environments/NAME.yaml` beside `book.toml`, one per
//! place the guide is carried out (lab, test, production).
//!
//! A file may `extends:` others; maps merge key by key, scalars and lists
//! replace, a null removes a key, and `--set KEY=VALUE` is applied last
//! ([`layers`], [`set`]). Files whose name starts with `_` are layers only:
//! they can be extended but are not environments of their own. The merged
//! tree is checked and read into an [`Environment`] ([`validate`]).
//!
//! Placeholders (`{{ ad.domain }}`) are looked up under `values`, except
//! names that start with `agents.`, which read the agent declarations
//! (`{{ agents.ad.name }}`) ([`values`]). [`path`] says which chapters an
//! environment follows, [`explain`] which file set a value, [`file`](mod@file) what
//! a file may hold (and its JSON Schema), [`server`] what it requires of
//! the server beyond its agents (OU scopes, the metaverse's settings).

pub mod apply;
pub mod derive;
pub mod explain;
pub mod file;
pub mod layers;
pub mod path;
pub mod resolve;
pub mod scaffold;
pub mod server;
pub mod set;
pub mod types;
pub mod validate;
pub mod values;
pub mod variables;

pub use apply::{Finding, FindingKind};
pub use explain::{ExplainedValue, Explanation};
pub use file::{
    AgentSpec, BookPath, CyclesSpec, EnvironmentFile, Extends, RunStepSpec, json_schema,
};
pub use set::Set;
pub use types::VarType;
pub use values::Missing;
pub use variables::{Declarations, Variable};

use crate::mim::ConnectorType;
use crate::text::suggest;
use crate::yaml::{Node, Origin};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The folder holding the environment files, relative to the book's root.
pub const DIR: &str = "environments";

/// The keys an environment file may have at its top level. A placeholder
/// or `--set` key whose first part is none of these is read under `values`.
pub const TOP_LEVEL_KEYS: [&str; 7] = [
    "extends",
    "description",
    "path",
    "agents",
    "run_cycle",
    "cycles",
    "values",
];

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

/// The run cycles an environment gives, each as it is written.
#[derive(Debug, Clone, Default)]
pub struct Cycles {
    pub initial: Option<Vec<RunStepOverride>>,
    pub scheduled: Option<Vec<RunStepOverride>>,
}

impl Cycles {
    /// The cycle of kind `kind`, if the environment gives it.
    pub fn get(&self, kind: crate::mim::cycle::CycleKind) -> Option<&[RunStepOverride]> {
        match kind {
            crate::mim::cycle::CycleKind::Initial => self.initial.as_deref(),
            crate::mim::cycle::CycleKind::Scheduled => self.scheduled.as_deref(),
        }
    }
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
    /// The cycles the environment gives (`cycles:`, or `run_cycle:` for
    /// the initial one); a cycle not given follows the guide.
    pub cycles: Cycles,
    /// The merged document, every value with the place that set it, with
    /// the declared defaults and derived values filled in and secrets
    /// taken out.
    pub tree: Node,
    /// The book's declared variables (`variables.yaml`), if it has them.
    pub declarations: Option<Arc<Declarations>>,
    /// What the declarations refuse in this environment's values.
    pub findings: Vec<Finding>,
    /// The keys (as placeholders write them: `ad.domain`,
    /// `agents.ad.name`) that a file writes empty and nothing sets again,
    /// with the place of the empty value: where `runsheet env new` left a
    /// value to fill in. A value missing there is reported there.
    pub emptied: Vec<(String, Origin)>,
}

/// Every environment of a book, as far as each could be read.
#[derive(Debug, Default)]
pub struct BookEnvironments {
    pub declarations: Option<Arc<Declarations>>,
    /// The environments that could be read, sorted by name.
    pub environments: Vec<Environment>,
    /// The files that could not be read (the declarations file first).
    pub errors: Vec<EnvError>,
}

/// The declarations and every environment of the book at `root`, each
/// problem kept rather than stopping at the first: what a check reports.
/// A book without an environments folder has no environments and no error.
pub fn load_book(root: &Path) -> BookEnvironments {
    let mut book = BookEnvironments::default();
    match Declarations::load(root) {
        Ok(d) => book.declarations = d,
        Err(e) => book.errors.push(e),
    }
    if !root.join(DIR).is_dir() {
        return book;
    }
    match names(root) {
        Ok(names) => {
            for name in names {
                match load_with(root, &name, &[], book.declarations.clone()) {
                    Ok(env) => book.environments.push(env),
                    Err(e) => book.errors.push(e),
                }
            }
        }
        Err(e) => book.errors.push(e),
    }
    book
}

/// A problem with an environment file (or a `--set`), with the place to
/// fix: the file as the user can open it (the book's root joined with the
/// file's place in it), or `--set …`.
pub type EnvError = crate::text::Located;

/// The full document path of a key as written in a placeholder, `--set`
/// or `--explain`: `ad.domain` → `values.ad.domain`; `agents.ad.name` stays.
pub fn document_path(key: &str) -> Vec<String> {
    let parts: Vec<String> = key.split('.').map(str::to_string).collect();
    if parts
        .first()
        .is_some_and(|p| TOP_LEVEL_KEYS.contains(&p.as_str()))
    {
        parts
    } else {
        std::iter::once("values".to_string()).chain(parts).collect()
    }
}

/// A document path as a placeholder writes it: `values.ad.domain` →
/// `ad.domain`; `agents.ad.name` stays.
pub fn placeholder_key(path: &[&str]) -> String {
    match path.split_first() {
        Some((&"values", rest)) => rest.join("."),
        _ => path.join("."),
    }
}

/// The JSON Schema of an environment file of the book at `root`: with
/// its declared variables under `values` (types, patterns, descriptions)
/// when it has a `variables.yaml`, so an editor checks and completes them.
pub fn book_json_schema(root: &Path) -> Result<serde_json::Value, EnvError> {
    let mut schema = json_schema();
    if let Some(d) = Declarations::load(root)?
        && let Some(properties) = schema.get_mut("properties").and_then(|p| p.as_object_mut())
    {
        properties.insert("values".into(), d.values_schema());
    }
    Ok(schema)
}

/// The names of the environments of the book at `root`, sorted: every
/// `environments/*.yaml` (or `.yml`) whose name does not start with `_`.
pub fn names(root: &Path) -> Result<Vec<String>, EnvError> {
    // The folder held inside the book: a link out of it is refused.
    let dir = crate::text::inside::Root::new(root).resolve(DIR)?;
    let entries = std::fs::read_dir(&dir).map_err(|e| EnvError {
        file: crate::text::paths::shown(&dir),
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

/// One environment of the book at `root`, with `sets` applied last. The
/// book's declarations are read with it; a `--set` of a secret is refused.
pub fn load(root: &Path, name: &str, sets: &[Set]) -> Result<Environment, EnvError> {
    let declarations = Declarations::load(root)?;
    load_with(root, name, sets, declarations)
}

fn load_with(
    root: &Path,
    name: &str,
    sets: &[Set],
    declarations: Option<Arc<Declarations>>,
) -> Result<Environment, EnvError> {
    if let Some(d) = &declarations {
        for set in sets {
            if let Some(("values", rest)) = set.path.split_first().map(|(f, r)| (f.as_str(), r))
                && let Some(v) = d.get(&rest.join("."))
                && v.spec.secret
            {
                return Err(EnvError::file(
                    format!("--set {}", set.arg),
                    format!(
                        "`{}` is a secret: runsheet never writes it into a runbook, so it cannot be set; the runbook asks for it as `{}`",
                        v.key,
                        v.prompt()
                    ),
                ));
            }
        }
    }
    let file = env_file(root, name).ok_or_else(|| {
        let available = names(root).unwrap_or_default();
        // The name may come from a file (a progress file's environment).
        let shown_name = crate::text::escape::shown(name);
        EnvError {
            file: crate::text::paths::shown(&root.join(DIR)),
            line: 0,
            column: 0,
            message: if name.starts_with('_') {
                format!("`{shown_name}` is a layer (its name starts with `_`), not an environment; the environments are: {}", available.join(", "))
            } else if available.is_empty() {
                format!("there is no environment `{shown_name}` and no environment at all: add {DIR}/{shown_name}.yaml")
            } else {
                format!(
                    "there is no environment `{shown_name}`{}; the environments are: {}",
                    suggest::best(name, &available.iter().map(String::as_str).collect::<Vec<_>>(), 0.6)
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default(),
                    available.join(", ")
                )
            },
        }
    })?;
    let mut layers = Vec::new();
    let mut nulls = Vec::new();
    let mut tree = layers::read_layered(root, &file, &mut Vec::new(), &mut layers, &mut nulls)?;
    for set in sets {
        tree.merge(set.node());
        // `--set KEY=` writes the key empty, last of all.
        if let Some(origin) = set.emptied() {
            nulls.push((set.path.clone(), origin));
        }
    }
    tree.strip_nulls();
    let mut env = validate::build(root, name, layers, tree)?;
    env.declarations = declarations;
    apply::apply(&mut env);
    // The last file to write a key empty, for keys nothing sets again.
    for (path, origin) in nulls.into_iter().rev() {
        let parts: Vec<&str> = path.iter().map(String::as_str).collect();
        let key = placeholder_key(&parts);
        if env.tree.at(&parts).is_none() && !env.emptied.iter().any(|(k, _)| *k == key) {
            env.emptied.push((key, origin));
        }
    }
    env.emptied.reverse();
    Ok(env)
}

fn env_file(root: &Path, name: &str) -> Option<PathBuf> {
    // A plain file name: `.`, `..` and paths would leave environments/ (and
    // put the output beside the book instead of in OUT/NAME).
    if name.is_empty() || name.starts_with(['_', '.']) || name.contains(['/', '\\', '\0']) {
        return None;
    }
    ["yaml", "yml"]
        .iter()
        .map(|ext| root.join(DIR).join(format!("{name}.{ext}")))
        .find(|p| p.is_file())
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
        assert!(matches!(
            env.placeholder_value("perms"),
            Err(Missing::List { .. })
        ));
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
    fn declarations_give_defaults_derived_values_and_prompts() {
        let dir = book(&[(
            "lab.yaml",
            &format!("{AGENTS}values:\n  ad:\n    domain: x.local\n"),
        )]);
        std::fs::write(
            dir.path().join(variables::FILE),
            "ad.domain:\n  description: d\n  type: domain\nad.dn:\n  description: d\n  derive: \"{{ ad.domain | dn }}\"\nad.port:\n  description: p\n  type: integer\n  default: \"389\"\nad.note:\n  description: n\n  required: false\nad.key:\n  description: k\n  secret: true\n",
        )
        .unwrap();
        let env = load(dir.path(), "lab", &[]).unwrap();
        assert!(env.findings.is_empty(), "{:?}", env.findings);
        assert_eq!(env.placeholder_value("ad.dn").unwrap().0, "DC=x,DC=local");
        assert_eq!(env.placeholder_value("ad.port").unwrap().0, "389");
        assert_eq!(
            env.placeholder_value("ad.note").unwrap().0,
            "‹enter ad.note›"
        );
        assert_eq!(env.placeholder_value("ad.key").unwrap().0, "‹enter ad.key›");
        let text = env.explain("ad.dn").unwrap().to_string();
        assert!(
            text.contains("derived as `{{ ad.domain | dn }}` by variables.yaml:4"),
            "{text}"
        );
    }

    #[test]
    fn declarations_that_contradict_themselves_are_errors() {
        for (text, wants) in [
            (
                "a.b:\n  description: x\n  type: one_of\n",
                "list what it may be",
            ),
            (
                "a.b:\n  description: x\n  derive: \"{{ a.c }}\"\n",
                "which is not declared",
            ),
            (
                "a.b:\n  description: x\n  pattern: \"(\"\n",
                "not a regular expression",
            ),
            (
                "a.b:\n  description: x\n  type: domain\n  example: nodots\n",
                "the example of `a.b`",
            ),
            (
                "a:\n  description: x\na.b:\n  description: y\n",
                "puts keys under it",
            ),
            (
                "a.b:\n  description: x\n  derive: \"{{ a.c }}\"\na.c:\n  description: y\n  derive: \"{{ a.b }}\"\n",
                "circle",
            ),
            (
                "agents.ad.type:\n  description: x\n",
                "not a field of an agent a book declares",
            ),
            (
                "path.x:\n  description: x\n",
                "declare keys under `values` only",
            ),
            (
                "path:\n  alternatives:\n    - parts: [A]\n",
                "two parts or more",
            ),
            (
                "path:\n  alternatives:\n    - parts: [A, B]\n    - parts: [B, C]\n",
                "named twice",
            ),
            (
                "path:\n  alternatives:\n    - parts: [A, B]\n      choose: two\n",
                "expected `one` or `at_most_one`",
            ),
            ("outputs: runbook.md\n", "lists the files"),
            ("outputs: [../x]\n", "cannot be an output"),
            (
                "a.b:\n  description: x\n  checks:\n    - expect: \"a.b ==\"\n      message: m\n",
                "not an expression",
            ),
            (
                "a.b:\n  description: x\n  checks:\n    - expect: \"a.c == 1\"\n      message: m\n",
                "a check of `a.b` reads `a.c`, which is not declared",
            ),
            (
                "agents.ad.name:\n  description: x\n  secret: true\n",
                "no secret",
            ),
            (
                "a.b:\n  description: x\n  secret: true\n  default: y\n",
                "is a secret",
            ),
        ] {
            let e = variables::Declarations::parse(text, "variables.yaml", "variables.yaml")
                .unwrap_err();
            assert!(e.message.contains(wants), "{text}: {e}");
            assert!(e.line >= 1, "{e}");
        }
    }

    #[test]
    fn many_derivations_reading_each_other_are_ordered_in_linear_work() {
        // Each variable reads the twenty before it: counting paths through
        // them would take longer than the universe has.
        let mut text = String::from("v0:\n  description: x\n");
        for i in 1usize..200 {
            let reads: Vec<String> = (i.saturating_sub(20)..i)
                .map(|j| format!("{{{{ v{j} }}}}"))
                .collect();
            text.push_str(&format!(
                "v{i}:\n  description: x\n  derive: \"{}\"\n",
                reads.join("")
            ));
        }
        let d = variables::Declarations::parse(&text, "v.yaml", "v.yaml").unwrap();
        assert_eq!(d.derive_order.len(), 199);
        assert_eq!(d.derive_order[0], "v1");
    }

    #[test]
    fn a_list_variable_takes_a_list_of_its_type_and_derives_one_item_a_line() {
        let dir = book(&[(
            "lab.yaml",
            &format!(
                "{AGENTS}values:\n  ad:\n    domain: x.local\n    scope:\n      exclude: [\"OU=Old,DC=x,DC=local\", nodn]\n"
            ),
        )]);
        std::fs::write(
            dir.path().join(variables::FILE),
            "ad.domain:\n  description: d\n  type: domain\nad.scope.include:\n  description: i\n  type: distinguished_name\n  list: true\n  derive: \"OU=A,{{ ad.domain | dn }}\\nOU=B,{{ ad.domain | dn }}\"\nad.scope.exclude:\n  description: e\n  type: distinguished_name\n  list: true\n  required: false\n",
        )
        .unwrap();
        let env = load(dir.path(), "lab", &[]).unwrap();
        let include = env.tree.at(&["values", "ad", "scope", "include"]).unwrap();
        let crate::yaml::Kind::Seq(items) = &include.kind else {
            panic!("{include:?}")
        };
        let items: Vec<&str> = items.iter().filter_map(Node::as_str).collect();
        assert_eq!(items, ["OU=A,DC=x,DC=local", "OU=B,DC=x,DC=local"]);
        assert_eq!(
            env.values_json()["ad"]["scope"]["include"],
            serde_json::json!(["OU=A,DC=x,DC=local", "OU=B,DC=x,DC=local"])
        );
        let messages: Vec<&str> = env.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`ad.scope.exclude` holds `nodn` in environment `lab`, which is not a distinguished name: ATTRIBUTE=value pairs joined by commas, e.g. OU=B2B Guests,DC=corp,DC=fabrikam,DC=com"
            ]
        );
        assert!(matches!(
            env.placeholder_value("ad.scope.include"),
            Err(Missing::List { .. })
        ));
        let e = variables::Declarations::parse(
            "a.b:\n  description: x\n  list: true\n  default: y\n",
            "v.yaml",
            "v.yaml",
        )
        .unwrap_err();
        assert!(e.message.contains("is a list"), "{e}");
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
