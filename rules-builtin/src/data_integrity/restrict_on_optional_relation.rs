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
                    "`{path}` records who did something, so those `{child}` rows stay and {} that \
                     ever did it can never be deleted",
                    a(parent)
                )
            } else {
                format!(
                    "`{child}` rows are history records that stay, so {} that one ever referenced \
                     can never be deleted",
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
                "Decide what deleting {} means. To let the delete succeed and keep the `{child}` \
                 rows, use `onDelete: SetNull` (Prisma's default for an optional relation): the \
                 rows stay and lose their link. To keep the link, keep `{}`, soft-delete or \
                 archive `{parent}` rows instead of deleting them, and suppress this finding to \
                 document the decision. (The classification of `{child}` as history is inferred \
                 from names.)",
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
    use crate::support::test_util::{cases, fixed, schema_findings};
    use prisma_audit_core::finding::Confidence;

    const ID: &str = "restrict-on-optional-relation";

    // A sale line is a history record: it stays.
    const RESTRICT: &str = r#"datasource db {
  provider = "postgresql"
}

model Item {
  id    Int        @id
  lines SaleLine[]
}

model SaleLine {
  id     Int   @id
  itemId Int?
  item   Item? @relation(fields: [itemId], references: [id], onDelete: Restrict)
}
"#;

    /// `RESTRICT` on `provider`, with `relationMode = "prisma"` or not, with the referential
    /// actions `actions` instead of `onDelete: Restrict`.
    fn variant(provider: &str, relation_mode_prisma: bool, actions: &str) -> String {
        let datasource = if relation_mode_prisma {
            format!("provider = \"{provider}\"\n  relationMode = \"prisma\"")
        } else {
            format!("provider = \"{provider}\"")
        };
        RESTRICT
            .replace("provider = \"postgresql\"", &datasource)
            .replace("onDelete: Restrict", actions)
    }

    const ATTRIBUTION: &str = r#"datasource db {
  provider = "postgresql"
}

model User {
  id      Int      @id
  drawers Drawer[]
}

model Drawer {
  id         Int   @id
  closedById Int?
  closedBy   User? @relation(fields: [closedById], references: [id], onDelete: Restrict)
}
"#;

    // MongoDB emulates Restrict too.
    const MONGO: &str = r#"datasource db {
  provider = "mongodb"
}

model Item {
  id    String     @id @default(auto()) @map("_id") @db.ObjectId
  lines SaleLine[]
}

model SaleLine {
  id     String  @id @default(auto()) @map("_id") @db.ObjectId
  itemId String? @db.ObjectId
  item   Item?   @relation(fields: [itemId], references: [id], onDelete: Restrict)
}
"#;

    // Required foreign key: Restrict is a deliberate block (delete-blocked-by-relation).
    const REQUIRED: &str = r#"datasource db {
  provider = "postgresql"
}

model Item {
  id    Int        @id
  lines SaleLine[]
}

model SaleLine {
  id     Int  @id
  itemId Int
  item   Item @relation(fields: [itemId], references: [id], onDelete: Restrict)
}
"#;

    const IGNORED: &str = r#"datasource db {
  provider = "postgresql"
}

model Item {
  id    Int        @id
  lines SaleLine[]
}

model SaleLine {
  id     Int   @id
  itemId Int?
  item   Item? @relation(fields: [itemId], references: [id], onDelete: Restrict)

  @@ignore
}
"#;

    // A self relation under relationMode prisma must not modify rows (Prisma rejects SetNull
    // there), and a tree that refuses to delete a node with children is a design.
    const TREE: &str = r#"datasource db {
  provider     = "mysql"
  relationMode = "prisma"
}

model PaymentNode {
  id       Int           @id
  parentId Int?
  parent   PaymentNode?  @relation("T", fields: [parentId], references: [id], onDelete: Restrict, onUpdate: Restrict)
  children PaymentNode[] @relation("T")
}
"#;

    // Two models referencing each other under relationMode prisma: the Restrict on
    // `Payment.order` breaks the cycle Prisma would reject, so it is not reported.
    const CYCLE: &str = r#"datasource db {
  provider     = "mysql"
  relationMode = "prisma"
}

