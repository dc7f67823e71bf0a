use crate::support::fields::table_models;
use crate::support::schema_edit::native_type_attribute;
use crate::support::schema_edit::{append_field_attribute, field_path, replace};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::ScalarType;
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports, once per schema, the `DateTime` fields that PostgreSQL or CockroachDB stores as
    /// `timestamp(3)` **without** time zone: every `DateTime` without a native type (Prisma's
    /// default) and every `@db.Timestamp(n)`. Off by default (informational).
    ///
    /// ## Why is this bad?
    /// Prisma Client writes and reads these columns as UTC, so a Prisma-only application is
    /// consistent. Anything else is not: `now()`/`CURRENT_TIMESTAMP` in raw SQL, triggers,
    /// migrations' backfills, BI tools and psql sessions use the session time zone, and a
    /// `timestamp` column cannot tell which values were written in which zone. `timestamptz`
    /// stores an absolute instant and converts on display; it costs the same 8 bytes.
    ///
    /// One finding per schema (with the first field of every affected model as related
    /// locations) keeps the noise low; the fix converts them all. Fields indexed with an
    /// explicit operator class (`ops: TimestampMinMaxOps`) are left out: the class is tied to
    /// the column type.
    ///
    /// ## Example
    /// ```prisma
    /// model Appointment {
    ///   id       String   @id
    ///   dateTime DateTime
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add `@db.Timestamptz(3)` (or replace `@db.Timestamp(n)` with `@db.Timestamptz(n)`).
    /// Unsafe: the migration converts existing values assuming the session time zone — run it
    /// with `SET TIME ZONE 'UTC'` (what Prisma wrote) or use
    /// `ALTER COLUMN ... TYPE timestamptz(3) USING col AT TIME ZONE 'UTC'`.
    ///
    /// ## References
    /// - https://wiki.postgresql.org/wiki/Don%27t_Do_This#Don.27t_use_timestamp_.28without_time_zone.29
    /// - https://www.prisma.io/docs/orm/reference/prisma-schema-reference#datetime
    pub struct TimestampWithoutTimeZone;
    id = "timestamp-without-time-zone",
    summary = "DateTime stored as timestamp without time zone on PostgreSQL",
    category = DataIntegrity,
    severity = Info,
    fixable = true,
    enabled = false,
}

impl Rule for TimestampWithoutTimeZone {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        if !schema.provider().is_some_and(|p| p.is_postgres_like()) {
            return;
        }
        let mut fields = Vec::new();
        let mut models = 0;
        let mut related = Vec::new();
        let mut edits = Vec::new();
        for model in table_models(schema) {
            let mut first = true;
            for field in model.scalar_fields() {
                if field.ty.as_scalar() != Some(ScalarType::DateTime) || field.is_ignored() {
                    continue;
                }
                // An operator class (`TimestampMinMaxOps` of a BRIN index) is tied to the type.
                if model.index_refs().any(|i| {
                    i.columns()
                        .any(|c| c.field == Some(field.id) && c.ops.is_some())
                }) {
                    continue;
                }
                let edit = match model.native_type_of(field) {
                    None => append_field_attribute(
                        field,
                        &native_type_attribute(ctx.schema, "Timestamptz(3)"),
                    ),
                    Some(nt) if nt.ty.name == "Timestamp" => {
                        let p = nt.ty.args.first().map_or("3", |a| a.as_str());
                        replace(
                            nt.span,
                            native_type_attribute(ctx.schema, &format!("Timestamptz({p})")),
                        )
                    }
                    Some(_) => continue,
                };
                edits.push(edit);
                let path = field_path(schema, field);
                if first {
                    models += 1;
                    first = false;
                    related.push((
                        field.span,
                        format!(
                            "`{path}` (and the other DateTime fields of `{}`)",
                            model.name
                        ),
                    ));
                }
                fields.push((path, field.span));
            }
        }
        let Some((first_path, first_span)) = fields.first().cloned() else {
            return;
        };
        let n = fields.len();
        let mut f = RawFinding::new(
            "DateTime",
            format!(
                "{n} `DateTime` field{} in {models} model{} (first `{first_path}`) {} stored as \
                 `timestamp(3)` without time zone; consider `@db.Timestamptz(3)`",
                if n == 1 { "" } else { "s" },
                if models == 1 { "" } else { "s" },
                if n == 1 { "is" } else { "are" },
            ),
        )
        .at(first_span)
        .help(
            "Prisma Client reads and writes these columns as UTC, but raw SQL, triggers, backfills \
             and BI tools use the session time zone and a `timestamp` column cannot tell the \
             difference. `timestamptz` stores an absolute instant at the same size. Convert with \
             `USING col AT TIME ZONE 'UTC'` so existing values keep their meaning.",
        );
        for (span, msg) in related.into_iter().skip(1) {
            f = f.related(span, msg);
        }
        out.push(f.fix(RawFix {
            title: format!(
                "Use `@db.Timestamptz` for {n} DateTime field{}",
                if n == 1 { "" } else { "s" }
            ),
            safety: FixSafety::Unsafe,
            edits,
            sql: None,
        }));
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, fixed, schema_findings};

    const ID: &str = "timestamp-without-time-zone";

    const PG: &str = r#"datasource db {
  provider = "postgresql"
}

model A {
  id Int      @id
  at DateTime @default(now())
  ts DateTime @db.Timestamp(6)
  tz DateTime @db.Timestamptz(3)
  d  DateTime @db.Date
}

model B {
  id Int       @id
  at DateTime?
}
"#;

    const PG_WITH_TIME_ZONE: &str = r#"datasource db {
  provider = "postgresql"
}

model A {
  id Int      @id
  at DateTime @default(now()) @db.Timestamptz(3)
  tz DateTime @db.Timestamptz(6)
  d  DateTime @db.Date
}
"#;

    const MYSQL: &str = r#"datasource db {
  provider = "mysql"
}

model A {
  id Int      @id
  at DateTime @default(now())
  ts DateTime
  tz DateTime
  d  DateTime @db.Date
}

model B {
  id Int       @id
  at DateTime?
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(cases(ID, &[PG_WITH_TIME_ZONE, MYSQL], &[PG]));
    }

    #[test]
    fn one_finding_per_schema_with_the_other_models_related() {
        let f = schema_findings(ID, PG);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location.as_ref().unwrap().start.line, 7);
        assert_eq!(f[0].related.len(), 1);
        assert_eq!(f[0].related[0].location.start.line, 15);
    }

    #[test]
    fn the_unsafe_fix_adds_time_zones_keeping_the_precision() {
        assert_eq!(fixed(ID, PG, false), PG);
        let out = fixed(ID, PG, true);
        assert!(out.contains("  at DateTime @default(now()) @db.Timestamptz(3)\n"));
        assert!(out.contains("  ts DateTime @db.Timestamptz(6)\n"));
        assert!(out.contains("  at DateTime? @db.Timestamptz(3)\n"));
    }
}
