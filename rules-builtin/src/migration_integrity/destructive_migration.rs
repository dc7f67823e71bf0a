use crate::support::migration::{mig_span, stmt_span, table_copied_before, warning_evidence};
use prisma_audit_core::TextRange;
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::sql::replay::{ConstraintKind, DataVerb, Effect};
use prisma_audit_core::sql::warnings::WarningKind;
use prisma_audit_core::sql::{MigrationHistory, QName, TableState};

declare_rule! {
    /// ## What it does
    /// Reports destructive and risky changes to tables that earlier migrations created (so may
    /// hold data), with a severity that follows reversibility: `DROP TABLE` and `DROP COLUMN`
    /// (data gone; high), including columns lost when SQLite's "redefine table" pattern copies
    /// a table; narrowing type changes (medium); `NOT NULL` columns added without a default,
    /// `SET NOT NULL` without a backfill and unique constraints added to existing columns
    /// (the deploy fails on real data; medium). Prisma's `/* Warnings: */` header is shown as
    /// evidence.
    ///
    /// Deliberately quiet: tables created earlier in the same migration (empty); unique keys
    /// that contain the primary key or an existing unique key (duplicates cannot exist);
    /// columns whose values the same migration copies first (`UPDATE ... SET new = old`,
    /// `INSERT ... SELECT`) and tables whose rows it copies into another table before the
    /// drop; columns that hand-written SQL created and a generated statement drops
    /// (`migration-undoes-handwritten-sql` reports those). Like the other safety rules it
    /// judges only pending migrations by default.
    ///
    /// Not run on histories that do not build the project's databases: a `migration_lock.toml`
    /// for another provider (`migration-lock-provider` reports it) or a project whose build or
    /// deploy scripts run `prisma db push` and never Prisma Migrate.
    ///
    /// ## Why is this bad?
    /// `prisma migrate deploy` runs these without asking. Dropped data only comes back from a
    /// backup; a change that fails on production data blocks the release and leaves the
    /// migration marked as failed until someone runs `prisma migrate resolve`.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE "Pet" DROP COLUMN "nickname";
    /// ALTER TABLE "Pet" ADD COLUMN "ownerId" TEXT NOT NULL;
    /// ```
    ///
    /// ## Fix
    /// Use expand-and-contract: add the new column as optional, backfill, then make it
    /// required; copy data before dropping; check for duplicates before adding a unique
    /// constraint. Keep a backup before deploying destructive migrations.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-migrate/workflows/customizing-migrations
    /// - https://www.prisma.io/docs/guides/data-migration
    pub struct DestructiveMigration;
    id = "destructive-migration",
    summary = "Migrations that drop data or fail on existing rows",
    category = MigrationIntegrity,
    severity = High,
    fixable = false,
    enabled = true,
}

/// `(base, args)` of a normalised type, e.g. `("character varying", [255])`.
fn parts(t: &str) -> (String, Vec<u32>) {
    match t.find('(') {
        Some(i) => {
            let close = t[i..].find(')').map_or(t.len(), |c| i + c);
            let args = t[i + 1..close]
                .split(',')
                .filter_map(|a| a.trim().parse().ok())
                .collect();
            let rest = t.get(close + 1..).unwrap_or("").trim();
            let base = if rest.is_empty() {
                t[..i].to_string()
            } else {
                format!("{} {rest}", &t[..i])
            };
            (base, args)
        }
        None => (t.to_string(), Vec::new()),
    }
}

fn int_rank(b: &str) -> Option<u8> {
    match b {
        "tinyint" => Some(1),
        "smallint" => Some(2),
        "mediumint" => Some(3),
        "integer" | "int" => Some(4),
        "bigint" => Some(5),
        _ => None,
    }
}

fn is_text(b: &str) -> bool {
    matches!(
        b,
        "text"
            | "character varying"
            | "varchar"
            | "character"
            | "char"
            | "citext"
            | "longtext"
            | "mediumtext"
            | "tinytext"
    )
}

