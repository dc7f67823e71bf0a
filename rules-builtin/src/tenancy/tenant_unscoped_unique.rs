use super::tenant_key::{tenancy, validate_tenancy_options};
use crate::performance::words;
use crate::schema_edit::{insert_at, insert_member_line, span_text};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{DefaultKind, FieldId, IndexKind, IndexSource};
use prisma_audit_core::rule::{RawEdit, RawFinding, RawFix, Rule, RuleContext};
use prisma_audit_core::span::Span;
use prisma_audit_core::{TextRange, TextSize};
use std::collections::HashSet;

declare_rule! {
    /// ## What it does
    /// On a multi-tenant schema, reports a unique constraint (`@unique` / `@@unique`) on a
    /// tenant-owned model (one with a required tenant key) that does not include the tenant
    /// key, e.g. `Staff.email @unique` or `Sale.saleNumber @unique` next to `tenantId`.
    ///
    /// Not reported (documented exclusions):
    /// - primary keys;
    /// - uniques that include a foreign-key column (a one-to-one link such as
    ///   `userId @unique`, or a key scoped through its parent row);
    /// - columns generated unique across the whole table (`@default(uuid())`, `cuid()`,
    ///   `nanoid()`, `ulid()`, `autoincrement()`): they cannot collide between tenants;
    /// - columns that are globally unique by nature: external or generated identifiers and
    ///   secrets (names containing `stripe`, `paypal`, `external`, `uuid`, `guid`, `token`,
    ///   `secret`, `hash`, `key`, `nonce`, `session`, `idempotency`, `oauth`, `webhook`);
    /// - the tenant model itself (its `slug`/`domain` are meant to be global) and models whose
    ///   tenant key is optional (global-or-tenant models such as a `User` table where platform
    ///   admins have no tenant and the login email is global on purpose).
    ///
    /// The schema is multi-tenant when a field named like a tenant key (`tenantId`,
    /// `organizationId`, `orgId`, `workspaceId`, `teamId`, `accountId`, also `tenant_id`) is a
    /// foreign key to one model on at least two models, or when `tenantKeys` is configured;
    /// otherwise the rule is silent.
    ///
    /// ## Why is this bad?
    /// The constraint is global: once one tenant has a staff member with `ana@example.com` or
    /// a sale number `1`, no other tenant can — their inserts fail with a unique violation, and
    /// the error even leaks that the value exists in another tenant.
    ///
    /// ## Example
    /// ```prisma
    /// model Staff {
    ///   id       String  @id
    ///   tenantId String
    ///   email    String? @unique
    ///   tenant   Tenant  @relation(fields: [tenantId], references: [id])
    /// }
    /// ```
    ///
    /// ## Fix
    /// Scope the constraint: remove `@unique` and add `@@unique([tenantId, email])`. Unsafe:
    /// `findUnique({ where: { email } })` calls must become
    /// `where: { tenantId_email: { tenantId, email } }`, and the migration replaces the index.
    ///
    /// ## Options
    /// - `tenantKeys` (string list): tenant key field names; setting it also declares the
    ///   schema multi-tenant. Default `["tenantId", "organizationId", "orgId", "workspaceId",
    ///   "teamId", "accountId"]`.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/models#defining-a-unique-field
    /// - https://www.crunchydata.com/blog/designing-your-postgres-database-for-multi-tenancy
    pub struct TenantUnscopedUnique;
    id = "tenant-unscoped-unique",
    summary = "Unique constraints on tenant-owned models that ignore the tenant",
    category = DataIntegrity,
    severity = High,
    fixable = true,
    enabled = true,
}

const GLOBAL_WORDS: &[&str] = &[
    "stripe",
    "paypal",
    "braintree",
    "external",
    "uuid",
    "guid",
    "token",
    "secret",
    "hash",
    "key",
    "nonce",
    "session",
    "idempotency",
    "oauth",
    "webhook",
];

