use crate::support::app_code::{callee_span, conjuncts, is_admin_code, is_background_code};
use crate::support::indexes::unique_alone;
use crate::support::tenancy::{Tenancy, tenancy_for};
use prisma_audit_core::application::{FileRole, Filter, FilterOp, Operation, QueryCall};
use prisma_audit_core::config::glob_match;
use prisma_audit_core::declare_rule;
use prisma_audit_core::model::{FieldType, Model, Schema};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext, RuleOptions};

declare_rule! {
    /// ## What it does
    /// In a multi-tenant schema (see `tenant-key-missing` for how the tenant key is found),
    /// reports `findUnique`, `findFirst`, `update`, `delete`, `upsert`, `updateMany` and
    /// `deleteMany` calls on tenant-owned models whose `where` names no tenant key, directly or
    /// through a relation (`sale: { tenantId }`, `tenant: { slug }`).
    ///
    /// Silent when the filter is not fully known (a variable, a spread), when an earlier call
    /// of the same function filters by the tenant key (ownership checked first), when the
    /// `where` reads a row an earlier call of the function returned (`where: { id:
    /// user.teamId }`: an id the server chose), when it names the owning user (`userId`,
    /// `ownerId`, `createdById`) or a unique key other than the id (a token, a code, a share
    /// id: lookups that exist to find the tenant), in back-office code (an `admin` folder, route
    /// or file, and the `adminPaths` globs), in background work (`cron`, `jobs`, `workers`,
    /// `queue`, `tasks`, `trigger`, `*-scripts` folders), in NestJS services of projects that
    /// authorize with guards (`@UseGuards`, checked before the service runs), and in projects
    /// that scope every query elsewhere: a Prisma Client extension or middleware
    /// (`$extends`/`$use`) that names the tenant key, or row-level security enabled by a
    /// migration.
    ///
    /// ## Why is this bad?
    /// An id from a URL or a form reaches any tenant's row: one clinic reads, edits or
    /// deletes another clinic's customer by changing the id (an insecure direct object
    /// reference). Ids are not secrets; the tenant filter is the only wall between tenants.
    ///
    /// ## Example
    /// ```ts
    /// export async function deactivate(tenantId: string, customerId: string) {
    ///   return prisma.customer.update({ where: { id: customerId }, data: { isActive: false } });
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add the tenant key to the `where`: `where: { id: customerId, tenantId }` (unique
    /// operations accept extra filters since Prisma 5), or check ownership with a scoped read
    /// first, or scope every query with a Prisma Client extension. Not fixed automatically.
    ///
    /// ## Options
    /// - `tenantKeys`: tenant key field names (as for the other tenancy rules).
    /// - `adminPaths`: globs of files whose queries deliberately cross tenants.
    ///
    /// ```toml
    /// [rules.tenant-unscoped-query]
    /// enabled = true
    /// adminPaths = ["src/app/(staff)/**"]
    /// ```
    ///
    /// Off by default: 36 of the 244 findings on the corpus of real projects were worth acting on;
    /// most ids are authorized elsewhere (route guards, tRPC middleware, resolvers) where one
    /// file does not show it.
    ///
    /// ## References
    /// - https://owasp.org/www-project-top-ten/2017/A5_2017-Broken_Access_Control
    /// - https://www.prisma.io/docs/orm/prisma-client/client-extensions/query
    pub struct TenantUnscopedQuery;
    id = "tenant-unscoped-query",
    summary = "A query on tenant-owned rows without the tenant key",
    category = Security,
    severity = High,
    fixable = false,
    enabled = false,
}

/// Options of `tenant-unscoped-query`.
#[derive(Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// Tenant key field names; setting it declares the schema multi-tenant.
    tenant_keys: Option<Vec<String>>,
    /// Globs of files whose queries deliberately cross tenants (back-office code).
    #[serde(default)]
    admin_paths: Vec<String>,
}

impl RuleOptions for Options {
    fn check(&self) -> Result<(), String> {
        if self.tenant_keys.as_ref().is_some_and(|k| k.is_empty()) {
            return Err("`tenantKeys` must list at least one field name".into());
        }
        Ok(())
    }
}

