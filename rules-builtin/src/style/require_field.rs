use crate::support::prisma_lint::{Pattern, lint_models};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext, RuleOptions};
use serde::Deserialize;

declare_rule! {
    /// ## What it does
    /// Checks that every model has the fields listed in `require`, optionally only when a
    /// sibling field matches (`ifSibling`), like prisma-lint's rule of the same name.
    ///
    /// ## Why is this bad?
    /// Conventions such as "every table has `tenantId`" or "every amount has a `currencyCode`
    /// next to it" are easy to forget in a new model and expensive to retrofit once data
    /// exists.
    ///
    /// ## Example
    /// With `{ "require": [{ "name": "currencyCode", "ifSibling": "/mountD6$/" }] }`:
    /// ```prisma
    /// model Product {
    ///   id            String @id
    ///   priceAmountD6 Int
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add the field. Not fixed automatically (its type and default are a design decision).
    ///
    /// ## Options
    /// - `require` (list, required): field names, or `{ "name": "...", "ifSibling": "name" |
    ///   "/regex/" }` to require `name` only in models that have a matching field. Without it
    ///   the rule reports nothing.
    ///
    /// Off by default (style). Views and `@@ignore`d models are skipped; prisma-lint's
    /// `/// prisma-lint-ignore-model require-field tenantId` comments are honoured.
    ///
    /// ## References
    /// - https://github.com/loop-payments/prisma-lint/blob/main/RULES.md#require-field
    pub struct RequireField;
    id = "require-field",
    summary = "Models missing required fields",
    category = Style,
    severity = Low,
    fixable = false,
    enabled = false,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
enum Requirement {
    Name(String),
    Conditional(Conditional),
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Conditional {
    /// The required field.
    name: String,
    /// Required only in models with a field matching this name or `/regex/`.
    if_sibling: Pattern,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// Required fields: names, or `{ name, ifSibling }` entries. Without them the rule reports
    /// nothing.
    #[serde(default)]
    require: Vec<Requirement>,
}

impl RuleOptions for Options {
    const REQUIRED: &'static [&'static str] = &["require"];
}

impl Rule for RequireField {
    prisma_audit_core::rule_options!(Options);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let opts: Options = ctx.options();
        if opts.require.is_empty() {
            return;
        }
        for (model, ignores) in lint_models(ctx, Self::META.id) {
            let mut missing: Vec<String> = Vec::new();
            for req in &opts.require {
                let (name, applies) = match req {
                    Requirement::Name(n) => (n, true),
                    Requirement::Conditional(c) => (
                        &c.name,
                        model.fields.iter().any(|f| c.if_sibling.matches(&f.name)),
                    ),
                };
                if applies
                    && model.field(name).is_none()
                    && !ignores.name(Self::META.id, name)
                    && !missing.contains(name)
                {
                    missing.push(name.clone());
                }
            }
            if missing.is_empty() {
                continue;
            }
            out.push(
                RawFinding::new(
                    format!("{}|{}", model.name, missing.join(",")),
                    format!(
                        "Model `{}` is missing required {}: {}",
                        model.name,
                        if missing.len() == 1 {
                            "field"
                        } else {
                            "fields"
                        },
                        crate::support::prisma_lint::quoted_list(&missing)
                    ),
                )
                .at(model.name_span)
                .help(
                    "Add the fields the project's `require-field` configuration demands, or list \
                     them in a `/// prisma-lint-ignore-model require-field name` comment if this \
                     model is an exception.",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};
    use serde_json::json;

    const ID: &str = "require-field";

    /// `Product` has a field ending in `mountD6`; `Tag` ignores the `tenantId` requirement.
    const MODELS: &str = r#"model User {
  id   Int    @id
  name String
}
model Product {
  id            Int @id
  tenantId      Int
  priceAmountD6 Int
}
model Tag {
  /// prisma-lint-ignore-model require-field tenantId
  id Int @id
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            // Nothing required.
            &[Case::schema(MODELS)],
            &[
                Case::schema(MODELS).options(json!({
                    "require": ["tenantId", {"name": "currencyCode", "ifSibling": "/mountD6$/"}]
                })),
                // Every model has an `id`.
                Case::schema(MODELS).options(json!({
                    "require": [{"name": "currencyCode", "ifSibling": "priceAmountD6"}, "id"]
                })),
            ],
        ));
    }

    #[test]
    fn rejects_malformed_requirements() {
        let rule = prisma_audit_core::rule::registry()
            .into_iter()
            .find(|r| r.meta().id == ID)
            .unwrap();
        for bad in [
            json!({"require": [{"name": "a"}]}),
            json!({"require": "a"}),
            json!({"required": ["a"]}),
        ] {
            assert!(
                rule.validate_options(bad.as_object().unwrap()).is_err(),
                "{bad}"
            );
        }
    }
}
