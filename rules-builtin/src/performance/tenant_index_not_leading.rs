use crate::support::tenancy::{TenancyOptions, tenancy};
use prisma_audit_core::declare_rule;
use prisma_audit_core::model::{FieldType, IndexKind, ScalarType};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Silent when the project's TypeScript/JavaScript holds Prisma Client calls:
    /// `query-index-advisor` then reads the real queries instead of guessing from names.
    ///
    /// On a multi-tenant schema, points at plain indexes (`@@index`) of a tenant-owned model
    /// whose leading column is a low-cardinality field — an enum (`status`, `category`) or a
    /// `Boolean` (`isActive`) — when no index led by the tenant key covers that column, and
    /// suggests *adding* `@@index([tenantId, <column>, ...])` for tenant-scoped queries.
    ///
    /// Off by default and **heuristic**: an index that does not lead with the tenant key is
    /// not wrong. It may serve cross-tenant work on purpose — a scheduler picking every
    /// tenant's due jobs by `status` and date, an admin dashboard, a cleanup job — and only the
    /// queries can tell. The rule never advises dropping or replacing the index.
    ///
    /// Deliberately not reported: indexes that lead with a selective column (a foreign key such
    /// as `customerId`, an email, a name, a date), indexes that contain the tenant key in any
    /// position (`[status, tenantId]` serves `where: { tenantId, status }` as well), indexes
    /// whose column an index led by the tenant key already covers, unique constraints and
    /// primary keys, fulltext indexes, models whose tenant key is optional, and models whose
    /// tenant key is unique on its own (one row per tenant). Silent when the schema is not multi-tenant (see
    /// `tenant-unscoped-unique` for the detection).
    ///
    /// ## Why is this bad?
    /// Tenant-scoped queries filter by the tenant first (`where: { tenantId, status }`). An
    /// index on `status` alone holds a handful of distinct values across *all* tenants: for
    /// such a query the planner either ignores it or reads the matching rows of every tenant
    /// and filters them, which gets slower as other tenants grow. An index led by the tenant
    /// key serves the query directly.
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
    /// If the application lists one tenant's rows by this column, add
    /// `@@index([tenantId, status])`. Keep the existing index while anything queries across
    /// tenants by it.
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
    summary = "Heuristic: low-cardinality indexes of tenant-owned models without a tenant-led counterpart",
    category = Performance,
    severity = Low,
    fixable = false,
    enabled = false,
}

impl Rule for TenantIndexNotLeading {
    prisma_audit_core::rule_options!(TenancyOptions);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        // With the application's queries at hand, `query-index-advisor` says what they need.
        if ctx.application().has_calls() {
            return;
        }
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
            // One row per tenant: the tenant key finds it.
            let key_unique = model.index_refs().any(|i| {
                matches!(i.kind, IndexKind::Primary | IndexKind::Unique)
                    && i.len() == 1
                    && i.columns().any(|c| c.field == Some(key.id))
            });
            if key_unique {
                continue;
            }
            for idx in &model.block_indexes {
                // An index holding the tenant key serves tenant-scoped equality filters in any
                // column order.
                if idx.kind != IndexKind::Normal
                    || idx.fields.iter().any(|c| c.field == Some(key.id))
                {
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
                let covered = model.block_indexes.iter().any(|i| {
                    i.fields.len() >= 2
                        && i.fields[0].field == Some(key.id)
                        && i.fields[1].field == Some(lead.id)
                });
                if covered {
                    continue;
                }
                let cols: Vec<&str> = idx.fields.iter().map(|c| c.name.as_str()).collect();
                let suggestion = format!("@@index([{}, {}])", key.name, cols.join(", "));
                out.push(
                    RawFinding::new(
                        format!("{}.[{}]", model.name, cols.join(",")),
                        format!(
                            "`{}` on `{}` does not start with `{}` and no index led by `{}` covers \
                             `{}` ({} with few distinct values across all tenants): if one \
                             tenant's rows are listed by `{}`, add `{suggestion}`",
                            crate::support::schema_edit::span_text(ctx, idx.span),
                            model.name,
                            key.name,
                            key.name,
                            lead.name,
                            low,
                            lead.name,
                        ),
                    )
                    .at(idx.span)
                    .help(format!(
                        "A guess from the schema alone. A tenant-scoped query (`where: {{ {}, {} \
                         }}`) cannot use this index well: it reads the matching rows of every \
                         tenant. Add `{suggestion}` for such queries, and keep this index if a \
                         cross-tenant job (a scheduler, an admin view) queries by `{}`.",
                        key.name, lead.name, lead.name
                    ))
                    .related(
                        key.span,
                        format!("tenant key `{}.{}`", model.name, key.name),
                    )
                    .heuristic(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::cases;

    const ID: &str = "tenant-index-not-leading";

    /// A multi-tenant schema (`orgId`) whose `Task` model ends with `indexes`.
    fn schema(indexes: &str) -> String {
        format!(
            r#"datasource db {{
  provider = "postgresql"
}}

enum Status {{
  OPEN
  DONE
}}

model Org {{
  id    String @id
  tasks Task[]
  users User[]
  notes Note[]
}}

model User {{
  id    String @id
  orgId String
  org   Org    @relation(fields: [orgId], references: [id])
}}

model Note {{
  id    String @id
  orgId String
  org   Org    @relation(fields: [orgId], references: [id])
}}

model Task {{
  id         String   @id
  orgId      String
  customerId String
  status     Status
  isActive   Boolean
  dueAt      DateTime
  org        Org      @relation(fields: [orgId], references: [id])

{indexes}}}
"#
        )
    }

    /// One task per org: the tenant key finds the row.
    const ONE_TASK_PER_ORG: &str = r#"datasource db {
  provider = "postgresql"
}

enum Status {
  OPEN
  DONE
}

model Org {
  id    String @id
  tasks Task?
  users User[]
  notes Note[]
}

model User {
  id    String @id
  orgId String
  org   Org    @relation(fields: [orgId], references: [id])
}

model Note {
  id    String @id
  orgId String
  org   Org    @relation(fields: [orgId], references: [id])
}

model Task {
  id         String   @id
  orgId      String   @unique
  customerId String
  status     Status
  isActive   Boolean
  dueAt      DateTime
  org        Org      @relation(fields: [orgId], references: [id])

  @@index([status])
}
"#;

    #[test]
    fn pass_and_fail() {
        // Selective columns, or a tenant-led index covering the low-cardinality column.
        let selective_or_tenant_led = schema(
            r#"  @@index([customerId])
  @@index([dueAt])
  @@index([orgId, status])
  @@index([status, dueAt])
  @@index([isActive, orgId])
  @@unique([status, id])
"#,
        );
        // Suggests adding a tenant-led index, without a fix and never advising to drop or
        // replace the existing one.
        let low_cardinality_first = schema(
            r#"  @@index([status, dueAt])
  @@index([isActive])
"#,
        );
        insta::assert_snapshot!(cases(
            ID,
            &[&selective_or_tenant_led, ONE_TASK_PER_ORG],
            &[&low_cardinality_first]
        ));
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
