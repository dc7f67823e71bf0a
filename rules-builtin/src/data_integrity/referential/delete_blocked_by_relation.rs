use super::delete_graph::{Block, DeleteGraph};
use super::model_kinds::{ChildKind, classify, is_history_name};
use super::{
    a, fk_list, has_error_at, is_checkable, model_name, optional_fk_types, parent_side,
    referencing_path,
};
use crate::schema_edit::set_relation_argument;
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::{FixSafety, Severity};
use prisma_audit_core::model::{Provider, Relation, RelationKind, RelationMode};
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Computes the delete graph of the schema — for every model, what deleting one of its
    /// rows does to the rows pointing at it, following cascades — and reports the relations
    /// that make deletes fail although nobody decided so: a **required** relation without
    /// `onDelete`, where Prisma's default `Restrict` (`NoAction` on SQL Server) applies.
    /// The finding names the blocking path: directly (`Deleting a Customer fails while it has
    /// Sales`) and through cascades (`Tenant → (Cascade) User → AdminAuditLog (Restrict)`).
    ///
    /// An explicit `onDelete: Restrict`/`NoAction` is a decision and is not reported, except
    /// when it also blocks a cascade coming from another model (then the finding, medium, is
    /// at the start of that cascade path, with the `Restrict` as related location).
    ///
    /// ## Why is this bad?
    /// Deleting the parent fails with a foreign-key error as soon as one child row exists:
    /// customers with a past sale can never be deleted (a GDPR erasure request becomes a
    /// support ticket), and a tenant offboarding that cascades into such a model aborts.
    /// Because the default is silent in the schema, this is usually discovered in production.
    ///
    /// ## Example
    /// ```prisma
    /// model Pet {
    ///   id         String   @id
    ///   customerId String
    ///   customer   Customer @relation(fields: [customerId], references: [id])
    /// }
    /// model Sale {
    ///   id         String   @id
    ///   customerId String
    ///   customer   Customer @relation(fields: [customerId], references: [id])
    /// }
    /// ```
    ///
    /// ## Fix
    /// Decide per child (the classification is a name heuristic, documented in
    /// `model_kinds.rs`):
    /// - **owned/dependent children** (a customer's pets, the lines of an order, memberships,
    ///   appointments): `onDelete: Cascade` (unsafe fix: the database then deletes them with
    ///   the parent; the help lists history records the cascade would continue into);
    /// - **history/financial/audit records** (sales, orders, invoices, payments, transactions,
    ///   logs, prescriptions, medical history, and relations naming who did something such as
    ///   `createdBy`): no automatic fix. Keep `Restrict` — write it, to document the decision —
    ///   and soft-delete or anonymise the parent instead (for GDPR erasure, overwrite the
    ///   personal fields rather than deleting the row); or, when the record may lose its link,
    ///   make the foreign key optional **and** set `onDelete: SetNull` (both changes are needed).
    ///
    /// `SetNull` is never proposed on a required relation: every delete would then fail with a
    /// NOT NULL violation.
    ///
    /// Deliberate silences: implicit m:n join rows (they cascade); a block reached through a
    /// cascade when the blocking rows are deleted by the same cascade (`Sale` cascades from
    /// `Tenant` as well: PostgreSQL runs the cascades before checking the statement's
    /// constraints, so deleting the tenant succeeds); views and `@@ignore`d models. Applies to
    /// every provider: with `relationMode = "prisma"` and on MongoDB Prisma Client emulates
    /// the same actions. No `Cascade` fix is offered on SQL Server (it rejects cycles and
    /// multiple cascade paths to one table) nor on MongoDB when the cascade would close a
    /// cycle, self relations included (Prisma rejects those schemas).
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/referential-actions
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/relation-mode
    /// - https://gdpr-info.eu/art-17-gdpr/
    pub struct DeleteBlockedByRelation;
    id = "delete-blocked-by-relation",
    summary = "A required relation with Prisma's implicit Restrict makes the parent undeletable",
    category = DataIntegrity,
    severity = High,
    fixable = true,
    enabled = true,
}

/// At most this many extra paths are listed as related locations.
const MAX_PATHS: usize = 5;

