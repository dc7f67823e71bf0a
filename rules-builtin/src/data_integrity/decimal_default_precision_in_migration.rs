use crate::support::migration::mig_span;
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it does
    /// Points at the migration lines that created `DECIMAL(65,30)` columns still present at
    /// the end of the history: the type Prisma generates for a `Decimal` field without
    /// `@db.Decimal(p, s)`. One finding per migration, with every such column as a location.
    ///
    /// Not run on histories that do not build the project's databases: a `migration_lock.toml`
    /// for another provider (`migration-lock-provider` reports it) or a project whose build or
    /// deploy scripts run `prisma db push` and never Prisma Migrate.
    ///
    /// ## Why is this bad?
    /// 65 digits with 30 after the point fits no business quantity: money, weights and
    /// quantities need a few decimals. The oversized type hides the intended precision and
    /// accepts absurd values; on MySQL every value also takes ~30 bytes whatever it holds
    /// (PostgreSQL stores `numeric` by value, so there the size costs nothing).
    ///
    /// Off by default: `decimal-without-precision` reports the same fields on the schema,
    /// where the fix is made; judged on real histories, this migration-side view was noise.
    ///
    /// ## Example
    /// ```sql
    /// "price" DECIMAL(65,30) NOT NULL,
    /// ```
    ///
    /// ## Fix
    /// Give the fields an explicit precision in the schema (`price Decimal @db.Decimal(10, 2)`)
    /// and let `prisma migrate dev` generate the `ALTER COLUMN ... TYPE DECIMAL(10,2)` migration;
    /// check existing values fit first.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/reference/prisma-schema-reference#decimal
    pub struct DecimalDefaultPrecisionInMigration;
    id = "decimal-default-precision-in-migration",
    summary = "Columns created as DECIMAL(65,30), Prisma's default for Decimal",
    category = DataIntegrity,
    severity = Low,
    fixable = false,
    enabled = false,
}

impl Rule for DecimalDefaultPrecisionInMigration {
    /// A safety rule: migrations that already ran are history.
    fn judges_pending_migrations_only(&self) -> bool {
        true
    }
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(h) = ctx.migrations else { return };
        // A history for another provider, or one the project's deploys never run.
        if !crate::support::drift::history_builds_databases(ctx, h) {
            return;
        }
        let mut by_mig: BTreeMap<usize, Vec<(String, &prisma_audit_core::sql::catalog::Column)>> =
            BTreeMap::new();
        for t in h.replay.catalog.tables.values() {
            for c in &t.columns {
                if matches!(c.data_type.as_str(), "numeric(65,30)" | "decimal(65,30)") {
                    by_mig
                        .entry(c.defined_at.migration)
                        .or_default()
                        .push((t.name.name.clone(), c));
                }
            }
        }
        for (mi, mut cols) in by_mig {
            cols.sort_by_key(|(_, c)| c.def_range.start());
            let m = &h.migrations[mi];
            let names: Vec<String> = cols
                .iter()
                .map(|(t, c)| format!("{t}.{}", c.name))
                .collect();
            let message = format!(
                "Migration `{}` creates {} column(s) as DECIMAL(65,30): {}",
                m.name,
                cols.len(),
                names.join(", ")
            );
            let help = "DECIMAL(65,30) is what Prisma generates for `Decimal` without \
                        `@db.Decimal(p, s)`. Give the fields the precision they need in the schema \
                        (e.g. `@db.Decimal(10, 2)` for money) and generate the migration.";
            let mut f = RawFinding::new(format!("{}|decimal", m.name), message).help(help);

            f.span = mig_span(h, mi, cols[0].1.def_range);
            for (t, c) in cols.iter().skip(1) {
                if let Some(s) = mig_span(h, mi, c.def_range) {
                    f = f.related(s, format!("{t}.{}", c.name));
                }
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "decimal-default-precision-in-migration";

    /// `a` and `c` are created as DECIMAL(65,30); `b` has a precision.
    const CREATE: &str = r#"CREATE TABLE "S" (
  "a" DECIMAL(65,30) NOT NULL,
  "b" DECIMAL(10,2),
  "c" DECIMAL(65,30)
);
"#;

    /// `d` is added as DECIMAL(65,30); `c` gets a precision, so only `a` is left of the first
    /// migration.
    const ADD_AND_RETYPE: &str = r#"ALTER TABLE "S" ADD COLUMN "d" DECIMAL(65,30);
ALTER TABLE "S" ALTER COLUMN "c" SET DATA TYPE DECIMAL(10,2);
"#;

    const RETYPE_ALL: &str = r#"ALTER TABLE "S" ALTER COLUMN "a" SET DATA TYPE DECIMAL(10,2);
ALTER TABLE "S" ALTER COLUMN "c" SET DATA TYPE DECIMAL(10,2);
"#;

    const TWO_COLUMNS: &str = r#"CREATE TABLE "T" (
  "a" DECIMAL(65,30) NOT NULL,
  "b" DECIMAL(65,30)
);
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            // No DECIMAL(65,30) left at the end of the history.
            &[Case::pg(&[("1_a", CREATE), ("2_b", RETYPE_ALL)])],
            &[
                Case::pg(&[("1_a", CREATE), ("2_b", ADD_AND_RETYPE)]),
                // One finding for the migration, the second column a related location.
                Case::pg(&[("1_a", TWO_COLUMNS)]),
            ],
        ));
    }
}
