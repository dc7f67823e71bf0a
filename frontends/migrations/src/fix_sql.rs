//! SQL for a list of [`Change`]s, in the form and order Prisma Migrate writes it, plus what
//! Prisma leaves out:
//! - **data checks** before a change that existing rows could break or silently alter (a new
//!   unique index, `SET NOT NULL`, a narrower `DECIMAL`, a new foreign key, removed enum
//!   values). On PostgreSQL each is a `DO` block that aborts the migration with a message
//!   naming the query to run; elsewhere it is a comment with that query;
//! - **`CREATE INDEX CONCURRENTLY`** for an index on a table that already exists (PostgreSQL),
//!   returned apart: PostgreSQL runs a migration file as one transaction, where `CONCURRENTLY`
//!   fails, so each such index needs a migration of its own;
//! - **a mapping template** for removed enum values: an `UPDATE` per removed value, commented
//!   out, that the user completes before the type is rebuilt.
//!
//! What a dialect cannot do in place (changing a column or a foreign key on SQLite, which
//! rebuilds the table; changing a column's type on MySQL, which restates the whole column) is
//! returned as unsupported, for the user to generate with `prisma migrate dev --create-only`.

use super::Dialect;
use super::catalog::QName;
use super::change::{Change, NewColumn, NewForeignKey, NewIndex, Redefine};
use std::collections::BTreeSet;

/// The rendered SQL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixSql {
    /// Statements of the migration, each with its comment lines, in order.
    pub statements: Vec<String>,
    /// `CREATE INDEX CONCURRENTLY` statements, each for a migration of its own: (index name,
    /// statement).
    pub concurrent: Vec<(String, String)>,
    /// Changes this dialect cannot make in place, described.
    pub unsupported: Vec<String>,
}

impl FixSql {
    /// Nothing to write.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty() && self.concurrent.is_empty() && self.unsupported.is_empty()
    }
}

/// Render `changes` for `dialect`. With `concurrently` (PostgreSQL only), indexes on tables
/// that already exist are built with `CREATE INDEX CONCURRENTLY`, apart from the rest.
pub fn render(changes: &[Change], dialect: Dialect, concurrently: bool) -> FixSql {
    let r = Renderer { dialect };
    let mut out = FixSql::default();
    let new_tables: BTreeSet<&QName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::CreateTable(t) => Some(&t.table),
            _ => None,
        })
        .collect();
    // A rebuilt table gets its indexes and foreign keys with it.
    let rebuilt: BTreeSet<&QName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::RedefineTable(r) => Some(&r.table.table),
            _ => None,
        })
        .collect();
    let mut ordered: Vec<(u8, &Change)> = Vec::new();
    for c in changes {
        let on_rebuilt = match c {
            Change::CreateIndex(ix) => rebuilt.contains(&ix.table),
            Change::DropIndex { table, .. } => rebuilt.contains(table),
            _ => false,
        };
        if on_rebuilt {
            continue;
        }
        match c {
            Change::AddForeignKey {
                replaces: Some(_), ..
            } => {
                ordered.push((1, c));
                ordered.push((6, c));
            }
            _ => ordered.push((phase(c), c)),
        }
    }
    // Stable: within a phase, the drift order (schema order).
    ordered.sort_by_key(|(p, _)| *p);
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (phase, c) in ordered {
        let rendered = match (phase, c) {
            (1, Change::AddForeignKey { fk, replaces }) => {
                r.drop_fk(&fk.table, replaces.as_deref().unwrap_or(&fk.name))
            }
            // The rows already satisfy the constraint it replaces: no data check.
            (6, Change::AddForeignKey { fk, replaces }) => r.add_fk(fk, replaces.is_none()),
            (_, Change::CreateIndex(ix))
                if concurrently
                    && dialect == Dialect::Postgres
                    && !ix.unique
                    && !new_tables.contains(&ix.table) =>
            {
                if seen.insert(ix.name.clone()) {
                    out.concurrent
                        .push((ix.name.clone(), r.create_index(ix, true, false).join("\n")));
                }
                continue;
            }
            _ => r.change(c),
        };
        match rendered {
            Ok(parts) => {
                let text = parts.join("\n");
                if seen.insert(text.clone()) {
                    out.statements.push(text);
                }
            }
            Err(why) => out.unsupported.push(why),
        }
    }
    out
}

