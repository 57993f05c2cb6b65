//! The rules. Each rule documents itself (id, default severity, what it
//! finds, a failing and a passing example): the reference page, SARIF's rule
//! metadata and `--explain`-style help all come from this one table.

use super::Severity;

pub mod front_matter;
pub mod input;
pub mod links;
pub mod lists;
pub mod mojibake;
pub mod prerequisites;
pub mod profiles;
pub mod structure;
pub mod summary;
pub mod variables;

#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    pub id: &'static str,
    pub default: Severity,
    /// One sentence: what the rule finds.
    pub summary: &'static str,
    /// Markdown that the rule reports.
    pub fails: &'static str,
    /// The same, corrected.
    pub passes: &'static str,
}

macro_rules! rule {
    ($id:literal, $sev:ident, $summary:literal, $fails:literal, $passes:literal) => {
        RuleMeta {
            id: $id,
            default: Severity::$sev,
            summary: $summary,
            fails: $fails,
            passes: $passes,
        }
    };
}

/// Every rule, in the order the reference lists them.
pub static RULES: &[RuleMeta] = &[
    rule!(
        "broken-link",
        Error,
        "A link or image to a local file that does not exist. Suggests the closest existing file, and the file with `.md` added when the extension is missing.",
        "[The Graph MA](nstalling-GraphAPIMA.md)",
        "[The Graph MA](installing-GraphAPIMA.md)"
    ),
    rule!(
        "link-case-mismatch",
        Error,
        "A link whose target exists only with different letter case: it works on Windows and macOS, and breaks on Linux and on Git hosts.",
        "[SQL Server](install-SQL-server.md)   <!-- the file is Install-SQL-server.md -->",
        "[SQL Server](Install-SQL-server.md)"
    ),
    rule!(
        "broken-anchor",
        Error,
        "A `#fragment` that names no heading, `{#id}` or HTML `id`/`name` in the target file (or in the same file). Suggests the closest anchor.",
        "[Run profiles](configuring-MA-runprofiles.md#run-profile)",
        "[Run profiles](configuring-MA-runprofiles.md#run-profiles)"
    ),
    rule!(
        "link-outside-root",
        Error,
        "A relative link that climbs out of the book or folder being checked, so it breaks once the book is published on its own.",
        "[Licence](../../LICENSE)",
        "[Licence](https://example.com/LICENSE)"
    ),
    rule!(
        "undefined-reference",
        Error,
        "A reference link `[text][label]` whose label has no definition. Shortcut `[text]` and alerts such as `> [!TIP]` are not references.",
        "See [the portal][portal].",
        "See [the portal][portal].\n\n[portal]: install-mim-portal.md"
    ),
    rule!(
        "summary-missing-file",
        Error,
        "An entry in SUMMARY.md whose file does not exist.",
        "- [Install the portal](install-mim-service-portal.md)",
        "- [Install the portal](install-mim-portal.md)"
    ),
    rule!(
        "summary-invalid",
        Error,
        "SUMMARY.md cannot be read as an mdBook summary, or the book has none; chapters are then read in folder order.",
        "- [Chapter](a.md)\n\n[Suffix](b.md)\n\n- [More](c.md)",
        "- [Chapter](a.md)\n- [More](c.md)\n\n[Suffix](b.md)"
    ),
    rule!(
        "profile-type-unknown",
        Error,
        "A row of a run-profile table whose Type is not a MIM run-profile step type. Suggests the closest type.",
        "| Name | Type |\n|---|---|\n| Nightly | Full Import |",
        "| Name | Type |\n|---|---|\n| Nightly | Full Import (Stage Only) |"
    ),
    rule!(
        "prerequisite-cycle",
        Error,
        "Chapters whose Prerequisites lists lead back to themselves, so no reading order satisfies them.",
        "a.md lists [B](b.md) under Prerequisites, and b.md lists [A](a.md)",
        "only b.md lists [A](a.md)"
    ),
    rule!(
        "prerequisite-order",
        Warning,
        "A prerequisite that points to a chapter read later in the book.",
        "chapter 3 lists chapter 7 under Prerequisites",
        "chapter 7 lists chapter 3 under Prerequisites"
    ),
    rule!(
        "orphan-chapter",
        Warning,
        "A Markdown file in the book that SUMMARY.md leaves out and no chapter links to.",
        "docs/architecture.md, listed nowhere",
        "- [Architecture](architecture.md)   <!-- in SUMMARY.md -->"
    ),
    rule!(
        "unused-asset",
        Warning,
        "An image in the book that no chapter shows or links to.",
        "docs/media/old-screenshot.png, used nowhere",
        "![The wizard](media/old-screenshot.png)"
    ),
    rule!(
        "front-matter-missing-key",
        Warning,
        "A chapter's front matter lacks a key the book requires (by default title, description, author, ms.date and ms.topic), or the chapter has none while others do.",
        "---\ntitle: Install SQL Server\n---",
        "---\ntitle: Install SQL Server\ndescription: Install SQL Server 2019 with the features MIM needs, as the account MIM setup uses later.\nauthor: jdoe\nms.date: 04/15/2024\nms.topic: how-to\n---"
    ),
    rule!(
        "front-matter-empty-value",
        Warning,
        "A front matter key with no value.",
        "description: ",
        "description: Create the five run profiles on each management agent, in the order the run cycle uses them."
    ),
    rule!(
        "front-matter-date",
        Warning,
        "`ms.date` that is not a real date written MM/DD/YYYY.",
        "ms.date: 2020-04-15",
        "ms.date: 04/15/2020"
    ),
    rule!(
        "front-matter-topic",
        Warning,
        "`ms.topic` that is not a Microsoft Learn topic type.",
        "ms.topic: howto",
        "ms.topic: how-to"
    ),
    rule!(
        "front-matter-invalid",
        Error,
        "Front matter that is not valid YAML; its keys cannot be read.",
        "---\ntitle: [Install\n---",
        "---\ntitle: \"[Install]\"\n---"
    ),
    rule!(
        "front-matter-description",
        Warning,
        "A `description` shorter than 75 or longer than 300 characters, the range search engines and Microsoft Learn expect.",
        "description: Run profiles.",
        "description: Create the five single-step run profiles on every management agent, named after their step types."
    ),
    rule!(
        "multiple-h1",
        Warning,
        "More than one level-1 heading in a chapter. Front matter `title` is not a heading.",
        "# Domain preparation\n...\n# Delegation",
        "# Domain preparation\n...\n## Delegation"
    ),
    rule!(
        "table-column-count",
        Warning,
        "A table row with more or fewer cells than the header: Markdown silently drops or pads them.",
        "| Source | Target |\n|---|---|\n| mail | email | Allow null |",
        "| Source | Target | Options |\n|---|---|---|\n| mail | email | Allow null |"
    ),
    rule!(
        "list-numbering",
        Warning,
        "An ordered list that skips or repeats numbers, or that resumes with a number that does not follow the list before it.",
        "1. Open the wizard\n2. Pick the type\n4. Finish",
        "1. Open the wizard\n2. Pick the type\n3. Finish"
    ),
    rule!(
        "mojibake",
        Warning,
        "UTF-8 text that was read as Windows-1252 and saved again, such as `â€™` for `’`. Suggests the repaired text.",
        "For each of the MAâ€™s",
        "For each of the MA’s"
    ),
    rule!(
        "invalid-utf8",
        Error,
        "A file that is not valid UTF-8. It is read with the bad bytes replaced.",
        "a chapter saved as Windows-1252",
        "the same chapter saved as UTF-8"
    ),
    rule!(
        "unreadable-file",
        Error,
        "A file that exists but cannot be read.",
        "a chapter without read permission",
        "a readable chapter"
    ),
    rule!(
        "undefined-variable",
        Error,
        "A `{{ name }}` placeholder that an environment does not define, reported once per environment.",
        "Sign in as {{ accounts.installer }}   # environments/prod.yaml has no accounts.installer",
        "accounts:\n  installer: FABRIKAM\\\\mim-install   # in environments/prod.yaml"
    ),
];

