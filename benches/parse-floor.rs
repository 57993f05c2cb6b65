//! The floor runsheet's check is measured against: read every Markdown file
//! under a folder and parse it with pulldown-cmark, on one thread, doing
//! nothing with the events but counting them.
//!
//!     cargo bench --bench parse-floor -- PATH

use pulldown_cmark::{Options, Parser};
use std::time::Instant;

fn main() {
    let root = std::env::args()
        .nth(1)
        .filter(|a| a != "--bench")
        .unwrap_or_else(|| ".".into());
    let start = Instant::now();
    let mut files = 0usize;
    let mut events = 0usize;
    let mut bytes = 0usize;
    for entry in walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS;
        events += Parser::new_ext(&text, options).into_offset_iter().count();
        bytes += text.len();
        files += 1;
    }
    let elapsed = start.elapsed();
    println!(
        "{files} files, {bytes} bytes, {events} events in {:.3} s",
        elapsed.as_secs_f64()
    );
}
