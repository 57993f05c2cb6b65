//! What the templates see: one environment's runbook, worked out in Rust
//! so that the templates only lay it out.
//!
//! ```text
//! environment  name, description, file, layers, path, values (nested),
//!              values_table [{key, value, set_in}], agents
//! book         title, src, kind
//! chapters     [{number, path, slug, title, part, source {path, line, href},
//!                prerequisites [{text, target, href, in_runbook}],
//!                steps [{id, number, text, markdown, html, line, section,
//!                        new_section, source}],
//!                profiles [{name, type, line}], profile_steps [...]}]
//! agents       [{key, name, type, category, partition, partition_id, id,
//!                profiles [{name, type, step_type, subtype, id}]}]
//! run_cycle    [{id, number, agent, profile, text, markdown, html}]
//! steps        every step above in runbook order, for tables
//! ```

use super::Problem;
use super::fill::{Filled, Links, Unresolved};
use super::html::markdown_to_html;
use super::ids;
use crate::env::{Agent, Environment};
use crate::mim::ConnectorType;
use crate::mim::StepType;
use crate::model::{Chapter, Guide};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize)]
pub struct Context {
    pub environment: EnvironmentContext,
    pub book: BookContext,
    pub chapters: Vec<ChapterContext>,
    pub agents: Vec<AgentContext>,
    pub run_cycle: Vec<RunCycleStep>,
    /// Every checkable step in runbook order: chapter steps, the run
    /// profiles to create, then the run cycle.
    pub steps: Vec<StepRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnvironmentContext {
    pub name: String,
    pub description: Option<String>,
    /// Its own file, relative to the book's root.
    pub file: String,
    /// Every file layered into it, farthest base first.
    pub layers: Vec<String>,
    pub path: crate::env::BookPath,
    /// `values` as written (nested maps).
    pub values: serde_json::Value,
    /// Every value with its dotted key and where it was set, by key.
    pub values_table: Vec<ValueRow>,
    pub agents: Vec<AgentContext>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ValueRow {
    pub key: String,
    pub value: String,
    pub set_in: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BookContext {
    pub title: Option<String>,
    /// The source folder, relative to the book's root.
    pub src: String,
    pub kind: crate::model::BookKind,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceRef {
    /// Relative to the book's root (`docs/preparedomain.md`).
    pub path: String,
    pub line: usize,
    /// From the output folder to the line (`../../docs/preparedomain.md#L12`).
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChapterContext {
    /// 1-based place in this runbook.
    pub number: usize,
    /// Relative to the book's source folder.
    pub path: String,
    /// The id of the chapter's section in the runbook and the first part of
    /// its step ids.
    pub slug: String,
    pub title: String,
    pub part: Option<String>,
    pub source: SourceRef,
    pub prerequisites: Vec<PrerequisiteContext>,
    pub steps: Vec<StepContext>,
    pub profiles: Vec<ProfileRow>,
    /// The run-profile table, one step per agent and profile.
    pub profile_steps: Vec<ProfileStep>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PrerequisiteContext {
    pub text: String,
    /// As written in the chapter.
    pub target: String,
    /// From the runbook: `#slug` when the chapter is in it.
    pub href: String,
    pub in_runbook: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepContext {
    /// `chapter-slug.N`: N counts the chapter's steps in order.
    pub id: String,
    /// The number as written.
    pub number: u64,
    pub text: String,
    pub markdown: String,
    pub html: String,
    pub line: usize,
    pub section: Option<String>,
    /// Whether this step starts a new section (its heading differs from
    /// the step before's).
    pub new_section: bool,
    pub source: SourceRef,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfileRow {
    pub name: String,
    #[serde(rename = "type")]
    pub step_type: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgentRef {
    pub key: String,
    pub name: String,
    #[serde(rename = "type")]
    pub connector: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfileStep {
    /// `chapter-slug.profile.AGENT-KEY.PROFILE-SLUG`.
    pub id: String,
    pub agent: AgentRef,
    pub profile: String,
    /// The step type's label.
    #[serde(rename = "type")]
    pub step_type: &'static str,
    pub text: String,
    pub markdown: String,
    pub html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgentContext {
    pub key: String,
    pub name: String,
    /// The connector type as the wizard lists it.
    #[serde(rename = "type")]
    pub connector: &'static str,
    /// `<category>` in an exported management agent (`AD`, `FIM`,
    /// `Extensible2`).
    pub category: &'static str,
    pub partition: String,
    pub partition_id: String,
    /// The management agent's GUID, derived from its name.
    pub id: String,
    pub profiles: Vec<RunProfile>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunProfile {
    pub name: String,
    /// The label (`Full Import (Stage Only)`).
    #[serde(rename = "type")]
    pub label: &'static str,
    /// `<step-type type="…">`.
    pub step_type: &'static str,
    /// The subtype element, if the step has one.
    pub subtype: Option<Subtype>,
    /// Whether the step reads from the connected system (an import).
    pub import: bool,
    /// The run configuration's GUID, derived from the agent's and the
    /// profile's names.
    pub id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Subtype {
    pub element: &'static str,
    pub value: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunCycleStep {
    /// `run-cycle.N`.
    pub id: String,
    pub number: usize,
    pub agent: AgentRef,
    pub profile: RunProfile,
    pub text: String,
    pub markdown: String,
    pub html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepRow {
    pub id: String,
    /// The chapter's title, or `Run cycle`.
    pub chapter: String,
    pub section: Option<String>,
    pub text: String,
}

/// A run profile of the book: a row of a run-profile table.
struct BookProfile {
    name: String,
    step_type: StepType,
}

/// Build one environment's context. `to_root` leads from the output
/// folder to the book's root (`../../`); `shown_root` is how problems name
/// the book's root (empty for the current folder).
pub fn build(
    guide: &Guide,
    env: &Environment,
    to_root: &str,
    shown_root: &str,
) -> Result<Context, Vec<Problem>> {
    let src_prefix = if guide.book.src == "." {
        String::new()
    } else {
        format!("{}/", guide.book.src)
    };
    let file_of = |chapter: &str| format!("{shown_root}{src_prefix}{chapter}");
    let mut problems = Vec::new();

    for (origin, message) in env.check_path(guide) {
        problems.push(super::problem_at(shown_root, &origin, message));
    }

    let chapters: Vec<&Chapter> = guide.chapters.iter().filter(|c| env.follows(c)).collect();
    let mut slugs: HashMap<String, String> = HashMap::new();
    let mut taken: Vec<String> = Vec::new();
    for c in &chapters {
        let base = ids::chapter_slug(&c.path);
        let mut slug = base.clone();
        let mut n = 2;
        while taken.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        taken.push(slug.clone());
        slugs.insert(c.path.clone(), slug);
    }
    let links = Links {
        to_src: format!("{to_root}{src_prefix}"),
        in_runbook: slugs.clone(),
    };

    let mut filled = Vec::with_capacity(chapters.len());
    for c in &chapters {
        let f = Filled::new(c, guide.book.flavour, env, &links);
        for u in &f.unresolved {
            problems.push(unresolved_problem(u, env, &file_of(&u.chapter)));
        }
        filled.push(f);
    }

    // The book's run profiles: every run-profile table on the path, in order.
    let mut book_profiles: Vec<BookProfile> = Vec::new();
    let mut first_table: Option<(String, usize)> = None;
    for (c, f) in chapters.iter().zip(&filled) {
        for p in &c.profiles {
            first_table.get_or_insert_with(|| (c.path.clone(), p.line));
            let name = f.cell(p.name_span, &p.name);
            let written_type = f.cell(p.type_span, &p.step_type);
            let step_type = match StepType::read(&written_type) {
                Ok(t) => t,
                Err(unknown) => {
                    problems.push(Problem::new(
                        file_of(&c.path),
                        p.line,
                        p.type_span.column,
                        format!(
                            "{}; {}",
                            unknown.message(&name, &written_type),
                            unknown.help()
                        ),
                    ));
                    continue;
                }
            };
            if !book_profiles.iter().any(|b| b.name == name) {
                book_profiles.push(BookProfile { name, step_type });
            }
        }
    }
    if let Some((chapter, line)) = &first_table
        && env.agents.is_empty()
    {
        problems.push(Problem {
            file: format!("{shown_root}{}", env.file),
            line: 0,
            column: 0,
            message: format!(
                "environment `{}` declares no agents, but the book creates run profiles for them ({}:{line}); add `agents:`",
                env.name,
                file_of(chapter)
            ),
        });
    }

    let agents: Vec<AgentContext> = env
        .agents
        .iter()
        .map(|a| agent_context(a, &book_profiles))
        .collect();

    let run_cycle = match run_cycle(env, &agents, &book_profiles, shown_root) {
        Ok(steps) => steps,
        Err(mut p) => {
            problems.append(&mut p);
            Vec::new()
        }
    };

    if !problems.is_empty() {
        return Err(problems);
    }

    let mut steps = Vec::new();
    let chapters: Vec<ChapterContext> = chapters
        .iter()
        .zip(&filled)
        .enumerate()
        .map(|(i, (c, f))| {
            let slug = slugs[&c.path].clone();
            let ctx = chapter_context(i + 1, c, f, slug, &links, &src_prefix, &agents);
            for s in &ctx.steps {
                steps.push(StepRow {
                    id: s.id.clone(),
                    chapter: ctx.title.clone(),
                    section: s.section.clone(),
                    text: s.text.clone(),
                });
            }
            for s in &ctx.profile_steps {
                steps.push(StepRow {
                    id: s.id.clone(),
                    chapter: ctx.title.clone(),
                    section: Some("Run profiles".into()),
                    text: s.text.clone(),
                });
            }
            ctx
        })
        .collect();
    for s in &run_cycle {
        steps.push(StepRow {
            id: s.id.clone(),
            chapter: "Run cycle".into(),
            section: None,
            text: s.text.clone(),
        });
    }

    let values_table = env
        .values_flat()
        .into_iter()
        .map(|(key, value, origin)| ValueRow {
            key,
            value,
            set_in: origin.to_string(),
        })
        .collect();

    Ok(Context {
        environment: EnvironmentContext {
            name: env.name.clone(),
            description: env.description.clone(),
            file: env.file.clone(),
            layers: env.layers.clone(),
            path: env.path.clone(),
            values: env.values_json(),
            values_table,
            agents: agents.clone(),
        },
        book: BookContext {
            title: guide.book.title.clone(),
            src: guide.book.src.clone(),
            kind: guide.book.kind,
        },
        chapters,
        agents,
        run_cycle,
        steps,
    })
}

fn unresolved_problem(u: &Unresolved, env: &Environment, file: &str) -> Problem {
    let detail = match (&u.missing, &u.problem) {
        (Some(missing), _) => missing.describe(&u.key, env),
        (None, Some(problem)) => problem.clone(),
        (None, None) => format!("has no value in environment `{}`", env.name),
    };
    Problem {
        file: file.to_string(),
        line: u.line,
        column: u.column,
        message: format!("`{{{{ {} }}}}` {detail}", u.key),
    }
}

fn agent_ref(a: &AgentContext) -> AgentRef {
    AgentRef {
        key: a.key.clone(),
        name: a.name.clone(),
        connector: a.connector,
    }
}

fn agent_context(a: &Agent, profiles: &[BookProfile]) -> AgentContext {
    AgentContext {
        key: a.key.clone(),
        name: a.name.clone(),
        connector: a.connector.label(),
        category: a.connector.category(),
        partition: a.partition.clone(),
        partition_id: a
            .partition_id
            .as_deref()
            .and_then(crate::mim::guid::parse)
            .unwrap_or_else(|| crate::mim::guid::derived(&["partition", &a.name, &a.partition])),
        id: crate::mim::guid::derived(&["management-agent", &a.name]),
        profiles: profiles.iter().map(|p| run_profile(a, p)).collect(),
    }
}

fn run_profile(a: &Agent, p: &BookProfile) -> RunProfile {
    let xml = p.step_type.xml();
    RunProfile {
        name: p.name.clone(),
        label: p.step_type.label(),
        step_type: xml.step_type,
        subtype: xml
            .subtype
            .map(|(element, value)| Subtype { element, value }),
        import: p.step_type.imports(),
        id: crate::mim::guid::derived(&["run-profile", &a.name, &p.name]),
    }
}

fn run_cycle(
    env: &Environment,
    agents: &[AgentContext],
    profiles: &[BookProfile],
    shown_root: &str,
) -> Result<Vec<RunCycleStep>, Vec<Problem>> {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut problems = Vec::new();
    match &env.run_cycle {
        Some(steps) => {
            for step in steps {
                let agent = agents.iter().position(|a| a.key == step.agent);
                let profile = profiles.iter().position(|p| p.name == step.profile);
                match (agent, profile) {
                    (Some(a), Some(p)) => pairs.push((a, p)),
                    (_, None) => {
                        let names: Vec<String> =
                            profiles.iter().map(|p| format!("`{}`", p.name)).collect();
                        problems.push(super::problem_at(
                            shown_root,
                            &step.origin,
                            format!(
                                "the run cycle names the run profile `{}`, which no run-profile table on this environment's path creates{}",
                                step.profile,
                                if names.is_empty() {
                                    String::new()
                                } else {
                                    format!("; the profiles are {}", names.join(", "))
                                }
                            ),
                        ));
                    }
                    // Unknown agents are caught when the file is loaded.
                    (None, Some(_)) => {}
                }
            }
        }
        None => {
            let connectors: Vec<ConnectorType> = env.agents.iter().map(|a| a.connector).collect();
            for (agent, step_type) in crate::mim::cycle::default_cycle(&connectors) {
                if let Some(p) = profiles.iter().position(|p| p.step_type == step_type) {
                    pairs.push((agent, p));
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(pairs
        .into_iter()
        .enumerate()
        .map(|(n, (a, p))| {
            let agent = &agents[a];
            let profile = agent.profiles[p].clone();
            let markdown = format!(
                "Run **{}** on `{}` and wait until it has finished; the result must be `success` or `completed-…`.",
                profile.name, agent.name
            );
            RunCycleStep {
                id: format!("run-cycle.{}", n + 1),
                number: n + 1,
                agent: agent_ref(agent),
                text: format!(
                    "Run {} on {} and wait until it has finished; the result must be success or completed-….",
                    profile.name, agent.name
                ),
                html: markdown_to_html(&markdown),
                markdown,
                profile,
            }
        })
        .collect())
}

/// One chapter of the runbook: `c` as written, `f` its parts filled in.
fn chapter_context(
    number: usize,
    c: &Chapter,
    f: &Filled<'_>,
    slug: String,
    links: &Links,
    src_prefix: &str,
    agents: &[AgentContext],
) -> ChapterContext {
    let heading_line = c
        .headings
        .iter()
        .find(|h| h.level == 1)
        .map_or(1, |h| h.line);
    let source = |line: usize| SourceRef {
        path: format!("{src_prefix}{}", c.path),
        line,
        href: links.source(&c.path, line),
    };
    let mut previous: Option<Option<String>> = None;
    let steps = c
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let section = s.heading.and_then(|h| f.heading(h));
            let new_section = previous.as_ref() != Some(&section);
            previous = Some(section.clone());
            let (markdown, text) = f.step(s);
            StepContext {
                id: format!("{slug}.{}", i + 1),
                number: s.number,
                text,
                html: markdown_to_html(&markdown),
                markdown,
                line: s.line,
                section,
                new_section,
                source: source(s.line),
            }
        })
        .collect();
    let prerequisites = c
        .prerequisites
        .iter()
        .map(|p| {
            let href = links
                .resolve(&c.path, &p.target)
                .unwrap_or_else(|| p.target.clone());
            PrerequisiteContext {
                text: c
                    .links
                    .get(p.link)
                    .map_or_else(|| p.text.clone(), |l| f.link_text(l)),
                target: p.target.clone(),
                in_runbook: href.starts_with('#'),
                href,
            }
        })
        .collect();
    let profiles: Vec<ProfileRow> = c
        .profiles
        .iter()
        .map(|p| ProfileRow {
            name: f.cell(p.name_span, &p.name),
            step_type: f.cell(p.type_span, &p.step_type),
            line: p.line,
        })
        .collect();
    let mut profile_steps = Vec::new();
    if !profiles.is_empty() {
        for a in agents {
            for p in &a.profiles {
                if !profiles.iter().any(|row| row.name == p.name) {
                    continue;
                }
                let markdown = format!(
                    "On `{}`, create the run profile **{}**: one step of type {} on partition `{}`.",
                    a.name, p.name, p.label, a.partition
                );
                profile_steps.push(ProfileStep {
                    id: format!("{slug}.profile.{}.{}", a.key, ids::slug(&p.name)),
                    agent: agent_ref(a),
                    profile: p.name.clone(),
                    step_type: p.label,
                    text: format!(
                        "On {}, create the run profile {}: one step of type {} on partition {}.",
                        a.name, p.name, p.label, a.partition
                    ),
                    html: markdown_to_html(&markdown),
                    markdown,
                });
            }
        }
    }
    ChapterContext {
        number,
        path: c.path.clone(),
        title: f.title.clone().unwrap_or_else(|| c.path.clone()),
        part: c.part.clone(),
        source: source(heading_line),
        slug,
        prerequisites,
        steps,
        profiles,
        profile_steps,
    }
}
