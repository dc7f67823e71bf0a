use crate::support::connections::{append_params_fix, connections, project_env};
use prisma_audit_core::declare_rule;
use prisma_audit_core::env::UrlRole;
use prisma_audit_core::env::conn_url::HostKind;
use prisma_audit_core::finding::{FixSafety, Severity};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// With Prisma's built-in (Rust) query engine and signs of a serverless deployment
    /// (Next.js, Vercel, Netlify, AWS Lambda, Cloudflare Workers, SST), reports a runtime `url`
    /// to a remote SQL database that sets no `connection_limit` (and `pool_timeout`). With
    /// driver adapters (Prisma 7, the Rust-free client), where these URL parameters are
    /// ignored, it reports them when present and says where the pool is configured instead.
    ///
    /// Silent for long-running servers (no serverless sign): the engine's default pool
    /// (num_cpus × 2 + 1) is Prisma's recommended starting point there, and any other number
    /// would be a guess. Silent for local databases and Prisma Accelerate URLs.
    ///
    /// ## Why is this bad?
    /// The engine opens `num_physical_cpus * 2 + 1` connections per `PrismaClient`. On
    /// serverless platforms every concurrent function instance opens its own pool, so a
    /// traffic spike exhausts the database's `max_connections` and requests fail with
    /// P1001/P2024 errors; without `pool_timeout` a saturated pool waits 10 s per query.
    ///
    /// ## Example
    /// ```text
    /// DATABASE_URL="postgresql://app:<password>@db.example.com:5432/app"
    /// ```
    ///
    /// ## Fix
    /// Size the pool explicitly: `?connection_limit=1&pool_timeout=20` on serverless (with a
    /// pooler in front), `connection_limit` ≈ (database max_connections − reserve) / app
    /// instances elsewhere. With driver adapters, configure the driver's pool
    /// (`new PrismaPg({ connectionString, max: 5 })`).
    ///
    /// ## Fix safety
    /// Unsafe: it changes how many connections each instance opens. It appends only the
    /// parameters the URL lacks (`connection_limit=1`, `pool_timeout=20`), and only to a plain
    /// literal URL value (never one built from other variables).
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-client/setup-and-configuration/databases-connections/connection-pool
    /// - https://www.prisma.io/docs/orm/prisma-client/setup-and-configuration/databases-connections#serverless-environments-faas
    pub struct ConnectionPoolUnsized;
    id = "connection-pool-unsized",
    summary = "The connection pool size and timeouts are left at their defaults",
    category = ScalabilityAndOperations,
    severity = Medium,
    fixable = true,
    enabled = true,
}

