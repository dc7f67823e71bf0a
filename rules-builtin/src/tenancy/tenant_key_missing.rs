use super::tenant_key::{Tenancy, tenancy, validate_tenancy_options};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::model::{Model, ModelId, Schema};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use std::collections::{HashMap, HashSet, VecDeque};

declare_rule! {
    /// ## What it does
    /// On a multi-tenant schema, reports models whose rows cannot be attributed to a tenant:
    /// - **no path** (medium): the model has no tenant key, no foreign-key path to a model
    ///   that has one, and shares an implicit many-to-many relation with a tenant-owned model
    ///   (e.g. a global `Tag` table attached to tenant `Post`s);
    /// - **weak path** (low): the model has no tenant key and reaches a tenant-owned model only
    ///   through optional foreign keys, so rows with a NULL foreign key belong to no tenant.
    ///
    /// A model is attributed when it has the tenant key itself (required or optional — an
    /// optional key is the usual design for platform-wide rows such as super admins or system
    /// roles), is the tenant model, or reaches such a model through required foreign keys at
    /// any depth (`Prescription → MedicalOrder.tenantId`).
    ///
    /// Not reported: models without any relation to tenant data, and models that tenant-owned
    /// models only point to (lookup tables such as `Country` or `Plan`), which are global by
    /// design; views; `@@ignore`d models. Silent when the schema is not multi-tenant (see
    /// `tenant-unscoped-unique` for the detection).
    ///
    /// ## Why is this bad?
    /// Row-level isolation (a `where: { tenantId }` added by a Prisma Client extension, or
    /// PostgreSQL row-level security policies) needs every row to carry or reach its tenant.
    /// Rows that cannot be attributed are either invisible to every tenant or, worse, shared
    /// between tenants; they also cannot be exported or deleted per tenant (offboarding,
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
    /// Add the tenant key (`tenantId String` with its relation to the tenant model), or make
    /// the foreign key that leads to tenant data required.
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
    summary = "Models whose rows cannot be attributed to a tenant",
    category = DataIntegrity,
    severity = Medium,
    fixable = false,
    enabled = true,
}

/// Outgoing foreign-key edges: model → (target, required, relation field name).
fn edges(schema: &Schema) -> HashMap<ModelId, Vec<(ModelId, bool, String)>> {
    let mut out: HashMap<ModelId, Vec<(ModelId, bool, String)>> = HashMap::new();
    for r in schema.relations() {
        if r.is_many_to_many() || r.fields.is_empty() || r.referencing_model == r.referenced_model {
            continue;
        }
        let required = r
            .fields
            .iter()
            .all(|f| schema.field(*f).is_some_and(|f| f.is_required()));
        let name = schema
            .field(r.referencing)
            .map(|f| f.name.to_string())
            .unwrap_or_default();
        out.entry(r.referencing_model)
            .or_default()
            .push((r.referenced_model, required, name));
    }
    out
}

fn attributed(t: &Tenancy, m: &Model) -> bool {
    t.is_tenant_model(m) || t.key_field(m).is_some()
}

