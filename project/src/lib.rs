//! The project as prisma-audit reads it: every file in memory ([`project::Project`]; no
//! filesystem access, so it runs in the browser), directory loading on native targets
//! ([`load`], feature `fs`), and what the project's files say about the environment ([`mod@env`]:
//! package.json, prisma.config.ts, .env files, connection URLs, .gitignore), with secrets
//! redacted ([`redact`]).
//!
//! It depends on the PSL front end only (to read the datasource block).
#![warn(missing_docs)]

pub mod env;
pub mod line_index;
#[cfg(feature = "fs")]
pub mod load;
pub mod project;
pub mod redact;

pub use project::{Location, Position, Project};

// The PSL front end's modules under the names this crate's modules use.
use prisma_audit_psl::{span, syntax};
