use crate::support::prisma_lint::OneOrMany;
use crate::support::prisma_lint::{Pattern, allowed, lint_models, trim_prefix, validate};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    #[serde(default)]
    allow_list: Vec<Pattern>,
    trim_prefix: Option<OneOrMany<Pattern>>,
}

/// `^[A-Z][a-zA-Z0-9]*$`
pub(crate) fn is_pascal(name: &str) -> bool {
    let mut c = name.chars();
    c.next().is_some_and(|f| f.is_ascii_uppercase()) && c.all(|x| x.is_ascii_alphanumeric())
}

impl Rule for ModelNamePascalCase {
    fn validate_options(
        &self,
        options: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), String> {
        validate::<Options>(options, &[])
    }

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
    use crate::support::test_util::{findings_with, schema_findings};
    use serde_json::json;

    const ID: &str = "model-name-pascal-case";

    #[test]
    fn flags_non_pascal_names() {
        let s = "model DbUser {\n  id String @id\n}\nmodel dbUser {\n  id String @id\n}\nmodel db_user {\n  id String @id\n}\nview user_view {\n  id String\n}\n";
        let f = schema_findings(ID, s);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(
            f[0].message,
            "Model name `dbUser` is not in PascalCase (e.g. `DbUser`)"
        );
        assert_eq!(f[0].location.as_ref().unwrap().start.line, 4);
        assert!(f[1].message.contains("`db_user`"));
        assert!(f[1].help.as_ref().unwrap().contains("@@map(\"db_user\")"));
    }

    #[test]
    fn options_allow_list_and_trim_prefix() {
        let s = "model db_user {\n  id String @id\n}\nmodel _Legacy {\n  id String @id\n}\n";
        assert_eq!(schema_findings(ID, s).len(), 2);
        let f = findings_with(
            ID,
            &[("schema.prisma", s)],
            json!({"allowList": ["/^db_/"], "trimPrefix": "_"}),
        );
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn ignore_comment_and_ignored_models() {
        let s = "model db_user {\n  /// prisma-lint-ignore-model\n  id String @id\n}\nmodel other_user {\n  id String @id\n  @@ignore\n}\n";
        assert!(schema_findings(ID, s).is_empty());
        let s = "model db_user {\n  /// prisma-lint-ignore-model model-name-pascal-case\n  id String @id\n}\n";
        assert!(schema_findings(ID, s).is_empty());
    }
}
