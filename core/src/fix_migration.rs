//! The migration that goes with fixed schema files: the SQL that brings a database built by the
//! project's migration history to the fixed schema, written as new migration folders so the
//! project stays consistent (the next audit reports no drift, `prisma migrate deploy` applies
//! it).
//!
//! The SQL comes from the difference between the replayed history and the fixed schema
//! ([`crate::sql::drift`]), rendered by [`crate::sql::fix_sql`] with data checks, plus the SQL of
//! fixes that are only SQL (row-level security, a function's `search_path`). Differences the
//! fixes introduced are all written. Differences the project already had are written only with
//! unsafe fixes, and only when they create or change what the schema declares; tables, columns
//! and indexes only the migrations have are left alone (the schema usually lacks them by
//! mistake, and dropping them loses data).
//!
//! Nothing is written when the project has no migration history (it uses `prisma db push`),
//! when the datasource provider is unknown, or when `migration_lock.toml` names another
//! provider.

use crate::audit::{AuditOptions, analyze};
use crate::finding::Finding;
use crate::project::Project;
use crate::sql::drift::{DriftKind, diff, diff_with};
use crate::sql::{Dialect, fix_sql, load_history};
use std::collections::{BTreeMap, BTreeSet};

/// Rules whose fixes are SQL statements that stand on their own in a new migration. Other
/// SQL-only fixes rewrite a statement of an existing migration (a lock-free variant, an enum
/// conversion template) and are not copied.
const STANDALONE_SQL_RULES: &[&str] = &["rls-policy-without-rls", "security-definer-search-path"];

/// Which migration to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationRequest {
    /// The folder name after the timestamp (`prisma_audit_fixes`).
    pub name: String,
    /// The folder timestamp, `YYYYMMDDHHMMSS` (UTC now); moved past the newest existing
    /// migration when that one is later.
    pub timestamp: String,
}

impl MigrationRequest {
    /// The default name, at `timestamp`.
    pub fn new(timestamp: impl Into<String>) -> Self {
        MigrationRequest {
            name: DEFAULT_NAME.into(),
            timestamp: timestamp.into(),
        }
    }
}

/// The default migration folder name (after the timestamp).
pub const DEFAULT_NAME: &str = "prisma_audit_fixes";

/// The migration written, or why none was.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlannedMigration {
    /// New files, by path (each `<dir>/<timestamp>_<name>/migration.sql`).
    pub files: BTreeMap<String, String>,
    /// What the user should know: why nothing was written, changes left out.
    pub notes: Vec<String>,
}

/// A valid folder name suffix: lower-case letters, digits and underscores.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// `YYYYMMDDHHMMSS` for seconds since the Unix epoch (UTC).
pub fn timestamp_utc(unix_seconds: u64) -> String {
    let days = (unix_seconds / 86_400) as i64;
    let secs = unix_seconds % 86_400;
    // Civil date from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Seconds since the Unix epoch of a `YYYYMMDDHHMMSS` timestamp (UTC).
fn unix_of(ts: &str) -> Option<u64> {
    if ts.len() != 14 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| ts[r].parse::<i64>().ok();
    let (y, m, d) = (n(0..4)?, n(4..6)?, n(6..8)?);
    let (hh, mm, ss) = (n(8..10)?, n(10..12)?, n(12..14)?);
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + hh * 3600 + mm * 60 + ss).ok()
}

/// The timestamp one second after `ts` (`YYYYMMDDHHMMSS`).
fn next_timestamp(ts: &str) -> String {
    match unix_of(ts) {
        Some(t) => timestamp_utc(t + 1),
        None => format!("{:014}", ts.parse::<u64>().unwrap_or(0) + 1),
    }
}

