//! `ou-scope-mismatch`: the containers an exported partition includes or
//! excludes are not the OU scope the environment gives the agent.

use crate::check::export::{ExportContext, Required};
use crate::check::rules::example::{
    BOOK_TOML, LAB_AD, PROFILES_CHAPTER, PROFILES_SUMMARY, adma_as_required, ma_xml,
    run_profile_xml,
};
use crate::check::rules::{Example::Export, File::Text};
use crate::check::{Check, Diagnostic, RuleId};
use crate::mim::export::Value;
use crate::text::Position;

declare_rule! {
    /// A partition of the export includes or excludes other containers than the OU scope the environment gives its agent (`KEY.scope.include` and `KEY.scope.exclude`; none excluded when it gives no exclusions).
    OuScopeMismatch {
        id: "ou-scope-mismatch",
        default: Error,
        command: Verify,
        fails: Export(&[
            BOOK_TOML,
            PROFILES_SUMMARY,
            PROFILES_CHAPTER,
            LAB_AD,
            Text(
                "export/MA-{5B0D2A55-6E4B-4C55-9C44-8A1D5E0C1F01}.XML",
                ma_xml!(
                    name: "ADMA",
                    category: "AD",
                    partition: "DC=contoso,DC=local",
                    selected: "1",
                    containers: "<exclusions/><inclusions><inclusion>OU=Staff,DC=contoso,DC=local</inclusion></inclusions>",
                    profiles: run_profile_xml!(
                        "Full Synchronization",
                        "apply-rules",
                        "<apply-rules-subtype>reevaluate-flow-connectors</apply-rules-subtype>",
                        "<batch-size>1</batch-size>",
                    ),
                ),
            ),
        ]),
        passes: Export(&[
            BOOK_TOML,
            PROFILES_SUMMARY,
            PROFILES_CHAPTER,
            LAB_AD,
            Text("export/MA-{5B0D2A55-6E4B-4C55-9C44-8A1D5E0C1F01}.XML", adma_as_required!()),
        ]),
    }
}

impl Check for OuScopeMismatch {
    fn export(&self, cx: &ExportContext<'_>, out: &mut Vec<Diagnostic>) {
        for (expected, agent) in cx.pairs() {
            let Some(scope) = &expected.scope else {
                continue;
            };
            let Some(p) = agent
                .partitions
                .iter()
                .find(|p| crate::mim::dn::same(p.name(), &expected.partition))
            else {
                // partition-not-selected says so.
                continue;
            };
            for (verb, list, wanted, key) in [
                ("includes", &p.inclusions, &scope.include, "include"),
                ("excludes", &p.exclusions, &scope.exclude, "exclude"),
            ] {
                let (at, found): (Position, &[Value]) = match list {
                    Some((at, found)) => (*at, found),
                    None => (p.at, &[]),
                };
                if same_containers(found, &wanted.value) {
                    continue;
                }
                let shown: Vec<&str> = found.iter().map(|v| v.text.as_str()).collect();
                let required: Vec<&str> = wanted.value.iter().map(String::as_str).collect();
                let what = if shown.len() + required.len() <= 4 {
                    format!(
                        "{verb} {}, where the runbook {verb} {}",
                        containers(&shown),
                        containers(&required)
                    )
                } else {
                    // Long lists: what differs.
                    let extra = not_in(&shown, &required);
                    let missing = not_in(&required, &shown);
                    let mut parts = Vec::new();
                    if !extra.is_empty() {
                        parts.push(format!("{verb} {} that the runbook does not", containers(&extra)));
                    }
                    if !missing.is_empty() {
                        parts.push(format!(
                            "lacks {} that the runbook's {}",
                            containers(&missing),
                            key
                        ));
                    }
                    format!(
                        "{} ({} in all, the runbook's {})",
                        parts.join(", and "),
                        shown.len(),
                        required.len()
                    )
                };
                out.push(
                    cx.in_export(
                        RuleId::OuScopeMismatch,
                        &agent.file,
                        at,
                        format!(
                            "partition `{}` of management agent `{}` {what}",
                            p.name(),
                            agent.name()
                        ),
                    )
                    .help(help(expected, wanted, key)),
                );
            }
        }
    }
}

/// Whether two lists name the same containers, in any order.
fn same_containers(found: &[Value], wanted: &[String]) -> bool {
    let fold = |list: Vec<&str>| -> Vec<String> {
        let mut v: Vec<String> = list.into_iter().map(crate::mim::dn::fold).collect();
        v.sort();
        v.dedup();
        v
    };
    fold(found.iter().map(|v| v.text.as_str()).collect())
        == fold(wanted.iter().map(String::as_str).collect())
}

/// The containers of `a` that `b` does not name.
fn not_in<'a>(a: &[&'a str], b: &[&str]) -> Vec<&'a str> {
    a.iter()
        .copied()
        .filter(|x| !b.iter().any(|y| crate::mim::dn::same(x, y)))
        .collect()
}

/// Containers as a sentence names them.
fn containers(list: &[&str]) -> String {
    match list {
        [] => "no container".to_string(),
        [one] => format!("`{one}`"),
        many => {
            let quoted: Vec<String> = many.iter().map(|c| format!("`{c}`")).collect();
            format!("{} containers: {}", many.len(), quoted.join(", "))
        }
    }
}

fn help(expected: &crate::check::export::ExpectedAgent, wanted: &Required<Vec<String>>, key: &str) -> String {
    let step = expected
        .partition_step
        .as_ref()
        .map(|s| format!("the runbook sets the containers at {}; ", s.describe()))
        .unwrap_or_default();
    format!(
        "{step}the environment's `{}.scope.{key}` is set at {}:{}",
        expected.key, wanted.at.file, wanted.at.line
    )
}
