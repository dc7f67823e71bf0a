//! The data types of the resolved model: models, fields, enums, composite types, indexes.
//!
//! Everything is owned (`String`s and typed indices), so a [`super::Schema`] can be shared and
//! stored without lifetimes. Every declaration carries [`Span`]s for exact locations.

use super::native_types::NativeType;
use super::relations::RelationId;
use crate::span::Span;

/// A name or short string of the schema (model, field, attribute, `map:` values, ...).
///
/// Strings of up to 23 bytes — nearly every identifier — are stored inline, so resolving a
/// schema does not allocate per name. Dereferences to `str` and compares with `&str`/`String`.
pub type Name = smol_str::SmolStr;

/// The attributes written on a model, in source order: name (`map`, `index`) and span. Up to
/// two are stored inline, so most models need no allocation for them. Dereferences to a slice.
pub type AttributeList = smallvec::SmallVec<[Spanned<Name>; 2]>;

/// Where a field's attributes (as written: name such as `id`, `db.VarChar`, `map`, and span)
/// are in the `field_attributes` of its model or composite type; read them with
/// [`Model::attributes_of`] or [`CompositeType::attributes_of`].
///
/// One vector per model instead of a list per field keeps `Field` small: the fields of a large
/// schema are walked several times per audit, and at 10,000 models their bytes no longer fit
/// in the CPU caches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AttributeRange {
    start: u32,
    len: u32,
}

impl AttributeRange {
    /// The attributes `start..start + len` of an owner's list.
    pub fn new(start: usize, len: usize) -> Self {
        Self {
            start: start as u32,
            len: len as u32,
        }
    }
    /// Number of attributes.
    pub fn len(self) -> usize {
        self.len as usize
    }
    /// No attributes.
    pub fn is_empty(self) -> bool {
        self.len == 0
    }
    /// These entries of `all` (the owner's list); empty if out of range.
    pub fn of<T>(self, all: &[T]) -> &[T] {
        let start = self.start as usize;
        all.get(start..start + self.len as usize).unwrap_or(&[])
    }
}

/// Index of a model or view in [`Schema::models`](super::Schema::models).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ModelId(pub u32);

/// Index of an enum in `Schema::enums`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnumId(pub u32);

/// Index of a composite type in `Schema::composite_types`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CompositeTypeId(pub u32);

/// A field of a model: the model and the field's position in [`Model::fields`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldId {
    /// The model (or view) holding the field.
    pub model: ModelId,
    /// Position in [`Model::fields`].
    pub index: u32,
}

/// Alias used by relation APIs: a reference to a model field.
pub type FieldRef = FieldId;

/// Names written in a list argument (`fields: [a, b]`), with their spans. One is stored inline
/// (most keys have one column). Dereferences to a slice.
pub type NameList = smallvec::SmallVec<[Spanned<Name>; 1]>;

/// The fields of a foreign key or its referenced key. Up to two are stored inline (nearly every
/// key), so relations need no allocation for them: at 10,000 models, freeing the resolved
/// schema's allocations is its most expensive step. Dereferences to a slice.
pub type FieldRefs = smallvec::SmallVec<[FieldRef; 2]>;

/// A string value written in the schema (e.g. the argument of `@map("x")`) and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it is written (the whole attribute or argument, see each use).
    pub span: Span,
}

/// The built-in scalar types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarType {
    /// `String`
    String,
    /// `Boolean`
    Boolean,
    /// `Int`
    Int,
    /// `BigInt`
    BigInt,
    /// `Float`
    Float,
    /// `Decimal`
    Decimal,
    /// `DateTime`
    DateTime,
    /// `Json`
    Json,
    /// `Bytes`
    Bytes,
}

