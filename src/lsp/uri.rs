//! `file:` URIs and the paths of a book: the client names documents by
//! URI, runsheet names files relative to the book's source folder.
//!
//! Only `file:` URIs name files; `untitled:` and others are no file of the
//! book. The path's percent-escapes are decoded as bytes; a Windows drive
//! (`file:///c%3A/x`) keeps its letter.

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use std::path::{Path, PathBuf};

/// What a path may hold unescaped in a URI: letters, digits, `-._~/`.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b':')
    .add(b';')
    .add(b'=')
    .add(b'@')
    .add(b'&')
    .add(b'+')
    .add(b'$')
    .add(b',')
    .add(b'!')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'*');

/// The file a `file:` URI names.
pub fn to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri
        .strip_prefix("file://")
        .or_else(|| uri.strip_prefix("FILE://"))?;
    // `file://host/path`: only an empty host (or localhost) is this machine.
    let path = match rest.find('/') {
        Some(0) => rest,
        Some(i) if rest.get(..i) == Some("localhost") => rest.get(i..)?,
        _ => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    // `/c:/x` is the Windows path `c:/x`.
    let bytes = decoded.as_bytes();
    let windows = bytes.len() >= 3
        && bytes.first() == Some(&b'/')
        && bytes.get(1).is_some_and(u8::is_ascii_alphabetic)
        && bytes.get(2) == Some(&b':');
    if windows && cfg!(windows) {
        return decoded.get(1..).map(PathBuf::from);
    }
    Some(PathBuf::from(decoded.as_ref()))
}

/// The `file:` URI of an absolute path.
pub fn from_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    let mut out = String::from("file://");
    // A drive's colon stays: `file:///c:/x`, as editors write it.
    let (drive, rest) = match text.get(1..3) {
        Some(d) if d.ends_with(':') && d.starts_with(|c: char| c.is_ascii_alphabetic()) => {
            (text.get(..3).unwrap_or(""), text.get(3..).unwrap_or(""))
        }
        _ => ("", text.as_str()),
    };
    out.push_str(drive);
    out.extend(utf8_percent_encode(rest, PATH));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_and_paths_go_both_ways() {
        let path = Path::new("/home/a b/Run Book#1 (v2).md");
        let uri = from_path(path);
        assert_eq!(uri, "file:///home/a%20b/Run%20Book%231%20%28v2%29.md");
        assert_eq!(to_path(&uri).unwrap(), path);
        assert_eq!(
            to_path("file:///home/%C3%A9t%C3%A9.md").unwrap(),
            Path::new("/home/été.md")
        );
        assert_eq!(
            to_path("file://localhost/x.md").unwrap(),
            Path::new("/x.md")
        );
    }

    #[test]
    fn other_uris_name_no_file() {
        assert_eq!(to_path("untitled:Untitled-1"), None);
        assert_eq!(to_path("file://server/share/x.md"), None);
        assert_eq!(to_path("file:///%FF.md"), None);
    }
}
