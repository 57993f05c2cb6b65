//! Derived values: a declaration's `derive:` template, evaluated with
//! minijinja in a sandbox of its own ([`crate::sandbox`]): no templates to
//! load, undefined values are errors, a bounded amount of work (fuel),
//! strings and output, and two filters of its own (`dn`, `rdn`).
//!
//! A derivation is an expression of values: its tags may be `if`, `elif`,
//! `else` and `endif` (and `raw`), and it may not multiply. Without loops,
//! assignments and macros, nothing in it can double a string again and
//! again, so its memory is bounded by its length and its inputs'.

use minijinja::{Environment, UndefinedBehavior};

/// How much work one derivation may do (minijinja's instructions).
const FUEL: u64 = 10_000;
/// The longest derived value, in bytes.
const MAX_OUTPUT: usize = 4_096;
/// The longest string a filter may make while a value is derived.
const MAX_STRING: usize = 65_536;

fn sandbox() -> Environment<'static> {
    let mut env = crate::sandbox::environment(crate::sandbox::Limits {
        fuel: FUEL,
        recursion: 32,
        string: MAX_STRING,
    });
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.add_filter("dn", dn);
    env.add_filter("rdn", rdn);
    env
}

/// `corp.fabrikam.com` → `DC=corp,DC=fabrikam,DC=com`.
pub fn dn(domain: String) -> String {
    domain
        .split('.')
        .filter(|l| !l.is_empty())
        .map(|l| format!("DC={}", rdn(l.to_string())))
        .collect::<Vec<_>>()
        .join(",")
}

/// A name escaped for a distinguished name's value (RFC 4514): `\` before
/// `, + " \ < > ; =`, a leading `#` or space and a trailing space.
pub fn rdn(value: String) -> String {
    let mut out = String::with_capacity(value.len());
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        if matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=')
            || (i == 0 && matches!(c, '#' | ' '))
            || (i == last && c == ' ')
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Why `template` is not an expression of values (see the module), if it
/// is not: a tag other than `if`, `elif`, `else`, `endif` or `raw`, or a
/// `*` outside quotes in a tag. Read by hand, before minijinja compiles it,
/// because minijinja has no way to leave statements or operators out.
fn not_an_expression(template: &str) -> Option<String> {
    let mut rest = template;
    while let Some(open) = rest.find(['{']) {
        let after = &rest[open..];
        let (statement, close) = if after.starts_with("{%") {
            (true, "%}")
        } else if after.starts_with("{{") {
            (false, "}}")
        } else {
            rest = &after[1..];
            continue;
        };
        // The tag closes after its opening (`{%}` is not closed).
        let Some(end) = after.get(2..).and_then(|a| a.find(close)).map(|e| e + 2) else {
            return None; // minijinja reports the unclosed tag
        };
        let inner = &after[2..end];
        if statement {
            let word = inner
                .trim_start_matches(['-', '+', ' ', '\n', '\t'])
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .next()
                .unwrap_or("");
            if !matches!(word, "if" | "elif" | "else" | "endif" | "raw" | "endraw") {
                return Some(format!(
                    "`{{% {word} %}}` is not allowed in a derived value: use `if`, `elif`, `else` and `endif`, and filters"
                ));
            }
        }
        let mut quote: Option<char> = None;
        for c in inner.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '*') => {
                    return Some(
                        "`*` is not allowed in a derived value or a check: it repeats strings"
                            .to_string(),
                    );
                }
                _ => {}
            }
        }
        rest = &after[end + 2..];
    }
    None
}

/// The variables `template` reads (`ad.domain`), sorted, or why it is not
/// a template.
pub fn inputs(template: &str) -> Result<Vec<String>, String> {
    if let Some(why) = not_an_expression(template) {
        return Err(why);
    }
    let env = sandbox();
    let t = env.template_from_str(template).map_err(|e| e.to_string())?;
    let mut names: Vec<String> = t.undeclared_variables(true).into_iter().collect();
    names.sort();
    Ok(names)
}

/// Why `expression` cannot be a check's expression, if it holds a
/// template's delimiter (`}}`, `{%`, …): an expression has no use for one,
/// and minijinja's expression compiler stops the program on `}}` instead
/// of reporting it (found by fuzzing).
fn holds_delimiters(expression: &str) -> Option<String> {
    ["{{", "}}", "{%", "%}", "{#", "#}"]
        .iter()
        .find(|d| expression.contains(**d))
        .map(|d| format!("a check is an expression: `{d}` has no place in it; write the expression alone, as `ad.domain != ''`"))
}

/// The functions a check's expression may call, which are not values.
const FUNCTIONS: [&str; 1] = ["takes"];

/// The keys `expression` (a check's `expect:`) reads (`ad.domain`,
/// `agents.ad.name`, `path.skip_parts`), sorted, or why it is not an
/// expression.
pub fn expression_inputs(expression: &str) -> Result<Vec<String>, String> {
    if let Some(why) = not_an_expression(&format!("{{{{ {expression} }}}}")) {
        return Err(why);
    }
    if let Some(why) = holds_delimiters(expression) {
        return Err(why);
    }
    let env = sandbox();
    let e = env
        .compile_expression(expression)
        .map_err(|e| e.to_string())?;
    let mut names: Vec<String> = e
        .undeclared_variables(true)
        .into_iter()
        .filter(|n| !FUNCTIONS.contains(&n.as_str()))
        .collect();
    names.sort();
    Ok(names)
}

