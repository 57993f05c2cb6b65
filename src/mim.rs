//! The Microsoft Identity Manager domain: run-profile step types, how MIM
//! writes them in an exported management agent, and what a run returns.

use serde::Serialize;

/// A run-profile step type, as the Synchronization Service Manager offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum StepType {
    FullImportStageOnly,
    DeltaImportStageOnly,
    FullSynchronization,
    DeltaSynchronization,
    Export,
    /// The deprecated combined types: an import step that also synchronises.
    FullImportFullSynchronization,
    FullImportDeltaSynchronization,
    DeltaImportDeltaSynchronization,
}

/// How an exported management agent writes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct XmlStep {
    /// `<step-type type="…">`
    pub step_type: &'static str,
    /// The subtype element's name and value, if the step has one.
    pub subtype: Option<(&'static str, &'static str)>,
}

impl StepType {
    pub const ALL: [StepType; 8] = [
        StepType::FullImportStageOnly,
        StepType::DeltaImportStageOnly,
        StepType::FullSynchronization,
        StepType::DeltaSynchronization,
        StepType::Export,
        StepType::FullImportFullSynchronization,
        StepType::FullImportDeltaSynchronization,
        StepType::DeltaImportDeltaSynchronization,
    ];

    /// The label the MIM UI shows.
    pub fn label(self) -> &'static str {
        match self {
            StepType::FullImportStageOnly => "Full Import (Stage Only)",
            StepType::DeltaImportStageOnly => "Delta Import (Stage Only)",
            StepType::FullSynchronization => "Full Synchronization",
            StepType::DeltaSynchronization => "Delta Synchronization",
            StepType::Export => "Export",
            StepType::FullImportFullSynchronization => "Full Import and Full Synchronization",
            StepType::FullImportDeltaSynchronization => "Full Import and Delta Synchronization",
            StepType::DeltaImportDeltaSynchronization => "Delta Import and Delta Synchronization",
        }
    }

    /// Recognise a label, ignoring case and spacing.
    pub fn parse(text: &str) -> Option<StepType> {
        let wanted = normalise(text);
        StepType::ALL
            .into_iter()
            .find(|t| normalise(t.label()) == wanted)
    }

    /// The closest label to `text`, for "did you mean".
    pub fn closest(text: &str) -> Option<StepType> {
        let wanted = normalise(text);
        StepType::ALL
            .into_iter()
            .map(|t| {
                (
                    strsim::normalized_levenshtein(&wanted, &normalise(t.label())),
                    t,
                )
            })
            .filter(|(score, _)| *score >= 0.5)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, t)| t)
    }

    /// How an exported management agent writes this step type.
    pub fn xml(self) -> XmlStep {
        const TO_CS: Option<(&str, &str)> = Some(("import-subtype", "to-cs"));
        match self {
            StepType::FullImportStageOnly => XmlStep {
                step_type: "full-import",
                subtype: TO_CS,
            },
            StepType::DeltaImportStageOnly => XmlStep {
                step_type: "delta-import",
                subtype: TO_CS,
            },
            StepType::FullSynchronization => XmlStep {
                step_type: "apply-rules",
                subtype: Some(("apply-rules-subtype", "reevaluate-flow-connectors")),
            },
            StepType::DeltaSynchronization => XmlStep {
                step_type: "apply-rules",
                subtype: Some(("apply-rules-subtype", "apply-pending")),
            },
            StepType::Export => XmlStep {
                step_type: "export",
                subtype: None,
            },
            StepType::FullImportFullSynchronization => XmlStep {
                step_type: "full-import-reevaluate-rules",
                subtype: None,
            },
            StepType::FullImportDeltaSynchronization => XmlStep {
                step_type: "full-import",
                subtype: None,
            },
            StepType::DeltaImportDeltaSynchronization => XmlStep {
                step_type: "delta-import",
                subtype: None,
            },
        }
    }
}

fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether a run result string means the run finished (possibly with
/// object-level errors or warnings to look at): `success` and `completed-*`.
pub fn run_result_is_success(result: &str) -> bool {
    result == "success" || result.starts_with("completed-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_and_ignore_case_and_spacing() {
        for t in StepType::ALL {
            assert_eq!(StepType::parse(t.label()), Some(t));
        }
        assert_eq!(
            StepType::parse("  full   import (stage only) "),
            Some(StepType::FullImportStageOnly)
        );
        assert_eq!(StepType::parse("Full Import"), None);
    }

    #[test]
    fn closest_suggests_the_near_label() {
        assert_eq!(
            StepType::closest("Full Synchronisation"),
            Some(StepType::FullSynchronization)
        );
        assert_eq!(
            StepType::closest("Delta Import (Stage)"),
            Some(StepType::DeltaImportStageOnly)
        );
        assert_eq!(StepType::closest("Name"), None);
    }

    #[test]
    fn xml_steps_follow_the_export_format() {
        assert_eq!(StepType::FullImportStageOnly.xml().step_type, "full-import");
        assert_eq!(
            StepType::FullImportStageOnly.xml().subtype,
            Some(("import-subtype", "to-cs"))
        );
        assert_eq!(
            StepType::DeltaSynchronization.xml().subtype,
            Some(("apply-rules-subtype", "apply-pending"))
        );
        assert_eq!(StepType::Export.xml().subtype, None);
    }

    #[test]
    fn completed_results_count_as_success() {
        assert!(run_result_is_success("success"));
        assert!(run_result_is_success("completed-export-errors"));
        assert!(!run_result_is_success("stopped-server"));
        assert!(!run_result_is_success("no-start-ma"));
    }
}
