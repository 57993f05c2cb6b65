//! `runsheet env new NAME [--extends BASE] [--choose PART]`: a new
//! environment file that takes one part of each set of alternatives the
//! book declares, and lists every value it must give, each with its
//! description and an example, left empty to be filled in.

use super::layers::read_layered;
use super::variables::{Alternative, Choose, Declarations};
use super::{DIR, EnvError, apply::value_at};
use crate::text::paths;
use crate::yaml::{Kind, Node};
use std::path::{Path, PathBuf};

/// A new environment file, not yet written.
#[derive(Debug, Clone)]
pub struct Scaffold {
    /// `ROOT/environments/NAME.yaml`.
    pub path: PathBuf,
    pub text: String,
    /// What it asks for, as placeholders write them (`ad.domain`,
    /// `agents.ad.partition`).
    pub keys: Vec<String>,
}

/// Why no file was made.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// A file could not be read, or the name cannot be an environment's.
    #[error(transparent)]
    Located(#[from] EnvError),
    /// The book declares alternatives that neither the base's path nor a
    /// `--choose` settles: which part to take is the user's to say.
    #[error("{}", choose_message(.0))]
    Choose(Alternative),
    /// A `--choose` that names no part, or more than one, of the book's
    /// alternatives.
    #[error("{0}")]
    Chosen(String),
}

fn choose_message(alt: &Alternative) -> String {
    format!(
        "the book's environments take one of {}{}: say which with `--choose PART` (the part's title, or the start of it, such as `--choose \"{}\"`)",
        alt.parts
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", "),
        alt.description
            .as_deref()
            .map(|d| format!(" ({})", d.trim_end_matches('.')))
            .unwrap_or_default(),
        alt.parts
            .first()
            .map(|p| p.split(':').next().unwrap_or(p))
            .unwrap_or_default()
    )
}

/// The part of `alt` that `choice` names: the part's title in any case,
/// or the start of exactly one title (`Option 1` for `Option 1: MIM
/// portal`).
pub fn chosen_part<'a>(alt: &'a Alternative, choice: &str) -> Option<&'a str> {
    let choice = choice.trim();
    if choice.is_empty() {
        return None;
    }
    if let Some(p) = alt.parts.iter().find(|p| p.eq_ignore_ascii_case(choice)) {
        return Some(p);
    }
    let lower = choice.to_lowercase();
    let mut starting = alt
        .parts
        .iter()
        .filter(|p| p.to_lowercase().starts_with(&lower));
    match (starting.next(), starting.next()) {
        (Some(p), None) => Some(p),
        _ => None,
    }
}

