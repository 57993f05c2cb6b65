//! The templates: the defaults compiled into the binary, and a book's own
//! `templates/` folder, whose files replace the defaults of the same name
//! and add to them. Each `X.j2` renders to `OUT/ENV/X`; files whose name
//! starts with `_` are only there to be included or extended.
//!
//! minijinja runs in strict mode (an undefined value is an error) with
//! `trim_blocks` and `lstrip_blocks`. What `{{ … }}` writes is escaped for
//! the file it goes into: HTML and XML as HTML, CSV cells as CSV, YAML as
//! YAML scalars, PowerShell as single-quoted strings. `| safe` writes a
//! value as it is. Besides minijinja's own, the filters `md_cell`,
//! `md_text` and `md_code` escape for Markdown, and the `md_…` functions of
//! [`super::runbook_md`] write the lines progress is read back from.

use crate::text::Located;
use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior};
use std::path::Path;

/// The default templates, by file name.
pub const DEFAULTS: [(&str, &str); 6] = [
    (
        "Invoke-RunCycle.ps1.j2",
        include_str!("../../templates/Invoke-RunCycle.ps1.j2"),
    ),
    (
        "manifest.yaml.j2",
        include_str!("../../templates/manifest.yaml.j2"),
    ),
    (
        "run-profiles.xml.j2",
        include_str!("../../templates/run-profiles.xml.j2"),
    ),
    (
        "runbook.csv.j2",
        include_str!("../../templates/runbook.csv.j2"),
    ),
    (
        "runbook.html.j2",
        include_str!("../../templates/runbook.html.j2"),
    ),
    (
        "runbook.md.j2",
        include_str!("../../templates/runbook.md.j2"),
    ),
];

/// The folder of a book's own templates, relative to its root.
pub const DIR: &str = crate::env::variables::TEMPLATES_DIR;

/// A set of templates ready to render.
pub struct Templates {
    env: Environment<'static>,
    /// Templates that make an output file, by name (`runbook.md.j2`),
    /// sorted.
    pub outputs: Vec<String>,
    /// Where each template comes from, for messages: `templates/x.j2`
    /// (with the book's root) or `built-in x.j2`.
    origins: Vec<(String, String)>,
}

/// The least work one template may do, in minijinja's fuel units; a larger
/// book may do [`FUEL_PER_BYTE`] times its size.
pub const MIN_FUEL: u64 = 20_000_000;

/// How much work a template may do per byte of the book's chapters: the
/// built-in templates need 5 to 10 (measured on this book with its
/// run-profile table grown to 100,000 rows, where they fail at 5 and
/// render at 10), so a book's own templates have ten times that.
pub const FUEL_PER_BYTE: u64 = 100;

/// The longest string a filter may make in a template, in bytes.
const MAX_STRING: usize = 64 << 20;

/// The least memory a template's rendering may take; a larger book may take
/// [`MEMORY_PER_BYTE`] times its size. A template that doubles a string at
/// each `{% set %}` stops there with a message (in a program whose
/// allocator asks [`crate::memory`]), not at gigabytes.
pub const MIN_MEMORY: usize = 256 << 20;

/// How much memory a template's rendering may take per byte of the book's
/// chapters: a runbook is a few times its book, and the engine holds the
/// output and the values it is made from.
pub const MEMORY_PER_BYTE: usize = 128;

/// What one template's rendering may take: bounded, and in proportion to
/// the book it renders, so that a bigger book renders and a template that
/// loops for ever or doubles a string still stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// minijinja's instructions.
    pub fuel: u64,
    /// Bytes allocated while rendering.
    pub memory: usize,
}

impl Budget {
    /// The budget for a book whose chapters hold `bytes` bytes.
    pub fn for_book(bytes: usize) -> Budget {
        Budget {
            fuel: MIN_FUEL.max((bytes as u64).saturating_mul(FUEL_PER_BYTE)),
            memory: MIN_MEMORY.max(bytes.saturating_mul(MEMORY_PER_BYTE)),
        }
    }
}

