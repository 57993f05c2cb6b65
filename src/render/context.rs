//! What the templates see: one environment's runbook, worked out in Rust
//! so that the templates only lay it out.
//!
//! ```text
//! environment  name, description, file, layers, path, values (nested),
//!              values_table [{key, value, set_in}], agents
//! book         title, src, kind
//! chapters     [{number, path, slug, title, part, source {path, line, href},
//!                closing (the index of the first of the last blocks print keeps
//!                with the sign-off),
//!                blocks [{kind, line, markdown, html, level, anchor, text,
//!                         alert {kind, label, serious}, steps, prerequisites,
//!                         left_out, profile_steps}],
//!                omitted [{line, kind, reason}],
//!                prerequisites [{text, target, href, in_runbook, chapter}],
//!                steps [{id, written_id, number, text, full_text, hash, markdown, html, line, section,
//!                        new_section, source}],
//!                profiles [{name, type, line}], profile_steps [...]}]
//! agents       [{key, name, type, category, partition, partition_id, id,
//!                other_partitions [{name, id}], scope {include, exclude},
//!                object_classes, profiles [{name, type, step_type, subtype, id}]}]
//! run_cycle    the initial cycle: [{id, number, agent, profile, text, markdown, html}]
//! cycles       {initial, scheduled}: both cycles, each as run_cycle
//! run_cycle_in the slug of the chapter that runs it, if one does
//! run_results  [{result, action}]: what the cycle does after each result
//! step_defaults {adma, extensible2, fimma_export}: [(element, value)]
//! script       {max_export_deletes, run_history_days, exits [{name, code,
//!                meaning}], counters [{name, paths}]}: the run cycle script
//! steps        every step above in runbook order, for tables:
//!              [{id, chapter, section, text, full_text, hash}]
//! kept         by step id, the steps ticked in the progress that
//!              `render --keep-progress` carries over:
//!              {id: {changed, done_by, date, result}}
//! runs         by run id (`run-cycle.N`), each run's record carried over:
//!              {id: {result, counts {adds, updates, deletes, errors}}}
//!              (a count not recorded is none)
//! signoffs     by chapter slug, the sign-offs carried over (only of
//!              chapters whose every step is done): {slug: {done_by, date,
//!              result}}
//! chapters_done by chapter slug, whether every step of it is done in the
//!              progress carried over
//! ```

//!
//! The context is built in [`super::runbook`] (chapters and steps) and
//! [`super::agents`] (agents, run profiles and the run cycle).

use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct Context {
    pub environment: EnvironmentContext,
    pub book: BookContext,
    pub chapters: Vec<RunbookChapter>,
    pub agents: Vec<AgentContext>,
    /// The initial cycle (the same as `cycles.initial`): what the guide
    /// runs by hand the first time.
    pub run_cycle: Vec<RunCycleStep>,
    /// Both cycles of the environment.
    pub cycles: CyclesContext,
    /// The slug of the chapter that runs the cycle (where its
    /// `<!-- runsheet-run-cycle -->` comment is), if one does.
    pub run_cycle_in: Option<String>,
    /// Whether the runbook is about Microsoft Identity Manager: the
    /// environment has management agents, or a chapter on its path creates
    /// run profiles. Without, a runbook shows no agents table and no run
    /// cycle, and `manifest.yaml`, `run-profiles.xml` and
    /// `Invoke-RunCycle.ps1` are not written.
    pub mim: bool,
    /// The book's introduction's prerequisites and alerts, when the
    /// environment's path leaves the introduction out: what every operator
    /// must have and heed before the first chapter.
    pub preamble: Option<PreambleContext>,
    /// Every checkable step in runbook order: chapter steps, the run
    /// profiles to create, then the run cycle.
    pub steps: Vec<StepRow>,
    /// The prerequisite graph of the chapters on the path, drawn.
    pub graph: GraphContext,
    /// The result strings that finish a run, each with what the cycle
    /// does after it (`Continue`, `Warn`, `Stop`); any other string stops
    /// it.
    pub run_results: Vec<RunResultAction>,
    /// What the run cycle script is rendered with.
    pub script: ScriptContext,
    /// What a run profile's step reads with when left as it is, per agent
    /// type (`<custom-data>` in `run-profiles.xml`).
    pub step_defaults: StepDefaults,
    /// Steps ticked in the progress carried over, by id (empty unless
    /// `render --keep-progress`).
    pub kept: BTreeMap<String, KeptStep>,
    /// The runs of the run cycle recorded in the progress carried over, by
    /// id (`run-cycle.N`).
    pub runs: BTreeMap<String, KeptRun>,
    /// By chapter slug (`run-cycle` for a run cycle of its own), the
    /// sign-offs carried over: only of chapters whose every step is done.
    pub signoffs: BTreeMap<String, KeptSignOff>,
    /// By chapter slug, whether every step of it is done in the progress
    /// carried over (a chapter without steps: whether it is signed off).
    pub chapters_done: BTreeMap<String, bool>,
}

