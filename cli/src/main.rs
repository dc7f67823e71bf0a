//! `prisma-audit`: audit a Prisma ORM project for production readiness.
//!
//! Exit codes: 0 no finding at or above the fail-on threshold, 1 such a finding remains,
//! 2 usage, configuration or I/O error (one line on stderr: `prisma-audit: error: ...`).

#[allow(dead_code)] // `generate` and `index_page` are used by tests/docs.rs
mod docs;

use clap::{Parser, ValueEnum};
use prisma_audit_core::baseline::Baseline;
use prisma_audit_core::config::Config;
use prisma_audit_core::config_file;
use prisma_audit_core::finding::{Confidence, Severity};
use prisma_audit_core::fix::{FixOptions, fix_project_with, unified_diff};
use prisma_audit_core::fix_migration::{DEFAULT_NAME, MigrationRequest, timestamp_utc, valid_name};
use prisma_audit_core::git_pending;
use prisma_audit_core::load::{LoadLimits, load};
use prisma_audit_core::render::{Format, RenderOptions, render};
use prisma_audit_core::report::Report;
use prisma_audit_core::rule::{RuleMeta, rule_metas};
use prisma_audit_core::sql::MigrationScope;
use prisma_audit_core::{AuditOptions, audit};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: on large schemas it avoids glibc's heap trimming and
/// re-faulting (BENCHMARKS.md, "Parsing and model").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Audit a Prisma ORM project (schema, migrations, package.json, .env, TypeScript) for
/// production readiness.
///
/// Exit status: 0 when no finding at or above the fail-on threshold remains, 1 when one does,
/// 2 on usage, configuration or I/O errors.
#[derive(Debug, Parser)]
#[command(name = "prisma-audit", version, disable_help_subcommand = true)]
struct Cli {
    /// Project directory, or a .prisma schema file.
    #[arg(default_value = ".")]
    path: PathBuf,

    /// Schema file or folder, relative to PATH (overrides discovery, like Prisma's --schema).
    #[arg(long, value_name = "FILE_OR_DIR")]
    schema: Option<String>,

    /// Output format.
    #[arg(long, value_name = "FORMAT", default_value = "text",
          value_parser = ["text", "json", "markdown", "sarif", "github"])]
    format: String,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,

    /// Exit 1 when a finding at or above SEVERITY remains (critical, high, medium, low, info,
    /// or none to never fail). Default: `fail-on` of the configuration, else high.
    #[arg(long, value_name = "SEVERITY")]
    fail_on: Option<String>,

    /// Report only findings at least this sure: `certain` hides findings inferred from names
    /// or conventions (`heuristic`). Default: `min-confidence` of the configuration, else all.
    #[arg(long, value_name = "CONFIDENCE")]
    min_confidence: Option<String>,

    /// Leave out findings inside these models (comma-separated glob patterns matched against
    /// model and table names, e.g. `jackson_*,LegacyOrder`), added to `ignore-models`.
    #[arg(long, value_name = "GLOBS", value_delimiter = ',')]
    ignore_models: Vec<String>,

    /// Also audit tables that a well-known library owns (Auth.js and Better Auth adapter
    /// tables, Supabase's auth and storage schemas, SAML Jackson, ...), left out by default.
    #[arg(long)]
    audit_third_party_models: bool,

    /// Which migrations the safety rules (locks, data loss, enum changes) judge: `pending`
    /// (the ones that have not run yet: changed on this git branch or uncommitted, else the
    /// newest), `all`, or a number N (the newest N). History rules always see every migration.
    /// Default: `migrations` of the configuration, else pending.
    #[arg(long, value_name = "SCOPE")]
    migrations: Option<String>,

    /// With `--migrations pending`: the migration folders added or changed since this git ref
    /// (e.g. `origin/main`), plus uncommitted ones, are the pending ones.
    #[arg(long, value_name = "REF")]
    since: Option<String>,

    /// Run only these rules (comma-separated rule ids).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    select: Vec<String>,

    /// Never run these rules (comma-separated rule ids).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    ignore: Vec<String>,

    /// List every rule (id, category, severity, fixable, enabled by default, summary) and exit.
    #[arg(long)]
    list_rules: bool,

    /// Print the Prisma Client calls found in the project's TypeScript and JavaScript as JSON
    /// (query shapes: model, operation, filters, sorting, paging, selections, raw SQL; see
    /// schema/queries.schema.json) and exit.
    #[arg(long)]
    queries: bool,

    /// Print the documentation of RULE and exit.
    #[arg(long, value_name = "RULE")]
    explain: Option<String>,

    /// Configuration file (prisma-audit.toml or .prismalintrc.json); default: the one at the
    /// project root.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Hide findings recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,

    /// Record every current finding in FILE (a baseline) and exit 0.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,

    /// Apply safe fixes to the project's files, write the migration their database changes
    /// need (next to the project's migrations), then report what remains.
    #[arg(long)]
    fix: bool,

    /// Print the unified diff of every file the fixes would change, and write nothing (exit 1
    /// when there is something to change). Secrets are redacted in the diff.
    #[arg(long, conflicts_with = "fix")]
    diff: bool,

    /// With --fix or --diff, also apply unsafe fixes (they change behaviour or data: review the
    /// diff and the migration), and put the project's earlier schema drift in the migration.
    #[arg(long)]
    unsafe_fixes: bool,

    /// With --fix or --diff, the name of the migration folder written for the database changes
    /// (`<timestamp>_NAME`; lower-case letters, digits and underscores). Default:
    /// prisma_audit_fixes.
    #[arg(long, value_name = "NAME")]
    fix_migration: Option<String>,

    /// With --fix or --diff, change the schema only and write no migration.
    #[arg(long, conflicts_with = "fix_migration")]
    no_fix_migration: bool,

    /// Also check a live PostgreSQL database, read-only (applied and failed migrations, edited
    /// migrations, invalid and unused indexes). Credentials are redacted in every output.
    #[arg(
        long,
        value_name = "URL",
        env = "PRISMA_AUDIT_DATABASE_URL",
        hide_env_values = true
    )]
    database_url: Option<String>,

    /// Check the live database the project's own `DATABASE_URL` (the datasource `url`, read from
    /// its env files) points at, read-only. Never done without this flag.
    #[arg(long, conflicts_with = "database_url")]
    live: bool,

    /// Print nothing when the audit passes, only the summary line when it fails.
    #[arg(long, short = 'q')]
    quiet: bool,

    /// Colour the text output: auto (a terminal and NO_COLOR unset), always, never.
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// A one-line error; exit status 2.
struct CliError(String);

