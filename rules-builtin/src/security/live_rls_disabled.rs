use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// With a live database (`--database-url`), reports row-level security that is not in
    /// effect where the database itself shows it is meant to be:
    /// - a table with RLS policies while RLS is disabled on it (the policies do nothing);
    /// - a tenant-owned table (it has the tenant key, e.g. `tenantId`) with RLS disabled while
    ///   other tenant-owned tables have it enabled: that table's rows are not isolated like the
    ///   others'.
    ///
    /// Deliberately quiet when no table of the database uses RLS: tenant isolation in the
    /// application is a valid design, and `tenant-unscoped-query` looks at the queries.
    ///
    /// Silent without a live database.
    ///
    /// ## Options
    /// - `tenantKeys`: the tenant key field names (default: detected from the schema,
    ///   `tenantId`-like foreign keys to one model).
    ///
    /// ## Why is this bad?
    /// A policy on a table without RLS is never evaluated, so every role the grants allow reads
    /// and writes all rows. A tenant table left out of an RLS setup is the one place where a
    /// missing `where: { tenantId }` leaks another tenant's data.
    ///
    /// ## Example
    /// ```text
    /// "Invoice": 2 policies, relrowsecurity = false
    /// ```
    ///
    /// ## Fix
    /// `ALTER TABLE "Invoice" ENABLE ROW LEVEL SECURITY;` in a migration (and `FORCE ROW LEVEL
    /// SECURITY` when the application connects as the table owner), with a policy for the
    /// tenant key on tables that have none.
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/ddl-rowsecurity.html
    /// - https://supabase.com/docs/guides/database/database-linter?lint=0007_policy_exists_rls_disabled
    pub struct LiveRlsDisabled;
    id = "live-rls-disabled",
    summary = "Row-level security is off where the live database shows it is meant to be on",
    category = Security,
    severity = High,
    fixable = false,
    enabled = true,
}

impl Rule for LiveRlsDisabled {
    prisma_audit_core::rule_options!(crate::support::tenancy::TenancyOptions);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(live) = ctx.live else { return };
        let model_of = |table: &str| ctx.schema.models().find(|m| m.db_name() == table);
        for t in live
            .tables
            .iter()
            .filter(|t| !t.rls_enabled && t.policies > 0)
        {
            let message = format!(
                "Table `{}` has {} row-level security polic{} but RLS is disabled: they are never applied",
                t.name,
                t.policies,
                if t.policies == 1 { "y" } else { "ies" }
            );
            let help = format!(
                "Enable it in a migration: `ALTER TABLE \"{}\" ENABLE ROW LEVEL SECURITY;` (add `FORCE ROW LEVEL SECURITY` when the application connects as the table's owner).",
                t.name
            );
            let mut f =
                RawFinding::new(format!("{}.{}|policies", t.schema, t.name), message).help(help);
            if let Some(m) = model_of(&t.name) {
                f = f.at(m.name_span);
            }
            out.push(f);
        }
        let Some(tenancy) = crate::support::tenancy::tenancy(ctx) else {
            return;
        };
        let tenant_tables: Vec<(
            &prisma_audit_core::live::LiveTable,
            &prisma_audit_core::model::Model,
        )> = live
            .tables
            .iter()
            .filter_map(|t| Some((t, model_of(&t.name)?)))
            .filter(|(_, m)| !tenancy.is_tenant_model(m) && tenancy.key_field(m).is_some())
            .collect();
        let protected: Vec<&str> = tenant_tables
            .iter()
            .filter(|(t, _)| t.rls_enabled)
            .map(|(t, _)| t.name.as_str())
            .collect();
        if protected.is_empty() {
            return;
        }
        for (t, m) in tenant_tables
            .iter()
            .filter(|(t, _)| !t.rls_enabled && t.policies == 0)
        {
            let key = tenancy.key_field(m).map_or("", |f| f.name.as_str());
            let message = format!(
                "Tenant table `{}` has row-level security disabled while {} other tenant table{} ({}) use{} it: its rows are not isolated by tenant",
                t.name,
                protected.len(),
                if protected.len() == 1 { "" } else { "s" },
                protected
                    .iter()
                    .take(3)
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                if protected.len() == 1 { "s" } else { "" }
            );
            let help = format!(
                "Enable RLS on `{}` with a policy on `{key}` like the other tenant tables have, in a migration.",
                t.name
            );
            out.push(
                RawFinding::new(format!("{}.{}|tenant", t.schema, t.name), message)
                    .severity(Severity::Medium)
                    .help(help)
                    .at(m.name_span),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, live, table};
    use prisma_audit_core::live::LiveTable;

    const ID: &str = "live-rls-disabled";

    const SCHEMA: &str = "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel Tenant {\n  id       String    @id\n  invoices Invoice[]\n  notes    Note[]\n  tags     Tag[]\n}\n\nmodel Tag {\n  id       String @id\n  tenantId String\n  tenant   Tenant @relation(fields: [tenantId], references: [id])\n}\n\nmodel Invoice {\n  id       String @id\n  tenantId String\n  tenant   Tenant @relation(fields: [tenantId], references: [id])\n}\n\nmodel Note {\n  id       String @id\n  tenantId String\n  tenant   Tenant @relation(fields: [tenantId], references: [id])\n}\n";

    fn db(tables: &[(&str, bool, i64)]) -> Case {
        let mut snap = live(Vec::new());
        for (name, rls, policies) in tables {
            snap.tables.push(LiveTable {
                schema: "public".into(),
                name: name.to_string(),
                rls_enabled: *rls,
                policies: *policies,
                ..LiveTable::default()
            });
        }
        Case::schema(SCHEMA).live(snap)
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                // No RLS anywhere: isolation is the application's.
                db(&[
                    ("Tenant", false, 0),
                    ("Invoice", false, 0),
                    ("Note", false, 0)
                ]),
                db(&[
                    ("Tenant", false, 0),
                    ("Invoice", true, 1),
                    ("Note", true, 1)
                ]),
            ],
            &[
                db(&[
                    ("Tenant", false, 0),
                    ("Invoice", false, 2),
                    ("Note", false, 0)
                ]),
                db(&[
                    ("Tenant", false, 0),
                    ("Invoice", true, 1),
                    ("Note", false, 0)
                ]),
            ],
        ));
    }
}
