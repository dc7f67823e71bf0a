use crate::support::migration::{mig_span, sql_fix};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::sql::replay::Effect;

declare_rule! {
    /// ## What it does
    /// Reports PostgreSQL functions created `SECURITY DEFINER` in a migration without a
    /// `SET search_path = ...` clause (checked on the function's last definition).
    ///
    /// Not run on histories that do not build the project's databases: a `migration_lock.toml`
    /// for another provider (`migration-lock-provider` reports it) or a project whose build or
    /// deploy scripts run `prisma db push` and never Prisma Migrate.
    ///
    /// ## Why is this bad?
    /// A `SECURITY DEFINER` function runs with its owner's rights (often the migration role,
    /// which owns every table). Without a fixed `search_path`, a role that can create objects in
    /// a schema on the caller's path can shadow a table or operator the function uses and run
    /// its own code with those rights: the documented privilege-escalation pattern.
    ///
    /// ## Example
    /// ```sql
    /// CREATE FUNCTION tenant_of(uid text) RETURNS text
    /// LANGUAGE sql SECURITY DEFINER AS $$ SELECT "tenantId" FROM "User" WHERE id = uid $$;
    /// ```
    ///
    /// ## Fix
    /// Add `SET search_path = pg_catalog, public` (or `= ''` with schema-qualified names) to the
    /// function, in a new migration (`CREATE OR REPLACE FUNCTION` or `ALTER FUNCTION ... SET
    /// search_path`), and revoke `EXECUTE` from `PUBLIC` if only some roles need it.
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/sql-createfunction.html#SQL-CREATEFUNCTION-SECURITY
    pub struct SecurityDefinerSearchPath;
    id = "security-definer-search-path",
    summary = "SECURITY DEFINER function without a fixed search_path",
    category = Security,
    severity = High,
    fixable = true,
    enabled = true,
}

impl Rule for SecurityDefinerSearchPath {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(h) = ctx.migrations else { return };
        // A history for another provider, or one the project's deploys never run.
        if !crate::support::drift::history_builds_databases(ctx, h) {
            return;
        }
        if !h.dialect.is_postgres() {
            return;
        }
        for (mi, m) in h.sql_migrations() {
            for (si, s) in m.statements.iter().enumerate() {
                for e in &s.effects {
                    let Effect::CreateFunction {
                        name,
                        security_definer: true,
                        fixed_search_path: false,
                        name_range,
                    } = e
                    else {
                        continue;
                    };
                    // Only the definition in force at the end of the history.
                    let current = h.replay.catalog.functions.get(name).is_some_and(|f| {
                        f.created_at.migration == mi && f.created_at.statement == si
                    });
                    if !current {
                        continue;
                    }
                    let message = format!(
                        "Function `{name}` is SECURITY DEFINER without a fixed search_path"
                    );
                    let help = "It runs with its owner's rights; without SET search_path a role \
                                that can create objects on the caller's search path can hijack it. \
                                Add SET search_path in a new migration.";
                    let sql = format!(
                        "ALTER FUNCTION {name} SET search_path = pg_catalog, public;  -- add the \
                         argument types if the name is overloaded"
                    );
                    let mut f = RawFinding::new(format!("{}|{}", m.name, name), message)
                        .help(help)
                        .fix(sql_fix("Pin the function's search_path", sql));

                    f.span = mig_span(h, mi, *name_range);
                    out.push(f);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "security-definer-search-path";

    const DEFINER: &str = r#"CREATE OR REPLACE FUNCTION tenant_of(uid text) RETURNS text
LANGUAGE sql SECURITY DEFINER AS $$ SELECT 'x' $$;
"#;

    /// A definer with its search_path fixed, and a function that is no definer.
    const FIXED_AND_INVOKER: &str = r#"CREATE OR REPLACE FUNCTION ok(uid text) RETURNS text
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS $$ SELECT 'x' $$;
CREATE FUNCTION inv() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;
"#;

    /// `tenant_of` defined again, this time with a search_path.
    const REDEFINED_WITH_SEARCH_PATH: &str = r#"CREATE OR REPLACE FUNCTION tenant_of(uid text) RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ SELECT 'x' $$;"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[Case::pg(&[
                ("1_a", DEFINER),
                ("2_b", REDEFINED_WITH_SEARCH_PATH)
            ])],
            &[Case::pg(&[("1_a", DEFINER), ("2_b", FIXED_AND_INVOKER)])],
        ));
    }
}
