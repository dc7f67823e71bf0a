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
