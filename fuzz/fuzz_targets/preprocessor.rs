//! Any bytes on the mdBook preprocessor's standard input (`[context,
//! book]` as mdBook writes it): refused or answered, with no panic. The
//! context's root is pointed at a scratch book, as mdBook would.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let dir = DIR.get_or_init(|| {
        let d = tempfile::tempdir().expect("a scratch folder");
        std::fs::create_dir_all(d.path().join("src")).expect("writable");
        std::fs::write(d.path().join("book.toml"), "[book]\ntitle = \"x\"\n").expect("writable");
        d
    });
    // Inputs whose context names another root are answered for that
    // root; keep them in the scratch book.
    let Ok(text) = std::str::from_utf8(data) else {
        let _ = runsheet::mdbook::run_protocol(data, std::io::sink(), &mut std::io::sink());
        return;
    };
    let root = dir.path().display().to_string();
    let text = text.replace("\"root\":", &format!("\"root\":\"{root}\",\"_root\":"));
    let _ = runsheet::mdbook::run_protocol(text.as_bytes(), std::io::sink(), &mut std::io::sink());
});
