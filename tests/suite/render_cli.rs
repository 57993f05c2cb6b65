//! `runsheet render` from the command line on a copy of the fixture book:
//! layering, --set, --explain, paths through the book, failures that write
//! nothing, --check, template overrides, determinism and the schema.

use crate::common::{copy_dir, runsheet, write_files};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

const FIXTURE: &str = "tests/fixtures/render-book";
const OVERRIDE: &str = "tests/fixtures/render-override/templates";

/// A fresh copy of the fixture book.
fn book() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    copy_dir(Path::new(FIXTURE), &book);
    (dir, book)
}

/// Run `runsheet ARGS BOOK`: it must exit with `code` and say each of
/// `messages` on standard error.
fn fails(book: &Path, args: &[&str], code: i32, messages: &[&str]) {
    let mut run = runsheet().args(args).arg(book).assert().code(code);
    for m in messages {
        run = run.stderr(predicate::str::contains(*m));
    }
}

/// `runsheet render BOOK --env lab --out OUT ARGS`, not yet run.
fn render_lab(book: &Path, out: &Path, args: &[&str]) -> assert_cmd::Command {
    let mut command = runsheet();
    command
        .arg("render")
        .arg(book)
        .args(["--env", "lab", "--out"])
        .arg(out)
        .args(args);
    command
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir(dir) {
        out.push(
            entry
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/"),
        );
    }
    out.sort();
    out
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn every_environment_gets_the_six_files() {
    let (_d, book) = book();
    runsheet()
        .arg("render")
        .arg(&book)
        .assert()
        .success()
        .stderr(predicate::str::contains("rendered lab, prod, test"));
    let six = [
        "Invoke-RunCycle.ps1",
        "manifest.yaml",
        "run-profiles.xml",
        "runbook.csv",
        "runbook.html",
        "runbook.md",
    ];
    // Beside them, the record of the files a render wrote.
    let expected: Vec<String> = std::iter::once(".runsheet-rendered".to_string())
        .chain(
            ["lab", "prod", "test"]
                .iter()
                .flat_map(|env| six.iter().map(move |f| format!("{env}/{f}"))),
        )
        .collect();
    assert_eq!(files(&book.join("out")), expected);
}

#[test]
fn layers_merge_maps_and_replace_scalars_and_lists() {
    let (_d, book) = book();
    runsheet()
        .args(["render", "--env", "prod"])
        .arg(&book)
        .assert()
        .success();
    let md = read(&book.join("out/prod/runbook.md"));
    // Overridden in prod.yaml.
    assert!(
        md.contains("| `ad.domain` | `corp.widgets.example` | environments/prod.yaml:7 |"),
        "{md}"
    );
    // Inherited from _widgets.yaml, beside the overridden key in the same map.
    assert!(
        md.contains("| `ad.netbios` | `WIDGETS` | environments/_widgets.yaml:19 |"),
        "{md}"
    );
    // A list replaces the inherited list.
    assert!(
        md.contains("| `tags` | `three` | environments/prod.yaml:9 |"),
        "{md}"
    );
    assert!(!md.contains("`one, two`"));
    // Agents come from the base.
    assert!(
        md.contains(
            "| `ad` | `WAD` | Active Directory Domain Services | `DC=widgets,DC=example` |"
        )
    );
    assert!(md.contains("| Defined in | `environments/_widgets.yaml`, `environments/prod.yaml` |"));
}

#[test]
fn an_environment_follows_its_path_through_the_book() {
    let (_d, book) = book();
    runsheet().arg("render").arg(&book).assert().success();
    let lab = read(&book.join("out/lab/runbook.md"));
    let test = read(&book.join("out/test/runbook.md"));
    assert!(lab.contains("## 3. Run profiles (option A)"));
    assert!(!lab.contains("option B"));
    assert!(test.contains("## 3. Run profiles (option B)"));
    assert!(!test.contains("option A)"));
    // test.yaml removes the MIM Service agent its base declares (`mim: null`)
    // and renames the AD agent.
    let manifest = read(&book.join("out/test/manifest.yaml"));
    let names: Vec<&str> = manifest
        .lines()
        .filter_map(|l| l.strip_prefix("    name: "))
        .collect();
    assert_eq!(names, ["WAD-TEST", "WAAD"]);
    // Its own run cycle replaces the default one.
    let ps1 = read(&book.join("out/test/Invoke-RunCycle.ps1"));
    assert!(ps1.contains(
        "        [pscustomobject]@{ Id = 'run-cycle.3'; Agent = 'WAD-TEST'; Profile = 'Export'; StepType = 'Export' }\n    )"
    ));
    // The lab's default initial cycle: MIM Service, AD, Graph, then export
    // and confirm.
    let lab_ps1 = read(&book.join("out/lab/Invoke-RunCycle.ps1"));
    let order: Vec<String> = lab_ps1
        .lines()
        .filter(|l| l.contains("[pscustomobject]@{ Id = 'run-cycle."))
        .map(|l| {
            let agent = l
                .split("Agent = '")
                .nth(1)
                .unwrap()
                .split('\'')
                .next()
                .unwrap();
            let profile = l
                .split("Profile = '")
                .nth(1)
                .unwrap()
                .split('\'')
                .next()
                .unwrap();
            format!("{agent}: {profile}")
        })
        .collect();
    assert_eq!(
        order,
        [
            "MIMMA: Full Import (Stage Only)",
            "MIMMA: Full Synchronization",
            "ADMA: Full Import (Stage Only)",
            "ADMA: Full Synchronization",
            "AADMA: Full Import (Stage Only)",
            "AADMA: Full Synchronization",
            "ADMA: Export",
            "ADMA: Delta Import (Stage Only)",
            "ADMA: Delta Synchronization",
        ]
    );
}

#[test]
fn set_wins_over_every_file() {
    let (_d, book) = book();
    runsheet()
        .args([
            "render",
            "--env",
            "prod",
            "--set",
            "ad.domain=cli.example",
            "--set",
        ])
        .arg("agents.ad.partition=DC=cli,DC=example")
        .arg(&book)
        .assert()
        .success();
    let md = read(&book.join("out/prod/runbook.md"));
    assert!(
        md.contains("| `ad.domain` | `cli.example` | --set ad.domain=cli.example |"),
        "{md}"
    );
    assert!(md.contains("Sign in to a domain controller of `cli.example`"));
    let xml = read(&book.join("out/prod/run-profiles.xml"));
    assert!(xml.contains("<name>DC=cli,DC=example</name>"));
}

#[test]
fn a_bad_set_is_a_usage_error() {
    let (_d, book) = book();
    fails(
        &book,
        &["render", "--set", "no-equals-sign"],
        2,
        &["expected KEY=VALUE"],
    );
    assert!(!book.join("out").exists());
}

#[test]
fn explain_names_the_file_and_line_and_what_was_overridden() {
    let (_d, book) = book();
    runsheet()
        .args(["render", "--env", "prod", "--explain", "ad.domain"])
        .arg(&book)
        .assert()
        .success()
        .stdout(
            "# prod (environments/_widgets.yaml ← environments/prod.yaml)\n\
             values.ad.domain = corp.widgets.example\n  \
             set by environments/prod.yaml:7\n  \
             overrides environments/_widgets.yaml:18 (widgets.example)\n",
        );
    runsheet()
        .args(["render", "--env", "test", "--explain", "agents.ad", "--set", "agents.ad.name=X"])
        .arg(&book)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "agents.ad.name = X\n  set by --set agents.ad.name=X\n  overrides environments/test.yaml:8 (WAD-TEST)\n  overrides environments/_widgets.yaml:9 (WAD)\n",
        ))
        .stdout(predicate::str::contains(
            "agents.ad.partition = DC=widgets,DC=example\n  set by environments/_widgets.yaml:11\n",
        ));
    runsheet()
        .args(["render", "--env", "lab", "--explain", "ad.nothing"])
        .arg(&book)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("values.ad.nothing is not set"));
    assert!(!book.join("out").exists(), "--explain renders nothing");
}

