use crate::support::field_meaning::{money, project_money_precision};
use crate::support::fields::{checked_models, decimal_attribute, has_native_decimal};
use crate::support::schema_edit::{append_field_attribute, field_path, replace, span_text};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{Arity, Provider, ScalarType};
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports `Float` fields whose name says they hold money. A name is money when one of its
    /// words names money by itself (`price`, `cost`, `fee`, `salary`, `revenue`, `balance`,
    /// `subtotal`, `tax`, `profit`, a currency code such as `usd`...), or when it is an
    /// ambiguous amount word (`amount`, `total`, `value`, `paid`) on a model about money
    /// (`Order`, `Invoice`, `Payment`, `Transaction`, `Expense`, `Wallet`...) or next to a
    /// `currency` field. Names that also say score, count, quantity, duration, rate, ratio,
    /// percentage, measurement, coordinate, mark or odds are not money (`totalScore`,
    /// `taxRate`, `totalCo2`, `FeedingLog.amount`), and neither is a bare `discount` (as often
    /// a percentage) nor a price in market data (a model with a `symbol` or `ticker` field, or
    /// a `volume` next to `open`/`close`/`change`: stock quotes and OHLC candles come from a
    /// feed as floating point and are not amounts owed).
    ///
    /// The meaning comes from names, so findings are **heuristic**. Silent on views,
    /// `@@ignore`d models, and on SQL Server `Float` fields declared `@db.Money`/`@db.SmallMoney`
    /// (stored as exact fixed-point).
    ///
    /// ## Why is this bad?
    /// `Float` is binary floating point (`double precision`, `DOUBLE`, `REAL`): most decimal
    /// amounts have no exact representation, so `0.1 + 0.2` is `0.30000000000000004`. Stored
    /// prices are slightly off, `SUM()` over many rows drifts, equality checks (`total = paid`)
    /// fail, and reports disagree with invoices. Correcting it later means a data migration of
    /// every amount.
    ///
    /// ## Example
    /// ```prisma
    /// model Order {
    ///   id    Int   @id
    ///   total Float
    /// }
    /// ```
    ///
    /// ## Fix
    /// Use an exact type: `Decimal` with the precision and scale your amounts need
    /// (`@db.Decimal(12, 2)` for amounts with cents; more decimals for unit prices below a
    /// cent, per-token costs and crypto amounts), or an `Int`/`BigInt` of minor units. A field
    /// named in cents (`priceInCents`) holds whole cents: make it `Int` or `BigInt`, not
    /// `Decimal`.
    ///
    /// The automatic fix is offered only when the schema already declares one precision for
    /// all its money `Decimal` fields (e.g. every money field is `@db.Decimal(10, 2)`) and the
    /// name does not suggest sub-cent values (`per`, `token`, `million`, a language model's
    /// `inputPrice`) or cents: it then changes
    /// the field to `Decimal` with that precision, keeping the project consistent. A guessed
    /// scale could round real values, so otherwise there is no fix. The fix is unsafe: Prisma
    /// Client returns `Prisma.Decimal` instead of `number`, so application code must change,
    /// and the migration rounds existing values to the declared scale.
    ///
    /// On SQLite (whose `DECIMAL` columns still store non-integers as floating point) and
    /// MongoDB (where Prisma has no `Decimal`) the advice is integer minor units (`Int`/`BigInt`
    /// cents).
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/reference/prisma-schema-reference#decimal
    /// - https://floating-point-gui.de/basic/
    pub struct FloatForMoney;
    id = "float-for-money",
    summary = "Money stored in a Float field",
    category = DataIntegrity,
    severity = Medium,
    fixable = true,
    enabled = true,
}

/// What to use instead, by case: a count of cents, SQLite, MongoDB, and `Decimal` elsewhere.
const CENTS_HELP: &str = " A count of cents is an integer: `Int` (up to about 21 million in \
     dollars) or `BigInt`; converting the column rounds any fractional cents.";
const SQLITE_HELP: &str = " SQLite stores non-integer DECIMAL values as floating point too, so \
     use an `Int` holding cents (or the currency's minor unit) and convert at the edges.";
const MONGODB_HELP: &str = " Prisma has no `Decimal` on MongoDB: use an `Int` holding cents (or \
     the currency's minor unit) and convert at the edges.";
const DECIMAL_HELP: &str = " Use `Decimal` with an explicit `@db.Decimal(p, s)` whose scale \
     covers every value you store: 2 decimals for amounts with cents, more for unit prices \
     below a cent, per-token costs or crypto amounts (check the data first: converting rounds \
     to the declared scale). Prisma Client then returns `Prisma.Decimal` instead of `number`, \
     so update the code that does arithmetic on or serializes this field.";