/// What a filter says about the tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Scoped,
    Unscoped,
    /// Not statically known.
    Unknown,
}

fn scope_of(schema: &Schema, t: &Tenancy, model: &Model, filter: &Filter) -> Scope {
    match filter {
        Filter::Field { field, .. } => {
            if t.is_key_name(field) || compound_with_key(t, model, field) {
                Scope::Scoped
            } else {
                Scope::Unscoped
            }
        }
        Filter::Relation { field, filter, .. } => {
            if compound_with_key(t, model, field) {
                return Scope::Scoped;
            }
            let Some(FieldType::Model(target)) = model.field(field).map(|f| &f.ty) else {
                return Scope::Unscoped;
            };
            let Some(target) = schema.model_by_id(*target) else {
                return Scope::Unscoped;
            };
            if t.is_tenant_model(target) {
                return Scope::Scoped;
            }
            scope_of(schema, t, target, filter)
        }
        // A conditional filter may scope the query: no claim either way.
        Filter::Maybe { .. } | Filter::Dynamic => Scope::Unknown,
        Filter::Not { .. } => Scope::Unscoped,
        Filter::And { parts } => {
            let scopes: Vec<Scope> = parts
                .iter()
                .map(|p| scope_of(schema, t, model, p))
                .collect();
            if scopes.contains(&Scope::Scoped) {
                Scope::Scoped
            } else if scopes.contains(&Scope::Unknown) {
                Scope::Unknown
            } else {
                Scope::Unscoped
            }
        }
        Filter::Or { parts } => {
            let scopes: Vec<Scope> = parts
                .iter()
                .map(|p| scope_of(schema, t, model, p))
                .collect();
            if !scopes.is_empty() && scopes.iter().all(|s| *s == Scope::Scoped) {
                Scope::Scoped
            } else if scopes.contains(&Scope::Unknown) {
                Scope::Unknown
            } else {
                Scope::Unscoped
            }
        }
    }
}

/// Whether `name` is a compound unique input that holds the tenant key (`teamId_slug: {
/// teamId, slug }`): not a field of the model, and one of its `_`-separated parts is a key.
fn compound_with_key(t: &Tenancy, model: &Model, name: &str) -> bool {
    model.field(name).is_none() && name.contains('_') && name.split('_').any(|p| t.is_key_name(p))
}

/// Whether the filter scopes the rows another way: by their owning user (`userId`,
/// `ownerId`, `createdById`, `authorId`), or by a unique key other than the id (a token, a
/// code, a share id: lookups that exist to find the tenant).
fn owned_or_by_secret(model: &Model, filter: &Filter) -> bool {
    conjuncts(filter).iter().any(|p| {
        let Filter::Field {
            field,
            op: FilterOp::Equals,
            ..
        } = p
        else {
            return false;
        };
        let words = crate::support::naming::words(field);
        let owner = words.last().is_some_and(|w| w == "id")
            && words.iter().any(|w| {
                matches!(
                    w.as_str(),
                    "user" | "owner" | "creator" | "author" | "created"
                )
            });
        let unique_not_id = model
            .field(field)
            .is_some_and(|f| model.id_of(f).is_none() && unique_alone(model, f));
        owner || unique_not_id
    })
}

fn checked_operation(op: Operation) -> bool {
    use Operation::*;
    matches!(
        op,
        FindUnique
            | FindUniqueOrThrow
            | FindFirst
            | FindFirstOrThrow
            | Update
            | Delete
            | Upsert
            | UpdateMany
            | DeleteMany
    )
}

/// The call's scope; a call without a `where` is unscoped, dynamic arguments unknown.
fn call_scope(schema: &Schema, t: &Tenancy, model: &Model, call: &QueryCall) -> Scope {
    match call.args.as_ref() {
        None => Scope::Unknown,
        Some(a) if a.dynamic => Scope::Unknown,
        Some(a) => match &a.filter {
            None => Scope::Unscoped,
            Some(f) => scope_of(schema, t, model, f),
        },
    }
}

