use crate::support::app_code::{callee_span, loaded_relations};
use prisma_audit_core::application::{ByteSpan, FileRole, QueryArgs, span_of};
use prisma_audit_core::declare_rule;
use prisma_audit_core::model::{Model, Schema};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports a query that loads a list relation inside another list relation
    /// (`include: { pets: { include: { appointments: true } } }`): the rows it returns
    /// multiply level by level.
    ///
    /// Only relations loaded with `include` or a nested `select` count; to-one relations
    /// (`customer`, `pet`) add one row per parent and are not counted. Silent when every level
    /// has a `take` (the rows are bounded by the product of the takes).
    ///
    /// ## Why is this bad?
    /// A customer with 10 pets of 40 visits each is 400 visit rows in one response, fetched
    /// and serialised on every request, whether the page shows them or not; the cost grows as
    /// the data does, and it hides in a single call.
    ///
    /// ## Example
    /// ```ts
    /// prisma.customer.findFirst({
    ///   where: { id },
    ///   include: { pets: { include: { appointments: true, medicalHistories: true } } },
    /// });
    /// ```
    ///
    /// ## Fix
    /// Select only the fields the page shows, give the inner list a `take` and an `orderBy`
    /// (the latest five visits), or load the inner list with its own query when it is opened.
    /// Not fixed automatically.
    ///
    /// Off by default: 2 of the 22 findings on the corpus of real projects were worth acting on
    /// (most nested lists are a handful of rows per parent).
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-client/queries/relation-queries
    /// - https://www.prisma.io/docs/orm/prisma-client/queries/query-optimization-performance
    pub struct DeepInclude;
    id = "deep-include",
    summary = "A list relation loaded inside another list relation",
    category = Performance,
    severity = Low,
    fixable = false,
    enabled = false,
}

/// One list relation loaded by a selection: its property span, name and model.
struct ListLoad<'s> {
    span: ByteSpan,
    field: String,
    model: &'s Model,
    bounded: bool,
    args: Option<&'s QueryArgs>,
}

/// The list relations `args` loads directly.
fn list_loads<'s>(schema: &'s Schema, model: &'s Model, args: &'s QueryArgs) -> Vec<ListLoad<'s>> {
    loaded_relations(schema, model, args)
        .filter(|r| r.field.is_list())
        .map(|r| ListLoad {
            span: r.item.span,
            field: r.item.field.clone(),
            model: r.target,
            bounded: r.item.args.as_ref().is_some_and(|a| a.take.is_some()),
            args: r.item.args.as_deref(),
        })
        .collect()
}

impl Rule for DeepInclude {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let app = ctx.application();
        for (file, call) in app.calls() {
            if file.queries.role != FileRole::App {
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
            for outer in list_loads(ctx.schema, model, args) {
                let Some(outer_args) = outer.args else {
                    continue;
                };
                let inner = list_loads(ctx.schema, outer.model, outer_args);
                // Every level paged (`take`): the rows are bounded by the product of the takes.
                if inner.is_empty() || (outer.bounded && inner.iter().all(|i| i.bounded)) {
                    continue;
                }
                let names: Vec<String> = inner
                    .iter()
                    .map(|i| {
                        if i.bounded {
                            format!("`{}` (with `take`)", i.field)
                        } else {
                            format!("`{}`", i.field)
                        }
                    })
                    .collect();
                let mut finding = RawFinding::new(
                    format!("{accessor}.{op}.{}:{}", outer.field, outer.span.start),
                    format!(
                        "`{receiver}.{accessor}.{op}` loads {} for every `{}` of `{}`: nested \
                         lists multiply the rows returned",
                        names.join(" and "),
                        outer.model.name,
                        outer.field,
                    ),
                )
                .at(span_of(file.file, outer.span))
                .related(callee_span(ctx, file.file, call), "the query");
                for i in &inner {
                    finding = finding.related(
                        span_of(file.file, i.span),
                        format!("`{}` loaded per `{}`", i.field, outer.model.name),
                    );
                }
                out.push(finding.help(
                    "Select only the fields the page shows, give the inner lists a `take` and an \
                     `orderBy`, or load them with their own query when they are opened.",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "deep-include";

    const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
}

model Customer {
  id    String @id
  pets  Pet[]
}

model Pet {
  id           String        @id
  customerId   String
  customer     Customer      @relation(fields: [customerId], references: [id])
  appointments Appointment[]
}

model Appointment {
  id     String @id
  petId  String
  pet    Pet    @relation(fields: [petId], references: [id])
}
"#;

    fn code(source: &str) -> Case {
        Case::files(&[
            ("prisma/schema.prisma", SCHEMA),
            ("src/lib/customers.ts", source),
        ])
    }

    const NESTED_LISTS: &str = r#"import { prisma } from "@/lib/prisma";
export const profile = (id: string) =>
  prisma.customer.findUnique({
    where: { id },
    include: { pets: { include: { appointments: { take: 5 } } } },
  });
export const selected = (id: string) =>
  prisma.customer.findUnique({
    where: { id },
    select: { pets: { select: { appointments: true } } },
  });
"#;

    const ONE_LIST: &str = r#"import { prisma } from "@/lib/prisma";
export const profile = (id: string) =>
  prisma.customer.findUnique({ where: { id }, include: { pets: { include: { customer: true } } } });
export const paged = (id: string) =>
  prisma.customer.findUnique({
    where: { id },
    include: { pets: { take: 10, include: { appointments: { take: 5 } } } },
  });
export const visits = (petId: string) =>
  prisma.appointment.findMany({ where: { petId }, include: { pet: { include: { customer: true } } } });
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(ID, &[code(ONE_LIST)], &[code(NESTED_LISTS)]));
    }
}
