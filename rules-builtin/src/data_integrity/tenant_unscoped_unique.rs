use crate::support::naming::words;
use crate::support::schema_edit::{insert_at, insert_member_line, span_text};
use crate::support::tenancy::{TenancyOptions, tenancy};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{DefaultKind, Field, FieldId, IndexKind, IndexSource, Model};
use prisma_audit_core::rule::{RawEdit, RawFinding, RawFix, Rule, RuleContext};
use prisma_audit_core::span::Span;
use prisma_audit_core::{TextRange, TextSize};
use std::collections::HashSet;

declare_rule! {
    /// ## What it does
    /// On a multi-tenant schema, reports a unique constraint (`@unique` / `@@unique`) of a
    /// tenant-owned model (one with a required tenant key) that does not include the tenant
    /// key while its columns hold a value each tenant chooses for itself: a name, title or
    /// label (`Department.name`), a business number (`Sale.saleNumber`, `Invoice.number`,
    /// `sku`), or an email or username on a model that is not a login table
    /// (`Staff.email` next to a separate `User`).
    ///
    /// Uniqueness across all tenants is often the point, so the rule only reports columns
    /// whose names say the value is per tenant, and marks its findings **heuristic**. Not
    /// reported (deliberate silences):
    /// - identifiers and handles meant to be global: names ending in `id`/`uid`/`key`
    ///   (`publicId`, `pId`, `docId`, `sesEmailId`), slugs, codes (`shortLink.code`,
    ///   `referenceCode`), URLs, domains and hostnames (also every column of a `Domain`
    ///   model), share links, phone numbers, tokens, secrets, hashes and external ids
    ///   (`stripe…`, `external…`, `oauth…`, `webhook…`);
    /// - emails and usernames of a login table: a model named `User`, `Account`, `Admin` or
    ///   `Login`, or one with a password, hash, salt or WebAuthn column — the login identity is
    ///   global on purpose;
    /// - uniques that include a foreign-key column (a one-to-one link such as `userId @unique`,
    ///   or a key scoped through its parent row), primary keys, and columns generated unique
    ///   (`@default(uuid())`, `cuid()`, `nanoid()`, `ulid()`, `autoincrement()`);
    /// - the tenant model itself and models whose tenant key is optional (global-or-tenant
    ///   rows such as platform admins).
    ///
    /// The schema is multi-tenant when a required field named like a tenant key (`tenantId`,
    /// `organizationId`, `orgId`, `workspaceId`, `teamId`, also `tenant_id`) is a foreign key
    /// to one model on at least three data models (membership and invitation records and
    /// library-owned tables do not count), or when `tenantKeys` is configured; otherwise the
    /// rule is silent.
    ///
    /// ## Why is this bad?
    /// The constraint is global: once one tenant has a department called `Surgery` or a sale
    /// number `1`, no other tenant can — their inserts fail with a unique violation, and the
    /// error even reveals that the value exists in another tenant.
    ///
    /// ## Example
    /// ```prisma
    /// model Department {
    ///   id       String @id
    ///   tenantId String
    ///   name     String @unique
    ///   tenant   Tenant @relation(fields: [tenantId], references: [id])
    /// }
    /// ```
    ///
    /// ## Fix
    /// Scope the constraint: remove `@unique` and add `@@unique([tenantId, name])`. Unsafe:
    /// `findUnique({ where: { name } })` calls must become
    /// `where: { tenantId_name: { tenantId, name } }`, and the migration replaces the index.
    /// No fix is offered when a relation references the unique columns (the relation needs
    /// them unique on their own) or when the scoped constraint already exists.
    ///
    /// ## Options
    /// - `tenantKeys` (string list): tenant key field names; setting it also declares the
    ///   schema multi-tenant. Default `["tenantId", "organizationId", "orgId", "workspaceId",
    ///   "teamId"]`.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/models#defining-a-unique-field
    /// - https://www.crunchydata.com/blog/designing-your-postgres-database-for-multi-tenancy
    pub struct TenantUnscopedUnique;
    id = "tenant-unscoped-unique",
    summary = "Unique constraints on per-tenant values (names, numbers) that ignore the tenant",
    category = DataIntegrity,
    severity = High,
    fixable = true,
    enabled = true,
}

