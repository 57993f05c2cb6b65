//! Any bytes as a chapter, checked and fixed in memory: a fix changes
//! bytes only inside link destinations, and fixing the fixed text again
//! changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runsheet::check::{Diagnostic, RuleId, Settings, check, fix};
use runsheet::docfx::Site;
use runsheet::LoadOptions;
use std::sync::OnceLock;

static SCRATCH: OnceLock<runsheet_fuzz::Scratch> = OnceLock::new();

fn plan(root: &std::path::Path) -> Option<(runsheet::Guide, Vec<Diagnostic>, Vec<fix::FileEdit>)> {
    let guide = runsheet::load(root, &LoadOptions::default()).ok()?;
    let diagnostics = check(&guide, &Settings::default(), &Site::default());
    let edits = fix::plan(&guide, &diagnostics);
    Some((guide, diagnostics, edits))
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else {
        return;
    };
    let scratch = SCRATCH.get_or_init(runsheet_fuzz::Scratch::new);
    // Chapters only: a fix edits Markdown.
    let place = match selector % 3 {
        0 => runsheet_fuzz::Place::FolderChapter,
        1 => runsheet_fuzz::Place::BookChapter,
        _ => runsheet_fuzz::Place::DocfxChapter,
    };
    let root = scratch.put(place, input);
    if let Some((guide, diagnostics, edits)) = plan(&root) {
        // A link rule's fix stays inside the link's destination; only the
        // mojibake rule repairs running text.
        for d in &diagnostics {
            let Some(f) = &d.fix else { continue };
            if d.rule == RuleId::MojibakeText {
                continue;
            }
            let chapter = guide.chapter(&d.file).expect("a fixed file is a chapter");
            assert!(
                chapter
                    .links
                    .iter()
                    .filter_map(|l| l.dest_span.clone())
                    .any(|dest| dest.start <= f.start && f.end <= dest.end),
                "{:?} fixes bytes {}..{} outside every link destination",
                d.rule,
                f.start,
                f.end
            );
        }
        for edit in &edits {
            std::fs::write(guide.book.src_dir.join(&edit.file), &edit.after).expect("writing");
        }
        if !edits.is_empty() {
            if let Some((_, _, again)) = plan(&root) {
                for e in &again {
                    assert!(
                        !edits.iter().any(|first| first.file == e.file),
                        "fixing {} twice changed it again:\n{}",
                        e.file,
                        fix::diff(e, &e.file)
                    );
                }
            }
        }
    }
    scratch.restore(place);
});
