//! "Did you mean": the closest of some names to one that was written. Used
//! for files, anchors, rule ids, environment keys and names, step types
//! and topic types alike; the file index has its own bounded search for
//! trees of thousands of names (`check::index`), scored the same way.

/// The candidates whose normalised edit similarity to `wanted` is at least
/// `floor` and within a hair of the best, best first (ties by name). More
/// than one means there is no single answer.
pub fn closest<T: Copy>(
    wanted: &str,
    candidates: impl Iterator<Item = (String, T)>,
    floor: f64,
) -> Vec<T> {
    let mut scored: Vec<(f64, String, T)> = candidates
        .filter(|(c, _)| {
            let (a, b) = (c.chars().count() as f64, wanted.chars().count() as f64);
            // Cheap length filter before the edit distance.
            (a - b).abs() <= (a.max(b) * (1.0 - floor)).ceil() + 1.0
        })
        .map(|(c, t)| (strsim::normalized_levenshtein(wanted, &c), c, t))
        .filter(|(s, _, _)| *s >= floor)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let Some(best) = scored.first().map(|s| s.0) else {
        return Vec::new();
    };
    scored
        .into_iter()
        .take_while(|s| best - s.0 < 1e-9)
        .map(|s| s.2)
        .collect()
}

/// The one candidate closest to `word`, ignoring case, when its similarity
/// is at least `floor` (of equals, the last).
pub fn best<'a>(word: &str, candidates: &[&'a str], floor: f64) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::normalized_levenshtein(&word, &c.to_lowercase()), *c))
        .filter(|(score, _)| *score >= floor)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `" (did you mean `X`?)"` when there is a close candidate, else nothing:
/// the end of a message.
pub fn did_you_mean(word: &str, candidates: &[&str]) -> String {
    best(word, candidates, 0.6)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_returns_ties_so_callers_know_it_is_not_unique() {
        let c = closest(
            "ab.md",
            [("ac.md".to_string(), 1), ("ad.md".to_string(), 2)].into_iter(),
            0.5,
        );
        assert_eq!(c, [1, 2]);
        let c = closest(
            "nstalling-x.md",
            [
                ("installing-x.md".to_string(), 1),
                ("other.md".to_string(), 2),
            ]
            .into_iter(),
            0.7,
        );
        assert_eq!(c, [1]);
    }

    #[test]
    fn best_ignores_case_and_needs_to_be_close() {
        assert_eq!(best("PRD", &["prod", "lab"], 0.6), Some("prod"));
        assert_eq!(best("xyz", &["prod", "lab"], 0.6), None);
        assert_eq!(
            did_you_mean("brokn-link", &["broken-link"]),
            " (did you mean `broken-link`?)"
        );
    }
}
