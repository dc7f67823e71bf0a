use crate::support::indexes::serves_lookups;
use crate::support::naming::words;
use crate::support::schema_edit::insert_member_line;
use crate::support::tenancy::{TenancyOptions, tenancy};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{Field, FieldType, IndexKind, Model, ScalarType};
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Silent when the project's TypeScript/JavaScript holds Prisma Client calls:
    /// `query-index-advisor` then reads the real queries instead of guessing from names.
    ///
    /// Schema-only guesses at the hot filters of multi-tenant applications (labelled
    /// "Heuristic:" in the message and marked **heuristic**; only the application's queries
    /// can confirm them). Off by default: on real projects most suggestions concern small
    /// per-tenant tables (settings, integrations, data sources) where the tenant index alone
    /// is enough, or queries that run across tenants (schedulers). On a tenant-owned model
    /// (required tenant key), at most one suggestion per model:
    /// 1. **tenant + status + date**: the model has a status-like field (an enum whose name
    ///    contains `status` or `state`, or a `String` whose name contains `status`; not a
    ///    foreign key such as `statusId` nor a `…Snapshot` copy) and a `DateTime` field, and no index starts with `[tenantId, status]` →
    ///    suggest
    ///    `@@index([tenantId, status, <date>])`. The date is the first required `DateTime`
    ///    other than `createdAt`/`updatedAt` (`dateTime`, `dueDate`, `scheduledDate`...), else
    ///    `createdAt`.
    /// 2. otherwise **tenant + soft-delete/active flag**: a `Boolean` or `DateTime` field named
    ///    `deletedAt`, `isDeleted`, `deleted`, `isActive`, `active`, `archived`, `isArchived`
    ///    or `archivedAt`, and no index starts with `[tenantId, flag]` → suggest
    ///    `@@index([tenantId, flag])`.
    ///
    /// Silent when the tenant key is unique on its own (one row per tenant: nothing to
    /// narrow), when the schema is not multi-tenant (see `tenant-unscoped-unique`), on
    /// MongoDB, on views and `@@ignore`d models.
    ///
    /// ## Why is this bad?
    /// Lists in a multi-tenant app are almost always "this tenant's open items by date" or
    /// "this tenant's active items". Separate single-column indexes on `tenantId`, `status`
    /// and the date force the database to pick one and filter the rest (or combine bitmaps);
    /// one composite index in equality-then-range order answers the query directly, already
    /// sorted.
    ///
    /// ## Example
    /// ```prisma
    /// model Appointment {
    ///   id       String            @id
    ///   tenantId String
    ///   status   AppointmentStatus
    ///   dateTime DateTime
    ///
    ///   @@index([tenantId])
    ///   @@index([status])
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add the suggested `@@index(...)` if your queries match it (safe: adding an index keeps
    /// data and behaviour; on a large PostgreSQL table build it with `CREATE INDEX
    /// CONCURRENTLY` in a hand-edited migration). Single-column indexes it makes redundant are
    /// then reported by `redundant-index`.
    ///
    /// ## Options
    /// - `tenantKeys` (string list): tenant key field names; setting it also declares the
    ///   schema multi-tenant.
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/indexes-multicolumn.html
    /// - https://use-the-index-luke.com/sql/where-clause/searching-for-ranges/greater-less-between-tuning-sql-access-filter-predicates
    pub struct CompositeIndexHeuristic;
    id = "composite-index-heuristic",
    summary = "Heuristic: multi-tenant models without a composite index for their usual filters",
    category = Performance,
    severity = Low,
    fixable = true,
    enabled = false,
}

const FLAGS: &[&str] = &[
    "deletedAt",
    "isDeleted",
    "deleted",
    "isActive",
    "active",
    "archived",
    "isArchived",
    "archivedAt",
];

fn is_status(f: &Field) -> bool {
    let ws = words(&f.name);
    if f.is_list()
        || ws
            .last()
            .is_some_and(|w| w == "id" || w == "ids" || w == "snapshot")
    {
        return false;
    }
    match f.ty {
        FieldType::Enum(_) => ws.iter().any(|w| w == "status" || w == "state"),
        // A `String` named `state` is as often a region (`country`, `state`, `city`).
        FieldType::Scalar(ScalarType::String) => ws.iter().any(|w| w == "status"),
        _ => false,
    }
}

fn date_field(model: &Model) -> Option<&Field> {
    let dates = || {
        model
            .scalar_fields()
            .filter(|f| f.ty.as_scalar() == Some(ScalarType::DateTime) && !f.is_list())
    };
    dates()
        .find(|f| {
            f.is_required()
                && f.updated_at.is_none()
                && !matches!(
                    f.name.as_str(),
                    "createdAt" | "updatedAt" | "created_at" | "updated_at"
                )
        })
        .or_else(|| dates().find(|f| matches!(f.name.as_str(), "createdAt" | "created_at")))
}

