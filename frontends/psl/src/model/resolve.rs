//! Lowering of the typed AST into the model: declarations, names, field types and attributes.

use super::Schema;
use super::datasource::{self, Datasource};
use super::native_types::NativeType;
use super::types::*;
use crate::SchemaFile;
use crate::diagnostic::Diagnostic;
use crate::fxhash::FxHashMap;
use crate::span::{FileId, Span};
use crate::syntax::ast::{self, AstNode};

/// What a top-level name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TopRef {
    Model(ModelId),
    Enum(EnumId),
    Composite(CompositeTypeId),
}

/// Shared lowering state.
pub(crate) struct Ctx<'a> {
    pub diags: &'a mut Vec<Diagnostic>,
    /// Top-level names, borrowed from the parsed files.
    pub names: FxHashMap<&'a str, TopRef>,
    /// `db` in `@db.VarChar` (the datasource name), if a datasource exists.
    pub ds_name: Option<String>,
}

impl Ctx<'_> {
    fn error(&mut self, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(span, msg));
    }
}

fn span<'t>(file: FileId, node: &impl AstNode<'t>) -> Span {
    Span::new(file, node.range())
}

fn kind_word(item: &ast::Item) -> &'static str {
    match item {
        ast::Item::Model(m) if m.is_view() => "view",
        ast::Item::Model(_) => "model",
        ast::Item::CompositeType(_) => "composite type",
        ast::Item::Enum(_) => "enum",
        ast::Item::Datasource(_) => "datasource",
        ast::Item::Generator(_) => "generator",
    }
}

/// A key written twice in a datasource or generator block.
fn duplicate_keys(
    entries: &[datasource::ConfigEntry],
    block: &str,
    name: &str,
    diags: &mut Vec<Diagnostic>,
) {
    for (i, e) in entries.iter().enumerate() {
        if entries[..i].iter().any(|x| x.key == e.key) {
            diags.push(Diagnostic::error(
                e.key_span,
                format!(
                    "Key \"{}\" is already defined in {block} \"{name}\".",
                    e.key
                ),
            ));
        }
    }
}

/// Prisma rejects `-` in names and names starting with a digit (the lexer takes both as
/// identifiers).
fn dash_in_name(ctx: &mut Ctx<'_>, span: Span, name: &str, what: &str) {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        ctx.error(
            span,
            format!("Error validating: The name of a {what} must not start with a number."),
        );
    }
    if name.contains('-') {
        ctx.error(
            span,
            format!("Error validating: The character `-` is not allowed in {what} names."),
        );
    }
}