impl Rule for ConnectionPoolUnsized {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        let serverless = env.serverless_signs();
        let adapters = env.uses_driver_adapters();
        for conn in connections(&env) {
            if conn.decl.role != UrlRole::Url
                || conn.url.is_accelerate()
                || matches!(conn.url.host_kind(), HostKind::Local | HostKind::None)
                || !matches!(
                    conn.url.scheme.as_str(),
                    "postgres" | "postgresql" | "mysql" | "sqlserver" | "cockroachdb"
                )
            {
                continue;
            }
            let has = |k: &str| conn.url.param(k).is_some();
            if adapters {
                let ignored: Vec<&str> = ["connection_limit", "pool_timeout"]
                    .into_iter()
                    .filter(|k| has(k))
                    .collect();
                if ignored.is_empty() {
                    continue;
                }
                let adapter = env.adapter_dependency().unwrap_or("the driver adapter");
                out.push(
                    RawFinding::new(
                        conn.anchor(),
                        format!(
                            "{} sets `{}`, which driver adapters ignore: the pool is configured on \
                             {adapter}'s driver",
                            conn.describe(&env),
                            ignored.join("`, `")
                        ),
                    )
                    .at(conn.value.span)
                    .severity(Severity::Low)
                    .help(
                        "With driver adapters (Prisma 7 and the Rust-free client) the JavaScript \
                         driver owns the pool; the engine's URL parameters have no effect. \
                         Configure the pool where the adapter is created, e.g. `new PrismaPg({ \
                         connectionString, max: 5, idleTimeoutMillis: 10_000, \
                         connectionTimeoutMillis: 5_000 })`, and remove the parameters from the \
                         URL.",
                    ),
                );
                continue;
            }
            if has("connection_limit") && has("pool_timeout") {
                continue;
            }
            // A long-running server is well served by the engine's default pool (Prisma's own
            // recommendation); the default only hurts when every function instance opens one.
            if serverless.is_empty() {
                continue;
            }
            let missing: Vec<&str> = ["connection_limit", "pool_timeout", "connect_timeout"]
                .into_iter()
                .filter(|k| !has(k))
                .collect();
            let severity = Severity::High;
            let context = format!(" for a serverless deployment ({})", serverless.join(", "));
            // Only the parameters the URL lacks, so the fix never repeats one.
            let params = [("connection_limit", "1"), ("pool_timeout", "20")]
                .into_iter()
                .filter(|(k, _)| !has(k))
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&");
            let mut f = RawFinding::new(
                conn.anchor(),
                format!(
                    "{} sets no `{}`{context}: each PrismaClient opens num_cpus × 2 + 1 connections to {}",
                    conn.describe(&env),
                    missing.join("` / `"),
                    conn.url.host_port()
                ),
            )
            .at(conn.value.span)
            .severity(severity)
            .help("Prisma's query engine sizes its pool from the machine's CPU count. On \
                   serverless every concurrent function instance opens its own pool, so a traffic \
                   spike exhausts the database's `max_connections` (P1001/P2024 errors); without \
                   `pool_timeout` a saturated pool makes each query wait 10 s. Set \
                   `connection_limit` (1–5 per serverless instance behind a pooler; \
                   (max_connections − reserve) / instances elsewhere), `pool_timeout` and \
                   `connect_timeout` in the URL.");
            if let Some(fix) = append_params_fix(
                &conn,
                &env,
                &params,
                &format!("Add `{params}`"),
                FixSafety::Unsafe,
            ) {
                f = f.fix(fix);
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "connection-pool-unsized";

    const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
"#;

    /// A Next.js application on Prisma 6.
    const NEXT_P6: &str = r#"{"dependencies":{"@prisma/client":"6.10.1","next":"15.3.4"},"devDependencies":{"prisma":"6.10.1"}}"#;

    const EXPRESS_P6: &str = r#"{"dependencies":{"@prisma/client":"6.10.1","express":"5.0.0"},"devDependencies":{"prisma":"6.10.1"}}"#;

    /// Prisma 7 with the `pg` driver adapter.
    const ADAPTER_PG_P7: &str = r#"{"dependencies":{"@prisma/client":"7.2.0","@prisma/adapter-pg":"7.2.0"},"devDependencies":{"prisma":"7.2.0"}}"#;

    /// A project whose `.env` sets `DATABASE_URL` to `url`.
    fn project(url: &str, package_json: &str) -> Case {
        Case::files(&[
            ("prisma/schema.prisma", SCHEMA),
            (".env", &format!("DATABASE_URL=\"{url}\"\n")),
            ("package.json", package_json),
        ])
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                // A long-running server keeps the default pool.
                project("postgresql://u:p@db.example.com:5432/app", EXPRESS_P6),
                project(
                    "postgresql://u:p@db.example.com/app?connection_limit=5&pool_timeout=20",
                    NEXT_P6
                ),
                project("postgresql://u:p@localhost/app", NEXT_P6),
                project(
                    "prisma+postgres://accelerate.prisma-data.net/?api_key=k",
                    NEXT_P6
                ),
                // The driver's pool has its own defaults.
                project("postgresql://u:p@db.example.com/app", ADAPTER_PG_P7),
            ],
            &[
                // Serverless without limits: high; the fix adds both parameters.
                project("postgresql://u:p@db.example.com:5432/app", NEXT_P6)
                    .with_file("vercel.json", "{}"),
                // The fix adds only the missing parameter.
                project(
                    "postgresql://u:p@db.example.com:5432/app?pool_timeout=15",
                    NEXT_P6
                ),
                // `connection_limit` does nothing with a driver adapter: low, points to the
                // driver's pool.
                project(
                    "postgresql://u:p@db.example.com/app?connection_limit=5",
                    ADAPTER_PG_P7
                ),
            ],
        ));
    }
}
