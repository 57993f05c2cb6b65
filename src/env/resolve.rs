//! One resolution of an environment against its book, for `check` and
//! `render` alike: everything that stops a render of the environment for
//! a reason of the environment's (its path naming what the book does not
//! have, the declarations it breaks, the values its path needs and it
//! leaves out, a value that cannot go where it is used, run profiles
//! without agents, a cycle naming a profile no chapter creates), each
//! with its place and its words. `render` refuses to write for each one;
//! `check` reports each one under its rule. Neither says anything about
//! an environment the other does not.
//!
//! The book is seen through [`BookFacts`]: `render` makes them from the
//! chapters it read, `check` from the digests it keeps.

use super::apply::FindingKind;
use super::values::places;
use super::{Environment, Missing};
use crate::model::{Chapter, Placeholder, PlaceholderContext};
use crate::yaml::{Origin, Source};

/// A placeholder as a chapter writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    /// The key (`ad.domain`).
    pub key: String,
    pub line: usize,
    pub column: usize,
    /// Where it ends on its line (the column after it).
    pub end_column: usize,
    /// Whether it stands in a code block, where a value of several lines
    /// fits.
    pub code_block: bool,
}

impl Use {
    /// A placeholder of a chapter's body.
    pub fn of(p: &Placeholder) -> Use {
        Use {
            key: p.name.clone(),
            line: p.line,
            column: p.column,
            end_column: if p.span.end_line == p.line {
                p.span.end_column
            } else {
                p.column
            },
            code_block: p.context == PlaceholderContext::CodeBlock,
        }
    }
}

/// The placeholders in a chapter's front matter `title`, which the page
/// and the runbook show (the model records the body's placeholders only).
pub fn title_uses(chapter: &Chapter) -> Vec<Use> {
    let Some(key) = chapter
        .front_matter
        .as_ref()
        .and_then(|fm| fm.keys.iter().find(|k| k.key == "title"))
    else {
        return Vec::new();
    };
    let line = chapter.line_text(key.line);
    crate::placeholder::scan(line)
        .into_iter()
        .map(|(name, range)| {
            let column = line.get(..range.start).map_or(0, |s| s.chars().count()) + 1;
            Use {
                key: name,
                line: key.line,
                column,
                end_column: column + line.get(range).map_or(0, |s| s.chars().count()),
                code_block: false,
            }
        })
        .collect()
}

/// A chapter as the resolution sees it.
#[derive(Debug, Clone)]
pub struct ChapterFacts<'a> {
    /// Relative to the book's source folder.
    pub path: &'a str,
    pub listed: bool,
    pub part: Option<&'a str>,
    /// Its placeholders in the order a render fills them in: its title's,
    /// then its body's.
    pub uses: Vec<Use>,
    /// The names of the rows of its run-profile tables, as written.
    pub profiles: Vec<&'a str>,
}

impl<'a> ChapterFacts<'a> {
    /// The facts of a chapter read whole.
    pub fn of(chapter: &'a Chapter) -> ChapterFacts<'a> {
        let mut uses = title_uses(chapter);
        uses.extend(chapter.placeholders.iter().map(Use::of));
        ChapterFacts {
            path: &chapter.path,
            listed: chapter.listed,
            part: chapter.part.as_deref(),
            uses,
            profiles: chapter.profiles.iter().map(|p| p.name.as_str()).collect(),
        }
    }
}

/// The book as the resolution sees it: its chapters in reading order.
#[derive(Debug, Clone, Default)]
pub struct BookFacts<'a> {
    pub chapters: Vec<ChapterFacts<'a>>,
}

impl BookFacts<'_> {
    /// SUMMARY's parts, in reading order, each once.
    pub fn parts(&self) -> Vec<&str> {
        let mut parts: Vec<&str> = Vec::new();
        for p in self.chapters.iter().filter_map(|c| c.part) {
            if !parts.contains(&p) {
                parts.push(p);
            }
        }
        parts
    }
}

/// What a refusal is about: which rule of `check` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// What the declarations refuse in the environment's values (see
    /// [`FindingKind`]).
    Finding(FindingKind),
    /// A `path:` entry, or a part the declarations name, that is not in
    /// the book.
    PathEntry,
    /// A value the path needs that the environment leaves out, or run
    /// profiles with no agent to run on.
    Missing,
    /// A value that cannot go where it is used, or that is not what the
    /// key it is set at reads (an OU scope, a script's limit).
    Invalid,
    /// A run cycle naming a profile no run-profile table on the path
    /// creates.
    CycleProfile,
}

