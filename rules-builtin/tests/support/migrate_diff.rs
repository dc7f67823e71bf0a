//! `prisma migrate diff` through tools/prisma-migrate-diff (Prisma 6.19, a shadow database on a
//! throwaway PostgreSQL), for the tests that compare our verdicts with Prisma's.
#![allow(dead_code)]

use super::corpus::{Entry, Kind};
use std::path::{Path, PathBuf};
use std::process::Command;

/// tools/prisma-migrate-diff.
pub fn tool_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/prisma-migrate-diff")
}

/// Whether the tool is installed (`npm ci --prefix tools/prisma-migrate-diff`).
pub fn installed() -> bool {
    tool_dir()
        .join("node_modules/prisma/package.json")
        .is_file()
}

/// A PostgreSQL history: a project row whose datasource and `migration_lock.toml` both say
/// PostgreSQL.
pub fn is_pg_history(e: &Entry) -> bool {
    e.kind == Kind::Project
        && matches!(e.provider.as_str(), "postgresql" | "postgres")
        && e.features
            .split(',')
            .any(|t| t == "lock_provider=postgresql")
}

/// The entry's migrations folder, relative to its directory.
pub fn migrations_dir(e: &Entry) -> String {
    e.features
        .split(',')
        .find_map(|t| t.strip_prefix("migrations_dir="))
        .unwrap_or("prisma/migrations")
        .to_string()
}

/// The tool's JSON answer for `migrations` against `schema` (`empty`, `sql`, `error`, ...), or
/// why there is none.
pub fn run(migrations: &Path, schema: &Path, url: &str) -> Result<serde_json::Value, String> {
    let out = Command::new("node")
        .arg(tool_dir().join("migrate-diff.mjs"))
        .arg("--migrations")
        .arg(migrations)
        .arg("--schema")
        .arg(schema)
        .args(["--url", url])
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .ok_or_else(|| {
            format!(
                "no JSON from migrate-diff.mjs: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        })?;
    serde_json::from_str(line).map_err(|e| format!("bad JSON ({e}): {line}"))
}
