use crate::support::case::{to_camel_case, to_pascal_case, to_snake_case};
use crate::support::prisma_lint::{OneOrMany, Pattern, allowed, lint_enums, trim_prefix};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext, RuleOptions};
use serde::Deserialize;

declare_rule! {
    /// ## What it does
    /// Checks that enum values follow one case style, like prisma-lint's rule of the same
    /// name: `snake_case` (lower or upper: `past_due` / `PAST_DUE`), `camelCase` or
    /// `PascalCase`.
    ///
    /// ## Why is this bad?
    /// Enum values are compared as strings in application code, URLs and analytics; `PastDue`
    /// next to `ACTIVE` invites typos and inconsistent APIs. Use `@map("...")` when the
    /// database values must differ from the client names.
    ///
    /// ## Example
    /// With `{ "style": "snake", "case": "upper" }`:
    /// ```prisma
    /// enum SubscriptionStatus {
    ///   ACTIVE
    ///   PastDue
    /// }
    /// ```
    ///
    /// ## Fix
    /// Rename the value (keep the stored value with `@map("PastDue")` if rows exist). Not fixed
    /// automatically: renaming a value changes the client API and, without `@map`, the data.
    ///
    /// ## Options
    /// - `style` (`"snake"`, `"camel"` or `"pascal"`; default `"snake"`).
    /// - `case` (`"lower"` or `"upper"`, snake style only; default `"lower"`).
    /// - `compoundWords` (list): words kept whole (`["GraphQL"]`).
    /// - `allowList` (list of names or `"/regex/"`): values to accept as they are.
    /// - `trimPrefix` (name, `"/regex/"` or a list): a prefix removed before the check.
    ///
    /// Off by default (style). `/// prisma-lint-ignore-enum enum-value-case Value1,Value2`
    /// comments are honoured.
    ///
    /// ## References
    /// - https://github.com/loop-payments/prisma-lint/blob/main/RULES.md#enum-value-case
    pub struct EnumValueCase;
    id = "enum-value-case",
    summary = "Enum values not in the configured case",
    category = Style,
    severity = Low,
    fixable = false,
    enabled = false,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Style {
    #[default]
    Snake,
    Camel,
    Pascal,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Case {
    #[default]
    Lower,
    Upper,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// The case of enum values: `snake` (default), `camel` or `pascal`.
    #[serde(default)]
    style: Style,
    /// For the snake style: `lower` (default) or `upper` letters.
    #[serde(default)]
    case: Case,
    /// Words kept whole (`["GraphQL"]`).
    #[serde(default)]
    compound_words: Vec<String>,
    /// Values to accept as they are: exact names or `/regex/` patterns.
    #[serde(default)]
    allow_list: Vec<Pattern>,
    /// A prefix removed before the check: a name, a `/regex/`, or a list of them.
    trim_prefix: Option<OneOrMany<Pattern>>,
}

impl RuleOptions for Options {}

impl Rule for EnumValueCase {
    prisma_audit_core::rule_options!(Options);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let opts: Options = ctx.options();
        let prefixes = opts
            .trim_prefix
            .clone()
            .map(|p| p.to_vec())
            .unwrap_or_default();
        let style_name = match (opts.style, opts.case) {
            (Style::Snake, Case::Lower) => "snake_case",
            (Style::Snake, Case::Upper) => "upper SNAKE_CASE",
            (Style::Camel, _) => "camelCase",
            (Style::Pascal, _) => "PascalCase",
        };
        for (e, ignores) in lint_enums(ctx, Self::META.id) {
            for v in &e.values {
                if ignores.name(Self::META.id, &v.name) || allowed(&v.name, &opts.allow_list) {
                    continue;
                }
                let value = trim_prefix(&v.name, &prefixes);
                let want = match opts.style {
                    Style::Snake => {
                        to_snake_case(&value, &opts.compound_words, opts.case == Case::Upper)
                    }
                    Style::Camel => to_camel_case(&value, &opts.compound_words),
                    Style::Pascal => to_pascal_case(&value, &opts.compound_words),
                };
                if want == value {
                    continue;
                }
                out.push(
                    RawFinding::new(
                        format!("{}.{}", e.name, v.name),
                        format!(
                            "Enum value `{}.{}` is not in {style_name} (expected `{want}`)",
                            e.name, v.name
                        ),
                    )
                    .at(v.name_span)
                    .help(format!(
                        "Rename the value to `{want}`; add `@map(\"{}\")` to keep the value stored \
                         in existing rows.",
                        v.db_name()
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

    const ID: &str = "enum-value-case";

    /// One value in each case style.
    const MIXED: &str = r#"enum Example {
  value_1
  VALUE_2
  camelCase
  PascalCase
}
"#;

    const IGNORED_VALUES: &str = r#"enum Example {
  /// prisma-lint-ignore-enum enum-value-case NotValid,AlsoNot
  ok
  NotValid
  AlsoNot
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[Case::schema(IGNORED_VALUES)],
            &[
                // snake_case, lower, by default.
                Case::schema(MIXED),
                Case::schema(MIXED).options(json!({"style": "snake", "case": "upper"})),
                // Only `PascalCase` is neither camelCase nor allowed.
                Case::schema(MIXED)
                    .options(json!({"style": "camel", "allowList": ["/^[A-Z_0-9]+$/", "value_1"]})),
                Case::schema(MIXED).options(json!({"style": "pascal"})),
            ],
        ));
    }

    #[test]
    fn rejects_unknown_styles_cases_and_options() {
        let rule = prisma_audit_core::rule::registry()
            .into_iter()
            .find(|r| r.meta().id == ID)
            .unwrap();
        for bad in [
            json!({"style": "kebab"}),
            json!({"case": "title"}),
            json!({"styles": "snake"}),
        ] {
            assert!(
                rule.validate_options(bad.as_object().unwrap()).is_err(),
                "{bad}"
            );
        }
    }
}
