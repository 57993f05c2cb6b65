//! What our book renders for the Synchronization Service, read as the
//! server and an administrator read it: every `Invoke-RunCycle.ps1`
//! parses as PowerShell (tree-sitter's grammar, through
//! `scripts/ps-parse`), the script's result table is `mim::run_result`'s,
//! its safeguards are there, and `run-profiles.xml`, cut into one file per
//! agent, is an export `runsheet verify` accepts for the environment.

use crate::common::{TREE_SITTER_POWERSHELL, have_python, runsheet};
use runsheet::mim::run_result::{Action, CycleExit, FINISHED};
use std::path::{Path, PathBuf};

const ENVIRONMENTS: [&str; 3] = ["lab", "prod", "test"];

/// Our book rendered into a temporary folder: `(folder, out)`.
fn rendered() -> (tempfile::TempDir, PathBuf) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    runsheet()
        .args(["render", "--out"])
        .arg(&out)
        .arg(repo)
        .assert()
        .success();
    (dir, out)
}

fn script(out: &Path, env: &str) -> String {
    std::fs::read_to_string(out.join(env).join("Invoke-RunCycle.ps1")).unwrap()
}

/// `scripts/ps-parse` on `files`: its exit code and output.
fn ps_parse(files: &[PathBuf]) -> (i32, String) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("python3")
        .arg(repo.join("scripts/ps-parse"))
        .args(files)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn every_rendered_script_parses_with_no_error_node() {
    if !have_python(
        &["tree_sitter", "tree_sitter_powershell"],
        &TREE_SITTER_POWERSHELL,
    ) {
        return;
    }
    let (_dir, out) = rendered();
    let files: Vec<PathBuf> = ENVIRONMENTS
        .iter()
        .map(|e| out.join(e).join("Invoke-RunCycle.ps1"))
        .collect();
    let (code, printed) = ps_parse(&files);
    assert_eq!(code, 0, "{printed}");
    assert_eq!(printed.matches(": 0 error nodes").count(), 3, "{printed}");

    // The check finds what does not parse: a brace left open.
    let broken = out.join("broken.ps1");
    let text =
        script(&out, "prod").replacen("function Get-RunAction {", "function Get-RunAction {{", 1);
    std::fs::write(&broken, text).unwrap();
    let (code, printed) = ps_parse(&[broken]);
    assert_eq!(code, 1, "{printed}");
    assert!(!printed.contains(": 0 error nodes"), "{printed}");
}

/// The `NAME = @{ … }` table of the script: each line's key and value,
/// unquoted.
fn table<'s>(script: &'s str, name: &str) -> Vec<(&'s str, &'s str)> {
    let start = script
        .find(&format!("\n{name} = "))
        .unwrap_or_else(|| panic!("{name} is in the script"));
    script[start + 1..]
        .lines()
        .skip(1)
        .take_while(|l| l.trim() != "}")
        .filter_map(|l| {
            let (k, v) = l.trim().split_once(" = ")?;
            Some((k.trim_matches('\''), v.trim_matches('\'')))
        })
        .collect()
}

#[test]
fn the_scripts_result_table_is_mim_run_result() {
    let (_dir, out) = rendered();
    for env in ENVIRONMENTS {
        let script = script(&out, env);
        let in_script = table(&script, "$ResultAction");
        let wanted: Vec<(&str, &str)> = FINISHED.iter().map(|(r, a)| (*r, a.word())).collect();
        assert_eq!(in_script, wanted, "{env}");
        // What is not in the table stops the cycle.
        assert!(
            script.contains("    if ($ResultAction.ContainsKey($Result)) {\n        return $ResultAction[$Result]\n    }\n    return 'Stop'\n"),
            "{env}"
        );
        let exits: Vec<(&str, u8)> = table(&script, "$Exit")
            .into_iter()
            .map(|(k, v)| (k, v.parse().unwrap()))
            .collect();
        let wanted: Vec<(&str, u8)> = CycleExit::ALL
            .iter()
            .map(|e| (e.name(), e.code()))
            .collect();
        assert_eq!(exits, wanted, "{env}");
    }
    assert_eq!(
        runsheet::mim::run_result::action("completed-export-errors"),
        Action::Warn
    );
}

#[test]
fn the_script_holds_a_lock_limits_export_deletes_and_maps_export_errors_to_warn() {
    let (_dir, out) = rendered();
    let prod = script(&out, "prod");
    assert!(prod.contains("$LockName = 'Global\\MIM-RunCycle'"));
    assert!(
        prod.contains(
            "New-Object -TypeName System.Threading.Mutex -ArgumentList $false, $LockName"
        )
    );
    assert!(prod.contains("if ($mutex.WaitOne(0)) {"));
    assert!(prod.contains("    $lock.ReleaseMutex()\n"));
    // The limit comes from the environment (the book's default, 25), and is
    // checked with NumExportDelete before each export.
    assert!(prod.contains("    [int] $MaxExportDeletes = 25,\n"));
    assert!(prod.contains("-MethodName NumExportDelete"));
    assert!(prod.contains("    [int] $ClearRunHistoryDays = 30\n"));
    assert!(prod.contains("    [string] $Cycle = 'Scheduled',\n"));
    assert!(table(&prod, "$ResultAction").contains(&("completed-export-errors", "Warn")));
    // -WhatIf ends with the check's code, never 0 after a failure.
    assert!(prod.contains("    exit (Test-Cycle $agents $steps)\n"));
    assert!(prod.contains("        return $Exit.NotStarted\n    }\n    Write-RunLog ('WhatIf:"));
}

