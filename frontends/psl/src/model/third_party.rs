//! Tables a library owns rather than the project: authentication adapters, job queues,
//! introspected platform schemas, other migration tools' bookkeeping.
//!
//! A project declares these models so Prisma Client can read them, but their shape is the
//! library's: advice on their columns, indexes or referential actions is advice to the
//! library's authors. The engine leaves them out of the report unless the configuration asks
//! for them (`audit-third-party-models = true`).
//!
//! Recognition is by table name, database schema and, for names a project might also choose
//! (`Account`, `Session`), by the columns the library requires, so a project's own `Session`
//! model is still audited.

use super::Model;

/// The library that owns `model`'s table, when it is a well-known library's table.
pub fn owner(model: &Model) -> Option<&'static str> {
    let table = model.db_name();
    let db_schema = model.schema.as_ref().map(|s| s.value.as_str());
    if let Some(owner) = by_db_schema(db_schema, table) {
        return Some(owner);
    }
    if let Some(owner) = by_table_name(table) {
        return Some(owner);
    }
    by_shape(model)
}

/// Database schemas a platform creates and manages.
fn by_db_schema(db_schema: Option<&str>, table: &str) -> Option<&'static str> {
    match db_schema? {
        "auth" if SUPABASE_AUTH_TABLES.contains(&table) => Some("Supabase Auth"),
        "storage" if SUPABASE_STORAGE_TABLES.contains(&table) => Some("Supabase Storage"),
        "realtime"
        | "supabase_functions"
        | "supabase_migrations"
        | "vault"
        | "pgsodium"
        | "graphql"
        | "net"
        | "cron" => Some("Supabase"),
        "neon_auth" => Some("Neon Auth"),
        "pgboss" => Some("pg-boss"),
        "graphile_worker" => Some("Graphile Worker"),
        _ => None,
    }
}

/// Tables of Supabase's `auth` schema (introspected with `multiSchema`).
const SUPABASE_AUTH_TABLES: &[&str] = &[
    "audit_log_entries",
    "custom_oauth_providers",
    "flow_state",
    "identities",
    "instances",
    "mfa_amr_claims",
    "mfa_challenges",
    "mfa_factors",
    "oauth_authorizations",
    "oauth_client_states",
    "oauth_clients",
    "oauth_consents",
    "one_time_tokens",
    "refresh_tokens",
    "saml_providers",
    "saml_relay_states",
    "schema_migrations",
    "sessions",
    "sso_domains",
    "sso_providers",
    "users",
    "webauthn_challenges",
    "webauthn_credentials",
];

/// Tables of Supabase's `storage` schema.
const SUPABASE_STORAGE_TABLES: &[&str] = &[
    "buckets",
    "buckets_analytics",
    "migrations",
    "objects",
    "prefixes",
    "s3_multipart_uploads",
    "s3_multipart_uploads_parts",
];

/// Table names (or prefixes, ending in `_`) that only a library or another tool uses.
fn by_table_name(table: &str) -> Option<&'static str> {
    const PREFIXES: &[(&str, &str)] = &[
        ("jackson_", "SAML Jackson"),
        ("django_", "Django"),
        ("knex_migrations", "Knex"),
        ("graphile_worker_", "Graphile Worker"),
    ];
    const EXACT: &[(&str, &str)] = &[
        ("_prisma_migrations", "Prisma Migrate"),
        ("spatial_ref_sys", "PostGIS"),
        ("geography_columns", "PostGIS"),
        ("geometry_columns", "PostGIS"),
        ("schema_migrations", "another migration tool"),
        ("ar_internal_metadata", "Rails"),
        ("SequelizeMeta", "Sequelize"),
        ("typeorm_metadata", "TypeORM"),
        ("pgmigrations", "node-pg-migrate"),
    ];
    EXACT
        .iter()
        .find(|(name, _)| *name == table)
        .or_else(|| PREFIXES.iter().find(|(p, _)| table.starts_with(p)))
        .map(|(_, owner)| *owner)
}

/// Adapter tables recognised by the columns the adapter requires.
fn by_shape(model: &Model) -> Option<&'static str> {
    let has = |names: &[&str]| names.iter().all(|n| model.field(n).is_some());
    let name = model.name.as_str();
    // Auth.js / NextAuth.js adapter (`@auth/prisma-adapter`, `@next-auth/prisma-adapter`).
    let authjs = match name {
        "Account" | "account" | "Accounts" | "accounts" => {
            has(&["provider", "providerAccountId"])
                || has(&["provider", "provider_account_id"])
                || has(&["providerId", "providerAccountId"])
        }
        "Session" | "session" | "Sessions" | "sessions" => {
            has(&["sessionToken", "expires"]) || has(&["session_token", "expires"])
        }
        "VerificationToken"
        | "verificationToken"
        | "VerificationTokens"
        | "verification_token"
        | "verification_tokens" => has(&["identifier", "token", "expires"]),
        "Authenticator" | "authenticator" => has(&["credentialID", "credentialPublicKey"]),
        _ => false,
    };
    if authjs {
        return Some("Auth.js");
    }
    // Better Auth's core schema (`better-auth` Prisma adapter).
    let better_auth = match name {
        "Account" | "account" => has(&["accountId", "providerId", "userId"]),
        "Session" | "session" => has(&["token", "expiresAt", "userId", "ipAddress"]),
        "Verification" | "verification" => has(&["identifier", "value", "expiresAt"]),
        "Passkey" | "passkey" => has(&["publicKey", "credentialID"]),
        "TwoFactor" | "twoFactor" => has(&["secret", "backupCodes"]),
        "Jwks" | "jwks" => has(&["publicKey", "privateKey"]),
        _ => false,
    };
    if better_auth {
        return Some("Better Auth");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names() {
        assert_eq!(by_table_name("jackson_store"), Some("SAML Jackson"));
        assert_eq!(by_table_name("_prisma_migrations"), Some("Prisma Migrate"));
        assert_eq!(by_table_name("jackson"), None);
        assert_eq!(by_table_name("orders"), None);
    }

    #[test]
    fn db_schemas() {
        assert_eq!(by_db_schema(Some("auth"), "users"), Some("Supabase Auth"));
        // A project's own `auth` schema with its own tables is the project's.
        assert_eq!(by_db_schema(Some("auth"), "api_keys"), None);
        assert_eq!(
            by_db_schema(Some("neon_auth"), "users_sync"),
            Some("Neon Auth")
        );
        assert_eq!(by_db_schema(None, "users"), None);
    }
}
