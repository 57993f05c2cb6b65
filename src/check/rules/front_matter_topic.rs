//! `front-matter-topic`: `ms.topic` is one of Microsoft Learn's topic types.

use crate::check::{ChapterContext, Check, Diagnostic, RuleId, front_matter};
use crate::check::rules::Example::Markdown;

declare_rule! {
    /// `ms.topic` that is not a Microsoft Learn topic type.
    FrontMatterTopic {
        id: "front-matter-topic",
        default: Warning,
        opt_in: true,
        fails: Markdown("---\ntitle: Install SQL Server\ndescription: Install SQL Server 2019 with the features MIM needs, as the account MIM setup uses later.\nauthor: jdoe\nms.date: 04/15/2024\nms.topic: howto\n---\n\n# Install SQL Server\n"),
        passes: Markdown("---\ntitle: Install SQL Server\ndescription: Install SQL Server 2019 with the features MIM needs, as the account MIM setup uses later.\nauthor: jdoe\nms.date: 04/15/2024\nms.topic: how-to\n---\n\n# Install SQL Server\n"),
    }
}

/// Microsoft Learn's `ms.topic` values.
pub const LEARN_TOPICS: &[&str] = &[
    "architecture",
    "article",
    "best-practice",
    "concept-article",
    "conceptual",
    "contributor-guide",
    "end-user-help",
    "error-reference",
    "faq",
    "get-started",
    "glossary",
    "how-to",
    "hub-page",
    "include",
    "install-set-up-deploy",
    "landing-page",
    "language-reference",
    "limits-and-quotas",
    "overview",
    "quickstart",
    "reference",
    "release-notes",
    "sample",
    "training",
    "troubleshooting",
    "troubleshooting-general",
    "troubleshooting-known-issue",
    "troubleshooting-problem-resolution",
    "tutorial",
    "upgrade-and-migration-article",
    "video",
    "whats-new",
];

impl Check for FrontMatterTopic {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(topic) = front_matter::of(cx).and_then(|fm| fm.values.get("ms.topic")) else {
            return;
        };
        let text = front_matter::scalar_text(topic);
        if text.is_empty() || LEARN_TOPICS.contains(&text.as_str()) {
            return;
        }
        let best = crate::text::suggest::closest(
            &text.to_lowercase(),
            LEARN_TOPICS.iter().map(|t| (t.to_string(), *t)),
            0.6,
        );
        let d = front_matter::at_key(
            RuleId::FrontMatterTopic,
            cx.chapter,
            "ms.topic",
            format!("`ms.topic: {text}` is not a Microsoft Learn topic type"),
        );
        out.push(match best.as_slice() {
            [only] => d.help(format!("did you mean `{only}`?")).suggest(*only),
            _ => d.help("use one of how-to, concept-article, overview, quickstart, tutorial, reference, troubleshooting, …"),
        });
    }
}
