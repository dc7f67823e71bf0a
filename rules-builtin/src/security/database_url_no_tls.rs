use crate::support::connections::{append_params_fix, connections, host_phrase, project_env};
use prisma_audit_core::declare_rule;
use prisma_audit_core::env::conn_url::HostKind;
use prisma_audit_core::finding::{FixSafety, Severity};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports connection URLs (`url`, `directUrl`, `shadowDatabaseUrl`, resolved through
    /// `env()` from the env files) that reach a database over the network without requiring
    /// TLS: no `sslmode=require`/`verify-full` on PostgreSQL, no `sslaccept`/`sslmode` on
    /// MySQL, no `encrypt=true` on SQL Server, no `tls=true` on MongoDB.
    ///
    /// High for a public IP address (typically a self-managed server, where TLS is often not
    /// set up at all, so the traffic really is plaintext); medium for a host name (typically
    /// a managed service that offers TLS, which the default `sslmode=prefer` then uses, but
    /// without refusing a downgraded plaintext connection). Private and local addresses are
    /// not reported.
    ///
    /// ## Why is this bad?
    /// PostgreSQL's default `sslmode=prefer` silently falls back to a plaintext connection:
    /// the password exchange and every row cross the network readable and modifiable by
    /// anyone on the path.
    ///
    /// ## Example
    /// ```text
    /// DATABASE_URL="postgresql://app:<password>@db.example.com:5432/app"
    /// ```
    ///
    /// ## Fix
    /// Add `sslmode=require` (better `sslmode=verify-full` with `sslrootcert=`) after making
    /// sure the server accepts TLS.
    ///
    /// ## Fix safety
    /// Unsafe: with `sslmode=require` a server without TLS refuses the connection. Offered for
    /// PostgreSQL URLs written as plain literals only.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/overview/databases/postgresql#configuring-an-ssl-connection
    /// - https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION
    pub struct DatabaseUrlNoTls;
    id = "database-url-no-tls",
    summary = "A remote database connection that does not require TLS",
    category = Security,
    severity = High,
    fixable = true,
    enabled = true,
}

impl Rule for DatabaseUrlNoTls {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        for conn in connections(&env) {
            if !conn.url.is_remote() || conn.url.tls_requirement().is_some() {
                continue;
            }
            let setting = match conn.url.scheme.as_str() {
                "mysql" => "`sslaccept=strict`",
                "sqlserver" => "`encrypt=true`",
                "mongodb" => "`tls=true`",
                _ => "`sslmode=require`",
            };
            let mut f = RawFinding::new(
                conn.anchor(),
                format!(
                    "{} connects to {} ({}) without {setting}: the connection may be unencrypted",
                    conn.describe(&env),
                    conn.url.host_port(),
                    host_phrase(conn.url)
                ),
            )
            .at(conn.value.span)
            .severity(if conn.url.host_kind() == HostKind::PublicIp {
                Severity::High
            } else {
                Severity::Medium
            })
            .related(
                conn.decl.span,
                format!("`{}` is declared here", conn.decl.role.key()),
            )
            .help(
                "Without a TLS requirement the driver accepts a plaintext connection (PostgreSQL's \
                 default is `sslmode=prefer`), so the password and all data can be read or altered \
                 on the network. Require TLS in the URL (PostgreSQL: `sslmode=require`, or \
                 `verify-full` with `sslrootcert` to also authenticate the server) after checking \
                 that the server has TLS enabled.",
            );
            if conn.url.is_postgres()
                && let Some(fix) = append_params_fix(
                    &conn,
                    &env,
                    "sslmode=require",
                    "Require TLS (`sslmode=require`)",
                    FixSafety::Unsafe,
                )
            {
                f = f.fix(fix);
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, findings, table};

    const ID: &str = "database-url-no-tls";

    const SCHEMA: &str = r#"datasource db {
  provider  = "postgresql"
  url       = env("DATABASE_URL")
}
"#;

    /// A public IP address without `sslmode`.
    const PUBLIC_IP_ENV: &str = r#"DATABASE_URL="postgresql://postgres:pw@152.53.89.138:5435/vet?schema=public"
"#;

    /// A host name: usually a managed service that offers TLS (`prefer` then uses it).
    const LITERAL_URL: &str = r#"datasource db {
  provider = "postgresql"
  url      = "postgresql://u:p@db.example.com/app"
}
"#;

    /// A project whose `.env` sets `DATABASE_URL` to `url`.
    fn env(url: &str) -> Case {
        Case::files(&[
            ("prisma/schema.prisma", SCHEMA),
            (".env", &format!("DATABASE_URL={url}\n")),
        ])
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                env("postgresql://u:p@db.example.com/app?sslmode=require"),
                env("postgresql://u:p@localhost:5432/app"),
                env("postgresql://u:p@db:5432/app"),
                env("prisma+postgres://accelerate.prisma-data.net/?api_key=abc"),
            ],
            &[
                Case::files(&[("prisma/schema.prisma", SCHEMA), (".env", PUBLIC_IP_ENV)]),
                Case::files(&[("schema.prisma", LITERAL_URL)]),
            ],
        ));
    }

    #[test]
    fn the_finding_holds_no_password() {
        let f = findings(
            ID,
            &[("prisma/schema.prisma", SCHEMA), (".env", PUBLIC_IP_ENV)],
        );
        assert_eq!(f.len(), 1);
        assert!(!format!("{f:?}").contains(":pw@"));
    }
}
