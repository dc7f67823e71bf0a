//! The live checks against a real PostgreSQL 15: a database built from examples/vet-clinic's
//! history with deliberate problems (a failed migration row, an edited migration, a migration
//! the project lacks, a pending one, an invalid index, unused indexes), audited through
//! [`prisma_audit_live::snapshot`]. One test connects as a role that may only read (`SELECT` and
//! `pg_read_all_stats`); one proves the audit wrote nothing.
//!
//! Slow suite (needs PostgreSQL 15; skips without it):
//! `cargo test -p prisma-audit-live --test live_database -- --ignored`.

use prisma_audit_core::config::Config;
use prisma_audit_core::live::checksum;
use prisma_audit_core::{AuditOptions, Project, audit};
use prisma_audit_live::{LiveOptions, snapshot};
use prisma_audit_test_support::pg_cluster::{Cluster, PGBIN};
use std::path::Path;

const VET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/vet-clinic");

/// The migrations in an order that runs (the trial-tracking one is dated before the initial
/// migration, a finding of the example) and the one left pending.
const APPLIED: &[&str] = &[
    "20250406003044_init",
    "20250630232200_add_stripe_fields",
    "20250630232237_add_subscription_status",
    "20241210000000_add_trial_tracking",
    "20250701031226_add_public_pages_and_smart_identification",
];
const PENDING: &str = "20250727233325_add_super_admin_support";
const FAILED: &str = "20250701031226_add_public_pages_and_smart_identification";
const EDITED: &str = "20250630232200_add_stripe_fields";
const UNKNOWN: &str = "20250801000000_hotfix_index";

fn sql_of(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(VET)
            .join("prisma/migrations")
            .join(name)
            .join("migration.sql"),
    )
    .unwrap()
}

