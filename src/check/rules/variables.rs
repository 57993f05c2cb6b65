//! `undefined-variable`: every `{{ name }}` placeholder in a chapter that an
//! environment follows has a value in that environment. Reported once per
//! placeholder and environment, at the chapter's line, naming the
//! environment and the file that should define it.

use crate::check::{Context, Diagnostic};
use crate::env::{self as environment, Environment};
use crate::text::paths::relative;

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if cx.config.severity("undefined-variable").is_none() {
        return;
    }
    let root = &cx.guide.book.root;
    if !root.join(environment::DIR).is_dir() {
        return;
    }
    let environments = match environment::load_all(root) {
        Ok(envs) => envs,
        Err(e) => {
            // Without its environments no placeholder can be checked: say
            // which file to mend.
            let file = env_file_from_src(cx, &e.file);
            let mut d = Diagnostic::at_line(
                "undefined-variable",
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

fn check_environment(cx: &Context<'_>, env: &Environment, out: &mut Vec<Diagnostic>) {
    for chapter in cx.guide.chapters.iter().filter(|c| env.follows(c)) {
        for p in &chapter.placeholders {
            if env.is_defined(&p.name) {
                continue;
            }
            out.push(
                Diagnostic::at(
                    "undefined-variable",
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
fn env_file_from_src(cx: &Context<'_>, shown: &str) -> String {
    let book = &cx.guide.book;
    let path = std::path::Path::new(shown);
    let rel_to_root = path
        .strip_prefix(&book.root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| shown.replace('\\', "/"));
    if book.src == "." {
        rel_to_root
    } else {
        relative(
            &format!("{}/x", book.src.trim_end_matches('/')),
            &rel_to_root,
        )
    }
}
