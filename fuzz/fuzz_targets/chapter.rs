//! Any bytes, decoded as runsheet decodes a file and parsed as a chapter
//! in each heading-id flavour: no panic, and every position inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runsheet::slug::Flavour;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    let (text, bom, _) = runsheet::book::decode::decode("a.md", data.to_vec());
    let text = Arc::new(text);
    for flavour in [Flavour::Github, Flavour::Mdbook, Flavour::Docfx] {
        let (chapter, _) = runsheet::markdown::parse_chapter("a.md", text.clone(), bom, flavour);
        for link in &chapter.links {
            if let Some(range) = &link.dest_span {
                assert!(range.start <= range.end && range.end <= text.len());
                assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
            }
        }
    }
});
