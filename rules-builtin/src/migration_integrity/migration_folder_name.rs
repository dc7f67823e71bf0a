use crate::support::migration::{folder_span, stmt_span};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::sql::MigrationHistory;
use prisma_audit_core::sql::replay::Effect;
use std::collections::{BTreeMap, BTreeSet};

declare_rule! {
    /// ## What it does
    /// Checks the hygiene of the migration folders: names that are not
    /// `<timestamp>_<name>` (Prisma's `YYYYMMDDHHMMSS_name`, or a numeric prefix such as the
    /// baselining convention `0_init`); two folders with the same timestamp where the one whose
    /// name sorts first needs a table or type the other creates (their order falls back to the
    /// names' letters, and the letters got it wrong); migrations dated before the
    /// initial migration that change what it creates; and a newest migration without a single
    /// statement.
    ///
    /// Deliberately quiet: folders sharing a timestamp whose alphabetical order works (the
    /// order is the same on every machine), migrations dated before a folder named `init` that do
    /// not depend on it, timestamps that are not real dates (they still sort consistently),
    /// and empty migrations that are not the newest (applied long ago, they changed nothing and
    /// cannot be changed).
    ///
    /// Not run on histories that do not build the project's databases: a `migration_lock.toml`
    /// for another provider (`migration-lock-provider` reports it) or a project whose build or
    /// deploy scripts run `prisma db push` and never Prisma Migrate.
    ///
    /// ## Why is this bad?
    /// Prisma applies folders in lexicographic order of their names; the timestamp is the only
    /// thing that keeps that order equal to the order the changes were written. A hand-made
    /// name or a copied timestamp silently changes what runs first on a fresh database. A
    /// migration dated before `init` that changes its tables cannot run on a fresh database.
    /// An empty newest migration is usually a `migrate dev --create-only` that was never
    /// filled in, yet it would be recorded as applied.
    ///
    /// ## Example
    /// ```text
    /// prisma/migrations/20241210000000_add_trial_tracking/   (dated before init)
    /// prisma/migrations/20250406003044_init/
    /// prisma/migrations/add_indexes/                          (no timestamp)
    /// ```
    ///
    /// ## Fix
    /// Give the folder a timestamp that sorts where the change belongs; fill in or delete empty
    /// migrations that no database has applied yet. For applied migrations, follow the
    /// `migrate resolve` steps in Prisma's patching guide.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-migrate/understanding-prisma-migrate/migration-histories
    /// - https://www.prisma.io/docs/orm/prisma-migrate/workflows/baselining
    pub struct MigrationFolderName;
    id = "migration-folder-name",
    summary = "Migration folders with malformed names, duplicate timestamps, bad dates, or no statements",
    category = MigrationIntegrity,
    severity = Low,
    fixable = false,
    enabled = true,
}

/// The tables and types migration `i` creates, changes or reads.
fn touched(h: &MigrationHistory, i: usize) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for s in &h.migrations[i].statements {
        if let Some((t, _)) = &s.target {
            out.insert(t.name.clone());
        }
        for e in &s.effects {
            match e {
                Effect::CreateEnum { name, .. }
                | Effect::AddEnumValue { name, .. }
                | Effect::RenameEnumValue { name, .. }
                | Effect::DropType { name } => {
                    out.insert(name.name.clone());
                }
                Effect::RenameType { from, to } => {
                    out.insert(from.name.clone());
                    out.insert(to.name.clone());
                }
                _ => {}
            }
        }
    }
    for r in h.replay.missing_refs.iter().filter(|r| r.at.migration == i) {
        out.insert(r.name.name.clone());
    }
    out
}

/// The tables and types migration `i` creates.
fn created(h: &MigrationHistory, i: usize) -> BTreeSet<String> {
    h.migrations[i]
        .statements
        .iter()
        .flat_map(|s| &s.effects)
        .filter_map(|e| match e {
            Effect::CreateTable { table, .. } => Some(table.name.clone()),
            Effect::CreateEnum { name, .. } => Some(name.name.clone()),
            _ => None,
        })
        .collect()
}

fn is_initial(name: &str) -> bool {
    let label = name
        .split_once('_')
        .map_or("", |(_, l)| l)
        .to_ascii_lowercase();
    label == "init"
        || label == "initial"
        || label.starts_with("init_")
        || label == "baseline"
        || label.starts_with("initial_")
}

