//! The ids an author writes into a step (`<!-- runsheet-step: ID -->`),
//! read the same way by `render`, which gives the step that id, and by
//! `check`, which reports an id that cannot be one or that two steps of a
//! chapter share: so that the check finds what would stop a render.

/// How an author gives a step an id of their own, in the step's text:
/// `<!-- runsheet-step: create-guest-ou -->`. A reader of the chapter does
/// not see it.
pub const STEP_ID_COMMENT: &str = "<!-- runsheet-step:";

/// A name as a part of a step id (a chapter's path, a run profile's
/// name): lower case letters and digits, other runs of characters as one
/// `-`.
pub fn id_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The id an author wrote in a step's Markdown (`<!-- runsheet-step: ID
/// -->`), as written, if there is one.
pub fn written_step_id(markdown: &str) -> Option<&str> {
    let at = markdown.find(STEP_ID_COMMENT)?;
    let rest = markdown.get(at + STEP_ID_COMMENT.len()..)?;
    let (id, _) = rest.split_once("-->")?;
    Some(id.trim())
}

/// Why an id an author wrote cannot be one, or `None` when it can: lower
/// case letters, digits and single `-` between them, at most 64
/// characters.
pub fn bad_written_id(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("it is empty")
    } else if id.chars().count() > 64 {
        Some("it is longer than 64 characters")
    } else if id_part(id) != id {
        Some("an id holds lower-case letters, digits and single `-` between them only")
    } else {
        None
    }
}

/// The ids written into a chapter's steps (each step's line and
/// Markdown, in order) that cannot be ids, or that a step before them has
/// too: each with the step's line and what is wrong.
pub fn written_id_problems<'a>(
    steps: impl IntoIterator<Item = (usize, &'a str)>,
) -> Vec<(usize, String)> {
    let mut problems = Vec::new();
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for (line, markdown) in steps {
        let Some(id) = written_step_id(markdown) else {
            continue;
        };
        if let Some(why) = bad_written_id(id) {
            problems.push((line, format!("step id `{id}` ({STEP_ID_COMMENT}): {why}")));
        } else if let Some((_, first)) = seen.iter().find(|(s, _)| *s == id) {
            problems.push((
                line,
                format!(
                    "step id `{id}` is also the id of the step at line {first}: each step of a chapter has an id of its own"
                ),
            ));
        } else {
            seen.push((id, line));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_ids_are_read_and_held_to_their_form() {
        let steps = [
            (3, "Open it. <!-- runsheet-step: open-it -->"),
            (4, "Close it. <!-- runsheet-step: Close It -->"),
            (5, "Open it again. <!-- runsheet-step: open-it -->"),
            (6, "No id."),
        ];
        let problems = written_id_problems(steps);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].0, 4);
        assert!(problems[0].1.contains("lower-case"), "{problems:?}");
        assert_eq!(
            problems[1],
            (
                5,
                "step id `open-it` is also the id of the step at line 3: each step of a chapter has an id of its own".to_string()
            )
        );
    }
}
