//! `front-matter-missing-key`: the keys the book requires (by default
//! those of Microsoft Learn) are in every chapter's front matter, less
//! those DocFX supplies from `docfx.json`. A book where no chapter has
//! front matter is left alone.

use crate::check::{ChapterContext, Check, Diagnostic, GuideContext, RuleId, front_matter, rules::Reads};
use crate::model::ProblemKind;
use crate::check::rules::Example::Markdown;

declare_rule! {
    /// A chapter's front matter lacks a key the book requires (by default
    /// title, description, author, ms.date and ms.topic), or the chapter has
    /// none while others do. Keys `docfx.json` gives every file
    /// (`globalMetadata`, `fileMetadata`) need not be written. In a DocFX
    /// tree only pages are held to it, as for every front matter rule: a
    /// file outside every docset folder (the repository's README) or one
    /// its `build.content` leaves out (`exclude: ["**/includes/**"]`) is
    /// not published as a page.
    FrontMatterMissingKey {
        id: "front-matter-missing-key",
        default: Warning,
        fails: Markdown("---\ntitle: Install SQL Server\n---\n\n# Install SQL Server\n"),
        passes: Markdown("---\ntitle: Install SQL Server\ndescription: Install SQL Server 2019 with the features MIM needs, as the account MIM setup uses later.\nauthor: jdoe\nms.date: 04/15/2024\nms.topic: how-to\n---\n\n# Install SQL Server\n"),
    }
}

impl Check for FrontMatterMissingKey {
    fn guide_reads(&self) -> Reads {
        Reads::FRONT_MATTER.and(Reads::PROBLEMS)
    }

    /// A key missing from a chapter's front matter.
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(fm) = front_matter::of(cx) else {
            return;
        };
        for key in &cx.settings.required_keys {
            if fm.values.get(key).is_none() && !cx.site.inherited_keys.contains(key) {
                out.push(
                    Diagnostic::at_line(
                        RuleId::FrontMatterMissingKey,
                        &cx.chapter.path,
                        fm.line,
                        format!("front matter has no `{key}`"),
                    )
                    .help(format!("add a `{key}:` line between the `---` fences")),
                );
            }
        }
    }

    /// A chapter with no front matter at all, in a book whose other
    /// chapters have it.
    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        if !cx.chapters.iter().any(|c| c.has_front_matter) {
            return;
        }
        let missing: Vec<&str> = cx
            .settings
            .required_keys
            .iter()
            .filter(|k| !cx.site.inherited_keys.contains(*k))
            .map(String::as_str)
            .collect();
        if missing.is_empty() {
            return;
        }
        for c in cx.chapters.iter().filter(|c| !c.has_front_matter) {
            // Unreadable YAML is reported as front-matter-invalid.
            let unreadable = cx
                .problems
                .iter()
                .any(|p| p.file == c.path && p.kind == ProblemKind::FrontMatterYaml);
            // A DocFX YAML page has no front matter: its metadata is YAML.
            if cx.is_toc(&c.path)
                || unreadable
                || c.path.ends_with(".yml")
                || !cx.site.publishes(&c.path)
            {
                continue;
            }
            out.push(
                Diagnostic::at_line(
                    RuleId::FrontMatterMissingKey,
                    &c.path,
                    1,
                    format!(
                        "chapter has no front matter; the book's chapters carry {}",
                        missing.join(", ")
                    ),
                )
                .help("start the file with a `---` block holding the keys"),
            );
        }
    }
}
