use crate::support::migration::folder_span;
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// With a live database (`--database-url`), reports rows of `_prisma_migrations` that
    /// started and never finished and are not marked rolled back: a migration that failed (or
    /// is still running) in that database.
    ///
    /// Silent without a live database.
    ///
    /// ## Why is this bad?
    /// `prisma migrate deploy` refuses to apply anything while a failed migration is recorded
    /// (P3009), so every later deploy stops. The failed migration may also have applied part of
    /// its statements (PostgreSQL rolls back a whole migration file only when it ran as one
    /// transaction).
    ///
    /// ## Example
    /// ```text
    /// _prisma_migrations: 20250406003044_init  started 2025-04-06 …  finished_at NULL  rolled_back_at NULL
    /// ```
    ///
    /// ## Fix
    /// Read the row's `logs`, undo what the migration applied or finish it by hand, then mark it
    /// with `prisma migrate resolve --rolled-back NAME` (to run it again after fixing it) or
    /// `--applied NAME`.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/reference/error-reference#p3009
    /// - https://www.prisma.io/docs/orm/prisma-migrate/workflows/patching-and-hotfixing#failed-migration
    pub struct MigrationFailedInDatabase;
    id = "migration-failed-in-database",
    summary = "A migration failed in the live database and blocks every later deploy",
    category = MigrationIntegrity,
    severity = Critical,
    fixable = false,
    enabled = true,
}

impl Rule for MigrationFailedInDatabase {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(applied) = ctx.live.and_then(|l| l.migrations.as_ref()) else {
            return;
        };
        for row in applied.iter().filter(|r| r.is_failed()) {
            let local = ctx.migrations.and_then(|h| {
                let i = h
                    .migrations
                    .iter()
                    .position(|m| m.name == row.migration_name)?;
                folder_span(h, i)
            });
            let cause = row
                .logs
                .as_deref()
                .and_then(|l| {
                    // PostgreSQL's own message (`ERROR: relation "b" already exists`) first.
                    let lines = || l.lines().map(str::trim).filter(|l| !l.is_empty());
                    lines()
                        .find(|l| l.starts_with("ERROR"))
                        .or_else(|| lines().find(|l| l.to_ascii_lowercase().contains("error")))
                })
                .map(|l| format!(" ({})", l.chars().take(200).collect::<String>()))
                .unwrap_or_default();
            let message = format!(
                "Migration `{}` failed in the database (started {}, never finished){cause}: `prisma migrate deploy` refuses to run until it is resolved",
                row.migration_name, row.started_at
            );
            let help = format!(
                "Read `logs` of its row in `_prisma_migrations`, undo or complete what it applied, then run `prisma migrate resolve --rolled-back {0}` (to apply it again once fixed) or `prisma migrate resolve --applied {0}`.",
                row.migration_name
            );
            let mut f = RawFinding::new(row.migration_name.clone(), message).help(help);
            if let Some(span) = local {
                f = f.at(span);
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};
    use crate::support::test_util::{applied, failed, live};

    const ID: &str = "migration-failed-in-database";

    #[test]
    fn pass_and_fail() {
        let history = Case::pg(&[("1_init", "CREATE TABLE a (id int);"), ("2_b", "SELECT 1;")]);
        insta::assert_snapshot!(table(
            ID,
            &[
                // No live database.
                Case::pg(&[("1_init", "SELECT 1;")]),
                history.clone().live(live(vec![
                    applied("1_init", "CREATE TABLE a (id int);"),
                    applied("2_b", "SELECT 1;"),
                ])),
                // Failed, then marked rolled back and applied again.
                history.clone().live(live(vec![
                    applied("1_init", "CREATE TABLE a (id int);"),
                    {
                        let mut r = failed("2_b", "SELECT 1;");
                        r.rolled_back_at = Some("2025-01-02 10:00:00+00".into());
                        r
                    },
                    applied("2_b", "SELECT 1;"),
                ])),
            ],
            &[history.live(live(vec![
                applied("1_init", "CREATE TABLE a (id int);"),
                failed("2_b", "SELECT 1;"),
            ]))],
        ));
    }
}
