//! Building one environment's [`Context`]: the chapters on its path with
//! their parts filled in ([`super::fill`]), their steps with stable ids,
//! prerequisites and run-profile tables, the values table, and every step
//! in runbook order.
//!
//! [`build`] reads as its steps: what stops the render (the environment's
//! own problems, chapters on the path that cannot be shown, values
//! missing, run profiles of unknown types, agents missing, a run cycle that
//! names what is not there), then, when nothing does, the context's parts
//! one by one.

use super::agents::{BookProfile, agent_context, agent_ref, run_cycle};
use super::context::*;
use super::fill::{Filled, RunbookLinks};
use super::html::markdown_to_html;
use super::ids;
use crate::env::Environment;
use crate::env::resolve::{BookFacts, ChapterFacts, Where};
use crate::mim::StepType;
use crate::mim::cycle::CycleKind;
use crate::model::{Chapter, Guide, ProblemKind};
use crate::text::Located;
use crate::text::escape;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Build one environment's context. `to_root` leads from the output
/// folder to the book's root (`../../`); `shown_root` is how problems name
/// the book's root (empty for the current folder).
pub fn build(
    guide: &Guide,
    env: &Environment,
    to_root: &str,
    shown_root: &str,
) -> Result<Context, Vec<Located>> {
    let files = BookFiles::new(guide, shown_root);
    let mut problems = environment_problems(guide, env, &files);
    problems.extend(unreadable_chapters(guide, env, &files));
    problems.extend(missing_summary_entries(guide, env, &files));

    let chapters: Vec<&Chapter> = guide.chapters.iter().filter(|c| env.follows(c)).collect();
    problems.extend(written_step_ids(&chapters, &files));
    let links = links(guide, env, to_root, &files, &chapters);
    let filled: Vec<Filled<'_>> = chapters
        .iter()
        .map(|c| Filled::new(c, guide.book.flavour, env, &links))
        .collect();
    let profiles = book_profiles(&chapters, &filled, &files, &mut problems);
    let mut agents: Vec<AgentContext> = Vec::with_capacity(env.agents.len());
    for a in &env.agents {
        match agent_context(a, env, &profiles, shown_root) {
            Ok(agent) => agents.push(agent),
            Err(p) => problems.push(p),
        }
    }
    let cycles = CyclesContext {
        initial: run_cycle(env, CycleKind::Initial, &agents, &profiles),
        scheduled: run_cycle(env, CycleKind::Scheduled, &agents, &profiles),
    };
    let script = script_context(env, shown_root).unwrap_or_else(|p| {
        problems.push(p);
        ScriptContext {
            max_export_deletes: -1,
            run_history_days: 0,
            exits: Vec::new(),
            counters: Vec::new(),
        }
    });
    if !problems.is_empty() {
        problems.sort();
        problems.dedup();
        return Err(problems);
    }

    let chapters = ChapterBuilder {
        links: &links,
        src_prefix: &files.src_prefix,
        agents: &agents,
        env,
    }
    .chapters(&chapters, &filled);
    let run_cycle_in = chapter_running_the_cycle(&chapters);
    let steps = step_rows(&chapters, &cycles.initial, run_cycle_in.is_none());
    let preamble = preamble(guide, env, &links, &files);
    let mim = !env.agents.is_empty() || !profiles.is_empty();
    Ok(Context {
        mim,
        preamble,
        graph: graph_context(guide, env),
        run_results: run_results(),
        script,
        step_defaults: StepDefaults {
            adma: crate::mim::step::ADMA_STEP_DEFAULTS.to_vec(),
            extensible2: crate::mim::step::EXTENSIBLE2_STEP_DEFAULTS.to_vec(),
            fimma_export: crate::mim::step::FIMMA_EXPORT_DEFAULTS.to_vec(),
        },
        kept: BTreeMap::new(),
        runs: BTreeMap::new(),
        signoffs: BTreeMap::new(),
        chapters_done: BTreeMap::new(),
        environment: environment_context(env, &agents),
        book: BookContext {
            title: guide.book.title.clone(),
            src: guide.book.src.clone(),
            kind: guide.book.kind,
        },
        chapters,
        agents,
        run_cycle: cycles.initial.clone(),
        cycles,
        run_cycle_in,
        steps,
    })
}

/// The headings whose section says what must be there before the work
/// starts.
const PREREQUISITE_HEADINGS: [&str; 5] = [
    "prerequisites",
    "requirements",
    "before you begin",
    "before you start",
    "what you need",
];

