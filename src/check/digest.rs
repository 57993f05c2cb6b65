//! What the guide pass reads of each chapter, made by the chapter pass
//! while the chapter is at hand: a small, separate record, so the chapter
//! itself can be let go. The chapter ([`crate::model::Chapter`]) is never
//! trimmed or changed.

use super::index::Resolved;
use crate::model::{Book, Chapter, Directive, Link, Placeholder, Problem};

/// A checked guide: the book, its files, and each chapter's digest in
/// reading order. Reports are drawn from it.
#[derive(Debug, Clone)]
pub struct Digest {
    pub book: Book,
    /// Every file under the source folder (sorted).
    pub files: Vec<String>,
    /// The hidden folders the walk did not read.
    pub hidden: Vec<String>,
    pub chapters: Vec<ChapterDigest>,
    pub problems: Vec<Problem>,
    /// The preprocessors whose output the check did not see (see
    /// `Settings::unseen_preprocessors`), for the closing line.
    pub unseen_preprocessors: Vec<String>,
}

/// What the rules that look across chapters need of one chapter.
#[derive(Debug, Clone)]
pub struct ChapterDigest {
    pub path: String,
    /// Whether SUMMARY lists it.
    pub listed: bool,
    /// The SUMMARY part it sits in.
    pub part: Option<String>,
    pub has_front_matter: bool,
    /// Its title and its first H1, what a link's text is compared with
    /// before a fix points the link at it.
    pub titles: Vec<String>,
    /// Every id a link can point at with `#`.
    pub anchors: ChapterAnchors,
    /// Links into another chapter with a `#fragment`: their anchors are
    /// checked once every chapter's are known.
    pub fragment_links: Vec<FragmentLink>,
    /// The links of its Prerequisites list, in order.
    pub prerequisites: Vec<Link>,
    pub placeholders: Vec<Placeholder>,
    /// The placeholders of its front matter's `title`, which a page and a
    /// runbook show.
    pub title_placeholders: Vec<crate::env::resolve::Use>,
    /// The rows of its run-profile tables: each profile's name and type as
    /// written.
    pub profiles: Vec<(String, String)>,
    pub directives: Vec<Directive>,
    /// How many of its links are local (not URLs) and checked.
    pub local_links: usize,
    /// Links to another site of the same host (a DocFX tree's
    /// `/windows/…`): not checked offline, counted.
    pub other_site: usize,
    /// DocFX cross-reference links (`xref:uid`, `<xref:uid>`).
    pub xrefs: usize,
    /// Links written as the site sees them (`/cpp/x`, `~/x`) that lead to
    /// a file or folder of the tree.
    pub site_links: usize,
    /// Every other file a link reaches (exactly or but for case), by file
    /// id (see [`super::index::Files::id`]).
    pub reached: Vec<u32>,
    /// Its front matter `title` and the line it is on.
    pub front_title: Option<(String, usize)>,
    /// Its first H1 and the line it is on.
    pub h1: Option<(String, usize)>,
    /// What its text is, to tell chapters that say the same.
    pub fingerprint: Fingerprint,
    /// Links and references left to preprocessors the check does not see
    /// (see `check::preprocessed`): not checked, counted.
    pub withheld: usize,
}

/// A chapter's anchors in the order written: its heading ids, then its
/// HTML `id`s and `name`s. Kept as one string and where each ends, since a
/// tree of ten thousand chapters has a hundred thousand of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChapterAnchors {
    text: Box<str>,
    ends: Box<[usize]>,
}

impl ChapterAnchors {
    pub fn new<'a>(anchors: impl Iterator<Item = &'a str>) -> Self {
        let mut text = String::new();
        let mut ends = Vec::new();
        for a in anchors {
            text.push_str(a);
            ends.push(text.len());
        }
        ChapterAnchors {
            text: text.into(),
            ends: ends.into(),
        }
    }

    /// Each anchor, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(a, b)| self.text.get(a..b).unwrap_or_default())
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// A link into another file with a `#fragment`, as the guide pass checks
/// it: a few of the link's facts, not the whole link, since a large tree
/// has a hundred thousand of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentLink {
    /// The file it leads to, by [`super::index::Files::id`].
    pub target: u32,
    /// The part after `#`, percent-decoded.
    pub fragment: Box<str>,
    /// The whole link in the source.
    pub span: crate::text::Span,
    /// The fragment's bytes in the source, where a fix rewrites it.
    pub written: Option<std::ops::Range<usize>>,
}

impl FragmentLink {
    /// `link`'s fragment facts, when it has a fragment.
    pub fn of(link: &Link, target: u32) -> Option<FragmentLink> {
        Some(FragmentLink {
            target,
            fragment: link.fragment.as_deref()?.into(),
            span: link.span,
            written: fragment_written(link),
        })
    }
}

/// The bytes of `link`'s fragment in the source (after `#`), when known.
pub fn fragment_written(link: &Link) -> Option<std::ops::Range<usize>> {
    let span = link.dest_span.clone()?;
    Some(link.dest_fragment_start?..span.end)
}

/// What a chapter's text is, in a few bytes: a hash of its bytes, and a
/// hash of what a reader sees of them (its lines without line endings,
/// trailing spaces and blank lines). Two chapters with the same `seen`
/// are the same chapter; with the same `bytes` too, byte for byte.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    pub bytes: (u64, usize),
    /// `None` for a chapter with nothing in it.
    pub seen: Option<(u64, u64)>,
}