#[test]
fn a_missing_value_fails_and_writes_nothing() {
    let (_d, book) = book();
    // `null` removes the key the file sets.
    fails(
        &book,
        &["render", "--set", "ad.ou_dn=null"],
        1,
        &[
            // The words of `runsheet check`'s finding, and its help.
            "src/prepare-domain.md:17:50: `{{ ad.ou_dn }}` has no value in environment `lab` (used 2 times; also at prepare-domain.md:20); `{{ ad.ou_dn }}` is not defined in environment `lab`: add `values.ad.ou_dn` to environments/lab.yaml (did you mean `ad.ou`?)",
            "environment `prod`",
            "nothing was written",
        ],
    );
    assert!(!book.join("out").exists());

    // Nor is anything overwritten when an earlier render is there.
    runsheet().arg("render").arg(&book).assert().success();
    let before = read(&book.join("out/lab/runbook.md"));
    std::fs::write(
        book.join("environments/lab.yaml"),
        read(&book.join("environments/lab.yaml")).replace("    netbios: CONTOSO\n", ""),
    )
    .unwrap();
    fails(
        &book,
        &["render", "--env", "lab"],
        1,
        &["`{{ ad.netbios }}` is not defined in environment `lab`"],
    );
    assert_eq!(read(&book.join("out/lab/runbook.md")), before);
}

