use crate::support::connections::{connections, host_phrase, project_env};
use prisma_audit_core::declare_rule;
use prisma_audit_core::env::conn_url::{ConnUrl, HostKind};
use prisma_audit_core::env::{EnvFile, ProjectEnv, UrlOrigin, span_of};
use prisma_audit_core::finding::{FixSafety, Severity};
use prisma_audit_core::redact::is_secret_key;
use prisma_audit_core::rule::{RawEdit, RawFinding, RawFix, Rule, RuleContext};
use prisma_audit_core::span::Span;

declare_rule! {
    /// ## What it does
    /// Finds passwords and other secrets in dotenv files (`.env`, `.env.production`, ...) that
    /// `.gitignore` does not exclude, so they are (or will be) committed to the repository. The
    /// `.gitignore` files are read with git's semantics: nested files, negations (`!.env`),
    /// anchored and directory patterns.
    ///
    /// Also finds a connection URL written literally, password included, in the schema's
    /// `datasource` block or in `prisma.config.ts` (files that are always committed), when it
    /// points at a database on another machine. A literal URL to `localhost` is a development
    /// default and is left alone, as are placeholders (`<password>`, `changeme`, `${...}`).
    ///
    /// ## Why is this bad?
    /// Everyone with read access to the repository, every fork, CI log and backup gets the
    /// database password, and it stays in the git history after the file is deleted. A
    /// committed password for a database reachable from the internet is a breach waiting to
    /// happen.
    ///
    /// ## Example
    /// ```text
    /// # .env (not in .gitignore)
    /// DATABASE_URL="postgresql://postgres:<password>@152.53.89.138:5435/app"
    /// ```
    ///
    /// ## Fix
    /// Add the file to `.gitignore`, remove it from the index (`git rm --cached .env`),
    /// **rotate the password** (it is in the history), and keep the real values in the
    /// deployment platform's secret store. Commit a `.env.example` with placeholders instead.
    ///
    /// ## Fix safety
    /// Safe: for an env file, it appends the file to the root `.gitignore` (never the secret);
    /// the file still has to be untracked with `git rm --cached` and the password rotated. A
    /// literal URL in the schema or config gets no fix: moving it to an environment variable
    /// needs the variable set wherever the project runs.
    ///
    /// ## References
    /// - https://git-scm.com/docs/gitignore
    /// - https://www.prisma.io/docs/orm/more/development-environment/environment-variables
    pub struct CommittedSecret;
    id = "committed-secret",
    summary = "A password or secret committed to the repository (env files, literal URLs)",
    category = Security,
    severity = Critical,
    fixable = true,
    enabled = true,
}

/// `true` for values that are obviously not real secrets.
fn is_placeholder(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    v.is_empty()
        || v.starts_with('<')
        || v.starts_with("${")
        || v.chars().all(|c| c == '*' || c == 'x')
        || [
            "changeme",
            "change-me",
            "change_me",
            "password",
            "placeholder",
            "example",
            "your",
            "secret",
            "dummy",
            "fake",
            "not-a-real",
            "not_a_real",
            "dev-only",
            "todo",
            "xxx",
            "redacted",
            "replace",
        ]
        .iter()
        .any(|w| v == *w || (v.contains(w) && *w != "secret" && *w != "password"))
}

/// Why the file is not ignored, for the message.
fn why_tracked(env: &ProjectEnv<'_>, file: &EnvFile) -> String {
    if env.gitignore.files().is_empty() {
        return "the project has no `.gitignore`".into();
    }
    match env.gitignore.decide(&file.path) {
        Some(d) if d.pattern.negated => format!(
            "`{}:{}` re-includes it with `{}`",
            d.file.path, d.pattern.line, d.pattern.text
        ),
        _ => format!("no `.gitignore` pattern excludes `{}`", file.path),
    }
}

/// A safe edit appending the file to the root `.gitignore` (never the secret).
fn gitignore_fix(ctx: &RuleContext<'_>, file: &EnvFile) -> Option<RawFix> {
    let id = ctx.project.file_id(".gitignore")?;
    let text = ctx.project.file(id)?.text()?;
    let name = file.path.rsplit('/').next().unwrap_or(&file.path);
    let pattern = if file.path.contains('/') {
        format!("/{}", file.path)
    } else {
        name.to_string()
    };
    let lead = if text.is_empty() || text.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    Some(RawFix {
        title: format!(
            "Add `{pattern}` to .gitignore (then `git rm --cached {}` and rotate the password)",
            file.path
        ),
        safety: FixSafety::Safe,
        edits: vec![RawEdit {
            span: span_of(id, text.len()..text.len()),
            replacement: format!("{lead}\n# secrets (added by prisma-audit)\n{pattern}\n"),
        }],
        sql: None,
    })
}

