use super::field_meaning::{Meaning, meaning};
use super::{checked_models, decimal_attribute};
use crate::schema_edit::{append_field_attribute, field_path};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::{FixSafety, Severity};
use prisma_audit_core::model::{Field, Model, Provider, ScalarType};
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports `Decimal` fields without an explicit `@db.Decimal(precision, scale)` on
    /// PostgreSQL, CockroachDB, MySQL and SQL Server, and suggests a precision from the field's
    /// name: money (`price`, `amount`, `total`, `subtotal`, `tax`, `discount`, `cost`, `fee`,
    /// `balance`, `*Amount`, `*Price`...) → `Decimal(12, 2)`; quantities → `Decimal(12, 3)`;
    /// measurements (`weight`, `height`, `length`, `temperature`...) → `Decimal(8, 3)`;
    /// percentages → `Decimal(5, 2)`; rates and ratios → `Decimal(7, 4)`; exchange rates →
    /// `Decimal(18, 8)`; coordinates → `Decimal(9, 6)`. A field with an unknown name in a model
    /// whose other decimal fields are all money (e.g. `CashDrawer.difference` next to
    /// `initialAmount`) is treated as money; otherwise the finding has no fix and asks you to
    /// choose.
    ///
    /// Silent on SQLite (no `@db.Decimal`; SQLite has no fixed-precision type) and MongoDB
    /// (Prisma has no `Decimal` there), and on views and `@@ignore`d models.
    ///
    /// ## Why is this bad?
    /// Without a native type Prisma Migrate creates **`DECIMAL(65,30)`** on PostgreSQL,
    /// CockroachDB and MySQL:
    /// - the database enforces nothing about the value's shape: up to 35 integer digits and
    ///   30 decimals are accepted, so an amount with sub-cent fractions (10.004 from a computed
    ///   discount) or an absurd value from a bug is stored and summed silently;
    /// - the 30-digit scale leaks into the application: a division result such as
    ///   33.333333333333333333333333333333 is stored as is, and wherever the app converts
    ///   Prisma's `Decimal` to a JavaScript `number` (for JSON, charts, arithmetic) it is
    ///   silently rounded to ~15-17 significant digits, so totals computed in JS and in SQL
    ///   disagree.
    ///
    /// On PostgreSQL and CockroachDB `numeric` is variable-length, so this is **not** about
    /// wasted storage: the cost is correctness. On MySQL `DECIMAL` is fixed-size, so
    /// `DECIMAL(65,30)` also takes 30 bytes per value where `DECIMAL(12,2)` takes 6. On SQL
    /// Server Prisma's default is `DECIMAL(32,16)`: bounded, but money columns still accept
    /// 16 decimals, and each value takes 17 bytes instead of 9 (reported as low).
    ///
    /// ## Example
    /// ```prisma
    /// model Sale {
    ///   id    String  @id
    ///   total Decimal
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```prisma
    ///   total Decimal @db.Decimal(12, 2)
    /// ```
    /// Keep 2 decimals for money unless you handle currencies with 3 decimals (KWD, BHD),
    /// sub-cent unit prices or crypto amounts. The prefix is the datasource's name
    /// (`@mydb.Decimal` for `datasource mydb`).
    ///
    /// The fix is unsafe: the next migration `ALTER`s the column type, which rounds existing
    /// values to the new scale and fails if a value has more integer digits than the precision
    /// allows (check `max(abs(column))` first). On large PostgreSQL tables the type change
    /// rewrites the table under an exclusive lock.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/reference/prisma-schema-reference#decimal
    /// - https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-NUMERIC-DECIMAL
    /// - https://dev.mysql.com/doc/refman/8.0/en/precision-math-decimal-characteristics.html
    /// - https://learn.microsoft.com/en-us/sql/t-sql/data-types/decimal-and-numeric-transact-sql
    pub struct DecimalWithoutPrecision;
    id = "decimal-without-precision",
    summary = "Decimal field without explicit precision and scale",
    category = DataIntegrity,
    severity = Medium,
    fixable = true,
    enabled = true,
}

