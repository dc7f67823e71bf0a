//! The language-neutral half of the bindings (shared by `bindings-py`, `bindings-node` and
//! `bindings-wasm`): turn the caller's inputs into a [`Project`] and a [`Config`] exactly as
//! the CLI does, run [`audit()`], render, list the rules, and classify errors. No audit logic
//! lives here; every step is a core function.
//!
//! It depends on `prisma-audit-core` and the built-in rules; the bindings depend on it. The
//! `native` feature (default) adds what needs a filesystem: projects and configuration files
//! read from disk and pending migrations from git; without it the crate builds for wasm32.

use prisma_audit_core::config::Config;
use prisma_audit_core::config_file;
#[cfg(feature = "native")]
use prisma_audit_core::git_pending;
#[cfg(feature = "native")]
use prisma_audit_core::load::{LoadError, LoadLimits, load};
use prisma_audit_core::render::{Format, RenderOptions, render};
use prisma_audit_core::rule::{RuleMeta, rule_metas};
use prisma_audit_core::sql::MigrationScope;
use prisma_audit_core::{AuditError, AuditOptions, Project, Report, audit};
#[cfg(feature = "native")]
use std::path::PathBuf;

/// What to audit.
pub enum Input {
    /// A project directory or a `.prisma` file on disk (the CLI's `PATH`).
    #[cfg(feature = "native")]
    Path(PathBuf),
    /// In-memory files: path relative to the project root → contents.
    Files(Vec<(String, Vec<u8>)>),
    /// A project already built in memory.
    Project(Project),
}

/// Where the configuration comes from.
pub enum ConfigInput {
    /// `prisma-audit.toml` / `.prismalintrc.json` at the project root, else the defaults.
    Discover,
    /// A configuration file on disk (the CLI's `--config`).
    #[cfg(feature = "native")]
    File(PathBuf),
    /// The text of a `prisma-audit.toml`.
    Toml(String),
    /// A table with the keys of `prisma-audit.toml` (`fail-on`, `categories`, `rules`).
    Table(serde_json::Value),
}

/// Which migrations the safety rules judge (the CLI's `--migrations`), as the caller passed it:
/// `"pending"` (default: git, else the newest), `"all"`, a number N (the newest N), or a list of
/// the pending migration folder names (e.g. from a deploy tool or a live database).
pub fn migrations_of(value: serde_json::Value) -> Result<MigrationScope, Error> {
    use serde_json::Value;
    let bad = || {
        err(
            ErrorKind::Input,
            "migrations: expected \"pending\", \"all\", a number or a list of migration folder names",
        )
    };
    match value {
        Value::String(s) => s
            .parse::<MigrationScope>()
            .map_err(|e| err(ErrorKind::Input, format!("migrations: {e}"))),
        Value::Number(n) => n
            .as_u64()
            .map(|n| MigrationScope::Latest(n as usize))
            .ok_or_else(bad),
        Value::Array(items) => items
            .into_iter()
            .map(|v| v.as_str().map(str::to_owned).ok_or_else(bad))
            .collect::<Result<Vec<_>, _>>()
            .map(MigrationScope::Folders),
        _ => Err(bad()),
    }
}

/// The error classes every binding exposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A file or directory could not be read.
    Io,
    /// The configuration is invalid.
    Config,
    /// The input cannot be audited (no schema, wrong argument combination, ...).
    Input,
    /// A bug: the audit panicked.
    Internal,
}

impl ErrorKind {
    /// The `code` of Node errors.
    #[allow(dead_code)]
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Io => "PRISMA_AUDIT_IO",
            ErrorKind::Config => "PRISMA_AUDIT_CONFIG",
            ErrorKind::Input => "PRISMA_AUDIT_INPUT",
            ErrorKind::Internal => "PRISMA_AUDIT_INTERNAL",
        }
    }
}

/// A one-line error message and its class.
#[derive(Debug, Clone)]
pub struct Error {
    /// The class.
    pub kind: ErrorKind,
    /// The message (same wording as the CLI).
    pub message: String,
}

