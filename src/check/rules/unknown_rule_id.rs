//! `unknown-rule-id`: every id in a `runsheet-disable`,
//! `runsheet-disable-next-line` or `runsheet-enable` comment is a rule's.
//! A misspelt one silences nothing, and says nothing about it: the finding
//! it was meant for is still reported, or a stretch is never turned back on.
//!
//! The directives come from the chapter's model with their line; where
//! each id is written is read here from the chapter's text, the comment
//! found on that line as the model's reader finds it.

use crate::check::rules::Example::Markdown;
use crate::check::{ChapterContext, Check, Diagnostic, RULES, RuleId};
use crate::model::{Directive, DirectiveAction};
use crate::text::suggest;

declare_rule! {
    /// An id in a `<!-- runsheet-disable … -->`,
    /// `<!-- runsheet-disable-next-line … -->` or `<!-- runsheet-enable … -->`
    /// comment that is no rule's (ids in the settings are checked when they
    /// are read): the comment silences, or turns back on, nothing for it.
    /// Suggests the closest rule id; `--fix` rewrites the id when one rule
    /// is clearly meant: the same but for case, or no other id within one
    /// more edit.
    UnknownRuleId {
        id: "unknown-rule-id",
        default: Warning,
        fails: Markdown("<!-- runsheet-disable-next-line brokn-link -->\nSee [the old portal](old-portal.md).\n"),
        passes: Markdown("<!-- runsheet-disable-next-line broken-link -->\nSee [the old portal](old-portal.md).\n"),
    }
}

impl Check for UnknownRuleId {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let chapter = cx.chapter;
        for (i, d) in chapter.directives.iter().enumerate() {
            if d.rules.iter().all(|r| RuleId::from_id(r).is_some()) {
                continue;
            }
            // The comments on a line are met in order: this directive is
            // the one after the earlier ones on its line that read alike.
            // Where the text holds more such comments than the model (one
            // in a code span is text), which is which is not known: the
            // finding is then on the line, and nothing is fixed.
            let alike = |e: &&Directive| e.line == d.line && e.action == d.action && e.rules == d.rules;
            let nth = chapter.directives.get(..i).unwrap_or_default().iter().filter(alike).count();
            let count = chapter.directives.iter().filter(alike).count();
            let comments = written_ids(&chapter.source, chapter.lines.line_start(d.line), d);
            let written = if comments.len() == count { comments.get(nth) } else { None };
            for (k, id) in d.rules.iter().enumerate() {
                if RuleId::from_id(id).is_some() {
                    continue;
                }
                let message = format!(
                    "unknown rule `{id}` in a `{}` comment: {}",
                    action_word(d.action),
                    match d.action {
                        DirectiveAction::Enable => "it turns nothing back on",
                        _ => "it silences nothing",
                    }
                );
                let at = written.and_then(|w| w.get(k)).copied();
                let mut finding = match at {
                    Some(start) => Diagnostic::at(
                        RuleId::UnknownRuleId,
                        &chapter.path,
                        chapter.lines.span(&chapter.source, start, start + id.len()),
                        message,
                    ),
                    None => Diagnostic::at_line(RuleId::UnknownRuleId, &chapter.path, d.line, message),
                };
                finding = suggest_id(finding, id, at);
                out.push(finding);
            }
        }
    }
}

/// The word a comment starts with for `action`.
fn action_word(action: DirectiveAction) -> &'static str {
    match action {
        DirectiveAction::DisableNextLine => "runsheet-disable-next-line",
        DirectiveAction::Disable => "runsheet-disable",
        DirectiveAction::Enable => "runsheet-enable",
    }
}

/// The help, and the fix at `at` (the id's byte offset) when one rule is
/// clearly meant.
fn suggest_id(mut d: Diagnostic, id: &str, at: Option<usize>) -> Diagnostic {
    let ids: Vec<&str> = RULES.iter().map(|r| r.meta().id).collect();
    let folded = id.to_lowercase();
    let same_but_case: Vec<&str> = ids.iter().copied().filter(|r| *r == folded).collect();
    let best: Vec<&str> = if same_but_case.is_empty() {
        suggest::closest(&folded, ids.iter().map(|r| (r.to_string(), *r)), 0.6)
    } else {
        same_but_case.clone()
    };
    match best.as_slice() {
        [] => d.help("the rules are listed by `runsheet check --list-rules`"),
        [only] => {
            let clear = !same_but_case.is_empty() || {
                let distance = strsim::levenshtein(&folded, only);
                !ids.iter().any(|r| r != only && strsim::levenshtein(&folded, r) <= distance + 1)
            };
            if !clear {
                return d
                    .help(format!(
                        "did you mean `{only}`? (not fixed: another rule's id is almost as close)"
                    ))
                    .suggest(*only);
            }
            d = d.help(format!("did you mean `{only}`?"));
            match at {
                Some(start) => d.fix(start, start + id.len(), *only),
                None => d.suggest(*only),
            }
        }
        many => {
            let names: Vec<String> = many.iter().take(3).map(|r| format!("`{r}`")).collect();
            d.help(format!("did you mean {}?", names.join(" or ")))
        }
    }
}

