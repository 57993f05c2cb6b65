//! Text helpers every other layer uses, each written once: positions in a
//! text ([`lines`]), byte searches ([`scan`]), `/`-separated paths
//! ([`paths`]), files held inside a folder and read within a cap
//! ([`inside`]), path patterns ([`glob`]), "did you mean" ([`suggest`]), escaping ([`escape`]), and a
//! message about a place in a file ([`Located`]).

pub mod columns;
pub mod escape;
pub mod glob;
pub mod inside;
pub mod lines;
pub mod location;
pub mod paths;
pub mod scan;
pub mod suggest;

pub use lines::{LineIndex, Position, Span};
pub use location::Located;
