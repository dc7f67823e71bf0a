//! Built-in rules of prisma-audit: one file per rule, in the folder of the rule's category
//! (`src/<category>/<rule_id>.rs`, checked by `tests/layout.rs`). Each file declares its rule
//! with `prisma_audit_core::declare_rule!`, which registers it through `inventory`. Code the
//! rules share lives in `src/support/`; facts about good practice that are not rules (the
//! report's strengths) live in `src/strengths/`.

mod data_integrity;
mod migration_integrity;
mod performance;
mod scalability_and_operations;
mod security;
mod strengths;
mod style;
pub(crate) mod support;

/// Call from bindings so the linker keeps this crate's registrations (see DEVELOPERS.md:
/// wasm32 drops `inventory::submit!`s of crates nothing references). Returns the number of
/// registered rules.
#[inline(never)]
pub fn link() -> usize {
    prisma_audit_core::rule::registry().len()
}

/// The rules that judge the application's Prisma Client calls (read by the TypeScript front
/// end); all but `multiple-prisma-clients` are off by default.
pub const APPLICATION_CODE_RULES: &[&str] = &[
    "raw-sql-injection",
    "tenant-unscoped-query",
    "n-plus-one-query",
    "unbounded-find-many",
    "deep-include",
    "offset-pagination",
    "float-money-arithmetic",
    "check-then-write-race",
    "interactive-transaction-io",
    "migration-breaks-code",
    "query-index-advisor",
    "multiple-prisma-clients",
];

#[cfg(test)]
mod application_code_rules {
    /// Every listed rule exists.
    #[test]
    fn are_registered() {
        let ids: Vec<&str> = prisma_audit_core::rule::rule_metas()
            .iter()
            .map(|m| m.id)
            .collect();
        for id in super::APPLICATION_CODE_RULES {
            assert!(ids.contains(id), "{id}");
        }
    }
}
