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
