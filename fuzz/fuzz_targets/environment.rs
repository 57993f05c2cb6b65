//! Any bytes as an environment file, the shared layer it extends, or the
//! book's variables.yaml: loaded as a check loads them and used to render
//! a small book, with no panic and in bounded memory (YAML aliases).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::fs;
use std::sync::OnceLock;

struct Book {
    dir: tempfile::TempDir,
}

static BOOK: OnceLock<Book> = OnceLock::new();

const LAB: &str = "extends: _common\nvalues:\n  ad:\n    domain: lab.example\n";
const COMMON: &str = "values:\n  ad:\n    forest: example.test\n";
const VARIABLES: &str = "ad.domain:\n  type: hostname\n  description: The domain\nad.forest:\n  type: string\n";

fn book() -> &'static Book {
    BOOK.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let files: &[(&str, &str)] = &[
            ("book.toml", "[book]\ntitle = \"Fuzz\"\n"),
            ("src/SUMMARY.md", "# Summary\n\n- [Alpha](a.md)\n"),
            (
                "src/a.md",
                "# Alpha\n\n1. Join `{{ ad.domain }}` in {{ ad.forest }}.\n",
            ),
            ("environments/lab.yaml", LAB),
            ("environments/_common.yaml", COMMON),
            ("variables.yaml", VARIABLES),
        ];
        for (path, text) in files {
            let path = dir.path().join(path);
            fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
            fs::write(path, text).expect("a file");
        }
        Book { dir }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else {
        return;
    };
    let book = book();
    let root = book.dir.path();
    let (file, original) = match selector % 3 {
        0 => ("environments/lab.yaml", LAB),
        1 => ("environments/_common.yaml", COMMON),
        _ => ("variables.yaml", VARIABLES),
    };
    fs::write(root.join(file), input).expect("writing the input");
    let loaded = runsheet::env::load_book(root);
    if !loaded.environments.is_empty() {
        if let Ok(guide) = runsheet::load(root, &runsheet::LoadOptions::default()) {
            let shown = runsheet::render::shown_root(root);
            if let Ok(templates) = runsheet::render::templates::Templates::load(root, &shown) {
                let _ = runsheet::render::render(
                    &guide,
                    &loaded.environments,
                    &templates,
                    &root.join("out"),
                    &Default::default(),
                );
            }
        }
    }
    fs::write(root.join(file), original).expect("restoring");
});
