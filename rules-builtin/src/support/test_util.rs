//! Run one rule through the real engine on in-memory files, and apply its fixes.
#![allow(dead_code)] // helpers are shared by many rules; not every test uses each

use prisma_audit_core::config::Config;
use prisma_audit_core::finding::Finding;
use prisma_audit_core::fix::apply_fixes;
use prisma_audit_core::render::{Format, RenderOptions, render};
use prisma_audit_core::rule::registry;
use prisma_audit_core::{AuditOptions, Project, Report, audit};

fn project(files: &[(&str, &str)]) -> Project {
    Project::from_files(
        "test",
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())),
    )
}

fn run(id: &str, project: &Project, options: Option<serde_json::Value>) -> Vec<Finding> {
    let mut config = Config {
        select: Some(vec![id.to_string()]),
        ..Config::default()
    };
    if let Some(options) = options {
        let options = options.as_object().cloned().expect("options are an object");
        let rule = prisma_audit_core::rule::registry()
            .into_iter()
            .find(|r| r.meta().id == id)
            .unwrap_or_else(|| panic!("no rule {id}"));
        if let Err(e) = rule.validate_options(&options) {
            panic!("bad test options for {id}: {e}");
        }
        config.rules.insert(
            id.to_string(),
            prisma_audit_core::config::RuleConfig {
                options,
                ..Default::default()
            },
        );
    }
    match audit(
        project,
        &AuditOptions {
            config,
            ..AuditOptions::default()
        },
    ) {
        Ok(report) => report.findings,
        Err(e) => panic!("audit failed: {e}"),
    }
}

/// Findings of rule `id` on `files` (path, text), the rule enabled even when it is off by
/// default.
pub fn findings(id: &str, files: &[(&str, &str)]) -> Vec<Finding> {
    run(id, &project(files), None)
}

/// Findings of rule `id` with rule options (a JSON object, e.g. `json!({"tenantKeys": ["orgId"]})`).
pub fn findings_with(id: &str, files: &[(&str, &str)], options: serde_json::Value) -> Vec<Finding> {
    run(id, &project(files), Some(options))
}

/// Findings of rule `id` on a single `schema.prisma`.
pub fn schema_findings(id: &str, schema: &str) -> Vec<Finding> {
    findings(id, &[("schema.prisma", schema)])
}

/// Apply every fix of rule `id` (unsafe ones too when `include_unsafe`) to `schema.prisma`
/// and return the new text. Asserts the fixes are idempotent: the rule reports no fixable
/// finding on the result, and fixing again changes nothing.
pub fn fixed(id: &str, schema: &str, include_unsafe: bool) -> String {
    let p = project(&[("schema.prisma", schema)]);
    let found = run(id, &p, None);
    let out = apply_fixes(&p, &found, include_unsafe).expect("fixes apply");
    let new = out
        .files
        .get("schema.prisma")
        .cloned()
        .unwrap_or_else(|| schema.to_string());
    let p2 = project(&[("schema.prisma", &new)]);
    let again = run(id, &p2, None);
    let out2 = apply_fixes(&p2, &again, include_unsafe).expect("fixes apply");
    assert!(
        out2.files.is_empty(),
        "fixes of {id} are not idempotent; after one pass:\n{new}\nstill fixable: {again:#?}"
    );
    new
}

/// Apply every fix of rule `id` (unsafe ones too) to the project of `files` and return the
/// new text of `path`; asserts that no finding of the rule remains fixable afterwards.
pub fn fixed_file(id: &str, files: &[(&str, &str)], path: &str) -> String {
    let p = project(files);
    let found = run(id, &p, None);
    let out = apply_fixes(&p, &found, true).expect("fixes apply");
    let new = out.files.get(path).cloned().unwrap_or_else(|| {
        files
            .iter()
            .find(|(p, _)| *p == path)
            .map_or(String::new(), |(_, t)| t.to_string())
    });
    let after: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (*p, if *p == path { new.as_str() } else { *t }))
        .collect();
    let again = run(id, &project(&after), None);
    assert!(
        again.iter().all(|f| f.fix.is_none()),
        "fixes of {id} are not idempotent; after one pass:\n{new}\nstill fixable: {again:#?}"
    );
    new
}