/// Prisma's order: enums, dropped foreign keys, dropped indexes, altered tables, new tables,
/// new indexes, new foreign keys, dropped types.
fn phase(c: &Change) -> u8 {
    match c {
        Change::CreateEnum { .. }
        | Change::AddEnumValues { .. }
        | Change::RemoveEnumValues { .. } => 0,
        Change::DropForeignKey { .. } => 1,
        Change::DropIndex { .. } => 2,
        Change::AddColumns { .. }
        | Change::AlterType { .. }
        | Change::SetNotNull { .. }
        | Change::SetDefault { .. } => 3,
        Change::RedefineTable(_) => 3,
        Change::CreateTable(_) => 4,
        Change::CreateIndex(_) => 5,
        Change::AddForeignKey { .. } => 6,
        Change::DropEnum { .. } => 7,
    }
}

struct Renderer {
    dialect: Dialect,
}

type Parts = Result<Vec<String>, String>;

impl Renderer {
    fn pg(&self) -> bool {
        self.dialect.is_postgres()
    }

    fn ident(&self, name: &str) -> String {
        match self.dialect {
            Dialect::MySql => format!("`{}`", name.replace('`', "``")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    fn qname(&self, q: &QName) -> String {
        if q.schema.is_empty() || q.schema == self.dialect.default_schema() {
            self.ident(&q.name)
        } else {
            format!("{}.{}", self.ident(&q.schema), self.ident(&q.name))
        }
    }

    fn cols(&self, cols: &[String]) -> String {
        cols.iter()
            .map(|c| self.ident(c))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A data check: on PostgreSQL a `DO` block that aborts when `query` finds rows; elsewhere
    /// the query as a comment to run first.
    fn check(&self, why: &str, query: &str) -> String {
        let query_line = query.split_whitespace().collect::<Vec<_>>().join(" ");
        if self.pg() {
            format!(
                "-- Data check: {why}\n-- Rows: {query_line};\nDO $$\nBEGIN\n  IF EXISTS ({query_line}) THEN\n    RAISE EXCEPTION 'prisma-audit data check failed: {}';\n  END IF;\nEND $$;",
                why.replace('\'', "''").replace('%', "%%"),
            )
        } else {
            format!("-- Data check: {why}\n-- Run first; it must return no rows: {query_line};")
        }
    }

    fn column_def(&self, c: &NewColumn) -> String {
        let mut s = format!("{} {}", self.ident(&c.name), c.sql_type);
        if c.not_null {
            s.push_str(" NOT NULL");
        }
        if let Some(d) = &c.default {
            s.push_str(&format!(" DEFAULT {d}"));
        }
        s
    }

    fn change(&self, c: &Change) -> Parts {
        match c {
            Change::CreateEnum { name, values } => {
                self.need_pg("create an enum type")?;
                Ok(vec![
                    "-- CreateEnum".into(),
                    format!(
                        "CREATE TYPE {} AS ENUM ({});",
                        self.qname(name),
                        values
                            .iter()
                            .map(|v| super::change::literal(v))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ])
            }
            Change::AddEnumValues { name, values } => {
                self.need_pg("change an enum type")?;
                let mut out = vec!["-- AlterEnum".to_string()];
                for v in values {
                    out.push(format!(
                        "ALTER TYPE {} ADD VALUE {};",
                        self.qname(name),
                        super::change::literal(v)
                    ));
                }
                Ok(out)
            }
            Change::RemoveEnumValues {
                name,
                values,
                removed,
                columns,
            } => self.remove_enum_values(name, values, removed, columns),
            Change::DropEnum { name } => {
                self.need_pg("drop an enum type")?;
                Ok(vec![
                    "-- DropEnum".into(),
                    format!("DROP TYPE {};", self.qname(name)),
                ])
            }
            Change::CreateTable(t) => {
                let mut lines: Vec<String> = t
                    .columns
                    .iter()
                    .map(|c| format!("    {}", self.column_def(c)))
                    .collect();
                if let Some((name, cols)) = &t.primary_key {
                    let key = match self.dialect {
                        Dialect::MySql => format!("PRIMARY KEY ({})", self.cols(cols)),
                        _ => format!(
                            "CONSTRAINT {} PRIMARY KEY ({})",
                            self.ident(name),
                            self.cols(cols)
                        ),
                    };
                    lines.push(String::new());
                    lines.push(format!("    {key}"));
                }
                let body = lines.join(",\n").replace(",\n,\n", ",\n\n");
                let tail = match self.dialect {
                    Dialect::MySql => {
                        " DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci".to_string()
                    }
                    _ => String::new(),
                };
                Ok(vec![
                    "-- CreateTable".into(),
                    format!("CREATE TABLE {} (\n{body}\n){tail};", self.qname(&t.table)),
                ])
            }
            Change::AddColumns { table, columns } => {
                let mut out = vec!["-- AlterTable".to_string()];
                for c in columns.iter().filter(|c| c.not_null && c.default.is_none()) {
                    if c.sql_type.contains("SERIAL") {
                        continue;
                    }
                    out.push(self.check(
                        &format!(
                            "a required column `{}` without a default cannot be added while `{}` has rows",
                            c.name, table.name
                        ),
                        &format!("SELECT 1 FROM {}", self.qname(table)),
                    ));
                }
                match self.dialect {
                    Dialect::Sqlite => {
                        for c in columns {
                            out.push(format!(
                                "ALTER TABLE {} ADD COLUMN {};",
                                self.qname(table),
                                self.column_def(c)
                            ));
                        }
                    }
                    _ => out.push(format!(
                        "ALTER TABLE {} {};",
                        self.qname(table),
                        columns
                            .iter()
                            .map(|c| format!("ADD COLUMN {}", self.column_def(c)))
                            .collect::<Vec<_>>()
                            .join(",\n")
                    )),
                }
                Ok(out)
            }
            Change::AlterType {
                table,
                column,
                from,
                to,
                decimal,
            } => {
                self.need_pg(&format!(
                    "change the type of `{}.{column}` to {to}",
                    table.name
                ))?;
                let mut out = vec!["-- AlterTable".to_string()];
                if let Some((p, s)) = decimal {
                    let c = self.ident(column);
                    let limit = format!("1e{}", p.saturating_sub(*s));
                    out.push(self.check(
                        &format!(
                            "`{}.{column}` ({from}) holds values that DECIMAL({p},{s}) would round or cannot hold",
                            table.name
                        ),
                        &format!(
                            "SELECT 1 FROM {} WHERE {c} IS NOT NULL AND ({c}::numeric <> round({c}::numeric, {s}) OR abs({c}::numeric) >= {limit})",
                            self.qname(table)
                        ),
                    ));
                }
                let serial_seq = self.dialect == Dialect::Postgres
                    && to == "BIGINT"
                    && from.eq_ignore_ascii_case("integer");
                out.push(format!(
                    "ALTER TABLE {} ALTER COLUMN {} SET DATA TYPE {to};",
                    self.qname(table),
                    self.ident(column)
                ));
                if serial_seq {
                    // A serial column's sequence stays `AS integer` and stops at 2^31 - 1.
                    out.push(format!(
                        "ALTER SEQUENCE IF EXISTS {} AS BIGINT;",
                        self.qname(&QName::new(
                            table.schema.clone(),
                            format!("{}_{}_seq", table.name, column)
                        ))
                    ));
                }
                Ok(out)
            }
            Change::SetNotNull {
                table,
                column,
                not_null,
            } => {
                self.need_pg(&format!(
                    "change the nullability of `{}.{column}`",
                    table.name
                ))?;
                let mut out = vec!["-- AlterTable".to_string()];
                if *not_null {
                    out.push(self.check(
                        &format!("`{}.{column}` has NULL values", table.name),
                        &format!(
                            "SELECT 1 FROM {} WHERE {} IS NULL",
                            self.qname(table),
                            self.ident(column)
                        ),
                    ));
                }
                out.push(format!(
                    "ALTER TABLE {} ALTER COLUMN {} {} NOT NULL;",
                    self.qname(table),
                    self.ident(column),
                    if *not_null { "SET" } else { "DROP" }
                ));
                Ok(out)
            }
            Change::SetDefault {
                table,
                column,
                default,
            } => {
                if self.dialect == Dialect::Sqlite {
                    return Err(format!(
                        "give `{}.{column}` the default {default} (SQLite rebuilds the table)",
                        table.name
                    ));
                }
                Ok(vec![
                    "-- AlterTable".into(),
                    format!(
                        "ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {default};",
                        self.qname(table),
                        self.ident(column)
                    ),
                ])
            }
            Change::CreateIndex(ix) => Ok(self.create_index(ix, false, true)),
            Change::DropIndex { name, table } => Ok(vec![
                "-- DropIndex".into(),
                match self.dialect {
                    Dialect::MySql => {
                        format!(
                            "DROP INDEX {} ON {};",
                            self.ident(&name.name),
                            self.qname(table)
                        )
                    }
                    _ => format!("DROP INDEX {};", self.qname(name)),
                },
            ]),
            Change::AddForeignKey { fk, replaces } => self.add_fk(fk, replaces.is_none()),
            Change::RedefineTable(r) => Ok(self.redefine(r)),
            Change::DropForeignKey { table, name } => self.drop_fk(table, name),
        }
    }

    fn need_pg(&self, what: &str) -> Result<(), String> {
        match self.dialect {
            Dialect::Postgres | Dialect::CockroachDb => Ok(()),
            _ => Err(format!(
                "{what}: {} needs the column restated or the table rebuilt",
                match self.dialect {
                    Dialect::Sqlite => "SQLite",
                    Dialect::MySql => "MySQL",
                    _ => "this database",
                }
            )),
        }
    }

    fn create_index(&self, ix: &NewIndex, concurrently: bool, check: bool) -> Vec<String> {
        let mut out = vec!["-- CreateIndex".to_string()];
        if ix.unique && check {
            let cols = self.cols(
                &ix.columns
                    .iter()
                    .map(|c| c.name.clone())
                    .collect::<Vec<_>>(),
            );
            let not_null = ix
                .columns
                .iter()
                .map(|c| format!("{} IS NOT NULL", self.ident(&c.name)))
                .collect::<Vec<_>>()
                .join(" AND ");
            out.push(self.check(
                &format!(
                    "rows of `{}` share a ({}) value, which the unique index `{}` rejects",
                    ix.table.name,
                    ix.columns
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    ix.name
                ),
                &format!(
                    "SELECT 1 FROM {} WHERE {not_null} GROUP BY {cols} HAVING COUNT(*) > 1",
                    self.qname(&ix.table)
                ),
            ));
        }
        let cols = ix
            .columns
            .iter()
            .map(|c| {
                let mut s = self.ident(&c.name);
                if let (Some(n), Dialect::MySql) = (c.length, self.dialect) {
                    s.push_str(&format!("({n})"));
                }
                if let Some(o) = &c.ops {
                    s.push(' ');
                    s.push_str(o);
                }
                if c.descending {
                    s.push_str(" DESC");
                }
                s
            })
            .collect::<Vec<_>>()
            .join(", ");
        let kind = if ix.unique {
            "UNIQUE INDEX"
        } else if ix.fulltext && self.dialect == Dialect::MySql {
            "FULLTEXT INDEX"
        } else {
            "INDEX"
        };
        // PostgreSQL puts an index in its table's schema: the name is not qualified.
        let name = self.ident(&ix.name);
        let method = match (&ix.method, self.pg()) {
            (Some(m), true) => format!(" USING {}", m.to_ascii_uppercase()),
            _ => String::new(),
        };
        out.push(format!(
            "CREATE {kind}{} {name} ON {}{method}({cols});",
            if concurrently { " CONCURRENTLY" } else { "" },
            self.qname(&ix.table)
        ));
        out
    }

    /// Prisma's `RedefineTables` for SQLite.
    fn redefine(&self, r: &Redefine) -> Vec<String> {
        let t = &r.table.table;
        let new = QName::new(t.schema.clone(), format!("new_{}", t.name));
        let mut lines: Vec<String> = r
            .table
            .columns
            .iter()
            .map(|c| {
                let mut def = self.column_def(c);
                if let Some((pk, auto)) = &r.inline_pk
                    && *pk == c.name
                {
                    def.push_str(" PRIMARY KEY");
                    if *auto {
                        def.push_str(" AUTOINCREMENT");
                    }
                }
                format!("    {def}")
            })
            .collect();
        if let Some((name, cols)) = &r.table.primary_key {
            lines.push(format!(
                "    CONSTRAINT {} PRIMARY KEY ({})",
                self.ident(name),
                self.cols(cols)
            ));
        }
        for fk in &r.foreign_keys {
            lines.push(format!(
                "    CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}) ON DELETE {} ON UPDATE {}",
                self.ident(&fk.name),
                self.cols(&fk.columns),
                self.qname(&fk.ref_table),
                self.cols(&fk.ref_columns),
                fk.on_delete,
                fk.on_update
            ));
        }
        let copy = self.cols(&r.copy);
        let mut out = vec![
            "-- RedefineTables".to_string(),
            "PRAGMA defer_foreign_keys=ON;".into(),
            "PRAGMA foreign_keys=OFF;".into(),
            format!(
                "CREATE TABLE {} (\n{}\n);",
                self.qname(&new),
                lines.join(",\n")
            ),
            format!(
                "INSERT INTO {} ({copy}) SELECT {copy} FROM {};",
                self.qname(&new),
                self.qname(t)
            ),
            format!("DROP TABLE {};", self.qname(t)),
            format!(
                "ALTER TABLE {} RENAME TO {};",
                self.qname(&new),
                self.ident(&t.name)
            ),
        ];
        for ix in &r.indexes {
            // The old table had them: no data check.
            out.extend(self.create_index(ix, false, false).into_iter().skip(1));
        }
        out.push("PRAGMA foreign_keys=ON;".into());
        out.push("PRAGMA defer_foreign_keys=OFF;".into());
        out
    }

    fn drop_fk(&self, table: &QName, name: &str) -> Parts {
        match self.dialect {
            Dialect::Sqlite => Err(format!(
                "drop the foreign key `{name}` of `{}` (SQLite rebuilds the table)",
                table.name
            )),
            Dialect::MySql => Ok(vec![
                "-- DropForeignKey".into(),
                format!(
                    "ALTER TABLE {} DROP FOREIGN KEY {};",
                    self.qname(table),
                    self.ident(name)
                ),
            ]),
            _ => Ok(vec![
                "-- DropForeignKey".into(),
                format!(
                    "ALTER TABLE {} DROP CONSTRAINT {};",
                    self.qname(table),
                    self.ident(name)
                ),
            ]),
        }
    }

    fn add_fk(&self, fk: &NewForeignKey, check: bool) -> Parts {
        if self.dialect == Dialect::Sqlite {
            return Err(format!(
                "add the foreign key `{}` of `{}` (SQLite rebuilds the table)",
                fk.name, fk.table.name
            ));
        }
        let t = self.qname(&fk.table);
        let r = self.qname(&fk.ref_table);
        let not_null = fk
            .columns
            .iter()
            .map(|c| format!("c.{} IS NOT NULL", self.ident(c)))
            .collect::<Vec<_>>()
            .join(" AND ");
        let joins = fk
            .columns
            .iter()
            .zip(&fk.ref_columns)
            .map(|(c, rc)| format!("p.{} = c.{}", self.ident(rc), self.ident(c)))
            .collect::<Vec<_>>()
            .join(" AND ");
        let mut out = Vec::new();
        if check {
            out.push(self.check(
                &format!(
                    "rows of `{}` point at `{}` rows that do not exist, which the foreign key `{}` rejects",
                    fk.table.name, fk.ref_table.name, fk.name
                ),
                &format!(
                    "SELECT 1 FROM {t} c WHERE {not_null} AND NOT EXISTS (SELECT 1 FROM {r} p WHERE {joins})"
                ),
            ));
        }
        out.extend([
            "-- AddForeignKey".into(),
            format!(
                "ALTER TABLE {t} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {r}({}) ON DELETE {} ON UPDATE {};",
                self.ident(&fk.name),
                self.cols(&fk.columns),
                self.cols(&fk.ref_columns),
                fk.on_delete,
                fk.on_update
            ),
        ]);
        Ok(out)
    }

    fn remove_enum_values(
        &self,
        name: &QName,
        values: &[String],
        removed: &[String],
        columns: &[(QName, String, Option<String>)],
    ) -> Parts {
        self.need_pg("remove enum values")?;
        let ty = self.qname(name);
        let new = self.qname(&QName::new(
            name.schema.clone(),
            format!("{}_new", name.name),
        ));
        let old_name = format!("{}_old", name.name);
        let removed_list = removed
            .iter()
            .map(|v| super::change::literal(v))
            .collect::<Vec<_>>()
            .join(", ");
        let mut out = vec![
            "-- AlterEnum".to_string(),
            format!(
                "-- {} loses {}. Rows holding a removed value must be mapped to a kept one first:\n-- complete and uncomment the UPDATE statements below (one per column and removed value).",
                name.name,
                removed.join(", ")
            ),
        ];
        for (table, col, _) in columns {
            for v in removed {
                out.push(format!(
                    "-- UPDATE {} SET {} = '<one of: {}>' WHERE {} = {};",
                    self.qname(table),
                    self.ident(col),
                    values.join(", "),
                    self.ident(col),
                    super::change::literal(v)
                ));
            }
        }
        for (table, col, _) in columns {
            out.push(self.check(
                &format!(
                    "`{}.{col}` still holds a value {} no longer has",
                    table.name, name.name
                ),
                &format!(
                    "SELECT 1 FROM {} WHERE {}::text IN ({removed_list})",
                    self.qname(table),
                    self.ident(col)
                ),
            ));
        }
        out.push(format!(
            "CREATE TYPE {new} AS ENUM ({});",
            values
                .iter()
                .map(|v| super::change::literal(v))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        for (table, col, default) in columns {
            if default.is_some() {
                out.push(format!(
                    "ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT;",
                    self.qname(table),
                    self.ident(col)
                ));
            }
            out.push(format!(
                "ALTER TABLE {} ALTER COLUMN {c} TYPE {new} USING ({c}::text::{new});",
                self.qname(table),
                c = self.ident(col)
            ));
        }
        out.push(format!(
            "ALTER TYPE {ty} RENAME TO {};",
            self.ident(&old_name)
        ));
        out.push(format!(
            "ALTER TYPE {new} RENAME TO {};",
            self.ident(&name.name)
        ));
        out.push(format!(
            "DROP TYPE {};",
            self.qname(&QName::new(name.schema.clone(), old_name.clone()))
        ));
        for (table, col, default) in columns {
            if let Some(d) = default {
                out.push(format!(
                    "ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {d};",
                    self.qname(table),
                    self.ident(col)
                ));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::{NewColumn, NewForeignKey, NewIndex, NewIndexColumn, NewTable};

    thread_local! {
        /// The default schema of the dialect under test.
        static SCHEMA: std::cell::Cell<&'static str> = const { std::cell::Cell::new("public") };
    }

    fn q(name: &str) -> QName {
        QName::new(SCHEMA.get(), name)
    }

    fn index(name: &str, table: &str, cols: &[&str], unique: bool) -> NewIndex {
        NewIndex {
            name: name.into(),
            table: q(table),
            unique,
            method: None,
            fulltext: false,
            columns: cols
                .iter()
                .map(|c| NewIndexColumn {
                    name: c.to_string(),
                    descending: false,
                    ops: None,
                    length: None,
                })
                .collect(),
        }
    }

    fn fk(replaces: Option<&str>) -> Change {
        Change::AddForeignKey {
            fk: NewForeignKey {
                name: "Pet_ownerId_fkey".into(),
                table: q("Pet"),
                columns: vec!["ownerId".into()],
                ref_table: q("Owner"),
                ref_columns: vec!["id".into()],
                on_delete: "SET NULL",
                on_update: "CASCADE",
            },
            replaces: replaces.map(str::to_string),
        }
    }

    /// One change of each kind, in an order Prisma would not write them.
    fn changes() -> Vec<Change> {
        vec![
            Change::CreateIndex(index("Pet_ownerId_idx", "Pet", &["ownerId"], false)),
            Change::CreateIndex(index(
                "Pet_tenantId_name_key",
                "Pet",
                &["tenantId", "name"],
                true,
            )),
            fk(Some("Pet_ownerId_fkey")),
            Change::DropIndex {
                name: q("Pet_name_key"),
                table: q("Pet"),
            },
            Change::AlterType {
                table: q("Sale"),
                column: "total".into(),
                from: "numeric(65,30)".into(),
                to: "DECIMAL(12,2)".into(),
                decimal: Some((12, 2)),
            },
            Change::SetNotNull {
                table: q("Pet"),
                column: "tenantId".into(),
                not_null: true,
            },
            Change::CreateTable(NewTable {
                table: q("Visit"),
                columns: vec![
                    NewColumn {
                        name: "id".into(),
                        sql_type: "SERIAL".into(),
                        not_null: true,
                        default: None,
                    },
                    NewColumn {
                        name: "at".into(),
                        sql_type: "TIMESTAMP(3)".into(),
                        not_null: true,
                        default: Some("CURRENT_TIMESTAMP".into()),
                    },
                ],
                primary_key: Some(("Visit_pkey".into(), vec!["id".into()])),
            }),
            Change::CreateIndex(index("Visit_at_idx", "Visit", &["at"], false)),
            Change::RemoveEnumValues {
                name: q("Status"),
                values: vec!["OPEN".into(), "CLOSED".into()],
                removed: vec!["PENDING".into()],
                columns: vec![(
                    q("Visit"),
                    "status".into(),
                    Some("'OPEN'::\"Status\"".into()),
                )],
            },
        ]
    }

    #[test]
    fn postgres_in_prismas_order_with_data_checks() {
        let out = render(&changes(), Dialect::Postgres, true);
        assert!(out.unsupported.is_empty(), "{:?}", out.unsupported);
        // The index on an existing table is built concurrently, alone; the one on the new
        // table stays in the migration.
        assert_eq!(out.concurrent.len(), 1);
        assert_eq!(
            out.concurrent[0].1,
            "-- CreateIndex\nCREATE INDEX CONCURRENTLY \"Pet_ownerId_idx\" ON \"Pet\"(\"ownerId\");"
        );
        insta::assert_snapshot!(out.statements.join("\n\n"));
    }

    #[test]
    fn without_concurrently_every_index_stays_in_the_migration() {
        let out = render(&changes(), Dialect::Postgres, false);
        assert!(out.concurrent.is_empty());
        assert!(
            out.statements
                .iter()
                .any(|s| s.ends_with("CREATE INDEX \"Pet_ownerId_idx\" ON \"Pet\"(\"ownerId\");"))
        );
    }

    #[test]
    fn other_dialects_say_what_they_cannot_do_in_place() {
        SCHEMA.set("");
        let mysql = render(&changes(), Dialect::MySql, true);
        assert!(mysql.concurrent.is_empty());
        assert!(
            mysql
                .statements
                .iter()
                .any(|s| s.contains("ALTER TABLE `Pet` DROP FOREIGN KEY `Pet_ownerId_fkey`;"))
        );
        assert!(
            mysql
                .statements
                .iter()
                .any(|s| s.contains("DROP INDEX `Pet_name_key` ON `Pet`;"))
        );
        // Data checks are comments: MySQL has no DO blocks.
        assert!(mysql.statements.iter().all(|s| !s.contains("DO $$")));
        assert!(
            mysql
                .statements
                .iter()
                .any(|s| s.contains("-- Run first; it must return no rows: SELECT 1 FROM `Pet`"))
        );
        assert_eq!(mysql.unsupported.len(), 3, "{:?}", mysql.unsupported);

        let sqlite = render(&changes(), Dialect::Sqlite, true);
        assert!(
            sqlite
                .unsupported
                .iter()
                .any(|u| u.contains("foreign key `Pet_ownerId_fkey`")
                    && u.contains("SQLite rebuilds the table")),
            "{:?}",
            sqlite.unsupported
        );
        assert!(
            sqlite
                .statements
                .iter()
                .any(|s| s.contains("CREATE INDEX \"Pet_ownerId_idx\" ON \"Pet\"(\"ownerId\");"))
        );
    }

    #[test]
    fn sqlite_rebuilds_the_table_with_its_indexes() {
        SCHEMA.set("");
        let Change::AddForeignKey { fk: key, .. } = fk(None) else {
            unreachable!()
        };
        let rebuild = Change::RedefineTable(Box::new(Redefine {
            table: NewTable {
                table: q("Pet"),
                columns: vec![
                    NewColumn {
                        name: "id".into(),
                        sql_type: "INTEGER".into(),
                        not_null: true,
                        default: None,
                    },
                    NewColumn {
                        name: "ownerId".into(),
                        sql_type: "INTEGER".into(),
                        not_null: false,
                        default: None,
                    },
                ],
                primary_key: None,
            },
            inline_pk: Some(("id".into(), true)),
            foreign_keys: vec![key],
            indexes: vec![index("Pet_ownerId_idx", "Pet", &["ownerId"], false)],
            copy: vec!["id".into(), "ownerId".into()],
        }));
        // The same index asked for on its own is not created twice.
        let extra = Change::CreateIndex(index("Pet_ownerId_idx", "Pet", &["ownerId"], false));
        let out = render(&[extra, rebuild], Dialect::Sqlite, true);
        assert!(out.unsupported.is_empty(), "{:?}", out.unsupported);
        assert_eq!(out.statements.len(), 1, "{:?}", out.statements);
        assert_eq!(
            out.statements[0],
            "-- RedefineTables\nPRAGMA defer_foreign_keys=ON;\nPRAGMA foreign_keys=OFF;\nCREATE TABLE \"new_Pet\" (\n    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n    \"ownerId\" INTEGER,\n    CONSTRAINT \"Pet_ownerId_fkey\" FOREIGN KEY (\"ownerId\") REFERENCES \"Owner\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE\n);\nINSERT INTO \"new_Pet\" (\"id\", \"ownerId\") SELECT \"id\", \"ownerId\" FROM \"Pet\";\nDROP TABLE \"Pet\";\nALTER TABLE \"new_Pet\" RENAME TO \"Pet\";\nCREATE INDEX \"Pet_ownerId_idx\" ON \"Pet\"(\"ownerId\");\nPRAGMA foreign_keys=ON;\nPRAGMA defer_foreign_keys=OFF;"
        );
    }

    #[test]
    fn a_new_foreign_key_checks_for_orphans_a_replaced_one_does_not() {
        let added = render(&[fk(None)], Dialect::Postgres, true);
        assert!(
            added.statements[0]
                .contains("NOT EXISTS (SELECT 1 FROM \"Owner\" p WHERE p.\"id\" = c.\"ownerId\")")
        );
        let replaced = render(&[fk(Some("Pet_ownerId_fkey"))], Dialect::Postgres, true);
        assert!(
            replaced
                .statements
                .iter()
                .all(|s| !s.contains("Data check"))
        );
        assert_eq!(replaced.statements.len(), 2);
    }
}