fn err(kind: ErrorKind, message: impl Into<String>) -> Error {
    Error {
        kind,
        message: message.into(),
    }
}

/// A finished audit: the report and the files it was computed from (for code excerpts).
pub struct Audited {
    /// The report.
    pub report: Report,
    /// The audited files.
    pub project: Project,
}

/// Keep the built-in rules linked (wasm32 drops the registrations of a crate nothing calls).
fn link() {
    std::hint::black_box(prisma_audit_rules::link());
}

/// The number of rule ids: the length of [`metas`] (a cheap check that the rules are linked).
pub fn rule_count() -> usize {
    metas().len()
}

/// Metadata of every rule id (the registered rules and the engine's own findings).
pub fn metas() -> Vec<&'static RuleMeta> {
    link();
    rule_metas()
}

/// Load, configure and audit like `prisma-audit PATH [--schema S] [--config C]`. Panics inside
/// the core become [`ErrorKind::Internal`] errors.
pub fn run(
    input: Input,
    config: ConfigInput,
    schema: Option<String>,
    migrations: Option<serde_json::Value>,
) -> Result<Audited, Error> {
    match std::panic::catch_unwind(move || run_inner(input, config, schema, migrations)) {
        Ok(result) => result,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(err(
                ErrorKind::Internal,
                format!("internal error: {msg} (this is a bug, please report it)"),
            ))
        }
    }
}

fn run_inner(
    input: Input,
    config: ConfigInput,
    schema: Option<String>,
    migrations: Option<serde_json::Value>,
) -> Result<Audited, Error> {
    link();
    let scope = migrations.map(migrations_of).transpose()?;
    let Loaded {
        project,
        schema: loaded_schema,
        #[cfg(feature = "native")]
        root,
    } = load_input(input)?;
    let mut config = load_config(&project, config)?;
    if let Some(scope) = scope {
        config.migrations = scope;
    }
    let schema = schema.or(loaded_schema);
    // Like the CLI: in a git work tree, the migrations changed on this branch are pending.
    #[cfg(feature = "native")]
    let pending = match (&config.migrations, &root) {
        (MigrationScope::Pending, Some(root)) => {
            git_pending::for_project(&project, root, schema.as_deref(), None)
                .map_err(|e| err(ErrorKind::Input, e))?
        }
        _ => None,
    };
    #[cfg(not(feature = "native"))]
    let pending = None;
    let options = AuditOptions {
        schema,
        config,
        baseline: None,
        pending_migrations: pending,
        live: None,
    };
    let report = audit(&project, &options).map_err(|e| match e {
        AuditError::Config(_) => err(ErrorKind::Config, e.to_string()),
        AuditError::Project(_) => err(ErrorKind::Input, e.to_string()),
    })?;
    Ok(Audited { report, project })
}

/// A project read from the caller's input.
struct Loaded {
    project: Project,
    /// The schema path the loader found (a `.prisma` file given as the path).
    schema: Option<String>,
    /// The directory read, for git (native inputs only).
    #[cfg(feature = "native")]
    root: Option<PathBuf>,
}

fn load_input(input: Input) -> Result<Loaded, Error> {
    Ok(match input {
        #[cfg(feature = "native")]
        Input::Path(path) => {
            let loaded = load(&path, &LoadLimits::default()).map_err(|e| {
                let kind = match e {
                    LoadError::NotADirectory(_) => ErrorKind::Input,
                    _ => ErrorKind::Io,
                };
                err(kind, e.to_string())
            })?;
            Loaded {
                project: loaded.project,
                schema: loaded.schema,
                root: Some(loaded.root),
            }
        }
        Input::Files(files) => Loaded {
            project: Project::from_files("project", files),
            schema: None,
            #[cfg(feature = "native")]
            root: None,
        },
        Input::Project(project) => Loaded {
            project,
            schema: None,
            #[cfg(feature = "native")]
            root: None,
        },
    })
}

