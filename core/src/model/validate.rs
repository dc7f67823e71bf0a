//! Semantic checks over the lowered model (relations are checked in `relations`).

use super::Schema;
use super::datasource::Provider;
use super::native_types::native_type_scalars;
use super::types::*;
use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub(crate) fn validate(
    schema: &Schema,
    no_datasource_span: Option<Span>,
    diags: &mut Vec<Diagnostic>,
) {
    let provider = schema.provider();
    if schema.datasources.is_empty()
        && let Some(span) = no_datasource_span
    {
        diags.push(Diagnostic::warning(
            span,
            "The schema has no `datasource` block: the database provider is unknown.",
        ));
    }
    if let Some(p) = provider
        && p != Provider::MongoDb
    {
        for c in &schema.composite_types {
            diags.push(Diagnostic::error(
                c.name_span,
                format!(
                    "Error validating: Composite types are not supported on {}.",
                    p.as_str()
                ),
            ));
        }
    }
    let views_enabled = schema
        .generators
        .iter()
        .any(|g| g.has_preview_feature("views"));
    for m in &schema.models {
        if m.is_view && !views_enabled {
            diags.push(Diagnostic::error(
                m.name_span,
                "Error validating: View definitions are only available with the `views` \
                 preview feature.",
            ));
        }
        validate_model(schema, m, provider, diags);
    }
    for c in &schema.composite_types {
        for f in &c.fields {
            validate_field(
                schema,
                (&c.name.as_str(), &c.field_details),
                f,
                provider,
                diags,
            );
        }
    }
}

fn validate_model(
    schema: &Schema,
    m: &Model,
    provider: Option<Provider>,
    diags: &mut Vec<Diagnostic>,
) {
    let kind = if m.is_view { "view" } else { "model" };
    // Primary keys.
    // Iterators, not collected lists: this runs for every model.
    let id_attrs = || m.fields.iter().filter_map(|f| m.id_of(f));
    let block_ids = || {
        m.block_indexes
            .iter()
            .filter(|i| i.kind == IndexKind::Primary)
    };
    for a in id_attrs().skip(1) {
        diags.push(Diagnostic::error(
            a.span,
            format!(
                "Error validating model \"{}\": At most one field must be marked as the id \
                 field with the `@id` attribute.",
                m.name
            ),
        ));
    }
    if let (Some(_), Some(block)) = (id_attrs().next(), block_ids().next()) {
        diags.push(Diagnostic::error(
            block.span,
            format!(
                "Error validating model \"{}\": Each model must have at most one id criteria. \
                 You can't have `@id` and `@@id` at the same time.",
                m.name
            ),
        ));
    }
    if !m.is_view
        && !m.is_ignored()
        && !m.has_unique_criteria()
        && provider != Some(Provider::MongoDb)
    {
        diags.push(Diagnostic::error(
            m.name_span,
            format!(
                "Error validating model \"{}\": Each model must have at least one unique \
                 criteria that has only required fields. Either mark a single field with `@id`, \
                 `@unique` or add a multi field criterion with `@@id([])` or `@@unique([])` to \
                 the model.",
                m.name
            ),
        ));
    }
    if provider == Some(Provider::MongoDb)
        && !m.is_view
        && !m.is_ignored()
        && m.primary_key().is_none()
    {
        diags.push(Diagnostic::error(
            m.name_span,
            format!(
                "Error validating model \"{}\": MongoDB models require exactly one identity \
                 field annotated with @id.",
                m.name
            ),
        ));
    }
    // Index columns must exist and be scalar.
    for idx in &m.block_indexes {
        let what = match idx.kind {
            IndexKind::Primary => "multi field id",
            IndexKind::Unique => "multi field unique",
            IndexKind::Normal => "index",
            IndexKind::Fulltext => "fulltext index",
        };
        let unknown: Vec<&IndexField> = idx
            .fields
            .iter()
            .filter(|c| c.field.is_none() && !c.name.contains('.'))
            .collect();
        if let Some(first) = unknown.first() {
            let names: Vec<&str> = unknown.iter().map(|c| c.name.as_str()).collect();
            diags.push(Diagnostic::error(
                first.span,
                format!(
                    "Error validating model \"{}\": The {what} definition refers to the unknown \
                     fields: {}.",
                    m.name,
                    names.join(", ")
                ),
            ));
        }
        let relations: Vec<&IndexField> = idx
            .fields
            .iter()
            .filter(|c| {
                c.field
                    .and_then(|f| m.field_at(f))
                    .is_some_and(|f| f.is_relation())
            })
            .collect();
        if let Some(first) = relations.first() {
            let names: Vec<&str> = relations.iter().map(|c| c.name.as_str()).collect();
            diags.push(Diagnostic::error(
                first.span,
                format!(
                    "Error validating model \"{}\": The {what} definition refers to the relation \
                     fields: {}. Index definitions must reference only scalar fields.",
                    m.name,
                    names.join(", ")
                ),
            ));
        }
        if idx.kind == IndexKind::Primary {
            for c in &idx.fields {
                if let Some(f) = c.field.and_then(|f| m.field_at(f))
                    && f.is_optional()
                {
                    diags.push(Diagnostic::error(
                        c.span,
                        format!(
                            "Error validating model \"{}\": The id definition refers to the \
                             optional fields: {}. Id definitions must reference only required \
                             fields.",
                            m.name, f.name
                        ),
                    ));
                }
            }
        }
        // Only the MySQL and MongoDB connectors support fulltext indexes (psl-core's
        // `FullTextIndex` capability); `prisma validate` rejects the attribute elsewhere.
        if idx.kind == IndexKind::Fulltext
            && provider.is_some_and(|p| !matches!(p, Provider::MySql | Provider::MongoDb))
        {
            diags.push(Diagnostic::error(
                idx.span,
                "Error parsing attribute \"@@fulltext\": Defining fulltext indexes is not \
                 supported with the current connector.",
            ));
        }
        if idx.algorithm.is_some() && idx.kind != IndexKind::Normal {
            diags.push(Diagnostic::error(
                idx.span,
                "The `type` argument is only allowed on `@@index`.",
            ));
        }
    }
    for f in &m.fields {
        // Formatted only if a message needs it.
        let owner = format_args!("{kind} \"{}\"", m.name);
        validate_field(schema, (&owner, &m.field_details), f, provider, diags);
    }
}

