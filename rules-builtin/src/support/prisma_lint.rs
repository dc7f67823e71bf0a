//! What the prisma-lint rules share: name patterns (`"name"` or `"/regex/"`, as prisma-lint
//! accepts them), prefix trimming, option validation, and prisma-lint's ignore comments
//! (`/// prisma-lint-ignore-model [rule [a,b]]`, `/// prisma-lint-ignore-enum ...`) inside a
//! model or enum, which these rules honour like prisma-lint does.

use crate::support::regex;
use prisma_audit_core::model::{Enum, Model};
use prisma_audit_core::rule::RuleContext;
use prisma_audit_core::span::Span;
use serde::{Deserialize, Deserializer};

/// A name as prisma-lint accepts it in options: `"/regex/"` is a regular expression (JavaScript
/// syntax, unanchored), anything else an exact name.
#[derive(Debug, Clone)]
pub(crate) enum Pattern {
    /// Exact name.
    Name(String),
    /// `/.../`
    Regex(regex::Regex),
}

impl Pattern {
    /// Parse an option value.
    pub fn parse(s: &str) -> Result<Pattern, String> {
        if s.len() >= 2 && s.starts_with('/') && s.ends_with('/') {
            regex::Regex::new(&s[1..s.len() - 1]).map(Pattern::Regex)
        } else {
            Ok(Pattern::Name(s.to_string()))
        }
    }
    /// Whether `name` matches.
    pub fn matches(&self, name: &str) -> bool {
        match self {
            Pattern::Name(n) => n == name,
            Pattern::Regex(re) => re.is_match(name),
        }
    }
    /// As written in the configuration.
    pub fn as_written(&self) -> String {
        match self {
            Pattern::Name(n) => n.clone(),
            Pattern::Regex(re) => format!("/{}/", re.as_str()),
        }
    }
}

impl schemars::JsonSchema for Pattern {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Pattern".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An exact name, or `/regex/` (JavaScript syntax, unanchored)."
        })
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Pattern::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// One value or a list (prisma-lint's `z.union([x, z.array(x)])`).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub(crate) enum OneOrMany<T> {
    /// A single value.
    One(T),
    /// A list.
    Many(Vec<T>),
}

