use crate::support::app_code::{
    LoadedRelation, SmallModels, callee_span, children_of_one_parent, conjuncts,
    default_tenant_key, grows, is_background_code, loaded_relations,
};
use crate::support::indexes::unique_alone;
use crate::support::model_roles::{APPEND_ONLY_SUFFIXES, is_append_only};
use prisma_audit_core::application::{
    FileRole, Filter, FilterOp, Operation, QueryArgs, QueryCall, Value, span_of,
};
use prisma_audit_core::declare_rule;
use prisma_audit_core::model::{Model, Schema};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports reads that return every matching row of a model that grows: a `findMany`
    /// without `take` (or `cursor`), and a list relation loaded with `include`/`select` without
    /// `take` (`include: { appointments: true }`).
    ///
    /// An included list counts once, at the outermost unbounded level, and not on writes
    /// (`create`, `update`, `upsert`, `delete` return the row just written), nor when the
    /// include's own `where` narrows it to one parent's or one key's rows.
    ///
    /// Silent for models that do not grow with use (small reference data such as categories
    /// or settings, views, and the models listed in the `smallModels` option), for a
    /// `findMany` whose `where` names its rows by a unique key or by a list the code computes
    /// (`id: x`, `email: { in: emails }`), for the children of one parent row (`where: {
    /// postId }`) unless the model is a log, event or history (`AuditLog`, `PageVersion`),
    /// for
    /// arguments that are not an object literal, in background work (`cron`, `jobs`, `workers`,
    /// `*-scripts` folders), and outside application code (tests, seeds, scripts).
    ///
    /// ## Why is this bad?
    /// The query's cost grows with the table: the page that loads 50 rows today loads 50,000
    /// next year, in one response, in memory, with no limit on the time it takes. A list
    /// relation included without `take` does the same per parent row.
    ///
    /// ## Example
    /// ```ts
    /// const sales = await prisma.sale.findMany({ where: { tenantId } });
    /// const pet = await prisma.pet.findFirst({ where: { id }, include: { appointments: true } });
    /// ```
    ///
    /// ## Fix
    /// Page the list: `take` with a cursor (`cursor: { id: lastId }, skip: 1`), or aggregate in
    /// the database (`aggregate`, `groupBy`, `count`) when only a total is needed; give the
    /// included relation a `take` and an `orderBy`. Not fixed automatically.
    ///
    /// ## Options
    /// - `smallModels`: models whose tables stay small (never reported).
    ///
    /// ```toml
    /// [rules.unbounded-find-many]
    /// enabled = true
    /// smallModels = ["Country", "Plan"]
    /// ```
    ///
    /// Off by default: 82 of the 838 findings on the corpus of real projects were worth acting on;
    /// whether a list grows is a property of the data, which the code does not show.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-client/queries/pagination
    pub struct UnboundedFindMany;
    id = "unbounded-find-many",
    summary = "A read returns every matching row of a growing model",
    category = Performance,
    severity = Medium,
    fixable = false,
    enabled = false,
}

const FIND_MANY_HELP: &str = "Page the list with `take` and a cursor (`cursor: { id: lastId }, \
     skip: 1`), or let the database aggregate (`count`, `aggregate`, `groupBy`) when only a \
     total is needed.";

const INCLUDE_HELP: &str = "Give the relation a `take` (and an `orderBy`), or load it with its \
     own paged query when all rows are needed.";

/// Whether `filter` bounds its rows by values the code gives: a single-column unique key
/// (`id: x`), or any field `in` a list computed by the code (`email: { in: emails }`).
fn by_unique_key(model: &Model, filter: &Filter) -> bool {
    conjuncts(filter).iter().any(|p| match p {
        // `{ in: ids }` with a list from the code: at most one row per given value.
        Filter::Field {
            op: FilterOp::In,
            value: Value::Dynamic,
            ..
        } => true,
        Filter::Field {
            field,
            op: FilterOp::Equals | FilterOp::In,
            ..
        } => model.field(field).is_some_and(|f| unique_alone(model, f)),
        Filter::And { .. } => by_unique_key(model, p),
        _ => false,
    })
}

/// The growing models of list relations selected without `take`, recursively.
fn unbounded_relations<'s>(
    schema: &'s Schema,
    model: &'s Model,
    args: &QueryArgs,
    small: &[String],
    out: &mut Vec<(prisma_audit_core::application::ByteSpan, String, &'s Model)>,
) {
    for LoadedRelation {
        item,
        field,
        target,
    } in loaded_relations(schema, model, args)
    {
        // Paged, or narrowed to few rows by its own `where` (one user's vote, one version).
        let bounded = item.args.as_ref().is_some_and(|a| {
            a.dynamic
                || a.take.is_some()
                || a.cursor.is_some()
                || a.filter.as_ref().is_some_and(|f| {
                    by_unique_key(target, f)
                        || children_of_one_parent(schema, target, f, &default_tenant_key)
                })
        });
        if field.is_list() && !bounded && grows(schema, target, small) {
            // The outermost unbounded list is the finding; lists inside it only repeat it.
            out.push((item.span, item.field.clone(), target));
            continue;
        }
        if let Some(a) = &item.args {
            unbounded_relations(schema, target, a, small, out);
        }
    }
}

