use crate::support::connections::{connections, project_env};
use prisma_audit_core::declare_rule;
use prisma_audit_core::env::UrlRole;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports a pooled `url` (PgBouncer `pgbouncer=true`, Supavisor port 6543, Neon
    /// `-pooler`, Prisma Accelerate) without a `directUrl` for the Prisma CLI. With Prisma 7,
    /// reports a pooled `datasource.url` in `prisma.config.ts`, which Migrate uses.
    ///
    /// ## Why is this bad?
    /// Prisma Migrate needs a session-level connection (advisory locks, prepared statements,
    /// DDL in transactions). Through a transaction-mode pooler or Accelerate `migrate deploy`
    /// hangs or fails, typically in the middle of a deploy.
    ///
    /// ## Example
    /// ```prisma
    /// datasource db {
    ///   provider = "postgresql"
    ///   url      = env("DATABASE_URL") // ...:6543/postgres?pgbouncer=true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add `directUrl = env("DIRECT_URL")` pointing at the database itself (port 5432), or
    /// with Prisma 7 give `prisma.config.ts` the direct URL and the adapter the pooled one.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-client/setup-and-configuration/databases-connections/pgbouncer#prisma-migrate-and-pgbouncer-workaround
    pub struct PooledUrlWithoutDirectUrl;
    id = "pooled-url-without-direct-url",
    summary = "Migrations would run through a connection pooler",
    category = ScalabilityAndOperations,
    severity = High,
    fixable = false,
    enabled = true,
}

impl Rule for PooledUrlWithoutDirectUrl {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        let has_direct = env.url(UrlRole::DirectUrl).is_some();
        let prisma7 = env.is_prisma7();
        for conn in connections(&env) {
            if conn.decl.role != UrlRole::Url || has_direct {
                continue;
            }
            let Some(pooler) = conn.url.pooler() else {
                continue;
            };
            let message = if prisma7 {
                format!(
                    "{} goes through {pooler} and is the URL Prisma Migrate uses (`datasource.url` \
                     of prisma.config.ts): migrations would run through the pooler",
                    conn.describe(&env)
                )
            } else {
                format!(
                    "{} goes through {pooler} but the datasource has no `directUrl`: \
                     `prisma migrate` would run through the pooler",
                    conn.describe(&env)
                )
            };
            out.push(
                RawFinding::new(conn.anchor(), message)
                    .at(conn.value.span)
                    .related(conn.decl.span, "declared here")
                    .help(
                        "Prisma Migrate needs a session-level connection (advisory locks, prepared \
                         statements, DDL in a transaction); through a transaction-mode pooler or \
                         Accelerate, `migrate deploy` hangs or fails mid-deploy. Add \
                         `directUrl = env(\"DIRECT_URL\")` with the database's own address (port \
                         5432), or with Prisma 7 put the direct URL in prisma.config.ts and give \
                         the pooled one to the driver adapter.",
                    ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "pooled-url-without-direct-url";

    const URL_ONLY: &str = r#"datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
"#;

    const WITH_DIRECT_URL: &str = r#"datasource db {
  provider  = "postgresql"
  url       = env("DATABASE_URL")
  directUrl = env("DIRECT_URL")
}
"#;

    const SUPABASE_POOLER: &str = r#"DATABASE_URL=postgres://u:p@aws-0-eu.pooler.supabase.com:6543/postgres?pgbouncer=true
"#;

    const POOLED_AND_DIRECT: &str = r#"DATABASE_URL=postgres://u:p@h:6543/postgres?pgbouncer=true
DIRECT_URL=postgres://u:p@h:5432/postgres
"#;

    const UNPOOLED: &str = r#"DATABASE_URL=postgres://u:p@h:5432/db
"#;

    fn project(schema: &str, env: &str) -> Case {
        Case::files(&[("schema.prisma", schema), (".env", env)])
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                project(WITH_DIRECT_URL, POOLED_AND_DIRECT),
                project(URL_ONLY, UNPOOLED),
            ],
            &[project(URL_ONLY, SUPABASE_POOLER)],
        ));
    }
}
