//! Snapshots of every default template for one environment of the fixture
//! book, and the run-profile XML read back with an XML parser.

use crate::common::copy_dir;
use assert_cmd::Command;
use std::path::{Path, PathBuf};

const FIXTURE: &str = "tests/fixtures/render-book";

/// Render the fixture book's `env` into `BOOK/out/` and return the book.
fn render(env: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    copy_dir(Path::new(FIXTURE), &book);
    Command::cargo_bin("runsheet")
        .unwrap()
        .args(["render", "--env", env])
        .arg(&book)
        .assert()
        .success();
    (dir, book)
}

#[test]
fn every_default_template_for_the_lab() {
    let (_dir, book) = render("lab");
    let out = book.join("out/lab");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Invoke-RunCycle.ps1",
            "manifest.yaml",
            "run-profiles.xml",
            "runbook.csv",
            "runbook.html",
            "runbook.md"
        ]
    );
    insta::with_settings!({
        snapshot_path => "../fixtures/render-snapshots",
        prepend_module_to_snapshot => false,
    }, {
        for name in &names {
            let text = std::fs::read_to_string(out.join(name)).unwrap();
            insta::assert_snapshot!(name.as_str(), text);
        }
    });
}

/// What each run profile's step must be in MIM's export format.
fn expected_step(profile: &str) -> (&'static str, Option<(&'static str, &'static str)>) {
    match profile {
        "Full Import (Stage Only)" => ("full-import", Some(("import-subtype", "to-cs"))),
        "Full Synchronization" => (
            "apply-rules",
            Some(("apply-rules-subtype", "reevaluate-flow-connectors")),
        ),
        "Delta Import (Stage Only)" => ("delta-import", Some(("import-subtype", "to-cs"))),
        "Delta Synchronization" => (
            "apply-rules",
            Some(("apply-rules-subtype", "apply-pending")),
        ),
        "Export" => ("export", None),
        other => panic!("unexpected run profile {other}"),
    }
}

#[derive(Debug, Default, Clone)]
struct RunConfiguration {
    agent: String,
    id: String,
    name: String,
    step_type: String,
    subtype: Option<(String, String)>,
    partition: String,
}

/// Read `ma-data/ma-run-data/run-configuration` elements with quick-xml:
/// the agents (name, partition id) and every run configuration.
fn run_configurations(xml: &str) -> (Vec<(String, String)>, Vec<RunConfiguration>) {
    use quick_xml::events::{BytesStart, Event};
    let tag = |e: &BytesStart| e.name().as_ref().to_string();
    let step_type = |e: &BytesStart| {
        let t = e
            .try_get_attribute("type")
            .unwrap()
            .expect("step-type has a type");
        t.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .unwrap()
            .into_owned()
    };
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    let mut path: Vec<String> = Vec::new();
    let mut agents: Vec<(String, String)> = Vec::new();
    let mut configs: Vec<RunConfiguration> = Vec::new();
    let mut current: Option<RunConfiguration> = None;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                let name = tag(&e);
                if name == "run-configuration" {
                    assert_eq!(
                        path.join("/"),
                        "run-profiles/saved-ma-configuration/ma-data/ma-run-data"
                    );
                    current = Some(RunConfiguration {
                        agent: agents.last().unwrap().0.clone(),
                        ..Default::default()
                    });
                }
                if name == "step-type" {
                    current.as_mut().unwrap().step_type = step_type(&e);
                }
                path.push(name);
            }
            Event::Empty(e) if tag(&e) == "step-type" => {
                current.as_mut().unwrap().step_type = step_type(&e);
            }
            Event::Text(t) => {
                let text = t.xml10_content().into_owned();
                let at = path.join("/");
                if at == "run-profiles/saved-ma-configuration/ma-data/name" {
                    agents.push((text.clone(), String::new()));
                }
                // The first partition is the one the agent runs against.
                if at
                    == "run-profiles/saved-ma-configuration/ma-data/ma-partition-data/partition/id"
                    && agents.last().unwrap().1.is_empty()
                {
                    agents.last_mut().unwrap().1 = text.clone();
                }
                if let Some(rc) = current.as_mut() {
                    let rel = at
                        .strip_prefix("run-profiles/saved-ma-configuration/ma-data/ma-run-data/run-configuration/")
                        .unwrap_or("");
                    match rel.strip_prefix("configuration/step/step-type/") {
                        Some(element) => rc.subtype = Some((element.to_string(), text)),
                        None => match rel {
                            "id" => rc.id = text,
                            "name" => rc.name = text,
                            "configuration/step/partition" => rc.partition = text,
                            _ => {}
                        },
                    }
                }
            }
            Event::End(e) => {
                if e.name().as_ref() == "run-configuration" {
                    configs.push(current.take().unwrap());
                }
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (agents, configs)
}

fn is_mim_guid(s: &str) -> bool {
    s.len() == 38
        && s.starts_with('{')
        && s.ends_with('}')
        && s[1..37]
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('A'..='F').contains(&c))
}

#[test]
fn run_profiles_xml_parses_and_maps_each_profile_to_its_step_type() {
    let (_dir, book) = render("lab");
    let xml = std::fs::read_to_string(book.join("out/lab/run-profiles.xml")).unwrap();
    let (agents, configs) = run_configurations(&xml);
    let names: Vec<&str> = agents.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["MIMMA", "ADMA", "AADMA"]);
    // The partition id the environment gives is used as written by MIM.
    assert_eq!(agents[2].1, "{08F64D3F-B82C-44E2-AC6F-9F680DECFEBE}");
    assert_eq!(configs.len(), 15, "five profiles on each of three agents");
    for rc in &configs {
        let (step_type, subtype) = expected_step(&rc.name);
        assert_eq!(rc.step_type, step_type, "{} on {}", rc.name, rc.agent);
        assert_eq!(
            rc.subtype,
            subtype.map(|(e, v)| (e.to_string(), v.to_string())),
            "{} on {}",
            rc.name,
            rc.agent
        );
        assert!(is_mim_guid(&rc.id), "{}", rc.id);
        let partition = &agents.iter().find(|(n, _)| *n == rc.agent).unwrap().1;
        assert_eq!(
            &rc.partition, partition,
            "{} on {} runs on its agent's partition",
            rc.name, rc.agent
        );
        assert!(is_mim_guid(&rc.partition), "{}", rc.partition);
    }
    let mut ids: Vec<&str> = configs.iter().map(|c| c.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), configs.len(), "every run profile has its own id");
}

#[test]
fn ids_are_the_same_on_every_render_and_differ_between_agents_named_differently() {
    let (_a, one) = render("lab");
    let (_b, two) = render("lab");
    let read =
        |book: &Path| std::fs::read_to_string(book.join("out/lab/run-profiles.xml")).unwrap();
    assert_eq!(read(&one), read(&two));
    let (_c, prod) = render("prod");
    let prod_xml = std::fs::read_to_string(prod.join("out/prod/run-profiles.xml")).unwrap();
    let (_, lab_configs) = run_configurations(&read(&one));
    let (_, prod_configs) = run_configurations(&prod_xml);
    assert_ne!(
        lab_configs[0].id, prod_configs[0].id,
        "MIMMA and WMIM get different ids"
    );
}
