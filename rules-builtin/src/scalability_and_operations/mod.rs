//! Scalability and operations: Prisma versions and upgrades, preview features, connection
//! pooling, serverless deployment, generators, Prisma Client instantiation and id types.
//!
//! One file per rule, named after the rule id.

mod autoincrement_int_id;
mod backup_not_configured;
mod connection_pool_unsized;
mod connections_near_limit;
mod datasource_url_in_schema;
mod generator_binary_targets;
mod generator_engine_type;
mod generator_output_required;
mod interactive_transaction_io;
mod multiple_prisma_clients;
mod pooled_url_without_direct_url;
mod preview_feature_ga;
mod prisma_outdated;
mod prisma_version_mismatch;
mod sequence_near_max;
mod serverless_without_pooler;
mod transaction_id_wraparound;