impl<E: std::fmt::Display> From<E> for CliError {
    fn from(e: E) -> Self {
        CliError(e.to_string())
    }
}

fn fail(msg: impl Into<String>) -> CliError {
    CliError(msg.into())
}

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "prisma-audit: error: internal error{at}: {} (this is a bug, please report it)",
            one_line(&msg)
        );
        std::process::exit(2);
    }));

    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            let text = e.render().to_string();
            // The first paragraph: the message and, when clap gives them, the possible values.
            let first: Vec<&str> = text
                .lines()
                .skip_while(|l| l.trim().is_empty())
                .take_while(|l| !l.trim().is_empty())
                .collect();
            let first = first.join(" ");
            let first = first.strip_prefix("error: ").unwrap_or(&first);
            eprintln!(
                "prisma-audit: error: {} (see --help)",
                one_line(first).trim_end_matches('.')
            );
            return ExitCode::from(2);
        }
    };
    // Keep the built-in rules linked and registered.
    std::hint::black_box(prisma_audit_rules::link());
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(CliError(msg)) => {
            eprintln!("prisma-audit: error: {}", one_line(&msg));
            ExitCode::from(2)
        }
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn metas() -> Vec<&'static RuleMeta> {
    rule_metas()
}

/// Write to stdout; a closed pipe (`| head`) is not an error.
fn print(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(fail(format!("cannot write to standard output: {e}"))),
    }
}

