//! Code the rules share and that is no rule of its own: text edits for fixes, name analysis
//! and case conversion, model roles, index and referential-action analysis, connection URLs,
//! migration-history helpers, Prisma versions, tenant-key detection, and test helpers.

pub(crate) mod app_code;
pub(crate) mod case;
pub(crate) mod connections;
pub(crate) mod drift;
pub(crate) mod field_meaning;
pub(crate) mod fields;
pub(crate) mod indexes;
pub(crate) mod live;
pub(crate) mod migration;
pub(crate) mod model_roles;
pub(crate) mod naming;
pub(crate) mod prisma_lint;
pub(crate) mod referential;
pub(crate) mod regex;
#[allow(dead_code)] // shared by the schema rules being added
pub(crate) mod schema_edit;
pub(crate) mod tenancy;
pub(crate) mod versions;

#[cfg(test)]
pub(crate) mod test_util;
