//! The resolved semantic model of a Prisma schema.
//!
//! [`resolve`] lowers the lossless trees of every schema file (a multi-file schema is one
//! namespace) into a [`Schema`]: datasource and generators, models and views with typed fields
//! and resolved attributes, enums, composite types and paired [`Relation`]s with effective
//! referential actions, plus semantic [`Diagnostic`]s mirroring `prisma validate`. Every fact
//! carries spans ([`crate::span::Span`]). Resolution is best effort: broken input yields a
//! partial model and diagnostics, never a panic.
//!
//! Modules: [`types`] (models, fields, indexes), [`datasource`] (configuration blocks),
//! [`native_types`] (`@db.X` and per-provider defaults), [`relations`] (pairing and referential
//! actions), [`names`] (Prisma's default constraint names).

pub mod datasource;
pub mod names;
pub mod native_types;
pub mod relations;
mod resolve;
pub mod third_party;
pub mod types;
mod validate;

pub use datasource::{
    ConfigEntry, ConfigValue, Datasource, Extension, Generator, Provider, RelationMode,
};
pub use native_types::{NativeArgs, NativeType, default_native_type};
pub use relations::{EffectiveAction, Relation, RelationId, RelationKind, allowed_actions};
pub use types::*;

use crate::SchemaFile;
use crate::diagnostic::Diagnostic;
use crate::span::Span;

/// The resolved semantic schema.
///
/// Models, enums, composite types and relations are stored in vectors indexed by their ids
/// ([`ModelId`], [`EnumId`], [`CompositeTypeId`], [`RelationId`]).
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// Every `datasource` block in file order (Prisma allows one; extra ones are diagnosed).
    pub datasources: Vec<Datasource>,
    /// Every `generator` block in file order.
    pub generators: Vec<Generator>,
    /// Models and views, indexed by [`ModelId`]. Duplicate names are not lowered.
    pub models: Vec<Model>,
    /// Enums, indexed by [`EnumId`].
    pub enums: Vec<Enum>,
    /// Composite types, indexed by [`CompositeTypeId`].
    pub composite_types: Vec<CompositeType>,
    /// Relations, indexed by [`RelationId`].
    pub relations: Vec<Relation>,
}