/// Whether `expression` holds over `context` (the environment's values,
/// its `agents` and its `path`); `takes(part)` is whether the environment
/// follows SUMMARY part `part`, which `skipped` does not list. An error
/// (a value it reads is not set) is `Err`.
pub fn holds(
    expression: &str,
    context: &serde_json::Value,
    skipped: &[String],
) -> Result<bool, String> {
    if let Some(why) = not_an_expression(&format!("{{{{ {expression} }}}}")) {
        return Err(why);
    }
    if let Some(why) = holds_delimiters(expression) {
        return Err(why);
    }
    let mut env = sandbox();
    let skipped = skipped.to_vec();
    env.add_function("takes", move |part: String| !skipped.contains(&part));
    let e = env
        .compile_expression(expression)
        .map_err(|e| e.to_string())?;
    e.eval(context)
        .map(|v| v.is_true())
        .map_err(|e| match e.kind() {
            minijinja::ErrorKind::OutOfFuel => "it does too much work".to_string(),
            _ => e.to_string(),
        })
}

/// `template` evaluated over `values` (the environment's `values`).
pub fn evaluate(template: &str, values: &serde_json::Value) -> Result<String, String> {
    if let Some(why) = not_an_expression(template) {
        return Err(why);
    }
    let env = sandbox();
    let out = env
        .render_str(template, values)
        .map_err(|e| match e.kind() {
            minijinja::ErrorKind::OutOfFuel => "it does too much work".to_string(),
            _ => e.to_string(),
        })?;
    if out.len() > MAX_OUTPUT {
        return Err(format!("its value is longer than {MAX_OUTPUT} bytes"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_distinguished_name_is_built_from_its_parts() {
        let t = "OU={{ ad.guest_ou | rdn }},{{ ad.domain | dn }}";
        assert_eq!(inputs(t).unwrap(), ["ad.domain", "ad.guest_ou"]);
        let values = serde_json::json!({ "ad": { "guest_ou": "B2B, Guests", "domain": "corp.fabrikam.com" } });
        assert_eq!(
            evaluate(t, &values).unwrap(),
            "OU=B2B\\, Guests,DC=corp,DC=fabrikam,DC=com"
        );
        assert!(evaluate(t, &serde_json::json!({ "ad": {} })).is_err());
        assert!(inputs("{{ a").is_err());
        assert!(evaluate("{% include 'x' %}", &serde_json::json!({})).is_err());
    }

    #[test]
    fn a_derivation_is_an_expression_bounded_in_memory() {
        let none = serde_json::json!({ "x": "aaaaaaaaaa" });
        // Conditions are what derivations need of statements.
        let t = "{{ x }}{% if x != 'b' %}-{% else %}+{% endif %}";
        assert_eq!(evaluate(t, &none).unwrap(), "aaaaaaaaaa-");
        for (t, said) in [
            (
                "{% for i in range(100000) %}{{ i }}{% endfor %}",
                "`{% for %}` is not allowed",
            ),
            ("{% set y = x ~ x %}{{ y }}", "`{% set %}` is not allowed"),
            (
                "{%- macro m() %}{% endmacro %}",
                "`{% macro %}` is not allowed",
            ),
            ("{{ x * 100000000 }}", "`*` is not allowed"),
        ] {
            let err = inputs(t).unwrap_err();
            assert!(err.contains(said), "{t}: {err}");
            assert_eq!(evaluate(t, &none).unwrap_err(), err);
        }
        // A `*` in quotes is text.
        assert_eq!(evaluate("{{ x ~ '*' }}", &none).unwrap(), "aaaaaaaaaa*");
        // Ten growing filters in a row stop at the bound, not at the
        // machine's memory.
        let chain = format!("{{{{ x{} }}}}", " | replace('a', x)".repeat(10));
        let err = evaluate(&chain, &none).unwrap_err();
        assert!(
            err.contains("the `replace` filter makes a string longer than 65536 bytes"),
            "{err}"
        );
    }

    #[test]
    fn a_check_reads_values_agents_and_the_path() {
        let e = "agents.ad.name == 'ADMA' or not takes('Option 2')";
        assert_eq!(expression_inputs(e).unwrap(), ["agents.ad.name"]);
        let ctx = serde_json::json!({ "agents": { "ad": { "name": "FAB-AD" } } });
        assert!(!holds(e, &ctx, &[]).unwrap());
        assert!(holds(e, &ctx, &["Option 2".to_string()]).unwrap());
        let dn = "agents.ad.partition | lower == ad.domain | dn | lower";
        let ctx = serde_json::json!({ "ad": { "domain": "corp.fabrikam.org" }, "agents": { "ad": { "partition": "DC=corp,DC=fabrikam,DC=com" } } });
        assert!(!holds(dn, &ctx, &[]).unwrap());
        assert!(holds(dn, &serde_json::json!({ "agents": {} }), &[]).is_err());
        assert!(expression_inputs("a ==").is_err());
        // A tag whose closing overlaps its opening is unclosed, not a
        // panic (found by fuzzing).
        for t in ["{%}", "{{}", "a {%}"] {
            assert!(inputs(t).is_err(), "{t}");
            assert!(evaluate(t, &serde_json::json!({})).is_err(), "{t}");
        }
        // Nor hold a template's delimiters (minijinja's expression
        // compiler panicked on `}}`).
        for e in [" agafd.domer }}{", "a }} b", "{% if %}", "x #}"] {
            assert!(
                expression_inputs(e)
                    .unwrap_err()
                    .contains("has no place in it"),
                "{e}"
            );
            assert!(holds(e, &ctx, &[]).is_err(), "{e}");
        }
        // A check may not repeat strings either.
        let repeat = "ad.domain * 100000000 == ''";
        assert!(
            expression_inputs(repeat)
                .unwrap_err()
                .contains("`*` is not allowed")
        );
        assert!(holds(repeat, &ctx, &[]).is_err());
    }
}
