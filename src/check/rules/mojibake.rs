//! `mojibake`: UTF-8 text that was once decoded as Windows-1252 and saved
//! again (`â€™` for `’`, `Ã©` for `é`). The repair is exact: the characters
//! are turned back into Windows-1252 bytes, which must be valid UTF-8.
//! Code is left alone: in a code span or block the characters are often
//! the example itself (`` `Ã„2` instead of `Ä` ``).

use crate::check::{ChapterContext, Check, Diagnostic, RuleId};
use crate::check::rules::Example::Markdown;

declare_rule! {
    /// UTF-8 text that was read as Windows-1252 and saved again, such as `â€™`
    /// for `’`. Suggests the repaired text. Text in code spans, code blocks
    /// and HTML `<code>` or `<pre>` is code, often the mojibake shown as an
    /// example, and is neither reported nor fixed.
    MojibakeText {
        id: "mojibake",
        default: Warning,
        fails: Markdown("Create the run profiles for each of the MAâ€™s.\n"),
        passes: Markdown("Create the run profiles for each of the MA’s.\n"),
    }
}

impl Check for MojibakeText {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let chapter = cx.chapter;
        let text = &chapter.source;
        let bytes = text.as_bytes();
        // The chapter's code, read the first time a run is found.
        let mut code: Option<Vec<std::ops::Range<usize>>> = None;
        // A run starts with a character from U+00C2 to U+00F4 (a UTF-8 lead
        // byte read as Windows-1252); in UTF-8 those are 0xC3 0x82..=0xB4.
        let mut from = 0;
        while let Some(found) = memchr::memchr(0xC3, bytes.get(from..).unwrap_or_default()) {
            let i = from + found;
            from = i + 1;
            if !bytes.get(i + 1).is_some_and(|b| (0x82..=0xB4).contains(b)) {
                continue;
            }
            if let Some((end, repaired)) = repair_at(text, i) {
                let code = code.get_or_insert_with(|| code_of(chapter, cx.book.flavour));
                let at = code.partition_point(|r| r.end <= i);
                if code.get(at).is_some_and(|r| r.start <= i) {
                    from = end;
                    continue;
                }
                let span = chapter.lines.span(text, i, end);
                out.push(
                    Diagnostic::at(
                        RuleId::MojibakeText,
                        &chapter.path,
                        span,
                        format!(
                            "`{}` is UTF-8 read as Windows-1252; it should read `{repaired}`",
                            &text[i..end]
                        ),
                    )
                    .help("save the file as UTF-8 with the repaired characters")
                    .fix(i, end, repaired),
                );
                from = end;
            }
        }
    }
}

/// Where the chapter's text is code (nothing of a DocFX YAML page, which
/// is not Markdown).
fn code_of(chapter: &crate::model::Chapter, flavour: crate::slug::Flavour) -> Vec<std::ops::Range<usize>> {
    if chapter.path.ends_with(".yml") {
        return Vec::new();
    }
    let body = crate::frontmatter::find(&chapter.source).map_or(0, |b| b.body_start);
    // Ranges of code nest only in HTML, as whole elements: merged so that
    // they are ordered by their ends as well as their starts.
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for r in crate::markdown::code_ranges(&chapter.source, body, flavour) {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// The longest run from `start` whose Windows-1252 bytes decode as UTF-8
/// into at least one non-ASCII character.
fn repair_at(text: &str, start: usize) -> Option<(usize, String)> {
    let mut bytes = Vec::new();
    let mut ends = Vec::new();
    for (off, ch) in text[start..].char_indices() {
        let Some(b) = cp1252_byte(ch) else { break };
        if b < 0x80 {
            break;
        }
        bytes.push(b);
        ends.push(start + off + ch.len_utf8());
        if bytes.len() >= 4 * 8 {
            break;
        }
    }
    // Decode as many whole UTF-8 sequences as the run allows.
    let mut best = None;
    let mut pos = 0;
    let mut repaired = String::new();
    while let Some(&lead) = bytes.get(pos) {
        let len = match lead {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => break,
        };
        let Some(seq) = bytes.get(pos..pos + len) else {
            break;
        };
        let Ok(s) = std::str::from_utf8(seq) else {
            break;
        };
        repaired.push_str(s);
        pos += len;
        if let Some(&end) = ends.get(pos - 1) {
            best = Some((end, repaired.clone()));
        }
    }
    best
}

/// The Windows-1252 byte for a character, if it has one.
fn cp1252_byte(ch: char) -> Option<u8> {
    let c = ch as u32;
    if c < 0x80 || (0xA0..=0xFF).contains(&c) {
        return Some(c as u8);
    }
    // The 0x80–0x9F block; five bytes are undefined and read as C1 controls.
    const HIGH: [(char, u8); 32] = [
        ('€', 0x80),
        ('\u{81}', 0x81),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8A),
        ('‹', 0x8B),
        ('Œ', 0x8C),
        ('\u{8D}', 0x8D),
        ('Ž', 0x8E),
        ('\u{8F}', 0x8F),
        ('\u{90}', 0x90),
        ('‘', 0x91),
        ('’', 0x92),
        ('“', 0x93),
        ('”', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9A),
        ('›', 0x9B),
        ('œ', 0x9C),
        ('\u{9D}', 0x9D),
        ('ž', 0x9E),
        ('Ÿ', 0x9F),
    ];
    HIGH.iter().find(|(h, _)| *h == ch).map(|(_, b)| *b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_the_usual_suspects() {
        assert_eq!(
            repair_at("MAâ€™s", 2),
            Some((2 + "â€™".len(), "’".to_string()))
        );
        assert_eq!(repair_at("cafÃ© x", 3).map(|r| r.1), Some("é".to_string()));
        assert_eq!(
            repair_at("â€œquotedâ€\u{9d}", 0).map(|r| r.1),
            Some("“".to_string())
        );
    }

    #[test]
    fn real_accented_text_is_left_alone() {
        // "Ä" followed by a space is not a UTF-8 lead byte plus continuation.
        assert_eq!(repair_at("Ä x", 0), None);
        assert_eq!(repair_at("Ångström", 0), None);
    }
}
