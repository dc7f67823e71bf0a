use crate::support::tenancy::{Tenancy, TenancyOptions, tenancy};
use prisma_audit_core::declare_rule;
use prisma_audit_core::model::{Model, ModelId, Schema};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use std::collections::{HashMap, HashSet, VecDeque};

declare_rule! {
    /// ## What it does
    /// On a multi-tenant schema, reports a model without the tenant key and without any
    /// foreign-key path to a tenant-owned model that is linked by an implicit many-to-many
    /// relation to a tenant-owned model (e.g. a global `Tag` table attached to tenant
    /// `Post`s): its rows are shared by every tenant.
    ///
    /// Off by default and **heuristic**. What makes a model tenant-owned is a required tenant
    /// key (`tenantId String` with its relation), or a required foreign key to a model that has
    /// one, at any depth (`Prescription → MedicalOrder.tenantId`). The schema alone cannot say
    /// that a model *without* one should have it: global tables linked to tenant data are
    /// common and correct — roles and permissions seeded for every tenant, plans, lookup
    /// tables, platform help content. Only the application (rows created per tenant) or
    /// row-level security policies keyed on the tenant column can tell, so enable the rule
    /// when your design says every table linked to tenant data must be scoped.
    ///
    /// Not reported: models that have the tenant key (required or optional — an optional key
    /// is the usual design for platform-wide rows), that reach a tenant-owned model through
    /// any foreign key (an optional one often means "belongs to one of several parents" or
    /// "recorded who did it", not "belongs to no tenant"), models that tenant-owned models
    /// only point to (lookup tables such as `Country` or `Plan`), users, views and
    /// `@@ignore`d models. Silent when the schema is not multi-tenant (see
    /// `tenant-unscoped-unique` for the detection).
    ///
    /// ## Why is this bad?
    /// Row-level isolation (a `where: { tenantId }` added by a Prisma Client extension, or
    /// PostgreSQL row-level security policies) needs every tenant row to carry or reach its
    /// tenant. Rows of a shared table attached to one tenant's data are visible to and
    /// editable by every tenant, and cannot be exported or deleted per tenant (offboarding,
    /// GDPR).
    ///
    /// ## Example
    /// ```prisma
    /// model Post {
    ///   id       String @id
    ///   tenantId String
    ///   tags     Tag[]
    ///   tenant   Tenant @relation(fields: [tenantId], references: [id])
    /// }
    ///
    /// model Tag {
    ///   id    String @id
    ///   name  String @unique
    ///   posts Post[]
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add the tenant key (`tenantId String` with its relation to the tenant model), or keep
    /// the table global on purpose and read-only for tenants.
    ///
    /// ## Options
    /// - `tenantKeys` (string list): tenant key field names; setting it also declares the
    ///   schema multi-tenant.
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/ddl-rowsecurity.html
    /// - https://github.com/prisma/prisma-client-extensions/tree/main/row-level-security
    pub struct TenantKeyMissing;
    id = "tenant-key-missing",
    summary = "Heuristic: global models shared by tenants through a many-to-many relation",
    category = DataIntegrity,
    severity = Medium,
    fixable = false,
    enabled = false,
}

/// Outgoing foreign-key edges: model → (target, relation field name).
fn edges(schema: &Schema) -> HashMap<ModelId, Vec<(ModelId, String)>> {
    let mut out: HashMap<ModelId, Vec<(ModelId, String)>> = HashMap::new();
    for r in schema.relations() {
        if r.is_many_to_many() || r.fields.is_empty() || r.referencing_model == r.referenced_model {
            continue;
        }
        let name = schema
            .field(r.referencing)
            .map(|f| f.name.to_string())
            .unwrap_or_default();
        out.entry(r.referencing_model)
            .or_default()
            .push((r.referenced_model, name));
    }
    out
}

fn attributed(t: &Tenancy, m: &Model) -> bool {
    t.is_tenant_model(m) || t.key_field(m).is_some()
}

/// Whether `start` reaches an attributed model through foreign keys; returns the first hop of
/// the path.
fn reaches(
    schema: &Schema,
    t: &Tenancy,
    edges: &HashMap<ModelId, Vec<(ModelId, String)>>,
    start: ModelId,
) -> Option<(String, ModelId)> {
    let mut seen = HashSet::from([start]);
    let mut queue: VecDeque<(ModelId, Option<(String, ModelId)>)> = VecDeque::from([(start, None)]);
    while let Some((m, first)) = queue.pop_front() {
        for (to, name) in edges.get(&m).into_iter().flatten() {
            let hop = first.clone().unwrap_or_else(|| (name.clone(), *to));
            if schema.model_by_id(*to).is_some_and(|x| attributed(t, x)) {
                return Some(hop);
            }
            if seen.insert(*to) {
                queue.push_back((*to, Some(hop)));
            }
        }
    }
    None
}

enum Status {
    /// Tenant-owned, or reaches tenant-owned data through a foreign key.
    Ok,
    /// No path to tenant data, linked many-to-many to a tenant-owned model.
    Shared(ModelId),
    /// No link to tenant data.
    Global,
}

/// Implicit many-to-many neighbours of every model.
fn many_to_many(schema: &Schema) -> HashMap<ModelId, Vec<ModelId>> {
    let mut out: HashMap<ModelId, Vec<ModelId>> = HashMap::new();
    for r in schema.relations() {
        if r.is_many_to_many() {
            out.entry(r.referencing_model)
                .or_default()
                .push(r.referenced_model);
            out.entry(r.referenced_model)
                .or_default()
                .push(r.referencing_model);
        }
    }
    out
}