/// Whether `op` writes (and returns the row it wrote).
fn writes(op: Operation) -> bool {
    use Operation::*;
    matches!(
        op,
        Create | CreateManyAndReturn | Update | UpdateManyAndReturn | Upsert | Delete
    )
}

fn find_many_unbounded(schema: &Schema, model: &Model, call: &QueryCall, small: &[String]) -> bool {
    let Some(args) = call.args.as_ref() else {
        return false;
    };
    call.operation == Operation::FindMany
        && !args.dynamic
        && args.take.is_none()
        && args.cursor.is_none()
        && grows(schema, model, small)
        && !args.filter.as_ref().is_some_and(|f| {
            by_unique_key(model, f)
                || (children_of_one_parent(schema, model, f, &default_tenant_key)
                    && !is_append_only(model, APPEND_ONLY_SUFFIXES))
        })
}

impl Rule for UnboundedFindMany {
    prisma_audit_core::rule_options!(SmallModels);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let options: SmallModels = ctx.options();
        let small = &options.small_models;
        let app = ctx.application();
        for (file, call) in app.calls() {
            // Background work (cron, workers, data scripts) walks whole tables on purpose.
            if file.queries.role != FileRole::App
                || is_background_code(ctx.project.file(file.file).map_or("", |f| f.path()))
            {
                continue;
            }
            let Some(model) = call.model.as_deref().and_then(|m| ctx.schema.model(m)) else {
                continue;
            };
            let Some(args) = call.args.as_ref() else {
                continue;
            };
            let (receiver, accessor, op) = (
                call.receiver.as_str(),
                call.accessor.as_deref().unwrap_or(""),
                call.operation.as_str(),
            );
            if find_many_unbounded(ctx.schema, model, call, small) {
                out.push(
                    RawFinding::new(
                        format!("{accessor}.{op}:{}", call.span.start),
                        format!(
                            "`{receiver}.{accessor}.findMany` returns every matching `{}` row: \
                             no `take`",
                            model.name
                        ),
                    )
                    .at(callee_span(ctx, file.file, call))
                    .help(FIND_MANY_HELP),
                );
            }
            // A write returns the row just written: its lists are what the call wrote, or one
            // row's children.
            let mut relations = Vec::new();
            if !writes(call.operation) {
                unbounded_relations(ctx.schema, model, args, small, &mut relations);
            }
            for (span, field, target) in relations {
                out.push(
                    RawFinding::new(
                        format!("{accessor}.{op}.{field}:{}", span.start),
                        format!(
                            "`{receiver}.{accessor}.{op}` loads every `{}` of `{field}`: the \
                             included list has no `take`",
                            target.name
                        ),
                    )
                    .at(span_of(file.file, span))
                    .related(callee_span(ctx, file.file, call), "the query")
                    .help(INCLUDE_HELP),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "unbounded-find-many";

    const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
}

model Pet {
  id           String        @id
  name         String
  appointments Appointment[]
  tags         Tag[]
}

model Appointment {
  id     String @id
  petId  String
  pet    Pet    @relation(fields: [petId], references: [id])
}

model Tag {
  id    String @id
  name  String
  pets  Pet[]
}
"#;

    fn code(source: &str) -> Case {
        Case::files(&[
            ("prisma/schema.prisma", SCHEMA),
            ("src/lib/pets.ts", source),
        ])
    }

    const UNBOUNDED: &str = r#"import { prisma } from "@/lib/prisma";
export const all = () => prisma.appointment.findMany({ orderBy: { id: "desc" } });
export const pet = (id: string) =>
  prisma.pet.findUnique({ where: { id }, include: { appointments: true } });
"#;

    const BOUNDED: &str = r#"import { prisma } from "@/lib/prisma";
export const page = (cursor: string) =>
  prisma.appointment.findMany({ take: 20, cursor: { id: cursor }, skip: 1 });
export const byIds = (ids: string[]) => prisma.appointment.findMany({ where: { id: { in: ids } } });
export const forPets = (petIds: string[]) =>
  prisma.appointment.findMany({ where: { petId: { in: petIds } } });
export const pet = (id: string) =>
  prisma.pet.findUnique({ where: { id }, include: { appointments: { take: 5 }, tags: true } });
export const tags = () => prisma.tag.findMany();
export const created = (id: string) =>
  prisma.pet.create({ data: { id, name: "Rex" }, include: { appointments: true } });
export const nested = (id: string) =>
  prisma.pet.findUnique({ where: { id }, include: { appointments: { where: { id: "a1" } } } });
export const ofPet = (petId: string) => prisma.appointment.findMany({ where: { petId } });
export const dynamic = (args: object) => prisma.appointment.findMany(args);
"#;

    #[test]
    fn pass_and_fail() {
        let small = code(UNBOUNDED).options(serde_json::json!({ "smallModels": ["Appointment"] }));
        insta::assert_snapshot!(table(ID, &[code(BOUNDED), small], &[code(UNBOUNDED)],));
    }
}
