use crate::support::migration::{mig_span, sql_fix, stmt_span};
use prisma_audit_core::config::glob_match;
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::parse_options;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::sql::catalog::StmtRef;
use prisma_audit_core::sql::replay::{ConstraintKind, Effect};
use prisma_audit_core::sql::{Migration, TableState};
use serde::Deserialize;

declare_rule! {
    /// ## What it does
    /// On PostgreSQL, reports statements that take long, blocking locks on tables created by
    /// *earlier* migrations: `CREATE INDEX` without `CONCURRENTLY` (blocks writes while the
    /// index builds), foreign keys added without `NOT VALID` (locks both tables while every row
    /// is checked), `SET NOT NULL` (full scan under an exclusive lock), columns added with a
    /// volatile default such as `gen_random_uuid()` and type changes that rewrite the table
    /// (exclusive lock for the whole rewrite). Index builds and foreign keys of one migration
    /// are reported together, once per migration, when the migration holds two or more of
    /// them: each keeps its table's write lock until the whole migration commits.
    ///
    /// Deliberately quiet: a migration's single index build or foreign-key validation (it
    /// blocks writes, not reads, only while it runs — a moment on the small tables most
    /// projects have; the reviewer knows when a table is big); tables created earlier in the
    /// same migration (empty, no lock matters — that is where generic SQL linters drown real
    /// histories in noise), and
    /// migrations whose comments discuss the lock (`CONCURRENTLY`, `lock`, `locking`): their
    /// authors already weighed it against the table's size; a foreign key or `SET NOT NULL`
    /// on a column the same migration added (the `ADD COLUMN` holds the table's strongest
    /// lock already, and no existing row can fail the check). Like the other safety rules it
    /// judges only pending migrations by default.
    ///
    /// Off by default: whether a lock matters depends on the table's size, which the files
    /// do not tell. Judged on every migration of real projects, most findings were locks on
    /// tables a reviewer knew were small. Switch it on, and name the tables that are big or
    /// busy with the `largeTables` option (glob patterns on table or model names): then only
    /// statements on them are reported, single index builds included.
    ///
    /// ```toml
    /// [rules.locking-migration]
    /// enabled = true
    /// options = { largeTables = ["Event", "Message", "audit_*"] }
    /// ```
    ///
    /// Not run on histories that do not build the project's databases: a `migration_lock.toml`
    /// for another provider (`migration-lock-provider` reports it) or a project whose build or
    /// deploy scripts run `prisma db push` and never Prisma Migrate.
    ///
    /// ## Why is this bad?
    /// Prisma sends each `migration.sql` to PostgreSQL as one script, which runs as one
    /// transaction: every lock is held until the whole migration finishes. On a large, busy
    /// table the application's queries queue behind it and time out during the deploy.
    ///
    /// ## Example
    /// ```sql
    /// CREATE INDEX "Appointment_dateTime_idx" ON "Appointment"("dateTime");
    /// ```
    ///
    /// ## Fix
    /// For big tables: put `CREATE INDEX CONCURRENTLY` in a migration of its own (it cannot
    /// run inside the transaction of a multi-statement migration); add foreign keys `NOT VALID`
    /// and `VALIDATE CONSTRAINT` them in a later migration; replace `SET NOT NULL` by a `CHECK
    /// (col IS NOT NULL) NOT VALID` constraint, validate it, then `SET NOT NULL`. Small tables
    /// can ignore this finding.
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY
    /// - https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
    /// - https://www.prisma.io/docs/orm/prisma-migrate/workflows/customizing-migrations
    pub struct LockingMigration;
    id = "locking-migration",
    summary = "Statements that lock existing PostgreSQL tables for the length of the migration",
    category = MigrationIntegrity,
    severity = Medium,
    fixable = true,
    enabled = false,
}

/// Options: `{ "largeTables": ["Event", "audit_*"] }`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct LockingOptions {
    /// Tables big or busy enough for a lock to matter (glob patterns on the table name or
    /// its model's name). When set, only statements on these tables are reported, and a
    /// single index build or foreign key is reported too.
    large_tables: Option<Vec<String>>,
}