impl<T: Clone> OneOrMany<T> {
    /// As a list.
    pub fn to_vec(&self) -> Vec<T> {
        match self {
            OneOrMany::One(x) => vec![x.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// Whether `name` matches any pattern of an allow list.
pub(crate) fn allowed(name: &str, list: &[Pattern]) -> bool {
    list.iter().any(|p| p.matches(name))
}

/// prisma-lint's `trimPrefix`: the first matching prefix is removed (a `/regex/` removes its
/// first match).
pub(crate) fn trim_prefix(value: &str, prefixes: &[Pattern]) -> String {
    for p in prefixes {
        match p {
            Pattern::Name(n) if value.starts_with(n.as_str()) => {
                return value[n.len()..].to_string();
            }
            Pattern::Regex(re) => {
                if let Some(out) = re.replace_first(value, "") {
                    return out;
                }
            }
            Pattern::Name(_) => {}
        }
    }
    value.to_string()
}

/// prisma-lint ignore comments of one model or enum.
#[derive(Debug, Default)]
pub(crate) struct LintIgnores {
    all: bool,
    rules: Vec<(String, Option<Vec<String>>)>,
}

const IGNORE_MODEL: &str = "/// prisma-lint-ignore-model";
const IGNORE_ENUM: &str = "/// prisma-lint-ignore-enum";

impl LintIgnores {
    fn of(ctx: &RuleContext<'_>, span: Span, marker: &str) -> LintIgnores {
        let text = ctx.text(span.file);
        let block = text
            .get(usize::from(span.range.start())..usize::from(span.range.end()))
            .unwrap_or("");
        let mut out = LintIgnores::default();
        for line in block.lines() {
            let Some(rest) = line.trim().strip_prefix(marker) else {
                continue;
            };
            if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
                continue;
            }
            let parts: Vec<&str> = rest.split_whitespace().collect();
            match parts.as_slice() {
                [] => out.all = true,
                [rule] => out.rules.push((rule.to_string(), None)),
                [rule, .., params] => out.rules.push((
                    rule.to_string(),
                    Some(params.split(',').map(|p| p.trim().to_string()).collect()),
                )),
            }
        }
        out
    }
    /// The whole block is ignored for rule `id`.
    pub fn rule(&self, id: &str) -> bool {
        self.all || self.rules.iter().any(|(r, p)| r == id && p.is_none())
    }
    /// `name` (a field or enum value) is listed for rule `id`.
    pub fn name(&self, id: &str, name: &str) -> bool {
        self.rules
            .iter()
            .any(|(r, p)| r == id && p.as_ref().is_some_and(|p| p.iter().any(|n| n == name)))
    }
}

/// The models rule `id` looks at: not views, not `@@ignore`d, not ignored by a prisma-lint
/// comment for this rule.
pub(crate) fn lint_models<'s>(ctx: &RuleContext<'s>, id: &str) -> Vec<(&'s Model, LintIgnores)> {
    let schema: &'s prisma_audit_core::model::Schema = ctx.schema;
    schema
        .models()
        .filter(|m| !m.is_ignored())
        .map(|m| (m, LintIgnores::of(ctx, m.span, IGNORE_MODEL)))
        .filter(|(_, ig)| !ig.rule(id))
        .collect()
}

/// The enums rule `id` looks at (not ignored by a prisma-lint comment for this rule).
pub(crate) fn lint_enums<'s>(ctx: &RuleContext<'s>, id: &str) -> Vec<(&'s Enum, LintIgnores)> {
    let schema: &'s prisma_audit_core::model::Schema = ctx.schema;
    schema
        .enums
        .iter()
        .map(|e| (e, LintIgnores::of(ctx, e.span, IGNORE_ENUM)))
        .filter(|(_, ig)| !ig.rule(id))
        .collect()
}

/// `"a", "b"` for messages.
pub(crate) fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_and_prefixes() {
        let p = Pattern::parse("/Id$/").unwrap();
        assert!(p.matches("tenantId") && !p.matches("identity"));
        let p = Pattern::parse("id").unwrap();
        assert!(p.matches("id") && !p.matches("uuid"));
        assert!(Pattern::parse("/(?<=a)/").is_err());
        let prefixes = vec![Pattern::parse("Db").unwrap()];
        assert_eq!(trim_prefix("DbUser", &prefixes), "User");
        assert_eq!(trim_prefix("User", &prefixes), "User");
        let prefixes = vec![Pattern::parse("/^_+/").unwrap()];
        assert_eq!(trim_prefix("__user", &prefixes), "user");
    }

    /// The 17 prisma-lint 0.13 rules.
    const PRISMA_LINT: [&str; 17] = [
        "ban-unbounded-string-type",
        "enum-name-pascal-case",
        "enum-value-case",
        "field-name-camel-case",
        "field-name-grammatical-number",
        "field-name-mapping-snake-case",
        "field-order",
        "forbid-field",
        "forbid-required-ignored-field",
        "model-name-grammatical-number",
        "model-name-mapping-snake-case",
        "model-name-pascal-case",
        "model-name-prefix",
        "require-default-empty-arrays",
        "require-field",
        "require-field-index",
        "require-field-type",
    ];

    #[test]
    fn parity_rules_are_off_by_default_low_style() {
        use prisma_audit_core::finding::{Category, Severity};
        let rules = prisma_audit_core::rule::registry();
        for id in PRISMA_LINT {
            let r = rules
                .iter()
                .find(|r| r.meta().id == id)
                .unwrap_or_else(|| panic!("{id} missing"));
            let m = r.meta();
            assert_eq!(m.category, Category::Style, "{id}");
            assert_eq!(m.default_severity, Severity::Low, "{id}");
            assert!(!m.default_enabled, "{id}");
            assert!(m.docs.contains("## References"), "{id}");
            // Every rule accepts being enabled without options (inactive when it needs some).
            assert!(r.validate_options(&Default::default()).is_ok(), "{id}");
            let bad = serde_json::json!({"notAnOption": 1});
            assert!(
                r.validate_options(bad.as_object().unwrap()).is_err(),
                "{id}"
            );
        }
    }

