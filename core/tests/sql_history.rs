//! Migration history: loading, splitting, parsing and replaying real-world histories.

use prisma_audit_core::Project;
use prisma_audit_core::load::{LoadLimits, load_dir};
use prisma_audit_core::sql::replay::ObjKind;
use prisma_audit_core::sql::{MigrationHistory, load_history};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn load(rel: &str, provider: &str) -> (Project, MigrationHistory) {
    let project = load_dir(&root().join(rel), &LoadLimits::default()).unwrap();
    let h = load_history(&project, Some("prisma/schema.prisma"), Some(provider)).unwrap();
    (project, h)
}

fn line(
    project: &Project,
    h: &MigrationHistory,
    mig: usize,
    range: prisma_audit_core::TextRange,
) -> String {
    let span = h.migrations[mig].span(range).unwrap();
    let l = project.location(span).unwrap();
    format!("{}:{}", l.file, l.start.line)
}

#[test]
fn vet_clinic_replays() {
    let (project, h) = load("examples/vet-clinic", "postgresql");
    assert_eq!(h.migrations.len(), 6);
    for m in &h.migrations {
        for s in &m.statements {
            assert!(
                s.parse_error.is_none(),
                "{}: {:?} in {}",
                m.name,
                s.parse_error,
                m.text(s.range)
            );
        }
    }
    let tenant = h
        .replay
        .missing_refs
        .iter()
        .filter(|r| r.name.name == "Tenant" && r.at.migration == 0)
        .count();
    assert!(tenant >= 3, "{:#?}", h.replay.missing_refs);
    let first = &h.replay.missing_refs[0];
    assert_eq!(
        line(&project, &h, 0, first.range),
        "prisma/migrations/20241210000000_add_trial_tracking/migration.sql:5"
    );
    assert_eq!(
        h.replay
            .created_later(ObjKind::Relation, &first.name, 0)
            .map(|s| s.migration),
        Some(1)
    );
    let change = h
        .replay
        .enum_changes
        .iter()
        .find(|c| c.name == "PlanType")
        .expect("PlanType change");
    assert_eq!(
        change.removed,
        ["BASIC", "STANDARD", "PREMIUM", "ENTERPRISE"]
    );
    assert!(!change.mapped);
    assert_eq!(change.migration, 5);
    assert_eq!(change.columns.len(), 1, "{:?}", change.columns);
    assert_eq!(change.conversions.len(), 1);
    let cat = &h.replay.catalog;
    assert!(cat.functions.keys().any(|f| f.name == "expire_old_trials"));
    let partial = cat
        .indexes
        .values()
        .find(|i| i.name.name == "Tenant_active_trial_idx")
        .unwrap();
    assert_eq!(
        partial.predicate.as_deref(),
        Some("\"isTrialPeriod\" = true")
    );
    let decimals = cat
        .tables
        .values()
        .flat_map(|t| &t.columns)
        .filter(|c| c.data_type == "numeric(65,30)")
        .count();
    assert!(decimals >= 10, "{decimals}");
    eprintln!(
        "tables {} indexes {} enums {:?}",
        cat.tables.len(),
        cat.indexes.len(),
        cat.enums.keys().collect::<Vec<_>>()
    );
}

fn no_parse_errors(h: &MigrationHistory) {
    for m in &h.migrations {
        for s in &m.statements {
            assert!(
                s.parse_error.is_none(),
                "{}: {:?} in {}",
                m.name,
                s.parse_error,
                m.text(s.range)
            );
        }
    }
}

