use crate::support::connections::project_env;
use prisma_audit_core::declare_rule;
use prisma_audit_core::env::UrlOrigin;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// On Prisma 7 and later (from the locked or declared `prisma` version), reports `url`,
    /// `directUrl` and `shadowDatabaseUrl` in the schema's `datasource` block.
    ///
    /// ## Why is this bad?
    /// Prisma 7 rejects them (P1012 "The datasource property `url` is no longer supported in
    /// schema files"): `prisma generate`, `migrate` and the build fail.
    ///
    /// ## Example
    /// ```prisma
    /// datasource db {
    ///   provider = "postgresql"
    ///   url      = env("DATABASE_URL") // Prisma 7: error
    /// }
    /// ```
    ///
    /// ## Fix
    /// Move the URLs to `prisma.config.ts` (`datasource: { url: env("DATABASE_URL") }`) and
    /// pass a driver adapter (or `accelerateUrl`) to `PrismaClient`.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/guides/upgrade-prisma-orm/v7
    /// - https://www.prisma.io/docs/orm/reference/prisma-config-reference
    pub struct DatasourceUrlInSchema;
    id = "datasource-url-in-schema",
    summary = "Prisma 7 rejects connection URLs in the schema's datasource block",
    category = ScalabilityAndOperations,
    severity = Critical,
    fixable = false,
    enabled = true,
}

impl Rule for DatasourceUrlInSchema {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        let Some(v) = env.prisma_version().filter(|v| v.major >= 7) else {
            return;
        };
        let in_config = env
            .config
            .as_ref()
            .is_some_and(|(_, c)| c.get("datasource.url").is_some());
        for decl in env.urls.iter().filter(|d| d.origin == UrlOrigin::Schema) {
            let key = decl.role.key();
            let next = if in_config {
                "prisma.config.ts already declares `datasource.url`; delete this line"
            } else {
                "move it to `datasource` in prisma.config.ts"
            };
            let message = format!(
                "`{key}` in the datasource block is rejected by Prisma {v} (P1012): {next}"
            );
            let help = "Prisma 7 reads connection URLs from prisma.config.ts (`datasource: { url: \
                        env(\"DATABASE_URL\") }`) for the CLI, and Prisma Client gets its \
                        connection from a driver adapter (`new PrismaClient({ adapter })`) or \
                        `accelerateUrl`. Until the URL leaves the schema, `prisma generate` and \
                        `prisma migrate` fail.";
            out.push(
                RawFinding::new(format!("datasource|{key}"), message)
                    .at(decl.span)
                    .help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "datasource-url-in-schema";

    const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
"#;

    fn on(version: &str) -> Case {
        Case::files(&[
            ("schema.prisma", SCHEMA),
            (
                "package.json",
                &format!(r#"{{"devDependencies":{{"prisma":"{version}"}}}}"#),
            ),
        ])
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(ID, &[on("6.19.0")], &[on("^7.0.0")]));
    }
}
