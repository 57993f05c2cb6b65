//! The rules of `runsheet verify`: an export the rule reports (where, and
//! what it says), and the same export as the runbook requires it, which
//! passes with no finding at all. Each case is a small book with an
//! environment `lab` and an export written beside it, verified through the
//! library.

use super::{all, found};
use crate::common::write_files;
use runsheet::check::Diagnostic;

/// The book of every case: a run-profile table of two profiles.
const BOOK: &[(&str, &str)] = &[
    ("book.toml", "[book]\ntitle = \"Guide\"\nsrc = \"src\"\n"),
    (
        "src/SUMMARY.md",
        "# Summary\n\n- [Create the agent](agent.md)\n- [Run profiles](profiles.md)\n",
    ),
    (
        "src/agent.md",
        "# Create the agent\n\n1. Choose **Active Directory Domain Services** as the type and enter `{{ agents.ad.name }}` as the name.\n2. Select the partition `{{ agents.ad.partition }}` and tick only the guest OU.\n",
    ),
    (
        "src/profiles.md",
        "# Run profiles\n\nCreate these on each agent:\n\n| Name | Type |\n| --- | --- |\n| Full Synchronization | Full Synchronization |\n| Export | Export |\n",
    ),
];

/// The environment: one AD agent scoped to the guest OU, synchronization
/// rule provisioning, MIM's default deletion rule for `person`.
const LAB: &str = "agents:\n  ad:\n    name: ADMA\n    type: Active Directory Domain Services\n    partition: DC=contoso,DC=local\nvalues:\n  ad:\n    scope:\n      include: [\"OU=Guests,DC=contoso,DC=local\"]\n  metaverse:\n    provisioning: rules\n    deletion:\n      person: last-connector\n";

const PARTITION: &str = "{8F3B1C2D-4E5F-4A6B-8C7D-9E0F1A2B3C4D}";

/// One `<run-configuration>`.
fn profile(name: &str, step: &str, threshold: &str) -> String {
    format!(
        " <run-configuration>\n  <id>{{2C6A8E14-3B5D-4F7A-9C1E-0D2F4A6B8C0E}}</id>\n  <name>{name}</name>\n  <configuration>{step}</configuration>\n </run-configuration>\n"
    )
    .replace("THRESHOLD", threshold)
}

/// One `<step>` against `partition`.
fn step(step_type: &str, subtype: &str, partition: &str) -> String {
    format!(
        "<step><step-type type=\"{step_type}\">{subtype}</step-type><threshold>THRESHOLD</threshold><partition>{partition}</partition><custom-data><adma-step-data><batch-size>100</batch-size><page-size>500</page-size><time-limit>120</time-limit></adma-step-data></custom-data></step>"
    )
}

const FULL_SYNC: &str = "<apply-rules-subtype>reevaluate-flow-connectors</apply-rules-subtype>";

/// ADMA's parts, as the runbook requires them unless changed.
#[derive(Clone)]
struct Adma {
    name: &'static str,
    category: &'static str,
    selected: &'static str,
    partitions_after: String,
    containers: String,
    profiles: String,
}

impl Adma {
    fn required() -> Adma {
        Adma {
            name: "ADMA",
            category: "AD",
            selected: "1",
            partitions_after: String::new(),
            containers: "<exclusions/><inclusions><inclusion>OU=Guests,DC=contoso,DC=local</inclusion></inclusions>".into(),
            profiles: profile("Export", &step("export", "", PARTITION), "<batch-size>1</batch-size>")
                + &profile(
                    "Full Synchronization",
                    &step("apply-rules", FULL_SYNC, PARTITION),
                    "<batch-size>1</batch-size>",
                ),
        }
    }

    fn xml(&self) -> String {
        format!(
            "<saved-ma-configuration server='MIM01' export-date='2026-03-02 09:15:00.000'>\n<ma-data>\n <id>{{5B0D2A55-6E4B-4C55-9C44-8A1D5E0C1F01}}</id>\n <name>{}</name>\n <category>{}</category>\n <ma-partition-data>\n <partition>\n  <id>{PARTITION}</id>\n  <name>DC=contoso,DC=local</name>\n  <selected>{}</selected>\n  <filter><containers>{}</containers></filter>\n </partition>\n{} </ma-partition-data>\n <ma-run-data>\n{} </ma-run-data>\n</ma-data>\n</saved-ma-configuration>\n",
            self.name,
            self.category,
            self.selected,
            self.containers,
            self.partitions_after,
            self.profiles
        )
    }
}

