//! Fixes that edit a connection URL compose: whatever combination of the URL-editing rules
//! fixes a `DATABASE_URL` (any shape: with or without a query, quoted or not, a trailing `?`),
//! the URL written back parses, keeps its scheme, credentials, host, database and every
//! parameter it had (a value changes only where a fix sets it: `sslmode=prefer` → `require`),
//! and names each parameter once.

use prisma_audit_core::config::Config;
use prisma_audit_core::fix::fix_project;
use prisma_audit_core::{AuditOptions, Project};
use proptest::prelude::*;

/// The rules whose fixes add parameters to a connection URL.
const URL_RULES: &[&str] = &["connection-pool-unsized", "database-url-no-tls"];

const SCHEMA: &str = "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n\nmodel A {\n  id Int @id\n}\n";

const PACKAGE: &str = r#"{"dependencies":{"next":"15.0.0","@prisma/client":"6.10.0"},"devDependencies":{"prisma":"6.10.0"}}"#;

/// Every non-empty subset of `URL_RULES`.
fn subsets() -> Vec<Vec<String>> {
    (1..1u32 << URL_RULES.len())
        .map(|mask| {
            URL_RULES
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, r)| r.to_string())
                .collect()
        })
        .collect()
}

/// The value of `DATABASE_URL` in an env file, quotes removed.
fn env_value(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| l.starts_with("DATABASE_URL="))
        .expect("DATABASE_URL line");
    line["DATABASE_URL=".len()..]
        .trim()
        .trim_matches(['"', '\''])
        .to_string()
}

/// A URL split into the part before the query and its parameters (`None`: not a URL with a
/// well-formed query).
fn parse(url: &str) -> Option<(String, Vec<(String, String)>)> {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, q),
        None => (url, ""),
    };
    if !base.contains("://") || query.contains('?') {
        return None;
    }
    let params = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=')?;
            Some((k.to_string(), v.to_string()))
        })
        .collect::<Option<Vec<_>>>()?;
    Some((base.to_string(), params))
}

fn check(url: &str, quote: &str, serverless: bool) -> Result<(), TestCaseError> {
    let env = format!("DATABASE_URL={quote}{url}{quote}\n");
    let mut files = vec![
        ("prisma/schema.prisma".to_string(), SCHEMA.to_string()),
        (".env".to_string(), env.clone()),
        ("package.json".to_string(), PACKAGE.to_string()),
    ];
    if serverless {
        files.push(("vercel.json".to_string(), "{}".to_string()));
    }
    let project = Project::from_files("p", files);
    let (base, before) = parse(url).expect("test URLs are well formed");
    for rules in subsets() {
        let options = AuditOptions {
            config: Config {
                select: Some(rules.clone()),
                ..Config::default()
            },
            ..AuditOptions::default()
        };
        let run = fix_project(&project, &options, true).expect("fixes apply");
        let text = run
            .changed
            .get(".env")
            .cloned()
            .unwrap_or_else(|| env.clone());
        let after = env_value(&text);
        let parsed = parse(&after);
        prop_assert!(parsed.is_some(), "{rules:?}: {url} became {after}");
        let (new_base, params) = parsed.unwrap_or_default();
        prop_assert_eq!(&new_base, &base, "{:?}: base changed", rules);
        for p in &before {
            // The TLS fix sets `sslmode` (`prefer` → `require`); every other value stays.
            let kept = if p.0 == "sslmode" {
                params.iter().any(|(k, _)| k == "sslmode")
            } else {
                params.contains(p)
            };
            prop_assert!(kept, "{:?}: lost {:?} in {}", rules, p, after);
        }
        let mut keys: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        prop_assert_eq!(keys.len(), n, "{:?}: a parameter twice in {}", rules, after);
    }
    Ok(())
}

/// A URL of the given shape.
fn url_strategy() -> impl Strategy<Value = String> {
    let params = prop::sample::subsequence(
        vec![
            "schema=public",
            "application_name=web",
            "connect_timeout=10",
            "sslmode=prefer",
            "connection_limit=3",
            "pool_timeout=30",
        ],
        0..4,
    );
    (
        prop::sample::select(vec!["postgresql", "postgres"]),
        "[a-z]{1,8}",
        "[A-Za-z0-9%]{1,12}",
        prop::sample::select(vec![
            "db.example.com",
            "10.0.0.5",
            "aws-0.pooler.supabase.com",
        ]),
        prop::option::of(1000u16..9999),
        params,
        prop::sample::select(vec!["", "?", "&"]),
    )
        .prop_map(|(scheme, user, pass, host, port, params, tail)| {
            let port = port.map(|p| format!(":{p}")).unwrap_or_default();
            let query = if params.is_empty() {
                if tail == "?" {
                    "?".to_string()
                } else {
                    String::new()
                }
            } else {
                format!(
                    "?{}{}",
                    params.join("&"),
                    if tail == "&" { "&" } else { "" }
                )
            };
            format!("{scheme}://{user}:{pass}@{host}{port}/app{query}")
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn url_fixes_compose_into_a_valid_url(
        url in url_strategy(),
        quote in prop::sample::select(vec!["\"", "'", ""]),
        serverless in any::<bool>(),
    ) {
        prisma_audit_rules::link();
        check(&url, quote, serverless)?;
    }
}

/// The case that used to break: no query string, both rules fixing it.
#[test]
fn pool_and_tls_fixes_on_a_url_without_query() {
    prisma_audit_rules::link();
    check("postgresql://app:pw@db.example.com:5432/app", "\"", true).unwrap();
}
