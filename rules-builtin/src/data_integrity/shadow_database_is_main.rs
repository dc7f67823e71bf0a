use crate::support::connections::{connections, project_env};
use prisma_audit_core::declare_rule;
use prisma_audit_core::env::UrlRole;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports a `shadowDatabaseUrl` that points at the same database as `url` (same
    /// variable, or the same host, port, database and schema after resolving the env files).
    ///
    /// ## Why is this bad?
    /// `prisma migrate dev` drops and recreates the shadow database on every run to detect
    /// drift. If it is the main database, all its data is deleted.
    ///
    /// ## Example
    /// ```prisma
    /// datasource db {
    ///   provider          = "postgresql"
    ///   url               = env("DATABASE_URL")
    ///   shadowDatabaseUrl = env("DATABASE_URL")
    /// }
    /// ```
    ///
    /// ## Fix
    /// Point `shadowDatabaseUrl` at a separate, disposable database (or remove it and let
    /// Prisma create a temporary one when the user may create databases).
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-migrate/understanding-prisma-migrate/shadow-database
    pub struct ShadowDatabaseIsMain;
    id = "shadow-database-is-main",
    summary = "The shadow database is the main database (migrate dev would wipe it)",
    category = DataIntegrity,
    severity = Critical,
    fixable = false,
    enabled = true,
}

impl Rule for ShadowDatabaseIsMain {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        let (Some(main), Some(shadow)) =
            (env.url(UrlRole::Url), env.url(UrlRole::ShadowDatabaseUrl))
        else {
            return;
        };
        if main.env_var.is_some() && main.env_var == shadow.env_var {
            let message = format!(
                "`shadowDatabaseUrl` and `url` both read `{}`: `prisma migrate dev` would drop and \
                 recreate the main database",
                main.env_var.as_deref().unwrap_or("")
            );
            out.push(
                RawFinding::new("shadowDatabaseUrl|same-variable", message)
                    .at(shadow.span)
                    .related(main.span, "`url` reads the same variable")
                    .help(HELP),
            );
            return;
        }
        let conns = connections(&env);
        for s in conns
            .iter()
            .filter(|c| c.decl.role == UrlRole::ShadowDatabaseUrl)
        {
            let same = conns.iter().find(|m| {
                m.decl.role == UrlRole::Url
                    && m.value.env_file == s.value.env_file
                    && m.url.same_database(s.url)
            });
            if let Some(m) = same {
                out.push(
                    RawFinding::new(
                        s.anchor(),
                        format!(
                            "{} is the same database as {} ({} on {}): `prisma migrate dev` would \
                             drop and recreate it",
                            s.describe(&env),
                            m.describe(&env),
                            m.url.database.as_deref().unwrap_or("(default database)"),
                            m.url.host_port()
                        ),
                    )
                    .at(s.value.span)
                    .related(m.value.span, "the main database")
                    .help(HELP),
                );
            }
        }
    }
}

const HELP: &str = "`prisma migrate dev` resets the shadow database on every run (drops all \
     objects) to compute migrations and detect drift. Pointing it at the main database deletes all \
     its data. Use a separate, disposable database for `shadowDatabaseUrl`, or remove the setting \
     so Prisma creates and drops a temporary one.";

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "shadow-database-is-main";

    const SCHEMA: &str = r#"datasource db {
  provider          = "postgresql"
  url               = env("DATABASE_URL")
  shadowDatabaseUrl = env("SHADOW_DATABASE_URL")
}
"#;

    const SAME_VARIABLE: &str = r#"datasource db {
  provider          = "postgresql"
  url               = env("DATABASE_URL")
  shadowDatabaseUrl = env("DATABASE_URL")
}
"#;

    /// The same database written differently (scheme, default port, parameters).
    const SAME_DATABASE: &str = r#"DATABASE_URL=postgres://a:p@db:5432/app
SHADOW_DATABASE_URL=postgresql://b:q@db/app?connection_limit=1
"#;

    const SEPARATE_SHADOW: &str = r#"DATABASE_URL=postgres://a:p@db:5432/app
SHADOW_DATABASE_URL=postgres://a:p@db:5432/app_shadow
"#;

    fn env(text: &str) -> Case {
        Case::files(&[("schema.prisma", SCHEMA), (".env", text)])
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[env(SEPARATE_SHADOW)],
            &[env(SAME_DATABASE), Case::schema(SAME_VARIABLE)],
        ));
    }
}
