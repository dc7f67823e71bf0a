use super::field_meaning::{Meaning, meaning};
use super::{checked_models, decimal_attribute, has_native_decimal};
use crate::schema_edit::{append_field_attribute, field_path, replace, span_text};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{Arity, Provider, ScalarType};
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports `Float` fields whose name says they hold money (`price`, `amount`, `total`,
    /// `subtotal`, `tax`, `discount`, `cost`, `fee`, `balance`, `salary`, `payment`,
    /// `*Amount`, `*Price`...; names that also say rate, percentage, quantity, measurement,
    /// count, score or time are not money).
    ///
    /// Silent on views, `@@ignore`d models, and on SQL Server `Float` fields declared
    /// `@db.Money`/`@db.SmallMoney` (stored as exact fixed-point).
    ///
    /// ## Why is this bad?
    /// `Float` is binary floating point (`double precision`, `DOUBLE`, `REAL`): most decimal
    /// amounts have no exact representation, so `0.1 + 0.2` is `0.30000000000000004`. Every
    /// stored price is slightly off, `SUM()` over thousands of rows drifts by cents, equality
    /// checks (`total = paid`) fail, and reports disagree with invoices. The error is silent and
    /// lands in financial data, and correcting it later means a data migration of every amount,
    /// hence **high** severity.
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
    /// Use an exact decimal type with an explicit precision:
    /// ```prisma
    ///   total Decimal @db.Decimal(12, 2)
    /// ```
    /// (on PostgreSQL, CockroachDB, MySQL and SQL Server; the prefix is the datasource's name).
    /// The fix is unsafe: Prisma Client then returns `Prisma.Decimal` instead of `number`, so
    /// application code must change (arithmetic with `.add()`/`.mul()`, serialization), and the
    /// migration converts existing values (rounding them to 2 decimals).
    ///
    /// On SQLite (whose `DECIMAL` columns still store non-integers as floating point) and
    /// MongoDB (where Prisma has no `Decimal`) there is no automatic fix: store amounts as
    /// integer minor units (`Int`/`BigInt` cents) instead.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/reference/prisma-schema-reference#decimal
    /// - https://floating-point-gui.de/basic/
    pub struct FloatForMoney;
    id = "float-for-money",
    summary = "Money stored in a Float field",
    category = DataIntegrity,
    severity = High,
    fixable = true,
    enabled = true,
}

impl Rule for FloatForMoney {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        let provider = schema.provider();
        for model in checked_models(schema) {
            for field in model.scalar_fields() {
                if field.ty.as_scalar() != Some(ScalarType::Float)
                    || field.is_ignored()
                    || meaning(&field.name) != Some(Meaning::Money)
                {
                    continue;
                }
                if model.native_type_of(field).is_some_and(|nt| {
                    matches!(nt.ty.name.as_str(), "Money" | "SmallMoney" | "Decimal")
                }) {
                    continue;
                }
                let path = field_path(schema, field);
                let attr = decimal_attribute(schema, Meaning::Money.precision());
                let native = has_native_decimal(provider);
                let message = if native {
                    format!(
                        "`{path}` stores money as `Float` (binary floating point): amounts like 0.1 are not exact and sums drift; use `Decimal {attr}`"
                    )
                } else {
                    format!(
                        "`{path}` stores money as `Float` (binary floating point): amounts like 0.1 are not exact and sums drift; store integer minor units (`Int` cents) instead"
                    )
                };
                let mut help = String::from(
                    "0.1 + 0.2 = 0.30000000000000004 in binary floating point: stored prices are slightly off, SUM() over many rows drifts by cents, and equality checks between totals fail.",
                );
                match provider {
                    Some(Provider::Sqlite) => help.push_str(" SQLite stores non-integer DECIMAL values as floating point too, so use an `Int` holding cents (or the currency's minor unit) and convert at the edges."),
                    Some(Provider::MongoDb) => help.push_str(" Prisma has no `Decimal` on MongoDB: use an `Int` holding cents (or the currency's minor unit) and convert at the edges."),
                    _ => help.push_str(&format!(" `Decimal {attr}` stores exact amounts with cents; Prisma Client then returns `Prisma.Decimal` instead of `number`, so update the code that does arithmetic on or serializes this field. {}.", Meaning::Money.rationale())),
                }
                let mut f = RawFinding::new(path.clone(), message)
                    .at(field.span)
                    .help(help);
                if native {
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
                            title: format!("Change `{path}` to `Decimal {attr}`"),
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
    use crate::test_util::{fixed, schema_findings};
    use prisma_audit_core::finding::Severity;

    const ID: &str = "float-for-money";

    #[test]
    fn reports_money_floats_and_fixes() {
        let s = "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel Order {\n  id        Int     @id\n  total     Float\n  unitPrice Float?  @default(0) @db.Real // per unit\n  taxRate   Float\n  weight    Float\n  score     Float\n  totalTime Float\n}\n";
        let f = schema_findings(ID, s);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(
            f[0].message,
            "`Order.total` stores money as `Float` (binary floating point): amounts like 0.1 are not exact and sums drift; use `Decimal @db.Decimal(12, 2)`"
        );
        assert_eq!(f[0].severity, Severity::High);
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!((loc.start.line, loc.start.column), (7, 3));
        assert_eq!(
            fixed(ID, s, true),
            "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel Order {\n  id        Int     @id\n  total     Decimal @db.Decimal(12, 2)\n  unitPrice Decimal?  @default(0) @db.Decimal(12, 2) // per unit\n  taxRate   Float\n  weight    Float\n  score     Float\n  totalTime Float\n}\n"
        );
        assert_eq!(fixed(ID, s, false), s);
    }

    #[test]
    fn providers() {
        let mongo = "datasource db {\n  provider = \"mongodb\"\n}\n\nmodel Order {\n  id    String @id @map(\"_id\")\n  total Float\n}\n";
        let f = schema_findings(ID, mongo);
        assert_eq!(f.len(), 1);
        assert!(f[0].fix.is_none());
        assert!(f[0].message.contains("`Int` cents"));
        let sqlite = mongo.replace("mongodb", "sqlite");
        let f = schema_findings(ID, &sqlite);
        assert_eq!(f.len(), 1);
        assert!(f[0].help.as_ref().unwrap().contains("SQLite"));
        let mssql = "datasource store {\n  provider = \"sqlserver\"\n}\n\nmodel Emp {\n  id     Int   @id\n  salary Float @store.Money\n  amount Float\n}\n";
        let f = schema_findings(ID, mssql);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("`Decimal @store.Decimal(12, 2)`"));
        let view = "datasource db {\n  provider = \"postgresql\"\n}\n\nview V {\n  id    Int   @unique\n  total Float\n}\n";
        assert!(schema_findings(ID, view).is_empty());
    }
}
