use crate::support::fields::table_models;
use crate::support::schema_edit::native_type_attribute;
use crate::support::schema_edit::{field_path, replace};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::Provider;
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports timestamp columns declared with zero fractional-second precision:
    /// `@db.Timestamp(0)` / `@db.Timestamptz(0)` on PostgreSQL and CockroachDB,
    /// `@db.DateTime(0)` / `@db.Timestamp(0)` on MySQL.
    ///
    /// Off by default: on real projects these columns are nearly always introspected from
    /// existing MySQL tables (`DATETIME` without fractional seconds is MySQL's default) and hold
    /// business dates where whole seconds are what the data means. Enable it for new schemas
    /// where event order within a second matters.
    ///
    /// ## Why is this bad?
    /// Prisma Client sends millisecond timestamps. A precision-0 column does not truncate them,
    /// it *rounds* to the nearest second: `12:00:00.600` is stored as `12:00:01`, a time in the
    /// future from the writer's point of view (a `createdAt` later than the `now()` that
    /// produced it, a token that "expires" late), and the order of events within one second is
    /// lost, so sorting by the column no longer matches insertion order.
    ///
    /// ## Example
    /// ```prisma
    /// model Event {
    ///   id        Int      @id
    ///   createdAt DateTime @default(now()) @db.Timestamptz(0)
    /// }
    /// ```
    ///
    /// ## Fix
    /// Use precision 3 (`@db.Timestamptz(3)`), the precision of JavaScript dates and Prisma's
    /// default. Unsafe: the column type changes (existing values stay whole seconds).
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/datatype-datetime.html
    /// - https://dev.mysql.com/doc/refman/8.0/en/fractional-seconds.html
    pub struct TimestampPrecisionZero;
    id = "timestamp-precision-zero",
    summary = "Timestamps with zero fractional precision round to whole seconds",
    category = DataIntegrity,
    severity = Low,
    fixable = true,
    enabled = false,
}

impl Rule for TimestampPrecisionZero {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        let names: &[&str] = match schema.provider() {
            Some(Provider::PostgreSql | Provider::CockroachDb) => &["Timestamp", "Timestamptz"],
            Some(Provider::MySql) => &["DateTime", "Timestamp"],
            _ => return,
        };
        for model in table_models(schema) {
            for field in model.scalar_fields() {
                let Some(nt) = model.native_type_of(field) else {
                    continue;
                };
                if !names.contains(&nt.ty.name.as_str())
                    || nt.ty.args.first().map(|a| a.trim()) != Some("0")
                {
                    continue;
                }
                let path = field_path(schema, field);
                let old = native_type_attribute(schema, &format!("{}(0)", nt.ty.name));
                let new = native_type_attribute(schema, &format!("{}(3)", nt.ty.name));
                out.push(
                    RawFinding::new(
                        path.clone(),
                        format!(
                            "`{path}` uses `{old}`: millisecond values are rounded (not truncated) \
                             to whole seconds, so stored times can lie in the future and events \
                             within a second lose their order; use `{new}`"
                        ),
                    )
                    .at(nt.span)
                    .help(
                        "JavaScript dates carry milliseconds; a precision-0 column rounds them to \
                         the nearest second. Use precision 3 unless whole seconds are a deliberate \
                         business rule.",
                    )
                    .fix(RawFix {
                        title: format!("Use `{new}` for `{path}`"),
                        safety: FixSafety::Unsafe,
                        edits: vec![replace(nt.span, new.clone())],
                        sql: None,
                    }),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, fixed};

    const ID: &str = "timestamp-precision-zero";

    const PG_ZERO: &str = r#"datasource db {
  provider = "postgresql"
}

model Event {
  id        Int      @id
  createdAt DateTime @default(now()) @db.Timestamptz(0)
  at        DateTime @db.Timestamp(6)
  day       DateTime @db.Date
}
"#;

    const PG_PRECISE: &str = r#"datasource db {
  provider = "postgresql"
}

model Event {
  id        Int      @id
  createdAt DateTime @default(now()) @db.Timestamptz(3)
  at        DateTime @db.Timestamp(6)
  day       DateTime @db.Date
}
"#;

    const MYSQL_ZERO: &str = r#"datasource db {
  provider = "mysql"
}

model Event {
  id Int      @id
  at DateTime @db.DateTime(0)
}
"#;

    const SQLITE: &str = r#"datasource db {
  provider = "sqlite"
}

model Event {
  id Int      @id
  at DateTime
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(cases(ID, &[PG_PRECISE, SQLITE], &[PG_ZERO, MYSQL_ZERO]));
    }

    #[test]
    fn the_fix_raises_the_precision_to_milliseconds() {
        assert_eq!(
            fixed(ID, PG_ZERO, true),
            PG_ZERO.replace("Timestamptz(0)", "Timestamptz(3)")
        );
    }
}
