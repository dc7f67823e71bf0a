//! What a numeric field holds, guessed from its name: money, quantity, a physical measurement,
//! a percentage, a rate, an exchange rate or a coordinate. Used to suggest a precision for
//! `Decimal` fields and to recognise money stored as `Float`.
//!
//! Names are split into lower-case words (`unitPrice` → `unit price`, `tax_rate` → `tax rate`)
//! and the first matching category in this order wins, so `taxRate` is a rate, `totalWeight` a
//! measurement and `discountPercent` a percentage even though `tax`, `total` and `discount` are
//! money words.

/// The meaning of a numeric field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// `percent`, `percentage`, `pct`: 0–100 with two decimals.
    Percentage,
    /// `exchangeRate`, `fxRate`, `conversionRate`: can be large or tiny.
    ExchangeRate,
    /// `rate`, `ratio`, `factor`, `multiplier` (tax rate 0.16 or 16.0).
    Rate,
    /// `latitude`, `longitude`, `lat`, `lng`.
    Coordinate,
    /// `quantity`, `qty`, `stock`.
    Quantity,
    /// `weight`, `height`, `length`, `temperature`...
    Measurement,
    /// `price`, `amount`, `total`, `tax`, `cost`, `fee`, `balance`...
    Money,
}

impl Meaning {
    /// The suggested `Decimal(precision, scale)`.
    pub fn precision(self) -> (u32, u32) {
        match self {
            Meaning::Percentage => (5, 2),
            Meaning::ExchangeRate => (18, 8),
            Meaning::Rate => (7, 4),
            Meaning::Coordinate => (9, 6),
            Meaning::Quantity => (12, 3),
            Meaning::Measurement => (8, 3),
            Meaning::Money => (12, 2),
        }
    }
    /// A short label for messages.
    pub fn label(self) -> &'static str {
        match self {
            Meaning::Percentage => "a percentage",
            Meaning::ExchangeRate => "an exchange rate",
            Meaning::Rate => "a rate or ratio",
            Meaning::Coordinate => "a coordinate",
            Meaning::Quantity => "a quantity",
            Meaning::Measurement => "a measurement",
            Meaning::Money => "a money amount",
        }
    }
    /// Why this precision: one sentence for the help text.
    pub fn rationale(self) -> &'static str {
        match self {
            Meaning::Percentage => {
                "Decimal(5, 2) holds 0.00 to 999.99, enough for percentages with two decimals"
            }
            Meaning::ExchangeRate => {
                "Decimal(18, 8) holds exchange rates between very weak and very strong currencies with 8 decimals"
            }
            Meaning::Rate => {
                "Decimal(7, 4) holds a rate written either as a fraction (0.1600) or as a percentage (16.0000)"
            }
            Meaning::Coordinate => {
                "Decimal(9, 6) holds ±180.000000, about 10 cm of resolution for latitude/longitude"
            }
            Meaning::Quantity => {
                "Decimal(12, 3) holds up to 999,999,999.999 units, with thousandths for fractional units (kg, litres, half tablets)"
            }
            Meaning::Measurement => {
                "Decimal(8, 3) holds up to 99,999.999 in the unit you store (e.g. kg or cm) with gram/millimetre resolution"
            }
            Meaning::Money => {
                "Decimal(12, 2) holds up to 9,999,999,999.99 with cents; use 3 or 4 decimals only if you handle currencies with 3 decimals (KWD, BHD) or sub-cent prices, and a larger scale for crypto amounts"
            }
        }
    }
}

pub(crate) use crate::naming::words;

const PERCENTAGE: &[&str] = &["percent", "percentage", "pct"];
const EXCHANGE: &[&str] = &["exchange", "fx", "conversion"];
const RATE: &[&str] = &["rate", "ratio", "factor", "multiplier"];
const COORDINATE: &[&str] = &["latitude", "longitude", "lat", "lng", "lon"];
const QUANTITY: &[&str] = &["quantity", "qty", "stock"];
const MEASUREMENT: &[&str] = &[
    "weight",
    "height",
    "length",
    "width",
    "depth",
    "distance",
    "temperature",
    "volume",
    "mass",
];
const MONEY: &[&str] = &[
    "price",
    "prices",
    "amount",
    "amounts",
    "total",
    "subtotal",
    "tax",
    "taxes",
    "vat",
    "discount",
    "cost",
    "costs",
    "fee",
    "fees",
    "balance",
    "salary",
    "wage",
    "wages",
    "payment",
    "revenue",
    "income",
    "expense",
    "expenses",
    "refund",
    "surcharge",
    "commission",
    "payout",
    "tip",
    "deposit",
    "withdrawal",
    "budget",
    "money",
    "cash",
    "shipping",
    "rent",
];

/// Words that make a name something other than money even next to a money word
/// (`totalScore`, `paymentCount`, `costHours`).
const NOT_MONEY: &[&str] = &[
    "score", "scores", "points", "rating", "count", "duration", "time", "hours", "minutes",
    "seconds", "days", "ms", "rank", "index", "level", "version",
];

/// The meaning of a field, from its name; `None` when the name says nothing.
pub fn meaning(name: &str) -> Option<Meaning> {
    let w = words(name);
    let has = |list: &[&str]| w.iter().any(|x| list.contains(&x.as_str()));
    if has(NOT_MONEY) {
        None
    } else if has(PERCENTAGE) {
        Some(Meaning::Percentage)
    } else if has(RATE) && has(EXCHANGE) {
        Some(Meaning::ExchangeRate)
    } else if has(RATE) {
        Some(Meaning::Rate)
    } else if has(COORDINATE) {
        Some(Meaning::Coordinate)
    } else if has(QUANTITY) {
        Some(Meaning::Quantity)
    } else if has(MEASUREMENT) {
        Some(Meaning::Measurement)
    } else if has(MONEY) {
        Some(Meaning::Money)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_names() {
        assert_eq!(words("unitPrice"), ["unit", "price"]);
        assert_eq!(words("tax_rate"), ["tax", "rate"]);
        assert_eq!(words("totalUSDAmount"), ["total", "usd", "amount"]);
        assert_eq!(words("subtotal"), ["subtotal"]);
    }

    #[test]
    fn classifies() {
        assert_eq!(meaning("subtotal"), Some(Meaning::Money));
        assert_eq!(meaning("unitPrice"), Some(Meaning::Money));
        assert_eq!(meaning("initialAmount"), Some(Meaning::Money));
        assert_eq!(meaning("taxRate"), Some(Meaning::Rate));
        assert_eq!(meaning("exchangeRate"), Some(Meaning::ExchangeRate));
        assert_eq!(meaning("discountPercent"), Some(Meaning::Percentage));
        assert_eq!(meaning("totalWeight"), Some(Meaning::Measurement));
        assert_eq!(meaning("weight"), Some(Meaning::Measurement));
        assert_eq!(meaning("quantity"), Some(Meaning::Quantity));
        assert_eq!(meaning("lat"), Some(Meaning::Coordinate));
        assert_eq!(meaning("difference"), None);
        assert_eq!(meaning("score"), None);
        assert_eq!(meaning("costume"), None);
        assert_eq!(meaning("totalScore"), None);
        assert_eq!(meaning("paymentCount"), None);
    }
}