/// Why a type change may lose data or fail, if it may.
pub(crate) fn narrowing(from: &str, to: &str) -> Option<String> {
    if from == to {
        return None;
    }
    let (fb, fa) = parts(from);
    let (tb, ta) = parts(to);
    if is_text(&fb) && is_text(&tb) {
        let flen = if fb == "text" || fb.ends_with("text") {
            None
        } else {
            fa.first().copied()
        };
        return match (flen, ta.first().copied()) {
            (_, None) if tb == "text" || tb.ends_with("text") => None,
            (None, Some(n)) => Some(format!("unbounded text becomes at most {n} characters")),
            (Some(a), Some(b)) if b < a => Some(format!("length shrinks from {a} to {b}")),
            _ => None,
        };
    }
    if (fb == "numeric" || fb == "decimal") && (tb == "numeric" || tb == "decimal") {
        let (fp, fs) = (fa.first().copied(), fa.get(1).copied().unwrap_or(0));
        let (tp, ts) = (ta.first().copied(), ta.get(1).copied().unwrap_or(0));
        return match (fp, tp) {
            (_, Some(tp)) if fp.is_none_or(|fp| tp - ts.min(tp) < fp - fs.min(fp)) => {
                Some(format!("{from} values may not fit {to}"))
            }
            (_, Some(_)) if ts < fs => {
                Some(format!("scale drops from {fs} to {ts}: values are rounded"))
            }
            _ => None,
        };
    }
    if let (Some(a), Some(b)) = (int_rank(&fb), int_rank(&tb)) {
        return (b < a).then(|| format!("{fb} values may overflow {tb}"));
    }
    if (fb == "numeric" || fb == "decimal" || fb == "double precision" || fb == "real")
        && int_rank(&tb).is_some()
    {
        return Some("fractions are rounded away".into());
    }
    if fb == "double precision" && tb == "real" {
        return Some("precision drops from double to single".into());
    }
    if is_text(&fb) && !is_text(&tb) && !tb.contains("enum") {
        return Some(format!(
            "text must convert to {to}; rows that do not convert make the migration fail"
        ));
    }
    None
}

fn added_in_migration(h: &MigrationHistory, mig: usize, table: &str, column: &str) -> bool {
    let statements = &h.migrations[mig].statements;
    statements.iter().flat_map(|s| &s.effects).any(|e| match e {
        Effect::AddColumn {
            table: t,
            column: c,
            ..
        } => t.name == table && c == column,
        _ => false,
    })
}

/// Whether `ident` occurs in `text` as an identifier (quoted, or a whole bare word).
fn count_ident(text: &str, ident: &str) -> usize {
    let lower = text.to_ascii_lowercase();
    let id = ident.to_ascii_lowercase();
    let quoted =
        lower.matches(&format!("\"{id}\"")).count() + lower.matches(&format!("`{id}`")).count();
    let bytes = lower.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bare = lower
        .match_indices(&id)
        .filter(|(i, _)| {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + id.len()).copied();
            before.is_none_or(|b| !is_word(b) && b != b'"' && b != b'`')
                && after.is_none_or(|b| !is_word(b) && b != b'"' && b != b'`')
        })
        .count();
    quoted + bare
}

/// Whether statement `si` of migration `mig` is preceded, in the same migration, by one that
/// copies the values of `table.column` elsewhere (`UPDATE ... SET new = old`, `INSERT ...
/// SELECT`, or a `DO` block doing so).
fn copied_before(h: &MigrationHistory, mig: usize, si: usize, table: &str, column: &str) -> bool {
    let m = &h.migrations[mig];
    m.statements[..si].iter().any(|s| {
        let text = m.text(s.range);
        s.effects.iter().any(|e| match e {
            Effect::DataChange {
                verb: DataVerb::Update,
                table: t,
                set_columns,
                ..
            } => {
                let n = count_ident(text, column);
                // `SET col = ...` on the column itself only names it as the target.
                if t.name == table && set_columns.iter().any(|c| c == column) {
                    n >= 2
                } else {
                    n >= 1 && count_ident(text, table) >= 1
                }
            }
            Effect::DataChange {
                verb: DataVerb::Insert,
                ..
            }
            | Effect::Opaque => count_ident(text, column) >= 1 && count_ident(text, table) >= 1,
            _ => false,
        })
    })
}

