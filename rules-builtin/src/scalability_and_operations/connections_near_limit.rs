use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// With a live database (`--database-url`), reports a server whose open client
    /// connections use 80 % or more of the connections available to applications
    /// (`max_connections` minus `superuser_reserved_connections`). Critical from 95 %.
    ///
    /// Silent without a live database.
    ///
    /// ## Why is this bad?
    /// Every Prisma Client instance opens a pool (by default `num_cpus * 2 + 1` connections),
    /// and serverless functions open one per instance. At the limit, new connections fail with
    /// "sorry, too many clients already" (P1001/P2024 in Prisma), so requests fail under load.
    ///
    /// ## Example
    /// ```text
    /// 92 of 97 connections in use
    /// ```
    ///
    /// ## Fix
    /// Put a pooler in front (PgBouncer in transaction mode, Supavisor, RDS Proxy, Prisma
    /// Accelerate) and point `DATABASE_URL` at it with `?pgbouncer=true`; size each pool
    /// (`connection_limit`) so all instances fit; look for connection leaks (one
    /// `PrismaClient` per request).
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-client/setup-and-configuration/databases-connections
    /// - https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-MAX-CONNECTIONS
    pub struct ConnectionsNearLimit;
    id = "connections-near-limit",
    summary = "The live database's connections are close to max_connections",
    category = ScalabilityAndOperations,
    severity = High,
    fixable = false,
    enabled = true,
}

impl Rule for ConnectionsNearLimit {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(live) = ctx.live else { return };
        let setting = |k: &str| live.settings.get(k).and_then(|v| v.parse::<i64>().ok());
        let (Some(open), Some(max)) = (live.connections, setting("max_connections")) else {
            return;
        };
        let available = max - setting("superuser_reserved_connections").unwrap_or(3);
        if available <= 0 {
            return;
        }
        let share = open as f64 / available as f64;
        if share < 0.8 {
            return;
        }
        let message = format!(
            "{open} of the {available} connections available to applications are open ({:.0} %): at the limit new connections fail (\"too many clients\")",
            share * 100.0
        );
        let help = "Put a pooler in front (PgBouncer in transaction mode, Supavisor, RDS Proxy, Prisma Accelerate) with `?pgbouncer=true`, size each pool with `connection_limit` so all instances fit, and look for one `PrismaClient` per request.";
        out.push(
            RawFinding::new("connections", message)
                .severity(if share >= 0.95 {
                    Severity::Critical
                } else {
                    Severity::High
                })
                .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, live, table};

    const ID: &str = "connections-near-limit";

    fn at(open: i64) -> Case {
        let mut snap = live(Vec::new());
        snap.connections = Some(open);
        snap.settings.insert("max_connections".into(), "100".into());
        snap.settings
            .insert("superuser_reserved_connections".into(), "3".into());
        Case::schema("datasource db {\n  provider = \"postgresql\"\n}\n").live(snap)
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(ID, &[at(5), at(70)], &[at(80), at(95)]));
    }
}
