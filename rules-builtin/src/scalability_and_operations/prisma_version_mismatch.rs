use crate::support::connections::project_env;
use crate::support::versions::window_of;
use prisma_audit_core::declare_rule;
use prisma_audit_core::env::DepRef;
use prisma_audit_core::env::package_json::Version;
use prisma_audit_core::finding::{FixSafety, Severity};
use prisma_audit_core::rule::{RawEdit, RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Compares the `prisma` CLI and `@prisma/client` versions of the `package.json` owning
    /// the schema (and the root one in monorepos). When a lockfile (`package-lock.json`,
    /// `pnpm-lock.yaml`, `yarn.lock`) records both, it compares the locked versions. Otherwise
    /// it compares what the two specifiers can install: the two packages are released together
    /// with the same version numbers, so ranges with the same upper bound (`^5.22.0` and
    /// `^5.22.0`, `^7.4.1` and `^7.3.0`) install the same version and are not reported.
    ///
    /// - **certain** (high; critical across majors): the locked versions differ, or the
    ///   specifiers allow no common version (`6.5.0` and `6.10.1`, `^6.0.0` and `^7.0.0`);
    /// - **possible** (low): the specifiers overlap but a fresh install or an update can split
    ///   them, e.g. `^6.12.0` next to `6.12.0` (the range takes the newest 6.x).
    ///
    /// Silent when a specifier cannot be bounded (`workspace:*`, git URLs, `^5 || ^6`).
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
    /// Declare both the same way. With a lockfile: pin both to the newer locked version. Without
    /// one: give the older specifier the newer one's text (certain mismatch), or pin the range to
    /// the exact version next to it (possible mismatch). Then reinstall and run
    /// `prisma generate`.
    ///
    /// ## Fix safety
    /// Unsafe: it changes which version of a package gets installed. Every fix leaves the two
    /// specifiers identical, so it never creates a mismatch of its own; no fix is offered when
    /// neither specifier is exact and the lockfile does not decide.
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

/// What goes wrong when the CLI is on `cli` and the runtime on `client`.
fn consequence(cli: &Version, client: &Version) -> &'static str {
    if cli.major != client.major {
        "a different major: the generated client and the runtime are incompatible and \
         `prisma generate` or every query fails"
    } else if cli < client {
        "the older CLI generates the client and the engine, so the runtime's newer fixes and \
         features are typed but not executed (or generation warns about the mismatch)"
    } else {
        "the newer CLI generates code the older runtime does not understand, which can fail at \
         startup or on specific queries"
    }
}

/// An edit setting `dep`'s specifier to `spec`, unless it already is (or `spec` would need
/// JSON escaping).
fn set_spec(dep: &DepRef, spec: &str) -> Option<RawEdit> {
    (dep.dep.spec != spec && !spec.contains(['"', '\\'])).then(|| RawEdit {
        span: dep.span,
        replacement: format!("\"{spec}\""),
    })
}

fn fix(title: String, edits: Vec<RawEdit>) -> Option<RawFix> {
    (!edits.is_empty()).then_some(RawFix {
        title,
        safety: FixSafety::Unsafe,
        edits,
        sql: None,
    })
}

impl Rule for PrismaVersionMismatch {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        let (Some(cli), Some(client)) = (&env.cli, &env.client) else {
            return;
        };
        let pkg = |d: &DepRef| env.packages[d.package].path.clone();
        let other_of = |d: &DepRef| {
            if std::ptr::eq(d, cli) { client } else { cli }
        };
        let finding = |at: &DepRef, message: String, severity: Severity, help: String| {
            let other = other_of(at);
            RawFinding::new("prisma|@prisma/client", message)
                .at(at.span)
                .related(other.span, format!("`{}` is declared here", other.dep.name))
                .severity(severity)
                .help(help)
        };

        // The lockfile records both: it decides.
        if let (Some((cv, _)), Some((lv, _))) = (&cli.resolved, &client.resolved) {
            if cv == lv {
                return;
            }
            let newer = cv.clone().max(lv.clone()).to_string();
            let older = if cv < lv { cli } else { client };
            let severity = if cv.major != lv.major {
                Severity::Critical
            } else {
                Severity::High
            };
            let edits: Vec<RawEdit> = [cli, client]
                .into_iter()
                .filter_map(|d| set_spec(d, &newer))
                .collect();
            let mut f = finding(
                older,
                format!(
                    "`prisma` {} (CLI) and `@prisma/client` {} are installed at different versions: {}",
                    cli.describe(),
                    client.describe(),
                    consequence(cv, lv)
                ),
                severity,
                format!(
                    "Prisma requires the CLI and the client on the same version. Pin both to \
                     {newer} (`npm i -D prisma@{newer} && npm i @prisma/client@{newer}`, or the \
                     pnpm/yarn equivalent) so the lockfile follows, and run `prisma generate`."
                ),
            );
            if let Some(fx) = fix(
                format!("Pin `prisma` and `@prisma/client` to {newer}"),
                edits,
            ) {
                f = f.fix(fx);
            }
            out.push(f);
            return;
        }