/// One case of a pass/fail table: the project's files and the rule's options.
#[derive(Debug, Clone)]
pub struct Case {
    files: Vec<(String, String)>,
    options: Option<serde_json::Value>,
    live: Option<prisma_audit_core::live::LiveSnapshot>,
}

impl Case {
    /// A project of the given files (path, text).
    pub fn files(files: &[(&str, &str)]) -> Self {
        Self {
            files: files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
            options: None,
            live: None,
        }
    }

    /// A project holding only `schema.prisma`.
    pub fn schema(text: &str) -> Self {
        Self::files(&[("schema.prisma", text)])
    }

    /// A project of `provider` with a schema holding only its datasource, the lock file, and
    /// the given migrations (folder name, SQL) under `prisma/migrations`.
    pub fn migrations(provider: &str, migrations: &[(&str, &str)]) -> Self {
        let schema = format!("datasource db {{\n  provider = \"{provider}\"\n}}\n");
        let lock = format!("provider = \"{provider}\"\n");
        let mut case = Self::files(&[
            ("prisma/schema.prisma", &schema),
            ("prisma/migrations/migration_lock.toml", &lock),
        ]);
        for (name, sql) in migrations {
            case.files.push((
                format!("prisma/migrations/{name}/migration.sql"),
                sql.to_string(),
            ));
        }
        case
    }

    /// A PostgreSQL project with the given migrations (see [`Case::migrations`]).
    pub fn pg(migrations: &[(&str, &str)]) -> Self {
        Self::migrations("postgresql", migrations)
    }

    /// Add a file (or replace the file at the same path).
    pub fn with_file(mut self, path: &str, text: &str) -> Self {
        self.files.retain(|(p, _)| p != path);
        self.files.push((path.to_string(), text.to_string()));
        self
    }

    /// Audit with this snapshot of the live database.
    pub fn live(mut self, live: prisma_audit_core::live::LiveSnapshot) -> Self {
        self.live = Some(live);
        self
    }

    /// Run the rule with these options (a JSON object).
    pub fn options(mut self, options: serde_json::Value) -> Self {
        self.options = Some(options);
        self
    }

    fn project(&self) -> Project {
        Project::from_files(
            "test",
            self.files
                .iter()
                .map(|(p, t)| (p.clone(), t.as_bytes().to_vec())),
        )
    }

    /// The files, for a failure message.
    fn describe(&self) -> String {
        let mut out = String::new();
        if let Some(options) = &self.options {
            out.push_str(&format!("options: {options}\n"));
        }
        for (path, text) in &self.files {
            out.push_str(&format!("── {path}\n{text}\n"));
        }
        out
    }
}

impl From<&str> for Case {
    fn from(schema: &str) -> Self {
        Self::schema(schema)
    }
}

impl From<&String> for Case {
    fn from(schema: &String) -> Self {
        Self::schema(schema)
    }
}