/// What earlier progress carries into one environment's runbook
/// (`render --keep-progress`), in the runbook's own ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeptProgress {
    pub steps: BTreeMap<String, KeptStep>,
    pub runs: BTreeMap<String, KeptRun>,
    pub signoffs: BTreeMap<String, KeptSignOff>,
    pub chapters_done: BTreeMap<String, bool>,
}

/// A step ticked in earlier progress: still ticked when its text is the
/// same, unticked and marked when it `changed`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KeptStep {
    /// Its text changed since it was ticked: do it again.
    pub changed: bool,
    pub done_by: String,
    pub date: String,
    pub result: String,
}

/// A run of the run cycle as recorded: its result and counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KeptRun {
    pub result: String,
    pub counts: RunCounts,
}

/// A chapter's sign-off carried over.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KeptSignOff {
    pub done_by: String,
    pub date: String,
    pub result: String,
}

/// A run's counts as Synchronization Service Manager shows them; a count
/// not recorded is `None` (blank is not 0).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RunCounts {
    #[serde(default)]
    pub adds: Option<u64>,
    #[serde(default)]
    pub updates: Option<u64>,
    #[serde(default)]
    pub deletes: Option<u64>,
    #[serde(default)]
    pub errors: Option<u64>,
}

impl RunCounts {
    /// The four counts in the order a record shows them.
    pub fn each(&self) -> [Option<u64>; 4] {
        [self.adds, self.updates, self.deletes, self.errors]
    }

    /// Counts from the four in a record's order.
    pub fn from_each([adds, updates, deletes, errors]: [Option<u64>; 4]) -> Self {
        RunCounts {
            adds,
            updates,
            deletes,
            errors,
        }
    }

    /// Whether no count is recorded.
    pub fn is_blank(&self) -> bool {
        self.each().iter().all(Option::is_none)
    }
}

/// A run result string and what it means for the cycle.
/// A run result string and what the cycle does after it.
#[derive(Debug, Clone, Serialize)]
pub struct RunResultAction {
    pub result: &'static str,
    /// `Continue`, `Warn` or `Stop`.
    pub action: &'static str,
}

/// A step's `<custom-data>` values as MIM leaves them, each as `(element,
/// value)`.
#[derive(Debug, Clone, Serialize)]
pub struct StepDefaults {
    /// `adma-step-data`, on every step of an Active Directory agent.
    pub adma: Vec<(&'static str, &'static str)>,
    /// `extensible2-step-data`, on an extensible agent's imports and
    /// exports.
    pub extensible2: Vec<(&'static str, &'static str)>,
    /// `fimma-step-data`, on a MIM Service agent's exports.
    pub fimma_export: Vec<(&'static str, &'static str)>,
}

/// An environment's two run cycles.
#[derive(Debug, Clone, Serialize)]
pub struct CyclesContext {
    /// The first run, and the full cycle on its own schedule.
    pub initial: Vec<RunCycleStep>,
    /// The delta cycle the scheduled task runs.
    pub scheduled: Vec<RunCycleStep>,
}

