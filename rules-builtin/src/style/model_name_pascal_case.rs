use crate::support::prisma_lint::OneOrMany;
use crate::support::prisma_lint::{Pattern, allowed, lint_models, trim_prefix};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext, RuleOptions};
use serde::Deserialize;

declare_rule! {
    /// ## What it does
    /// Checks that model names are in PascalCase (`^[A-Z][a-zA-Z0-9]*$`), like prisma-lint's
    /// rule of the same name.
    ///
    /// ## Why is this bad?
    /// Prisma Client exposes each model as a TypeScript type and a `prisma.<model>` delegate;
    /// `db_user` or `dbUser` breaks the naming conventions of the generated client and of the
    /// Prisma documentation. Use `@@map("db_user")` to keep a snake_case table name.
    ///
    /// ## Example
    /// ```prisma
    /// model db_user {
    ///   id String @id
    /// }
    /// ```
    ///
    /// ## Fix
    /// Rename the model to PascalCase and keep the table with `@@map("db_user")`. Not fixed
    /// automatically: renaming a model changes the client API.
    ///
    /// ## Options
    /// - `allowList` (list of names or `"/regex/"`): model names to accept as they are.
    /// - `trimPrefix` (name, `"/regex/"` or a list): a prefix removed before the check.
    ///
    /// Off by default (style). Views and `@@ignore`d models are skipped; prisma-lint's
    /// `/// prisma-lint-ignore-model` comments are honoured.
    ///
    /// ## References
    /// - https://github.com/loop-payments/prisma-lint/blob/main/RULES.md#model-name-pascal-case
    /// - https://www.prisma.io/docs/orm/reference/prisma-schema-reference#naming-conventions
    pub struct ModelNamePascalCase;
    id = "model-name-pascal-case",
    summary = "Model names are not PascalCase",
    category = Style,
    severity = Low,
    fixable = false,
    enabled = false,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// Model names to accept as they are: exact names or `/regex/` patterns.
    #[serde(default)]
    allow_list: Vec<Pattern>,
    /// A prefix removed before the check: a name, a `/regex/`, or a list of them.
    trim_prefix: Option<OneOrMany<Pattern>>,
}

/// `^[A-Z][a-zA-Z0-9]*$`
pub(crate) fn is_pascal(name: &str) -> bool {
    let mut c = name.chars();
    c.next().is_some_and(|f| f.is_ascii_uppercase()) && c.all(|x| x.is_ascii_alphanumeric())
}

impl RuleOptions for Options {}

impl Rule for ModelNamePascalCase {
    prisma_audit_core::rule_options!(Options);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let opts: Options = ctx.options();
        let prefixes = opts.trim_prefix.map(|p| p.to_vec()).unwrap_or_default();
        for (model, _) in lint_models(ctx, Self::META.id) {
            if allowed(&model.name, &opts.allow_list) {
                continue;
            }
            let name = trim_prefix(&model.name, &prefixes);
            if is_pascal(&name) {
                continue;
            }
            let suggestion = crate::support::case::to_pascal_case(&name, &[]);
            out.push(
                RawFinding::new(
                    model.name.clone(),
                    format!("Model name `{}` is not in PascalCase (e.g. `{suggestion}`)", model.name),
                )
                .at(model.name_span)
                .help(format!(
                    "Rename the model to `{suggestion}` and keep its table name with `@@map(\"{}\")`.",
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

    const ID: &str = "model-name-pascal-case";

    /// PascalCase, camelCase and snake_case models, and a snake_case view (views are skipped).
    const THREE_CASES_AND_A_VIEW: &str = r#"model DbUser {
  id String @id
}
model dbUser {
  id String @id
}
model db_user {
  id String @id
}
view user_view {
  id String
}
"#;

    const SNAKE_AND_PREFIXED: &str = r#"model db_user {
  id String @id
}
model _Legacy {
  id String @id
}
"#;

    /// A model ignored for every rule, and an `@@ignore`d model.
    const IGNORED: &str = r#"model db_user {
  /// prisma-lint-ignore-model
  id String @id
}
model other_user {
  id String @id
  @@ignore
}
"#;

    const IGNORED_FOR_THIS_RULE: &str = r#"model db_user {
  /// prisma-lint-ignore-model model-name-pascal-case
  id String @id
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                Case::schema(SNAKE_AND_PREFIXED)
                    .options(json!({"allowList": ["/^db_/"], "trimPrefix": "_"})),
                Case::schema(IGNORED),
                Case::schema(IGNORED_FOR_THIS_RULE),
            ],
            &[
                Case::schema(THREE_CASES_AND_A_VIEW),
                Case::schema(SNAKE_AND_PREFIXED),
            ],
        ));
    }
}
