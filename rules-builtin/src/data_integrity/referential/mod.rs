//! Referential actions: what happens to child rows when a parent row is deleted, and whether
//! the delete can succeed at all (see [`delete_graph`]), with the model classification of
//! [`model_kinds`].

mod cascade_deletes_history;
mod delete_blocked_by_relation;
mod delete_graph;
mod model_kinds;
mod restrict_on_optional_relation;
mod set_null_on_required_relation;

use prisma_audit_core::diagnostic::DiagnosticLevel;
use prisma_audit_core::model::{Field, ModelId, Relation, RelationKind, Schema};
use prisma_audit_core::rule::RuleContext;
use prisma_audit_core::span::Span;

/// The name of a model (empty if unknown).
fn model_name(schema: &Schema, id: ModelId) -> &str {
    schema.model_by_id(id).map_or("", |m| m.name.as_str())
}

/// The relation field holding the foreign key.
fn referencing_field<'a>(schema: &'a Schema, r: &Relation) -> Option<&'a Field> {
    schema.field(r.referencing)
}

/// `Model.field` of the relation field holding the foreign key.
fn referencing_path(schema: &Schema, r: &Relation) -> String {
    format!(
        "{}.{}",
        model_name(schema, r.referencing_model),
        referencing_field(schema, r).map_or("", |f| f.name.as_str())
    )
}

/// The foreign key fields, as "`a`" or "`a`, `b`".
fn fk_list(schema: &Schema, r: &Relation) -> String {
    r.fields
        .iter()
        .filter_map(|f| schema.field(*f))
        .map(|f| format!("`{}`", f.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A 1:1 or 1:n relation with a foreign key, between models (not views), nothing ignored.
fn is_checkable(schema: &Schema, r: &Relation) -> bool {
    let usable = |m: ModelId| {
        schema
            .model_by_id(m)
            .is_some_and(|m| !m.is_view && !m.is_ignored())
    };
    r.kind != RelationKind::ManyToMany
        && !r.fields.is_empty()
        && usable(r.referencing_model)
        && usable(r.referenced_model)
        && referencing_field(schema, r).is_some_and(|f| !f.is_ignored())
}

/// Whether the schema validator already reported an error at `span` (then `invalid-schema`
/// reports it and the referential rules stay silent).
fn has_error_at(ctx: &RuleContext<'_>, span: Span) -> bool {
    ctx.diagnostics
        .iter()
        .any(|d| d.level == DiagnosticLevel::Error && d.span == span)
}

/// The related location for the parent side: the back-relation field, else the parent model.
fn parent_side(schema: &Schema, r: &Relation) -> Option<(Span, String)> {
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
fn a(name: &str) -> String {
    let lower = name.to_lowercase();
    let vowel = lower.starts_with(['a', 'e', 'i', 'o', 'u'])
        && !["us", "uni", "uti", "uk", "eu", "one"]
            .iter()
            .any(|p| lower.starts_with(p));
    format!("{} `{name}`", if vowel { "an" } else { "a" })
}

/// The foreign key fields with their optional type, as "`a String?`, `b Int?`".
fn optional_fk_types(ctx: &RuleContext<'_>, r: &Relation) -> String {
    r.fields
        .iter()
        .filter_map(|f| ctx.schema.field(*f))
        .map(|f| {
            let ty = crate::schema_edit::span_text(ctx, f.type_span).trim_end_matches('?');
            format!("`{} {ty}?`", f.name)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use crate::test_util::findings;

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
        let blocked = lines("delete-blocked-by-relation");
        // Pet and Appointment are owned by the customer (Cascade fix); Sale is history.
        for expected in [(243, true), (274, true), (568, false)] {
            assert!(blocked.contains(&expected), "{expected:?} in {blocked:?}");
        }
        // The other implicit blocks are history or attribution records: reported, no fix.
        assert_eq!(
            blocked
                .iter()
                .filter(|(_, fix)| !fix)
                .map(|(l, _)| *l)
                .collect::<Vec<_>>(),
            [153, 391, 568, 570, 637, 660]
        );
        assert!(lines("set-null-on-required-relation").is_empty());
        assert!(lines("cascade-deletes-history").is_empty());
    }
}
