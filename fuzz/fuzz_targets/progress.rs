//! Any bytes as a progress file (the first byte picks `progress.json`, a
//! ticked `runbook.md` or a filled `runbook.csv`): read back with no
//! panic, within the caps, and a refusal names the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runsheet::progress::read;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    let (shown, read) = match selector % 3 {
        0 => ("progress.json", read::json(text, "progress.json")),
        1 => ("runbook.md", read::markdown(text, "runbook.md")),
        _ => ("runbook.csv", read::csv(text, "runbook.csv")),
    };
    match read {
        Ok(p) => {
            assert!(p.steps.len() <= read::MAX_STEPS.max(text.len()));
            let _ = p.by_id();
        }
        Err(e) => assert_eq!(e.file, shown),
    }
});