/// The suggested meaning of a Decimal field, and whether it was inferred from its siblings.
fn suggestion(model: &Model, field: &Field) -> Option<(Meaning, bool)> {
    if let Some(m) = meaning(&field.name) {
        return Some((m, false));
    }
    let siblings: Vec<Meaning> = model
        .scalar_fields()
        .filter(|f| f.id != field.id && f.ty.as_scalar() == Some(ScalarType::Decimal))
        .filter_map(|f| meaning(&f.name))
        .collect();
    (!siblings.is_empty() && siblings.iter().all(|m| *m == Meaning::Money))
        .then_some((Meaning::Money, true))
}

impl Rule for DecimalWithoutPrecision {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        let Some(provider) = schema.provider() else {
            return;
        };
        let db = match provider {
            Provider::PostgreSql => "PostgreSQL",
            Provider::CockroachDb => "CockroachDB",
            Provider::MySql => "MySQL",
            Provider::SqlServer => "SQL Server",
            Provider::Sqlite | Provider::MongoDb => return,
        };
        for model in checked_models(schema) {
            for field in model.scalar_fields() {
                if field.ty.as_scalar() != Some(ScalarType::Decimal)
                    || model.native_type_of(field).is_some()
                    || field.is_ignored()
                {
                    continue;
                }
                let default_sql = schema
                    .effective_native_type(field)
                    .map_or_else(|| "DECIMAL(65,30)".to_string(), |t| t.sql(provider))
                    .to_uppercase();
                let path = field_path(schema, field);
                let sugg = suggestion(model, field);
                let attr = sugg.map(|(m, _)| decimal_attribute(schema, m.precision()));
                let message = match (&attr, sugg) {
                    (Some(attr), Some((m, inferred))) => format!(
                        "`{path}` is `Decimal` without precision, so {db} stores it as {default_sql}; declare `{attr}` ({}{})",
                        m.label(),
                        if inferred {
                            ", like the model's other decimal fields"
                        } else {
                            ""
                        }
                    ),
                    _ => format!(
                        "`{path}` is `Decimal` without precision, so {db} stores it as {default_sql}; declare the precision and scale it needs with `@db.Decimal(p, s)`"
                    ),
                };
                let mut help = match provider {
                    Provider::SqlServer => format!(
                        "SQL Server's default {default_sql} is bounded, but a money column still accepts 16 decimals (sub-cent fractions are stored and summed silently), and each value takes 17 bytes where DECIMAL(12,2) takes 9."
                    ),
                    _ => {
                        let cost = if provider == Provider::MySql {
                            "MySQL stores DECIMAL in fixed size, so DECIMAL(65,30) also takes 30 bytes per value where DECIMAL(12,2) takes 6."
                        } else {
                            "numeric is variable-length here, so the cost is correctness, not storage."
                        };
                        format!(
                            "{default_sql} accepts up to 35 integer digits and 30 decimals: the database enforces nothing about the value's shape, so amounts with sub-cent fractions or absurd values from a bug are stored and summed silently, and 30-decimal results (33.333…) reach the application, where converting Prisma's `Decimal` to a JavaScript `number` silently rounds them. {cost}"
                        )
                    }
                };
                if let Some((m, _)) = sugg {
                    help.push_str(&format!(" {}.", m.rationale()));
                }
                help.push_str(" Changing the type makes the next migration ALTER the column: existing values are rounded to the new scale and the migration fails if one exceeds the precision; check `max(abs(column))` first.");
                let mut f = RawFinding::new(path.clone(), message)
                    .at(field.span)
                    .help(help);
                if provider == Provider::SqlServer {
                    f = f.severity(Severity::Low);
                }
                if let Some(attr) = attr {
                    f = f.fix(RawFix {
                        title: format!("Declare `{path}` as `{attr}`"),
                        safety: FixSafety::Unsafe,
                        edits: vec![append_field_attribute(field, &attr)],
                        sql: None,
                    });
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

    const ID: &str = "decimal-without-precision";

    fn schema(provider: &str, ds: &str) -> String {
        format!(
            "datasource {ds} {{\n  provider = \"{provider}\"\n}}\n\nmodel Sale {{\n  id         Int      @id\n  subtotal   Decimal\n  taxRate    Decimal? @default(0)\n  weight     Decimal?\n  quantity   Decimal\n  difference Decimal?\n  fixed      Decimal  @{ds}.Decimal(10, 2)\n}}\n\nmodel Reading {{\n  id    Int     @id\n  value Decimal\n}}\n"
        )
    }

    #[test]
    fn postgres_reports_each_field_with_a_suggestion() {
        let s = schema("postgresql", "db");
        let f = schema_findings(ID, &s);
        assert_eq!(f.len(), 6, "{f:#?}");
        assert_eq!(
            f[0].message,
            "`Sale.subtotal` is `Decimal` without precision, so PostgreSQL stores it as DECIMAL(65,30); declare `@db.Decimal(12, 2)` (a money amount)"
        );
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!((loc.start.line, loc.start.column), (7, 3));
        assert!(f[0].help.as_ref().unwrap().contains("not storage"));
        assert!(
            f[1].message
                .contains("`@db.Decimal(7, 4)` (a rate or ratio)")
        );
        assert!(f[2].message.contains("`@db.Decimal(8, 3)` (a measurement)"));
        assert!(f[3].message.contains("`@db.Decimal(12, 3)` (a quantity)"));
        // Only money siblings infer money; here the siblings are mixed: no suggestion.
        assert!(
            f[4].message.contains("`@db.Decimal(p, s)`"),
            "{}",
            f[4].message
        );
        assert!(f[4].fix.is_none());
        assert!(f[5].message.starts_with("`Reading.value`"));
        assert!(f.iter().all(|f| f.severity == Severity::Medium));
        assert!(!f.iter().any(|f| f.help.as_ref().unwrap().contains("bytes")));
    }

    #[test]
    fn fix_output_and_sibling_inference() {
        let s = "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel CashDrawer {\n  id            Int      @id\n  initialAmount Decimal\n  difference    Decimal? // final - expected\n  score         Decimal  @db.Decimal(4, 1)\n}\n\nmodel Pet {\n  id     Int      @id\n  weight Decimal? @default(0)\n}\n";
        let f = schema_findings(ID, s);
        assert_eq!(f.len(), 3, "{f:#?}");
        assert!(
            f[1].message
                .contains("(a money amount, like the model's other decimal fields)")
        );
        assert_eq!(
            fixed(ID, s, true),
            "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel CashDrawer {\n  id            Int      @id\n  initialAmount Decimal @db.Decimal(12, 2)\n  difference    Decimal? @db.Decimal(12, 2) // final - expected\n  score         Decimal  @db.Decimal(4, 1)\n}\n\nmodel Pet {\n  id     Int      @id\n  weight Decimal? @default(0) @db.Decimal(8, 3)\n}\n"
        );
        assert_eq!(fixed(ID, s, false), s);
    }

    #[test]
    fn providers() {
        let f = schema_findings(ID, &schema("mysql", "main"));
        assert_eq!(f.len(), 6);
        assert!(
            f[0].message
                .contains("MySQL stores it as DECIMAL(65,30); declare `@main.Decimal(12, 2)`"),
            "{}",
            f[0].message
        );
        assert!(f[0].help.as_ref().unwrap().contains("30 bytes per value"));
        let f = schema_findings(ID, &schema("sqlserver", "db"));
        assert_eq!(f.len(), 6);
        assert!(
            f[0].message
                .contains("SQL Server stores it as DECIMAL(32,16)"),
            "{}",
            f[0].message
        );
        assert!(f.iter().all(|f| f.severity == Severity::Low));
        assert_eq!(schema_findings(ID, &schema("cockroachdb", "db")).len(), 6);
        assert!(
            schema_findings(
                ID,
                &schema("sqlite", "db").replace("  fixed      Decimal  @db.Decimal(10, 2)\n", "")
            )
            .is_empty()
        );
        let mongo = "datasource db {\n  provider = \"mongodb\"\n}\n\nmodel A {\n  id    String  @id @map(\"_id\")\n  total Decimal\n}\n";
        assert!(schema_findings(ID, mongo).is_empty());
        let view = "datasource db {\n  provider = \"postgresql\"\n}\n\nview V {\n  id    Int     @unique\n  total Decimal\n}\n";
        assert!(schema_findings(ID, view).is_empty());
    }
}