impl ScalarType {
    /// Parse a built-in type name.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "String" => ScalarType::String,
            "Boolean" => ScalarType::Boolean,
            "Int" => ScalarType::Int,
            "BigInt" => ScalarType::BigInt,
            "Float" => ScalarType::Float,
            "Decimal" => ScalarType::Decimal,
            "DateTime" => ScalarType::DateTime,
            "Json" => ScalarType::Json,
            "Bytes" => ScalarType::Bytes,
            _ => return None,
        })
    }
    /// The name as written in the schema.
    pub fn as_str(self) -> &'static str {
        match self {
            ScalarType::String => "String",
            ScalarType::Boolean => "Boolean",
            ScalarType::Int => "Int",
            ScalarType::BigInt => "BigInt",
            ScalarType::Float => "Float",
            ScalarType::Decimal => "Decimal",
            ScalarType::DateTime => "DateTime",
            ScalarType::Json => "Json",
            ScalarType::Bytes => "Bytes",
        }
    }
    /// `Int`, `BigInt`, `Float`, `Decimal`.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            ScalarType::Int | ScalarType::BigInt | ScalarType::Float | ScalarType::Decimal
        )
    }
}

/// The resolved type of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// A built-in scalar.
    Scalar(ScalarType),
    /// An enum of this schema.
    Enum(EnumId),
    /// A model or view of this schema: the field is a relation field.
    Model(ModelId),
    /// A composite type (MongoDB embedded document).
    Composite(CompositeTypeId),
    /// `Unsupported("db type")`.
    Unsupported(String),
    /// A name that resolves to nothing (a diagnostic was emitted); kept for best-effort rules.
    Unknown(String),
}

impl FieldType {
    /// The scalar type, if this is one.
    pub fn as_scalar(&self) -> Option<ScalarType> {
        match self {
            FieldType::Scalar(s) => Some(*s),
            _ => None,
        }
    }
    /// The related model, if this is a relation field type.
    pub fn as_model(&self) -> Option<ModelId> {
        match self {
            FieldType::Model(m) => Some(*m),
            _ => None,
        }
    }
}

/// Required, optional or list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arity {
    /// `Type`
    Required,
    /// `Type?`
    Optional,
    /// `Type[]`
    List,
}

/// Sort order of an index column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortOrder {
    /// `sort: Asc`
    Asc,
    /// `sort: Desc`
    Desc,
}

/// Kind of an index or constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexKind {
    /// `@id` / `@@id`.
    Primary,
    /// `@unique` / `@@unique`.
    Unique,
    /// `@@index`.
    Normal,
    /// `@@fulltext`.
    Fulltext,
}

/// `type:` of an `@@index` (PostgreSQL access methods).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexAlgorithm {
    /// `BTree` (the default).
    BTree,
    /// `Hash`
    Hash,
    /// `Gist`
    Gist,
    /// `Gin`
    Gin,
    /// `SpGist`
    SpGist,
    /// `Brin`
    Brin,
}

impl IndexAlgorithm {
    /// Parse the name written after `type:`.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "BTree" => IndexAlgorithm::BTree,
            "Hash" => IndexAlgorithm::Hash,
            "Gist" => IndexAlgorithm::Gist,
            "Gin" => IndexAlgorithm::Gin,
            "SpGist" => IndexAlgorithm::SpGist,
            "Brin" => IndexAlgorithm::Brin,
            _ => return None,
        })
    }
}

/// One column of an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexField {
    /// The field name as written (for composite-type paths `a.b`, the dotted path).
    pub name: Name,
    /// The resolved field (`None` if it does not exist or is a composite path).
    pub field: Option<FieldId>,
    /// `sort:` if written.
    pub sort: Option<SortOrder>,
    /// `length:` if written (MySQL prefix length).
    pub length: Option<u32>,
    /// `ops:` (PostgreSQL operator class) as written, e.g. `JsonbPathOps` or `raw("...")`.
    pub ops: Option<Name>,
    /// Where the column is written.
    pub span: Span,
}

/// Whether an index was written as a model-level `@@` attribute or derived from a field-level one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexSource {
    /// `@@id`, `@@unique`, `@@index`, `@@fulltext`.
    Block,
    /// `@id` / `@unique` on this field.
    Field(FieldId),
}

