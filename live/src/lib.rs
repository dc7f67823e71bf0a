//! prisma-audit-live: a read-only look at a live PostgreSQL database, as a
//! [`LiveSnapshot`] the audit's live checks read.
//!
//! Read-only by construction:
//! - the session sets `default_transaction_read_only = on`, a statement timeout and a lock
//!   timeout before anything else;
//! - every query runs inside one `READ ONLY` transaction that is rolled back at the end;
//! - the queries only read catalogs, statistics views and `_prisma_migrations`.
//!
//! TLS follows the URL's `sslmode` (`disable`, `prefer`, `require`, `verify-ca`,
//! `verify-full`): anything but `disable` encrypts with rustls, and certificates are verified
//! against the Mozilla roots plus `sslrootcert` when given. Prisma's own URL parameters
//! (`schema`, `connection_limit`, `pgbouncer`, ...) are accepted and left out of the connection.

use postgres::config::SslMode;
use prisma_audit_core::env::conn_url::percent_decode;
use prisma_audit_core::live::{
    AppliedMigration, LiveColumn, LiveEnum, LiveForeignKey, LiveIndex, LiveSnapshot, LiveTable,
};
use prisma_audit_core::redact::redact_urls;
use std::time::Duration;

/// Why no snapshot could be taken. Each message is one line naming the next step.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The URL cannot be used.
    #[error("database URL `{url}`: {reason}")]
    Url {
        /// The URL, password redacted.
        url: String,
        /// Why.
        reason: String,
    },
    /// No connection (refused, timed out, authentication, TLS).
    #[error("cannot connect to {url}: {reason}")]
    Connect {
        /// The URL, password redacted.
        url: String,
        /// Why, with the next step.
        reason: String,
    },
    /// A query failed (missing privilege, timeout).
    #[error("reading the database failed ({what}): {reason}")]
    Query {
        /// Which query.
        what: &'static str,
        /// Why.
        reason: String,
    },
}

/// Timeouts of the session.
#[derive(Debug, Clone, Copy)]
pub struct LiveOptions {
    /// Connecting, TLS included.
    pub connect_timeout: Duration,
    /// Each statement.
    pub statement_timeout: Duration,
}

impl Default for LiveOptions {
    fn default() -> Self {
        LiveOptions {
            connect_timeout: Duration::from_secs(10),
            statement_timeout: Duration::from_secs(10),
        }
    }
}

/// URL parameters libpq and Prisma use that the connection itself does not take.
const LEFT_OUT: &[&str] = &[
    "schema",
    "connection_limit",
    "pool_timeout",
    "pgbouncer",
    "socket_timeout",
    "statement_cache_size",
    "sslaccept",
    "sslcert",
    "sslidentity",
    "sslpassword",
    "sslrootcert",
    "sslmode",
    "connect_timeout",
    "single_use_connections",
    "max_idle_connection_lifetime",
];

/// The parts of a URL the connection needs.
#[derive(Debug)]
struct Parsed {
    /// The URL without the parameters in [`LEFT_OUT`].
    conninfo: String,
    sslmode: String,
    sslrootcert: Option<String>,
    /// Prisma's `schema` parameter: where `_prisma_migrations` lives.
    schema: Option<String>,
}

fn parse(url: &str) -> Result<Parsed, String> {
    let scheme_ok = url.starts_with("postgresql://") || url.starts_with("postgres://");
    if !scheme_ok {
        return Err(
            "not a PostgreSQL URL (postgresql://user:password@host:port/database); live checks support PostgreSQL only"
                .into(),
        );
    }
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut kept = Vec::new();
    let (mut sslmode, mut sslrootcert, mut schema) = ("prefer".to_string(), None, None);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = percent_decode(v);
        match k {
            "sslmode" => sslmode = v.to_ascii_lowercase(),
            "sslrootcert" => sslrootcert = Some(v),
            "schema" => schema = Some(v),
            _ if LEFT_OUT.contains(&k) => {}
            _ => kept.push(pair.to_string()),
        }
    }
    if !matches!(
        sslmode.as_str(),
        "disable" | "allow" | "prefer" | "require" | "verify-ca" | "verify-full"
    ) {
        return Err(format!("unknown sslmode `{sslmode}`"));
    }
    let conninfo = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok(Parsed {
        conninfo,
        sslmode,
        sslrootcert,
        schema,
    })
}