impl Fingerprint {
    /// The fingerprint of a chapter's `text`.
    pub fn of(text: &str) -> Fingerprint {
        use std::hash::{BuildHasher, Hasher};
        let mut raw = rustc_hash::FxBuildHasher.build_hasher();
        raw.write(text.as_bytes());
        // Two hashes of another make: 128 bits, so two chapters that do
        // not say the same are not taken for each other. Each is given
        // each line seen, with its line end, in one piece (a line with
        // trailing spaces is copied without them), so the same lines give
        // the same hashes however they were written.
        let mut fx = rustc_hash::FxBuildHasher.build_hasher();
        let mut fold = foldhash::quality::FixedState::with_seed(FOLD_SEED).build_hasher();
        let mut trimmed_line = Vec::new();
        let mut any = false;
        let bytes = text.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            let end = memchr::memchr(b'\n', bytes.get(start..).unwrap_or_default())
                .map_or(bytes.len(), |i| start + i);
            let line = text.get(start..end).unwrap_or_default();
            let seen = line.trim_end();
            if !seen.is_empty() {
                any = true;
                let piece = match bytes.get(start..=end) {
                    Some(piece) if seen.len() == line.len() => piece,
                    _ => {
                        trimmed_line.clear();
                        trimmed_line.extend_from_slice(seen.as_bytes());
                        trimmed_line.push(b'\n');
                        &trimmed_line
                    }
                };
                fx.write(piece);
                fold.write(piece);
            }
            start = end + 1;
        }
        Fingerprint {
            bytes: (raw.finish(), text.len()),
            seen: any.then(|| (fx.finish(), fold.finish())),
        }
    }
}

/// The seed of the second hash of a fingerprint: any fixed number, the
/// same in every run.
const FOLD_SEED: u64 = 0x7275_6e73_6865_6574;

impl ChapterDigest {
    /// The digest of `chapter`, whose links lead to `targets`. What it
    /// keeps is copied: copies made together sit together in memory, where
    /// parts moved out of the chapter would keep the chapter's pages in use.
    pub fn of(chapter: &Chapter, targets: &[Option<Resolved<'_>>]) -> ChapterDigest {
        let mut reached = Vec::new();
        let mut fragment_links = Vec::new();
        let other_site = targets
            .iter()
            .filter(|t| matches!(t, Some(Resolved::Elsewhere)))
            .count();
        let xrefs = chapter
            .links
            .iter()
            .filter(|l| {
                l.destination
                    .get(..5)
                    .is_some_and(|s| s.eq_ignore_ascii_case("xref:"))
            })
            .count();
        let site_links = chapter
            .links
            .iter()
            .zip(targets)
            .filter(|(l, t)| {
                (l.path.starts_with('/') || l.path.starts_with("~/"))
                    && matches!(
                        t,
                        Some(Resolved::File(..) | Resolved::CaseMismatch(..) | Resolved::Dir(_))
                    )
            })
            .count();
        for (link, target) in chapter.links.iter().zip(targets) {
            if let Some(Resolved::File(path, id) | Resolved::CaseMismatch(path, id)) = target
                && *path != chapter.path
            {
                reached.push(*id);
                fragment_links.extend(FragmentLink::of(link, *id));
            }
        }
        // Kept until the end of the check: no room to spare.
        reached.shrink_to_fit();
        fragment_links.shrink_to_fit();
        ChapterDigest {
            path: chapter.path.clone(),
            listed: chapter.listed,
            part: chapter.part.clone(),
            has_front_matter: chapter.front_matter.is_some(),
            titles: chapter
                .title
                .iter()
                .chain(
                    chapter
                        .headings
                        .iter()
                        .find(|h| h.level == 1)
                        .map(|h| &h.text),
                )
                .cloned()
                .collect(),
            anchors: ChapterAnchors::new(chapter.anchors()),
            fragment_links,
            prerequisites: chapter
                .prerequisites
                .iter()
                .filter_map(|p| chapter.links.get(p.link).cloned())
                .collect(),
            placeholders: chapter.placeholders.clone(),
            title_placeholders: crate::env::resolve::title_uses(chapter),
            profiles: chapter
                .profiles
                .iter()
                .map(|p| (p.name.clone(), p.step_type.clone()))
                .collect(),
            directives: chapter.directives.clone(),
            local_links: chapter.local_links() - other_site,
            other_site,
            xrefs,
            site_links,
            reached,
            front_title: chapter
                .front_matter
                .as_ref()
                .and_then(|fm| {
                    let title = fm.values.get("title")?.as_str()?.trim();
                    let line = fm.keys.iter().find(|k| k.key == "title")?.line;
                    Some((title.to_string(), line))
                })
                .filter(|(t, _)| !t.is_empty()),
            h1: chapter
                .headings
                .iter()
                .find(|h| h.level == 1 && !h.tab)
                .map(|h| (h.text.clone(), h.line)),
            fingerprint: if chapter.path.ends_with(".yml") {
                Fingerprint::default()
            } else {
                Fingerprint::of(&chapter.source)
            },
            withheld: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Fingerprint;

    #[test]
    fn lines_seen_alike_give_one_fingerprint() {
        let plain = Fingerprint::of("# A\nText.\n");
        let written = Fingerprint::of("# A  \r\n\r\n\nText.");
        assert_eq!(plain.seen, written.seen);
        assert_ne!(plain.bytes, written.bytes);
        assert_eq!(Fingerprint::of(" \n\t\n").seen, None);
    }

    #[test]
    fn lines_seen_otherwise_give_another() {
        let a = Fingerprint::of("# A\nText.\n");
        for other in [
            "# A\nText\n",
            "# A Text.\n",
            "#  A\nText.\n",
            "Text.\n# A\n",
        ] {
            assert_ne!(a.seen, Fingerprint::of(other).seen, "{other:?}");
        }
    }
}
