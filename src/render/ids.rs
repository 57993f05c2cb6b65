//! Stable step ids for runbooks: chapter slugs from paths, a step's id
//! from its own words (or the id its author wrote), the same words always
//! giving the same id, so that adding, removing or moving a step changes
//! no other step's id. (The manifests' GUIDs are `mim::guid`.)

pub use crate::slug::step::{STEP_ID_COMMENT, bad_written_id, id_part, written_step_id};
use std::collections::{HashMap, HashSet};

/// The slug of the run cycle: its runs' ids are `run-cycle.N`, N their
/// place in the cycle (the cycle is the environment's, in its order), and
/// a run cycle of its own is signed off under it.
pub const RUN_CYCLE: &str = "run-cycle";

/// The scheduled (delta) cycle's id prefix: a table in the runbook, not
/// steps to tick.
pub const SCHEDULED_CYCLE: &str = "scheduled-cycle";

/// The id of `cycle`'s `n`th run (from 1): `run-cycle.N`.
pub fn run_id(cycle: &str, n: usize) -> String {
    format!("{cycle}.{n}")
}

/// Whether `id` is a run's id (`run-cycle.N`).
pub fn is_run_id(id: &str) -> bool {
    id.strip_prefix(RUN_CYCLE)
        .and_then(|r| r.strip_prefix('.'))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The most characters of a step's words an id takes.
const WORDS_MAX: usize = 30;

/// The most words of a step's text an id takes.
const WORDS_MOST: usize = 3;

/// Words that tell steps apart too little to be part of an id.
const LITTLE_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "if", "in", "into",
    "is", "it", "its", "of", "on", "onto", "or", "so", "the", "then", "this", "that", "to", "when",
    "with", "your",
];

/// The slug of a chapter for step ids: its path without the extension,
/// lower case, every run of other characters than letters and digits
/// turned into one `-` (`configuring-MA-runprofiles.md` →
/// `configuring-ma-runprofiles`, `ops/Run Book.md` → `ops-run-book`).
pub fn chapter_slug(path: &str) -> String {
    let stem = path
        .rsplit_once('.')
        .filter(|(_, ext)| !ext.contains('/'))
        .map_or(path, |(stem, _)| stem);
    id_part(stem)
}

/// The short hash of a step's rendered text (the one-line text of the CSV's
/// `step` column): FNV-1a 64 of its UTF-8 bytes, the top 48 bits as 12
/// lower-case hex digits. The same text always gives the same hash; a
/// changed word gives another, so a ticked step that changed is found.
pub fn step_hash(text: &str) -> String {
    format!("{:012x}", fnv1a(text.as_bytes()) >> 16)
}

/// FNV-1a 64 of `bytes`: a hash that is the same on every machine and in
/// every version, for telling text apart (not for security).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The words of a step's id: the first words of its text as written
/// (placeholders left out), lower case, without little words (`the`,
/// `to`, …): at most three, and at most 30 characters when more than one
/// (`Select **App registrations**, then …` → `select-app-registrations`).
/// `step` for a step without words.
pub fn step_words(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        plain.push_str(rest.get(..open).unwrap_or_default());
        plain.push(' ');
        rest = match rest.get(open..).and_then(|r| r.find("}}")) {
            Some(close) => rest.get(open + close + 2..).unwrap_or_default(),
            None => "",
        };
    }
    plain.push_str(rest);
    let all: Vec<String> = plain
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let telling: Vec<&String> = all
        .iter()
        .filter(|w| !LITTLE_WORDS.contains(&w.as_str()))
        .collect();
    let words = if telling.is_empty() {
        all.iter().collect()
    } else {
        telling
    };
    let mut id = String::new();
    for (n, w) in words.into_iter().take(WORDS_MOST).enumerate() {
        if n == 0 {
            id.extend(w.chars().take(WORDS_MAX));
        } else if id.chars().count() + 1 + w.chars().count() <= WORDS_MAX {
            id.push('-');
            id.push_str(w);
        } else {
            break;
        }
    }
    if id.is_empty() {
        "step".to_string()
    } else {
        id
    }
}