/// An index or key constraint of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// Primary key, unique, normal or fulltext.
    pub kind: IndexKind,
    /// Columns in order.
    pub fields: Vec<IndexField>,
    /// `name:` (the client-side name of `@@id`/`@@unique`).
    pub name: Option<Name>,
    /// `map:` (the database constraint/index name); see [`Schema::index_db_name`](super::Schema::index_db_name).
    pub map: Option<Name>,
    /// `type:` of `@@index`.
    pub algorithm: Option<IndexAlgorithm>,
    /// `clustered:` (SQL Server).
    pub clustered: Option<bool>,
    /// Where it comes from.
    pub source: IndexSource,
    /// The attribute (`@@index(...)` or the field's `@unique`).
    pub span: Span,
}

impl Index {
    /// `true` for `@id`/`@@id` and `@unique`/`@@unique`.
    pub fn is_unique(&self) -> bool {
        matches!(self.kind, IndexKind::Primary | IndexKind::Unique)
    }
    /// The resolved fields (skipping unresolved columns).
    pub fn field_ids(&self) -> impl Iterator<Item = FieldId> + '_ {
        self.fields.iter().filter_map(|f| f.field)
    }
}

/// Kind of a `@default(...)` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefaultKind {
    /// `autoincrement()`
    Autoincrement,
    /// `now()`
    Now,
    /// `uuid()` / `uuid(7)`: the version if written.
    Uuid(Option<u32>),
    /// `cuid()` / `cuid(2)`.
    Cuid(Option<u32>),
    /// `nanoid()` / `nanoid(16)`: the length if written.
    Nanoid(Option<u32>),
    /// `ulid()`
    Ulid,
    /// `auto()` (MongoDB ObjectId).
    Auto,
    /// `dbgenerated("expr")`: the expression if written.
    DbGenerated(Option<String>),
    /// `sequence(...)` (CockroachDB): the arguments as written.
    Sequence(Vec<String>),
    /// A string literal (unescaped).
    String(Name),
    /// A number literal as written.
    Number(Name),
    /// `true` / `false`.
    Boolean(bool),
    /// A bare identifier: an enum value (or an invalid constant).
    EnumValue(Name),
    /// `[...]` for scalar lists.
    List(Vec<DefaultKind>),
    /// Another function call (unknown to Prisma; a diagnostic was emitted).
    OtherFunction(Name),
}

/// `@default(...)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultValue {
    /// The value.
    pub kind: DefaultKind,
    /// `map:` (SQL Server default constraint name).
    pub map: Option<Name>,
    /// The whole `@default(...)` attribute.
    pub span: Span,
    /// The value expression.
    pub value_span: Span,
}

/// `@id` on a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdAttribute {
    /// `map:` (primary key constraint name).
    pub map: Option<Name>,
    /// `sort:`
    pub sort: Option<SortOrder>,
    /// `length:`
    pub length: Option<u32>,
    /// `clustered:`
    pub clustered: Option<bool>,
    /// The attribute.
    pub span: Span,
}

/// `@unique` on a field.
pub type UniqueAttribute = IdAttribute;

/// `@db.Name(args)` on a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeTypeAttribute {
    /// The type: name after `db.` and arguments as written.
    pub ty: NativeType,
    /// The attribute.
    pub span: Span,
}

/// A referential action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferentialAction {
    /// `Cascade`
    Cascade,
    /// `Restrict`
    Restrict,
    /// `NoAction`
    NoAction,
    /// `SetNull`
    SetNull,
    /// `SetDefault`
    SetDefault,
}

impl ReferentialAction {
    /// Parse an action name.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "Cascade" => ReferentialAction::Cascade,
            "Restrict" => ReferentialAction::Restrict,
            "NoAction" => ReferentialAction::NoAction,
            "SetNull" => ReferentialAction::SetNull,
            "SetDefault" => ReferentialAction::SetDefault,
            _ => return None,
        })
    }
    /// The name as written in the schema.
    pub fn as_str(self) -> &'static str {
        match self {
            ReferentialAction::Cascade => "Cascade",
            ReferentialAction::Restrict => "Restrict",
            ReferentialAction::NoAction => "NoAction",
            ReferentialAction::SetNull => "SetNull",
            ReferentialAction::SetDefault => "SetDefault",
        }
    }
}