/// Whether `columns` already hold a unique key of `table` (its primary key, or a unique
/// index or constraint created by an earlier migration): duplicates cannot exist.
fn contains_unique_key(
    h: &MigrationHistory,
    mig: usize,
    table: &QName,
    columns: &[String],
) -> bool {
    let cat = &h.replay.catalog;
    let covers = |key: &[String]| !key.is_empty() && key.iter().all(|k| columns.contains(k));
    let Some(t) = cat.tables.get(table) else {
        return false;
    };
    t.primary_key.as_ref().is_some_and(|p| covers(&p.columns))
        || t.uniques
            .iter()
            .any(|u| u.defined_at.migration < mig && covers(&u.columns))
        || cat.table_indexes(table).any(|i| {
            i.unique
                && i.predicate.is_none()
                && i.defined_at.migration < mig
                && i.columns.iter().all(|c| !c.is_expression)
                && covers(&i.columns.iter().map(|c| c.expr.clone()).collect::<Vec<_>>())
        })
}

fn backfilled(h: &MigrationHistory, mig: usize, before: usize, table: &str, column: &str) -> bool {
    let statements = &h.migrations[mig].statements[..before];
    statements.iter().flat_map(|s| &s.effects).any(|e| match e {
        Effect::DataChange {
            table: t,
            verb: DataVerb::Update,
            set_columns,
            ..
        } => t.name == table && (set_columns.is_empty() || set_columns.iter().any(|c| c == column)),
        _ => false,
    })
}

impl Rule for DestructiveMigration {
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
        // Columns a generated statement drops after hand-written SQL created them:
        // `migration-undoes-handwritten-sql` reports those, with the creating migration.
        let undone: Vec<(usize, usize, &str, &str)> =
            super::migration_undoes_handwritten_sql::undone_handwritten(h)
                .filter(|d| d.kind == prisma_audit_core::sql::replay::DroppedKind::Column)
                .map(|d| {
                    (
                        d.dropped_at.migration,
                        d.dropped_at.statement,
                        d.table.name.as_str(),
                        d.name.as_str(),
                    )
                })
                .collect();
        for (mi, m) in h.sql_migrations() {
            let all: Vec<&Effect> = m.statements.iter().flat_map(|s| &s.effects).collect();
            for (si, s) in m.statements.iter().enumerate() {
                // Only changes to a table that existed before the statement can lose data or
                // fail on existing rows.
                if !matches!(s.target, Some((_, TableState::Existing))) {
                    continue;
                }
                let stmt = stmt_span(
                    h,
                    prisma_audit_core::sql::catalog::StmtRef {
                        migration: mi,
                        statement: si,
                    },
                );
                let site = Site {
                    h,
                    mi,
                    si,
                    name: &m.name,
                    all: &all,
                    undone: &undone,
                };
                for e in &s.effects {
                    let Some(mut f) = site.finding(e) else {
                        continue;
                    };
                    if f.span.is_none() {
                        f.span = stmt;
                    }
                    out.push(f);
                }
            }
        }
    }
}

/// One statement of a migration, changing a table that already exists.
struct Site<'a> {
    h: &'a MigrationHistory,
    /// Index of the migration.
    mi: usize,
    /// Index of the statement in the migration.
    si: usize,
    /// Name of the migration.
    name: &'a str,
    /// Every effect of the migration.
    all: &'a [&'a Effect],
    /// Columns `migration-undoes-handwritten-sql` reports: (migration, statement, table,
    /// column).
    undone: &'a [(usize, usize, &'a str, &'a str)],
}

