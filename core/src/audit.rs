//! The engine: project → parse → model → rules → report.

use crate::baseline::Baseline;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::finding::{Edit, Finding, Fix, Position, Related, Severity};
use crate::fxhash::{FxHashMap, FxHashSet};
use crate::model::{self, Schema};
use crate::project::{Project, ProjectError, SchemaSource};
use crate::report::{ProjectInfo, Report, SCHEMA_VERSION, Summary, ToolInfo};
use crate::rule::{RawFinding, Rule, RuleContext, SchemaFile, SharedFacts, registry};
use crate::span::Span;
use crate::suppress::Suppressions;
use crate::syntax;
use rowan::{TextRange, TextSize};

/// What to audit and how.
#[derive(Debug, Clone, Default)]
pub struct AuditOptions {
    /// Schema file or folder relative to the project root (overrides discovery, like Prisma's
    /// `--schema`).
    pub schema: Option<String>,
    /// Rule configuration.
    pub config: Config,
    /// Known findings to hide.
    pub baseline: Option<Baseline>,
    /// What the caller knows about pending migrations (git, a live database), used when the
    /// configuration's migration scope is `pending`; without it the newest migration is taken
    /// as pending.
    pub pending_migrations: Option<crate::sql::PendingMigrations>,
    /// A read-only snapshot of the live database, for the live checks (they are silent
    /// without one). Its `_prisma_migrations` also says which migrations are pending when
    /// `pending_migrations` does not.
    pub live: Option<crate::live::LiveSnapshot>,
}

/// Why an audit could not run at all (everything else is a finding).
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// The project has no usable schema.
    #[error(transparent)]
    Project(#[from] ProjectError),
    /// A rule option or configuration value is invalid.
    #[error("invalid configuration: {0}")]
    Config(String),
}

/// The schema of a project, parsed and resolved.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Where the schema came from.
    pub source: SchemaSource,
    /// Parsed files (text files only).
    pub schema_files: Vec<SchemaFile>,
    /// Resolved model.
    pub schema: Schema,
    /// Syntax, encoding and semantic diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// Locate, parse and resolve the schema of `project`.
pub fn analyze(project: &Project, explicit_schema: Option<&str>) -> Result<Analysis, ProjectError> {
    let config_schema = prisma_config_schema(project);
    let source = project.discover_schema(explicit_schema, config_schema.as_deref())?;
    let mut diagnostics = Vec::new();
    let mut schema_files = Vec::new();
    for &id in &source.files {
        let Some(file) = project.file(id) else {
            continue;
        };
        match file.text() {
            Some(text) => {
                let parse = syntax::parse(text);
                diagnostics.extend(
                    parse
                        .errors()
                        .iter()
                        .map(|e| Diagnostic::error(Span::new(id, e.range), e.message.clone())),
                );
                schema_files.push(SchemaFile { file: id, parse });
            }
            None => {
                let what = if std::str::from_utf8(file.bytes()).is_ok() {
                    "a binary file (it contains NUL bytes)"
                } else {
                    "not valid UTF-8 text"
                };
                diagnostics.push(Diagnostic::error(
                    Span::new(id, TextRange::empty(TextSize::from(0))),
                    format!(
                        "`{}` is {what}; Prisma schemas must be UTF-8 text",
                        file.path()
                    ),
                ));
            }
        }
    }
    let (schema, semantic) = model::resolve(&schema_files);
    diagnostics.extend(semantic);
    Ok(Analysis {
        source,
        schema_files,
        schema,
        diagnostics,
    })
}

/// The `schema` path of `prisma.config.ts` (or `.config/prisma.ts`), read statically with
/// [`crate::env::prisma_config`]. The path is relative to the config file's directory.
pub fn prisma_config_schema(project: &Project) -> Option<String> {
    crate::env::CONFIG_FILES.iter().find_map(|name| {
        let text = project.text_of(name)?;
        let schema = crate::env::prisma_config::parse(text).schema()?.to_string();
        // `.config/prisma.ts` resolves relative to `.config/`.
        match name.rsplit_once('/') {
            Some((dir, _)) => Some(format!("{dir}/{schema}")),
            None => Some(schema),
        }
    })
}

