use super::{a, fk_list, has_error_at, is_checkable, model_name, parent_side, referencing_path};
use crate::schema_edit::replace;
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{ReferentialAction, allowed_actions};
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports an explicit `onDelete: Restrict` or `onDelete: NoAction` on a relation whose
    /// foreign-key fields are all optional.
    ///
    /// ## Why is this bad?
    /// Deleting the parent fails as long as any child row points at it, although the optional
    /// foreign key could simply be cleared. Prisma's default for an optional relation is
    /// `SetNull`; writing `Restrict` turns routine deletes (a product that is no longer sold, a
    /// user who left) into errors at run time, usually only noticed in production.
    ///
    /// ## Example
    /// ```prisma
    /// model SaleItem {
    ///   id     String         @id
    ///   itemId String?
    ///   item   InventoryItem? @relation(fields: [itemId], references: [id], onDelete: Restrict)
    /// }
    /// ```
    /// Deleting an `InventoryItem` that was ever sold fails.
    ///
    /// ## Fix
    /// Use `onDelete: SetNull` (unsafe fix: deleting the parent then clears the reference in
    /// the children instead of failing). Keep `Restrict` only when the reference must never be
    /// lost — e.g. it records who did something and people are soft-deleted instead — and
    /// suppress the finding there. `SetNull` is only proposed where the provider and
    /// `relationMode` accept it.
    ///
    /// Applies to every provider: with `relationMode = "prisma"` and on MongoDB Prisma Client
    /// emulates `Restrict` the same way. Silent when the action is invalid for the provider
    /// (`invalid-schema` reports that), on views and on `@@ignore`d models.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/referential-actions
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/referential-actions#setnull
    pub struct RestrictOnOptionalRelation;
    id = "restrict-on-optional-relation",
    summary = "onDelete: Restrict/NoAction on an optional relation blocks deletes SetNull would allow",
    category = DataIntegrity,
    severity = Medium,
    fixable = true,
    enabled = true,
}