/// The Prisma Client calls of the project's application code, like `prisma-audit --queries`:
/// JSON text described by `schema/queries.schema.json` (one object per source file with calls).
pub fn queries_json(input: Input, schema: Option<String>) -> Result<String, Error> {
    link();
    let loaded = load_input(input)?;
    let schema = schema.or(loaded.schema);
    let analysis = prisma_audit_core::audit::analyze(&loaded.project, schema.as_deref())
        .map_err(|e| err(ErrorKind::Input, e.to_string()))?;
    let config = load_config(&loaded.project, ConfigInput::Discover)?;
    let queries =
        prisma_audit_core::application::queries(&loaded.project, &analysis.schema, &config.code);
    serde_json::to_string(&queries).map_err(|e| err(ErrorKind::Internal, e.to_string()))
}

fn load_config(project: &Project, config: ConfigInput) -> Result<Config, Error> {
    let config_err = |e: config_file::ConfigError| err(ErrorKind::Config, e.to_string());
    let (config, _warnings) = match config {
        ConfigInput::Discover => config_file::load_config(project, None).map_err(config_err)?,
        ConfigInput::Toml(text) => (
            config_file::parse_toml(&text, "config").map_err(config_err)?,
            Vec::new(),
        ),
        #[cfg(feature = "native")]
        ConfigInput::File(path) => {
            let shown = path.display().to_string();
            let bytes = std::fs::read(&path).map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    err(
                        ErrorKind::Io,
                        format!("configuration file `{shown}` not found"),
                    )
                } else {
                    err(ErrorKind::Io, format!("cannot read `{shown}`: {e}"))
                }
            })?;
            let text = String::from_utf8(bytes)
                .map_err(|_| err(ErrorKind::Config, format!("{shown}: not valid UTF-8 text")))?;
            config_file::parse_any(&text, &shown).map_err(config_err)?
        }
        ConfigInput::Table(value) => {
            // The table goes through the same parser and validation as prisma-audit.toml.
            let text = toml::to_string(&value).map_err(|e| {
                err(
                    ErrorKind::Config,
                    format!("config: cannot be written as prisma-audit.toml: {e}"),
                )
            })?;
            (
                config_file::parse_toml(&text, "config").map_err(config_err)?,
                Vec::new(),
            )
        }
    };
    Ok(config)
}

/// Render `audited` like the CLI's `--format` (no colour).
pub fn render_as(audited: &Audited, format: &str) -> Result<String, Error> {
    let format: Format = format
        .parse()
        .map_err(|e: String| err(ErrorKind::Input, e))?;
    Ok(render(
        &audited.report,
        Some(&audited.project),
        &metas(),
        format,
        &RenderOptions { color: false },
    ))
}

/// The rule list of `prisma-audit --list-rules --format json`, plus the documentation.
pub fn rules_json() -> serde_json::Value {
    serde_json::Value::Array(
        metas()
            .iter()
            .map(|m| {
                serde_json::json!({
                    "id": m.id,
                    "category": m.category.as_str(),
                    "severity": m.default_severity.as_str(),
                    "fixable": m.fixable,
                    "enabled": m.default_enabled,
                    "summary": m.summary,
                    "docs": m.docs_markdown(),
                })
            })
            .collect(),
    )
}

#[cfg(feature = "native")]
/// Benchmark hook: time `iterations` audits of `path` done purely in Rust (load, configure,
/// audit; with `render_json`, also render the JSON report), returning seconds per audit.
pub fn bench_core(path: &str, iterations: usize, render_json: bool) -> Result<Vec<f64>, Error> {
    let mut times = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let start = std::time::Instant::now();
        let audited = run(
            Input::Path(PathBuf::from(path)),
            ConfigInput::Discover,
            None,
            None,
        )?;
        if render_json {
            std::hint::black_box(render_as(&audited, "json")?);
        }
        drop(std::hint::black_box(audited));
        times.push(start.elapsed().as_secs_f64());
    }
    Ok(times)
}