/// Lower every file into `schema`: the first pass registers names, the second lowers bodies.
pub(crate) fn lower(files: &[SchemaFile], schema: &mut Schema, diags: &mut Vec<Diagnostic>) {
    // Pass 0: configuration blocks.
    let mut first_ds: Option<Span> = None;
    let mut generator_names: FxHashMap<String, ()> = FxHashMap::default();
    for sf in files {
        for item in sf.parse.tree().items() {
            match item {
                ast::Item::Datasource(ds) => {
                    let Some(lowered) = datasource::lower_datasource(sf.file, &ds, diags) else {
                        continue;
                    };
                    duplicate_keys(&lowered.entries, "datasource", &lowered.name, diags);
                    if first_ds.is_some() {
                        diags.push(Diagnostic::error(
                            lowered.name_span,
                            "You defined more than one datasource. This is not allowed yet \
                             because support for multiple databases has not been implemented yet.",
                        ));
                    } else {
                        first_ds = Some(lowered.span);
                    }
                    schema.datasources.push(lowered);
                }
                ast::Item::Generator(g) => {
                    let Some(lowered) = datasource::lower_generator(sf.file, &g) else {
                        continue;
                    };
                    duplicate_keys(&lowered.entries, "generator", &lowered.name, diags);
                    if lowered.provider.is_none() {
                        diags.push(Diagnostic::error(
                            lowered.name_span,
                            format!(
                                "Argument \"provider\" is missing in generator block \"{}\".",
                                lowered.name
                            ),
                        ));
                    }
                    if generator_names.insert(lowered.name.clone(), ()).is_some() {
                        diags.push(Diagnostic::error(
                            lowered.name_span,
                            format!(
                                "The generator \"{}\" cannot be defined because a generator \
                                 with that name already exists.",
                                lowered.name
                            ),
                        ));
                    }
                    schema.generators.push(lowered);
                }
                _ => {}
            }
        }
    }
    let ds: Option<&Datasource> = schema.datasources.first();
    let mut ctx = Ctx {
        diags,
        names: FxHashMap::default(),
        ds_name: ds.map(|d| d.name.clone()),
    };

    // Pass 1: register model, enum and composite type names (one namespace across files).
    let mut decls: Vec<(FileId, ast::Item)> = Vec::new();
    let mut kinds: FxHashMap<&str, &'static str> = FxHashMap::default();
    // Models, enums and composite types registered so far (their next ids).
    let mut counts = [0u32; 3];
    for sf in files {
        for item in sf.parse.tree().items() {
            if matches!(item, ast::Item::Datasource(_) | ast::Item::Generator(_)) {
                continue;
            }
            let Some(name) = item.name() else { continue };
            let text = name.text();
            if text.is_empty() {
                continue;
            }
            let word = kind_word(&item);
            dash_in_name(
                &mut ctx,
                span(sf.file, &name),
                text,
                match word {
                    "model" | "view" => "Model",
                    "enum" => "Enum",
                    _ => "Composite type",
                },
            );
            if let Some(existing) = kinds.get(text) {
                let existing = if *existing == "view" {
                    "model"
                } else {
                    existing
                };
                ctx.error(
                    span(sf.file, &name),
                    format!(
                        "The {word} \"{text}\" cannot be defined because a {existing} with that \
                         name already exists."
                    ),
                );
                continue;
            }
            if ScalarType::from_name(text).is_some() || text == "Unsupported" {
                ctx.error(
                    span(sf.file, &name),
                    format!("The {word} name \"{text}\" is a reserved scalar type name."),
                );
                continue;
            }
            kinds.insert(text, word);
            let top = match &item {
                ast::Item::Model(_) => {
                    counts[0] += 1;
                    TopRef::Model(ModelId(counts[0] - 1))
                }
                ast::Item::Enum(_) => {
                    counts[1] += 1;
                    TopRef::Enum(EnumId(counts[1] - 1))
                }
                ast::Item::CompositeType(_) => {
                    counts[2] += 1;
                    TopRef::Composite(CompositeTypeId(counts[2] - 1))
                }
                _ => continue,
            };
            ctx.names.insert(text, top);
            decls.push((sf.file, item));
        }
    }

    // Pass 2: bodies (exact capacities: a `Model` is large, and regrowing the vector of
    // 10,000 of them copies megabytes).
    schema.models.reserve_exact(counts[0] as usize);
    schema.enums.reserve_exact(counts[1] as usize);
    schema.composite_types.reserve_exact(counts[2] as usize);
    for (file, item) in &decls {
        match item {
            ast::Item::Model(m) => {
                let id = ModelId(schema.models.len() as u32);
                let model = lower_model(&mut ctx, *file, m, id);
                schema.models.push(model);
            }
            ast::Item::Enum(e) => {
                let id = EnumId(schema.enums.len() as u32);
                let lowered = lower_enum(&mut ctx, *file, e, id);
                schema.enums.push(lowered);
            }
            ast::Item::CompositeType(c) => {
                let id = CompositeTypeId(schema.composite_types.len() as u32);
                let lowered = lower_composite(&mut ctx, *file, c, id);
                schema.composite_types.push(lowered);
            }
            _ => {}
        }
    }
}

/// Exact capacities of an owner's lists of field attributes as written, of resolved details
/// and of `@relation`s (upper bounds when attributes are rejected): they are kept for the whole
/// audit, and growing them would reallocate a few times per model.
fn attribute_counts<'t>(fields: impl Iterator<Item = ast::Field<'t>>) -> (usize, FieldDetails) {
    let (mut written, mut details, mut relations) = (0, 0, 0);
    for a in fields.flat_map(|f| f.attributes()) {
        written += 1;
        match a.name() {
            "relation" => relations += 1,
            "id" | "unique" | "default" => details += 1,
            n if n.contains('.') => details += 1,
            _ => {}
        }
    }
    (written, FieldDetails::with_capacity(details, relations))
}

fn lower_model(ctx: &mut Ctx<'_>, file: FileId, m: &ast::Model, id: ModelId) -> Model {
    let name = m.name();
    let (written, field_details) = attribute_counts(m.fields());
    let mut model = Model {
        id,
        name: Name::new(name.as_ref().map_or("", |n| n.text())),
        name_span: name.as_ref().map_or(span(file, m), |n| span(file, n)),
        span: span(file, m),
        is_view: m.is_view(),
        // Exact capacities: models are kept for the whole audit.
        fields: Vec::with_capacity(m.fields().count()),
        block_indexes: Vec::with_capacity(
            m.block_attributes()
                .filter(|a| matches!(a.name(), "id" | "unique" | "index" | "fulltext"))
                .count(),
        ),
        map: None,
        schema: None,
        ignored: None,
        doc: m.doc(),
        attributes: AttributeList::with_capacity(m.block_attributes().count()),
        field_attributes: Vec::with_capacity(written),
        field_details,
    };
    let owner = if model.is_view { "view" } else { "model" };
    let owner_name = model.name.clone();
    lower_fields(
        ctx,
        file,
        m.fields(),
        id,
        (owner, &owner_name),
        FieldsOut {
            fields: &mut model.fields,
            attributes: &mut model.field_attributes,
            details: &mut model.field_details,
        },
    );
    for attr in m.block_attributes() {
        lower_block_attribute(ctx, file, &attr, &mut model);
    }
    model.block_indexes.shrink_to_fit();
    model.field_details.shrink_to_fit();
    model
}

