//! `undefined-variable`: every `{{ name }}` placeholder in a chapter that
//! an environment follows has a value in that environment. Reported once
//! per placeholder and environment, at the chapter's line, naming the
//! environment and the file that should define it.

use crate::check::{Check, Diagnostic, GuideContext, RuleId};
use crate::env::{self, Environment};
use crate::text::paths;

declare_rule! {
    /// A `{{ name }}` placeholder that an environment does not define, reported
    /// once per environment.
    UndefinedVariable {
        id: "undefined-variable",
        default: Error,
        fails: "Sign in as {{ accounts.installer }}   # environments/prod.yaml has no accounts.installer",
        passes: "accounts:\n  installer: FABRIKAM\\\\mim-install   # in environments/prod.yaml",
    }
}

impl Check for UndefinedVariable {
    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        let root = &cx.book.root;
        if !root.join(env::DIR).is_dir() {
            return;
        }
        let environments = match env::load_all(root) {
            Ok(envs) => envs,
            Err(e) => {
                // Without its environments no placeholder can be checked:
                // say which file to mend.
                let file = env_file_from_src(cx, &e.file);
                let mut d = Diagnostic::at_line(
                    RuleId::UndefinedVariable,
                    &file,
                    e.line.max(1),
                    format!("cannot read the environments: {}", e.message),
                );
                d.column = e.column.max(1);
                d.end_column = d.column;
                out.push(d);
                return;
            }
        };
        for env in &environments {
            check_environment(cx, env, out);
        }
    }
}

fn check_environment(cx: &GuideContext<'_>, env: &Environment, out: &mut Vec<Diagnostic>) {
    for chapter in cx
        .chapters
        .iter()
        .filter(|c| env.follows_path(&c.path, c.listed, c.part.as_deref()))
    {
        for p in &chapter.placeholders {
            if env.is_defined(&p.name) {
                continue;
            }
            out.push(
                Diagnostic::at(
                    RuleId::UndefinedVariable,
                    &chapter.path,
                    p.span,
                    format!(
                        "`{{{{ {} }}}}` has no value in environment `{}`",
                        p.name, env.name
                    ),
                )
                .help(format!(
                    "define `{}` under `values:` in {} or a file it extends",
                    p.name, env.file
                )),
            );
        }
    }
}

/// An environment file's path as a diagnostic file: relative to the
/// book's source folder (`../environments/prod.yaml`).
fn env_file_from_src(cx: &GuideContext<'_>, shown: &str) -> String {
    let book = cx.book;
    let path = std::path::Path::new(shown);
    let rel_to_root = paths::below(&book.root, path).unwrap_or_else(|| shown.replace('\\', "/"));
    if book.src == "." {
        rel_to_root
    } else {
        paths::relative(
            &format!("{}/x", book.src.trim_end_matches('/')),
            &rel_to_root,
        )
    }
}
