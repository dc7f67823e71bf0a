use crate::support::migration::{quote, sql_fix, stmt_span, warning_evidence};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::sql::replay::{DataVerb, Effect, EnumChange};
use prisma_audit_core::sql::warnings::WarningKind;
use prisma_audit_core::sql::{Dialect, MigrationHistory};

declare_rule! {
    /// ## What it does
    /// Finds migrations that remove enum values without mapping the rows that hold them:
    /// Prisma's recreate pattern (`CREATE TYPE "E_new"`, `ALTER COLUMN ... TYPE "E_new" USING
    /// (...::text::"E_new")`, rename, `DROP TYPE "E_old"`), `DROP TYPE` + `CREATE TYPE`, and on
    /// MySQL a `MODIFY` of an inline `ENUM(...)` column. Renamed values (`RENAME VALUE`) are not
    /// removals. A migration counts as mapped when it updates the affected table first or its
    /// `USING` expression maps old values (`CASE`, or the removed literals); so does an earlier
    /// migration that updates or deletes the rows holding every removed value.
    ///
    /// Not run on histories that do not build the project's databases: a `migration_lock.toml`
    /// for another provider (`migration-lock-provider` reports it) or a project whose build or
    /// deploy scripts run `prisma db push` and never Prisma Migrate.
    ///
    /// ## Why is this bad?
    /// On PostgreSQL the cast `'BASIC'::text::"PlanType_new"` fails for every row that still
    /// holds a removed value, so `prisma migrate deploy` fails and the release is blocked (the
    /// migration is marked failed and needs `migrate resolve`). On MySQL the `MODIFY` either
    /// fails part-way (DDL is not transactional) or, outside strict mode, silently turns those
    /// values into `''`: data loss. Prisma only warns about this when the migration is generated
    /// (`The values [...] on the enum ... will be removed`).
    ///
    /// ## Example
    /// ```sql
    /// CREATE TYPE "PlanType_new" AS ENUM ('PROFESIONAL', 'CLINICA', 'EMPRESA');
    /// ALTER TABLE "Tenant" ALTER COLUMN "planType" TYPE "PlanType_new"
    ///   USING ("planType"::text::"PlanType_new");
    /// ```
    ///
    /// ## Fix
    /// Map the old values in the conversion itself, or `UPDATE` the rows to values that survive
    /// *before* the type changes, in an earlier migration. The suggested SQL is a template:
    /// which surviving value each removed one becomes is a decision about the data, so each
    /// target is a placeholder to fill in (left as is, the conversion fails instead of mapping
    /// rows somewhere arbitrary).
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-migrate/workflows/customizing-migrations
    /// - https://www.postgresql.org/docs/current/sql-altertable.html
    pub struct EnumValuesRemoved;
    id = "enum-values-removed",
    summary = "Enum values removed or replaced without mapping existing rows",
    category = MigrationIntegrity,
    severity = High,
    fixable = true,
    enabled = true,
}

/// Whether an earlier migration already moved the rows off every removed value: an `UPDATE`
/// or `DELETE` (or a `DO` block) naming each removed literal, after the values were defined.
fn mapped_earlier(h: &MigrationHistory, c: &EnumChange) -> bool {
    let since = c.created_at.map_or(0, |at| at.migration);
    (since..c.migration).any(|mi| {
        let m = &h.migrations[mi];
        m.statements.iter().any(|s| {
            let moves_rows = s.effects.iter().any(|e| {
                matches!(
                    e,
                    Effect::DataChange {
                        verb: DataVerb::Update | DataVerb::Delete,
                        ..
                    } | Effect::Opaque
                )
            });
            let text = m.text(s.range);
            moves_rows && c.removed.iter().all(|v| text.contains(&format!("'{v}'")))
        })
    })
}

/// Rows holding a removed value: what MySQL does with them, and why the cast to the new type fails.
const MYSQL_HELP: &str = "MySQL either fails part-way through this MODIFY (DDL is not \
     transactional) or, outside strict mode, silently stores '' for rows holding a removed value. \
     UPDATE those rows to surviving values in an earlier migration.";
const CAST_HELP: &str = "The cast to the new type fails for every row still holding a removed \
     value, so `prisma migrate deploy` fails and the release is blocked. Map the old values in the \
     USING expression (suggested SQL) or UPDATE the rows first; check production with \
     `SELECT DISTINCT` on the column.";

