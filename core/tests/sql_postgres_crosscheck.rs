//! Slow suite: apply a fixture history to a throwaway PostgreSQL 15 exactly as Prisma does
//! (each `migration.sql` sent as one simple-query message, here `psql -c`), then compare the
//! replayed catalog with what `pg_catalog` says: tables, columns, types, nullability, defaults,
//! indexes, foreign keys. Also checks the fact the `migration-concurrently-in-transaction`
//! rule relies on.
//!
//! Run: `cargo test -p prisma-audit-core --test sql_postgres_crosscheck -- --ignored`
//! (needs `/usr/lib/postgresql/15/bin`; `scripts/test-all.sh` installs it).

use prisma_audit_core::load::{LoadLimits, load_dir};
use prisma_audit_core::sql::load_history;
use std::path::Path;

use prisma_audit_test_support::pg_cluster;

use pg_cluster::Cluster;

fn action(c: &str) -> &'static str {
    match c {
        "c" => "CASCADE",
        "r" => "RESTRICT",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        _ => "NO ACTION",
    }
}

#[test]
#[ignore = "needs PostgreSQL 15 (slow suite)"]
fn replayed_catalog_matches_postgres() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/migrations/realworld-pg");
    let project = load_dir(&root, &LoadLimits::default()).unwrap();
    let history = load_history(&project, Some("prisma/schema.prisma"), Some("postgresql")).unwrap();
    let pg = Cluster::start();

    // Apply like Prisma: the whole file as one simple query.
    for m in &history.migrations {
        if m.sql.trim().is_empty() {
            continue;
        }
        let out = pg.psql(&m.sql);
        assert!(
            out.status.success(),
            "{} failed: {}",
            m.name,
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let cat = &history.replay.catalog;
    // Tables and columns: name, type, NOT NULL, has default (or generation expression).
    let db_columns = pg.query(
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, ad.adbin IS NOT NULL \
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum \
         WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped",
    );
    let mut ours: Vec<String> = cat
        .tables
        .values()
        .flat_map(|t| {
            t.columns.iter().map(move |c| {
                format!(
                    "{}|{}|{}|{}|{}",
                    t.name.name,
                    c.name,
                    c.data_type,
                    if c.not_null { "t" } else { "f" },
                    if c.default.is_some() || c.generated.is_some() {
                        "t"
                    } else {
                        "f"
                    }
                )
            })
        })
        .collect();
    ours.sort();
    assert_eq!(ours, db_columns, "columns differ");

    // Indexes (primary keys excluded): table, name, unique, method, partial.
    let db_indexes = pg.query(
        "SELECT ct.relname, ci.relname, i.indisunique, am.amname, i.indpred IS NOT NULL \
         FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid JOIN pg_class ct ON ct.oid = i.indrelid \
         JOIN pg_am am ON am.oid = ci.relam JOIN pg_namespace n ON n.oid = ct.relnamespace \
         WHERE n.nspname = 'public' AND NOT i.indisprimary",
    );
    let mut ours: Vec<String> = cat
        .indexes
        .values()
        .map(|i| {
            format!(
                "{}|{}|{}|{}|{}",
                i.table.name,
                i.name.name,
                if i.unique { "t" } else { "f" },
                i.method,
                if i.predicate.is_some() { "t" } else { "f" }
            )
        })
        .collect();
    ours.sort();
    assert_eq!(ours, db_indexes, "indexes differ");

    // Foreign keys: table, name, referenced table, actions.
    let db_fks: Vec<String> = pg
        .query(
            "SELECT conrelid::regclass::text, conname, confrelid::regclass::text, confdeltype, confupdtype \
             FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace",
        )
        .into_iter()
        .map(|r| {
            let p: Vec<&str> = r.split('|').collect();
            format!("{}|{}|{}|{}|{}", p[0], p[1], p[2], action(p[3]), action(p[4]))
        })
        .collect();
    let mut ours: Vec<String> = cat
        .tables
        .values()
        .flat_map(|t| {
            t.foreign_keys.iter().map(move |f| {
                format!(
                    "{}|{}|{}|{}|{}",
                    t.name.name, f.name, f.ref_table.name, f.on_delete, f.on_update
                )
            })
        })
        .collect();
    ours.sort();
    assert_eq!(ours, db_fks, "foreign keys differ");

    // Enums, functions, triggers, views, policies, RLS.
    let db_enums = pg.query(
        "SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_type t \
         JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname",
    );
    let mut ours: Vec<String> = cat
        .enums
        .values()
        .map(|e| format!("{}|{}", e.name.name, e.values.join(",")))
        .collect();
    ours.sort();
    assert_eq!(ours, db_enums, "enums differ");
    let db_rls = pg.query("SELECT relname FROM pg_class WHERE relrowsecurity");
    let ours: Vec<String> = cat
        .tables
        .values()
        .filter(|t| t.rls_enabled)
        .map(|t| t.name.name.clone())
        .collect();
    assert_eq!(ours, db_rls);
    assert_eq!(
        pg.query("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"),
        [cat.triggers.len().to_string()]
    );
    assert_eq!(
        pg.query("SELECT count(*) FROM pg_policy"),
        [cat.policies.len().to_string()]
    );
    assert_eq!(
        pg.query("SELECT count(*) FROM pg_views WHERE schemaname = 'public'"),
        [cat.views.len().to_string()]
    );

    // The transaction fact: a multi-statement script runs as one transaction, so CONCURRENTLY
    // fails in it but works alone.
    let out = pg.psql("SELECT 1; CREATE INDEX CONCURRENTLY \"xcheck_idx\" ON \"Staff\" (\"id\");");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot run inside a transaction block"));
    let out = pg.psql("CREATE INDEX CONCURRENTLY \"xcheck_idx\" ON \"Staff\" (\"id\");");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // ... and a failing statement rolls back the statements before it in the same script.
    let out = pg.psql("CREATE TABLE \"xcheck_t\" (\"a\" int); SELECT 1/0;");
    assert!(!out.status.success());
    assert_eq!(
        pg.query("SELECT count(*) FROM pg_class WHERE relname = 'xcheck_t'"),
        ["0"]
    );
}
