//! Multi-tenancy: tenant keys, tenant-scoped uniques and tenant-leading indexes. Every rule is
//! silent on schemas that are not multi-tenant (see [`tenant_key`]).

mod tenant_index_not_leading;
pub(crate) mod tenant_key;
mod tenant_key_missing;
mod tenant_unscoped_unique;
