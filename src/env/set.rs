//! `--set KEY=VALUE`: a value from the command line, layered over every
//! file.

use super::{EnvError, document_path};
use crate::placeholder::is_dotted_identifier;
use crate::yaml::{self, Kind, Node, Origin, Scalar, Source};
use std::sync::Arc;

/// `KEY=VALUE` from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Set {
    /// The full document path (`values.ad.domain`).
    pub path: Vec<String>,
    pub value: String,
    pub arg: String,
}

impl Set {
    /// Parse `KEY=VALUE`. KEY is a dotted name; one that does not start
    /// with a top-level key of the file (`agents`, `path`, …) is read under
    /// `values`, as placeholders are. The value is read as a plain YAML
    /// scalar (`null` or nothing removes the key); commas are not split.
    pub fn parse(arg: &str) -> Result<Set, EnvError> {
        let fail = |message: String| EnvError {
            file: format!("--set {arg}"),
            line: 0,
            column: 0,
            message,
        };
        let Some((key, value)) = arg.split_once('=') else {
            return Err(fail(
                "expected KEY=VALUE, e.g. `--set ad.domain=contoso.local`".into(),
            ));
        };
        let key = key.trim();
        if !is_dotted_identifier(key) {
            return Err(fail(format!(
                "`{key}` is not a key: use names of letters, digits and `_` joined by dots, e.g. `ad.domain`"
            )));
        }
        let path = document_path(key);
        if path.first().is_some_and(|p| p == "extends") {
            return Err(fail(
                "`extends` cannot be set from the command line; use --env to pick the environment"
                    .into(),
            ));
        }
        Ok(Set {
            path,
            value: value.to_string(),
            arg: arg.to_string(),
        })
    }

    /// Where the key is written empty, when the value is nothing
    /// (`--set ad.domain=`; `--set ad.domain=null` removes the key, as
    /// `null` in a file does).
    pub(super) fn emptied(&self) -> Option<Origin> {
        self.value.trim().is_empty().then(|| Origin {
            source: Source::CommandLine(Arc::from(self.arg.as_str())),
            line: 0,
            column: 0,
        })
    }

    pub(super) fn node(&self) -> Node {
        let origin = Origin {
            source: Source::CommandLine(Arc::from(self.arg.as_str())),
            line: 0,
            column: 0,
        };
        let kind = match Scalar::plain(&self.value) {
            Some(s) => Kind::Scalar(s),
            None => Kind::Null,
        };
        let mut node = Node::new(kind, origin.clone());
        for key in self.path.iter().rev() {
            let key = yaml::Key {
                name: key.clone(),
                origin: origin.clone(),
            };
            node = Node::new(Kind::Map(vec![(key, node)]), origin.clone());
        }
        node
    }
}
