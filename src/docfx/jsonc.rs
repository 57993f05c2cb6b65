//! JSON as DocFX and the publishing tools read it: comments and trailing
//! commas allowed (`docfx.json` often has both), with jsonc-parser.

use std::path::Path;

/// The JSON file at `path` in the tree at `root`, `None` when it cannot
/// be read (or is not held inside the tree: [`super::read_text`]) or
/// parsed.
pub fn read(root: &Path, path: &Path) -> Option<serde_json::Value> {
    let text = super::read_text(root, path)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    jsonc_parser::parse_to_serde_value(text, &jsonc_parser::ParseOptions::default()).ok()
}
