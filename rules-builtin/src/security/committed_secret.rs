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
                    "Anyone with access to the repository, its forks, CI logs or backups can read this value, and it stays in the git history after the file is deleted. Add the file to `.gitignore`, run `git rm --cached` on it, rotate the credential, and keep real values in the deployment platform's secret store (commit a `.env.example` with placeholders instead).",
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
            .help(format!("Everyone who can read the repository, its forks, CI logs or backups has this password, and it stays in the git history. Rotate the password, then read the URL from the environment instead (`{key} = env(\"DATABASE_URL\")`, or `env(\"DATABASE_URL\")` in prisma.config.ts) with the value in an ignored `.env` or the deployment platform's secret store.")),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::findings;
    use prisma_audit_core::finding::Severity;

    const SCHEMA: &str =
        "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n";
    const URL: &str = "DATABASE_URL=\"postgresql://postgres:Sup3rS3cret@152.53.89.138:5435/vet\"\n";

    #[test]
    fn tracked_env_with_public_password_is_critical() {
        let f = findings(
            "committed-secret",
            &[
                ("prisma/schema.prisma", SCHEMA),
                (".env", URL),
                (".gitignore", "node_modules\n"),
            ],
        );
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Critical);
        assert!(
            f[0].message
                .contains("`.env:1` commits the password of `postgres` for 152.53.89.138:5435"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("public IP"));
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!(
            (loc.file.as_str(), loc.start.line, loc.start.column),
            (".env", 1, 15)
        );
        let text = format!("{f:?}");
        assert!(!text.contains("Sup3rS3cret"));
        let fix = f[0].fix.as_ref().expect("gitignore fix");
        assert!(fix.edits[0].replacement.contains(".env"));
    }

    #[test]
    fn ignored_env_passes() {
        for gi in [".env\n", ".env*\n", "*.env\n.env\n", "/.env\n"] {
            let f = findings(
                "committed-secret",
                &[
                    ("prisma/schema.prisma", SCHEMA),
                    (".env", URL),
                    (".gitignore", gi),
                ],
            );
            assert!(f.is_empty(), "{gi}: {f:#?}");
        }
    }

    #[test]
    fn negation_reincludes_and_is_named() {
        let f = findings(
            "committed-secret",
            &[
                ("prisma/schema.prisma", SCHEMA),
                (".env.production", URL),
                (".gitignore", ".env*\n!.env.production\n"),
            ],
        );
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .contains("`.gitignore:2` re-includes it with `!.env.production`"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn nested_env_and_gitignore() {
        let files = [
            ("apps/api/prisma/schema.prisma", SCHEMA),
            ("apps/api/package.json", "{}"),
            (
                "package.json",
                r#"{"prisma":{"schema":"apps/api/prisma/schema.prisma"}}"#,
            ),
            ("apps/api/.env", URL),
            ("apps/api/.gitignore", ".env\n"),
        ];
        assert!(findings("committed-secret", &files).is_empty());
        let files = [
            ("apps/api/prisma/schema.prisma", SCHEMA),
            ("apps/api/package.json", "{}"),
            (
                "package.json",
                r#"{"prisma":{"schema":"apps/api/prisma/schema.prisma"}}"#,
            ),
            ("apps/api/.env", URL),
            (".gitignore", "/.env\n"),
        ];
        assert_eq!(findings("committed-secret", &files).len(), 1);
    }

    #[test]
    fn local_dev_passwords_and_placeholders() {
        let f = findings(
            "committed-secret",
            &[
                ("prisma/schema.prisma", SCHEMA),
                (
                    ".env",
                    "DATABASE_URL=postgresql://postgres:postgres@localhost:5432/dev\nJWT_SECRET=changeme\nNEXTAUTH_SECRET=\"dev-only-not-a-real-secret\"\n",
                ),
                (
                    ".env.example",
                    "DATABASE_URL=postgresql://user:password@db.example.com/app\n",
                ),
            ],
        );
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Low);
    }

    #[test]
    fn other_secret_keys_are_high() {
        let f = findings(
            "committed-secret",
            &[
                ("prisma/schema.prisma", SCHEMA),
                (
                    ".env.local",
                    "STRIPE_SECRET_KEY=sk_live_51Habcdefghijklmnop\n",
                ),
            ],
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::High);
        assert!(!f[0].message.contains("sk_live"));
        assert!(f[0].message.contains("no `.gitignore`"));
    }

    #[test]
    fn literal_url_with_password_in_the_schema() {
        let schema = "datasource db {\n  provider = \"postgresql\"\n  url      = \"postgresql://app:Sup3rS3cret@db.example.com:5432/app\"\n}\n";
        let f = findings("committed-secret", &[("prisma/schema.prisma", schema)]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Critical);
        assert!(
            f[0].message.starts_with(
                "`prisma/schema.prisma:3` commits the password of `app` for db.example.com:5432"
            ),
            "{}",
            f[0].message
        );
        assert!(!format!("{f:?}").contains("Sup3rS3cret"));
        for local in [
            "postgresql://postgres:postgres@localhost:5432/dev",
            "postgresql://app:<password>@db.example.com/app",
            "postgresql://db.example.com/app",
        ] {
            let schema = format!(
                "datasource db {{\n  provider = \"postgresql\"\n  url      = \"{local}\"\n}}\n"
            );
            assert!(
                findings("committed-secret", &[("prisma/schema.prisma", &schema)]).is_empty(),
                "{local}"
            );
        }
    }
}