fn lower_composite(
    ctx: &mut Ctx<'_>,
    file: FileId,
    c: &ast::CompositeType,
    id: CompositeTypeId,
) -> CompositeType {
    let name = c.name();
    let mut out = CompositeType {
        id,
        name: Name::new(name.as_ref().map_or("", |n| n.text())),
        name_span: name.as_ref().map_or(span(file, c), |n| span(file, n)),
        span: span(file, c),
        fields: Vec::new(),
        field_attributes: Vec::new(),
        field_details: FieldDetails::default(),
        doc: c.doc(),
    };
    let owner_name = out.name.clone();
    let model = ModelId(id.0);
    lower_fields(
        ctx,
        file,
        c.fields(),
        model,
        ("composite type", &owner_name),
        FieldsOut {
            fields: &mut out.fields,
            attributes: &mut out.field_attributes,
            details: &mut out.field_details,
        },
    );
    for attr in c.block_attributes() {
        ctx.error(
            span(file, &attr),
            format!(
                "Attribute \"@@{}\" is not allowed on composite types.",
                attr.name()
            ),
        );
    }
    out
}

fn lower_enum(ctx: &mut Ctx<'_>, file: FileId, e: &ast::Enum, id: EnumId) -> Enum {
    let name = e.name();
    let mut out = Enum {
        id,
        name: Name::new(name.as_ref().map_or("", |n| n.text())),
        name_span: name.as_ref().map_or(span(file, e), |n| span(file, n)),
        span: span(file, e),
        values: Vec::new(),
        map: None,
        schema: None,
        doc: e.doc(),
    };
    for v in e.values() {
        let Some(vname) = v.name() else { continue };
        dash_in_name(ctx, span(file, &vname), vname.text(), "Enum Value");
        let mut value = EnumValue {
            name: Name::new(vname.text()),
            name_span: span(file, &vname),
            span: span(file, &v),
            map: None,
            doc: ast::doc_comments(v.syntax()),
        };
        let mut seen_attrs: Vec<&str> = Vec::new();
        for attr in v.attributes() {
            let aspan = span(file, &attr);
            if seen_attrs.contains(&attr.name()) {
                ctx.error(
                    aspan,
                    format!("Attribute \"@{}\" can only be defined once.", attr.name()),
                );
                continue;
            }
            seen_attrs.push(attr.name());
            match attr.name() {
                "map" => {
                    let args = attr.arg_list();
                    check_arguments(ctx, file, "map", &args, (Some("name"), &["name"]));
                    value.map = string_arg(&args, "name", file, aspan);
                }
                other => ctx.error(aspan, format!("Attribute not known: \"@{other}\".")),
            }
        }
        if out.values.iter().any(|x| x.name == value.name) {
            ctx.error(
                value.name_span,
                format!(
                    "Value \"{}\" is already defined on enum \"{}\".",
                    value.name, out.name
                ),
            );
            continue;
        }
        out.values.push(value);
    }
    for attr in e.block_attributes() {
        let aspan = span(file, &attr);
        let args = attr.arg_list();
        if matches!(attr.name(), "map" | "schema")
            && e.block_attributes()
                .take_while(|a| a.range() != attr.range())
                .any(|a| a.name() == attr.name())
        {
            ctx.error(
                aspan,
                format!("Attribute \"@@{}\" can only be defined once.", attr.name()),
            );
            continue;
        }
        if let Some(spec) = block_arg_spec(attr.name()).filter(|_| attr.name() != "ignore") {
            check_arguments(ctx, file, attr.name(), &args, spec);
        }
        match attr.name() {
            "map" => out.map = string_arg(&args, "name", file, aspan),
            "schema" => out.schema = string_arg(&args, "map", file, aspan),
            other => ctx.error(aspan, format!("Attribute not known: \"@{other}\".")),
        }
    }
    if out.values.is_empty() {
        ctx.error(out.name_span, "An enum must have at least one value.");
    }
    out
}

