//! The rules: one file each, whose doc comment is the rule's
//! documentation, and one line each in the registry below. The reference
//! page of the book (`docs/runsheet-rules.md`), `--list-rules` and SARIF's
//! rule metadata all come from the registry.
//!
//! A rule is a unit struct declared with `declare_rule!` (its id,
//! default severity, a failing and a passing [`Example`], and its doc
//! comment as its summary) and a [`Check`] implementation: a chapter check,
//! run on each chapter as it is read, and/or a guide check, run once over
//! every chapter's digest. Adding a rule is a new file here, its tests, and
//! one line in `registry!`. (`example.rs` is what an example is, not a
//! rule.)

use super::export::ExportContext;
use super::{ChapterContext, Diagnostic, GuideContext, Severity};

pub mod example;
pub use example::{Example, File};

/// What a rule checks. Each defaults to finding nothing: a rule of
/// `runsheet check` implements `chapter` and/or `guide`, a rule of
/// `runsheet verify` implements `export`.
pub trait Check: Sync {
    /// Findings in one chapter, while the book is being read.
    fn chapter(&self, _cx: &ChapterContext<'_>, _out: &mut Vec<Diagnostic>) {}
    /// Findings that need the whole guide.
    fn guide(&self, _cx: &GuideContext<'_>, _out: &mut Vec<Diagnostic>) {}
    /// Findings in a server's export held to an environment's runbook.
    fn export(&self, _cx: &ExportContext<'_>, _out: &mut Vec<Diagnostic>) {}
    /// What the guide check reads of the chapters' digests and the book,
    /// beside the files, settings and site (which a re-check keeps): a
    /// re-check after one chapter changed ([`super::incremental`]) runs
    /// the guide check again only when one of these changed. By default
    /// everything, which is always right.
    fn guide_reads(&self) -> Reads {
        Reads::ALL
    }
}

/// What a guide check reads (see [`Check::guide_reads`]): a set of parts
/// of the chapters' digests and of the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reads(u16);

impl Reads {
    /// Nothing: the check's findings never change after a chapter does.
    pub const NOTHING: Reads = Reads(0);
    /// The ids each chapter's links can name (`anchors`).
    pub const ANCHORS: Reads = Reads(1);
    /// The links into other chapters and the files they reach
    /// (`fragment_links`, `reached`, so [`super::GuideContext::linked`]).
    pub const LINKS: Reads = Reads(1 << 1);
    /// The Prerequisites lists.
    pub const PREREQUISITES: Reads = Reads(1 << 2);
    /// The placeholders each chapter writes.
    pub const PLACEHOLDERS: Reads = Reads(1 << 3);
    /// Whether each chapter has front matter.
    pub const FRONT_MATTER: Reads = Reads(1 << 4);
    /// The problems met while reading.
    pub const PROBLEMS: Reads = Reads(1 << 5);
    /// The book's declarations and environments (files beside the book).
    pub const ENVIRONMENTS: Reads = Reads(1 << 6);
    /// The rows of each chapter's run-profile tables (`profiles`).
    pub const PROFILES: Reads = Reads(1 << 7);
    /// Each chapter's front matter title and H1, with their lines.
    pub const TITLES: Reads = Reads(1 << 8);
    /// What each chapter's text is, as a fingerprint (see
    /// [`super::digest::Fingerprint`]).
    pub const TEXT: Reads = Reads(1 << 9);
    /// Everything.
    pub const ALL: Reads = Reads(u16::MAX);

    /// Both sets.
    pub const fn and(self, other: Reads) -> Reads {
        Reads(self.0 | other.0)
    }

    /// Whether the two sets share a part.
    pub const fn meets(self, other: Reads) -> bool {
        self.0 & other.0 != 0
    }
}

/// The command that runs a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// `runsheet check` (and the mdBook preprocessor): the guide's text.
    Check,
    /// `runsheet verify`: a server's export against an environment.
    Verify,
}

impl Command {
    pub fn name(self) -> &'static str {
        match self {
            Command::Check => "check",
            Command::Verify => "verify",
        }
    }
}

/// A rule: what it checks, and what it says of itself.
pub trait Rule: Check {
    fn meta(&self) -> &'static RuleMeta;
}

/// What a rule says of itself.
#[derive(Debug)]
pub struct RuleMeta {
    pub rule: RuleId,
    /// The id users write (`broken-link`).
    pub id: &'static str,
    /// The severity it reports at when on.
    pub default: Severity,
    /// Off unless a setting or the `learn` profile turns it on: an
    /// opinion of one publishing system, not a defect every tree has.
    pub opt_in: bool,
    /// The command that runs it.
    pub command: Command,
    /// The rule's doc comment, line by line.
    pub doc: &'static str,
    /// A chapter or a small tree of files that the rule reports: the test
    /// suite writes it out and checks that the rule reports it.
    pub fails: Example,
    /// The same, corrected: the rule reports nothing in it.
    pub passes: Example,
}

impl RuleMeta {
    /// Its default as the reference shows it: `error`, `warning`, or
    /// `off (warning)` for an opt-in rule.
    pub fn default_shown(&self) -> String {
        if self.opt_in {
            format!("off ({})", self.default.name())
        } else {
            self.default.name().to_string()
        }
    }

