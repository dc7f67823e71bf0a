use crate::support::migration::{comments_mention, stmt_span};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::sql::Migration;
use prisma_audit_core::sql::catalog::StmtRef;

declare_rule! {
    /// ## What it does
    /// On PostgreSQL, reports statements that cannot run inside a transaction block —
    /// `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY`,
    /// `VACUUM`, `CREATE DATABASE` — in a migration that has other statements. One finding
    /// per migration; the other such statements are related locations.
    ///
    /// Deliberately quiet: migrations whose comments talk about transactions ("run this
    /// outside a transaction"): their authors apply them by hand, statement by statement.
    /// Like the other safety rules it judges only pending migrations by default.
    ///
    /// Not run on histories that do not build the project's databases: a `migration_lock.toml`
    /// for another provider (`migration-lock-provider` reports it) or a project whose build or
    /// deploy scripts run `prisma db push` and never Prisma Migrate.
    ///
    /// ## Why is this bad?
    /// Prisma's schema engine sends the whole `migration.sql` to PostgreSQL as one simple-query
    /// message. PostgreSQL runs a multi-statement message as one implicit transaction, so these
    /// statements fail with "cannot run inside a transaction block" and `prisma migrate
    /// deploy` stops at this migration (the real database rejects it even though the SQL is
    /// valid).
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE "Pet" ADD COLUMN "chip" TEXT;
    /// CREATE INDEX CONCURRENTLY "Pet_chip_idx" ON "Pet"("chip");
    /// ```
    ///
    /// ## Fix
    /// Move the statement into a migration of its own (`prisma migrate dev --create-only`),
    /// with no other statement in the file.
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT
    /// - https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY
    pub struct MigrationConcurrentlyInTransaction;
    id = "migration-concurrently-in-transaction",
    summary = "CONCURRENTLY/VACUUM in a multi-statement migration, which PostgreSQL runs as one transaction",
    category = MigrationIntegrity,
    severity = High,
    fixable = false,
    enabled = true,
}

/// Whether the migration's comments talk about transactions (`run this outside a
/// transaction`): its authors apply it by hand, statement by statement.
fn transaction_acknowledged(m: &Migration) -> bool {
    comments_mention(m, &["transaction", "transactions", "txn"])
}

impl Rule for MigrationConcurrentlyInTransaction {
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
        if !h.dialect.is_postgres() {
            return;
        }
        for (mi, m) in h.sql_migrations() {
            if m.statements.len() < 2 || transaction_acknowledged(m) {
                continue;
            }
            // One finding per migration: the first such statement, the others related.
            let mut found: Option<RawFinding> = None;
            for si in 0..m.statements.len() {
                let toks = m.stmt_tokens(si);
                let src = &m.sql;
                let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is_kw(src, k));
                let head: Vec<usize> = (0..6).collect();
                let concurrently = (kw(0, "CREATE") || kw(0, "DROP") || kw(0, "REINDEX"))
                    && head.iter().any(|&i| kw(i, "CONCURRENTLY"));
                let other = kw(0, "VACUUM")
                    || (kw(0, "CREATE") && kw(1, "DATABASE"))
                    || (kw(0, "DROP") && kw(1, "DATABASE"))
                    || (kw(0, "ALTER") && kw(1, "SYSTEM"));
                if !(concurrently || other) {
                    continue;
                }
                let Some(span) = stmt_span(
                    h,
                    StmtRef {
                        migration: mi,
                        statement: si,
                    },
                ) else {
                    continue;
                };
                let head = m.stmt_head(si);
                found = Some(match found {
                    Some(f) => f.related(span, format!("`{head}` fails the same way")),
                    None => {
                        let message = format!(
                            "`{head}` cannot run in migration `{}`: its {} statements run as one transaction",
                            m.name,
                            m.statements.len()
                        );
                        let help = "Prisma sends the whole migration.sql as one script, which \
                                    PostgreSQL runs in one implicit transaction; this statement \
                                    fails there (\"cannot run inside a transaction block\") and \
                                    the deploy stops. Put it alone in a migration of its own.";
                        RawFinding::new(format!("{}|{head}", m.name), message)
                            .at(span)
                            .help(help)
                    }
                });
            }
            out.extend(found);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "migration-concurrently-in-transaction";

    const CREATE_TABLE: &str = r#"CREATE TABLE "A" ("x" INT);
"#;

    const TABLE_AND_INDEX: &str = r#"CREATE TABLE "A" ("x" INT);
-- idx
CREATE INDEX CONCURRENTLY "A_x" ON "A"("x");
"#;

    /// Alone in its migration: PostgreSQL runs it outside a transaction.
    const INDEX_ALONE: &str = r#"CREATE INDEX CONCURRENTLY "A_y" ON "A"("x");
"#;

    /// Two such statements: one finding, the second a related location.
    const TWO_INDEXES: &str = r#"ALTER TABLE "A" ADD COLUMN "y" INT;
CREATE INDEX CONCURRENTLY "A_x" ON "A"("x");
CREATE INDEX CONCURRENTLY "A_y" ON "A"("y");
"#;

    /// Its authors apply it by hand, statement by statement.
    const APPLIED_BY_HAND: &str = r#"-- Apply by hand: run the index builds outside a transaction.
ALTER TABLE "A" ADD COLUMN "y" INT;
CREATE INDEX CONCURRENTLY "A_x" ON "A"("x");
CREATE INDEX CONCURRENTLY "A_y" ON "A"("y");
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                Case::pg(&[("1_a", CREATE_TABLE), ("2_b", INDEX_ALONE)]),
                Case::pg(&[("1_a", CREATE_TABLE), ("2_b", APPLIED_BY_HAND)]),
            ],
            &[
                Case::pg(&[("1_a", TABLE_AND_INDEX), ("2_b", INDEX_ALONE)]),
                Case::pg(&[("1_a", CREATE_TABLE), ("2_b", TWO_INDEXES)]),
            ],
        ));
    }
}
