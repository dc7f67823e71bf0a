//! Loading the migration history from the in-memory project: the migrations folder (next to the
//! schema, or `migrations.path` of `prisma.config.ts`), `migration_lock.toml`, one
//! [`Migration`] per folder in Prisma's order (folder names, lexicographic).

use super::Dialect;
use super::catalog::QName;
use super::replay::{Effect, Replay, TableState};
use super::split::{Token, split};
use super::warnings::{PrismaWarning, parse_warnings};
use crate::project::{Project, normalize_path};
use crate::span::{FileId, Span};
use rowan::{TextRange, TextSize};

/// `migration_lock.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockFile {
    /// The file.
    pub file: FileId,
    /// Its `provider` value.
    pub provider: Option<String>,
    /// Range of the provider value (or of the whole file when missing).
    pub provider_range: TextRange,
}

/// Why a migration folder could not be read as SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MigrationProblem {
    /// The folder has no `migration.sql` (e.g. a TypeScript data migration kept beside them).
    NoSql,
    /// `migration.sql` is not UTF-8 text.
    NotText,
}

/// One statement of a migration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Byte range in the file (without the terminating `;`).
    pub range: TextRange,
    /// Index range into [`Migration::tokens`].
    pub tokens: std::ops::Range<usize>,
    /// A syntax error reported by the dialect's parser: message and range.
    pub parse_error: Option<(String, TextRange)>,
    /// What replaying the statement did.
    pub effects: Vec<Effect>,
    /// The table the statement works on and whether it existed before this migration.
    pub target: Option<(QName, TableState)>,
}

/// One migration folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// Folder name, e.g. `20250406003044_init`.
    pub name: String,
    /// Folder path relative to the project root.
    pub dir: String,
    /// The `migration.sql` file, if present.
    pub file: Option<FileId>,
    /// Other files of the folder.
    pub other_files: Vec<FileId>,
    /// The SQL text (empty when missing or not text).
    pub sql: String,
    /// Code tokens (comments removed).
    pub tokens: Vec<Token>,
    /// Comment tokens.
    pub comments: Vec<Token>,
    /// Statements.
    pub statements: Vec<Statement>,
    /// Prisma's warnings header.
    pub warnings: Vec<PrismaWarning>,
    /// Why the folder could not be read, if so.
    pub problem: Option<MigrationProblem>,
}

impl Migration {
    /// The leading 14-digit timestamp of the folder name, if well-formed.
    pub fn timestamp(&self) -> Option<&str> {
        let ts = self.name.get(..14)?;
        (ts.bytes().all(|b| b.is_ascii_digit()) && self.name.as_bytes().get(14) == Some(&b'_'))
            .then_some(ts)
    }
    /// The span of a byte range of the SQL file (the folder's first file when there is none).
    pub fn span(&self, range: TextRange) -> Option<Span> {
        Some(Span::new(self.file?, range))
    }
    /// The span of statement `i`.
    pub fn stmt_span(&self, i: usize) -> Option<Span> {
        self.span(self.statements.get(i)?.range)
    }
    /// The text of a range.
    pub fn text(&self, range: TextRange) -> &str {
        self.sql
            .get(usize::from(range.start())..usize::from(range.end()))
            .unwrap_or("")
    }
    /// The code tokens of statement `i`.
    pub fn stmt_tokens(&self, i: usize) -> &[Token] {
        self.statements
            .get(i)
            .and_then(|s| self.tokens.get(s.tokens.clone()))
            .unwrap_or(&[])
    }
    /// Prisma Migrate's step comment directly above statement `i` (`CreateIndex` for
    /// `-- CreateIndex`): `migrate dev` writes one above every statement it generates, so a
    /// statement without one was most likely written by hand.
    pub fn prisma_step(&self, i: usize) -> Option<&str> {
        let start = u32::from(self.statements.get(i)?.range.start());
        let after = match i.checked_sub(1) {
            Some(p) => u32::from(self.statements.get(p)?.range.end()),
            None => 0,
        };
        let at = self.comments.partition_point(|c| c.end <= start);
        let c = self.comments.get(at.checked_sub(1)?)?;
        if c.start < after {
            return None;
        }
        // Only blank space between the comment and the statement.
        let gap = self.sql.get(c.end as usize..start as usize)?;
        if !gap.trim().is_empty() {
            return None;
        }
        let word = c.text(&self.sql).strip_prefix("-- ")?.trim_end();
        let mut chars = word.chars();
        (chars.next()?.is_ascii_uppercase()
            && chars.all(|ch| ch.is_ascii_alphabetic())
            && word.chars().skip(1).any(|ch| ch.is_ascii_uppercase()))
        .then_some(word)
    }
    /// The first line of statement `i`, for messages and anchors.
    pub fn stmt_head(&self, i: usize) -> String {
        let Some(s) = self.statements.get(i) else {
            return String::new();
        };
        let t = self.text(s.range);
        let line = t.lines().next().unwrap_or("").trim();
        if line.len() > 100 {
            let mut end = 100;
            while !line.is_char_boundary(end) {
                end -= 1;
            }
            format!("{}...", &line[..end])
        } else {
            line.to_string()
        }
    }
}