/// `@relation(...)` as written on a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationAttribute {
    /// The relation name (first positional argument or `name:`).
    pub name: Option<Spanned<Name>>,
    /// `fields: [...]` names with their spans; `None` when the argument is absent.
    pub fields: Option<NameList>,
    /// `references: [...]`; `None` when absent.
    pub references: Option<NameList>,
    /// `onDelete:` (the span covers the whole `onDelete: X` argument). `None` value = invalid name.
    pub on_delete: Option<Spanned<Option<ReferentialAction>>>,
    /// `onUpdate:`, like `on_delete`.
    pub on_update: Option<Spanned<Option<ReferentialAction>>>,
    /// `map:` (foreign key constraint name).
    pub map: Option<Name>,
    /// The attribute.
    pub span: Span,
}

/// A field of a model, view or composite type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Its id (for composite type fields, `model` is the composite type's index).
    pub id: FieldId,
    /// The name.
    pub name: Name,
    /// The name token.
    pub name_span: Span,
    /// The whole field (name, type and attributes).
    pub span: Span,
    /// The resolved type.
    pub ty: FieldType,
    /// The type as written (`Int?`, `Post[]`).
    pub type_span: Span,
    /// Required, optional or list.
    pub arity: Arity,
    /// `@updatedAt` span.
    pub updated_at: Option<Span>,
    /// `@map("db_name")`: the value and the attribute span.
    pub map: Option<Spanned<Name>>,
    /// `@ignore` span.
    pub ignored: Option<Span>,
    /// The resolved relation (relation fields only).
    pub relation: Option<RelationId>,
    /// `///` documentation.
    pub doc: Option<Name>,
    /// Every attribute as written, in its owner's `field_attributes` (see
    /// [`Model::attributes_of`]).
    pub attributes: AttributeRange,
    /// Where its `@id`, `@unique`, `@default` and `@db.X` are in its owner's [`FieldDetails`].
    pub(crate) detail_range: AttributeRange,
    /// Its `@relation(...)` in its owner's [`FieldDetails`].
    pub(crate) relation_attr_at: Option<u32>,
}

/// The `@id`, `@unique`, `@default`, `@db.X` and `@relation(...)` attributes of the fields of a
/// model or composite type, resolved to their meaning. Read them through the owner:
/// [`Model::id_of`], [`Model::unique_of`], [`Model::default_of`], [`Model::native_type_of`],
/// [`Model::relation_attr_of`], or on a composite type through
/// [`CompositeType::field_details`].
///
/// Most fields lack most of them, and a box per attribute made freeing a resolved schema of
/// 10,000 models its most expensive step; two vectors per owner cost two allocations in all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldDetails {
    details: Vec<FieldDetail>,
    relations: Vec<RelationAttribute>,
}

/// One resolved attribute in [`FieldDetails`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FieldDetail {
    Id(IdAttribute),
    Unique(UniqueAttribute),
    Default(DefaultValue),
    NativeType(NativeTypeAttribute),
}

/// Finds the detail of one kind among a field's details.
macro_rules! detail_of {
    ($details:expr, $field:expr, $variant:ident) => {
        $field
            .detail_range
            .of(&$details.details)
            .iter()
            .find_map(|d| match d {
                FieldDetail::$variant(a) => Some(a),
                _ => None,
            })
    };
}

