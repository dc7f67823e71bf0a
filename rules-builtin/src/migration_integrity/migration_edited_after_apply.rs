use crate::support::migration::folder_span;
use prisma_audit_core::declare_rule;
use prisma_audit_core::live::same_script;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// With a live database (`--database-url`), reports migrations whose `migration.sql`
    /// differs from the script that ran: the checksum `_prisma_migrations` recorded is not the
    /// SHA-256 of the file (line endings aside).
    ///
    /// Silent without a live database.
    ///
    /// ## Why is this bad?
    /// The file no longer says what the database holds. `prisma migrate dev` then wants to reset
    /// the development database ("The migration was modified after it was applied"),
    /// `prisma migrate deploy` warns, and a fresh database built from the history differs from
    /// production.
    ///
    /// ## Example
    /// ```text
    /// prisma/migrations/20250406003044_init/migration.sql   edited after it ran in production
    /// ```
    ///
    /// ## Fix
    /// Restore the file as it ran (from git history) and put the change in a new migration.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-migrate/understanding-prisma-migrate/migration-histories
    pub struct MigrationEditedAfterApply;
    id = "migration-edited-after-apply",
    summary = "A migration file was edited after it ran in the live database",
    category = MigrationIntegrity,
    severity = High,
    fixable = false,
    enabled = true,
}

impl Rule for MigrationEditedAfterApply {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let (Some(applied), Some(h)) =
            (ctx.live.and_then(|l| l.migrations.as_ref()), ctx.migrations)
        else {
            return;
        };
        for (i, m) in h.migrations.iter().enumerate() {
            let Some(file) = m.file.and_then(|f| ctx.project.file(f)) else {
                continue;
            };
            // The newest finished run decides (a migration rolled back and applied again).
            let Some(row) = applied
                .iter()
                .rev()
                .find(|r| r.migration_name == m.name && r.finished_at.is_some())
            else {
                continue;
            };
            if row.checksum.is_empty() || same_script(file.bytes(), &row.checksum) {
                continue;
            }
            let message = format!(
                "`{}/migration.sql` was edited after it ran in the database (finished {}): its checksum no longer matches `_prisma_migrations`",
                m.dir,
                row.finished_at.as_deref().unwrap_or("")
            );
            let help = "`prisma migrate dev` will want to reset the development database and a fresh database built from the history differs from this one. Restore the file as it ran (git history) and put the change in a new migration.";
            let mut f = RawFinding::new(m.name.clone(), message).help(help);
            if let Some(span) = folder_span(h, i) {
                f = f.at(span);
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, applied, live, table};

    const ID: &str = "migration-edited-after-apply";

    #[test]
    fn pass_and_fail() {
        let history = Case::pg(&[("1_init", "CREATE TABLE a (id int);\n")]);
        insta::assert_snapshot!(table(
            ID,
            &[
                history
                    .clone()
                    .live(live(vec![applied("1_init", "CREATE TABLE a (id int);\n")])),
                // Checked out with CRLF line endings.
                Case::pg(&[("1_init", "CREATE TABLE a (id int);\r\n")])
                    .live(live(vec![applied("1_init", "CREATE TABLE a (id int);\n")])),
                // Not applied yet.
                history.clone().live(live(Vec::new())),
            ],
            &[history.live(live(vec![applied(
                "1_init",
                "CREATE TABLE a (id int, name text);\n"
            )]))],
        ));
    }
}