fn run(cli: &Cli) -> Result<u8, CliError> {
    let format: Format = cli.format.parse().map_err(fail)?;
    if cli.list_rules {
        print(&list_rules(format))?;
        return Ok(0);
    }
    if let Some(id) = &cli.explain {
        let all = metas();
        let meta = all.iter().find(|m| m.id == id.as_str()).ok_or_else(|| {
            fail(format!(
                "unknown rule `{id}`{}; see --list-rules",
                config_file::did_you_mean(id, all.iter().map(|m| m.id))
            ))
        })?;
        print(&docs::rule_page(meta))?;
        return Ok(0);
    }
    config_file::check_rule_ids(cli.select.iter().chain(&cli.ignore).map(String::as_str))
        .map_err(|e| fail(format!("--select/--ignore: {e}")))?;
    let cli_fail_on = match cli.fail_on.as_deref() {
        None => None,
        Some("none" | "never") => Some(None),
        Some(s) => Some(Some(
            s.parse::<Severity>()
                .map_err(|e| fail(format!("--fail-on: {e} or none")))?,
        )),
    };

    let loaded = load(&cli.path, &LoadLimits::default())?;
    if !cli.quiet {
        for note in &loaded.notes {
            eprintln!("prisma-audit: note: {note}");
        }
    }
    let project = loaded.project;

    let (mut config, warnings): (Config, Vec<String>) = match &cli.config {
        Some(path) => {
            let shown = path.display().to_string();
            let bytes = std::fs::read(path).map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    fail(format!("configuration file `{shown}` not found"))
                } else {
                    fail(format!("cannot read `{shown}`: {}", io_reason(&e)))
                }
            })?;
            let text = String::from_utf8(bytes)
                .map_err(|_| fail(format!("{shown}: not valid UTF-8 text")))?;
            config_file::parse_any(&text, &shown)?
        }
        None => config_file::load_config(&project, None)?,
    };
    if !cli.quiet {
        for w in &warnings {
            eprintln!("prisma-audit: warning: {w}");
        }
    }
    if !cli.select.is_empty() {
        config.select = Some(cli.select.clone());
    }
    config.ignore.extend(cli.ignore.iter().cloned());
    if let Some(c) = &cli.min_confidence {
        config.min_confidence = Some(
            c.parse::<Confidence>()
                .map_err(|e| fail(format!("--min-confidence: {e}")))?,
        );
    }
    config
        .ignore_models
        .extend(cli.ignore_models.iter().cloned());
    config.audit_third_party_models |= cli.audit_third_party_models;
    let fail_on = cli_fail_on.unwrap_or(Some(config.fail_on.unwrap_or(Severity::High)));

    let baseline = match &cli.baseline {
        None => None,
        Some(path) => {
            let shown = path.display();
            let text = std::fs::read_to_string(path)
                .map_err(|e| fail(format!("cannot read baseline `{shown}`: {}", io_reason(&e))))?;
            Some(Baseline::from_json(&text).map_err(|e| fail(format!("baseline `{shown}`: {e}")))?)
        }
    };
    let schema = match &cli.schema {
        // An absolute --schema must lie inside the project.
        Some(s) if std::path::Path::new(s).is_absolute() => {
            let abs = std::fs::canonicalize(s)
                .map_err(|_| fail(format!("schema path `{s}` does not exist")))?;
            let root = std::fs::canonicalize(&loaded.root).unwrap_or(loaded.root.clone());
            let rel = abs.strip_prefix(&root).map_err(|_| {
                fail(format!(
                    "schema path `{s}` is outside the project `{}`",
                    loaded.root.display()
                ))
            })?;
            Some(rel.to_string_lossy().replace('\\', "/"))
        }
        Some(s) => Some(s.clone()),
        None => loaded.schema,
    };

    if cli.queries {
        let analysis = prisma_audit_core::audit::analyze(&project, schema.as_deref())
            .map_err(|e| fail(e.to_string()))?;
        let queries =
            prisma_audit_core::application::queries(&project, &analysis.schema, &config.code);
        let mut json = serde_json::to_string_pretty(&queries)
            .map_err(|e| fail(format!("cannot write the queries: {e}")))?;
        json.push('\n');
        print(&json)?;
        return Ok(0);
    }
    if let Some(m) = &cli.migrations {
        config.migrations = m.parse().map_err(|e| fail(format!("--migrations: {e}")))?;
    }
    if cli.since.is_some() && config.migrations != MigrationScope::Pending {
        return Err(fail("--since only applies to `--migrations pending`"));
    }
    let pending_migrations = match config.migrations {
        MigrationScope::Pending => git_pending::for_project(
            &project,
            &loaded.root,
            schema.as_deref(),
            cli.since.as_deref(),
        )
        .map_err(fail)?,
        _ => None,
    };

    if let Some(path) = &cli.write_baseline {
        let options = AuditOptions {
            schema,
            config,
            baseline: None,
            pending_migrations,
            live: None,
        };
        let report = audit(&project, &options)?;
        let b = Baseline::from_report(&report);
        std::fs::write(path, b.to_json()).map_err(|e| {
            fail(format!(
                "cannot write baseline `{}`: {}",
                path.display(),
                io_reason(&e)
            ))
        })?;
        if !cli.quiet {
            eprintln!(
                "prisma-audit: wrote {} finding fingerprint(s) to {}",
                b.fingerprints.len(),
                path.display()
            );
        }
        return Ok(0);
    }

    let live = live_snapshot(cli, &project, schema.as_deref())?;
    let options = AuditOptions {
        schema,
        config,
        baseline,
        pending_migrations,
        live,
    };
    if cli.unsafe_fixes && !(cli.fix || cli.diff) {
        return Err(fail("--unsafe-fixes applies to --fix or --diff"));
    }
    if (cli.fix_migration.is_some() || cli.no_fix_migration) && !(cli.fix || cli.diff) {
        return Err(fail(
            "--fix-migration and --no-fix-migration apply to --fix or --diff",
        ));
    }
    let fix_options = || -> Result<FixOptions, CliError> {
        let migration = if cli.no_fix_migration {
            None
        } else {
            let name = cli
                .fix_migration
                .clone()
                .unwrap_or_else(|| DEFAULT_NAME.to_string());
            if !valid_name(&name) {
                return Err(fail(format!(
                    "--fix-migration `{name}`: use lower-case letters, digits and underscores"
                )));
            }
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            Some(MigrationRequest {
                name,
                timestamp: timestamp_utc(now),
            })
        };
        Ok(FixOptions {
            include_unsafe: cli.unsafe_fixes,
            migration,
        })
    };
    if cli.diff {
        let run = fix_project_with(&project, &options, &fix_options()?)?;
        print(&unified_diff(&project, &run.changed))?;
        for n in &run.notes {
            eprintln!("prisma-audit: {n}");
        }
        return Ok(u8::from(!run.changed.is_empty()));
    }
    let project = if cli.fix {
        let run = fix_project_with(&project, &options, &fix_options()?)?;
        // Every path is one of the project's files or a new migration folder inside it.
        if let Some(outside) = run.changed.keys().find(|p| {
            let p = std::path::Path::new(p);
            p.is_absolute()
                || p.components().any(|c| {
                    !matches!(
                        c,
                        std::path::Component::Normal(_) | std::path::Component::CurDir
                    )
                })
        }) {
            return Err(fail(format!(
                "refusing to write `{outside}`: it is outside the project"
            )));
        }
        for (path, text) in &run.changed {
            let target = loaded.root.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| {
                    fail(format!(
                        "cannot create `{}`: {}",
                        parent.display(),
                        io_reason(&e)
                    ))
                })?;
            }
            write_atomically(&target, text)?;
        }
        if !cli.quiet {
            eprint!("{}", unified_diff(&project, &run.changed));
            for n in &run.notes {
                eprintln!("prisma-audit: {n}");
            }
            let migrations = run
                .changed
                .keys()
                .filter(|p| p.ends_with("/migration.sql") && project.file_id(p).is_none())
                .count();
            eprintln!(
                "prisma-audit: applied {} fix(es) to {} file(s){}",
                run.applied,
                run.changed.len() - migrations,
                if migrations > 0 {
                    format!(
                        "; wrote {migrations} migration(s): review them, then run `prisma migrate deploy`"
                    )
                } else if run.changed.keys().any(|p| p.ends_with(".prisma")) {
                    "; run `prisma format` and `prisma migrate dev` to create the migration"
                        .to_string()
                } else {
                    String::new()
                }
            );
        }
        run.project
    } else {
        project
    };
    let report = audit(&project, &options)?;
    let failed = fail_on.is_some_and(|t| report.findings.iter().any(|f| f.severity.at_least(t)));
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            cli.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let rendered = || {
        render(
            &report,
            Some(&project),
            &metas(),
            format,
            &RenderOptions { color },
        )
    };

    match &cli.output {
        Some(path) => {
            std::fs::write(path, rendered()).map_err(|e| {
                fail(format!(
                    "cannot write `{}`: {}",
                    path.display(),
                    io_reason(&e)
                ))
            })?;
            if !cli.quiet || failed {
                eprintln!("{}", summary_line(&report));
            }
        }
        None if cli.quiet => {
            if failed {
                print(&format!("{}\n", summary_line(&report)))?;
            }
        }
        None => print(&rendered())?,
    }
    Ok(u8::from(failed))
}

