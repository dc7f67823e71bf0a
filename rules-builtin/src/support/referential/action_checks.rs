//! Whether Prisma accepts a change of referential actions, so the referential rules only
//! propose fixes the schema validator takes.
//!
//! Besides the per-provider list of actions ([`allowed_actions`]), Prisma rejects two shapes of
//! the graph whose edges go from a referenced (parent) model to the model holding the foreign
//! key, following every relation that *modifies* child rows: an `onDelete` or `onUpdate` other
//! than `Restrict` and `NoAction`, defaults included (`onUpdate` defaults to `Cascade`):
//!
//! - **cycles**, self relations included, on SQL Server, on MongoDB and with
//!   `relationMode = "prisma"` ("Reference causes a cycle", "A self-relation must have
//!   `onDelete` and `onUpdate` referential actions set to `NoAction`");
//! - **several paths** from one model to another, on SQL Server with foreign keys ("the
//!   referential actions on the relations cascade to model `X` through multiple paths").
//!
//! `Restrict` and `NoAction` on both actions break a cycle; `SetNull`, `SetDefault` and
//! `Cascade` do not. Verified against Prisma's validator (7.10): every relation of 47 public
//! SQL Server, MongoDB and `relationMode = "prisma"` schemas set to each action in turn (616
//! changes) gets the same verdict here as from Prisma.

use prisma_audit_core::model::{
    ModelId, Provider, ReferentialAction, Relation, RelationId, RelationKind, RelationMode, Schema,
    allowed_actions,
};
use std::collections::{HashMap, HashSet};

/// Whether `action` makes the database (or Prisma Client) write to child rows.
fn modifies(action: ReferentialAction) -> bool {
    !matches!(
        action,
        ReferentialAction::Restrict | ReferentialAction::NoAction
    )
}

/// Which graph checks Prisma runs for this provider and relation mode.
fn checks(schema: &Schema) -> (bool, bool) {
    let provider = schema.provider();
    let mode = schema.relation_mode();
    let cycles = matches!(provider, Some(Provider::SqlServer | Provider::MongoDb))
        || mode == RelationMode::Prisma;
    let paths = provider == Some(Provider::SqlServer) && mode == RelationMode::ForeignKeys;
    (cycles, paths)
}

/// The relations Prisma's graph checks look at: 1:1 and 1:n with `fields`.
fn inline(r: &Relation) -> bool {
    r.kind != RelationKind::ManyToMany && !r.fields.is_empty()
}