#[test]
fn a_missing_value_in_a_template_names_the_template_line() {
    let (_d, book) = book();
    write_files(
        &book,
        &[(
            "templates/notes.txt.j2",
            "Notes for {{ environment.name }}\nTenant: {{ environment.values.aad.tenant_id }}\n",
        )],
    );
    fails(
        &book,
        &["render", "--env", "lab"],
        1,
        &[
            "templates/notes.txt.j2:2: `environment.values.aad.tenant_id` is undefined in environment `lab`",
            "2 | Tenant: {{ environment.values.aad.tenant_id }}",
        ],
    );
    assert!(!book.join("out").exists());
}

#[test]
fn a_template_syntax_error_shows_its_line_and_writes_nothing() {
    let (_d, book) = book();
    write_files(
        &book,
        &[(
            "templates/broken.txt.j2",
            "line one\n{% if %}\n{% endif %}\n",
        )],
    );
    fails(
        &book,
        &["render"],
        1,
        &["templates/broken.txt.j2:2: syntax error", "2 | {% if %}"],
    );
    assert!(!book.join("out").exists());
}

#[test]
fn an_environment_file_that_is_not_yaml_cannot_run() {
    let (_d, book) = book();
    write_files(
        &book,
        &[("environments/prod.yaml", "values:\n  ad: [unclosed\n")],
    );
    fails(
        &book,
        &["render"],
        2,
        &["environments/prod.yaml:3:1: not valid YAML"],
    );
    assert!(!book.join("out").exists());
}

#[test]
fn an_unknown_environment_or_part_is_named() {
    let (_d, book) = book();
    fails(
        &book,
        &["render", "--env", "prd"],
        2,
        &["no environment `prd` (did you mean `prod`?)"],
    );
    std::fs::write(
        book.join("environments/lab.yaml"),
        read(&book.join("environments/lab.yaml"))
            .replace("Option B: extension", "Option B: extensions"),
    )
    .unwrap();
    fails(
        &book,
        &["render", "--env", "lab"],
        1,
        &[
            "environments/lab.yaml:4:16: `Option B: extensions` is not a part of the book (did you mean `Option B: extension`?)",
        ],
    );
}

#[test]
fn check_lists_the_files_that_differ() {
    let (_d, book) = book();
    runsheet()
        .args(["render", "--check"])
        .arg(&book)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("missing: "));
    assert!(!book.join("out").exists(), "--check writes nothing");

    runsheet().arg("render").arg(&book).assert().success();
    runsheet()
        .args(["render", "--check"])
        .arg(&book)
        .assert()
        .success()
        .stderr(predicate::str::contains("is up to date: 18 files"));

    let md = book.join("out/test/runbook.md");
    std::fs::write(&md, read(&md).replace("Widgets test", "Widgets tset")).unwrap();
    std::fs::remove_file(book.join("out/lab/runbook.csv")).unwrap();
    let out = runsheet()
        .args(["render", "--check"])
        .arg(&book)
        .assert()
        .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let listed: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("missing: ") || l.starts_with("differs: "))
        .collect();
    assert_eq!(listed.len(), 2, "{stdout}");
    assert!(listed[0].starts_with("missing: ") && listed[0].ends_with("out/lab/runbook.csv"));
    assert!(listed[1].starts_with("differs: ") && listed[1].ends_with("out/test/runbook.md"));
    assert!(
        stdout.contains("-Widgets tset, with the extension\n+Widgets test, with the extension"),
        "{stdout}"
    );
    // --check did not repair anything.
    assert!(!book.join("out/lab/runbook.csv").exists());
}