/// The arguments an attribute takes: the name of its unnamed (default) argument, if any, and
/// every name it accepts.
type ArgSpec = (Option<&'static str>, &'static [&'static str]);

/// The arguments of the field (and enum value) attribute `name`; `None` for unknown attributes
/// and native types (`@db.X`).
fn field_arg_spec(name: &str) -> Option<ArgSpec> {
    Some(match name {
        "id" | "unique" => (None, &["map", "length", "sort", "clustered"]),
        "default" => (Some("value"), &["value", "map"]),
        "relation" => (
            Some("name"),
            &[
                "name",
                "fields",
                "references",
                "onDelete",
                "onUpdate",
                "map",
            ],
        ),
        "map" => (Some("name"), &["name"]),
        "updatedAt" | "ignore" | "shardKey" => (None, &[]),
        _ => return None,
    })
}

/// The arguments of the block attribute `name`.
fn block_arg_spec(name: &str) -> Option<ArgSpec> {
    Some(match name {
        "id" | "unique" => (Some("fields"), &["fields", "name", "map", "clustered"]),
        "index" => (
            Some("fields"),
            &["fields", "name", "map", "type", "clustered", "where"],
        ),
        "fulltext" => (Some("fields"), &["fields", "map"]),
        "map" => (Some("name"), &["name"]),
        // Prisma calls the argument of `@@schema` `map`: `@@schema(name: "x")` is rejected.
        "schema" => (Some("map"), &["map"]),
        "shardKey" => (Some("fields"), &["fields"]),
        "ignore" => (None, &[]),
        _ => return None,
    })
}

/// Prisma's checks of an attribute's argument list, whatever the attribute: at most one unnamed
/// argument (`@@index(a, b)` is a forgotten `[a, b]`), no argument twice, none it does not take.
/// `name` is written with a single `@` for block attributes too, as Prisma does.
fn check_arguments(
    ctx: &mut Ctx<'_>,
    file: FileId,
    name: &str,
    args: &Option<ast::ArgList>,
    (default, accepted): ArgSpec,
) {
    let Some(list) = args else { return };
    let unnamed: Vec<ast::Arg> = list.args().filter(|a| a.name().is_none()).collect();
    if unnamed.len() > 1 {
        let texts: Vec<&str> = unnamed.iter().map(|a| a.text()).collect();
        ctx.error(
            span(file, list),
            format!(
                "Error parsing attribute \"@{name}\": You provided multiple unnamed arguments. This \
                 is not possible. Did you forget the brackets? Did you mean `[{}]`?",
                texts.join(", ")
            ),
        );
        return;
    }
    let mut seen: Vec<&str> = Vec::new();
    for arg in list.args() {
        let arg_span = span(file, &arg);
        let Some(key) = arg.name().map(|n| n.text()) else {
            if default.is_none() {
                ctx.error(
                    arg_span,
                    format!("Error parsing attribute \"@{name}\": No such argument."),
                );
            }
            continue;
        };
        if !accepted.contains(&key) {
            ctx.error(
                arg_span,
                format!("Error parsing attribute \"@{name}\": No such argument: `{key}`."),
            );
        } else if seen.contains(&key) {
            ctx.error(
                arg_span,
                format!("Argument \"{key}\" is already specified."),
            );
        } else if default == Some(key) && !unnamed.is_empty() {
            ctx.error(
                arg_span,
                format!("Argument \"{key}\" is already specified as unnamed argument."),
            );
        }
        seen.push(key);
    }
}

/// `clustered:` must be `true` or `false`, `sort:` `Asc` or `Desc` (when written).
fn check_index_values(ctx: &mut Ctx<'_>, file: FileId, args: &Option<ast::ArgList>) {
    if let Some(v) = named_value(args, "clustered")
        && named_bool(args, "clustered").is_none()
    {
        ctx.error(
            Span::new(file, v.range()),
            format!(
                "Expected a boolean value, but received literal value `{}`.",
                v.text()
            ),
        );
    }
    if let Some(v) = named_value(args, "sort")
        && v.as_const().and_then(sort_of).is_none()
    {
        ctx.error(
            Span::new(file, v.range()),
            format!(
                "Expected `Asc` or `Desc` as the sort order, but found `{}`.",
                v.text()
            ),
        );
    }
}

/// A string argument (first positional or `name:`), spanned with `attr_span`.
fn string_arg(
    args: &Option<ast::ArgList>,
    name: &str,
    _file: FileId,
    attr_span: Span,
) -> Option<Spanned<Name>> {
    let value = args.as_ref()?.named_or_first(name)?.value()?.as_name()?;
    Some(Spanned {
        value,
        span: attr_span,
    })
}

fn named_value<'t>(args: &Option<ast::ArgList<'t>>, name: &str) -> Option<ast::Expr<'t>> {
    args.as_ref()?.named(name)?.value()
}

fn named_string(args: &Option<ast::ArgList>, name: &str) -> Option<Name> {
    named_value(args, name)?.as_name()
}

