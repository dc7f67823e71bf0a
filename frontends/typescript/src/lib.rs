//! The TypeScript/JavaScript front end of prisma-audit: which files of a project are application
//! code ([`role_of`]), and the Prisma Client calls in them, each read into a typed query shape
//! ([`QueryCall`]) with its exact source span.
//!
//! It depends on the oxc parser only, no crate of ours: the caller passes the files' text and
//! the schema's model names ([`Models`]), and gets plain data back.

mod extract;
pub mod shape;

pub use extract::{Models, accessor_of};
pub use shape::*;

use oxc_allocator::Allocator;
use oxc_parser::Parser;
use oxc_span::SourceType;
use schemars::JsonSchema;
use serde::Serialize;

/// What a source file is to the application, by its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FileRole {
    /// Application code.
    App,
    /// A test (`*.test.ts`, `*.spec.ts`, `__tests__/`, `test/`, `e2e/`).
    Test,
    /// A database seed (`seed.ts`, `prisma/seed/…`, `seeds/`).
    Seed,
    /// A one-off script (`scripts/`).
    Script,
}

/// Extensions of the files this front end reads.
pub const EXTENSIONS: [&str; 8] = ["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"];

/// Folders that never hold the project's own source: dependencies, build output, generated
/// clients, caches.
const SKIPPED_DIRS: [&str; 14] = [
    "node_modules",
    "dist",
    "build",
    "out",
    ".next",
    ".nuxt",
    ".svelte-kit",
    ".turbo",
    ".vercel",
    ".output",
    "coverage",
    "generated",
    ".cache",
    "vendor",
];

/// The role of the file at `path` (relative, `/`-separated), or `None` when it is not source
/// this front end reads: another extension, a declaration file (`.d.ts`), minified code, a
/// dependency, build output or a generated client.
pub fn role_of(path: &str) -> Option<FileRole> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map(|(_, e)| e)?;
    if !EXTENSIONS.contains(&ext) {
        return None;
    }
    let stem = &name[..name.len() - ext.len() - 1];
    if stem.ends_with(".d") || stem.ends_with(".min") {
        return None;
    }
    let dirs: Vec<&str> = path.split('/').collect();
    let dirs = &dirs[..dirs.len() - 1];
    if dirs.iter().any(|d| SKIPPED_DIRS.contains(d))
        || path.contains("prisma/client/")
        || path.contains("@prisma/")
    {
        return None;
    }
    let has_dir = |names: &[&str]| dirs.iter().any(|d| names.contains(d));
    let role = if stem.ends_with(".test")
        || stem.ends_with(".spec")
        || stem.ends_with(".e2e")
        || has_dir(&[
            "__tests__",
            "test",
            "tests",
            "e2e",
            "__mocks__",
            "cypress",
            "playwright",
        ]) {
        FileRole::Test
    } else if stem == "seed" || stem.starts_with("seed.") || has_dir(&["seed", "seeds", "seeders"])
    {
        FileRole::Seed
    } else if has_dir(&["scripts", "script"]) {
        FileRole::Script
    } else {
        FileRole::App
    };
    Some(role)
}

/// The Prisma Client calls of one file.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FileQueries {
    /// The file's path, as given.
    pub path: String,
    /// What the file is to the application.
    pub role: FileRole,
    /// The calls, in source order.
    pub calls: Vec<QueryCall>,
    /// `Prisma.sql`, `Prisma.raw` and `Prisma.join` uses, in source order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sql_fragments: Vec<SqlFragment>,
    /// Interactive transactions, in source order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transactions: Vec<Transaction>,
    /// Property values converted to numbers as operands of arithmetic, in source order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub number_conversions: Vec<NumberConversion>,
    /// `new PrismaClient(...)` expressions, in source order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clients: Vec<ClientConstruction>,
    /// The file reads `globalThis` or Node's `global` (where the Next.js singleton pattern
    /// caches its client).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reads_global: bool,
    /// The first syntax error, when the file does not parse cleanly (its calls are those the
    /// parser could recover).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub syntax_error: Option<SyntaxError>,
}

/// A syntax error of a source file.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SyntaxError {
    /// The parser's message.
    pub message: String,
    /// Where, when the parser says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<ByteSpan>,
}

/// Words one of which a file must contain to hold a Prisma Client call; files without any are
/// not parsed.
const CALL_WORDS: [&str; 13] = [
    "find",
    "create",
    "update",
    "delete",
    "upsert",
    "count",
    "aggregate",
    "groupBy",
    "queryRaw",
    "executeRaw",
    "Prisma",
    "prisma",
    "toNumber",
];

/// Read the Prisma Client calls of one file. `role` is the file's role (see [`role_of`]); the
/// source type (TypeScript, JSX) follows the extension of `path`.
pub fn extract(path: &str, role: FileRole, text: &str, models: &Models) -> FileQueries {
    let mut out = FileQueries {
        path: path.to_string(),
        role,
        calls: Vec::new(),
        sql_fragments: Vec::new(),
        transactions: Vec::new(),
        number_conversions: Vec::new(),
        clients: Vec::new(),
        reads_global: false,
        syntax_error: None,
    };
    if !CALL_WORDS.iter().any(|w| text.contains(w)) {
        return out;
    }
    let source_type = SourceType::from_path(path).unwrap_or_else(|_| SourceType::tsx());
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, text, source_type).parse();
    if let Some(d) = parsed.diagnostics.first() {
        out.syntax_error = Some(SyntaxError {
            message: d.message.to_string(),
            span: d.labels.first().map(|l| ByteSpan {
                start: l.offset(),
                end: l.offset() + l.len(),
            }),
        });
    }
    if !parsed.panicked {
        let found = extract::calls(&parsed.program, text, models);
        out.calls = found.calls;
        out.sql_fragments = found.fragments;
        out.transactions = found.transactions;
        out.number_conversions = found.conversions;
        out.clients = found.clients;
        out.reads_global = found.reads_global;
    }
    out
}

/// [`extract`] over many files (in parallel with the `parallel` feature), in the order given.
/// Files whose path [`role_of`] rejects are left out.
pub fn extract_all(files: &[(&str, &str)], models: &Models) -> Vec<FileQueries> {
    let one =
        |(path, text): &(&str, &str)| role_of(path).map(|role| extract(path, role, text, models));
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        files.par_iter().filter_map(one).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        files.iter().filter_map(one).collect()
    }
}
