//! Escaping text for where it lands: HTML (and XML) text and attributes,
//! and Markdown.

/// `& < > " '` as entities: safe in HTML and XML text and in quoted
/// attributes.
pub fn html(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Backslash-escape what Markdown would read as markup, so the value shows
/// as written.
pub fn markdown(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 4);
    for c in value.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `value` as a Markdown code span: fenced with one more backtick than its
/// longest run of backticks, and padded with a space where it starts or
/// ends with a backtick (Markdown takes one space off each side again).
pub fn code_span(value: &str) -> String {
    let longest = value.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if value.starts_with('`') || value.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{value}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn code_spans_outlast_the_value_s_backticks() {
        assert_eq!(super::code_span("ADMA"), "`ADMA`");
        assert_eq!(super::code_span("a`b"), "``a`b``");
        assert_eq!(super::code_span("`x``"), "``` `x`` ```");
    }
}