/// Whether changing `from` to `to` rewrites the table (PostgreSQL).
fn rewrites(from: &str, to: &str) -> bool {
    if from == to {
        return false;
    }
    let base = |t: &str| t.split('(').next().unwrap_or(t).trim().to_string();
    let len = |t: &str| {
        t.split('(').nth(1).and_then(|a| {
            a.trim_end_matches(')')
                .split(',')
                .next()?
                .trim()
                .parse::<u32>()
                .ok()
        })
    };
    let (fb, tb) = (base(from), base(to));
    // varchar widening, varchar -> text, numeric precision increase with equal scale: no rewrite.
    if fb == "character varying"
        && (tb == "text"
            || (tb == "character varying" && (len(to).is_none() || len(to) >= len(from))))
    {
        return false;
    }
    if fb == "numeric" && tb == "numeric" {
        let scale = |t: &str| {
            t.split(',')
                .nth(1)
                .map(|s| s.trim_end_matches(')').trim().to_string())
        };
        return !(scale(from) == scale(to) && (len(to).is_none() || len(to) >= len(from)));
    }
    true
}

/// Whether the migration's comments discuss locking (`CONCURRENTLY`, `lock`, `locking`):
/// its authors weighed the lock against the table's size.
fn lock_acknowledged(m: &Migration) -> bool {
    m.comments.iter().any(|c| {
        c.text(&m.sql)
            .split(|ch: char| !ch.is_ascii_alphabetic())
            .any(|w| {
                w.eq_ignore_ascii_case("concurrently")
                    || w.eq_ignore_ascii_case("lock")
                    || w.eq_ignore_ascii_case("locks")
                    || w.eq_ignore_ascii_case("locking")
            })
    })
}

/// `CREATE [UNIQUE] INDEX CONCURRENTLY ...` from a `CREATE INDEX` statement.
fn concurrently(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let at = lower.find("index")? + "index".len();
    Some(format!("{} CONCURRENTLY{};", &text[..at], &text[at..]))
}

/// One finding for the statements of one kind in one migration: the first is the location,
/// the others are related.
fn grouped(
    mut items: Vec<(RawFinding, Option<prisma_audit_core::span::Span>, String)>,
    anchor: String,
    message: impl FnOnce(usize) -> String,
    fix: impl FnOnce(&[String]) -> Option<prisma_audit_core::rule::RawFix>,
) -> Option<RawFinding> {
    if items.len() <= 1 {
        return items.pop().map(|(f, _, _)| f);
    }
    let n = items.len();
    let (first, _, _) = items[0].clone();
    let mut f = RawFinding::new(anchor, message(n));
    f.help = first.help;
    f.severity = first.severity;
    f.span = first.span;
    let sqls: Vec<String> = items.iter().map(|(_, _, sql)| sql.clone()).collect();
    for (x, span, _) in &items {
        if let Some(s) = span.or(x.span) {
            f = f.related(s, x.message.clone());
        }
    }
    if let Some(fx) = fix(&sqls) {
        f = f.fix(fx);
    }
    Some(f)
}

/// Columns a statement of migration `m` before `si` added: the `ADD COLUMN` already holds
/// the table's strongest lock, and every existing row has the default or NULL.
fn added_before(m: &Migration, si: usize, table: &str, column: &str) -> bool {
    m.statements[..si.min(m.statements.len())]
        .iter()
        .chain(m.statements.get(si))
        .flat_map(|s| &s.effects)
        .any(|e| matches!(e, Effect::AddColumn { table: t, column: c, .. } if t.name == table && c == column))
}