fn mv(provisioning: &str, person: &str) -> String {
    format!(
        "<saved-mv-configuration server='MIM01' export-date='2026-03-02'>\n<mv-data>\n <provisioning type=\"{provisioning}\" />\n <mv-deletion><mv-deletion-rule mv-object-type=\"person\" id=\"{{1}}\" type=\"{person}\" /></mv-deletion>\n</mv-data>\n</saved-mv-configuration>\n"
    )
}

/// Verify `export` (its files, under `export/`) against `lab` (`env`).
fn verify_with(env: &str, export: &[(&str, String)]) -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), BOOK);
    write_files(dir.path(), &[("environments/lab.yaml", env)]);
    for (name, text) in export {
        write_files(dir.path(), &[(&format!("export/{name}"), text.as_str())]);
    }
    let export = dir.path().join("export");
    let verified = runsheet::verify::run(&runsheet::verify::VerifyRequest {
        book: dir.path(),
        environment: "lab",
        sets: &[],
        export: &export,
    })
    .unwrap_or_else(|e| panic!("{e:?}"));
    let prefix = format!("{}/", dir.path().display());
    verified
        .diagnostics
        .into_iter()
        .map(|mut d| {
            d.file = d.file.trim_start_matches(&prefix).to_string();
            d.help = d.help.map(|h| h.replace(&prefix, ""));
            d
        })
        .collect()
}

fn verify(adma: &Adma, mv_xml: String) -> Vec<Diagnostic> {
    verify_with(
        LAB,
        &[("MA-{5B0D2A55}.XML", adma.xml()), ("MV.XML", mv_xml)],
    )
}

fn clean() -> String {
    mv("sync-rule", "declared-last")
}

const MA: &str = "export/MA-{5B0D2A55}.XML";

#[test]
fn the_export_as_the_runbook_requires_it_passes() {
    assert_eq!(all(&verify(&Adma::required(), clean())), []);
}

#[test]
fn agent_missing() {
    let env = LAB.replace(
        "agents:\n",
        "agents:\n  mim:\n    name: MIMMA\n    type: FIM Service Management Agent\n    partition: default\n",
    );
    let d = verify_with(
        &env,
        &[
            ("MA-{5B0D2A55}.XML", Adma::required().xml()),
            ("MV.XML", clean()),
        ],
    );
    assert_eq!(
        found(&d, "agent-missing"),
        [(
            "environments/lab.yaml",
            3,
            11,
            "management agent `MIMMA` (FIM Service Management Agent) is not in the export of the server"
        )]
    );
    // A renamed agent is suggested.
    let renamed = Adma {
        name: "ADMA2",
        ..Adma::required()
    };
    let d = verify(&renamed, clean());
    assert_eq!(
        found(&d, "agent-missing"),
        [(
            "environments/lab.yaml",
            3,
            11,
            "management agent `ADMA` (Active Directory Domain Services) is not in the export of the server (the export has `ADMA2`: is it this one, renamed?)"
        )]
    );
    assert_eq!(
        d.iter()
            .find(|d| d.rule == "agent-missing")
            .unwrap()
            .help
            .as_deref(),
        Some(
            "the runbook creates it at step `agent.choose-active-directory` (src/agent.md:3); create it as the runbook says, or correct `agents.ad.name` if the server names it otherwise"
        )
    );
}

#[test]
fn agents_are_matched_without_regard_to_case() {
    let lower = Adma {
        name: "adma",
        ..Adma::required()
    };
    assert_eq!(all(&verify(&lower, clean())), []);
}

#[test]
fn agent_type_mismatch() {
    let adam = Adma {
        category: "ADAM",
        ..Adma::required()
    };
    assert_eq!(
        found(&verify(&adam, clean()), "agent-type-mismatch"),
        [(
            MA,
            5,
            2,
            "management agent `ADMA` is of category `ADAM` on the server, where the runbook creates an agent of type Active Directory Domain Services (category `AD`)"
        )]
    );
}

