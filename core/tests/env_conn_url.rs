//! Connection URL parsing, classification and redaction.

use prisma_audit_core::env::conn_url::{ConnUrl, HostKind, classify_host};

#[test]
fn plain_postgres_url() {
    let u = ConnUrl::parse(
        "postgresql://app:s3cret@db.example.com:5432/shop?schema=public&sslmode=require",
    )
    .unwrap();
    assert_eq!(u.scheme, "postgresql");
    assert_eq!(u.user.as_deref(), Some("app"));
    assert_eq!(u.password(), Some("s3cret"));
    assert_eq!((u.host.as_str(), u.port), ("db.example.com", Some(5432)));
    assert_eq!(u.database.as_deref(), Some("shop"));
    assert_eq!(u.param("schema"), Some("public"));
    assert_eq!(u.tls_requirement().as_deref(), Some("sslmode=require"));
    assert_eq!(u.host_kind(), HostKind::Hostname);
    assert_eq!(
        u.redacted(),
        "postgresql://app:****@db.example.com:5432/shop?schema=public&sslmode=require"
    );
    assert!(!format!("{u} {u:?}").contains("s3cret"));
}

#[test]
fn passwords_with_at_colon_slash_and_percent_encoding() {
    let u = ConnUrl::parse("postgres://user:p@ss:w/rd@10.0.0.5:6543/db").unwrap();
    assert_eq!(u.password(), Some("p@ss:w/rd"));
    assert_eq!((u.host.as_str(), u.port), ("10.0.0.5", Some(6543)));
    let u = ConnUrl::parse("postgres://us%40er:p%40ss%3Aword@h/db").unwrap();
    assert_eq!(u.user.as_deref(), Some("us@er"));
    assert_eq!(u.password(), Some("p@ss:word"));
    assert_eq!(u.redacted(), "postgres://us@er:****@h/db");
    // Broken escapes are kept.
    let u = ConnUrl::parse("postgres://u:%zz%@h/db").unwrap();
    assert_eq!(u.password(), Some("%zz%"));
}

#[test]
fn ipv6_sockets_and_multi_host() {
    let u = ConnUrl::parse("postgresql://u:p@[2001:db8::1]:5432/db").unwrap();
    assert_eq!((u.host.as_str(), u.port), ("2001:db8::1", Some(5432)));
    assert_eq!(u.host_port(), "[2001:db8::1]:5432");
    assert_eq!(u.host_kind(), HostKind::PublicIp);
    let u = ConnUrl::parse("postgresql://u@[::1]/db").unwrap();
    assert_eq!(u.host_kind(), HostKind::Local);
    let u = ConnUrl::parse("postgresql://postgres@localhost/db?host=/var/run/postgresql").unwrap();
    assert_eq!(u.host_kind(), HostKind::Local);
    let u = ConnUrl::parse("postgresql://u:p@/db?host=/cloudsql/proj:region:inst").unwrap();
    assert_eq!(u.host_kind(), HostKind::Local);
    let u = ConnUrl::parse("mongodb://u:p@h1:27017,h2:27017/db?replicaSet=rs").unwrap();
    assert_eq!((u.host.as_str(), u.port), ("h1", Some(27017)));
}

#[test]
fn host_classes() {
    assert_eq!(classify_host("152.53.89.138"), HostKind::PublicIp);
    assert_eq!(classify_host("127.0.0.1"), HostKind::Local);
    assert_eq!(classify_host("localhost"), HostKind::Local);
    assert_eq!(classify_host("192.168.1.4"), HostKind::Private);
    assert_eq!(classify_host("10.1.2.3"), HostKind::Private);
    assert_eq!(classify_host("172.20.0.2"), HostKind::Private);
    assert_eq!(classify_host("100.100.1.1"), HostKind::Private);
    assert_eq!(classify_host("fd00::1"), HostKind::Private);
    assert_eq!(classify_host("::ffff:8.8.8.8"), HostKind::PublicIp);
    assert_eq!(classify_host("db"), HostKind::Private);
    assert_eq!(classify_host("db.internal"), HostKind::Private);
    assert_eq!(
        classify_host("aws-0-eu.pooler.supabase.com"),
        HostKind::Hostname
    );
    assert_eq!(classify_host(""), HostKind::None);
}

#[test]
fn accelerate_and_poolers() {
    let u =
        ConnUrl::parse("prisma+postgres://accelerate.prisma-data.net/?api_key=eyJhbGciOi").unwrap();
    assert!(u.is_accelerate());
    assert_eq!(u.pooler(), Some("Prisma Accelerate"));
    assert!(u.tls_requirement().is_some());
    assert!(!u.redacted().contains("eyJhbGciOi"), "{}", u.redacted());
    let u = ConnUrl::parse(
        "postgres://u:p@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?pgbouncer=true",
    )
    .unwrap();
    assert_eq!(u.pooler(), Some("PgBouncer (pgbouncer=true)"));
    let u = ConnUrl::parse("postgres://u:p@ep-x-pooler.eu-central-1.aws.neon.tech/db").unwrap();
    assert_eq!(u.pooler(), Some("Neon pooler"));
    let u = ConnUrl::parse("postgres://u:p@h:5432/db").unwrap();
    assert_eq!(u.pooler(), None);
}

#[test]
fn tls_settings_per_scheme() {
    let tls = |s: &str| ConnUrl::parse(s).unwrap().tls_requirement();
    assert_eq!(tls("postgres://h/db"), None);
    assert_eq!(tls("postgres://h/db?sslmode=prefer"), None);
    assert!(tls("postgres://h/db?sslmode=verify-full").is_some());
    assert!(tls("mysql://h/db?sslaccept=strict").is_some());
    assert_eq!(tls("mysql://h/db"), None);
    assert!(tls("sqlserver://h:1433;database=x;encrypt=true").is_some());
    assert_eq!(tls("sqlserver://h:1433;database=x"), None);
    let s = ConnUrl::parse(
        "sqlserver://sql.example.com:1433;database=app;user=sa;password=Pw;encrypt=true",
    )
    .unwrap();
    assert_eq!(
        (s.user.as_deref(), s.password(), s.database.as_deref()),
        (Some("sa"), Some("Pw"), Some("app"))
    );
    assert!(!s.redacted().contains("Pw"));
    assert!(tls("mongodb+srv://u:p@cluster0.x.mongodb.net/db").is_some());
    assert_eq!(tls("mongodb://h/db"), None);
}

#[test]
fn same_database_ignores_credentials() {
    let a = ConnUrl::parse("postgresql://a:x@h:5432/db").unwrap();
    let b = ConnUrl::parse("postgres://b:y@h/db?connection_limit=5").unwrap();
    let c = ConnUrl::parse("postgres://b:y@h/db_shadow").unwrap();
    assert!(a.same_database(&b));
    assert!(!a.same_database(&c));
}

#[test]
fn not_urls() {
    assert!(ConnUrl::parse("file:./dev.db").is_none());
    assert!(ConnUrl::parse("").is_none());
    assert!(ConnUrl::parse("://x").is_none());
    for s in [
        "a://",
        "a://@",
        "a://:@:",
        "a://[",
        "a://[::1",
        "x://h:99999/d",
        "p://u:p@h/%",
    ] {
        let _ = ConnUrl::parse(s).map(|u| u.redacted());
    }
}