/// Replace `path` with `text` without ever leaving a truncated file: write a sibling temporary
/// file, then rename it over the original (keeping its permissions).
/// The live database snapshot `--database-url` or `--live` asks for.
#[cfg(feature = "live")]
fn live_snapshot(
    cli: &Cli,
    project: &prisma_audit_core::Project,
    schema: Option<&str>,
) -> Result<Option<prisma_audit_core::live::LiveSnapshot>, CliError> {
    let url = match (&cli.database_url, cli.live) {
        (Some(url), _) => url.clone(),
        (None, true) => project_database_url(project, schema)?,
        (None, false) => return Ok(None),
    };
    prisma_audit_live::snapshot(&url, &prisma_audit_live::LiveOptions::default())
        .map(Some)
        .map_err(|e| fail(e.to_string()))
}

#[cfg(not(feature = "live"))]
fn live_snapshot(
    cli: &Cli,
    _project: &prisma_audit_core::Project,
    _schema: Option<&str>,
) -> Result<Option<prisma_audit_core::live::LiveSnapshot>, CliError> {
    if cli.database_url.is_some() || cli.live {
        return Err(fail(
            "this build has no live database checks (cargo feature `live`)",
        ));
    }
    Ok(None)
}

/// The value of the datasource `url` in the project's env files (the first file defining it).
#[cfg(feature = "live")]
fn project_database_url(
    project: &prisma_audit_core::Project,
    schema: Option<&str>,
) -> Result<String, CliError> {
    use prisma_audit_core::env::{ProjectEnv, UrlRole};
    let analysis = prisma_audit_core::audit::analyze(project, schema)
        .map_err(|e| fail(format!("--live: {e}")))?;
    let env = ProjectEnv::new(project, &analysis.schema_files);
    let decl = env
        .urls
        .iter()
        .find(|d| d.role == UrlRole::Url)
        .ok_or_else(|| fail("--live: the datasource declares no `url`; pass --database-url"))?;
    decl.values
        .iter()
        .find_map(|v| {
            let text = project.file(v.span.file)?.text()?;
            let r = v.span.range;
            let raw = text.get(usize::from(r.start())..usize::from(r.end()))?;
            v.url.as_ref().map(|_| raw.to_string())
        })
        .ok_or_else(|| {
            fail(format!(
                "--live: no env file of the project gives {} a value; pass --database-url",
                decl.env_var
                    .as_deref()
                    .map_or("the datasource `url`".to_string(), |v| format!("`{v}`"))
            ))
        })
}

