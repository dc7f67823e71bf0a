//! Style and conventions: the rules of prisma-lint 0.13 under the same ids and option names
//! (off by default; a `.prismalintrc.json` maps onto them 1:1; shared code in
//! [`crate::support::prisma_lint`]) and relation naming.
//!
//! One file per rule, named after the rule id.

mod ban_unbounded_string_type;
mod enum_name_pascal_case;
mod enum_value_case;
mod field_name_camel_case;
mod field_name_grammatical_number;
mod field_name_mapping_snake_case;
mod field_order;
mod forbid_field;
mod forbid_required_ignored_field;
mod model_name_grammatical_number;
mod model_name_mapping_snake_case;
mod model_name_pascal_case;
mod model_name_prefix;
mod require_default_empty_arrays;
mod require_field;
mod require_field_index;
mod require_field_type;
mod unnamed_relation;
