use crate::support::migration::{explained, mig_span, stmt_span, table_copied_before};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::sql::TableState;
use prisma_audit_core::sql::catalog::StmtRef;
use prisma_audit_core::sql::replay::{DataVerb, Effect};

declare_rule! {
    /// ## What it does
    /// Reports `DELETE` and `TRUNCATE` without a `WHERE` clause, and `UPDATE`s that stamp
    /// constants on every row, on tables created by earlier migrations.
    ///
    /// Deliberately quiet: backfills of a column added in the same migration (`UPDATE "T" SET
    /// "newCol" = ...`); updates that recompute values from the row or a subquery (`SET email
    /// = lower(email)`, normalisations); deletes after the same migration copied the rows
    /// aside (`SELECT * INTO backup FROM "T"`, `INSERT ... SELECT`); statements introduced by
    /// an explaining comment; data changes on tables created in the same migration. Like the
    /// other safety rules it judges only pending migrations by default.
    ///
    /// Not run on histories that do not build the project's databases: a `migration_lock.toml`
    /// for another provider (`migration-lock-provider` reports it) or a project whose build or
    /// deploy scripts run `prisma db push` and never Prisma Migrate.
    ///
    /// ## Why is this bad?
    /// A migration runs once per environment, against whatever data is there. A whole-table
    /// `DELETE`/`TRUNCATE` removes production rows that no development database had; a
    /// whole-table `UPDATE` overwrites every row (often a forgotten `WHERE`) and holds row
    /// locks on all of them until the migration's transaction ends.
    ///
    /// ## Example
    /// ```sql
    /// DELETE FROM "Session";
    /// UPDATE "Tenant" SET "planType" = 'BASIC';
    /// ```
    ///
    /// ## Fix
    /// Add the intended `WHERE`; for large backfills, run them in batches outside the
    /// migration; for deliberate cleanups, say so in a comment and suppress the finding.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/guides/data-migration
    pub struct UnboundedDataChange;
    id = "unbounded-data-change",
    summary = "Whole-table UPDATE/DELETE/TRUNCATE in a migration",
    category = MigrationIntegrity,
    severity = Medium,
    fixable = false,
    enabled = true,
}

