//! What an environment's runbook requires of the server, worked out from
//! the runbook `render` builds for it (`render::context_for`): its agents
//! with their run profiles, each with the runbook step that creates it,
//! and what the environment says beyond (OU scopes, the metaverse,
//! [`crate::env::server`]). This is the one place verify reads a
//! rendered runbook.

use crate::check::export::{
    Expected, ExpectedAgent, ExpectedProfile, ExpectedScope, Required, SourcePlace, StepRef,
};
use crate::env::Environment;
use crate::env::server::Refused;
use crate::mim::StepType;
use crate::render::context::Context;
use crate::text::Located;
use crate::yaml::{Origin, Source};

/// Where a value of the environment was set, as findings name files.
fn place(shown_root: &str, origin: &Origin) -> SourcePlace {
    match &origin.source {
        Source::File(f) => SourcePlace {
            file: format!("{shown_root}{f}"),
            line: origin.line,
            column: origin.column,
        },
        Source::CommandLine(arg) => SourcePlace {
            file: format!("--set {arg}"),
            line: 0,
            column: 0,
        },
    }
}

fn refused(shown_root: &str, r: Refused) -> Located {
    let at = place(shown_root, &r.origin);
    Located::new(at.file, at.line, at.column, r.message)
}

/// What environment `env`'s runbook `ctx` requires; `shown_root` is how
/// the book's root is shown (`render::shown_root`).
pub fn expected(ctx: &Context, env: &Environment, shown_root: &str) -> Result<Expected, Located> {
    let step_ref = |id: &str, path: &str, line: usize| StepRef {
        id: id.to_string(),
        at: SourcePlace {
            file: format!("{shown_root}{path}"),
            line,
            column: 1,
        },
    };
    let mut agents = Vec::new();
    for a in &ctx.agents {
        let Some(declared) = env.agents.iter().find(|e| e.key == a.key) else {
            continue;
        };
        // The step that creates the agent names its type and its name;
        // the step that selects its partition, in the same chapter, shows
        // the partition as code.
        let mut created_by = None;
        let mut partition_step = None;
        'chapters: for c in &ctx.chapters {
            let mut after_creation = false;
            for s in &c.steps {
                if !after_creation && s.text.contains(a.connector) && s.text.contains(&a.name) {
                    created_by = Some(step_ref(&s.id, &c.source.path, s.source.line));
                    after_creation = true;
                }
                if after_creation && s.markdown.contains(&format!("`{}`", a.partition)) {
                    partition_step = Some(step_ref(&s.id, &c.source.path, s.source.line));
                    break 'chapters;
                }
            }
            if after_creation {
                break;
            }
        }
        let scope = env
            .scope(&a.key)
            .map_err(|r| refused(shown_root, r))?
            .map(|s| ExpectedScope {
                include: Required {
                    value: s.include.value,
                    at: place(shown_root, &s.include.origin),
                },
                exclude: Required {
                    value: s.exclude.value,
                    at: place(shown_root, &s.exclude.origin),
                },
            });
        let profiles = a
            .profiles
            .iter()
            .filter_map(|p| {
                let step = StepType::from_xml(p.step_type, p.subtype.as_ref().map(|s| s.value))?;
                let created_by = ctx.chapters.iter().find_map(|c| {
                    let ps = c
                        .profile_steps
                        .iter()
                        .find(|ps| ps.agent.key == a.key && ps.profile == p.name)?;
                    let line = c
                        .profiles
                        .iter()
                        .find(|r| r.name == p.name)
                        .map_or(c.source.line, |r| r.line);
                    Some(step_ref(&ps.id, &c.source.path, line))
                });
                Some(ExpectedProfile {
                    name: p.name.clone(),
                    steps: vec![step],
                    created_by,
                })
            })
            .collect();
        agents.push(ExpectedAgent {
            key: a.key.clone(),
            name: a.name.clone(),
            connector: declared.connector,
            partition: a.partition.clone(),
            // Where its name is set, which is what the export is matched by.
            at: place(
                shown_root,
                env.tree
                    .at(&["agents", &a.key, "name"])
                    .map_or(&declared.origin, |n| &n.origin),
            ),
            created_by,
            partition_step,
            scope,
            profiles,
        });
    }
    let provisioning = env
        .provisioning()
        .map_err(|r| refused(shown_root, r))?
        .map(|p| Required {
            value: p.value,
            at: place(shown_root, &p.origin),
        });
    let deletion_rules = env
        .deletion_rules()
        .map_err(|r| refused(shown_root, r))?
        .into_iter()
        .map(|(t, r)| {
            (
                t,
                Required {
                    value: r.value,
                    at: place(shown_root, &r.origin),
                },
            )
        })
        .collect();
    Ok(Expected {
        environment: env.name.clone(),
        agents,
        provisioning,
        deletion_rules,
    })
}
