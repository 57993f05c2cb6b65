//! Where a link written as the site sees it leads, and which files are
//! pages.

use super::{Site, below, under};

/// Where a link written as the site sees it leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SitePath {
    /// Not such a link (or the site's URL path is not known): an ordinary
    /// path.
    Not,
    /// Into the tree: the path from the root, without the extension the
    /// site drops (`docs/build/overview`).
    InTree(String),
    /// To another site of the same host (`/windows/…`): not checked
    /// offline.
    Elsewhere,
}

impl Site {
    /// Whether the file at `path` is a DocFX table of contents written in
    /// Markdown (`toc.md`): its headings are entries and its links the
    /// pages they lead to, not a page of its own.
    pub fn is_toc(&self, path: &str) -> bool {
        self.docfx
            && path
                .rsplit('/')
                .next()
                .is_some_and(|name| name.eq_ignore_ascii_case("toc.md"))
    }

    /// Whether the file at `path` (from the root) is a page a docset
    /// publishes (a `toc.md` is not): inside a docset's folder and, when its `docfx.json` lists
    /// `build.content`, named by an entry's `files` and not by its
    /// `exclude` (`**/includes/**`: included text, not pages). Every file
    /// is one in a tree without docsets.
    pub fn publishes(&self, path: &str) -> bool {
        if self.docsets.is_empty() {
            return true;
        }
        if self.is_toc(path) {
            return false;
        }
        self.docsets.iter().any(|d| {
            let Some(rel) = below(&d.folder, path) else {
                return false;
            };
            d.pages.is_empty()
                || d.pages.iter().any(|p| {
                    below(&p.src, rel).is_some_and(|r| {
                        (p.files.is_empty() || p.files.matches(r)) && !p.exclude.matches(r)
                    })
                })
        })
    }

    /// The URL path the site publishes the file at `path` (from the root)
    /// under (`docs/build/x.md` → `/cpp/build/x`), when a docset holds it
    /// and its URL path is known: the reverse of [`Site::locate`].
    pub fn url_of(&self, path: &str) -> Option<String> {
        let docset = self
            .docsets
            .iter()
            .filter(|d| below(&d.folder, path).is_some())
            .max_by_key(|d| d.folder.len())?;
        let base = docset.base.as_deref()?;
        let rel = below(&docset.folder, path)?;
        let mapped = docset
            .mappings
            .iter()
            .filter_map(|(src, dest)| {
                let rest = below(src, rel)?;
                Some((src.len(), under(dest, rest)))
            })
            .max_by_key(|(len, _)| *len)
            .map_or_else(|| rel.to_string(), |(_, p)| p);
        let page = ["md", "yml"]
            .iter()
            .find_map(|ext| mapped.strip_suffix(&format!(".{ext}")[..]))
            .unwrap_or(&mapped);
        Some(format!("{base}{page}"))
    }

    /// Where `path`, written in the file `from`, leads when it is written
    /// as the site sees it: `~/x` from the docset's folder, `/cpp/x` from
    /// the URL path a docset is served under, through its mappings.
    pub fn locate(&self, from: &str, path: &str) -> SitePath {
        if self.docsets.is_empty() {
            return SitePath::Not;
        }
        if let Some(rest) = path.strip_prefix("~/") {
            let docset = self
                .docsets
                .iter()
                .filter(|d| d.folder.is_empty() || from.starts_with(&format!("{}/", d.folder)))
                .max_by_key(|d| d.folder.len());
            let folder = docset.map_or("", |d| d.folder.as_str());
            return match crate::text::paths::resolve("", rest) {
                Some(p) => SitePath::InTree(under(folder, &p)),
                None => SitePath::Not,
            };
        }
        if !path.starts_with('/') || path.starts_with("//") {
            return SitePath::Not;
        }
        let mut known = false;
        for d in &self.docsets {
            let Some(base) = &d.base else {
                continue;
            };
            known = true;
            let rest = if path.len() + 1 == base.len() && base.starts_with(path) {
                Some("")
            } else {
                path.get(..base.len())
                    .filter(|p| p.eq_ignore_ascii_case(base))
                    .and_then(|_| path.get(base.len()..))
            };
            let Some(rest) = rest else {
                continue;
            };
            let Some(rest) = crate::text::paths::resolve("", rest) else {
                return SitePath::Elsewhere;
            };
            let mapped = d.mappings.iter().find_map(|(src, dest)| {
                let below = if dest.is_empty() {
                    Some(rest.as_str())
                } else if rest == *dest {
                    Some("")
                } else {
                    rest.strip_prefix(dest.as_str())
                        .and_then(|r| r.strip_prefix('/'))
                };
                below.map(|b| under(src, b))
            });
            let within = mapped.unwrap_or(rest);
            return SitePath::InTree(under(&d.folder, &within));
        }
        if known {
            SitePath::Elsewhere
        } else {
            SitePath::Not
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Docset;
    use super::*;

    fn site(base: &str, mappings: &[(&str, &str)]) -> Site {
        Site {
            docsets: vec![Docset {
                folder: "docs".into(),
                base: Some(base.into()),
                mappings: mappings
                    .iter()
                    .map(|(s, d)| (s.to_string(), d.to_string()))
                    .collect(),
                pages: Vec::new(),
            }],
            ..Site::default()
        }
    }

    #[test]
    fn a_files_url_is_its_docsets_base_and_mapping() {
        let s = site("/cpp/", &[("articles", "build"), (".", "")]);
        assert_eq!(
            s.url_of("docs/articles/x.md").as_deref(),
            Some("/cpp/build/x")
        );
        assert_eq!(s.url_of("docs/ide/y.md").as_deref(), Some("/cpp/ide/y"));
        assert_eq!(s.url_of("other/y.md"), None);
    }

    #[test]
    fn site_paths_lead_through_the_base_and_the_mappings() {
        let s = site("/cpp/", &[("articles", "build"), (".", "")]);
        assert_eq!(
            s.locate("docs/a.md", "/cpp/build/x"),
            SitePath::InTree("docs/articles/x".into())
        );
        assert_eq!(
            s.locate("docs/a.md", "/CPP/ide/y"),
            SitePath::InTree("docs/ide/y".into())
        );
        assert_eq!(
            s.locate("docs/a.md", "/cpp"),
            SitePath::InTree("docs".into())
        );
        assert_eq!(s.locate("docs/a.md", "/windows/x"), SitePath::Elsewhere);
        assert_eq!(
            s.locate("docs/sub/a.md", "~/media/p.png"),
            SitePath::InTree("docs/media/p.png".into())
        );
        assert_eq!(s.locate("docs/a.md", "b.md"), SitePath::Not);
        assert_eq!(s.locate("docs/a.md", "//host/x"), SitePath::Not);
        let unknown = Site {
            docsets: vec![Docset::default()],
            ..Site::default()
        };
        assert_eq!(unknown.locate("a.md", "/windows/x"), SitePath::Not);
    }
}
