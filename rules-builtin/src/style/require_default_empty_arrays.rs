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
                    .help("Rows created without this field store NULL instead of an empty list; `@default([])` makes the database agree with the client's non-null list type.")
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
    use crate::support::test_util::{fixed, schema_findings};

    const ID: &str = "require-default-empty-arrays";
    const S: &str = "datasource db {\n  provider = \"postgresql\"\n}\n\nenum Role {\n  USER\n}\n\nmodel Post {\n  id     String   @id\n  tags   String[] // labels\n  roles  Role[]   @default([USER])\n  empty  Int[]    @default([])\n  userId String\n  user   User     @relation(fields: [userId], references: [id])\n}\n\nmodel User {\n  id    String @id\n  posts Post[]\n}\n";

    #[test]
    fn flags_lists_without_default() {
        let f = schema_findings(ID, S);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(
            f[0].message,
            "List field `Post.tags` has no default; add `@default([])`"
        );
        assert_eq!(f[0].location.as_ref().unwrap().start.line, 11);
    }

    #[test]
    fn fix_adds_default() {
        assert_eq!(
            fixed(ID, S, false),
            S.replace(
                "tags   String[] // labels",
                "tags   String[] @default([]) // labels"
            )
        );
    }

    #[test]
    fn mongodb_composite_lists_are_skipped() {
        let s = "datasource db {\n  provider = \"mongodb\"\n}\n\ntype Address {\n  street String\n}\n\nmodel User {\n  id        String    @id @default(auto()) @map(\"_id\") @db.ObjectId\n  addresses Address[]\n  tags      String[]\n}\n";
        let f = schema_findings(ID, s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.contains("User.tags"));
    }
}