/// `run-profiles.xml` cut into one `MA-{GUID}.XML` per agent, as
/// `svrexport.exe` writes them, in `dir`.
fn cut_into_agent_files(xml: &str, dir: &Path) -> usize {
    let mut n = 0;
    let mut rest = xml;
    while let Some(start) = rest.find("<saved-ma-configuration>") {
        let end = rest[start..].find("</saved-ma-configuration>").unwrap() + start;
        let agent = &rest[start..end + "</saved-ma-configuration>".len()];
        let id = agent
            .split("<id>")
            .nth(1)
            .unwrap()
            .split("</id>")
            .next()
            .unwrap();
        std::fs::write(dir.join(format!("MA-{id}.XML")), format!("{agent}\n")).unwrap();
        rest = &rest[end..];
        n += 1;
    }
    n
}

#[test]
fn run_profiles_xml_is_an_export_verify_accepts_with_prods_ou_scope() {
    let (dir, out) = rendered();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let xml = std::fs::read_to_string(out.join("prod/run-profiles.xml")).unwrap();
    let export = dir.path().join("export");
    std::fs::create_dir(&export).unwrap();
    assert_eq!(cut_into_agent_files(&xml, &export), 3);
    // The metaverse as the book sets it: rules provision, and a guest's
    // person goes with its Entra ID connector.
    std::fs::write(
        export.join("MV.XML"),
        "<saved-mv-configuration server='FABMIM01' export-date='2026-03-02 09:41:07.203'>\n<mv-data>\n <provisioning type=\"sync-rule\" />\n <mv-deletion><mv-deletion-rule mv-object-type=\"person\" id=\"{A03669E0-213F-5B7F-8A43-7FD3AFDBF420}\" type=\"declared-any\"><src-ma>{DF449DDF-42D1-5723-AD7B-8D1387653CE5}</src-ma></mv-deletion-rule></mv-deletion>\n</mv-data>\n</saved-mv-configuration>\n",
    )
    .unwrap();
    let verified = runsheet()
        .args(["verify", "--env", "prod"])
        .arg(&export)
        .current_dir(repo)
        .output()
        .unwrap();
    assert_eq!(
        verified.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );

    // Prod's AD partition is scoped to the guest OU, with the object types
    // the agent chapter selects, and lists the forest's other partitions
    // unselected, as a real export of an AD agent does.
    let read = runsheet::mim::export::read(&export, "export").unwrap();
    let ad = read
        .agents
        .iter()
        .find(|a| a.name.as_ref().is_some_and(|n| n.text == "FAB-AD"))
        .unwrap();
    let selected: Vec<_> = ad.partitions.iter().filter(|p| p.is_selected()).collect();
    assert_eq!(selected.len(), 1);
    assert_eq!(selected[0].name(), "DC=corp,DC=fabrikam,DC=com");
    let inclusions: Vec<&str> = selected[0]
        .inclusions
        .as_ref()
        .unwrap()
        .1
        .iter()
        .map(|v| v.text.as_str())
        .collect();
    assert_eq!(inclusions, ["OU=B2B Guests,DC=corp,DC=fabrikam,DC=com"]);
    assert_eq!(ad.partitions.len(), 4);
    assert!(xml.contains("<object-class>organizationalUnit</object-class>"));
}

#[test]
fn custom_data_is_written_per_agent_type_and_step_as_exports_write_it() {
    let (_dir, out) = rendered();
    let xml = std::fs::read_to_string(out.join("prod/run-profiles.xml")).unwrap();
    let read = |dir: &Path| {
        std::fs::create_dir_all(dir).unwrap();
        cut_into_agent_files(&xml, dir);
        runsheet::mim::export::read(dir, "export").unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let export = read(dir.path());
    for agent in &export.agents {
        let category = agent.category.as_ref().unwrap().text.clone();
        for profile in &agent.profiles {
            let step = &profile.steps[0];
            let kinds: Vec<&str> = step
                .limits
                .iter()
                .map(|(k, _)| k.split('/').next().unwrap())
                .collect();
            let syncs = step.step_type.as_ref().unwrap().text == "apply-rules";
            let export_step = step.step_type.as_ref().unwrap().text == "export";
            let wanted: &[&str] = match category.as_str() {
                // Every step of an AD agent, synchronizations too.
                "AD" => &["adma-step-data"; 3],
                "Extensible2" if !syncs => &["extensible2-step-data"; 2],
                "FIM" if export_step => &["fimma-step-data"],
                _ => &[],
            };
            assert_eq!(kinds, wanted, "{category} {}", profile.name());
        }
    }
}
