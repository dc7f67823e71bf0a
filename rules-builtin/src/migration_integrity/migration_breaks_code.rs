use crate::support::app_code::callee_span;
use crate::support::migration::{mig_span, stmt_span};
use prisma_audit_core::application::{FileRole, Operation, QueryCall};
use prisma_audit_core::declare_rule;
use prisma_audit_core::model::Model;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::span::{FileId, Span};
use prisma_audit_core::sql::TableState;
use prisma_audit_core::sql::catalog::StmtRef;
use prisma_audit_core::sql::replay::Effect;
use std::collections::HashMap;

declare_rule! {
    /// ## What it does
    /// Reports a pending migration that breaks the release still running while it deploys,
    /// with the application's calls that break as evidence:
    ///
    /// - `DROP COLUMN` / `RENAME COLUMN` of a table whose model the application reads or
    ///   writes: Prisma Client reads and returns every scalar column of a model unless the
    ///   call has a `select`, so the previous release's queries name a column that is gone;
    /// - `ADD COLUMN ... NOT NULL` without a default on a table whose model the application
    ///   creates rows of: the previous release does not know the column and its inserts fail.
    ///
    /// Only migrations the audit judges (the pending ones by default) and calls of the
    /// application code (not tests, seeds or scripts) count; calls with a `select` that does
    /// not name the column are safe, as are `count`, `aggregate`, `groupBy` and the `…Many`
    /// writes, which return no rows.
    ///
    /// ## Why is this bad?
    /// `prisma migrate deploy` runs before (or while) the new code replaces the old: for that
    /// window every request of the old release that touches the model fails with "column does
    /// not exist" or a NOT NULL violation. On serverless platforms and rolling deploys the
    /// window is minutes; if the deploy fails after the migration, it lasts until someone
    /// fixes it.
    ///
    /// ## Example
    /// ```sql
    /// -- prisma/migrations/20250801000000_drop_weight/migration.sql (pending)
    /// ALTER TABLE "Pet" DROP COLUMN "weight";
    /// ```
    /// while `src/lib/pets.ts` reads `prisma.pet.findUnique({ where: { id } })`.
    ///
    /// ## Fix
    /// Expand and contract, one release per step: to drop a column, first release the code
    /// without the field (remove it from the schema, or `@ignore` it), then drop the column in
    /// the next release; to rename, add the new column, write both, backfill, switch reads,
    /// then drop the old one; to add a required column, add it nullable or with a default,
    /// release the code that writes it, backfill, then set `NOT NULL`. Not fixed automatically.
    ///
    /// Off by default: it reported one finding on the corpus of real projects (useful), too few to
    /// measure.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-migrate/workflows/customizing-migrations#example-use-the-expand-and-contract-pattern-to-evolve-the-schema-without-downtime
    pub struct MigrationBreaksCode;
    id = "migration-breaks-code",
    summary = "A pending migration breaks the running release's Prisma Client calls",
    category = MigrationIntegrity,
    severity = Critical,
    fixable = false,
    enabled = false,
}

/// Call sites shown as evidence at most.
const MAX_SITES: usize = 5;

/// Whether `call` returns rows of its model with every scalar column, or names `column`.
fn reads_column(call: &QueryCall, column: &str) -> bool {
    use Operation::*;
    let returns_rows = matches!(
        call.operation,
        FindUnique
            | FindUniqueOrThrow
            | FindFirst
            | FindFirstOrThrow
            | FindMany
            | Create
            | CreateManyAndReturn
            | Update
            | UpdateManyAndReturn
            | Upsert
            | Delete
    );
    let Some(args) = call.args.as_ref() else {
        return false;
    };
    if args.dynamic {
        return false;
    }
    match &args.select {
        None => returns_rows,
        Some(sel) => sel.dynamic || sel.items.iter().any(|i| i.field == column),
    }
}

/// Whether `call` inserts rows of its model.
fn inserts(call: &QueryCall) -> bool {
    use Operation::*;
    matches!(
        call.operation,
        Create | CreateMany | CreateManyAndReturn | Upsert
    )
}