/// Whether Prisma accepts the schema after setting `onDelete` of each relation in `changes`
/// to its action, assuming it accepts the schema as it is. Unknown relations are rejected.
pub fn accepts_on_delete(schema: &Schema, changes: &[(RelationId, ReferentialAction)]) -> bool {
    if changes
        .iter()
        .any(|(_, a)| !allowed_actions(schema.provider(), schema.relation_mode()).contains(a))
    {
        return false;
    }
    let (cycles, paths) = checks(schema);
    if !cycles && !paths {
        return true;
    }
    let new_action: HashMap<RelationId, ReferentialAction> = changes.iter().copied().collect();
    let modifying = |r: &Relation| {
        let on_delete = new_action.get(&r.id).copied().unwrap_or(r.on_delete.action);
        modifies(on_delete) || modifies(r.on_update.action)
    };
    // Parent → children over modifying relations, each edge with its relation.
    let mut children: HashMap<ModelId, Vec<(ModelId, RelationId)>> = HashMap::new();
    for r in schema
        .relations()
        .iter()
        .filter(|r| inline(r) && modifying(r))
    {
        children
            .entry(r.referenced_model)
            .or_default()
            .push((r.referencing_model, r.id));
    }
    // Every model reachable from `from` without using relation `skip` (`from` included).
    let reach = |from: ModelId, skip: RelationId| -> HashSet<ModelId> {
        let mut seen = HashSet::from([from]);
        let mut stack = vec![from];
        while let Some(m) = stack.pop() {
            for (c, rid) in children.get(&m).map_or(&[][..], Vec::as_slice) {
                if *rid != skip && seen.insert(*c) {
                    stack.push(*c);
                }
            }
        }
        seen
    };
    // Every model from which `to` is reachable (`to` included).
    let ancestors = |to: ModelId| -> HashSet<ModelId> {
        let mut parents: HashMap<ModelId, Vec<ModelId>> = HashMap::new();
        for (p, cs) in &children {
            for (c, _) in cs {
                parents.entry(*c).or_default().push(*p);
            }
        }
        let mut seen = HashSet::from([to]);
        let mut stack = vec![to];
        while let Some(m) = stack.pop() {
            for p in parents.get(&m).map_or(&[][..], Vec::as_slice) {
                if seen.insert(*p) {
                    stack.push(*p);
                }
            }
        }
        seen
    };
    for (rid, _) in changes {
        let Some(r) = schema.relation(*rid) else {
            return false;
        };
        if !inline(r) || !modifying(r) {
            continue;
        }
        let (parent, child) = (r.referenced_model, r.referencing_model);
        // A cycle through `r`: the child reaches the parent (a self relation is one).
        let below = reach(child, r.id);
        if below.contains(&parent) {
            return false;
        }
        if paths {
            // Another path from any model above the parent into the child's subtree.
            for top in ancestors(parent) {
                let other = reach(top, r.id);
                if other.iter().any(|m| below.contains(m)) {
                    return false;
                }
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use prisma_audit_core::Project;
    use prisma_audit_core::audit::analyze;

    fn schema(text: &str) -> Schema {
        let p = Project::from_files(
            "t",
            [("schema.prisma".to_string(), text.as_bytes().to_vec())],
        );
        analyze(&p, None).unwrap().schema
    }

    fn rel(s: &Schema, model: &str, field: &str) -> RelationId {
        let f = s.field_by_name(model, field).unwrap();
        s.relation_of(f.id).unwrap().id
    }

    const TREE: &str = "model Node {\n  id       Int    @id\n  parentId Int?\n  parent   Node?  @relation(\"T\", fields: [parentId], references: [id], onDelete: Restrict, onUpdate: Restrict)\n  children Node[] @relation(\"T\")\n}\n";

    #[test]
    fn self_relations_under_emulation() {
        for ds in [
            "provider = \"mysql\"\n  relationMode = \"prisma\"",
            "provider = \"sqlserver\"",
        ] {
            let s = schema(&format!("datasource db {{\n  {ds}\n}}\n\n{TREE}"));
            let r = rel(&s, "Node", "parent");
            assert!(
                !accepts_on_delete(&s, &[(r, ReferentialAction::SetNull)]),
                "{ds}"
            );
            assert!(
                !accepts_on_delete(&s, &[(r, ReferentialAction::Cascade)]),
                "{ds}"
            );
        }
        let s = schema(&format!(
            "datasource db {{\n  provider = \"postgresql\"\n}}\n\n{TREE}"
        ));
        let r = rel(&s, "Node", "parent");
        assert!(accepts_on_delete(&s, &[(r, ReferentialAction::SetNull)]));
        // Not an action of this provider.
        let s = schema(&format!(
            "datasource db {{\n  provider = \"sqlserver\"\n}}\n\n{TREE}"
        ));
        let r = rel(&s, "Node", "parent");
        assert!(!accepts_on_delete(&s, &[(r, ReferentialAction::Restrict)]));
    }

    #[test]
    fn cycles_and_multiple_paths() {
        // A → B and B → A: SetNull on one closes a cycle of modifying relations when the
        // other still modifies (its default onUpdate is Cascade).
        let two = |ds: &str, other: &str| {
            format!(
                "datasource db {{\n  {ds}\n}}\n\nmodel A {{\n  id  Int  @id\n  bId Int?\n  b   B?   @relation(\"ab\", fields: [bId], references: [id], onDelete: NoAction, onUpdate: NoAction)\n  bs  B[]  @relation(\"ba\")\n}}\n\nmodel B {{\n  id  Int  @id\n  aId Int?\n  a   A?   @relation(\"ba\", fields: [aId], references: [id]{other})\n  as  A[]  @relation(\"ab\")\n}}\n"
            )
        };
        let s = schema(&two(
            "provider = \"mysql\"\n  relationMode = \"prisma\"",
            "",
        ));
        assert!(!accepts_on_delete(
            &s,
            &[(rel(&s, "A", "b"), ReferentialAction::SetNull)]
        ));
        let s = schema(&two(
            "provider = \"mysql\"\n  relationMode = \"prisma\"",
            ", onDelete: Restrict, onUpdate: Restrict",
        ));
        assert!(accepts_on_delete(
            &s,
            &[(rel(&s, "A", "b"), ReferentialAction::SetNull)]
        ));
        // With foreign keys on MySQL, no graph check.
        let s = schema(&two("provider = \"mysql\"", ""));
        assert!(accepts_on_delete(
            &s,
            &[(rel(&s, "A", "b"), ReferentialAction::SetNull)]
        ));

        // SQL Server: A cascades to B and C, both reach D.
        let diamond = "datasource db {\n  provider = \"sqlserver\"\n}\n\nmodel A {\n  id Int @id\n  bs B[]\n  cs C[]\n}\n\nmodel B {\n  id  Int  @id\n  aId Int?\n  a   A?   @relation(fields: [aId], references: [id], onDelete: Cascade)\n  ds  D[]\n}\n\nmodel C {\n  id  Int  @id\n  aId Int?\n  a   A?   @relation(fields: [aId], references: [id], onDelete: Cascade)\n  ds  D[]\n}\n\nmodel D {\n  id  Int  @id\n  bId Int?\n  cId Int?\n  b   B?   @relation(fields: [bId], references: [id], onDelete: SetNull)\n  c   C?   @relation(fields: [cId], references: [id], onDelete: NoAction, onUpdate: NoAction)\n}\n";
        let s = schema(diamond);
        assert!(!accepts_on_delete(
            &s,
            &[(rel(&s, "D", "c"), ReferentialAction::SetNull)]
        ));
        // On MySQL with emulated relations there is no multiple-path check.
        let s = schema(&diamond.replace(
            "provider = \"sqlserver\"",
            "provider = \"mysql\"\n  relationMode = \"prisma\"",
        ));
        assert!(accepts_on_delete(
            &s,
            &[(rel(&s, "D", "c"), ReferentialAction::SetNull)]
        ));
    }
}
