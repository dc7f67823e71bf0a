//! Scalability and operations: Prisma versions and upgrades, preview features, connection
//! pooling, serverless deployment, generators, and Prisma Client instantiation.

mod connection_pool_unsized;
mod datasource_url_in_schema;
mod generator_binary_targets;
mod generator_engine_type;
mod generator_output_required;
mod multiple_prisma_clients;
mod pooled_url_without_direct_url;
mod preview_feature_ga;
mod prisma_outdated;
mod prisma_version_mismatch;
mod serverless_without_pooler;
mod shadow_database_is_main;
mod versions;