        // Otherwise, what the specifiers can install.
        let (Some(cw), Some(lw)) = (window_of(cli), window_of(client)) else {
            return;
        };
        if cw.installs_like(&lw) {
            return;
        }
        if !cw.overlaps(&lw) {
            let (older, newer) = if cw.lo < lw.lo {
                (cli, client)
            } else {
                (client, cli)
            };
            let severity = if cw.lo.major != lw.lo.major {
                Severity::Critical
            } else {
                Severity::High
            };
            let spec = newer.dep.spec.trim().to_string();
            let mut f = finding(
                older,
                format!(
                    "`prisma` `{}` (CLI) and `@prisma/client` `{}` allow no common version: {}",
                    cli.dep.spec,
                    client.dep.spec,
                    consequence(&cw.lo, &lw.lo)
                ),
                severity,
                format!(
                    "Prisma requires the CLI and the client on the same version. Declare both as \
                     `{spec}` in `{}`, reinstall, and run `prisma generate`.",
                    pkg(older)
                ),
            );
            if let Some(fx) = fix(
                format!("Set `{}` to `{spec}`", older.dep.name),
                set_spec(older, &spec).into_iter().collect(),
            ) {
                f = f.fix(fx);
            }
            out.push(f);
            return;
        }

        // They overlap, but a fresh install or an update can split them.
        let (loose, lw_loose, pinned) = if cw.exact {
            (client, &lw, Some(cli))
        } else if lw.exact {
            (cli, &cw, Some(client))
        } else {
            (cli, &cw, None)
        };
        let newest = lw_loose
            .newest_known()
            .map_or(String::new(), |v| format!(" ({v} as of the release table)"));
        let other = other_of(loose);
        let mut f = finding(
            loose,
            format!(
                "`prisma` `{}` (CLI) and `@prisma/client` `{}` can install different versions: no \
                 lockfile records them, and `{}` takes the newest release it allows{newest} while \
                 `{}` does not follow",
                cli.dep.spec, client.dep.spec, loose.dep.spec, other.dep.spec
            ),
            Severity::Low,
            "Prisma requires the CLI and the client on the same version. Declare both with the \
             same specifier (pinning both to one exact version is the simplest), so that no \
             install or update can move one without the other."
                .to_string(),
        );
        if let Some(pinned) = pinned {
            let spec = pinned.dep.spec.trim().to_string();
            if let Some(fx) = fix(
                format!(
                    "Pin `{}` to `{spec}` like `{}`",
                    loose.dep.name, pinned.dep.name
                ),
                set_spec(loose, &spec).into_iter().collect(),
            ) {
                f = f.fix(fx);
            }
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "prisma-version-mismatch";

    const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
}
"#;

    /// A project whose package.json declares the `prisma` CLI and `@prisma/client`.
    fn project(cli: &str, client: &str) -> Case {
        Case::files(&[
            ("prisma/schema.prisma", SCHEMA),
            (
                "package.json",
                &format!(
                    r#"{{"dependencies":{{"@prisma/client":"{client}"}},"devDependencies":{{"prisma":"{cli}"}}}}"#
                ),
            ),
        ])
    }

    /// Both locked at 6.10.1.
    const NPM_LOCK_SAME: &str = r#"{"packages":{"node_modules/prisma":{"version":"6.10.1"},"node_modules/@prisma/client":{"version":"6.10.1"}}}"#;

    /// The CLI locked at 6.5.0, the client at 6.10.1.
    const YARN_LOCK_APART: &str = r#""prisma@^6.5.0":
  version "6.5.0"
"@prisma/client@^6.10.0":
  version "6.10.1"
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                // Ranges that install the same version.
                project("6.10.1", "6.10.1"),
                project("^5.22.0", "^5.22.0"),
                project("^7.4.1", "^7.3.0"),
                project("^7.9.1", "^7.0.0"),
                project("~6.5.0", "~6.5.2"),
                project("workspace:*", "6.5.0"),
                // The lockfile decides.
                project("^6.5.0", "6.10.1").with_file("package-lock.json", NPM_LOCK_SAME),
            ],
            &[
                // Exact versions that differ: high, the fix aligns them on the newer one.
                project("6.5.0", "6.10.1"),
                // A range next to a pin: a low possible mismatch, the fix pins the range.
                project("^6.12.0", "6.12.0"),
                // Caret next to tilde: no fix, neither is the obvious target.
                project("^6.5.0", "~6.5.0"),
                // Locked apart: high; both pinned to the newer locked version.
                project("^6.5.0", "^6.10.0").with_file("yarn.lock", YARN_LOCK_APART),
                // Different majors: critical.
                project("7.0.0", "6.19.0"),
                project("^6.0.0", "^7.0.0"),
            ],
        ));
    }
}
