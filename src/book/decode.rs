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
    match String::from_utf8(bytes) {
        Ok(text) => (text, bom, None),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = bytes[..valid]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            let column = String::from_utf8_lossy(&bytes[line_start..valid])
                .chars()
                .count()
                + 1;
            let problem = Problem {
                kind: ProblemKind::InvalidUtf8,
                file: rel.to_string(),
                line,
                column,
                message: format!(
                    "the file is not valid UTF-8 (byte 0x{:02X}); save it as UTF-8 — it was read with the bad bytes replaced",
                    bytes[valid]
                ),
            };
            (
                String::from_utf8_lossy(&bytes).into_owned(),
                bom,
                Some(problem),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
