//! Raw HTML in a chapter: `id` and `name` anchors, `href` and `src` links,
//! and the `<!-- runsheet-… -->` control comments.

use super::Place;
use super::links::Links;
use crate::model::{Directive, DirectiveAction, HtmlAnchor};
use std::ops::Range;

/// Read one chunk of HTML (an event of the parser at body range `range`).
pub(super) fn read(
    place: &Place<'_>,
    html: &str,
    range: Range<usize>,
    links: &mut Links,
    anchors: &mut Vec<HtmlAnchor>,
    directives: &mut Vec<Directive>,
) {
    // Where this chunk sits in the source; fall back to the event start.
    let abs = place.base + range.start;
    let chunk = &place.text[abs..(place.base + range.end).min(place.text.len())];
    let offset_in_chunk = if chunk.starts_with(html) {
        0
    } else {
        chunk.find(html).unwrap_or(0)
    };
    let base = abs + offset_in_chunk;
    for (attr, value, at) in html_attributes(html) {
        match attr.as_str() {
            "id" | "name" => {
                let line = place.lines.line_of(base + at);
                anchors.push(HtmlAnchor { id: value, line });
            }
            "href" | "src" => links.html(place, &value, base + at..base + at + value.len()),
            _ => {}
        }
    }
    for (directive, at) in parse_directives(html) {
        let line = place.lines.line_of(base + at);
        let mut target_line = line + 1;
        while target_line < place.lines.line_count()
            && place
                .lines
                .line_text(place.text, target_line)
                .trim()
                .is_empty()
        {
            target_line += 1;
        }
        directives.push(Directive {
            line,
            target_line,
            ..directive
        });
    }
}

/// `name="value"` attributes of interest in a chunk of HTML, with the byte
/// offset of each value.
fn html_attributes(html: &str) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    // No `=`, no attribute (`<br/>`, `</a>`): most inline HTML.
    if memchr::memchr(b'=', html.as_bytes()).is_none() || html.trim_start().starts_with("<!--") {
        return out;
    }
    let bytes = html.as_bytes();
    // Each `=`: the word before it (after any spaces), preceded by a space,
    // names the attribute.
    for eq in memchr::memchr_iter(b'=', bytes) {
        let name_end = html[..eq].trim_end().len();
        let name_start = bytes
            .get(..name_end)
            .unwrap_or_default()
            .iter()
            .rposition(|b| b.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        if name_start == 0 {
            continue;
        }
        let name = &html[name_start..name_end];
        let Some(attr) = ["id", "name", "href", "src"]
            .into_iter()
            .find(|a| name.eq_ignore_ascii_case(a))
        else {
            continue;
        };
        let after_eq = &html[eq + 1..];
        let after_eq_trim = after_eq.trim_start();
        let value_start = eq + 1 + (after_eq.len() - after_eq_trim.len());
        let (value, vstart) = match after_eq_trim.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let inner = &after_eq_trim[1..];
                match inner.find(q) {
                    Some(e) => (&inner[..e], value_start + 1),
                    None => continue,
                }
            }
            Some(_) => {
                let e = after_eq_trim
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .unwrap_or(after_eq_trim.len());
                (&after_eq_trim[..e], value_start)
            }
            None => continue,
        };
        // `name` only counts on an anchor element.
        if attr == "name"
            && !html[..name_start]
                .rsplit('<')
                .next()
                .is_some_and(|t| matches!(t.as_bytes(), [b'a' | b'A', b' ' | b'\t' | b'\n', ..]))
        {
            continue;
        }
        out.push((attr.to_string(), value.to_string(), vstart));
    }
    out
}

/// `<!-- runsheet-disable-next-line RULE … -->` and friends.
fn parse_directives(html: &str) -> Vec<(Directive, usize)> {
    let mut out = Vec::new();
    if !html.contains("<!--") {
        return out;
    }
    let mut from = 0;
    while let Some(i) = html[from..].find("<!--") {
        let start = from + i;
        // `<!-->` and `<!--->` are whole (empty) comments: the closing
        // `-->` may overlap the opening `<!--`.
        let Some(end) = html[start + 2..].find("-->").map(|e| start + 2 + e) else {
            break;
        };
        let inner = html.get(start + 4..end).unwrap_or("").trim();
        from = end + 3;
        let mut words = inner
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty());
        let action = match words.next() {
            Some("runsheet-disable-next-line") => DirectiveAction::DisableNextLine,
            Some("runsheet-disable") => DirectiveAction::Disable,
            Some("runsheet-enable") => DirectiveAction::Enable,
            _ => continue,
        };
        let rules = words.map(str::to_string).collect();
        out.push((
            Directive {
                action,
                rules,
                line: 0,
                target_line: 0,
            },
            start,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_comments_whose_ends_overlap_their_starts_are_comments() {
        for html in [
            "<!-->",
            "<!--->",
            "<!---->",
            "<!-->x<!-- runsheet-disable a -->",
        ] {
            let found = parse_directives(html);
            assert!(found.len() <= 1, "{html}");
        }
        let found = parse_directives("<!-->x<!-- runsheet-disable broken-link -->");
        assert_eq!(found[0].0.rules, ["broken-link"]);
    }
}