fn run(pg: &Cluster, sql: &str) {
    let out = pg.psql(sql);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The vet-clinic database with its problems.
fn build(pg: &Cluster) {
    for name in APPLIED {
        run(pg, &sql_of(name));
    }
    run(
        pg,
        "CREATE TABLE \"_prisma_migrations\" (\"id\" VARCHAR(36) PRIMARY KEY NOT NULL, \"checksum\" VARCHAR(64) NOT NULL, \"finished_at\" TIMESTAMPTZ, \"migration_name\" VARCHAR(255) NOT NULL, \"logs\" TEXT, \"rolled_back_at\" TIMESTAMPTZ, \"started_at\" TIMESTAMPTZ NOT NULL DEFAULT now(), \"applied_steps_count\" INTEGER NOT NULL DEFAULT 0);",
    );
    let mut rows = Vec::new();
    for (i, name) in APPLIED.iter().chain([&UNKNOWN]).enumerate() {
        let sum = match *name {
            EDITED => checksum(b"-- the script as it ran\n"),
            UNKNOWN => checksum(b"CREATE INDEX x ON y(z);\n"),
            _ => checksum(sql_of(name).as_bytes()),
        };
        let (finished, logs) = if *name == FAILED {
            (
                "NULL",
                "'Database error code: 23505\n\nDatabase error:\nERROR: could not create unique index \"Tenant_slug_key\"'",
            )
        } else {
            ("now()", "NULL")
        };
        rows.push(format!(
            "('{i}', '{sum}', {finished}, '{name}', {logs}, NULL, now(), 1)"
        ));
    }
    run(
        pg,
        &format!(
            "INSERT INTO \"_prisma_migrations\" VALUES {};",
            rows.join(", ")
        ),
    );
    // Row-level security on every tenant table but two: `Appointment` has a policy without
    // RLS, `Reminder` has neither.
    run(
        pg,
        "DO $$ DECLARE t text; BEGIN
           FOR t IN SELECT c.table_name FROM information_schema.columns c
                     WHERE c.table_schema = 'public' AND c.column_name = 'tenantId'
                       AND c.table_name NOT IN ('Appointment', 'Reminder') LOOP
             EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
             EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (\"tenantId\"::text = current_setting(''app.tenant'', true))', t);
           END LOOP;
         END $$;
         CREATE POLICY tenant_isolation ON \"Appointment\" USING (\"tenantId\" = current_setting('app.tenant', true));",
    );
    // A sequence with 93 % of its range used.
    run(
        pg,
        "CREATE SEQUENCE probe_seq AS integer; SELECT setval('probe_seq', 2000000000);",
    );
    // An index the schema declares, dropped by hand.
    run(pg, "DROP INDEX \"Customer_phone_idx\";");
    // A failed concurrent build leaves an invalid index behind.
    run(
        pg,
        "CREATE TABLE probe (v int); INSERT INTO probe VALUES (1), (1);",
    );
    let out = pg.psql("CREATE UNIQUE INDEX CONCURRENTLY probe_v_key ON probe (v);");
    assert!(!out.status.success(), "the concurrent build must fail");
    // Usage statistics: one index read, the others not; and a slow statement
    // (`pg_stat_statements` starts empty so the share is known).
    run(
        pg,
        "CREATE EXTENSION pg_stat_statements; SELECT pg_stat_statements_reset();",
    );
    run(
        pg,
        "SET enable_seqscan = off; SELECT count(*) FROM \"Pet\" WHERE \"name\" = 'x';",
    );
    for _ in 0..3 {
        run(
            pg,
            "SELECT pg_sleep(0.12), (SELECT count(*) FROM \"Customer\" WHERE \"tenantId\" = 't1');",
        );
    }
}

fn vet_clinic() -> Project {
    prisma_audit_core::load::load_dir(Path::new(VET), &Default::default()).unwrap()
}

fn options(live: prisma_audit_core::live::LiveSnapshot) -> AuditOptions {
    let mut config = Config::default();
    // A fresh cluster's statistics are seconds old.
    config.rules.insert(
        "unused-index".into(),
        prisma_audit_core::config::RuleConfig {
            options: serde_json::json!({ "minStatsDays": 0 })
                .as_object()
                .cloned()
                .unwrap(),
            ..Default::default()
        },
    );
    AuditOptions {
        config,
        live: Some(live),
        ..AuditOptions::default()
    }
}

fn findings(url: &str) -> Vec<(String, String, String)> {
    let snap = snapshot(url, &LiveOptions::default()).expect("snapshot");
    let report = audit(&vet_clinic(), &options(snap)).unwrap();
    report
        .findings
        .iter()
        .map(|f| {
            (
                f.rule.clone(),
                format!("{:?}", f.severity).to_lowercase(),
                f.message.clone(),
            )
        })
        .collect()
}

fn skip() -> bool {
    if Cluster::available() {
        return false;
    }
    eprintln!("live_database: skipped: PostgreSQL 15 is not installed ({PGBIN})");
    true
}

#[test]
#[ignore = "slow: needs PostgreSQL 15 (scripts/test-all.sh runs it)"]
fn each_problem_is_reported_at_its_severity() {
    if skip() {
        return;
    }
    prisma_audit_rules::link();
    let pg = Cluster::start();
    build(&pg);
    let started = std::time::Instant::now();
    let found = findings(&pg.url("postgres"));
    let took = started.elapsed();
    let of = |rule: &str| -> Vec<&(String, String, String)> {
        found.iter().filter(|f| f.0 == rule).collect()
    };
    let failed = of("migration-failed-in-database");
    assert_eq!(failed.len(), 1, "{found:#?}");
    assert_eq!(failed[0].1, "critical");
    assert!(failed[0].2.contains(FAILED) && failed[0].2.contains("could not create unique index"));
    let edited = of("migration-edited-after-apply");
    assert_eq!(edited.len(), 1, "{found:#?}");
    assert!(edited[0].2.contains(EDITED) && edited[0].1 == "high");
    let missing = of("migration-missing-locally");
    assert_eq!(missing.len(), 1, "{found:#?}");
    assert!(missing[0].2.contains(UNKNOWN));
    let invalid = of("invalid-index");
    assert_eq!(invalid.len(), 1, "{found:#?}");
    assert!(invalid[0].2.contains("probe_v_key") && invalid[0].1 == "high");
    let expensive = of("expensive-query");
    assert!(
        expensive.iter().any(|f| f.1 == "medium"
            && f.2
                .starts_with("Reads of `Customer` filtering on `tenantId` take")
            && f.2.contains("3 calls")),
        "{expensive:#?}"
    );
    let seq = of("sequence-near-max");
    assert_eq!(seq.len(), 1, "{found:#?}");
    assert!(
        seq[0].1 == "critical"
            && seq[0].2.starts_with(
                "Sequence `probe_seq` has handed out 2,000,000,000 of 2,147,483,647 (93 %)"
            ),
        "{seq:#?}"
    );
    // The throwaway cluster archives nothing.
    let backup = of("backup-not-configured");
    assert!(backup.len() == 1 && backup[0].1 == "info", "{backup:#?}");
    assert!(of("transaction-id-wraparound").is_empty() && of("connections-near-limit").is_empty());
    let rls: Vec<(&str, &str)> = of("live-rls-disabled")
        .iter()
        .map(|f| (f.1.as_str(), f.2.as_str()))
        .collect();
    assert_eq!(rls.len(), 2, "{rls:#?}");
    assert!(
        rls[0].0 == "high"
            && rls[0].1.starts_with(
                "Table `Appointment` has 1 row-level security policy but RLS is disabled"
            ),
        "{rls:#?}"
    );
    assert!(
        rls[1].0 == "medium"
            && rls[1]
                .1
                .starts_with("Tenant table `Reminder` has row-level security disabled"),
        "{rls:#?}"
    );
    // The database compared with the schema: the dropped index, and the table only it has.
    let drift: Vec<(&str, &str)> = of("live-schema-drift")
        .iter()
        .filter(|f| f.1 != "info")
        .map(|f| (f.1.as_str(), f.2.as_str()))
        .collect();
    // What the pending migration changes is information, naming it.
    let pending: Vec<&str> = of("live-schema-drift")
        .iter()
        .filter(|f| f.1 == "info")
        .map(|f| f.2.as_str())
        .collect();
    assert_eq!(pending.len(), 4, "{pending:#?}");
    assert!(
        pending
            .iter()
            .all(|m| m.ends_with(&format!("(pending migration `{PENDING}` changes it)"))),
        "{pending:#?}"
    );
    assert_eq!(
        drift,
        [
            (
                "high",
                "Table `probe` is present in the database but no model maps to it: the next `prisma migrate dev` drops it"
            ),
            (
                "medium",
                "The database has no index `Customer_phone_idx` on `Customer`(phone)"
            ),
        ],
        "{found:#?}"
    );
    let unused: Vec<&str> = of("unused-index").iter().map(|f| f.2.as_str()).collect();
    assert!(
        unused.iter().any(|m| m.contains("`Pet_tenantId_idx`")),
        "{unused:#?}"
    );
    // Read by the query above; keys and unique indexes enforce rules.
    assert!(
        !unused.iter().any(|m| m.contains("`Pet_name_idx`")),
        "{unused:#?}"
    );
    assert!(
        !unused
            .iter()
            .any(|m| m.contains("_pkey`") || m.contains("_key`")),
        "{unused:#?}"
    );
    // The database decides what is pending: the migration it never ran, and the failed one.
    let report = audit(
        &vet_clinic(),
        &options(snapshot(&pg.url("postgres"), &LiveOptions::default()).unwrap()),
    )
    .unwrap();
    let scope = report.project.migration_scope.expect("scope");
    assert_eq!(scope.source, "the live database's _prisma_migrations");
    assert_eq!(scope.judged, [FAILED.to_string(), PENDING.to_string()]);
    eprintln!("live audit of vet-clinic: {took:?}");
}

/// Row counters of the database and a digest of its catalog.
fn fingerprint(pg: &Cluster) -> Vec<String> {
    pg.query(
        "SELECT 'tuples', tup_inserted::text, tup_updated::text, tup_deleted::text FROM pg_stat_database WHERE datname = current_database()
         UNION ALL
         SELECT 'catalog', md5(string_agg(c.oid::text || c.relname::text || c.relkind::text, ',' ORDER BY c.oid)), '', '' FROM pg_class c
         UNION ALL
         SELECT 'migrations', md5(string_agg(m::text, ',' ORDER BY m.id)), '', '' FROM \"_prisma_migrations\" m",
    )
}

#[test]
#[ignore = "slow: needs PostgreSQL 15 (scripts/test-all.sh runs it)"]
fn a_role_that_may_only_read_is_enough_and_nothing_is_written() {
    if skip() {
        return;
    }
    prisma_audit_rules::link();
    let pg = Cluster::start();
    build(&pg);
    run(
        &pg,
        "CREATE ROLE auditor LOGIN; GRANT pg_read_all_stats TO auditor; GRANT SELECT ON ALL TABLES IN SCHEMA public TO auditor; GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO auditor;",
    );
    // Statistics reach pg_stat_database after a short delay: let earlier work settle.
    std::thread::sleep(std::time::Duration::from_millis(1200));
    let before = fingerprint(&pg);
    let url = format!(
        "postgresql://auditor@127.0.0.1:{}/postgres?schema=public&connection_limit=1",
        pg.port
    );
    let found = findings(&url);
    for rule in [
        "migration-failed-in-database",
        "migration-edited-after-apply",
        "migration-missing-locally",
        "invalid-index",
        "unused-index",
        "live-schema-drift",
        "live-rls-disabled",
        "sequence-near-max",
        "backup-not-configured",
        "expensive-query",
    ] {
        assert!(
            found.iter().any(|f| f.0 == rule),
            "{rule} not reported as auditor: {found:#?}"
        );
    }
    std::thread::sleep(std::time::Duration::from_millis(1200));
    assert_eq!(
        fingerprint(&pg),
        before,
        "the live audit changed the database"
    );
}
