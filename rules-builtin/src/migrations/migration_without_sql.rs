use super::folder_span;
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::sql::history::MigrationProblem;

declare_rule! {
    /// ## What it does
    /// Reports folders inside the migrations directory that have no `migration.sql`, such as a
    /// TypeScript data migration kept beside the SQL migrations.
    ///
    /// ## Why is this bad?
    /// Prisma Migrate treats every folder of the migrations directory as a migration and reads
    /// its `migration.sql`; a folder without one makes `migrate dev`/`migrate deploy` stop with
    /// "Could not find the migration file ... Please delete the directory or restore the
    /// migration file" (P3015). Scripts kept there are also never run by Prisma.
    ///
    /// ## Example
    /// ```text
    /// prisma/migrations/20250101000000_backfill_plans/backfill.ts   (no migration.sql)
    /// ```
    ///
    /// ## Fix
    /// Move data-migration scripts out of the migrations directory (e.g. `prisma/data-migrations/`)
    /// and run them from your deploy pipeline, or add the SQL as `migration.sql`.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/reference/error-reference#p3015
    /// - https://www.prisma.io/docs/guides/data-migration
    pub struct MigrationWithoutSql;
    id = "migration-without-sql",
    summary = "A folder in the migrations directory has no migration.sql",
    category = MigrationIntegrity,
    severity = High,
    fixable = false,
    enabled = true,
}

impl Rule for MigrationWithoutSql {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(h) = ctx.migrations else { return };
        for (i, m) in h.migrations.iter().enumerate() {
            if m.problem != Some(MigrationProblem::NoSql) {
                continue;
            }
            let Some(span) = folder_span(h, i) else {
                continue;
            };
            out.push(
                RawFinding::new(m.name.clone(), format!("Migrations folder `{}` has no migration.sql", m.dir))
                    .at(span)
                    .help("Prisma reads `migration.sql` from every folder of the migrations directory and stops when one is missing (P3015); files kept here are never run by Prisma. Move data-migration scripts elsewhere (e.g. `prisma/data-migrations/`) or add the SQL."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_util::findings;

    #[test]
    fn typescript_only_folder_is_reported() {
        let f = findings(
            "migration-without-sql",
            &[
                (
                    "prisma/schema.prisma",
                    "datasource db {\n  provider = \"postgresql\"\n}\n",
                ),
                ("prisma/migrations/1_init/migration.sql", "SELECT 1;"),
                ("prisma/migrations/2_backfill/backfill.ts", "export {}\n"),
            ],
        );
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(
            f[0].location.as_ref().map(|l| l.file.as_str()),
            Some("prisma/migrations/2_backfill/backfill.ts")
        );
    }
}
