//! Derived values: a declaration's `derive:` template, evaluated with
//! minijinja in a sandbox of its own: no templates to load, undefined
//! values are errors, a bounded amount of work (fuel) and output, and two
//! filters of its own (`dn`, `rdn`).

use minijinja::{Environment, UndefinedBehavior};

/// How much work one derivation may do (minijinja's instructions).
const FUEL: u64 = 10_000;
/// The longest derived value, in bytes.
const MAX_OUTPUT: usize = 4_096;

fn sandbox() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(32);
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

/// The variables `template` reads (`ad.domain`), sorted, or why it is not
/// a template.
pub fn inputs(template: &str) -> Result<Vec<String>, String> {
    let env = sandbox();
    let t = env.template_from_str(template).map_err(|e| e.to_string())?;
    let mut names: Vec<String> = t.undeclared_variables(true).into_iter().collect();
    names.sort();
    Ok(names)
}

/// The functions a check's expression may call, which are not values.
const FUNCTIONS: [&str; 1] = ["takes"];

/// The keys `expression` (a check's `expect:`) reads (`ad.domain`,
/// `agents.ad.name`, `path.skip_parts`), sorted, or why it is not an
/// expression.
pub fn expression_inputs(expression: &str) -> Result<Vec<String>, String> {
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
        let busy = "{% for i in range(100000) %}{{ i }}{% endfor %}";
        assert_eq!(
            evaluate(busy, &serde_json::json!({})).unwrap_err(),
            "it does too much work"
        );
        assert!(evaluate("{% include 'x' %}", &serde_json::json!({})).is_err());
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
    }
}
