//! `runsheet verify` as users run it: our book's `lab` environment held to
//! an export made from it (`tests/fixtures/verify-lab`, written for these
//! tests in the shape `svrexport.exe` writes: CRLF, the Graph agent's file
//! in UTF-16), the same export with three drifts, damaged exports, every
//! output format, `--write-env`, and Contoso's real export where
//! `../shared` holds it.

use crate::common::{copy_dir, runsheet, write_files};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A copy of our book with the lab export as `export/`, run from its root
/// so that every path is shown from there.
fn book_with_export() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for f in ["book.toml", "variables.yaml"] {
        std::fs::copy(repo.join(f), dir.path().join(f)).unwrap();
    }
    for d in ["docs", "environments", "templates"] {
        if repo.join(d).is_dir() {
            copy_dir(&repo.join(d), &dir.path().join(d));
        }
    }
    copy_dir(
        &repo.join("tests/fixtures/verify-lab"),
        &dir.path().join("export"),
    );
    dir
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    runsheet().args(args).current_dir(dir).output().unwrap()
}

/// The export file of agent `name`, and its text (decoded).
fn agent_file(dir: &Path, name: &str) -> (PathBuf, String, bool) {
    for entry in std::fs::read_dir(dir.join("export")).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let (text, utf16) = match bytes.strip_prefix(b"\xFF\xFE") {
            Some(rest) => {
                let units: Vec<u16> = rest
                    .chunks(2)
                    .map(|p| u16::from_le_bytes([p[0], p[1]]))
                    .collect();
                (String::from_utf16(&units).unwrap(), true)
            }
            None => (String::from_utf8(bytes).unwrap(), false),
        };
        if text.contains(&format!("<name>{name}</name>")) {
            return (path, text, utf16);
        }
    }
    panic!("no agent {name}")
}

/// Write `text` back as the file was written.
fn write_back(path: &Path, text: &str, utf16: bool) {
    let bytes: Vec<u8> = if utf16 {
        b"\xFF\xFE"
            .iter()
            .copied()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect()
    } else {
        text.as_bytes().to_vec()
    };
    std::fs::write(path, bytes).unwrap();
}

/// The three drifts of the issue: the Graph agent lacks its delta import
/// profile, the AD agent's full synchronization step is a delta sync, the
/// AD partition includes another OU.
fn drift(dir: &Path) {
    let (path, text, utf16) = agent_file(dir, "AADMA");
    let start = text.find(" <run-configuration>\r\n  <id>").unwrap();
    let end = text[start..].find("</run-configuration>\r\n").unwrap()
        + start
        + "</run-configuration>\r\n".len();
    assert!(text[start..end].contains("<name>Delta Import (Stage Only)</name>"));
    write_back(&path, &format!("{}{}", &text[..start], &text[end..]), utf16);

    let (path, text, utf16) = agent_file(dir, "ADMA");
    let at = text.find("<name>Full Synchronization</name>").unwrap();
    let text = format!(
        "{}{}",
        &text[..at],
        text[at..].replacen("reevaluate-flow-connectors", "apply-pending", 1)
    );
    let text = text.replace(
        "OU=AAD Guest Users,DC=contoso,DC=local",
        "OU=Staff,DC=contoso,DC=local",
    );
    write_back(&path, &text, utf16);
}

