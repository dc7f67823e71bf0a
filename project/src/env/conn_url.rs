//! Database connection URLs: `postgresql://user:password@host:5432/db?sslmode=require`.
//!
//! The password is kept (rules compare URLs and must know whether one is set) but is never
//! shown: [`ConnUrl`]'s `Display` and `Debug` print the [`ConnUrl::redacted`] form.

use crate::redact::MASK;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

/// What a host is, for the exposure checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostKind {
    /// `localhost`, `127.0.0.0/8`, `::1`, or a Unix socket path.
    Local,
    /// An RFC 1918 / unique-local / link-local address, or a Docker-style single-label name
    /// (`db`, `postgres`) or `*.internal` / `*.local` name.
    Private,
    /// A literal IP address routable on the internet.
    PublicIp,
    /// A DNS name (assumed reachable from the internet).
    Hostname,
    /// No host in the URL (file URLs, `sqlite`).
    None,
}

/// A parsed connection URL.
#[derive(Clone, PartialEq, Eq)]
pub struct ConnUrl {
    /// Lower-case scheme (`postgresql`, `postgres`, `mysql`, `prisma+postgres`, ...).
    pub scheme: String,
    /// Percent-decoded user name.
    pub user: Option<String>,
    password: Option<String>,
    /// Host (IPv6 without brackets); the first one when several are listed.
    pub host: String,
    /// Port, if written.
    pub port: Option<u16>,
    /// Database name (the first path segment), percent-decoded.
    pub database: Option<String>,
    /// Query parameters in order, percent-decoded (a key without `=` has an empty value).
    pub params: Vec<(String, String)>,
}

impl fmt::Debug for ConnUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ConnUrl({})", self.redacted())
    }
}

