//! Prisma migration history: load `prisma/migrations/*/migration.sql` from the in-memory
//! project, split and parse every file, and replay it in Prisma's order into an in-memory
//! catalog that rules can query.
//!
//! How Prisma applies a migration file (checked in the schema engine's source): on PostgreSQL
//! the whole `migration.sql` is sent as **one simple-query message**, so PostgreSQL runs all its
//! statements in one implicit transaction (an explicit `BEGIN; ... COMMIT;` inside the file
//! splits it into several). Statements that refuse to run in a transaction block, such as
//! `CREATE INDEX CONCURRENTLY`, therefore fail unless they are the only statement of their
//! migration. Migrations are applied in lexicographic order of their folder names, and
//! `_prisma_migrations` stores a checksum of each applied file: editing an applied migration
//! makes `migrate dev` want to reset and `migrate deploy` warn.
//!
//! Modules: [`split`] (lexer and statement splitter), [`warnings`] (Prisma's warnings header),
//! [`postgres`] (squawk-syntax validation), [`generic`] (sqlparser validation for MySQL and
//! SQLite), [`history`] (loading and ordering), [`catalog`] and [`replay`] (the replayed
//! database), [`drift`] (catalog versus schema).

pub mod catalog;
pub mod change;
pub mod drift;
pub mod fix_sql;
pub mod generic;
pub mod history;
pub mod postgres;
pub mod replay;
pub mod scope;
pub mod split;
pub mod warnings;

pub use catalog::{Catalog, QName};

// The PSL front end's and the project reader's modules under the names this crate uses.
pub use history::{LockFile, Migration, MigrationHistory, Statement, load_history};
use prisma_audit_project::project;
use prisma_audit_psl::{model, span};
pub use replay::{Effect, MissingRef, TableState};
pub use scope::{MigrationScope, PendingMigrations, ScopeInfo};

/// The SQL dialect of a history, from the datasource provider (or the lock file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// `postgresql` / `postgres`.
    Postgres,
    /// `cockroachdb` (PostgreSQL syntax).
    CockroachDb,
    /// `mysql`.
    MySql,
    /// `sqlite`.
    Sqlite,
    /// `sqlserver` (split only; not parsed).
    SqlServer,
}

impl Dialect {
    /// The dialect of a Prisma provider name.
    pub fn from_provider(provider: &str) -> Option<Dialect> {
        match provider.trim() {
            "postgresql" | "postgres" => Some(Dialect::Postgres),
            "cockroachdb" => Some(Dialect::CockroachDb),
            "mysql" => Some(Dialect::MySql),
            "sqlite" => Some(Dialect::Sqlite),
            "sqlserver" => Some(Dialect::SqlServer),
            _ => None,
        }
    }
    /// PostgreSQL syntax (PostgreSQL or CockroachDB).
    pub fn is_postgres(self) -> bool {
        matches!(self, Dialect::Postgres | Dialect::CockroachDb)
    }
    /// The default schema of unqualified names (`public` on PostgreSQL, empty elsewhere).
    pub fn default_schema(self) -> &'static str {
        if self.is_postgres() { "public" } else { "" }
    }
}