/// The book's introduction's prerequisites and alerts, for an
/// environment whose path leaves it out (an introduction on the path is
/// in the runbook whole). The introduction is the book's first chapter
/// when it stands before every part of SUMMARY.md.
fn preamble(
    guide: &Guide,
    env: &Environment,
    links: &RunbookLinks,
    files: &BookFiles,
) -> Option<PreambleContext> {
    let intro = guide.chapters.iter().find(|c| c.listed)?;
    if intro.part.is_some() || env.follows(intro) {
        return None;
    }
    let filled = Filled::new(intro, guide.book.flavour, env, links);
    let all = super::blocks::of(intro, &filled, "introduction", links, env, &[], &[]);
    let mut blocks = Vec::new();
    // The level of the Prerequisites heading whose section is being read.
    let mut section: Option<u8> = None;
    for b in all.blocks {
        if b.kind == "heading" {
            if section.is_some_and(|level| b.level <= level) {
                section = None;
            }
            let text = b.text.trim().trim_end_matches(':').to_lowercase();
            if section.is_none() && PREREQUISITE_HEADINGS.contains(&text.as_str()) {
                section = Some(b.level);
                blocks.push(b);
            }
            continue;
        }
        if section.is_some() || b.kind == "alert" {
            blocks.push(b);
        }
    }
    if blocks.is_empty() {
        return None;
    }
    let heading_line = intro
        .headings
        .iter()
        .find(|h| h.level == 1)
        .map_or(1, |h| h.line);
    Some(PreambleContext {
        title: filled.title.clone().unwrap_or_else(|| intro.path.clone()),
        source: SourceRef {
            path: format!("{}{}", files.src_prefix, intro.path),
            line: heading_line,
            href: links.source(&intro.path, heading_line),
        },
        blocks,
    })
}

/// How the book's files are named: in messages (as the user can open them
/// from the current folder) and from the book's root.
struct BookFiles<'a> {
    shown_root: &'a str,
    /// The source folder with a trailing `/`, empty when it is the root.
    src_prefix: String,
}

impl<'a> BookFiles<'a> {
    fn new(guide: &Guide, shown_root: &'a str) -> Self {
        let src_prefix = if guide.book.src == "." {
            String::new()
        } else {
            format!("{}/", guide.book.src)
        };
        BookFiles {
            shown_root,
            src_prefix,
        }
    }

    /// A file of the source folder (a chapter, SUMMARY.md) as messages
    /// name it.
    fn shown(&self, path: &str) -> String {
        format!("{}{}{path}", self.shown_root, self.src_prefix)
    }
}

/// The environment's own problems: what [`crate::env::resolve`] says
/// stops a render of it (the same that `runsheet check` reports), each at
/// its place, its message and help as one sentence.
fn environment_problems(guide: &Guide, env: &Environment, files: &BookFiles) -> Vec<Located> {
    let facts = BookFacts {
        chapters: guide.chapters.iter().map(ChapterFacts::of).collect(),
    };
    crate::env::resolve::refusals(env, &facts)
        .into_iter()
        .map(|r| match &r.place {
            Where::Value(origin) => super::problem_at(files.shown_root, origin, r.sentence()),
            Where::Chapter {
                path, line, column, ..
            } => Located::new(files.shown(path), *line, *column, r.sentence()),
        })
        .collect()
}

/// A chapter on the path that could not be read, or was read with bytes
/// replaced, would leave its steps out of the runbook (or garble them)
/// without a word: the render fails instead.
fn unreadable_chapters(guide: &Guide, env: &Environment, files: &BookFiles) -> Vec<Located> {
    let summary = guide.book.summary.as_ref();
    let on_path = |path: &str| match summary {
        Some(s) => s
            .entries
            .iter()
            .find(|e| e.path == path)
            .is_some_and(|e| env.follows_path(path, true, e.part.as_deref())),
        None => env.follows_path(path, true, None),
    };
    guide
        .problems
        .iter()
        .filter_map(|p| {
            let why = match p.kind {
                ProblemKind::UnreadableFile => "could not be read",
                ProblemKind::InvalidUtf8 => "is not valid UTF-8",
                _ => return None,
            };
            on_path(&p.file).then(|| {
                Located::new(
                    files.shown(&p.file),
                    p.line,
                    p.column,
                    format!(
                        "chapter `{}` {why}, and it is on environment `{}`'s path: fix the file, or leave it off the path (`path.skip_chapters`)",
                        p.file, env.name
                    ),
                )
            })
        })
        .collect()
}

