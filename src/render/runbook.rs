//! Building one environment's [`Context`]: the chapters on its path with
//! their parts filled in ([`super::fill`]), their steps with stable ids,
//! prerequisites and run-profile tables, the values table, and every step
//! in runbook order.

use super::Problem;
use super::agents::{BookProfile, agent_context, agent_ref, run_cycle};
use super::context::*;
use super::fill::{Filled, Links, Unresolved};
use super::html::markdown_to_html;
use super::ids;
use crate::env::Environment;
use crate::mim::StepType;
use crate::model::{Chapter, Guide};
use crate::text::escape;
use std::collections::HashMap;

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
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    for c in &chapters {
        let base = ids::chapter_slug(&c.path);
        let mut slug = base.clone();
        let mut n = 2;
        while taken.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        taken.insert(slug.clone());
        slugs.insert(c.path.clone(), slug);
    }
    let skipped = guide
        .chapters
        .iter()
        .filter(|c| !env.follows(c))
        .map(|c| (c.path.clone(), skip_reason(env, c)))
        .collect();
    let links = Links {
        to_src: format!("{to_root}{src_prefix}"),
        in_runbook: slugs.clone(),
        skipped,
    };

    // What the book's declarations refuse in this environment's values.
    for f in &env.findings {
        let mut message = f.message.clone();
        if let Some(help) = &f.help {
            message.push_str(&format!("; {help}"));
        }
        problems.push(super::problem_at(shown_root, &f.origin, message));
    }

    // A chapter on the path that could not be read, or was read with
    // bytes replaced, would leave its steps out of the runbook (or garble
    // them) without a word: the render fails instead.
    let summary = guide.book.summary.as_ref();
    let entry = |path: &str| summary.and_then(|s| s.entries.iter().find(|e| e.path == path));
    let on_path = |path: &str| match summary {
        Some(_) => entry(path).is_some_and(|e| env.follows_path(path, true, e.part.as_deref())),
        None => env.follows_path(path, true, None),
    };
    for p in &guide.problems {
        use crate::model::ProblemKind;
        let why = match p.kind {
            ProblemKind::UnreadableFile => "could not be read",
            ProblemKind::InvalidUtf8 => "is not valid UTF-8",
            _ => continue,
        };
        if on_path(&p.file) {
            problems.push(Problem::new(
                file_of(&p.file),
                p.line,
                p.column,
                format!(
                    "chapter `{}` {why}, and it is on environment `{}`'s path: fix the file, or leave it off the path (`path.skip_chapters`)",
                    p.file, env.name
                ),
            ));
        }
    }
    for e in summary.iter().flat_map(|s| &s.entries) {
        if !e.exists && !e.path.is_empty() && env.follows_path(&e.path, true, e.part.as_deref()) {
            problems.push(Problem::new(
                file_of(summary.map_or("SUMMARY.md", |s| s.path.as_str())),
                e.line,
                1,
                format!(
                    "SUMMARY lists `{}`, which does not exist, on environment `{}`'s path: add the file or remove the entry",
                    e.path, env.name
                ),
            ));
        }
    }

    let mut filled = Vec::with_capacity(chapters.len());
    // A value missing is one problem per key, at its first use, listing
    // the others; other problems are one per place.
    let mut missing: Vec<(String, Vec<(String, Unresolved)>)> = Vec::new();
    for c in &chapters {
        let f = Filled::new(c, guide.book.flavour, env, &links);
        for u in &f.unresolved {
            if u.missing.is_some() {
                let at = (file_of(&u.chapter), u.clone());
                match missing.iter_mut().find(|(k, _)| *k == u.key) {
                    Some((_, uses)) => uses.push(at),
                    None => missing.push((u.key.clone(), vec![at])),
                }
            } else {
                problems.push(unresolved_problem(u, env, &file_of(&u.chapter)));
            }
        }
        filled.push(f);
    }
    // A derived value whose parts are missing where they are used is
    // reported through its parts.
    let keys: Vec<String> = missing.iter().map(|(k, _)| k.clone()).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    missing.retain(|(k, _)| !env.missing_through_parts(k, &keys));
    for (_, uses) in missing {
        let Some(((file, first), rest)) = uses.split_first() else {
            continue;
        };
        let mut p = unresolved_problem(first, env, file);
        if !rest.is_empty() {
            let others: Vec<(&str, usize)> =
                rest.iter().map(|(f, u)| (f.as_str(), u.line)).collect();
            p.message.push_str(&format!(
                " (used {} times; also at {})",
                uses.len(),
                crate::env::values::places(&others)
            ));
        }
        problems.push(p);
    }

    // The book's run profiles: every run-profile table on the path, in order.
    let mut book_profiles: Vec<BookProfile> = Vec::new();
    // Their names, so that a table of many rows is not compared with
    // itself row by row.
    let mut profile_names: std::collections::HashSet<String> = std::collections::HashSet::new();
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
            if profile_names.insert(name.clone()) {
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
            let slug = slugs.get(&c.path).cloned().unwrap_or_default();
            let ctx = chapter_context(i + 1, c, f, slug, &links, &src_prefix, &agents, env);
            // In the order the runbook shows them.
            for b in &ctx.blocks {
                for s in &b.steps {
                    steps.push(StepRow {
                        id: s.id.clone(),
                        chapter: ctx.title.clone(),
                        section: s.section.clone(),
                        text: s.text.clone(),
                        full_text: s.full_text.clone(),
                        hash: s.hash.clone(),
                    });
                }
                for s in &b.profile_steps {
                    steps.push(StepRow {
                        id: s.id.clone(),
                        chapter: ctx.title.clone(),
                        section: Some("Run profiles".into()),
                        text: s.text.clone(),
                        full_text: s.text.clone(),
                        hash: s.hash.clone(),
                    });
                }
            }
            ctx
        })
        .collect();
    // Where a chapter runs the cycle, its own steps are the runs and the
    // cycle is their record; only a cycle the book does not place is a
    // list of steps of its own.
    let run_cycle_in = chapters
        .iter()
        .find(|c| c.blocks.iter().any(|b| b.kind == "run_cycle"))
        .map(|c| c.slug.clone());
    for s in run_cycle.iter().filter(|_| run_cycle_in.is_none()) {
        steps.push(StepRow {
            id: s.id.clone(),
            chapter: "Run cycle".into(),
            section: None,
            text: s.text.clone(),
            full_text: s.text.clone(),
            hash: s.hash.clone(),
        });
    }

    let values_table = env
        .values_flat()
        .into_iter()
        .map(|(key, value, origin)| {
            let derived = env
                .declared(&key)
                .is_some_and(|v| v.spec.derive.is_some() && v.origin == *origin);
            ValueRow {
                set_in: if derived {
                    format!("derived in {origin}")
                } else {
                    origin.to_string()
                },
                key,
                value,
            }
        })
        .collect();

    let mut graph = crate::graph::Graph::of(guide, |c| env.follows(c)).on_path_only();
    for node in &mut graph.nodes {
        node.title = crate::render::fill::fill_plain(&node.title, env);
    }
    let graph = GraphContext {
        mermaid: graph.mermaid(),
        svg: graph.svg(),
    };

    Ok(Context {
        graph,
        run_results: crate::mim::run_result::FINISHED
            .iter()
            .map(|&(result, class)| RunResultClass {
                result,
                class,
                exit_code: class.exit_code(),
            })
            .collect(),
        stopped_exit_code: crate::mim::run_result::ResultClass::Stopped.exit_code(),
        kept: std::collections::BTreeMap::new(),
        signoffs: std::collections::BTreeMap::new(),
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
        run_cycle_in,
        steps,
    })
}