impl Rule for CommittedSecret {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        for file in env.env_files.iter().filter(|f| !f.ignored) {
            let mut fix = gitignore_fix(ctx, file);
            let why = why_tracked(&env, file);
            for entry in &file.entries {
                let value = prisma_audit_core::env::dotenv::expand(&entry.value, &file.entries);
                let span: Span = span_of(file.file, entry.value_range.clone());
                let at = format!("{}:{}", file.path, entry.line);
                let finding = match ConnUrl::parse(&value) {
                    Some(url)
                        if url.has_password() && !is_placeholder(url.password().unwrap_or("")) =>
                    {
                        let kind = url.host_kind();
                        if file.template && !url.is_remote() {
                            continue;
                        }
                        let user = url.user.as_deref().unwrap_or("(no user)");
                        let mut details = vec![host_phrase(&url).to_string()];
                        if url.is_remote() && url.tls_requirement().is_none() {
                            details.push("without `sslmode=require`".into());
                        }
                        let severity = match kind {
                            HostKind::PublicIp | HostKind::Hostname => Severity::Critical,
                            HostKind::Private => Severity::High,
                            _ => Severity::Low,
                        };
                        RawFinding::new(
                            format!("{}|{}", file.path, entry.key),
                            format!(
                                "`{at}` commits the password of `{user}` for {} ({}) in `{}`: {why}",
                                url.host_port(),
                                details.join(", "),
                                entry.key
                            ),
                        )
                        .severity(severity)
                    }
                    Some(_) => continue,
                    None => {
                        if file.template
                            || !is_secret_key(&entry.key)
                            || is_placeholder(&value)
                            || value.len() < 8
                        {
                            continue;
                        }
                        RawFinding::new(
                            format!("{}|{}", file.path, entry.key),
                            format!("`{at}` commits the secret `{}`: {why}", entry.key),
                        )
                        .severity(Severity::High)
                    }
                };
                let mut finding = finding.at(span).help(
                    "Anyone with access to the repository, its forks, CI logs or backups can read \
                     this value, and it stays in the git history after the file is deleted. Add \
                     the file to `.gitignore`, run `git rm --cached` on it, rotate the credential, \
                     and keep real values in the deployment platform's secret store (commit a \
                     `.env.example` with placeholders instead).",
                );
                if let Some(f) = fix.take() {
                    finding = finding.fix(f);
                }
                out.push(finding);
            }
        }
        literal_urls(ctx, &env, out);
    }
}