impl Templates {
    /// The defaults with the templates of the book at `root` over them.
    /// Syntax errors in any template are all reported.
    pub fn load(root: &Path, shown_root: &str) -> Result<Templates, TemplateLoadError> {
        let mut sources: Vec<(String, String, String)> = DEFAULTS
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    text.to_string(),
                    format!("built-in template {name}"),
                )
            })
            .collect();
        // The folder, and each template in it, held inside the book: a
        // link out of it is refused, not read.
        let book = crate::text::inside::Root::new(root);
        let unreadable =
            |e: crate::text::inside::FileError| TemplateLoadError::Unreadable(e.to_string());
        let dir = book.resolve(DIR).map_err(unreadable)?;
        if dir.is_dir() {
            let names = book.entries(DIR).map_err(|e| {
                TemplateLoadError::Unreadable(format!(
                    "{shown_root}{DIR}: cannot read the folder: {}",
                    e.why
                ))
            })?;
            for name in names {
                if !name.ends_with(".j2") || dir.join(&name).is_dir() {
                    continue;
                }
                // Its name without `.j2` is the file it makes in each
                // environment's folder: `.j2`, `..j2` and `...j2` name none.
                let output = name.strip_suffix(".j2").unwrap_or(&name);
                if output.is_empty() || output.chars().all(|c| c == '.') {
                    return Err(TemplateLoadError::Unreadable(format!(
                        "{shown_root}{DIR}/{}: a template makes the file its name gives without `.j2`, and `{}` is no file's name; rename it, e.g. notes.md.j2",
                        crate::text::escape::shown(&name),
                        crate::text::escape::shown(output)
                    )));
                }
                let text = book
                    .read_string(Path::new(DIR).join(&name), crate::text::inside::Cap::CONFIG)
                    .map_err(unreadable)?;
                let origin = format!("{shown_root}{DIR}/{name}");
                match sources.iter_mut().find(|(n, _, _)| *n == name) {
                    Some(entry) => *entry = (name, text, origin),
                    None => sources.push((name, text, origin)),
                }
            }
        }
        sources.sort_by(|a, b| a.0.cmp(&b.0));

        // A book's own template runs in a budget: a loop of ten billion
        // rounds stops with an error instead of running for ever, and a
        // filter that would make a string of gigabytes stops at its
        // bound. The least fuel is set here; `render` gives a bigger book
        // more (see [`Budget`]).
        let mut env = crate::sandbox::environment(crate::sandbox::Limits {
            fuel: MIN_FUEL,
            recursion: 500,
            string: MAX_STRING,
        });
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        env.set_debug(true);
        env.set_auto_escape_callback(auto_escape);
        env.set_formatter(format_value);
        env.add_filter("md_cell", md_cell);
        env.add_filter("md_text", |s: &str| crate::text::escape::markdown(s));
        env.add_filter("md_code", |s: &str| crate::text::escape::code_span(s));
        env.add_filter("wbr", |s: &str| {
            Value::from_safe_string(break_at_separators(s))
        });
        env.add_filter("css_string", |s: &str| {
            Value::from_safe_string(css_string(s))
        });
        // The lines of runbook.md that progress is read back from.
        super::runbook_md::register(&mut env);

        let mut problems = Vec::new();
        let mut origins = Vec::new();
        for (name, text, origin) in &sources {
            if let Err(e) = env.add_template_owned(name.clone(), text.clone()) {
                problems.push(template_problem(&e, origin, text, None));
            }
            origins.push((name.clone(), origin.clone()));
        }
        if !problems.is_empty() {
            return Err(TemplateLoadError::Syntax(problems));
        }
        let outputs = sources
            .iter()
            .map(|(n, _, _)| n.clone())
            .filter(|n| !n.starts_with('_'))
            .collect();
        Ok(Templates {
            env,
            outputs,
            origins,
        })
    }

    /// The output file a template makes: its name without `.j2`.
    pub fn output_name(template: &str) -> &str {
        template.strip_suffix(".j2").unwrap_or(template)
    }

    /// Render one template with `ctx`, for environment `env_name`, within
    /// `budget`.
    pub fn render(
        &self,
        template: &str,
        ctx: &Value,
        env_name: &str,
        budget: Budget,
    ) -> Result<String, Located> {
        // minijinja's fuel is the environment's: a budget above the least
        // renders in a copy of it (its templates are shared, not copied).
        let larger;
        let env = if budget.fuel == MIN_FUEL {
            &self.env
        } else {
            let mut copy = self.env.clone();
            copy.set_fuel(Some(budget.fuel));
            larger = copy;
            &larger
        };
        let t = env.get_template(template).map_err(|e| Located {
            file: self.origin(template).to_string(),
            line: 0,
            column: 0,
            message: e.to_string(),
        })?;
        let origin = self.origin(template);
        let doing = format!("template `{origin}`");
        let advice = if origin.starts_with("built-in") {
            "; the book is too large for one runbook: render fewer chapters per environment (skip_parts)"
        } else {
            "; look for a value that grows in a loop (a `{% set %}` that joins a value to itself)"
        };
        let rendered = crate::memory::bounded(budget.memory, &doing, advice, || t.render(ctx));
        rendered.map_err(|e| {
            // The failing template may be one it includes.
            let name = e.name().unwrap_or(template).to_string();
            let source = self
                .env
                .get_template(&name)
                .map(|t| t.source().to_string())
                .unwrap_or_default();
            template_problem(&e, self.origin(&name), &source, Some(env_name))
        })
    }

    fn origin<'a>(&'a self, name: &'a str) -> &'a str {
        self.origins
            .iter()
            .find(|(n, _)| n == name)
            .map_or(name, |(_, o)| o.as_str())
    }
}

