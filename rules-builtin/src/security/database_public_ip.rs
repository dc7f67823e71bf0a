use crate::support::connections::{connections, project_env};
use prisma_audit_core::declare_rule;
use prisma_audit_core::env::conn_url::HostKind;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports connection URLs whose host is a public IP address literal.
    ///
    /// ## Why is this bad?
    /// A database listening on a public address is reachable by every scanner on the
    /// internet: password guessing, exploits against the server version, denial of service.
    /// Managed databases reached by IP also skip TLS host-name verification.
    ///
    /// ## Example
    /// ```text
    /// DATABASE_URL="postgresql://app:<password>@152.53.89.138:5435/app"
    /// ```
    ///
    /// ## Fix
    /// Put the database on a private network (VPC, private endpoint, Tailscale/WireGuard)
    /// and connect by private address or DNS name; if it must stay public, restrict the port
    /// with a firewall allow-list and require TLS with `sslmode=verify-full`.
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/auth-pg-hba-conf.html
    pub struct DatabasePublicIp;
    id = "database-public-ip",
    summary = "The database is reached through a public IP address",
    category = Security,
    severity = High,
    fixable = false,
    enabled = true,
}

impl Rule for DatabasePublicIp {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        for conn in connections(&env) {
            if conn.url.host_kind() != HostKind::PublicIp {
                continue;
            }
            out.push(
                RawFinding::new(
                    conn.anchor(),
                    format!(
                        "{} points at {}, a public IP address: the database port is reachable from \
                         the internet",
                        conn.describe(&env),
                        conn.url.host_port()
                    ),
                )
                .at(conn.value.span)
                .help(
                    "Anything on the internet can reach this port: password guessing, exploits \
                     against the server version and denial of service. Move the database to a \
                     private network (VPC, private endpoint, VPN) or at least restrict the port \
                     with a firewall allow-list, and require TLS with `sslmode=verify-full`.",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "database-public-ip";

    const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
"#;

    /// A project whose `.env` sets `DATABASE_URL` to `url`.
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
                // Private addresses and host names.
                env("postgres://u:p@10.0.0.3:5432/db"),
                env("postgres://u:p@127.0.0.1:5432/db"),
                env("postgres://u:p@db.example.com:5432/db"),
                env("postgres://u:p@[fd00::2]:5432/db"),
            ],
            &[env("postgres://u:p@152.53.89.138:5435/db")],
        ));
    }
}
