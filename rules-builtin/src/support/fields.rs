//! Helpers of the field-level rules: the timestamp names accepted by default, the project's
//! SQL, the models a schema rule looks at, `Decimal` attributes, and insertion of a member line
//! next to a field. [`crate::support::field_meaning`] classifies numeric field names.

use crate::support::schema_edit::{insert_at, insert_field_line, member_indent, newline};
use prisma_audit_core::model::{Field, Model, Provider, Schema};
use prisma_audit_core::rule::{RawEdit, RuleContext};

/// Default names accepted as a creation timestamp.
pub(crate) const CREATED_AT_NAMES: &[&str] = &[
    "createdAt",
    "created_at",
    "createdOn",
    "created_on",
    "dateCreated",
    "insertedAt",
    "inserted_at",
];

/// Default names accepted as an update timestamp.
pub(crate) const UPDATED_AT_NAMES: &[&str] = &[
    "updatedAt",
    "updated_at",
    "updatedOn",
    "updated_on",
    "modifiedAt",
    "modified_at",
    "lastModified",
    "dateModified",
];

/// Owned copies of a default name list (serde option defaults).
pub(crate) fn owned(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// The project's SQL (migrations and any other `.sql` file), lower-cased, for rules that look
/// for objects Prisma cannot declare (triggers, partial indexes).
pub(crate) fn project_sql(ctx: &RuleContext<'_>) -> String {
    let mut sql = String::new();
    for (_, file) in ctx.project.files() {
        if file.path().ends_with(".sql")
            && let Some(text) = file.text()
        {
            sql.push_str(&text.to_ascii_lowercase());
            sql.push_str(";\n");
        }
    }
    sql
}

/// Models a schema rule looks at: not views, not `@@ignore`d.
pub(crate) fn checked_models(schema: &Schema) -> impl Iterator<Item = &Model> {
    schema.models().filter(|m| !m.is_ignored())
}

/// Models whose fields are table columns: not views, not `@@ignore`d.
pub(crate) fn table_models(
    schema: &prisma_audit_core::model::Schema,
) -> impl Iterator<Item = &prisma_audit_core::model::Model> {
    schema.models().filter(|m| !m.is_ignored())
}

/// Whether `@db.Decimal(p, s)` exists for the provider.
pub(crate) fn has_native_decimal(provider: Option<Provider>) -> bool {
    matches!(
        provider,
        Some(Provider::PostgreSql | Provider::CockroachDb | Provider::MySql | Provider::SqlServer)
    )
}

/// `@db.Decimal(p, s)` with the datasource's name as prefix (`@mydb.Decimal(...)`).
pub(crate) fn decimal_attribute(schema: &Schema, (p, s): (u32, u32)) -> String {
    let ds = schema.datasource().map_or("db", |d| d.name.as_str());
    format!("@{ds}.Decimal({p}, {s})")
}

/// Insert a member line right after `field`'s line (falls back to after the last field).
pub(crate) fn insert_line_after(
    ctx: &RuleContext<'_>,
    model: &Model,
    field: &Field,
    line: &str,
) -> Option<RawEdit> {
    let text = ctx.text(model.span.file);
    let end = usize::from(field.span.range.end()).min(text.len());
    let model_end = usize::from(model.span.range.end()).min(text.len());
    match text[end..].find('\n') {
        Some(i) if end + i < model_end && !text[end..end + i].contains('}') => {
            let indent = member_indent(ctx, model);
            let nl = newline(text);
            Some(insert_at(
                model.span.file,
                end + i + 1,
                format!("{indent}{line}{nl}"),
            ))
        }
        _ => insert_field_line(ctx, model, line),
    }
}

/// Insert a member line just before `field`'s line when the field starts its line
/// (falls back to after the last field).
pub(crate) fn insert_line_before(
    ctx: &RuleContext<'_>,
    model: &Model,
    field: &Field,
    line: &str,
) -> Option<RawEdit> {
    let text = ctx.text(model.span.file);
    let start = usize::from(field.span.range.start()).min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    if line_start > usize::from(model.span.range.start())
        && text[line_start..start].trim().is_empty()
    {
        let indent = member_indent(ctx, model);
        let nl = newline(text);
        Some(insert_at(
            model.span.file,
            line_start,
            format!("{indent}{line}{nl}"),
        ))
    } else {
        insert_field_line(ctx, model, line)
    }
}
