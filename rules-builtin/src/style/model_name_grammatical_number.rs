use crate::support::case::{is_plural, is_uncountable, last_word_start, pluralize, singularize};
use crate::support::prisma_lint::{Pattern, allowed, lint_models, validate};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Number {
    Singular,
    Plural,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    style: Option<Number>,
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

impl Rule for ModelNameGrammaticalNumber {
    fn validate_options(
        &self,
        options: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), String> {
        validate::<Options>(options, &["style"])
    }

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
                    "Rename the model to `{suggestion}` (keep the table with `@@map(\"{}\")`), or add it to `allowlist`.",
                    model.db_name()
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{findings_with, schema_findings};
    use serde_json::json;

    const ID: &str = "model-name-grammatical-number";

    fn run(schema: &str, options: serde_json::Value) -> Vec<String> {
        findings_with(ID, &[("schema.prisma", schema)], options)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    const S: &str = "model User {\n  id String @id\n}\nmodel Users {\n  id String @id\n}\nmodel UserData {\n  id String @id\n}\nmodel Staff {\n  id String @id\n}\nmodel Status {\n  id String @id\n}\n";

    #[test]
    fn singular_style() {
        let f = findings_with(ID, &[("schema.prisma", S)], json!({"style": "singular"}));
        let m: Vec<&str> = f.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            m,
            [
                "Model name `Users` is not singular; expected a singular name such as `User`",
                "Model name `UserData` is not singular; expected a singular name such as `UserDatum`",
            ]
        );
        assert_eq!(f[0].location.as_ref().unwrap().start.line, 4);
    }

    #[test]
    fn plural_style() {
        let m = run(S, json!({"style": "plural"}));
        assert_eq!(
            m,
            [
                "Model name `User` is not plural; expected a plural name such as `Users`",
                "Model name `Status` is not plural; expected a plural name such as `Statuses`",
            ]
        );
    }

    #[test]
    fn allowlist_and_unconfigured() {
        assert_eq!(
            run(
                S,
                json!({"style": "singular", "allowlist": ["/Data$/", "Users"]})
            ),
            Vec::<String>::new()
        );
        assert!(schema_findings(ID, S).is_empty());
    }
}
