//! Helpers the integration tests share: writing guides into temporary
//! folders and copying fixture books.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

/// Write `files` (path relative to `root`, text) under `root`, making
/// folders as needed.
pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        write_bytes(root, path, text.as_bytes());
    }
}

/// Write one file of raw bytes under `root`, making folders as needed.
pub fn write_bytes(root: &Path, path: &str, bytes: &[u8]) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, bytes).unwrap();
}

/// Copy the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The `runsheet` program of this build.
pub fn runsheet() -> Command {
    Command::cargo_bin("runsheet").unwrap()
}

/// The findings of severity `error` in a JSON report.
pub fn errors(json: &Value) -> Vec<&Value> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect()
}