impl Rule for FloatForMoney {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        let provider = schema.provider();
        let native = has_native_decimal(provider);
        let mut precision = None;
        for model in checked_models(schema) {
            for field in model.scalar_fields() {
                if field.ty.as_scalar() != Some(ScalarType::Float) || field.is_ignored() {
                    continue;
                }
                let Some(m) = money(model, field) else {
                    continue;
                };
                if model.native_type_of(field).is_some_and(|nt| {
                    matches!(nt.ty.name.as_str(), "Money" | "SmallMoney" | "Decimal")
                }) {
                    continue;
                }
                let path = field_path(schema, field);
                let message = if m.cents {
                    format!(
                        "`{path}` holds whole cents in a `Float` (binary floating point): make it \
                         an `Int` or `BigInt`"
                    )
                } else if native {
                    format!(
                        "`{path}` stores money as `Float` (binary floating point): amounts like \
                         0.1 are not exact and sums drift; use `Decimal` with the scale your \
                         amounts need, or integer cents"
                    )
                } else {
                    format!(
                        "`{path}` stores money as `Float` (binary floating point): amounts like \
                         0.1 are not exact and sums drift; store integer minor units (`Int` cents) \
                         instead"
                    )
                };
                let mut help = String::from(
                    "0.1 + 0.2 = 0.30000000000000004 in binary floating point: stored amounts are \
                     slightly off, SUM() over many rows drifts, and equality checks between totals \
                     fail. The field is taken for money from its name.",
                );
                help.push_str(match provider {
                    _ if m.cents => CENTS_HELP,
                    Some(Provider::Sqlite) => SQLITE_HELP,
                    Some(Provider::MongoDb) => MONGODB_HELP,
                    _ => DECIMAL_HELP,
                });
                let mut f = RawFinding::new(path.clone(), message)
                    .at(field.span)
                    .help(help)
                    .heuristic();
                let precision = *precision.get_or_insert_with(|| project_money_precision(schema));
                if let Some(ps) = precision.filter(|_| native && !m.cents && !m.sub_unit) {
                    let attr = decimal_attribute(schema, ps);
                    let suffix = match field.arity {
                        Arity::Required => "",
                        Arity::Optional => "?",
                        Arity::List => "[]",
                    };
                    let written = span_text(ctx, field.type_span);
                    if written.starts_with("Float") {
                        let mut edits = vec![replace(field.type_span, format!("Decimal{suffix}"))];
                        edits.push(match model.native_type_of(field) {
                            Some(nt) => replace(nt.span, attr.clone()),
                            None => append_field_attribute(field, &attr),
                        });
                        f = f.fix(RawFix {
                            title: format!(
                                "Change `{path}` to `Decimal {attr}`, the precision of the \
                                 schema's other money fields"
                            ),
                            safety: FixSafety::Unsafe,
                            edits,
                            sql: None,
                        });
                    }
                }
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, fixed, schema_findings};
    use prisma_audit_core::finding::{Confidence, Severity};

    const ID: &str = "float-for-money";

    const NO_PRECISION: &str = r#"datasource db {
  provider = "postgresql"
}

model Order {
  id        Int     @id
  total     Float
  unitPrice Float?  @default(0) @db.Real // per unit
  taxRate   Float
  weight    Float
  score     Float
  totalTime Float
}

model FeedingLog {
  id     Int   @id
  amount Float
}
"#;

    const PROJECT_PRECISION: &str = r#"datasource db {
  provider = "postgresql"
}

model Order {
  id          Int     @id
  total       Float
  shippingFee Float?  @default(0) @db.Real // flat
  pricePerSeat Float
  tax         Decimal @db.Decimal(10, 2)
}
"#;

    const CENTS: &str = r#"datasource db {
  provider = "postgresql"
}

model Estimate {
  id                Int   @id
  costInCents       Float
  price             Decimal @db.Decimal(10, 2)
}
"#;

    const MONGO: &str = r#"datasource db {
  provider = "mongodb"
}

model Order {
  id    String @id @map("_id")
  total Float
}
"#;

    const SQLITE: &str = r#"datasource db {
  provider = "sqlite"
}

model Order {
  id    String @id @map("_id")
  total Float
}
"#;

    const SQL_SERVER: &str = r#"datasource store {
  provider = "sqlserver"
}

model Emp {
  id     Int   @id
  salary Float @store.Money
  wage   Float
  netSalary Decimal @store.Decimal(12, 2)
}
"#;

    const DECIMAL: &str = r#"datasource db {
  provider = "postgresql"
}

model Order {
  id        Int     @id
  total     Decimal @db.Decimal(10, 2)
  weight    Float
  score     Float
  totalTime Float
}
"#;

    const VIEW: &str = r#"datasource db {
  provider = "postgresql"
}

view V {
  id    Int   @unique
  total Float
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(cases(
            ID,
            &[DECIMAL, VIEW],
            &[
                NO_PRECISION,
                PROJECT_PRECISION,
                CENTS,
                MONGO,
                SQLITE,
                SQL_SERVER
            ]
        ));
    }

    #[test]
    fn counts_severity_and_confidence() {
        let f = schema_findings(ID, NO_PRECISION);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Medium);
        assert_eq!(f[0].confidence, Confidence::Heuristic);
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!((loc.start.line, loc.start.column), (7, 3));
        assert_eq!(schema_findings(ID, PROJECT_PRECISION).len(), 3);
        for s in [CENTS, MONGO, SQLITE, SQL_SERVER] {
            assert_eq!(schema_findings(ID, s).len(), 1, "{s}");
        }
    }

    #[test]
    fn no_fix_without_a_known_scale() {
        // No precision declared anywhere in the schema: no guessed scale, no fix.
        assert!(
            schema_findings(ID, NO_PRECISION)
                .iter()
                .all(|f| f.fix.is_none())
        );
        assert_eq!(fixed(ID, NO_PRECISION, true), NO_PRECISION);
        for s in [CENTS, MONGO] {
            assert!(schema_findings(ID, s)[0].fix.is_none(), "{s}");
        }
    }

    #[test]
    fn fix_follows_the_projects_money_precision() {
        let f = schema_findings(ID, PROJECT_PRECISION);
        // `pricePerSeat` may hold sub-cent values: reported without a fix.
        assert!(f[2].fix.is_none());
        assert_eq!(
            fixed(ID, PROJECT_PRECISION, true),
            r#"datasource db {
  provider = "postgresql"
}

model Order {
  id          Int     @id
  total       Decimal @db.Decimal(10, 2)
  shippingFee Decimal?  @default(0) @db.Decimal(10, 2) // flat
  pricePerSeat Float
  tax         Decimal @db.Decimal(10, 2)
}
"#
        );
        assert_eq!(fixed(ID, PROJECT_PRECISION, false), PROJECT_PRECISION);
    }
}
