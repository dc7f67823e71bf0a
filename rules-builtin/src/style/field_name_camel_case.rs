use crate::support::prisma_lint::{OneOrMany, Pattern, allowed, lint_models, trim_prefix};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext, RuleOptions};
use serde::Deserialize;

declare_rule! {
    /// ## What it does
    /// Checks that field names are in camelCase (`^[a-z][a-zA-Z0-9]*$`), like prisma-lint's
    /// rule of the same name.
    ///
    /// ## Why is this bad?
    /// Field names become properties of Prisma Client objects; `RowId` or `row_id` stands out
    /// in TypeScript code and usually means the database naming leaked into the client. Keep
    /// the column name with `@map("row_id")` instead.
    ///
    /// ## Example
    /// ```prisma
    /// model User {
    ///   row_id String @id
    /// }
    /// ```
    ///
    /// ## Fix
    /// Rename the field (`rowId String @id @map("row_id")`). Not fixed automatically: renaming
    /// a field changes the client API.
    ///
    /// ## Options
    /// - `allowList` (list of names or `"/regex/"`): field names to accept as they are.
    /// - `trimPrefix` (name, `"/regex/"` or a list): a prefix removed before the check (e.g.
    ///   `"_"` for `_count`-style names).
    ///
    /// Off by default (style). Views and `@@ignore`d models are skipped; prisma-lint's
    /// `/// prisma-lint-ignore-model` comments are honoured.
    ///
    /// ## References
    /// - https://github.com/loop-payments/prisma-lint/blob/main/RULES.md#field-name-camel-case
    pub struct FieldNameCamelCase;
    id = "field-name-camel-case",
    summary = "Field names are not camelCase",
    category = Style,
    severity = Low,
    fixable = false,
    enabled = false,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// Field names to accept as they are: exact names or `/regex/` patterns.
    #[serde(default)]
    allow_list: Vec<Pattern>,
    /// A prefix removed before the check: a name, a `/regex/`, or a list of them.
    trim_prefix: Option<OneOrMany<Pattern>>,
}

fn is_camel(name: &str) -> bool {
    let mut c = name.chars();
    c.next().is_some_and(|f| f.is_ascii_lowercase()) && c.all(|x| x.is_ascii_alphanumeric())
}

impl RuleOptions for Options {}

impl Rule for FieldNameCamelCase {
    prisma_audit_core::rule_options!(Options);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let opts: Options = ctx.options();
        let prefixes = opts.trim_prefix.map(|p| p.to_vec()).unwrap_or_default();
        for (model, _) in lint_models(ctx, Self::META.id) {
            for field in &model.fields {
                if allowed(&field.name, &opts.allow_list)
                    || is_camel(&trim_prefix(&field.name, &prefixes))
                {
                    continue;
                }
                let suggestion = crate::support::case::to_camel_case(&field.name, &[]);
                out.push(
                    RawFinding::new(
                        format!("{}.{}", model.name, field.name),
                        format!(
                            "Field name `{}.{}` is not in camelCase (e.g. `{suggestion}`)",
                            model.name, field.name
                        ),
                    )
                    .at(field.name_span)
                    .help(format!(
                        "Rename the field to `{suggestion}` and keep the column name with `@map(\"{}\")`.",
                        field.db_name()
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};
    use serde_json::json;

    const ID: &str = "field-name-camel-case";

    /// camelCase, PascalCase and snake_case field names.
    const THREE_CASES: &str = r#"model User {
  rowId String @id
  RowName String
  row_id String
}
"#;

    const PREFIXED_AND_SNAKE: &str = r#"model User {
  id String @id
  _legacy String
  row_id String
}
"#;

    const IGNORED_MODEL: &str = r#"model User {
  /// prisma-lint-ignore-model field-name-camel-case
  id String @id
  row_id String
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                Case::schema(PREFIXED_AND_SNAKE)
                    .options(json!({"allowList": ["row_id"], "trimPrefix": "_"})),
                Case::schema(IGNORED_MODEL),
            ],
            &[Case::schema(THREE_CASES), Case::schema(PREFIXED_AND_SNAKE)],
        ));
    }
}
