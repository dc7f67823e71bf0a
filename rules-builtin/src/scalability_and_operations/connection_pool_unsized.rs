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
                    RawFinding::new(conn.anchor(), format!(
                        "{} sets `{}`, which driver adapters ignore: the pool is configured on {adapter}'s driver",
                        conn.describe(&env), ignored.join("`, `")
                    ))
                    .at(conn.value.span)
                    .severity(Severity::Low)
                    .help("With driver adapters (Prisma 7 and the Rust-free client) the JavaScript driver owns the pool; the engine's URL parameters have no effect. Configure the pool where the adapter is created, e.g. `new PrismaPg({ connectionString, max: 5, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 5_000 })`, and remove the parameters from the URL."),
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
            .help("Prisma's query engine sizes its pool from the machine's CPU count. On serverless every concurrent function instance opens its own pool, so a traffic spike exhausts the database's `max_connections` (P1001/P2024 errors); without `pool_timeout` a saturated pool makes each query wait 10 s. Set `connection_limit` (1–5 per serverless instance behind a pooler; (max_connections − reserve) / instances elsewhere), `pool_timeout` and `connect_timeout` in the URL.");
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
    use crate::support::test_util::findings;
    use prisma_audit_core::finding::Severity;

    const SCHEMA: &str =
        "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n";

    fn run(
        url: &str,
        pkg: &str,
        extra: &[(&str, &str)],
    ) -> Vec<prisma_audit_core::finding::Finding> {
        let env = format!("DATABASE_URL=\"{url}\"\n");
        let mut files = vec![
            ("prisma/schema.prisma", SCHEMA),
            (".env", env.as_str()),
            ("package.json", pkg),
        ];
        files.extend_from_slice(extra);
        findings("connection-pool-unsized", &files)
    }

    const P6: &str = r#"{"dependencies":{"@prisma/client":"6.10.1","next":"15.3.4"},"devDependencies":{"prisma":"6.10.1"}}"#;

    #[test]
    fn serverless_without_limits_is_high() {
        let f = run(
            "postgresql://u:p@db.example.com:5432/app",
            P6,
            &[("vercel.json", "{}")],
        );
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::High);
        assert!(
            f[0].message.contains(
                "for a serverless deployment (Next.js (`next` in package.json), `vercel.json`)"
            ),
            "{}",
            f[0].message
        );
        assert_eq!(
            f[0].fix.as_ref().unwrap().edits[0].replacement,
            "?connection_limit=1&pool_timeout=20"
        );
    }

    #[test]
    fn the_fix_adds_only_missing_parameters() {
        let f = run(
            "postgresql://u:p@db.example.com:5432/app?pool_timeout=15",
            P6,
            &[],
        );
        assert_eq!(
            f[0].fix.as_ref().unwrap().edits[0].replacement,
            "&connection_limit=1"
        );
    }

    #[test]
    fn long_running_servers_keep_the_default_pool() {
        let server = r#"{"dependencies":{"@prisma/client":"6.10.1","express":"5.0.0"},"devDependencies":{"prisma":"6.10.1"}}"#;
        assert!(run("postgresql://u:p@db.example.com:5432/app", server, &[]).is_empty());
    }

    #[test]
    fn sized_local_and_accelerate_pass() {
        assert!(
            run(
                "postgresql://u:p@db.example.com/app?connection_limit=5&pool_timeout=20",
                P6,
                &[]
            )
            .is_empty()
        );
        assert!(run("postgresql://u:p@localhost/app", P6, &[]).is_empty());
        assert!(
            run(
                "prisma+postgres://accelerate.prisma-data.net/?api_key=k",
                P6,
                &[]
            )
            .is_empty()
        );
    }

    #[test]
    fn driver_adapters_point_to_the_driver_pool() {
        let p7 = r#"{"dependencies":{"@prisma/client":"7.2.0","@prisma/adapter-pg":"7.2.0"},"devDependencies":{"prisma":"7.2.0"}}"#;
        assert!(run("postgresql://u:p@db.example.com/app", p7, &[]).is_empty());
        let f = run(
            "postgresql://u:p@db.example.com/app?connection_limit=5",
            p7,
            &[],
        );
        assert_eq!(f[0].severity, Severity::Low);
        assert!(f[0].message.contains("@prisma/adapter-pg"));
    }
}
