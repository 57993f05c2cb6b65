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
    // mdBook names the book's root (trusted: it is mdBook's own); point
    // it at the scratch book, or the input would have the whole disk
    // checked.
    let input = match serde_json::from_slice::<serde_json::Value>(data) {
        Ok(mut v) => {
            if let Some(ctx) = v.get_mut(0).and_then(|c| c.as_object_mut()) {
                ctx.insert("root".into(), dir.path().display().to_string().into());
            }
            serde_json::to_vec(&v).unwrap_or_default()
        }
        Err(_) => data.to_vec(),
    };
    let _ = runsheet::mdbook::run_protocol(&input[..], std::io::sink(), &mut std::io::sink());
});
