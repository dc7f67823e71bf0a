use crate::support::migration::{sql_fix, stmt_span};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::sql::catalog::StmtRef;
use prisma_audit_core::sql::replay::Effect;

declare_rule! {
    /// ## What it does
    /// Checks row-level security at the end of the PostgreSQL history: policies on a table
    /// whose RLS is not enabled, and tables whose RLS is *forced* but that have no policy.
    ///
    /// Deliberately quiet: RLS enabled (not forced) without any policy. That denies every row
    /// to every role except the owner, which is the usual way to close tables to a public API
    /// role (Supabase's PostgREST roles) while the application, connected as the owner through
    /// Prisma, keeps working.
    ///
    /// Not run on histories that do not build the project's databases: a `migration_lock.toml`
    /// for another provider (`migration-lock-provider` reports it) or a project whose build or
    /// deploy scripts run `prisma db push` and never Prisma Migrate.
    ///
    /// ## Why is this bad?
    /// A policy on a table without `ENABLE ROW LEVEL SECURITY` does nothing: every role sees
    /// every row, while the migration suggests tenants are isolated. With `FORCE ROW LEVEL
    /// SECURITY` and no policy, the owner is denied too, so the application (Prisma usually
    /// connects as the owner) suddenly reads and writes nothing.
    ///
    /// ## Example
    /// ```sql
    /// CREATE POLICY tenant_isolation ON "Pet" USING ("tenantId" = current_setting('app.tenant'));
    /// -- missing: ALTER TABLE "Pet" ENABLE ROW LEVEL SECURITY;
    /// ```
    ///
    /// ## Fix
    /// Enable RLS on tables that carry policies (and `FORCE` it if the application connects as
    /// the owner); add the intended policies to tables that enable it.
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/ddl-rowsecurity.html
    pub struct RlsPolicyWithoutRls;
    id = "rls-policy-without-rls",
    summary = "RLS policies on tables without RLS, or RLS enabled without policies",
    category = Security,
    severity = Medium,
    fixable = true,
    enabled = true,
}

/// The table's name for SQL, schema-qualified outside `public`.
fn qualified(t: &prisma_audit_core::sql::QName) -> String {
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    if t.schema.is_empty() || t.schema == "public" {
        q(&t.name)
    } else {
        format!("{}.{}", q(&t.schema), q(&t.name))
    }
}

impl Rule for RlsPolicyWithoutRls {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(h) = ctx.migrations else { return };
        // A history for another provider, or one the project's deploys never run.
        if !crate::support::drift::history_builds_databases(ctx, h) {
            return;
        }
        if !h.dialect.is_postgres() {
            return;
        }
        let cat = &h.replay.catalog;
        // Last ENABLE ROW LEVEL SECURITY statement per table.
        let mut enabled_at = std::collections::BTreeMap::new();
        for (mi, m) in h.sql_migrations() {
            for (si, s) in m.statements.iter().enumerate() {
                for e in &s.effects {
                    if let Effect::SetRls {
                        table,
                        enabled: true,
                    } = e
                    {
                        enabled_at.insert(
                            table.clone(),
                            StmtRef {
                                migration: mi,
                                statement: si,
                            },
                        );
                    }
                }
            }
        }
        for ((table, name), p) in &cat.policies {
            let Some(t) = cat.tables.get(table) else {
                continue;
            };
            if t.rls_enabled {
                continue;
            }
            let message = format!(
                "Policy `{name}` on `{table}` has no effect: row-level security is not enabled on the table"
            );
            let help = "Without ENABLE ROW LEVEL SECURITY every role sees every row. Enable it in \
                        a new migration (and FORCE it if the application connects as the table \
                        owner).";
            let sql = format!(
                "ALTER TABLE {} ENABLE ROW LEVEL SECURITY;",
                qualified(table)
            );
            let mut f = RawFinding::new(format!("policy|{table}|{name}"), message)
                .help(help)
                .fix(sql_fix("Enable row-level security", sql));
            f.span = stmt_span(h, p.created_at);
            out.push(f);
        }
        // Enabled but not forced without a policy closes the table to every role but the
        // owner: a deliberate lock-down, not a mistake.
        for (name, t) in cat
            .tables
            .iter()
            .filter(|(_, t)| t.rls_enabled && t.rls_forced)
        {
            if cat.policies.keys().any(|(pt, _)| pt == name) {
                continue;
            }
            let message = format!(
                "Row-level security is forced on `{name}` but no policy allows any row: even the \
                 owner reads and writes nothing"
            );
            let help = "RLS is forced, so even the owner role (usually Prisma's connection) reads \
                        and writes no rows. Add the intended policies, or stop forcing RLS if only \
                        other roles should be shut out.";
            let mut f = RawFinding::new(format!("no-policy|{name}"), message)
                .help(help)
                .severity(Severity::High);

            f.span = enabled_at
                .get(name)
                .and_then(|at| stmt_span(h, *at))
                .or_else(|| stmt_span(h, t.created_at));
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "rls-policy-without-rls";

    const POLICY_WITHOUT_RLS: &str = r#"CREATE TABLE "A" ("t" TEXT);
CREATE POLICY p ON "A" USING ("t" = current_setting('app.t'));
"#;

    /// Even the owner reads and writes nothing.
    const FORCED_WITHOUT_POLICY: &str = r#"CREATE TABLE "B" ("t" TEXT);
ALTER TABLE "B" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "B" FORCE ROW LEVEL SECURITY;
"#;

    const ENABLED_WITH_POLICY: &str = r#"CREATE TABLE "C" ("t" TEXT);
ALTER TABLE "C" ENABLE ROW LEVEL SECURITY;
CREATE POLICY q ON "C" USING (true);
"#;

    /// Closed to every role but the owner: the usual lock-down of a public API role.
    const ENABLED_WITHOUT_POLICY: &str = r#"CREATE TABLE "D" ("t" TEXT);
ALTER TABLE "D" ENABLE ROW LEVEL SECURITY;
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                Case::pg(&[("1_a", ENABLED_WITH_POLICY)]),
                Case::pg(&[("1_a", ENABLED_WITHOUT_POLICY)]),
            ],
            &[
                Case::pg(&[("1_a", POLICY_WITHOUT_RLS)]),
                Case::pg(&[("1_a", FORCED_WITHOUT_POLICY)]),
            ],
        ));
    }
}
