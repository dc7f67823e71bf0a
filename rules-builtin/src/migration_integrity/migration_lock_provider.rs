use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::rule::{RawEdit, RawFinding, RawFix, Rule, RuleContext};
use prisma_audit_core::span::Span;

declare_rule! {
    /// ## What it does
    /// Compares the `provider` of `prisma/migrations/migration_lock.toml` with the provider of
    /// the schema's `datasource`.
    ///
    /// ## Why is this bad?
    /// A history is written in one SQL dialect. When the providers differ, Prisma Migrate
    /// refuses to work with the folder (error P3019) and every `migrate dev`/`migrate deploy`
    /// fails; the SQL would not run on the other database anyway. It usually means the
    /// datasource was switched (e.g. SQLite to PostgreSQL) without starting a new history.
    ///
    /// ## Example
    /// ```toml
    /// # migration_lock.toml
    /// provider = "sqlite"    # but the schema says provider = "postgresql"
    /// ```
    ///
    /// ## Fix
    /// Start a new history for the new provider (move the old folder away, create a baseline
    /// migration, see Prisma's baselining guide); edit the lock file only if the SQL really is
    /// for the schema's provider. The suggested lock-file edit (unsafe) is offered only when
    /// every migration parses as the datasource's SQL; otherwise there is no fix.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/reference/error-reference#p3019
    /// - https://www.prisma.io/docs/orm/prisma-migrate/understanding-prisma-migrate/migration-histories
    pub struct MigrationLockProvider;
    id = "migration-lock-provider",
    summary = "migration_lock.toml names a different provider than the datasource",
    category = MigrationIntegrity,
    severity = High,
    fixable = true,
    enabled = true,
}

fn family(p: &str) -> &str {
    match p {
        "postgres" => "postgresql",
        other => other,
    }
}

impl Rule for MigrationLockProvider {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(h) = ctx.migrations else { return };
        let (Some(lock), Some(ds)) = (&h.lock, h.datasource_provider.as_deref()) else {
            return;
        };
        let Some(lp) = lock.provider.as_deref() else {
            let help = "Prisma writes `provider = \"<provider>\"` into the lock file and checks it \
                        on every migrate command; restore the line.";
            out.push(
                RawFinding::new("no-provider", "migration_lock.toml has no `provider`")
                    .at(Span::new(lock.file, lock.provider_range))
                    .help(help),
            );
            return;
        };
        if family(lp) == family(ds) {
            return;
        }
        let span = Span::new(lock.file, lock.provider_range);
        // The history is read with the datasource's dialect: statements that do not parse
        // show the SQL is not `ds` SQL, and relabelling the lock file would be wrong.
        let parses = h
            .sql_migrations()
            .all(|(_, m)| m.statements.iter().all(|s| s.parse_error.is_none()));
        let message =
            format!("migration_lock.toml says provider `{lp}` but the datasource is `{ds}`");
        let help = format!(
            "Prisma Migrate refuses a history locked to another provider (P3019), and this SQL is \
             written for `{lp}`. Start a new history for `{ds}` (baseline), or correct the lock \
             file if the migrations really are `{ds}` SQL."
        );
        let mut f = RawFinding::new(format!("{lp}|{ds}"), message)
            .at(span)
            .help(help);

        if parses {
            f = f.fix(RawFix {
                title: format!("Set the lock file provider to `{ds}` (the SQL parses as {ds} SQL)"),
                safety: FixSafety::Unsafe,
                edits: vec![RawEdit {
                    span,
                    replacement: ds.to_string(),
                }],
                sql: None,
            });
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "migration-lock-provider";

    const LOCK: &str = "prisma/migrations/migration_lock.toml";

    const PG_SQL: &str = r#"CREATE TABLE "A" ("id" TEXT NOT NULL, CONSTRAINT "A_pkey" PRIMARY KEY ("id"));
"#;
    const MYSQL_SQL: &str = r#"CREATE TABLE `A` (`id` VARCHAR(191) NOT NULL, PRIMARY KEY (`id`));
"#;

    const PG_LOCK_WITH_COMMENT: &str = r#"# comment
provider = "postgresql"
"#;
    const PG_LOCK: &str = "provider = \"postgresql\"\n";
    const SQLITE_LOCK: &str = "provider = \"sqlite\"\n";

    /// A project of `provider` with one migration whose lock file reads `lock`.
    fn locked(provider: &str, lock: &str, sql: &str) -> Case {
        Case::migrations(provider, &[("1_init", sql)]).with_file(LOCK, lock)
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[locked("postgresql", PG_LOCK_WITH_COMMENT, "SELECT 1;")],
            &[
                locked("postgresql", SQLITE_LOCK, "SELECT 1;"),
                // The SQL is PostgreSQL's: no fix relabelling the lock file.
                locked("mysql", PG_LOCK, PG_SQL),
                // The SQL parses as MySQL: the lock file is the one to correct.
                locked("mysql", PG_LOCK, MYSQL_SQL),
            ],
        ));
    }
}
