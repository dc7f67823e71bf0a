use crate::support::connections::project_env;
use crate::support::versions::{last_of_major, window_of};
use prisma_audit_core::declare_rule;
use prisma_audit_core::env::releases::{self, AS_OF, PRISMA7_CHANGES};
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Compares the project's Prisma version with a table of Prisma releases compiled into the
    /// tool, and says what changes on upgrade. The version is the one a lockfile records for
    /// `prisma` (else `@prisma/client`); without a lockfile, the older of the two packages,
    /// each read as its exact version or the newest release its range allows (`^6.12.0`
    /// installs the last 6.x, so it is never "minor releases behind"). The table is a snapshot as of 2026-11-25 (latest 7.10.1, last 6.x 6.19.3);
    /// versions newer than the table knows, and ranges that reach the newest release, are
    /// never reported.
    ///
    /// Severity follows the distance:
    /// - a major or more behind (Prisma 6, with what the Prisma 7 upgrade changes; Prisma 5
    ///   and older, majors that get no more releases): medium;
    /// - same major: low when six or more minor releases behind, silent otherwise (a release
    ///   or two behind is normal).
    ///
    /// MongoDB projects are measured against the last 6.x: Prisma 7 does not support MongoDB.
    ///
    /// ## Why is this bad?
    /// Old releases miss bug and security fixes and drift further from the documentation;
    /// the longer an upgrade waits, the more breaking changes pile up. Prisma 6 projects face
    /// the Prisma 7 migration (config file, driver adapters, new generator).
    ///
    /// ## Example
    /// ```json
    /// { "devDependencies": { "prisma": "5.22.0" } }
    /// ```
    ///
    /// ## Fix
    /// Upgrade to the latest release of the current major first, then plan the major upgrade
    /// with Prisma's upgrade guide.
    ///
    /// ## References
    /// - https://github.com/prisma/prisma/releases
    /// - https://www.prisma.io/docs/guides/upgrade-prisma-orm/v7
    pub struct PrismaOutdated;
    id = "prisma-outdated",
    summary = "Prisma is older than the latest release known to the tool",
    category = ScalabilityAndOperations,
    severity = Medium,
    fixable = false,
    enabled = true,
}

/// Minor releases behind within the current major before a same-major finding.
const MINORS_BEHIND: usize = 6;