/// Whether every value an `UPDATE ... SET` assigns is a constant (`'x'`, `1`, `true`, `NULL`,
/// `DEFAULT`, `now()`, a cast of one): the statement stamps one value on every row, the shape of
/// a forgotten `WHERE`. Values computed from the row or a subquery are a deliberate
/// recomputation.
fn assigns_constants(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let Some(set_at) = lower.find(" set ").or_else(|| lower.find("\nset ")) else {
        return false;
    };
    let rest = &lower[set_at + 5..];
    let end = [" where ", " from ", " returning "]
        .iter()
        .filter_map(|k| rest.find(k))
        .min()
        .unwrap_or(rest.len());
    let clause = &rest[..end];
    // Top-level assignments.
    let mut parts = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    for (i, ch) in clause.char_indices() {
        match ch {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                parts.push(&clause[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&clause[start..]);
    parts.iter().all(|p| {
        let Some((_, value)) = p.split_once('=') else {
            return false;
        };
        let v = value.trim();
        let v = v.split("::").next().unwrap_or(v).trim();
        (v.starts_with('\'') && v.ends_with('\'') && v.len() >= 2)
            || v.parse::<f64>().is_ok()
            || matches!(
                v,
                "true" | "false" | "null" | "default" | "now()" | "current_timestamp" | "'{}'"
            )
    })
}

impl Rule for UnboundedDataChange {
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
        for (mi, m) in h.sql_migrations() {
            let added: Vec<(&str, &str)> = m
                .statements
                .iter()
                .flat_map(|s| &s.effects)
                .filter_map(|e| match e {
                    Effect::AddColumn { table, column, .. } => {
                        Some((table.name.as_str(), column.as_str()))
                    }
                    _ => None,
                })
                .collect();
            for (si, s) in m.statements.iter().enumerate() {
                if !matches!(s.target, Some((_, TableState::Existing))) {
                    continue;
                }
                for e in &s.effects {
                    let Effect::DataChange {
                        table,
                        verb,
                        has_where: false,
                        set_columns,
                        range,
                    } = e
                    else {
                        continue;
                    };
                    // A comment that explains the statement makes it deliberate.
                    if explained(m, si) {
                        continue;
                    }
                    let (what, sev) = match verb {
                        // Rows copied aside first (backup and restore around a type change).
                        DataVerb::Delete | DataVerb::Truncate
                            if table_copied_before(h, mi, si, &table.name) =>
                        {
                            continue;
                        }
                        DataVerb::Delete => ("deletes every row of", Severity::High),
                        DataVerb::Truncate => ("truncates", Severity::High),
                        DataVerb::Update => {
                            if !set_columns.is_empty()
                                && set_columns
                                    .iter()
                                    .all(|c| added.contains(&(table.name.as_str(), c.as_str())))
                            {
                                continue; // backfill of new columns
                            }
                            if !assigns_constants(m.text(s.range)) {
                                continue; // recomputed from the row itself
                            }
                            ("updates every row of", Severity::Medium)
                        }
                        DataVerb::Insert => continue,
                    };
                    let key = format!("{}|{}", m.name, m.stmt_head(si));
                    let message = format!(
                        "Migration `{}` {what} existing table `{}` (no WHERE)",
                        m.name, table.name
                    );
                    let help = "A migration runs against each environment's real data. Add the \
                                intended WHERE; for large changes, batch them outside the \
                                migration; for a deliberate cleanup, say so in a comment and \
                                suppress this finding.";
                    let mut f = RawFinding::new(key, message).help(help).severity(sev);
                    f.span = mig_span(h, mi, *range).or_else(|| {
                        stmt_span(
                            h,
                            StmtRef {
                                migration: mi,
                                statement: si,
                            },
                        )
                    });
                    if let Some(s) = stmt_span(
                        h,
                        StmtRef {
                            migration: mi,
                            statement: si,
                        },
                    ) {
                        f = f.related(s, "the statement");
                    }
                    out.push(f);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "unbounded-data-change";

    /// The DELETE empties a table the same migration creates: nothing to lose.
    const INIT: &str = r#"CREATE TABLE "S" ("id" INT, "x" INT);
DELETE FROM "S";
"#;

    /// Lines 4 to 6 change every row. The others fill a column added by the same migration,
    /// have a WHERE, or insert.
    const WHOLE_TABLE_CHANGES: &str = r#"ALTER TABLE "S" ADD COLUMN "y" INT;
UPDATE "S" SET "y" = 1;
UPDATE "S" SET "x" = 1 WHERE "x" IS NULL;
WITH old AS (SELECT 1) DELETE FROM "S";
UPDATE "S" SET "x" = 2, "id" = NULL;
TRUNCATE "S";
INSERT INTO "S" ("id") VALUES (1) ON CONFLICT DO NOTHING;
"#;

    /// Recomputations from the row or a subquery, a change its comment explains, and a
    /// DELETE after a backup copy of the table.
    const DELIBERATE: &str = r#"UPDATE "S" SET "x" = lower("x");
UPDATE "S" SET "x" = (SELECT max("id") FROM "S");
-- Nobody turned this off on purpose: enable it for everyone.
UPDATE "S" SET "x" = 'on';
SELECT "id", "x"
into _s_backup
FROM public."S";
DELETE FROM "S";
"#;

    /// The comment silences the first DELETE only.
    const SUPPRESSED: &str = r#"-- prisma-audit-ignore unbounded-data-change -- sessions are disposable
DELETE FROM "S";
DELETE FROM "S";
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[Case::pg(&[
                ("1_init", "CREATE TABLE \"S\" (\"id\" INT, \"x\" TEXT);\n"),
                ("2_x", DELIBERATE),
            ])],
            &[
                Case::pg(&[("1_init", INIT), ("2_x", WHOLE_TABLE_CHANGES)]),
                Case::pg(&[
                    ("1_init", "CREATE TABLE \"S\" (\"id\" INT);\n"),
                    ("2_x", SUPPRESSED),
                ]),
            ],
        ));
    }

    #[test]
    fn constant_assignments() {
        assert!(super::assigns_constants(
            "UPDATE \"S\" SET \"x\" = 'a'::text, \"y\" = now()"
        ));
        assert!(!super::assigns_constants(
            "UPDATE \"S\" SET \"x\" = \"x\" - 1"
        ));
    }
}