/// `owner`: how messages name the model or composite type holding `f`, and its field details.
fn validate_field(
    schema: &Schema,
    (owner, details): (&dyn std::fmt::Display, &FieldDetails),
    f: &Field,
    provider: Option<Provider>,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some(a) = details.id(f)
        && !f.is_required()
    {
        diags.push(Diagnostic::error(
            a.span,
            format!(
                "Error parsing attribute \"@id\": Fields that are marked as id must be required. \
                 (field `{}` of {owner})",
                f.name
            ),
        ));
    }
    if let (FieldType::Unsupported(_), Some(span)) = (&f.ty, f.ignored) {
        diags.push(Diagnostic::error(
            span,
            "Error parsing attribute \"@ignore\": Fields of type `Unsupported` cannot take an \
             `@ignore` attribute. They are already treated as ignored by the client due to their \
             type.",
        ));
    }
    if f.is_relation() {
        for (present, name) in [
            (details.id(f).map(|a| a.span), "@id"),
            (details.unique(f).map(|a| a.span), "@unique"),
            (details.default_value(f).map(|d| d.span), "@default"),
            (details.native_type(f).map(|d| d.span), "@db"),
            (f.map.as_ref().map(|m| m.span), "@map"),
        ] {
            if let Some(span) = present {
                diags.push(Diagnostic::error(
                    span,
                    format!(
                        "Error parsing attribute \"{name}\": The attribute is not allowed on \
                         relation field `{}`.",
                        f.name
                    ),
                ));
            }
        }
    } else if let Some(r) = details.relation(f) {
        diags.push(Diagnostic::error(
            r.span,
            format!(
                "Error parsing attribute \"@relation\": The field `{}` is not a relation field \
                 and cannot have a @relation attribute.",
                f.name
            ),
        ));
    }
    if let Some(span) = f.updated_at
        && f.ty != FieldType::Scalar(ScalarType::DateTime)
    {
        diags.push(Diagnostic::error(
            span,
            "Error parsing attribute \"@updatedAt\": Fields that are marked with @updatedAt \
             must be of type DateTime.",
        ));
    }
    if f.is_list()
        && !f.is_relation()
        && let Some(p) = provider
        && !p.supports_scalar_lists()
        && !matches!(f.ty, FieldType::Unknown(_))
    {
        diags.push(Diagnostic::error(
            f.type_span,
            format!(
                "Field \"{}\" in {owner} can't be a list. The current connector does not support \
                 lists of primitive types.",
                f.name
            ),
        ));
    }
    if let (Some(nt), Some(p)) = (details.native_type(f), provider) {
        match (native_type_scalars(p, &nt.ty.name), f.ty.as_scalar()) {
            (None, _) => diags.push(Diagnostic::error(
                nt.span,
                format!(
                    "Native type {} is not supported for {} connector.",
                    nt.ty.name,
                    p.as_str()
                ),
            )),
            (Some(allowed), Some(s)) if !allowed.contains(&s) => {
                let expected: Vec<&str> = allowed.iter().map(|a| a.as_str()).collect();
                diags.push(Diagnostic::error(
                    nt.span,
                    format!(
                        "Native type {} is not compatible with declared field type {}, expected \
                         field type {}.",
                        nt.ty.name,
                        s.as_str(),
                        expected.join(" or ")
                    ),
                ));
            }
            _ => {}
        }
    }
    if let Some(d) = details.default_value(f)
        && !f.is_relation()
    {
        check_default(schema, f, d, &d.kind, f.is_list(), diags);
    }
}