pub fn meta(id: &str) -> Option<&'static RuleMeta> {
    RULES.iter().find(|r| r.id == id)
}

/// The rule reference page of the book (`docs/runsheet-rules.md`): every
/// rule with its default severity, what it finds, and a failing and a
/// passing example. A test keeps the page and this table the same.
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
This guide is checked on every change with `runsheet check`, which reads the book the way mdBook does and reports broken links and anchors, case-only mismatches, SUMMARY problems, front matter, tables, numbered lists and run-profile types. Each rule below can be set to `off`, `warn` or `error` under `[preprocessor.runsheet.rules]` in `book.toml` (add `optional = true` to that table so mdBook does not look for a preprocessor program) or under `[rules]` in a `runsheet.toml` beside it. The examples below are silenced that way, each for its own rule. One line is silenced with `<!-- runsheet-disable-next-line RULE -->`, a stretch with `<!-- runsheet-disable RULE -->` … `<!-- runsheet-enable RULE -->`.\n\n\
Exit codes: 0 when no error is found, 1 when one is (or a warning, with `--deny warnings`), 2 when the check could not run.\n\n\
In the examples below a placeholder is written `\\{{ name }}`: the backslash keeps it literal on this page.\n\n\
| Rule | Default |\n| --- | --- |\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} |\n",
            r.id,
            r.id,
            r.default.name()
        ));
    }
    for r in RULES {
        let escape = |s: &str| s.replace("{{", "\\{{");
        out.push_str(&format!(
            "\n## {}\n\n<!-- runsheet-disable {} -->\nDefault: {}. {}\n\nReported:\n\n```markdown\n{}\n```\n\nPasses:\n\n```markdown\n{}\n```\n<!-- runsheet-enable {} -->\n",
            r.id,
            r.id,
            r.default.name(),
            escape(r.summary),
            escape(r.fails),
            escape(r.passes),
            r.id
        ));
    }
    out
}