impl Rule for LockingMigration {
    /// A safety rule: migrations that already ran are history.
    fn judges_pending_migrations_only(&self) -> bool {
        true
    }
    fn validate_options(
        &self,
        options: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), String> {
        let o: LockingOptions = parse_options(options)?;
        if o.large_tables.as_ref().is_some_and(|t| t.is_empty()) {
            return Err("`largeTables` must list at least one table name or pattern".into());
        }
        Ok(())
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
        let options: LockingOptions = ctx.options();
        let large = |table: &str| match &options.large_tables {
            None => true,
            Some(patterns) => {
                let model = ctx
                    .schema
                    .models
                    .iter()
                    .find(|m| m.db_name() == table)
                    .map(|m| m.name.as_str());
                patterns
                    .iter()
                    .any(|p| glob_match(p, table) || model.is_some_and(|name| glob_match(p, name)))
            }
        };
        for (mi, m) in h.sql_migrations() {
            if lock_acknowledged(m) {
                continue;
            }
            // Index builds and foreign keys are grouped per migration: one decision each.
            let mut indexes = Vec::new();
            let mut fks = Vec::new();
            for (si, s) in m.statements.iter().enumerate() {
                if !matches!(s.target, Some((_, TableState::Existing))) {
                    continue;
                }
                let stmt = stmt_span(
                    h,
                    StmtRef {
                        migration: mi,
                        statement: si,
                    },
                );
                let text = m.text(s.range);
                if s.target.as_ref().is_some_and(|(t, _)| !large(&t.name)) {
                    continue;
                }
                // `ALTER TABLE t ALTER a SET NOT NULL, ALTER b SET NOT NULL` is one scan.
                let mut not_null_reported = false;
                for e in &s.effects {
                    let f = match e {
                        Effect::CreateIndex { index, table, concurrently: false, range, .. } => {
                            let sql = concurrently(text).unwrap_or_default();
                            let f = RawFinding::new(format!("{}|index|{}", m.name, index.name), format!("`CREATE INDEX \"{}\"` blocks writes to existing table `{}` while the index builds", index.name, table.name))
                                .help("Fine for small tables. For a large table, build it with CREATE INDEX CONCURRENTLY in a migration that contains only that statement: Prisma runs a migration file as one transaction, and CONCURRENTLY fails inside one.")
                                .severity(Severity::Low)
                                .at_opt(mig_span(h, mi, *range).or(stmt))
                                .fix(sql_fix("Build the index concurrently, alone in its own migration", sql.clone()));
                            indexes.push((f, stmt, sql));
                            continue;
                        }
                        Effect::AddConstraint { table, kind: ConstraintKind::ForeignKey, columns, .. } if columns.iter().all(|c| added_before(m, si, &table.name, c)) => continue,
                        Effect::SetNotNull { table, column, .. } if not_null_reported || added_before(m, si, &table.name, column) => continue,
                        Effect::AddConstraint { table, kind: ConstraintKind::ForeignKey, name, not_valid: false, range, .. } => {
                            let mut fx = RawFinding::new(format!("{}|fk|{}|{name}", m.name, table.name), format!("Foreign key `{name}` is validated against every row of existing table `{}` while both tables are locked", table.name))
                                .help("Fine for small tables. For a large table, add it NOT VALID (new rows are still checked) and run ALTER TABLE ... VALIDATE CONSTRAINT in a later migration, which does not block writes.")
                                .severity(Severity::Low)
                                .at_opt(mig_span(h, mi, *range).or(stmt));
                            let mut sql = String::new();
                            if !name.is_empty() && !text.contains("ADD COLUMN") {
                                sql = format!("{text} NOT VALID;\n-- in a later migration:\nALTER TABLE \"{}\" VALIDATE CONSTRAINT \"{name}\";", table.name);
                                fx = fx.fix(sql_fix("Add the foreign key NOT VALID, validate it later", sql.clone()));
                            }
                            fks.push((fx, stmt, sql));
                            continue;
                        }
                        Effect::SetNotNull { table, column, range } => {
                            not_null_reported = true;
                            RawFinding::new(format!("{}|not-null|{}.{column}", m.name, table.name), format!("`SET NOT NULL` on `{}.{column}` scans the whole existing table under an exclusive lock", table.name))
                            .help("For a large table: add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (PostgreSQL 12+ skips the scan when a valid check proves it) and drop the check.")
                            .at_opt(mig_span(h, mi, *range).or(stmt))
                            .fix(sql_fix("Prove NOT NULL with a validated check first", format!("ALTER TABLE \"{t}\" ADD CONSTRAINT \"{t}_{column}_not_null\" CHECK (\"{column}\" IS NOT NULL) NOT VALID;\n-- next migration:\nALTER TABLE \"{t}\" VALIDATE CONSTRAINT \"{t}_{column}_not_null\";\n-- next migration:\nALTER TABLE \"{t}\" ALTER COLUMN \"{column}\" SET NOT NULL;\nALTER TABLE \"{t}\" DROP CONSTRAINT \"{t}_{column}_not_null\";", t = table.name)))
                        }
                        Effect::AddColumn { table, column, volatile_default: true, default: Some(d), range, .. } => RawFinding::new(format!("{}|volatile|{}.{column}", m.name, table.name), format!("Adding `{}.{column}` with volatile default `{d}` rewrites the existing table under an exclusive lock", table.name))
                            .help("A volatile default is computed for every existing row. For a large table add the column without a default (or with a constant), backfill in batches, then set the default.")
                            .at_opt(mig_span(h, mi, *range).or(stmt)),
                        Effect::AlterType { table, column, from: Some(from), to, range, .. } if rewrites(from, to) => RawFinding::new(format!("{}|rewrite|{}.{column}", m.name, table.name), format!("Changing `{}.{column}` from {from} to {to} rewrites the existing table under an exclusive lock", table.name))
                            .help("For a large table add a new column, backfill it in batches, switch the application, then drop the old column.")
                            .at_opt(mig_span(h, mi, *range).or(stmt)),
                        _ => continue,
                    };
                    out.push(f);
                }
            }
            // Index builds and validations block writes for as long as they run. One alone is
            // a moment on the small tables most projects have; several in one migration hold
            // every table's lock until the whole migration commits.
            if indexes.len() + fks.len() < 2 && options.large_tables.is_none() {
                continue;
            }
            let name = m.name.clone();
            out.extend(grouped(
                indexes,
                format!("{name}|indexes"),
                |n| format!("Migration `{name}` builds {n} indexes on existing tables without CONCURRENTLY: each blocks writes to its table while it builds"),
                |sqls| {
                    let n = sqls.len();
                    let body: Vec<String> = sqls
                        .iter()
                        .enumerate()
                        .map(|(i, s)| format!("-- migration {} of {n} (alone in its folder):\n{s}", i + 1))
                        .collect();
                    Some(sql_fix("Build each index concurrently, each alone in its own migration", body.join("\n")))
                },
            ));
            out.extend(grouped(
                fks,
                format!("{}|fks", m.name),
                |n| format!("Migration `{}` adds {n} foreign keys to existing tables: each is validated against every row while both tables are locked", m.name),
                |sqls| {
                    (!sqls.iter().any(String::is_empty)).then(|| {
                        sql_fix("Add the foreign keys NOT VALID, validate them later", sqls.join("\n"))
                    })
                },
            ));
        }
    }
}

