//! The migration scope: safety rules judge only pending migrations (a caller's list, else the
//! newest one); history rules see every migration; a summary finding counts what was left out.

use prisma_audit_core::sql::{MigrationScope, PendingMigrations};
use prisma_audit_core::{AuditOptions, Project, audit};

const SCHEMA: &str = r#"
datasource db {
  provider = "postgresql"
}

model User {
  id    Int    @id @default(autoincrement())
  email String
  name  String

  @@index([email])
  @@index([name])
}
"#;

/// Three migrations; the second and third each drop a column of an existing table (data
/// loss: a `destructive-migration` finding each).
fn project() -> Project {
    Project::from_files("app", files())
}

fn files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("prisma/schema.prisma", SCHEMA),
        (
            "prisma/migrations/20240101000000_init/migration.sql",
            "CREATE TABLE \"User\" (\"id\" SERIAL NOT NULL, \"email\" TEXT NOT NULL, \
                 \"name\" TEXT NOT NULL, CONSTRAINT \"User_pkey\" PRIMARY KEY (\"id\"));\n",
        ),
        (
            "prisma/migrations/20240201000000_email_idx/migration.sql",
            "ALTER TABLE \"User\" DROP COLUMN \"email\";\n",
        ),
        (
            "prisma/migrations/20240301000000_name_idx/migration.sql",
            "ALTER TABLE \"User\" DROP COLUMN \"name\";\n",
        ),
        (
            "prisma/migrations/migration_lock.toml",
            "provider = \"postgresql\"\n",
        ),
    ]
}

fn run(
    scope: MigrationScope,
    pending: Option<PendingMigrations>,
) -> prisma_audit_core::report::Report {
    prisma_audit_rules::link();
    let mut options = AuditOptions {
        pending_migrations: pending,
        ..Default::default()
    };
    options.config.migrations = scope;
    audit(&project(), &options).unwrap()
}

/// Migration folders of the `destructive-migration` findings.
fn dropped(report: &prisma_audit_core::report::Report) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.rule == "destructive-migration")
        .filter_map(|f| f.location.as_ref())
        .map(|l| l.file.split('/').nth(2).unwrap_or_default().to_string())
        .collect()
}

#[test]
fn default_judges_the_newest_migration_only() {
    let report = run(MigrationScope::Pending, None);
    assert_eq!(dropped(&report), ["20240301000000_name_idx"]);
    let scope = report.project.migration_scope.as_ref().unwrap();
    assert_eq!(scope.mode, "pending");
    assert_eq!(scope.source, "newest migration");
    assert_eq!(scope.judged, ["20240301000000_name_idx"]);
    assert_eq!(scope.not_judged, 2);
    assert_eq!(report.summary.outside_migration_scope, 1);
    let summary: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "migrations-not-judged")
        .collect();
    assert_eq!(summary.len(), 1);
    assert!(
        summary[0].message.contains("destructive-migration 1"),
        "{}",
        summary[0].message
    );
    assert!(summary[0].message.contains("--migrations all"));
}

#[test]
fn a_caller_list_decides() {
    let pending = PendingMigrations {
        source: "deploy tool".into(),
        folders: vec!["20240201000000_email_idx".into()],
    };
    let report = run(MigrationScope::Pending, Some(pending));
    assert_eq!(dropped(&report), ["20240201000000_email_idx"]);
    assert_eq!(
        report.project.migration_scope.as_ref().unwrap().source,
        "deploy tool"
    );

    // The same list as configuration (`migrations = [...]`, the bindings' `migrations` option).
    let report = run(
        MigrationScope::Folders(vec!["20240201000000_email_idx".into()]),
        None,
    );
    assert_eq!(dropped(&report), ["20240201000000_email_idx"]);
    assert_eq!(
        report.project.migration_scope.as_ref().unwrap().source,
        "the given list"
    );

    // Nothing pending: no safety finding at all, and the summary says so.
    let none = PendingMigrations {
        source: "live database".into(),
        folders: vec![],
    };
    let report = run(MigrationScope::Pending, Some(none));
    assert!(dropped(&report).is_empty());
    assert_eq!(report.summary.outside_migration_scope, 2);
    assert!(report.findings.iter().any(
        |f| f.rule == "migrations-not-judged" && f.message.contains("no migration is pending")
    ));
}

#[test]
fn all_and_latest() {
    let report = run(MigrationScope::All, None);
    assert_eq!(
        dropped(&report),
        ["20240201000000_email_idx", "20240301000000_name_idx"]
    );
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.rule == "migrations-not-judged")
    );
    assert_eq!(report.summary.outside_migration_scope, 0);
    let report = run(MigrationScope::Latest(2), None);
    assert_eq!(dropped(&report).len(), 2);
    assert_eq!(
        report.project.migration_scope.as_ref().unwrap().not_judged,
        1
    );
}

#[test]
fn history_rules_see_every_migration() {
    // A folder name that is not `<timestamp>_<name>` is reported wherever it is.
    let mut files = files();
    files.insert(
        1,
        ("prisma/migrations/0old_style/migration.sql", "SELECT 1;\n"),
    );
    let project = Project::from_files("app", files);
    prisma_audit_rules::link();
    let report = audit(&project, &AuditOptions::default()).unwrap();
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule == "migration-folder-name"),
        "{:#?}",
        report.findings.iter().map(|f| &f.rule).collect::<Vec<_>>()
    );
}
