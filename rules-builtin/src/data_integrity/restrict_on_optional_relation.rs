use crate::support::referential::action_checks::accepts_on_delete;
use crate::support::referential::model_kinds::{is_attribution, is_history_name};
use crate::support::referential::{
    a, fk_list, has_error_at, is_checkable, model_name, parent_side, referencing_path,
};
use crate::support::schema_edit::replace;
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::ReferentialAction;
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports an explicit `onDelete: Restrict` or `onDelete: NoAction` on a relation whose
    /// foreign-key fields are all optional, when the child row is a record that is kept for
    /// good, so the parent it points at can never be deleted again:
    /// - the child is a history record (financial, clinical or audit: `SaleItem`, `Payment`,
    ///   `MedicalHistory`, `AdminAuditLog`...), or
    /// - the relation records who did something (`closedBy`, `approvedBy`, `author`...).
    ///
    /// The classification is a name heuristic (documented in `model_kinds.rs`), so findings are
    /// marked heuristic.
    ///
    /// ## Why is this bad?
    /// Deleting the parent fails as long as any child row points at it. When the children are
    /// current state (a class's teacher, a folder's parent), that is a deliberate "reassign
    /// first" guard. When they are history that is never deleted, the block is permanent: an
    /// `InventoryItem` that was sold once, or a `User` who once closed a cash drawer, can never
    /// be deleted, although the optional foreign key could simply be cleared. The failure
    /// usually shows up in production, as an error on a routine delete.
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
    /// Decide what deleting the parent means. To let it succeed and keep the history rows, use
    /// `onDelete: SetNull` (unsafe fix: the rows then lose their link; Prisma's default for an
    /// optional relation). To keep the link, keep `Restrict`, soft-delete or archive the parent
    /// instead of deleting it, and suppress the finding to document the decision. The fix is
    /// only offered where Prisma accepts `SetNull`: the provider and `relationMode` must allow
    /// it, and it must not close a cycle of referential actions (SQL Server, MongoDB,
    /// `relationMode = "prisma"`) nor add a second cascade path (SQL Server).
    ///
    /// Deliberately silent:
    /// - on children that are current state rather than history (a teacher assigned to a
    ///   class, a template used by a document): blocking the delete until they are reassigned
    ///   is a reasonable design;
    /// - on self relations (trees: deleting a node that still has children is usually meant to
    ///   fail);
    /// - on `onDelete: NoAction` written together with `onUpdate: NoAction`: the shape
    ///   `prisma db pull` writes for a foreign key without actions, and the one Prisma requires
    ///   to break a cycle of referential actions;
    /// - when Prisma would reject `SetNull` there (the restriction breaks a cycle or a second
    ///   cascade path), and when the action is invalid for the provider (`invalid-schema`
    ///   reports that);
    /// - on views and `@@ignore`d models.
    ///
    /// Applies to every provider: with `relationMode = "prisma"` and on MongoDB Prisma Client
    /// emulates `Restrict` the same way.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/referential-actions
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/referential-actions#setnull
    /// - https://pris.ly/d/cyclic-referential-actions
    pub struct RestrictOnOptionalRelation;
    id = "restrict-on-optional-relation",
    summary = "onDelete: Restrict/NoAction from a history record makes its parent permanently undeletable",
    category = DataIntegrity,
    severity = Medium,
    fixable = true,
    enabled = true,
}

impl Rule for RestrictOnOptionalRelation {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        for r in schema.relations() {
            let action = r.on_delete.action;
            let (true, Some(span)) = (r.on_delete.explicit, r.on_delete.span) else {
                continue;
            };
            if !matches!(
                action,
                ReferentialAction::Restrict | ReferentialAction::NoAction
            ) || r.is_self
                || !is_checkable(ctx, r)
                || has_error_at(ctx, span)
            {
                continue;
            }
            // `prisma db pull`'s mirror of a plain foreign key, or a cycle breaker.
            if action == ReferentialAction::NoAction
                && r.on_update.explicit
                && r.on_update.action == ReferentialAction::NoAction
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
            let Some(field) = schema.field(r.referencing) else {
                continue;
            };
            let child = model_name(schema, r.referencing_model);
            let attribution = is_attribution(field);
            if !attribution && !is_history_name(child) {
                continue;
            }
            if !accepts_on_delete(schema, &[(r.id, ReferentialAction::SetNull)]) {
                continue;
            }
            let path = referencing_path(schema, r);
            let parent = model_name(schema, r.referenced_model);
            let fks = fk_list(schema, r);
            let plural = r.fields.len() > 1;
            let why = if attribution {
                format!(
                    "`{path}` records who did something, so those `{child}` rows stay and {} that ever did it can never be deleted",
                    a(parent)
                )
            } else {
                format!(
                    "`{child}` rows are history records that stay, so {} that one ever referenced can never be deleted",
                    a(parent)
                )
            };
            let mut f = RawFinding::new(
                path.clone(),
                format!(
                    "`{path}` has `onDelete: {}` although its foreign key {fks} {} optional: {why}",
                    action.as_str(),
                    if plural { "are" } else { "is" },
                ),
            )
            .at(span)
            .heuristic()
            .help(format!(
                "Decide what deleting {} means. To let the delete succeed and keep the `{child}` rows, use `onDelete: SetNull` (Prisma's default for an optional relation): the rows stay and lose their link. To keep the link, keep `{}`, soft-delete or archive `{parent}` rows instead of deleting them, and suppress this finding to document the decision. (The classification of `{child}` as history is inferred from names.)",
                a(parent),
                action.as_str()
            ));
            if let Some((s, m)) = parent_side(schema, r) {
                f = f.related(s, m);
            }
            f = f.fix(RawFix {
                title: format!("Set `onDelete: SetNull` on `{path}`"),
                safety: FixSafety::Unsafe,
                edits: vec![replace(span, "onDelete: SetNull")],
                sql: None,
            });
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{fixed, schema_findings};
    use prisma_audit_core::finding::Confidence;