/// The TLS connector: Mozilla's roots plus `sslrootcert`.
fn tls(rootcert: Option<&str>) -> Result<tokio_postgres_rustls::MakeRustlsConnect, String> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = rootcert {
        let pem = std::fs::read(path).map_err(|e| format!("sslrootcert `{path}`: {e}"))?;
        let mut added = 0;
        for cert in rustls_pki_types_pem(&pem) {
            if roots.add(cert).is_ok() {
                added += 1;
            }
        }
        if added == 0 {
            return Err(format!("sslrootcert `{path}` holds no PEM certificate"));
        }
    }
    // ring: builds everywhere without a C toolchain for aws-lc (its lack of post-quantum key
    // exchange is why rustls deprecates it).
    #[allow(deprecated)]
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// The DER certificates of a PEM file.
fn rustls_pki_types_pem(pem: &[u8]) -> Vec<rustls::pki_types::CertificateDer<'static>> {
    use rustls::pki_types::pem::PemObject;
    rustls::pki_types::CertificateDer::pem_slice_iter(pem)
        .filter_map(Result::ok)
        .collect()
}

/// The cause of a connection error, one line, with the next step.
fn connect_reason(e: &postgres::Error, sslmode: &str) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        source = s.source();
    }
    let lower = text.to_ascii_lowercase();
    let hint =
        if lower.contains("password authentication failed") || lower.contains("authentication") {
            "check the user and password"
        } else if lower.contains("certificate")
            || lower.contains("invalid peer")
            || lower.contains("unknownissuer")
        {
            "the server's certificate is not trusted: pass its CA with `sslrootcert=/path/ca.pem`"
        } else if lower.contains("timed out") || lower.contains("timeout") {
            "the server did not answer in time: check the host, the port and the firewall"
        } else if lower.contains("refused") {
            "nothing listens there: check the host and the port"
        } else if lower.contains("does not exist") {
            "check the database name"
        } else if lower.contains("tls") || lower.contains("ssl") {
            if sslmode == "disable" {
                "the server requires TLS: remove `sslmode=disable`"
            } else {
                "TLS failed: check `sslmode`"
            }
        } else {
            "check the URL"
        };
    format!("{}; {hint}", text.replace('\n', " "))
}

/// Connect read-only and take the snapshot.
pub fn snapshot(url: &str, options: &LiveOptions) -> Result<LiveSnapshot, LiveError> {
    let shown = redact_urls(url);
    let parsed = parse(url).map_err(|reason| LiveError::Url {
        url: shown.clone(),
        reason,
    })?;
    let mut config: postgres::Config =
        parsed
            .conninfo
            .parse()
            .map_err(|e: postgres::Error| LiveError::Url {
                url: shown.clone(),
                reason: e.to_string(),
            })?;
    config.connect_timeout(options.connect_timeout);
    config.application_name("prisma-audit");
    let ms = options.statement_timeout.as_millis();
    config.options(&format!(
        "-c default_transaction_read_only=on -c statement_timeout={ms} -c lock_timeout={ms}"
    ));
    config.ssl_mode(match parsed.sslmode.as_str() {
        "disable" => SslMode::Disable,
        "allow" | "prefer" => SslMode::Prefer,
        _ => SslMode::Require,
    });
    let connect_err = |reason: String| LiveError::Connect {
        url: shown.clone(),
        reason,
    };
    let mut client = if parsed.sslmode == "disable" {
        config.connect(postgres::NoTls)
    } else {
        config.connect(tls(parsed.sslrootcert.as_deref()).map_err(connect_err)?)
    }
    .map_err(|e| connect_err(connect_reason(&e, &parsed.sslmode)))?;
    read(&mut client, parsed.schema.as_deref())
}

fn query_err(what: &'static str) -> impl Fn(postgres::Error) -> LiveError {
    move |e| LiveError::Query {
        what,
        reason: e
            .as_db_error()
            .map_or_else(|| e.to_string(), |d| d.message().to_string()),
    }
}

