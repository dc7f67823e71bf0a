use crate::support::migration::{comments_mention, mig_span, sql_fix, stmt_span};
use prisma_audit_core::TextRange;
use prisma_audit_core::config::glob_match;
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext, RuleOptions};
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
    /// largeTables = ["Event", "Message", "audit_*"]
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
    /// ## Options
    /// - `largeTables` (list of glob patterns on table or model names): the tables big or busy
    ///   enough for a lock to matter. When set, only statements on them are reported, single
    ///   index builds and foreign keys included.
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
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
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
    comments_mention(m, &["concurrently", "lock", "locks", "locking"])
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
        .any(|e| match e {
            Effect::AddColumn {
                table: t,
                column: c,
                ..
            } => t.name == table && c == column,
            _ => false,
        })
}

impl RuleOptions for LockingOptions {
    fn check(&self) -> Result<(), String> {
        if self.large_tables.as_ref().is_some_and(|t| t.is_empty()) {
            return Err("`largeTables` must list at least one table name or pattern".into());
        }
        Ok(())
    }
}

impl Rule for LockingMigration {
    /// A safety rule: migrations that already ran are history.
    fn judges_pending_migrations_only(&self) -> bool {
        true
    }
    prisma_audit_core::rule_options!(LockingOptions);
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
                let site = Site {
                    h,
                    mi,
                    name: &m.name,
                    stmt,
                    text,
                };
                // `ALTER TABLE t ALTER a SET NOT NULL, ALTER b SET NOT NULL` is one scan.
                let mut not_null_reported = false;
                for e in &s.effects {
                    let f = match e {
                        Effect::CreateIndex {
                            index,
                            table,
                            concurrently: false,
                            range,
                            ..
                        } => {
                            indexes.push(site.index_build(&index.name, &table.name, *range));
                            continue;
                        }
                        Effect::AddConstraint {
                            table,
                            kind: ConstraintKind::ForeignKey,
                            columns,
                            ..
                        } if columns.iter().all(|c| added_before(m, si, &table.name, c)) => {
                            continue;
                        }
                        Effect::SetNotNull { table, column, .. }
                            if not_null_reported || added_before(m, si, &table.name, column) =>
                        {
                            continue;
                        }
                        Effect::AddConstraint {
                            table,
                            kind: ConstraintKind::ForeignKey,
                            name,
                            not_valid: false,
                            range,
                            ..
                        } => {
                            fks.push(site.foreign_key(&table.name, name, *range));
                            continue;
                        }
                        Effect::SetNotNull {
                            table,
                            column,
                            range,
                        } => {
                            not_null_reported = true;
                            site.set_not_null(&table.name, column, *range)
                        }
                        Effect::AddColumn {
                            table,
                            column,
                            volatile_default: true,
                            default: Some(d),
                            range,
                            ..
                        } => site.volatile_default(&table.name, column, d, *range),
                        Effect::AlterType {
                            table,
                            column,
                            from: Some(from),
                            to,
                            range,
                            ..
                        } if rewrites(from, to) => {
                            site.type_rewrite(&table.name, column, from, to, *range)
                        }
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
            let indexes_message = |n| {
                format!(
                    "Migration `{name}` builds {n} indexes on existing tables without \
                     CONCURRENTLY: each blocks writes to its table while it builds"
                )
            };
            let indexes_fix = |sqls: &[String]| {
                let n = sqls.len();
                let body: Vec<String> = sqls
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        format!("-- migration {} of {n} (alone in its folder):\n{s}", i + 1)
                    })
                    .collect();
                let title = "Build each index concurrently, each alone in its own migration";
                Some(sql_fix(title, body.join("\n")))
            };
            let anchor = format!("{name}|indexes");
            out.extend(grouped(indexes, anchor, indexes_message, indexes_fix));
            let fks_message = |n| {
                format!(
                    "Migration `{}` adds {n} foreign keys to existing tables: each is validated \
                     against every row while both tables are locked",
                    m.name
                )
            };
            let fks_fix = |sqls: &[String]| {
                (!sqls.iter().any(String::is_empty)).then(|| {
                    let title = "Add the foreign keys NOT VALID, validate them later";
                    sql_fix(title, sqls.join("\n"))
                })
            };
            out.extend(grouped(
                fks,
                format!("{}|fks", m.name),
                fks_message,
                fks_fix,
            ));
        }
    }
}

/// One statement of migration `mi` changing an existing table.
struct Site<'a> {
    h: &'a prisma_audit_core::sql::MigrationHistory,
    mi: usize,
    /// Name of the migration.
    name: &'a str,
    /// Span of the statement.
    stmt: Option<prisma_audit_core::span::Span>,
    /// SQL text of the statement.
    text: &'a str,
}

