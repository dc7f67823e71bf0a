use crate::support::drift::history_builds_databases;
use crate::support::migration::{folder_span, mig_span};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::sql::history::MigrationProblem;
use prisma_audit_core::sql::{Dialect, Migration, MigrationHistory};

declare_rule! {
    /// ## What it does
    /// Reports migration statements the dialect's parser rejects (squawk for PostgreSQL,
    /// sqlparser for MySQL and SQLite), unterminated strings, comments and dollar quotes, and
    /// `migration.sql` files that are not UTF-8 text. The rest of the history is still read.
    ///
    /// ## Why is this bad?
    /// A statement the database cannot parse makes `prisma migrate deploy` fail at that
    /// migration. An unterminated `$$` or `/*` swallows every statement after it. A file that
    /// is not UTF-8 cannot be read by Prisma at all. Our parsers can also be stricter than the
    /// database for exotic syntax: if the database accepts the statement, suppress the finding
    /// with a comment.
    ///
    /// Deliberately quiet: valid MySQL the parser does not know (`ALTER TABLE ... RENAME
    /// INDEX`, which Prisma itself generates), and histories that do not build the project's
    /// databases (a `migration_lock.toml` for another provider — read with the wrong dialect,
    /// every statement looks broken; `migration-lock-provider` reports it — or a project whose
    /// scripts only run `prisma db push`).
    ///
    /// ## Example
    /// ```sql
    /// CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; -- missing closing $$
    /// ```
    ///
    /// ## Fix
    /// Correct the statement, then check it on a scratch database (`prisma migrate reset`).
    /// Never edit a migration that a database already applied: its checksum in
    /// `_prisma_migrations` changes; fix forward in a new migration instead.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-migrate/workflows/customizing-migrations
    pub struct UnparseableMigration;
    id = "unparseable-migration",
    summary = "Migration SQL that does not parse (or is not UTF-8 text)",
    category = MigrationIntegrity,
    severity = Medium,
    fixable = false,
    enabled = true,
}

/// Valid MySQL the generic parser does not know: `ALTER TABLE t RENAME INDEX a TO b` (MySQL
/// 5.7+, and what Prisma generates when it renames an index).
fn parser_gap(h: &MigrationHistory, m: &Migration, si: usize) -> bool {
    if h.dialect != Dialect::MySql {
        return false;
    }
    let t = m.stmt_tokens(si);
    let kw = |i: usize, k: &str| t.get(i).is_some_and(|x| x.is_kw(&m.sql, k));
    kw(0, "ALTER")
        && kw(1, "TABLE")
        && t.windows(2).any(|w| {
            w[0].is_kw(&m.sql, "RENAME")
                && (w[1].is_kw(&m.sql, "INDEX") || w[1].is_kw(&m.sql, "KEY"))
        })
        && t.iter().any(|x| x.is_kw(&m.sql, "TO"))
}

impl Rule for UnparseableMigration {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(h) = ctx.migrations else { return };
        // SQL for another provider, or a folder no command runs: `migration-lock-provider`
        // reports the first.
        if !history_builds_databases(ctx, h) {
            return;
        }
        for (i, m) in h.migrations.iter().enumerate() {
            if m.problem == Some(MigrationProblem::NotText) {
                if let Some(span) = folder_span(h, i) {
                    let message = format!("`{}/migration.sql` is not UTF-8 text", m.dir);
                    let help = "Prisma reads migration files as UTF-8; this one cannot be applied \
                                or checksummed. Re-save it as UTF-8 (without NUL bytes).";
                    out.push(
                        RawFinding::new(format!("{}|not-text", m.name), message)
                            .at(span)
                            .help(help)
                            .severity(Severity::High),
                    );
                }
                continue;
            }
            for (si, s) in m.statements.iter().enumerate() {
                let Some((msg, range)) = &s.parse_error else {
                    continue;
                };
                if parser_gap(h, m, si) {
                    continue;
                }
                let Some(span) = mig_span(h, i, *range) else {
                    continue;
                };
                let mut f = RawFinding::new(
                    format!("{}|{}", m.name, m.stmt_head(si)),
                    format!("Statement in `{}` does not parse: {msg}", m.name),
                )
                .at(span)
                .help(
                    "If the database rejects it, `prisma migrate deploy` fails at this migration. \
                     If it is valid for your database (our parser can be stricter for exotic \
                     syntax), suppress this finding with a comment above the statement.",
                );
                if let Some(st) = mig_span(h, i, s.range)
                    && st != span
                {
                    f = f.related(st, "in this statement");
                }
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "unparseable-migration";

    /// The statements after the broken one are still read.
    const TYPO: &str = r#"CREATE TABLE "A" ("id" INT);
CREATE TABEL oops;
SELECT 1;
"#;

    const UNTERMINATED_DOLLAR_QUOTE: &str = r#"SELECT 1;
DO $$ BEGIN PERFORM 1;
"#;

    const SQLITE: &str = r#"PRAGMA foreign_keys=OFF;
CREATE TABLE "A" ("id" INTEGER NOT NULL PRIMARY KEY);
CREATE TABLE ((;
"#;

    /// The RENAME INDEX is valid MySQL (Prisma generates it); the second line is not.
    const MYSQL_RENAME_INDEX: &str = r#"ALTER TABLE `a` RENAME INDEX `a.x_unique` TO `a_x_key`;
CREATE TABEL oops;
"#;

    const PG_SQL: &str = r#"CREATE TABLE "A" ("id" TEXT NOT NULL, CONSTRAINT "A_pkey" PRIMARY KEY ("id"));
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            // PostgreSQL SQL under a MySQL datasource: the lock file names the real dialect,
            // and `migration-lock-provider` reports the mismatch.
            &[Case::migrations("mysql", &[("1_a", PG_SQL)]).with_file(
                "prisma/migrations/migration_lock.toml",
                "provider = \"postgresql\"\n"
            )],
            &[
                Case::pg(&[("1_a", TYPO)]),
                Case::pg(&[("1_a", UNTERMINATED_DOLLAR_QUOTE)]),
                Case::migrations("sqlite", &[("1_a", SQLITE)]),
                Case::migrations("mysql", &[("1_a", MYSQL_RENAME_INDEX)]),
            ],
        ));
    }

    /// A test case holds text only; this file is bytes that are not UTF-8.
    #[test]
    fn non_utf8_file_is_a_finding() {
        use prisma_audit_core::{AuditOptions, Project, audit, config::Config};
        let p = Project::from_files(
            "t",
            [
                (
                    "prisma/schema.prisma",
                    b"datasource db {\n  provider = \"postgresql\"\n}\n".to_vec(),
                ),
                (
                    "prisma/migrations/1_a/migration.sql",
                    vec![0xff, 0xfe, b';'],
                ),
            ],
        );
        let config = Config {
            select: Some(vec![ID.into()]),
            ..Config::default()
        };
        let r = audit(
            &p,
            &AuditOptions {
                config,
                ..AuditOptions::default()
            },
        )
        .unwrap();
        assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
        assert_eq!(
            r.findings[0].message,
            "`prisma/migrations/1_a/migration.sql` is not UTF-8 text"
        );
    }
}
