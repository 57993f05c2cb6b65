//! SUMMARY.md: its structure read with mdBook's own parser (the chapters,
//! their titles and the parts they sit in), and where each entry is
//! written read off the file's links, so a finding points at the entry's
//! destination as written. mdBook's parser keeps no positions; the links'
//! positions come from reading SUMMARY.md as any chapter is read.

use crate::markdown::parse_chapter;
use crate::model::SummaryEntry;
use crate::slug::Flavour;
use crate::text::Located;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

/// The second entry of SUMMARY.md `text` that leads to a file an earlier
/// entry leads to, as a finding at its destination.
fn repeated_entry(text: &str, flavour: Flavour) -> Option<Located> {
    let (as_chapter, _) = parse_chapter("SUMMARY.md", Arc::new(text.to_string()), 0, flavour);
    let mut first_at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for link in &as_chapter.links {
        let path = link.path.trim_start_matches("./");
        if path.is_empty() || link.is_external() {
            continue;
        }
        match first_at.get(path) {
            Some(&first) => {
                return Some(Located::new(
                    "SUMMARY.md",
                    link.span.line,
                    link.span.column,
                    format!(
                        "`{path}` is listed twice in SUMMARY.md (first at line {first}); mdBook refuses a summary that lists a file twice: remove one of the entries"
                    ),
                ));
            }
            None => {
                first_at.insert(path, link.span.line);
            }
        }
    }
    None
}

/// The entries of SUMMARY.md `text`, in order, each with its line and
/// whether its file is among `files`. An error names the line mdBook's
/// parser stopped at.
pub fn read(text: &str, flavour: Flavour, files: &[String]) -> Result<Vec<SummaryEntry>, Located> {
    let parsed = mdbook_summary::parse_summary(text).map_err(|e| {
        let msg = format!("{e:#}");
        // mdBook's error says "… line N, column M" in its text.
        let line = msg
            .split("line ")
            .nth(1)
            .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        // mdBook rejects a file listed twice at line 1, naming only the
        // file: say where the second entry is.
        if msg.contains("Duplicate file")
            && let Some(found) = repeated_entry(text, flavour)
        {
            return found;
        }
        Located::new(
            "SUMMARY.md",
            line,
            1,
            format!("SUMMARY.md cannot be read as an mdBook summary: {msg}"),
        )
    })?;
    let mut flat = Vec::new();
    let mut part: Option<String> = None;
    for item in parsed
        .prefix_chapters
        .iter()
        .chain(&parsed.numbered_chapters)
        .chain(&parsed.suffix_chapters)
    {
        flatten(item, &mut part, &mut flat);
    }
    // Lines: SUMMARY's own links, in order, matched to entries in order.
    let (as_chapter, _) = parse_chapter("SUMMARY.md", Arc::new(text.to_string()), 0, flavour);
    let mut used = vec![false; as_chapter.links.len()];
    let file_set: HashSet<&str> = files.iter().map(String::as_str).collect();
    Ok(flat
        .into_iter()
        .map(|(title, location, part)| {
            let path = location.to_string_lossy().replace('\\', "/");
            let path = path.strip_prefix("./").unwrap_or(&path).to_string();
            let link = as_chapter
                .links
                .iter()
                .enumerate()
                .find(|(i, l)| {
                    used.get(*i) == Some(&false) && l.path.trim_start_matches("./") == path
                })
                .map(|(i, l)| {
                    if let Some(u) = used.get_mut(i) {
                        *u = true;
                    }
                    l
                });
            let line = link.map_or(1, |l| l.span.line);
            // The destination as written, when it is on the entry's line.
            let destination = link
                .and_then(|l| l.dest_span.clone())
                .map(|r| as_chapter.lines.span(&as_chapter.source, r.start, r.end))
                .filter(|s| s.line == line);
            let exists = file_set.contains(path.as_str());
            SummaryEntry {
                title,
                path,
                line,
                destination,
                part,
                exists,
            }
        })
        .collect())
}

fn flatten(
    item: &mdbook_summary::SummaryItem,
    part: &mut Option<String>,
    out: &mut Vec<(String, PathBuf, Option<String>)>,
) {
    match item {
        mdbook_summary::SummaryItem::PartTitle(t) => *part = Some(t.clone()),
        mdbook_summary::SummaryItem::Link(link) => {
            if let Some(loc) = &link.location {
                out.push((link.name.clone(), loc.clone(), part.clone()));
            }
            for nested in &link.nested_items {
                flatten(nested, part, out);
            }
        }
        _ => {}
    }
}