#[test]
fn a_book_template_overrides_the_default_of_the_same_name() {
    let (_d, book) = book();
    copy_dir(Path::new(OVERRIDE), &book.join("templates"));
    runsheet()
        .args(["render", "--env", "lab"])
        .arg(&book)
        .assert()
        .success();
    let out = book.join("out/lab");
    // Replaced by the book's own runbook.md.j2, which includes a partial.
    assert_eq!(
        read(&out.join("runbook.md")),
        "# Checklist for lab\n\n\
         - [ ] prepare-domain.sign-domain-controller: Sign in to a domain controller of contoso.local as a domain administrator.\n\
         - [ ] prepare-domain.create-service-account: Create the service account MIMMA with a password that never expires:\n\
         - [ ] prepare-domain.create-ou-dn: Create the OU AAD Guest Users; its DN is OU=AAD Guest Users,DC=contoso,DC=local.\n\
         - [ ] prepare-domain.delegate-create-delete: Delegate Create, delete, and manage user accounts on AAD Guest Users to CONTOSO\\MIMMA.\n\
         - [ ] prepare-domain.check-result-against: Check the result against the run profiles and the overview.\n\
         - [ ] profiles-a.synchronization-service: In Synchronization Service Manager, right-click the agent and choose Configure Run Profiles.\n\
         - [ ] profiles-a.add-each-profile: Add each profile from the table, then select OK.\n\
         - [ ] check-result.open-find-widget: Open http://mim.contoso.com and find a widget account in AAD Guest Users.\n\
         - [ ] check-result.compare-account-source: Compare the account with the source in the tenant contoso.onmicrosoft.com & note any difference.\n\
         \nRendered from the book at Widget directory sync.\n"
    );
    // A template the defaults do not have adds a file; partials make none.
    assert_eq!(read(&out.join("agents.txt")), "MIMMA ADMA AADMA\n");
    assert_eq!(
        files(&out),
        [
            "Invoke-RunCycle.ps1",
            "agents.txt",
            "manifest.yaml",
            "run-profiles.xml",
            "runbook.csv",
            "runbook.html",
            "runbook.md"
        ]
    );
    // The other defaults are still the built-in ones.
    assert!(read(&out.join("runbook.html")).starts_with("<!DOCTYPE html>"));
}

#[test]
fn the_same_input_gives_the_same_bytes_from_anywhere() {
    let (dir, book) = book();
    runsheet().arg("render").arg(&book).assert().success();
    let first: Vec<(String, String)> = files(&book.join("out"))
        .into_iter()
        .map(|f| (f.clone(), read(&book.join("out").join(&f))))
        .collect();
    std::fs::rename(book.join("out"), dir.path().join("first")).unwrap();
    // From inside the book, with a relative path and an explicit --out.
    runsheet()
        .current_dir(&book)
        .args(["render", ".", "--out", "out"])
        .assert()
        .success();
    for (name, text) in &first {
        assert_eq!(&read(&book.join("out").join(name)), text, "{name}");
    }
    // A second render changes nothing.
    runsheet()
        .arg("render")
        .arg(&book)
        .assert()
        .success()
        .stderr(predicate::str::contains("0 written, 18 unchanged"));
}

#[test]
fn links_lead_from_the_output_folder_back_to_the_chapters() {
    let (dir, book) = book();
    let out = dir.path().join("elsewhere/deeper");
    runsheet()
        .args(["render", "--env", "lab", "--out"])
        .arg(&out)
        .arg(&book)
        .assert()
        .success();
    let md = read(&out.join("lab/runbook.md"));
    assert!(
        md.contains(
            "Source: [`src/prepare-domain.md:5`](../../../book/src/prepare-domain.md#L5) · Common"
        ),
        "{md}"
    );
    // Each link resolves to a file that exists.
    let target = out.join("lab").join("../../../book/src/prepare-domain.md");
    assert!(target.exists(), "{}", target.display());
}

#[test]
fn the_environment_schema_is_json_schema() {
    let out = runsheet()
        .args(["schema", "environment"])
        .assert()
        .success();
    let schema: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(schema["title"], "runsheet environment");
    let properties = schema["properties"].as_object().unwrap();
    let keys: Vec<&str> = properties.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "extends",
            "description",
            "path",
            "agents",
            "run_cycle",
            "cycles",
            "values"
        ]
    );
    let text = serde_json::to_string(&schema).unwrap();
    for connector in [
        "FIM Service Management Agent",
        "Active Directory Domain Services",
        "Graph (Microsoft)",
    ] {
        assert!(text.contains(connector), "{connector}");
    }
    // A layer may leave an agent's name or type to another file.
    let agent = &schema["$defs"]["AgentSpec"];
    assert!(agent.get("required").is_none(), "{agent}");
    assert!(agent["properties"]["type"].is_object());
    runsheet().args(["schema", "nothing"]).assert().code(2);
}

#[test]
fn our_own_book_renders_every_environment_with_every_value_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    runsheet()
        .args(["render", "--out"])
        .arg(dir.path())
        .arg(root)
        .assert()
        .success();
    for env in ["lab", "prod", "test"] {
        let out = dir.path().join(env);
        assert_eq!(files(&out).len(), 6, "{env}");
        for name in files(&out) {
            let text = read(&out.join(&name));
            // Every placeholder got a value; the only braces left are the
            // ones the book writes on purpose.
            assert!(
                !text.contains("{{ "),
                "{env}/{name} has an unfilled placeholder"
            );
        }
    }
    // test follows option 2 without the MIM Service agent; prod option 1.
    let test = read(&dir.path().join("test/manifest.yaml"));
    let prod = read(&dir.path().join("prod/manifest.yaml"));
    assert!(!test.contains("FIM Service Management Agent"));
    assert!(prod.contains("FIM Service Management Agent"));
    // No value of the lab (the guide's sample values) leaks into the others.
    for env in ["prod", "test"] {
        let md = read(&dir.path().join(env).join("runbook.md"));
        for lab_value in [
            "contoso",
            "MIM3",
            "MIMINSTALL",
            "AAD Guest Users",
            "`AADMA`",
            "`MIMMA`",
        ] {
            assert!(
                !md.contains(lab_value),
                "{env} runbook mentions {lab_value}"
            );
        }
    }
}