impl Rule for CompositeIndexHeuristic {
    prisma_audit_core::rule_options!(TenancyOptions);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        // With the application's queries at hand, `query-index-advisor` says what they need.
        if ctx.application().has_calls() {
            return;
        }
        let schema = ctx.schema;
        if schema.provider() == Some(prisma_audit_core::model::Provider::MongoDb) {
            return;
        }
        let Some(t) = tenancy(ctx) else { return };
        for model in crate::support::fields::table_models(schema) {
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
            let led_by = |second: &str| {
                model.index_refs().any(|i| {
                    serves_lookups(&i)
                        && crate::support::indexes::leads_with(&i, &[key.name.as_str(), second])
                })
            };
            let status = model.scalar_fields().find(|f| is_status(f));
            let (cols, what, anchor_field) = match (status, date_field(model)) {
                (Some(s), Some(d)) if !led_by(&s.name) => (
                    vec![key.name.as_str(), s.name.as_str(), d.name.as_str()],
                    format!(
                        "lists of `{}` are usually filtered by `{}` and `{}` and sorted or ranged by `{}`",
                        model.name, key.name, s.name, d.name
                    ),
                    s,
                ),
                (Some(_), _) => continue,
                (None, _) => {
                    let Some(flag) = model.scalar_fields().find(|f| {
                        FLAGS.contains(&f.name.as_str())
                            && matches!(
                                f.ty.as_scalar(),
                                Some(ScalarType::Boolean | ScalarType::DateTime)
                            )
                    }) else {
                        continue;
                    };
                    if led_by(&flag.name) {
                        continue;
                    }
                    (
                        vec![key.name.as_str(), flag.name.as_str()],
                        format!(
                            "queries on `{}` usually filter by `{}` and `{}`",
                            model.name, key.name, flag.name
                        ),
                        flag,
                    )
                }
            };
            let line = format!("@@index([{}])", cols.join(", "));
            let mut f = RawFinding::new(
                format!("{}.[{}]", model.name, cols.join(",")),
                format!(
                    "Heuristic: {what}, but no index starts with `[{}, {}]`; consider `{line}`",
                    cols[0], cols[1]
                ),
            )
            .at(model.name_span)
            .help(
                "A schema-only guess from the field names; check it against your real queries. One \
                 composite index in equality-then-range order (tenant, status, date) serves the \
                 typical tenant list query directly and already sorted; separate single-column \
                 indexes make the database choose one and filter the rest.",
            )
            .related(
                anchor_field.span,
                format!("`{}.{}`", model.name, anchor_field.name),
            )
            .heuristic();
            if let Some(edit) = insert_member_line(ctx, model, &line) {
                f = f.fix(RawFix {
                    title: format!("Add `{line}` to `{}`", model.name),
                    safety: FixSafety::Safe,
                    edits: vec![edit],
                    sql: None,
                });
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, fixed};

    const ID: &str = "composite-index-heuristic";

    /// Tenant-owned `Plan` (one per tenant), `Staff` (an active flag) and `Task` (a status and
    /// dates); `task_extra` ends the `Task` model.
    fn schema(task_extra: &str) -> String {
        format!(
            r#"datasource db {{
  provider = "postgresql"
}}

enum Status {{
  OPEN
  DONE
}}

model Tenant {{
  id    String  @id
  tasks Task[]
  staff Staff[]
  plan  Plan?
}}

model Plan {{
  id       String  @id
  tenantId String  @unique
  status   Status
  renewsAt DateTime
  tenant   Tenant  @relation(fields: [tenantId], references: [id])
}}

model Staff {{
  id       String  @id
  tenantId String
  isActive Boolean @default(true)
  tenant   Tenant  @relation(fields: [tenantId], references: [id])
}}

model Task {{
  id        String   @id
  tenantId  String
  status    Status
  dueDate   DateTime
  createdAt DateTime @default(now())
  tenant    Tenant   @relation(fields: [tenantId], references: [id])
{task_extra}}}
"#
        )
    }

    /// Single-column indexes only: `Staff` gets tenant + flag, `Task` tenant + status + date.
    fn single_column_indexes() -> String {
        schema(
            r#"
  @@index([tenantId])
  @@index([status])
"#,
        )
    }

    /// Both composite indexes exist (the status one with another date).
    const COVERED: &str = r#"datasource db {
  provider = "postgresql"
}

enum Status {
  OPEN
  DONE
}

model Tenant {
  id    String  @id
  tasks Task[]
  staff Staff[]
  plan  Plan?
}

model Plan {
  id       String  @id
  tenantId String  @unique
  status   Status
  renewsAt DateTime
  tenant   Tenant  @relation(fields: [tenantId], references: [id])
}

model Staff {
  id       String  @id
  tenantId String
  isActive Boolean @default(true)
  tenant   Tenant  @relation(fields: [tenantId], references: [id])

  @@index([tenantId, isActive])
}

model Task {
  id        String   @id
  tenantId  String
  status    Status
  dueDate   DateTime
  createdAt DateTime @default(now())
  tenant    Tenant   @relation(fields: [tenantId], references: [id])

  @@index([tenantId, status, createdAt])
}
"#;

    /// Only `Task` relates to `Tenant`: not a multi-tenant schema.
    const NOT_MULTI_TENANT: &str = r#"datasource db {
  provider = "postgresql"
}

enum Status {
  OPEN
  DONE
}

model Tenant {
  id    String  @id
  tasks Task[]
}

model Plan {
  id       String  @id
  tenantId String  @unique
  status   Status
  renewsAt DateTime
}

model Staff {
  id       String  @id
  tenantId String
  isActive Boolean @default(true)
}

model Task {
  id        String   @id
  tenantId  String
  status    Status
  dueDate   DateTime
  createdAt DateTime @default(now())
  tenant    Tenant   @relation(fields: [tenantId], references: [id])
}
"#;

    #[test]
    fn pass_and_fail() {
        // A status foreign key is not a status column: only `Staff` is reported.
        let status_fk = schema("").replace("  status    Status\n", "  statusId  String\n");
        insta::assert_snapshot!(cases(
            ID,
            &[COVERED, NOT_MULTI_TENANT],
            &[&single_column_indexes(), &status_fk]
        ));
    }

    #[test]
    fn the_fix_adds_the_suggested_indexes() {
        let out = fixed(ID, &single_column_indexes(), false);
        assert!(out.contains(
            r#"  tenant   Tenant  @relation(fields: [tenantId], references: [id])
  @@index([tenantId, isActive])
}"#
        ));
        assert!(out.contains(
            r#"  @@index([status])
  @@index([tenantId, status, dueDate])
}"#
        ));
    }
}