/// Words of a column name that make a value global by nature: identifiers, handles, links,
/// secrets and external ids.
const GLOBAL_WORDS: &[&str] = &[
    "id",
    "ids",
    "uid",
    "key",
    "keys",
    "slug",
    "code",
    "url",
    "uri",
    "link",
    "domain",
    "hostname",
    "host",
    "subdomain",
    "share",
    "public",
    "phone",
    "stripe",
    "paypal",
    "braintree",
    "external",
    "uuid",
    "guid",
    "token",
    "secret",
    "hash",
    "nonce",
    "session",
    "idempotency",
    "oauth",
    "webhook",
    "challenge",
];

/// Words of a column name that make a value per tenant: what a tenant names or numbers.
const PER_TENANT_WORDS: &[&str] = &["name", "title", "label", "number", "num", "no", "sku"];

/// Words of a column name for a contact identity: per tenant, except on a login table.
const IDENTITY_WORDS: &[&str] = &["email", "username"];

/// Words of a model name for the models whose columns are all global (a `Domain` is unique
/// in DNS, not per tenant).
const GLOBAL_MODEL_WORDS: &[&str] = &["domain", "domains", "hostname", "hostnames"];

/// Last words of a login table's name.
const LOGIN_MODEL_WORDS: &[&str] = &[
    "user", "users", "account", "accounts", "admin", "admins", "login", "logins",
];

/// Words of a column that only a login table has.
const CREDENTIAL_WORDS: &[&str] = &["password", "passwd", "hash", "hashed", "salt", "webauthn"];

/// Whether `model` is a login table: named like one or holding credentials.
fn is_login_model(model: &Model) -> bool {
    words(&model.name)
        .last()
        .is_some_and(|w| LOGIN_MODEL_WORDS.contains(&w.as_str()))
        || model.scalar_fields().any(|f| {
            words(&f.name)
                .iter()
                .any(|w| CREDENTIAL_WORDS.contains(&w.as_str()))
        })
}

/// Whether the values of `fields` (the columns of one unique) are chosen per tenant.
fn per_tenant(model: &Model, fields: &[&Field]) -> bool {
    if words(&model.name)
        .iter()
        .any(|w| GLOBAL_MODEL_WORDS.contains(&w.as_str()))
    {
        return false;
    }
    let login = std::cell::OnceCell::new();
    let mut any = false;
    for f in fields {
        let ws = words(&f.name);
        if ws.iter().any(|w| GLOBAL_WORDS.contains(&w.as_str())) {
            return false;
        }
        if ws.iter().any(|w| PER_TENANT_WORDS.contains(&w.as_str())) {
            any = true;
        } else if ws.iter().any(|w| IDENTITY_WORDS.contains(&w.as_str())) {
            if *login.get_or_init(|| is_login_model(model)) {
                return false;
            }
            any = true;
        }
    }
    any
}

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
    prisma_audit_core::rule_options!(TenancyOptions);

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
        // Columns a relation references: they must stay unique on their own.
        let referenced: HashSet<FieldId> = schema
            .relations()
            .iter()
            .flat_map(|r| r.references.iter().copied())
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
                    || !per_tenant(model, &fields)
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
                // The scoped constraint already exists: the global one is deliberate or a
                // leftover; either way adding a second copy is not a fix.
                let exists = model.index_refs().any(|i| {
                    i.kind == IndexKind::Unique
                        && i.len() == cols.len() + 1
                        && i.columns().any(|c| c.field == Some(key.id))
                        && fields
                            .iter()
                            .all(|f| i.columns().any(|c| c.field == Some(f.id)))
                });
                let fixable = !exists && !fields.iter().any(|f| referenced.contains(&f.id));
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
                        "{what} is unique across all tenants although `{}` is tenant-owned: two \
                         tenants cannot both use the same {}; scope it with `{scoped}`",
                        model.name,
                        cols.join(" + ")
                    ),
                )
                .at(idx.span)
                .help(format!(
                    "Inferred from the column names: a global unique constraint on a value each \
                     tenant chooses makes one tenant's value block every other tenant (and the \
                     unique-violation error reveals that the value exists elsewhere). Include `{}` \
                     in the constraint. Prisma Client lookups by this unique then use the compound \
                     key (`{}`). If the value must be unique across tenants on purpose, keep it.",
                    key.name,
                    idx.name.map_or_else(
                        || format!("{}_{}", key.name, cols.join("_")),
                        str::to_string
                    )
                ))
                .related(
                    key.span,
                    format!("tenant key `{}.{}`", model.name, key.name),
                )
                .heuristic();
                let complete = edits.len() == 2
                    || matches!(idx.source, IndexSource::Block) && edits.len() == 1;
                if fixable && complete {
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
                "Business unique constraints of tenant-owned models are scoped by `{}` ({scoped} \
                 compound uniques)",
                t.key_name
            )]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, findings_with, fixed, schema_findings};
    use prisma_audit_core::finding::Confidence;
    use serde_json::json;

    const ID: &str = "tenant-unscoped-unique";

    const S: &str = r#"datasource db {
  provider = "postgresql"
}