    const ID: &str = "restrict-on-optional-relation";

    fn schema(provider: &str, extra: &str, action: &str) -> String {
        format!(
            "datasource db {{\n  provider = \"{provider}\"{extra}\n}}\n\nmodel Item {{\n  id    Int        @id\n  lines SaleLine[]\n}}\n\nmodel SaleLine {{\n  id     Int   @id\n  itemId Int?\n  item   Item? @relation(fields: [itemId], references: [id], {action})\n}}\n"
        )
    }

    #[test]
    fn reports_restrict_from_a_history_record_with_fix() {
        let s = schema("postgresql", "", "onDelete: Restrict");
        let f = schema_findings(ID, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!((loc.start.line, loc.start.column), (13, 62));
        assert_eq!(loc.end.column, 80); // exactly `onDelete: Restrict`
        assert_eq!(
            f[0].message,
            "`SaleLine.item` has `onDelete: Restrict` although its foreign key `itemId` is optional: `SaleLine` rows are history records that stay, so an `Item` that one ever referenced can never be deleted"
        );
        assert_eq!(f[0].confidence, Confidence::Heuristic);
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
    fn attribution_relations_are_reported() {
        let s = "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel User {\n  id      Int      @id\n  drawers Drawer[]\n}\n\nmodel Drawer {\n  id         Int   @id\n  closedById Int?\n  closedBy   User? @relation(fields: [closedById], references: [id], onDelete: Restrict)\n}\n";
        let f = schema_findings(ID, s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message.ends_with(
                "`Drawer.closedBy` records who did something, so those `Drawer` rows stay and a `User` that ever did it can never be deleted"
            ),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn current_state_children_are_a_design_choice() {
        // A class's teacher: reassign first, then delete. Not reported.
        let s = schema("postgresql", "", "onDelete: Restrict").replace("SaleLine", "Class");
        assert!(schema_findings(ID, &s).is_empty());
    }

    #[test]
    fn no_action_on_other_providers() {
        let s = schema("sqlserver", "", "onDelete: NoAction");
        assert_eq!(schema_findings(ID, &s).len(), 1);
        let s = schema(
            "mysql",
            "\n  relationMode = \"prisma\"",
            "onDelete: NoAction",
        );
        assert_eq!(schema_findings(ID, &s).len(), 1);
        assert!(fixed(ID, &s, true).contains("onDelete: SetNull"));
        // MongoDB emulates Restrict too.
        let s = "datasource db {\n  provider = \"mongodb\"\n}\n\nmodel Item {\n  id    String     @id @default(auto()) @map(\"_id\") @db.ObjectId\n  lines SaleLine[]\n}\n\nmodel SaleLine {\n  id     String  @id @default(auto()) @map(\"_id\") @db.ObjectId\n  itemId String? @db.ObjectId\n  item   Item?   @relation(fields: [itemId], references: [id], onDelete: Restrict)\n}\n";
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
        // NoAction on both actions: what `prisma db pull` writes.
        let s = schema("postgresql", "", "onDelete: NoAction, onUpdate: NoAction");
        assert!(schema_findings(ID, &s).is_empty());
        // Ignored model.
        let s = schema("postgresql", "", "onDelete: Restrict").replace(
            "references: [id], onDelete: Restrict)\n}",
            "references: [id], onDelete: Restrict)\n\n  @@ignore\n}",
        );
        assert!(schema_findings(ID, &s).is_empty());
    }

    #[test]
    fn self_relations_and_cycles_are_left_alone() {
        // A self relation under relationMode prisma must not modify rows (Prisma rejects
        // SetNull there), and a tree that refuses to delete a node with children is a design.
        let tree = "datasource db {\n  provider     = \"mysql\"\n  relationMode = \"prisma\"\n}\n\nmodel PaymentNode {\n  id       Int           @id\n  parentId Int?\n  parent   PaymentNode?  @relation(\"T\", fields: [parentId], references: [id], onDelete: Restrict, onUpdate: Restrict)\n  children PaymentNode[] @relation(\"T\")\n}\n";
        assert!(schema_findings(ID, tree).is_empty());
        // Two models referencing each other under relationMode prisma: the Restrict on
        // `Payment.order` breaks the cycle Prisma would reject, so it is not reported.
        let cycle = "datasource db {\n  provider     = \"mysql\"\n  relationMode = \"prisma\"\n}\n\nmodel Order {\n  id        Int       @id\n  paymentId Int?\n  payment   Payment?  @relation(\"op\", fields: [paymentId], references: [id], onDelete: SetNull)\n  payments  Payment[] @relation(\"po\")\n}\n\nmodel Payment {\n  id      Int     @id\n  orderId Int?\n  order   Order?  @relation(\"po\", fields: [orderId], references: [id], onDelete: Restrict, onUpdate: Restrict)\n  orders  Order[] @relation(\"op\")\n}\n";
        assert!(schema_findings(ID, cycle).is_empty());
        // With foreign keys on MySQL there is no cycle rule: reported, SetNull offered.
        let fk = cycle.replace("\n  relationMode = \"prisma\"", "");
        let f = schema_findings(ID, &fk);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].fix.is_some());
    }

    #[test]
    fn composite_foreign_key_all_optional() {
        let s = "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel A {\n  x  Int\n  y  Int\n  bs Payment[]\n\n  @@id([x, y])\n}\n\nmodel Payment {\n  id Int  @id\n  ax Int?\n  ay Int?\n  a  A?   @relation(fields: [ax, ay], references: [x, y], onDelete: Restrict)\n}\n";
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
