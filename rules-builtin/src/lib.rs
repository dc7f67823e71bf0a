//! Built-in rules of prisma-audit: one file per rule, grouped by category. Each file declares
//! its rule with `prisma_audit_core::declare_rule!`, which registers it through `inventory`.

mod data_integrity;
mod migrations;
pub(crate) mod model_roles;
pub(crate) mod naming;
mod operations;
mod performance;
#[allow(dead_code)] // shared by the schema rules being added
pub(crate) mod schema_edit;
mod security;
mod style;
mod tenancy;

#[cfg(test)]
pub(crate) mod test_util;

/// Call from bindings so the linker keeps this crate's registrations (see DEVELOPERS.md:
/// wasm32 drops `inventory::submit!`s of crates nothing references). Returns the number of
/// registered rules.
#[inline(never)]
pub fn link() -> usize {
    prisma_audit_core::rule::registry().len()
}