/// Every query of the snapshot, in one read-only transaction that is rolled back.
fn read(client: &mut postgres::Client, schema: Option<&str>) -> Result<LiveSnapshot, LiveError> {
    let mut tx = client
        .build_transaction()
        .read_only(true)
        .start()
        .map_err(query_err("BEGIN READ ONLY"))?;
    let row = tx
        .query_one(
            "SELECT current_setting('server_version'), current_database()::text",
            &[],
        )
        .map_err(query_err("server version"))?;
    let mut snap = LiveSnapshot {
        server_version: row.get(0),
        database: row.get(1),
        ..LiveSnapshot::default()
    };
    // `_prisma_migrations` lives in the URL's `schema` (default `public`).
    let wanted = schema.unwrap_or("public");
    let table: Option<String> = tx
        .query_opt(
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relname = '_prisma_migrations' AND c.relkind IN ('r', 'p')
              ORDER BY n.nspname <> $1, n.nspname LIMIT 1",
            &[&wanted],
        )
        .map_err(query_err("find _prisma_migrations"))?
        .map(|r| r.get(0));
    if let Some(table) = table {
        let rows = tx
            .query(
                &format!(
                    "SELECT migration_name, checksum, started_at::text, finished_at::text,
                            rolled_back_at::text, logs, applied_steps_count::bigint
                       FROM {table} ORDER BY started_at, migration_name"
                ),
                &[],
            )
            .map_err(query_err("read _prisma_migrations"))?;
        snap.migrations = Some(
            rows.iter()
                .map(|r| AppliedMigration {
                    migration_name: r.get(0),
                    checksum: r.get(1),
                    started_at: r.get(2),
                    finished_at: r.get(3),
                    rolled_back_at: r.get(4),
                    logs: r.get(5),
                    applied_steps_count: r.get(6),
                })
                .collect(),
        );
    }
    snap.indexes = tx
        .query(
            "SELECT n.nspname::text, t.relname::text, i.relname::text, x.indisunique, x.indisprimary,
                    EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid
                             AND c.contype IN ('p', 'u', 'x')),
                    x.indisvalid, COALESCE(s.idx_scan, 0)::bigint, pg_relation_size(i.oid)::bigint,
                    ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true)
                            FROM generate_series(1, x.indnkeyatts) k ORDER BY k),
                    am.amname::text, pg_get_expr(x.indpred, x.indrelid)
               FROM pg_index x
               JOIN pg_class i ON i.oid = x.indexrelid
               JOIN pg_am am ON am.oid = i.relam
               JOIN pg_class t ON t.oid = x.indrelid
               JOIN pg_namespace n ON n.oid = t.relnamespace
               LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = x.indexrelid
              WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
                AND n.nspname NOT LIKE 'pg_toast%'
              ORDER BY 1, 2, 3",
            &[],
        )
        .map_err(query_err("indexes"))?
        .iter()
        .map(|r| LiveIndex {
            schema: r.get(0),
            table: r.get(1),
            name: r.get(2),
            unique: r.get(3),
            primary: r.get(4),
            constraint: r.get(5),
            valid: r.get(6),
            scans: r.get(7),
            size_bytes: r.get(8),
            columns: r
                .get::<_, Vec<String>>(9)
                .iter()
                .map(|c| unquote(c))
                .collect(),
            method: r.get(10),
            predicate: r.get(11),
        })
        .collect();
    read_tables(&mut tx, &mut snap)?;
    read_operations(&mut tx, &mut snap)?;
    read_top_queries(&mut tx, &mut snap);
    snap.stats_age_seconds = tx
        .query_one(
            "SELECT EXTRACT(EPOCH FROM now() - COALESCE(
                      (SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()),
                      pg_postmaster_start_time()))::bigint",
            &[],
        )
        .map_err(query_err("statistics age"))?
        .get(0);
    tx.rollback().map_err(query_err("ROLLBACK"))?;
    Ok(snap)
}