fn named_bool(args: &Option<ast::ArgList>, name: &str) -> Option<bool> {
    match named_value(args, name)?.as_const()? {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn expr_u32(e: &ast::Expr) -> Option<u32> {
    match e {
        ast::Expr::Number(n) => n.text().parse().ok(),
        _ => None,
    }
}

fn sort_of(s: &str) -> Option<SortOrder> {
    match s {
        "Asc" => Some(SortOrder::Asc),
        "Desc" => Some(SortOrder::Desc),
        _ => None,
    }
}

/// Where lowered fields go: the owner's fields, its list of field attributes as written and
/// its resolved field details.
struct FieldsOut<'o> {
    fields: &'o mut Vec<Field>,
    attributes: &'o mut Vec<Spanned<Name>>,
    details: &'o mut FieldDetails,
}

/// Lower the fields of a model, view or composite type (`owner`: its kind and name) into
/// `out`, reporting and dropping a field whose name is already taken.
fn lower_fields<'t>(
    ctx: &mut Ctx<'_>,
    file: FileId,
    fields: impl Iterator<Item = ast::Field<'t>>,
    model: ModelId,
    owner: (&str, &str),
    mut out: FieldsOut<'_>,
) {
    for f in fields {
        let index = out.fields.len() as u32;
        let attributes_before = out.attributes.len();
        if !lower_field(ctx, file, &f, FieldId { model, index }, &mut out) {
            continue;
        }
        let Some((field, earlier)) = out.fields.split_last() else {
            continue;
        };
        if earlier.iter().any(|x| x.name == field.name) {
            let (name_span, name) = (field.name_span, field.name.clone());
            out.details.drop_last(field);
            out.fields.pop();
            out.attributes.truncate(attributes_before);
            let (kind, owner_name) = owner;
            ctx.error(
                name_span,
                format!("Field \"{name}\" is already defined on {kind} \"{owner_name}\"."),
            );
        }
    }
}

/// Lower a field and push it onto `out` (built in place: fields are large); `false` when the
/// field has no name.
fn lower_field(
    ctx: &mut Ctx<'_>,
    file: FileId,
    f: &ast::Field,
    id: FieldId,
    out: &mut FieldsOut<'_>,
) -> bool {
    let Some(name) = f.name() else { return false };
    let name_text = name.text();
    if name_text.is_empty() {
        return false;
    }
    dash_in_name(ctx, span(file, &name), name_text, "Field");
    let fspan = span(file, f);
    let ft = f.field_type();
    let type_span = ft.as_ref().map_or(fspan, |t| span(file, t));
    let (ty, arity) = match &ft {
        None => (FieldType::Unknown(String::new()), Arity::Required),
        Some(t) => {
            // `Type[]?` is reported by the parser; it lowers as a list.
            let arity = if t.is_list() {
                Arity::List
            } else if t.is_optional() {
                Arity::Optional
            } else {
                Arity::Required
            };
            let ty = if let Some(u) = t.unsupported() {
                FieldType::Unsupported(
                    u.string()
                        .map(|s| ast::unescape(s.text()))
                        .unwrap_or_default(),
                )
            } else {
                let tname = t.name().map_or("", |n| n.text());
                resolve_type(ctx, tname, type_span)
            };
            (ty, arity)
        }
    };
    out.fields.push(Field {
        id,
        name: Name::new(name_text),
        name_span: span(file, &name),
        span: fspan,
        ty,
        type_span,
        arity,
        updated_at: None,
        map: None,
        ignored: None,
        relation: None,
        doc: f.doc(),
        attributes: AttributeRange::default(),
        detail_range: AttributeRange::default(),
        relation_attr_at: None,
    });
    let Some(field) = out.fields.last_mut() else {
        return false;
    };
    out.details.begin(field);
    let start = out.attributes.len();
    for attr in f.attributes() {
        lower_field_attribute(
            ctx,
            file,
            &attr,
            field,
            (out.attributes, out.details),
            start,
        );
    }
    field.attributes = AttributeRange::new(start, out.attributes.len() - start);
    true
}

fn resolve_type(ctx: &mut Ctx<'_>, name: &str, span: Span) -> FieldType {
    if let Some(s) = ScalarType::from_name(name) {
        return FieldType::Scalar(s);
    }
    match ctx.names.get(name) {
        Some(TopRef::Model(m)) => FieldType::Model(*m),
        Some(TopRef::Enum(e)) => FieldType::Enum(*e),
        Some(TopRef::Composite(c)) => FieldType::Composite(*c),
        None => {
            if !name.is_empty() {
                ctx.error(
                    span,
                    format!(
                        "Type \"{name}\" is neither a built-in type, nor refers to another \
                         model, composite type, or enum."
                    ),
                );
            }
            FieldType::Unknown(name.to_string())
        }
    }
}

fn id_like(args: &Option<ast::ArgList>, span: Span) -> IdAttribute {
    IdAttribute {
        map: named_string(args, "map"),
        sort: named_value(args, "sort")
            .and_then(|v| v.as_const())
            .and_then(sort_of),
        length: named_value(args, "length").and_then(|v| expr_u32(&v)),
        clustered: named_bool(args, "clustered"),
        span,
    }
}