#[test]
fn the_output_folder_may_not_be_or_hold_the_sources() {
    let (_dir, book) = book();
    for out in ["/", ".", "src"] {
        let target = if out == "/" {
            PathBuf::from("/")
        } else {
            book.join(out)
        };
        runsheet()
            .arg("render")
            .arg(&book)
            .arg("--out")
            .arg(&target)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(if out == "src" {
                "lies inside the book's sources"
            } else {
                "is or holds the book's root"
            }));
    }
    assert!(!book.join("lab").exists() && !book.join("src/lab").exists());
}

#[cfg(unix)]
#[test]
fn a_render_replaces_its_own_files_with_the_umasks_modes_and_nothing_else() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, book) = book();
    let out = dir.path().join("out");
    render_lab(&book, &out, &[]).assert().success();
    // A file that is not runsheet's, in the environment's folder.
    std::fs::write(out.join("lab/stray.txt"), "not rendered").unwrap();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 022 && exec '{}' render '{}' --out '{}' --set ad.domain=other.example",
            assert_cmd::cargo::cargo_bin("runsheet").display(),
            book.display(),
            out.display()
        ))
        .status()
        .unwrap();
    assert!(status.success());
    assert!(read(&out.join("lab/runbook.md")).contains("other.example"));
    assert_eq!(read(&out.join("lab/stray.txt")), "not rendered");
    let mode = std::fs::metadata(out.join("lab/runbook.md"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o644);
    // Nothing is left beside the files but their record: no staging, no
    // lock.
    let hidden: Vec<String> = walkdir(&out)
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".runsheet-rendered")
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
    // The record names every file written, with its hash.
    let record = read(&out.join(".runsheet-rendered"));
    let runbook = std::fs::read(out.join("lab/runbook.md")).unwrap();
    let line = format!(
        "lab/runbook.md {:016x}",
        runsheet::render::write::file_hash(&runbook)
    );
    assert!(record.lines().any(|l| l == line), "{record}");
    assert!(!record.contains("stray.txt"), "{record}");
}

#[test]
fn a_progress_file_and_a_note_in_the_output_folder_survive_two_renders() {
    let (dir, book) = book();
    let out = dir.path().join("out");
    render_lab(&book, &out, &[]).assert().success();
    let mine = [
        ("lab/progress.json", "{\"steps\": []}\n"),
        ("lab/notes.md", "Ring Ann before step 3.\n"),
        ("notes.md", "mine\n"),
    ];
    for (name, text) in mine {
        std::fs::write(out.join(name), text).unwrap();
    }
    for set in ["ad.domain=one.example", "ad.domain=two.example"] {
        render_lab(&book, &out, &["--set", set]).assert().success();
        for (name, text) in mine {
            assert_eq!(read(&out.join(name)), text, "{name} after --set {set}");
        }
    }
}

#[test]
fn a_file_changed_since_it_was_written_or_not_written_by_runsheet_stops_the_render() {
    let (dir, book) = book();
    let out = dir.path().join("out");
    render_lab(&book, &out, &[]).assert().success();
    let md = read(&out.join("lab/runbook.md"));
    let ticked = md.replacen("- [ ] `", "- [x] `", 1);
    std::fs::write(out.join("lab/runbook.md"), &ticked).unwrap();
    render_lab(&book, &out, &["--set", "ad.domain=other.example"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("lab/runbook.md changed since runsheet wrote it")
                .and(predicate::str::contains("progress/lab.md"))
                .and(predicate::str::contains("nothing was changed")),
        );
    assert_eq!(read(&out.join("lab/runbook.md")), ticked);
    assert!(!read(&out.join("lab/runbook.csv")).contains("other.example"));

    // A file at a name runsheet writes that no record names is not runsheet's.
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(elsewhere.join("lab")).unwrap();
    std::fs::write(elsewhere.join("lab/runbook.md"), "my own runbook\n").unwrap();
    render_lab(&book, &elsewhere, &[])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "lab/runbook.md is not a file runsheet wrote",
        ));
    assert_eq!(read(&elsewhere.join("lab/runbook.md")), "my own runbook\n");

    // Put back as it was written, the file is runsheet's again.
    std::fs::write(out.join("lab/runbook.md"), &md).unwrap();
    render_lab(&book, &out, &["--set", "ad.domain=other.example"])
        .assert()
        .success();
}