impl Rule for RestrictOnOptionalRelation {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        let set_null_ok = allowed_actions(schema.provider(), schema.relation_mode())
            .contains(&ReferentialAction::SetNull);
        for r in schema.relations() {
            let action = r.on_delete.action;
            let (true, Some(span)) = (r.on_delete.explicit, r.on_delete.span) else {
                continue;
            };
            if !matches!(
                action,
                ReferentialAction::Restrict | ReferentialAction::NoAction
            ) || !is_checkable(schema, r)
                || has_error_at(ctx, span)
            {
                continue;
            }
            let all_optional = r
                .fields
                .iter()
                .all(|f| schema.field(*f).is_some_and(|f| f.is_optional()));
            if !all_optional {
                continue;
            }
            let path = referencing_path(schema, r);
            let parent = model_name(schema, r.referenced_model);
            let child = model_name(schema, r.referencing_model);
            let fks = fk_list(schema, r);
            let plural = r.fields.len() > 1;
            let mut f = RawFinding::new(
                path.clone(),
                format!(
                    "`{path}` has `onDelete: {}` although its foreign key {fks} {} optional: deleting {} fails while `{child}` rows reference it",
                    action.as_str(),
                    if plural { "are" } else { "is" },
                    a(parent)
                ),
            )
            .at(span)
            .help(format!(
                "Because {fks} {} optional, `onDelete: SetNull` lets the delete succeed and clears the reference in the `{child}` rows (it is Prisma's default for optional relations). Keep `{}` only if the reference must never be lost (e.g. it records who did something and `{parent}` rows are soft-deleted instead); then suppress this finding to document the decision.",
                if plural { "are" } else { "is" },
                action.as_str()
            ));
            if let Some((s, m)) = parent_side(schema, r) {
                f = f.related(s, m);
            }
            if set_null_ok {
                f = f.fix(RawFix {
                    title: format!("Set `onDelete: SetNull` on `{path}`"),
                    safety: FixSafety::Unsafe,
                    edits: vec![replace(span, "onDelete: SetNull")],
                    sql: None,
                });
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_util::{fixed, schema_findings};

    const ID: &str = "restrict-on-optional-relation";

    fn schema(provider: &str, extra: &str, action: &str) -> String {
        format!(
            "datasource db {{\n  provider = \"{provider}\"{extra}\n}}\n\nmodel Item {{\n  id    Int    @id\n  lines Line[]\n}}\n\nmodel Line {{\n  id     Int   @id\n  itemId Int?\n  item   Item? @relation(fields: [itemId], references: [id], {action})\n}}\n"
        )
    }

    #[test]
    fn reports_restrict_on_optional_fk_with_fix() {
        let s = schema("postgresql", "", "onDelete: Restrict");
        let f = schema_findings(ID, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!((loc.start.line, loc.start.column), (13, 62));
        assert_eq!(loc.end.column, 80); // exactly `onDelete: Restrict`
        assert!(
            f[0].message
                .contains("`Line.item` has `onDelete: Restrict`")
        );
        assert!(f[0].message.contains("deleting an `Item` fails"));
        assert_eq!(f[0].related.len(), 1);
        assert!(f[0].related[0].message.contains("`Item.lines`"));
        let out = fixed(ID, &s, true);
        assert_eq!(
            out,
            schema("postgresql", "", "onDelete: SetNull"),
            "unsafe fix applied"
        );
        // The fix is unsafe: not applied in safe mode.
        assert_eq!(fixed(ID, &s, false), s);
    }

    #[test]
    fn reports_no_action_on_sqlserver_and_mysql_prisma_mode() {
        let s = schema("sqlserver", "", "onDelete: NoAction");
        assert_eq!(schema_findings(ID, &s).len(), 1);
        let s = schema(
            "mysql",
            "\n  relationMode = \"prisma\"",
            "onDelete: NoAction",
        );
        assert_eq!(schema_findings(ID, &s).len(), 1);
        // MongoDB emulates Restrict too.
        let s = "datasource db {\n  provider = \"mongodb\"\n}\n\nmodel Item {\n  id    String @id @default(auto()) @map(\"_id\") @db.ObjectId\n  lines Line[]\n}\n\nmodel Line {\n  id     String  @id @default(auto()) @map(\"_id\") @db.ObjectId\n  itemId String? @db.ObjectId\n  item   Item?   @relation(fields: [itemId], references: [id], onDelete: Restrict)\n}\n";
        assert_eq!(schema_findings(ID, s).len(), 1);
    }

    #[test]
    fn silent_where_it_does_not_apply() {
        // Implicit default (SetNull), explicit SetNull/Cascade.
        for a in [
            "onUpdate: Cascade",
            "onDelete: SetNull",
            "onDelete: Cascade",
        ] {
            assert!(
                schema_findings(ID, &schema("postgresql", "", a)).is_empty(),
                "{a}"
            );
        }
        // Required foreign key: Restrict is a deliberate block (delete-blocked-by-relation).
        let s = schema("postgresql", "", "onDelete: Restrict")
            .replace("itemId Int?", "itemId Int")
            .replace("Item? @", "Item @");
        assert!(schema_findings(ID, &s).is_empty());
        // NoAction is invalid on PostgreSQL with relationMode prisma: invalid-schema says so.
        let s = schema(
            "postgresql",
            "\n  relationMode = \"prisma\"",
            "onDelete: NoAction",
        );
        assert!(schema_findings(ID, &s).is_empty());
        // Ignored model.
        let s = schema("postgresql", "", "onDelete: Restrict").replace(
            "references: [id], onDelete: Restrict)\n}",
            "references: [id], onDelete: Restrict)\n\n  @@ignore\n}",
        );
        assert!(schema_findings(ID, &s).is_empty());
    }

    #[test]
    fn composite_foreign_key_all_optional() {
        let s = "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel A {\n  x  Int\n  y  Int\n  bs B[]\n\n  @@id([x, y])\n}\n\nmodel B {\n  id Int  @id\n  ax Int?\n  ay Int?\n  a  A?   @relation(fields: [ax, ay], references: [x, y], onDelete: Restrict)\n}\n";
        let f = schema_findings(ID, s);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("`ax`, `ay` are optional"),
            "{}",
            f[0].message
        );
        // One required field: not optional.
        let s2 = s.replace("ay Int?", "ay Int ");
        assert!(schema_findings(ID, &s2).is_empty());
    }
}