impl FieldDetails {
    /// `@id` on `field`.
    pub fn id(&self, field: &Field) -> Option<&IdAttribute> {
        detail_of!(self, field, Id)
    }
    /// `@unique` on `field`.
    pub fn unique(&self, field: &Field) -> Option<&UniqueAttribute> {
        detail_of!(self, field, Unique)
    }
    /// `@default(...)` on `field`.
    pub fn default_value(&self, field: &Field) -> Option<&DefaultValue> {
        detail_of!(self, field, Default)
    }
    /// `@db.X(...)` on `field`.
    pub fn native_type(&self, field: &Field) -> Option<&NativeTypeAttribute> {
        detail_of!(self, field, NativeType)
    }
    /// `@relation(...)` on `field`, as written.
    pub fn relation(&self, field: &Field) -> Option<&RelationAttribute> {
        self.relations.get(field.relation_attr_at? as usize)
    }
    pub(crate) fn with_capacity(details: usize, relations: usize) -> Self {
        FieldDetails {
            details: Vec::with_capacity(details),
            relations: Vec::with_capacity(relations),
        }
    }
    /// Start recording the details of `field` (the last field lowered).
    pub(crate) fn begin(&self, field: &mut Field) {
        field.detail_range = AttributeRange::new(self.details.len(), 0);
        field.relation_attr_at = None;
    }
    /// Record a detail of `field` (the field recording since [`FieldDetails::begin`]).
    pub(crate) fn push(&mut self, field: &mut Field, detail: FieldDetail) {
        self.details.push(detail);
        field.detail_range.len += 1;
    }
    pub(crate) fn set_relation(&mut self, field: &mut Field, a: RelationAttribute) {
        field.relation_attr_at = Some(self.relations.len() as u32);
        self.relations.push(a);
    }
    /// Forget the details of a dropped field (the last one recorded).
    pub(crate) fn drop_last(&mut self, field: &Field) {
        self.details.truncate(field.detail_range.start as usize);
        if let Some(r) = field.relation_attr_at {
            self.relations.truncate(r as usize);
        }
    }
    pub(crate) fn shrink_to_fit(&mut self) {
        self.details.shrink_to_fit();
        self.relations.shrink_to_fit();
    }
}

impl Field {
    /// `Type?`
    pub fn is_optional(&self) -> bool {
        self.arity == Arity::Optional
    }
    /// `Type` (neither optional nor list).
    pub fn is_required(&self) -> bool {
        self.arity == Arity::Required
    }
    /// `Type[]`
    pub fn is_list(&self) -> bool {
        self.arity == Arity::List
    }
    /// A field whose type is a model.
    pub fn is_relation(&self) -> bool {
        matches!(self.ty, FieldType::Model(_))
    }
    /// A field stored in a column: not a relation field.
    pub fn is_scalar(&self) -> bool {
        !self.is_relation()
    }
    /// The column name: `@map` or the field name.
    pub fn db_name(&self) -> &str {
        self.map.as_ref().map_or(&self.name, |m| &m.value)
    }
    /// The resolved relation, if this is a relation field.
    pub fn relation(&self) -> Option<RelationId> {
        self.relation
    }
    /// `@ignore` present.
    pub fn is_ignored(&self) -> bool {
        self.ignored.is_some()
    }
}

/// A `model` or `view`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// Its id.
    pub id: ModelId,
    /// The name.
    pub name: Name,
    /// The name token.
    pub name_span: Span,
    /// The whole declaration.
    pub span: Span,
    /// `view` instead of `model`.
    pub is_view: bool,
    /// Fields in source order.
    pub fields: Vec<Field>,
    /// Model-level `@@id`, `@@unique`, `@@index`, `@@fulltext` in source order (see
    /// [`Model::indexes`] for the list including field-level `@id`/`@unique`).
    pub block_indexes: Vec<Index>,
    /// `@@map("table")`.
    pub map: Option<Spanned<Name>>,
    /// `@@schema("name")`.
    pub schema: Option<Spanned<Name>>,
    /// `@@ignore` span.
    pub ignored: Option<Span>,
    /// `///` documentation.
    pub doc: Option<Name>,
    /// Every `@@` attribute as written: the name and its span.
    pub attributes: AttributeList,
    /// The attributes written on the fields, field after field (see [`Model::attributes_of`]).
    pub field_attributes: Vec<Spanned<Name>>,
    /// The fields' `@id`, `@unique`, `@default`, `@db.X` and `@relation(...)`, resolved.
    pub field_details: FieldDetails,
}