#[test]
fn an_output_folder_recorded_by_folder_is_still_written_and_then_recorded_by_file() {
    let (dir, book) = book();
    let out = dir.path().join("out");
    render_lab(&book, &out, &[]).assert().success();
    // The record as runsheet wrote it before files were recorded.
    std::fs::write(out.join(".runsheet-rendered"), "# folders\nlab\n").unwrap();
    std::fs::write(out.join("lab/runbook.md"), "an older render\n").unwrap();
    render_lab(&book, &out, &[]).assert().success();
    assert_ne!(read(&out.join("lab/runbook.md")), "an older render\n");
    let record = read(&out.join(".runsheet-rendered"));
    assert!(
        record.lines().any(|l| l.starts_with("lab/runbook.md ")),
        "{record}"
    );
    assert!(!record.lines().any(|l| l == "lab"), "{record}");
}

#[test]
fn a_second_render_into_the_same_folder_waits_its_turn() {
    let (dir, book) = book();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // The other render holds the lock file's flock, as a running render
    // does.
    std::fs::write(out.join(".runsheet.lock"), "").unwrap();
    let held = std::fs::File::open(out.join(".runsheet.lock")).unwrap();
    rustix::fs::flock(&held, rustix::fs::FlockOperation::NonBlockingLockExclusive).unwrap();
    runsheet()
        .arg("render")
        .arg(&book)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("another render is writing into"));
    assert_eq!(files(&out), [".runsheet.lock"], "nothing was written");
    drop(held);
}

#[test]
fn a_value_cannot_put_a_script_link_into_the_html_runbook() {
    let (dir, book) = book();
    let out = dir.path().join("out");
    render_lab(&book, &out, &[])
        .args(["--set", "portal.url=x`[click](javascript:alert(1))`"])
        .assert()
        .success();
    let html = read(&out.join("lab/runbook.html"));
    assert!(
        !html.to_ascii_lowercase().contains("href=\"javascript"),
        "a script link"
    );
    assert!(html.contains("click"), "the text stays");
    // In Markdown the value stays inside its code span: longer fences.
    let md = read(&out.join("lab/runbook.md"));
    assert!(md.contains("`` x`[click](javascript:alert(1))` ``"), "{md}");
}

#[test]
fn a_template_that_would_run_for_ever_stops() {
    let (dir, book) = book();
    write_files(
        &book,
        &[(
            "templates/runbook.md.j2",
            "{% for a in range(10000) %}{% for b in range(10000) %}{% for c in range(10000) %}x{% endfor %}{% endfor %}{% endfor %}\n",
        )],
    );
    let out = render_lab(&book, &dir.path().join("out"), &[])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("fuel"), "{said}");
    assert!(!dir.path().join("out/lab").exists(), "nothing was written");
}

#[test]
fn environments_stay_inside_environments() {
    let (dir, book) = book();
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("x.yaml"),
        "values:\n  ad:\n    domain: stolen.example\n",
    )
    .unwrap();
    // `extends` with a path out of the folder.
    write_files(
        &book,
        &[(
            "environments/escape.yaml",
            "extends: ../../outside/x.yaml\n",
        )],
    );
    fails(
        &book,
        &["render", "--env", "escape", "--out", "/tmp/never-written"],
        2,
        &["a base is the name of another file in environments/"],
    );
    // `--env ..` with a file `environments/...yaml`: no such environment, and
    // nothing is written beside the book.
    write_files(&book, &[("environments/...yaml", "values: {}\n")]);
    fails(
        &book,
        &["render", "--env", ".."],
        2,
        &["there is no environment `..`"],
    );
    assert!(!book.join("runbook.md").exists());
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            outside.join("x.yaml"),
            book.join("environments/_linked.yaml"),
        )
        .unwrap();
        write_files(&book, &[("environments/escape.yaml", "extends: _linked\n")]);
        fails(
            &book,
            &["render", "--env", "escape", "--out", "/tmp/never-written"],
            2,
            &["a link out of environments/"],
        );
    }
    assert!(!Path::new("/tmp/never-written").exists());
}

