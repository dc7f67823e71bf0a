//! What the engine leaves out of a report: models excluded by `ignore-models`, tables a
//! well-known library owns, and heuristic findings below `min-confidence`.

use prisma_audit_core::config_file::parse_toml;
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Confidence;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::{AuditOptions, Project, audit};

declare_rule! {
    /// Test rule: one finding per model; heuristic on models whose name starts with `H`.
    pub struct EveryModel;
    id = "every-model",
    summary = "One finding per model",
    category = DataIntegrity,
    severity = Low,
    fixable = false,
    enabled = true,
}

impl Rule for EveryModel {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        for m in &ctx.schema.models {
            let f = RawFinding::new(m.name.as_str(), format!("model `{}`", m.name)).at(m.name_span);
            out.push(if m.name.starts_with('H') {
                f.heuristic()
            } else {
                f
            });
        }
    }
}

const SCHEMA: &str = r#"
datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id
  accounts Account[]
}

/// The Auth.js adapter's table: its columns say so.
model Account {
  id                String @id
  userId            String
  provider          String
  providerAccountId String
  user              User   @relation(fields: [userId], references: [id])

  @@unique([provider, providerAccountId])
}

/// A project's own `Session` (no `sessionToken`): audited.
model Session {
  id    String @id
  token String
}

model jackson_store {
  key String @id
}

model HeuristicTarget {
  id Int @id
}

model LegacyOrder {
  id Int @id
}
"#;

fn models_reported(toml: &str) -> (Vec<String>, prisma_audit_core::report::Report) {
    let project = Project::from_files("p", [("prisma/schema.prisma", SCHEMA)]);
    let config = parse_toml(toml, "prisma-audit.toml").unwrap();
    let options = AuditOptions {
        config,
        ..Default::default()
    };
    let report = audit(&project, &options).unwrap();
    let mut models: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.rule == "every-model")
        .map(|f| {
            f.message
                .trim_start_matches("model ")
                .trim_matches('`')
                .to_string()
        })
        .collect();
    models.sort();
    (models, report)
}

#[test]
fn library_tables_are_left_out_by_default() {
    let (models, report) = models_reported("");
    assert_eq!(
        models,
        ["HeuristicTarget", "LegacyOrder", "Session", "User"],
        "Account (Auth.js) and jackson_store (SAML Jackson) are left out"
    );
    assert_eq!(report.summary.ignored_models, 2);
    assert_eq!(
        report.project.excluded_models,
        [
            "Account (owned by Auth.js)",
            "jackson_store (owned by SAML Jackson)"
        ]
    );
}

#[test]
fn library_tables_can_be_audited() {
    let (models, report) = models_reported("audit-third-party-models = true");
    assert_eq!(models.len(), 6);
    assert_eq!(report.summary.ignored_models, 0);
    assert!(report.project.excluded_models.is_empty());
}

#[test]
fn ignore_models_matches_model_and_table_names() {
    let (models, report) = models_reported(r#"ignore-models = ["Legacy*", "Us?r"]"#);
    assert_eq!(models, ["HeuristicTarget", "Session"]);
    assert_eq!(report.summary.ignored_models, 4);
    assert!(
        report
            .project
            .excluded_models
            .contains(&"LegacyOrder (ignore-models `Legacy*`)".to_string())
    );
}

#[test]
fn min_confidence_hides_heuristic_findings() {
    let (all, report) = models_reported("");
    assert!(all.contains(&"HeuristicTarget".to_string()));
    let heuristic = report
        .findings
        .iter()
        .find(|f| f.message.contains("HeuristicTarget"))
        .unwrap();
    assert_eq!(heuristic.confidence, Confidence::Heuristic);
    let json = serde_json::to_value(heuristic).unwrap();
    assert_eq!(json["confidence"], "heuristic");

    let (certain, report) = models_reported(r#"min-confidence = "certain""#);
    assert_eq!(certain, ["LegacyOrder", "Session", "User"]);
    assert_eq!(report.summary.below_min_confidence, 1);
}

#[test]
fn configuration_errors_name_the_key() {
    let err = |t: &str| parse_toml(t, "prisma-audit.toml").unwrap_err().to_string();
    assert!(err(r#"min-confidence = "sure""#).contains("unknown confidence `sure`"));
    assert!(err("ignore-models = \"x\"").contains("array of glob patterns"));
    assert!(err("audit-third-party-models = 1").contains("true or false"));
    assert!(err("min-confidance = \"certain\"").contains("did you mean `min-confidence`"));
}

#[test]
fn migration_scope_in_the_configuration() {
    use prisma_audit_core::sql::MigrationScope;
    let scope = |t: &str| parse_toml(t, "prisma-audit.toml").map(|c| c.migrations);
    assert_eq!(scope("").unwrap(), MigrationScope::Pending);
    assert_eq!(scope(r#"migrations = "all""#).unwrap(), MigrationScope::All);
    assert_eq!(scope("migrations = 3").unwrap(), MigrationScope::Latest(3));
    assert_eq!(
        scope(r#"migrations = ["20250101000000_a"]"#).unwrap(),
        MigrationScope::Folders(vec!["20250101000000_a".into()])
    );
    assert!(
        scope(r#"migrations = "some""#)
            .unwrap_err()
            .to_string()
            .contains("expected pending, all or a number")
    );
    assert!(scope("migrations = -1").is_err());
    assert!(scope("migrations = [1]").is_err());
}