fn lower_field_attribute(
    ctx: &mut Ctx<'_>,
    file: FileId,
    attr: &ast::FieldAttribute,
    field: &mut Field,
    (attributes, details): (&mut Vec<Spanned<Name>>, &mut FieldDetails),
    field_start: usize,
) {
    let aspan = span(file, attr);
    let name = attr.name();
    let args = attr.arg_list();
    // Native types count as one attribute: `@db.VarChar @db.Text` is `@db` twice.
    let base = |n: &str| n.split('.').next().unwrap_or_default().to_string();
    let native = name.contains('.');
    if attributes[field_start..].iter().any(|a| {
        a.value == name || (native && a.value.contains('.') && base(&a.value) == base(name))
    }) {
        let shown = if native { base(name) } else { name.to_string() };
        ctx.error(
            aspan,
            format!("Attribute \"@{shown}\" can only be defined once."),
        );
        return;
    }
    attributes.push(Spanned {
        value: Name::new(name),
        span: aspan,
    });
    if let Some(spec) = field_arg_spec(name) {
        check_arguments(ctx, file, name, &args, spec);
        check_index_values(ctx, file, &args);
    }
    match name {
        "id" => details.push(field, FieldDetail::Id(id_like(&args, aspan))),
        "unique" => details.push(field, FieldDetail::Unique(id_like(&args, aspan))),
        "updatedAt" => field.updated_at = Some(aspan),
        "ignore" => field.ignored = Some(aspan),
        "shardKey" => {}
        "map" => {
            field.map = string_arg(&args, "name", file, aspan);
            if field.map.is_none() {
                ctx.error(
                    aspan,
                    "Error parsing attribute \"@map\": expected a string argument.",
                );
            }
        }
        "default" => {
            let value = args.as_ref().and_then(|a| a.named_or_first("value"));
            match value.and_then(|v| v.value()) {
                Some(expr) => {
                    let kind = default_kind(ctx, file, &expr);
                    let default = DefaultValue {
                        kind,
                        map: named_string(&args, "map"),
                        span: aspan,
                        value_span: Span::new(file, expr.range()),
                    };
                    details.push(field, FieldDetail::Default(default));
                }
                None => ctx.error(
                    aspan,
                    "Error parsing attribute \"@default\": missing the default value.",
                ),
            }
        }
        "relation" => {
            let relation = lower_relation_attr(ctx, file, &args, aspan);
            details.set_relation(field, relation);
        }
        _ => {
            let mut segments = name.splitn(2, '.');
            let prefix = segments.next().unwrap_or_default();
            match (segments.next(), &ctx.ds_name) {
                (Some(ty), Some(ds)) if prefix == ds => {
                    let targs = args
                        .iter()
                        .flat_map(|l| l.args())
                        .map(|a| {
                            a.value()
                                .map_or(Name::default(), |v| Name::new(v.text().trim()))
                        })
                        .collect();
                    let native = NativeTypeAttribute {
                        ty: NativeType {
                            name: Name::new(ty),
                            args: targs,
                        },
                        span: aspan,
                    };
                    details.push(field, FieldDetail::NativeType(native));
                }
                (Some(ty), Some(ds)) => ctx.error(
                    aspan,
                    format!(
                        "The prefix {prefix} is invalid. It must be equal to the name of an \
                         existing datasource e.g. {ds}. Did you mean to use {ds}.{ty}?"
                    ),
                ),
                _ => ctx.error(aspan, format!("Attribute not known: \"@{name}\".")),
            }
        }
    }
}

fn default_kind(ctx: &mut Ctx<'_>, file: FileId, expr: &ast::Expr) -> DefaultKind {
    match expr {
        ast::Expr::String(s) => {
            DefaultKind::String(s.value_cow().map(|v| Name::new(&*v)).unwrap_or_default())
        }
        ast::Expr::Number(n) => DefaultKind::Number(Name::new(n.text())),
        ast::Expr::Const(_) => match expr.as_const().unwrap_or_default() {
            "true" => DefaultKind::Boolean(true),
            "false" => DefaultKind::Boolean(false),
            other => DefaultKind::EnumValue(Name::new(other)),
        },
        ast::Expr::Array(a) => {
            DefaultKind::List(a.items().map(|i| default_kind(ctx, file, &i)).collect())
        }
        ast::Expr::Call(c) => {
            let first = c.args().next().and_then(|a| a.value());
            let first_u32 = first.as_ref().and_then(expr_u32);
            if let Some(msg) = function_args_error(c, first.as_ref(), first_u32) {
                ctx.error(
                    Span::new(file, expr.range()),
                    format!("Error parsing attribute \"@default\": {msg}"),
                );
            }
            match c.name() {
                "autoincrement" => DefaultKind::Autoincrement,
                "now" => DefaultKind::Now,
                "uuid" => DefaultKind::Uuid(first_u32),
                "cuid" => DefaultKind::Cuid(first_u32),
                "nanoid" => DefaultKind::Nanoid(first_u32),
                "ulid" => DefaultKind::Ulid,
                "auto" => DefaultKind::Auto,
                "dbgenerated" => DefaultKind::DbGenerated(first.and_then(|f| f.as_string())),
                "sequence" => {
                    DefaultKind::Sequence(c.args().map(|a| a.text().trim().to_string()).collect())
                }
                other => {
                    ctx.error(
                        Span::new(file, expr.range()),
                        format!(
                            "Error parsing attribute \"@default\": Unknown function in \
                             @default(): `{other}` is not known. You can read about the \
                             available functions here: https://pris.ly/d/attribute-functions"
                        ),
                    );
                    DefaultKind::OtherFunction(Name::new(other))
                }
            }
        }
    }
}