/// The whole history, parsed and replayed.
#[derive(Debug, Clone)]
pub struct MigrationHistory {
    /// The migrations folder relative to the project root.
    pub dir: String,
    /// The dialect used to read it.
    pub dialect: Dialect,
    /// The datasource provider of the schema, if known.
    pub datasource_provider: Option<String>,
    /// `migration_lock.toml`, if present.
    pub lock: Option<LockFile>,
    /// Migration folders in Prisma's order (including folders without SQL).
    pub migrations: Vec<Migration>,
    /// The replay: final catalog, missing references, enum changes.
    pub replay: Replay,
}

impl MigrationHistory {
    /// Migrations that have SQL, with their index.
    pub fn sql_migrations(&self) -> impl Iterator<Item = (usize, &Migration)> {
        self.migrations
            .iter()
            .enumerate()
            .filter(|(_, m)| m.problem.is_none())
    }
    /// The span of statement `stmt` of migration `mig`.
    pub fn stmt_span(&self, mig: usize, stmt: usize) -> Option<Span> {
        self.migrations.get(mig)?.stmt_span(stmt)
    }
}

/// The `migrations.path` of `prisma.config.ts`, read statically.
pub fn prisma_config_migrations_path(project: &Project) -> Option<String> {
    let text = project
        .text_of("prisma.config.ts")
        .or_else(|| project.text_of(".config/prisma.ts"))?;
    let i = text.find("migrations")?;
    let rest = &text[i..];
    let open = rest.find('{')?;
    let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
    let block = &rest[open..close];
    let p = block.find("path")?;
    let after = block[p + 4..].trim_start().strip_prefix(':')?.trim_start();
    let quote = after
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let end = after[1..].find(quote)?;
    Some(after[1..1 + end].to_string())
}

/// Find the migrations folder: `explicit` (from `prisma.config.ts`), else `migrations` next to
/// the schema (`schema_path` is the schema file or folder), else `prisma/migrations`.
pub fn find_migrations_dir(
    project: &Project,
    explicit: Option<&str>,
    schema_path: Option<&str>,
) -> Option<String> {
    let mut candidates = Vec::new();
    if let Some(e) = explicit {
        candidates.push(normalize_path(e));
    }
    if let Some(s) = schema_path {
        let s = normalize_path(s);
        let is_file = project.file_id(&s).is_some();
        let parent = |p: &str| {
            p.rsplit_once('/')
                .map_or(String::new(), |(d, _)| d.to_string())
        };
        let join = |d: &str| {
            if d.is_empty() {
                "migrations".to_string()
            } else {
                format!("{d}/migrations")
            }
        };
        if is_file {
            candidates.push(join(&parent(&s)));
        } else {
            candidates.push(join(&s));
            candidates.push(join(&parent(&s)));
        }
    }
    candidates.push("prisma/migrations".into());
    candidates.into_iter().find(|c| project.is_dir(c))
}

/// Load, parse and replay the history. `provider` is the datasource provider of the schema;
/// without it the lock file's provider decides, else PostgreSQL. Returns `None` when there is
/// no migrations folder.
pub fn load_history(
    project: &Project,
    schema_path: Option<&str>,
    provider: Option<&str>,
) -> Option<MigrationHistory> {
    let config_path = prisma_config_migrations_path(project);
    let dir = find_migrations_dir(project, config_path.as_deref(), schema_path)?;
    let prefix = format!("{dir}/");
    let mut lock = None;
    // folder name -> (sql file, other files)
    let mut folders: std::collections::BTreeMap<String, (Option<FileId>, Vec<FileId>)> =
        Default::default();
    for (id, f) in project.files_under(&dir) {
        let Some(rel) = f.path().strip_prefix(&prefix) else {
            continue;
        };
        match rel.split_once('/') {
            None => {
                if rel == "migration_lock.toml" {
                    lock = Some(read_lock(project, id));
                }
            }
            Some((folder, rest)) => {
                let entry = folders.entry(folder.to_string()).or_default();
                if rest == "migration.sql" {
                    entry.0 = Some(id);
                } else {
                    entry.1.push(id);
                }
            }
        }
    }
    let dialect = provider
        .and_then(Dialect::from_provider)
        .or_else(|| {
            lock.as_ref()
                .and_then(|l: &LockFile| l.provider.as_deref())
                .and_then(Dialect::from_provider)
        })
        .unwrap_or(Dialect::Postgres);
    let folders: Vec<Folder> = folders.into_iter().collect();
    let migrations = parse_all(project, &dir, folders, dialect);
    let mut history = MigrationHistory {
        dir,
        dialect,
        datasource_provider: provider.map(str::to_owned),
        lock,
        migrations,
        replay: Replay::default(),
    };
    super::replay::replay(&mut history);
    Some(history)
}

type Folder = (String, (Option<FileId>, Vec<FileId>));

