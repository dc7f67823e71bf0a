use super::tenant_key::{tenancy, validate_tenancy_options};
use prisma_audit_core::declare_rule;
use prisma_audit_core::model::{FieldType, IndexKind, ScalarType};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// On a multi-tenant schema, reports plain indexes (`@@index`) of a tenant-owned model
    /// that do not start with the tenant key while their leading column is a low-cardinality
    /// field: an enum (`status`, `category`) or a `Boolean` (`isActive`).
    ///
    /// Deliberately not reported, to keep precision high: indexes that lead with a selective
    /// column (a foreign key such as `customerId`, an email, a name, a date), unique
    /// constraints and primary keys, fulltext indexes, and models whose tenant key is
    /// optional. Silent when the schema is not multi-tenant (see `tenant-unscoped-unique`).
    ///
    /// ## Why is this bad?
    /// Tenant-scoped queries filter by the tenant first (`where: { tenantId, status }`). An
    /// index on `status` alone holds a handful of distinct values across *all* tenants: the
    /// planner either ignores it or reads the matching rows of every tenant and filters them,
    /// which gets slower as other tenants grow. The same index led by the tenant key serves
    /// the query directly.
    ///
    /// ## Example
    /// ```prisma
    /// model Appointment {
    ///   id       String            @id
    ///   tenantId String
    ///   status   AppointmentStatus
    ///
    ///   @@index([status])
    /// }
    /// ```
    ///
    /// ## Fix
    /// Lead the index with the tenant key: `@@index([tenantId, status])` (and drop the old
    /// one unless a cross-tenant job needs it).
    ///
    /// ## Options
    /// - `tenantKeys` (string list): tenant key field names; setting it also declares the
    ///   schema multi-tenant.
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/indexes-multicolumn.html
    /// - https://www.citusdata.com/blog/2016/10/03/designing-your-saas-database-for-high-scalability/
    pub struct TenantIndexNotLeading;
    id = "tenant-index-not-leading",
    summary = "Low-cardinality indexes of tenant-owned models that do not lead with the tenant key",
    category = Performance,
    severity = Low,
    fixable = false,
    enabled = true,
}

impl Rule for TenantIndexNotLeading {
    fn validate_options(
        &self,
        options: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), String> {
        validate_tenancy_options(options)
    }

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        let Some(t) = tenancy(ctx) else { return };
        for model in schema.models() {
            if model.is_ignored() {
                continue;
            }
            let Some(key) = t.key_field(model) else {
                continue;
            };
            if !key.is_required() {
                continue;
            }
            for idx in &model.block_indexes {
                if idx.kind != IndexKind::Normal {
                    continue;
                }
                let Some(lead) = idx
                    .fields
                    .first()
                    .and_then(|c| c.field)
                    .and_then(|f| model.field_at(f))
                else {
                    continue;
                };
                let low = match &lead.ty {
                    FieldType::Enum(_) => "an enum",
                    FieldType::Scalar(ScalarType::Boolean) => "a Boolean",
                    _ => continue,
                };
                if lead.id == key.id {
                    continue;
                }
                let cols: Vec<&str> = idx.fields.iter().map(|c| c.name.as_str()).collect();
                let rest: Vec<&str> = cols.iter().copied().filter(|c| *c != key.name).collect();
                let suggestion = format!("@@index([{}, {}])", key.name, rest.join(", "));
                let covered = model.block_indexes.iter().any(|i| {
                    i.fields.len() >= 2
                        && i.fields[0].field == Some(key.id)
                        && i.fields[1].field == Some(lead.id)
                });
                let advice = if covered {
                    "an index led by the tenant key already serves those queries, so drop this one unless a cross-tenant job needs it".to_string()
                } else {
                    format!("use `{suggestion}`")
                };
                out.push(
                    RawFinding::new(
                        format!("{}.[{}]", model.name, cols.join(",")),
                        format!(
                            "`{}` on `{}` does not start with `{}`: its leading column `{}` is {} with few distinct values across all tenants, so tenant-scoped queries cannot use it efficiently; {advice}",
                            crate::schema_edit::span_text(ctx, idx.span),
                            model.name,
                            key.name,
                            lead.name,
                            low
                        ),
                    )
                    .at(idx.span)
                    .help(format!(
                        "Queries on tenant data filter by `{}` first; an index led by a low-cardinality column makes the database read the matching rows of every tenant. Replace it with `{suggestion}` (keep the old one only if a cross-tenant job needs it).",
                        key.name
                    ))
                    .related(key.span, format!("tenant key `{}.{}`", model.name, key.name)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_util::schema_findings;

    const ID: &str = "tenant-index-not-leading";

    fn schema(indexes: &str) -> String {
        format!(
            "datasource db {{\n  provider = \"postgresql\"\n}}\n\nenum Status {{\n  OPEN\n  DONE\n}}\n\nmodel Org {{\n  id    String @id\n  tasks Task[]\n  users User[]\n}}\n\nmodel User {{\n  id    String @id\n  orgId String\n  org   Org    @relation(fields: [orgId], references: [id])\n}}\n\nmodel Task {{\n  id         String   @id\n  orgId      String\n  customerId String\n  status     Status\n  isActive   Boolean\n  dueAt      DateTime\n  org        Org      @relation(fields: [orgId], references: [id])\n\n{indexes}}}\n"
        )
    }

    #[test]
    fn reports_low_cardinality_leading_columns() {
        let s = schema("  @@index([status])\n  @@index([isActive, orgId])\n");
        let f = schema_findings(ID, &s);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(
            f[0].message,
            "`@@index([status])` on `Task` does not start with `orgId`: its leading column `status` is an enum with few distinct values across all tenants, so tenant-scoped queries cannot use it efficiently; use `@@index([orgId, status])`"
        );
        assert_eq!(f[0].location.as_ref().unwrap().start.line, 31);
        assert!(f[1].message.ends_with("use `@@index([orgId, isActive])`"));
        assert!(f[0].fix.is_none());
    }

    #[test]
    fn selective_or_tenant_led_indexes_are_fine() {
        let s = schema(
            "  @@index([customerId])\n  @@index([dueAt])\n  @@index([orgId, status])\n  @@unique([status, id])\n",
        );
        assert!(schema_findings(ID, &s).is_empty());
    }
}