/// Connection URLs written with their password in the schema or `prisma.config.ts`.
fn literal_urls(ctx: &RuleContext<'_>, env: &ProjectEnv<'_>, out: &mut Vec<RawFinding>) {
    for conn in connections(env) {
        if conn.decl.env_var.is_some() || conn.env_file.is_some() {
            continue;
        }
        let url = conn.url;
        if !url.has_password() || is_placeholder(url.password().unwrap_or("")) {
            continue;
        }
        let severity = match url.host_kind() {
            HostKind::PublicIp | HostKind::Hostname => Severity::Critical,
            HostKind::Private => Severity::High,
            _ => continue,
        };
        let Some(path) = ctx.project.file(conn.value.span.file).map(|f| f.path()) else {
            continue;
        };
        if env.gitignore.is_ignored(path) {
            continue;
        }
        let place = match conn.decl.origin {
            UrlOrigin::Schema => "the schema's `datasource` block",
            UrlOrigin::Config => "`prisma.config.ts`",
        };
        let key = conn.decl.role.key();
        let mut details = vec![host_phrase(url).to_string()];
        if url.tls_requirement().is_none() {
            details.push("without `sslmode=require`".into());
        }
        out.push(
            RawFinding::new(
                format!("{path}|{key}|literal"),
                format!(
                    "`{}` commits the password of `{}` for {} ({}) as a literal `{key}` in {place}",
                    env.describe_span(conn.value.span),
                    url.user.as_deref().unwrap_or("(no user)"),
                    url.host_port(),
                    details.join(", ")
                ),
            )
            .at(conn.value.span)
            .related(conn.decl.span, format!("`{key}` is declared here"))
            .severity(severity)
            .help(format!(
                "Everyone who can read the repository, its forks, CI logs or backups has this \
                 password, and it stays in the git history. Rotate the password, then read the URL \
                 from the environment instead (`{key} = env(\"DATABASE_URL\")`, or \
                 `env(\"DATABASE_URL\")` in prisma.config.ts) with the value in an ignored `.env` \
                 or the deployment platform's secret store."
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, findings, table};

    const ID: &str = "committed-secret";

    const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
"#;

    /// A real password for a server on a public IP address.
    const URL: &str = r#"DATABASE_URL="postgresql://postgres:Sup3rS3cret@152.53.89.138:5435/vet"
"#;

    const LITERAL_URL_WITH_PASSWORD: &str = r#"datasource db {
  provider = "postgresql"
  url      = "postgresql://app:Sup3rS3cret@db.example.com:5432/app"
}
"#;

    /// Local development values, and placeholders in `.env.example`.
    const LOCAL_DEV_ENV: &str = r#"DATABASE_URL=postgresql://postgres:postgres@localhost:5432/dev
JWT_SECRET=changeme
NEXTAUTH_SECRET="dev-only-not-a-real-secret"
"#;

    const EXAMPLE_ENV: &str = r#"DATABASE_URL=postgresql://user:password@db.example.com/app
"#;

    const SUFFIX_AND_NAME: &str = r#"*.env
.env
"#;

    /// Ignores every env file, then takes one back.
    const REINCLUDES_PRODUCTION: &str = r#".env*
!.env.production
"#;

    /// `.env` holding [`URL`] next to this `.gitignore`.
    fn gitignore(text: &str) -> Case {
        Case::files(&[
            ("prisma/schema.prisma", SCHEMA),
            (".env", URL),
            (".gitignore", text),
        ])
    }

    /// A schema in `apps/api` with its `.env`.
    fn nested_app() -> Case {
        Case::files(&[
            ("apps/api/prisma/schema.prisma", SCHEMA),
            ("apps/api/package.json", "{}"),
            (
                "package.json",
                r#"{"prisma":{"schema":"apps/api/prisma/schema.prisma"}}"#,
            ),
            ("apps/api/.env", URL),
        ])
    }

    /// A schema whose `url` is the literal `url`.
    fn literal(url: &str) -> Case {
        Case::files(&[(
            "prisma/schema.prisma",
            &format!(
                r#"datasource db {{
  provider = "postgresql"
  url      = "{url}"
}}
"#
            ),
        )])
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                gitignore(".env\n"),
                gitignore(".env*\n"),
                gitignore(SUFFIX_AND_NAME),
                gitignore("/.env\n"),
                nested_app().with_file("apps/api/.gitignore", ".env\n"),
                literal("postgresql://postgres:postgres@localhost:5432/dev"),
                literal("postgresql://app:<password>@db.example.com/app"),
                literal("postgresql://db.example.com/app"),
            ],
            &[
                // Tracked: critical; the fix adds `.env` to `.gitignore`.
                gitignore("node_modules\n"),
                // A negation re-includes the file and is named.
                Case::files(&[
                    ("prisma/schema.prisma", SCHEMA),
                    (".env.production", URL),
                    (".gitignore", REINCLUDES_PRODUCTION),
                ]),
                // `/.env` in the root `.gitignore` does not ignore `apps/api/.env`.
                nested_app().with_file(".gitignore", "/.env\n"),
                // Only the local password is reported, low; the secrets and placeholders
                // are not.
                Case::files(&[
                    ("prisma/schema.prisma", SCHEMA),
                    (".env", LOCAL_DEV_ENV),
                    (".env.example", EXAMPLE_ENV),
                ]),
                // Other secret keys: high, without the key in the message.
                Case::files(&[
                    ("prisma/schema.prisma", SCHEMA),
                    (
                        ".env.local",
                        "STRIPE_SECRET_KEY=sk_live_51Habcdefghijklmnop\n"
                    ),
                ]),
                Case::files(&[("prisma/schema.prisma", LITERAL_URL_WITH_PASSWORD)]),
            ],
        ));
    }

    #[test]
    fn findings_hold_no_secret() {
        let tracked = findings(
            ID,
            &[
                ("prisma/schema.prisma", SCHEMA),
                (".env", URL),
                (".gitignore", "node_modules\n"),
            ],
        );
        let literal = findings(ID, &[("prisma/schema.prisma", LITERAL_URL_WITH_PASSWORD)]);
        for f in [tracked, literal] {
            assert_eq!(f.len(), 1);
            assert!(!format!("{f:?}").contains("Sup3rS3cret"), "{f:#?}");
        }
    }
}