impl fmt::Display for ConnUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Decode `%XX` escapes (invalid escapes are kept as written; invalid UTF-8 is replaced).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl ConnUrl {
    /// Parse `text` (surrounding whitespace ignored). `None` if it has no `scheme://`.
    ///
    /// The user info ends at the last `@` before any `?` or `#`, so passwords with an
    /// unencoded `@`, `:` or `/` still parse.
    pub fn parse(text: &str) -> Option<ConnUrl> {
        let text = text.trim();
        let sep = text.find("://")?;
        let scheme = text[..sep].to_ascii_lowercase();
        if scheme.is_empty()
            || !scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        {
            return None;
        }
        let rest = &text[sep + 3..];
        if scheme == "sqlserver" {
            // `sqlserver://host:1433;database=x;user=u;password=p;encrypt=true`
            return Some(parse_sqlserver(rest));
        }
        let rest = rest.split('#').next().unwrap_or("");
        let (before_query, query) = match rest.find('?') {
            Some(q) => (&rest[..q], &rest[q + 1..]),
            None => (rest, ""),
        };
        let (userinfo, host_and_path) = match before_query.rfind('@') {
            Some(at) => (Some(&before_query[..at]), &before_query[at + 1..]),
            None => (None, before_query),
        };
        let (user, password) = match userinfo {
            Some(ui) => match ui.find(':') {
                Some(c) => (
                    Some(percent_decode(&ui[..c])),
                    Some(percent_decode(&ui[c + 1..])),
                ),
                None => (Some(percent_decode(ui)), None),
            },
            None => (None, None),
        };
        let (authority, path) = match host_and_path.find('/') {
            Some(p) => (&host_and_path[..p], &host_and_path[p + 1..]),
            None => (host_and_path, ""),
        };
        // Several hosts (`h1:5432,h2:5432`): keep the first.
        let authority = authority.split(',').next().unwrap_or("");
        let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
            match inner.find(']') {
                Some(end) => {
                    let port = inner[end + 1..]
                        .strip_prefix(':')
                        .and_then(|p| p.parse().ok());
                    (inner[..end].to_string(), port)
                }
                None => (inner.to_string(), None),
            }
        } else {
            match authority.rfind(':') {
                Some(c) if authority[c + 1..].bytes().all(|b| b.is_ascii_digit()) => {
                    (authority[..c].to_string(), authority[c + 1..].parse().ok())
                }
                _ => (authority.to_string(), None),
            }
        };
        let database = path
            .split('/')
            .next()
            .filter(|d| !d.is_empty())
            .map(percent_decode);
        let params = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.find('=') {
                Some(e) => (percent_decode(&p[..e]), percent_decode(&p[e + 1..])),
                None => (percent_decode(p), String::new()),
            })
            .collect();
        Some(ConnUrl {
            scheme,
            user: user.filter(|u| !u.is_empty()),
            password,
            host: percent_decode(&host).to_ascii_lowercase(),
            port,
            database,
            params,
        })
    }

    /// `true` if a (possibly empty) password is present.
    pub fn has_password(&self) -> bool {
        self.password.as_deref().is_some_and(|p| !p.is_empty())
    }

    /// The password. Never print it; use [`ConnUrl::redacted`] for display.
    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// The URL with the password replaced by `****` (and the query kept).
    pub fn redacted(&self) -> String {
        let mut out = format!("{}://", self.scheme);
        if let Some(user) = &self.user {
            out.push_str(user);
            if self.password.is_some() {
                out.push(':');
                out.push_str(MASK);
            }
            out.push('@');
        } else if self.password.is_some() {
            out.push(':');
            out.push_str(MASK);
            out.push('@');
        }
        out.push_str(&self.host_port());
        if let Some(db) = &self.database {
            out.push('/');
            out.push_str(db);
        }
        if !self.params.is_empty() {
            out.push('?');
            let params: Vec<String> = self
                .params
                .iter()
                .map(|(k, v)| {
                    let secret =
                        crate::redact::is_secret_key(k) || k.eq_ignore_ascii_case("api_key");
                    if secret && !v.is_empty() {
                        format!("{k}={MASK}")
                    } else if v.is_empty() {
                        k.clone()
                    } else {
                        format!("{k}={v}")
                    }
                })
                .collect();
            out.push_str(&params.join("&"));
        }
        out
    }

    /// `host:port` (IPv6 in brackets), as shown in messages.
    pub fn host_port(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        match self.port {
            Some(p) => format!("{host}:{p}"),
            None => host,
        }
    }

    /// The value of query parameter `key` (case-insensitive key), last one wins.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// `true` for `prisma://` and `prisma+postgres://` (Accelerate / Prisma Postgres), which
    /// speak HTTPS to a managed pool.
    pub fn is_accelerate(&self) -> bool {
        self.scheme == "prisma" || self.scheme == "prisma+postgres"
    }

    /// `true` for PostgreSQL-protocol URLs (`postgres`, `postgresql`).
    pub fn is_postgres(&self) -> bool {
        matches!(self.scheme.as_str(), "postgres" | "postgresql")
    }

    /// The host kind. A `host=/path` parameter (Unix socket) makes the URL local.
    pub fn host_kind(&self) -> HostKind {
        if self.param("host").is_some_and(|h| h.starts_with('/')) || self.param("socket").is_some()
        {
            return HostKind::Local;
        }
        classify_host(&self.host)
    }

    /// `true` when the host is neither local nor private.
    pub fn is_remote(&self) -> bool {
        matches!(self.host_kind(), HostKind::PublicIp | HostKind::Hostname)
    }

    /// The TLS setting that makes the connection encrypted and, for `verify-*`, authenticated,
    /// or `None` when the URL does not require TLS.
    pub fn tls_requirement(&self) -> Option<String> {
        if self.is_accelerate() {
            return Some("HTTPS (Accelerate)".into());
        }
        match self.scheme.as_str() {
            "postgres" | "postgresql" => {
                let mode = self.param("sslmode")?.to_ascii_lowercase();
                matches!(mode.as_str(), "require" | "verify-ca" | "verify-full")
                    .then(|| format!("sslmode={mode}"))
            }
            "mysql" => {
                if let Some(mode) = self.param("sslmode").or(self.param("ssl-mode")) {
                    let mode = mode.to_ascii_lowercase();
                    return matches!(
                        mode.as_str(),
                        "required" | "verify_ca" | "verify_identity" | "require"
                    )
                    .then(|| format!("sslmode={mode}"));
                }
                self.param("sslaccept")
                    .or(self.param("sslcert"))
                    .map(|v| format!("sslaccept={v}"))
            }
            "sqlserver" => {
                let v = self.param("encrypt")?;
                v.eq_ignore_ascii_case("true")
                    .then(|| "encrypt=true".into())
            }
            "mongodb+srv" => Some("mongodb+srv (TLS by default)".into()),
            "mongodb" => ["tls", "ssl"]
                .iter()
                .find(|k| {
                    self.param(k)
                        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
                })
                .map(|k| format!("{k}=true")),
            _ => Some("n/a".into()),
        }
    }

    /// `true` if this URL goes through a connection pooler: `pgbouncer=true`, Accelerate,
    /// Supabase's pooler (Supavisor, port 6543), Neon's `-pooler` endpoints, or port 6432
    /// (PgBouncer's default).
    pub fn pooler(&self) -> Option<&'static str> {
        if self.is_accelerate() {
            return Some("Prisma Accelerate");
        }
        if self
            .param("pgbouncer")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            return Some("PgBouncer (pgbouncer=true)");
        }
        if self.host.contains("pooler.supabase.com") || self.port == Some(6543) {
            return Some("Supavisor");
        }
        if self.host.contains("-pooler.") {
            return Some("Neon pooler");
        }
        if self.port == Some(6432) {
            return Some("PgBouncer (port 6432)");
        }
        None
    }

    /// The same server and database (scheme family, host, port, database), ignoring
    /// credentials and parameters.
    pub fn same_database(&self, other: &ConnUrl) -> bool {
        let port = |u: &ConnUrl| u.port.or_else(|| default_port(&u.scheme));
        let family = |s: &str| match s {
            "postgres" | "postgresql" => "postgresql".to_string(),
            s => s.to_string(),
        };
        family(&self.scheme) == family(&other.scheme)
            && self.host == other.host
            && port(self) == port(other)
            && self.database == other.database
            && self.param("schema") == other.param("schema")
    }
}