fn default_name(ctx: &RuleContext<'_>) -> &'static str {
    match (ctx.schema.provider(), ctx.schema.relation_mode()) {
        (Some(Provider::SqlServer), RelationMode::ForeignKeys) => "NoAction",
        _ => "Restrict",
    }
}

/// Where a cascade path starts: the first cascading relation's `onDelete: Cascade`.
fn path_start(ctx: &RuleContext<'_>, block: &Block) -> Option<prisma_audit_core::span::Span> {
    let first = ctx.schema.relation(*block.path.first()?)?;
    first
        .on_delete
        .span
        .or_else(|| ctx.schema.field(first.referencing).map(|f| f.span))
}

fn add_paths(
    ctx: &RuleContext<'_>,
    graph: &DeleteGraph<'_>,
    mut f: RawFinding,
    blocks: &[&Block],
    more: usize,
) -> RawFinding {
    let shown = blocks.len().min(MAX_PATHS);
    let hidden = blocks.len() - shown + more;
    for (i, b) in blocks.iter().take(shown).enumerate() {
        let Some(at) = path_start(ctx, b) else {
            continue;
        };
        let mut msg = format!(
            "Deleting {} fails too: {}",
            a(model_name(ctx.schema, b.root)),
            graph.describe(b)
        );
        if i + 1 == shown && hidden > 0 {
            msg.push_str(&format!(" (and {hidden} more paths)"));
        }
        f = f.related(at, msg);
    }
    f
}

fn implicit_finding(
    ctx: &RuleContext<'_>,
    graph: &DeleteGraph<'_>,
    r: &Relation,
    blocks: &[Block],
    more: usize,
) -> Option<RawFinding> {
    let schema = ctx.schema;
    let field = schema.field(r.referencing)?;
    let parent = schema.model_by_id(r.referenced_model)?;
    let child = schema.model_by_id(r.referencing_model)?;
    let path = referencing_path(schema, r);
    let default = default_name(ctx);
    let (p, c) = (&parent.name, &child.name);
    let has = if r.is_self {
        format!("other `{c}` rows point at it through `{path}`")
    } else if r.kind == RelationKind::OneToOne {
        format!("it has {}", a(c))
    } else {
        format!("it has `{c}`s")
    };
    let message = format!(
        "Deleting {} fails while {has}: `{path}` is required and has no `onDelete` (Prisma's default is {default})",
        a(p)
    );
    let fks = fk_list(schema, r);
    let kind = classify(parent, child, field);
    // What a Cascade would delete next (only needed for owned children).
    let closure = if kind == ChildKind::Owned {
        graph.cascade_closure(child.id)
    } else {
        Vec::new()
    };
    let no_set_null = format!(
        "Do not use `onDelete: SetNull` while {fks} is required: every delete would fail with a NOT NULL violation (and databases other than PostgreSQL reject the schema)."
    );
    let help = match kind {
        ChildKind::Owned => {
            let mut h = format!(
                "`{c}` rows belong to their `{p}`: add `onDelete: Cascade` to `{path}` so deleting {} deletes them too.",
                a(p)
            );
            let downstream: Vec<String> = closure
                .iter()
                .filter_map(|(m, _)| schema.model_by_id(*m))
                .filter(|m| m.id != parent.id && is_history_name(&m.name))
                .map(|m| format!("`{}`", m.name))
                .collect();
            if !downstream.is_empty() {
                h.push_str(&format!(
                    " Note that the cascade continues: deleting {} also deletes its {} rows; if those records must be kept, keep the restriction (write `onDelete: {default}`) and soft-delete `{p}` rows instead.",
                    a(c),
                    downstream.join(", ")
                ));
            }
            h.push_str(&format!(
                " If deleting {} with `{c}` rows must stay impossible, write `onDelete: {default}` to document the decision. {no_set_null}",
                a(p)
            ));
            h
        }
        ChildKind::History => format!(
            "`{c}` is a history record (financial, clinical or audit) that should outlive the `{p}` it mentions, so do not cascade. Either keep the restriction — write `onDelete: {default}` to document it — and soft-delete or anonymise `{p}` rows instead of deleting them (for a GDPR erasure, overwrite the personal fields of the `{p}`: the `{c}` rows stay valid for accounting and audits); or, if {} may lose its link to the `{p}`, make the foreign key optional ({}) and the relation optional (`{} {p}?`) AND set `onDelete: SetNull` — both changes are needed. Prefer the first when the record must stay attributable. {no_set_null}",
            a(c),
            optional_fk_types(ctx, r),
            field.name
        ),
    };
    let mut f = RawFinding::new(path.clone(), message)
        .at(field.span)
        .help(help);
    if let Some((s, m)) = parent_side(schema, r) {
        f = f.related(s, m);
    }
    let others: Vec<&Block> = blocks.iter().filter(|b| !b.path.is_empty()).collect();
    f = add_paths(ctx, graph, f, &others, more);
    // SQL Server rejects cycles and multiple cascade paths, MongoDB cycles (self relations
    // included): no automatic Cascade there (https://pris.ly/d/cyclic-referential-actions).
    let sql_server = schema.provider() == Some(Provider::SqlServer)
        && schema.relation_mode() == RelationMode::ForeignKeys;
    let cycle = r.is_self || closure.iter().any(|(m, _)| *m == parent.id);
    let mongo_cycle = schema.provider() == Some(Provider::MongoDb) && cycle;
    if kind == ChildKind::Owned && (sql_server || mongo_cycle) {
        f.help = f.help.map(|h| {
            h + " No automatic fix: this database rejects cascades that form a cycle or (SQL Server) several cascade paths to one table, see https://pris.ly/d/cyclic-referential-actions."
        });
    }
    if kind == ChildKind::Owned
        && !sql_server
        && !mongo_cycle
        && let Some(edit) = set_relation_argument(ctx, field, "onDelete", "Cascade")
    {
        f = f.fix(RawFix {
            title: format!("Set `onDelete: Cascade` on `{path}`"),
            safety: FixSafety::Unsafe,
            edits: vec![edit],
            sql: None,
        });
    }
    Some(f)
}

fn explicit_finding(
    ctx: &RuleContext<'_>,
    graph: &DeleteGraph<'_>,
    r: &Relation,
    blocks: &[Block],
    more: usize,
) -> Option<RawFinding> {
    let schema = ctx.schema;
    let via: Vec<&Block> = blocks.iter().filter(|b| !b.path.is_empty()).collect();
    let first = via.first()?;
    let at = path_start(ctx, first)?;
    let path = referencing_path(schema, r);
    let root = model_name(schema, first.root);
    let parent = model_name(schema, r.referenced_model);
    let child = model_name(schema, r.referencing_model);
    let action = r.on_delete.action.as_str();
    let mut f = RawFinding::new(
        format!("{path}|cascade"),
        format!(
            "Deleting {} fails when its cascade reaches {} that has `{child}` rows: {} (`{path}` has `onDelete: {action}`)",
            a(root),
            a(parent),
            graph.describe(first)
        ),
    )
    .at(at)
    .severity(Severity::Medium)
    .help(format!(
        "The explicit `onDelete: {action}` on `{path}` protects `{child}` rows, but it also aborts every delete of {} that cascades into {} with such rows. Decide which wins: delete or detach the `{child}` rows first (in the same transaction), let them cascade from `{root}` as well, or soft-delete `{root}` rows instead of deleting them.",
        a(root),
        a(parent)
    ));
    if let Some(span) = r.on_delete.span {
        f = f.related(
            span,
            format!("`onDelete: {action}` on `{path}` stops the cascade"),
        );
    }
    Some(add_paths(ctx, graph, f, &via[1..], more))
}

impl Rule for DeleteBlockedByRelation {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        let graph = DeleteGraph::new(schema);
        for r in graph.edges() {
            // The direct block, then the shortest cascade paths (one more for the explicit
            // case, whose first path is the primary location).
            let (blocks, more) = graph.blocks_of(r, MAX_PATHS + 1);
            if blocks.is_empty() || r.on_delete.span.is_some_and(|s| has_error_at(ctx, s)) {
                continue;
            }
            let f = if r.on_delete.explicit {
                explicit_finding(ctx, &graph, r, &blocks, more)
            } else {
                implicit_finding(ctx, &graph, r, &blocks, more)
            };
            out.extend(f);
        }
    }

    fn strengths(&self, ctx: &RuleContext<'_>) -> Vec<String> {
        let schema = ctx.schema;
        let mut relations = schema
            .relations()
            .iter()
            .filter(|r| is_checkable(schema, r))
            .peekable();
        if relations.peek().is_some() && relations.all(|r| r.on_delete.explicit) {
            vec!["Every relation has an explicit `onDelete`".into()]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_util::{fixed, schema_findings};
    use prisma_audit_core::finding::Severity;

    const ID: &str = "delete-blocked-by-relation";

    const CLINIC: &str = r#"datasource db {
  provider = "postgresql"
}

model Tenant {
  id        String     @id
  customers Customer[]
  sales     Sale[]
}

model Customer {
  id       String @id
  tenantId String
  tenant   Tenant @relation(fields: [tenantId], references: [id], onDelete: Cascade)
  pets     Pet[]
  sales    Sale[]
}

model Pet {
  id         String   @id
  customerId String
  customer   Customer @relation(fields: [customerId], references: [id])
}

model Sale {
  id         String   @id
  tenantId   String
  customerId String
  tenant     Tenant   @relation(fields: [tenantId], references: [id], onDelete: Cascade)
  customer   Customer @relation(fields: [customerId], references: [id])
}
"#;

    #[test]
    fn owned_child_gets_cascade_history_child_gets_advice() {
        let f = schema_findings(ID, CLINIC);
        assert_eq!(f.len(), 2, "{f:#?}");
        let pet = f
            .iter()
            .find(|f| f.message.contains("`Pet.customer`"))
            .unwrap();
        assert_eq!(
            pet.message,
            "Deleting a `Customer` fails while it has `Pet`s: `Pet.customer` is required and has no `onDelete` (Prisma's default is Restrict)"
        );
        assert_eq!(pet.severity, Severity::High);
        assert_eq!(pet.location.as_ref().unwrap().start.line, 22);
        assert!(
            pet.help
                .as_deref()
                .unwrap()
                .contains("add `onDelete: Cascade`")
        );
        assert!(pet.fix.is_some());
        // Tenant → Customer → Pet (Restrict): Pet does not cascade from Tenant: a real path.
        assert_eq!(pet.related.len(), 2, "{:#?}", pet.related);
        assert_eq!(
            pet.related[1].message,
            "Deleting a `Tenant` fails too: Tenant → (Cascade) Customer → Pet (Restrict)"
        );
        assert_eq!(pet.related[1].location.start.line, 14);

        let sale = f
            .iter()
            .find(|f| f.message.contains("`Sale.customer`"))
            .unwrap();
        assert!(
            sale.message
                .starts_with("Deleting a `Customer` fails while it has `Sale`s")
        );
        assert!(sale.fix.is_none(), "no automatic fix for history");
        let help = sale.help.as_deref().unwrap();
        assert!(help.contains("soft-delete or anonymise"), "{help}");
        assert!(help.contains("make the foreign key optional (`customerId String?`) and the relation optional (`customer Customer?`)"), "{help}");
        assert!(help.contains("both changes are needed"), "{help}");
        assert!(!help.contains("add `onDelete: SetNull`"));
        // Sale also cascades from Tenant: deleting a tenant succeeds (checked on PostgreSQL).
        assert_eq!(sale.related.len(), 1, "{:#?}", sale.related);

        let out = fixed(ID, CLINIC, true);
        assert!(out.contains(
            "  customer   Customer @relation(fields: [customerId], references: [id], onDelete: Cascade)\n}\n\nmodel Sale"
        ));
        assert!(out.contains(
            "  customer   Customer @relation(fields: [customerId], references: [id])\n}\n"
        ));
        assert_eq!(fixed(ID, CLINIC, false), CLINIC);
    }

    #[test]
    fn explicit_restrict_is_a_decision_unless_it_blocks_a_cascade() {
        let s = CLINIC
            .replace(
                "customer   Customer @relation(fields: [customerId], references: [id])\n}\n\nmodel Sale",
                "customer   Customer @relation(fields: [customerId], references: [id], onDelete: Restrict)\n}\n\nmodel Sale",
            )
            .replace(
                "  customer   Customer @relation(fields: [customerId], references: [id])\n}\n",
                "  customer   Customer @relation(fields: [customerId], references: [id], onDelete: Restrict)\n}\n",
            );
        let f = schema_findings(ID, &s);
        // Sale.customer explicit and cleared by the Tenant cascade; Pet.customer explicit but
        // blocks Tenant → Customer → Pet.
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Medium);
        assert_eq!(
            f[0].message,
            "Deleting a `Tenant` fails when its cascade reaches a `Customer` that has `Pet` rows: Tenant → (Cascade) Customer → Pet (Restrict) (`Pet.customer` has `onDelete: Restrict`)"
        );
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!(loc.start.line, 14, "at the start of the cascade path");
        assert_eq!(f[0].related[0].location.start.line, 22);
        assert!(f[0].fix.is_none());
        // Pet also cascading from Tenant: nothing left.
        let s = s.replace(
            "model Pet {\n  id         String   @id\n",
            "model Pet {\n  id         String   @id\n  tenantId   String\n  tenant     Tenant   @relation(fields: [tenantId], references: [id], onDelete: Cascade)\n",
        ).replace("  sales     Sale[]\n}", "  sales     Sale[]\n  pets      Pet[]\n}");
        assert!(
            schema_findings(ID, &s).is_empty(),
            "{:#?}",
            schema_findings(ID, &s)
        );
    }

    #[test]
    fn optional_and_set_null_and_many_to_many_do_not_block() {
        let s = r#"datasource db {
  provider = "postgresql"
}

model A {
  id Int  @id
  bs B[]
  cs C[]
  ds D[]
}

model B {
  id  Int  @id
  aId Int?
  a   A?   @relation(fields: [aId], references: [id])
}

model C {
  id  Int @id
  aId Int @default(0)
  a   A   @relation(fields: [aId], references: [id], onDelete: SetDefault)
}

model D {
  id Int @id
  as A[]
}
"#;
        assert!(schema_findings(ID, s).is_empty());
    }

    #[test]
    fn self_relation_one_to_one_and_composite_keys() {
        let s = r#"datasource db {
  provider = "postgresql"
}