#[test]
fn realworld_postgres_history_replays_completely() {
    let (_, h) = load("core/tests/fixtures/migrations/realworld-pg", "postgresql");
    assert_eq!(h.migrations.len(), 8);
    no_parse_errors(&h);
    assert!(
        h.replay.missing_refs.is_empty(),
        "{:#?}",
        h.replay.missing_refs
    );
    let c = &h.replay.catalog;
    let names: Vec<&str> = c.tables.keys().map(|k| k.name.as_str()).collect();
    assert_eq!(names, ["Clinic", "Staff", "pets"]);
    let pets = c.tables.values().find(|t| t.name.name == "pets").unwrap();
    let col = |n: &str| pets.column(n).unwrap();
    assert_eq!(col("id").data_type, "bigint");
    assert_eq!(col("weightKg").data_type, "numeric(6,2)");
    assert_eq!(col("tags").data_type, "text[]");
    assert_eq!(col("status").data_type, "Status");
    assert!(col("search_text").generated.is_some());
    assert!(pets.rls_enabled);
    assert_eq!(pets.checks.len(), 1);
    assert_eq!(
        c.enums
            .values()
            .map(|e| (e.name.name.as_str(), e.values.join(",")))
            .collect::<Vec<_>>(),
        [
            ("Role", "OWNER,VET,ASSISTANT".into()),
            ("Status", "ACTIVE,ARCHIVED".into())
        ]
    );
    assert!(
        h.replay.enum_changes.iter().all(|e| e.mapped),
        "CASE in USING maps the values"
    );
    let ix = |n: &str| c.indexes.values().find(|i| i.name.name == n).unwrap();
    assert_eq!(ix("pets_name_trgm_idx").method, "gin");
    assert_eq!(
        ix("pets_name_trgm_idx").columns[0].opclass.as_deref(),
        Some("gin_trgm_ops")
    );
    assert!(ix("pets_active_idx").predicate.is_some());
    assert!(ix("pets_lower_name_idx").columns[0].is_expression);
    let desc = &ix("Clinic_createdAt_desc_idx").columns[0];
    assert!(desc.descending && desc.nulls.as_deref() == Some("LAST"));
    assert!(ix("Staff_email_idx").concurrently);
    assert_eq!(c.functions.len(), 2);
    assert!(
        c.functions
            .values()
            .any(|f| f.security_definer && f.fixed_search_path)
    );
    assert_eq!(c.triggers.len(), 1);
    assert_eq!(c.views.len(), 1);
    assert_eq!(c.extensions.len(), 2);
    assert_eq!(c.policies.len(), 1);
    assert!(h.migrations[6].statements.is_empty(), "empty migration");
    let fk = &c
        .tables
        .values()
        .find(|t| t.name.name == "Staff")
        .unwrap()
        .foreign_keys[0];
    assert_eq!(
        (fk.on_delete.as_str(), fk.on_update.as_str()),
        ("CASCADE", "CASCADE")
    );
}

#[test]
fn sqlite_redefine_tables_history() {
    let (_, h) = load("core/tests/fixtures/migrations/realworld-sqlite", "sqlite");
    no_parse_errors(&h);
    let c = &h.replay.catalog;
    let user = c.tables.values().find(|t| t.name.name == "User").unwrap();
    assert_eq!(
        user.columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["id", "email", "name"]
    );
    assert!(user.column("name").unwrap().not_null);
    assert!(c.tables.values().all(|t| t.name.name != "new_User"));
    assert!(
        c.indexes
            .values()
            .any(|i| i.name.name == "User_email_key" && i.table.name == "User")
    );
    assert_eq!(h.migrations[1].warnings.len(), 2);
}

#[test]
fn mysql_history() {
    let (_, h) = load("core/tests/fixtures/migrations/realworld-mysql", "mysql");
    no_parse_errors(&h);
    let c = &h.replay.catalog;
    let post = c.tables.values().find(|t| t.name.name == "Post").unwrap();
    assert_eq!(post.column("title").unwrap().data_type, "varchar(100)");
    assert_eq!(post.foreign_keys.len(), 1);
    assert!(
        c.indexes
            .values()
            .any(|i| i.name.name == "User_email_key" && i.unique)
    );
    assert!(
        c.indexes
            .values()
            .any(|i| i.name.name == "Post_authorId_idx" && !i.unique)
    );
    let change = &h.replay.enum_changes[0];
    assert_eq!(
        (change.name.as_str(), change.removed.clone(), change.mapped),
        ("User.role", vec!["GUEST".to_string()], false)
    );
}

#[test]
fn arbitrary_bytes_never_panic() {
    use prisma_audit_core::sql::Dialect;
    use prisma_audit_core::sql::history::parse_migration;
    let samples = [
        "",
        ";;;",
        "$$",
        "$a$",
        "E'\\",
        "/* /* */",
        "CREATE TABLE",
        "ALTER TABLE \"x\" ADD",
        "CREATE INDEX ON",
        "((((((((((",
        "DROP TYPE",
        "ALTER TYPE \"E\" RENAME VALUE",
        "WITH x AS (SELECT 1) UPDATE",
        "CREATE TRIGGER t BEGIN",
        "é'\"`[",
        "ALTER TABLE ONLY \"a\" ALTER COLUMN \"b\" SET DATA TYPE",
    ];
    for s in samples {
        for d in [
            Dialect::Postgres,
            Dialect::MySql,
            Dialect::Sqlite,
            Dialect::SqlServer,
        ] {
            let _ = parse_migration("1_x", None, s, d);
        }
    }
    let deep = "SELECT ".to_string() + &"(".repeat(5000) + &")".repeat(5000);
    let m = parse_migration("1_x", None, &deep, Dialect::Postgres);
    assert!(m.statements[0].parse_error.is_some());
    let m = parse_migration("1_x", None, &deep, Dialect::MySql);
    assert!(m.statements[0].parse_error.is_some());
}

