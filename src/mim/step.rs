//! Run-profile step types: their labels in the Synchronization Service
//! Manager, how an exported management agent writes them, and what a
//! label that is none of them most likely means.

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
        let wanted = fold_label(text);
        StepType::ALL
            .into_iter()
            .find(|t| fold_label(t.label()) == wanted)
    }

    /// The closest label to `text`, for "did you mean".
    pub fn closest(text: &str) -> Option<StepType> {
        let labels: Vec<String> = StepType::ALL
            .iter()
            .map(|t| fold_label(t.label()))
            .collect();
        let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
        let found = crate::text::suggest::best(&fold_label(text), &refs, 0.5)?;
        StepType::ALL
            .into_iter()
            .zip(&refs)
            .find(|(_, l)| **l == found)
            .map(|(t, _)| t)
    }

    /// The step type a label that is none of them most likely means: the
    /// closest label, else the shortest label that starts with what was
    /// written, so a shortened name is recognised ("Full Import" is "Full
    /// Import (Stage Only)", "Delta Sync" is "Delta Synchronization").
    pub fn likely(written: &str) -> Option<StepType> {
        let squash = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        };
        StepType::closest(written).or_else(|| {
            let wanted = squash(written);
            if wanted.chars().count() < 4 {
                return None;
            }
            StepType::ALL
                .into_iter()
                .filter(|t| squash(t.label()).starts_with(&wanted))
                .min_by_key(|t| t.label().len())
        })
    }

    /// Read a run-profile table's Type cell: the step type, or why it is
    /// none (the one wording a check and a render both use).
    pub fn read(written: &str) -> Result<StepType, UnknownStepType> {
        StepType::parse(written).ok_or_else(|| UnknownStepType {
            likely: StepType::likely(written),
        })
    }

    /// Whether the step reads from the connected system (an import).
    pub fn imports(self) -> bool {
        matches!(
            self.xml().step_type,
            "full-import" | "delta-import" | "full-import-reevaluate-rules"
        )
    }

    /// Whether the step applies the rules to the metaverse (a
    /// synchronization, alone or combined with an import).
    pub fn synchronizes(self) -> bool {
        !matches!(
            self,
            StepType::FullImportStageOnly | StepType::DeltaImportStageOnly | StepType::Export
        )
    }

    /// Whether the step reads or re-evaluates everything (a full import or
    /// a full synchronization), rather than the changes since the last run.
    pub fn is_full(self) -> bool {
        matches!(
            self,
            StepType::FullImportStageOnly
                | StepType::FullSynchronization
                | StepType::FullImportFullSynchronization
                | StepType::FullImportDeltaSynchronization
        )
    }

    /// The step type an exported management agent writes as
    /// `<step-type type="STEP_TYPE">` with the subtype element's value
    /// `subtype` (none for export and the combined types).
    pub fn from_xml(step_type: &str, subtype: Option<&str>) -> Option<StepType> {
        StepType::ALL.into_iter().find(|t| {
            let xml = t.xml();
            xml.step_type == step_type && xml.subtype.map(|(_, v)| v) == subtype
        })
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

/// The limits an Active Directory agent's step reads with when they are
/// left as they are (`<custom-data><adma-step-data>`): the batch size, the
/// page size and the time limit in seconds.
pub const ADMA_STEP_DEFAULTS: [(&str, &str); 3] = [
    ("batch-size", "100"),
    ("page-size", "500"),
    ("time-limit", "120"),
];

/// What an extensible (ECMA2) agent's import and export steps read with
/// when left as they are (`<custom-data><extensible2-step-data>`): the
/// timeout in seconds (0: none) and the batch size.
pub const EXTENSIBLE2_STEP_DEFAULTS: [(&str, &str); 2] = [("timeout", "0"), ("batch-size", "50")];

/// What a MIM Service agent's export step writes
/// (`<custom-data><fimma-step-data>`): the time limit in seconds, 0 as
/// the runbook sets none.
pub const FIMMA_EXPORT_DEFAULTS: [(&str, &str); 1] = [("time-limit", "0")];

/// A label as it is compared: one space between words, lower case.
fn fold_label(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A Type cell that names no step type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownStepType {
    /// What it most likely means ([`StepType::likely`]).
    pub likely: Option<StepType>,
}

impl UnknownStepType {
    /// The finding about run profile `name` of type `written`.
    pub fn message(&self, name: &str, written: &str) -> String {
        format!(
            "run profile `{name}` has type `{written}`, which is not a MIM run-profile step type"
        )
    }

    /// What to write instead.
    pub fn help(&self) -> String {
        match self.likely {
            Some(t) => format!("did you mean `{}`?", t.label()),
            None => format!(
                "the step types are: {}",
                StepType::ALL
                    .iter()
                    .map(|t| t.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
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
    fn exported_steps_read_back_as_their_type() {
        for t in StepType::ALL {
            let xml = t.xml();
            assert_eq!(
                StepType::from_xml(xml.step_type, xml.subtype.map(|(_, v)| v)),
                Some(t)
            );
        }
        assert_eq!(
            StepType::from_xml("apply-rules", Some("apply-pending")),
            Some(StepType::DeltaSynchronization)
        );
        assert_eq!(
            StepType::from_xml("delta-import", None),
            Some(StepType::DeltaImportDeltaSynchronization)
        );
        assert_eq!(StepType::from_xml("apply-rules", None), None);
        assert_eq!(StepType::from_xml("export", Some("to-cs")), None);
    }

    #[test]
    fn shortened_labels_mean_the_shortest_type_they_begin() {
        let label = |s: &str| StepType::likely(s).map(StepType::label);
        assert_eq!(label("Full Import"), Some("Full Import (Stage Only)"));
        assert_eq!(label("Delta Import"), Some("Delta Import (Stage Only)"));
        assert_eq!(label("Full Sync"), Some("Full Synchronization"));
        assert_eq!(label("delta sync"), Some("Delta Synchronization"));
        assert_eq!(label("Full Synchronisation"), Some("Full Synchronization"));
        assert_eq!(label("Ful"), None);
        assert_eq!(label("Name"), None);
    }
}
