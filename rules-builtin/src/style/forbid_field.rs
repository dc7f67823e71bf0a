use crate::support::prisma_lint::{Pattern, lint_models};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext, RuleOptions};
use serde::Deserialize;

declare_rule! {
    /// ## What it does
    /// Reports fields whose name matches one of the `forbid` patterns, like prisma-lint's rule
    /// of the same name.
    ///
    /// ## Why is this bad?
    /// Teams ban names that caused bugs or contradict their conventions: a plain `id` where ids
    /// must be prefixed, money fields with a unit suffix that is easy to misread (`priceD6`
    /// instead of `priceAmountD6`), deprecated columns that must not come back.
    ///
    /// ## Example
    /// With `{ "forbid": ["/^(?!.*[aA]mountD6$).*D6$/"] }`:
    /// ```prisma
    /// model Product {
    ///   id      String @id
    ///   priceD6 Int
    /// }
    /// ```
    ///
    /// ## Fix
    /// Rename or remove the field. Not fixed automatically.
    ///
    /// ## Options
    /// - `forbid` (list, required): exact field names or `"/regex/"` patterns (JavaScript
    ///   syntax, lookaheads supported). Without it the rule reports nothing.
    ///
    /// Off by default (style). Views and `@@ignore`d models are skipped; prisma-lint's
    /// `/// prisma-lint-ignore-model forbid-field name` comments are honoured.
    ///
    /// ## References
    /// - https://github.com/loop-payments/prisma-lint/blob/main/RULES.md#forbid-field
    pub struct ForbidField;
    id = "forbid-field",
    summary = "Fields with forbidden names",
    category = Style,
    severity = Low,
    fixable = false,
    enabled = false,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// Forbidden field names: exact names or `/regex/` patterns. Without them the rule reports
    /// nothing.
    #[serde(default)]
    forbid: Vec<Pattern>,
}

impl RuleOptions for Options {
    const REQUIRED: &'static [&'static str] = &["forbid"];
}

impl Rule for ForbidField {
    prisma_audit_core::rule_options!(Options);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let opts: Options = ctx.options();
        if opts.forbid.is_empty() {
            return;
        }
        for (model, ignores) in lint_models(ctx, Self::META.id) {
            for field in &model.fields {
                if ignores.name(Self::META.id, &field.name) {
                    continue;
                }
                let hits: Vec<String> = opts
                    .forbid
                    .iter()
                    .filter(|p| p.matches(&field.name))
                    .map(Pattern::as_written)
                    .collect();
                if hits.is_empty() {
                    continue;
                }
                out.push(
                    RawFinding::new(
                        format!("{}.{}", model.name, field.name),
                        format!(
                            "Field `{}.{}` is forbidden by {}: {}",
                            model.name,
                            field.name,
                            if hits.len() == 1 { "rule" } else { "rules" },
                            crate::support::prisma_lint::quoted_list(&hits)
                        ),
                    )
                    .at(field.span)
                    .help(
                        "Rename or remove the field; the project's `forbid-field` configuration \
                         bans this name.",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};
    use serde_json::json;

    const ID: &str = "forbid-field";

    const PRODUCT: &str = r#"model Product {
  id            String @id
  uuid          String
  priceD6       Int
  priceAmountD6 Int
}
"#;

    const IGNORED_FIELD: &str = r#"model Product {
  /// prisma-lint-ignore-model forbid-field id
  id String @id
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                // Nothing forbidden.
                Case::schema(PRODUCT),
                Case::schema(IGNORED_FIELD).options(json!({"forbid": ["id"]})),
            ],
            &[
                // An exact name: `id`, not `uuid`.
                Case::schema(PRODUCT).options(json!({"forbid": ["id"]})),
                // A regex: `priceD6`, not `priceAmountD6`.
                Case::schema(PRODUCT).options(json!({"forbid": ["/^(?!.*[aA]mountD6$).*D6$/"]})),
            ],
        ));
    }

    #[test]
    fn bad_regex_is_a_config_error() {
        let rule = prisma_audit_core::rule::registry()
            .into_iter()
            .find(|r| r.meta().id == ID)
            .unwrap();
        let opts = json!({"forbid": ["/(?<=a)b/"]});
        let e = rule
            .validate_options(opts.as_object().unwrap())
            .unwrap_err();
        assert!(e.contains("lookbehind"), "{e}");
    }
}