/// A finding grouped per migration: the finding, its statement, and the SQL of its fix.
type Grouped = (RawFinding, Option<prisma_audit_core::span::Span>, String);

impl Site<'_> {
    /// Where a finding points: `range` in the migration, else the statement.
    fn span(&self, range: TextRange) -> Option<prisma_audit_core::span::Span> {
        mig_span(self.h, self.mi, range).or(self.stmt)
    }

    /// `CREATE INDEX` without `CONCURRENTLY`.
    fn index_build(&self, index: &str, table: &str, range: TextRange) -> Grouped {
        let name = self.name;
        let sql = concurrently(self.text).unwrap_or_default();
        let message = format!(
            "`CREATE INDEX \"{index}\"` blocks writes to existing table `{table}` while the index builds"
        );
        let help = "Fine for small tables. For a large table, build it with CREATE INDEX \
                    CONCURRENTLY in a migration that contains only that statement: Prisma runs a \
                    migration file as one transaction, and CONCURRENTLY fails inside one.";
        let title = "Build the index concurrently, alone in its own migration";
        let f = RawFinding::new(format!("{name}|index|{index}"), message)
            .help(help)
            .severity(Severity::Low)
            .at_opt(self.span(range))
            .fix(sql_fix(title, sql.clone()));
        (f, self.stmt, sql)
    }

    /// A foreign key added without `NOT VALID`.
    fn foreign_key(&self, table: &str, fk: &str, range: TextRange) -> Grouped {
        let Site { name, text, .. } = *self;
        let message = format!(
            "Foreign key `{fk}` is validated against every row of existing table `{table}` while \
             both tables are locked"
        );
        let help = "Fine for small tables. For a large table, add it NOT VALID (new rows are still \
                    checked) and run ALTER TABLE ... VALIDATE CONSTRAINT in a later migration, \
                    which does not block writes.";
        let mut fx = RawFinding::new(format!("{name}|fk|{table}|{fk}"), message)
            .help(help)
            .severity(Severity::Low)
            .at_opt(self.span(range));
        let mut sql = String::new();
        if !fk.is_empty() && !text.contains("ADD COLUMN") {
            sql = format!(
                "{text} NOT VALID;\n\
                 -- in a later migration:\n\
                 ALTER TABLE \"{table}\" VALIDATE CONSTRAINT \"{fk}\";"
            );
            let title = "Add the foreign key NOT VALID, validate it later";
            fx = fx.fix(sql_fix(title, sql.clone()));
        }
        (fx, self.stmt, sql)
    }

    /// `SET NOT NULL` on a column of an existing table.
    fn set_not_null(&self, table: &str, column: &str, range: TextRange) -> RawFinding {
        let name = self.name;
        let message = format!(
            "`SET NOT NULL` on `{table}.{column}` scans the whole existing table under an exclusive lock"
        );
        let help = "For a large table: add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a \
                    later migration, then SET NOT NULL (PostgreSQL 12+ skips the scan when a valid \
                    check proves it) and drop the check.";
        let t = table;
        let sql = format!(
            "ALTER TABLE \"{t}\" ADD CONSTRAINT \"{t}_{column}_not_null\" CHECK (\"{column}\" IS \
             NOT NULL) NOT VALID;\n\
             -- next migration:\n\
             ALTER TABLE \"{t}\" VALIDATE CONSTRAINT \"{t}_{column}_not_null\";\n\
             -- next migration:\n\
             ALTER TABLE \"{t}\" ALTER COLUMN \"{column}\" SET NOT NULL;\n\
             ALTER TABLE \"{t}\" DROP CONSTRAINT \"{t}_{column}_not_null\";"
        );
        RawFinding::new(format!("{name}|not-null|{table}.{column}"), message)
            .help(help)
            .at_opt(self.span(range))
            .fix(sql_fix("Prove NOT NULL with a validated check first", sql))
    }

    /// A column added with a volatile default.
    fn volatile_default(&self, table: &str, column: &str, d: &str, range: TextRange) -> RawFinding {
        let name = self.name;
        let message = format!(
            "Adding `{table}.{column}` with volatile default `{d}` rewrites the existing table \
             under an exclusive lock"
        );
        let help = "A volatile default is computed for every existing row. For a large table add \
                    the column without a default (or with a constant), backfill in batches, then \
                    set the default.";
        RawFinding::new(format!("{name}|volatile|{table}.{column}"), message)
            .help(help)
            .at_opt(self.span(range))
    }

    /// A type change that rewrites the table.
    fn type_rewrite(
        &self,
        table: &str,
        column: &str,
        from: &str,
        to: &str,
        range: TextRange,
    ) -> RawFinding {
        let name = self.name;
        let message = format!(
            "Changing `{table}.{column}` from {from} to {to} rewrites the existing table under an \
             exclusive lock"
        );
        let help = "For a large table add a new column, backfill it in batches, switch the \
                    application, then drop the old column.";
        RawFinding::new(format!("{name}|rewrite|{table}.{column}"), message)
            .help(help)
            .at_opt(self.span(range))
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
    use crate::support::test_util::{Case, table};
    use serde_json::json;

    const ID: &str = "locking-migration";

    const INIT: &str = r#"CREATE TABLE "A" ("id" TEXT NOT NULL, "n" INT, CONSTRAINT "A_pkey" PRIMARY KEY ("id"));
CREATE TABLE "B" ("id" TEXT NOT NULL, "aId" TEXT);
"#;

    /// Every statement locks an existing table. The index build and the foreign key are two
    /// write-blocking builds in one migration, so both count.
    const LOCKS: &str = r#"-- CreateIndex
CREATE INDEX "B_aId_idx" ON "B"("aId");
ALTER TABLE "B" ADD CONSTRAINT "B_aId_fkey" FOREIGN KEY ("aId") REFERENCES "A"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "A" ALTER COLUMN "n" SET NOT NULL;
ALTER TABLE "A" ADD COLUMN "u" UUID NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE "A" ALTER COLUMN "n" SET DATA TYPE BIGINT;
"#;

    /// Two index builds: one finding, with one CONCURRENTLY rewrite for both.
    const TWO_INDEX_BUILDS: &str = r#"CREATE INDEX "A_n_idx" ON "A"("n");
create index "B_aId_idx" on "B"("aId");
"#;

    const ONE_INDEX_BUILD: &str = r#"CREATE INDEX "A_n_idx" ON "A"("n");
"#;

    /// Tables created in the first migration, changed by the second without a long lock.
    const NEW_TABLES: &str = r#"CREATE TABLE "A" ("id" TEXT NOT NULL, "s" VARCHAR(10));
CREATE INDEX "A_s_idx" ON "A"("s");
CREATE TABLE "B" ("aId" TEXT);
ALTER TABLE "B" ADD CONSTRAINT "f" FOREIGN KEY ("aId") REFERENCES "A"("id");
"#;
    const SAFE_CHANGES: &str = r#"ALTER TABLE "A" ALTER COLUMN "s" SET DATA TYPE VARCHAR(50);
ALTER TABLE "A" ADD COLUMN "t" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
CREATE INDEX CONCURRENTLY "A_t_idx" ON "A"("t");
"#;

    /// The new column's foreign key and NOT NULL and the new view's indexes are quiet; the
    /// two SET NOT NULL of line 5 are one finding; the index build of line 9 is alone.
    const NEW_COLUMN_AND_VIEW: &str = r#"ALTER TABLE "B" ADD COLUMN "x" TEXT;
ALTER TABLE "B" ADD CONSTRAINT "B_x_fkey" FOREIGN KEY ("x") REFERENCES "A"("id");
UPDATE "B" SET "x" = "aId";
ALTER TABLE "B" ALTER COLUMN "x" SET NOT NULL;
ALTER TABLE "A" ALTER COLUMN "n" SET NOT NULL, ALTER COLUMN "id" SET NOT NULL;
CREATE MATERIALIZED VIEW "V" AS SELECT "id" FROM "A";
CREATE INDEX "V_id" ON "V"("id");
CREATE INDEX "V_id2" ON "V"("id");
CREATE INDEX "B_aId_idx" ON "B"("aId");
"#;

    fn after_init(sql: &str) -> Case {
        Case::pg(&[("1_init", INIT), ("2_x", sql)])
    }

    #[test]
    fn pass_and_fail() {
        let acknowledged = format!(
            "-- Not CONCURRENTLY: the tables are small, the brief lock is fine.\n{TWO_INDEX_BUILDS}"
        );
        insta::assert_snapshot!(table(
            ID,
            &[
                after_init(&acknowledged),
                after_init(ONE_INDEX_BUILD),
                Case::pg(&[("1_init", NEW_TABLES), ("2_x", SAFE_CHANGES)]),
            ],
            &[
                after_init(LOCKS),
                after_init(TWO_INDEX_BUILDS),
                after_init(NEW_COLUMN_AND_VIEW),
                // Only the tables named large count: the single index build on `B` does,
                // the SET NOT NULL on `A` does not.
                after_init(NEW_COLUMN_AND_VIEW).options(json!({ "largeTables": ["B*"] })),
            ],
        ));
    }
}
