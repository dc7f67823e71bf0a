//! Data integrity: schema validity, referential actions, timestamps, numeric and text
//! precision, tenant keys, and anything else that can lose or corrupt data.
//!
//! One file per rule, named after the rule id.

mod cascade_deletes_history;
mod char_column;
mod check_then_write_race;
mod decimal_default_precision_in_migration;
mod decimal_without_precision;
mod delete_blocked_by_relation;
mod duplicated_unique_across_one_to_one;
mod float_for_money;
mod float_money_arithmetic;
mod invalid_schema;
mod missing_timestamps;
mod mysql_long_string;
mod nullable_column_in_unique;
mod pg_money_type;
mod restrict_on_optional_relation;
mod set_null_on_required_relation;
mod shadow_database_is_main;
mod tenant_key_missing;
mod tenant_unscoped_unique;
mod timestamp_precision_zero;
mod timestamp_without_time_zone;
mod updated_at_without_attribute;
