//! Path patterns as settings and `docfx.json` write them: `*` within one
//! folder, `**` across folders, `?` one character, `{a,b}` either.

/// A set of patterns, kept as written (for comparing and showing) and
/// compiled once.
#[derive(Debug, Clone, Default)]
pub struct Patterns {
    written: Vec<String>,
    set: globset::GlobSet,
}

impl PartialEq for Patterns {
    fn eq(&self, other: &Self) -> bool {
        self.written == other.written
    }
}

impl Eq for Patterns {}

impl Patterns {
    /// Compile `written`; the error names the first pattern that is not
    /// one.
    pub fn new(written: &[String]) -> Result<Patterns, String> {
        let mut builder = globset::GlobSetBuilder::new();
        for p in written {
            let glob = globset::GlobBuilder::new(p.trim_start_matches("./"))
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .map_err(|e| format!("`{p}` is not a pattern: {}", e.kind()))?;
            builder.add(glob);
        }
        let set = builder
            .build()
            .map_err(|e| format!("the patterns cannot be used: {e}"))?;
        Ok(Patterns {
            written: written.to_vec(),
            set,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.written.is_empty()
    }

    /// The patterns as written.
    pub fn written(&self) -> &[String] {
        &self.written
    }

    /// Whether `path` matches one of them.
    pub fn matches(&self, path: &str) -> bool {
        !self.written.is_empty() && self.set.is_match(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_stay_in_a_folder_and_double_stars_cross_them() {
        let p = Patterns::new(&[
            "styleguide/**".into(),
            "*.tmp.md".into(),
            "**/includes/**".into(),
        ])
        .unwrap();
        assert!(p.matches("styleguide/template.md"));
        assert!(p.matches("styleguide/a/b.md"));
        assert!(p.matches("x.tmp.md"));
        assert!(!p.matches("docs/x.tmp.md"));
        assert!(p.matches("docs/atl/includes/note.md"));
        assert!(p.matches("includes/note.md"));
        assert!(!p.matches("docs/a.md"));
        assert!(Patterns::new(&["a[".into()]).is_err());
        assert!(!Patterns::default().matches("a"));
    }
}
