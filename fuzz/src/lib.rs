//! What the fuzz targets share: small books on disk that an input is
//! written into, since runsheet reads a guide from its files.

use std::fs;
use std::path::{Path, PathBuf};

/// Where an input goes: its first byte picks one of these.
#[derive(Clone, Copy, Debug)]
pub enum Place {
    /// `a.md` in a plain folder with a second chapter and an image.
    FolderChapter,
    /// `src/a.md` in an mdBook.
    BookChapter,
    /// `src/SUMMARY.md` in an mdBook.
    Summary,
    /// `a.md` in a DocFX tree with a redirect file.
    DocfxChapter,
    /// `docfx.json` of the DocFX tree.
    DocfxConfig,
}

impl Place {
    pub fn of(selector: u8) -> Place {
        match selector % 5 {
            0 => Place::FolderChapter,
            1 => Place::BookChapter,
            2 => Place::Summary,
            3 => Place::DocfxChapter,
            _ => Place::DocfxConfig,
        }
    }
}

/// Three small guides (a folder, an mdBook, a DocFX tree) made once per
/// process in a temporary folder; each input overwrites one file.
pub struct Scratch {
    dir: tempfile::TempDir,
}

const CHAPTER: &str = "# Alpha\n\nSee [Bee](b.md#second-part) and ![img](img.png).\n\n## Steps\n\n1. Do it.\n";
const OTHER: &str = "---\ntitle: Bee\n---\n\n# Bee\n\n## Second part\n\nBack to [Alpha](a.md).\n";

impl Scratch {
    pub fn new() -> Scratch {
        let dir = tempfile::tempdir().expect("a temporary folder for the fuzz books");
        let files: &[(&str, &str)] = &[
            ("folder/a.md", CHAPTER),
            ("folder/b.md", OTHER),
            ("folder/img.png", "png"),
            ("book/book.toml", "[book]\ntitle = \"Fuzz\"\n"),
            ("book/src/SUMMARY.md", "# Summary\n\n- [Alpha](a.md)\n- [Bee](b.md)\n"),
            ("book/src/a.md", CHAPTER),
            ("book/src/b.md", OTHER),
            ("book/src/img.png", "png"),
            (
                "docfx/docfx.json",
                "{\"build\": {\"content\": [{\"files\": [\"**/*.md\"]}]}}\n",
            ),
            (
                "docfx/.openpublishing.redirection.json",
                "{\"redirections\": [{\"source_path\": \"old.md\", \"redirect_url\": \"/b\"}]}\n",
            ),
            ("docfx/a.md", CHAPTER),
            ("docfx/b.md", OTHER),
            ("docfx/img.png", "png"),
        ];
        for (path, text) in files {
            let path = dir.path().join(path);
            fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
            fs::write(path, text).expect("a file");
        }
        Scratch { dir }
    }

    /// Write `data` into its place and return the guide's root to read.
    pub fn put(&self, place: Place, data: &[u8]) -> PathBuf {
        let root = self.dir.path();
        let (book, file) = match place {
            Place::FolderChapter => ("folder", "a.md"),
            Place::BookChapter => ("book", "src/a.md"),
            Place::Summary => ("book", "src/SUMMARY.md"),
            Place::DocfxChapter => ("docfx", "a.md"),
            Place::DocfxConfig => ("docfx", "docfx.json"),
        };
        fs::write(root.join(book).join(file), data).expect("writing the input");
        root.join(book)
    }

    /// Put the file back as it was, for the next input.
    pub fn restore(&self, place: Place) {
        let root = self.dir.path();
        let (path, text) = match place {
            Place::FolderChapter => ("folder/a.md", CHAPTER),
            Place::BookChapter => ("book/src/a.md", CHAPTER),
            Place::Summary => ("book/src/SUMMARY.md", "# Summary\n\n- [Alpha](a.md)\n- [Bee](b.md)\n"),
            Place::DocfxChapter => ("docfx/a.md", CHAPTER),
            Place::DocfxConfig => (
                "docfx/docfx.json",
                "{\"build\": {\"content\": [{\"files\": [\"**/*.md\"]}]}}\n",
            ),
        };
        fs::write(root.join(path), text).expect("restoring a file");
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch::new()
    }
}