/// Why the templates could not be loaded.
#[derive(Debug)]
pub enum TemplateLoadError {
    /// A template folder or file could not be read (exit 2).
    Unreadable(String),
    /// Templates with syntax errors (exit 1).
    Syntax(Vec<Located>),
}

fn template_problem(e: &Error, origin: &str, source: &str, env_name: Option<&str>) -> Located {
    let line = e.line().unwrap_or(0);
    let snippet = e.range().and_then(|r| expression_at(source, r));
    let mut message = match (e.kind(), &snippet, env_name) {
        (ErrorKind::UndefinedError, Some(expr), Some(env)) => format!(
            "`{expr}` is undefined in environment `{env}` (the template is strict: guard optional values with `is defined` or `default`)"
        ),
        (ErrorKind::UndefinedError, None, Some(env)) => {
            format!("an undefined value in environment `{env}`")
        }
        _ => match e.detail() {
            Some(detail) => format!("{}: {detail}", e.kind()),
            None => e.kind().to_string(),
        },
    };
    if line > 0
        && let Some(text) = source.lines().nth(line - 1)
    {
        message.push_str(&format!("\n    {line} | {}", text.trim_end()));
    }
    Located {
        file: origin.to_string(),
        line,
        column: 0,
        message,
    }
}

/// The whole `{{ … }}` or `{% … %}` expression around the byte range an
/// error points at (minijinja points at the failing part, `.tenant_id`).
fn expression_at(source: &str, range: std::ops::Range<usize>) -> Option<String> {
    let part = source.get(range.clone())?;
    let line_start = source[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[range.end..]
        .find('\n')
        .map_or(source.len(), |i| range.end + i);
    let before = &source[line_start..range.start];
    let after = &source[range.end..line_end];
    let open = before
        .rfind("{{")
        .into_iter()
        .chain(before.rfind("{%"))
        .max();
    let close = [after.find("}}"), after.find("%}")]
        .into_iter()
        .flatten()
        .min();
    match (open, close) {
        (Some(o), Some(c)) => {
            let inner = format!("{}{part}{}", &before[o + 2..], &after[..c]);
            Some(
                inner
                    .trim_matches(|ch: char| ch.is_whitespace() || ch == '-')
                    .to_string(),
            )
        }
        _ => Some(part.trim().to_string()),
    }
}

/// Escaping by the extension of the output file (`runbook.csv.j2` → csv).
fn auto_escape(name: &str) -> AutoEscape {
    let name = name.strip_suffix(".j2").unwrap_or(name);
    match name.rsplit('.').next().unwrap_or("") {
        "html" | "htm" | "xml" => AutoEscape::Html,
        "csv" => AutoEscape::Custom("csv"),
        "yaml" | "yml" => AutoEscape::Custom("yaml"),
        "ps1" | "psm1" => AutoEscape::Custom("powershell"),
        _ => AutoEscape::None,
    }
}

fn format_value(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    let format = match state.auto_escape() {
        AutoEscape::Custom(f) => f,
        // HTML and XML: `& < > " '`, leaving `/` as it is (minijinja's own
        // escaping writes it as `&#x2f;`, which is valid but hard to read).
        AutoEscape::Html if !value.is_safe() && !value.is_undefined() => "html",
        _ => return minijinja::escape_formatter(out, state, value),
    };
    if value.is_undefined() {
        return Err(Error::new(ErrorKind::UndefinedError, "undefined value"));
    }
    let write = |out: &mut Output, s: &str| out.write_str(s).map_err(Error::from);
    if value.is_safe() {
        return write(out, &value.to_string());
    }
    if let Some(s) = value.as_str() {
        let escaped = match format {
            "csv" => csv_cell(s),
            "yaml" => yaml_scalar(s),
            "powershell" => powershell_string(s),
            "html" => crate::text::escape::html(s),
            _ => s.to_string(),
        };
        return write(out, &escaped);
    }
    match (format, value.kind()) {
        ("powershell", minijinja::value::ValueKind::Bool) => {
            write(out, if value.is_true() { "$true" } else { "$false" })
        }
        ("powershell", minijinja::value::ValueKind::None) => write(out, "$null"),
        ("yaml", minijinja::value::ValueKind::None) => write(out, "null"),
        (_, minijinja::value::ValueKind::Number | minijinja::value::ValueKind::Bool) => {
            write(out, &value.to_string())
        }
        _ => {
            let text = value.to_string();
            let escaped = match format {
                "csv" => csv_cell(&text),
                "yaml" => yaml_scalar(&text),
                "powershell" => powershell_string(&text),
                "html" => crate::text::escape::html(&text),
                _ => text,
            };
            write(out, &escaped)
        }
    }
}

/// A CSV cell (RFC 4180): quoted when it holds a comma, a quote, a line
/// break or edge spaces. A cell a spreadsheet would read as a formula
/// (`=`, `+`, `-`, `@` first) gets a leading `'`.
pub fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A YAML scalar that reads back as the same string: plain when that is
/// safe, double-quoted otherwise.
pub fn yaml_scalar(s: &str) -> String {
    let plain_ok = !s.is_empty()
        && s.chars().next().is_some_and(|c| {
            (c.is_alphanumeric() && !c.is_ascii_digit()) || matches!(c, '(' | '/' | '_' | '\\')
        })
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && s.chars()
            .all(|c| c.is_alphanumeric() || " -_./()+=,\\:".contains(c))
        && crate::yaml::Scalar::plain(s).is_some_and(|v| v.value == crate::yaml::ScalarValue::Str)
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off"
        );
    if plain_ok {
        s.to_string()
    } else {
        // A `&str` always serialises; the fallback is never taken.
        serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.escape_default()))
    }
}

