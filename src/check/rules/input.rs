//! `invalid-utf8`, `front-matter-invalid`, `unreadable-file`: input that
//! could not be read as written.

use crate::check::{Context, Diagnostic};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in &cx.guide.problems {
        let rule = match p.kind.as_str() {
            "invalid-utf8" => "invalid-utf8",
            "front-matter-yaml" => "front-matter-invalid",
            "unreadable-file" => "unreadable-file",
            _ => continue,
        };
        let mut d = Diagnostic::at_line(rule, &p.file, p.line, p.message.clone());
        d.column = p.column;
        d.end_column = p.column;
        out.push(d);
    }
}
