use crate::support::prisma_lint::lint_models;
use crate::support::schema_edit::append_field_attribute;
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::FieldType;
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports scalar list fields (`tags String[]`, `roles Role[]`) without a default, like
    /// prisma-lint's rule of the same name.
    ///
    /// ## Why is this bad?
    /// Without `@default([])` a row created without the field stores `NULL` in the database
    /// (PostgreSQL arrays are nullable even though Prisma types the field as a non-null list),
    /// so raw SQL, other services and `array_length`/`ANY(...)` queries see `NULL` where the
    /// application expects an empty list.
    ///
    /// ## Example
    /// ```prisma
    /// model Post {
    ///   id   String   @id
    ///   tags String[]
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add `@default([])`: safe, existing rows keep their values and new rows get an empty
    /// list instead of `NULL` (backfill old `NULL`s with an `UPDATE` if you rely on it).
    ///
    /// Relation lists (`posts Post[]`) and composite-type lists (MongoDB) have no column
    /// default and are skipped. Difference from prisma-lint: a non-empty list default
    /// (`@default([USER])`) also satisfies the rule. Off by default (style). Views and
    /// `@@ignore`d models are skipped.
    ///
    /// ## References
    /// - https://github.com/loop-payments/prisma-lint/blob/main/RULES.md#require-default-empty-arrays
    /// - https://www.prisma.io/docs/orm/reference/prisma-schema-reference#default
    pub struct RequireDefaultEmptyArrays;
    id = "require-default-empty-arrays",
    summary = "Scalar lists without a default",
    category = Style,
    severity = Low,
    fixable = true,
    enabled = false,
}

impl Rule for RequireDefaultEmptyArrays {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        for (model, _) in lint_models(ctx, Self::META.id) {
            for field in &model.fields {
                if !field.is_list()
                    || !matches!(field.ty, FieldType::Scalar(_) | FieldType::Enum(_))
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
                        format!("List field `{path}` has no default; add `@default([])`"),
                    )
                    .at(field.span)
                    .help(
                        "Rows created without this field store NULL instead of an empty list; \
                         `@default([])` makes the database agree with the client's non-null list \
                         type.",
                    )
                    .fix(RawFix {
                        title: format!("Add `@default([])` to `{path}`"),
                        safety: FixSafety::Safe,
                        edits: vec![append_field_attribute(field, "@default([])")],
                        sql: None,
                    }),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, fixed};

    const ID: &str = "require-default-empty-arrays";

    /// Only `tags` has no default; relation lists need none.
    const LISTS: &str = r#"datasource db {
  provider = "postgresql"
}

enum Role {
  USER
}

model Post {
  id     String   @id
  tags   String[] // labels
  roles  Role[]   @default([USER])
  empty  Int[]    @default([])
  userId String
  user   User     @relation(fields: [userId], references: [id])
}

model User {
  id    String @id
  posts Post[]
}
"#;

    /// A list of composite types is skipped; a scalar list is not.
    const MONGODB_COMPOSITE_LIST: &str = r#"datasource db {
  provider = "mongodb"
}

type Address {
  street String
}

model User {
  id        String    @id @default(auto()) @map("_id") @db.ObjectId
  addresses Address[]
  tags      String[]
}
"#;

    const DEFAULTS: &str = r#"datasource db {
  provider = "postgresql"
}

model Post {
  id   String   @id
  tags String[] @default([])
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(cases(ID, &[DEFAULTS], &[LISTS, MONGODB_COMPOSITE_LIST]));
    }

    #[test]
    fn fix_adds_default() {
        assert_eq!(
            fixed(ID, LISTS, false),
            LISTS.replace(
                "tags   String[] // labels",
                "tags   String[] @default([]) // labels"
            )
        );
    }
}