#[test]
fn partition_not_selected() {
    let cleared = Adma {
        selected: "0",
        ..Adma::required()
    };
    assert_eq!(
        found(&verify(&cleared, clean()), "partition-not-selected"),
        [(
            MA,
            10,
            3,
            "partition `DC=contoso,DC=local` of management agent `ADMA` is not selected, where the runbook's run profiles run against it"
        )]
    );
}

#[test]
fn partition_unexpected() {
    let more = Adma {
        partitions_after: " <partition>\n  <id>{0E1D2C3B-4A59-4876-9A5B-C4D3E2F1A0B9}</id>\n  <name>DC=ForestDnsZones,DC=contoso,DC=local</name>\n  <selected>1</selected>\n </partition>\n".into(),
        ..Adma::required()
    };
    assert_eq!(
        found(&verify(&more, clean()), "partition-unexpected"),
        [(
            MA,
            15,
            3,
            "partition `DC=ForestDnsZones,DC=contoso,DC=local` of management agent `ADMA` is selected, where the runbook selects only `DC=contoso,DC=local`"
        )]
    );
}

#[test]
fn ou_scope_mismatch() {
    let other = Adma {
        containers: "<exclusions><exclusion>OU=Old,OU=Guests,DC=contoso,DC=local</exclusion></exclusions><inclusions><inclusion>OU=Staff,DC=contoso,DC=local</inclusion><inclusion>ou=guests, dc=contoso,dc=local</inclusion></inclusions>".into(),
        ..Adma::required()
    };
    assert_eq!(
        found(&verify(&other, clean()), "ou-scope-mismatch"),
        [
            (
                MA,
                11,
                23,
                "partition `DC=contoso,DC=local` of management agent `ADMA` excludes `OU=Old,OU=Guests,DC=contoso,DC=local`, where the runbook excludes no container"
            ),
            (
                MA,
                11,
                107,
                "partition `DC=contoso,DC=local` of management agent `ADMA` includes 2 containers: `OU=Staff,DC=contoso,DC=local`, `ou=guests, dc=contoso,dc=local`, where the runbook includes `OU=Guests,DC=contoso,DC=local`"
            ),
        ]
    );
    // Containers compare as Active Directory compares names.
    let same = Adma {
        containers: "<exclusions/><inclusions><inclusion>ou=guests, DC=CONTOSO,dc=local</inclusion></inclusions>".into(),
        ..Adma::required()
    };
    assert_eq!(all(&verify(&same, clean())), []);
}

#[test]
fn run_profile_missing() {
    let renamed = Adma {
        profiles: profile("Export", &step("export", "", PARTITION), "")
            + &profile(
                "Full Synchronisation",
                &step("apply-rules", FULL_SYNC, PARTITION),
                "",
            ),
        ..Adma::required()
    };
    assert_eq!(
        found(&verify(&renamed, clean()), "run-profile-missing"),
        [(
            MA,
            4,
            2,
            "management agent `ADMA` has no run profile `Full Synchronization` (it has `Full Synchronisation`: is it this one, renamed?)"
        )]
    );
}

#[test]
fn run_step_mismatch() {
    let steps = Adma {
        profiles: profile(
            "Export",
            &(step("export", "", PARTITION)
                + &step(
                    "delta-import",
                    "<import-subtype>to-cs</import-subtype>",
                    PARTITION,
                )),
            "",
        ) + &profile(
            "FULL SYNCHRONIZATION",
            &step(
                "apply-rules",
                "<apply-rules-subtype>apply-pending</apply-rules-subtype>",
                PARTITION,
            ),
            "",
        ),
        ..Adma::required()
    };
    assert_eq!(
        found(&verify(&steps, clean()), "run-step-mismatch"),
        [
            (
                MA,
                17,
                3,
                "run profile `Export` of management agent `ADMA` has 2 steps, where the runbook's has 1: Export (export)"
            ),
            (
                MA,
                23,
                24,
                "run profile `FULL SYNCHRONIZATION` of management agent `ADMA` runs Delta Synchronization (apply-rules, apply-pending), where the runbook's runs Full Synchronization (apply-rules, reevaluate-flow-connectors)"
            ),
        ]
    );
    let elsewhere = Adma {
        profiles: profile(
            "Export",
            &step("export", "", "{0E1D2C3B-4A59-4876-9A5B-C4D3E2F1A0B9}"),
            "",
        ) + &profile(
            "Full Synchronization",
            &step("apply-rules", FULL_SYNC, PARTITION),
            "",
        ),
        ..Adma::required()
    };
    assert_eq!(
        found(&verify(&elsewhere, clean()), "run-step-mismatch"),
        [(
            MA,
            18,
            84,
            "run profile `Export` of management agent `ADMA` runs against partition `{0E1D2C3B-4A59-4876-9A5B-C4D3E2F1A0B9}`, which the agent does not have, where the runbook's runs against `DC=contoso,DC=local`"
        )]
    );
}

