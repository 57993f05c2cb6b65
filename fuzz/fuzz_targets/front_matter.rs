//! Any text as a chapter's front matter block: found or not, parsed or
//! refused with a line inside the text, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let text = format!("---\n{body}\n---\n# Title\n");
    // YAML breaks lines at CR as well as LF.
    let lines = text.split(['\n', '\r']).count();
    if let Some(bounds) = runsheet::frontmatter::find(&text) {
        if let Err((line, _)) = runsheet::frontmatter::parse(&text, bounds, 1) {
            assert!(line >= 1 && line <= lines + 1, "error line {line} of {lines}");
        }
    }
    let _ = runsheet::frontmatter::unclosed(body);
    let _ = runsheet::frontmatter::simple_mapping(body);
});
