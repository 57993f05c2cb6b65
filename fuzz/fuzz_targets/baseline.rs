//! Any bytes as a baseline file: read with no panic; a baseline that is
//! read writes back as JSON that reads again to the same entries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runsheet::check::baseline::Baseline;
use std::sync::OnceLock;

static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("a scratch folder"));
    let path = dir.path().join("baseline.json");
    std::fs::write(&path, data).expect("the scratch folder is writable");
    if let Ok(baseline) = Baseline::read(&path) {
        let _ = baseline.total();
        let again = baseline.to_json();
        std::fs::write(&path, &again).expect("the scratch folder is writable");
        let reread = Baseline::read(&path).expect("a written baseline reads back");
        assert_eq!(reread.to_json(), again);
    }
});
