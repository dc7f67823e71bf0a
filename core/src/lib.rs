//! prisma-audit-core: everything between the user's files and the report.
//!
//! Data flows one way: files → [`project::Project`] (in memory, no filesystem) → [`syntax`]
//! (lossless PSL trees) → [`model`] (resolved semantic schema) → rules ([`rule`]) →
//! [`report::Report`] → renderers.
//!
//! Memory: a parsed and resolved schema takes about 15 times its text size, all freed when the
//! audit returns. Under glibc's default allocator, freeing more than a few tens of megabytes
//! hands the heap back to the kernel, and the next audit pays to fault it in again. A process
//! that audits large schemas repeatedly (an editor, a watcher) should use an allocator that
//! reuses freed memory instead of returning it at once, as the CLI and the Node and Python bindings do with mimalloc:
//! `#[global_allocator] static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;`
//! (BENCHMARKS.md: 10,000 models parse + resolve in 126 ms instead of 224 ms).
#![warn(missing_docs)]

pub mod audit;
pub mod baseline;
pub mod config;
pub mod config_file;
pub mod diagnostic;
pub mod engine_rules;
pub mod env;
pub mod finding;
pub mod fix;
mod fxhash;
#[cfg(feature = "fs")]
pub mod git_pending;
pub mod line_index;
#[cfg(feature = "fs")]
pub mod load;
pub mod model;
pub mod project;
pub mod redact;
pub mod render;
pub mod report;
pub mod rule;
pub mod span;
pub mod sql;
pub mod suppress;
pub mod syntax;

pub use audit::{AuditError, AuditOptions, audit};
pub use project::Project;
pub use report::Report;
pub use rowan::{TextRange, TextSize};

#[doc(hidden)]
pub use inventory;
