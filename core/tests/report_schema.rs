//! `schema/report.schema.json` must be what `report::json_schema()` generates.
//!
//! When the report's types change, regenerate it with
//! `UPDATE_SCHEMA=1 cargo test -p prisma-audit-core --test report_schema` and commit the file.

use std::path::PathBuf;

fn schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schema/report.schema.json")
}

/// Compare a committed schema file with what the code generates (or rewrite it when
/// `UPDATE_SCHEMA` is set).
fn check_committed(path: PathBuf, generated: &str, what: &str) {
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale (or missing): {what} changed.\n\
         Regenerate it with `UPDATE_SCHEMA=1 cargo test -p prisma-audit-core --test report_schema` \
         and commit the result.",
        path.display()
    );
}

#[test]
fn committed_report_schema_is_up_to_date() {
    check_committed(
        schema_path(),
        &prisma_audit_core::report::json_schema(),
        "the Report types",
    );
}

#[test]
fn report_schema_is_a_valid_json_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&prisma_audit_core::report::json_schema()).unwrap();
    assert!(jsonschema::validator_for(&schema).is_ok());
    assert_eq!(schema["title"], "Report");
}

fn queries_schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schema/queries.schema.json")
}

/// `schema/queries.schema.json` describes `application::queries()` (`prisma-audit --queries`).
#[test]
fn committed_queries_schema_is_up_to_date() {
    check_committed(
        queries_schema_path(),
        &prisma_audit_core::application::json_schema(),
        "the query shape types",
    );
}

/// The queries of the example project validate against the schema.
#[test]
fn example_queries_match_their_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&prisma_audit_core::application::json_schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/vet-clinic");
    let loaded = prisma_audit_core::load::load(&root, &Default::default()).unwrap();
    let analysis =
        prisma_audit_core::audit::analyze(&loaded.project, loaded.schema.as_deref()).unwrap();
    let queries = prisma_audit_core::application::queries(
        &loaded.project,
        &analysis.schema,
        &Default::default(),
    );
    let calls: usize = queries.iter().map(|f| f.calls.len()).sum();
    assert!(calls > 30, "{calls}");
    let json = serde_json::to_value(&queries).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
