//! What a read-only look at the live database found: the data the live checks read.
//!
//! The snapshot is plain data: crate `prisma-audit-live` collects it from a PostgreSQL server
//! (native only), a test or a binding can build it by hand, and the audit itself never opens a
//! connection (so the core stays free of I/O and works in wasm).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The live database, as read-only queries saw it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LiveSnapshot {
    /// `SHOW server_version`.
    pub server_version: String,
    /// The database connected to.
    pub database: String,
    /// Rows of `_prisma_migrations`, oldest first; `None` when the table does not exist.
    pub migrations: Option<Vec<AppliedMigration>>,
    /// Indexes of user tables, with their usage statistics.
    pub indexes: Vec<LiveIndex>,
    /// Seconds since the statistics were reset (or the server started): usage counts over a
    /// shorter time say little.
    pub stats_age_seconds: Option<i64>,
    /// User tables with their columns, keys and foreign keys (for the comparison with the
    /// schema).
    #[serde(default)]
    pub tables: Vec<LiveTable>,
    /// Enum types.
    #[serde(default)]
    pub enums: Vec<LiveEnum>,
    /// Sequences with how far they are used.
    #[serde(default)]
    pub sequences: Vec<LiveSequence>,
    /// Server settings the checks read (`max_connections`, `archive_mode`, `wal_level`,
    /// `archive_command`, `superuser_reserved_connections`), as `SHOW` prints them.
    #[serde(default)]
    pub settings: std::collections::BTreeMap<String, String>,
    /// Connections open to the server now (`pg_stat_activity`, client backends).
    #[serde(default)]
    pub connections: Option<i64>,
    /// `age(datfrozenxid)` of the database: transactions since its oldest unfrozen row.
    #[serde(default)]
    pub xid_age: Option<i64>,
    /// WAL archiving (`pg_stat_archiver`).
    #[serde(default)]
    pub archiver: Option<LiveArchiver>,
    /// The statements that took the most time (`pg_stat_statements`, this database), most
    /// first; `None` when the extension is not installed and loaded.
    #[serde(default)]
    pub top_queries: Option<Vec<LiveQuery>>,
    /// Total execution time of all statements `pg_stat_statements` tracks here, milliseconds.
    #[serde(default)]
    pub total_query_time_ms: i64,
}

/// A normalized statement and its cost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LiveQuery {
    /// The statement with its constants replaced by `$n`.
    pub query: String,
    /// Times executed.
    pub calls: i64,
    /// Total execution time, milliseconds.
    pub total_time_ms: i64,
    /// Mean execution time, microseconds.
    pub mean_time_us: i64,
    /// Rows returned or affected, in total.
    pub rows: i64,
}

/// A sequence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LiveSequence {
    /// Schema.
    pub schema: String,
    /// Name.
    pub name: String,
    /// The last value handed out (`None` before the first, or without the privilege to see it).
    pub last_value: Option<i64>,
    /// The largest value it hands out.
    pub max_value: i64,
    /// The column that owns it (`table`, `column`), for serial and identity columns.
    pub owned_by: Option<(String, String)>,
}

impl LiveSequence {
    /// The share of the range used, 0.0 to 1.0.
    pub fn used(&self) -> f64 {
        match self.last_value {
            Some(v) if self.max_value > 0 => v.max(0) as f64 / self.max_value as f64,
            _ => 0.0,
        }
    }
}

/// WAL archiving statistics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LiveArchiver {
    /// WAL files archived.
    pub archived_count: i64,
    /// Failed attempts.
    pub failed_count: i64,
    /// Seconds since the last successful archive.
    pub last_archived_age_seconds: Option<i64>,
    /// Whether the last attempt failed (its time is after the last success).
    pub failing: bool,
}

/// A user table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LiveTable {
    /// Schema.
    pub schema: String,
    /// Name.
    pub name: String,
    /// Columns in order.
    pub columns: Vec<LiveColumn>,
    /// Primary key: constraint name and columns.
    pub primary_key: Option<(String, Vec<String>)>,
    /// Unique constraints: name and columns.
    #[serde(default)]
    pub uniques: Vec<(String, Vec<String>)>,
    /// Foreign keys.
    pub foreign_keys: Vec<LiveForeignKey>,
    /// Row-level security enabled.
    pub rls_enabled: bool,
    /// Row-level security policies on the table.
    #[serde(default)]
    pub policies: i64,
}

