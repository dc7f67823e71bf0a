//! Semantic checks over the lowered model (relations are checked in `relations`).

use super::Schema;
use super::datasource::Provider;
use super::native_types::{NativeArgKind, native_type_args, native_type_scalars};
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
    for c in &schema.composite_types {
        if c.fields.is_empty() {
            diags.push(Diagnostic::error(
                c.name_span,
                "Error validating: A type must have at least one field defined.",
            ));
        }
    }
    let preview = |feature: &str| {
        schema
            .generators
            .iter()
            .any(|g| g.has_preview_feature(feature))
    };
    if let Some(ds) = schema.datasource()
        && let Some(e) = ds.entries.iter().find(|e| e.key == "extensions")
        && !preview("postgresqlExtensions")
    {
        diags.push(Diagnostic::error(
            e.key_span,
            "The `extensions` property is only available with the `postgresqlExtensions` preview \
             feature.",
        ));
    }
    // `@@schema` needs a connector with schemas and a name listed in the datasource's `schemas`.
    if let Some(ds) = schema.datasource() {
        let multi = matches!(
            provider,
            Some(Provider::PostgreSql | Provider::CockroachDb | Provider::SqlServer)
        );
        let placed = schema
            .models
            .iter()
            .filter_map(|m| m.schema.as_ref())
            .chain(schema.enums.iter().filter_map(|e| e.schema.as_ref()));
        for s in placed {
            if provider.is_some() && !multi {
                diags.push(Diagnostic::error(
                    s.span,
                    "@@schema is not supported on the current datasource provider",
                ));
            } else if multi && !ds.schemas.iter().any(|d| d.value == s.value.as_str()) {
                diags.push(Diagnostic::error(
                    s.span,
                    "This schema is not defined in the datasource. Read more on `@@schema` at \
                     https://pris.ly/d/multi-schema",
                ));
            }
        }
    }
    // With `schemas` in the datasource, every model and enum says which one it lives in.
    if let Some(ds) = schema.datasource()
        && !ds.schemas.is_empty()
        && matches!(
            provider,
            Some(Provider::PostgreSql | Provider::CockroachDb | Provider::SqlServer)
        )
    {
        let models = schema
            .models
            .iter()
            .filter(|m| m.schema.is_none())
            .map(|m| (m.name_span, "model", &m.name));
        let enums = schema
            .enums
            .iter()
            .filter(|e| e.schema.is_none())
            .map(|e| (e.name_span, "enum", &e.name));
        for (span, what, name) in models.chain(enums) {
            diags.push(Diagnostic::error(
                span,
                format!(
                    "Error validating {what} \"{name}\": This {what} is missing an `@@schema` \
                     attribute."
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
    if let Some(p) = provider {
        validate_constraint_names(schema, p, diags);
    }
    for c in &schema.composite_types {
        for f in &c.fields {
            if let Some(d) = c.field_details.default_value(f)
                && d.kind == DefaultKind::Autoincrement
            {
                diags.push(Diagnostic::error(
                    d.span,
                    "Error parsing attribute \"@default\": The function `autoincrement()` is not \
                     supported on composite fields.",
                ));
            }
            if let Some(d) = c.field_details.default_value(f) {
                let msg = match d.kind {
                    DefaultKind::Nanoid(_) => Some(format!(
                        "The function `nanoid()` cannot be used on fields of type `{}`.",
                        f.ty.as_scalar().map_or("", |s| s.as_str())
                    )),
                    DefaultKind::Auto => {
                        Some("The function `auto()` is not supported on composite fields.".into())
                    }
                    _ => None,
                };
                if let Some(msg) = msg {
                    diags.push(Diagnostic::error(
                        d.span,
                        format!("Error parsing attribute \"@default\": {msg}"),
                    ));
                }
            }
            for (attr, span) in [
                ("@id", c.field_details.id(f).map(|a| a.span)),
                ("@unique", c.field_details.unique(f).map(|a| a.span)),
            ] {
                if let Some(span) = span {
                    diags.push(Diagnostic::error(
                        span,
                        format!(
                            "Error validating: Defining `{attr}` attribute for a field in a \
                             composite type is not allowed."
                        ),
                    ));
                }
            }
            if let FieldType::Model(target) = f.ty {
                let target = schema.model_by_id(target).map_or("", |m| m.name.as_str());
                diags.push(Diagnostic::error(
                    f.span,
                    format!(
                        "Error validating composite type \"{}\": {target} refers to a model, \
                         making this a relation field. Relation fields inside composite types are \
                         not supported.",
                        c.name
                    ),
                ));
            }
            if f.ty == FieldType::Composite(c.id) && f.is_required() {
                diags.push(Diagnostic::error(
                    f.span,
                    format!(
                        "Error validating field `{}` in composite type `{}`: The type is the same as \
                         the parent and causes an endless cycle. Please change the field to be \
                         either optional or a list.",
                        f.name, c.name
                    ),
                ));
            }
            validate_field(
                schema,
                (&c.name.as_str(), &c.field_details),
                None,
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
    if provider == Some(Provider::MongoDb) && !m.is_view {
        for f in m.fields.iter().filter(|f| m.id_of(f).is_some()) {
            if let Some(u) = m.unique_of(f) {
                diags.push(Diagnostic::error(
                    u.span,
                    "Error parsing attribute \"@unique\": The same field cannot be an id and \
                     unique on MongoDB.",
                ));
            }
            if f.db_name() != "_id" {
                diags.push(Diagnostic::error(
                    f.span,
                    format!(
                        "Error validating field `{}` in model `{}`: MongoDB model IDs must have an \
                         @map(\"_id\") annotation.",
                        f.name, m.name
                    ),
                ));
            }
        }
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
        // Unknown columns; a dotted path (`address.city`, MongoDB) must lead through composite
        // types to a field.
        let unknown: Vec<(&IndexField, String)> = idx
            .fields
            .iter()
            .filter(|c| c.field.is_none())
            .filter_map(|c| match c.name.split_once('.') {
                None => Some((c, c.name.to_string())),
                Some((head, rest)) => {
                    let start = m.field(head).map(|f| &f.ty);
                    unknown_path(schema, start, rest).map(|u| (c, u.unwrap_or(c.name.to_string())))
                }
            })
            .collect();
        if let Some((first, _)) = unknown.first() {
            let names: Vec<&str> = unknown.iter().map(|(_, n)| n.as_str()).collect();
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
                // A list is not a required field here (it is in `@@unique`).
                if let Some(f) = c.field.and_then(|f| m.field_at(f))
                    && !f.is_required()
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
    }
    for f in &m.fields {
        // Formatted only if a message needs it.
        let owner = format_args!("{kind} \"{}\"", m.name);
        validate_field(
            schema,
            (&owner, &m.field_details),
            Some(m),
            f,
            provider,
            diags,
        );
    }
    if let Some(p) = provider {
        validate_connector_arguments(m, p, diags);
    }
}

/// Index and key arguments the connector does not support (psl-core's connector capabilities):
/// `map:` on primary keys (MySQL, SQLite, MongoDB) and foreign keys (SQLite, MongoDB), `sort:`
/// in primary keys (SQL Server only), `length:` (MySQL only, on `String` and `Bytes`),
/// `clustered:` (SQL Server only, one clustered index or key per model), `ops:` outside
/// `@@index`, and index types other than `BTree` (PostgreSQL; `Gin` on CockroachDB too).
fn validate_connector_arguments(m: &Model, p: Provider, diags: &mut Vec<Diagnostic>) {
    let error = |diags: &mut Vec<Diagnostic>, span: Span, attr: &str, msg: &str| {
        diags.push(Diagnostic::error(
            span,
            format!("Error parsing attribute \"{attr}\": {msg}"),
        ));
    };
    let named_pk = matches!(
        p,
        Provider::PostgreSql | Provider::CockroachDb | Provider::SqlServer
    );
    // Reported at the model's name, as Prisma does.
    let pk_name_error = |diags: &mut Vec<Diagnostic>, _attr: Span| {
        diags.push(Diagnostic::error(
            m.name_span,
            format!(
                "Error validating model \"{}\": You defined a database name for the primary key on \
                 the model. This is not supported by the provider.",
                m.name
            ),
        ));
    };
    const NO_CLUSTERING: &str = "Defining clustering is not supported in the current connector.";
    const NO_INDEX_LENGTH: &str =
        "The length argument is not supported in an index definition with the current connector";
    const NO_PK_LENGTH: &str =
        "The length argument is not supported in the primary key with the current connector";
    const NO_PK_SORT: &str =
        "The sort argument is not supported in the primary key with the current connector";
    const LENGTH_TYPES: &str =
        "The length argument is only allowed with field types `String` or `Bytes`.";
    let length_type_ok = |f: Option<&Field>| {
        f.is_none_or(|f| {
            matches!(
                f.ty,
                FieldType::Scalar(ScalarType::String | ScalarType::Bytes)
            )
        })
    };
    // SQL Server: the primary key is clustered unless it says otherwise.
    let mut clustered = 0;
    for f in &m.fields {
        for (attr, a, primary) in [
            ("@id", m.id_of(f), true),
            ("@unique", m.unique_of(f), false),
        ] {
            let Some(a) = a else { continue };
            if primary && a.map.is_some() && !named_pk {
                pk_name_error(diags, a.span);
            }
            if primary && a.sort.is_some() && p != Provider::SqlServer {
                error(diags, a.span, attr, NO_PK_SORT);
            }
            if a.length.is_some() {
                if p != Provider::MySql {
                    let msg = if primary {
                        NO_PK_LENGTH
                    } else {
                        NO_INDEX_LENGTH
                    };
                    error(diags, a.span, attr, msg);
                } else if !length_type_ok(Some(f)) {
                    error(diags, a.span, attr, LENGTH_TYPES);
                }
            }
            if a.clustered.is_some() && p != Provider::SqlServer {
                error(diags, a.span, attr, NO_CLUSTERING);
            }
            if a.clustered == Some(true) || (primary && a.clustered.is_none()) {
                clustered += 1;
            }
        }
        if let Some(r) = m.relation_attr_of(f)
            && r.map.is_some()
            && matches!(p, Provider::Sqlite | Provider::MongoDb)
        {
            error(
                diags,
                r.span,
                "@relation",
                "Your provider does not support named foreign keys.",
            );
        }
    }
    for idx in &m.block_indexes {
        let attr = match idx.kind {
            IndexKind::Primary => "@@id",
            IndexKind::Unique => "@@unique",
            IndexKind::Normal => "@@index",
            IndexKind::Fulltext => "@@fulltext",
        };
        let primary = idx.kind == IndexKind::Primary;
        if primary && idx.map.is_some() && !named_pk {
            pk_name_error(diags, idx.span);
        }
        if primary && p != Provider::SqlServer && idx.fields.iter().any(|c| c.sort.is_some()) {
            error(diags, idx.span, attr, NO_PK_SORT);
        }
        if idx.fields.iter().any(|c| c.length.is_some()) {
            if p == Provider::MySql && idx.kind == IndexKind::Fulltext {
                error(
                    diags,
                    idx.span,
                    attr,
                    "The length argument is not supported in a @@fulltext attribute.",
                );
            } else if p != Provider::MySql {
                let msg = if primary {
                    NO_PK_LENGTH
                } else {
                    NO_INDEX_LENGTH
                };
                error(diags, idx.span, attr, msg);
            } else if idx
                .fields
                .iter()
                .any(|c| c.length.is_some() && !length_type_ok(c.field.and_then(|f| m.field_at(f))))
            {
                error(diags, idx.span, attr, LENGTH_TYPES);
            }
        }
        if idx.clustered.is_some() && p != Provider::SqlServer {
            error(diags, idx.span, attr, NO_CLUSTERING);
        }
        if idx.clustered == Some(true) || (primary && idx.clustered.is_none()) {
            clustered += 1;
        }
        if idx.kind == IndexKind::Unique && idx.fields.iter().any(|c| c.ops.is_some()) {
            error(
                diags,
                idx.span,
                attr,
                "Operator classes can only be defined to fields in an @@index attribute.",
            );
        }
        if idx.algorithm == Some(IndexAlgorithm::Hash)
            && idx.fields.iter().any(|c| c.sort.is_some())
        {
            error(
                diags,
                idx.span,
                attr,
                "Hash type does not support sort option.",
            );
        }
        if let Some(a) = idx.algorithm {
            let supported = match p {
                Provider::PostgreSql => true,
                Provider::CockroachDb => matches!(a, IndexAlgorithm::BTree | IndexAlgorithm::Gin),
                _ => a == IndexAlgorithm::BTree,
            };
            if !supported {
                error(
                    diags,
                    idx.span,
                    attr,
                    "The given index type is not supported with the current connector",
                );
            }
        }
    }
    if p == Provider::MySql {
        for idx in m
            .block_indexes
            .iter()
            .filter(|i| i.kind == IndexKind::Fulltext && i.fields.iter().any(|c| c.sort.is_some()))
        {
            error(
                diags,
                idx.span,
                "@@fulltext",
                "The sort argument is not supported in a @@fulltext attribute in the current \
                 connector.",
            );
        }
        validate_mysql_text_keys(m, diags);
        let autoincrements = m
            .fields
            .iter()
            .filter_map(|f| m.default_of(f))
            .filter(|d| d.kind == DefaultKind::Autoincrement);
        for d in autoincrements.skip(1) {
            error(
                diags,
                d.span,
                "@default",
                "The `autoincrement()` default value is used multiple times on this model even \
                 though the underlying datasource only supports one instance per table.",
            );
        }
    }
    if p == Provider::SqlServer {
        validate_sqlserver_large_keys(m, diags);
    }
    if m.is_view {
        for a in m.fields.iter().filter_map(|f| m.unique_of(f)) {
            if a.sort.is_some() || a.length.is_some() || a.clustered.is_some() {
                error(
                    diags,
                    a.span,
                    "@unique",
                    "Scalar fields in @@unique attributes in views cannot have arguments.",
                );
            }
        }
        let field_level = m.fields.iter().filter_map(|f| m.unique_of(f));
        let spans = field_level
            .filter(|a| a.map.is_some())
            .map(|a| a.span)
            .chain(
                m.block_indexes
                    .iter()
                    .filter(|i| i.kind == IndexKind::Unique && i.map.is_some())
                    .map(|i| i.span),
            );
        for span in spans {
            diags.push(Diagnostic::error(
                span,
                "Error validating: @@unique annotations on views are not backed by unique indexes \
                 in the database and cannot specify a mapped database name.",
            ));
        }
    }
    // PostgreSQL: `xml` columns cannot be indexed.
    if p == Provider::PostgreSql {
        let xml = |id: Option<FieldId>| {
            id.and_then(|id| m.field_at(id))
                .and_then(|f| m.native_type_of(f))
                .is_some_and(|nt| nt.ty.name == "Xml")
        };
        for f in &m.fields {
            // A primary key may be `xml` (Prisma does not check it).
            if let Some(a) = m.unique_of(f)
                && xml(Some(f.id))
            {
                diags.push(Diagnostic::error(
                    a.span,
                    "Native type `Xml` cannot be unique in Postgres.",
                ));
            }
        }
        for idx in m
            .block_indexes
            .iter()
            .filter(|i| i.kind != IndexKind::Primary)
        {
            if idx.fields.iter().any(|c| xml(c.field)) {
                let msg = if idx.is_unique() {
                    "Native type `Xml` cannot be unique in Postgres."
                } else {
                    "You cannot define an index on fields with native type `Xml` of Postgres."
                };
                diags.push(Diagnostic::error(idx.span, msg));
            }
        }
    }
    // Operator classes: named ones need an index type that takes them (none on BTree, the
    // default, or Hash; `InetOps` on Gist, ...); CockroachDB takes none.
    for idx in m
        .block_indexes
        .iter()
        .filter(|i| i.kind == IndexKind::Normal)
    {
        let named = idx
            .fields
            .iter()
            .filter_map(|c| c.ops.as_deref())
            .find(|o| !o.starts_with("raw("));
        let Some(ops) = named else { continue };
        let algorithm = match idx.algorithm.unwrap_or(IndexAlgorithm::BTree) {
            IndexAlgorithm::BTree => Some("BTree"),
            IndexAlgorithm::Hash => Some("Hash"),
            IndexAlgorithm::Gist if ops != "InetOps" => Some("Gist"),
            IndexAlgorithm::SpGist if !matches!(ops, "InetOps" | "TextOps") => Some("SpGist"),
            IndexAlgorithm::Gin if !matches!(ops, "ArrayOps" | "JsonbOps" | "JsonbPathOps") => {
                Some("Gin")
            }
            IndexAlgorithm::Brin
                if !["BloomOps", "MinMaxOps", "MinMaxMultiOps", "InclusionOps"]
                    .iter()
                    .any(|s| ops.ends_with(s)) =>
            {
                Some("Brin")
            }
            _ => None,
        };
        let msg = match (p, algorithm) {
            (Provider::CockroachDb, _) => {
                "Custom operator classes are not supported with the current connector.".to_string()
            }
            (Provider::PostgreSql, Some(a)) => {
                format!(
                    "The given operator class `{ops}` is not supported with the `{a}` index type."
                )
            }
            _ => continue,
        };
        error(diags, idx.span, "@@index", &msg);
    }
    if p == Provider::SqlServer && clustered > 1 {
        diags.push(Diagnostic::error(
            m.name_span,
            format!(
                "Error validating model \"{}\": A model can only hold one clustered index or id.",
                m.name
            ),
        ));
    }
}

/// `owner`: how messages name the model or composite type holding `f`, and its field details.
fn validate_field(
    schema: &Schema,
    (owner, details): (&dyn std::fmt::Display, &FieldDetails),
    model: Option<&Model>,
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
        if f.is_list()
            && let Some(r) = details.relation(f)
            && r.fields.is_some()
            && let Some(p) = provider.filter(|p| *p != Provider::MongoDb)
        {
            // Reported on both sides of the relation, as Prisma does.
            let other = schema
                .back_relation(f.id)
                .filter(|o| model.is_some() && o.is_list())
                .map(|o| o.span);
            for span in std::iter::once(r.span).chain(other) {
                diags.push(Diagnostic::error(
                    span,
                    format!(
                        "Error validating: Embedded many-to-many relations are not supported on \
                         {}. Please use the syntax defined in \
                         https://pris.ly/d/relational-database-many-to-many",
                        db_name(p)
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
        && f.is_list()
        && f.ty == FieldType::Scalar(ScalarType::DateTime)
    {
        diags.push(Diagnostic::error(
            span,
            "Error parsing attribute \"@updatedAt\": Fields that are marked with @updatedAt \
             cannot be lists.",
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
    // Composite types (MongoDB) may hold Decimal fields.
    if provider == Some(Provider::CockroachDb)
        && f.is_list()
        && f.ty.as_scalar() == Some(ScalarType::Json)
    {
        diags.push(Diagnostic::error(
            f.type_span,
            format!(
                "Error validating field `{}` in {owner}: Field `{}` in {owner} can't be of type \
                 Json[]. The current connector does not support the Json List type.",
                f.name, f.name
            ),
        ));
    }
    let unsupported_scalar = match (provider.filter(|_| model.is_some()), f.ty.as_scalar()) {
        (Some(Provider::SqlServer), Some(ScalarType::Json)) => Some("Json"),
        (Some(Provider::MongoDb), Some(ScalarType::Decimal)) => Some("Decimal"),
        _ => None,
    };
    if let Some(ty) = unsupported_scalar {
        diags.push(Diagnostic::error(
            f.type_span,
            format!(
                "Error validating field `{}` in {owner}: Field `{}` in {owner} can't be of type \
                 {ty}. The current connector does not support the {ty} type.",
                f.name, f.name
            ),
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
    if let Some(d) = details.default_value(f)
        && matches!(f.ty, FieldType::Composite(_))
    {
        diags.push(Diagnostic::error(
            d.span,
            format!(
                "Error validating field `{}` in {owner}: Defaults on fields of type composite are \
                 not supported. Please remove the `@default` attribute.",
                f.name
            ),
        ));
    }
    if let Some(nt) = details.native_type(f)
        && matches!(f.ty, FieldType::Enum(_) | FieldType::Composite(_))
    {
        diags.push(Diagnostic::error(
            nt.span,
            format!("Attribute not known: \"@db.{}\".", nt.ty.name),
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
            (Some(_), scalar) => {
                if let Some(msg) = native_args_error(p, &nt.ty.name, &nt.ty.args) {
                    diags.push(Diagnostic::error(nt.span, msg));
                } else if p == Provider::MySql
                    && nt.ty.name == "Bit"
                    && scalar == Some(ScalarType::Boolean)
                    && nt.ty.args.first().is_some_and(|a| a.as_str() != "1")
                {
                    diags.push(Diagnostic::error(
                        nt.span,
                        format!(
                            "Argument M is out of range for native type `{}` of MySQL: only \
                             Bit(1) can be used as Boolean.",
                            nt.ty
                        ),
                    ));
                }
            }
        }
    }
    if let Some(d) = details.default_value(f)
        && !f.is_relation()
    {
        if d.map.is_some() && d.kind == DefaultKind::Autoincrement {
            diags.push(Diagnostic::error(
                d.span,
                "Error parsing attribute \"@default\": Naming an autoincrement default value is \
                 not allowed.",
            ));
        }
        if let Some(p) = provider {
            check_default_for_connector(p, (details, model), f, d, diags);
        }
        let function = matches!(
            d.kind,
            DefaultKind::Autoincrement
                | DefaultKind::Now
                | DefaultKind::Uuid(_)
                | DefaultKind::Cuid(_)
                | DefaultKind::Nanoid(_)
                | DefaultKind::Ulid
                | DefaultKind::Auto
                | DefaultKind::DbGenerated(_)
                | DefaultKind::Sequence(_)
                | DefaultKind::OtherFunction(_)
        );
        // Functions generate list values too (`String[] @default(uuid())` is valid).
        if f.is_list() && !function && !matches!(d.kind, DefaultKind::List(_)) {
            diags.push(Diagnostic::error(
                d.value_span,
                "Error parsing attribute \"@default\": The default value of a list field must be \
                 a list.",
            ));
        } else {
            check_default(schema, f, d, &d.kind, f.is_list(), diags);
        }
    }
}

/// `@default` arguments and functions the connector does not support: `map:` (SQL Server
/// only, and never on `autoincrement()`), `auto()` (MongoDB only, on `@db.ObjectId` fields),
/// `dbgenerated()` (not on MongoDB).
fn check_default_for_connector(
    p: Provider,
    (details, model): (&FieldDetails, Option<&Model>),
    f: &Field,
    d: &DefaultValue,
    diags: &mut Vec<Diagnostic>,
) {
    let err = |diags: &mut Vec<Diagnostic>, span: Span, msg: &str| {
        diags.push(Diagnostic::error(
            span,
            format!("Error parsing attribute \"@default\": {msg}"),
        ));
    };
    if d.map.is_some() && d.kind != DefaultKind::Autoincrement && p != Provider::SqlServer {
        err(
            diags,
            d.span,
            "You defined a database name for the default value of a field on the model. This \
             is not supported by the provider.",
        );
    }
    match &d.kind {
        DefaultKind::Auto if p != Provider::MongoDb => err(
            diags,
            d.value_span,
            "The current connector does not support the `auto()` function.",
        ),
        DefaultKind::Auto
            if details
                .native_type(f)
                .is_none_or(|nt| nt.ty.name != "ObjectId") =>
        {
            diags.push(Diagnostic::error(
                d.span,
                format!(
                    "Error validating field `{}`: MongoDB `@default(auto())` fields must have \
                     `ObjectId` native type.",
                    f.name
                ),
            ))
        }
        DefaultKind::Auto if model.is_some() && details.id(f).is_none() => {
            diags.push(Diagnostic::error(
                d.span,
                format!(
                    "Error validating field `{}`: MongoDB `@default(auto())` fields must have the \
                     `@id` attribute.",
                    f.name
                ),
            ))
        }
        DefaultKind::Autoincrement => {
            if let Some(msg) = autoincrement_error(p, model, f) {
                err(diags, d.span, msg);
            }
        }
        DefaultKind::DbGenerated(_) if p == Provider::MongoDb => diags.push(Diagnostic::error(
            d.span,
            format!(
                "Error validating field `{}`: The `dbgenerated()` function is not allowed with \
                 MongoDB. Please use `auto()` instead.",
                f.name
            ),
        )),
        _ => {}
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
        DefaultKind::Uuid(v) => {
            func("uuid", scalar == Some(S::String), diags);
            if v.is_some_and(|v| v != 4 && v != 7) {
                err(
                    diags,
                    "`uuid()` takes either no argument, or a single integer argument which is \
                     either 4 or 7."
                        .to_string(),
                );
            }
        }
        DefaultKind::Cuid(v) => {
            func("cuid", scalar == Some(S::String), diags);
            if v.is_some_and(|v| v != 1 && v != 2) {
                err(
                    diags,
                    "`cuid()` takes either no argument, or a single integer argument which is \
                     either 1 or 2."
                        .to_string(),
                );
            }
        }
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
        // Any field type (prisma@7 does not check it).
        DefaultKind::Sequence(_) => {}
        DefaultKind::Auto | DefaultKind::DbGenerated(_) | DefaultKind::OtherFunction(_) => {}
        DefaultKind::String(v) => {
            if !matches!(
                scalar,
                Some(S::String | S::DateTime | S::Json | S::Bytes | S::Decimal)
            ) {
                let expected = if matches!(f.ty, FieldType::Enum(_)) {
                    "an enum"
                } else {
                    &format!("a {type_name}")
                };
                err(
                    diags,
                    format!("Expected {expected} value, but found `{}`.", raw(d)),
                );
            } else if scalar == Some(S::Json)
                && serde_json::from_str::<serde_json::Value>(v).is_err()
            {
                err(
                    diags,
                    format!("Parse error: \"{v}\" is not a valid JSON string."),
                );
            } else if scalar == Some(S::DateTime) && !is_rfc3339(v) {
                err(
                    diags,
                    format!("Parse error: \"{v}\" is not a valid rfc3339 datetime string."),
                );
            } else if scalar == Some(S::Decimal) && v.parse::<f64>().is_err() {
                err(
                    diags,
                    format!("Parse error: \"{v}\" is not a valid decimal."),
                );
            } else if scalar == Some(S::Bytes) && !is_base64(v) {
                err(
                    diags,
                    format!("Parse error: \"{v}\" is not a valid base64 string."),
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

/// How Prisma names the database in native type messages.
fn db_name(p: Provider) -> &'static str {
    match p {
        Provider::PostgreSql => "Postgres",
        Provider::MySql => "MySQL",
        Provider::SqlServer => "SQL Server",
        Provider::CockroachDb => "CockroachDB",
        _ => p.as_str(),
    }
}

/// What is wrong with the arguments of a known native type, if anything: their number, their
/// form (nonnegative integers, `Max` where SQL Server takes it) and a `Decimal` scale larger than
/// its precision.
fn native_args_error(p: Provider, name: &str, args: &[Name]) -> Option<String> {
    let shown = || args.join(",");
    let int = |a: &Name| !a.starts_with(['-', '+']) && a.parse::<u32>().is_ok();
    match native_type_args(p, name) {
        NativeArgKind::None if !args.is_empty() => Some(format!(
            "Function \"{name}\" takes 0 arguments, but received {}.",
            args.len()
        )),
        NativeArgKind::One if args.len() != 1 => Some(format!(
            "Function \"{name}\" takes 1 arguments, but received {}.",
            args.len()
        )),
        NativeArgKind::Optional | NativeArgKind::OptionalOrMax if args.len() > 1 => Some(format!(
            "Native type {name} takes 1 optional arguments, but received {}.",
            args.len()
        )),
        NativeArgKind::OptionalOrMax => args
            .iter()
            .find(|a| !int(a) && !a.eq_ignore_ascii_case("max"))
            .map(|_| format!("Expected an integer or `Max`, but found ({}).", shown())),
        NativeArgKind::One | NativeArgKind::Optional => {
            if args.iter().any(|a| !int(a)) {
                return Some(format!(
                    "Expected a nonnegative integer, but found ({}).",
                    shown()
                ));
            }
            // Fractional seconds: 0 to 6 on PostgreSQL and CockroachDB.
            let time = matches!(
                name,
                "Timestamp" | "Timestamptz" | "Time" | "Timetz" | "DateTime"
            );
            let m = args.first()?.parse::<u32>().ok()?;
            // MySQL takes any precision here (prisma@7 does not check it).
            (time && m > 6 && matches!(p, Provider::PostgreSql | Provider::CockroachDb)).then(|| {
                format!(
                    "Argument M is out of range for native type `{name}({m})` of {}: M can range \
                     from 0 to 6.",
                    db_name(p)
                )
            })
        }
        NativeArgKind::Decimal if args.is_empty() => None,
        NativeArgKind::Decimal if args.len() != 2 || !args.iter().all(int) => Some(format!(
            "Expected two nonnegative integers, but found ({}).",
            shown()
        )),
        NativeArgKind::Decimal => {
            let (precision, scale) = (args[0].parse::<u32>().ok()?, args[1].parse::<u32>().ok()?);
            let db = db_name(p);
            (scale > precision).then(|| {
                format!(
                    "The scale must not be larger than the precision for the \
                     Decimal({precision},{scale}) native type in {db}."
                )
            })
        }
        _ => None,
    }
}

/// MySQL cannot index `TEXT` and `BLOB` columns without a prefix length (`length:`).
fn validate_mysql_text_keys(m: &Model, diags: &mut Vec<Diagnostic>) {
    let text_type = |id: Option<FieldId>| {
        let nt = id
            .and_then(|id| m.field_at(id))
            .and_then(|f| m.native_type_of(f))?;
        matches!(
            nt.ty.name.as_str(),
            "Text"
                | "TinyText"
                | "MediumText"
                | "LongText"
                | "Blob"
                | "TinyBlob"
                | "MediumBlob"
                | "LongBlob"
        )
        .then(|| nt.ty.name.to_string())
    };
    const ADVICE: &str = "Please use the `length` argument to the field in the index definition \
                          to allow this.";
    let mut report = |span: Span, ty: String, kind: IndexKind| {
        let msg = match kind {
            IndexKind::Primary => format!(
                "Native type `{ty}` of MySQL cannot be used on a field that is `@id` or `@@id`. \
                 {ADVICE}"
            ),
            IndexKind::Unique => format!("Native type `{ty}` cannot be unique in MySQL. {ADVICE}"),
            _ => format!(
                "You cannot define an index on fields with native type `{ty}` of MySQL. {ADVICE}"
            ),
        };
        diags.push(Diagnostic::error(span, msg));
    };
    for f in &m.fields {
        for (a, kind) in [
            (m.id_of(f), IndexKind::Primary),
            (m.unique_of(f), IndexKind::Unique),
        ] {
            if let (Some(a), Some(ty)) = (a, text_type(Some(f.id)))
                && a.length.is_none()
            {
                report(a.span, ty, kind);
            }
        }
    }
    for idx in &m.block_indexes {
        if idx.kind == IndexKind::Fulltext {
            continue;
        }
        let bad = idx.fields.iter().find_map(|c| {
            let ty = text_type(c.field)?;
            c.length.is_none().then_some(ty)
        });
        if let Some(ty) = bad {
            report(idx.span, ty, idx.kind);
        }
    }
}

/// Where a connector does not take `autoincrement()`: MongoDB never, SQLite only on the `@id`,
/// MySQL only on the first column of an index, CockroachDB only on `BigInt`.
fn autoincrement_error(p: Provider, model: Option<&Model>, f: &Field) -> Option<&'static str> {
    // Views are not checked.
    let m = model.filter(|m| !m.is_view)?;
    let first_of_index = || {
        m.index_refs()
            .any(|i| i.column(0).is_some_and(|c| c.field == Some(f.id)))
    };
    match p {
        Provider::MongoDb => Some(
            "The `autoincrement()` default value is used with a datasource that does not support \
             it.",
        ),
        Provider::Sqlite if m.id_of(f).is_none() => Some(
            "The `autoincrement()` default value is used on a non-id field even though the \
             datasource does not support this.",
        ),
        Provider::MySql if !first_of_index() => Some(
            "The `autoincrement()` default value is used on a non-indexed field even though the \
             datasource does not support this.",
        ),
        Provider::CockroachDb if f.ty != FieldType::Scalar(ScalarType::BigInt) => Some(
            "The `autoincrement()` default function is defined only on BigInt fields on \
             CockroachDB. Use sequence() if you want an autoincrementing Int field.",
        ),
        _ => None,
    }
}

/// SQL Server cannot index its large types (`Text`, `NText`, `Image`, `Xml` and the `(Max)`
/// ones).
fn validate_sqlserver_large_keys(m: &Model, diags: &mut Vec<Diagnostic>) {
    let large = |id: Option<FieldId>| {
        let nt = id
            .and_then(|id| m.field_at(id))
            .and_then(|f| m.native_type_of(f))?;
        let max = nt.ty.args.iter().any(|a| a.eq_ignore_ascii_case("max"));
        (matches!(nt.ty.name.as_str(), "Text" | "NText" | "Image" | "Xml") || max)
            .then(|| nt.ty.to_string().replace(", ", ","))
    };
    let report = |diags: &mut Vec<Diagnostic>, span: Span, ty: String, kind: IndexKind| {
        let msg = match kind {
            IndexKind::Primary => format!(
                "Native type `{ty}` of SQL Server cannot be used on a field that is `@id` or \
                 `@@id`."
            ),
            IndexKind::Unique => format!("Native type `{ty}` cannot be unique in SQL Server."),
            _ => format!(
                "You cannot define an index on fields with native type `{ty}` of SQL Server."
            ),
        };
        diags.push(Diagnostic::error(span, msg));
    };
    for f in &m.fields {
        for (a, kind) in [
            (m.id_of(f), IndexKind::Primary),
            (m.unique_of(f), IndexKind::Unique),
        ] {
            if let (Some(a), Some(ty)) = (a, large(Some(f.id))) {
                report(diags, a.span, ty, kind);
            }
        }
    }
    for idx in m
        .block_indexes
        .iter()
        .filter(|i| i.kind != IndexKind::Fulltext)
    {
        if let Some(ty) = idx.fields.iter().find_map(|c| large(c.field)) {
            report(diags, idx.span, ty, idx.kind);
        }
    }
}

/// Database names of keys and indexes must be unique in the connector's namespace: the whole
/// schema on PostgreSQL (primary keys included) and SQLite, the table on MySQL (indexes and
/// unique constraints) and SQL Server (primary keys included); on CockroachDB only a primary
/// key name clashes, with the other names of its table. Default names count.
fn validate_constraint_names(schema: &Schema, p: Provider, diags: &mut Vec<Diagnostic>) {
    let (global, with_pk) = match p {
        Provider::PostgreSql => (true, true),
        Provider::Sqlite => (true, false),
        Provider::MySql => (false, false),
        Provider::SqlServer | Provider::CockroachDb => (false, true),
        Provider::MongoDb => {
            // MongoDB: the same fields twice in one model.
            for m in &schema.models {
                let indexes: Vec<&Index> = m.block_indexes.iter().collect();
                for (i, idx) in indexes.iter().enumerate() {
                    let same = |o: &&&Index| {
                        o.kind == idx.kind
                            && o.fields.len() == idx.fields.len()
                            && o.fields
                                .iter()
                                .zip(&idx.fields)
                                .all(|(a, b)| a.name == b.name)
                    };
                    if indexes[..i].iter().any(|o| same(&o)) {
                        let attr = match idx.kind {
                            IndexKind::Unique => "@@unique",
                            IndexKind::Fulltext => "@@fulltext",
                            _ => "@@index",
                        };
                        diags.push(Diagnostic::error(
                            idx.span,
                            format!(
                                "Error parsing attribute \"{attr}\": Index already exists in the \
                                 model."
                            ),
                        ));
                    }
                }
            }
            return;
        }
    };
    let namespace = match p {
        Provider::PostgreSql => "global for primary key, indexes and unique constraints",
        Provider::Sqlite => "global for indexes and unique constraints",
        _ => "",
    };
    let mut seen: crate::fxhash::FxHashMap<(String, String), bool> = Default::default();
    for (mi, m) in schema.models.iter().enumerate() {
        if m.is_view || m.is_ignored() {
            continue;
        }
        // Global namespaces are per database schema (`@@schema`).
        let scope = if global {
            m.schema
                .as_ref()
                .map_or("", |s| s.value.as_str())
                .to_string()
        } else {
            mi.to_string()
        };
        for idx in m.index_refs() {
            let primary = idx.kind == IndexKind::Primary;
            if primary && !with_pk {
                continue;
            }
            let name = index_db_name(m, &idx, p);
            match seen.get(&(scope.clone(), name.clone())) {
                // CockroachDB: only clashes that involve the primary key.
                Some(&other_primary) if p != Provider::CockroachDb || primary || other_primary => {
                    let attr = match (idx.source, idx.kind) {
                        (IndexSource::Field(_), IndexKind::Primary) => "@id",
                        (IndexSource::Field(_), _) => "@unique",
                        (_, IndexKind::Primary) => "@@id",
                        (_, IndexKind::Unique) => "@@unique",
                        (_, IndexKind::Normal) => "@@index",
                        (_, IndexKind::Fulltext) => "@@fulltext",
                    };
                    let namespace = if global {
                        namespace.to_string()
                    } else {
                        format!("on model `{}` for indexes and unique constraints", m.name)
                    };
                    diags.push(Diagnostic::error(
                        idx.span,
                        format!(
                            "Error parsing attribute \"{attr}\": The given constraint name \
                             `{name}` has to be unique in the following namespace: {namespace}. \
                             Please provide a different name using the `map` argument."
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    seen.insert((scope.clone(), name), primary);
                }
            }
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`, as Prisma parses `DateTime` defaults.
fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let at = |i: usize, c: &[u8]| b.get(i).is_some_and(|x| c.contains(x));
    if !(digits(0..4) && at(4, b"-") && digits(5..7) && at(7, b"-") && digits(8..10))
        || !(at(10, b"Tt ") && digits(11..13) && at(13, b":") && digits(14..16) && at(16, b":"))
        || !digits(17..19)
    {
        return false;
    }
    let mut i = 19;
    if at(i, b".") {
        i += 1;
        let start = i;
        while at(i, b"0123456789") {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            digits(i + 1..i + 3) && at(i + 3, b":") && digits(i + 4..i + 6) && i + 6 == b.len()
        }
        _ => false,
    }
}

/// The database name of an index: `map:` or Prisma's default (as [`Schema::index_db_name`],
/// without copying the index).
fn index_db_name(m: &Model, idx: &IndexRef<'_>, p: Provider) -> String {
    if let Some(map) = idx.map {
        return map.to_string();
    }
    let cols: Vec<&str> = idx
        .columns()
        .map(|c| {
            c.field
                .and_then(|f| m.field_at(f))
                .map_or(c.name, |f| f.db_name())
        })
        .collect();
    match idx.kind {
        IndexKind::Primary => super::names::primary_key_name(m.db_name(), p),
        IndexKind::Unique => super::names::unique_index_name(m.db_name(), &cols, p),
        IndexKind::Normal | IndexKind::Fulltext => super::names::index_name(m.db_name(), &cols, p),
    }
}

/// What is unknown in the rest of a dotted index path that starts at a field of type `start`:
/// `None` when the path leads to a field, `Some(None)` when its first field is unknown, else the
/// missing segment and its type (`city in type Address`).
fn unknown_path(schema: &Schema, start: Option<&FieldType>, rest: &str) -> Option<Option<String>> {
    let Some(mut ty) = start else {
        return Some(None);
    };
    for segment in rest.split('.') {
        let FieldType::Composite(c) = ty else {
            return Some(None);
        };
        let composite = schema.composite_types.get(c.0 as usize)?;
        match composite.fields.iter().find(|f| f.name == segment) {
            Some(f) => ty = &f.ty,
            None => return Some(Some(format!("{segment} in type {}", composite.name))),
        }
    }
    None
}

/// Standard base64 with padding, as Prisma decodes `Bytes` defaults.
fn is_base64(s: &str) -> bool {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(4) {
        return false;
    }
    let pad = b.iter().rev().take_while(|&&c| c == b'=').count();
    pad <= 2
        && b[..b.len() - pad]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
}

fn raw(d: &DefaultValue) -> String {
    match &d.kind {
        DefaultKind::String(s) => format!("\"{s}\""),
        other => format!("{other:?}"),
    }
}
