//! Whether a numeric field holds money, inferred from its name and its model's name, and the
//! precision a schema already uses for money.
//!
//! Names are split into lower-case words (`unitPrice` → `unit price`, `tax_rate` → `tax rate`).
//! A name is money when:
//! - one of its words names money by itself (`price`, `cost`, `fee`, `salary`, `revenue`,
//!   `balance`, `subtotal`, `tax`, `profit`, a currency code such as `usd`...), or
//! - one of its words is an ambiguous amount word (`amount`, `total`, `value`, `paid`) and
//!   the model is about money (`Order`, `Invoice`, `Payment`, `Transaction`,
//!   `Expense`, `Wallet`...) or has a currency field next to it;
//!
//! and no word says it is something else: a score, count, quantity, duration, rate, ratio,
//! percentage, measurement, coordinate, mark or odds (`totalScore`, `paymentCount`,
//! `taxRate`, `totalWeight`, `totalCo2` are not money). These are conventions, not facts:
//! findings built on them are heuristic. A bare `discount` is not money: it is as often a
//! percentage. Prices in market data (a model with a `symbol` or `ticker` field, or a `volume`
//! next to `open`/`close`/`change`: stock quotes, trades, OHLC candles) are readings of a feed,
//! not amounts owed, and are not taken for money either.

use prisma_audit_core::model::{Field, Model, ScalarType, Schema};

use crate::support::naming::words;

/// What the name of a money field says beyond "money".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Money {
    /// The name says the value is in minor units (`priceInCents`, `amount_cents`): an integer.
    pub cents: bool,
    /// The name says the value can be a fraction of a cent (`pricePerToken`, `costPerUnit`,
    /// `pricePerMillion`, a language model's `inputPrice`): no scale can be assumed.
    pub sub_unit: bool,
}

/// Words that name money by themselves.
const MONEY: &[&str] = &[
    "price",
    "prices",
    "pricing",
    "cost",
    "costs",
    "fee",
    "fees",
    "salary",
    "salaries",
    "wage",
    "wages",
    "payroll",
    "revenue",
    "revenues",
    "income",
    "expense",
    "expenses",
    "expenditure",
    "refund",
    "payout",
    "payouts",
    "payment",
    "payments",
    "commission",
    "surcharge",
    "subtotal",
    "tax",
    "taxes",
    "vat",
    "balance",
    "cash",
    "money",
    "profit",
    "deposit",
    "withdrawal",
    "budget",
    "rent",
    "fiat",
    "cents",
    "cent",
    "usd",
    "eur",
    "gbp",
    "brl",
    "inr",
    "jpy",
    "cny",
    "saldo",
    "precio",
    "preco",
    "costo",
    "custo",
];

/// Words that mean money only in a money context.
const AMOUNT: &[&str] = &["amount", "amounts", "total", "totals", "value", "paid"];

/// Words of model names about money.
const MONEY_MODELS: &[&str] = &[
    "order",
    "orders",
    "invoice",
    "invoices",
    "payment",
    "payments",
    "transaction",
    "transactions",
    "sale",
    "sales",
    "purchase",
    "purchases",
    "receipt",
    "receipts",
    "expense",
    "expenses",
    "bill",
    "bills",
    "billing",
    "charge",
    "charges",
    "refund",
    "refunds",
    "wallet",
    "wallets",
    "ledger",
    "financial",
    "finance",
    "finances",
    "quote",
    "quotes",
    "cart",
    "checkout",
    "subscription",
    "subscriptions",
    "payout",
    "payouts",
    "deposit",
    "deposits",
    "withdrawal",
    "withdrawals",
    "price",
    "prices",
    "pricing",
    "cost",
    "costs",
    "fee",
    "fees",
    "payroll",
    "donation",
    "donations",
    "commission",
    "commissions",
];

/// Words that make a name something other than money even next to a money word.
const NOT_MONEY: &[&str] = &[
    "score",
    "scores",
    "point",
    "points",
    "rating",
    "ratings",
    "count",
    "counts",
    "quantity",
    "qty",
    "duration",
    "time",
    "hours",
    "minutes",
    "seconds",
    "days",
    "ms",
    "rank",
    "index",
    "level",
    "version",
    "percent",
    "percentage",
    "pct",
    "rate",
    "ratio",
    "multiplier",
    "factor",
    "weight",
    "co2",
    "emission",
    "emissions",
    "acres",
    "area",
    "size",
    "distance",
    "volume",
    "mark",
    "marks",
    "grade",
    "odds",
    "spread",
    "threshold",
    "similarity",
    "confidence",
    "progress",
    "calories",
    "temperature",
    "kg",
    "ml",
    "cm",
    "mm",
    "lat",
    "lng",
    "latitude",
    "longitude",
];

/// Words saying an amount can be a fraction of the currency's minor unit.
/// `input`, `output`, `prompt` and `completion` are how language-model prices are named
/// (`inputPrice`, `completionCost`): they are quoted per token or per million tokens.
const SUB_UNIT: &[&str] = &[
    "per",
    "token",
    "tokens",
    "million",
    "thousand",
    "input",
    "output",
    "prompt",
    "completion",
];

/// Whether `model` holds market data: quotes or trades of securities (a `symbol`, `ticker`,
/// `isin` field, or a `volume` next to `open`/`close`/`high`/`low`/`change`), where prices are
/// measurements of a feed rather than amounts owed.
fn is_market_data(model: &Model) -> bool {
    let mut volume = false;
    let mut ohlc = false;
    for f in model.scalar_fields() {
        for w in words(&f.name) {
            match w.as_str() {
                "symbol" | "ticker" | "isin" | "cusip" => return true,
                "volume" => volume = true,
                "open" | "close" | "high" | "low" | "change" => ohlc = true,
                _ => {}
            }
        }
    }
    volume && ohlc
}

