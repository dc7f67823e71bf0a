//! Data integrity: schema validity, referential actions, timestamps, precision, tenancy.

mod fields;
mod invalid_schema;
mod referential;
