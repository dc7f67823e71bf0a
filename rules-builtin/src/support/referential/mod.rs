//! What the referential-action rules share: what happens to child rows when a parent row is
//! deleted and whether the delete can succeed at all ([`delete_graph`]), which `onDelete`
//! actions a database accepts ([`action_checks`]), the model classification of
//! [`model_kinds`], and how relations are named in messages.

pub(crate) mod action_checks;
pub(crate) mod delete_graph;
pub(crate) mod model_kinds;

use prisma_audit_core::diagnostic::DiagnosticLevel;
use prisma_audit_core::model::{Field, Model, ModelId, Relation, RelationKind, Schema};
use prisma_audit_core::rule::RuleContext;
use prisma_audit_core::span::Span;

/// The name of a model (empty if unknown).
pub(crate) fn model_name(schema: &Schema, id: ModelId) -> &str {
    schema.model_by_id(id).map_or("", |m| m.name.as_str())
}

/// The relation field holding the foreign key.
pub(crate) fn referencing_field<'a>(schema: &'a Schema, r: &Relation) -> Option<&'a Field> {
    schema.field(r.referencing)
}

/// `Model.field` of the relation field holding the foreign key.
pub(crate) fn referencing_path(schema: &Schema, r: &Relation) -> String {
    format!(
        "{}.{}",
        model_name(schema, r.referencing_model),
        referencing_field(schema, r).map_or("", |f| f.name.as_str())
    )
}

/// The foreign key fields, as "`a`" or "`a`, `b`".
pub(crate) fn fk_list(schema: &Schema, r: &Relation) -> String {
    r.fields
        .iter()
        .filter_map(|f| schema.field(*f))
        .map(|f| format!("`{}`", f.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A model that is a table: not a view (declared with `view`, or a model documented as one
/// with a `/// @view` line above it, the convention of schemas written before views existed),
/// not `@@ignore`d.
pub(crate) fn is_table(ctx: &RuleContext<'_>, model: &Model) -> bool {
    if model.is_view || model.is_ignored() {
        return false;
    }
    if model
        .doc
        .as_deref()
        .is_some_and(|d| d.lines().any(|l| l.trim() == "@view"))
    {
        return false;
    }
    // The comment block above the model, blank lines included (a doc comment separated by a
    // blank line is not attached to the model, but still marks it).
    let text = ctx.text(model.span.file);
    let start = usize::from(model.span.range.start()).min(text.len());
    for line in text[..start].lines().rev() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if !line.starts_with("//") {
            break;
        }
        if line.trim_start_matches('/').trim() == "@view" {
            return false;
        }
    }
    true
}

/// A 1:1 or 1:n relation with a foreign key, between tables, nothing ignored.
pub(crate) fn is_checkable(ctx: &RuleContext<'_>, r: &Relation) -> bool {
    let schema = ctx.schema;
    let usable = |m: ModelId| schema.model_by_id(m).is_some_and(|m| is_table(ctx, m));
    r.kind != RelationKind::ManyToMany
        && !r.fields.is_empty()
        && usable(r.referencing_model)
        && usable(r.referenced_model)
        && referencing_field(schema, r).is_some_and(|f| !f.is_ignored())
}

/// Whether the schema validator already reported an error at `span` (then `invalid-schema`
/// reports it and the referential rules stay silent).
pub(crate) fn has_error_at(ctx: &RuleContext<'_>, span: Span) -> bool {
    ctx.diagnostics
        .iter()
        .any(|d| d.level == DiagnosticLevel::Error && d.span == span)
}

/// The related location for the parent side: the back-relation field, else the parent model.
pub(crate) fn parent_side(schema: &Schema, r: &Relation) -> Option<(Span, String)> {
    let parent = schema.model_by_id(r.referenced_model)?;
    match r.referenced.and_then(|f| schema.field(f)) {
        Some(back) => Some((
            back.span,
            format!("`{}.{}`: the parent side", parent.name, back.name),
        )),
        None => Some((
            parent.name_span,
            format!("`{}`: the parent model", parent.name),
        )),
    }
}

/// "a `Sale`" / "an `InventoryItem`".
pub(crate) fn a(name: &str) -> String {
    let lower = name.to_lowercase();
    let vowel = lower.starts_with(['a', 'e', 'i', 'o', 'u'])
        && !["us", "uni", "uti", "uk", "eu", "one"]
            .iter()
            .any(|p| lower.starts_with(p));
    format!("{} `{name}`", if vowel { "an" } else { "a" })
}

/// The foreign key fields with their optional type, as "`a String?`, `b Int?`".
pub(crate) fn optional_fk_types(ctx: &RuleContext<'_>, r: &Relation) -> String {
    r.fields
        .iter()
        .filter_map(|f| ctx.schema.field(*f))
        .map(|f| {
            let ty = crate::support::schema_edit::span_text(ctx, f.type_span).trim_end_matches('?');
            format!("`{} {ty}?`", f.name)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::findings;

    const VET: &str = include_str!("../../../../examples/vet-clinic/prisma/schema.prisma");

    fn lines(id: &str) -> Vec<(u32, bool)> {
        findings(id, &[("prisma/schema.prisma", VET)])
            .iter()
            .map(|f| (f.location.as_ref().unwrap().start.line, f.fix.is_some()))
            .collect()
    }

    /// examples/vet-clinic/README.md, "Deliberate problems" 8 and 9.
    #[test]
    fn vet_clinic() {
        assert_eq!(
            lines("restrict-on-optional-relation"),
            [(599, true), (600, true), (638, true)]
        );
        // One finding per parent: `Customer` (its deletes are planned for: reminders
        // cascade), and `User` (a tenant's cascade reaches it). Pets, appointments and sales
        // are no evident dependents of a customer, and the user's children are history or
        // attribution records: no automatic fix.
        let blocked = findings(
            "delete-blocked-by-relation",
            &[("prisma/schema.prisma", VET)],
        );
        let summary: Vec<(u32, Vec<u32>, bool)> = blocked
            .iter()
            .map(|f| {
                (
                    f.location.as_ref().unwrap().start.line,
                    f.related.iter().map(|r| r.location.start.line).collect(),
                    f.fix.is_some(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (80, vec![570, 660, 637, 153, 93], false),
                (182, vec![243, 274, 568, 460], false),
            ]
        );
        assert!(lines("set-null-on-required-relation").is_empty());
        assert!(lines("cascade-deletes-history").is_empty());
    }
}