model Order {
  id        Int       @id
  paymentId Int?
  payment   Payment?  @relation("op", fields: [paymentId], references: [id], onDelete: SetNull)
  payments  Payment[] @relation("po")
}

model Payment {
  id      Int     @id
  orderId Int?
  order   Order?  @relation("po", fields: [orderId], references: [id], onDelete: Restrict, onUpdate: Restrict)
  orders  Order[] @relation("op")
}
"#;

    // With foreign keys on MySQL there is no cycle rule: reported, SetNull offered.
    fn cycle_with_foreign_keys() -> String {
        CYCLE.replace("\n  relationMode = \"prisma\"", "")
    }

    const COMPOSITE: &str = r#"datasource db {
  provider = "postgresql"
}

model A {
  x  Int
  y  Int
  bs Payment[]

  @@id([x, y])
}

model Payment {
  id Int  @id
  ax Int?
  ay Int?
  a  A?   @relation(fields: [ax, ay], references: [x, y], onDelete: Restrict)
}
"#;

    #[test]
    fn pass_and_fail() {
        // A class's teacher: reassign first, then delete (current state, a design choice).
        let class = RESTRICT.replace("SaleLine", "Class");
        // Implicit default (SetNull), explicit SetNull/Cascade.
        let on_update_cascade = variant("postgresql", false, "onUpdate: Cascade");
        let set_null = variant("postgresql", false, "onDelete: SetNull");
        let cascade = variant("postgresql", false, "onDelete: Cascade");
        // NoAction is invalid on PostgreSQL with relationMode prisma: invalid-schema says so.
        let pg_prisma_no_action = variant("postgresql", true, "onDelete: NoAction");
        // NoAction on both actions: what `prisma db pull` writes.
        let pulled = variant(
            "postgresql",
            false,
            "onDelete: NoAction, onUpdate: NoAction",
        );
        // One required field of a composite key: not optional.
        let composite_one_required = COMPOSITE.replace("ay Int?", "ay Int ");
        let sqlserver_no_action = variant("sqlserver", false, "onDelete: NoAction");
        let mysql_prisma_no_action = variant("mysql", true, "onDelete: NoAction");
        insta::assert_snapshot!(cases(
            ID,
            &[
                &class,
                &on_update_cascade,
                &set_null,
                &cascade,
                REQUIRED,
                &pg_prisma_no_action,
                &pulled,
                IGNORED,
                TREE,
                CYCLE,
                &composite_one_required,
            ],
            &[
                RESTRICT,
                ATTRIBUTION,
                &sqlserver_no_action,
                &mysql_prisma_no_action,
                MONGO,
                &cycle_with_foreign_keys(),
                COMPOSITE,
            ]
        ));
    }

    #[test]
    fn one_finding_on_exactly_the_action() {
        let f = schema_findings(ID, RESTRICT);
        assert_eq!(f.len(), 1, "{f:#?}");
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!((loc.start.line, loc.start.column), (13, 62));
        assert_eq!(loc.end.column, 80); // exactly `onDelete: Restrict`
        assert_eq!(f[0].confidence, Confidence::Heuristic);
        assert_eq!(f[0].related.len(), 1);
        assert!(f[0].related[0].message.contains("`Item.lines`"));
        for s in [
            ATTRIBUTION.to_string(),
            variant("sqlserver", false, "onDelete: NoAction"),
            variant("mysql", true, "onDelete: NoAction"),
            MONGO.to_string(),
            cycle_with_foreign_keys(),
            COMPOSITE.to_string(),
        ] {
            assert_eq!(schema_findings(ID, &s).len(), 1, "{s}");
        }
    }

    #[test]
    fn the_unsafe_fix_sets_null() {
        assert_eq!(
            fixed(ID, RESTRICT, true),
            RESTRICT.replace("onDelete: Restrict", "onDelete: SetNull"),
            "unsafe fix applied"
        );
        // The fix is unsafe: not applied in safe mode.
        assert_eq!(fixed(ID, RESTRICT, false), RESTRICT);
        let mysql = variant("mysql", true, "onDelete: NoAction");
        assert!(fixed(ID, &mysql, true).contains("onDelete: SetNull"));
        assert!(
            schema_findings(ID, &cycle_with_foreign_keys())[0]
                .fix
                .is_some()
        );
    }
}