/// Audit `project`: run every enabled rule and build the report.
pub fn audit(project: &Project, options: &AuditOptions) -> Result<Report, AuditError> {
    let rules: Vec<Box<dyn Rule>> = registry()
        .into_iter()
        .filter(|r| options.config.is_enabled(r.meta()))
        .collect();
    for rule in &rules {
        let id = rule.meta().id;
        rule.validate_options(options.config.options(id))
            .map_err(|e| AuditError::Config(format!("rules.{id}: {e}")))?;
    }
    let analysis = analyze(project, options.schema.as_deref())?;
    let history = crate::sql::load_history(
        project,
        Some(&analysis.source.path),
        count_declarations(&analysis.schema_files)
            .provider
            .as_deref(),
    );
    let sql_files: Vec<_> = project
        .files()
        .filter(|(_, f)| f.path().ends_with(".sql"))
        .map(|(id, _)| id)
        .collect();
    let suppressions = std::cell::RefCell::new(Suppressions::collect(
        project,
        &analysis.schema_files,
        &sql_files,
    ));
    // The database's own record of what ran: every local migration it has not finished.
    let live_pending = options
        .live
        .as_ref()
        .and_then(|l| l.migrations.as_ref())
        .zip(history.as_ref())
        .map(|(applied, h)| crate::sql::PendingMigrations {
            source: "the live database's _prisma_migrations".into(),
            folders: h
                .migrations
                .iter()
                .map(|m| m.name.clone())
                .filter(|name| {
                    !applied
                        .iter()
                        .any(|a| &a.migration_name == name && a.finished_at.is_some())
                })
                .collect(),
        });
    let scope = history.as_ref().map(|h| {
        crate::sql::scope::resolve(
            h,
            &options.config.migrations,
            options
                .pending_migrations
                .as_ref()
                .or(live_pending.as_ref()),
        )
    });
    // Findings of safety rules in migrations outside the scope, per rule.
    let mut not_judged: Vec<(&'static str, usize)> = Vec::new();

    // Models whose findings are left out (configured, or a library's tables): their spans.
    let excluded: Vec<(Span, String)> = analysis
        .schema
        .models
        .iter()
        .filter_map(|m| {
            let reason = options.config.model_exclusion(m)?;
            Some((m.span, format!("{} ({reason})", m.name)))
        })
        .collect();
    let in_excluded = |span: Option<Span>| {
        span.is_some_and(|s| {
            excluded
                .iter()
                .any(|(m, _)| m.file == s.file && m.range.contains_range(s.range))
        })
    };

    let mut findings = Vec::new();
    let mut strengths = Vec::new();
    let mut suppressed = 0;
    let mut ignored_models = 0;
    let mut below_min_confidence = 0;
    let shared = SharedFacts::new();
    for rule in &rules {
        let meta = rule.meta();
        let ctx = RuleContext {
            project,
            schema_files: &analysis.schema_files,
            schema: &analysis.schema,
            diagnostics: &analysis.diagnostics,
            options: options.config.options(meta.id),
            migrations: history.as_ref(),
            shared: &shared,
            suppressions: Some(&suppressions),
            code: &options.config.code,
            live: options.live.as_ref(),
        };
        let mut raw = Vec::new();
        rule.check(&ctx, &mut raw);
        if rule.judges_pending_migrations_only()
            && let Some(scope) = &scope
        {
            let before = raw.len();
            raw.retain(|r| !r.span.is_some_and(|s| scope.excludes(s.file)));
            if raw.len() < before {
                not_judged.push((meta.id, before - raw.len()));
            }
        }
        let override_severity = options.config.severity_override(meta);
        for r in raw {
            if suppressions.borrow_mut().take(meta.id, r.span) {
                suppressed += 1;
                continue;
            }
            if in_excluded(r.span) {
                ignored_models += 1;
                continue;
            }
            if let Some(min) = options.config.min_confidence
                && !r.confidence.at_least(min)
            {
                below_min_confidence += 1;
                continue;
            }
            let severity = override_severity
                .or(r.severity)
                .unwrap_or(meta.default_severity);
            findings.push(resolve_finding(
                project,
                meta.id,
                severity,
                meta.category,
                r,
            ));
        }
        strengths.extend(rule.strengths(&ctx));
    }
    let no_options = serde_json::Map::new();
    let ctx = RuleContext {
        project,
        schema_files: &analysis.schema_files,
        schema: &analysis.schema,
        diagnostics: &analysis.diagnostics,
        options: &no_options,
        migrations: history.as_ref(),
        shared: &shared,
        suppressions: None,
        code: &options.config.code,
        live: options.live.as_ref(),
    };
    for source in inventory::iter::<crate::rule::StrengthSource> {
        strengths.extend((source.0)(&ctx));
    }
    let ran: FxHashSet<&str> = rules.iter().map(|r| r.meta().id).collect();
    // Sorted by id.
    let known: Vec<&'static str> = crate::rule::rule_metas().iter().map(|m| m.id).collect();
    // One suggestion per unknown id (a schema may repeat the same misspelt id many times).
    let mut suggestions: FxHashMap<String, String> = Default::default();
    let unused_suppressions = suppressions.borrow().unused();
    for (span, rule) in unused_suppressions {
        let unused = crate::engine_findings::UNUSED_SUPPRESSION;
        if !options.config.is_enabled(&unused) {
            continue;
        }
        // Messages and anchors built with `concat` (one exact allocation): a big schema may
        // carry thousands of stale suppressions.
        let message = if rule == "all" || ran.contains(rule.as_str()) {
            ["suppression of `", &rule, "` silences nothing"].concat()
        } else if known.binary_search(&rule.as_str()).is_ok() {
            // The rule did not run (disabled or not selected): it cannot be judged stale.
            continue;
        } else {
            if !suggestions.contains_key(&rule) {
                let hint = crate::config_file::did_you_mean(&rule, known.iter().copied());
                suggestions.insert(rule.clone(), hint);
            }
            let hint = suggestions.get(&rule).map_or("", String::as_str);
            ["suppression names unknown rule `", &rule, "`", hint].concat()
        };
        // Anchor on the comment's text, not its line number, so edits above keep it stable.
        let text = project.file(span.file).and_then(|f| f.text()).unwrap_or("");
        let start = usize::from(span.range.start()).min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let anchor = [rule.as_str(), "|", text[line_start..line_end].trim()].concat();
        let raw = RawFinding::new(anchor, message).at(span).help(
            "Remove the comment, or fix its rule id; stale suppressions hide future problems.",
        );
        findings.push(engine_finding(project, &options.config, &unused, raw));
    }

    let outside_migration_scope: usize = not_judged.iter().map(|(_, n)| n).sum();
    if let Some(scope) = &scope
        && outside_migration_scope > 0
    {
        let meta = crate::engine_findings::MIGRATIONS_NOT_JUDGED;
        if options.config.is_enabled(&meta) {
            let raw = crate::engine_findings::not_judged_finding(
                &scope.info,
                &not_judged,
                history.as_ref(),
            );
            findings.push(engine_finding(project, &options.config, &meta, raw));
        }
    }

    sort_findings(&mut findings);
    assign_fingerprints(&mut findings);
    let mut baselined = 0;
    if let Some(baseline) = &options.baseline {
        findings.retain(|f| {
            let known = baseline.contains(&f.fingerprint);
            baselined += usize::from(known);
            !known
        });
    }
    let mut summary = Summary::of(&findings);
    summary.suppressed = suppressed;
    summary.baselined = baselined;
    summary.ignored_models = ignored_models;
    summary.outside_migration_scope = outside_migration_scope;
    summary.below_min_confidence = below_min_confidence;
    strengths.sort();
    strengths.dedup();
    // The engine's own findings count as rules (they are configured and listed like rules).
    let rules_run = rules.len()
        + crate::engine_findings::ENGINE_FINDINGS
            .iter()
            .filter(|m| options.config.is_enabled(m))
            .count();
    Ok(Report {
        schema_version: SCHEMA_VERSION.into(),
        tool: ToolInfo::default(),
        project: ProjectInfo {
            excluded_models: excluded.into_iter().map(|(_, m)| m).collect(),
            migration_scope: scope.map(|s| s.info),
            ..project_info(project, &analysis, history.as_ref(), rules_run)
        },
        summary,
        findings,
        strengths,
    })
}

fn project_info(
    project: &Project,
    analysis: &Analysis,
    history: Option<&crate::sql::MigrationHistory>,
    rules_run: usize,
) -> ProjectInfo {
    let prisma_version = project
        .text_of("package.json")
        .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
        .and_then(|json| {
            ["devDependencies", "dependencies"]
                .iter()
                .find_map(|k| json.get(k)?.get("prisma")?.as_str().map(str::to_owned))
        });
    let counts = count_declarations(&analysis.schema_files);
    let migrations = history.map_or(0, |h| h.sql_migrations().count());
    ProjectInfo {
        root: project.root().to_string(),
        provider: counts.provider,
        prisma_version,
        schema_files: analysis
            .schema_files
            .iter()
            .filter_map(|f| project.file(f.file))
            .map(|f| f.path().to_string())
            .collect(),
        migrations,
        models: counts.models,
        enums: counts.enums,
        views: counts.views,
        rules_run,
        excluded_models: Vec::new(),
        migration_scope: None,
    }
}

/// Declaration counts and provider read from the syntax trees (valid even when resolution fails).
#[derive(Default)]
struct DeclCounts {
    provider: Option<String>,
    models: usize,
    views: usize,
    enums: usize,
}

fn count_declarations(files: &[SchemaFile]) -> DeclCounts {
    use crate::syntax::ast::Item;
    let mut c = DeclCounts::default();
    for item in files.iter().flat_map(|f| f.parse.tree().items()) {
        match item {
            Item::Model(m) if m.is_view() => c.views += 1,
            Item::Model(_) => c.models += 1,
            Item::Enum(_) => c.enums += 1,
            Item::Datasource(d) if c.provider.is_none() => {
                c.provider = d
                    .entries()
                    .find(|e| e.key().is_some_and(|k| k.text() == "provider"))
                    .and_then(|e| e.value()?.as_string());
            }
            _ => {}
        }
    }
    c
}

/// A finding the engine reports itself, at the configured severity of its rule.
fn engine_finding(
    project: &Project,
    config: &Config,
    meta: &crate::rule::RuleMeta,
    raw: RawFinding,
) -> Finding {
    let severity = config
        .severity_override(meta)
        .unwrap_or(meta.default_severity);
    resolve_finding(project, meta.id, severity, meta.category, raw)
}

fn resolve_finding(
    project: &Project,
    rule: &str,
    severity: crate::finding::Severity,
    category: crate::finding::Category,
    raw: RawFinding,
) -> Finding {
    let location = raw.span.and_then(|s| project.location(s));
    // Provisional: file and anchor; made unique and hashed in `assign_fingerprints`. Built with
    // `concat` (one exact allocation): this runs for every finding.
    let file = location.as_ref().map_or("", |l| l.file.as_str());
    let fingerprint = [rule, "\0", file, "\0", &raw.anchor].concat();
    let related = raw
        .related
        .into_iter()
        .filter_map(|(span, message)| {
            Some(Related {
                message,
                location: project.location(span)?,
            })
        })
        .collect();
    let fix = raw.fix.map(|fix| Fix {
        title: fix.title,
        safety: fix.safety,
        edits: fix
            .edits
            .into_iter()
            .filter_map(|e| {
                let path = project.file(e.span.file)?.path().to_string();
                Some(Edit {
                    file: path,
                    start: project.position(e.span.file, e.span.range.start()),
                    end: project.position(e.span.file, e.span.range.end()),
                    start_offset: e.span.range.start().into(),
                    end_offset: e.span.range.end().into(),
                    replacement: e.replacement,
                })
            })
            .collect(),
        sql: fix.sql,
    });
    Finding {
        rule: rule.to_string(),
        severity,
        category,
        confidence: raw.confidence,
        message: raw.message,
        help: raw.help,
        location,
        related,
        fix,
        fingerprint,
    }
}

/// Deterministic order: severity, file, position, rule, message.
fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        // Borrowed key: no clone of the file path per comparison.
        fn key(f: &Finding) -> (Severity, Option<(&str, Position, Position)>) {
            (
                f.severity,
                f.location
                    .as_ref()
                    .map(|l| (l.file.as_str(), l.start, l.end)),
            )
        }
        key(a)
            .cmp(&key(b))
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.message.cmp(&b.message))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
}