impl Rule for MigrationFolderName {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(h) = ctx.migrations else { return };
        // A history for another provider, or one the project's deploys never run.
        if !crate::support::drift::history_builds_databases(ctx, h) {
            return;
        }
        let mut by_ts: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, m) in h.migrations.iter().enumerate() {
            let Some(span) = folder_span(h, i) else {
                continue;
            };
            let digits = m.name.bytes().take_while(u8::is_ascii_digit).count();
            let has_prefix = digits > 0 && m.name.as_bytes().get(digits) == Some(&b'_');
            if !has_prefix {
                let message = format!(
                    "Migration folder `{}` does not start with a timestamp (`YYYYMMDDHHMMSS_name`)",
                    m.name
                );
                let help = "Prisma orders migrations by folder name; without a leading timestamp \
                            this one sorts by its letters, not by when it was written. Rename it \
                            `<timestamp>_<name>` so it sorts where it belongs (and \
                            `prisma migrate resolve` it on databases that already applied it).";
                out.push(
                    RawFinding::new(format!("malformed|{}", m.name), message)
                        .at(span)
                        .help(help),
                );
            } else if let Some(ts) = m.timestamp() {
                by_ts.entry(ts).or_default().push(i);
            }
            let newest = i + 1 == h.migrations.len();
            if newest && m.problem.is_none() && m.statements.is_empty() {
                let message = format!("Migration `{}` contains no SQL statement", m.name);
                let help = "An empty migration is recorded as applied but changes nothing; it is \
                            usually a `prisma migrate dev --create-only` that was never filled in. \
                            Add the intended SQL before any database applies it, or delete the \
                            folder if none has.";
                out.push(
                    RawFinding::new(format!("empty|{}", m.name), message)
                        .at(span)
                        .help(help)
                        .severity(Severity::Info),
                );
            }
        }
        for (ts, idx) in by_ts.iter().filter(|(_, v)| v.len() > 1) {
            // The letters decide the order; it only matters when a folder that sorts first
            // needs what one sorting after it creates.
            let needs_later = idx.iter().enumerate().any(|(a, &i)| {
                let needed: BTreeSet<String> = h
                    .replay
                    .missing_refs
                    .iter()
                    .filter(|r| r.at.migration == i)
                    .map(|r| r.name.name.clone())
                    .collect();
                idx[a + 1..]
                    .iter()
                    .any(|&j| !needed.is_disjoint(&created(h, j)))
            });
            if !needs_later {
                continue;
            }
            let names: Vec<&str> = idx.iter().map(|&i| h.migrations[i].name.as_str()).collect();
            for &i in idx.iter().skip(1) {
                let Some(span) = folder_span(h, i) else {
                    continue;
                };
                let listed = names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let message = format!("Migration folders {listed} share the timestamp {ts}");
                let help = "With equal timestamps the order falls back to the names' letters, \
                            which may not be the order the changes depend on. Give each folder its \
                            own timestamp.";
                let mut f = RawFinding::new(format!("duplicate|{}", h.migrations[i].name), message)
                    .at(span)
                    .help(help);
                if let Some(s) = folder_span(h, idx[0]) {
                    f = f.related(s, "same timestamp");
                }
                out.push(f);
            }
        }
        // Dated before the initial migration: the first `init` folder, or the first that creates tables.
        let initial = h
            .migrations
            .iter()
            .position(|m| is_initial(&m.name))
            .or_else(|| {
                h.migrations.iter().position(|m| {
                    m.statements
                        .iter()
                        .filter(|s| {
                            s.effects
                                .iter()
                                .any(|e| matches!(e, Effect::CreateTable { .. }))
                        })
                        .count()
                        >= 3
                })
            });
        if let Some(init) = initial {
            let init_creates = created(h, init);
            for i in 0..init {
                let m = &h.migrations[i];
                // Only a migration that needs what the initial one creates fails when run first;
                // one sharing its timestamp is the duplicate-timestamp finding.
                if touched(h, i).is_disjoint(&init_creates)
                    || (m.timestamp().is_some() && m.timestamp() == h.migrations[init].timestamp())
                {
                    continue;
                }
                let Some(span) = folder_span(h, i) else {
                    continue;
                };
                let message = format!(
                    "Migration `{}` is dated before the initial migration `{}`",
                    m.name, h.migrations[init].name
                );
                let help = "Prisma runs it first on every fresh database, before the initial \
                            migration creates the schema. If it changes tables the initial \
                            migration creates, fresh deploys and the shadow database fail (see \
                            `migration-order-dependency`). Give it a timestamp after the initial \
                            migration.";
                let mut f = RawFinding::new(format!("before-init|{}", m.name), message)
                    .at(span)
                    .help(help)
                    .severity(Severity::Medium);

                if let Some(s) = stmt_span(
                    h,
                    prisma_audit_core::sql::catalog::StmtRef {
                        migration: init,
                        statement: 0,
                    },
                )
                .or_else(|| folder_span(h, init))
                {
                    f = f.related(s, "the initial migration");
                }
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "migration-folder-name";

    const CREATE_A: &str = r#"CREATE TABLE "A" ("id" INT);"#;
    const ADD_X: &str = r#"ALTER TABLE "A" ADD COLUMN "x" INT;"#;
    const ADD_Y: &str = r#"ALTER TABLE "A" ADD COLUMN "y" INT;"#;

    const CREATE_A_AND_B: &str = r#"CREATE TABLE "A" ("id" INT);
CREATE TABLE "B" ("id" INT);"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                Case::pg(&[
                    // Dated before `init` but independent of it.
                    ("20240101000000_extension", "CREATE EXTENSION citext;"),
                    ("20250101000000_init", CREATE_A_AND_B),
                    // Empty, but not the newest.
                    ("20250102000000_notes", "-- nothing to do\n"),
                    // Same timestamp, independent of each other.
                    ("20250103120000_a", ADD_X),
                    ("20250103120000_b", r#"ALTER TABLE "B" ADD COLUMN "y" INT;"#),
                    // Not a real date, still sorts consistently.
                    (
                        "20251399250000_typed",
                        r#"ALTER TABLE "B" ADD COLUMN "z" INT;"#
                    ),
                ]),
                // The baselining convention.
                Case::pg(&[("0_init", CREATE_A), ("20250101000000_x", "SELECT 1;")]),
            ],
            &[Case::pg(&[
                // Dated before `init`, changes its table.
                ("20240101000000_trial", ADD_X),
                // `add_more` sorts first but needs the table `init` creates.
                ("20250101000000_init", CREATE_A),
                ("20250101000000_add_more", ADD_Y),
                // No timestamp.
                ("0add_things", "SELECT 1;"),
                // The newest migration, empty.
                ("20260101000000_todo", "-- nothing yet\n"),
            ])],
        ));
    }
}
