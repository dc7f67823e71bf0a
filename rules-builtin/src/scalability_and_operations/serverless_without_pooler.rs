use crate::support::connections::{connections, project_env};
use prisma_audit_core::declare_rule;
use prisma_audit_core::env::UrlRole;
use prisma_audit_core::env::conn_url::HostKind;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports projects with signs of a serverless deployment (Next.js, `vercel.json`,
    /// Netlify, AWS Lambda, Cloudflare Workers, SST) whose runtime `url` connects straight
    /// to PostgreSQL/MySQL without a connection pooler (Prisma Accelerate, PgBouncer with
    /// `pgbouncer=true`, Supavisor on port 6543, Neon's `-pooler` endpoint).
    ///
    /// ## Why is this bad?
    /// Serverless platforms run many short-lived instances at once and each keeps its own
    /// connections. Without a pooler between them and the database, concurrency is capped by
    /// the database's `max_connections`: under load new requests fail to connect and idle
    /// instances hold connections until they are frozen.
    ///
    /// ## Example
    /// ```text
    /// # vercel.json present; .env:
    /// DATABASE_URL="postgresql://app:<password>@db.example.com:5432/app"
    /// ```
    ///
    /// ## Fix
    /// Put a pooler in front: Prisma Accelerate (`prisma+postgres://...`), or PgBouncer /
    /// Supavisor in transaction mode with `?pgbouncer=true` in `url`, and the direct URL in
    /// `directUrl` for migrations. With Prisma 7, a serverless driver adapter (Neon,
    /// PlanetScale) or the pooled URL in the adapter.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-client/setup-and-configuration/databases-connections#serverless-environments-faas
    /// - https://www.prisma.io/docs/orm/prisma-client/setup-and-configuration/databases-connections/pgbouncer
    pub struct ServerlessWithoutPooler;
    id = "serverless-without-pooler",
    summary = "A serverless deployment connects to the database without a pooler",
    category = ScalabilityAndOperations,
    severity = High,
    fixable = false,
    enabled = true,
}

impl Rule for ServerlessWithoutPooler {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        let signs = env.serverless_signs();
        if signs.is_empty() {
            return;
        }
        for conn in connections(&env) {
            if conn.decl.role != UrlRole::Url
                || conn.url.pooler().is_some()
                || matches!(conn.url.host_kind(), HostKind::Local | HostKind::None)
                || !matches!(
                    conn.url.scheme.as_str(),
                    "postgres" | "postgresql" | "mysql" | "cockroachdb" | "sqlserver"
                )
            {
                continue;
            }
            out.push(
                RawFinding::new(
                    conn.anchor(),
                    format!(
                        "The project deploys serverless ({}) but {} connects straight to {} \
                         without a connection pooler",
                        signs.join(", "),
                        conn.describe(&env),
                        conn.url.host_port()
                    ),
                )
                .at(conn.value.span)
                .help(
                    "Every concurrent function instance keeps its own connections, so concurrency \
                     is capped by the database's `max_connections`: under load requests fail to \
                     connect (P1001/P2024) and frozen instances hold connections. Route the \
                     runtime through a pooler — Prisma Accelerate, or PgBouncer/Supavisor in \
                     transaction mode with `?pgbouncer=true` — and keep the direct URL in \
                     `directUrl` for migrations; with Prisma 7, use a serverless driver adapter or \
                     give the adapter the pooled URL.",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "serverless-without-pooler";

    const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
"#;

    const DIRECT: &str = "postgres://u:p@db.example.com/app";

    const NEXT: &str = r#"{"dependencies":{"next":"15.0.0"}}"#;

    /// A project whose `.env` sets `DATABASE_URL` to `url`.
    fn project(url: &str) -> Case {
        Case::files(&[
            ("prisma/schema.prisma", SCHEMA),
            (".env", &format!("DATABASE_URL={url}\n")),
        ])
    }

    fn on_vercel(url: &str) -> Case {
        project(url).with_file("vercel.json", "{}")
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                // Not serverless.
                project(DIRECT),
                // Poolers: PgBouncer's port, the pgbouncer flag, Accelerate, Neon's pooler.
                on_vercel("postgres://u:p@db.example.com:6543/app"),
                on_vercel("postgres://u:p@db.example.com/app?pgbouncer=true"),
                on_vercel("prisma+postgres://accelerate.prisma-data.net/?api_key=k"),
                on_vercel("postgres://u:p@ep-cool-1-pooler.eu-central-1.aws.neon.tech/app"),
            ],
            &[
                on_vercel(DIRECT),
                project(DIRECT).with_file("package.json", NEXT),
            ],
        ));
    }
}