#[test]
fn a_chapter_on_the_path_that_could_not_be_read_fails_the_render() {
    let (dir, book) = book();
    // A chapter of the book, its bytes broken.
    let chapter = std::fs::read_dir(book.join("src"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().is_some_and(|n| n == "prepare-domain.md"))
        .unwrap();
    let mut bytes = std::fs::read(&chapter).unwrap();
    bytes.extend_from_slice(b"\n\xff\xfe broken\n");
    std::fs::write(&chapter, bytes).unwrap();
    let out = dir.path().join("out");
    render_lab(&book, &out, &[])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "chapter `prepare-domain.md` is not valid UTF-8, and it is on environment `lab`'s path",
        ));
    assert!(!out.exists(), "nothing was written");
}

#[test]
fn the_run_cycle_script_says_what_the_cycle_does_after_every_result() {
    let (dir, book) = book();
    let out = dir.path().join("out");
    render_lab(&book, &out, &[]).assert().success();
    let script = read(&out.join("lab/Invoke-RunCycle.ps1"));
    // The script's table: result string → Continue, Warn or Stop.
    let table: std::collections::BTreeMap<String, String> = script
        .lines()
        .filter_map(|l| {
            let (result, action) = l.trim().strip_prefix('\'')?.split_once("' = '")?;
            Some((result.to_string(), action.strip_suffix('\'')?.to_string()))
        })
        .collect();
    let action = |r: &str| table.get(r).map(String::as_str);
    assert_eq!(action("success"), Some("Continue"));
    assert_eq!(action("completed-no-objects"), Some("Continue"));
    assert_eq!(action("completed-warnings"), Some("Warn"));
    // One object in error does not stop every other one.
    assert_eq!(action("completed-export-errors"), Some("Warn"));
    assert_eq!(action("completed-sync-errors"), Some("Warn"));
    // An import that could not read the system whole stops the cycle.
    assert_eq!(action("completed-discovery-errors"), Some("Stop"));
    // Anything else (`stopped-*`, `no-start-*`) stops it.
    assert_eq!(action("stopped-connectivity"), None);
    assert!(script.contains("    return 'Stop'\n"));
    assert!(
        !script.contains("-like 'completed-*'"),
        "no completed-* counts as done"
    );
    // The groups the installation creates, and a log under -WhatIf.
    assert!(script.contains("FIMSyncOperators") && !script.contains("MIISOperators"));
    assert!(script.contains("Add-Content -LiteralPath $LogPath -Value $line -WhatIf:$false"));
}

#[test]
fn the_tracking_sheet_has_a_row_per_step_with_its_whole_text_and_a_bom_by_default() {
    let (dir, book) = book();
    let out = dir.path().join("out");
    render_lab(&book, &out, &[]).assert().success();
    let bytes = std::fs::read(out.join("lab/runbook.csv")).unwrap();
    assert!(bytes.starts_with(
        b"\xEF\xBB\xBFid,chapter,section,step,done by,date,result,adds,updates,deletes,errors,hash\n"
    ));
    let csv = String::from_utf8(bytes[3..].to_vec()).unwrap();
    // A step's sub-list and code block are in its row, values filled in.
    let row = csv
        .lines()
        .find(|l| l.starts_with("prepare-domain.create-service-account,"))
        .unwrap();
    assert!(row.contains("New-ADUser"), "{row}");
    // Empty done by, date, result and counts, then the step's 12-digit
    // hash.
    let (rest, hash) = row.rsplit_once(',').unwrap();
    assert!(rest.ends_with(",,,,,,,"), "{row}");
    assert_eq!(hash.len(), 12, "{row}");
    assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()), "{row}");
    // One row per tick box of the runbook, in the runbook's order.
    let md = read(&out.join("lab/runbook.md"));
    let ids: Vec<&str> = md
        .lines()
        .filter_map(|l| l.strip_prefix("- [ ] `"))
        .filter_map(|l| l.split_once('`').map(|(id, _)| id))
        .collect();
    let rows: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split_once(',').unwrap().0)
        .collect();
    assert_eq!(rows, ids);
    assert!(
        rows.contains(&"run-cycle.1"),
        "the lab's cycle is a list of its own"
    );

    render_lab(&book, &out, &["--csv-bom=false"])
        .assert()
        .success();
    let bytes = std::fs::read(out.join("lab/runbook.csv")).unwrap();
    assert!(bytes.starts_with(b"id,chapter,"));
}

