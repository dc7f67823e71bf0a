use crate::support::drift::{finding, history_builds_databases};
use crate::support::migration::stmt_span;
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::sql::drift::{DriftItem, DriftKind, diff};
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it does
    /// Takes inventory, once per project, of the database objects that only the migration SQL
    /// creates because the Prisma schema cannot express them (or does not declare them):
    /// partial and expression indexes, copies of declared indexes under another name,
    /// functions, triggers, views, row-level security, `CHECK`
    /// constraints, and extensions when the `postgresqlExtensions` preview feature makes Prisma
    /// manage them. The finding points at the first object; every object is a related
    /// location.
    ///
    /// Deliberately quiet: extensions created by SQL while Prisma does not manage extensions
    /// (creating `pgcrypto` or `pg_trgm` in a migration is the documented way); histories
    /// that do not build the project's databases (a `migration_lock.toml` for another
    /// provider, or a project whose scripts only run `prisma db push`).
    ///
    /// ## Why is this bad?
    /// Nothing is wrong with these objects — Prisma documents exactly this workflow for
    /// unsupported features — but they are invisible to anyone reading the schema, `prisma db
    /// pull` and `prisma migrate diff` do not reproduce them, and they are lost when the history
    /// is squashed or re-baselined from the schema. An index missing that way is a silent
    /// performance regression; a missing trigger or policy is a correctness or security bug.
    /// From Prisma ORM 7.4, `prisma migrate dev` also generates `DROP INDEX` for partial
    /// indexes the schema does not declare (unless they are declared with the `partialIndexes`
    /// preview feature).
    ///
    /// ## Example
    /// ```sql
    /// CREATE INDEX "Tenant_active_trial_idx" ON "Tenant"("trialEndsAt") WHERE "isTrialPeriod" = true;
    /// CREATE FUNCTION expire_old_trials() RETURNS void LANGUAGE sql AS $$ ... $$;
    /// ```
    ///
    /// ## Fix
    /// Keep them in migrations created with `prisma migrate dev --create-only`, document them
    /// next to the model with a `///` comment, and copy them into any new baseline when
    /// squashing. Partial indexes can be declared in the schema with the `partialIndexes`
    /// preview feature (`@@index([...], where: ...)`, Prisma ORM 7.4+).
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

/// Plural label of an object kind, for the summary.
fn label(object: &str, n: usize) -> String {
    let one = match object {
        "check constraint" => "CHECK constraint",
        "row-level security" => "table with row-level security",
        "index with NULLS ordering" => "index with NULLS FIRST/LAST",
        other => other,
    };
    if n == 1 {
        format!("1 {one}")
    } else if let Some(stem) = one.strip_suffix("index") {
        format!("{n} {stem}indexes")
    } else if one == "table with row-level security" {
        format!("{n} tables with row-level security")
    } else {
        format!("{n} {one}s")
    }
}

impl Rule for MigrationOnlyObject {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(h) = ctx.migrations else { return };
        if !history_builds_databases(ctx, h) {
            return;
        }
        let extensions_managed = ctx
            .schema
            .generators
            .iter()
            .any(|g| g.has_preview_feature("postgresqlExtensions"));
        let mut items: Vec<DriftItem> = diff(ctx.schema, h)
            .into_iter()
            .filter(|i| i.kind == DriftKind::MigrationOnly)
            .filter(|i| extensions_managed || i.object != "extension")
            .collect();
        if items.is_empty() {
            return;
        }
        // Oldest first: the finding points at the first object the history creates.
        items.sort_by_key(|i| i.sql_at);
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for i in &items {
            *kinds.entry(i.object.as_str()).or_default() += 1;
        }
        let mut counts: Vec<(&str, usize)> = kinds.into_iter().collect();
        counts.sort_by_key(|(k, n)| (std::cmp::Reverse(*n), *k));
        let summary: Vec<String> = counts.iter().map(|(k, n)| label(k, *n)).collect();
        let total = items.len();
        let message = if total == 1 {
            format!(
                "{}; the schema does not show it",
                items[0].message.trim_end_matches('.')
            )
        } else {
            format!(
                "The migrations create {total} objects the schema does not show: {}",
                summary.join(", ")
            )
        };
        let help = "They come from hand-written migration SQL (Prisma's workflow for features the \
                    schema cannot express). Prisma does not know them: document them next to their \
                    models with `///` comments and carry them into any squashed or re-baselined \
                    history, or they silently disappear from new databases. Prisma ORM 7.4+ also \
                    drops partial indexes the schema does not declare unless they are declared \
                    with the `partialIndexes` preview feature.";
        let first = &items[0];
        let mut f = finding(h, first, help);
        f.anchor = "migration-only-objects".into();
        f.message = message;
        f.related.clear();
        if total > 1 {
            for i in &items {
                if let Some(s) = i.sql_at.and_then(|at| stmt_span(h, at)) {
                    f = f.related(s, i.message.clone());
                }
            }
        }
        out.push(f);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::schema_drift::tests::{
        SCHEMA, SQL, extra_indexes, in_sync, partial_index_declared_without_predicate, project,
    };
    use crate::support::test_util::{Case, table};

    const ID: &str = "migration-only-object";

    /// An extension created the documented way, and five objects the schema cannot express.
    const OBJECTS: &str = r#"CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "Pet_name_trgm" ON "Pet" USING GIN ("name" gin_trgm_ops) WHERE "weight" IS NOT NULL;
CREATE INDEX "Pet_lower" ON "Pet" (lower("name") DESC NULLS LAST);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN NEW."name" := trim(NEW."name"); RETURN NEW; END $fn$;
CREATE TRIGGER pet_touch BEFORE UPDATE ON "Pet" FOR EACH ROW EXECUTE FUNCTION touch();
CREATE VIEW pet_names AS SELECT "name" FROM "Pet";
"#;

    /// The schema's history followed by `OBJECTS`.
    pub(crate) fn objects() -> Case {
        project(SCHEMA, &format!("{SQL}\n{OBJECTS}"))
    }

    const EXTENSION: &str = r#"CREATE EXTENSION IF NOT EXISTS pg_trgm;
"#;

    /// Prisma manages the extensions.
    const EXTENSIONS_PREVIEW: &str = r#"generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["postgresqlExtensions"]
}

"#;

    #[test]
    fn pass_and_fail() {
        let with_extension = format!("{SQL}\n{EXTENSION}");
        insta::assert_snapshot!(table(
            ID,
            &[
                in_sync(),
                partial_index_declared_without_predicate(),
                // Created by SQL while Prisma does not manage extensions: the documented way.
                project(SCHEMA, &with_extension),
            ],
            &[
                // One inventory; the extension is not part of it.
                objects(),
                // The copy of a declared index.
                extra_indexes(),
                // A single object: no list of related locations.
                project(&format!("{EXTENSIONS_PREVIEW}{SCHEMA}"), &with_extension),
            ],
        ));
    }
}
