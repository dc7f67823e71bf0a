use super::model_name_grammatical_number::{Number, number_mismatch};
use crate::support::prisma_lint::{Pattern, allowed, lint_models};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext, RuleOptions};
use serde::Deserialize;

declare_rule! {
    /// ## What it does
    /// Checks that list fields (`Type[]`, scalar lists and relation lists alike) have singular
    /// or plural names, as configured, like prisma-lint's rule of the same name.
    ///
    /// ## Why is this bad?
    /// `user.posts` reads as a collection and `user.post` as one record; mixing both for list
    /// fields makes client code misleading (`for (const post of user.post)`).
    ///
    /// ## Example
    /// With `{ "ifList": "plural" }`:
    /// ```prisma
    /// model User {
    ///   id    String   @id
    ///   email String[]
    /// }
    /// ```
    ///
    /// ## Fix
    /// Rename the field (`emails String[] @map("email")` keeps the column). Not fixed
    /// automatically: renaming a field changes the client API.
    ///
    /// ## Options
    /// - `ifList` (`"singular"` or `"plural"`, required): the number list fields must have.
    ///   Without it the rule reports nothing.
    /// - `ifListAllow` (list of names or `"/regex/"`): field names to accept as they are.
    ///
    /// The number is decided on the last word of the name with the `pluralize` package's rules
    /// (see `model-name-grammatical-number`); uncountable words (`staff`, `information`) are
    /// accepted in both styles.
    ///
    /// Off by default (style). Views and `@@ignore`d models are skipped.
    ///
    /// ## References
    /// - https://github.com/loop-payments/prisma-lint/blob/main/RULES.md#field-name-grammatical-number
    pub struct FieldNameGrammaticalNumber;
    id = "field-name-grammatical-number",
    summary = "List field names with the wrong grammatical number",
    category = Style,
    severity = Low,
    fixable = false,
    enabled = false,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// The grammatical number list fields must have: `singular` or `plural`. Without it the
    /// rule reports nothing.
    if_list: Option<Number>,
    /// Field names to accept as they are: exact names or `/regex/` patterns.
    #[serde(default)]
    if_list_allow: Vec<Pattern>,
}

impl RuleOptions for Options {
    const REQUIRED: &'static [&'static str] = &["ifList"];
}

impl Rule for FieldNameGrammaticalNumber {
    prisma_audit_core::rule_options!(Options);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let opts: Options = ctx.options();
        let Some(style) = opts.if_list else { return };
        let word = match style {
            Number::Singular => "singular",
            Number::Plural => "plural",
        };
        for (model, _) in lint_models(ctx, Self::META.id) {
            for field in model.fields.iter().filter(|f| f.is_list()) {
                if allowed(&field.name, &opts.if_list_allow) {
                    continue;
                }
                let Some(suggestion) = number_mismatch(&field.name, style) else {
                    continue;
                };
                out.push(
                    RawFinding::new(
                        format!("{}.{}", model.name, field.name),
                        format!(
                            "List field `{}.{}` should have a {word} name such as `{suggestion}`",
                            model.name, field.name
                        ),
                    )
                    .at(field.name_span)
                    .help(format!(
                        "Rename the field to `{suggestion}`, or add it to `ifListAllow`."
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

    const ID: &str = "field-name-grammatical-number";

    /// Plural, singular and uncountable scalar lists, a relation list and a non-list field.
    const LISTS: &str = r#"model User {
  id     String   @id
  emails String[]
  tag    String[]
  data   String[]
  name   String
  posts  Post[]
}
model Post {
  id     String @id
  userId String
  user   User   @relation(fields: [userId], references: [id])
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                // Nothing configured: nothing to check.
                Case::schema(LISTS),
                Case::schema(LISTS)
                    .options(json!({"ifList": "singular", "ifListAllow": ["data", "/s$/"]})),
            ],
            &[
                Case::schema(LISTS).options(json!({"ifList": "plural"})),
                Case::schema(LISTS).options(json!({"ifList": "singular"})),
            ],
        ));
    }
}