model Node {
  id       Int    @id
  parentId Int
  parent   Node   @relation("Tree", fields: [parentId], references: [id])
  children Node[] @relation("Tree")
}

model User {
  id      Int      @id
  profile Profile?
}

model Profile {
  id     Int  @id
  userId Int  @unique
  user   User @relation(fields: [userId], references: [id])
}
"#;
        let f = schema_findings(ID, s);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(
            f[0].message,
            "Deleting a `Node` fails while other `Node` rows point at it through `Node.parent`: `Node.parent` is required and has no `onDelete` (Prisma's default is Restrict)"
        );
        assert_eq!(
            f[1].message,
            "Deleting a `User` fails while it has a `Profile`: `Profile.user` is required and has no `onDelete` (Prisma's default is Restrict)"
        );
        let out = fixed(ID, s, true);
        assert!(out.contains(
            "@relation(\"Tree\", fields: [parentId], references: [id], onDelete: Cascade)"
        ));
        assert!(out.contains(
            "user   User @relation(fields: [userId], references: [id], onDelete: Cascade)"
        ));

        // The fixture with every relation kind: only the composite-key Grant.member blocks
        // (GroupUser.user is an explicit NoAction; Article.author an explicit Restrict).
        let s = include_str!(
            "../../../../core/tests/fixtures/schemas/valid/pg_relations_all_kinds.prisma"
        );
        let f = schema_findings(ID, s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message
                .starts_with("Deleting a `GroupUser` fails while it has `Grant`s: `Grant.member`")
        );
        assert_eq!(f[0].related.len(), 2, "{:#?}", f[0].related);
        assert!(
            f[0].related[1]
                .message
                .contains("Group → (Cascade) GroupUser → Grant (Restrict)")
        );
    }

    #[test]
    fn providers() {
        let base = |ds: &str| CLINIC.replace("  provider = \"postgresql\"\n", ds);
        // SQL Server: the default is NoAction, no Cascade fix (multiple cascade paths).
        let f = schema_findings(ID, &base("  provider = \"sqlserver\"\n"));
        assert_eq!(f.len(), 2);
        assert!(
            f[0].message.ends_with("(Prisma's default is NoAction)"),
            "{}",
            f[0].message
        );
        assert!(f.iter().all(|f| f.fix.is_none()));
        assert!(
            f.iter()
                .any(|f| f.help.as_deref().unwrap().contains("No automatic fix"))
        );
        // relationMode prisma on MySQL: Prisma Client emulates Restrict, still reported.
        let f = schema_findings(
            ID,
            &base("  provider     = \"mysql\"\n  relationMode = \"prisma\"\n"),
        );
        assert_eq!(f.len(), 2);
        assert!(f.iter().any(|f| f.fix.is_some()));
        let f = schema_findings(ID, &base("  provider = \"sqlite\"\n"));
        assert_eq!(f.len(), 2);
        // MongoDB: emulated too.
        let mongo = r#"datasource db {
  provider = "mongodb"
}