/// The text of the call's `where` argument (from `where` to the end of the call), when the
/// call has one.
fn where_text<'t>(text: &'t str, call: &QueryCall) -> Option<&'t str> {
    let body = text.get(call.span.start as usize..call.span.end as usize)?;
    body.find("where").map(|i| &body[i..])
}

/// Whether the project authorizes requests with NestJS guards (`@UseGuards(...)`), which check
/// access to the ids of a request before its service runs.
fn uses_nest_guards(ctx: &RuleContext<'_>) -> bool {
    ctx.project.files().any(|(_, f)| {
        prisma_audit_core::application::role_of(f.path()).is_some()
            && f.text().is_some_and(|t| t.contains("@UseGuards("))
    })
}

/// Whether the project scopes every query elsewhere: a client extension or middleware naming
/// the tenant key, or row-level security enabled in a migration.
fn scoped_globally(ctx: &RuleContext<'_>, key_name: &str) -> bool {
    ctx.project.files().any(|(_, f)| {
        let Some(text) = f.text() else { return false };
        let path = f.path();
        if path.ends_with(".sql") {
            return text
                .to_ascii_uppercase()
                .contains("ENABLE ROW LEVEL SECURITY");
        }
        prisma_audit_core::application::role_of(path).is_some()
            && (text.contains("$extends(") || text.contains("$use("))
            && text.contains(key_name)
    })
}