/// A PowerShell single-quoted string; line breaks are joined in with
/// `[char]10` so the literal stays on one line.
pub fn powershell_string(s: &str) -> String {
    let quote = |part: &str| {
        let mut out = String::with_capacity(part.len() + 2);
        out.push('\'');
        for c in part.chars() {
            // PowerShell also ends strings at the typographic single quotes.
            if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
                out.push(c);
            }
            out.push(c);
        }
        out.push('\'');
        out
    };
    if !s.contains(['\n', '\r']) {
        return quote(s);
    }
    let normalised = s.replace("\r\n", "\n").replace('\r', "\n");
    let parts: Vec<String> = normalised.split('\n').map(quote).collect();
    format!("({})", parts.join(" + [char]10 + "))
}

/// The `md_cell` filter: [`markdown_cell`] of a value's text.
fn md_cell(value: Value) -> String {
    match value.as_str() {
        Some(s) => markdown_cell(s),
        None => markdown_cell(&value.to_string()),
    }
}

/// The longest part of an identifier [`break_at_separators`] keeps whole.
const WHOLE_MOST: usize = 24;

/// An identifier or path as HTML that a line may break only after a `.`,
/// `_`, `/`, `\` or `,` (`accounts.<wbr>sharepoint_<wbr>farm`): escaped, each
/// part between those kept whole (`svc-mim-adma` does not break at its
/// hyphens), `<wbr>` after each; a part longer than 24 characters is left
/// to break where the browser would, so that no table grows wider than the
/// page. The `wbr` filter, for table cells.
pub fn break_at_separators(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 32);
    let mut part = String::new();
    let flush = |out: &mut String, part: &mut String, wbr: bool| {
        if part.chars().count() > WHOLE_MOST {
            // Too long to keep whole: it may break where the browser
            // would, rather than make a table wider than the page.
            out.push_str(&crate::text::escape::html(part));
            part.clear();
        } else if !part.is_empty() {
            out.push_str("<span class=\"nb\">");
            out.push_str(&crate::text::escape::html(part));
            out.push_str("</span>");
            part.clear();
        }
        if wbr {
            out.push_str("<wbr>");
        }
    };
    let separator = |c: char| matches!(c, '.' | '_' | '/' | '\\' | ',');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            flush(&mut out, &mut part, false);
            out.push(c);
            continue;
        }
        part.push(c);
        // After a run of separators (`://`), not inside it.
        if separator(c) && !chars.peek().is_some_and(|&n| separator(n)) {
            flush(&mut out, &mut part, true);
        }
    }
    flush(&mut out, &mut part, false);
    out
}