impl Model {
    /// The attributes written on `field` (one of this model's fields), in source order.
    pub fn attributes_of(&self, field: &Field) -> &[Spanned<Name>] {
        field.attributes.of(&self.field_attributes)
    }
    /// `@id` on `field` (one of this model's fields).
    pub fn id_of(&self, field: &Field) -> Option<&IdAttribute> {
        self.field_details.id(field)
    }
    /// `@unique` on `field`.
    pub fn unique_of(&self, field: &Field) -> Option<&UniqueAttribute> {
        self.field_details.unique(field)
    }
    /// `@default(...)` on `field`.
    pub fn default_of(&self, field: &Field) -> Option<&DefaultValue> {
        self.field_details.default_value(field)
    }
    /// `@db.X(...)` on `field`.
    pub fn native_type_of(&self, field: &Field) -> Option<&NativeTypeAttribute> {
        self.field_details.native_type(field)
    }
    /// `@relation(...)` on `field`, as written.
    pub fn relation_attr_of(&self, field: &Field) -> Option<&RelationAttribute> {
        self.field_details.relation(field)
    }
    /// The table name: `@@map` or the model name.
    pub fn db_name(&self) -> &str {
        self.map.as_ref().map_or(&self.name, |m| &m.value)
    }
    /// `@@ignore` present.
    pub fn is_ignored(&self) -> bool {
        self.ignored.is_some()
    }
    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
    /// The field at `id.index` (ignores `id.model`).
    pub fn field_at(&self, id: FieldId) -> Option<&Field> {
        self.fields.get(id.index as usize)
    }
    /// Relation fields.
    pub fn relation_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.is_relation())
    }
    /// Scalar (column) fields.
    pub fn scalar_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.is_scalar())
    }
    /// All indexes and key constraints: field-level `@id`/`@unique` first (in field order), then
    /// the model-level ones in source order.
    pub fn indexes(&self) -> Vec<Index> {
        let mut out = Vec::new();
        for f in &self.fields {
            for (kind, attr) in [
                (IndexKind::Primary, self.id_of(f)),
                (IndexKind::Unique, self.unique_of(f)),
            ] {
                if let Some(a) = attr {
                    out.push(Index {
                        kind,
                        fields: vec![IndexField {
                            name: f.name.clone(),
                            field: Some(f.id),
                            sort: a.sort,
                            length: a.length,
                            ops: None,
                            span: f.name_span,
                        }],
                        name: None,
                        map: a.map.clone(),
                        algorithm: None,
                        clustered: a.clustered,
                        source: IndexSource::Field(f.id),
                        span: a.span,
                    });
                }
            }
        }
        out.extend(self.block_indexes.iter().cloned());
        out
    }
    /// The same list as [`Model::indexes`], as borrowed views: nothing is cloned or allocated.
    pub fn index_refs(&self) -> impl Iterator<Item = IndexRef<'_>> + Clone {
        self.fields
            .iter()
            .flat_map(|f| {
                let id = self
                    .id_of(f)
                    .map(|a| IndexRef::of_field(IndexKind::Primary, f, a));
                let unique = self
                    .unique_of(f)
                    .map(|a| IndexRef::of_field(IndexKind::Unique, f, a));
                id.into_iter().chain(unique)
            })
            .chain(self.block_indexes.iter().map(IndexRef::from))
    }
    /// The primary key (`@id` or `@@id`), if any.
    pub fn primary_key(&self) -> Option<Index> {
        self.primary_key_ref().map(|i| i.to_index())
    }
    /// The primary key (`@id` or `@@id`) as a borrowed view, if any.
    pub fn primary_key_ref(&self) -> Option<IndexRef<'_>> {
        self.index_refs().find(|i| i.kind == IndexKind::Primary)
    }
    /// Whether the model has a unique criterion made of required fields only
    /// (`@id`, `@@id`, or a `@unique`/`@@unique` over required fields), as Prisma demands.
    pub fn has_unique_criteria(&self) -> bool {
        self.index_refs().any(|i| {
            i.is_unique()
                && !i.is_empty()
                && i.columns().all(|c| {
                    c.field
                        .and_then(|id| self.field_at(id))
                        // Scalar lists count: Prisma accepts `@@unique([tags])`.
                        .is_some_and(|f| !f.is_optional() && !f.is_relation())
                })
        })
    }
}

