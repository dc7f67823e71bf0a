use crate::support::app_code::callee_span;
use prisma_audit_core::application::{FileRole, Operation, Receiver, span_of};
use prisma_audit_core::declare_rule;
use prisma_audit_core::model::ScalarType;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports a numeric field written back from a value the same function read earlier:
    /// `const item = await prisma.item.findUnique(...)` followed by `prisma.item.update({ data:
    /// { quantity: item.quantity - n } })` (stock, balances, counters, totals).
    ///
    /// The read must be a `findUnique`/`findFirst` of the same model whose result is bound to
    /// the variable the write reads, and the written field the one read (a number: `Int`,
    /// `BigInt`, `Float` or `Decimal`), computed with `+ - * /`.
    ///
    /// ## Why is this bad?
    /// Two requests read `quantity = 10` at the same time, both write `9`: one sale vanishes
    /// from the stock (a lost update), or a balance goes below zero although each request
    /// checked it. An interactive transaction does not help at PostgreSQL's and MySQL's
    /// default isolation level: both transactions still read the old value.
    ///
    /// ## Example
    /// ```ts
    /// const item = await prisma.inventoryItem.findUnique({ where: { id } });
    /// if (item.quantity < n) throw new Error("out of stock");
    /// await prisma.inventoryItem.update({ where: { id }, data: { quantity: item.quantity - n } });
    /// ```
    ///
    /// ## Fix
    /// Let the database compute from the current value, atomically, and guard in the same
    /// statement: `updateMany({ where: { id, quantity: { gte: n } }, data: { quantity: {
    /// decrement: n } } })` and check that `count` is 1. Or lock the row (`SELECT ... FOR
    /// UPDATE` in a transaction), or run the transaction `Serializable` and retry on conflict.
    /// Not fixed automatically.
    ///
    /// Off by default: 3 of the 4 findings on the corpus of real projects were worth acting on, too
    /// few to measure.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-client/queries/transactions#optimistic-concurrency-control
    /// - https://www.prisma.io/docs/orm/reference/prisma-client-reference#atomic-number-operations
    pub struct CheckThenWriteRace;
    id = "check-then-write-race",
    summary = "A number written back from an earlier read (lost update)",
    category = DataIntegrity,
    severity = Medium,
    fixable = false,
    enabled = false,
}

impl Rule for CheckThenWriteRace {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        use Operation::*;
        let app = ctx.application();
        for file in &app.files {
            if file.queries.role != FileRole::App {
                continue;
            }
            let calls = &file.queries.calls;
            for (i, write) in calls.iter().enumerate() {
                if !matches!(write.operation, Update | UpdateMany | Upsert)
                    || write.function.is_none()
                {
                    continue;
                }
                let Some(model) = write.model.as_deref().and_then(|m| ctx.schema.model(m)) else {
                    continue;
                };
                let Some(args) = write.args.as_ref() else {
                    continue;
                };
                for data in &args.data_reads {
                    let numeric = model.field(&data.field).is_some_and(|f| {
                        matches!(
                            f.ty.as_scalar(),
                            Some(
                                ScalarType::Int
                                    | ScalarType::BigInt
                                    | ScalarType::Float
                                    | ScalarType::Decimal
                            )
                        )
                    });
                    if !numeric {
                        continue;
                    }
                    let read = data.reads.iter().find_map(|r| {
                        let (var, prop) = r.split_once('.')?;
                        if prop != data.field {
                            return None;
                        }
                        calls[..i].iter().rev().find(|c| {
                            c.function == write.function
                                && c.model == write.model
                                && c.bound_to.as_deref() == Some(var)
                                && matches!(
                                    c.operation,
                                    FindUnique | FindUniqueOrThrow | FindFirst | FindFirstOrThrow
                                )
                        })
                    });
                    let Some(read) = read else { continue };
                    let var = read.bound_to.as_deref().unwrap_or("");
                    let in_tx = if write.via == Receiver::Transaction {
                        " (an interactive transaction at the default isolation level does not \
                         prevent it)"
                    } else {
                        ""
                    };
                    out.push(
                        RawFinding::new(
                            format!("{}.{}:{}", model.name, data.field, data.span.start),
                            format!(
                                "`{}.{}` is written from `{var}.{}` read earlier: concurrent \
                                 requests overwrite each other's change{in_tx}",
                                model.name, data.field, data.field
                            ),
                        )
                        .at(span_of(file.file, data.span))
                        .related(
                            callee_span(ctx, file.file, read),
                            format!("`{var}` is read here"),
                        )
                        .help(format!(
                            "Update atomically and guard in the same statement: `updateMany({{ \
                             where: {{ id, {f}: {{ gte: n }} }}, data: {{ {f}: {{ decrement: n }} \
                             }} }})`, then check that `count` is 1; or lock the row, or run the \
                             transaction `Serializable` and retry.",
                            f = data.field
                        )),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "check-then-write-race";

    const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
}

model InventoryItem {
  id       String @id
  name     String
  quantity Int
}
"#;

    fn code(source: &str) -> Case {
        Case::files(&[
            ("prisma/schema.prisma", SCHEMA),
            ("src/lib/stock.ts", source),
        ])
    }

    const RACE: &str = r#"import { prisma } from "@/lib/prisma";
export async function take(id: string, n: number) {
  const item = await prisma.inventoryItem.findUnique({ where: { id } });
  if (!item || item.quantity < n) throw new Error("out of stock");
  return prisma.inventoryItem.update({ where: { id }, data: { quantity: item.quantity - n } });
}
export const takeInTx = (id: string, n: number) =>
  prisma.$transaction(async (tx) => {
    const item = await tx.inventoryItem.findFirstOrThrow({ where: { id } });
    await tx.inventoryItem.update({ where: { id }, data: { quantity: item.quantity - n } });
  });
"#;

    const ATOMIC: &str = r#"import { prisma } from "@/lib/prisma";
export async function take(id: string, n: number) {
  const { count } = await prisma.inventoryItem.updateMany({
    where: { id, quantity: { gte: n } },
    data: { quantity: { decrement: n } },
  });
  if (count !== 1) throw new Error("out of stock");
}
export async function rename(id: string) {
  const item = await prisma.inventoryItem.findUnique({ where: { id } });
  return prisma.inventoryItem.update({ where: { id }, data: { name: item.name + " (old)" } });
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(ID, &[code(ATOMIC)], &[code(RACE)]));
    }
}