impl Site<'_> {
    /// The finding for effect `e` of this statement, if it drops data or may fail on the
    /// table's existing rows.
    fn finding(&self, e: &Effect) -> Option<RawFinding> {
        match e {
            Effect::DropTable {
                table,
                name_range,
                columns,
            } => self.drop_table(table, *name_range, columns),
            Effect::DropColumn {
                table,
                column,
                range,
            } => self.drop_column(&table.name, column, *range),
            Effect::AlterType {
                table,
                column,
                from: Some(from),
                to,
                range,
                ..
            } => self.alter_type(&table.name, column, from, to, *range),
            Effect::AddColumn {
                table,
                column,
                not_null: true,
                default: None,
                range,
                ..
            } => Some(self.required_column(&table.name, column, *range)),
            Effect::SetNotNull {
                table,
                column,
                range,
            } => self.set_not_null(&table.name, column, *range),
            Effect::AddConstraint {
                table,
                kind: ConstraintKind::Unique,
                columns,
                range,
                ..
            }
            | Effect::CreateIndex {
                table,
                unique: true,
                columns,
                range,
                ..
            } => self.new_unique(table, columns, *range),
            _ => None,
        }
    }

    /// `DROP TABLE`, or a SQLite redefinition (copy into a new table, drop, rename) that leaves
    /// columns behind.
    fn drop_table(
        &self,
        table: &QName,
        name_range: TextRange,
        columns: &[String],
    ) -> Option<RawFinding> {
        let Site {
            h, mi, si, name, ..
        } = *self;
        // SQLite redefine: the table is rebuilt under the same name.
        // SQLite redefine: a copy created in this migration takes its name.
        let created_here = |t: &QName| {
            self.all
                .iter()
                .any(|x| matches!(x, Effect::CreateTable { table: c, .. } if c == t))
        };
        let rebuilt = self.all.iter().find_map(|x| match x {
            Effect::RenameTable { from, to, columns } if to == table && created_here(from) => {
                Some(columns)
            }
            _ => None,
        });
        match rebuilt {
            Some(new_cols) => {
                let lost: Vec<&String> = columns.iter().filter(|c| !new_cols.contains(c)).collect();
                if lost.is_empty() {
                    return None;
                }
                let names = lost
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let key = format!("{name}|redefine|{}|{names}", table.name);
                let message = format!(
                    "Migration `{name}` rebuilds table `{}` without column(s) {names}: their data is lost",
                    table.name
                );
                let help = "The table is copied into a new one and the old one dropped; the listed \
                            columns are not copied. Back them up or move the data first; there is \
                            no undo.";
                Some(
                    RawFinding::new(key, message)
                        .help(help)
                        .severity(Severity::High)
                        .at_opt(mig_span(h, mi, name_range))
                        .evidence(h, mi, &[WarningKind::DropColumn], &table.name, None),
                )
            }
            // Its rows were copied into another table just before.
            None if table_copied_before(h, mi, si, &table.name) => None,
            None => {
                let key = format!("{name}|drop-table|{}", table.name);
                let message = format!(
                    "Migration `{name}` drops table `{}` and all its data",
                    table.name
                );
                let help = "Dropped data only comes back from a backup. Make sure nothing reads \
                            the table any more, archive the rows if they matter, and deploy the \
                            drop separately from the code change.";
                Some(
                    RawFinding::new(key, message)
                        .help(help)
                        .severity(Severity::High)
                        .at_opt(mig_span(h, mi, name_range))
                        .evidence(h, mi, &[WarningKind::DropTable], &table.name, None),
                )
            }
        }
    }

    /// `DROP COLUMN`, unless an earlier statement copied the values elsewhere or
    /// `migration-undoes-handwritten-sql` reports it.
    fn drop_column(&self, table: &str, column: &str, range: TextRange) -> Option<RawFinding> {
        let Site {
            h, mi, si, name, ..
        } = *self;
        if copied_before(h, mi, si, table, column) || self.undone.contains(&(mi, si, table, column))
        {
            return None;
        }
        let key = format!("{name}|drop-column|{table}.{column}");
        let message = format!("Migration `{name}` drops column `{table}.{column}` and its data");
        let help = "Dropped data only comes back from a backup. Stop reading and writing the \
                    column in a release before, then drop it (expand and contract); copy the data \
                    elsewhere first if it matters.";
        let warnings = [WarningKind::DropColumn, WarningKind::RecreateColumn];
        Some(
            RawFinding::new(key, message)
                .help(help)
                .severity(Severity::High)
                .at_opt(mig_span(h, mi, range))
                .evidence(h, mi, &warnings, table, Some(column)),
        )
    }

    /// A type change that may not fit the existing values (or that Prisma warned about).
    fn alter_type(
        &self,
        table: &str,
        column: &str,
        from: &str,
        to: &str,
        range: TextRange,
    ) -> Option<RawFinding> {
        let Site { h, mi, name, .. } = *self;
        let warnings = [WarningKind::AlterColumnType, WarningKind::RecreateColumn];
        let prisma = warning_evidence(h, mi, &warnings, |w| {
            w.table.as_deref() == Some(table) && w.column.as_deref() == Some(column)
        });
        let why = narrowing(from, to).or_else(|| {
            prisma
                .as_ref()
                .map(|_| format!("Prisma warns the data is cast from {from} to {to}"))
        })?;
        let key = format!("{name}|narrow|{table}.{column}");
        let message =
            format!("Migration `{name}` changes `{table}.{column}` from {from} to {to}: {why}");
        let help = "Existing values that do not fit make the migration fail (PostgreSQL) or are \
                    truncated or rounded. Check the data first (e.g. `SELECT max(length(col))`), \
                    or add a new column, copy and convert, then switch.";
        Some(
            RawFinding::new(key, message)
                .help(help)
                .severity(Severity::Medium)
                .at_opt(mig_span(h, mi, range))
                .evidence(h, mi, &warnings, table, Some(column)),
        )
    }

    /// A required column without a default added to a table that may have rows.
    fn required_column(&self, table: &str, column: &str, range: TextRange) -> RawFinding {
        let Site { h, mi, name, .. } = *self;
        let key = format!("{name}|required|{table}.{column}");
        let message = format!(
            "Migration `{name}` adds required column `{table}.{column}` without a default: it \
             fails if the table has rows"
        );
        let help = "Add the column as optional (or with a default), backfill it, then make it \
                    required in a later migration.";
        RawFinding::new(key, message)
            .help(help)
            .severity(Severity::Medium)
            .at_opt(mig_span(h, mi, range))
            .evidence(
                h,
                mi,
                &[WarningKind::RequiredColumnAdded],
                table,
                Some(column),
            )
    }

    /// `SET NOT NULL` on a column neither added nor backfilled in this migration.
    fn set_not_null(&self, table: &str, column: &str, range: TextRange) -> Option<RawFinding> {
        let Site {
            h, mi, si, name, ..
        } = *self;
        if added_in_migration(h, mi, table, column) || backfilled(h, mi, si, table, column) {
            return None;
        }
        let key = format!("{name}|set-not-null|{table}.{column}");
        let message = format!(
            "Migration `{name}` makes `{table}.{column}` required without filling existing NULLs"
        );
        let help = "The migration fails if any row holds NULL. Backfill first (`UPDATE ... SET col \
                    = ... WHERE col IS NULL`) in this or an earlier migration.";
        Some(
            RawFinding::new(key, message)
                .help(help)
                .severity(Severity::Medium)
                .at_opt(mig_span(h, mi, range))
                .evidence(h, mi, &[WarningKind::MadeRequired], table, Some(column)),
        )
    }

    /// A unique constraint or index on columns that existed before this migration and do not
    /// already hold a unique key.
    fn new_unique(
        &self,
        table: &QName,
        columns: &[String],
        range: TextRange,
    ) -> Option<RawFinding> {
        let Site { h, mi, name, .. } = *self;
        let existing_columns = columns
            .iter()
            .all(|c| !added_in_migration(h, mi, &table.name, c));
        if columns.is_empty() || !existing_columns || contains_unique_key(h, mi, table, columns) {
            return None;
        }
        Some(unique(h, mi, name, &table.name, columns).at_opt(mig_span(h, mi, range)))
    }
}