    /// One sentence: what the rule finds (its doc comment, joined).
    pub fn summary(&self) -> String {
        self.doc
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Declare a rule: a unit struct with its [`RuleMeta`]; its doc comment is
/// its summary. The struct's name is its [`RuleId`] variant.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        $name:ident {
            id: $id:literal,
            default: $default:ident,
            $(opt_in: $opt_in:literal,)?
            $(command: $command:ident,)?
            fails: $fails:expr,
            passes: $passes:expr $(,)?
        }
    ) => {
        $(#[doc = $doc])+
        pub struct $name;

        impl $crate::check::rules::Rule for $name {
            fn meta(&self) -> &'static $crate::check::rules::RuleMeta {
                static META: $crate::check::rules::RuleMeta = $crate::check::rules::RuleMeta {
                    rule: $crate::check::rules::RuleId::$name,
                    id: $id,
                    default: $crate::check::Severity::$default,
                    opt_in: false $(|| $opt_in)?,
                    command: $crate::check::rules::rule_command!($($command)?),
                    doc: concat!($($doc, "\n"),+),
                    fails: $fails,
                    passes: $passes,
                };
                &META
            }
        }
    };
}

/// The command a rule declares, `Check` when it names none.
macro_rules! rule_command {
    () => {
        $crate::check::rules::Command::Check
    };
    ($command:ident) => {
        $crate::check::rules::Command::$command
    };
}
pub(crate) use rule_command;

/// The registry: every rule, in the order the reference lists them, as
/// `StructName => module`.
macro_rules! registry {
    ($($name:ident => $module:ident),+ $(,)?) => {
        $(mod $module;)+

        /// A rule, by name. Its id as users write it is [`RuleId::as_str`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $($name),+
        }

        /// Every rule, in the order the reference lists them.
        pub static RULES: &[&dyn Rule] = &[$(&$module::$name),+];

        impl RuleId {
            /// The rule's name for people, in PascalCase (`BrokenLink`):
            /// the name of its variant, as SARIF's `name` wants it. Users
            /// write the id ([`RuleId::as_str`]); this name is only shown.
            pub fn name(self) -> &'static str {
                match self {
                    $(RuleId::$name => stringify!($name)),+
                }
            }
        }
    };
}

