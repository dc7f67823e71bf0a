use crate::support::field_meaning::money;
use crate::support::fields::checked_models;
use crate::support::schema_edit::field_path;
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::model::{Field, Model, Provider, ScalarType};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports, once per model, the `Decimal` fields without an explicit
    /// `@db.Decimal(precision, scale)` on PostgreSQL, CockroachDB, MySQL and SQL Server. The
    /// finding points at the model's first such field and lists the others as related
    /// locations.
    ///
    /// Only when the schema keeps money in such a field: at least one undeclared `Decimal` is
    /// named like money (`price`, `amount` on an `Order`, `fee`, `balance`, `total`...; see
    /// `float-for-money`), without a sub-cent hint (`per`, `token`, a language model's
    /// `inputPrice`). Money is where an
    /// unbounded scale hurts: amounts should be rounded to a fixed number of decimals. Then
    /// every undeclared `Decimal` of the schema is listed, measurements and quantities
    /// included, since they share the oversight. A schema whose undeclared decimals are all
    /// something else (coordinates, exchange or conversion rates, fractional ordering keys,
    /// market prices of a crypto feed) is left alone: a wide scale is often what they need.
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
    ///   tax   Decimal
    /// }
    /// ```
    ///
    /// ## Fix
    /// Declare the precision and scale each field needs, e.g.:
    /// ```prisma
    ///   total Decimal @db.Decimal(12, 2)
    /// ```
    /// Choose them from the data, not from the name: the scale must cover the most decimals any
    /// stored value has (PostgreSQL: `SELECT max(scale(col))`), the precision the largest value
    /// (`max(abs(col))`). Amounts with cents take 2 decimals; unit prices below a cent,
    /// per-token prices, rates and crypto amounts need more. The prefix is the datasource's name
    /// (`@mydb.Decimal` for `datasource mydb`).
    ///
    /// There is no automatic fix: the next migration `ALTER`s the column type, which rounds
    /// existing values to the new scale and fails if a value has more integer digits than the
    /// precision allows, so no scale can be chosen without looking at the data. On large
    /// PostgreSQL tables the type change also rewrites the table under an exclusive lock.
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
    fixable = false,
    enabled = true,
}

/// The default's storage cost: fixed size on MySQL, none where `numeric` is variable-length.
const MYSQL_COST: &str = "MySQL stores DECIMAL in fixed size, so DECIMAL(65,30) also takes 30 \
     bytes per value where DECIMAL(12,2) takes 6.";
const NUMERIC_COST: &str =
    "numeric is variable-length here, so the cost is correctness, not storage.";

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
        let undeclared = |model: &Model, f: &Field| {
            f.ty.as_scalar() == Some(ScalarType::Decimal)
                && model.native_type_of(f).is_none()
                && !f.is_ignored()
        };
        let holds_money = checked_models(schema).any(|m| {
            m.scalar_fields()
                .any(|f| undeclared(m, f) && money(m, f).is_some_and(|money| !money.sub_unit))
        });
        if !holds_money {
            return;
        }
        for model in checked_models(schema) {
            let fields: Vec<&Field> = model
                .scalar_fields()
                .filter(|f| undeclared(model, f))
                .collect();
            let Some(first) = fields.first() else {
                continue;
            };
            let default_sql = schema
                .effective_native_type(first)
                .map_or_else(|| "DECIMAL(65,30)".to_string(), |t| t.sql(provider))
                .to_uppercase();
            let names = fields
                .iter()
                .map(|f| format!("`{}`", f.name))
                .collect::<Vec<_>>();
            let message = match names.as_slice() {
                [_] => format!(
                    "`{}` is `Decimal` without precision, so {db} stores it as {default_sql}; \
                     declare the precision and scale it needs with `@db.Decimal(p, s)`",
                    field_path(schema, first)
                ),
                [init @ .., last] => format!(
                    "{} `Decimal` fields of `{}` ({} and {last}) have no precision, so {db} stores \
                     them as {default_sql}; declare the precision and scale each needs with \
                     `@db.Decimal(p, s)`",
                    names.len(),
                    model.name,
                    init.join(", "),
                ),
                [] => continue,
            };
            let mut help = match provider {
                Provider::SqlServer => sql_server_help(&default_sql),
                Provider::MySql => unbounded_help(&default_sql, MYSQL_COST),
                _ => unbounded_help(&default_sql, NUMERIC_COST),
            };
            help.push_str(
                " Choose the scale from the data, not from the name: it must cover the most \
                 decimals any stored value has (2 for amounts with cents; more for unit prices \
                 below a cent, per-token prices, rates and crypto amounts), and the precision the \
                 largest value. The next migration ALTERs the column: existing values are rounded \
                 to the new scale and the migration fails if one exceeds the precision, so check \
                 `max(abs(column))`",
            );
            if provider.is_postgres_like() {
                help.push_str(" and `max(scale(column))`");
            }
            help.push_str(" first.");
            let mut f = RawFinding::new(format!("{}|decimal-precision", model.name), message)
                .at(first.span)
                .help(help);
            for other in &fields[1..] {
                f = f.related(
                    other.span,
                    format!("`{}` has no precision either", other.name),
                );
            }
            if provider == Provider::SqlServer {
                f = f.severity(Severity::Low);
            }
            out.push(f);
        }
    }
}