model Customer {
  id   String @id @default(auto()) @map("_id") @db.ObjectId
  pets Pet[]
}

model Pet {
  id         String   @id @default(auto()) @map("_id") @db.ObjectId
  customerId String   @db.ObjectId
  customer   Customer @relation(fields: [customerId], references: [id])
}
"#;
        let f = schema_findings(ID, mongo);
        assert_eq!(f.len(), 1);
        assert!(f[0].fix.is_some());
        // A MongoDB self relation cannot cascade (Prisma rejects the cycle): no fix.
        let tree = r#"datasource db {
  provider = "mongodb"
}

model Node {
  id       String @id @default(auto()) @map("_id") @db.ObjectId
  parentId String @db.ObjectId
  parent   Node   @relation("Tree", fields: [parentId], references: [id])
  children Node[] @relation("Tree")
}
"#;
        let f = schema_findings(ID, tree);
        assert_eq!(f.len(), 1);
        assert!(f[0].fix.is_none());
        assert!(f[0].help.as_deref().unwrap().contains("No automatic fix"));
    }

    #[test]
    fn attribution_relations_are_history() {
        let s = r#"datasource db {
  provider = "postgresql"
}

model User {
  id      Int      @id
  drawers Drawer[]
}

model Drawer {
  id          Int  @id
  openedById  Int
  openedBy    User @relation(fields: [openedById], references: [id])
}
"#;
        let f = schema_findings(ID, s);
        assert_eq!(f.len(), 1);
        assert!(f[0].fix.is_none());
        assert!(f[0].help.as_deref().unwrap().contains("history record"));
    }

    #[test]
    fn strengths() {
        use prisma_audit_core::{AuditOptions, Project, audit};
        let s = CLINIC.replace(
            "references: [id])\n",
            "references: [id], onDelete: Restrict)\n",
        );
        let p = Project::from_files("t", [("schema.prisma".to_string(), s.into_bytes())]);
        let mut o = AuditOptions::default();
        o.config.select = Some(vec![ID.into()]);
        let r = audit(&p, &o).unwrap();
        assert!(
            format!("{:?}", r).contains("Every relation has an explicit `onDelete`"),
            "{r:#?}"
        );
    }

    #[test]
    fn many_paths_are_summarised() {
        // Seven models cascade into `Hub`, which `Leaf` blocks: one finding, five paths
        // listed, the rest counted.
        let mut s = String::from(
            "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel Hub {\n  id Int @id\n",
        );
        for i in 1..=7 {
            s.push_str(&format!("  r{i}Id Int\n  r{i} R{i} @relation(fields: [r{i}Id], references: [id], onDelete: Cascade)\n"));
        }
        s.push_str("  leaves Leaf[]\n}\n\nmodel Leaf {\n  id    Int @id\n  hubId Int\n  hub   Hub @relation(fields: [hubId], references: [id])\n}\n");
        for i in 1..=7 {
            s.push_str(&format!(
                "\nmodel R{i} {{\n  id   Int   @id\n  hubs Hub[]\n}}\n"
            ));
        }
        let f = schema_findings(ID, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].related.len(), 6, "{:#?}", f[0].related);
        assert_eq!(
            f[0].related[5].message,
            "Deleting a `R5` fails too: R5 → (Cascade) Hub → Leaf (Restrict) (and 2 more paths)"
        );
    }
}