fn parse_sqlserver(rest: &str) -> ConnUrl {
    let mut parts = rest.split(';');
    let authority = parts.next().unwrap_or("");
    let (host, port) = match authority.rfind(':') {
        Some(c) if authority[c + 1..].bytes().all(|b| b.is_ascii_digit()) => {
            (authority[..c].to_string(), authority[c + 1..].parse().ok())
        }
        _ => (authority.to_string(), None),
    };
    let mut url = ConnUrl {
        scheme: "sqlserver".into(),
        user: None,
        password: None,
        host: host.to_ascii_lowercase(),
        port,
        database: None,
        params: Vec::new(),
    };
    for p in parts.filter(|p| !p.is_empty()) {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        let (k, v) = (k.trim(), v.trim().trim_matches(['{', '}']).to_string());
        match k.to_ascii_lowercase().as_str() {
            "user" | "username" | "uid" | "userid" => url.user = Some(v),
            "password" | "pwd" => url.password = Some(v),
            "database" | "initial catalog" => url.database = Some(v),
            _ => url.params.push((k.to_string(), v)),
        }
    }
    url
}

/// The default port of a scheme.
pub fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "postgres" | "postgresql" => Some(5432),
        "mysql" => Some(3306),
        "sqlserver" => Some(1433),
        "mongodb" => Some(27017),
        _ => None,
    }
}

/// Classify a host name or IP literal (brackets optional).
pub fn classify_host(host: &str) -> HostKind {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return HostKind::None;
    }
    if host.starts_with('/') {
        return HostKind::Local;
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        return classify_ip(ip);
    }
    let lower = host.to_ascii_lowercase();
    if lower == "localhost" || lower.ends_with(".localhost") {
        return HostKind::Local;
    }
    if !lower.contains('.')
        || lower.ends_with(".internal")
        || lower.ends_with(".local")
        || lower.ends_with(".lan")
        || lower.ends_with(".svc.cluster.local")
        || lower == "host.docker.internal"
    {
        return HostKind::Private;
    }
    HostKind::Hostname
}

fn classify_ip(ip: IpAddr) -> HostKind {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return classify_v4(v4);
            }
            if v6.is_loopback() {
                HostKind::Local
            } else if v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
            {
                HostKind::Private
            } else {
                HostKind::PublicIp
            }
        }
    }
}

fn classify_v4(v4: Ipv4Addr) -> HostKind {
    if v4.is_loopback() {
        HostKind::Local
    } else if v4.is_private() || v4.is_link_local() || v4.is_unspecified() || is_shared_v4(v4) {
        HostKind::Private
    } else {
        HostKind::PublicIp
    }
}

/// 100.64.0.0/10 (carrier-grade NAT, also Tailscale).
fn is_shared_v4(v4: Ipv4Addr) -> bool {
    let [a, b, ..] = v4.octets();
    a == 100 && (64..128).contains(&b)
}
