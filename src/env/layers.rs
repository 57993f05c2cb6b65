//! Reading an environment file with every file it `extends` merged under
//! it, in order, each value keeping the file and line that set it.

use super::{DIR, EnvError};
use crate::text::paths;
use crate::yaml::{self, Kind, Node, Origin};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Read `file` with everything it extends merged under it. Every null a
/// file writes is added to `nulls` with its key's document path, bases
/// before the files that extend them: a null removes what a base sets,
/// and where no base sets it, it is a value left to fill in.
pub(super) fn read_layered(
    root: &Path,
    file: &Path,
    chain: &mut Vec<PathBuf>,
    layers: &mut Vec<String>,
    nulls: &mut Vec<(Vec<String>, Origin)>,
) -> Result<Node, EnvError> {
    let rel = paths::below(root, file).unwrap_or_else(|| paths::shown(file));
    let error = |line: usize, column: usize, message: String| EnvError {
        file: paths::shown(file),
        line,
        column,
        message,
    };
    let canonical = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
    if chain.contains(&canonical) {
        let names: Vec<String> = chain
            .iter()
            .chain(std::iter::once(&canonical))
            .map(|p| {
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        return Err(error(
            0,
            0,
            format!("`extends` goes round in a circle: {}", names.join(" → ")),
        ));
    }
    // Held inside the book: the file, and environments/, are not links
    // out of it.
    let inside = crate::text::inside::Root::new(root);
    let held = match paths::below(root, file) {
        Some(rel) => inside.resolve(rel)?,
        None => file.to_path_buf(),
    };
    let text = crate::text::inside::read_string(&held, crate::text::inside::Cap::CONFIG)?;
    let mut node = yaml::parse(&text, Arc::from(rel.as_str()))
        .map_err(|e| error(e.line, e.column, format!("not valid YAML: {}", e.message)))?;
    if !matches!(node.kind, Kind::Map(_)) {
        return Err(error(
            node.origin.line,
            node.origin.column,
            "an environment file is a map of keys (`values:`, `agents:` …), not a single value or a list".into(),
        ));
    }
    let bases: Vec<(String, Origin)> = match node.remove("extends") {
        None => Vec::new(),
        Some((_, value)) => match &value.kind {
            Kind::Null => Vec::new(),
            Kind::Scalar(s) => vec![(s.text.clone(), value.origin.clone())],
            Kind::Seq(items) => items
                .iter()
                .map(|i| match &i.kind {
                    Kind::Scalar(s) => Ok((s.text.clone(), i.origin.clone())),
                    _ => Err(error(
                        i.origin.line,
                        i.origin.column,
                        "`extends` lists file names".into(),
                    )),
                })
                .collect::<Result<_, _>>()?,
            Kind::Map(_) => {
                return Err(error(
                    value.origin.line,
                    value.origin.column,
                    "`extends` is a name (`base`) or a list of names".into(),
                ));
            }
        },
    };
    chain.push(canonical);
    let mut merged: Option<Node> = None;
    let dir = root.join(DIR);
    let folder = crate::text::inside::Root::new(&dir);
    for (base, origin) in bases {
        // A base is another file of environments/, named, never a path.
        if base.is_empty() || base.starts_with('.') || base.contains(['/', '\\', '\0']) {
            return Err(error(
                origin.line,
                origin.column,
                format!(
                    "extends `{base}`: a base is the name of another file in {DIR}/ (such as `_common`), not a path"
                ),
            ));
        }
        let named = if base.ends_with(".yaml") || base.ends_with(".yml") {
            dir.join(&base)
        } else {
            dir.join(format!("{base}.yaml"))
        };
        let alt = dir.join(format!("{base}.yml"));
        let base_file = if named.is_file() {
            named
        } else if !base.ends_with(".yaml") && !base.ends_with(".yml") && alt.is_file() {
            alt
        } else {
            return Err(error(
                origin.line,
                origin.column,
                format!("extends `{base}`, but there is no {}", paths::shown(&named)),
            ));
        };
        // Not even through a link out of the folder.
        let name = base_file.file_name().unwrap_or_default();
        if folder.resolve(name).is_err() {
            return Err(error(
                origin.line,
                origin.column,
                format!(
                    "extends `{base}`, which is a link out of {DIR}/: runsheet does not read it"
                ),
            ));
        }
        let layer = read_layered(root, &base_file, chain, layers, nulls)?;
        merge_into(&mut merged, layer);
    }
    chain.pop();
    layers.push(rel);
    collect_nulls(&node, &mut Vec::new(), nulls);
    Ok(match merged {
        Some(mut base) => {
            base.merge(node);
            base
        }
        None => node,
    })
}

fn merge_into(merged: &mut Option<Node>, layer: Node) {
    match merged {
        Some(m) => m.merge(layer),
        None => *merged = Some(layer),
    }
}

/// The document paths of the nulls in `node`'s maps, with their places.
fn collect_nulls(node: &Node, at: &mut Vec<String>, out: &mut Vec<(Vec<String>, Origin)>) {
    if let Kind::Map(entries) = &node.kind {
        for (key, value) in entries {
            at.push(key.name.clone());
            match &value.kind {
                // At its key: an empty value has no place of its own.
                Kind::Null => out.push((at.clone(), key.origin.clone())),
                Kind::Map(_) => collect_nulls(value, at, out),
                _ => {}
            }
            at.pop();
        }
    }
}