/// Text as a CSS string's contents, for a `content: "…"` in a `<style>`:
/// every character but letters, digits, spaces and plain punctuation as a
/// CSS escape (`\22 ` for `"`), so that nothing ends the string or the
/// style element. The `css_string` filter.
pub fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric()
            || matches!(
                c,
                ' ' | '.' | ',' | ':' | '(' | ')' | '-' | '_' | '\'' | '?' | '!'
            )
        {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", u32::from(c)));
        }
    }
    out
}

/// Text for a Markdown table cell: `|` escaped, line breaks as spaces.
pub fn markdown_cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_grows_with_the_book_and_has_a_floor() {
        let small = Budget::for_book(1_000);
        assert_eq!((small.fuel, small.memory), (MIN_FUEL, MIN_MEMORY));
        let big = Budget::for_book(5_000_000);
        assert_eq!(big.fuel, 5_000_000 * FUEL_PER_BYTE);
        assert_eq!(big.memory, 5_000_000 * MEMORY_PER_BYTE);
        assert_eq!(Budget::for_book(usize::MAX).fuel, u64::MAX);
    }

    /// A template that walks a list of 10,000: more rounds than a small
    /// budget allows, fewer than a larger one.
    #[test]
    fn a_bigger_book_may_do_more_work_and_a_loop_still_stops() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(DIR)).unwrap();
        std::fs::write(
            dir.path().join(DIR).join("walk.txt.j2"),
            "{% for i in range(n) %}{% endfor %}done",
        )
        .unwrap();
        let templates = Templates::load(dir.path(), "").unwrap();
        let walk = |rounds: u64, budget: Budget| {
            let ctx = Value::from_serialize(std::collections::BTreeMap::from([("n", rounds)]));
            templates.render("walk.txt.j2", &ctx, "lab", budget)
        };
        let budget = |fuel| Budget {
            fuel,
            memory: MIN_MEMORY,
        };
        let little = walk(10_000, budget(5_000)).unwrap_err();
        assert!(little.message.contains("fuel"), "{}", little.message);
        assert_eq!(walk(10_000, budget(1_000_000)).unwrap(), "done");
        // The copy with more fuel is not kept: the smaller budget applies
        // again.
        assert!(walk(10_000, budget(5_000)).is_err());
        // The least budget renders what a small book needs.
        assert_eq!(walk(10_000, Budget::for_book(0)).unwrap(), "done");
    }

    #[test]
    fn identifiers_break_after_dots_and_underscores_only() {
        assert_eq!(
            break_at_separators("http://a"),
            "<span class=\"nb\">http://</span><wbr><span class=\"nb\">a</span>"
        );
        assert_eq!(
            break_at_separators("accounts.sharepoint_farm"),
            "<span class=\"nb\">accounts.</span><wbr><span class=\"nb\">sharepoint_</span><wbr><span class=\"nb\">farm</span>"
        );
        let long = "a".repeat(30);
        assert_eq!(
            break_at_separators(&format!("x.{long}")),
            format!("<span class=\"nb\">x.</span><wbr>{long}")
        );
        assert_eq!(
            break_at_separators("svc-mim <x>"),
            "<span class=\"nb\">svc-mim</span> <span class=\"nb\">&lt;x&gt;</span>"
        );
    }

    #[test]
    fn css_strings_escape_all_but_plain_text() {
        assert_eq!(css_string("1. Install SQL"), "1. Install SQL");
        assert_eq!(css_string("a\"b</style>"), "a\\22 b\\3c \\2f style\\3e ");
    }

    #[test]
    fn csv_cells_are_quoted_when_needed() {
        assert_eq!(csv_cell("plain text"), "plain text");
        assert_eq!(csv_cell("a, b"), "\"a, b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
    }

    #[test]
    fn yaml_scalars_read_back_as_the_same_string() {
        for s in [
            "ADMA",
            "Full Import (Stage Only)",
            "DC=contoso,DC=local",
            "yes",
            "true",
            "1.10",
            "",
            "a: b",
            "- x",
            "#x",
            "x #y",
            "{x}",
            "it's",
            "line\nbreak",
            "null",
            "tab\there",
            "ends:",
            "http://mim.contoso.com",
            "C:\\Scripts\\run.ps1",
        ] {
            let written = yaml_scalar(s);
            let read: String = yaml_serde::from_str(&format!("k: {written}\n"))
                .map(|m: std::collections::BTreeMap<String, String>| m["k"].clone())
                .unwrap_or_else(|e| panic!("{s:?} → {written}: {e}"));
            assert_eq!(read, s, "{written}");
        }
        assert_eq!(yaml_scalar("ADMA"), "ADMA");
        assert_eq!(yaml_scalar("yes"), "\"yes\"");
    }

    #[test]
    fn powershell_strings_cannot_be_broken_out_of() {
        assert_eq!(powershell_string("ADMA"), "'ADMA'");
        assert_eq!(powershell_string("it's"), "'it''s'");
        assert_eq!(powershell_string("it\u{2019}s"), "'it\u{2019}\u{2019}s'");
        assert_eq!(powershell_string("a\nb"), "('a' + [char]10 + 'b')");
    }
}
