//! `book.toml` and `runsheet.toml`: read as TOML tables (a file that is not
//! TOML is an error naming its line), and the `[book]` settings runsheet
//! uses, typed. Each reader of the other tables types its own part
//! (`check::settings` the `[preprocessor.runsheet]` table).

use crate::text::Located;
use serde::Deserialize;
use std::path::Path;

/// A TOML file (`book.toml`, `runsheet.toml`) as a table, `None` when
/// there is no such file.
pub fn read(path: &Path) -> Result<Option<toml::Table>, super::LoadError> {
    let Some(text) =
        crate::text::inside::read_in_its_folder(path, crate::text::inside::Cap::CONFIG)
            .map_err(|e| super::LoadError::Config(e.into()))?
    else {
        return Ok(None);
    };
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e
            .span()
            .map_or(1, |s| text[..s.start].matches('\n').count() + 1);
        super::LoadError::Config(Located::new(
            path.display().to_string(),
            line,
            0,
            format!("not valid TOML: {}", e.message()),
        ))
    })?;
    Ok(Some(table))
}

/// `[book]` in `book.toml`: what runsheet reads of it. mdBook's other keys
/// (`authors`, `language`, …) are mdBook's.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BookSection {
    pub title: Option<String>,
    /// The source folder, relative to the book's root (mdBook's default
    /// `src`).
    pub src: Option<String>,
}

impl BookSection {
    /// The `[book]` table of a `book.toml` table (defaults where it has
    /// none, or where a key is not of the type mdBook reads).
    pub fn of(config: &toml::Table) -> BookSection {
        let Some(book) = config.get("book").and_then(|b| b.as_table()) else {
            return BookSection::default();
        };
        let text = |key: &str| book.get(key).and_then(|v| v.as_str()).map(str::to_string);
        BookSection {
            title: text("title"),
            src: text("src"),
        }
    }

    /// The source folder, `src` when not set.
    pub fn src(&self) -> &str {
        self.src.as_deref().unwrap_or("src")
    }
}