/// The migrations for `fixed` (the project after its schema fixes) relative to `original`.
/// `findings` are the final audit's findings of `fixed`: their SQL-only fixes are added when
/// `include_unsafe`.
pub fn plan_migration(
    original: &Project,
    fixed: &Project,
    options: &AuditOptions,
    findings: &[Finding],
    include_unsafe: bool,
    request: &MigrationRequest,
) -> PlannedMigration {
    let mut plan = PlannedMigration::default();
    let note = |plan: &mut PlannedMigration, s: String| plan.notes.push(s);
    let (Ok(before), Ok(after)) = (
        analyze(original, options.schema.as_deref()),
        analyze(fixed, options.schema.as_deref()),
    ) else {
        return plan;
    };
    let Some(provider) = after.schema.provider() else {
        note(
            &mut plan,
            "no migration written: the datasource provider is unknown".into(),
        );
        return plan;
    };
    let provider_name = after
        .schema
        .datasource()
        .and_then(|d| d.provider_raw.as_ref())
        .map(|p| p.value.to_string())
        .unwrap_or_default();
    let Some(dialect) = Dialect::from_provider(&provider_name) else {
        note(
            &mut plan,
            format!("no migration written: provider `{provider_name}` has no SQL migrations"),
        );
        return plan;
    };
    if !provider.is_sql() || dialect == Dialect::SqlServer {
        note(
            &mut plan,
            format!("no migration written: prisma-audit does not write {provider_name} migrations"),
        );
        return plan;
    }
    let Some(history) = load_history(fixed, Some(&after.source.path), Some(&provider_name)) else {
        // No history: the project applies its schema with `prisma db push`.
        return plan;
    };
    if let Some(lock) = history.lock.as_ref().and_then(|l| l.provider.as_deref())
        && Dialect::from_provider(lock) != Some(dialect)
    {
        note(
            &mut plan,
            format!(
                "no migration written: {}/migration_lock.toml says `{lock}` but the datasource says `{provider_name}` (fix that first)",
                history.dir
            ),
        );
        return plan;
    }
    let anchors = |items: Vec<crate::sql::drift::DriftItem>| -> BTreeSet<String> {
        items.into_iter().map(|i| i.anchor).collect()
    };
    // What the fixes changed: the two schemas compared with the replayed history alone. What
    // the project already had: the audit's own comparison, which stays quiet where statements
    // the replay does not model may account for a difference.
    let existing = anchors(diff_with(&before.schema, &history, true));
    let reported = anchors(diff(&before.schema, &history));
    let reported_after = anchors(diff(&after.schema, &history));
    let mut changes = Vec::new();
    let mut left_out = Vec::new();
    for item in diff_with(&after.schema, &history, true) {
        if item.kind == DriftKind::MigrationOnly {
            continue;
        }
        let introduced = !existing.contains(&item.anchor);
        let earlier = !introduced
            && include_unsafe
            && matches!(item.kind, DriftKind::Missing | DriftKind::Mismatch)
            && reported.contains(&item.anchor)
            && reported_after.contains(&item.anchor);
        if !introduced && !earlier {
            continue;
        }
        if item.changes.is_empty() {
            if introduced {
                left_out.push(item.message);
            }
            continue;
        }
        changes.extend(item.changes);
    }
    let mut rendered = fix_sql::render(&changes, dialect, true);
    left_out.append(&mut rendered.unsupported);
    // Fixes that are only SQL (no file edits), e.g. enabling row-level security.
    let mut sql_only: Vec<String> = Vec::new();
    if include_unsafe {
        for f in findings
            .iter()
            .filter(|f| STANDALONE_SQL_RULES.contains(&f.rule.as_str()))
        {
            let Some(fix) = &f.fix else { continue };
            let Some(sql) = &fix.sql else { continue };
            if !fix.edits.is_empty() {
                continue;
            }
            let text = format!("-- {} ({})\n{}", fix.title, f.rule, sql.trim_end());
            if !sql_only.contains(&text) {
                sql_only.push(text);
            }
        }
    }
    if rendered.statements.is_empty() && rendered.concurrent.is_empty() && sql_only.is_empty() {
        for l in left_out {
            note(
                &mut plan,
                format!(
                    "not in a migration (write it with `prisma migrate dev --create-only`): {l}"
                ),
            );
        }
        return plan;
    }
    let last = history
        .migrations
        .iter()
        .filter_map(|m| {
            let digits: String = m.name.chars().take_while(char::is_ascii_digit).collect();
            (digits.len() == 14).then_some(digits)
        })
        .max();
    let mut ts = request.timestamp.clone();
    if let Some(last) = last
        && last >= ts
    {
        ts = next_timestamp(&last);
    }
    let mut main = String::from(
        "-- Written by prisma-audit --fix: the database changes of the schema fixes (the SQL\n-- `prisma migrate dev` would generate), with data checks that stop the migration before\n-- it breaks or silently changes existing rows. Review it, then apply it with\n-- `prisma migrate deploy` (or `prisma migrate dev`).\n",
    );
    if !left_out.is_empty() {
        main.push_str(
            "--\n-- Not written here (write it with `prisma migrate dev --create-only`):\n",
        );
        for l in &left_out {
            main.push_str(&format!("--   - {}\n", l.replace('\n', " ")));
        }
    }
    if !rendered.concurrent.is_empty() && !rendered.statements.is_empty() {
        main.push_str(&format!(
            "--\n-- {} index(es) on existing tables are built with CREATE INDEX CONCURRENTLY, each in a\n-- migration of its own after this one (PostgreSQL cannot build them concurrently inside\n-- the transaction a migration file runs in).\n",
            rendered.concurrent.len()
        ));
    }
    for s in rendered.statements.iter().chain(&sql_only) {
        main.push('\n');
        main.push_str(s);
        main.push('\n');
    }
    let dir = &history.dir;
    // Only indexes to build: no migration of comments alone before them.
    let has_main = !(rendered.statements.is_empty() && sql_only.is_empty());
    if has_main {
        plan.files
            .insert(format!("{dir}/{ts}_{}/migration.sql", request.name), main);
    }
    for (k, (index, stmt)) in rendered.concurrent.iter().enumerate() {
        if has_main || k > 0 {
            ts = next_timestamp(&ts);
        }
        plan.files.insert(
            format!("{dir}/{ts}_{}_index_{}/migration.sql", request.name, k + 1),
            format!(
                "-- Written by prisma-audit --fix: index `{index}`, built without blocking writes.\n-- CREATE INDEX CONCURRENTLY must be the only statement of its migration.\n{stmt}\n"
            ),
        );
    }
    for l in left_out {
        note(
            &mut plan,
            format!("not in the migration (write it with `prisma migrate dev --create-only`): {l}"),
        );
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n\nmodel Owner {\n  id   Int   @id\n  pets Pet[]\n}\n\nmodel Pet {\n  id      Int   @id\n  ownerId Int\n  owner   Owner @relation(fields: [ownerId], references: [id])\n}\n";
    const INIT: &str = "CREATE TABLE \"Owner\" (\"id\" INTEGER NOT NULL, CONSTRAINT \"Owner_pkey\" PRIMARY KEY (\"id\"));\nCREATE TABLE \"Pet\" (\"id\" INTEGER NOT NULL, \"ownerId\" INTEGER NOT NULL, CONSTRAINT \"Pet_pkey\" PRIMARY KEY (\"id\"));\nALTER TABLE \"Pet\" ADD CONSTRAINT \"Pet_ownerId_fkey\" FOREIGN KEY (\"ownerId\") REFERENCES \"Owner\"(\"id\") ON DELETE RESTRICT ON UPDATE CASCADE;\n";

    fn project(schema: &str, migrations: &[(&str, &str)]) -> Project {
        let mut files = vec![("prisma/schema.prisma".to_string(), schema.to_string())];
        for (name, sql) in migrations {
            files.push((
                format!("prisma/migrations/{name}/migration.sql"),
                sql.to_string(),
            ));
        }
        Project::from_files("p", files)
    }

    fn plan(before: &Project, after_schema: &str, unsafe_too: bool) -> PlannedMigration {
        let after = crate::fix::patched(
            before,
            &[("prisma/schema.prisma".to_string(), after_schema.to_string())].into(),
        );
        plan_migration(
            before,
            &after,
            &AuditOptions::default(),
            &[],
            unsafe_too,
            &MigrationRequest::new("20250101000000"),
        )
    }

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        assert_eq!(timestamp_utc(0), "19700101000000");
        assert_eq!(timestamp_utc(951_782_400), "20000229000000");
        assert_eq!(timestamp_utc(1_796_687_999), "20261207235959");
        assert_eq!(next_timestamp("20241231235959"), "20250101000000");
        assert_eq!(unix_of("20261207235959"), Some(1_796_687_999));
    }

    #[test]
    fn folder_names_take_only_safe_characters() {
        assert!(valid_name("prisma_audit_fixes"));
        assert!(valid_name("fix_2"));
        for bad in ["", "Fix", "a b", "../x", "a-b"] {
            assert!(!valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn the_migration_sorts_after_the_newest_one_and_closes_the_change() {
        let p = project(SCHEMA, &[("20991231000000_later", INIT)]);
        let fixed = SCHEMA.replace("references: [id])", "references: [id], onDelete: Cascade)");
        let plan = plan(&p, &fixed, false);
        let (path, sql) = plan.files.iter().next().expect("a migration");
        assert_eq!(
            path,
            "prisma/migrations/20991231000001_prisma_audit_fixes/migration.sql"
        );
        assert!(
            sql.contains("ALTER TABLE \"Pet\" DROP CONSTRAINT \"Pet_ownerId_fkey\";"),
            "{sql}"
        );
        assert!(
            sql.contains("ON DELETE CASCADE ON UPDATE CASCADE;"),
            "{sql}"
        );
        // The fixed project replays to the fixed schema: no drift left.
        let after = crate::fix::patched(
            &p,
            &plan
                .files
                .clone()
                .into_iter()
                .chain([("prisma/schema.prisma".to_string(), fixed.clone())])
                .collect(),
        );
        let schema = crate::audit::analyze(&after, None).unwrap().schema;
        let history =
            load_history(&after, Some("prisma/schema.prisma"), Some("postgresql")).unwrap();
        assert_eq!(diff(&schema, &history), Vec::new());
    }

    #[test]
    fn earlier_drift_only_with_unsafe_fixes_and_never_a_drop() {
        // The history lacks the index the schema declares and has a table the schema lacks.
        let schema = SCHEMA.replace("  owner   Owner", "  @@index([ownerId])\n  owner   Owner");
        let init = format!("{INIT}CREATE TABLE \"Legacy\" (\"id\" INTEGER NOT NULL);\n");
        let p = project(&schema, &[("20240101000000_init", &init)]);
        assert!(plan(&p, &schema, false).files.is_empty());
        let all = plan(&p, &schema, true);
        let sql: String = all.files.values().cloned().collect();
        assert!(
            sql.contains("CREATE INDEX CONCURRENTLY \"Pet_ownerId_idx\""),
            "{sql}"
        );
        assert!(!sql.contains("Legacy"), "{sql}");
    }

    #[test]
    fn nothing_without_a_history_a_provider_or_a_matching_lock() {
        let fixed = SCHEMA.replace("references: [id])", "references: [id], onDelete: Cascade)");
        // `prisma db push` projects have no history.
        assert_eq!(
            plan(&project(SCHEMA, &[]), &fixed, true),
            PlannedMigration::default()
        );
        let mut p = project(SCHEMA, &[("20240101000000_init", INIT)]);
        p = crate::fix::patched(
            &p,
            &[(
                "prisma/migrations/migration_lock.toml".to_string(),
                "provider = \"mysql\"\n".to_string(),
            )]
            .into(),
        );
        let locked = plan(&p, &fixed, true);
        assert!(locked.files.is_empty());
        assert!(
            locked.notes[0].contains("migration_lock.toml says `mysql`"),
            "{:?}",
            locked.notes
        );
        let mongo = SCHEMA.replace("postgresql", "mongodb");
        let p = project(&mongo, &[("20240101000000_init", INIT)]);
        assert!(
            plan(&p, &mongo.replace("Pet[]", "Pet[] // x"), true)
                .files
                .is_empty()
        );
    }
}