impl Rule for MigrationBreaksCode {
    /// A deploy-safety rule: migrations that already ran broke nothing more.
    fn judges_pending_migrations_only(&self) -> bool {
        true
    }

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(h) = ctx.migrations else { return };
        if !crate::support::drift::history_builds_databases(ctx, h) {
            return;
        }
        let app = ctx.application();
        if !app.has_calls() {
            return;
        }
        let model_of =
            |table: &str| -> Option<&Model> { ctx.schema.models().find(|m| m.db_name() == table) };
        // The application's calls by model, read once (a history has many statements).
        let mut by_model: HashMap<&str, Vec<(FileId, &QueryCall)>> = HashMap::new();
        for (f, c) in app.calls() {
            if f.queries.role == FileRole::App
                && let Some(model) = c.model.as_deref()
            {
                by_model.entry(model).or_default().push((f.file, c));
            }
        }
        // The calls on `model` that `pred` picks: how many, and the first few as locations.
        let sites = |model: &Model, pred: &dyn Fn(&QueryCall) -> bool| -> (usize, Vec<Span>) {
            let calls = by_model
                .get(model.name.as_str())
                .map_or(&[][..], Vec::as_slice);
            let picked: Vec<&(FileId, &QueryCall)> =
                calls.iter().filter(|(_, c)| pred(c)).collect();
            let shown = picked
                .iter()
                .take(MAX_SITES)
                .map(|(file, c)| callee_span(ctx, *file, c))
                .collect();
            (picked.len(), shown)
        };
        for (mi, m) in h.sql_migrations() {
            for (si, s) in m.statements.iter().enumerate() {
                if !matches!(s.target, Some((_, TableState::Existing))) {
                    continue;
                }
                let stmt = stmt_span(
                    h,
                    StmtRef {
                        migration: mi,
                        statement: si,
                    },
                );
                for e in &s.effects {
                    let (table, column, at, breaks, help) = match e {
                        Effect::DropColumn {
                            table,
                            column,
                            range,
                        } => (
                            table,
                            column,
                            mig_span(h, mi, *range).or(stmt),
                            "drops",
                            DROP_HELP,
                        ),
                        Effect::RenameColumn { table, from, .. } => {
                            (table, from, stmt, "renames", RENAME_HELP)
                        }
                        Effect::AddColumn {
                            table,
                            column,
                            not_null: true,
                            default: None,
                            range,
                            ..
                        } => (
                            table,
                            column,
                            mig_span(h, mi, *range).or(stmt),
                            "adds the required column",
                            ADD_HELP,
                        ),
                        _ => continue,
                    };
                    let Some(model) = model_of(&table.name) else {
                        continue;
                    };
                    let (n, found) = if matches!(e, Effect::AddColumn { .. }) {
                        sites(model, &inserts)
                    } else {
                        sites(model, &|c| reads_column(c, column))
                    };
                    if n == 0 {
                        continue;
                    }
                    let plural = if n == 1 { "" } else { "s" };
                    let what = if matches!(e, Effect::AddColumn { .. }) {
                        format!(
                            "which {n} call{plural} creating `{}` rows do{} not fill: the previous \
                             release's inserts fail until the deploy completes",
                            model.name,
                            if n == 1 { "es" } else { "" }
                        )
                    } else {
                        format!(
                            "which {n} call{plural} on `{}` read{}: the previous release fails \
                             on {} until the deploy completes",
                            model.name,
                            if n == 1 { "s" } else { "" },
                            if n == 1 { "it" } else { "them" }
                        )
                    };
                    let mut f = RawFinding::new(
                        format!("{}:{}.{column}", m.name, table.name),
                        format!(
                            "Migration `{}` {breaks} `{}.{column}`, {what}",
                            m.name, table.name
                        ),
                    )
                    .help(help);
                    if let Some(at) = at {
                        f = f.at(at);
                    }
                    for site in &found {
                        f = f.related(*site, format!("a call on `{}`", model.name));
                    }
                    out.push(f);
                }
            }
        }
    }
}

const DROP_HELP: &str = "Expand and contract: release the code without the field first (remove \
     it from the schema or mark it `@ignore`), and drop the column in the next release.";

const RENAME_HELP: &str = "Expand and contract: add the new column, write both, backfill, switch \
     the reads, and drop the old column in a later release (or keep the column name with \
     `@map`).";

const ADD_HELP: &str = "Add the column nullable or with a default, release the code that writes \
     it, backfill, then set NOT NULL in a later migration.";

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "migration-breaks-code";

    const INIT: &str = r#"CREATE TABLE "Pet" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "weight" DECIMAL(65,30),
    CONSTRAINT "Pet_pkey" PRIMARY KEY ("id")
);
"#;

    const DROP_WEIGHT: &str = "ALTER TABLE \"Pet\" DROP COLUMN \"weight\";\n";

    const ADD_REQUIRED: &str = "ALTER TABLE \"Pet\" ADD COLUMN \"species\" TEXT NOT NULL;\n";

    const ADD_WITH_DEFAULT: &str =
        "ALTER TABLE \"Pet\" ADD COLUMN \"species\" TEXT NOT NULL DEFAULT 'dog';\n";

    const SCHEMA_AFTER_DROP: &str = r#"datasource db {
  provider = "postgresql"
}

model Pet {
  id   String @id
  name String
}
"#;

    const READS: &str = r#"import { prisma } from "@/lib/prisma";
export const pet = (id: string) => prisma.pet.findUnique({ where: { id } });
export const create = (name: string) => prisma.pet.create({ data: { id: name, name } });
"#;

    const SELECTS: &str = r#"import { prisma } from "@/lib/prisma";
export const names = () => prisma.pet.findMany({ select: { id: true, name: true }, take: 10 });
export const total = () => prisma.pet.count();
"#;

    fn project(migration: &str, code: &str) -> Case {
        Case::pg(&[("1_init", INIT), ("2_change", migration)])
            .with_file("prisma/schema.prisma", SCHEMA_AFTER_DROP)
            .with_file("src/lib/pets.ts", code)
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                project(DROP_WEIGHT, SELECTS),
                project(ADD_REQUIRED, SELECTS),
                project(ADD_WITH_DEFAULT, READS),
                project(DROP_WEIGHT, READS)
                    .with_file("src/lib/pets.test.ts", READS)
                    .with_file("src/lib/pets.ts", SELECTS),
            ],
            &[project(DROP_WEIGHT, READS), project(ADD_REQUIRED, READS)],
        ));
    }
}