model Tenant {
  id          String       @id
  slug        String       @unique
  staff       Staff[]
  sales       Sale[]
  departments Department[]
}

model User {
  id    String @id
  email String @unique
  staff Staff?
}

model Staff {
  id       String  @id
  tenantId String
  userId   String? @unique
  email    String? @unique
  stripeId String  @unique
  publicId String  @unique @default(cuid())
  tenant   Tenant  @relation(fields: [tenantId], references: [id])
  user     User?   @relation(fields: [userId], references: [id])
}

model Sale {
  id       String @id
  tenantId String
  series   String
  number   Int
  tenant   Tenant @relation(fields: [tenantId], references: [id])

  @@unique([series, number])
}

model Department {
  id        String @id
  tenantId  String
  name      String @unique
  slug      String @unique
  shareCode String @unique
  phone     String @unique
  pId       String @unique
  tenant    Tenant @relation(fields: [tenantId], references: [id])
}
"#;

    // One tenant-owned model only: not multi-tenant.
    const SINGLE: &str = r#"datasource db {
  provider = "postgresql"
}

model Tenant {
  id    String @id
  sales Sale[]
}

model Sale {
  id       String @id
  tenantId String
  number   Int    @unique
  tenant   Tenant @relation(fields: [tenantId], references: [id])
}
"#;

    // A tenant-owned login table: its email is the global login identity.
    fn login_table() -> String {
        S.replace(
            "  stripeId String  @unique\n",
            "  stripeId String  @unique\n  passwordHash String\n",
        )
    }

    // Every column of a domain model names something unique in DNS.
    fn domain_model() -> String {
        S.replace("model Department {", "model Domain {")
            .replace("departments Department[]", "departments Domain[]")
    }

    fn all_scoped() -> String {
        S.replace("  email    String? @unique\n", "  email    String?\n")
            .replace(
                "@@unique([series, number])",
                "@@unique([tenantId, series, number])",
            )
            .replace("  name      String @unique\n", "  name      String\n")
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(cases(
            ID,
            &[SINGLE, &all_scoped()],
            &[S, &login_table(), &domain_model()]
        ));
    }

    #[test]
    fn reports_per_tenant_values_only() {
        let f = schema_findings(ID, S);
        assert_eq!(f.len(), 3, "{f:#?}");
        assert_eq!(f[0].location.as_ref().unwrap().start.line, 23);
        assert_eq!(f[0].related[0].location.start.line, 21);
        assert!(f.iter().all(|x| x.confidence == Confidence::Heuristic));
        assert_eq!(fixed(ID, S, false), S);
        let out = fixed(ID, S, true);
        assert!(out.contains("  email    String?\n"));
        assert!(out.contains("  @@unique([tenantId, email])\n}"));
        assert!(out.contains("  @@unique([tenantId, series, number])\n"));
        assert!(out.contains("  @@unique([tenantId, name])\n}"));
    }

    #[test]
    fn no_fix_when_referenced_or_already_scoped() {
        let referenced = S.replace(
            "model Department {\n",
            "model Badge {\n  id       String     @id\n  deptName String\n  dept     Department @relation(fields: [deptName], references: [name])\n}\n\nmodel Department {\n  badges    Badge[]\n",
        );
        let f = schema_findings(ID, &referenced);
        let dept = f
            .iter()
            .find(|x| x.message.starts_with("`Department.name`"))
            .expect("still reported");
        assert!(dept.fix.is_none());
        let scoped = S.replace(
            "  tenant    Tenant @relation(fields: [tenantId], references: [id])\n}",
            "  tenant    Tenant @relation(fields: [tenantId], references: [id])\n\n  @@unique([tenantId, name])\n}",
        );
        let f = schema_findings(ID, &scoped);
        let dept = f
            .iter()
            .find(|x| x.message.starts_with("`Department.name`"))
            .expect("still reported");
        assert!(dept.fix.is_none());
    }

    #[test]
    fn tenant_keys_option_makes_a_single_model_multi_tenant() {
        let f = findings_with(
            ID,
            &[("schema.prisma", SINGLE)],
            json!({"tenantKeys": ["tenantId"]}),
        );
        assert_eq!(f.len(), 1);
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
