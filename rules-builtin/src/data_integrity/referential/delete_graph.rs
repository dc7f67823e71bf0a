//! The delete graph: what happens to the rows pointing at a model when one of its rows is
//! deleted, following Prisma's effective `onDelete` actions (explicit or default).
//!
//! Edges go from the referenced (parent) model to the model holding the foreign key (child),
//! one per 1:1 or 1:n relation (self relations included). Implicit m:n join rows always
//! cascade and have no children, so they never block and are not edges. Views and `@@ignore`d
//! models are left out. `SetNull` and `SetDefault` never block; `Cascade` deletes the child
//! rows, whose own incoming relations then apply; `Restrict` and `NoAction` block.
//!
//! A block reached through cascades (`Tenant → (Cascade) Customer → Sale (Restrict)`) is not
//! counted when the blocking child is itself deleted by the same cascade (`Sale` also
//! cascades from `Tenant`): PostgreSQL runs the cascaded deletes before checking the
//! restricting constraints of the statement, so the delete succeeds (verified on
//! PostgreSQL 15 for both `RESTRICT` and `NO ACTION`, whatever the constraint creation order).

use prisma_audit_core::model::{
    ModelId, ReferentialAction, Relation, RelationId, RelationKind, Schema,
};
use std::collections::{HashMap, HashSet, VecDeque};

/// One way deleting a row of `root` fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The model whose row is deleted.
    pub root: ModelId,
    /// The cascading relations from `root` to the blocked model, in order (empty when the
    /// blocking relation points at `root` directly).
    pub path: Vec<RelationId>,
    /// The `Restrict`/`NoAction` relation that makes the delete fail.
    pub blocker: RelationId,
}

/// Relations by referenced model.
pub struct DeleteGraph<'a> {
    schema: &'a Schema,
    incoming: HashMap<ModelId, Vec<&'a Relation>>,
}

/// Whether a relation's effective `onDelete` blocks the parent's delete.
pub fn blocks(action: ReferentialAction) -> bool {
    matches!(
        action,
        ReferentialAction::Restrict | ReferentialAction::NoAction
    )
}

impl<'a> DeleteGraph<'a> {
    /// Build the graph of `schema`.
    pub fn new(schema: &'a Schema) -> Self {
        let usable = |m: ModelId| {
            schema
                .model_by_id(m)
                .is_some_and(|m| !m.is_view && !m.is_ignored())
        };
        let mut incoming: HashMap<ModelId, Vec<&Relation>> = HashMap::new();
        for r in schema.relations() {
            if r.kind == RelationKind::ManyToMany
                || r.fields.is_empty()
                || !usable(r.referencing_model)
                || !usable(r.referenced_model)
                || schema.field(r.referencing).is_none_or(|f| f.is_ignored())
            {
                continue;
            }
            incoming.entry(r.referenced_model).or_default().push(r);
        }
        DeleteGraph { schema, incoming }
    }

    /// The relations whose parent is `model`.
    pub fn incoming(&self, model: ModelId) -> &[&'a Relation] {
        self.incoming.get(&model).map_or(&[], Vec::as_slice)
    }

    /// Every model whose rows a delete of `root` cascades into, with the relation it was
    /// first reached by (breadth first: shortest paths). `root` itself is not included.
    pub fn cascade_closure(&self, root: ModelId) -> Vec<(ModelId, RelationId)> {
        let mut seen: HashSet<ModelId> = HashSet::from([root]);
        let mut order = Vec::new();
        let mut queue = VecDeque::from([root]);
        while let Some(m) = queue.pop_front() {
            for r in self.incoming(m) {
                if r.on_delete.action == ReferentialAction::Cascade
                    && seen.insert(r.referencing_model)
                {
                    order.push((r.referencing_model, r.id));
                    queue.push_back(r.referencing_model);
                }
            }
        }
        order
    }

    /// The cascading relations from `root` to `target` given `closure` (from
    /// [`Self::cascade_closure`]).
    fn path_to(
        &self,
        root: ModelId,
        target: ModelId,
        via: &HashMap<ModelId, RelationId>,
    ) -> Vec<RelationId> {
        let mut path = Vec::new();
        let mut cur = target;
        while cur != root {
            let Some(&rid) = via.get(&cur) else { break };
            path.push(rid);
            match self.schema.relation(rid) {
                Some(r) => cur = r.referenced_model,
                None => break,
            }
            if path.len() > self.schema.relations().len() {
                break; // defensive: never loop
            }
        }
        path.reverse();
        path
    }

    /// Every way deleting a row of `root` fails: the `Restrict`/`NoAction` relations pointing
    /// at `root` or at a model the delete cascades into (see the module docs for blocks that
    /// the same cascade clears).
    pub fn blocks_from(&self, root: ModelId) -> Vec<Block> {
        let closure = self.cascade_closure(root);
        let via: HashMap<ModelId, RelationId> = closure.iter().copied().collect();
        let mut out = Vec::new();
        let reached = std::iter::once(root).chain(closure.iter().map(|(m, _)| *m));
        for m in reached {
            for r in self.incoming(m) {
                if !blocks(r.on_delete.action) {
                    continue;
                }
                if m != root
                    && (r.referencing_model == root || via.contains_key(&r.referencing_model))
                {
                    continue; // the blocking rows are deleted by the same cascade
                }
                out.push(Block {
                    root,
                    path: if m == root {
                        Vec::new()
                    } else {
                        self.path_to(root, m, &via)
                    },
                    blocker: r.id,
                });
            }
        }
        out
    }

    /// `Tenant → (Cascade) Customer → Sale (Restrict)` for a block.
    pub fn describe(&self, block: &Block) -> String {
        let name = |m: ModelId| {
            self.schema
                .model_by_id(m)
                .map_or_else(String::new, |m| m.name.clone())
        };
        let mut s = name(block.root);
        for rid in &block.path {
            if let Some(r) = self.schema.relation(*rid) {
                s.push_str(&format!(" → (Cascade) {}", name(r.referencing_model)));
            }
        }
        if let Some(r) = self.schema.relation(block.blocker) {
            s.push_str(&format!(
                " → {} ({})",
                name(r.referencing_model),
                r.on_delete.action.as_str()
            ));
        }
        s
    }
}