registry! {
    BrokenLink => broken_link,
    LinkCaseMismatch => link_case_mismatch,
    LinkToRedirect => link_to_redirect,
    BrokenAnchor => broken_anchor,
    LinkOutsideRoot => link_outside_root,
    UndefinedReference => undefined_reference,
    SummaryMissingFile => summary_missing_file,
    SummaryInvalid => summary_invalid,
    ProfileTypeUnknown => profile_type_unknown,
    PrerequisiteCycle => prerequisite_cycle,
    PrerequisiteOrder => prerequisite_order,
    OrphanChapter => orphan_chapter,
    UnusedAsset => unused_asset,
    FrontMatterMissingKey => front_matter_missing_key,
    FrontMatterEmptyValue => front_matter_empty_value,
    FrontMatterDate => front_matter_date,
    FrontMatterTopic => front_matter_topic,
    FrontMatterInvalid => front_matter_invalid,
    FrontMatterDescription => front_matter_description,
    MultipleH1 => multiple_h1,
    TableColumnCount => table_column_count,
    ListNumbering => list_numbering,
    MojibakeText => mojibake,
    InvalidUtf8 => invalid_utf8,
    UnreadableFile => unreadable_file,
    SymlinkOutsideRoot => symlink_outside_root,
    LoneCarriageReturn => lone_carriage_return,
    EnvironmentInvalid => environment_invalid,
    UndeclaredVariable => undeclared_variable,
    UnusedVariable => unused_variable,
    UnknownEnvironmentKey => unknown_environment_key,
    InvalidVariableValue => invalid_variable_value,
    DerivedValueMismatch => derived_value_mismatch,
    UndefinedVariable => undefined_variable,
    // Added after the others, so SARIF's rule indexes stay as they were.
    BrokenXref => broken_xref,
    UnknownRuleId => unknown_rule_id,
    // The rules of `runsheet verify`.
    AgentMissing => agent_missing,
    AgentTypeMismatch => agent_type_mismatch,
    PartitionNotSelected => partition_not_selected,
    PartitionUnexpected => partition_unexpected,
    OuScopeMismatch => ou_scope_mismatch,
    RunProfileMissing => run_profile_missing,
    RunStepMismatch => run_step_mismatch,
    RunStepLimit => run_step_limit,
    ProvisioningMismatch => provisioning_mismatch,
    DeletionRuleMismatch => deletion_rule_mismatch,
    AgentNotInRunbook => agent_not_in_runbook,
    // Run cycles.
    RunCycleOrder => run_cycle_order,
    ScheduledCycleFullStep => scheduled_cycle_full_step,
    // Added after the rules of `runsheet verify`, so SARIF's rule indexes
    // stay as they were.
    BackslashPath => backslash_path,
    MisspeltHeading => misspelt_heading,
    TitleMismatch => title_mismatch,
    DuplicateChapter => duplicate_chapter,
    // What the book declares an environment must be, and what stops a render.
    UnknownPathEntry => unknown_path_entry,
    PathAlternatives => path_alternatives,
    ValueCheck => value_check,
    UnknownCycleProfile => unknown_cycle_profile,
    StepIdInvalid => step_id_invalid,
}