impl Rule for EnumValuesRemoved {
    /// A safety rule: migrations that already ran are history.
    fn judges_pending_migrations_only(&self) -> bool {
        true
    }
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(h) = ctx.migrations else { return };
        // A history for another provider, or one the project's deploys never run.
        if !crate::support::drift::history_builds_databases(ctx, h) {
            return;
        }
        for c in h
            .replay
            .enum_changes
            .iter()
            .filter(|c| !c.mapped && !mapped_earlier(h, c))
        {
            let m = &h.migrations[c.migration];
            let removed = c.removed.join(", ");
            let used = if c.columns.is_empty() {
                "no column uses the type".to_string()
            } else {
                format!(
                    "used by {}",
                    c.columns
                        .iter()
                        .map(|(t, col)| format!("`{}.{col}`", t.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let message = format!(
                "Migration `{}` removes values {removed} of enum `{}` ({used}) without mapping the \
                 rows that hold them",
                m.name, c.name
            );
            let help = if h.dialect == Dialect::MySql {
                MYSQL_HELP
            } else {
                CAST_HELP
            };
            let mut f = RawFinding::new(format!("{}|{}|{}", m.name, c.name, removed), message)
                .help(help.to_string());

            f.span = stmt_span(h, c.at);
            f.severity = Some(if c.columns.is_empty() {
                Severity::Low
            } else if h.dialect == Dialect::MySql {
                Severity::Critical
            } else {
                Severity::High
            });
            for conv in &c.conversions {
                if *conv != c.at
                    && let Some(s) = stmt_span(h, *conv)
                {
                    f = f.related(s, "fails here for rows holding a removed value");
                }
            }
            let base = c.name.rsplit('.').next().unwrap_or(&c.name);
            if let Some((s, msg)) =
                warning_evidence(h, c.migration, &[WarningKind::EnumValuesRemoved], |w| {
                    w.enum_name.as_deref() == Some(base) || h.dialect == Dialect::MySql
                })
            {
                f = f.related(s, msg);
            }
            if let Some(s) = c.created_at.and_then(|at| stmt_span(h, at)) {
                f = f.related(s, format!("values {} defined here", c.before.join(", ")));
            }
            if h.dialect.is_postgres() && !c.columns.is_empty() {
                // A template: which surviving value each removed one becomes is the user's
                // decision. The placeholder is not a value of the type, so the conversion fails
                // until it is filled in rather than mapping rows somewhere arbitrary.
                let choices = c.after.join(", ");
                let new_type = format!("{}_new", c.name);
                let mut sql = String::from(
                    "-- Template: replace each <...> with the surviving value its rows should get, \
                     then use this conversion:\n",
                );
                for (t, col) in &c.columns {
                    let qc = quote(h, col);
                    sql.push_str(&format!(
                        "ALTER TABLE {} ALTER COLUMN {qc} TYPE {} USING (\n  CASE {qc}::text\n",
                        quote(h, &t.name),
                        quote(h, &new_type)
                    ));
                    for v in &c.removed {
                        sql.push_str(&format!(
                            "    WHEN '{v}' THEN '<{v} becomes one of: {choices}>'\n"
                        ));
                    }
                    sql.push_str(&format!(
                        "    ELSE {qc}::text\n  END\n)::{};\n",
                        quote(h, &new_type)
                    ));
                }
                f = f.fix(sql_fix(
                    "Template: map each removed value in the USING conversion (choose the targets)",
                    sql,
                ));
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "enum-values-removed";

    const INIT: &str = r#"CREATE TYPE "Plan" AS ENUM ('BASIC', 'PRO');
CREATE TABLE "T" ("plan" "Plan" NOT NULL DEFAULT 'BASIC');
"#;

    /// What `prisma migrate dev` generates when a value is removed from an enum.
    const RECREATE: &str = r#"/*
  Warnings:

  - The values [BASIC] on the enum `Plan` will be removed. If these variants are still used in the database, this will fail.

*/
-- AlterEnum
BEGIN;
CREATE TYPE "Plan_new" AS ENUM ('PRO', 'TEAM');
ALTER TABLE "T" ALTER COLUMN "plan" DROP DEFAULT;
ALTER TABLE "T" ALTER COLUMN "plan" TYPE "Plan_new" USING ("plan"::text::"Plan_new");
ALTER TYPE "Plan" RENAME TO "Plan_old";
ALTER TYPE "Plan_new" RENAME TO "Plan";
DROP TYPE "Plan_old";
COMMIT;
"#;

    const MOVE_ROWS: &str = "UPDATE \"T\" SET \"plan\" = 'PRO' WHERE \"plan\" = 'BASIC';\n";

    const ADD_AND_RENAME: &str = r#"ALTER TYPE "Plan" ADD VALUE 'TEAM';
ALTER TYPE "Plan" RENAME VALUE 'BASIC' TO 'STARTER';
"#;

    const MYSQL_INIT: &str =
        "CREATE TABLE `T` (`plan` ENUM('BASIC', 'PRO') NOT NULL) DEFAULT CHARACTER SET utf8mb4;\n";
    const MYSQL_MODIFY: &str = "ALTER TABLE `T` MODIFY `plan` ENUM('PRO', 'TEAM') NOT NULL;\n";

    #[test]
    fn pass_and_fail() {
        let mapped_in_the_same_file = RECREATE.replace("BEGIN;", &format!("BEGIN;\n{MOVE_ROWS}"));
        insta::assert_snapshot!(table(
            ID,
            &[
                // Rows moved off the value by an earlier migration.
                Case::pg(&[
                    ("1_init", INIT),
                    ("2_move", MOVE_ROWS),
                    ("3_plan", RECREATE)
                ]),
                Case::pg(&[("1_init", INIT), ("2_plan", &mapped_in_the_same_file)]),
                Case::pg(&[("1_init", INIT), ("2_plan", ADD_AND_RENAME)]),
            ],
            &[
                Case::pg(&[("1_init", INIT), ("2_plan", RECREATE)]),
                Case::migrations("mysql", &[("1_init", MYSQL_INIT), ("2_plan", MYSQL_MODIFY)]),
            ],
        ));
    }
}
