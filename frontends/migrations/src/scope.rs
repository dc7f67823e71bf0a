//! Which migrations the safety rules judge.
//!
//! A lock taken by a migration that ran in production two years ago is history: nobody can act
//! on it. Safety rules (locks, data loss, unbounded updates, enum changes, ...) therefore judge
//! only the migrations that have not run yet, like squawk on the files it is given or Atlas with
//! `--latest N` / `--git-base`. History-integrity rules (order, drift, missing migrations, lock
//! provider, folder names) keep looking at the whole history.
//!
//! Which migrations are pending is a fact about the world outside the project files (a live
//! database's `_prisma_migrations`, the git history, the caller's knowledge), so the caller
//! supplies it as [`PendingMigrations`]; without it the newest migration is taken as pending.

use super::MigrationHistory;
use crate::span::FileId;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Which migrations the safety rules judge (`--migrations`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum MigrationScope {
    /// The migrations that have not run yet (see [`PendingMigrations`]); the default.
    #[default]
    Pending,
    /// Every migration of the history.
    All,
    /// The newest N migrations.
    Latest(usize),
    /// Exactly these migration folders (a deploy tool's or a live database's list of pending
    /// migrations).
    Folders(Vec<String>),
}

impl FromStr for MigrationScope {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "pending" => Ok(MigrationScope::Pending),
            "all" => Ok(MigrationScope::All),
            n => n
                .parse::<usize>()
                .map(MigrationScope::Latest)
                .map_err(|_| format!("`{s}`: expected pending, all or a number of migrations")),
        }
    }
}

/// What the caller knows about the migrations that have not run yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingMigrations {
    /// Where the knowledge comes from, for the report ("git: changed since origin/main").
    pub source: String,
    /// Pending migration folder names (e.g. `20250406003044_init`); may be empty.
    pub folders: Vec<String>,
}

/// How the scope was resolved, for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ScopeInfo {
    /// `pending`, `all` or `latest`.
    pub mode: String,
    /// What decided which migrations are pending (`newest migration` without other knowledge).
    pub source: String,
    /// The migration folders the safety rules judged, oldest first.
    pub judged: Vec<String>,
    /// Migrations of the history the safety rules did not judge.
    pub not_judged: usize,
}

/// The resolved scope: which migration files the safety rules judge.
#[derive(Debug, Clone)]
pub struct ResolvedScope {
    /// For the report.
    pub info: ScopeInfo,
    /// Files of migrations outside the scope (their `migration.sql` and other files).
    pub out_of_scope: Vec<FileId>,
}

impl ResolvedScope {
    /// Whether a finding in `file` is outside the scope.
    pub fn excludes(&self, file: FileId) -> bool {
        self.out_of_scope.binary_search(&file).is_ok()
    }
}

/// Resolve `scope` over `history`.
pub fn resolve(
    history: &MigrationHistory,
    scope: &MigrationScope,
    pending: Option<&PendingMigrations>,
) -> ResolvedScope {
    // Prisma applies migrations in folder-name order; the history is in that order.
    let names: Vec<&str> = history.migrations.iter().map(|m| m.name.as_str()).collect();
    let newest = |n: usize| names.len().saturating_sub(n)..names.len();
    let (mode, source, judged): (&str, String, Vec<usize>) = match scope {
        MigrationScope::All => ("all", "every migration".into(), (0..names.len()).collect()),
        MigrationScope::Latest(n) => ("latest", format!("the newest {n}"), newest(*n).collect()),
        MigrationScope::Folders(folders) => {
            ("pending", "the given list".into(), listed(&names, folders))
        }
        MigrationScope::Pending => match pending {
            Some(p) => ("pending", p.source.clone(), listed(&names, &p.folders)),
            None => ("pending", "newest migration".into(), newest(1).collect()),
        },
    };
    let mut in_scope = vec![false; names.len()];
    for &i in &judged {
        in_scope[i] = true;
    }
    let mut out_of_scope = Vec::new();
    for (i, m) in history.migrations.iter().enumerate() {
        if !in_scope[i] {
            out_of_scope.extend(m.file);
            out_of_scope.extend(m.other_files.iter().copied());
        }
    }
    // Sorted: `excludes` runs once per finding of a safety rule.
    out_of_scope.sort_unstable();
    out_of_scope.dedup();
    ResolvedScope {
        info: ScopeInfo {
            mode: mode.into(),
            source,
            judged: judged.iter().map(|&i| names[i].to_string()).collect(),
            not_judged: names.len() - judged.len(),
        },
        out_of_scope,
    }
}

/// Indexes of the folder names that appear in `folders`.
fn listed(names: &[&str], folders: &[String]) -> Vec<usize> {
    let wanted: std::collections::HashSet<&str> = folders.iter().map(String::as_str).collect();
    (0..names.len())
        .filter(|&i| wanted.contains(names[i]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_flag() {
        assert_eq!("pending".parse(), Ok(MigrationScope::Pending));
        assert_eq!("all".parse(), Ok(MigrationScope::All));
        assert_eq!("3".parse(), Ok(MigrationScope::Latest(3)));
        assert!("some".parse::<MigrationScope>().is_err());
    }
}