#[test]
fn run_step_limit() {
    let limited = Adma {
        profiles: profile(
            "Export",
            &step("export", "", PARTITION),
            "<object>500</object><batch-size>1</batch-size><delete>10</delete>",
        ) + &profile(
            "Full Synchronization",
            &step("apply-rules", FULL_SYNC, PARTITION).replace("<page-size>500", "<page-size>1000"),
            "<batch-size>1</batch-size>",
        ),
        ..Adma::required()
    };
    let d = verify(&limited, clean());
    assert_eq!(
        found(&d, "run-step-limit"),
        [
            (
                MA,
                18,
                72,
                "run profile `Export` of management agent `ADMA` stops after 500 objects, a threshold the runbook does not set"
            ),
            (
                MA,
                18,
                118,
                "run profile `Export` of management agent `ADMA` stops after 10 deletions, a threshold the runbook does not set"
            ),
            (
                MA,
                23,
                302,
                "run profile `Full Synchronization` of management agent `ADMA` has a page size of 1000, where MIM's default, which the runbook keeps, is 500"
            ),
        ]
    );
    assert!(
        d.iter()
            .all(|d| d.severity == runsheet::check::Severity::Warning)
    );
}

#[test]
fn provisioning_mismatch() {
    let d = verify(&Adma::required(), mv("both", "declared-last"));
    assert_eq!(
        found(&d, "provisioning-mismatch"),
        [(
            "export/MV.XML",
            3,
            2,
            "the metaverse is set to both synchronization rule provisioning and the provisioning rules extension (`both`), where the runbook sets synchronization rule provisioning (`rules`)"
        )]
    );
    // A whole export without MV.XML cannot say.
    let d = verify_with(LAB, &[("MA-{5B0D2A55}.XML", Adma::required().xml())]);
    assert_eq!(
        found(&d, "provisioning-mismatch"),
        [(
            "environments/lab.yaml",
            11,
            19,
            "the export has no MV.XML, so the server's provisioning cannot be held to `rules`"
        )]
    );
}

#[test]
fn deletion_rule_mismatch() {
    let d = verify(&Adma::required(), mv("sync-rule", "scripted"));
    assert_eq!(
        found(&d, "deletion-rule-mismatch"),
        [(
            "export/MV.XML",
            4,
            15,
            "the metaverse's deletion rule for `person` is: the rules extension decides (`scripted`); the runbook's is: delete it when its last connector is disconnected (`last-connector`)"
        )]
    );
    // No rule for the type is MIM's default.
    let no_rule = "<saved-mv-configuration><mv-data><provisioning type=\"sync-rule\"/></mv-data></saved-mv-configuration>".to_string();
    assert_eq!(all(&verify(&Adma::required(), no_rule)), []);
}

#[test]
fn agent_not_in_runbook() {
    let hr = "<saved-ma-configuration>\n<ma-data>\n <name>HR</name>\n <category>MSSQL</category>\n</ma-data>\n</saved-ma-configuration>\n";
    let d = verify_with(
        LAB,
        &[
            ("MA-{5B0D2A55}.XML", Adma::required().xml()),
            ("MA-{9D8C7B6A}.XML", hr.to_string()),
            ("MV.XML", clean()),
        ],
    );
    assert_eq!(
        found(&d, "agent-not-in-runbook"),
        [(
            "export/MA-{9D8C7B6A}.XML",
            3,
            2,
            "management agent `HR` (category `MSSQL`) is on the server, but environment `lab` does not name it"
        )]
    );
    assert_eq!(d.len(), 1, "a warning, nothing else: {d:#?}");
    assert_eq!(d[0].severity, runsheet::check::Severity::Warning);
}