impl Schema {
    /// The datasource (the first one if several are declared).
    pub fn datasource(&self) -> Option<&Datasource> {
        self.datasources.first()
    }
    /// The known provider of the datasource.
    pub fn provider(&self) -> Option<Provider> {
        self.datasource().and_then(|d| d.provider)
    }
    /// The effective relation mode (`ForeignKeys` without a datasource).
    pub fn relation_mode(&self) -> RelationMode {
        self.datasource()
            .map_or(RelationMode::ForeignKeys, Datasource::relation_mode)
    }
    /// Whether the database enforces foreign keys: false on MongoDB or with
    /// `relationMode = "prisma"`; true without a datasource.
    pub fn supports_fk(&self) -> bool {
        self.datasource().is_none_or(Datasource::supports_fk)
    }
    /// The generator named `name`.
    pub fn generator(&self, name: &str) -> Option<&Generator> {
        self.generators.iter().find(|g| g.name == name)
    }
    /// The model or view named `name`.
    pub fn model(&self, name: &str) -> Option<&Model> {
        self.models.iter().find(|m| m.name == name)
    }
    /// The model or view with id `id`.
    pub fn model_by_id(&self, id: ModelId) -> Option<&Model> {
        self.models.get(id.0 as usize)
    }
    /// Models (not views).
    pub fn models(&self) -> impl Iterator<Item = &Model> {
        self.models.iter().filter(|m| !m.is_view)
    }
    /// Views.
    pub fn views(&self) -> impl Iterator<Item = &Model> {
        self.models.iter().filter(|m| m.is_view)
    }
    /// The enum named `name`.
    pub fn enum_(&self, name: &str) -> Option<&Enum> {
        self.enums.iter().find(|e| e.name == name)
    }
    /// The enum with id `id`.
    pub fn enum_by_id(&self, id: EnumId) -> Option<&Enum> {
        self.enums.get(id.0 as usize)
    }
    /// The composite type named `name`.
    pub fn composite_type(&self, name: &str) -> Option<&CompositeType> {
        self.composite_types.iter().find(|c| c.name == name)
    }
    /// The model field with id `id`.
    pub fn field(&self, id: FieldId) -> Option<&Field> {
        self.model_by_id(id.model)?.field_at(id)
    }
    /// The field `field` of model `model`, by names.
    pub fn field_by_name(&self, model: &str, field: &str) -> Option<&Field> {
        self.model(model)?.field(field)
    }
    /// All relations.
    pub fn relations(&self) -> &[Relation] {
        &self.relations
    }
    /// The relation with id `id`.
    pub fn relation(&self, id: RelationId) -> Option<&Relation> {
        self.relations.get(id.0 as usize)
    }
    /// The relation a relation field belongs to.
    pub fn relation_of(&self, field: FieldId) -> Option<&Relation> {
        self.relation(self.field(field)?.relation?)
    }
    /// The back-relation field of a relation field.
    pub fn back_relation(&self, field: FieldId) -> Option<&Field> {
        self.field(self.relation_of(field)?.other_end(field)?)
    }
    /// The scalar foreign key fields of relation field `field` when it is the referencing side
    /// (`fields: [...]`); empty for the back-relation side and for m:n.
    pub fn fk_fields(&self, field: FieldId) -> &[FieldRef] {
        match self.relation_of(field) {
            Some(r) if r.referencing == field => &r.fields,
            _ => &[],
        }
    }
    /// The relations whose foreign key (`fields`) includes the scalar field `field`.
    pub fn relations_using_scalar(&self, field: FieldId) -> impl Iterator<Item = &Relation> {
        self.relations
            .iter()
            .filter(move |r| r.fields.contains(&field))
    }
    /// The model holding a field.
    pub fn model_of(&self, field: FieldId) -> Option<&Model> {
        self.model_by_id(field.model)
    }
    /// The native type of a scalar field as it takes effect: the `@db.X` attribute if written,
    /// else the provider's default for the scalar type. `None` without a known provider, for
    /// enums, relations and `Unsupported`, or when the provider has no such type.
    pub fn effective_native_type(&self, field: &Field) -> Option<NativeType> {
        if let Some(nt) = self.details_of(field).and_then(|d| d.native_type(field)) {
            return Some(nt.ty.clone());
        }
        default_native_type(self.provider()?, field.ty.as_scalar()?)
    }
    /// The resolved attributes of the model or composite type holding `field` (a field of this
    /// schema, or a copy of one).
    pub fn details_of(&self, field: &Field) -> Option<&FieldDetails> {
        let i = field.id.model.0 as usize;
        let holds = |fields: &[Field]| fields.get(field.id.index as usize) == Some(field);
        let model = self.models.get(i).filter(|m| holds(&m.fields));
        let composite = || self.composite_types.get(i).filter(|c| holds(&c.fields));
        match model {
            Some(m) => Some(&m.field_details),
            None => composite().map(|c| &c.field_details),
        }
    }
    /// The database column names of an index's fields.
    pub fn index_columns<'a>(&'a self, model: &'a Model, index: &'a Index) -> Vec<&'a str> {
        index
            .fields
            .iter()
            .map(|c| {
                c.field
                    .and_then(|f| model.field_at(f))
                    .map_or(c.name.as_str(), |f| f.db_name())
            })
            .collect()
    }
    /// The database name of an index or constraint: `map:` if written, else Prisma's default
    /// (`Model_pkey`, `Model_a_b_key`, `Model_a_idx`) computed from the table and column
    /// names. PostgreSQL provider assumed when unknown.
    pub fn index_db_name(&self, model: &Model, index: &Index) -> String {
        if let Some(map) = &index.map {
            return map.to_string();
        }
        let provider = self.provider().unwrap_or(Provider::PostgreSql);
        let cols = self.index_columns(model, index);
        match index.kind {
            IndexKind::Primary => names::primary_key_name(model.db_name(), provider),
            IndexKind::Unique => names::unique_index_name(model.db_name(), &cols, provider),
            IndexKind::Normal | IndexKind::Fulltext => {
                names::index_name(model.db_name(), &cols, provider)
            }
        }
    }
}

/// Resolve parsed schema files into a semantic model plus semantic diagnostics.
///
/// `files` are all the files of one schema (a folder schema is one namespace). Syntax errors are
/// not repeated here; broken declarations are skipped or lowered partially.
pub fn resolve(files: &[SchemaFile]) -> (Schema, Vec<Diagnostic>) {
    let mut schema = Schema::default();
    let mut diags = Vec::new();
    resolve::lower(files, &mut schema, &mut diags);
    relations::resolve_relations(&mut schema, &mut diags);
    schema.models.shrink_to_fit();
    schema.enums.shrink_to_fit();
    schema.composite_types.shrink_to_fit();
    schema.relations.shrink_to_fit();
    let anchor = files
        .first()
        .map(|f| Span::new(f.file, rowan::TextRange::empty(rowan::TextSize::from(0))));
    // A missing datasource only matters for a schema that declares something.
    let declares = !schema.models.is_empty() || !schema.enums.is_empty();
    validate::validate(&schema, anchor.filter(|_| declares), &mut diags);
    (schema, diags)
}