impl RuleId {
    /// The rule's registered entry.
    #[allow(
        clippy::indexing_slicing,
        reason = "RULES is built from the same list as RuleId, in its order: every id has its entry"
    )]
    pub fn rule(self) -> &'static dyn Rule {
        RULES[self as usize]
    }

    pub fn meta(self) -> &'static RuleMeta {
        self.rule().meta()
    }

    /// The id users write (`broken-link`).
    pub fn as_str(self) -> &'static str {
        self.meta().id
    }

    /// The rule with id `id`.
    pub fn from_id(id: &str) -> Option<RuleId> {
        RULES
            .iter()
            .map(|r| r.meta())
            .find(|m| m.id == id)
            .map(|m| m.rule)
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for RuleId {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

/// The rule with id `id`, for tests and tools.
pub fn meta(id: &str) -> Option<&'static RuleMeta> {
    RuleId::from_id(id).map(RuleId::meta)
}

/// The rule reference page of the book (`docs/runsheet-rules.md`): every
/// rule with its default severity, what it finds, and a failing and a
/// passing example. A test keeps the page and the registry the same.
pub fn reference_page() -> String {
    let mut out = String::from(
        "---\n\
title: \"Checking this guide with runsheet: the rules\"\n\
description: \"Every rule runsheet check applies to this guide, with its default severity, what it finds, and an example it reports next to the corrected version.\"\n\
author: runsheet-docs\n\
ms.date: 11/30/2026\n\
ms.topic: reference\n\
ms.service: microsoft-identity-manager\n\
---\n\n\
# Checking this guide with runsheet\n\n\
This guide is checked on every change with `runsheet check`, which reads the book the way mdBook does and reports broken links and anchors, case-only mismatches, SUMMARY problems, front matter, tables, numbered lists and run-profile types. Each rule below can be set to `off`, `warn` or `error` under `[preprocessor.runsheet.rules]` in `book.toml` (where `mdbook build` runs the same check through the `mdbook-runsheet` preprocessor) or under `[rules]` in a `runsheet.toml` beside it. The examples below are silenced that way, each for its own rule. One line is silenced with `<!-- runsheet-disable-next-line RULE -->`, a stretch with `<!-- runsheet-disable RULE -->` … `<!-- runsheet-enable RULE -->`.\n\n\
Exit codes: 0 when no error is found, 1 when one is (or a warning, with `--deny warnings`), 2 when the check could not run.\n\n\
Each rule's examples are checked by runsheet's tests: the reported one is reported by the rule, the passing one is not. An example that is one chapter is shown as its Markdown; one that needs more files (a `SUMMARY.md`, front matter, `variables.yaml` and an environment, a `docfx.json`) shows each file with its path from the root of the folder checked. In the examples below a placeholder is written `\\{{ name }}`: the backslash keeps it literal on this page.\n\n\
| Rule | Default |\n| --- | --- |\n",
    );
    let row = |r: &RuleMeta| format!("| [`{}`](#{}) | {} |\n", r.id, r.id, r.default_shown());
    for r in RULES
        .iter()
        .map(|r| r.meta())
        .filter(|r| r.command == Command::Check)
    {
        out.push_str(&row(r));
    }
    out.push_str(
        "\n`runsheet verify --env NAME EXPORT` holds a server's exported configuration (the folder `svrexport.exe` writes, or one agent's `MA-*.XML`) to what environment `NAME`'s runbook requires of it, and reports the drift with the rules below; they are set like the others, and only `runsheet verify` runs them. Their examples are a book with an environment `lab` and an export in `export/`, verified as `runsheet verify --env lab export`. Exit codes: 0 when the server matches, 1 when it has drifted (an error, or a warning with `--deny warnings`), 2 when the export or the environment cannot be read.\n\n| Rule of `runsheet verify` | Default |\n| --- | --- |\n",
    );
    for r in RULES
        .iter()
        .map(|r| r.meta())
        .filter(|r| r.command == Command::Verify)
    {
        out.push_str(&row(r));
    }
    // The rules of `runsheet check` first, then those of `runsheet verify`,
    // each in registry order.
    let checks = RULES
        .iter()
        .map(|r| r.meta())
        .filter(|r| r.command == Command::Check);
    let verifies = RULES
        .iter()
        .map(|r| r.meta())
        .filter(|r| r.command == Command::Verify);
    for r in checks.chain(verifies) {
        out.push_str(&format!(
            "\n## {}\n\n<!-- runsheet-disable {} -->\nDefault: {}. {}\n\nReported:\n\n{}\n\nPasses:\n\n{}\n<!-- runsheet-enable {} -->\n",
            r.id,
            r.id,
            if r.opt_in {
                format!(
                    "off; {} when turned on (`profile = \"learn\"`, or the rule set to `warn` or `error`)",
                    r.default.name()
                )
            } else if r.command == Command::Verify {
                format!("{}; run by `runsheet verify`", r.default.name())
            } else {
                r.default.name().to_string()
            },
            escape_placeholders(&r.summary()),
            escape_placeholders(&r.fails.markdown()),
            escape_placeholders(&r.passes.markdown()),
            r.id
        ));
    }
    out
}

/// `text` with each `{{ name }}` placeholder escaped (`\{{ name }}`), so
/// that the book shows it as written rather than filling it in. Other
/// `{{` (a `derive:` template's filters) are no placeholders and stay.
pub fn escape_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (_, range) in crate::placeholder::scan(text) {
        out.push_str(text.get(from..range.start).unwrap_or_default());
        out.push('\\');
        from = range.start;
    }
    out.push_str(text.get(from..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_placeholders_are_escaped() {
        assert_eq!(
            escape_placeholders("Join {{ ad.domain }}; derive: \"OU={{ ou | rdn }}\" {{x}}"),
            "Join \\{{ ad.domain }}; derive: \"OU={{ ou | rdn }}\" \\{{x}}"
        );
    }

    #[test]
    fn every_rule_is_registered_under_its_own_name() {
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(r.meta().rule as usize, i, "{}", r.meta().id);
            assert_eq!(RuleId::from_id(r.meta().id), Some(r.meta().rule));
        }
    }

    #[test]
    fn names_are_pascal_case_unique_and_not_the_id() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES.iter().map(|r| r.meta()) {
            let name = r.rule.name();
            assert!(seen.insert(name), "{name} twice");
            assert!(
                name.starts_with(|c: char| c.is_ascii_uppercase())
                    && name.chars().all(|c| c.is_ascii_alphanumeric()),
                "{name} is not PascalCase"
            );
            // SARIF's `name` must differ from the id, case aside
            // (`Mojibake` would not).
            assert!(!name.eq_ignore_ascii_case(r.id), "{name}");
        }
    }
}
