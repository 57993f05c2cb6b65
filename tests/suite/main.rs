//! The specifications of runsheet, as one test program (one link, not
//! one per file): each module is one subject. Fixture books are under
//! `tests/fixtures/`, written for these tests.

mod common;

mod bad_input;
mod check_baseline;
mod check_rules;
mod check_seed;
mod check_traps;
mod check_variables;
mod ci_recipes;
mod cli_behaviour;
mod cli_formats;
mod declarations;
mod differential;
mod else_than_mim;
mod env_cli;
mod graph;
mod guide_original;
mod inside_the_book;
mod layers;
mod lsp;
mod mdbook_preprocessor;
mod model;
mod precision;
mod progress_flow;
mod progress_markers;
mod properties;
mod readme_examples;
mod render_cli;
mod render_snapshots;
mod rule_reference;
mod run_cycle_script;
mod runbook_browser;
mod runbook_fidelity;
mod runbook_pdf;
mod slug_conformance;
mod untrusted_output;
mod verify;
