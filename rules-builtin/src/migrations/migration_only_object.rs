use super::drift_common::finding;
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::sql::drift::{DriftKind, diff};

declare_rule! {
    /// ## What it does
    /// Lists database objects that only the migration SQL creates because the Prisma schema
    /// cannot express them (or does not declare them): partial and expression indexes,
    /// functions, triggers, views, RLS policies and row-level security, extensions, `CHECK`
    /// constraints.
    ///
    /// ## Why is this bad?
    /// Nothing is wrong with them — Prisma documents exactly this workflow for unsupported
    /// features — but they are invisible to anyone reading the schema, `prisma db pull` and
    /// `prisma migrate diff` do not reproduce them, and they are lost when the history is
    /// squashed or re-baselined from the schema. An index missing that way is a silent
    /// performance regression; a missing trigger or policy is a correctness or security bug.
    ///
    /// ## Example
    /// ```sql
    /// CREATE INDEX "Tenant_active_trial_idx" ON "Tenant"("trialEndsAt") WHERE "isTrialPeriod" = true;
    /// ```
    ///
    /// ## Fix
    /// Keep them in migrations created with `prisma migrate dev --create-only`, document them
    /// next to the model with a `///` comment, and copy them into any new baseline when
    /// squashing. Partial indexes can be declared in the schema from Prisma ORM 7
    /// (`@@index([...], where: ...)`); extensions with the `postgresqlExtensions` preview
    /// feature.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-migrate/workflows/unsupported-database-features
    /// - https://www.prisma.io/docs/orm/prisma-migrate/workflows/squashing-migrations
    pub struct MigrationOnlyObject;
    id = "migration-only-object",
    summary = "Database objects that exist only in the migration SQL, not in the schema",
    category = MigrationIntegrity,
    severity = Info,
    fixable = false,
    enabled = true,
}

impl Rule for MigrationOnlyObject {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(h) = ctx.migrations else { return };
        for item in diff(ctx.schema, h)
            .into_iter()
            .filter(|i| i.kind == DriftKind::MigrationOnly)
        {
            let help = format!(
                "This {} is created by hand-written migration SQL (Prisma's workflow for unsupported features). Prisma does not know it: document it next to the model with a `///` comment and carry it into any squashed or re-baselined history, or it silently disappears from new databases.",
                item.object
            );
            out.push(finding(h, &item, &help));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::schema_drift::tests::{SCHEMA, SQL, run};

    #[test]
    fn lists_objects_the_schema_cannot_express() {
        let sql = format!(
            "{SQL}\nCREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE INDEX \"Pet_name_trgm\" ON \"Pet\" USING GIN (\"name\" gin_trgm_ops) WHERE \"weight\" IS NOT NULL;\nCREATE INDEX \"Pet_lower\" ON \"Pet\" (lower(\"name\") DESC NULLS LAST);\nCREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN NEW.\"name\" := trim(NEW.\"name\"); RETURN NEW; END $fn$;\nCREATE TRIGGER pet_touch BEFORE UPDATE ON \"Pet\" FOR EACH ROW EXECUTE FUNCTION touch();\nCREATE VIEW pet_names AS SELECT \"name\" FROM \"Pet\";\n"
        );
        let f = run("migration-only-object", SCHEMA, &sql);
        assert_eq!(
            f.len(),
            6,
            "{:#?}",
            f.iter().map(|f| &f.message).collect::<Vec<_>>()
        );
        assert!(run("schema-drift", SCHEMA, &sql).is_empty());
    }
}