/// Where the ids of directive `d` are written: for each comment that
/// starts on the line at `line_start` and reads as `d` does, in order, the
/// byte offsets of its ids in `text`.
fn written_ids(text: &str, line_start: usize, d: &Directive) -> Vec<Vec<usize>> {
    let mut found = Vec::new();
    let line_end = text
        .get(line_start..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |e| line_start + e);
    let mut from = line_start;
    while let Some(i) = text.get(from..line_end).and_then(|t| t.find("<!--")) {
        let start = from + i;
        // As the model's reader takes a comment: up to the first `-->`
        // after `<!`, which may overlap the opening (`<!-->`).
        let Some(end) = text
            .get(start + 2..)
            .and_then(|t| t.find("-->"))
            .map(|e| start + 2 + e)
        else {
            break;
        };
        from = end + 3;
        let inner = start + 4;
        let mut words = words(text.get(inner..end).unwrap_or_default());
        let Some((action, _)) = words.next() else {
            continue;
        };
        if action != action_word(d.action) {
            continue;
        }
        let ids: Vec<(&str, usize)> = words.collect();
        if ids.len() != d.rules.len() || ids.iter().zip(&d.rules).any(|((w, _), r)| w != r) {
            continue;
        }
        found.push(ids.into_iter().map(|(_, at)| inner + at).collect());
    }
    found
}

/// The words of a comment, split as the model's reader splits them (at
/// white space and commas), with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (&str, usize)> {
    let separator = |c: char| c.is_whitespace() || c == ',';
    let mut rest = 0;
    std::iter::from_fn(move || {
        let tail = text.get(rest..)?;
        let start = rest + tail.find(|c: char| !separator(c))?;
        let word = text.get(start..)?;
        let len = word.find(separator).unwrap_or(word.len());
        rest = start + len;
        text.get(start..start + len).map(|w| (w, start))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directive(action: DirectiveAction, rules: &[&str]) -> Directive {
        Directive {
            action,
            rules: rules.iter().map(|r| r.to_string()).collect(),
            line: 1,
            target_line: 2,
        }
    }

    #[test]
    fn words_are_split_at_white_space_and_commas() {
        let found: Vec<_> = words(" runsheet-disable a,b\n  c ").collect();
        assert_eq!(found, [("runsheet-disable", 1), ("a", 18), ("b", 20), ("c", 24)]);
    }

    #[test]
    fn each_id_is_found_in_the_comment_that_reads_as_the_directive() {
        let text = "x <!-- runsheet-enable a --> `<!-- runsheet-disable a, b -->` <!-- runsheet-disable a, b -->\n";
        // The comment in a code span reads alike too: the text alone
        // cannot tell it from the other.
        let (first, last) = (text.find("a, b").unwrap(), text.rfind("a, b").unwrap());
        let d = directive(DirectiveAction::Disable, &["a", "b"]);
        assert_eq!(
            written_ids(text, 0, &d),
            [vec![first, first + 3], vec![last, last + 3]]
        );
        let d = directive(DirectiveAction::Enable, &["a"]);
        assert_eq!(written_ids(text, 0, &d), [vec![23]]);
        // A comment that starts on a later line is not this line's.
        assert!(written_ids("a\n<!-- runsheet-enable a -->", 0, &d).is_empty());
        // Its ids may run on over lines.
        let d = directive(DirectiveAction::Disable, &["a", "b"]);
        assert_eq!(
            written_ids("<!-- runsheet-disable\n  a\n  b -->", 0, &d),
            [vec![24, 28]]
        );
    }

    #[test]
    fn an_empty_comment_is_no_directive() {
        let d = directive(DirectiveAction::Disable, &["a"]);
        assert!(written_ids("<!--> runsheet-disable a -->", 0, &d).is_empty());
    }
}
