//! Migration integrity: order, naming, parse errors, destructive and locking changes, enum
//! value removals, data changes, and drift between the migration history and the schema. All
//! rules read the history the engine loaded once (`RuleContext::migrations`).
//!
//! One file per rule, named after the rule id.

mod destructive_migration;
mod enum_values_removed;
mod live_schema_drift;
mod locking_migration;
mod migration_breaks_code;
mod migration_concurrently_in_transaction;
mod migration_edited_after_apply;
mod migration_failed_in_database;
mod migration_folder_name;
mod migration_lock_provider;
mod migration_missing_locally;
mod migration_only_object;
mod migration_order_dependency;
mod migration_undoes_handwritten_sql;
mod migration_without_sql;
mod missing_migration;
mod schema_drift;
mod unbounded_data_change;
mod unparseable_migration;

#[cfg(test)]
mod vet_clinic {
    use prisma_audit_core::config::Config;
    use prisma_audit_core::load::{LoadLimits, load_dir};
    use prisma_audit_core::{AuditOptions, audit};

    /// The vet-clinic example's known migration problems, found with exact locations.
    #[test]
    fn known_migration_problems_with_locations() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/vet-clinic");
        let project = load_dir(&root, &LoadLimits::default()).expect("load vet-clinic");
        // A review of the whole history: judge every migration. The migration-side
        // view of `Decimal` without precision is off by default (its schema-side twin
        // reports the fields); switched on here to check where it points.
        let mut config = Config {
            migrations: prisma_audit_core::sql::MigrationScope::All,
            ..Config::default()
        };
        config
            .rules
            .entry("decimal-default-precision-in-migration".into())
            .or_default()
            .enabled = Some(true);
        let report = audit(
            &project,
            &AuditOptions {
                config,
                ..AuditOptions::default()
            },
        )
        .expect("audit");
        let at = |rule: &str| -> Vec<String> {
            let mut v: Vec<String> = report
                .findings
                .iter()
                .filter(|f| f.rule == rule)
                .filter_map(|f| f.location.as_ref())
                .map(|l| {
                    format!(
                        "{}:{}",
                        l.file.trim_start_matches("prisma/migrations/"),
                        l.start.line
                    )
                })
                .collect();
            v.sort();
            v
        };
        assert_eq!(
            at("migration-order-dependency"),
            ["20241210000000_add_trial_tracking/migration.sql:5"]
        );
        assert_eq!(
            at("enum-values-removed"),
            ["20250727233325_add_super_admin_support/migration.sql:9"]
        );
        assert_eq!(
            at("decimal-default-precision-in-migration"),
            ["20250406003044_init/migration.sql:135"]
        );
        // One inventory of the hand-written objects; the partial index and the two functions
        // the example's README lists are among its related locations.
        let inventory: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule == "migration-only-object")
            .collect();
        assert_eq!(inventory.len(), 1, "{inventory:#?}");
        let only: Vec<String> = inventory[0]
            .related
            .iter()
            .map(|r| {
                format!(
                    "{}:{}",
                    r.location.file.trim_start_matches("prisma/migrations/"),
                    r.location.start.line
                )
            })
            .collect();
        for expected in [
            "20241210000000_add_trial_tracking/migration.sql:44",
            "20241210000000_add_trial_tracking/migration.sql:58",
            "20241210000000_add_trial_tracking/migration.sql:77",
        ] {
            assert!(only.iter().any(|x| x == expected), "{expected} in {only:?}");
        }
        assert!(at("schema-drift").is_empty(), "{:?}", at("schema-drift"));
        assert!(
            at("missing-migration").is_empty(),
            "{:?}",
            at("missing-migration")
        );
        assert!(at("unparseable-migration").is_empty());
        let enum_finding = report
            .findings
            .iter()
            .find(|f| f.rule == "enum-values-removed")
            .unwrap();
        assert!(
            enum_finding
                .related
                .iter()
                .any(|r| r.message.starts_with("Prisma warned"))
        );
        let decimal = report
            .findings
            .iter()
            .find(|f| f.rule == "decimal-default-precision-in-migration")
            .unwrap();
        assert_eq!(decimal.related.len(), 20);
    }
}