trait AtOpt {
    fn at_opt(self, span: Option<prisma_audit_core::span::Span>) -> Self;
}
impl AtOpt for RawFinding {
    fn at_opt(mut self, span: Option<prisma_audit_core::span::Span>) -> Self {
        self.span = span.or(self.span);
        self
    }
}

#[cfg(test)]
mod tests {
    use crate::support::migration::test_support::{at, pg, pg_with_options};

    const INIT: &str = "CREATE TABLE \"A\" (\"id\" TEXT NOT NULL, \"n\" INT, CONSTRAINT \"A_pkey\" PRIMARY KEY (\"id\"));\nCREATE TABLE \"B\" (\"id\" TEXT NOT NULL, \"aId\" TEXT);\n";

    #[test]
    fn locks_on_existing_tables() {
        let f = pg(
            "locking-migration",
            &[
                ("1_init", INIT),
                (
                    "2_x",
                    "-- CreateIndex\nCREATE INDEX \"B_aId_idx\" ON \"B\"(\"aId\");\nALTER TABLE \"B\" ADD CONSTRAINT \"B_aId_fkey\" FOREIGN KEY (\"aId\") REFERENCES \"A\"(\"id\") ON DELETE RESTRICT ON UPDATE CASCADE;\nALTER TABLE \"A\" ALTER COLUMN \"n\" SET NOT NULL;\nALTER TABLE \"A\" ADD COLUMN \"u\" UUID NOT NULL DEFAULT gen_random_uuid();\nALTER TABLE \"A\" ALTER COLUMN \"n\" SET DATA TYPE BIGINT;\n",
                ),
            ],
        );
        let mut got: Vec<String> = f.iter().map(at).collect();
        got.sort();
        assert_eq!(
            got,
            [
                "2_x/migration.sql:2",
                "2_x/migration.sql:3",
                "2_x/migration.sql:4",
                "2_x/migration.sql:5",
                "2_x/migration.sql:6"
            ],
            "{f:#?}"
        );
        let idx = f
            .iter()
            .find(|x| x.message.starts_with("`CREATE INDEX"))
            .unwrap();
        assert!(
            idx.fix
                .as_ref()
                .and_then(|x| x.sql.as_deref())
                .unwrap_or("")
                .starts_with("CREATE INDEX CONCURRENTLY")
        );
    }