/// Sequences, settings, connections, transaction-ID age, WAL archiving.
fn read_operations(
    tx: &mut postgres::Transaction<'_>,
    snap: &mut LiveSnapshot,
) -> Result<(), LiveError> {
    snap.sequences = tx
        .query(
            "SELECT s.schemaname::text, s.sequencename::text, s.last_value, s.max_value,
                    t.relname::text, a.attname::text
               FROM pg_sequences s
               JOIN pg_namespace n ON n.nspname = s.schemaname
               JOIN pg_class c ON c.relname = s.sequencename AND c.relnamespace = n.oid
               LEFT JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass
                                    AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
               LEFT JOIN pg_class t ON t.oid = d.refobjid
               LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
              ORDER BY 1, 2",
            &[],
        )
        .map_err(query_err("sequences"))?
        .iter()
        .map(|r| prisma_audit_core::live::LiveSequence {
            schema: r.get(0),
            name: r.get(1),
            last_value: r.get(2),
            max_value: r.get(3),
            owned_by: r
                .get::<_, Option<String>>(4)
                .zip(r.get::<_, Option<String>>(5)),
        })
        .collect();
    for r in tx
        .query(
            "SELECT name::text, setting::text FROM pg_settings
              WHERE name IN ('max_connections', 'superuser_reserved_connections', 'archive_mode',
                             'wal_level', 'archive_command')",
            &[],
        )
        .map_err(query_err("settings"))?
    {
        snap.settings.insert(r.get(0), r.get(1));
    }
    snap.connections = tx
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'",
            &[],
        )
        .map_err(query_err("connections"))?
        .get(0);
    snap.xid_age = tx
        .query_one(
            "SELECT age(datfrozenxid)::bigint FROM pg_database WHERE datname = current_database()",
            &[],
        )
        .map_err(query_err("transaction-ID age"))?
        .get(0);
    snap.archiver = tx
        .query_opt(
            "SELECT archived_count, failed_count,
                    EXTRACT(EPOCH FROM now() - last_archived_time)::bigint,
                    COALESCE(last_failed_time > COALESCE(last_archived_time, '-infinity'), false)
               FROM pg_stat_archiver",
            &[],
        )
        .map_err(query_err("WAL archiver"))?
        .map(|r| prisma_audit_core::live::LiveArchiver {
            archived_count: r.get(0),
            failed_count: r.get(1),
            last_archived_age_seconds: r.get(2),
            failing: r.get(3),
        });
    Ok(())
}

/// The 20 statements of this database that took the most time, from `pg_stat_statements`
/// when it is installed and loaded. Read in a savepoint: a failure (the extension installed
/// but not in `shared_preload_libraries`, no privilege) leaves the snapshot without them.
fn read_top_queries(tx: &mut postgres::Transaction<'_>, snap: &mut LiveSnapshot) {
    let Ok(Some(schema)) = tx
        .query_opt(
            "SELECT quote_ident(n.nspname) FROM pg_extension e
               JOIN pg_namespace n ON n.oid = e.extnamespace
              WHERE e.extname = 'pg_stat_statements'",
            &[],
        )
        .map(|r| r.map(|r| r.get::<_, String>(0)))
    else {
        return;
    };
    let Ok(mut sp) = tx.savepoint("top_queries") else {
        return;
    };
    let view = format!("{schema}.pg_stat_statements");
    let rows = sp.query(
        &format!(
            "SELECT query, calls, total_exec_time::bigint, (mean_exec_time * 1000)::bigint, rows,
                    (SELECT COALESCE(sum(total_exec_time), 0)::bigint FROM {view} t
                      WHERE t.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()))
               FROM {view}
              WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND query IS NOT NULL
              ORDER BY total_exec_time DESC LIMIT 20"
        ),
        &[],
    );
    if let Ok(rows) = rows {
        snap.total_query_time_ms = rows.first().map_or(0, |r| r.get(5));
        snap.top_queries = Some(
            rows.iter()
                .map(|r| prisma_audit_core::live::LiveQuery {
                    query: r.get(0),
                    calls: r.get(1),
                    total_time_ms: r.get(2),
                    mean_time_us: r.get(3),
                    rows: r.get(4),
                })
                .collect(),
        );
    }
    let _ = sp.rollback();
}

/// `"tenantId"` → `tenantId`; expressions stay as written.
fn unquote(c: &str) -> String {
    match c.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) if !inner.contains('"') || inner.contains("\"\"") => {
            inner.replace("\"\"", "\"")
        }
        _ => c.to_string(),
    }
}

/// Schemas of the system, never audited.
const USER_SCHEMAS: &str =
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'";

