//! The delete graph: what happens to the rows pointing at a model when one of its rows is
//! deleted, following Prisma's effective `onDelete` actions (explicit or default).
//!
//! Edges go from the referenced (parent) model to the model holding the foreign key (child),
//! one per 1:1 or 1:n relation (self relations included). Implicit m:n join rows always
//! cascade and have no children, so they never block and are not edges. Views (also models
//! documented `/// @view`) and `@@ignore`d models are left out. `SetNull` and `SetDefault`
//! never block; `Cascade` deletes the child rows, whose own incoming relations then apply;
//! `Restrict` and `NoAction` block.
//!
//! A block reached through cascades (`Tenant → (Cascade) Customer → Sale (Restrict)`) is not
//! counted when the blocking child is itself deleted by the same cascade (`Sale` also
//! cascades from `Tenant`): PostgreSQL runs the cascaded deletes before checking the
//! restricting constraints of the statement, so the delete succeeds (verified on
//! PostgreSQL 15 for both `RESTRICT` and `NO ACTION`, whatever the constraint creation order).

use prisma_audit_core::model::{
    ModelId, ReferentialAction, Relation, RelationId, RelationKind, Schema,
};
use prisma_audit_core::rule::RuleContext;
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

/// Relations by referenced model, and cascading relations by referencing model.
pub struct DeleteGraph<'a> {
    schema: &'a Schema,
    incoming: HashMap<ModelId, Vec<&'a Relation>>,
    cascades_up: HashMap<ModelId, Vec<&'a Relation>>,
    edges: Vec<&'a Relation>,
}

/// Whether a relation's effective `onDelete` blocks the parent's delete.
pub fn blocks(action: ReferentialAction) -> bool {
    matches!(
        action,
        ReferentialAction::Restrict | ReferentialAction::NoAction
    )
}

impl<'a> DeleteGraph<'a> {
    /// Build the graph of the audited schema.
    pub fn new(ctx: &RuleContext<'a>) -> Self {
        let schema: &'a Schema = ctx.schema;
        let usable = |m: ModelId| {
            schema
                .model_by_id(m)
                .is_some_and(|m| super::is_table(ctx, m))
        };
        let mut incoming: HashMap<ModelId, Vec<&Relation>> = HashMap::new();
        let mut cascades_up: HashMap<ModelId, Vec<&Relation>> = HashMap::new();
        let mut edges = Vec::new();
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
            if r.on_delete.action == ReferentialAction::Cascade {
                cascades_up.entry(r.referencing_model).or_default().push(r);
            }
            edges.push(r);
        }
        DeleteGraph {
            schema,
            incoming,
            cascades_up,
            edges,
        }
    }

    /// Every relation of the graph, in schema order.
    pub fn edges(&self) -> &[&'a Relation] {
        &self.edges
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

    /// Every model whose delete cascades into `target`, with the first cascading relation of
    /// its shortest path to `target` (breadth first). `target` itself is not included.
    pub fn cascade_sources(&self, target: ModelId) -> Vec<(ModelId, RelationId)> {
        let mut seen: HashSet<ModelId> = HashSet::from([target]);
        let mut order = Vec::new();
        let mut queue = VecDeque::from([target]);
        while let Some(m) = queue.pop_front() {
            for r in self.cascades_up.get(&m).map_or(&[][..], Vec::as_slice) {
                if seen.insert(r.referenced_model) {
                    order.push((r.referenced_model, r.id));
                    queue.push_back(r.referenced_model);
                }
            }
        }
        order
    }

    /// Every way a delete fails because of the `Restrict`/`NoAction` relation `blocker`:
    /// deleting its parent directly (first), and deleting any model whose cascade reaches the
    /// parent (shortest paths first; see the module docs for blocks the same cascade clears).
    /// At most `limit` cascade paths are returned; the second value counts the others.
    pub fn blocks_of(&self, blocker: &Relation, limit: usize) -> (Vec<Block>, usize) {
        if !blocks(blocker.on_delete.action) {
            return (Vec::new(), 0);
        }
        let parent = blocker.referenced_model;
        let child = blocker.referencing_model;
        let mut out = vec![Block {
            root: parent,
            path: Vec::new(),
            blocker: blocker.id,
        }];
        let sources = self.cascade_sources(parent);
        if sources.is_empty() {
            return (out, 0);
        }
        // Roots whose cascade also deletes the blocking child rows.
        let mut cleared: HashSet<ModelId> = self
            .cascade_sources(child)
            .into_iter()
            .map(|(m, _)| m)
            .collect();
        cleared.insert(child);
        let next: HashMap<ModelId, RelationId> = sources.iter().copied().collect();
        let mut more = 0;
        for (root, _) in sources {
            if cleared.contains(&root) {
                continue;
            }
            if out.len() > limit {
                more += 1;
                continue;
            }
            let mut path = Vec::new();
            let mut cur = root;
            while cur != parent {
                let Some(r) = next.get(&cur).and_then(|id| self.schema.relation(*id)) else {
                    break;
                };
                path.push(r.id);
                cur = r.referencing_model;
                if path.len() > self.edges.len() {
                    break; // defensive: never loop
                }
            }
            out.push(Block {
                root,
                path,
                blocker: blocker.id,
            });
        }
        (out, more)
    }

    /// `Tenant → (Cascade) Customer → Sale (Restrict)` for a block.
    pub fn describe(&self, block: &Block) -> String {
        let name = |m: ModelId| {
            self.schema
                .model_by_id(m)
                .map_or_else(String::new, |m| m.name.to_string())
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