/// A borrowed view of an index or key constraint (see [`Model::index_refs`]): the same data as
/// [`Index`], without cloning names or column lists.
#[derive(Debug, Clone, Copy)]
pub struct IndexRef<'a> {
    /// Primary key, unique, normal or fulltext.
    pub kind: IndexKind,
    /// `name:` (the client-side name of `@@id`/`@@unique`).
    pub name: Option<&'a str>,
    /// `map:` (the database constraint/index name).
    pub map: Option<&'a str>,
    /// `type:` of `@@index`.
    pub algorithm: Option<IndexAlgorithm>,
    /// `clustered:` (SQL Server).
    pub clustered: Option<bool>,
    /// Where it comes from.
    pub source: IndexSource,
    /// The attribute (`@@index(...)` or the field's `@unique`).
    pub span: Span,
    columns: Columns<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Columns<'a> {
    /// The single column of a field-level `@id`/`@unique`.
    Field(&'a Field, &'a IdAttribute),
    /// The columns of a model-level index.
    Block(&'a [IndexField]),
}

/// A borrowed view of one index column (see [`IndexField`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexColumn<'a> {
    /// The field name as written.
    pub name: &'a str,
    /// The resolved field.
    pub field: Option<FieldId>,
    /// `sort:` if written.
    pub sort: Option<SortOrder>,
    /// `length:` if written.
    pub length: Option<u32>,
    /// `ops:` as written.
    pub ops: Option<&'a str>,
    /// Where the column is written.
    pub span: Span,
}

impl<'a> From<&'a IndexField> for IndexColumn<'a> {
    fn from(c: &'a IndexField) -> Self {
        IndexColumn {
            name: &c.name,
            field: c.field,
            sort: c.sort,
            length: c.length,
            ops: c.ops.as_deref(),
            span: c.span,
        }
    }
}

impl IndexColumn<'_> {
    /// An owned copy.
    pub fn to_index_field(&self) -> IndexField {
        IndexField {
            name: Name::new(self.name),
            field: self.field,
            sort: self.sort,
            length: self.length,
            ops: self.ops.map(Name::new),
            span: self.span,
        }
    }
}

/// Iterator over the columns of an [`IndexRef`].
#[derive(Debug, Clone)]
pub struct IndexColumns<'a> {
    index: IndexRef<'a>,
    next: usize,
}

impl<'a> Iterator for IndexColumns<'a> {
    type Item = IndexColumn<'a>;
    fn next(&mut self) -> Option<IndexColumn<'a>> {
        let c = self.index.column(self.next)?;
        self.next += 1;
        Some(c)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.index.len().saturating_sub(self.next);
        (n, Some(n))
    }
}

impl ExactSizeIterator for IndexColumns<'_> {}

impl<'a> From<&'a Index> for IndexRef<'a> {
    fn from(i: &'a Index) -> Self {
        IndexRef {
            kind: i.kind,
            name: i.name.as_deref(),
            map: i.map.as_deref(),
            algorithm: i.algorithm,
            clustered: i.clustered,
            source: i.source,
            span: i.span,
            columns: Columns::Block(&i.fields),
        }
    }
}

