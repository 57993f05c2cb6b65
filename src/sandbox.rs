//! minijinja as runsheet runs a book's templates and `derive:` values:
//! both come from the book, so from anyone who can open a pull request.
//!
//! An environment made here has a bounded amount of work (fuel), a bounded
//! recursion, and its string filters checked: minijinja bounds steps, not
//! memory, so ten `replace` filters in a row, each making its input a
//! thousand times longer, would ask for terabytes in a few steps. Every
//! built-in filter that can make a string longer than its input
//! (`replace`, `join`, `indent`, `format`, the case and escape filters) is
//! the same filter with its result refused past a size, naming the filter.
//! (minijinja itself refuses a string repeated with `*` past 100 MB.)

use minijinja::value::Rest;
use minijinja::{Environment, Error, ErrorKind, State, Value};

/// What a template may do.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// minijinja's instructions.
    pub fuel: u64,
    /// Nested calls (macros, includes).
    pub recursion: usize,
    /// The longest string a filter may make, in bytes.
    pub string: usize,
}

/// The built-in filters that can make a string longer than their input.
fn growing() -> [(&'static str, Value); 12] {
    use minijinja::filters as f;
    [
        ("replace", Value::from_function(f::replace)),
        ("join", Value::from_function(f::join)),
        ("indent", Value::from_function(f::indent)),
        ("format", Value::from_function(f::format)),
        ("escape", Value::from_function(f::escape)),
        ("e", Value::from_function(f::escape)),
        ("upper", Value::from_function(f::upper)),
        ("lower", Value::from_function(f::lower)),
        ("title", Value::from_function(f::title)),
        ("capitalize", Value::from_function(f::capitalize)),
        ("pprint", Value::from_function(f::pprint)),
        ("string", Value::from_function(f::string)),
    ]
}

/// A new environment with `limits`.
pub fn environment(limits: Limits) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_fuel(Some(limits.fuel));
    env.set_recursion_limit(limits.recursion);
    for (name, filter) in growing() {
        let cap = limits.string;
        env.add_filter(name, move |state: &State, args: Rest<Value>| {
            let out = filter.call(state, &args)?;
            match out.as_str() {
                Some(s) if s.len() > cap => Err(Error::new(
                    ErrorKind::InvalidOperation,
                    format!("the `{name}` filter makes a string longer than {cap} bytes"),
                )),
                _ => Ok(out),
            }
        });
    }
    env
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Limits = Limits {
        fuel: 10_000,
        recursion: 32,
        string: 4_096,
    };

    #[test]
    fn filters_work_as_minijinja_s_own_within_the_bound() {
        let env = environment(SMALL);
        let out = env
            .render_str(
                "{{ 'a-b' | replace('-', '+') }} {{ ['x', 'y'] | join(', ') }} {{ 'ab' | upper }} {{ '%s!' | format('hi') }}",
                (),
            )
            .unwrap();
        assert_eq!(out, "a+b x, y AB hi!");
    }

    #[test]
    fn a_chain_of_growing_filters_stops_with_a_message() {
        let env = environment(SMALL);
        let chain = "{{ 'aaaaaaaaaa' | replace('a', 'aaaaaaaaaa') | replace('a', 'aaaaaaaaaa') | replace('a', 'aaaaaaaaaa') | replace('a', 'aaaaaaaaaa') | replace('a', 'aaaaaaaaaa') | replace('a', 'aaaaaaaaaa') | replace('a', 'aaaaaaaaaa') | replace('a', 'aaaaaaaaaa') | replace('a', 'aaaaaaaaaa') | replace('a', 'aaaaaaaaaa') }}";
        let err = env.render_str(chain, ()).unwrap_err().to_string();
        assert!(
            err.contains("the `replace` filter makes a string longer than 4096 bytes"),
            "{err}"
        );
        let err = env
            .render_str("{{ 'x\ny' | indent(100000000) }}", ())
            .unwrap_err()
            .to_string();
        assert!(err.contains("`indent`"), "{err}");
        let err = env
            .render_str("{{ range(1000) | join('x' * 1000) }}", ())
            .unwrap_err()
            .to_string();
        assert!(err.contains("`join`"), "{err}");
    }
}