/// Whether `start` reaches an attributed model through edges (required ones only when
/// `required_only`); returns the first hop of the path.
fn reaches(
    schema: &Schema,
    t: &Tenancy,
    edges: &HashMap<ModelId, Vec<(ModelId, bool, String)>>,
    start: ModelId,
    required_only: bool,
) -> Option<(String, ModelId)> {
    let mut seen = HashSet::from([start]);
    let mut queue: VecDeque<(ModelId, Option<(String, ModelId)>)> = VecDeque::from([(start, None)]);
    while let Some((m, first)) = queue.pop_front() {
        for (to, required, name) in edges.get(&m).into_iter().flatten() {
            if required_only && !required {
                continue;
            }
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
    Ok,
    Weak(String, ModelId),
    Shared(ModelId),
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
    edges: &HashMap<ModelId, Vec<(ModelId, bool, String)>>,
    many: &HashMap<ModelId, Vec<ModelId>>,
    model: &Model,
) -> Status {
    if attributed(t, model) || reaches(schema, t, edges, model.id, true).is_some() {
        return Status::Ok;
    }
    if let Some((field, to)) = reaches(schema, t, edges, model.id, false) {
        return Status::Weak(field, to);
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
    fn validate_options(
        &self,
        options: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), String> {
        validate_tenancy_options(options)
    }

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
                Status::Weak(field, to) => {
                    let to = schema.model_by_id(to).map_or("", |m| m.name.as_str());
                    let mut f = RawFinding::new(
                        model.name.clone(),
                        format!(
                            "`{}` has no `{key}` and reaches tenant data only through optional relations (`{}.{field}` → `{to}`): rows where it is NULL belong to no tenant",
                            model.name, model.name
                        ),
                    )
                    .at(model.name_span)
                    .severity(Severity::Low)
                    .help(format!(
                        "Row-level isolation and per-tenant export/deletion need every row to carry or reach its tenant. Add `{key}` to `{}`, or make the relation `{field}` required if every row belongs to one.",
                        model.name
                    ));
                    if let Some(rf) = model.field(&field) {
                        f = f.related(rf.span, format!("optional relation to `{to}`"));
                    }
                    out.push(f);
                }
                Status::Shared(other) => {
                    let other = schema.model_by_id(other).map_or("", |m| m.name.as_str());
                    out.push(
                        RawFinding::new(
                            model.name.clone(),
                            format!(
                                "`{}` has no `{key}` and no relation path to a tenant, but is linked to tenant-owned `{other}` (many-to-many): its rows are shared by all tenants and cannot be isolated; add `{key}`",
                                model.name
                            ),
                        )
                        .at(model.name_span)
                        .help(format!(
                            "Rows of `{}` attached to one tenant's `{other}` rows are visible to and editable by every tenant, and row-level security cannot tell them apart. Add `{key}` (with its relation) or, if the table is global on purpose, keep it read-only for tenants.",
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
            "Multi-tenant schema: {owned} models carry `{}` and every other tenant model reaches one through required relations",
            t.key_name
        )]
    }
}

#[cfg(test)]
mod tests {
    use crate::test_util::schema_findings;
    use prisma_audit_core::finding::Severity;

    const ID: &str = "tenant-key-missing";

    fn schema(extra: &str) -> String {
        format!(
            "datasource db {{\n  provider = \"postgresql\"\n}}\n\nmodel Tenant {{\n  id    String @id\n  posts Post[]\n  users User[]\n}}\n\nmodel User {{\n  id       String    @id\n  tenantId String?\n  tenant   Tenant?   @relation(fields: [tenantId], references: [id])\n  posts    Post[]\n  logs     AuditLog[]\n}}\n\nmodel Post {{\n  id       String    @id\n  tenantId String\n  tenant   Tenant    @relation(fields: [tenantId], references: [id])\n  authorId String\n  author   User      @relation(fields: [authorId], references: [id])\n  tags     Tag[]\n  comments Comment[]\n}}\n\nmodel Comment {{\n  id     String @id\n  postId String\n  post   Post   @relation(fields: [postId], references: [id])\n}}\n\nmodel AuditLog {{\n  id     String  @id\n  userId String?\n  user   User?   @relation(fields: [userId], references: [id])\n}}\n\nmodel Country {{\n  id   String @id\n}}\n{extra}"
        )
    }

    #[test]
    fn reports_shared_and_weak() {
        let s = schema("\nmodel Tag {\n  id    String @id\n  posts Post[]\n}\n");
        let f = schema_findings(ID, &s);
        assert_eq!(f.len(), 2, "{f:#?}");
        // Medium before low.
        let f = [f[1].clone(), f[0].clone()];
        assert_eq!(
            f[0].message,
            "`AuditLog` has no `tenantId` and reaches tenant data only through optional relations (`AuditLog.user` → `User`): rows where it is NULL belong to no tenant"
        );
        assert_eq!(f[0].severity, Severity::Low);
        assert_eq!(f[0].location.as_ref().unwrap().start.line, 35);
        assert!(f[1].message.starts_with("`Tag` has no `tenantId` and no relation path to a tenant, but is linked to tenant-owned `Post`"));
        assert_eq!(f[1].severity, Severity::Medium);
    }

    fn strengths(schema: &str) -> Vec<String> {
        let project = prisma_audit_core::Project::from_files(
            "t",
            [("schema.prisma".to_string(), schema.as_bytes().to_vec())],
        );
        let options = prisma_audit_core::AuditOptions {
            config: prisma_audit_core::config::Config {
                select: Some(vec![ID.to_string()]),
                ..Default::default()
            },
            ..Default::default()
        };
        prisma_audit_core::audit(&project, &options)
            .expect("audit")
            .strengths
    }

    #[test]
    fn strength_only_when_every_model_is_attributed() {
        let ok = schema("").replace(
            "userId String?\n  user   User?",
            "userId String\n  user   User",
        );
        assert_eq!(
            strengths(&ok),
            [
                "Multi-tenant schema: 2 models carry `tenantId` and every other tenant model reaches one through required relations"
            ]
        );
        assert!(strengths(&schema("")).is_empty());
    }

    #[test]
    fn required_paths_and_globals_are_fine() {
        let s = schema("").replace(
            "userId String?\n  user   User?",
            "userId String\n  user   User",
        );
        assert!(schema_findings(ID, &s).is_empty());
        // Not multi-tenant: silent.
        let one = "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel Team {\n  id String @id\n  xs X[]\n}\n\nmodel X {\n  id     String @id\n  teamId String\n  team   Team   @relation(fields: [teamId], references: [id])\n  tags   Tag[]\n}\n\nmodel Tag {\n  id String @id\n  xs X[]\n}\n";
        assert!(schema_findings(ID, one).is_empty());
    }
}
