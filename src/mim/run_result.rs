//! What a run profile's result string means for the run cycle. MIM's
//! `Execute` returns one of a fixed set of strings (`success`,
//! `completed-export-errors`, `stopped-connectivity`, …); each falls into
//! one class, and the class decides whether the cycle goes on.

use serde::Serialize;

/// What a run's result means for the cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResultClass {
    /// Done: the cycle goes on.
    Success,
    /// Done, with something to look at (warnings, transient objects): the
    /// cycle goes on and the end of the run says so.
    Warning,
    /// The run finished but some objects failed (`completed-*-errors`):
    /// the cycle stops, with its own exit code, since the next step would
    /// build on failed objects.
    Error,
    /// The run stopped or never started (`stopped-*`, `no-start-*`, or a
    /// string runsheet does not know): the cycle stops.
    Stopped,
}

impl ResultClass {
    /// The exit code a run cycle ends with when a run of this class stops
    /// it (0: it does not stop it).
    pub fn exit_code(self) -> u8 {
        match self {
            ResultClass::Success | ResultClass::Warning => 0,
            ResultClass::Error => 3,
            ResultClass::Stopped => 1,
        }
    }
}

/// The result strings that finish a run, with their class. Any other
/// string (`stopped-…`, `no-start-…`, `in-progress`) is
/// [`ResultClass::Stopped`].
pub const FINISHED: &[(&str, ResultClass)] = &[
    ("success", ResultClass::Success),
    ("completed-no-objects", ResultClass::Success),
    ("completed-warnings", ResultClass::Warning),
    ("completed-transient-objects", ResultClass::Warning),
    ("completed-discovery-errors", ResultClass::Error),
    ("completed-sync-errors", ResultClass::Error),
    ("completed-export-errors", ResultClass::Error),
];

/// The class of a result string.
pub fn classify(result: &str) -> ResultClass {
    FINISHED
        .iter()
        .find(|(r, _)| *r == result)
        .map_or(ResultClass::Stopped, |(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_of_result() {
        assert_eq!(classify("success"), ResultClass::Success);
        assert_eq!(classify("completed-no-objects"), ResultClass::Success);
        assert_eq!(classify("completed-warnings"), ResultClass::Warning);
        assert_eq!(classify("completed-export-errors"), ResultClass::Error);
        assert_eq!(classify("stopped-connectivity"), ResultClass::Stopped);
        assert_eq!(classify("no-start-credentials"), ResultClass::Stopped);
        assert_eq!(classify("in-progress"), ResultClass::Stopped);
        assert_eq!(classify("call-failed: access denied"), ResultClass::Stopped);
        assert_eq!(ResultClass::Error.exit_code(), 3);
        assert_eq!(ResultClass::Stopped.exit_code(), 1);
    }
}