    #[test]
    fn index_builds_are_grouped_and_acknowledged_locks_are_quiet() {
        let two = "CREATE INDEX \"A_n_idx\" ON \"A\"(\"n\");\ncreate index \"B_aId_idx\" on \"B\"(\"aId\");\n";
        let f = pg("locking-migration", &[("1_init", INIT), ("2_x", two)]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.contains("builds 2 indexes"), "{f:#?}");
        assert_eq!(f[0].related.len(), 2);
        let sql = f[0].fix.as_ref().and_then(|x| x.sql.clone()).unwrap();
        assert!(
            sql.contains("CREATE INDEX CONCURRENTLY \"A_n_idx\""),
            "{sql}"
        );
        assert!(
            sql.contains("create index CONCURRENTLY \"B_aId_idx\""),
            "{sql}"
        );
        let acknowledged =
            format!("-- Not CONCURRENTLY: the tables are small, the brief lock is fine.\n{two}");
        assert!(
            pg(
                "locking-migration",
                &[("1_init", INIT), ("2_x", &acknowledged)]
            )
            .is_empty()
        );
    }

    #[test]
    fn a_single_index_build_is_quiet() {
        let one = "CREATE INDEX \"A_n_idx\" ON \"A\"(\"n\");\n";
        assert!(pg("locking-migration", &[("1_init", INIT), ("2_x", one)]).is_empty());
    }

    #[test]
    fn new_tables_and_safe_changes_are_quiet() {
        let f = pg(
            "locking-migration",
            &[
                (
                    "1_init",
                    "CREATE TABLE \"A\" (\"id\" TEXT NOT NULL, \"s\" VARCHAR(10));\nCREATE INDEX \"A_s_idx\" ON \"A\"(\"s\");\nCREATE TABLE \"B\" (\"aId\" TEXT);\nALTER TABLE \"B\" ADD CONSTRAINT \"f\" FOREIGN KEY (\"aId\") REFERENCES \"A\"(\"id\");\n",
                ),
                (
                    "2_x",
                    "ALTER TABLE \"A\" ALTER COLUMN \"s\" SET DATA TYPE VARCHAR(50);\nALTER TABLE \"A\" ADD COLUMN \"t\" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;\nCREATE INDEX CONCURRENTLY \"A_t_idx\" ON \"A\"(\"t\");\n",
                ),
            ],
        );
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn new_columns_views_and_large_tables() {
        let next = "ALTER TABLE \"B\" ADD COLUMN \"x\" TEXT;\nALTER TABLE \"B\" ADD CONSTRAINT \"B_x_fkey\" FOREIGN KEY (\"x\") REFERENCES \"A\"(\"id\");\nUPDATE \"B\" SET \"x\" = \"aId\";\nALTER TABLE \"B\" ALTER COLUMN \"x\" SET NOT NULL;\nALTER TABLE \"A\" ALTER COLUMN \"n\" SET NOT NULL, ALTER COLUMN \"id\" SET NOT NULL;\nCREATE MATERIALIZED VIEW \"V\" AS SELECT \"id\" FROM \"A\";\nCREATE INDEX \"V_id\" ON \"V\"(\"id\");\nCREATE INDEX \"V_id2\" ON \"V\"(\"id\");\nCREATE INDEX \"B_aId_idx\" ON \"B\"(\"aId\");\n";
        let history = [("1_init", INIT), ("2_next", next)];
        // The new column's foreign key and NOT NULL, and the new view's indexes, are quiet;
        // the two SET NOT NULL of one statement are one finding; one index build alone is.
        let f = pg("locking-migration", &history);
        assert_eq!(
            f.iter().map(at).collect::<Vec<_>>(),
            ["2_next/migration.sql:5"],
            "{f:#?}"
        );
        // Restricted to the tables named large: the single index build on `B` counts, `A`
        // does not.
        let f = pg_with_options(
            "locking-migration",
            serde_json::json!({ "largeTables": ["B*"] }),
            &history,
        );
        assert_eq!(
            f.iter().map(at).collect::<Vec<_>>(),
            ["2_next/migration.sql:9"],
            "{f:#?}"
        );
    }
}
