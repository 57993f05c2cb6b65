//! `front-matter-description`: a `description` of 75 to 300 characters.

use crate::check::{ChapterContext, Check, Diagnostic, RuleId, front_matter};
use serde_json::Value;
use crate::check::rules::Example::Markdown;

declare_rule! {
    /// A `description` shorter than 75 or longer than 300 characters, the range
    /// search engines and Microsoft Learn expect.
    FrontMatterDescription {
        id: "front-matter-description",
        default: Warning,
        opt_in: true,
        fails: Markdown("---\ntitle: Install SQL Server\ndescription: Install SQL Server.\nauthor: jdoe\nms.date: 04/15/2024\nms.topic: how-to\n---\n\n# Install SQL Server\n"),
        passes: Markdown("---\ntitle: Install SQL Server\ndescription: Install SQL Server 2019 with the features MIM needs, as the account MIM setup uses later.\nauthor: jdoe\nms.date: 04/15/2024\nms.topic: how-to\n---\n\n# Install SQL Server\n"),
    }
}

impl Check for FrontMatterDescription {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(Value::String(desc)) = front_matter::of(cx).and_then(|fm| fm.values.get("description"))
        else {
            return;
        };
        let n = desc.trim().chars().count();
        if n > 0 && !(75..=300).contains(&n) {
            out.push(
                front_matter::at_key(
                    RuleId::FrontMatterDescription,
                    cx.chapter,
                    "description",
                    format!("`description` is {n} characters long; 75 to 300 are expected"),
                )
                .help("describe what the reader does in this chapter in one or two sentences"),
            );
        }
    }
}