/// The ids of a chapter's steps, in order, each `SLUG.WORDS`: the id its
/// author wrote (`written`), else [`step_words`] of its `text`, with `-2`,
/// `-3`… after a second and third step of the same words.
pub fn step_ids<'a>(
    slug: &str,
    steps: impl Iterator<Item = (Option<&'a str>, &'a str)> + Clone,
) -> Vec<String> {
    let mut taken: HashSet<String> = steps
        .clone()
        .filter_map(|(written, _)| written.map(str::to_string))
        .collect();
    // For each base, the next number to try: a chapter of many steps of
    // the same words numbers them in one pass.
    let mut next: HashMap<String, usize> = HashMap::new();
    steps
        .map(|(written, text)| {
            let words = match written {
                Some(id) => id.to_string(),
                None => {
                    let base = step_words(text);
                    let mut words = base.clone();
                    let n = next.entry(base.clone()).or_insert(2);
                    while taken.contains(&words) {
                        words = format!("{base}-{n}");
                        *n += 1;
                    }
                    taken.insert(words.clone());
                    words
                }
            };
            format!("{slug}.{words}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_steps_id_is_its_first_telling_words() {
        assert_eq!(
            step_words("Select App registrations, then New registration."),
            "select-app-registrations"
        );
        assert_eq!(
            step_words("On the Instance Configuration page, set up the instance"),
            "instance-configuration-page"
        );
        assert_eq!(
            step_words("Sign in to {{ server.name }} as the installer."),
            "sign-installer"
        );
        assert_eq!(step_words("Do it."), "do");
        assert_eq!(step_words("To it."), "to-it");
        assert_eq!(step_words("```"), "step");
        assert_eq!(
            step_words("Synchronization Service Manager opens"),
            "synchronization-service"
        );
        assert_eq!(step_words(&"x".repeat(40)), "x".repeat(30));
    }

    #[test]
    fn step_ids_are_told_apart_and_a_written_one_wins() {
        let steps = [
            (None, "Select Next."),
            (Some("select-next"), "Select Next, at last."),
            (None, "Select Next."),
            (None, "Select Install."),
        ];
        assert_eq!(
            step_ids("install", steps.iter().copied()),
            [
                "install.select-next-2",
                "install.select-next",
                "install.select-next-3",
                "install.select-install"
            ]
        );
    }

    #[test]
    fn many_steps_of_the_same_words_are_numbered_in_one_pass() {
        let texts = vec!["Select Next."; 50_000];
        let ids = step_ids("c", texts.iter().map(|t| (None, *t)));
        assert_eq!(
            ids.get(49_999).map(String::as_str),
            Some("c.select-next-50000")
        );
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
    }

    #[test]
    fn an_inserted_step_changes_no_other_id() {
        let before = ["Open the portal.", "Select Add.", "Select Save."];
        let after = [
            "Open the portal.",
            "Sign in as admin.",
            "Select Add.",
            "Select Save.",
        ];
        let ids = |texts: &[&'static str]| step_ids("c", texts.iter().map(|t| (None, *t)));
        let (before, after) = (ids(&before), ids(&after));
        for id in &before {
            assert!(after.contains(id), "{id}");
        }
        assert_eq!(after.get(1).map(String::as_str), Some("c.sign-admin"));
    }

    #[test]
    fn written_ids_are_read_and_held_to_the_id_alphabet() {
        assert_eq!(
            written_step_id("Select **Next**. <!-- runsheet-step: pick-next -->"),
            Some("pick-next")
        );
        assert_eq!(written_step_id("Select <!-- x --> it"), None);
        assert_eq!(bad_written_id("pick-next"), None);
        assert!(bad_written_id("Pick Next").is_some());
        assert!(bad_written_id("").is_some());
        assert!(bad_written_id("a.b").is_some());
    }

    #[test]
    fn step_hashes_are_fnv1a_and_twelve_digits() {
        // FNV-1a 64 of "" is cbf29ce484222325, of "a" af63dc4c8601ec8c.
        assert_eq!(step_hash(""), "cbf29ce48422");
        assert_eq!(step_hash("a"), "af63dc4c8601");
        assert_ne!(step_hash("Run it."), step_hash("Run it!"));
    }

    #[test]
    fn chapter_slugs_come_from_the_path() {
        assert_eq!(
            chapter_slug("configuring-MA-runprofiles.md"),
            "configuring-ma-runprofiles"
        );
        assert_eq!(chapter_slug("Install-SQL-server.md"), "install-sql-server");
        assert_eq!(chapter_slug("ops/Run Book.md"), "ops-run-book");
        assert_eq!(chapter_slug("v1.2/notes"), "v1-2-notes");
    }
}
