use crate::support::referential::delete_graph::DeleteGraph;
use crate::support::referential::model_kinds::{is_history_name, is_person, is_tenant};
use crate::support::referential::{a, has_error_at, model_name, referencing_path};
use prisma_audit_core::declare_rule;
use prisma_audit_core::model::{ModelId, ReferentialAction, RelationId, allowed_actions};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use std::collections::HashMap;

declare_rule! {
    /// ## What it does
    /// Reports an `onDelete: Cascade` from a person-like model (user, customer, client,
    /// patient, employee, staff...) that deletes history records: directly (`Sale.customer`
    /// with `onDelete: Cascade`) or further down a cascade path (`Customer → (Cascade) Pet →
    /// (Cascade) MedicalHistory`). History means financial, clinical or audit records: sales,
    /// orders and their lines, invoices, payments, transactions, receipts, refunds, payouts,
    /// purchases, prescriptions, medical records, audit logs.
    ///
    /// Both "person" and "history" are read from model names (the heuristic is documented in
    /// `model_kinds.rs`, by head noun: `PaymentMethod` is a stored card, not a payment; a
    /// `LoginLog` or `DownloadHistory` is personal data that should go with the person; a
    /// `PointTransaction` moves points, not money), so findings are marked heuristic. A
    /// record the person keeps for themselves under a financial name (a receipt they scanned
    /// into a personal app) is still reported: suppress the finding there.
    ///
    /// ## Why is this bad?
    /// Deleting one user or customer silently erases their sales, payments and audit trail:
    /// revenue reports change after the fact, tax and accounting records that must be kept
    /// for years disappear, and the audit log loses exactly the entries that would explain
    /// the deletion. GDPR erasure does not require this — anonymising the person keeps the
    /// records valid.
    ///
    /// ## Example
    /// ```prisma
    /// model Sale {
    ///   id         String   @id
    ///   customerId String
    ///   customer   Customer @relation(fields: [customerId], references: [id], onDelete: Cascade)
    /// }
    /// ```
    ///
    /// ## Fix
    /// No automatic fix: every alternative changes what deleting the person does, and only the
    /// project knows which delete paths it needs.
    /// - To keep the records **and** let the person be deleted: make the foreign key optional
    ///   and use `onDelete: SetNull` (the records lose their link to the person).
    /// - To keep the records linked: use `onDelete: Restrict` — deleting a person that has such
    ///   records then **fails**, so account deletion must soft-delete or anonymise the person
    ///   (overwrite the personal fields) instead of deleting the row.
    /// - If erasing the history with the person is intended, suppress the finding to document
    ///   it.
    ///
    /// When the history is reached further down the path, decide at the relation that enters
    /// the history model.
    ///
    /// Deliberately silent on cascades from a tenant model (named Tenant, Organization,
    /// Workspace, Account, Team or Company, or referenced by a `tenantId`-like field):
    /// deleting everything of a tenant is the normal SaaS offboarding. Silent on self
    /// relations, views and `@@ignore`d models. Applies to every provider (Prisma Client
    /// emulates `Cascade` with `relationMode = "prisma"` and on MongoDB).
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/referential-actions#cascade
    /// - https://www.prisma.io/docs/orm/prisma-client/queries/soft-delete (soft delete with Prisma Client extensions)
    pub struct CascadeDeletesHistory;
    id = "cascade-deletes-history",
    summary = "Deleting a user or customer cascades into financial or audit history",
    category = DataIntegrity,
    severity = Medium,
    fixable = false,
    enabled = true,
}