/// The file `runsheet env new NAME --extends BASE` writes: a path that
/// takes one part of each set of alternatives (the base's, or the one
/// `choose` names), every required variable that is not a secret, has no
/// default or derivation and that BASE does not set, and every agent
/// field BASE leaves out that the book does not derive.
pub fn scaffold(
    root: &Path,
    name: &str,
    extends: Option<&str>,
    choose: &[String],
) -> Result<Scaffold, ScaffoldError> {
    let dir = root.join(DIR);
    let path = dir.join(format!("{name}.yaml"));
    let shown = paths::shown(&path);
    if name.is_empty()
        || name.starts_with(['_', '.'])
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(EnvError::file(
            shown,
            format!(
                "`{name}` cannot name an environment: use letters, digits, `-` and `_`, not starting with `_` (a layer)"
            ),
        )
        .into());
    }
    // Written inside the book only: not through environments/ or a file of
    // it that links out.
    crate::text::inside::Root::new(root)
        .resolve(Path::new(DIR).join(format!("{name}.yaml")))
        .map_err(EnvError::from)?;
    // A link counts as a file, wherever it leads.
    let there = |p: &Path| std::fs::symlink_metadata(p).is_ok();
    if there(&path) || there(&dir.join(format!("{name}.yml"))) {
        return Err(EnvError::file(
            shown,
            "the environment already exists; edit it, or choose another name".to_string(),
        )
        .into());
    }
    let declarations = Declarations::load(root)?;
    let base: Option<Node> = match extends {
        None => None,
        Some(b) => {
            let file = dir.join(format!("{b}.yaml"));
            if !file.is_file() {
                let available: Vec<String> = std::fs::read_dir(&dir)
                    .map(|entries| {
                        let mut v: Vec<String> = entries
                            .filter_map(|e| e.ok())
                            .filter_map(|e| {
                                e.file_name()
                                    .to_str()?
                                    .strip_suffix(".yaml")
                                    .map(str::to_string)
                            })
                            .collect();
                        v.sort();
                        v
                    })
                    .unwrap_or_default();
                return Err(EnvError::file(
                    paths::shown(&file),
                    format!(
                        "there is no `{b}` to extend; the files in {DIR} are: {}",
                        available.join(", ")
                    ),
                )
                .into());
            }
            let mut tree = read_layered(
                root,
                &file,
                &mut Vec::new(),
                &mut Vec::new(),
                &mut Vec::new(),
            )?;
            tree.strip_nulls();
            Some(tree)
        }
    };

    // The path: each set of alternatives the base does not settle, settled
    // by a choice.
    let base_skips: Vec<String> = match base
        .as_ref()
        .and_then(|t| t.at(&["path", "skip_parts"]))
        .map(|n| &n.kind)
    {
        Some(Kind::Seq(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    let mut skips = base_skips.clone();
    let alternatives = declarations
        .as_ref()
        .map(|d| d.alternatives.clone())
        .unwrap_or_default();
    for choice in choose {
        if !alternatives
            .iter()
            .any(|a| chosen_part(a, choice).is_some())
        {
            let parts: Vec<String> = alternatives
                .iter()
                .flat_map(|a| a.parts.iter().map(|p| format!("`{p}`")))
                .collect();
            return Err(ScaffoldError::Chosen(if parts.is_empty() {
                format!(
                    "`--choose {choice}`: the book declares no alternatives to choose between (`path.alternatives` in variables.yaml)"
                )
            } else {
                format!(
                    "`--choose {choice}` names none of the alternatives, or more than one: {}",
                    parts.join(", ")
                )
            }));
        }
    }
    for alt in &alternatives {
        let taken = alt.parts.iter().filter(|p| !base_skips.contains(p)).count();
        let settled = taken == 1 || (taken == 0 && alt.choose == Choose::AtMostOne);
        let picked = choose.iter().find_map(|c| chosen_part(alt, c));
        match picked {
            Some(part) => {
                skips.retain(|s| !alt.parts.contains(s));
                skips.extend(alt.parts.iter().filter(|p| *p != part).cloned());
            }
            None if settled => {}
            None => return Err(ScaffoldError::Choose(alt.clone())),
        }
    }

    let mut keys = Vec::new();
    let mut text = format!(
        "# The `{name}` environment. Fill in every empty value below, then run\n# `runsheet check` and `runsheet render --env {name}`.\n# Format: `runsheet schema environment`.\n"
    );
    if let Some(b) = extends {
        text.push_str(&format!("extends: {b}\n"));
    }
    text.push_str("description:\n");
    if skips != base_skips {
        let quoted: Vec<String> = skips
            .iter()
            .map(|p| serde_json::Value::from(p.as_str()).to_string())
            .collect();
        text.push_str(&format!(
            "path:\n  # The SUMMARY parts this environment does not follow.\n  skip_parts: [{}]\n",
            quoted.join(", ")
        ));
    }

    // Agent fields a base leaves out.
    let mut agents = String::new();
    if let Some(Kind::Map(entries)) = base.as_ref().and_then(|t| t.get("agents")).map(|a| &a.kind) {
        for (key, agent) in entries {
            // A field the book derives or defaults is not asked for.
            let given = |f: &str| {
                declarations
                    .as_ref()
                    .and_then(|d| d.get(&format!("agents.{}.{f}", key.name)))
                    .is_some_and(|v| v.spec.derive.is_some() || v.spec.default.is_some())
            };
            let missing: Vec<&str> = ["name", "type", "partition"]
                .into_iter()
                .filter(|f| agent.get(f).is_none() && !given(f))
                .collect();
            if missing.is_empty() {
                continue;
            }
            agents.push_str(&format!("  {}:\n", key.name));
            for field in missing {
                let hint = match field {
                    "name" => "The management agent's name in the Synchronization Service.",
                    "type" => "The connector type, as the Create Management Agent wizard lists it.",
                    _ => {
                        "The partition the run profiles run against: the domain's naming context for Active Directory (e.g. DC=contoso,DC=local), `default` for the others."
                    }
                };
                agents.push_str(&format!("    # {hint}\n    {field}:\n"));
                keys.push(format!("agents.{}.{field}", key.name));
            }
        }
    }
    if !agents.is_empty() {
        text.push_str("agents:\n");
        text.push_str(&agents);
    }

    // Required values a base does not set, nested as the file nests them.
    let mut values = String::new();
    let mut open: Vec<String> = Vec::new();
    if let Some(d) = &declarations {
        for v in d
            .variables
            .values()
            .filter(|v| !v.key.starts_with("agents."))
        {
            let s = &v.spec;
            if !s.required || s.secret || s.default.is_some() || s.derive.is_some() {
                continue;
            }
            if base.as_ref().is_some_and(|t| value_at(t, &v.key).is_some()) {
                continue;
            }
            let parts: Vec<&str> = v.key.split('.').collect();
            let (parents, leaf) = parts.split_at(parts.len() - 1);
            let common = open
                .iter()
                .zip(parents)
                .take_while(|(a, b)| a == *b)
                .count();
            open.truncate(common);
            for p in parents.iter().skip(common) {
                values.push_str(&format!("{}{p}:\n", "  ".repeat(open.len() + 1)));
                open.push(p.to_string());
            }
            let indent = "  ".repeat(open.len() + 1);
            let mut comment = s.description.trim().to_string();
            if let Some(e) = &s.example {
                comment.push_str(&format!(" Example: {e}"));
            }
            values.push_str(&format!(
                "{indent}# {}\n{indent}{}:\n",
                comment.replace('\n', " "),
                leaf.first().copied().unwrap_or_default()
            ));
            keys.push(v.key.clone());
        }
    }
    if !values.is_empty() {
        text.push_str("values:\n");
        text.push_str(&values);
    }
    Ok(Scaffold { path, text, keys })
}