/// Where a refusal points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Where {
    /// Where a value is set (a line of an environment file, of
    /// `variables.yaml`, or `--set`).
    Value(Origin),
    /// A place in a chapter (relative to the source folder).
    Chapter {
        path: String,
        line: usize,
        column: usize,
        end_column: usize,
    },
}

/// One reason a render of an environment stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub kind: RefusalKind,
    pub place: Where,
    pub message: String,
    pub help: Option<String>,
}

impl Refusal {
    fn at(kind: RefusalKind, origin: &Origin, message: String, help: Option<String>) -> Refusal {
        Refusal {
            kind,
            place: Where::Value(origin.clone()),
            message,
            help,
        }
    }

    /// The message and its help as one sentence, as `render` prints it.
    pub fn sentence(&self) -> String {
        match &self.help {
            Some(help) if !help.is_empty() => format!("{}; {help}", self.message),
            _ => self.message.clone(),
        }
    }
}

/// Every reason a render of `env` stops, of the book `book`: sorted by
/// place, each once.
pub fn refusals(env: &Environment, book: &BookFacts<'_>) -> Vec<Refusal> {
    let mut out = Vec::new();
    path_entries(env, book, &mut out);
    for f in &env.findings {
        out.push(Refusal::at(
            RefusalKind::Finding(f.kind),
            &f.origin,
            f.message.clone(),
            f.help.clone(),
        ));
    }
    let on_path: Vec<&ChapterFacts<'_>> = book
        .chapters
        .iter()
        .filter(|c| env.follows_path(c.path, c.listed, c.part))
        .collect();
    values(env, &on_path, &mut out);
    control_characters(env, &mut out);
    agents(env, &on_path, &mut out);
    out.sort_by(|a, b| {
        place_key(&a.place)
            .cmp(&place_key(&b.place))
            .then_with(|| a.message.cmp(&b.message))
    });
    out.dedup();
    out
}

fn place_key(place: &Where) -> (String, usize, usize) {
    match place {
        Where::Value(o) => (
            match &o.source {
                Source::File(f) => f.to_string(),
                Source::CommandLine(a) => format!("--set {a}"),
            },
            o.line,
            o.column,
        ),
        Where::Chapter {
            path, line, column, ..
        } => (path.clone(), *line, *column),
    }
}

