//! Byte searches for the two-character markers Markdown is full of (`](`,
//! `{{`, ` #`, `: `). For haystacks as short as a line or a link, finding
//! the first byte with memchr and checking the next beats setting up a
//! general substring search each time.

/// The first place `a` is followed by `b`.
pub fn find_pair(hay: &[u8], a: u8, b: u8) -> Option<usize> {
    memchr::memchr_iter(a, hay).find(|&i| hay.get(i + 1) == Some(&b))
}

/// The last place `a` is followed by `b`.
pub fn rfind_pair(hay: &[u8], a: u8, b: u8) -> Option<usize> {
    memchr::memrchr_iter(a, hay).find(|&i| hay.get(i + 1) == Some(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_found_from_either_end() {
        assert_eq!(find_pair(b"a](b](c", b']', b'('), Some(1));
        assert_eq!(rfind_pair(b"a](b](c", b']', b'('), Some(4));
        assert_eq!(find_pair(b"a] (b", b']', b'('), None);
        assert_eq!(rfind_pair(b"]", b']', b'('), None);
        assert_eq!(find_pair(b"x #y", b' ', b'#'), Some(1));
    }
}
