//! runsheet: a step-by-step deployment guide written in Markdown, read as
//! the source of truth for operations work.
//!
//! The data flows one way: [`book::load`] finds and reads the files,
//! [`markdown::parse_chapter`] turns each into a [`model::Chapter`], and the
//! [`model::Guide`] is what `extract`, [`check`] and [`render`] consume;
//! [`report`] turns a check's findings into text. See ARCHITECTURE.md.

pub mod book;
pub mod check;
pub mod env;
pub mod frontmatter;
pub mod markdown;
pub mod mim;
pub mod model;
pub mod placeholder;
pub mod render;
pub mod report;
pub mod slug;
pub mod text;
pub mod yaml;

pub use book::{LoadOptions, load};
pub use model::Guide;