/// A column.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LiveColumn {
    /// Name.
    pub name: String,
    /// `format_type(...)`: `text`, `numeric(10,2)`, `timestamp(3) without time zone`.
    pub data_type: String,
    /// `NOT NULL`.
    pub not_null: bool,
    /// Default expression.
    pub default: Option<String>,
}

/// A foreign key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LiveForeignKey {
    /// Constraint name.
    pub name: String,
    /// Columns.
    pub columns: Vec<String>,
    /// Referenced schema.
    pub ref_schema: String,
    /// Referenced table.
    pub ref_table: String,
    /// Referenced columns.
    pub ref_columns: Vec<String>,
    /// `ON DELETE` action (`CASCADE`, `SET NULL`, ...).
    pub on_delete: String,
    /// `ON UPDATE` action.
    pub on_update: String,
}

/// An enum type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LiveEnum {
    /// Schema.
    pub schema: String,
    /// Name.
    pub name: String,
    /// Values in order.
    pub values: Vec<String>,
}

/// The live database (its database schemas in `schemas`) as the catalog a replayed migration
/// history builds, so the comparison with the Prisma schema ([`crate::sql::drift`]) works on it
/// unchanged. `None` when the snapshot holds no tables there.
pub fn as_history(
    live: &LiveSnapshot,
    schemas: &std::collections::BTreeSet<String>,
) -> Option<crate::sql::MigrationHistory> {
    use crate::sql::catalog::{
        Catalog, Column, EnumType, ForeignKey, Index, IndexColumn, KeyConstraint, QName, StmtRef,
        Table,
    };
    if !live.tables.iter().any(|t| schemas.contains(&t.schema)) {
        return None;
    }
    let at = StmtRef {
        migration: 0,
        statement: 0,
    };
    let dialect = crate::sql::Dialect::Postgres;
    let mut cat = Catalog::default();
    for t in live.tables.iter().filter(|t| schemas.contains(&t.schema)) {
        let name = QName::new(t.schema.clone(), t.name.clone());
        cat.schemas.insert(t.schema.clone());
        let key = |(n, cols): &(String, Vec<String>)| KeyConstraint {
            name: n.clone(),
            columns: cols.clone(),
            defined_at: at,
        };
        cat.tables.insert(
            name.clone(),
            Table {
                name,
                columns: t
                    .columns
                    .iter()
                    .map(|c| Column {
                        name: c.name.clone(),
                        data_type: crate::sql::replay::canon_type(&c.data_type, dialect).0,
                        not_null: c.not_null,
                        default: c.default.clone(),
                        generated: None,
                        defined_at: at,
                        def_range: Default::default(),
                    })
                    .collect(),
                primary_key: t.primary_key.as_ref().map(key),
                uniques: t.uniques.iter().map(key).collect(),
                checks: Vec::new(),
                foreign_keys: t
                    .foreign_keys
                    .iter()
                    .map(|f| ForeignKey {
                        name: f.name.clone(),
                        columns: f.columns.clone(),
                        ref_table: QName::new(f.ref_schema.clone(), f.ref_table.clone()),
                        ref_columns: f.ref_columns.clone(),
                        on_delete: f.on_delete.clone(),
                        on_update: f.on_update.clone(),
                        not_valid: false,
                        defined_at: at,
                    })
                    .collect(),
                rls_enabled: t.rls_enabled,
                rls_forced: false,
                opaque_columns: false,
                created_at: at,
            },
        );
    }
    for ix in live.indexes.iter().filter(|i| schemas.contains(&i.schema)) {
        // Constraint-backed uniques are the tables' `uniques`; keys are primary keys.
        if ix.primary || (ix.constraint && ix.unique) {
            continue;
        }
        cat.indexes.insert(
            QName::new(ix.schema.clone(), ix.name.clone()),
            Index {
                name: QName::new(ix.schema.clone(), ix.name.clone()),
                table: QName::new(ix.schema.clone(), ix.table.clone()),
                unique: ix.unique,
                method: ix.method.clone(),
                columns: ix
                    .columns
                    .iter()
                    .map(|c| IndexColumn {
                        expr: c.clone(),
                        is_expression: c.contains('(') || c.contains(' '),
                        descending: false,
                        nulls: None,
                        opclass: None,
                    })
                    .collect(),
                predicate: ix.predicate.clone(),
                concurrently: false,
                defined_at: at,
            },
        );
    }
    for e in live.enums.iter().filter(|e| schemas.contains(&e.schema)) {
        let name = QName::new(e.schema.clone(), e.name.clone());
        cat.enums.insert(
            name.clone(),
            EnumType {
                name,
                values: e.values.clone(),
                created_at: at,
            },
        );
    }
    Some(crate::sql::MigrationHistory {
        dir: String::new(),
        dialect,
        datasource_provider: Some("postgresql".into()),
        lock: None,
        migrations: Vec::new(),
        replay: crate::sql::replay::Replay {
            catalog: cat,
            ..Default::default()
        },
    })
}