/// Whether `field` of `model` holds money (see the module documentation).
pub(crate) fn money(model: &Model, field: &Field) -> Option<Money> {
    let w = words(&field.name);
    let has = |list: &[&str]| w.iter().any(|x| list.contains(&x.as_str()));
    if has(NOT_MONEY) || is_market_data(model) {
        return None;
    }
    let is_money = has(MONEY)
        || (has(AMOUNT)
            && (words(&model.name)
                .iter()
                .any(|x| MONEY_MODELS.contains(&x.as_str()))
                || model
                    .scalar_fields()
                    .any(|f| words(&f.name).iter().any(|x| x == "currency"))));
    is_money.then(|| Money {
        cents: has(&["cents", "cent", "minor"]),
        sub_unit: has(SUB_UNIT),
    })
}

/// The `@db.Decimal(p, s)` every money field of the schema declares, when they all declare
/// the same one (at least one field, scale at least 2): the project's own money precision.
pub(crate) fn project_money_precision(schema: &Schema) -> Option<(u32, u32)> {
    let mut found: Option<(u32, u32)> = None;
    for model in schema.models() {
        for field in model.scalar_fields() {
            if field.ty.as_scalar() != Some(ScalarType::Decimal) || money(model, field).is_none() {
                continue;
            }
            let Some(nt) = model.native_type_of(field) else {
                continue;
            };
            let args: Vec<u32> = nt
                .ty
                .args
                .iter()
                .filter_map(|a| a.trim().parse().ok())
                .collect();
            let ps = match (nt.ty.name.as_str(), args.as_slice()) {
                ("Decimal", [p, s]) => (*p, *s),
                _ => return None,
            };
            if found.is_some_and(|f| f != ps) {
                return None;
            }
            found = Some(ps);
        }
    }
    found.filter(|(_, s)| *s >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use prisma_audit_core::Project;

    fn schema(models: &str) -> Schema {
        let text = format!("datasource db {{\n  provider = \"postgresql\"\n}}\n\n{models}");
        let p = Project::from_files("t", [("schema.prisma".to_string(), text.into_bytes())]);
        prisma_audit_core::audit::analyze(&p, None).unwrap().schema
    }

    fn money_of(s: &Schema, model: &str, field: &str) -> Option<Money> {
        let m = s.model(model).unwrap();
        money(m, m.field(field).unwrap())
    }

    #[test]
    fn splits_names() {
        assert_eq!(words("unitPrice"), ["unit", "price"]);
        assert_eq!(words("tax_rate"), ["tax", "rate"]);
        assert_eq!(words("totalUSDAmount"), ["total", "usd", "amount"]);
    }

    #[test]
    fn recognises_money() {
        let s = schema(
            "model Order {\n  id Int @id\n  total Float\n  subtotal Float\n  unitPrice Float\n  taxRate Float\n  totalWeight Float\n  totalScore Float\n  paymentCount Float\n  priceInCents Float\n  costPerToken Float\n  inputPrice Float\n}\n\nmodel Feeding {\n  id Int @id\n  amount Float\n  total Float\n  fee Float\n}\n\nmodel Transfer {\n  id Int @id\n  amount Float\n  currency String\n}\n\nmodel Farm {\n  id Int @id\n  totalAcres Float\n  totalCo2 Float\n  costume Float\n}\n\nmodel Quote {\n  id Int @id\n  symbol String\n  price Float\n}\n\nmodel Candle {\n  id Int @id\n  close Float\n  volume Float\n  price Float\n}\n",
        );
        assert_eq!(money_of(&s, "Order", "total"), Some(Money::default()));
        assert!(money_of(&s, "Order", "subtotal").is_some());
        assert!(!money_of(&s, "Order", "unitPrice").unwrap().sub_unit);
        for name in ["taxRate", "totalWeight", "totalScore", "paymentCount"] {
            assert_eq!(money_of(&s, "Order", name), None, "{name}");
        }
        assert!(money_of(&s, "Order", "priceInCents").unwrap().cents);
        assert!(money_of(&s, "Order", "costPerToken").unwrap().sub_unit);
        assert!(money_of(&s, "Order", "inputPrice").unwrap().sub_unit);
        // Ambiguous words need a money model or a currency field.
        assert_eq!(money_of(&s, "Feeding", "amount"), None);
        assert_eq!(money_of(&s, "Feeding", "total"), None);
        assert!(money_of(&s, "Feeding", "fee").is_some());
        assert!(money_of(&s, "Transfer", "amount").is_some());
        for name in ["totalAcres", "totalCo2", "costume"] {
            assert_eq!(money_of(&s, "Farm", name), None, "{name}");
        }
        // Market data.
        assert_eq!(money_of(&s, "Quote", "price"), None);
        assert_eq!(money_of(&s, "Candle", "price"), None);
    }

    #[test]
    fn project_precision() {
        let one = schema(
            "model Sale {\n  id Int @id\n  total Decimal @db.Decimal(10, 2)\n  tax Decimal @db.Decimal(10, 2)\n  rate Decimal @db.Decimal(5, 4)\n}\n",
        );
        assert_eq!(project_money_precision(&one), Some((10, 2)));
        let mixed = schema(
            "model Sale {\n  id Int @id\n  total Decimal @db.Decimal(10, 2)\n  price Decimal @db.Decimal(12, 4)\n}\n",
        );
        assert_eq!(project_money_precision(&mixed), None);
        let undeclared = schema("model Sale {\n  id Int @id\n  total Decimal\n  price Float\n}\n");
        assert_eq!(project_money_precision(&undeclared), None);
    }
}
