use crate::support::migration::folder_span;
use prisma_audit_core::declare_rule;
use prisma_audit_core::env::package_json::PackageJson;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::sql::history::MigrationProblem;

declare_rule! {
    /// ## What it does
    /// Reports folders inside the migrations directory that have no `migration.sql`, such as a
    /// TypeScript data migration kept beside the SQL migrations.
    ///
    /// Deliberately quiet: a folder holding a `migration.ts` (or `.js`) when a `package.json`
    /// script runs the project's own migration program (its name or command speaks of
    /// migrations and it runs `node`, `tsx`, `ts-node`, `bun`, ... or a script file): that
    /// runner, not Prisma Migrate, owns those folders.
    ///
    /// Not run on histories that do not build the project's databases: a `migration_lock.toml`
    /// for another provider (`migration-lock-provider` reports it) or a project whose build or
    /// deploy scripts run `prisma db push` and never Prisma Migrate.
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

/// Script files a migration runner executes.
fn is_script(path: &str) -> bool {
    [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"]
        .iter()
        .any(|e| path.ends_with(e))
        && !path.ends_with(".d.ts")
}

/// Whether a `package.json` script runs migrations with a program of the project's own: its
/// name or command speaks of migrations and it runs JavaScript/TypeScript (`tsx
/// scripts/migrate.ts`, `node migrate.js`), not only Prisma Migrate.
fn own_runner(ctx: &RuleContext<'_>) -> bool {
    ctx.project.files().any(|(_, file)| {
        let path = file.path();
        if !(path == "package.json" || path.ends_with("/package.json")) {
            return false;
        }
        let Some(pkg) = file.text().and_then(PackageJson::parse) else {
            return false;
        };
        pkg.scripts.iter().any(|(name, command)| {
            let words: Vec<&str> = command.split_whitespace().collect();
            let about_migrations = name.contains("migrat")
                || words
                    .iter()
                    .any(|w| w.contains("migrat") && !w.eq_ignore_ascii_case("migrate"));
            let runs_code = words.iter().any(|w| {
                matches!(
                    *w,
                    "node" | "tsx" | "ts-node" | "bun" | "esno" | "jiti" | "vite-node" | "deno"
                ) || is_script(w)
            });
            about_migrations && runs_code
        })
    })
}

impl Rule for MigrationWithoutSql {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(h) = ctx.migrations else { return };
        // A history for another provider, or one the project's deploys never run.
        if !crate::support::drift::history_builds_databases(ctx, h) {
            return;
        }
        let mut runner: Option<bool> = None;
        for (i, m) in h.migrations.iter().enumerate() {
            if m.problem != Some(MigrationProblem::NoSql) {
                continue;
            }
            // A `migration.ts` that the project's own runner executes: the folder is that
            // runner's, not a forgotten Prisma migration.
            let has_script = m.other_files.iter().any(|f| {
                ctx.project.file(*f).is_some_and(|pf| {
                    let name = pf.path().rsplit('/').next().unwrap_or("");
                    is_script(name) && name.starts_with("migration")
                })
            });
            if has_script && *runner.get_or_insert_with(|| own_runner(ctx)) {
                continue;
            }
            let Some(span) = folder_span(h, i) else {
                continue;
            };
            let message = format!("Migrations folder `{}` has no migration.sql", m.dir);
            let help = "Prisma reads `migration.sql` from every folder of the migrations directory \
                        and stops when one is missing (P3015); files kept here are never run by \
                        Prisma. Move data-migration scripts elsewhere (e.g. \
                        `prisma/data-migrations/`) or add the SQL.";
            out.push(RawFinding::new(m.name.clone(), message).at(span).help(help));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "migration-without-sql";

    /// A history whose second folder holds `path` instead of a `migration.sql`.
    fn with_folder_file(path: &str, text: &str) -> Case {
        Case::pg(&[("1_init", "SELECT 1;")]).with_file(path, text)
    }

    fn ts_migration(package_json: &str) -> Case {
        with_folder_file(
            "prisma/migrations/2_backfill/migration.ts",
            "export async function up() {}\n",
        )
        .with_file("package.json", package_json)
    }

    const OWN_RUNNER: &str = r#"{"scripts":{"db:migrate":"tsx scripts/run-migrations.ts"}}"#;
    const PRISMA_MIGRATE_ONLY: &str = r#"{"scripts":{"db:migrate":"prisma migrate deploy"}}"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            // The project's own runner executes `migration.ts` files.
            &[ts_migration(OWN_RUNNER)],
            &[
                with_folder_file("prisma/migrations/2_backfill/backfill.ts", "export {}\n"),
                ts_migration(PRISMA_MIGRATE_ONLY),
            ],
        ));
    }
}
