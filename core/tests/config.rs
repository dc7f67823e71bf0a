//! Configuration files: `prisma-audit.toml` and `.prismalintrc.json`, validated against the
//! registry (a test rule with typed options is registered here).

use prisma_audit_core::Project;
use prisma_audit_core::config_file::{
    ConfigError, check_rule_ids, load_config, parse_prismalintrc, parse_toml,
};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::{Category, Severity};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext, parse_options};

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
#[allow(dead_code)]
struct NameOptions {
    allow_list: Vec<String>,
    max_length: Option<u32>,
}

declare_rule! {
    /// Test rule with options.
    pub struct ModelNamePascalCase;
    id = "model-name-pascal-case",
    summary = "Model names are PascalCase",
    category = ScalabilityAndOperations,
    severity = Low,
    fixable = false,
    enabled = false,
}

impl Rule for ModelNamePascalCase {
    fn validate_options(
        &self,
        options: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), String> {
        parse_options::<NameOptions>(options).map(|_| ())
    }
    fn check(&self, _ctx: &RuleContext<'_>, _out: &mut Vec<RawFinding>) {}
}

const FULL: &str = r#"
fail-on = "high"

[categories]
performance = false
security = true

[rules.model-name-pascal-case]
severity = "medium"
enabled = true
allow-list = ["a", "b"]
max-length = 40

[rules]
unused-suppression = "off"
"#;

#[test]
fn parses_the_documented_shape() {
    let c = parse_toml(FULL, "prisma-audit.toml").unwrap();
    assert_eq!(c.fail_on, Some(Severity::High));
    assert_eq!(c.categories.get(&Category::Performance), Some(&false));
    assert_eq!(c.categories.get(&Category::Security), Some(&true));
    let r = &c.rules["model-name-pascal-case"];
    assert_eq!(r.severity, Some(Severity::Medium));
    assert_eq!(r.enabled, Some(true));
    assert_eq!(r.options["allow-list"], serde_json::json!(["a", "b"]));
    assert_eq!(r.options["max-length"], serde_json::json!(40));
    assert_eq!(r.options.len(), 2);
    assert_eq!(c.rules["unused-suppression"].enabled, Some(false));
}

#[test]
fn rule_shorthands() {
    let c = parse_toml(
        "[rules]\nmodel-name-pascal-case = \"high\"\nunused-suppression = false\n",
        "x.toml",
    )
    .unwrap();
    assert_eq!(
        c.rules["model-name-pascal-case"].severity,
        Some(Severity::High)
    );
    assert_eq!(c.rules["model-name-pascal-case"].enabled, Some(true));
    assert_eq!(c.rules["unused-suppression"].enabled, Some(false));
}

fn err(text: &str) -> String {
    parse_toml(text, "prisma-audit.toml")
        .unwrap_err()
        .to_string()
}

#[test]
fn errors_name_the_file_and_key() {
    assert_eq!(
        err("[rules.model-name-pascalcase]\nenabled = true\n"),
        "prisma-audit.toml: unknown rule `model-name-pascalcase` in [rules] (did you mean `model-name-pascal-case`?)"
    );
    assert_eq!(
        err("[rules.zzzz]\n"),
        "prisma-audit.toml: unknown rule `zzzz` in [rules]"
    );
    assert!(
        err("[categories]\nperformence = false\n").contains(
            "unknown category `performence` in [categories] (did you mean `performance`?)"
        )
    );
    assert!(
        err("[categories]\nperformance = \"no\"\n").contains("`performance` must be true or false")
    );
    assert!(err("fail-on = \"severe\"\n").contains("`fail-on`: unknown severity `severe`"));
    assert!(err("fail-on = 3\n").contains("`fail-on` must be a string"));
    assert!(
        err("[rules.unused-suppression]\nseverity = \"urgent\"\n")
            .contains("[rules.unused-suppression] `severity`: unknown severity `urgent`")
    );
    assert!(
        err("[rules.unused-suppression]\nenabled = \"yes\"\n")
            .contains("[rules.unused-suppression] `enabled` must be true or false")
    );
    assert!(
        err("[rules.unused-suppression]\nmax = 1\n")
            .contains("[rules.unused-suppression]: unknown option `max`")
    );
    assert!(
        err("[rules.model-name-pascal-case]\nallow-list = \"a\"\n")
            .contains("[rules.model-name-pascal-case]: invalid type")
    );
    assert!(
        err("[rules.model-name-pascal-case]\nalow-list = []\n")
            .contains("unknown field `alow-list`")
    );
    assert!(
        err("fail_on = \"high\"\n").contains("unknown key `fail_on` (did you mean `fail-on`?)")
    );
    assert!(
        err("[rules]\nunused-suppression = 3\n").contains("must be a table, a boolean or a string")
    );
}

#[test]
fn syntax_errors_have_one_line_positions() {
    let e = parse_toml("fail-on = \"high\"\n[rules\n", "cfg/audit.toml").unwrap_err();
    match &e {
        ConfigError::Syntax { path, line, .. } => {
            assert_eq!(path, "cfg/audit.toml");
            assert_eq!(*line, 2);
        }
        other => panic!("{other:?}"),
    }
    assert!(!e.to_string().contains('\n'), "{e}");
    let e = parse_prismalintrc("{\n  \"rules\": {,}\n}", ".prismalintrc.json").unwrap_err();
    assert!(e.to_string().starts_with(".prismalintrc.json:2:"), "{e}");
    assert!(!e.to_string().contains('\n'));
}

#[test]
fn prismalintrc_maps_rules_and_warns_about_missing_ones() {
    let (c, warnings) = parse_prismalintrc(
        r#"{
          "rules": {
            "model-name-pascal-case": ["error", { "allow-list": ["x"] }],
            "unused-suppression": "off",
            "field-name-camel-case": ["error"],
            "forbid-required-ignored-field": "error"
          }
        }"#,
        ".prismalintrc.json",
    )
    .unwrap();
    assert_eq!(c.rules["model-name-pascal-case"].enabled, Some(true));
    assert_eq!(
        c.rules["model-name-pascal-case"].options["allow-list"],
        serde_json::json!(["x"])
    );
    assert_eq!(c.rules["unused-suppression"].enabled, Some(false));
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].contains("`field-name-camel-case`"),
        "{warnings:?}"
    );
    assert!(warnings[1].contains("`forbid-required-ignored-field`"));
    assert!(!c.rules.contains_key("field-name-camel-case"));

    let e = parse_prismalintrc(
        r#"{"rules":{"model-name-pascal-case":["error",{"nope":1}]}}"#,
        ".prismalintrc.json",
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("rules.model-name-pascal-case: unknown field `nope`"),
        "{e}"
    );
    let e = parse_prismalintrc(r#"{"rules":{"unused-suppression":"loud"}}"#, "p.json").unwrap_err();
    assert!(e.to_string().contains("unknown level `loud`"), "{e}");
}