/// Why SQL Server's bounded default still does not fit money.
fn sql_server_help(default_sql: &str) -> String {
    format!(
        "SQL Server's default {default_sql} is bounded, but a money column still accepts 16 \
         decimals (sub-cent fractions are stored and summed silently), and each value takes 17 \
         bytes where DECIMAL(12,2) takes 9."
    )
}

/// Why an unbounded `DECIMAL(65,30)` or plain `numeric` does not fit money, then its `cost`.
fn unbounded_help(default_sql: &str, cost: &str) -> String {
    format!(
        "{default_sql} accepts up to 35 integer digits and 30 decimals: the database enforces \
         nothing about the value's shape, so amounts with sub-cent fractions or absurd values from \
         a bug are stored and summed silently, and 30-decimal results (33.333…) reach the \
         application, where converting Prisma's `Decimal` to a JavaScript `number` silently rounds \
         them. {cost}"
    )
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, schema_findings};
    use prisma_audit_core::finding::{Confidence, Severity};

    const ID: &str = "decimal-without-precision";

    const PG: &str = r#"datasource db {
  provider = "postgresql"
}

model Sale {
  id         Int      @id
  subtotal   Decimal
  taxRate    Decimal? @default(0)
  weight     Decimal?
  fixed      Decimal  @db.Decimal(10, 2)
}

model Reading {
  id    Int     @id
  value Decimal
}
"#;

    const MYSQL: &str = r#"datasource main {
  provider = "mysql"
}

model Sale {
  id         Int      @id
  subtotal   Decimal
  taxRate    Decimal? @default(0)
  weight     Decimal?
  fixed      Decimal  @main.Decimal(10, 2)
}

model Reading {
  id    Int     @id
  value Decimal
}
"#;

    const SQLITE: &str = r#"datasource db {
  provider = "sqlite"
}

model Sale {
  id         Int      @id
  subtotal   Decimal
  taxRate    Decimal? @default(0)
  weight     Decimal?
}

model Reading {
  id    Int     @id
  value Decimal
}
"#;

    const MONEY_DECLARED: &str = r#"datasource db {
  provider = "postgresql"
}

model Place {
  id        Int     @id
  latitude  Decimal
  longitude Decimal
  position  Decimal
}

model Sale {
  id    Int     @id
  total Decimal @db.Decimal(12, 2)
}
"#;

    // An undeclared money field brings every undeclared decimal in.
    const MONEY_UNDECLARED: &str = r#"datasource db {
  provider = "postgresql"
}

model Place {
  id        Int     @id
  latitude  Decimal
  longitude Decimal
  position  Decimal
}

model Sale {
  id    Int     @id
  total Decimal
}
"#;

    const MONGO: &str = r#"datasource db {
  provider = "mongodb"
}

model A {
  id    String  @id @map("_id")
  total Decimal
}
"#;

    const VIEW: &str = r#"datasource db {
  provider = "postgresql"
}

view V {
  id    Int     @unique
  total Decimal
}
"#;

    #[test]
    fn pass_and_fail() {
        let sqlserver = PG.replace("postgresql", "sqlserver");
        let cockroach = PG.replace("postgresql", "cockroachdb");
        insta::assert_snapshot!(cases(
            ID,
            &[MONEY_DECLARED, SQLITE, MONGO, VIEW],
            &[PG, MYSQL, &sqlserver, &cockroach, MONEY_UNDECLARED]
        ));
    }

    #[test]
    fn one_finding_per_model_with_the_other_fields_related() {
        let f = schema_findings(ID, PG);
        assert_eq!(f.len(), 2, "{f:#?}");
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!((loc.start.line, loc.start.column), (7, 3));
        let related: Vec<u32> = f[0].related.iter().map(|r| r.location.start.line).collect();
        assert_eq!(related, [8, 9]);
        // No guessed scale: never a fix.
        assert!(f.iter().all(|f| f.fix.is_none()));
        assert!(f.iter().all(|f| f.severity == Severity::Medium));
        assert!(f.iter().all(|f| f.confidence == Confidence::Certain));
        assert_eq!(schema_findings(ID, MONEY_UNDECLARED).len(), 2);
    }

    #[test]
    fn providers() {
        assert_eq!(schema_findings(ID, MYSQL).len(), 2);
        let f = schema_findings(ID, &PG.replace("postgresql", "sqlserver"));
        assert_eq!(f.len(), 2);
        assert!(f.iter().all(|f| f.severity == Severity::Low));
        assert_eq!(
            schema_findings(ID, &PG.replace("postgresql", "cockroachdb")).len(),
            2
        );
    }
}
