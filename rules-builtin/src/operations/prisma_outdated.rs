use crate::security::project_env;
use prisma_audit_core::declare_rule;
use prisma_audit_core::env::releases::{self, AS_OF, PRISMA7_CHANGES};
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Compares the project's Prisma version (the locked `prisma` CLI, else the declared one)
    /// with a table of Prisma releases compiled into the tool, and says what changes on
    /// upgrade. The table is a snapshot as of 2026-11-25 (latest 7.10.1, last 6.x 6.19.3);
    /// versions newer than the table knows are never reported.
    ///
    /// ## Why is this bad?
    /// Old releases miss bug and security fixes and drift further from the documentation;
    /// the longer an upgrade waits, the more breaking changes pile up. Prisma 6 projects face
    /// the Prisma 7 migration (config file, driver adapters, new generator).
    ///
    /// ## Example
    /// ```json
    /// { "devDependencies": { "prisma": "6.5.0" } }
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

impl Rule for PrismaOutdated {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        let Some(dep) = env.cli.as_ref().or(env.client.as_ref()) else {
            return;
        };
        let Some(v) = env.prisma_version() else {
            return;
        };
        let latest = releases::latest();
        if v >= latest {
            return;
        }
        let released = releases::release_of(&v)
            .map(|r| format!(" (released {})", r.date))
            .unwrap_or_default();
        let mut parts = Vec::new();
        let mut severity = Severity::Low;
        if let Some(last) = releases::latest_in_major(v.major).filter(|l| *l > v) {
            let behind = releases::minors_behind(&v);
            if behind > 0 {
                parts.push(format!(
                    "{behind} minor release{} behind {last}, the last {}.x",
                    if behind == 1 { "" } else { "s" },
                    v.major
                ));
            } else {
                parts.push(format!(
                    "behind {last}, the last patch of {}.{}",
                    v.major, v.minor
                ));
            }
            if behind >= 6 {
                severity = Severity::Medium;
            }
        }
        let majors = latest.major.saturating_sub(v.major);
        if majors > 0 {
            parts.push(format!(
                "{} behind {latest}",
                if majors == 1 {
                    "a major".to_string()
                } else {
                    format!("{majors} majors")
                }
            ));
            severity = if majors >= 2 {
                Severity::High
            } else {
                Severity::Medium
            };
        }
        let mut help = String::new();
        if let Some(last) = releases::latest_in_major(v.major).filter(|l| *l > v) {
            help.push_str(&format!("Upgrade to {last} first (same major; read the release notes in between), pinning `prisma` and `@prisma/client` to the same version. "));
        }
        if v.major < 7 {
            help.push_str(PRISMA7_CHANGES);
            help.push_str(" Guide: https://www.prisma.io/docs/guides/upgrade-prisma-orm/v7");
        } else {
            help.push_str(&format!(
                "Upgrade to {latest}: https://github.com/prisma/prisma/releases"
            ));
        }
        out.push(
            RawFinding::new(
                format!("prisma@{}", v.major),
                format!(
                    "Prisma {v}{released} is {} (release table as of {AS_OF})",
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
    use crate::test_util::findings;
    use prisma_audit_core::finding::Severity;

    const SCHEMA: &str = "datasource db {\n  provider = \"postgresql\"\n}\n";

    fn run(cli: &str) -> Vec<prisma_audit_core::finding::Finding> {
        let p = format!(r#"{{"devDependencies":{{"prisma":"{cli}"}}}}"#);
        findings(
            "prisma-outdated",
            &[("prisma/schema.prisma", SCHEMA), ("package.json", &p)],
        )
    }

    #[test]
    fn old_6_is_medium_and_explains_prisma7() {
        let f = run("6.5.0");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Medium);
        assert!(f[0].message.starts_with("Prisma 6.5.0 (released 2025-03) is 14 minor releases behind 6.19.3, the last 6.x and a major behind 7.10.1 (release table as of 2026-11-25)"), "{}", f[0].message);
        let help = f[0].help.as_deref().unwrap();
        assert!(help.contains("prisma.config.ts") && help.contains("driver adapter"));
    }

    #[test]
    fn docs_state_the_table_date() {
        let docs = super::PrismaOutdated::META.docs;
        assert!(docs.contains(prisma_audit_core::env::releases::AS_OF));
        assert!(docs.contains(&prisma_audit_core::env::releases::latest().to_string()));
    }

    #[test]
    fn latest_and_future_pass() {
        assert!(run("7.10.1").is_empty());
        assert!(run("^8.0.0").is_empty());
    }

    #[test]
    fn slightly_behind_is_low_and_very_old_is_high() {
        let f = run("7.9.0");
        assert_eq!(f[0].severity, Severity::Low);
        assert_eq!(run("5.22.0")[0].severity, Severity::High);
        assert!(run("latest").is_empty());
    }
}
