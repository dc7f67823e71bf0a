use crate::support::field_meaning::money;
use prisma_audit_core::application::{FileRole, span_of};
use prisma_audit_core::declare_rule;
use prisma_audit_core::model::{Field, Model, ScalarType};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports money held in `Decimal` fields converted to JavaScript numbers for arithmetic:
    /// `sale.total.toNumber() + tax`, `Number(item.price) * quantity`, `sum += +row.amount`.
    ///
    /// The property converted must be a `Decimal` field of the schema that holds money (by its
    /// name: `price`, `total`, `amount` next to a currency, ...), and the conversion an operand
    /// of `+`, `-`, `*`, `/` or `+=`-style assignment. Conversions for display (`toFixed`,
    /// formatting) are not reported.
    ///
    /// ## Why is this bad?
    /// The schema stores exact decimals; the arithmetic throws that away. Binary floating point
    /// cannot hold most cents exactly (`0.1 + 0.2 === 0.30000000000000004`), so sums drift by
    /// fractions of a cent, totals stop matching their lines, and rounding differs between a
    /// report and an invoice.
    ///
    /// ## Example
    /// ```ts
    /// for (const sale of sales) months[sale.createdAt.getMonth()] += sale.total.toNumber();
    /// ```
    ///
    /// ## Fix
    /// Compute with `Prisma.Decimal` (`a.plus(b)`, `a.times(qty)`), or let the database add up
    /// (`aggregate({ _sum: { total: true } })`, `groupBy`); convert to a number only to display
    /// the result. Not fixed automatically.
    ///
    /// Off by default: it reported nothing on the corpus of real projects, so it is not measured.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/reference/prisma-client-reference#decimal
    /// - https://mikemcl.github.io/decimal.js/
    pub struct FloatMoneyArithmetic;
    id = "float-money-arithmetic",
    summary = "Money in a `Decimal` field converted to a float for arithmetic",
    category = DataIntegrity,
    severity = Medium,
    fixable = false,
    enabled = false,
}

/// A money `Decimal` field named `property`, in any model.
fn money_decimal<'s>(models: &[&'s Model], property: &str) -> Option<(&'s Model, &'s Field)> {
    models.iter().find_map(|m| {
        let f = m.field(property)?;
        (f.ty.as_scalar() == Some(ScalarType::Decimal) && money(m, f).is_some()).then_some((*m, f))
    })
}

impl Rule for FloatMoneyArithmetic {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let models: Vec<&Model> = ctx.schema.models().collect();
        let app = ctx.application();
        for file in &app.files {
            if file.queries.role != FileRole::App {
                continue;
            }
            for c in &file.queries.number_conversions {
                let Some((model, field)) = money_decimal(&models, &c.property) else {
                    continue;
                };
                out.push(
                    RawFinding::new(
                        format!("{}:{}", c.expression, c.span.start),
                        format!(
                            "`{}` (money, `Decimal` in `{}.{}`) is converted with `{}` and used \
                             in float arithmetic",
                            c.expression,
                            model.name,
                            field.name,
                            c.how.pattern()
                        ),
                    )
                    .at(span_of(file.file, c.span))
                    .related(
                        field.span,
                        format!("`{}.{}` is a `Decimal`", model.name, field.name),
                    )
                    .help(
                        "Compute with `Prisma.Decimal` (`a.plus(b)`, `a.times(n)`) or let the \
                         database add up (`aggregate` with `_sum`); convert to a number only to \
                         display the result.",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "float-money-arithmetic";

    const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
}

model Sale {
  id        String   @id
  total     Decimal  @db.Decimal(10, 2)
  latitude  Decimal  @db.Decimal(9, 6)
  createdAt DateTime @default(now())
}
"#;

    fn code(source: &str) -> Case {
        Case::files(&[
            ("prisma/schema.prisma", SCHEMA),
            ("src/lib/reports.ts", source),
        ])
    }

    const FLOAT_SUMS: &str = r#"import { prisma } from "@/lib/prisma";
export async function revenue() {
  const sales = await prisma.sale.findMany({ select: { total: true } });
  let sum = 0;
  for (const sale of sales) sum += sale.total.toNumber();
  const avg = Number(sales[0]?.total ?? 0) / sales.length;
  return sales.reduce((acc, s) => acc + +s.total, 0) + avg + sum;
}
"#;

    const FINE: &str = r#"import { prisma } from "@/lib/prisma";
export async function revenue() {
  const sales = await prisma.sale.findMany({ select: { total: true, latitude: true } });
  const total = sales.reduce((acc, s) => acc.plus(s.total), new Prisma.Decimal(0));
  const shown = sales.map((s) => s.total.toNumber());
  const north = sales.filter((s) => s.latitude.toNumber() + 1 > 0);
  return { total, shown, north };
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(ID, &[code(FINE)], &[code(FLOAT_SUMS)]));
    }
}
