//! `provisioning-mismatch`: the metaverse of the export provisions
//! otherwise than the environment requires (`metaverse.provisioning`).

use crate::check::export::ExportContext;
use crate::check::rules::example::{
    BOOK_TOML, PROFILES_CHAPTER, PROFILES_SUMMARY, adma_as_required,
};
use crate::check::rules::{Example::Export, File::Text};
use crate::check::{Check, Diagnostic, RuleId};
use crate::mim::metaverse::Provisioning;

/// [`crate::check::rules::example::LAB_AD`] requiring synchronization
/// rule provisioning.
const LAB_RULES: crate::check::rules::File = Text(
    "environments/lab.yaml",
    "agents:\n  ad:\n    name: ADMA\n    type: Active Directory Domain Services\n    partition: DC=contoso,DC=local\nvalues:\n  ad:\n    scope:\n      include: [\"OU=Guests,DC=contoso,DC=local\"]\n  metaverse:\n    provisioning: rules\n",
);

declare_rule! {
    /// The export's metaverse (`MV.XML`) provisions otherwise than the environment's `metaverse.provisioning` says (`rules`, `extension`, `both` or `none`), or a whole export has no `MV.XML` to say.
    ProvisioningMismatch {
        id: "provisioning-mismatch",
        default: Error,
        command: Verify,
        fails: Export(&[
            BOOK_TOML,
            PROFILES_SUMMARY,
            PROFILES_CHAPTER,
            LAB_RULES,
            Text("export/MA-{5B0D2A55-6E4B-4C55-9C44-8A1D5E0C1F01}.XML", adma_as_required!()),
            Text(
                "export/MV.XML",
                "<saved-mv-configuration server='MIM01' export-date='2026-03-02 09:15:00.000'>\n<mv-data>\n <format-version>1</format-version>\n <provisioning type=\"scripted\" />\n</mv-data>\n</saved-mv-configuration>\n",
            ),
        ]),
        passes: Export(&[
            BOOK_TOML,
            PROFILES_SUMMARY,
            PROFILES_CHAPTER,
            LAB_RULES,
            Text("export/MA-{5B0D2A55-6E4B-4C55-9C44-8A1D5E0C1F01}.XML", adma_as_required!()),
            Text(
                "export/MV.XML",
                "<saved-mv-configuration server='MIM01' export-date='2026-03-02 09:15:00.000'>\n<mv-data>\n <format-version>1</format-version>\n <provisioning type=\"sync-rule\" />\n</mv-data>\n</saved-mv-configuration>\n",
            ),
        ]),
    }
}

impl Check for ProvisioningMismatch {
    fn export(&self, cx: &ExportContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(wanted) = &cx.expected.provisioning else {
            return;
        };
        let help = format!(
            "the environment sets `metaverse.provisioning` at {}:{}; Synchronization Service Manager sets it in Tools > Options",
            wanted.at.file, wanted.at.line
        );
        let Some(mv) = &cx.export.metaverse else {
            if cx.export.whole {
                out.push(
                    cx.at_place(
                        RuleId::ProvisioningMismatch,
                        &wanted.at,
                        format!(
                            "the export has no MV.XML, so the server's provisioning cannot be held to `{}`",
                            wanted.value.word()
                        ),
                    )
                    .help("export the whole configuration with `svrexport.exe`, which writes MV.XML beside the agents' files"),
                );
            }
            return;
        };
        let (found, at) = match &mv.provisioning {
            Some(v) => (Provisioning::from_xml(&v.text), v.at),
            None => (Some(Provisioning::None), mv.at),
        };
        if found == Some(wanted.value) {
            return;
        }
        let shown = match (&mv.provisioning, found) {
            (Some(v), Some(p)) => format!("{} (`{}`)", p.describe(), v.text),
            (Some(v), None) => format!("`{}`, which is no provisioning type", v.text),
            (None, _) => "no provisioning".to_string(),
        };
        out.push(
            cx.in_export(
                RuleId::ProvisioningMismatch,
                &mv.file,
                at,
                format!(
                    "the metaverse is set to {shown}, where the runbook sets {} (`{}`)",
                    wanted.value.describe(),
                    wanted.value.word()
                ),
            )
            .help(help),
        );
    }
}
