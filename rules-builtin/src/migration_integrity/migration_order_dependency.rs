use crate::support::migration::{folder_span, mig_span, stmt_span};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::sql::replay::ObjKind;
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it does
    /// Replays the migration history in Prisma's order (folder names, sorted) and reports a
    /// migration that uses a table, type or function which only a *later* migration creates.
    ///
    /// Not run on histories that do not build the project's databases: a `migration_lock.toml`
    /// for another provider (`migration-lock-provider` reports it) or a project whose build or
    /// deploy scripts run `prisma db push` and never Prisma Migrate.
    ///
    /// ## Why is this bad?
    /// Prisma applies migrations strictly in folder-name order. A production database where the
    /// migrations happened to be applied in another order (by hand, or before a folder was
    /// renamed) can look healthy, but every fresh database fails at this statement: `prisma
    /// migrate deploy` on a new environment or in CI, and `prisma migrate dev`, which replays the
    /// whole history into the shadow database. The typical cause is a hand-written migration
    /// whose timestamp sorts before the migration that creates its tables.
    ///
    /// ## Example
    /// ```text
    /// prisma/migrations/20241210000000_add_trial_tracking/  ALTER TABLE "Tenant" ...
    /// prisma/migrations/20250406003044_init/                CREATE TABLE "Tenant" ...
    /// ```
    ///
    /// ## Fix
    /// Rename the folder so it sorts after the migration that creates the object (keep the
    /// name part, change the timestamp). On databases that already applied it under the old
    /// name, record the new name with `prisma migrate resolve --applied <new folder name>` and
    /// remove the old row from `_prisma_migrations` (or re-baseline); test with `prisma migrate
    /// reset` on a scratch database.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-migrate/understanding-prisma-migrate/migration-histories
    /// - https://www.prisma.io/docs/orm/prisma-migrate/workflows/patching-and-hotfixing
    pub struct MigrationOrderDependency;
    id = "migration-order-dependency",
    summary = "A migration uses an object that only a later migration creates",
    category = MigrationIntegrity,
    severity = Critical,
    fixable = false,
    enabled = true,
}

impl Rule for MigrationOrderDependency {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(h) = ctx.migrations else { return };
        // A history for another provider, or one the project's deploys never run.
        if !crate::support::drift::history_builds_databases(ctx, h) {
            return;
        }
        // (migration, creating migration) -> refs, in statement order
        let mut groups: BTreeMap<(usize, usize), Vec<_>> = BTreeMap::new();
        for r in &h.replay.missing_refs {
            if let Some(c) = h.replay.created_later(r.kind, &r.name, r.at.migration) {
                groups
                    .entry((r.at.migration, c.migration))
                    .or_default()
                    .push((r, c));
            }
        }
        for ((mig, later_idx), refs) in groups {
            let m = &h.migrations[mig];
            let later = &h.migrations[later_idx];
            let mut names: Vec<String> = Vec::new();
            for (r, _) in &refs {
                let what = match r.kind {
                    ObjKind::Relation => "table",
                    ObjKind::Type => "type",
                    ObjKind::Function => "function",
                };
                let n = format!("{what} `{}`", r.name);
                if !names.contains(&n) {
                    names.push(n);
                }
            }
            let (first, _) = refs[0];
            let mut f = RawFinding::new(
                format!("{}|{}", m.name, later.name),
                format!(
                    "Migration `{}` uses {}, which only the later migration `{}` creates: every \
                     fresh database fails here",
                    m.name,
                    names.join(", "),
                    later.name
                ),
            )
            .help(format!(
                "Prisma applies migrations in folder-name order, so `{}` runs before `{}`. \
                 `prisma migrate deploy` on an empty database and the shadow database of \
                 `prisma migrate dev` fail at this statement, even if production applied them in \
                 another order. Rename the folder so it sorts after `{}` (e.g. `{}`), then run \
                 `prisma migrate resolve --applied <new name>` on databases that already applied \
                 it.",
                m.name,
                later.name,
                later.name,
                suggested_name(&m.name, &later.name)
            ));
            f.span = mig_span(h, mig, first.range).or_else(|| folder_span(h, mig));
            let mut seen = Vec::new();
            for (r, c) in &refs {
                if seen.contains(&r.name) {
                    continue;
                }
                seen.push(r.name.clone());
                if let Some(s) = stmt_span(h, *c) {
                    f = f.related(
                        s,
                        format!("`{}` is created here, in `{}`", r.name, later.name),
                    );
                }
            }
            for (r, _) in refs.iter().skip(1).take(8) {
                if let Some(s) = mig_span(h, mig, r.range) {
                    f = f.related(s, format!("also uses `{}`", r.name));
                }
            }
            out.push(f);
        }
    }
}

/// The folder name with a timestamp one second after `after`'s.
fn suggested_name(name: &str, after: &str) -> String {
    let label = name.split_once('_').map_or(name, |(_, l)| l);
    match after.get(..14).and_then(|t| t.parse::<u64>().ok()) {
        Some(ts) => format!("{}_{label}", ts + 1),
        None => format!("{after}_{label}"),
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "migration-order-dependency";

    const CREATE_TENANT: &str = r#"CREATE TABLE "Tenant" ("id" TEXT NOT NULL);
"#;

    const ADD_TRIAL: &str = r#"-- hand written
ALTER TABLE "Tenant" ADD COLUMN "trial" BOOLEAN;
CREATE INDEX "t_idx" ON "Tenant"("trial");
"#;

    /// The second statement uses a table of a schema no migration manages (`auth`).
    const ADD_COLUMNS: &str = r#"ALTER TABLE "Tenant" ADD COLUMN "x" INT;
ALTER TABLE "auth"."users" ADD COLUMN "y" INT;
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[Case::pg(&[
                ("20240101000000_init", CREATE_TENANT),
                ("20250101000000_more", ADD_COLUMNS),
            ])],
            &[
                // Dated before the migration that creates the table.
                Case::pg(&[
                    ("20240101000000_trial", ADD_TRIAL),
                    ("20250101000000_init", CREATE_TENANT),
                ])
            ],
        ));
    }
}