#[test]
fn the_files_left_from_an_environment_that_is_gone_are_stale_and_the_next_render_removes_them() {
    let (_dir, book) = book();
    std::fs::copy(
        book.join("environments/lab.yaml"),
        book.join("environments/old.yaml"),
    )
    .unwrap();
    runsheet().arg("render").arg(&book).assert().success();
    assert!(book.join("out/old/runbook.md").exists());
    let record = read(&book.join("out/.runsheet-rendered"));
    assert!(
        record.lines().any(|l| l.starts_with("old/runbook.md ")),
        "{record}"
    );
    // A folder of someone else's, and a note in the old environment's
    // folder, are never touched.
    write_files(
        &book,
        &[
            ("out/notes/todo.md", "mine\n"),
            ("out/old/notes.md", "mine too\n"),
        ],
    );

    std::fs::remove_file(book.join("environments/old.yaml")).unwrap();
    runsheet()
        .args(["render", "--check"])
        .arg(&book)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("stale: ").and(predicate::str::contains("old/runbook.md")))
        .stderr(predicate::str::contains("no longer exist"));
    runsheet()
        .arg("render")
        .arg(&book)
        .assert()
        .success()
        .stderr(predicate::str::contains("removed "));
    assert!(!book.join("out/old/runbook.md").exists());
    assert_eq!(files(&book.join("out/old")), ["notes.md"]);
    assert!(book.join("out/notes/todo.md").exists());
    assert!(
        !read(&book.join("out/.runsheet-rendered"))
            .lines()
            .any(|l| l.starts_with("old/"))
    );
    runsheet()
        .args(["render", "--check"])
        .arg(&book)
        .assert()
        .success();
}

#[test]
fn a_stale_file_changed_since_it_was_written_is_left_where_it_is() {
    let (_dir, book) = book();
    std::fs::copy(
        book.join("environments/lab.yaml"),
        book.join("environments/old.yaml"),
    )
    .unwrap();
    runsheet().arg("render").arg(&book).assert().success();
    std::fs::write(book.join("out/old/runbook.md"), "ticked by hand\n").unwrap();
    std::fs::remove_file(book.join("environments/old.yaml")).unwrap();
    runsheet()
        .arg("render")
        .arg(&book)
        .assert()
        .success()
        .stderr(predicate::str::contains("left ").and(predicate::str::contains("old/runbook.md")));
    assert_eq!(read(&book.join("out/old/runbook.md")), "ticked by hand\n");
    assert!(!book.join("out/old/runbook.csv").exists());
    assert!(!read(&book.join("out/.runsheet-rendered")).contains("old/"));
}

#[test]
fn our_book_runs_the_cycle_once_where_the_guide_runs_it_and_ticks_no_skipped_option() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    runsheet()
        .args(["render", "--out"])
        .arg(dir.path())
        .arg(root)
        .assert()
        .success();
    for (env, runs_in, skipped) in [
        ("prod", "run-sync-rules", "Option 2"),
        ("lab", "run-sync-rules", "Option 2"),
        ("test", "run-sync-rules-dll", "Option 1"),
    ] {
        let md = read(&dir.path().join(env).join("runbook.md"));
        let section = |slug: &str| md.find(&format!("<a id=\"{slug}\"></a>")).unwrap();
        // The record of the cycle is in the chapter that runs it, before
        // the scheduling chapter; there is no run-cycle section after it,
        // and no run of the cycle is a second check box.
        let record = md.find("<a id=\"run-cycle\"></a>").unwrap();
        assert!(
            section(runs_in) < record && record < section("schedule-sync-runs"),
            "{env}"
        );
        assert!(!md.contains("Run cycle](#run-cycle)"), "{env}");
        assert!(!md.contains("- [ ] `run-cycle."), "{env}");
        assert_eq!(md.matches("| `run-cycle.1` |").count(), 1, "{env}");
        // The scheduling chapter ticks no chapter of the option skipped,
        // and runs the one rendered script.
        let schedule = &md[section("schedule-sync-runs")..];
        let ticks: Vec<&str> = schedule
            .lines()
            .filter(|l| l.starts_with("- [ ] [") && l.contains(skipped))
            .collect();
        assert!(ticks.is_empty(), "{env}: {ticks:?}");
        assert!(schedule.contains("Not on this environment's path"), "{env}");
        assert!(schedule.contains("Invoke-RunCycle.ps1"), "{env}");
        // In the tracking sheet, each run is a row of the record, after
        // the steps, for its result and counts: not a step to tick again.
        let csv = read(&dir.path().join(env).join("runbook.csv"));
        let runs: Vec<&str> = csv
            .lines()
            .filter(|l| l.starts_with("run-cycle."))
            .collect();
        assert!(!runs.is_empty(), "{env}");
        assert!(
            runs.iter().all(|l| l.contains(",Run record,")),
            "{env}: {runs:?}"
        );
        // Every run profile to create is a step (prod and the lab: three
        // agents × five profiles; test: two agents).
        let profiles = csv.lines().filter(|l| l.contains(".profile.")).count();
        assert!(profiles >= 10, "{env}: {profiles} run profiles to create");
    }
}
