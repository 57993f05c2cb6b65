//! The library's layers (src/lib.rs, ARCHITECTURE.md): a module uses only
//! modules of lower layers. Every `crate::module` path in the sources is
//! held to that, so a change that reaches up a layer fails here.

use std::path::Path;

/// Each top-level module and its layer.
const LAYERS: [(&str, u8); 22] = [
    ("text", 0),
    ("git", 0),
    ("memory", 0),
    ("slug", 1),
    ("mim", 1),
    ("yaml", 1),
    ("sandbox", 1),
    ("model", 2),
    ("placeholder", 2),
    ("frontmatter", 3),
    ("markdown", 4),
    ("docfx", 4),
    ("book", 5),
    ("env", 6),
    ("graph", 6),
    ("check", 7),
    ("render", 7),
    ("report", 8),
    ("progress", 8),
    ("verify", 8),
    ("mdbook", 9),
    ("lsp", 9),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// Every `.rs` file below `dir`.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_uses_a_layer_above_or_beside_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    let mut modules_seen = std::collections::BTreeSet::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let own = first.trim_end_matches(".rs");
        if own == "lib" || own == "bin" {
            continue;
        }
        let own_layer = layer(own).unwrap_or_else(|| panic!("{own} has no layer in this test"));
        modules_seen.insert(own.to_string());
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find("crate::") {
                let after = &rest[at + "crate::".len()..];
                let used: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                rest = after;
                let Some(used_layer) = layer(&used) else {
                    continue;
                };
                if used != own && used_layer >= own_layer {
                    wrong.push(format!("{}:{}: {own} uses {used}", rel.display(), n + 1));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
    // Every module is in the table above.
    let listed: std::collections::BTreeSet<String> =
        LAYERS.iter().map(|(m, _)| m.to_string()).collect();
    assert_eq!(modules_seen, listed);
}

/// The name of the type a line of Rust defines at the top of a file
/// (`pub struct Name`, `pub(crate) enum Name`, `pub type Name`, `pub trait
/// Name`), if it defines one visible outside its module.
fn public_type(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("pub")?;
    let rest = match rest.strip_prefix('(') {
        Some(r) => r.split_once(')')?.1,
        None => rest,
    };
    let rest = rest.trim_start();
    let rest = ["struct ", "enum ", "type ", "trait "]
        .iter()
        .find_map(|k| rest.strip_prefix(k))?;
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

#[test]
fn no_type_name_is_defined_twice_in_the_library() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut defined: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        if rel.starts_with("bin") {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if let Some(name) = public_type(line) {
                defined.entry(name.to_string()).or_default().push(format!(
                    "{}:{}",
                    rel.display(),
                    n + 1
                ));
            }
        }
    }
    assert!(defined.len() > 100, "the scan found too few types");
    let twice: Vec<String> = defined
        .iter()
        .filter(|(_, at)| at.len() > 1)
        .map(|(name, at)| format!("{name}: {}", at.join(", ")))
        .collect();
    assert!(
        twice.is_empty(),
        "one name, two types (name one of them for what it is):\n{}",
        twice.join("\n")
    );
}