/// What the run cycle script is rendered with.
#[derive(Debug, Clone, Serialize)]
pub struct ScriptContext {
    /// The default of `-MaxExportDeletes` (`schedule.max_export_deletes`);
    /// -1 when the environment sets none, which checks nothing.
    pub max_export_deletes: i64,
    /// The default of `-ClearRunHistoryDays`
    /// (`schedule.run_history_days`); 0 keeps the run history.
    pub run_history_days: u32,
    /// How a cycle ends, each exit code with its name and meaning.
    pub exits: Vec<ExitContext>,
    /// The counts logged per run, each with the run history's counters
    /// it adds up.
    pub counters: Vec<CounterContext>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExitContext {
    pub name: &'static str,
    pub code: u8,
    pub meaning: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct CounterContext {
    pub name: &'static str,
    pub paths: Vec<&'static str>,
}

/// The prerequisite graph of a runbook's chapters, as Mermaid (for
/// Markdown) and as an SVG (for HTML, drawn without a network).
#[derive(Debug, Clone, Serialize)]
pub struct GraphContext {
    pub mermaid: String,
    pub svg: String,
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

/// What the book's introduction (its first chapter, before any part of
/// SUMMARY.md) asks of every environment, in the introduction's order: the
/// blocks of its Prerequisites section (or Requirements, Before you
/// begin) and its alerts (`> [!WARNING]` and the others), filled in.
#[derive(Debug, Clone, Serialize)]
pub struct PreambleContext {
    /// The introduction's title.
    pub title: String,
    pub source: SourceRef,
    pub blocks: Vec<BlockContext>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceRef {
    /// Relative to the book's root (`docs/preparedomain.md`).
    pub path: String,
    pub line: usize,
    /// From the output folder to the line (`../../docs/preparedomain.md#L12`).
    pub href: String,
}

/// One chapter as the runbook shows it (`chapters` in the templates).
#[derive(Debug, Clone, Serialize)]
pub struct RunbookChapter {
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
    /// Everything the chapter says, in its order, filled in.
    pub blocks: Vec<BlockContext>,
    /// Where the chapter's closing blocks start (an index into `blocks`):
    /// its last two and the headings just before them, which a printed
    /// runbook keeps on a page with the chapter's sign-off.
    pub closing: usize,
    /// The chapter's blocks a runbook leaves out, each with why.
    pub omitted: Vec<OmittedBlock>,
}

/// One block of a chapter as the runbook shows it. `kind` says which
/// fields matter:
///
/// - `heading`: `level` (the runbook's: the chapter's own level plus one),
///   `anchor` (its id in the runbook), `text`;
/// - `text` (a paragraph, a bullet list, a quote, a table, a code block,
///   raw HTML, a rule): `markdown` and `html`;
/// - `alert` (`> [!NOTE]` …): `markdown`, `html` (the body) and `alert`;
/// - `steps`: `steps`, check boxes with their ids;
/// - `prerequisites`: `prerequisites` on the path (check boxes) and
///   `left_out`, those in parts or chapters the environment skips;
/// - `profiles`: the run-profile table (`markdown`, `html`) and
///   `profile_steps`;
/// - `run_cycle`: where the guide runs the cycle (the runbook's
///   `run_cycle` goes here);
/// - `scheduled_cycle`: where the guide shows the scheduled cycle (the
///   runbook's `cycles.scheduled` goes here).
#[derive(Debug, Clone, Serialize)]
pub struct BlockContext {
    pub kind: &'static str,
    /// The chapter's line it starts on.
    pub line: usize,
    pub markdown: String,
    pub html: String,
    pub level: u8,
    pub anchor: Option<String>,
    pub text: String,
    pub alert: Option<AlertContext>,
    pub steps: Vec<StepContext>,
    pub prerequisites: Vec<PrerequisiteContext>,
    pub left_out: Vec<LeftOut>,
    pub profile_steps: Vec<ProfileStep>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlertContext {
    /// `note`, `tip`, `important`, `warning`, `caution`.
    pub kind: crate::model::AlertKind,
    /// `Note`, `Warning`, …
    pub label: &'static str,
    /// GitHub's marker, `[!WARNING]`.
    pub marker: String,
    /// Important, Warning and Caution.
    pub serious: bool,
}

/// A prerequisite the environment's path does not take.
#[derive(Debug, Clone, Serialize)]
pub struct LeftOut {
    pub text: String,
    pub target: String,
    /// Why it is not on the path (`part “Option 2: extension DLL” is skipped`).
    pub reason: String,
}

/// A block of the chapter the runbook does not show.
#[derive(Debug, Clone, Serialize)]
pub struct OmittedBlock {
    pub line: usize,
    pub kind: &'static str,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PrerequisiteContext {
    pub text: String,
    /// As written in the chapter.
    pub target: String,
    /// From the runbook: `#slug` when the chapter is in it.
    pub href: String,
    pub in_runbook: bool,
    /// The slug of the chapter it names, when that chapter is in the
    /// runbook.
    pub chapter: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepContext {
    /// `chapter-slug.WORDS`: the id the step's author wrote, or the first
    /// words of its text ([`super::ids::step_ids`]).
    pub id: String,
    /// Whether its author wrote the id (`<!-- runsheet-step: ID -->`).
    pub written_id: bool,
    /// The number as written.
    pub number: u64,
    /// Its plain text, without its sub-lists and code blocks.
    pub text: String,
    /// Its whole text on one line, sub-lists and code blocks included.
    pub full_text: String,
    /// [`super::ids::step_hash`] of `full_text`.
    pub hash: String,
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
    /// [`super::ids::step_hash`] of `text`.
    pub hash: String,
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
    /// The partitions an exported agent lists beside its own, not
    /// selected (an Active Directory forest's configuration and DNS
    /// partitions).
    pub other_partitions: Vec<PartitionContext>,
    /// The OU scope of its partition, where the environment gives one.
    pub scope: Option<ScopeContext>,
    /// The object types its partition selects, where the environment
    /// gives them.
    pub object_classes: Vec<String>,
    /// The management agent's GUID, derived from its name.
    pub id: String,
    pub profiles: Vec<RunProfile>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartitionContext {
    pub name: String,
    /// Derived from the agent's and the partition's names.
    pub id: String,
}

/// The containers a partition includes and excludes.
#[derive(Debug, Clone, Serialize)]
pub struct ScopeContext {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
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
    /// `run-cycle.N` in the initial cycle, `scheduled-cycle.N` in the
    /// scheduled one.
    pub id: String,
    pub number: usize,
    pub agent: AgentRef,
    pub profile: RunProfile,
    pub text: String,
    /// [`super::ids::step_hash`] of `text`.
    pub hash: String,
    pub markdown: String,
    pub html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepRow {
    pub id: String,
    /// Whether the step's author wrote its id: progress with the same id
    /// is its own, whatever its text.
    pub written_id: bool,
    /// The chapter's title, or `Run cycle`.
    pub chapter: String,
    pub section: Option<String>,
    /// The step's plain text, without sub-lists.
    pub text: String,
    /// The step's whole text on one line, sub-lists included.
    pub full_text: String,
    /// [`super::ids::step_hash`] of `full_text`: changes when the step does.
    pub hash: String,
}