/// The report of rule `id` alone on `case`, the rule enabled even when it is off by default
/// and every migration judged (`--migrations all`): a table is about what a rule finds, not
/// about which migrations are pending.
fn case_report(id: &str, case: &Case) -> (Project, Report) {
    let project = case.project();
    let mut config = Config {
        select: Some(vec![id.to_string()]),
        migrations: prisma_audit_core::sql::MigrationScope::All,
        ..Config::default()
    };
    if let Some(options) = &case.options {
        let options = options.as_object().cloned().expect("options are an object");
        config.rules.insert(
            id.to_string(),
            prisma_audit_core::config::RuleConfig {
                options,
                ..Default::default()
            },
        );
    }
    let report = audit(
        &project,
        &AuditOptions {
            config,
            live: case.live.clone(),
            ..AuditOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("audit failed: {e}\n{}", case.describe()));
    (project, report)
}

/// A rule's pass/fail table over whole projects ([`Case`]s: schema, env files, migrations,
/// options). Every `pass` case yields no finding of rule `id`; every `fail` case yields at
/// least one. Returns the fail cases' diagnostics as the text report renders them for a user
/// (code frames, related locations, help, fixes), for an insta snapshot.
pub fn table(id: &str, pass: &[Case], fail: &[Case]) -> String {
    for (i, case) in pass.iter().enumerate() {
        let (_, report) = case_report(id, case);
        let found: Vec<_> = report.findings.iter().filter(|f| f.rule == id).collect();
        assert!(
            found.is_empty(),
            "pass case {} of {id} has findings:\n{}\n{found:#?}",
            i + 1,
            case.describe()
        );
    }
    let rules: Vec<_> = registry().into_iter().map(|r| r.meta()).collect();
    let mut out = String::new();
    for (i, case) in fail.iter().enumerate() {
        let (project, report) = case_report(id, case);
        assert!(
            report.findings.iter().any(|f| f.rule == id),
            "fail case {} of {id} has no finding:\n{}",
            i + 1,
            case.describe()
        );
        let text = render(
            &report,
            Some(&project),
            &rules,
            Format::Text,
            &RenderOptions { color: false },
        );
        // The findings only: the summary lines after them are the same for every rule.
        let findings = text.split("\nSummary").next().unwrap_or(&text);
        out.push_str(&format!(
            "── fail case {} ──\n{}\n",
            i + 1,
            findings.trim_end()
        ));
    }
    out
}

/// [`table`] over single schemas (each a whole `schema.prisma`):
/// `insta::assert_snapshot!(cases(ID, &[PASS], &[FAIL]))`.
pub fn cases(id: &str, pass: &[&str], fail: &[&str]) -> String {
    let pass: Vec<Case> = pass.iter().map(|s| Case::schema(s)).collect();
    let fail: Vec<Case> = fail.iter().map(|s| Case::schema(s)).collect();
    table(id, &pass, &fail)
}

/// The strengths rule `id` adds to the report of `schema` (the engine's own strengths, recorded
/// whichever rules run, left out).
pub fn rule_strengths(id: &str, schema: &str) -> Vec<String> {
    let project = Case::schema(schema).project();
    let strengths = |select: Vec<String>| {
        let config = Config {
            select: Some(select),
            ..Config::default()
        };
        audit(
            &project,
            &AuditOptions {
                config,
                ..AuditOptions::default()
            },
        )
        .unwrap_or_else(|e| panic!("audit failed: {e}"))
        .strengths
    };
    let engine = strengths(Vec::new());
    strengths(vec![id.to_string()])
        .into_iter()
        .filter(|s| !engine.contains(s))
        .collect()
}

/// A live-database snapshot holding these `_prisma_migrations` rows (and no indexes).
pub fn live(
    rows: Vec<prisma_audit_core::live::AppliedMigration>,
) -> prisma_audit_core::live::LiveSnapshot {
    prisma_audit_core::live::LiveSnapshot {
        server_version: "15.8".into(),
        database: "app".into(),
        migrations: Some(rows),
        indexes: Vec::new(),
        stats_age_seconds: Some(30 * 86_400),
        ..Default::default()
    }
}

/// A `_prisma_migrations` row of a migration that ran `sql` and finished.
pub fn applied(name: &str, sql: &str) -> prisma_audit_core::live::AppliedMigration {
    prisma_audit_core::live::AppliedMigration {
        migration_name: name.into(),
        checksum: prisma_audit_core::live::checksum(sql.as_bytes()),
        started_at: "2025-01-01 10:00:00+00".into(),
        finished_at: Some("2025-01-01 10:00:01+00".into()),
        rolled_back_at: None,
        logs: None,
        applied_steps_count: 1,
    }
}

/// A `_prisma_migrations` row of a migration that failed.
pub fn failed(name: &str, sql: &str) -> prisma_audit_core::live::AppliedMigration {
    prisma_audit_core::live::AppliedMigration {
        finished_at: None,
        applied_steps_count: 0,
        logs: Some(
            "Database error code: 42P07\n\nDatabase error:\nERROR: relation \"b\" already exists\n"
                .into(),
        ),
        ..applied(name, sql)
    }
}