#[test]
fn index_renames_and_schema_moves_are_replayed() {
    use prisma_audit_core::sql::QName;
    let sql = [
        (
            "prisma/migrations/1_init/migration.sql",
            "CREATE TYPE \"Plan\" AS ENUM ('A', 'B');\n\
             CREATE TABLE \"Org\" (\"id\" TEXT NOT NULL, \"slug\" TEXT NOT NULL, \"plan\" \"Plan\" NOT NULL, CONSTRAINT \"Org_pkey\" PRIMARY KEY (\"id\"));\n\
             CREATE UNIQUE INDEX \"Org.slug_unique\" ON \"Org\"(\"slug\");\n\
             CREATE TABLE \"Pet\" (\"id\" TEXT NOT NULL, \"orgId\" TEXT NOT NULL);\n\
             ALTER TABLE \"Pet\" ADD CONSTRAINT \"Pet_orgId_fkey\" FOREIGN KEY (\"orgId\") REFERENCES \"Org\"(\"id\");\n",
        ),
        (
            "prisma/migrations/2_names/migration.sql",
            "ALTER INDEX \"Org.slug_unique\" RENAME TO \"Org_slug_key\";\n\
             ALTER TABLE \"Org\" RENAME CONSTRAINT \"Org_pkey\" TO \"Organization_pkey\";\n",
        ),
        (
            "prisma/migrations/3_move/migration.sql",
            "CREATE SCHEMA IF NOT EXISTS \"app\";\n\
             ALTER TYPE \"public\".\"Plan\" SET SCHEMA \"app\";\n\
             ALTER TABLE \"public\".\"Org\" SET SCHEMA \"app\";\n",
        ),
    ];
    let project = Project::from_files(
        "p",
        sql.iter()
            .map(|(p, s)| (p.to_string(), s.as_bytes().to_vec())),
    );
    let h = load_history(&project, None, Some("postgresql")).unwrap();
    let c = &h.replay.catalog;
    let org = QName::new("app", "Org");
    assert!(c.tables.contains_key(&org), "{:?}", c.tables.keys());
    assert!(!c.tables.contains_key(&QName::new("public", "Org")));
    assert!(c.enums.contains_key(&QName::new("app", "Plan")));
    assert_eq!(
        c.tables[&org].primary_key.as_ref().map(|p| p.name.as_str()),
        Some("Organization_pkey")
    );
    let ix = c.indexes.get(&QName::new("app", "Org_slug_key")).unwrap();
    assert_eq!(ix.table, org);
    assert!(!c.indexes.values().any(|i| i.name.name == "Org.slug_unique"));
    let pet = &c.tables[&QName::new("public", "Pet")];
    assert_eq!(pet.foreign_keys[0].ref_table, org);
    // The index rename is understood, not kept as an opaque statement.
    assert!(
        !c.opaque
            .iter()
            .any(|s| s.migration == 1 && s.statement == 0)
    );
}

#[test]
fn mysql_table_names_resolve_case_insensitively() {
    use prisma_audit_core::sql::QName;
    let files = [
        (
            "prisma/migrations/1_init/migration.sql",
            "CREATE TABLE `User` (`id` INTEGER NOT NULL, `email` VARCHAR(191) NULL, PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4;\n",
        ),
        (
            "prisma/migrations/2_lower/migration.sql",
            "ALTER TABLE `user` MODIFY `email` VARCHAR(191) NOT NULL, ADD COLUMN `phone` VARCHAR(191) NULL;\n",
        ),
    ];
    let project = Project::from_files(
        "p",
        files
            .iter()
            .map(|(p, s)| (p.to_string(), s.as_bytes().to_vec())),
    );
    let h = load_history(&project, None, Some("mysql")).unwrap();
    let c = &h.replay.catalog;
    assert_eq!(c.tables.len(), 1, "{:?}", c.tables.keys());
    let user = &c.tables[&QName::new("", "User")];
    assert!(user.column("email").unwrap().not_null);
    assert!(user.column("phone").is_some());
}

#[test]
fn temporary_tables_end_with_their_migration() {
    let files = [
        (
            "prisma/migrations/1_init/migration.sql",
            "CREATE TABLE \"Goal\" (\"id\" INT NOT NULL);\n",
        ),
        (
            "prisma/migrations/2_merge/migration.sql",
            "CREATE TEMP TABLE goal_merge ON COMMIT DROP AS SELECT \"id\" FROM \"Goal\";\nDELETE FROM \"Goal\" WHERE \"id\" IN (SELECT \"id\" FROM goal_merge);\n",
        ),
    ];
    let project = Project::from_files(
        "p",
        files
            .iter()
            .map(|(p, s)| (p.to_string(), s.as_bytes().to_vec())),
    );
    let h = load_history(&project, None, Some("postgresql")).unwrap();
    let names: Vec<&str> = h
        .replay
        .catalog
        .tables
        .keys()
        .map(|k| k.name.as_str())
        .collect();
    assert_eq!(names, ["Goal"]);
}