impl Rule for TenantUnscopedQuery {
    prisma_audit_core::rule_options!(Options);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let options: Options = ctx.options();
        let Some(t) = tenancy_for(ctx, options.tenant_keys.clone()) else {
            return;
        };
        let app = ctx.application();
        if !app.has_calls() || scoped_globally(ctx, &t.key_name) {
            return;
        }
        let nest_guards = uses_nest_guards(ctx);
        for file in &app.files {
            let path = ctx.project.file(file.file).map_or("", |f| f.path());
            if file.queries.role != FileRole::App
                || is_admin_code(path)
                || is_background_code(path)
                || (nest_guards && path.ends_with(".service.ts"))
                || options.admin_paths.iter().any(|g| glob_match(g, path))
            {
                continue;
            }
            let text = ctx.text(file.file);
            let calls = &file.queries.calls;
            for (i, call) in calls.iter().enumerate() {
                if !checked_operation(call.operation) {
                    continue;
                }
                let Some(model) = call.model.as_deref().and_then(|m| ctx.schema.model(m)) else {
                    continue;
                };
                let Some(key) = t.key_field(model) else {
                    continue;
                };
                if call_scope(ctx.schema, &t, model, call) != Scope::Unscoped
                    || call
                        .args
                        .as_ref()
                        .and_then(|a| a.filter.as_ref())
                        .is_some_and(|f| owned_or_by_secret(model, f))
                {
                    continue;
                }
                // Ownership checked by an earlier scoped call of the same function.
                let checked_before = call.function.is_some()
                    && calls[..i].iter().any(|c| {
                        c.function == call.function
                            && c.model
                                .as_deref()
                                .and_then(|m| ctx.schema.model(m))
                                .is_some_and(|m| call_scope(ctx.schema, &t, m, c) == Scope::Scoped)
                    });
                // An id read from a row an earlier call returned (`where: { id: user.teamId }`):
                // the server chose it, not the request.
                let server_id = call.function.is_some()
                    && where_text(text, call).is_some_and(|w| {
                        calls[..i].iter().any(|c| {
                            c.function == call.function
                                && c.bound_to
                                    .as_deref()
                                    .is_some_and(|b| w.contains(&format!("{b}.")))
                        })
                    });
                if checked_before || server_id {
                    continue;
                }
                let (receiver, accessor, op) = (
                    call.receiver.as_str(),
                    call.accessor.as_deref().unwrap_or(""),
                    call.operation.as_str(),
                );
                let by = if call.args.as_ref().is_some_and(|a| a.filter.is_some()) {
                    "its `where`"
                } else {
                    "the call (no `where`)"
                };
                out.push(
                    RawFinding::new(
                        format!("{accessor}.{op}:{}", call.span.start),
                        format!(
                            "`{receiver}.{accessor}.{op}` reaches `{}` rows of any tenant: {by} \
                             has no `{}`",
                            model.name, key.name
                        ),
                    )
                    .at(callee_span(ctx, file.file, call))
                    .related(
                        key.span,
                        format!("`{}` owns `{}` rows", key.name, model.name),
                    )
                    .help(format!(
                        "Add the tenant to the filter (`where: {{ id, {} }}`; unique operations \
                         accept extra filters since Prisma 5), check ownership with a scoped \
                         read first, or scope every query with a Prisma Client extension.",
                        key.name
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "tenant-unscoped-query";

    const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
}

model Tenant {
  id        String     @id
  slug      String     @unique
  customers Customer[]
  pets      Pet[]
  sales     Sale[]
}

model Customer {
  id       String @id
  tenantId String
  tenant   Tenant @relation(fields: [tenantId], references: [id])
  name     String
  pets     Pet[]

  @@unique([tenantId, name])
}

model Pet {
  id         String   @id
  tenantId   String
  tenant     Tenant   @relation(fields: [tenantId], references: [id])
  customerId String
  customer   Customer @relation(fields: [customerId], references: [id])
}

model Sale {
  id       String @id
  tenantId String
  tenant   Tenant @relation(fields: [tenantId], references: [id])
  shareId  String @unique
}
"#;

    fn code(path: &str, source: &str) -> Case {
        Case::files(&[("prisma/schema.prisma", SCHEMA), (path, source)])
    }

    const UNSCOPED: &str = r#"import { prisma } from "@/lib/prisma";
export async function deactivate(tenantId: string, customerId: string) {
  return prisma.customer.update({ where: { id: customerId }, data: { name: "x" } });
}
export const pet = (id: string) => prisma.pet.findUnique({ where: { id } });
export const wipe = () => prisma.sale.deleteMany();
"#;

    const SCOPED: &str = r#"import { prisma } from "@/lib/prisma";
export async function deactivate(tenantId: string, customerId: string) {
  return prisma.customer.update({ where: { id: customerId, tenantId }, data: { name: "x" } });
}
export const pet = (id: string, slug: string) =>
  prisma.pet.findFirst({ where: { id, tenant: { slug } } });
export const viaParent = (id: string, tenantId: string) =>
  prisma.pet.findFirst({ where: { id, customer: { tenantId } } });
export async function rename(id: string, tenantId: string) {
  const found = await prisma.customer.findFirst({ where: { id, tenantId } });
  if (!found) throw new Error("not found");
  return prisma.customer.update({ where: { id }, data: { name: "y" } });
}
export const dynamic = (where: object) => prisma.sale.findFirst({ where });
export async function record(id: string, tenantId: string) {
  const sale = await prisma.sale.create({ data: { id, tenantId } });
  return prisma.sale.update({ where: { id: sale.id }, data: { id } });
}
export const shared = (shareId: string) => prisma.sale.findUnique({ where: { shareId } });
export const mine = (id: string, ownerId: string) =>
  prisma.pet.findFirst({ where: { id, ownerId } });
export const bySlug = (tenantId: string, name: string) =>
  prisma.customer.findUnique({ where: { tenantId_name: { tenantId, name } } });
"#;

    const EXTENSION: &str = r#"import { PrismaClient } from "@prisma/client";
export const prisma = new PrismaClient().$extends({
  query: { $allModels: { async $allOperations({ args, query }) {
    args.where = { ...args.where, tenantId: currentTenant() };
    return query(args);
  } } },
});
"#;

    #[test]
    fn pass_and_fail() {
        let with_extension = Case::files(&[
            ("prisma/schema.prisma", SCHEMA),
            ("src/lib/customers.ts", UNSCOPED),
            ("src/lib/prisma.ts", EXTENSION),
        ]);
        let configured_admin = code("src/app/(staff)/tools.ts", UNSCOPED)
            .options(serde_json::json!({ "adminPaths": ["src/app/(staff)/**"] }));
        insta::assert_snapshot!(table(
            ID,
            &[
                code("src/lib/customers.ts", SCOPED),
                code("src/app/admin/customers.ts", UNSCOPED),
                configured_admin,
                with_extension,
            ],
            &[code("src/lib/customers.ts", UNSCOPED)],
        ));
    }
}