/// Parse every folder; files are independent, so native builds use the available cores.
fn parse_all(
    project: &Project,
    dir: &str,
    folders: Vec<Folder>,
    dialect: Dialect,
) -> Vec<Migration> {
    let one =
        |(name, (file, others)): Folder| load_migration(project, dir, name, file, others, dialect);
    #[cfg(not(target_arch = "wasm32"))]
    {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        if threads > 1 && folders.len() >= 16 {
            let chunk = folders.len().div_ceil(threads);
            let mut chunks: Vec<Vec<Folder>> = Vec::new();
            let mut it = folders.into_iter().peekable();
            while it.peek().is_some() {
                chunks.push(it.by_ref().take(chunk).collect());
            }
            return std::thread::scope(|scope| {
                let handles: Vec<_> = chunks
                    .into_iter()
                    .map(|c| scope.spawn(move || c.into_iter().map(one).collect::<Vec<_>>()))
                    .collect();
                // Same behaviour as the sequential path: a worker panic propagates.
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            });
        }
    }
    folders.into_iter().map(one).collect()
}

/// Parse one migration text (exposed for tests and benchmarks).
pub fn parse_migration(name: &str, file: Option<FileId>, sql: &str, dialect: Dialect) -> Migration {
    let (tokens, comments, raw) = split(sql, dialect);
    let warnings = parse_warnings(sql, &comments);
    let mut statements: Vec<Statement> = raw
        .into_iter()
        .map(|r| Statement {
            range: r.range,
            tokens: r.tokens,
            parse_error: None,
            effects: Vec::new(),
            target: None,
        })
        .collect();
    // Unterminated strings/comments are errors whatever the dialect.
    for t in tokens
        .iter()
        .chain(comments.iter())
        .filter(|t| t.unterminated)
    {
        let at = t.start;
        let what = match t.kind {
            super::split::TokenKind::Comment => "unterminated comment",
            super::split::TokenKind::QuotedIdent => "unterminated quoted identifier",
            super::split::TokenKind::DollarString => "unterminated dollar-quoted string",
            _ => "unterminated string literal",
        };
        let range = TextRange::new(TextSize::from(at), TextSize::from(t.end));
        match statements
            .iter_mut()
            .find(|s| s.range.contains(TextSize::from(at)) || s.range.start() > TextSize::from(at))
        {
            Some(s) if s.parse_error.is_none() => s.parse_error = Some((what.into(), range)),
            Some(_) => {}
            None => statements.push(Statement {
                range,
                tokens: tokens.len()..tokens.len(),
                parse_error: Some((what.into(), range)),
                effects: Vec::new(),
                target: None,
            }),
        }
    }
    let mut m = Migration {
        name: name.to_string(),
        dir: String::new(),
        file,
        other_files: Vec::new(),
        sql: sql.to_string(),
        tokens,
        comments,
        statements,
        warnings,
        problem: None,
    };
    match dialect {
        Dialect::Postgres | Dialect::CockroachDb => super::postgres::validate(&mut m),
        Dialect::MySql | Dialect::Sqlite => super::generic::validate(&mut m, dialect),
        Dialect::SqlServer => {}
    }
    m
}

fn load_migration(
    project: &Project,
    dir: &str,
    name: String,
    file: Option<FileId>,
    other_files: Vec<FileId>,
    dialect: Dialect,
) -> Migration {
    let folder = format!("{dir}/{name}");
    let blank = |problem, file| Migration {
        name: name.clone(),
        dir: folder.clone(),
        file,
        other_files: other_files.clone(),
        sql: String::new(),
        tokens: Vec::new(),
        comments: Vec::new(),
        statements: Vec::new(),
        warnings: Vec::new(),
        problem: Some(problem),
    };
    let Some(id) = file else {
        return blank(MigrationProblem::NoSql, None);
    };
    let Some(text) = project.file(id).and_then(|f| f.text()) else {
        return blank(MigrationProblem::NotText, Some(id));
    };
    let mut m = parse_migration(&name, Some(id), text, dialect);
    m.dir = folder;
    m.other_files = other_files;
    m
}

fn read_lock(project: &Project, id: FileId) -> LockFile {
    let text = project.file(id).and_then(|f| f.text()).unwrap_or("");
    let whole = TextRange::new(TextSize::from(0), TextSize::from(text.len() as u32));
    for (offset, line) in line_offsets(text) {
        let t = line.trim_start();
        let Some(rest) = t.strip_prefix("provider") else {
            continue;
        };
        let Some(v) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let v = v.trim();
        let value = v.trim_matches('"').trim_matches('\'');
        let pos = offset + line.find(value).unwrap_or(0);
        return LockFile {
            file: id,
            provider: Some(value.to_string()),
            provider_range: TextRange::new(
                TextSize::from(pos as u32),
                TextSize::from((pos + value.len()) as u32),
            ),
        };
    }
    LockFile {
        file: id,
        provider: None,
        provider_range: whole,
    }
}

fn line_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut off = 0;
    text.split_inclusive('\n').map(move |l| {
        let o = off;
        off += l.len();
        (o, l.trim_end_matches(['\n', '\r']))
    })
}
