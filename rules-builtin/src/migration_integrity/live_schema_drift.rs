use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::sql::drift::{self, DriftKind};
use std::collections::BTreeSet;

declare_rule! {
    /// ## What it does
    /// With a live database (`--database-url`), compares the database itself with the schema:
    /// tables, columns, types, nullability, defaults, primary keys, indexes, unique
    /// constraints, foreign keys with their actions, and enums. It reports what the schema
    /// declares and the database lacks (an index never created, a column missing), what
    /// differs, and what only the database has. Only the database schemas the Prisma schema
    /// uses are compared (`public`, plus `@@schema` names); Prisma's `_prisma_migrations` is
    /// left out. The comparison is the one `schema-drift` and `missing-migration` make against
    /// the replayed migration history, with the same tolerances.
    ///
    /// A difference a migration the database has not run yet touches (it names the table and
    /// the column or index) is reported as information, naming that migration: deploying it
    /// closes the difference.
    ///
    /// Silent without a live database.
    ///
    /// ## Why is this bad?
    /// The migration history says what the database should be; the database says what it is.
    /// A hand-made hotfix, a `prisma db push` against production, or a migration marked applied
    /// without running (`migrate resolve --applied`) makes them part. Queries then miss indexes
    /// the schema promises, writes fail on constraints nobody knows of, and the next migration
    /// fails or drops something.
    ///
    /// ## Example
    /// ```text
    /// schema: @@index([customerId]) on Pet     database: no such index
    /// ```
    ///
    /// ## Fix
    /// Write a migration that brings the database to the schema (`prisma migrate diff
    /// --from-url "$DATABASE_URL" --to-schema-datamodel prisma/schema.prisma --script` prints
    /// it), or put what only the database has into the schema (`prisma db pull`) and a
    /// baseline migration.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-migrate/workflows/troubleshooting
    /// - https://www.prisma.io/docs/orm/reference/prisma-cli-reference#migrate-diff
    pub struct LiveSchemaDrift;
    id = "live-schema-drift",
    summary = "The live database differs from the schema",
    category = MigrationIntegrity,
    severity = High,
    fixable = false,
    enabled = true,
}

/// The drift messages speak of "the migrations"; here the other side is the database.
fn about_database(message: &str) -> String {
    message
        .replace("which no migration creates", "which the database lacks")
        .replace(
            "is created by no migration",
            "does not exist in the database",
        )
        .replace("No migration creates the", "The database has no")
        .replace("no migration gives", "the database does not give")
        .replace("No migration gives", "The database does not give")
        .replace("created by the migrations", "present in the database")
        .replace("exists in the migrations", "exists in the database")
        .replace("exist in the migrations", "exist in the database")
        .replace("that any migration creates", "in the database")
        .replace("in the migrations", "in the database")
        .replace("no migration adds", "the database lacks")
        .replace("the migrations also have", "the database also has")
}

impl Rule for LiveSchemaDrift {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(live) = ctx.live else { return };
        let mut schemas: BTreeSet<String> = BTreeSet::from(["public".to_string()]);
        schemas.extend(
            ctx.schema
                .models()
                .filter_map(|m| m.schema.as_ref().map(|s| s.value.to_string())),
        );
        schemas.extend(
            ctx.schema
                .enums
                .iter()
                .filter_map(|e| e.schema.as_ref().map(|s| s.value.to_string())),
        );
        let Some(history) = prisma_audit_core::live::as_history(live, &schemas) else {
            return;
        };
        // Local migrations the database has not finished: they explain the differences they
        // touch.
        let pending: Vec<&prisma_audit_core::sql::Migration> =
            match (&live.migrations, ctx.migrations) {
                (Some(applied), Some(h)) => h
                    .migrations
                    .iter()
                    .filter(|m| {
                        !applied
                            .iter()
                            .any(|a| a.migration_name == m.name && a.finished_at.is_some())
                    })
                    .collect(),
                _ => Vec::new(),
            };
        for item in drift::diff(ctx.schema, &history) {
            if item.kind == DriftKind::MigrationOnly {
                continue;
            }
            let mut words = drift::anchor_words(&item.anchor);
            // An enum's values: the migration names the type.
            if let Some(name) = item.anchor.strip_suffix("|enum-values") {
                words = vec![name.to_string()];
            }
            let explained_by = pending
                .iter()
                .find(|m| !words.is_empty() && words.iter().all(|w| drift::names(&m.sql, w)));
            if let Some(m) = explained_by {
                out.push(
                    RawFinding::new(
                        item.anchor.clone(),
                        format!(
                            "{} (pending migration `{}` changes it)",
                            about_database(&item.message),
                            m.name
                        ),
                    )
                    .severity(Severity::Info)
                    .help("The database has not run this migration yet: deploy it (`prisma migrate deploy`) and the difference goes away."),
                );
                continue;
            }
            let severity = match item.severity {
                drift::Severity::High => Severity::High,
                drift::Severity::Medium => Severity::Medium,
                drift::Severity::Low => Severity::Low,
                drift::Severity::Info => Severity::Info,
            };
            let help = match item.kind {
                DriftKind::Missing => {
                    "The schema declares it and the database lacks it: a migration marked applied without running, or the database was changed by hand. Apply it with a migration (`prisma migrate diff --from-url … --to-schema-datamodel … --script` prints the SQL)."
                }
                DriftKind::Mismatch => {
                    "The database and the schema disagree: write a migration that brings the database to the schema, or change the schema to what the database holds."
                }
                _ => {
                    "Only the database has it: add it to the schema (`prisma db pull` shows how) with a baseline migration, or drop it in a migration if it is a leftover."
                }
            };
            let mut f = RawFinding::new(item.anchor.clone(), about_database(&item.message))
                .severity(severity)
                .help(help);
            if let Some(span) = item.schema_span {
                f = f.at(span);
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, live, table};
    use prisma_audit_core::live::{LiveColumn, LiveIndex, LiveTable};

    const ID: &str = "live-schema-drift";

    const SCHEMA: &str = "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel Pet {\n  id         Int    @id\n  customerId Int\n\n  @@index([customerId])\n}\n";

    fn database(with_index: bool, extra_table: bool) -> Case {
        let mut snap = live(Vec::new());
        let column = |name: &str| LiveColumn {
            name: name.into(),
            data_type: "integer".into(),
            not_null: true,
            default: None,
        };
        snap.tables.push(LiveTable {
            schema: "public".into(),
            name: "Pet".into(),
            columns: vec![column("id"), column("customerId")],
            primary_key: Some(("Pet_pkey".into(), vec!["id".into()])),
            ..LiveTable::default()
        });
        if extra_table {
            snap.tables.push(LiveTable {
                schema: "public".into(),
                name: "legacy_import".into(),
                columns: vec![column("id")],
                ..LiveTable::default()
            });
        }
        // Another database schema the Prisma schema does not use (Supabase's `auth`, ...).
        snap.tables.push(LiveTable {
            schema: "auth".into(),
            name: "users".into(),
            columns: vec![column("id")],
            ..LiveTable::default()
        });
        if with_index {
            snap.indexes.push(LiveIndex {
                schema: "public".into(),
                table: "Pet".into(),
                name: "Pet_customerId_idx".into(),
                valid: true,
                columns: vec!["customerId".into()],
                method: "btree".into(),
                ..LiveIndex::default()
            });
        }
        Case::schema(SCHEMA).live(snap)
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[database(true, false)],
            &[database(false, false), database(true, true)],
        ));
    }
}
