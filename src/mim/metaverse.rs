//! The metaverse's settings an export's `MV.XML` holds and an environment
//! can require: how objects are provisioned (`<provisioning type="…">`)
//! and when a metaverse object is deleted (`<mv-deletion-rule type="…">`).
//! Each has the word an environment writes and the value MIM writes.

use serde::Serialize;

/// What provisions objects into connected systems (Tools > Options).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Provisioning {
    /// Neither.
    None,
    /// Synchronization rule provisioning (the MIM portal's rules).
    Rules,
    /// The provisioning rules extension (a DLL).
    Extension,
    /// Both.
    Both,
}

impl Provisioning {
    pub const ALL: [Provisioning; 4] = [
        Provisioning::None,
        Provisioning::Rules,
        Provisioning::Extension,
        Provisioning::Both,
    ];

    /// The word an environment writes (`rules`).
    pub fn word(self) -> &'static str {
        match self {
            Provisioning::None => "none",
            Provisioning::Rules => "rules",
            Provisioning::Extension => "extension",
            Provisioning::Both => "both",
        }
    }

    /// `<provisioning type="…">` in `MV.XML`.
    pub fn xml(self) -> &'static str {
        match self {
            Provisioning::None => "none",
            Provisioning::Rules => "sync-rule",
            Provisioning::Extension => "scripted",
            Provisioning::Both => "both",
        }
    }

    /// What the Options dialog shows, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Provisioning::None => "no provisioning",
            Provisioning::Rules => "synchronization rule provisioning",
            Provisioning::Extension => "the provisioning rules extension",
            Provisioning::Both => {
                "both synchronization rule provisioning and the provisioning rules extension"
            }
        }
    }

    pub fn from_word(word: &str) -> Option<Provisioning> {
        Provisioning::ALL.into_iter().find(|p| p.word() == word)
    }

    pub fn from_xml(value: &str) -> Option<Provisioning> {
        Provisioning::ALL.into_iter().find(|p| p.xml() == value)
    }
}

/// When a metaverse object of a type is deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DeletionRule {
    /// When its last connector is disconnected (MIM's default).
    LastConnector,
    /// When a connector from any of the listed agents is disconnected.
    AnyConnector,
    /// The metaverse rules extension decides.
    Extension,
}

impl DeletionRule {
    pub const ALL: [DeletionRule; 3] = [
        DeletionRule::LastConnector,
        DeletionRule::AnyConnector,
        DeletionRule::Extension,
    ];

    /// The word an environment writes (`last-connector`).
    pub fn word(self) -> &'static str {
        match self {
            DeletionRule::LastConnector => "last-connector",
            DeletionRule::AnyConnector => "any-connector",
            DeletionRule::Extension => "extension",
        }
    }

    /// `<mv-deletion-rule type="…">` in `MV.XML`.
    pub fn xml(self) -> &'static str {
        match self {
            DeletionRule::LastConnector => "declared-last",
            DeletionRule::AnyConnector => "declared-any",
            DeletionRule::Extension => "scripted",
        }
    }

    /// What the Configure Object Deletion Rule dialog offers, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            DeletionRule::LastConnector => "delete it when its last connector is disconnected",
            DeletionRule::AnyConnector => {
                "delete it when a connector from any of the listed agents is disconnected"
            }
            DeletionRule::Extension => "the rules extension decides",
        }
    }

    pub fn from_word(word: &str) -> Option<DeletionRule> {
        DeletionRule::ALL.into_iter().find(|p| p.word() == word)
    }

    pub fn from_xml(value: &str) -> Option<DeletionRule> {
        DeletionRule::ALL.into_iter().find(|p| p.xml() == value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_xml_values_read_back() {
        for p in Provisioning::ALL {
            assert_eq!(Provisioning::from_word(p.word()), Some(p));
            assert_eq!(Provisioning::from_xml(p.xml()), Some(p));
        }
        for d in DeletionRule::ALL {
            assert_eq!(DeletionRule::from_word(d.word()), Some(d));
            assert_eq!(DeletionRule::from_xml(d.xml()), Some(d));
        }
        assert_eq!(
            Provisioning::from_xml("sync-rule"),
            Some(Provisioning::Rules)
        );
        assert_eq!(Provisioning::from_word("sync-rule"), None);
        assert_eq!(
            DeletionRule::from_xml("declared-any"),
            Some(DeletionRule::AnyConnector)
        );
    }
}
