//! Security: committed secrets, TLS, network exposure and privileges of the database
//! connection, row-level security and `SECURITY DEFINER` functions in migrations.
//!
//! One file per rule, named after the rule id.

mod committed_secret;
mod database_public_ip;
mod database_superuser;
mod database_url_no_tls;
mod live_rls_disabled;
mod raw_sql_injection;
mod rls_policy_without_rls;
mod security_definer_search_path;
mod tenant_unscoped_query;
