//! runsheet: a step-by-step deployment guide written in Markdown, read as
//! the source of truth for operations work.
//!
//! The library is layered; a module uses only the modules of lower layers
//! (a test in the suite holds every `crate::` path to this):
//!
//! ```text
//! 9  mdbook  lsp                the mdBook preprocessor │ the language server
//! 8  report  progress  verify    a check's findings as text │ where a runbook stands │ a server held to its runbook
//! 7  check        render         rules and findings │ runbooks per environment
//! 6  env          graph          environments: layers, values, paths │ the prerequisite graph drawn
//! 5  book                        finding and reading a guide
//! 4  markdown     docfx          one chapter's text → a Chapter │ what a DocFX tree's files say
//! 3  frontmatter                 the YAML block at a chapter's top
//! 2  model        placeholder    the guide as data │ the `{{ name }}` syntax
//! 1  slug   mim   yaml  sandbox  heading ids │ MIM facts │ positioned YAML │ bounded templates
//! 0  text   git   memory        lines, paths, files held inside a folder, suggestions, escaping │ what Git says changed │ memory budgets
//! ```
//!
//! [`book::load`] finds and reads the files, [`markdown::parse_chapter`]
//! turns each into a [`model::Chapter`], and the [`model::Guide`] is what
//! `extract`, [`check`] and [`render`] consume; [`report`] turns a check's
//! findings into text. See ARCHITECTURE.md.

#![forbid(unsafe_code)]
// Input must not be able to panic the read → check → render path: no
// `unwrap`, `expect` or indexing that can fail. Each remaining allowance
// says, in its `reason`, why input cannot reach it. Unit tests may.
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

pub mod book;
pub mod check;
pub mod docfx;
pub mod env;
pub mod frontmatter;
pub mod git;
pub mod graph;
pub mod lsp;
pub mod markdown;
pub mod mdbook;
pub mod memory;
pub mod mim;
pub mod model;
pub mod placeholder;
pub mod progress;
pub mod render;
pub mod report;
pub mod sandbox;
pub mod slug;
pub mod text;
pub mod verify;
pub mod yaml;

pub use book::{LoadOptions, load};
pub use model::Guide;