/// Remove `span` and the blanks before it (`email String @unique` → `email String`).
fn remove_attribute(ctx: &RuleContext<'_>, span: Span) -> RawEdit {
    let text = ctx.text(span.file);
    let start = usize::from(span.range.start()).min(text.len());
    let trimmed = text[..start].trim_end_matches([' ', '\t']).len();
    RawEdit {
        span: Span {
            file: span.file,
            range: TextRange::new(
                TextSize::try_from(trimmed).unwrap_or_default(),
                span.range.end(),
            ),
        },
        replacement: String::new(),
    }
}

impl Rule for TenantUnscopedUnique {
    fn validate_options(
        &self,
        options: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), String> {
        validate_tenancy_options(options)
    }

    fn strengths(&self, ctx: &RuleContext<'_>) -> Vec<String> {
        self.strengths_of(ctx)
    }

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        let Some(t) = tenancy(ctx) else { return };
        let fk_fields: HashSet<FieldId> = schema
            .relations()
            .iter()
            .flat_map(|r| r.fields.iter().copied())
            .collect();
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
            for idx in model.index_refs() {
                if idx.kind != IndexKind::Unique || idx.is_empty() {
                    continue;
                }
                if idx.columns().any(|c| c.field == Some(key.id)) {
                    continue;
                }
                let fields: Vec<_> = idx
                    .columns()
                    .filter_map(|c| c.field.and_then(|f| model.field_at(f)))
                    .collect();
                if fields.len() != idx.len()
                    || fields.iter().any(|f| fk_fields.contains(&f.id))
                    || fields.iter().any(|f| {
                        matches!(
                            model.default_of(f).map(|d| &d.kind),
                            Some(
                                DefaultKind::Uuid(_)
                                    | DefaultKind::Cuid(_)
                                    | DefaultKind::Nanoid(_)
                                    | DefaultKind::Ulid
                                    | DefaultKind::Auto
                                    | DefaultKind::Autoincrement
                            )
                        )
                    })
                    || fields.iter().any(|f| {
                        words(&f.name)
                            .iter()
                            .any(|w| GLOBAL_WORDS.contains(&w.as_str()))
                    })
                {
                    continue;
                }
                let cols: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                let what = if cols.len() == 1 {
                    format!("`{}.{}`", model.name, cols[0])
                } else {
                    format!("`{}.[{}]`", model.name, cols.join(", "))
                };
                let scoped = format!("@@unique([{}, {}])", key.name, cols.join(", "));
                let mut edits = Vec::new();
                match idx.source {
                    IndexSource::Field(_) => {
                        edits.push(remove_attribute(ctx, idx.span));
                        if let Some(e) = insert_member_line(ctx, model, &scoped) {
                            edits.push(e);
                        }
                    }
                    IndexSource::Block => {
                        let src = span_text(ctx, idx.span);
                        if let Some(i) = src.find('[') {
                            edits.push(insert_at(
                                idx.span.file,
                                usize::from(idx.span.range.start()) + i + 1,
                                format!("{}, ", key.name),
                            ));
                        }
                    }
                }
                let mut f = RawFinding::new(
                    format!("{}.[{}]", model.name, cols.join(",")),
                    format!(
                        "{what} is unique across all tenants although `{}` is tenant-owned: two tenants cannot both use the same {}; scope it with `{scoped}`",
                        model.name,
                        cols.join(" + ")
                    ),
                )
                .at(idx.span)
                .help(format!(
                    "A global unique constraint on tenant data makes one tenant's value block every other tenant (and the unique-violation error reveals that the value exists elsewhere). Include `{}` in the constraint. Prisma Client lookups by this unique then use the compound key (`{}_{}`).",
                    key.name,
                    key.name,
                    cols.join("_")
                ))
                .related(key.span, format!("tenant key `{}.{}`", model.name, key.name));
                if edits.len() == 2 || matches!(idx.source, IndexSource::Block) && edits.len() == 1
                {
                    f = f.fix(RawFix {
                        title: format!("Scope the unique constraint of {what} by `{}`", key.name),
                        safety: FixSafety::Unsafe,
                        edits,
                        sql: None,
                    });
                }
                out.push(f);
            }
        }
    }
}

