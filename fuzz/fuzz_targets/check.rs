//! Any bytes as one file of a small guide (a chapter of a folder, an
//! mdBook or a DocFX tree, a SUMMARY.md or a docfx.json), checked with
//! every rule and reported in every format: no panic, and every finding
//! names a file of the guide.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runsheet::check::Settings;
use runsheet::docfx::Site;
use runsheet::{LoadOptions, report};
use std::sync::OnceLock;

static SCRATCH: OnceLock<runsheet_fuzz::Scratch> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else {
        return;
    };
    let scratch = SCRATCH.get_or_init(runsheet_fuzz::Scratch::new);
    let place = runsheet_fuzz::Place::of(selector);
    let root = scratch.put(place, input);
    let settings = Settings::default();
    let site = Site::default();
    if let Ok((digest, diagnostics)) =
        runsheet::check::read_and_check(&root, &LoadOptions::default(), &settings, &site)
    {
        let diagnostics = diagnostics;
        for d in &diagnostics {
            assert!(!d.file.contains(".."), "a finding outside the guide: {}", d.file);
        }
        let checked = [report::Checked {
            subject: report::Subject::Guide(&digest),
            display_root: "book".into(),
            diagnostics,
            baseline: None,
        }];
        let _ = report::human::render(&checked, false);
        let _ = report::json::render(&checked);
        let _ = report::junit::render(&checked);
        let _ = report::github::render(&checked);
    }
    scratch.restore(place);
});