/// Hash `rule \0 file \0 anchor` (plus an occurrence number when several findings share an
/// anchor) with 64-bit FNV-1a: stable across runs, platforms and unrelated edits.
fn assign_fingerprints(findings: &mut [Finding]) {
    // Occurrence counts keyed by the provisional fingerprint (borrowed; only the count per key
    // matters, so the map's order does not).
    let mut seen = FxHashMap::<&str, usize>::default();
    seen.reserve(findings.len());
    let hashes: Vec<u64> = findings
        .iter()
        .map(|f| {
            let n = seen.entry(f.fingerprint.as_str()).or_default();
            let hash = if *n == 0 {
                fnv1a(f.fingerprint.as_bytes())
            } else {
                fnv1a_continue(
                    fnv1a_continue(fnv1a(f.fingerprint.as_bytes()), b"\0"),
                    n.to_string().as_bytes(),
                )
            };
            *n += 1;
            hash
        })
        .collect();
    for (f, hash) in findings.iter_mut().zip(hashes) {
        f.fingerprint.clear();
        push_hex(&mut f.fingerprint, hash);
    }
}

/// Append `hash` as 16 lowercase hex digits (`{:016x}` without the formatting machinery).
fn push_hex(out: &mut String, hash: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for shift in (0..16).rev() {
        out.push(char::from(DIGITS[(hash >> (shift * 4)) as usize & 0xf]));
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_continue(0xcbf2_9ce4_8422_2325, bytes)
}

/// FNV-1a over `bytes` starting from `hash` (so `fnv1a(a ++ b) == fnv1a_continue(fnv1a(a), b)`).
fn fnv1a_continue(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_is_the_reference_function() {
        // Reference values of 64-bit FNV-1a.
        assert_eq!(fnv1a(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a_continue(fnv1a(b"ab"), b"\0c"), fnv1a(b"ab\0c"));
    }

    #[test]
    fn hex_is_zero_padded_lowercase() {
        for hash in [0, 1, 0xaf63dc4c8601ec8c, u64::MAX, 0x0123_4567_89ab_cdef] {
            let mut s = String::new();
            push_hex(&mut s, hash);
            assert_eq!(s, format!("{hash:016x}"));
        }
    }

    #[test]
    fn reads_schema_path_from_prisma_config() {
        let p = Project::from_files(
            "p",
            [(
                "prisma.config.ts",
                "import { defineConfig } from 'prisma/config'\nexport default defineConfig({\n  schema: 'db/schema.prisma',\n})\n",
            )],
        );
        assert_eq!(
            prisma_config_schema(&p).as_deref(),
            Some("db/schema.prisma")
        );
    }
}