impl Rule for CascadeDeletesHistory {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        // Built for the first person model: many schemas have none.
        let mut graph = None;
        let restrict = if allowed_actions(schema.provider(), schema.relation_mode())
            .contains(&ReferentialAction::Restrict)
        {
            ReferentialAction::Restrict
        } else {
            ReferentialAction::NoAction
        };
        for person in schema.models() {
            if person.is_ignored() || !is_person(person) || is_tenant(schema, person) {
                continue;
            }
            let graph = graph.get_or_insert_with(|| DeleteGraph::new(ctx));
            for r in graph.incoming(person.id) {
                if r.on_delete.action != ReferentialAction::Cascade || r.is_self {
                    continue;
                }
                let Some(span) = r.on_delete.span else {
                    continue;
                };
                if has_error_at(ctx, span) {
                    continue;
                }
                let child = r.referencing_model;
                // History models the cascade reaches: the child itself, then its closure.
                let closure = graph.cascade_closure(child);
                let via: HashMap<ModelId, RelationId> = closure.iter().copied().collect();
                let describe = |target: ModelId| {
                    let mut chain = vec![target];
                    let mut cur = target;
                    while cur != child {
                        let Some(r) = via.get(&cur).and_then(|id| schema.relation(*id)) else {
                            break;
                        };
                        cur = r.referenced_model;
                        chain.push(cur);
                        if chain.len() > schema.models.len() {
                            break;
                        }
                    }
                    chain.reverse();
                    let mut s = person.name.to_string();
                    for m in chain {
                        s.push_str(&format!(" → (Cascade) {}", model_name(schema, m)));
                    }
                    s
                };
                let direct = schema
                    .model_by_id(child)
                    .is_some_and(|m| is_history_name(&m.name));
                let mut reached: Vec<ModelId> = Vec::new();
                if direct {
                    reached.push(child);
                }
                reached.extend(
                    closure
                        .iter()
                        .map(|(m, _)| *m)
                        .filter(|m| *m != person.id)
                        .filter(|m| {
                            schema
                                .model_by_id(*m)
                                .is_some_and(|m| is_history_name(&m.name))
                        }),
                );
                if reached.is_empty() {
                    continue;
                }
                let path = referencing_path(schema, r);
                let names: Vec<String> = reached
                    .iter()
                    .map(|m| format!("`{}`", model_name(schema, *m)))
                    .collect();
                let p = &person.name;
                let message = if direct {
                    format!(
                        "Deleting {} silently deletes their {} records: `{path}` has `onDelete: Cascade`",
                        a(p),
                        names.join(", ")
                    )
                } else {
                    format!(
                        "Deleting {} silently deletes {} records through cascades: {}",
                        a(p),
                        names.join(", "),
                        describe(reached[0])
                    )
                };
                let first = model_name(schema, reached[0]);
                let keep = if direct {
                    format!("on `{path}`")
                } else {
                    format!("at the relation that enters `{first}`")
                };
                let mut f = RawFinding::new(path.clone(), message)
                    .at(span)
                    .heuristic()
                    .help(format!(
                        "Financial, clinical and audit records usually must outlive the person \
                         they mention (accounting and retention duties, audits, disputes). To keep \
                         them and still let {} be deleted, make the foreign key optional and use \
                         `onDelete: SetNull` {keep}: the records stay and lose their link. To keep \
                         them linked, use `onDelete: {}` {keep}; deleting {} that has such records \
                         then fails, so account deletion must soft-delete or anonymise the `{p}` \
                         (a GDPR erasure is satisfied by overwriting the personal fields) instead \
                         of deleting the row. If erasing the history with the `{p}` is intended, \
                         suppress this finding to document it. (Which models are people and which \
                         are history is inferred from their names.)",
                        a(p),
                        restrict.as_str(),
                        a(p),
                    ));
                for m in reached.iter().skip(usize::from(direct)).take(5) {
                    let Some(rid) = via.get(m) else { continue };
                    let Some(entry) = schema.relation(*rid) else {
                        continue;
                    };
                    let Some(at) = entry
                        .on_delete
                        .span
                        .or_else(|| schema.field(entry.referencing).map(|f| f.span))
                    else {
                        continue;
                    };
                    f = f.related(at, format!("{} continues here", describe(*m)));
                }
                out.push(f);
            }
        }
    }

    fn strengths(&self, ctx: &RuleContext<'_>) -> Vec<String> {
        let schema = ctx.schema;
        let people = schema
            .models()
            .any(|m| is_person(m) && !is_tenant(schema, m));
        if !people || !schema.models().any(|m| is_history_name(&m.name)) {
            return Vec::new();
        }
        let mut found = Vec::new();
        self.check(ctx, &mut found);
        if found.is_empty() {
            vec![
                "Deleting a user or customer never cascades into financial or audit history".into(),
            ]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, schema_findings};
    use prisma_audit_core::finding::Confidence;

    const ID: &str = "cascade-deletes-history";

    const SHOP: &str = r#"datasource db {
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
  sales    Sale[]
  pets     Pet[]
}