fn unique(
    h: &MigrationHistory,
    mi: usize,
    mig: &str,
    table: &str,
    columns: &[String],
) -> RawFinding {
    let cols = columns.join(", ");
    let key = format!("{mig}|unique|{table}({cols})");
    let message = format!(
        "Migration `{mig}` adds a unique constraint on existing column(s) `{table}({cols})`: it \
         fails if duplicates exist"
    );
    let help = "Look for duplicates first (`SELECT cols, count(*) ... GROUP BY cols HAVING \
                count(*) > 1`) and merge or fix them in an earlier migration.";
    RawFinding::new(key, message)
        .help(help)
        .severity(Severity::Medium)
        .evidence(h, mi, &[WarningKind::UniqueAdded], table, None)
}

trait FindingExt {
    fn at_opt(self, span: Option<prisma_audit_core::span::Span>) -> Self;
    fn evidence(
        self,
        h: &MigrationHistory,
        mi: usize,
        kinds: &[WarningKind],
        table: &str,
        column: Option<&str>,
    ) -> Self;
}

impl FindingExt for RawFinding {
    fn at_opt(mut self, span: Option<prisma_audit_core::span::Span>) -> Self {
        if span.is_some() {
            self.span = span;
        }
        self
    }
    fn evidence(
        self,
        h: &MigrationHistory,
        mi: usize,
        kinds: &[WarningKind],
        table: &str,
        column: Option<&str>,
    ) -> Self {
        match warning_evidence(h, mi, kinds, |w| {
            w.table.as_deref() == Some(table) && (column.is_none() || w.column.as_deref() == column)
        }) {
            Some((s, msg)) => self.related(s, msg),
            None => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::narrowing;
    use crate::support::test_util::{Case, table};

    const ID: &str = "destructive-migration";

    const INIT: &str = r#"CREATE TABLE "Pet" ("id" TEXT NOT NULL, "name" VARCHAR(100), "nickname" TEXT, "weight" DECIMAL(10,2));
"#;

    /// Six destructive or risky changes; Prisma's warning is evidence for the dropped column.
    const DESTRUCTIVE: &str = r#"/*
  Warnings:

  - You are about to drop the column `nickname` on the `Pet` table. All the data in the column will be lost.

*/
ALTER TABLE "Pet" DROP COLUMN "nickname";
ALTER TABLE "Pet" ALTER COLUMN "name" SET DATA TYPE VARCHAR(20);
ALTER TABLE "Pet" ADD COLUMN "ownerId" TEXT NOT NULL;
CREATE UNIQUE INDEX "Pet_name_key" ON "Pet"("name");
ALTER TABLE "Pet" ALTER COLUMN "weight" SET NOT NULL;
DROP TABLE "Pet";
"#;

    /// A table created by the same migration, a column with a default, a backfill before SET
    /// NOT NULL, a widening type change.
    const SAFE: &str = r#"CREATE TABLE "Tmp" ("a" TEXT);
ALTER TABLE "Tmp" DROP COLUMN "a";
DROP TABLE "Tmp";
ALTER TABLE "Pet" ADD COLUMN "age" INT NOT NULL DEFAULT 0;
UPDATE "Pet" SET "weight" = 0 WHERE "weight" IS NULL;
ALTER TABLE "Pet" ALTER COLUMN "weight" SET NOT NULL;
ALTER TABLE "Pet" ALTER COLUMN "name" SET DATA TYPE TEXT;
"#;

    const KEYED_INIT: &str = r#"CREATE TABLE "Pet" ("id" TEXT NOT NULL, "name" TEXT, "nick" TEXT, "chip" TEXT, CONSTRAINT "Pet_pkey" PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "Pet_chip_key" ON "Pet"("chip");
CREATE TABLE "Old" ("id" TEXT NOT NULL, "v" TEXT);
"#;

    /// Unique keys holding the primary key or a unique key (no duplicates possible), a column
    /// and a table whose data is copied before the drop.
    const KEYS_AND_COPIES: &str = r#"CREATE UNIQUE INDEX "Pet_id_name_key" ON "Pet"("id", "name");
ALTER TABLE "Pet" ADD CONSTRAINT "Pet_chip_name_key" UNIQUE ("chip", "name");
ALTER TABLE "Pet" ADD COLUMN "nickname" TEXT;
UPDATE "Pet" SET "nickname" = "nick";
ALTER TABLE "Pet" DROP COLUMN "nick";
CREATE TABLE "New" ("id" TEXT NOT NULL, "v" TEXT);
INSERT INTO "New" ("id", "v") SELECT "id", "v" FROM "Old";
DROP TABLE "Old";
"#;

    /// The same changes on a column that is no key, and without the copies (the UPDATE
    /// sets no other column).
    const NO_KEYS_NO_COPIES: &str = r#"CREATE UNIQUE INDEX "Pet_name_key" ON "Pet"("name");
UPDATE "Pet" SET "nick" = NULL;
ALTER TABLE "Pet" DROP COLUMN "nick";
DROP TABLE "Old";
"#;

    const SHELL_AND_LINK: &str = r#"CREATE TABLE "Shell" ("id" TEXT NOT NULL, "x" INT);
CREATE TABLE "_Link" ("A" TEXT NOT NULL, "B" TEXT NOT NULL);
"#;

    /// A table of the history renamed over the dropped one: no SQLite redefine, the data of
    /// `Shell` is gone.
    const SWAP: &str = r#"DROP TABLE "Shell";
ALTER TABLE "_Link" RENAME TO "Shell";
"#;

    const SQLITE_INIT: &str = r#"CREATE TABLE "Pet" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT);
"#;

    /// SQLite's "redefine table" pattern, rebuilding `Pet` with the columns `columns`.
    fn redefine(columns: &str) -> String {
        format!(
            r#"PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Pet" ({columns});
INSERT INTO "new_Pet" ("id") SELECT "id" FROM "Pet";
DROP TABLE "Pet";
ALTER TABLE "new_Pet" RENAME TO "Pet";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
"#
        )
    }

    fn sqlite(redefined: &str) -> Case {
        Case::migrations("sqlite", &[("1_init", SQLITE_INIT), ("2_r", redefined)])
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                Case::pg(&[("1_init", INIT), ("2_ok", SAFE)]),
                Case::pg(&[("1_init", KEYED_INIT), ("2_quiet", KEYS_AND_COPIES)]),
                // Every column kept.
                sqlite(&redefine(
                    r#""id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL"#
                )),
            ],
            &[
                Case::pg(&[("1_init", INIT), ("2_change", DESTRUCTIVE)]),
                Case::pg(&[("1_init", KEYED_INIT), ("2_loud", NO_KEYS_NO_COPIES)]),
                Case::pg(&[("1_init", SHELL_AND_LINK), ("2_swap", SWAP)]),
                // `name` is not in the new table.
                sqlite(&redefine(r#""id" TEXT NOT NULL PRIMARY KEY"#)),
            ],
        ));
    }

    #[test]
    fn narrowing_rules() {
        assert!(narrowing("character varying(255)", "character varying(20)").is_some());
        assert!(narrowing("character varying(20)", "character varying(255)").is_none());
        assert!(narrowing("character varying(20)", "text").is_none());
        assert!(narrowing("text", "character varying(20)").is_some());
        assert!(narrowing("numeric(65,30)", "numeric(10,2)").is_some());
        assert!(narrowing("numeric(10,2)", "numeric(12,2)").is_none());
        assert!(narrowing("bigint", "integer").is_some());
        assert!(narrowing("integer", "bigint").is_none());
        assert!(narrowing("text", "integer").is_some());
    }
}
