//! JSON as DocFX and the publishing tools read it: comments and trailing
//! commas allowed (`docfx.json` often has both), with jsonc-parser.

use std::path::Path;

/// The JSON file at `path`, `None` when it cannot be read or parsed.
pub fn read(path: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(path).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    jsonc_parser::parse_to_serde_value(text, &jsonc_parser::ParseOptions::default()).ok()
}