    /// A `.prismalintrc.json` using every rule with prisma-lint's documented options maps 1:1.
    #[test]
    fn prismalintrc_with_every_rule_and_documented_options() {
        use prisma_audit_core::config_file::parse_prismalintrc;
        let rc = r#"{
          "rules": {
            "ban-unbounded-string-type": ["error", { "allowNativeTextType": true }],
            "enum-name-pascal-case": ["error", { "allowList": ["legacy_enum"], "trimPrefix": "Db" }],
            "enum-value-case": ["error", { "style": "snake", "case": "upper", "compoundWords": ["S3"], "allowList": ["/^x/"], "trimPrefix": ["_"] }],
            "field-name-camel-case": ["error", { "allowList": ["/^_/"], "trimPrefix": "/^db/" }],
            "field-name-grammatical-number": ["error", { "ifList": "plural", "ifListAllow": ["data"] }],
            "field-name-mapping-snake-case": ["error", { "compoundWords": ["S3"], "requireUnderscorePrefixForIds": false }],
            "field-order": ["error", { "order": ["tenantId", "..."] }],
            "forbid-field": ["error", { "forbid": ["id", "/^(?!.*[aA]mountD6$).*D6$/"] }],
            "forbid-required-ignored-field": ["error"],
            "model-name-grammatical-number": ["error", { "style": "singular", "allowlist": ["/Data$/"] }],
            "model-name-mapping-snake-case": ["error", { "compoundWords": ["GraphQL"], "trimPrefix": "Db", "pluralize": true, "irregularPlurals": { "bill_of_lading": "bills_of_lading" } }],
            "model-name-pascal-case": ["error", { "allowList": ["db_user"], "trimPrefix": ["Db", "/^_/"] }],
            "model-name-prefix": ["error", { "prefix": "Db" }],
            "require-default-empty-arrays": "error",
            "require-field": ["error", { "require": ["id", { "name": "currencyCode", "ifSibling": "/mountD6$/" }] }],
            "require-field-index": ["error", { "forAllRelations": true, "forNames": "/Id$/" }],
            "require-field-type": ["error", { "require": [{ "ifName": "/At$/", "type": "DateTime" }] }]
          }
        }"#;
        let (config, warnings) = parse_prismalintrc(rc, ".prismalintrc.json").unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        for id in PRISMA_LINT {
            assert_eq!(config.rules[id].enabled, Some(true), "{id}");
        }
        let e = parse_prismalintrc(
            r#"{"rules":{"model-name-grammatical-number":["error",{"style":"dual"}]}}"#,
            ".prismalintrc.json",
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("rules.model-name-grammatical-number"),
            "{e}"
        );
        let e = parse_prismalintrc(
            r#"{"rules":{"field-order":["error",{"ordr":["id"]}]}}"#,
            ".prismalintrc.json",
        )
        .unwrap_err();
        assert!(e.to_string().contains("missing option `order`"), "{e}");
    }

    /// A project's `.prismalintrc.json` is picked up: its rules run with its options.
    #[test]
    fn prismalintrc_in_a_project_runs_the_rules() {
        use prisma_audit_core::config_file::load_config;
        use prisma_audit_core::{AuditOptions, Project, audit};
        let p = Project::from_files(
            "p",
            [
                (
                    ".prismalintrc.json",
                    r#"{"rules":{"model-name-grammatical-number":["error",{"style":"singular"}],"field-order":["error",{"order":["id","..."]}]}}"#,
                ),
                (
                    "prisma/schema.prisma",
                    "model Users {\n  email String\n  id    String @id\n}\n",
                ),
            ],
        );
        let (config, warnings) = load_config(&p, None).unwrap();
        assert!(warnings.is_empty());
        let report = audit(
            &p,
            &AuditOptions {
                config,
                ..AuditOptions::default()
            },
        )
        .unwrap();
        let mut rules: Vec<&str> = report
            .findings
            .iter()
            .map(|f| f.rule.as_str())
            .filter(|r| PRISMA_LINT.contains(r))
            .collect();
        rules.sort_unstable();
        assert_eq!(rules, ["field-order", "model-name-grammatical-number"]);
    }
}