/// Why environment `env`'s path leaves out chapter `c`.
fn skip_reason(env: &Environment, c: &Chapter) -> String {
    if env.path.skip_chapters.contains(&c.path) {
        "this environment skips the chapter (path.skip_chapters)".to_string()
    } else if let Some(part) = c
        .part
        .as_ref()
        .filter(|p| env.path.skip_parts.iter().any(|s| s == *p))
    {
        format!("it is in part “{part}”, which this environment skips")
    } else {
        "SUMMARY does not list it".to_string()
    }
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

/// One chapter of the runbook: `c` as written, `f` its parts filled in.
#[allow(clippy::too_many_arguments)]
fn chapter_context(
    number: usize,
    c: &Chapter,
    f: &Filled<'_>,
    slug: String,
    links: &Links,
    src_prefix: &str,
    agents: &[AgentContext],
    env: &Environment,
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
    let steps: Vec<StepContext> = c
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let section = s.heading.and_then(|h| f.heading(h));
            let new_section = previous.as_ref() != Some(&section);
            previous = Some(section.clone());
            let (markdown, text) = f.step(s);
            let full_text = f.flat(&markdown);
            StepContext {
                id: format!("{slug}.{}", i + 1),
                number: s.number,
                hash: ids::step_hash(&full_text),
                full_text,
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
        let names: std::collections::HashSet<&str> =
            profiles.iter().map(|row| row.name.as_str()).collect();
        for a in agents {
            for p in &a.profiles {
                if !names.contains(p.name.as_str()) {
                    continue;
                }
                let markdown = format!(
                    "On {}, create the run profile **{}**: one step of type {} on partition {}.",
                    escape::code_span(&a.name),
                    escape::markdown(&p.name),
                    p.label,
                    escape::code_span(&a.partition)
                );
                let text = format!(
                    "On {}, create the run profile {}: one step of type {} on partition {}.",
                    a.name, p.name, p.label, a.partition
                );
                profile_steps.push(ProfileStep {
                    id: format!("{slug}.profile.{}.{}", a.key, ids::slug(&p.name)),
                    agent: agent_ref(a),
                    profile: p.name.clone(),
                    step_type: p.label,
                    hash: ids::step_hash(&text),
                    text,
                    html: markdown_to_html(&markdown),
                    markdown,
                });
            }
        }
    }
    let blocks = super::blocks::of(c, f, &slug, links, env, &steps, &profile_steps);
    ChapterContext {
        number,
        path: c.path.clone(),
        title: f.title.clone().unwrap_or_else(|| c.path.clone()),
        part: c.part.clone(),
        source: source(heading_line),
        slug,
        prerequisites: blocks.prerequisites,
        steps,
        profiles,
        profile_steps,
        blocks: blocks.blocks,
        omitted: blocks.omitted,
    }
}