/// What is wrong with the arguments of a `@default` function Prisma knows, if anything.
fn function_args_error(
    c: &ast::FunctionCall,
    first: Option<&ast::Expr>,
    first_u32: Option<u32>,
) -> Option<String> {
    const SEQUENCE: [&str; 6] = [
        "virtual",
        "cache",
        "increment",
        "minValue",
        "maxValue",
        "start",
    ];
    let args: Vec<ast::Arg> = c.args().collect();
    let name = c.name();
    let one = |ok: bool| args.len() > 1 || (args.len() == 1 && (args[0].name().is_some() || !ok));
    match name {
        "autoincrement" | "now" | "ulid" | "auto" if !args.is_empty() => {
            Some(format!("`{name}()` takes no arguments."))
        }
        "uuid" | "cuid" | "nanoid" if one(first_u32.is_some()) => {
            Some(format!("`{name}()` takes a single Int argument."))
        }
        "dbgenerated" if one(first.and_then(|f| f.as_string()).is_some()) => {
            Some("`dbgenerated()` takes a single String argument.".to_string())
        }
        "sequence"
            if args
                .iter()
                .any(|a| a.name().is_none_or(|n| !SEQUENCE.contains(&n.text()))) =>
        {
            Some("Unexpected argument in `sequence()` function call".to_string())
        }
        _ => None,
    }
}

/// `[a, b]` (or a single name) as spanned names.
fn name_list(file: FileId, expr: &ast::Expr) -> NameList {
    let one = |e: &ast::Expr| {
        let value = match e {
            ast::Expr::Const(_) => Name::new(e.as_const()?),
            ast::Expr::Call(c) => Name::new(c.name()),
            _ => return None,
        };
        Some(Spanned {
            value,
            span: Span::new(file, e.range()),
        })
    };
    match expr {
        ast::Expr::Array(a) => a.items().filter_map(|i| one(&i)).collect(),
        _ => one(expr).into_iter().collect(),
    }
}

fn lower_relation_attr(
    ctx: &mut Ctx<'_>,
    file: FileId,
    args: &Option<ast::ArgList>,
    aspan: Span,
) -> RelationAttribute {
    let mut out = RelationAttribute {
        name: None,
        fields: None,
        references: None,
        on_delete: None,
        on_update: None,
        map: None,
        span: aspan,
    };
    let mut positional = 0;
    for arg in args.iter().flat_map(|l| l.args()) {
        let Some(value) = arg.value() else { continue };
        let arg_span = Span::new(file, arg.range());
        let key = arg.name().map(|n| n.text());
        if key.is_none() {
            positional += 1;
        }
        match key {
            // The name, in any position (more than one is reported by `check_arguments`).
            None | Some("name") if !matches!(value, ast::Expr::String(_)) => ctx.error(
                arg_span,
                format!(
                    "Expected a string value, but received literal value `{}`.",
                    value.text()
                ),
            ),
            None if positional == 1 => {
                out.name = value.as_name().map(|v| Spanned {
                    value: v,
                    span: arg_span,
                })
            }
            Some("name") => {
                out.name = value.as_name().map(|v| Spanned {
                    value: v,
                    span: arg_span,
                })
            }
            Some("fields") => out.fields = Some(name_list(file, &value)),
            Some("references") => out.references = Some(name_list(file, &value)),
            Some("map") => out.map = value.as_name(),
            Some(k @ ("onDelete" | "onUpdate")) => {
                let text = value.as_const().unwrap_or_else(|| value.text());
                let action = ReferentialAction::from_name(text);
                if action.is_none() {
                    ctx.error(
                        arg_span,
                        format!(
                            "Error parsing attribute \"@relation\": Invalid referential action: \
                             `{text}`"
                        ),
                    );
                }
                let v = Some(Spanned {
                    value: action,
                    span: arg_span,
                });
                if k == "onDelete" {
                    out.on_delete = v;
                } else {
                    out.on_update = v;
                }
            }
            // Unknown and extra positional arguments: reported by `check_arguments`.
            _ => {}
        }
    }
    out
}

