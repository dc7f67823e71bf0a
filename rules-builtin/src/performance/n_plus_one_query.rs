use crate::support::app_code::{has_computed_in, is_background_code};
use prisma_audit_core::application::{FileRole, LoopKind, Operation, span_of};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports Prisma Client reads inside a loop whose arguments use the loop's item: a
    /// `findMany`, `findFirst`, `count`, `aggregate` or `groupBy` per iteration of a `for`,
    /// `for ... of`, `for await`, `while`, `.map(...)` or `.forEach(...)` of the same function,
    /// and a `findUnique` per iteration of a sequential loop.
    ///
    /// `findUnique` calls made in the same tick are batched into one query by Prisma Client's
    /// dataloader, so `Promise.all(ids.map((id) => prisma.user.findUnique({ where: { id } })))`
    /// is not reported; the same call awaited in a `for ... of` is.
    ///
    /// ## Why is this bad?
    /// One query per item: a list of 100 rows costs 101 round trips to the database, and the
    /// page gets slower as the data grows (the "N+1 queries" problem).
    ///
    /// ## Example
    /// ```ts
    /// for (const pet of pets) {
    ///   pet.visits = await prisma.appointment.findMany({ where: { petId: pet.id } });
    /// }
    /// ```
    ///
    /// ## Fix
    /// Load the related rows in one query, `findMany({ where: { petId: { in: pets.map((p) =>
    /// p.id) } } })`, and group them in memory; or fetch the parents with an `include`. Not
    /// fixed automatically.
    ///
    /// Only application code counts, and not background work (files under `cron`, `jobs`,
    /// `workers`, `queue`, `tasks`, `trigger` or `*-scripts` folders); a query per chunk of a
    /// batch (`where: { id: { in: batch } }`) is batching already. Off by default: on real
    /// projects 41 of its 60 findings (68 %) were worth acting on; a loop over a small, bounded
    /// list (a handful of settings) is no problem.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-client/queries/query-optimization-performance#solving-the-n1-problem
    pub struct NPlusOneQuery;
    id = "n-plus-one-query",
    summary = "A Prisma Client read per loop iteration (N+1 queries)",
    category = Performance,
    severity = Medium,
    fixable = false,
    enabled = false,
}

impl Rule for NPlusOneQuery {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let app = ctx.application();
        for (file, call) in app.calls() {
            if file.queries.role != FileRole::App {
                continue;
            }
            let Some(lp) = call.in_loop.as_ref().filter(|l| l.uses_loop_variable) else {
                continue;
            };
            // Background work (cron, workers, data scripts) is off the request path, and a
            // query per chunk (`id: { in: batch }`) is batching already.
            let path = ctx.project.file(file.file).map_or("", |f| f.path());
            if is_background_code(path)
                || call
                    .args
                    .as_ref()
                    .and_then(|a| a.filter.as_ref())
                    .is_some_and(has_computed_in)
            {
                continue;
            }
            use Operation::*;
            let read = match call.operation {
                FindMany | FindFirst | FindFirstOrThrow | Count | Aggregate | GroupBy => true,
                // Batched by the dataloader when the iterations run concurrently.
                FindUnique | FindUniqueOrThrow => lp.kind != LoopKind::Map,
                _ => false,
            };
            if !read {
                continue;
            }
            let (accessor, op) = (
                call.accessor.as_deref().unwrap_or(""),
                call.operation.as_str(),
            );
            let loop_name = match lp.kind {
                LoopKind::Map => "`.map(...)`",
                LoopKind::ForEach => "`.forEach(...)`",
                LoopKind::ForOf => "`for ... of` loop",
                LoopKind::ForAwait => "`for await` loop",
                LoopKind::ForIn => "`for ... in` loop",
                LoopKind::For => "loop",
            };
            out.push(
                RawFinding::new(
                    format!("{accessor}.{op}:{}", call.span.start),
                    format!(
                        "`{}.{accessor}.{op}` runs once per item of a {loop_name} (N+1 queries)",
                        call.receiver
                    ),
                )
                .at(span_of(file.file, call.span))
                .related(span_of(file.file, lp.span), "the loop")
                .help(
                    "Each iteration is a round trip to the database. Read the rows for all items \
                     at once (`findMany` with `where: { key: { in: keys } }`, then group them in \
                     memory) or load them with an `include` on the query that fetched the items.",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "n-plus-one-query";

    const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
}

model Pet {
  id    String @id
  name  String
}

model Appointment {
  id    String @id
  petId String
}
"#;

    fn code(source: &str) -> Case {
        Case::files(&[
            ("prisma/schema.prisma", SCHEMA),
            ("src/lib/pets.ts", source),
        ])
    }

    const PER_PET: &str = r#"import { prisma } from "@/lib/prisma";
export async function visits(pets: { id: string }[]) {
  for (const pet of pets) {
    const rows = await prisma.appointment.findMany({ where: { petId: pet.id } });
    console.log(rows.length);
  }
  return Promise.all(pets.map((p) => prisma.appointment.count({ where: { petId: p.id } })));
}
"#;

    const SEQUENTIAL_UNIQUE: &str = r#"import { prisma } from "@/lib/prisma";
export async function names(ids: string[]) {
  const out = [];
  for (const id of ids) out.push(await prisma.pet.findUnique({ where: { id } }));
  return out;
}
"#;

    const BATCHED: &str = r#"import { prisma } from "@/lib/prisma";
export const names = (ids: string[]) =>
  Promise.all(ids.map((id) => prisma.pet.findUnique({ where: { id } })));
"#;

    const BATCHES: &str = r#"import { prisma } from "@/lib/prisma";
export async function archive(chunks: string[][]) {
  for (const batch of chunks) {
    const rows = await prisma.appointment.findMany({ where: { petId: { in: batch } } });
    console.log(rows.length);
  }
}
"#;

    const NOT_DEPENDING: &str = r#"import { prisma } from "@/lib/prisma";
export async function poll() {
  for (let i = 0; i < 3; i++) {
    const total = await prisma.pet.count();
    if (total > 0) return total;
  }
}
"#;

    const IN_ONE_QUERY: &str = r#"import { prisma } from "@/lib/prisma";
export async function visits(pets: { id: string }[]) {
  const rows = await prisma.appointment.findMany({ where: { petId: { in: pets.map((p) => p.id) } } });
  for (const pet of pets) console.log(rows.filter((r) => r.petId === pet.id).length);
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                code(BATCHED),
                code(NOT_DEPENDING),
                code(IN_ONE_QUERY),
                code(BATCHES),
                Case::files(&[
                    ("prisma/schema.prisma", SCHEMA),
                    ("src/cron/visits.ts", PER_PET)
                ]),
            ],
            &[code(PER_PET), code(SEQUENTIAL_UNIQUE)],
        ));
    }
}
