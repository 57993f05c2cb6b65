//! The floor runsheet's check is measured against: walk a folder, read
//! every Markdown file under it and parse it with pulldown-cmark, with the
//! options runsheet reads a chapter with, on all cores (rayon over files),
//! doing nothing with the events but counting them.
//!
//!     cargo bench --bench parse-floor -- [--mdbook] PATH
//!
//! `--mdbook`: the options of an mdBook's chapters (heading attributes);
//! otherwise those of a plain or DocFX folder. `RAYON_NUM_THREADS=1` gives
//! the one-thread parse.

use rayon::prelude::*;
use runsheet::slug::Flavour;
use std::time::Instant;

fn main() {
    let mut flavour = Flavour::Github;
    let mut root = String::from(".");
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--bench" => {}
            "--mdbook" => flavour = Flavour::Mdbook,
            _ => root = arg,
        }
    }
    let options = runsheet::markdown::options(flavour);
    let start = Instant::now();
    let paths: Vec<_> = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    let (files, bytes, events) = paths
        .par_iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .map(|text| {
            let events = pulldown_cmark::Parser::new_ext(&text, options)
                .into_offset_iter()
                .count();
            (1usize, text.len(), events)
        })
        .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    let elapsed = start.elapsed();
    println!(
        "{files} files, {bytes} bytes, {events} events in {:.3} s on {} threads",
        elapsed.as_secs_f64(),
        rayon::current_num_threads()
    );
}