/// One row of `_prisma_migrations`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AppliedMigration {
    /// Folder name.
    pub migration_name: String,
    /// SHA-256 of the `migration.sql` that ran (hex).
    pub checksum: String,
    /// When it started.
    pub started_at: String,
    /// When it finished; `None` while running or after it failed.
    pub finished_at: Option<String>,
    /// When `prisma migrate resolve --rolled-back` marked it rolled back.
    pub rolled_back_at: Option<String>,
    /// Prisma's log of a failure.
    pub logs: Option<String>,
    /// Steps applied.
    pub applied_steps_count: i64,
}

impl AppliedMigration {
    /// Failed or unfinished, and not marked rolled back: `prisma migrate deploy` refuses to run
    /// until it is resolved (P3009).
    pub fn is_failed(&self) -> bool {
        self.finished_at.is_none() && self.rolled_back_at.is_none()
    }
}

/// An index of a user table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LiveIndex {
    /// Schema.
    pub schema: String,
    /// Table.
    pub table: String,
    /// Index name.
    pub name: String,
    /// Unique.
    pub unique: bool,
    /// Backs the primary key.
    pub primary: bool,
    /// Backs a constraint (primary key, unique, exclusion).
    pub constraint: bool,
    /// `pg_index.indisvalid`: false after a failed `CREATE INDEX CONCURRENTLY`.
    pub valid: bool,
    /// `pg_stat_user_indexes.idx_scan`.
    pub scans: i64,
    /// Size on disk in bytes.
    pub size_bytes: i64,
    /// Key columns (an expression as written).
    #[serde(default)]
    pub columns: Vec<String>,
    /// Access method (`btree`, `gin`, ...).
    #[serde(default)]
    pub method: String,
    /// `WHERE` of a partial index.
    #[serde(default)]
    pub predicate: Option<String>,
}

/// Prisma's checksum of a migration script: SHA-256 of its bytes, lower-case hex.
pub fn checksum(script: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(script)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `script` is the one that ran with `recorded` checksum. Line endings do not count
/// (Prisma accepts a file checked out with CRLF where LF ran, and the reverse).
pub fn same_script(script: &[u8], recorded: &str) -> bool {
    if checksum(script).eq_ignore_ascii_case(recorded) {
        return true;
    }
    let text = String::from_utf8_lossy(script);
    let lf = text.replace("\r\n", "\n");
    let crlf = lf.replace('\n', "\r\n");
    checksum(lf.as_bytes()).eq_ignore_ascii_case(recorded)
        || checksum(crlf.as_bytes()).eq_ignore_ascii_case(recorded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_are_sha256_and_ignore_line_endings() {
        assert_eq!(
            checksum(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let lf = checksum(b"SELECT 1;\nSELECT 2;\n");
        assert!(same_script(b"SELECT 1;\r\nSELECT 2;\r\n", &lf));
        assert!(!same_script(b"SELECT 1;\nSELECT 3;\n", &lf));
    }
}
