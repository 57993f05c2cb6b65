//! `undefined-variable`: every `{{ name }}` placeholder in a chapter that
//! an environment follows has a value in that environment. Reported once
//! per key and environment, at its first use, listing every other place
//! that uses it, naming the environment and the file that should define it.

use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::env::Environment;
use crate::model::Placeholder;
use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};

declare_rule! {
    /// A `{{ name }}` placeholder that an environment gives no value, reported
    /// once per key and environment with every place that uses it.
    UndefinedVariable {
        id: "undefined-variable",
        default: Error,
        fails: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Domain](domain.md)\n"),
            Text("src/domain.md", "# Domain\n\n1. Sign in as {{ accounts.installer }}.\n"),
            Text("environments/prod.yaml", "values:\n  accounts:\n    admin: FABRIKAM\\mim-admin\n"),
        ]),
        passes: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Domain](domain.md)\n"),
            Text("src/domain.md", "# Domain\n\n1. Sign in as {{ accounts.installer }}.\n"),
            Text("environments/prod.yaml", "values:\n  accounts:\n    installer: FABRIKAM\\mim-install\n"),
        ]),
    }
}

impl Check for UndefinedVariable {
    fn guide_reads(&self) -> Reads {
        Reads::ENVIRONMENTS.and(Reads::PLACEHOLDERS)
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for env in &cx.environments().environments {
            check_environment(cx, env, out);
        }
    }
}

fn check_environment(cx: &GuideContext<'_>, env: &Environment, out: &mut Vec<Diagnostic>) {
    // Each missing key with its uses, in reading order.
    let mut missing: Vec<(&str, Vec<(&str, &Placeholder)>)> = Vec::new();
    for chapter in cx
        .chapters
        .iter()
        .filter(|c| env.follows_path(&c.path, c.listed, c.part.as_deref()))
    {
        for p in &chapter.placeholders {
            if env.is_defined(&p.name) {
                continue;
            }
            match missing.iter_mut().find(|(k, _)| *k == p.name) {
                Some((_, uses)) => uses.push((&chapter.path, p)),
                None => missing.push((&p.name, vec![(&chapter.path, p)])),
            }
        }
    }
    // A derived value whose parts are missing where they are used is
    // reported through its parts.
    let keys: Vec<&str> = missing.iter().map(|(k, _)| *k).collect();
    missing.retain(|(k, _)| !env.missing_through_parts(k, &keys));
    for (key, uses) in missing {
        let Some((&(file, first), rest)) = uses.split_first() else {
            continue;
        };
        let mut message = format!("`{{{{ {key} }}}}` has no value in environment `{}`", env.name);
        if !rest.is_empty() {
            let others: Vec<(&str, usize)> = rest.iter().map(|(f, p)| (*f, p.line)).collect();
            message.push_str(&format!(
                " (used {} times; also at {})",
                uses.len(),
                crate::env::values::places(&others)
            ));
        }
        let help = match env.placeholder_value(key) {
            Err(m) => format!("`{{{{ {key} }}}}` {}", m.describe(key, env)),
            Ok(_) => String::new(),
        };
        out.push(Diagnostic::at(RuleId::UndefinedVariable, file, first.span, message).help(help));
    }
}
