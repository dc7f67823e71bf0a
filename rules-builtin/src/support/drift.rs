//! Shared by the drift rules: when a history is the way the project's databases are built, and
//! how a drift item becomes a finding that points at both sides.

use crate::support::migration::{mig_span, stmt_span};
use prisma_audit_core::env::package_json::PackageJson;
use prisma_audit_core::rule::{RawFinding, RuleContext};
use prisma_audit_core::span::Span;
use prisma_audit_core::sql::MigrationHistory;
use prisma_audit_core::sql::drift::{DriftItem, DriftKind, diff};

pub(crate) fn finding(h: &MigrationHistory, item: &DriftItem, help: &str) -> RawFinding {
    let sql = item.sql_at.and_then(|at| match item.sql_range {
        Some(r) => mig_span(h, at.migration, r),
        None => stmt_span(h, at),
    });
    let mut f = RawFinding::new(item.anchor.clone(), item.message.clone())
        .help(help)
        .severity(item.severity.into());
    match item.kind {
        DriftKind::Missing | DriftKind::Mismatch => {
            f.span = item.schema_span.or(sql);
            if let (Some(s), true) = (sql, item.schema_span.is_some()) {
                f = f.related(s, "the migrations define it here");
            }
        }
        DriftKind::SqlOnly | DriftKind::MigrationOnly => {
            f.span = sql.or(item.schema_span);
            if let (Some(s), true) = (item.schema_span, sql.is_some()) {
                f = f.related(s, "the schema side");
            }
        }
    }
    for s in &item.also {
        f = f.related(*s, "also without a migration");
    }
    for (at, range) in &item.also_sql {
        if let Some(s) = mig_span(h, at.migration, *range) {
            f = f.related(s, "also not in the schema");
        }
    }
    f
}

/// Provider names of one family (`postgres` is `postgresql`).
pub(crate) fn provider_family(p: &str) -> &str {
    match p {
        "postgres" => "postgresql",
        other => other,
    }
}

/// Whether the history is how this project builds its databases, so that comparing it with
/// the schema means something. It is not when `migration_lock.toml` names another provider
/// (Prisma refuses the folder, `migration-lock-provider` reports that), nor when the project's
/// scripts run `prisma db push` and never Prisma Migrate (the folder is left-over history).
pub(crate) fn history_builds_databases(ctx: &RuleContext<'_>, h: &MigrationHistory) -> bool {
    if let (Some(lock), Some(ds)) = (
        h.lock.as_ref().and_then(|l| l.provider.as_deref()),
        h.datasource_provider.as_deref(),
    ) && provider_family(lock) != provider_family(ds)
    {
        return false;
    }
    !pushes_without_migrate(ctx)
}

/// Scripts a build or deploy runs (`build`, `deploy`, `start`, `postinstall`, ...): a
/// `prisma db push` there is how the databases get their schema, not a local shortcut.
fn deploy_script(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "build",
        "deploy",
        "start",
        "postinstall",
        "release",
        "heroku-postbuild",
    ]
    .iter()
    .any(|k| {
        name == *k
            || name.starts_with(&format!("{k}:"))
            || name.ends_with(&format!(":{k}"))
            || name == format!("vercel-{k}")
            || name == format!("pre{k}")
    })
}

/// The project's build or deploy scripts push the schema (`prisma db push`) and no script
/// runs Prisma Migrate or a migration script of its own. A `db:push` script for local
/// prototyping does not count: deploys may still run `migrate deploy` from elsewhere.
fn pushes_without_migrate(ctx: &RuleContext<'_>) -> bool {
    let mut push = false;
    let mut migrate = false;
    for (_, file) in ctx.project.files() {
        let path = file.path();
        if !(path == "package.json" || path.ends_with("/package.json")) {
            continue;
        }
        let Some(pkg) = file.text().and_then(PackageJson::parse) else {
            continue;
        };
        for (name, command) in &pkg.scripts {
            let words: Vec<&str> = command.split_whitespace().collect();
            let runs = |a: &str, b: &str| words.windows(2).any(|w| w[0] == a && w[1] == b);
            push |= deploy_script(name) && runs("db", "push");
            migrate |= runs("migrate", "deploy")
                || runs("migrate", "dev")
                || runs("migrate", "reset")
                || runs("migrate", "resolve")
                || (name.contains("migrat") && !runs("db", "push"));
        }
    }
    push && !migrate
}

/// Models documented as views with a `@view` comment in the comment lines above them (blank
/// lines allowed): the convention of scripts that keep views out of Prisma Migrate.
fn documented_views(ctx: &RuleContext<'_>) -> Vec<Span> {
    ctx.schema
        .models()
        .filter(|m| {
            let text = ctx.text(m.span.file);
            let start = usize::from(m.span.range.start()).min(text.len());
            text[..start]
                .lines()
                .rev()
                .take_while(|l| {
                    let t = l.trim();
                    t.is_empty() || t.starts_with("//")
                })
                .any(|l| l.contains("@view"))
        })
        .map(|m| m.span)
        .collect()
}

/// The drift items of the project, without those about models documented as views.
pub(crate) fn drift_items(ctx: &RuleContext<'_>, h: &MigrationHistory) -> Vec<DriftItem> {
    let views = documented_views(ctx);
    diff(ctx.schema, h)
        .into_iter()
        .filter(|i| {
            !i.schema_span.is_some_and(|s| {
                views
                    .iter()
                    .any(|v| v.file == s.file && v.range.contains_range(s.range))
            })
        })
        .collect()
}
