//! `front-matter-empty-value`: every front matter key has a value.

use crate::check::{ChapterContext, Check, Diagnostic, RuleId, front_matter};
use serde_json::Value;
use crate::check::rules::Example::Markdown;

declare_rule! {
    /// A front matter key with no value.
    FrontMatterEmptyValue {
        id: "front-matter-empty-value",
        default: Warning,
        fails: Markdown("---\ntitle: Install SQL Server\ndescription:\nauthor: jdoe\nms.date: 04/15/2024\nms.topic: how-to\n---\n\n# Install SQL Server\n"),
        passes: Markdown("---\ntitle: Install SQL Server\ndescription: Install SQL Server 2019 with the features MIM needs, as the account MIM setup uses later.\nauthor: jdoe\nms.date: 04/15/2024\nms.topic: how-to\n---\n\n# Install SQL Server\n"),
    }
}

impl Check for FrontMatterEmptyValue {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(Value::Object(map)) = front_matter::of(cx).map(|fm| &fm.values) else {
            return;
        };
        for (key, value) in map {
            let empty = match value {
                Value::Null => true,
                Value::String(s) => s.trim().is_empty(),
                Value::Array(a) => a.is_empty(),
                _ => false,
            };
            if empty {
                out.push(
                    front_matter::at_key(
                        RuleId::FrontMatterEmptyValue,
                        cx.chapter,
                        key,
                        format!("front matter key `{key}` has no value"),
                    )
                    .help(format!("give `{key}` a value, or remove the line")),
                );
            }
        }
    }
}
