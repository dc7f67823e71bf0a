use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// With a live database (`--database-url`), reports migrations the database ran (finished,
    /// not rolled back) that the project's migrations folder does not have.
    ///
    /// Silent without a live database, and when the project has no migrations folder.
    ///
    /// ## Why is this bad?
    /// The history in the repository no longer builds this database: a branch was deployed and
    /// never merged, or a migration folder was deleted or renamed after it ran. `prisma migrate
    /// dev` against that database wants to reset it, and the objects that migration created
    /// exist nowhere in the code.
    ///
    /// ## Example
    /// ```text
    /// _prisma_migrations: 20250601000000_hotfix_index   (no prisma/migrations/20250601000000_hotfix_index/)
    /// ```
    ///
    /// ## Fix
    /// Restore the folder from the branch or commit that deployed it. If it was renamed, rename
    /// it back; Prisma matches migrations by folder name.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-migrate/understanding-prisma-migrate/migration-histories
    pub struct MigrationMissingLocally;
    id = "migration-missing-locally",
    summary = "The live database ran a migration the project does not have",
    category = MigrationIntegrity,
    severity = High,
    fixable = false,
    enabled = true,
}

impl Rule for MigrationMissingLocally {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let (Some(applied), Some(h)) =
            (ctx.live.and_then(|l| l.migrations.as_ref()), ctx.migrations)
        else {
            return;
        };
        let mut seen = std::collections::BTreeSet::new();
        for row in applied
            .iter()
            .filter(|r| r.finished_at.is_some() && r.rolled_back_at.is_none())
        {
            if h.migrations.iter().any(|m| m.name == row.migration_name)
                || !seen.insert(row.migration_name.as_str())
            {
                continue;
            }
            let message = format!(
                "The database ran migration `{}` (finished {}), which `{}` does not have",
                row.migration_name,
                row.finished_at.as_deref().unwrap_or(""),
                h.dir
            );
            let help = "The repository's history no longer builds this database: `prisma migrate dev` against it wants to reset it. Restore the folder from the branch that deployed it (Prisma matches migrations by folder name).";
            out.push(RawFinding::new(row.migration_name.clone(), message).help(help));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, applied, live, table};

    const ID: &str = "migration-missing-locally";

    #[test]
    fn pass_and_fail() {
        let history = Case::pg(&[("1_init", "SELECT 1;")]);
        let mut rolled_back = applied("2_gone", "SELECT 2;");
        rolled_back.rolled_back_at = Some("2025-01-02 10:00:00+00".into());
        insta::assert_snapshot!(table(
            ID,
            &[
                history
                    .clone()
                    .live(live(vec![applied("1_init", "SELECT 1;")])),
                history
                    .clone()
                    .live(live(vec![applied("1_init", "SELECT 1;"), rolled_back])),
            ],
            &[history.live(live(vec![
                applied("1_init", "SELECT 1;"),
                applied("2_hotfix", "SELECT 2;"),
            ]))],
        ));
    }
}
