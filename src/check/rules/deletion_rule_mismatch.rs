//! `deletion-rule-mismatch`: the object deletion rule of a metaverse
//! object type in the export is not the one the environment requires
//! (`metaverse.deletion.TYPE`).

use crate::check::export::ExportContext;
use crate::check::rules::example::{
    BOOK_TOML, PROFILES_CHAPTER, PROFILES_SUMMARY, adma_as_required,
};
use crate::check::rules::{Example::Export, File::Text};
use crate::check::{Check, Diagnostic, RuleId};
use crate::mim::metaverse::DeletionRule;

/// [`crate::check::rules::example::LAB_AD`] keeping MIM's default
/// deletion rule for `person`.
const LAB_PERSON: crate::check::rules::File = Text(
    "environments/lab.yaml",
    "agents:\n  ad:\n    name: ADMA\n    type: Active Directory Domain Services\n    partition: DC=contoso,DC=local\nvalues:\n  ad:\n    scope:\n      include: [\"OU=Guests,DC=contoso,DC=local\"]\n  metaverse:\n    deletion:\n      person: last-connector\n",
);

declare_rule! {
    /// The export's metaverse (`MV.XML`) deletes objects of a type otherwise than the environment's `metaverse.deletion.TYPE` says (`last-connector`, MIM's default when `MV.XML` has no rule for the type; `any-connector`; `extension`).
    DeletionRuleMismatch {
        id: "deletion-rule-mismatch",
        default: Error,
        command: Verify,
        fails: Export(&[
            BOOK_TOML,
            PROFILES_SUMMARY,
            PROFILES_CHAPTER,
            LAB_PERSON,
            Text("export/MA-{5B0D2A55-6E4B-4C55-9C44-8A1D5E0C1F01}.XML", adma_as_required!()),
            Text(
                "export/MV.XML",
                "<saved-mv-configuration server='MIM01' export-date='2026-03-02 09:15:00.000'>\n<mv-data>\n <format-version>1</format-version>\n <mv-deletion><mv-deletion-rule mv-object-type=\"person\" id=\"{7A1C3E5B-9D2F-4B6A-8C0E-1F3A5B7C9D2E}\" type=\"declared-any\"><src-ma>{5B0D2A55-6E4B-4C55-9C44-8A1D5E0C1F01}</src-ma></mv-deletion-rule></mv-deletion>\n</mv-data>\n</saved-mv-configuration>\n",
            ),
        ]),
        passes: Export(&[
            BOOK_TOML,
            PROFILES_SUMMARY,
            PROFILES_CHAPTER,
            LAB_PERSON,
            Text("export/MA-{5B0D2A55-6E4B-4C55-9C44-8A1D5E0C1F01}.XML", adma_as_required!()),
            Text(
                "export/MV.XML",
                "<saved-mv-configuration server='MIM01' export-date='2026-03-02 09:15:00.000'>\n<mv-data>\n <format-version>1</format-version>\n <mv-deletion><mv-deletion-rule mv-object-type=\"person\" id=\"{7A1C3E5B-9D2F-4B6A-8C0E-1F3A5B7C9D2E}\" type=\"declared-last\" /></mv-deletion>\n</mv-data>\n</saved-mv-configuration>\n",
            ),
        ]),
    }
}

impl Check for DeletionRuleMismatch {
    fn export(&self, cx: &ExportContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(mv) = &cx.export.metaverse else {
            // provisioning-mismatch, where it is required, says MV.XML is missing.
            return;
        };
        for (object_type, wanted) in &cx.expected.deletion_rules {
            let rule = mv
                .deletion_rules
                .iter()
                .find(|r| r.object_type == *object_type);
            let (found, at, written) = match rule {
                Some(r) => (DeletionRule::from_xml(&r.kind), r.at, r.kind.as_str()),
                None => (Some(DeletionRule::LastConnector), mv.at, "none"),
            };
            if found == Some(wanted.value) {
                continue;
            }
            let shown = match found {
                Some(d) => format!("{} (`{written}`)", d.describe()),
                None => format!("`{written}`, which is no deletion rule"),
            };
            out.push(
                cx.in_export(
                    RuleId::DeletionRuleMismatch,
                    &mv.file,
                    at,
                    format!(
                        "the metaverse's deletion rule for `{object_type}` is: {shown}; the runbook's is: {} (`{}`)",
                        wanted.value.describe(),
                        wanted.value.word()
                    ),
                )
                .help(format!(
                    "the environment sets `metaverse.deletion.{object_type}` at {}:{}; Metaverse Designer sets it with Configure Object Deletion Rule",
                    wanted.at.file, wanted.at.line
                )),
            );
        }
    }
}
