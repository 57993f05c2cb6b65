//! `front-matter-description`: a `description` of 75 to 300 characters.

use crate::check::{ChapterContext, Check, Diagnostic, RuleId, front_matter};
use serde_json::Value;

declare_rule! {
    /// A `description` shorter than 75 or longer than 300 characters, the range
    /// search engines and Microsoft Learn expect.
    FrontMatterDescription {
        id: "front-matter-description",
        default: Warning,
        opt_in: true,
        fails: "description: Run profiles.",
        passes: "description: Create the five single-step run profiles on every management agent, named after their step types.",
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