#[test]
fn load_config_from_the_project() {
    // Nothing configured: defaults.
    let p = Project::from_files("p", [("schema.prisma", "")]);
    let (c, w) = load_config(&p, None).unwrap();
    assert_eq!(c, Default::default());
    assert!(w.is_empty());

    // Both files: prisma-lint's first, prisma-audit.toml wins rule by rule.
    let p = Project::from_files(
        "p",
        [
            (
                ".prismalintrc.json",
                r#"{"rules":{"model-name-pascal-case":["error",{"allow-list":["x"]}],"unused-suppression":"off","gone-rule":"error"}}"#,
            ),
            (
                "prisma-audit.toml",
                "fail-on = \"low\"\n[rules.unused-suppression]\nenabled = true\n",
            ),
        ],
    );
    let (c, w) = load_config(&p, None).unwrap();
    assert_eq!(c.fail_on, Some(Severity::Low));
    assert_eq!(c.rules["unused-suppression"].enabled, Some(true));
    assert_eq!(c.rules["model-name-pascal-case"].enabled, Some(true));
    assert_eq!(w.len(), 1);

    // Explicit path inside the project.
    let p = Project::from_files(
        "p",
        [
            ("ci/audit.toml", "fail-on = \"critical\"\n"),
            ("prisma-audit.toml", "fail-on = \"low\"\n"),
        ],
    );
    let (c, _) = load_config(&p, Some("./ci/audit.toml")).unwrap();
    assert_eq!(c.fail_on, Some(Severity::Critical));
    assert_eq!(
        load_config(&p, Some("ci/none.toml")).unwrap_err(),
        ConfigError::NotFound("ci/none.toml".into())
    );

    // A config file that is not text.
    let p = Project::from_files("p", [("prisma-audit.toml", vec![0xffu8, 0xfe])]);
    assert_eq!(
        load_config(&p, None).unwrap_err().to_string(),
        "prisma-audit.toml: not valid UTF-8 text"
    );
}

#[test]
fn command_line_rule_ids_are_checked() {
    assert!(check_rule_ids(["unused-suppression", "model-name-pascal-case"]).is_ok());
    assert_eq!(
        check_rule_ids(["unused-suppresion"]).unwrap_err(),
        "unknown rule `unused-suppresion` (did you mean `unused-suppression`?)"
    );
}

#[test]
fn a_parsed_config_drives_the_engine() {
    use prisma_audit_core::{AuditOptions, audit};
    let project = Project::from_files(
        "p",
        [
            ("schema.prisma", "model A {\n  id Int @id\n}\n"),
            (
                "migrations/1/migration.sql",
                "-- prisma-audit-ignore nothing-here\nSELECT 1;\n",
            ),
        ],
    );
    let run = |toml: &str| {
        let config = parse_toml(toml, "t.toml").unwrap();
        audit(
            &project,
            &AuditOptions {
                config,
                ..Default::default()
            },
        )
        .unwrap()
    };
    let r = run("");
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].severity, Severity::Info);
    let r = run("[rules.unused-suppression]\nseverity = \"high\"\n");
    assert_eq!(r.findings[0].severity, Severity::High);
    assert!(
        run("[categories]\nscalability-and-operations = false\n")
            .findings
            .is_empty()
    );
}
