use super::model_name_pascal_case::is_pascal;
use crate::support::prisma_lint::{OneOrMany, Pattern, allowed, lint_enums, trim_prefix};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext, RuleOptions};
use serde::Deserialize;

declare_rule! {
    /// ## What it does
    /// Checks that enum names are in PascalCase (`^[A-Z][a-zA-Z0-9]*$`), like prisma-lint's
    /// rule of the same name.
    ///
    /// ## Why is this bad?
    /// Enums become TypeScript types and objects of Prisma Client; `example_options` or
    /// `exampleOptions` reads like a value, not a type, and breaks the conventions the rest of
    /// the client follows. `@@map("example_options")` keeps a snake_case database type name.
    ///
    /// ## Example
    /// ```prisma
    /// enum example_options {
    ///   value1
    /// }
    /// ```
    ///
    /// ## Fix
    /// Rename the enum (e.g. `ExampleOptions`) and keep the database type with `@@map`. Not
    /// fixed automatically: renaming an enum changes the client API.
    ///
    /// ## Options
    /// - `allowList` (list of names or `"/regex/"`): enum names to accept as they are.
    /// - `trimPrefix` (name, `"/regex/"` or a list): a prefix removed before the check.
    ///
    /// Off by default (style). `/// prisma-lint-ignore-enum` comments are honoured.
    ///
    /// ## References
    /// - https://github.com/loop-payments/prisma-lint/blob/main/RULES.md#enum-name-pascal-case
    pub struct EnumNamePascalCase;
    id = "enum-name-pascal-case",
    summary = "Enum names are not PascalCase",
    category = Style,
    severity = Low,
    fixable = false,
    enabled = false,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// Enum names to accept as they are: exact names or `/regex/` patterns.
    #[serde(default)]
    allow_list: Vec<Pattern>,
    /// A prefix removed before the check: a name, a `/regex/`, or a list of them.
    trim_prefix: Option<OneOrMany<Pattern>>,
}

impl RuleOptions for Options {}

impl Rule for EnumNamePascalCase {
    prisma_audit_core::rule_options!(Options);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let opts: Options = ctx.options();
        let prefixes = opts.trim_prefix.map(|p| p.to_vec()).unwrap_or_default();
        for (e, _) in lint_enums(ctx, Self::META.id) {
            if allowed(&e.name, &opts.allow_list) || is_pascal(&trim_prefix(&e.name, &prefixes)) {
                continue;
            }
            let suggestion = crate::support::case::to_pascal_case(&e.name, &[]);
            out.push(
                RawFinding::new(
                    e.name.clone(),
                    format!("Enum name `{}` is not in PascalCase (e.g. `{suggestion}`)", e.name),
                )
                .at(e.name_span)
                .help(format!(
                    "Rename the enum to `{suggestion}` and keep its database name with `@@map(\"{}\")`.",
                    e.db_name()
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};
    use serde_json::json;

    const ID: &str = "enum-name-pascal-case";

    /// PascalCase, camelCase and snake_case names.
    const THREE_CASES: &str = r#"enum ExampleOptions {
  value1
}
enum exampleOptions {
  value1
}
enum example_options {
  value1
}
"#;

    const SNAKE: &str = r#"enum example_options {
  value1
}
"#;

    const SNAKE_IGNORED: &str = r#"enum example_options {
  /// prisma-lint-ignore-enum
  value1
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                Case::schema(SNAKE).options(json!({"allowList": ["example_options"]})),
                Case::schema(SNAKE_IGNORED),
            ],
            &[
                Case::schema(THREE_CASES),
                // What remains after the prefix, `options`, is not PascalCase either.
                Case::schema(SNAKE).options(json!({"trimPrefix": ["/^[a-z]+_/"]})),
            ],
        ));
    }
}