impl TenantUnscopedUnique {
    fn strengths_of(&self, ctx: &RuleContext<'_>) -> Vec<String> {
        let Some(t) = tenancy(ctx) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        self.check(ctx, &mut found);
        let scoped = ctx
            .schema
            .models()
            .filter_map(|m| t.key_field(m).map(|k| (m, k)))
            .flat_map(|(m, k)| {
                m.index_refs().filter(move |i| {
                    i.kind == IndexKind::Unique && i.columns().any(|c| c.field == Some(k.id))
                })
            })
            .count();
        if found.is_empty() && scoped > 0 {
            vec![format!(
                "Business unique constraints of tenant-owned models are scoped by `{}` ({scoped} compound uniques)",
                t.key_name
            )]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_util::{findings_with, fixed, schema_findings};
    use serde_json::json;

    const ID: &str = "tenant-unscoped-unique";

    const S: &str = "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel Tenant {\n  id    String  @id\n  slug  String  @unique\n  staff Staff[]\n  sales Sale[]\n}\n\nmodel User {\n  id    String @id\n  email String @unique\n  staff Staff?\n}\n\nmodel Staff {\n  id       String  @id\n  tenantId String\n  userId   String? @unique\n  email    String? @unique\n  stripeId String  @unique\n  publicId String  @unique @default(cuid())\n  tenant   Tenant  @relation(fields: [tenantId], references: [id])\n  user     User?   @relation(fields: [userId], references: [id])\n}\n\nmodel Sale {\n  id       String @id\n  tenantId String\n  series   String\n  number   Int\n  tenant   Tenant @relation(fields: [tenantId], references: [id])\n\n  @@unique([series, number])\n}\n";

    #[test]
    fn reports_unscoped_business_uniques() {
        let f = schema_findings(ID, S);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert!(
            f[0].message.starts_with(
                "`Staff.email` is unique across all tenants although `Staff` is tenant-owned"
            ),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message
                .ends_with("scope it with `@@unique([tenantId, email])`")
        );
        assert_eq!(f[0].location.as_ref().unwrap().start.line, 22);
        assert!(!f.iter().any(|x| x.message.contains("publicId")));
        assert_eq!(f[0].related[0].location.start.line, 20);
        assert!(f[1].message.starts_with("`Sale.[series, number]`"));
        assert_eq!(fixed(ID, S, false), S);
        let out = fixed(ID, S, true);
        assert!(out.contains("  email    String?\n"));
        assert!(out.contains("  @@unique([tenantId, email])\n}"));
        assert!(out.contains("  @@unique([tenantId, series, number])\n"));
    }

    #[test]
    fn silent_when_not_multi_tenant_or_scoped() {
        // One tenant-owned model only: not multi-tenant.
        let single = S.replace("  sales Sale[]\n", "").replace(
            "  tenant   Tenant @relation(fields: [tenantId], references: [id])\n\n",
            "\n",
        );
        assert!(schema_findings(ID, &single).is_empty());
        // ... unless configured.
        let f = findings_with(
            ID,
            &[("schema.prisma", &single)],
            json!({"tenantKeys": ["tenantId"]}),
        );
        assert_eq!(f.len(), 2);
        let scoped = S
            .replace("  email    String? @unique\n", "  email    String?\n")
            .replace(
                "@@unique([series, number])",
                "@@unique([tenantId, series, number])",
            );
        assert!(schema_findings(ID, &scoped).is_empty());
    }

    #[test]
    fn options_are_validated() {
        let rule = prisma_audit_core::rule::registry()
            .into_iter()
            .find(|r| r.meta().id == ID)
            .unwrap();
        let bad = json!({"tenantKey": ["x"]});
        assert!(rule.validate_options(bad.as_object().unwrap()).is_err());
        let good = json!({"tenantKeys": ["orgId"]});
        assert!(rule.validate_options(good.as_object().unwrap()).is_ok());
    }
}
