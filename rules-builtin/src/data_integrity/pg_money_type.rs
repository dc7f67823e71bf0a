use crate::support::fields::table_models;
use crate::support::schema_edit::native_type_attribute;
use crate::support::schema_edit::{field_path, replace};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports `@db.Money` columns on PostgreSQL.
    ///
    /// ## Why is this bad?
    /// PostgreSQL's `money` type has a fixed fractional precision taken from the database's
    /// `lc_monetary` setting: its text output (and input parsing) depends on the locale, so a
    /// dump restored on a server with another locale changes or rejects values; it holds no
    /// currency, keeps only two decimals for most locales (rounding unit prices, exchange
    /// rates and tax computations), and division yields rounded results. The PostgreSQL wiki
    /// lists it under "Don't Do This".
    ///
    /// ## Example
    /// ```prisma
    /// model Invoice {
    ///   id    Int     @id
    ///   total Decimal @db.Money
    /// }
    /// ```
    ///
    /// ## Fix
    /// Use `@db.Decimal(19, 4)` (or the precision your amounts need) and store the currency in
    /// its own column. The fix is unsafe: it changes the column type (`ALTER COLUMN ... TYPE
    /// numeric(19,4) USING col::numeric`), which rewrites the table.
    ///
    /// ## References
    /// - https://wiki.postgresql.org/wiki/Don%27t_Do_This#Don.27t_use_money
    /// - https://www.postgresql.org/docs/current/datatype-money.html
    pub struct PgMoneyType;
    id = "pg-money-type",
    summary = "PostgreSQL money columns (locale-dependent, fixed two decimals)",
    category = DataIntegrity,
    severity = Medium,
    fixable = true,
    enabled = true,
}

impl Rule for PgMoneyType {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        if !schema.provider().is_some_and(|p| p.is_postgres_like()) {
            return;
        }
        for model in table_models(schema) {
            for field in model.scalar_fields() {
                let Some(nt) = model.native_type_of(field) else {
                    continue;
                };
                if nt.ty.name != "Money" {
                    continue;
                }
                let path = field_path(schema, field);
                let col = field.db_name();
                out.push(
                    RawFinding::new(
                        path.clone(),
                        format!(
                            "`{path}` uses `@db.Money`: PostgreSQL money is locale-dependent and \
                             rounds to a fixed number of decimals; use `@db.Decimal(19, 4)`"
                        ),
                    )
                    .at(nt.span)
                    .help(
                        "`money` takes its fractional precision and its text format from \
                         `lc_monetary`: restoring a dump on a server with another locale misreads \
                         values, unit prices and rates are rounded to two decimals, and there is \
                         no currency. Store amounts as `numeric` (`@db.Decimal(19, 4)`) with the \
                         currency in a separate column.",
                    )
                    .fix(RawFix {
                        title: format!("Use `@db.Decimal(19, 4)` for `{path}`"),
                        safety: FixSafety::Unsafe,
                        edits: vec![replace(
                            nt.span,
                            native_type_attribute(ctx.schema, "Decimal(19, 4)"),
                        )],
                        sql: Some(format!(
                            "ALTER TABLE \"{}\" ALTER COLUMN \"{col}\" TYPE DECIMAL(19,4) USING \
                             \"{col}\"::numeric;",
                            model.db_name()
                        )),
                    }),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, fixed};

    const ID: &str = "pg-money-type";

    const MONEY: &str = r#"datasource db {
  provider = "postgresql"
}

model Invoice {
  id    Int     @id
  total Decimal @db.Money
  tax   Decimal @db.Decimal(10, 2)
}
"#;

    const DECIMAL: &str = r#"datasource db {
  provider = "postgresql"
}

model Invoice {
  id    Int     @id
  total Decimal @db.Decimal(19, 4)
}
"#;

    const SQL_SERVER_MONEY: &str = r#"datasource db {
  provider = "sqlserver"
}

model Invoice {
  id    Int     @id
  total Decimal @db.Money
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(cases(ID, &[DECIMAL, SQL_SERVER_MONEY], &[MONEY]));
    }

    #[test]
    fn the_fix_is_unsafe_and_swaps_the_native_type() {
        assert_eq!(fixed(ID, MONEY, false), MONEY);
        assert_eq!(
            fixed(ID, MONEY, true),
            MONEY.replace("@db.Money", "@db.Decimal(19, 4)")
        );
    }
}
