//! What runsheet knows of Microsoft Identity Manager, in one place: the
//! run-profile step types and how an exported management agent writes
//! them ([`step`]), the connector types an agent can be of ([`connector`]),
//! the run cycle the guide follows when an environment names none
//! ([`cycle`]), what a run's result string means for the cycle
//! ([`run_result`]), GUIDs as MIM writes them ([`guid`]), distinguished
//! names as Active Directory compares them ([`dn`]), the metaverse's
//! provisioning and deletion rules ([`metaverse`]), and what a server's
//! exported configuration holds ([`export`]). Nothing here knows of
//! Markdown, environments or templates.

pub mod connector;
pub mod cycle;
pub mod dn;
pub mod export;
pub mod guid;
pub mod metaverse;
pub mod run_result;
pub mod step;

pub use connector::ConnectorType;
pub use step::{StepType, UnknownStepType, XmlStep};