fn classify(
    schema: &Schema,
    t: &Tenancy,
    edges: &HashMap<ModelId, Vec<(ModelId, String)>>,
    many: &HashMap<ModelId, Vec<ModelId>>,
    model: &Model,
) -> Status {
    if attributed(t, model) || reaches(schema, t, edges, model.id).is_some() {
        return Status::Ok;
    }
    for &other in many.get(&model.id).into_iter().flatten() {
        if schema
            .model_by_id(other)
            .is_some_and(|o| o.id != model.id && t.key_field(o).is_some())
        {
            return Status::Shared(other);
        }
    }
    Status::Global
}

impl Rule for TenantKeyMissing {
    prisma_audit_core::rule_options!(TenancyOptions);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        let Some(t) = tenancy(ctx) else { return };
        let edges = edges(schema);
        let many = many_to_many(schema);
        let key = &t.key_name;
        for model in schema.models() {
            if model.is_ignored() {
                continue;
            }
            match classify(schema, &t, &edges, &many, model) {
                Status::Ok | Status::Global => {}
                Status::Shared(other) => {
                    let other = schema.model_by_id(other).map_or("", |m| m.name.as_str());
                    out.push(
                        RawFinding::new(
                            model.name.clone(),
                            format!(
                                "`{}` has no `{key}` and no relation path to a tenant, but is \
                                 linked to tenant-owned `{other}` (many-to-many): its rows are \
                                 shared by all tenants and cannot be isolated; add `{key}`",
                                model.name
                            ),
                        )
                        .at(model.name_span)
                        .heuristic()
                        .help(format!(
                            "Rows of `{}` attached to one tenant's `{other}` rows are visible to \
                             and editable by every tenant, and row-level security cannot tell them \
                             apart. Add `{key}` (with its relation) or, if the table is global on \
                             purpose, keep it read-only for tenants.",
                            model.name
                        )),
                    );
                }
            }
        }
    }

    fn strengths(&self, ctx: &RuleContext<'_>) -> Vec<String> {
        let schema = ctx.schema;
        let Some(t) = tenancy(ctx) else {
            return Vec::new();
        };
        let edges = edges(schema);
        let many = many_to_many(schema);
        let models: Vec<&Model> = schema.models().filter(|m| !m.is_ignored()).collect();
        let owned = models.iter().filter(|m| t.key_field(m).is_some()).count();
        let all_ok = models.iter().all(|m| {
            matches!(
                classify(schema, &t, &edges, &many, m),
                Status::Ok | Status::Global
            )
        });
        if owned == 0 || !all_ok {
            return Vec::new();
        }
        vec![format!(
            "Multi-tenant schema: {owned} models carry `{}`, and no global model is shared by \
             tenants through a many-to-many relation",
            t.key_name
        )]
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, schema_findings};
    use prisma_audit_core::finding::{Confidence, Severity};

    const ID: &str = "tenant-key-missing";

    // `AuditLog` reaches tenant data only through an optional relation to a user: that
    // records who did something, it does not make the row tenant data.
    const TENANTS: &str = r#"datasource db {
  provider = "postgresql"
}

model Tenant {
  id       String    @id
  posts    Post[]
  users    User[]
  invoices Invoice[]
  projects Project[]
}

model User {
  id       String    @id
  tenantId String?
  tenant   Tenant?   @relation(fields: [tenantId], references: [id])
  posts    Post[]
  logs     AuditLog[]
}

model Post {
  id       String    @id
  tenantId String
  tenant   Tenant    @relation(fields: [tenantId], references: [id])
  authorId String
  author   User      @relation(fields: [authorId], references: [id])
  tags     Tag[]
  comments Comment[]
}

model Invoice {
  id       String @id
  tenantId String
  tenant   Tenant @relation(fields: [tenantId], references: [id])
}

model Project {
  id       String @id
  tenantId String
  tenant   Tenant @relation(fields: [tenantId], references: [id])
}

model Comment {
  id     String @id
  postId String
  post   Post   @relation(fields: [postId], references: [id])
}

model AuditLog {
  id     String  @id
  userId String?
  user   User?   @relation(fields: [userId], references: [id])
}

model Country {
  id   String @id
}
"#;

    // A global model shared by tenants through a many-to-many relation.
    const TAG: &str = r#"
model Tag {
  id    String @id
  posts Post[]
}
"#;

    fn with_tags() -> String {
        format!("{TENANTS}{TAG}")
    }

    // Not multi-tenant.
    const ONE_TEAM_KEY: &str = r#"datasource db {
  provider = "postgresql"
}

model Team {
  id String @id
  xs X[]
}

model X {
  id     String @id
  teamId String
  team   Team   @relation(fields: [teamId], references: [id])
  tags   Tag[]
}

model Tag {
  id String @id
  xs X[]
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(cases(ID, &[TENANTS, ONE_TEAM_KEY], &[&with_tags()]));
    }

    #[test]
    fn one_heuristic_finding() {
        let f = schema_findings(ID, &with_tags());
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Medium);
        assert_eq!(f[0].confidence, Confidence::Heuristic);
    }

    fn strengths(schema: &str) -> Vec<String> {
        crate::support::test_util::rule_strengths(ID, schema)
    }

    #[test]
    fn strength_only_without_shared_models() {
        assert_eq!(
            strengths(TENANTS),
            [
                "Multi-tenant schema: 4 models carry `tenantId`, and no global model is shared by tenants through a many-to-many relation"
            ]
        );
        assert!(strengths(&with_tags()).is_empty());
    }

    #[test]
    fn off_by_default() {
        let rule = prisma_audit_core::rule::registry()
            .into_iter()
            .find(|r| r.meta().id == ID)
            .unwrap();
        assert!(!rule.meta().default_enabled);
    }
}