/// Tables, columns, keys, foreign keys and enums.
fn read_tables(
    tx: &mut postgres::Transaction<'_>,
    snap: &mut LiveSnapshot,
) -> Result<(), LiveError> {
    let mut tables: Vec<LiveTable> = tx
        .query(
            &format!(
                "SELECT n.nspname::text, c.relname::text, c.relrowsecurity,
                        (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)
                   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND {USER_SCHEMAS}
                  ORDER BY 1, 2"
            ),
            &[],
        )
        .map_err(query_err("tables"))?
        .iter()
        .map(|r| LiveTable {
            schema: r.get(0),
            name: r.get(1),
            rls_enabled: r.get(2),
            policies: r.get(3),
            ..LiveTable::default()
        })
        .collect();
    let find = |tables: &[LiveTable], schema: &str, name: &str| -> Option<usize> {
        tables
            .iter()
            .position(|t| t.schema == schema && t.name == name)
    };
    for r in tx
        .query(
            &format!(
                "SELECT n.nspname::text, c.relname::text, a.attname::text,
                        format_type(a.atttypid, a.atttypmod), a.attnotnull,
                        pg_get_expr(d.adbin, d.adrelid)
                   FROM pg_attribute a
                   JOIN pg_class c ON c.oid = a.attrelid
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                   LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                  WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
                    AND {USER_SCHEMAS}
                  ORDER BY 1, 2, a.attnum"
            ),
            &[],
        )
        .map_err(query_err("columns"))?
    {
        let (schema, table): (String, String) = (r.get(0), r.get(1));
        if let Some(i) = find(&tables, &schema, &table) {
            tables[i].columns.push(LiveColumn {
                name: r.get(2),
                data_type: r.get(3),
                not_null: r.get(4),
                default: r.get(5),
            });
        }
    }
    let action = |c: &str| match c {
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        _ => "NO ACTION",
    };
    for r in tx
        .query(
            &format!(
                "SELECT n.nspname::text, c.relname::text, con.conname::text, con.contype::text,
                        ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
                                JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num
                               ORDER BY k.ord),
                        rn.nspname::text, rc.relname::text,
                        ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
                                JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num
                               ORDER BY k.ord),
                        con.confdeltype::text, con.confupdtype::text
                   FROM pg_constraint con
                   JOIN pg_class c ON c.oid = con.conrelid
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                   LEFT JOIN pg_class rc ON rc.oid = con.confrelid
                   LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                  WHERE con.contype IN ('p', 'u', 'f') AND {USER_SCHEMAS}
                  ORDER BY 1, 2, 3"
            ),
            &[],
        )
        .map_err(query_err("constraints"))?
    {
        let (schema, table): (String, String) = (r.get(0), r.get(1));
        let Some(i) = find(&tables, &schema, &table) else {
            continue;
        };
        let (name, kind, columns): (String, String, Vec<String>) = (r.get(2), r.get(3), r.get(4));
        match kind.as_str() {
            "p" => tables[i].primary_key = Some((name, columns)),
            "u" => tables[i].uniques.push((name, columns)),
            _ => tables[i].foreign_keys.push(LiveForeignKey {
                name,
                columns,
                ref_schema: r.get::<_, Option<String>>(5).unwrap_or_default(),
                ref_table: r.get::<_, Option<String>>(6).unwrap_or_default(),
                ref_columns: r.get(7),
                on_delete: action(&r.get::<_, String>(8)).into(),
                on_update: action(&r.get::<_, String>(9)).into(),
            }),
        }
    }
    snap.tables = tables;
    snap.enums = tx
        .query(
            &format!(
                "SELECT n.nspname::text, t.typname::text,
                        array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
                   FROM pg_type t
                   JOIN pg_enum e ON e.enumtypid = t.oid
                   JOIN pg_namespace n ON n.oid = t.typnamespace
                  WHERE {USER_SCHEMAS}
                  GROUP BY 1, 2 ORDER BY 1, 2"
            ),
            &[],
        )
        .map_err(query_err("enums"))?
        .iter()
        .map(|r| LiveEnum {
            schema: r.get(0),
            name: r.get(1),
            values: r.get(2),
        })
        .collect();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prisma_parameters_are_left_out_of_the_connection() {
        let p = parse("postgresql://u:p@h:5432/db?schema=app&connection_limit=1&sslmode=require&application_name=x").unwrap();
        assert_eq!(p.conninfo, "postgresql://u:p@h:5432/db?application_name=x");
        assert_eq!(p.sslmode, "require");
        assert_eq!(p.schema.as_deref(), Some("app"));
        let p = parse("postgres://h/db?sslrootcert=%2Fetc%2Fca.pem").unwrap();
        assert_eq!(p.sslrootcert.as_deref(), Some("/etc/ca.pem"));
        assert_eq!(p.sslmode, "prefer");
        assert!(
            parse("mysql://h/db")
                .unwrap_err()
                .contains("PostgreSQL only")
        );
        assert!(parse("postgres://h/db?sslmode=maybe").is_err());
    }

    #[test]
    fn a_refused_connection_is_one_line_with_the_next_step() {
        // A port nothing listens on (connection refused at once).
        let err = snapshot(
            "postgresql://u:secret@127.0.0.1:1/db?sslmode=disable",
            &LiveOptions::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(!err.contains("secret"), "{err}");
        assert!(!err.contains('\n'), "{err}");
        assert!(err.contains("check the host and the port"), "{err}");
    }
}