/// SUMMARY entries on the path whose file does not exist.
fn missing_summary_entries(guide: &Guide, env: &Environment, files: &BookFiles) -> Vec<Located> {
    let Some(summary) = guide.book.summary.as_ref() else {
        return Vec::new();
    };
    summary
        .entries
        .iter()
        .filter(|e| {
            !e.exists && !e.path.is_empty() && env.follows_path(&e.path, true, e.part.as_deref())
        })
        .map(|e| {
            Located::new(
                files.shown(&summary.path),
                e.line,
                1,
                format!(
                    "SUMMARY lists `{}`, which does not exist, on environment `{}`'s path: add the file or remove the entry",
                    e.path, env.name
                ),
            )
        })
        .collect()
}

/// The step ids authors wrote (`<!-- runsheet-step: ID -->`) that cannot
/// be ids, or that two steps of a chapter share (as `step-id-invalid`
/// finds them).
fn written_step_ids(chapters: &[&Chapter], files: &BookFiles) -> Vec<Located> {
    chapters
        .iter()
        .flat_map(|c| {
            crate::slug::step::written_id_problems(
                c.steps.iter().map(|s| (s.line, s.markdown.as_str())),
            )
            .into_iter()
            .map(|(line, message)| Located::new(files.shown(&c.path), line, 1, message))
        })
        .collect()
}

/// Where links from the runbook go: chapters on the path to their section
/// (each chapter's slug, made unique), the rest of the book to its source,
/// with why the path leaves it out.
fn links(
    guide: &Guide,
    env: &Environment,
    to_root: &str,
    files: &BookFiles,
    chapters: &[&Chapter],
) -> RunbookLinks {
    let skipped = guide
        .chapters
        .iter()
        .filter(|c| !env.follows(c))
        .map(|c| (c.path.clone(), skip_reason(env, c)))
        .collect();
    RunbookLinks {
        to_src: format!("{to_root}{}", files.src_prefix),
        in_runbook: chapter_slugs(chapters),
        skipped,
    }
}

