use crate::support::case::{is_plural, is_uncountable, last_word_start, pluralize, singularize};
use crate::support::prisma_lint::{Pattern, allowed, lint_models};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext, RuleOptions};
use serde::Deserialize;

declare_rule! {
    /// ## What it does
    /// Checks that model names are all singular (`User`) or all plural (`Users`), as configured,
    /// like prisma-lint's rule of the same name.
    ///
    /// ## Why is this bad?
    /// Prisma Client names its delegates after the model (`prisma.user.findMany()`); a mix of
    /// `User` and `Orders` makes every query read differently and every new model a debate. The
    /// Prisma documentation uses singular names.
    ///
    /// ## Example
    /// With `{ "style": "singular" }`:
    /// ```prisma
    /// model Users {
    ///   id String @id
    /// }
    /// ```
    ///
    /// ## Fix
    /// Rename the model (`User`, with `@@map("users")` to keep the table). Not fixed
    /// automatically: renaming a model changes the client API.
    ///
    /// ## Options
    /// - `style` (`"singular"` or `"plural"`, required): the grammatical number. Without it the
    ///   rule reports nothing.
    /// - `allowlist` (list of names or `"/regex/"`): model names to accept as they are.
    ///
    /// The number is decided on the last word of the name (`UserRoles` → `roles`) with the
    /// rules of the `pluralize` package prisma-lint uses; `data` counts as plural, as in
    /// prisma-lint's documentation. Difference from prisma-lint: uncountable words (`Staff`,
    /// `Equipment`, `Information`, `Series`, ...) are accepted in both styles, where prisma-lint
    /// reports them as plural under `"singular"`.
    ///
    /// Off by default (style). Views and `@@ignore`d models are skipped.
    ///
    /// ## References
    /// - https://github.com/loop-payments/prisma-lint/blob/main/RULES.md#model-name-grammatical-number
    /// - https://www.prisma.io/docs/orm/reference/prisma-schema-reference#naming-conventions
    pub struct ModelNameGrammaticalNumber;
    id = "model-name-grammatical-number",
    summary = "Model names mix singular and plural",
    category = Style,
    severity = Low,
    fixable = false,
    enabled = false,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Number {
    Singular,
    Plural,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// The grammatical number of model names: `singular` or `plural`. Without it the rule
    /// reports nothing.
    style: Option<Number>,
    /// Model names to accept as they are: exact names or `/regex/` patterns.
    #[serde(default)]
    allowlist: Vec<Pattern>,
}

/// The finding text for a name that is not in `style`, if it is not.
pub(crate) fn number_mismatch(name: &str, style: Number) -> Option<String> {
    let last = &name[last_word_start(name)..];
    if is_uncountable(last) {
        return None;
    }
    let plural = is_plural(name);
    match (style, plural) {
        (Number::Singular, true) => Some(singularize(name)),
        (Number::Plural, false) => Some(pluralize(name)),
        _ => None,
    }
}

impl RuleOptions for Options {
    const REQUIRED: &'static [&'static str] = &["style"];
}

impl Rule for ModelNameGrammaticalNumber {
    prisma_audit_core::rule_options!(Options);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let opts: Options = ctx.options();
        let Some(style) = opts.style else { return };
        let word = match style {
            Number::Singular => "singular",
            Number::Plural => "plural",
        };
        for (model, _) in lint_models(ctx, Self::META.id) {
            if allowed(&model.name, &opts.allowlist) {
                continue;
            }
            let Some(suggestion) = number_mismatch(&model.name, style) else {
                continue;
            };
            out.push(
                RawFinding::new(
                    model.name.clone(),
                    format!(
                        "Model name `{}` is not {word}; expected a {word} name such as `{suggestion}`",
                        model.name
                    ),
                )
                .at(model.name_span)
                .help(format!(
                    "Rename the model to `{suggestion}` (keep the table with `@@map(\"{}\")`), or \
                     add it to `allowlist`.",
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

    const ID: &str = "model-name-grammatical-number";

    /// Singular, plural and uncountable names.
    const MODELS: &str = r#"model User {
  id String @id
}
model Users {
  id String @id
}
model UserData {
  id String @id
}
model Staff {
  id String @id
}
model Status {
  id String @id
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                // No style configured: nothing to check.
                Case::schema(MODELS),
                Case::schema(MODELS)
                    .options(json!({"style": "singular", "allowlist": ["/Data$/", "Users"]})),
            ],
            &[
                Case::schema(MODELS).options(json!({"style": "singular"})),
                Case::schema(MODELS).options(json!({"style": "plural"})),
            ],
        ));
    }
}
