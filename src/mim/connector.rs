//! The connector types runsheet writes run profiles for.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A management agent's connector type, as the Create Management Agent
/// wizard lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum ConnectorType {
    #[serde(rename = "FIM Service Management Agent")]
    MimService,
    #[serde(rename = "Active Directory Domain Services")]
    ActiveDirectory,
    #[serde(rename = "Graph (Microsoft)")]
    Graph,
    #[serde(rename = "Extensible Connectivity 2.0")]
    Extensible2,
}

impl ConnectorType {
    /// The wizard's label.
    pub fn label(self) -> &'static str {
        match self {
            ConnectorType::MimService => "FIM Service Management Agent",
            ConnectorType::ActiveDirectory => "Active Directory Domain Services",
            ConnectorType::Graph => "Graph (Microsoft)",
            ConnectorType::Extensible2 => "Extensible Connectivity 2.0",
        }
    }

    /// `<category>` in an exported management agent.
    pub fn category(self) -> &'static str {
        match self {
            ConnectorType::MimService => "FIM",
            ConnectorType::ActiveDirectory => "AD",
            ConnectorType::Graph | ConnectorType::Extensible2 => "Extensible2",
        }
    }
}
