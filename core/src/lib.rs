//! prisma-audit-core: the audit framework — the [`rule::Rule`] trait and its context, findings,
//! the engine ([`audit()`]), suppressions, baseline, fixes, the [`report::Report`] with its JSON
//! Schema, and the renderers.
//!
//! Data flows one way: files → [`project::Project`] (in memory, no filesystem; crate
//! `prisma-audit-project`) → front ends ([`syntax`] and [`model`] from `prisma-audit-psl`,
//! [`sql`] from `prisma-audit-migrations`) → rules ([`rule`]) → [`report::Report`] → renderers.
//! The front-end and project modules are re-exported here under the names rules use; core
//! depends on them, never the other way round.
//!
//! Memory: a parsed and resolved schema takes about 15 times its text size, all freed when the
//! audit returns. Under glibc's default allocator, freeing more than a few tens of megabytes
//! hands the heap back to the kernel, and the next audit pays to fault it in again. A process
//! that audits large schemas repeatedly (an editor, a watcher) should use an allocator that
//! reuses freed memory instead of returning it at once, as the CLI and the Node and Python bindings do with mimalloc:
//! `#[global_allocator] static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;`
//! (BENCHMARKS.md: 10,000 models parse + resolve in 126 ms instead of 224 ms).
#![warn(missing_docs)]

pub mod application;
pub mod audit;
pub mod baseline;
pub mod config;
pub mod config_file;
pub mod config_schema;
pub mod engine_findings;
pub mod finding;
pub mod fix;
pub mod fix_migration;
#[cfg(feature = "fs")]
pub mod git_pending;
pub mod live;
pub mod render;
pub mod report;
pub mod rule;
pub mod suppress;

// The front ends and the project reader, under the module names rules and embedders use.
#[doc(inline)]
pub use prisma_audit_migrations as sql;
#[cfg(feature = "fs")]
#[doc(inline)]
pub use prisma_audit_project::load;
#[doc(inline)]
pub use prisma_audit_project::{env, line_index, project, redact};
use prisma_audit_psl::fxhash;
#[doc(inline)]
pub use prisma_audit_psl::{diagnostic, model, span, syntax};

pub use audit::{AuditError, AuditOptions, audit};
pub use project::Project;
pub use report::Report;
pub use rowan::{TextRange, TextSize};

#[doc(hidden)]
pub use inventory;
/// The JSON Schema derive rule options use ([`rule::RuleOptions`]).
pub use schemars;
#[doc(hidden)]
pub use serde_json;