/// `path:` entries that name nothing in the book, and parts the
/// declarations name that it does not have.
fn path_entries(env: &Environment, book: &BookFacts<'_>, out: &mut Vec<Refusal>) {
    let parts = book.parts();
    let chapters: Vec<&str> = book.chapters.iter().map(|c| c.path).collect();
    for (origin, message) in env.check_path(&parts, &chapters) {
        out.push(Refusal::at(RefusalKind::PathEntry, &origin, message, None));
    }
    if let Some(d) = &env.declarations {
        for alt in &d.alternatives {
            for (i, part) in alt.parts.iter().enumerate() {
                if parts.contains(&part.as_str()) {
                    continue;
                }
                out.push(Refusal::at(
                    RefusalKind::PathEntry,
                    alt.parts_at.get(i).unwrap_or(&alt.origin),
                    format!(
                        "the alternatives name `{part}`, which is not a part of the book{}",
                        super::path::did_you_mean(part, &parts)
                    ),
                    Some(format!(
                        "name SUMMARY.md's parts as its `# Part` headings write them: {}",
                        parts
                            .iter()
                            .map(|p| format!("`{p}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                ));
            }
        }
    }
}

/// A use of a placeholder, with the chapter it is in.
type Uses<'a> = (&'a str, &'a Use);

/// The values the chapters on the path use: one refusal per key the
/// environment leaves out (at the place it leaves it empty, or its first
/// use, naming the others), and one per place a value cannot go.
fn values(env: &Environment, on_path: &[&ChapterFacts<'_>], out: &mut Vec<Refusal>) {
    // Each missing key with its uses, in reading order.
    let mut missing: Vec<(String, Missing, Vec<Uses<'_>>)> = Vec::new();
    for c in on_path {
        for u in &c.uses {
            match env.placeholder_value(&u.key) {
                Ok((value, origin)) => {
                    if value.contains('\n') && !u.code_block {
                        out.push(Refusal {
                            kind: RefusalKind::Invalid,
                            place: Where::Chapter {
                                path: c.path.to_string(),
                                line: u.line,
                                column: u.column,
                                end_column: u.end_column,
                            },
                            message: format!(
                                "`{{{{ {} }}}}` has a value of several lines in environment `{}` (set by {origin}), which only fits in a code block",
                                u.key, env.name
                            ),
                            help: Some(format!("write it on one line for environment `{}`", env.name)),
                        });
                    }
                }
                Err(m) => match missing.iter_mut().find(|(k, _, _)| *k == u.key) {
                    Some((_, _, uses)) => uses.push((c.path, u)),
                    None => missing.push((u.key.clone(), m, vec![(c.path, u)])),
                },
            }
        }
    }
    // The fields of its agents it leaves out, used or not: the manifests
    // need them.
    for a in &env.agents {
        for (field, value) in [("name", &a.name), ("partition", &a.partition)] {
            let key = format!("agents.{}.{field}", a.key);
            if value.is_empty() && !missing.iter().any(|(k, _, _)| *k == key) {
                missing.push((key, Missing::Undefined { suggestion: None }, Vec::new()));
            }
        }
    }
    // A derived value whose parts are missing is reported through its
    // parts.
    let keys: Vec<String> = missing.iter().map(|(k, _, _)| k.clone()).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    missing.retain(|(k, _, _)| !env.missing_through_parts(k, &keys));
    for (key, why, uses) in missing {
        out.push(missing_value(env, &key, &why, &uses));
    }
}

/// The first character of `value` that no output can hold as written: a
/// control character other than a line feed or a tab (`several_lines`:
/// a line feed and a tab too).
fn control_character(value: &str, several_lines: bool) -> Option<char> {
    value
        .chars()
        .find(|&c| c.is_control() && (!several_lines || !matches!(c, '\n' | '\t')))
}

/// Values holding a control character, at the line that sets them: a
/// runbook would carry it into the terminal of whoever reads it, and the
/// outputs that other programs read (`manifest.yaml`, the run cycle's
/// script, `runbook.csv`) would not be what those programs accept (YAML
/// refuses a raw DEL). Whether or not a chapter uses the value: the
/// outputs of MIM's agents read them all. An agent's name and partition
/// are one line.
fn control_characters(env: &Environment, out: &mut Vec<Refusal>) {
    let refuse = |key: &str, c: char, origin: &Origin| {
        Refusal::at(
            RefusalKind::Invalid,
            origin,
            format!(
                "`{key}` holds the control character U+{:04X} in environment `{}`, which no runbook or output can carry as written",
                u32::from(c),
                env.name
            ),
            Some("remove it (write a line break as the value's own line, in a code block)".into()),
        )
    };
    // A derived value holds what it is derived from: reported through
    // those, unless the derivation adds the character itself.
    let (mut derived, mut set) = (Vec::new(), Vec::new());
    for (key, value, origin) in env.values_flat() {
        if let Some(c) = control_character(&value, true) {
            let is_derived = env.declared(&key).is_some_and(|v| v.spec.derive.is_some());
            if is_derived { &mut derived } else { &mut set }.push(refuse(&key, c, origin));
        }
    }
    if set.is_empty() {
        out.extend(derived);
    }
    out.extend(set);
    for a in &env.agents {
        for (field, value) in [("name", &a.name), ("partition", &a.partition)] {
            if let Some(c) = control_character(value, false) {
                let origin = env
                    .tree
                    .at(&["agents", &a.key, field])
                    .map_or(&a.origin, |n| &n.origin);
                out.push(refuse(&format!("agents.{}.{field}", a.key), c, origin));
            }
        }
    }
}

/// The refusal of a key `env` leaves out, used at `uses`.
fn missing_value(env: &Environment, key: &str, why: &Missing, uses: &[(&str, &Use)]) -> Refusal {
    let listed: Vec<(&str, usize)> = uses.iter().map(|(f, u)| (*f, u.line)).collect();
    let full = super::document_path(key).join(".");
    // Where a file leaves it empty (or removes what holds it), as `env new`
    // writes a value to fill in.
    let emptied = env
        .emptied
        .iter()
        .filter(|(k, _)| {
            k == key
                || key
                    .strip_prefix(k.as_str())
                    .is_some_and(|r| r.starts_with('.'))
        })
        .max_by_key(|(k, _)| k.len());
    if let Some((k, origin)) = emptied {
        let used = match listed.first() {
            None => String::new(),
            Some((file, line)) if listed.len() == 1 => {
                format!(", and its path uses `{{{{ {key} }}}}` at {file}:{line}")
            }
            Some((file, line)) => format!(
                ", and its path uses `{{{{ {key} }}}}` {} times, first at {file}:{line}",
                listed.len()
            ),
        };
        let declared = env.declared(key).map(|v| {
            let mut s = v.spec.description.trim().trim_end_matches('.').to_string();
            if let Some(e) = &v.spec.example {
                s.push_str(&format!(", e.g. `{e}`"));
            }
            s
        });
        let what = if k == key {
            format!("`{full}` is left empty")
        } else {
            format!(
                "`{}` is removed, with `{full}`",
                super::document_path(k).join(".")
            )
        };
        return Refusal::at(
            RefusalKind::Missing,
            origin,
            format!("{what} in environment `{}`{used}", env.name),
            Some(match (&origin.source, declared) {
                (Source::CommandLine(arg), _) => format!(
                    "give it a value (`--set {}=VALUE`), or leave `--set {arg}` out to use the environment's",
                    arg.split_once('=').map_or(&**arg, |(k, _)| k)
                ),
                (_, Some(d)) => format!("fill it in: {d}"),
                (_, None) => "fill it in".to_string(),
            }),
        );
    }
    match uses.split_first() {
        Some(((file, first), rest)) => {
            let mut message = format!(
                "`{{{{ {key} }}}}` has no value in environment `{}`",
                env.name
            );
            if !rest.is_empty() {
                let others: Vec<(&str, usize)> = rest.iter().map(|(f, u)| (*f, u.line)).collect();
                message.push_str(&format!(
                    " (used {} times; also at {})",
                    uses.len(),
                    places(&others)
                ));
            }
            Refusal {
                kind: RefusalKind::Missing,
                place: Where::Chapter {
                    path: file.to_string(),
                    line: first.line,
                    column: first.column,
                    end_column: first.end_column,
                },
                message,
                help: Some(format!("`{{{{ {key} }}}}` {}", why.describe(key, env))),
            }
        }
        // An agent's field nothing uses: at the agent.
        None => {
            let (agent, field) = key
                .strip_prefix("agents.")
                .and_then(|r| r.split_once('.'))
                .unwrap_or((key, ""));
            let origin = env
                .agents
                .iter()
                .find(|a| a.key == agent)
                .map_or_else(|| super::apply::path_origin(env), |a| a.origin.clone());
            Refusal::at(
                RefusalKind::Missing,
                &origin,
                format!(
                    "agent `{agent}` has no {field} in environment `{}`",
                    env.name
                ),
                Some(format!("add `{full}` to {}", env.file)),
            )
        }
    }
}

/// The agents the path needs: some where it creates run profiles, and
/// the run profiles its cycles name; what `runsheet verify` and the run
/// cycle script read of them.
fn agents(env: &Environment, on_path: &[&ChapterFacts<'_>], out: &mut Vec<Refusal>) {
    let first_table = on_path
        .iter()
        .find(|c| !c.profiles.is_empty())
        .map(|c| c.path);
    if env.agents.is_empty()
        && let Some(chapter) = first_table
    {
        out.push(Refusal::at(
            RefusalKind::Missing,
            &super::apply::path_origin_of_file(env),
            format!(
                "environment `{}` declares no agents, but the book creates run profiles for them ({chapter})",
                env.name
            ),
            Some("add `agents:`".into()),
        ));
    }
    let names: Vec<&str> = on_path
        .iter()
        .flat_map(|c| c.profiles.iter().copied())
        .collect();
    for kind in crate::mim::cycle::CycleKind::ALL {
        for step in env.cycles.get(kind).unwrap_or_default() {
            if names.contains(&step.profile.as_str()) {
                continue;
            }
            let mut known: Vec<String> = Vec::new();
            for n in &names {
                let n = format!("`{n}`");
                if !known.contains(&n) {
                    known.push(n);
                }
            }
            out.push(Refusal::at(
                RefusalKind::CycleProfile,
                &step.origin,
                format!(
                    "{} names the run profile `{}`, which no run-profile table on this environment's path creates{}",
                    kind.describe(),
                    step.profile,
                    if known.is_empty() {
                        String::new()
                    } else {
                        format!("; the profiles are {}", known.join(", "))
                    }
                ),
                None,
            ));
        }
    }
    let mut refused = Vec::new();
    for a in &env.agents {
        refused.extend(env.scope(&a.key).err());
        refused.extend(env.object_classes(&a.key).err());
    }
    for key in ["schedule.max_export_deletes", "schedule.run_history_days"] {
        refused.extend(env.script_number(key).err());
    }
    for r in refused {
        out.push(Refusal::at(
            RefusalKind::Invalid,
            &r.origin,
            r.message,
            None,
        ));
    }
}
