//! The rules about the run cycles an environment gives: `run-cycle-order`
//! (a Graph agent synchronized before the AD agent it provisions into was
//! imported) and `scheduled-cycle-full-step` (a full step in the cycle the
//! task runs every hour).

use super::{all, check_files, found, one};

const BOOK: &str = "[book]\ntitle = \"Guide\"\nsrc = \"src\"\n";
const SUMMARY: &str = "# Summary\n\n- [Run profiles](profiles.md)\n- [Option 2](option2.md)\n";
const PROFILES: &str = "# Run profiles\n\n| Name | Type |\n| --- | --- |\n| Full Import (Stage Only) | Full Import (Stage Only) |\n| Full Synchronization | Full Synchronization |\n| Delta Import (Stage Only) | Delta Import (Stage Only) |\n| Delta Synchronization | Delta Synchronization |\n| Export | Export |\n";
const AGENTS: &str = "agents:\n  mim: { name: MIMMA, type: FIM Service Management Agent, partition: default }\n  ad: { name: ADMA, type: Active Directory Domain Services, partition: \"DC=contoso,DC=local\" }\n  aad: { name: AADMA, type: Graph (Microsoft), partition: default }\n";

fn check_env(env: &str) -> Vec<runsheet::check::Diagnostic> {
    check_files(&[
        ("book.toml", BOOK),
        ("src/SUMMARY.md", SUMMARY),
        ("src/profiles.md", PROFILES),
        ("src/option2.md", "# Option 2\n\nNothing to run.\n"),
        ("environments/lab.yaml", env),
    ])
}

#[test]
fn the_guides_own_cycles_pass() {
    let d = check_env(AGENTS);
    assert_eq!(all(&d), []);
}

#[test]
fn a_graph_sync_before_ad_was_imported_is_an_error_at_that_step() {
    let env = format!(
        "{AGENTS}cycles:\n  initial:\n    - {{ agent: mim, profile: Full Import (Stage Only) }}\n    - {{ agent: mim, profile: Full Synchronization }}\n    - {{ agent: aad, profile: Full Import (Stage Only) }}\n    - {{ agent: aad, profile: Full Synchronization }}\n    - {{ agent: ad, profile: Full Import (Stage Only) }}\n    - {{ agent: ad, profile: Full Synchronization }}\n    - {{ agent: ad, profile: Export }}\n"
    );
    let d = check_env(&env);
    assert_eq!(
        found(&d, "run-cycle-order"),
        [(
            "../environments/lab.yaml",
            10,
            7,
            "the initial (full) cycle of environment `lab` runs `Full Synchronization` on `AADMA` before `ADMA` was imported in it: provisioning into `ADMA` cannot see the accounts already there and creates them again"
        )]
    );
    let help = one(&d, "run-cycle-order").help.as_deref().unwrap();
    assert!(help.contains("`cycles.initial`"), "{help}");
    // The MIM Service agent's synchronization before AD's import is the
    // guide's own order, and the scheduled cycle is the default one.
    let fixed = env.replace(
        "    - { agent: aad, profile: Full Import (Stage Only) }\n    - { agent: aad, profile: Full Synchronization }\n    - { agent: ad, profile: Full Import (Stage Only) }\n    - { agent: ad, profile: Full Synchronization }\n",
        "    - { agent: ad, profile: Full Import (Stage Only) }\n    - { agent: ad, profile: Full Synchronization }\n    - { agent: aad, profile: Full Import (Stage Only) }\n    - { agent: aad, profile: Full Synchronization }\n",
    );
    assert_eq!(all(&check_env(&fixed)), []);
}

#[test]
fn the_old_run_cycle_key_is_checked_as_the_initial_cycle() {
    let env = format!(
        "{AGENTS}run_cycle:\n  - {{ agent: aad, profile: Full Import (Stage Only) }}\n  - {{ agent: aad, profile: Delta Synchronization }}\n"
    );
    let d = check_env(&env);
    assert_eq!(
        found(&d, "run-cycle-order")
            .iter()
            .map(|(_, line, _, _)| *line)
            .collect::<Vec<_>>(),
        [7]
    );
}

#[test]
fn a_full_step_in_the_scheduled_cycle_is_a_warning() {
    let env = format!(
        "{AGENTS}cycles:\n  scheduled:\n    - {{ agent: ad, profile: Delta Import (Stage Only) }}\n    - {{ agent: ad, profile: Delta Synchronization }}\n    - {{ agent: aad, profile: Full Import (Stage Only) }}\n    - {{ agent: aad, profile: Delta Synchronization }}\n"
    );
    let d = check_env(&env);
    assert_eq!(
        found(&d, "scheduled-cycle-full-step"),
        [(
            "../environments/lab.yaml",
            9,
            7,
            "the scheduled cycle of environment `lab` runs `Full Import (Stage Only)` on `AADMA`, a step of type Full Import (Stage Only), every time the task runs"
        )]
    );
    assert_eq!(
        one(&d, "scheduled-cycle-full-step").severity,
        runsheet::check::Severity::Warning
    );
    let delta = env.replace(
        "aad, profile: Full Import (Stage Only)",
        "aad, profile: Delta Import (Stage Only)",
    );
    assert_eq!(all(&check_env(&delta)), []);
}
