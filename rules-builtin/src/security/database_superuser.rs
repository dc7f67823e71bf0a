use crate::support::connections::{connections, project_env};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports connection URLs of remote databases that log in as the superuser account:
    /// `postgres` (PostgreSQL), `root` (MySQL), `sa` (SQL Server).
    ///
    /// The findings are heuristic: the account is recognised by its name, and a role named
    /// `postgres` is not always a true superuser (on RDS or Supabase it is the provider's
    /// administrator role, still far broader than an application needs). Local databases
    /// are not reported.
    ///
    /// ## Why is this bad?
    /// The application can then do anything: drop databases, read every schema, create
    /// roles, run `COPY ... PROGRAM` (shell commands on the server). A SQL injection or a
    /// leaked URL becomes a full compromise, and row-level security does not apply to
    /// superusers.
    ///
    /// ## Example
    /// ```text
    /// DATABASE_URL="postgresql://postgres:<password>@db.example.com:5432/app"
    /// ```
    ///
    /// ## Fix
    /// Create a dedicated role that owns the application's schema (for migrations) and,
    /// ideally, a second role with only `SELECT/INSERT/UPDATE/DELETE` for the running app.
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/role-attributes.html
    pub struct DatabaseSuperuser;
    id = "database-superuser",
    summary = "The application connects as the database superuser",
    category = Security,
    severity = Medium,
    fixable = false,
    enabled = true,
}

impl Rule for DatabaseSuperuser {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        for conn in connections(&env) {
            let Some(user) = conn.url.user.as_deref() else {
                continue;
            };
            let superuser = match conn.url.scheme.as_str() {
                "postgres" | "postgresql" => user == "postgres",
                "mysql" => user == "root",
                "sqlserver" => user.eq_ignore_ascii_case("sa"),
                _ => false,
            };
            if !superuser
                || !conn.url.is_remote()
                    && conn.url.host_kind() != prisma_audit_core::env::conn_url::HostKind::Private
            {
                continue;
            }
            let severity = if conn.url.is_remote() {
                Severity::High
            } else {
                Severity::Medium
            };
            out.push(
                RawFinding::new(
                    conn.anchor(),
                    format!(
                        "{} logs in to {} as `{user}`, the default superuser account",
                        conn.describe(&env),
                        conn.url.host_port()
                    ),
                )
                .at(conn.value.span)
                .severity(severity)
                .heuristic()
                .help(
                    "A superuser can drop databases, read every schema, create roles and run \
                     server-side programs, and row-level security does not apply to it: any SQL \
                     injection or leaked URL becomes a full compromise. Create a dedicated role \
                     that owns the application's schema for migrations and, ideally, a \
                     least-privilege role for the running application.",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "database-superuser";

    const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
"#;

    fn env(url: &str) -> Case {
        Case::files(&[
            ("schema.prisma", SCHEMA),
            (".env", &format!("DATABASE_URL={url}\n")),
        ])
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                env("postgres://app:p@db.example.com/db"),
                env("postgres://postgres:postgres@localhost/db"),
            ],
            &[env("postgres://postgres:p@152.53.89.138:5435/db")],
        ));
    }
}