/// Each chapter's slug ([`ids::chapter_slug`]), `-2`, `-3`… added where
/// two chapters' paths give the same one.
fn chapter_slugs(chapters: &[&Chapter]) -> HashMap<String, String> {
    let mut slugs = HashMap::new();
    let mut taken = HashSet::new();
    for c in chapters {
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
    slugs
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

/// The book's run profiles: every row of every run-profile table on the
/// path, in order, each name once. A row whose type is not a run-profile
/// step type is a problem.
fn book_profiles(
    chapters: &[&Chapter],
    filled: &[Filled<'_>],
    files: &BookFiles,
    problems: &mut Vec<Located>,
) -> Vec<BookProfile> {
    let mut profiles = Vec::new();
    // Their names, so that a table of many rows is not compared with
    // itself row by row.
    let mut names = HashSet::new();
    for (c, f) in chapters.iter().zip(filled) {
        for p in &c.profiles {
            let name = f.cell(p.name_span, &p.name);
            let written_type = f.cell(p.type_span, &p.step_type);
            match StepType::read(&written_type) {
                Ok(step_type) => {
                    if names.insert(name.clone()) {
                        profiles.push(BookProfile { name, step_type });
                    }
                }
                Err(unknown) => problems.push(Located::new(
                    files.shown(&c.path),
                    p.line,
                    p.type_span.column,
                    format!(
                        "{}; {}",
                        unknown.message(&name, &written_type),
                        unknown.help()
                    ),
                )),
            }
        }
    }
    profiles
}

/// What the runbook's chapters are built from, beside each chapter.
struct ChapterBuilder<'a> {
    links: &'a RunbookLinks,
    src_prefix: &'a str,
    agents: &'a [AgentContext],
    env: &'a Environment,
}

impl ChapterBuilder<'_> {
    /// Every chapter of the runbook, numbered from 1.
    fn chapters(&self, chapters: &[&Chapter], filled: &[Filled<'_>]) -> Vec<RunbookChapter> {
        chapters
            .iter()
            .zip(filled)
            .enumerate()
            .map(|(i, (c, f))| self.chapter(i + 1, c, f))
            .collect()
    }

    /// One chapter of the runbook: `c` as written, `f` its parts filled in.
    fn chapter(&self, number: usize, c: &Chapter, f: &Filled<'_>) -> RunbookChapter {
        let slug = self
            .links
            .in_runbook
            .get(&c.path)
            .cloned()
            .unwrap_or_default();
        let heading_line = c
            .headings
            .iter()
            .find(|h| h.level == 1)
            .map_or(1, |h| h.line);
        let steps = self.steps(c, f, &slug);
        let profiles = profile_rows(c, f);
        let profile_steps = self.profile_steps(&slug, &profiles);
        let blocks = super::blocks::of(c, f, &slug, self.links, self.env, &steps, &profile_steps);
        RunbookChapter {
            number,
            path: c.path.clone(),
            title: f.title.clone().unwrap_or_else(|| c.path.clone()),
            part: c.part.clone(),
            source: self.source(c, heading_line),
            slug,
            prerequisites: blocks.prerequisites,
            steps,
            profiles,
            profile_steps,
            closing: closing(&blocks.blocks),
            blocks: blocks.blocks,
            omitted: blocks.omitted,
        }
    }

    /// Where line `line` of chapter `c` is.
    fn source(&self, c: &Chapter, line: usize) -> SourceRef {
        SourceRef {
            path: format!("{}{}", self.src_prefix, c.path),
            line,
            href: self.links.source(&c.path, line),
        }
    }

    /// The chapter's numbered steps, each with its id (`slug.WORDS`, [`ids::step_ids`]), its text
    /// three ways and its hash, and whether it starts a new section.
    fn steps(&self, c: &Chapter, f: &Filled<'_>, slug: &str) -> Vec<StepContext> {
        let mut previous: Option<Option<String>> = None;
        let ids = ids::step_ids(
            slug,
            c.steps
                .iter()
                .map(|s| (ids::written_step_id(&s.markdown), s.text.as_str())),
        );
        c.steps
            .iter()
            .zip(ids)
            .map(|(s, id)| {
                let section = s.heading.and_then(|h| f.heading(h));
                let new_section = previous.as_ref() != Some(&section);
                previous = Some(section.clone());
                let (markdown, text) = f.step(s);
                let full_text = f.flat(&markdown);
                StepContext {
                    written_id: ids::written_step_id(&s.markdown).is_some(),
                    id,
                    number: s.number,
                    hash: ids::step_hash(&full_text),
                    full_text,
                    text,
                    html: markdown_to_html(&markdown),
                    markdown,
                    line: s.line,
                    section,
                    new_section,
                    source: self.source(c, s.line),
                }
            })
            .collect()
    }

    /// A step for each run profile of the chapter's table on each agent:
    /// create it.
    fn profile_steps(&self, slug: &str, profiles: &[ProfileRow]) -> Vec<ProfileStep> {
        if profiles.is_empty() {
            return Vec::new();
        }
        let names: HashSet<&str> = profiles.iter().map(|row| row.name.as_str()).collect();
        let mut steps = Vec::new();
        for a in self.agents {
            for p in a
                .profiles
                .iter()
                .filter(|p| names.contains(p.name.as_str()))
            {
                steps.push(profile_step(slug, a, p));
            }
        }
        steps
    }
}

/// Where a chapter's closing blocks start: its last two, and the headings
/// just before them (a heading goes with what follows it).
fn closing(blocks: &[BlockContext]) -> usize {
    let mut start = blocks.len().saturating_sub(2);
    while start > 0 && blocks.get(start - 1).is_some_and(|b| b.kind == "heading") {
        start -= 1;
    }
    start
}

/// The rows of the chapter's run-profile tables, filled in.
fn profile_rows(c: &Chapter, f: &Filled<'_>) -> Vec<ProfileRow> {
    c.profiles
        .iter()
        .map(|p| ProfileRow {
            name: f.cell(p.name_span, &p.name),
            step_type: f.cell(p.type_span, &p.step_type),
            line: p.line,
        })
        .collect()
}

/// The step of creating run profile `p` on agent `a`, in the chapter whose
/// slug is `slug`.
fn profile_step(slug: &str, a: &AgentContext, p: &RunProfile) -> ProfileStep {
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
    ProfileStep {
        id: format!("{slug}.profile.{}.{}", a.key, ids::id_part(&p.name)),
        agent: agent_ref(a),
        profile: p.name.clone(),
        step_type: p.label,
        hash: ids::step_hash(&text),
        text,
        html: markdown_to_html(&markdown),
        markdown,
    }
}

/// The slug of the chapter that runs the cycle (where its
/// `<!-- runsheet-run-cycle -->` comment is), if one does.
fn chapter_running_the_cycle(chapters: &[RunbookChapter]) -> Option<String> {
    chapters
        .iter()
        .find(|c| c.blocks.iter().any(|b| b.kind == "run_cycle"))
        .map(|c| c.slug.clone())
}

/// Every checkable step in runbook order: each chapter's steps and run
/// profiles to create, then the run cycle's runs when the cycle is a list
/// of steps of its own (`cycle_of_its_own`). Where a chapter runs the
/// cycle, its own steps are the runs and the cycle is their record.
fn step_rows(
    chapters: &[RunbookChapter],
    run_cycle: &[RunCycleStep],
    cycle_of_its_own: bool,
) -> Vec<StepRow> {
    let mut rows = Vec::new();
    for c in chapters {
        for b in &c.blocks {
            for s in &b.steps {
                rows.push(StepRow {
                    id: s.id.clone(),
                    written_id: s.written_id,
                    chapter: c.title.clone(),
                    section: s.section.clone(),
                    text: s.text.clone(),
                    full_text: s.full_text.clone(),
                    hash: s.hash.clone(),
                });
            }
            for s in &b.profile_steps {
                rows.push(StepRow {
                    id: s.id.clone(),
                    written_id: false,
                    chapter: c.title.clone(),
                    section: Some("Run profiles".into()),
                    text: s.text.clone(),
                    full_text: s.text.clone(),
                    hash: s.hash.clone(),
                });
            }
        }
    }
    for s in run_cycle.iter().filter(|_| cycle_of_its_own) {
        rows.push(StepRow {
            id: s.id.clone(),
            written_id: false,
            chapter: "Run cycle".into(),
            section: None,
            text: s.text.clone(),
            full_text: s.text.clone(),
            hash: s.hash.clone(),
        });
    }
    rows
}

/// The environment as the runbook's title block and values table show it.
fn environment_context(env: &Environment, agents: &[AgentContext]) -> EnvironmentContext {
    EnvironmentContext {
        name: env.name.clone(),
        description: env.description.clone(),
        file: env.file.clone(),
        layers: env.layers.clone(),
        path: env.path.clone(),
        values: env.values_json(),
        values_table: values_table(env),
        agents: agents.to_vec(),
    }
}

/// Every value with its dotted key and where it was set (or derived).
fn values_table(env: &Environment) -> Vec<ValueRow> {
    env.values_flat()
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
        .collect()
}

/// The prerequisite graph of the chapters on the path, drawn.
fn graph_context(guide: &Guide, env: &Environment) -> GraphContext {
    let mut graph = super::prerequisite_graph(guide, env).on_path_only();
    graph.reduce();
    GraphContext {
        mermaid: graph.mermaid(),
        svg: graph.svg(),
    }
}

/// The result strings that finish a run, each with what the cycle does
/// after it.
fn run_results() -> Vec<RunResultAction> {
    crate::mim::run_result::FINISHED
        .iter()
        .map(|&(result, action)| RunResultAction {
            result,
            action: action.word(),
        })
        .collect()
}

/// What the run cycle script is rendered with: its limits from the
/// environment, the exit codes and the run history's counters.
fn script_context(env: &Environment, shown_root: &str) -> Result<ScriptContext, Located> {
    use crate::mim::run_result::{CycleExit, RUN_COUNTERS};
    let number = |key: &str| {
        env.script_number(key)
            .map_err(|r| super::problem_at(shown_root, &r.origin, r.message))
            .map(|n| n.map(|n| n.value))
    };
    Ok(ScriptContext {
        max_export_deletes: number("schedule.max_export_deletes")?.map_or(-1, i64::from),
        run_history_days: number("schedule.run_history_days")?.unwrap_or(0),
        exits: CycleExit::ALL
            .iter()
            .map(|e| ExitContext {
                name: e.name(),
                code: e.code(),
                meaning: e.meaning(),
            })
            .collect(),
        counters: RUN_COUNTERS
            .iter()
            .map(|(name, paths)| CounterContext {
                name,
                paths: paths.to_vec(),
            })
            .collect(),
    })
}