impl<'a> IndexRef<'a> {
    fn of_field(kind: IndexKind, f: &'a Field, a: &'a IdAttribute) -> Self {
        IndexRef {
            kind,
            name: None,
            map: a.map.as_deref(),
            algorithm: None,
            clustered: a.clustered,
            source: IndexSource::Field(f.id),
            span: a.span,
            columns: Columns::Field(f, a),
        }
    }
    /// `true` for `@id`/`@@id` and `@unique`/`@@unique`.
    pub fn is_unique(&self) -> bool {
        matches!(self.kind, IndexKind::Primary | IndexKind::Unique)
    }
    /// Number of columns.
    pub fn len(&self) -> usize {
        match self.columns {
            Columns::Field(..) => 1,
            Columns::Block(c) => c.len(),
        }
    }
    /// No columns (`@@index([])`).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The column at position `i`.
    pub fn column(&self, i: usize) -> Option<IndexColumn<'a>> {
        match self.columns {
            Columns::Field(f, a) => (i == 0).then(|| IndexColumn {
                name: &f.name,
                field: Some(f.id),
                sort: a.sort,
                length: a.length,
                ops: None,
                span: f.name_span,
            }),
            Columns::Block(c) => c.get(i).map(IndexColumn::from),
        }
    }
    /// Columns in order.
    pub fn columns(&self) -> IndexColumns<'a> {
        IndexColumns {
            index: *self,
            next: 0,
        }
    }
    /// The names of the columns, in order.
    pub fn column_names(&self) -> impl ExactSizeIterator<Item = &'a str> + Clone + use<'a> {
        self.columns().map(|c| c.name)
    }
    /// The resolved fields (skipping unresolved columns).
    pub fn field_ids(&self) -> impl Iterator<Item = FieldId> + Clone + use<'a> {
        self.columns().filter_map(|c| c.field)
    }
    /// An owned [`Index`] (as [`Model::indexes`] returns it).
    pub fn to_index(&self) -> Index {
        Index {
            kind: self.kind,
            fields: self.columns().map(|c| c.to_index_field()).collect(),
            name: self.name.map(Name::new),
            map: self.map.map(Name::new),
            algorithm: self.algorithm,
            clustered: self.clustered,
            source: self.source,
            span: self.span,
        }
    }
}

/// A value of an enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    /// The name.
    pub name: Name,
    /// The name token.
    pub name_span: Span,
    /// The whole value line.
    pub span: Span,
    /// `@map("db")`.
    pub map: Option<Spanned<Name>>,
    /// `///` documentation.
    pub doc: Option<Name>,
}

impl EnumValue {
    /// The database value: `@map` or the name.
    pub fn db_name(&self) -> &str {
        self.map.as_ref().map_or(&self.name, |m| &m.value)
    }
}

/// An `enum`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enum {
    /// Its id.
    pub id: EnumId,
    /// The name.
    pub name: Name,
    /// The name token.
    pub name_span: Span,
    /// The whole declaration.
    pub span: Span,
    /// Values in source order.
    pub values: Vec<EnumValue>,
    /// `@@map("db_type")`.
    pub map: Option<Spanned<Name>>,
    /// `@@schema("name")`.
    pub schema: Option<Spanned<Name>>,
    /// `///` documentation.
    pub doc: Option<Name>,
}

impl Enum {
    /// The database type name: `@@map` or the enum name.
    pub fn db_name(&self) -> &str {
        self.map.as_ref().map_or(&self.name, |m| &m.value)
    }
    /// The value named `name`.
    pub fn value(&self, name: &str) -> Option<&EnumValue> {
        self.values.iter().find(|v| v.name == name)
    }
}

/// A composite `type` (MongoDB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompositeType {
    /// Its id.
    pub id: CompositeTypeId,
    /// The name.
    pub name: Name,
    /// The name token.
    pub name_span: Span,
    /// The whole declaration.
    pub span: Span,
    /// Fields (their `id.model` holds this type's index; relations are not allowed).
    pub fields: Vec<Field>,
    /// The attributes written on the fields, field after field (see
    /// [`CompositeType::attributes_of`]).
    pub field_attributes: Vec<Spanned<Name>>,
    /// The fields' `@id`, `@unique`, `@default` and `@db.X`, resolved.
    pub field_details: FieldDetails,
    /// `///` documentation.
    pub doc: Option<Name>,
}

impl CompositeType {
    /// The attributes written on `field` (one of this type's fields), in source order.
    pub fn attributes_of(&self, field: &Field) -> &[Spanned<Name>] {
        field.attributes.of(&self.field_attributes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A resolved schema holds one `Field` per field for the whole audit, and copies dominate
    /// resolution time: keep it small (it was 632 bytes before boxing the rare attributes, 344
    /// before its attribute list moved into the model, 256 before the boxed attributes did).
    #[test]
    fn field_stays_small() {
        assert!(
            std::mem::size_of::<Field>() <= 232,
            "{}",
            std::mem::size_of::<Field>()
        );
        assert!(
            std::mem::size_of::<Model>() <= 392,
            "{}",
            std::mem::size_of::<Model>()
        );
    }
}
