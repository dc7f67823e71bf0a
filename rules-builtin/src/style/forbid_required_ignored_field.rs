use crate::support::prisma_lint::lint_models;
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports required fields marked `@ignore` that have no `@default`, like prisma-lint's
    /// rule of the same name.
    ///
    /// ## Why is this bad?
    /// `@ignore` removes the field from Prisma Client, but the column stays `NOT NULL` in the
    /// database. Every `create` then fails with a not-null violation, because the client can
    /// no longer send a value and the database has no default to fill in.
    ///
    /// ## Example
    /// ```prisma
    /// model Product {
    ///   id          String @id
    ///   toBeRemoved String @ignore
    /// }
    /// ```
    ///
    /// ## Fix
    /// Give the field a `@default(...)`, make it optional (`String?`, with a migration that
    /// drops `NOT NULL`), or drop the column. Not fixed automatically: each option changes the
    /// database.
    ///
    /// Relation fields are skipped (they have no column). Off by default (style). Views and
    /// `@@ignore`d models are skipped.
    ///
    /// ## References
    /// - https://github.com/loop-payments/prisma-lint/blob/main/RULES.md#forbid-required-ignored-field
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/models#exclude-fields-and-models-from-the-prisma-client
    pub struct ForbidRequiredIgnoredField;
    id = "forbid-required-ignored-field",
    summary = "Required @ignore fields without a default",
    category = Style,
    severity = Low,
    fixable = false,
    enabled = false,
}

impl Rule for ForbidRequiredIgnoredField {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        for (model, _) in lint_models(ctx, Self::META.id) {
            for field in &model.fields {
                let Some(ignore) = field.ignored else {
                    continue;
                };
                if !field.is_required()
                    || field.is_relation()
                    || model.relation_attr_of(field).is_some()
                    || model.default_of(field).is_some()
                    || model
                        .attributes_of(field)
                        .iter()
                        .any(|a| a.value == "default")
                {
                    continue;
                }
                let path = format!("{}.{}", model.name, field.name);
                out.push(
                    RawFinding::new(
                        path.clone(),
                        format!(
                            "`{path}` is required and `@ignore`d without a default: Prisma Client \
                             can no longer create `{}` rows",
                            model.name
                        ),
                    )
                    .at(field.span)
                    .related(ignore, "ignored here")
                    .help(
                        "The column stays NOT NULL but the client cannot send a value for it, so \
                         every insert fails. Add a `@default(...)`, make the field optional, or \
                         drop the column.",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::cases;

    const ID: &str = "forbid-required-ignored-field";

    /// Only `c` is required, ignored and without a default.
    const IGNORED_FIELDS: &str = r#"model Product {
  uuid    String  @id
  a       String? @ignore
  b       Boolean @default(false) @ignore
  c       String  @ignore
}
"#;

    /// An ignored model, and an ignored relation whose foreign key has a default.
    const IGNORED_MODEL_AND_RELATION: &str = r#"model A {
  id String @id
  c  String @ignore
  @@ignore
}
model B {
  id  String @id
  cId String @ignore @default("x")
  c   C      @relation(fields: [cId], references: [id]) @ignore
}
model C {
  id String @id
  bs B[]
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(cases(ID, &[IGNORED_MODEL_AND_RELATION], &[IGNORED_FIELDS]));
    }
}
