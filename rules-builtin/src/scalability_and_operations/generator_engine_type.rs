use crate::support::connections::project_env;
use crate::support::versions::newest_possible;
use prisma_audit_core::declare_rule;
use prisma_audit_core::env::package_json::Version;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Checks the generator's `engineType` against the declared Prisma version: `library` /
    /// `binary` on Prisma 7 (the Rust query engine is gone), `client` before 6.16 (needs the
    /// `queryCompiler` and `driverAdapters` preview flags), and `binary` on serverless.
    ///
    /// Version checks hold for every install the project allows: Prisma 7 when even the
    /// lowest allowed version is 7; before 6.16 only when the locked version, or the newest
    /// release the specifier allows, is older (`^6.12.0` may install 6.19 and is not reported).
    ///
    /// ## Why is this bad?
    /// A value the version does not support fails `prisma generate` or produces a client that
    /// cannot connect; the `binary` engine runs a separate process per instance, adding cold
    /// start time and memory on serverless platforms.
    ///
    /// ## Example
    /// ```prisma
    /// generator client {
    ///   provider   = "prisma-client-js"
    ///   engineType = "binary"
    /// }
    /// ```
    ///
    /// ## Fix
    /// On Prisma 7 remove `engineType` (or use `"client"`) and pass a driver adapter to
    /// `PrismaClient`; on Prisma 6 prefer the default `library` engine.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-schema/overview/generators
    /// - https://www.prisma.io/docs/guides/upgrade-prisma-orm/v7
    pub struct GeneratorEngineType;
    id = "generator-engine-type",
    summary = "engineType does not fit the Prisma version or the deployment",
    category = ScalabilityAndOperations,
    severity = Medium,
    fixable = false,
    enabled = true,
}

/// What to do instead: Prisma 7 has no Rust engine.
const PRISMA_7_HELP: &str = "Prisma 7 generates a Rust-free client that talks to the database \
     through a driver adapter. Remove `engineType` (or set it to \"client\") and create the client \
     with an adapter, e.g. `new PrismaClient({ adapter: new PrismaPg({ connectionString }) })`.";

/// What to do instead: before 6.16 the Rust-free client needs preview flags.
const CLIENT_PREVIEW_HELP: &str = "Before 6.16.0 the Rust-free client was a preview behind \
     `previewFeatures = [\"queryCompiler\", \"driverAdapters\"]`. Upgrade to 6.16 or later, or add \
     the preview flags and a driver adapter.";

/// What to do instead: the binary engine costs every serverless instance a process.
const BINARY_HELP: &str = "The binary engine runs as a child process talking HTTP to the client: \
     slower cold starts and more memory per function instance. Use the default `library` engine, \
     or the Rust-free client (`engineType = \"client\"` with a driver adapter) from 6.16 on.";

impl Rule for GeneratorEngineType {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        let version = env.prisma_version();
        let serverless = env.serverless_signs();
        for g in env.generators.iter().filter(|g| g.is_client()) {
            let Some((engine, span)) = &g.engine_type else {
                continue;
            };
            let v7 = version.as_ref().is_some_and(|v| v.major >= 7);
            let (message, severity, help) = match engine.as_str() {
                "library" | "binary" if v7 => (
                    format!(
                        "`engineType = \"{engine}\"` on Prisma {}: Prisma 7 has no Rust query engine",
                        version.as_ref().map(|v| v.to_string()).unwrap_or_default()
                    ),
                    Severity::High,
                    PRISMA_7_HELP,
                ),
                // Only when every install is older than 6.16: a range such as `^6.12.0`
                // may install 6.16 or later.
                "client"
                    if newest_possible(&env).is_some_and(|v| v < Version::new(6, 16, 0))
                        && !g.preview_features.iter().any(|(f, _)| f == "queryCompiler") =>
                {
                    (
                        format!(
                            "`engineType = \"client\"` needs Prisma 6.16 or the `queryCompiler` \
                             and `driverAdapters` preview features (declared: {})",
                            version.as_ref().map(|v| v.to_string()).unwrap_or_default()
                        ),
                        Severity::High,
                        CLIENT_PREVIEW_HELP,
                    )
                }
                "binary" if !serverless.is_empty() => (
                    format!(
                        "`engineType = \"binary\"` on a serverless deployment ({}): every instance \
                         starts a separate query-engine process",
                        serverless.join(", ")
                    ),
                    Severity::Medium,
                    BINARY_HELP,
                ),
                _ => continue,
            };
            out.push(
                RawFinding::new(format!("{}|engineType", g.name), message)
                    .at(*span)
                    .severity(severity)
                    .help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "generator-engine-type";

    const LIBRARY: &str = r#"generator client {
  provider   = "prisma-client-js"
  engineType = "library"
}
"#;

    const CLIENT: &str = r#"generator client {
  provider   = "prisma-client-js"
  engineType = "client"
}
"#;

    const BINARY: &str = r#"generator client {
  provider   = "prisma-client-js"
  engineType = "binary"
}
"#;

    /// `schema` with a package.json declaring `prisma` at `version`.
    fn on(version: &str, schema: &str) -> Case {
        Case::files(&[
            ("schema.prisma", schema),
            (
                "package.json",
                &format!(r#"{{"devDependencies":{{"prisma":"{version}"}}}}"#),
            ),
        ])
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                on("6.16.0", CLIENT),
                // A range that may install 6.16 or later is not certainly too old.
                on("^6.12.0", CLIENT),
                // Not serverless.
                on("6.10.0", BINARY),
                on("6.10.0", LIBRARY),
            ],
            &[
                on("7.1.0", LIBRARY),
                on("6.10.0", CLIENT),
                // `~6.12.0` installs 6.12.x only.
                on("~6.12.0", CLIENT),
                on("6.10.0", BINARY).with_file("vercel.json", "{}"),
            ],
        ));
    }
}