fn check_default(
    schema: &Schema,
    f: &Field,
    d: &DefaultValue,
    kind: &DefaultKind,
    list: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let err = |diags: &mut Vec<Diagnostic>, msg: String| {
        diags.push(Diagnostic::error(
            d.value_span,
            format!("Error parsing attribute \"@default\": {msg}"),
        ));
    };
    let scalar = f.ty.as_scalar();
    let type_name = match &f.ty {
        FieldType::Scalar(s) => s.as_str(),
        FieldType::Enum(e) => schema.enums.get(e.0 as usize).map_or("", |e| &e.name),
        _ => return,
    };
    let func = |name: &str, ok: bool, diags: &mut Vec<Diagnostic>| {
        if !ok {
            err(
                diags,
                format!("The function `{name}()` cannot be used on fields of type `{type_name}`."),
            );
        }
    };
    use ScalarType as S;
    match kind {
        DefaultKind::List(items) => {
            if !list {
                err(
                    diags,
                    format!("Expected a {type_name} value, but found a list."),
                );
            } else {
                for item in items {
                    check_default(schema, f, d, item, false, diags);
                }
            }
        }
        DefaultKind::Autoincrement => func(
            "autoincrement",
            matches!(scalar, Some(S::Int | S::BigInt)),
            diags,
        ),
        DefaultKind::Now => func("now", scalar == Some(S::DateTime), diags),
        DefaultKind::Uuid(_) => func("uuid", scalar == Some(S::String), diags),
        DefaultKind::Cuid(_) => func("cuid", scalar == Some(S::String), diags),
        DefaultKind::Nanoid(_) => func("nanoid", scalar == Some(S::String), diags),
        DefaultKind::Ulid => func("ulid", scalar == Some(S::String), diags),
        // `sequence()` exists on CockroachDB only: Prisma does not know the function elsewhere.
        DefaultKind::Sequence(_)
            if schema
                .provider()
                .is_some_and(|p| p != Provider::CockroachDb) =>
        {
            diags.push(Diagnostic::error(
                d.value_span,
                "Error parsing attribute \"@default\": Unknown function in @default(): \
                 `sequence` is not known. You can read about the available functions here: \
                 https://pris.ly/d/attribute-functions",
            ));
        }
        DefaultKind::Sequence(_) => func(
            "sequence",
            matches!(scalar, Some(S::Int | S::BigInt)),
            diags,
        ),
        DefaultKind::Auto | DefaultKind::DbGenerated(_) | DefaultKind::OtherFunction(_) => {}
        DefaultKind::String(_) => {
            if !matches!(
                scalar,
                Some(S::String | S::DateTime | S::Json | S::Bytes | S::Decimal)
            ) {
                err(
                    diags,
                    format!("Expected a {type_name} value, but found `{}`.", raw(d)),
                );
            }
        }
        DefaultKind::Number(n) => {
            let ok = match scalar {
                Some(S::Int | S::BigInt) => n.parse::<i64>().is_ok(),
                Some(S::Float | S::Decimal) => n.parse::<f64>().is_ok(),
                _ => false,
            };
            if !ok {
                err(
                    diags,
                    format!("Expected a {type_name} value, but found `{n}`."),
                );
            }
        }
        DefaultKind::Boolean(b) => {
            if scalar != Some(S::Boolean) {
                err(
                    diags,
                    format!("Expected a {type_name} value, but found `{b}`."),
                );
            }
        }
        DefaultKind::EnumValue(v) => match &f.ty {
            FieldType::Enum(e) => {
                let known = schema
                    .enums
                    .get(e.0 as usize)
                    .is_some_and(|e| e.value(v).is_some());
                if !known {
                    err(
                        diags,
                        format!(
                            "The defined default value `{v}` is not a valid value of the enum specified for the field."
                        ),
                    );
                }
            }
            _ => err(
                diags,
                format!("Expected a {type_name} value, but found `{v}`."),
            ),
        },
    }
}

fn raw(d: &DefaultValue) -> String {
    match &d.kind {
        DefaultKind::String(s) => format!("\"{s}\""),
        other => format!("{other:?}"),
    }
}
