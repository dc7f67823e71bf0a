//! Data integrity: schema validity, referential actions, timestamps, precision, tenancy.

mod invalid_schema;
mod fields;
mod referential;