fn write_atomically(path: &std::path::Path, text: &str) -> Result<(), CliError> {
    let shown = path.display();
    let tmp = path.with_extension("prisma-audit.tmp");
    let perms = std::fs::metadata(path).map(|m| m.permissions()).ok();
    std::fs::write(&tmp, text)
        .map_err(|e| fail(format!("cannot write `{shown}`: {}", io_reason(&e))))?;
    if let Some(perms) = perms {
        let _ = std::fs::set_permissions(&tmp, perms);
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(format!("cannot write `{shown}`: {}", io_reason(&e)))
    })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "no such file".into(),
        _ => {
            let s = e.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_string()
        }
    }
}

/// `prisma-audit: Not ready: 1 critical, 2 high, 0 medium, 0 low, 0 info`.
fn summary_line(report: &Report) -> String {
    let c = &report.summary.counts;
    let mut line = format!(
        "prisma-audit: {}: {} critical, {} high, {} medium, {} low, {} info",
        report.summary.verdict.title(),
        c.critical,
        c.high,
        c.medium,
        c.low,
        c.info
    );
    if report.summary.suppressed > 0 {
        line.push_str(&format!(" ({} suppressed)", report.summary.suppressed));
    }
    if report.summary.baselined > 0 {
        line.push_str(&format!(" ({} baselined)", report.summary.baselined));
    }
    line
}

fn list_rules(format: Format) -> String {
    let metas = metas();
    if format == Format::Json {
        let rows: Vec<serde_json::Value> = metas
            .iter()
            .map(|m| {
                serde_json::json!({
                    "id": m.id,
                    "category": m.category.as_str(),
                    "severity": m.default_severity.as_str(),
                    "fixable": m.fixable,
                    "enabled": m.default_enabled,
                    "summary": m.summary,
                })
            })
            .collect();
        return serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n";
    }
    let header = [
        "RULE", "CATEGORY", "SEVERITY", "FIXABLE", "DEFAULT", "SUMMARY",
    ];
    let rows: Vec<[String; 6]> = metas
        .iter()
        .map(|m| {
            [
                m.id.to_string(),
                m.category.as_str().to_string(),
                m.default_severity.as_str().to_string(),
                if m.fixable { "yes" } else { "no" }.to_string(),
                if m.default_enabled { "on" } else { "off" }.to_string(),
                m.summary.to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[&str]| {
        let mut l = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                l.push_str(cell);
            } else {
                l.push_str(&format!("{cell:<w$}  ", w = widths[i]));
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(&header);
    for row in &rows {
        line(&row.iter().map(String::as_str).collect::<Vec<_>>());
    }
    out.push_str(&format!(
        "\n{} rules; `prisma-audit --explain RULE` prints a rule's documentation.\n",
        rows.len()
    ));
    out
}
