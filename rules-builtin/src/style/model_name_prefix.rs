use crate::support::prisma_lint::lint_models;
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext, RuleOptions};
use serde::Deserialize;

declare_rule! {
    /// ## What it does
    /// Checks that every model name starts with a required prefix (e.g. `Db`), like
    /// prisma-lint's rule of the same name.
    ///
    /// ## Why is this bad?
    /// Teams that persist one domain object in several tables, or whose application types
    /// differ from the table structure, prefix the persistence types (`DbUser`) so they never
    /// collide with the application's `User`. A model without the prefix breaks that
    /// convention.
    ///
    /// ## Example
    /// With `{ "prefix": "Db" }`:
    /// ```prisma
    /// model Users {
    ///   id String @id
    /// }
    /// ```
    ///
    /// ## Fix
    /// Rename the model (`DbUser`, with `@@map("users")` to keep the table). Not fixed
    /// automatically: renaming a model changes the client API.
    ///
    /// ## Options
    /// - `prefix` (string, required): the prefix. Without it the rule reports nothing.
    ///
    /// Off by default (style). Views and `@@ignore`d models are skipped.
    ///
    /// ## References
    /// - https://github.com/loop-payments/prisma-lint/blob/main/RULES.md#model-name-prefix
    pub struct ModelNamePrefix;
    id = "model-name-prefix",
    summary = "Model names without the required prefix",
    category = Style,
    severity = Low,
    fixable = false,
    enabled = false,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// The prefix every model name must start with. Without it the rule reports nothing.
    prefix: Option<String>,
}

impl RuleOptions for Options {
    const REQUIRED: &'static [&'static str] = &["prefix"];
}

impl Rule for ModelNamePrefix {
    prisma_audit_core::rule_options!(Options);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(prefix) = ctx.options::<Options>().prefix else {
            return;
        };
        for (model, _) in lint_models(ctx, Self::META.id) {
            if model.name.starts_with(&prefix) {
                continue;
            }
            out.push(
                RawFinding::new(
                    model.name.clone(),
                    format!("Model name `{}` should start with `{prefix}`", model.name),
                )
                .at(model.name_span)
                .help(format!(
                    "Rename the model to `{prefix}{}` and keep its table with `@@map(\"{}\")`.",
                    model.name,
                    model.db_name()
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};
    use serde_json::json;

    const ID: &str = "model-name-prefix";

    const MODELS: &str = r#"model DbUser {
  id String @id
}
model Users {
  id String @id
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            // No prefix configured: nothing to check.
            &[Case::schema(MODELS)],
            &[Case::schema(MODELS).options(json!({"prefix": "Db"}))],
        ));
    }
}
