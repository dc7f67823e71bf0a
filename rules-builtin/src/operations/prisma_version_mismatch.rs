use crate::security::project_env;
use prisma_audit_core::declare_rule;
use prisma_audit_core::env::package_json::VersionSpec;
use prisma_audit_core::finding::{FixSafety, Severity};
use prisma_audit_core::rule::{RawEdit, RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Compares the `prisma` CLI and `@prisma/client` versions of the `package.json` owning
    /// the schema (and the root one in monorepos), using the versions a lockfile
    /// (`package-lock.json`, `pnpm-lock.yaml`, `yarn.lock`) resolved when there is one.
    ///
    /// ## Why is this bad?
    /// `prisma generate` (run by the CLI) writes the client code that `@prisma/client` loads
    /// at runtime. With different versions the generated code, the runtime and the query
    /// engine disagree: generation warns or fails, new query features are typed but not
    /// executed, and fixes of one version are missing in the other. Prisma requires both
    /// packages on the same version.
    ///
    /// ## Example
    /// ```json
    /// { "dependencies": { "@prisma/client": "6.10.1" }, "devDependencies": { "prisma": "6.5.0" } }
    /// ```
    ///
    /// ## Fix
    /// Pin both to the same exact version (`npm i -D prisma@X && npm i @prisma/client@X`),
    /// then run `prisma generate`.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/more/upgrade-guides/upgrading-versions
    pub struct PrismaVersionMismatch;
    id = "prisma-version-mismatch",
    summary = "The prisma CLI and @prisma/client versions differ",
    category = ScalabilityAndOperations,
    severity = High,
    fixable = true,
    enabled = true,
}

impl Rule for PrismaVersionMismatch {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        let (Some(cli), Some(client)) = (&env.cli, &env.client) else {
            return;
        };
        let (Some(cv), Some(lv)) = (cli.effective(), client.effective()) else {
            return;
        };
        if cv == lv {
            return;
        }
        let locked = cli.resolved.is_some() && client.resolved.is_some();
        let exact = matches!(VersionSpec::parse(&cli.dep.spec), VersionSpec::Exact(_))
            && matches!(VersionSpec::parse(&client.dep.spec), VersionSpec::Exact(_));
        let (severity, certainty) = if locked || exact {
            let sev = if cv.major != lv.major {
                Severity::Critical
            } else {
                Severity::High
            };
            (sev, "")
        } else {
            (
                Severity::Medium,
                " (the ranges may resolve to different versions; no lockfile records them)",
            )
        };
        let newer = cv.clone().max(lv.clone());
        let older_is_cli = cv < lv;
        let (older, other) = if older_is_cli {
            (cli, client)
        } else {
            (client, cli)
        };
        let breaks = if cv.major != lv.major {
            "a different major: the generated client and the runtime are incompatible and `prisma generate` or every query fails"
        } else if older_is_cli {
            "the older CLI generates the client and the engine, so the runtime's newer fixes and features are typed but not executed (or generation warns about the mismatch)"
        } else {
            "the newer CLI generates code the older runtime does not understand, which can fail at startup or on specific queries"
        };
        let pkg = &env.packages[older.package].path;
        out.push(
            RawFinding::new(
                "prisma|@prisma/client",
                format!(
                    "`prisma` {} (CLI) and `@prisma/client` {} differ{certainty}: {breaks}",
                    cli.describe(),
                    client.describe()
                ),
            )
            .at(older.span)
            .related(other.span, format!("`{}` is declared here", other.dep.name))
            .severity(severity)
            .help(format!("Prisma requires the CLI and the client on the same version. Pin both to {newer} in `{pkg}` (`npm i -D prisma@{newer} && npm i @prisma/client@{newer}`, or the pnpm/yarn equivalent), reinstall so the lockfile follows, and run `prisma generate`."))
            .fix(RawFix {
                title: format!("Set `{}` to {newer}", older.dep.name),
                safety: FixSafety::Unsafe,
                edits: vec![RawEdit {
                    span: older.span,
                    replacement: format!("\"{newer}\""),
                }],
                sql: None,
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::test_util::findings;
    use prisma_audit_core::finding::Severity;

    const SCHEMA: &str = "datasource db {\n  provider = \"postgresql\"\n}\n";

    fn pkg(cli: &str, client: &str) -> String {
        format!(
            r#"{{"dependencies":{{"@prisma/client":"{client}"}},"devDependencies":{{"prisma":"{cli}"}}}}"#
        )
    }

    #[test]
    fn exact_mismatch() {
        let p = pkg("6.5.0", "6.10.1");
        let f = findings(
            "prisma-version-mismatch",
            &[("prisma/schema.prisma", SCHEMA), ("package.json", &p)],
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::High);
        assert!(
            f[0].message
                .contains("`prisma` `6.5.0` (CLI) and `@prisma/client` `6.10.1` differ"),
            "{}",
            f[0].message
        );
        assert_eq!(
            f[0].fix.as_ref().unwrap().edits[0].replacement,
            "\"6.10.1\""
        );
        assert_eq!(f[0].related.len(), 1);
    }

    #[test]
    fn equal_versions_pass() {
        let p = pkg("6.10.1", "6.10.1");
        assert!(
            findings(
                "prisma-version-mismatch",
                &[("prisma/schema.prisma", SCHEMA), ("package.json", &p)]
            )
            .is_empty()
        );
    }

    #[test]
    fn ranges_without_lockfile_are_medium_and_lockfile_decides() {
        let p = pkg("^6.5.0", "^6.10.0");
        let f = findings(
            "prisma-version-mismatch",
            &[("prisma/schema.prisma", SCHEMA), ("package.json", &p)],
        );
        assert_eq!(f[0].severity, Severity::Medium);
        let lock = r#"{"packages":{"node_modules/prisma":{"version":"6.10.1"},"node_modules/@prisma/client":{"version":"6.10.1"}}}"#;
        let f = findings(
            "prisma-version-mismatch",
            &[
                ("prisma/schema.prisma", SCHEMA),
                ("package.json", &p),
                ("package-lock.json", lock),
            ],
        );
        assert!(f.is_empty(), "{f:#?}");
        let lock = "\"prisma@^6.5.0\":\n  version \"6.5.0\"\n\"@prisma/client@^6.10.0\":\n  version \"6.10.1\"\n";
        let f = findings(
            "prisma-version-mismatch",
            &[
                ("prisma/schema.prisma", SCHEMA),
                ("package.json", &p),
                ("yarn.lock", lock),
            ],
        );
        assert_eq!(f[0].severity, Severity::High);
        assert!(
            f[0].message.contains("locked at 6.5.0 in `yarn.lock`"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn major_mismatch_is_critical() {
        let p = pkg("7.0.0", "6.19.0");
        let f = findings(
            "prisma-version-mismatch",
            &[("prisma/schema.prisma", SCHEMA), ("package.json", &p)],
        );
        assert_eq!(f[0].severity, Severity::Critical);
    }
}