fn lower_block_attribute(
    ctx: &mut Ctx<'_>,
    file: FileId,
    attr: &ast::BlockAttribute,
    model: &mut Model,
) {
    let aspan = span(file, attr);
    let name = attr.name();
    let args = attr.arg_list();
    let once = matches!(name, "id" | "map" | "schema" | "ignore");
    if once && model.attributes.iter().any(|a| a.value == name) {
        ctx.error(
            aspan,
            format!("Attribute \"@@{name}\" can only be defined once."),
        );
        return;
    }
    model.attributes.push(Spanned {
        value: Name::new(name),
        span: aspan,
    });
    if let Some(spec) = block_arg_spec(name) {
        check_arguments(ctx, file, name, &args, spec);
        check_index_values(ctx, file, &args);
        if name == "index"
            && named_value(&args, "name").is_some()
            && named_value(&args, "map").is_some()
        {
            ctx.error(
                aspan,
                "Error parsing attribute \"@@index\": The `@@index` attribute accepts the `name` \
                 argument as an alias for the `map` argument for legacy reasons. It does not \
                 accept both though. Please use the `map` argument to specify the database name \
                 of the index.",
            );
        }
    }
    let kind = match name {
        "id" => IndexKind::Primary,
        "unique" => IndexKind::Unique,
        "index" => IndexKind::Normal,
        "fulltext" => IndexKind::Fulltext,
        "map" | "schema" => {
            let value = string_arg(
                &args,
                if name == "map" { "name" } else { "map" },
                file,
                aspan,
            );
            if value.is_none() && args.as_ref().is_none_or(|a| a.args().next().is_none()) {
                let arg = if name == "map" { "name" } else { "map" };
                ctx.error(aspan, format!("Argument \"{arg}\" is missing."));
            }
            if name == "map" {
                model.map = value;
            } else {
                model.schema = value;
            }
            return;
        }
        "ignore" => {
            model.ignored = Some(aspan);
            return;
        }
        "shardKey" => return,
        other => {
            // Prisma names block attributes with a single `@` in this message.
            ctx.error(aspan, format!("Attribute not known: \"@{other}\"."));
            return;
        }
    };
    let columns = args
        .as_ref()
        .and_then(|a| a.named_or_first("fields"))
        .and_then(|a| a.value());
    // Prisma coerces a bare single value to a one-element list: `@@index(userId)` is
    // `@@index([userId])`, `@@id(a(sort: Desc))` is `@@id([a(sort: Desc)])`.
    let items: Vec<ast::Expr> = match columns {
        Some(ast::Expr::Array(a)) => a.items().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    let mut fields = Vec::with_capacity(items.len());
    for item in items {
        let col_span = Span::new(file, item.range());
        let (col_name, col_args) = match &item {
            ast::Expr::Const(_) => (item.as_const().unwrap_or_default(), None),
            ast::Expr::Call(c) => (c.name(), c.arg_list()),
            _ => continue,
        };
        let field = model
            .fields
            .iter()
            .find(|f| f.name == col_name)
            .map(|f| f.id);
        if let Some(v) = named_value(&col_args, "sort")
            && v.as_const().and_then(sort_of).is_none()
        {
            ctx.error(
                Span::new(file, v.range()),
                format!(
                    "Unexpected token. Expected one of: Asc, Desc (found `{}`).",
                    v.text()
                ),
            );
        }
        fields.push(IndexField {
            field,
            sort: named_value(&col_args, "sort")
                .and_then(|v| v.as_const())
                .and_then(sort_of),
            length: named_value(&col_args, "length").and_then(|v| expr_u32(&v)),
            ops: named_value(&col_args, "ops").map(|v| match v.as_const() {
                Some(c) => Name::new(c),
                None => Name::new(v.text().trim()),
            }),
            name: Name::new(col_name),
            span: col_span,
        });
    }
    if fields.is_empty() {
        ctx.error(
            aspan,
            format!(
                "Error parsing attribute \"@@{name}\": the list of fields is empty or missing."
            ),
        );
    }
    let algorithm = named_value(&args, "type").and_then(|v| {
        let t = v.as_const().unwrap_or_default();
        let a = IndexAlgorithm::from_name(t);
        if a.is_none() {
            ctx.error(
                Span::new(file, v.range()),
                format!("Error parsing attribute \"@@{name}\": Unknown index type: {t}."),
            );
        }
        a
    });
    // On `@@index`, `name:` is the old spelling of `map:` (the database name); on `@@id` and
    // `@@unique` it names the compound key in Prisma Client.
    let map = named_string(&args, "map").or_else(|| {
        matches!(kind, IndexKind::Normal | IndexKind::Fulltext)
            .then(|| named_string(&args, "name"))
            .flatten()
    });
    if let Some(client_name) = named_string(&args, "name")
        .filter(|_| matches!(kind, IndexKind::Primary | IndexKind::Unique))
        && !client_name
            .chars()
            .all(|c| c == '_' || c.is_ascii_alphanumeric())
    {
        ctx.error(
            aspan,
            format!(
                "Error validating model \"{}\": The `name` property within the `@@{name}` \
                 attribute only allows for the following characters: `_a-zA-Z0-9`.",
                model.name
            ),
        );
    }
    model.block_indexes.push(Index {
        kind,
        fields,
        name: named_string(&args, "name"),
        map,
        algorithm,
        clustered: named_bool(&args, "clustered"),
        source: IndexSource::Block,
        span: aspan,
    });
}
