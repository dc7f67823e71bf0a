//! Performance: indexes (foreign keys, redundancy, multi-tenant access paths) and column
//! types that hurt.
//!
//! One file per rule, named after the rule id.

mod composite_index_heuristic;
mod deep_include;
mod expensive_query;
mod invalid_index;
mod large_bytes_column;
mod missing_fk_index;
mod n_plus_one_query;
mod offset_pagination;
mod query_index_advisor;
mod redundant_index;
mod tenant_index_not_leading;
mod unbounded_find_many;
mod unused_index;