model Sale {
  id         String   @id
  tenantId   String
  customerId String
  tenant     Tenant   @relation(fields: [tenantId], references: [id], onDelete: Cascade)
  customer   Customer @relation(fields: [customerId], references: [id], onDelete: Cascade)
}

model Pet {
  id         String           @id
  customerId String
  customer   Customer         @relation(fields: [customerId], references: [id], onDelete: Cascade)
  histories  MedicalHistory[]
}

model MedicalHistory {
  id    String @id
  petId String
  pet   Pet    @relation(fields: [petId], references: [id], onDelete: Cascade)
}
"#;

    // A user's login log and saved payment methods go with the user; payments do not.
    const USER: &str = r#"datasource db {
  provider = "postgresql"
}

model User {
  id       Int             @id
  logins   LoginLog[]
  methods  PaymentMethod[]
  payments Payment[]
}

model LoginLog {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id], onDelete: Cascade)
}

model PaymentMethod {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id], onDelete: Cascade)
}

model Payment {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id], onDelete: Cascade)
}
"#;

    // Cascading memberships or settings from a user is fine.
    const USER_ROLES: &str = r#"datasource db {
  provider = "postgresql"
}

model User {
  id    Int        @id
  roles UserRole[]
}

model UserRole {
  userId Int
  role   String
  user   User   @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@id([userId, role])
}
"#;

    /// `SHOP` where a customer's deletion no longer cascades into history: only the tenant's
    /// cascades (offboarding) are left.
    fn tenant_cascades_only() -> String {
        SHOP.replace(
            "onDelete: Cascade)\n}\n\nmodel Pet",
            "onDelete: Restrict)\n}\n\nmodel Pet",
        )
        .replace(
            "customer   Customer         @relation(fields: [customerId], references: [id], onDelete: Cascade)",
            "customer   Customer         @relation(fields: [customerId], references: [id])",
        )
    }

    // A person-like model referenced by a tenantId-like field is a tenant: its cascades into
    // Sale are offboarding, while Customer → Sale is still reported.
    fn owner_as_tenant() -> String {
        SHOP.replace("Tenant", "Owner")
    }

    // Without the tenantId name, Owner is a person: Owner → Sale is reported.
    fn owner_as_person() -> String {
        owner_as_tenant().replace("tenantId", "ownerRef")
    }

    #[test]
    fn pass_and_fail() {
        // An OAuth client is software, not a person.
        let oauth_client = USER.replace("User", "OauthClient");
        let sqlserver = SHOP.replace("\"postgresql\"", "\"sqlserver\"");
        insta::assert_snapshot!(cases(
            ID,
            &[&tenant_cascades_only(), &oauth_client, USER_ROLES],
            &[
                SHOP,
                USER,
                &owner_as_tenant(),
                &owner_as_person(),
                &sqlserver
            ]
        ));
    }

    #[test]
    fn direct_and_path_cascades_from_a_customer() {
        let f = schema_findings(ID, SHOP);
        assert_eq!(f.len(), 2, "{f:#?}");
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!(loc.start.line, 24);
        assert_eq!(f[0].confidence, Confidence::Heuristic);
        assert!(f[0].fix.is_none(), "no automatic fix");
        assert!(f[1].fix.is_none());
        assert_eq!(f[1].related[0].location.start.line, 37);
    }

    #[test]
    fn counts_per_case() {
        assert_eq!(schema_findings(ID, USER).len(), 1);
        assert_eq!(schema_findings(ID, &owner_as_tenant()).len(), 2);
        assert_eq!(schema_findings(ID, &owner_as_person()).len(), 4);
    }

    #[test]
    fn strengths() {
        use prisma_audit_core::{AuditOptions, Project, audit};
        let run = |s: &str| {
            let p =
                Project::from_files("t", [("schema.prisma".to_string(), s.as_bytes().to_vec())]);
            let mut o = AuditOptions::default();
            o.config.select = Some(vec![ID.into()]);
            format!("{:?}", audit(&p, &o).unwrap())
        };
        let strength = "never cascades into financial or audit history";
        assert!(!run(SHOP).contains(strength));
        assert!(run(&tenant_cascades_only()).contains(strength));
    }
}
