use crate::support::drift::{drift_items, finding, history_builds_databases};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::sql::drift::DriftKind;

declare_rule! {
    /// ## What it does
    /// Reports parts of the schema (models, fields, indexes, unique constraints, primary keys,
    /// foreign keys, enums) that no migration creates, after replaying the history. Fields of
    /// one model are reported together, once per model.
    ///
    /// Deliberately quiet: models over a view the migrations create, and models documented as
    /// views (`/// @view`); temporary tables; plain indexes whose
    /// columns lead an existing index or key (nothing is slower without them); columns, keys
    /// and foreign keys of tables built by `CREATE TABLE ... AS`; anything a `DO` block or
    /// other statement the replay does not model names (idempotent `DO $$ ... EXCEPTION WHEN
    /// duplicate_object` patterns); histories locked to another provider and projects whose
    /// scripts only run `prisma db push` (the history does not build their databases).
    ///
    /// ## Why is this bad?
    /// Someone changed the schema without running `prisma migrate dev`, or used `prisma db
    /// push` against a shared database. Production is deployed with `prisma migrate deploy`,
    /// which only runs the history: the generated client expects tables and columns that will
    /// not exist, and queries fail at run time.
    ///
    /// ## Example
    /// ```prisma
    /// model Pet { chipNumber String? }   // no migration adds "chipNumber"
    /// ```
    ///
    /// ## Fix
    /// Run `prisma migrate dev --name <change>` and commit the generated migration. If a
    /// database already has the change (made by `db push`), baseline it with `prisma migrate
    /// resolve --applied`.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-migrate/workflows/development-and-production
    /// - https://www.prisma.io/docs/orm/prisma-migrate/workflows/prototyping-your-schema
    pub struct MissingMigration;
    id = "missing-migration",
    summary = "Schema parts that no migration creates",
    category = MigrationIntegrity,
    severity = High,
    fixable = false,
    enabled = true,
}

impl Rule for MissingMigration {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(h) = ctx.migrations else { return };
        if ctx.schema.models.is_empty() || !history_builds_databases(ctx, h) {
            return;
        }
        for item in drift_items(ctx, h)
            .into_iter()
            .filter(|i| i.kind == DriftKind::Missing)
        {
            out.push(finding(
                h,
                &item,
                "`prisma migrate deploy` only runs the history, so databases built from it lack \
                 this and the client's queries fail. Run `prisma migrate dev --name <change>` and \
                 commit the migration (baseline databases that already have it with \
                 `prisma migrate resolve --applied`).",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::schema_drift::tests::{
        SQL, enum_type_only_in_migrations, in_sync, index_names_differ,
        partial_index_declared_without_predicate, pet_fields, project, what_the_replay_cannot_know,
    };
    use crate::support::test_util::table;

    const ID: &str = "missing-migration";

    #[test]
    fn pass_and_fail() {
        // A field, a unique constraint and an enum that no migration creates.
        let three_parts = pet_fields(
            r#"  chip      String?
  @@unique([name, ownerId])
"#,
        )
        .replace(
            "enum Plan {",
            r#"enum Size {
  S
}

enum Plan {"#,
        );
        // Fields without migration: one finding per model.
        let two_fields = pet_fields(
            r#"  chip      String?
  color     String?
"#,
        );
        insta::assert_snapshot!(table(
            ID,
            &[
                in_sync(),
                // Only the migrations have it (`schema-drift` reports it).
                enum_type_only_in_migrations(),
                index_names_differ(),
                what_the_replay_cannot_know(),
                partial_index_declared_without_predicate(),
            ],
            &[project(&three_parts, SQL), project(&two_fields, SQL)],
        ));
    }
}
