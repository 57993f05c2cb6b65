//! A file's bytes as text: the UTF-8 byte order mark taken off and
//! remembered, bytes that are not UTF-8 replaced and the first of them
//! reported with its line and column.

use crate::model::{Problem, ProblemKind};

/// UTF-8 text without its BOM, the BOM's length, and the problem if some
/// bytes were not UTF-8.
pub fn decode(rel: &str, mut bytes: Vec<u8>) -> (String, usize, Option<Problem>) {
    let bom = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    bytes.drain(..bom);
    let (mut text, problem) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let (good, bad) = bytes.split_at(valid.min(bytes.len()));
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
            let column = String::from_utf8_lossy(good.get(line_start..).unwrap_or_default())
                .chars()
                .count()
                + 1;
            let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
            let message = if utf16 {
                "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8 — it was read with its bytes replaced".to_string()
            } else {
                format!(
                    "the file is not valid UTF-8 (byte 0x{:02X}); save it as UTF-8 — it was read with the bad bytes replaced",
                    bad.first().copied().unwrap_or_default()
                )
            };
            let problem = Problem {
                kind: ProblemKind::InvalidUtf8,
                file: rel.to_string(),
                line: if utf16 { 1 } else { line },
                column: if utf16 { 1 } else { column },
                message,
            };
            (String::from_utf8_lossy(&bytes).into_owned(), Some(problem))
        }
    };
    // Lines that end in a lone carriage return (old Mac files) would make
    // the whole chapter one line: its headings, links and steps would
    // vanish without a word. They are read as line breaks (the same
    // length, so every position stays), and said.
    if let Some(at) = lone_cr(&text) {
        let line = text[..at].bytes().filter(|&b| b == b'\n').count() + 1;
        // Safe: `\r` and `\n` are both one ASCII byte.
        let fixed: String = text
            .char_indices()
            .map(|(i, c)| {
                if c == '\r' && text.as_bytes().get(i + 1) != Some(&b'\n') {
                    '\n'
                } else {
                    c
                }
            })
            .collect();
        text = fixed;
        if problem.is_none() {
            return (
                text,
                bom,
                Some(Problem {
                    kind: ProblemKind::LoneCarriageReturn,
                    file: rel.to_string(),
                    line,
                    column: 1,
                    message: "lines end in a lone carriage return (CR), which Markdown readers take as one long line; runsheet read them as line breaks: save the file with LF or CRLF line endings".into(),
                }),
            );
        }
    }
    (text, bom, problem)
}

/// The offset of the first `\r` not followed by `\n`.
fn lone_cr(text: &str) -> Option<usize> {
    memchr::memchr_iter(b'\r', text.as_bytes())
        .find(|&i| text.as_bytes().get(i + 1) != Some(&b'\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_carriage_returns_are_line_breaks_and_said() {
        let (text, _, problem) = decode("x.md", b"# T\r\rSee [a](a.md)\r\n1. step\r".to_vec());
        assert_eq!(text, "# T\n\nSee [a](a.md)\r\n1. step\n");
        let p = problem.unwrap();
        assert_eq!((p.kind, p.line), (ProblemKind::LoneCarriageReturn, 1));
        let (_, _, none) = decode("x.md", b"a\r\nb\r\n".to_vec());
        assert!(none.is_none());
    }

    #[test]
    fn utf16_is_named() {
        let (_, _, problem) = decode("x.md", b"\xFF\xFE#\x00 \x00".to_vec());
        assert!(problem.unwrap().message.contains("UTF-16"));
    }

    #[test]
    fn bad_utf8_is_reported_with_line_and_column() {
        let (text, _, problem) = decode("x.md", b"ok\nab\xFFc\n".to_vec());
        let p = problem.unwrap();
        assert_eq!((p.line, p.column), (2, 3));
        assert!(text.contains('\u{FFFD}'));
    }

    #[test]
    fn a_bom_is_stripped_and_remembered() {
        let (text, bom, problem) = decode("x.md", b"\xEF\xBB\xBF# T\n".to_vec());
        assert_eq!((text.as_str(), bom), ("# T\n", 3));
        assert!(problem.is_none());
    }
}
