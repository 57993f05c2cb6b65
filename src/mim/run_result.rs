//! What a run profile's result string means for the run cycle, and how a
//! cycle ends. MIM's `Execute` returns one of a fixed set of strings
//! (`success`, `completed-export-errors`, `stopped-connectivity`, …); each
//! maps to one [`Action`]: go on, go on and report, or stop.
//!
//! The mapping follows how MIM treats its own runs: a `completed-…` result
//! means the run finished and its objects were processed (MIM runs the
//! next step of a multi-step profile after `completed-export-errors`), so
//! one bad object must not hold every other object back; the objects in
//! error are reported and looked at. A run that stopped or never started
//! (`stopped-…`, `no-start-…`) did not finish, and a discovery error means
//! the import could not read the connected system as a whole: the cycle
//! stops there, since the next steps would work on a partial picture.

use serde::Serialize;

/// What the cycle does after a run with a given result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Action {
    /// The run finished: go on with the next step.
    Continue,
    /// The run finished, with objects to look at (warnings, errors on
    /// single objects): go on, report the run at the end and end the cycle
    /// with [`CycleExit::Warned`].
    Warn,
    /// The run stopped or never started: the cycle stops
    /// ([`CycleExit::Stopped`]).
    Stop,
}

impl Action {
    /// The word the script's table writes.
    pub fn word(self) -> &'static str {
        match self {
            Action::Continue => "Continue",
            Action::Warn => "Warn",
            Action::Stop => "Stop",
        }
    }
}

/// The result strings that finish a run, with what the cycle does after
/// them. Any other string (`stopped-…`, `no-start-…`, `in-progress`, or
/// one runsheet does not know) is [`Action::Stop`].
pub const FINISHED: &[(&str, Action)] = &[
    ("success", Action::Continue),
    ("completed-no-objects", Action::Continue),
    ("completed-warnings", Action::Warn),
    ("completed-transient-objects", Action::Warn),
    ("completed-sync-errors", Action::Warn),
    ("completed-export-errors", Action::Warn),
    // The import could not read the connected system whole: what follows
    // would be built on a partial picture.
    ("completed-discovery-errors", Action::Stop),
];

/// What the cycle does after a run whose result is `result`.
pub fn action(result: &str) -> Action {
    FINISHED
        .iter()
        .find(|(r, _)| *r == result)
        .map_or(Action::Stop, |(_, a)| *a)
}

/// Whether `result` is a plain success (nothing to look at).
pub fn is_success(result: &str) -> bool {
    matches!(result, "success" | "completed-no-objects")
}

/// How a run cycle ends: its exit code and what it means, in the order of
/// the codes. The script and the scheduling chapter name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CycleExit {
    /// Every run finished with nothing to look at.
    Finished,
    /// A run stopped or did not start; the cycle stopped there.
    Stopped,
    /// The cycle could not start: no access to the Synchronization
    /// Service, an agent missing (or, with `-WhatIf`, a run profile the
    /// server has no record of).
    NotStarted,
    /// Every step ran, but some finished with warnings or errors on
    /// objects.
    Warned,
    /// Another cycle was running: this one did not start.
    Busy,
    /// An export was refused: more deletions were waiting than allowed.
    ExportRefused,
}

impl CycleExit {
    pub const ALL: [CycleExit; 6] = [
        CycleExit::Finished,
        CycleExit::Stopped,
        CycleExit::NotStarted,
        CycleExit::Warned,
        CycleExit::Busy,
        CycleExit::ExportRefused,
    ];

    pub fn code(self) -> u8 {
        match self {
            CycleExit::Finished => 0,
            CycleExit::Stopped => 1,
            CycleExit::NotStarted => 2,
            CycleExit::Warned => 3,
            CycleExit::Busy => 4,
            CycleExit::ExportRefused => 5,
        }
    }

    /// The name the script gives it (`$Exit.Stopped`).
    pub fn name(self) -> &'static str {
        match self {
            CycleExit::Finished => "Finished",
            CycleExit::Stopped => "Stopped",
            CycleExit::NotStarted => "NotStarted",
            CycleExit::Warned => "Warned",
            CycleExit::Busy => "Busy",
            CycleExit::ExportRefused => "ExportRefused",
        }
    }

    /// What it means, for an administrator reading Task Scheduler's last
    /// result.
    pub fn meaning(self) -> &'static str {
        match self {
            CycleExit::Finished => "every run finished with nothing to look at",
            CycleExit::Stopped => "a run stopped or did not start; the cycle stopped there",
            CycleExit::NotStarted => {
                "the cycle could not start: the Synchronization Service could not be reached, or an agent (with -WhatIf, a run profile) was not found"
            }
            CycleExit::Warned => {
                "every step ran, but some runs finished with warnings or errors on objects"
            }
            CycleExit::Busy => "another cycle was running, so this one did not start",
            CycleExit::ExportRefused => {
                "an export was not started: more deletions were waiting than -MaxExportDeletes allows"
            }
        }
    }
}

/// Where the counts of a run are in MIM's run history
/// (`<run-history><run-details><step-details>`): each count the runbook's
/// record asks for, with the counters (paths below `step-details`) it
/// adds up. Imports count what they staged, synchronizations what they
/// projected, provisioned, flowed and removed, exports what they wrote;
/// errors are the entries of the step's error lists.
pub const RUN_COUNTERS: &[(&str, &[&str])] = &[
    (
        "Adds",
        &[
            "staging-counters/stage-add",
            "inbound-flow-counters/disconnector-projected-flow",
            "inbound-flow-counters/disconnector-projected-no-flow",
            "outbound-flow-counters/provisioned-add-flow",
            "outbound-flow-counters/provisioned-add-no-flow",
            "export-counters/export-add",
        ],
    ),
    (
        "Updates",
        &[
            "staging-counters/stage-update",
            "staging-counters/stage-rename",
            "inbound-flow-counters/connector-flow",
            "outbound-flow-counters/connector-flow",
            "export-counters/export-update",
            "export-counters/export-rename",
        ],
    ),
    (
        "Deletes",
        &[
            "staging-counters/stage-delete",
            "inbound-flow-counters/connector-delete-remove-mv",
            "inbound-flow-counters/connector-delete-leave-mv",
            "outbound-flow-counters/provisioned-disconnect",
            "export-counters/export-delete",
        ],
    ),
    (
        "Errors",
        &["ma-discovery-errors/*", "synchronization-errors/*"],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finished_runs_go_on_and_object_errors_are_reported() {
        assert_eq!(action("success"), Action::Continue);
        assert_eq!(action("completed-no-objects"), Action::Continue);
        assert_eq!(action("completed-warnings"), Action::Warn);
        assert_eq!(action("completed-export-errors"), Action::Warn);
        assert_eq!(action("completed-sync-errors"), Action::Warn);
    }

    #[test]
    fn runs_that_did_not_finish_and_discovery_errors_stop() {
        assert_eq!(action("completed-discovery-errors"), Action::Stop);
        assert_eq!(action("stopped-connectivity"), Action::Stop);
        assert_eq!(action("no-start-credentials"), Action::Stop);
        assert_eq!(action("in-progress"), Action::Stop);
        assert_eq!(action("call-failed: access denied"), Action::Stop);
    }

    #[test]
    fn exit_codes_are_distinct_and_in_order() {
        for (i, e) in CycleExit::ALL.iter().enumerate() {
            assert_eq!(usize::from(e.code()), i);
        }
        assert!(is_success("completed-no-objects"));
        assert!(!is_success("completed-warnings"));
    }
}