#[test]
fn an_export_made_from_the_lab_matches_it() {
    let dir = book_with_export();
    let out = run(dir.path(), &["verify", "--env", "lab", "export"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "runsheet verify passed: 0 errors, 0 warnings: environment `lab` against 4 files in export (3 agents and 15 run profiles compared)\n"
    );
}

#[test]
fn three_drifts_are_exactly_three_errors_and_an_extra_agent_is_none() {
    let dir = book_with_export();
    drift(dir.path());
    write_files(
        dir.path(),
        &[(
            "export/MA-{9D8C7B6A-5F4E-4D3C-8B2A-1E0F9D8C7B6A}.XML",
            "<saved-ma-configuration server='MIM3'>\r\n<ma-data>\r\n <name>HR Database</name>\r\n <category>MSSQL</category>\r\n</ma-data>\r\n</saved-ma-configuration>\r\n",
        )],
    );
    let out = run(
        dir.path(),
        &["verify", "--env", "lab", "export", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let shown: Vec<(String, String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["severity"].as_str().unwrap().to_string(),
                d["rule"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let errors: Vec<&(String, String, String)> = shown.iter().filter(|d| d.0 == "error").collect();
    assert_eq!(
        errors,
        [
            &(
                "error".into(),
                "ou-scope-mismatch".into(),
                "partition `DC=CONTOSO,DC=local` of management agent `ADMA` includes `OU=Staff,DC=contoso,DC=local`, where the runbook includes `OU=AAD Guest Users,DC=contoso,DC=local`".into()
            ),
            &(
                "error".into(),
                "run-step-mismatch".into(),
                "run profile `Full Synchronization` of management agent `ADMA` runs Delta Synchronization (apply-rules, apply-pending), where the runbook's runs Full Synchronization (apply-rules, reevaluate-flow-connectors)".into()
            ),
            &(
                "error".into(),
                "run-profile-missing".into(),
                "management agent `AADMA` has no run profile `Delta Import (Stage Only)`".into()
            ),
        ]
    );
    // The agent the environment does not name: a warning, not an error.
    assert_eq!(
        shown.iter().filter(|d| d.0 == "warning").collect::<Vec<_>>(),
        [&(
            "warning".into(),
            "agent-not-in-runbook".into(),
            "management agent `HR Database` (category `MSSQL`) is on the server, but environment `lab` does not name it".into()
        )]
    );
    // Where, and which runbook step made what drifted.
    let out = run(
        dir.path(),
        &["verify", "--env", "lab", "export", "--color", "never"],
    );
    assert_eq!(out.status.code(), Some(1));
    let human = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("verify_three_drifts", human);
}

#[test]
fn the_extra_agent_alone_passes_and_fails_only_with_deny_warnings() {
    let dir = book_with_export();
    write_files(
        dir.path(),
        &[(
            "export/MA-{9D8C7B6A}.XML",
            "<saved-ma-configuration><ma-data><name>HR</name><category>MSSQL</category></ma-data></saved-ma-configuration>",
        )],
    );
    assert_eq!(
        run(dir.path(), &["verify", "--env", "lab", "export"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(
            dir.path(),
            &["verify", "--env", "lab", "export", "--deny", "warnings"]
        )
        .status
        .code(),
        Some(1)
    );
}

#[test]
fn one_agents_file_is_compared_alone() {
    let dir = book_with_export();
    let (path, _, _) = agent_file(dir.path(), "ADMA");
    let file = format!("export/{}", path.file_name().unwrap().to_string_lossy());
    let out = run(dir.path(), &["verify", "--env", "lab", &file]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("against 1 file in export/MA-"),
        "the other agents are not missing"
    );
}

#[test]
fn a_truncated_file_exits_2_naming_it_and_its_line() {
    let dir = book_with_export();
    let (path, text, _) = agent_file(dir.path(), "ADMA");
    let cut = text.find("<ma-run-data>").unwrap();
    std::fs::write(&path, &text[..cut]).unwrap();
    let line = text[..cut].matches('\n').count() + 1;
    let out = run(dir.path(), &["verify", "--env", "lab", "export"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let name = path.file_name().unwrap().to_string_lossy();
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "error: export/{name}:{line}:2: the file ends inside `<ma-data>` (opened at line 10): it is cut short or damaged; export the configuration again\n"
        )
    );
}

#[test]
fn an_entity_bomb_is_refused_without_expanding_it() {
    let dir = book_with_export();
    let (path, text, _) = agent_file(dir.path(), "ADMA");
    let mut bomb = String::from(
        "<?xml version=\"1.0\"?>\r\n<!DOCTYPE saved-ma-configuration [\r\n <!ENTITY lol \"lol\">\r\n",
    );
    for i in 1..=9 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        bomb.push_str(&format!(
            " <!ENTITY lol{i} \"{}\">\r\n",
            format!("&{prev};").repeat(10)
        ));
    }
    bomb.push_str("]>\r\n");
    let text = bomb + &text.replacen("<name>ADMA</name>", "<name>&lol9;</name>", 1);
    std::fs::write(&path, text).unwrap();
    let out = run(dir.path(), &["verify", "--env", "lab", "export"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(":26:8: `&lol9;` refers to an entity XML does not define; entities a DOCTYPE declares are never expanded"),
        "{stderr}"
    );
}

#[test]
fn every_format_reports_the_drift() {
    let dir = book_with_export();
    drift(dir.path());
    let json = |format: &str| -> std::process::Output {
        run(
            dir.path(),
            &["verify", "--env", "lab", "export", "--format", format],
        )
    };
    let sarif: Value = serde_json::from_slice(&json("sarif").stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert_eq!(rules[index]["properties"]["tags"][0], "configuration-drift");
        assert!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .starts_with("export/MA-")
        );
    }
    let github = String::from_utf8(json("github").stdout).unwrap();
    assert_eq!(github.lines().count(), 3);
    assert!(
        github
            .lines()
            .all(|l| l.starts_with("::error file=export/MA-")),
        "{github}"
    );
    let junit = String::from_utf8(json("junit").stdout).unwrap();
    assert!(
        junit.contains("<testsuite name=\"runsheet verify\" tests=\"4\""),
        "{junit}"
    );
    assert!(junit.contains("classname=\"runsheet.verify\""), "{junit}");
    for format in ["json", "sarif", "github", "junit"] {
        assert_eq!(json(format).status.code(), Some(1), "{format}");
    }
}

#[test]
fn write_env_proposes_a_new_environment_and_diffs_an_existing_one() {
    let dir = book_with_export();
    let out = run(dir.path(), &["verify", "--write-env", "staging", "export"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let written = std::fs::read_to_string(dir.path().join("environments/staging.yaml")).unwrap();
    insta::assert_snapshot!("verify_write_env_new", written);
    // The same again: the file exists and says what the export tells.
    let out = run(dir.path(), &["verify", "--write-env", "staging", "export"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    drift(dir.path());
    let out = run(dir.path(), &["verify", "--write-env", "lab", "export"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    insta::assert_snapshot!(
        "verify_write_env_diff",
        String::from_utf8(out.stdout).unwrap()
    );
    // Nothing was written.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("environments/lab.yaml")).unwrap(),
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("environments/lab.yaml")
        )
        .unwrap()
    );
}

#[test]
fn an_environment_the_declarations_refuse_stops_the_verification() {
    let dir = book_with_export();
    let lab = dir.path().join("environments/lab.yaml");
    let text = std::fs::read_to_string(&lab).unwrap();
    std::fs::write(
        &lab,
        text.replace("provisioning: rules", "provisioning: sync-rule"),
    )
    .unwrap();
    let out = run(dir.path(), &["verify", "--env", "lab", "export"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error: environments/lab.yaml:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`metaverse.provisioning` is `sync-rule`"),
        "{stderr}"
    );
}

/// Contoso's export (MIT), where `../shared` holds it: eight agents read,
/// held to an environment of our own that describes two of them.
#[test]
fn contosos_real_export_is_read_and_compared() {
    let contoso = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/mim/exports/contoso-pilot");
    if !contoso.is_dir() {
        eprintln!("skipped: ../shared/mim/exports/contoso-pilot is not here");
        return;
    }
    let export = runsheet::mim::export::read(&contoso, "contoso-pilot").unwrap();
    assert_eq!(export.agents.len(), 8);
    assert_eq!(export.files.len(), 9);
    let ad = export.agents.iter().find(|a| a.category() == "AD").unwrap();
    assert_eq!(ad.name(), "Contoso Active Directory");
    let selected: Vec<&str> = ad
        .partitions
        .iter()
        .filter(|p| p.is_selected())
        .map(|p| p.name())
        .collect();
    assert_eq!(selected, ["DC=contoso,DC=com"]);
    let edids = ad.profiles.iter().find(|p| p.name() == "EDIDS").unwrap();
    assert_eq!(edids.steps.len(), 3);
    assert_eq!(
        ad.partition_name(&edids.steps[0]).as_deref(),
        Some("DC=contoso,DC=com")
    );

    let dir = contoso_book();
    let out = runsheet()
        .args(["verify", "--env", "pilot", "--color", "never"])
        .arg(&contoso)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let human = String::from_utf8(out.stdout).unwrap();
    let human = human
        .replace(&format!("{}/", contoso.display()), "contoso-pilot/")
        .replace(&contoso.display().to_string(), "contoso-pilot");
    assert_eq!(out.status.code(), Some(1), "{human}");
    insta::assert_snapshot!("verify_contoso", human);
}

/// A book of our own for Contoso's pilot server: its AD and FIM Service
/// agents, four run profiles, the OU scope of the domain partition, and
/// the metaverse's provisioning.
pub fn contoso_book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "book.toml",
                "[book]\ntitle = \"Contoso pilot\"\nsrc = \"docs\"\n",
            ),
            (
                "docs/SUMMARY.md",
                "# Summary\n\n- [Run profiles](profiles.md)\n",
            ),
            (
                "docs/profiles.md",
                "# Run profiles\n\nEvery agent has these run profiles:\n\n| Name | Type |\n| --- | --- |\n| Full Import | Full Import (Stage Only) |\n| Delta Import | Delta Import (Stage Only) |\n| FS | Full Synchronization |\n| Export | Export |\n| Delta Sync | Delta Synchronization |\n",
            ),
            (
                "environments/pilot.yaml",
                "description: Contoso's pilot server, as far as this book describes it\nagents:\n  ad:\n    name: Contoso Active Directory\n    type: Active Directory Domain Services\n    partition: DC=contoso,DC=com\n  mim:\n    name: FIM Service\n    type: FIM Service Management Agent\n    partition: default\nvalues:\n  ad:\n    scope:\n      include: [\"DC=contoso,DC=com\"]\n      exclude:\n        - CN=Builtin,DC=contoso,DC=com\n        - CN=Computers,DC=contoso,DC=com\n        - OU=Domain Controllers,DC=contoso,DC=com\n        - CN=Users,DC=contoso,DC=com\n  metaverse:\n    provisioning: rules\n",
            ),
        ],
    );
    dir
}