impl Rule for PrismaOutdated {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        let locked = [&env.cli, &env.client].into_iter().flatten().find_map(|d| {
            d.resolved
                .as_ref()
                .map(|(v, lock)| (d, v.clone(), lock.clone()))
        });
        // The version the project runs, how it is shown, and whether it is known exactly.
        let (dep, v, shown, exact) = match locked {
            Some((d, v, lock)) => {
                let shown = format!("{v} (locked in `{lock}`)");
                (d, v, shown, true)
            }
            None => {
                // The older of the two packages (a pinned client behind a CLI range lags
                // behind, whatever the CLI installs). `None` from `newest_known`: the range
                // reaches the newest release the table knows.
                let Some((dep, w, newest)) = [&env.cli, &env.client]
                    .into_iter()
                    .flatten()
                    .filter_map(|d| {
                        let w = window_of(d)?;
                        let newest = w.newest_known()?;
                        Some((d, w, newest))
                    })
                    .min_by(|a, b| a.2.cmp(&b.2))
                else {
                    return;
                };
                if w.exact {
                    let released = releases::release_of(&newest)
                        .map(|r| format!(" (released {})", r.date))
                        .unwrap_or_default();
                    (dep, newest.clone(), format!("{newest}{released}"), true)
                } else {
                    let last = if last_of_major(newest.major).as_ref() == Some(&newest) {
                        format!(", the last {}.x", newest.major)
                    } else {
                        String::new()
                    };
                    let shown = format!(
                        "`{}` (installs at most {newest}{last})",
                        dep.dep.spec.trim()
                    );
                    (dep, newest, shown, false)
                }
            }
        };
        let mongodb = env.provider() == Some("mongodb");
        let target = if mongodb && v.major <= 6 {
            releases::latest_in_major(6).unwrap_or_else(releases::latest)
        } else {
            releases::latest()
        };
        if v >= target {
            return;
        }
        let majors = target.major.saturating_sub(v.major);
        let mut parts = Vec::new();
        let mut behind = 0;
        // Minor releases are counted where the table lists them (6.x and later).
        if let Some(last) = releases::latest_in_major(v.major).filter(|l| *l > v) {
            behind = releases::minors_behind(&v);
            if behind > 0 {
                parts.push(format!(
                    "{behind} minor release{} behind {last}, the last {}.x",
                    if behind == 1 { "" } else { "s" },
                    v.major
                ));
            } else if exact {
                parts.push(format!(
                    "behind {last}, the last patch of {}.{}",
                    v.major, v.minor
                ));
            }
        }
        let severity = match majors {
            0 if exact && behind >= MINORS_BEHIND => Severity::Low,
            0 => return,
            _ => Severity::Medium,
        };
        if majors > 0 {
            let last = last_of_major(v.major)
                .filter(|l| majors >= 2 && *l != v)
                .map(|l| format!("; the last {}.x was {l}", v.major))
                .unwrap_or_default();
            parts.push(format!(
                "{} behind {target}{}{last}",
                if majors == 1 {
                    "a major".to_string()
                } else {
                    format!("{majors} majors")
                },
                if mongodb {
                    " (the last release for MongoDB)"
                } else {
                    ""
                }
            ));
        }
        let mut help = String::new();
        if let Some(last) = last_of_major(v.major).filter(|l| *l > v) {
            help.push_str(&format!(
                "Upgrade to {last} first (same major; read the release notes in between), pinning \
                 `prisma` and `@prisma/client` to the same version. "
            ));
        }
        if mongodb && target.major < 7 {
            help.push_str("Prisma 7 does not support MongoDB yet: stay on the latest 6.x.");
        } else if v.major < 7 {
            help.push_str(PRISMA7_CHANGES);
            help.push_str(" Guide: https://www.prisma.io/docs/guides/upgrade-prisma-orm/v7");
        } else {
            help.push_str(&format!(
                "Upgrade to {target}: https://github.com/prisma/prisma/releases"
            ));
        }
        out.push(
            RawFinding::new(
                format!("prisma@{}", v.major),
                format!(
                    "Prisma {shown} is {} (release table as of {AS_OF})",
                    parts.join(" and ")
                ),
            )
            .at(dep.span)
            .severity(severity)
            .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "prisma-outdated";

    const POSTGRES: &str = r#"datasource db {
  provider = "postgresql"
}
"#;

    const MONGO: &str = r#"datasource db {
  provider = "mongodb"
}
"#;

    /// A project on `schema` whose package.json declares the `prisma` CLI at `cli`.
    fn project(schema: &str, cli: &str) -> Case {
        Case::files(&[
            ("prisma/schema.prisma", schema),
            (
                "package.json",
                &format!(r#"{{"devDependencies":{{"prisma":"{cli}"}}}}"#),
            ),
        ])
    }

    fn cli(version: &str) -> Case {
        project(POSTGRES, version)
    }

    /// The client is pinned below what the CLI range allows: the pinned version is judged.
    const PINNED_CLIENT_BEHIND_CLI_RANGE: &str =
        r#"{"dependencies":{"@prisma/client":"6.2.1"},"devDependencies":{"prisma":"^6.2.1"}}"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                cli("7.10.1"),
                cli("^8.0.0"),
                cli("latest"),
                // Ranges that reach the newest release.
                cli("^7.4.1"),
                cli(">=6.0.0"),
                // Same major, fewer than six minor releases behind.
                cli("7.9.0"),
                cli("7.8.0"),
                // MongoDB is measured against the last 6.x (Prisma 7 does not support it).
                project(MONGO, "6.19.3"),
                project(MONGO, "^6.10.0"),
            ],
            &[
                // A major behind: medium, the help explains the move to Prisma 7.
                cli("6.5.0"),
                // A range is judged by the newest release it allows.
                cli("^6.12.0"),
                Case::files(&[
                    ("prisma/schema.prisma", POSTGRES),
                    ("package.json", PINNED_CLIENT_BEHIND_CLI_RANGE),
                ]),
                // Same major, six minor releases behind: low.
                cli("7.4.2"),
                // Two majors behind: medium too.
                cli("^5.22.0"),
                cli("5.10.2"),
                cli("4.13.0"),
                project(MONGO, "5.22.0"),
            ],
        ));
    }

    #[test]
    fn docs_state_the_table_date() {
        let docs = super::PrismaOutdated::META.docs;
        assert!(docs.contains(prisma_audit_core::env::releases::AS_OF));
        assert!(docs.contains(&prisma_audit_core::env::releases::latest().to_string()));
    }
}
