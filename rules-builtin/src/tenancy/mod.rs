//! Multi-tenancy: tenant keys, tenant-scoped uniques and tenant-leading indexes. Every rule is
//! silent on schemas that are not multi-tenant (see [`tenant_key`]).

#[allow(dead_code)]
pub(crate) mod tenant_key;
