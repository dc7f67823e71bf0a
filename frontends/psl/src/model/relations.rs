//! Relations: pairing relation fields with their back-relation fields, foreign keys and the
//! effective referential actions.
//!
//! Effective referential actions follow Prisma (psl-core `RelationField::default_on_delete_action`):
//! - `onDelete` defaults to `SetNull` when every foreign key scalar is optional, else `Restrict`,
//!   or `NoAction` where `Restrict` is not available (SQL Server with foreign keys);
//! - `onUpdate` defaults to `Cascade`;
//! - implicit many-to-many join tables cascade both ways.
//!
//! With `relationMode = "prisma"` (and on MongoDB) the same defaults apply but the actions are
//! emulated by Prisma Client; the accepted set is `Cascade`, `Restrict`, `SetNull` plus
//! `NoAction` except on PostgreSQL and SQLite (verified against `prisma validate` 6.19), and
//! `NoAction` then behaves like `Restrict`. `SetDefault` is never accepted in that mode.

use super::Schema;
use super::datasource::{Provider, RelationMode};
use super::names;
use super::types::*;
use crate::diagnostic::Diagnostic;
use crate::fxhash::{FxHashMap, FxHashSet};
use crate::span::Span;

/// Index of a relation in `Schema::relations`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RelationId(pub u32);

/// Cardinality of a relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelationKind {
    /// Both relation fields are singular.
    OneToOne,
    /// One side is a list, the other singular (holding the foreign key).
    OneToMany,
    /// Both sides are lists: an implicit many-to-many relation with a join table.
    ManyToMany,
}

/// A referential action as it takes effect, and whether it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EffectiveAction {
    /// The action in effect.
    pub action: ReferentialAction,
    /// `true` when written (`onDelete: X`), `false` when Prisma's default applies.
    pub explicit: bool,
    /// The `onDelete: X` / `onUpdate: X` argument when explicit.
    pub span: Option<Span>,
}

/// A resolved relation between two models.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// Its id.
    pub id: RelationId,
    /// The explicit relation name (`@relation("Name")`), if any.
    pub name: Option<Name>,
    /// 1:1, 1:n or implicit m:n.
    pub kind: RelationKind,
    /// The relation field holding `fields`/`references` (the foreign key side). For 1:n this is
    /// the singular side even when `fields` is missing; for m:n the field on the model whose
    /// name sorts first (source order for self relations).
    pub referencing: FieldId,
    /// The back-relation field; `None` when it is missing (a diagnostic was emitted).
    pub referenced: Option<FieldId>,
    /// The model holding the foreign key.
    pub referencing_model: ModelId,
    /// The model the foreign key points to.
    pub referenced_model: ModelId,
    /// The scalar foreign key fields on `referencing_model` (`fields: [...]`), resolved.
    pub fields: FieldRefs,
    /// The referenced fields on `referenced_model` (`references: [...]`), resolved.
    pub references: FieldRefs,
    /// Effective `onDelete`.
    pub on_delete: EffectiveAction,
    /// Effective `onUpdate`.
    pub on_update: EffectiveAction,
    /// The implicit m:n join table (`_AToB` or `_RelationName`).
    pub join_table: Option<Name>,
    /// The database name of the foreign key constraint (`map:` or Prisma's default name), when
    /// the database enforces foreign keys and the relation has `fields`.
    pub fk_name: Option<Name>,
    /// Both ends are on the same model.
    pub is_self: bool,
}

impl Relation {
    /// The relation field on the other side of `field`.
    pub fn other_end(&self, field: FieldId) -> Option<FieldId> {
        if field == self.referencing {
            self.referenced
        } else if Some(field) == self.referenced {
            Some(self.referencing)
        } else {
            None
        }
    }
    /// Both relation fields (the back-relation may be missing).
    pub fn ends(&self) -> impl Iterator<Item = FieldId> {
        std::iter::once(self.referencing).chain(self.referenced)
    }
    /// Implicit many-to-many.
    pub fn is_many_to_many(&self) -> bool {
        self.kind == RelationKind::ManyToMany
    }
}

/// The referential actions Prisma accepts for `provider` in `mode` (unknown provider: all).
pub fn allowed_actions(
    provider: Option<Provider>,
    mode: RelationMode,
) -> &'static [ReferentialAction] {
    use ReferentialAction::*;
    const ALL: &[ReferentialAction] = &[Cascade, Restrict, NoAction, SetNull, SetDefault];
    match (provider, mode) {
        (Some(Provider::SqlServer), RelationMode::ForeignKeys) => {
            &[Cascade, NoAction, SetNull, SetDefault]
        }
        (Some(Provider::PostgreSql | Provider::Sqlite), RelationMode::Prisma) => {
            &[Cascade, Restrict, SetNull]
        }
        (_, RelationMode::Prisma) => &[Cascade, Restrict, NoAction, SetNull],
        _ => ALL,
    }
}

struct RelField {
    id: FieldId,
    target: ModelId,
    name: Option<Name>,
}

fn field(schema: &Schema, id: FieldId) -> Option<&Field> {
    schema
        .models
        .get(id.model.0 as usize)?
        .fields
        .get(id.index as usize)
}

fn model_name(schema: &Schema, id: ModelId) -> &str {
    schema.models.get(id.0 as usize).map_or("", |m| &m.name)
}

/// Pair relation fields, compute relations and emit relation diagnostics.
pub(crate) fn resolve_relations(schema: &mut Schema, diags: &mut Vec<Diagnostic>) {
    let mut rel_fields = Vec::new();
    for m in &schema.models {
        for f in &m.fields {
            if let FieldType::Model(target) = f.ty {
                rel_fields.push(RelField {
                    id: f.id,
                    target,
                    name: m
                        .relation_attr_of(f)
                        .and_then(|r| r.name.as_ref())
                        .map(|n| n.value.clone()),
                });
            }
        }
    }
    // Relation fields grouped by (model, target model, relation name), in source order: the
    // candidates of a pairing are looked up instead of scanning every relation field. (One
    // sorted vector with a range per group allocates less, but its large short-lived buffers
    // made glibc trim and re-fault the heap on every parse of 10,000 models: ~30% of the time
    // in page faults. Small vectors per group do not.)
    // Two ids inline: nearly every group is one side of one relation.
    let mut groups: FxHashMap<(ModelId, ModelId, Option<&str>), FieldRefs> = FxHashMap::default();
    for x in &rel_fields {
        groups
            .entry((x.id.model, x.target, x.name.as_deref()))
            .or_default()
            .push(x.id);
    }
    let mut assigned: FxHashSet<FieldId> = FxHashSet::default();
    let mut pairs: Vec<(FieldId, Option<FieldId>)> = Vec::new();
    let (mut side_a, mut side_b) = (Vec::new(), Vec::new());
    for rf in &rel_fields {
        if assigned.contains(&rf.id) {
            continue;
        }
        let a = rf.id.model;
        let b = rf.target;
        // Reused buffers: most sides hold one field, and this runs per relation field.
        let side = |out: &mut Vec<FieldId>, model: ModelId, target: ModelId| {
            out.clear();
            if let Some(ids) = groups.get(&(model, target, rf.name.as_deref())) {
                out.extend(ids.iter().copied().filter(|x| !assigned.contains(x)));
            }
        };
        side(&mut side_a, a, b);
        if a == b {
            side_b.clear();
        } else {
            side(&mut side_b, b, a);
        }
        for id in side_a.iter().chain(&side_b) {
            assigned.insert(*id);
        }
        if a == b {
            match side_a.as_slice() {
                [x, y] => pairs.push((*x, Some(*y))),
                [x] => {
                    missing_back_relation(schema, *x, diags);
                    pairs.push((*x, None));
                }
                many => {
                    ambiguous(schema, many, rf.name.as_deref(), diags);
                    pairs.extend(many.iter().map(|x| (*x, None)));
                }
            }
            continue;
        }
        match (side_a.as_slice(), side_b.as_slice()) {
            ([x], [y]) => pairs.push((*x, Some(*y))),
            ([x], []) => {
                missing_back_relation(schema, *x, diags);
                pairs.push((*x, None));
            }
            _ => {
                for s in [&side_a, &side_b] {
                    if s.len() > 1 {
                        ambiguous(schema, s, rf.name.as_deref(), diags);
                    }
                }
                pairs.extend(side_a.iter().chain(&side_b).map(|x| (*x, None)));
            }
        }
    }
    schema.relations.reserve_exact(pairs.len());
    for (x, y) in pairs {
        let id = RelationId(schema.relations.len() as u32);
        let Some(rel) = build_relation(schema, id, x, y, diags) else {
            continue;
        };
        for end in rel.ends() {
            if let Some(f) = schema
                .models
                .get_mut(end.model.0 as usize)
                .and_then(|m| m.fields.get_mut(end.index as usize))
            {
                f.relation = Some(id);
            }
        }
        schema.relations.push(rel);
    }
}

fn missing_back_relation(schema: &Schema, id: FieldId, diags: &mut Vec<Diagnostic>) {
    let Some(f) = field(schema, id) else { return };
    let model = model_name(schema, id.model);
    let target =
        f.ty.as_model()
            .map(|t| model_name(schema, t))
            .unwrap_or_default();
    diags.push(Diagnostic::error(
        f.span,
        format!(
            "Error validating field `{}` in model `{model}`: The relation field `{}` on model \
             `{model}` is missing an opposite relation field on the model `{target}`. Either run \
             `prisma format` or add it manually.",
            f.name, f.name
        ),
    ));
}

fn ambiguous(schema: &Schema, ids: &[FieldId], name: Option<&str>, diags: &mut Vec<Diagnostic>) {
    let Some(first) = ids.first().and_then(|id| field(schema, *id)) else {
        return;
    };
    let model = model_name(schema, first.id.model);
    let target = first
        .ty
        .as_model()
        .map(|t| model_name(schema, t))
        .unwrap_or_default();
    for id in ids.iter().skip(1) {
        let Some(f) = field(schema, *id) else {
            continue;
        };
        let msg = match name {
            None => format!(
                "Error validating model \"{model}\": Ambiguous relation detected. The fields `{}` \
                 and `{}` in model `{model}` both refer to `{target}`. Please provide different \
                 relation names for them by adding `@relation(<name>).",
                first.name, f.name
            ),
            Some(n) => format!(
                "Error validating model \"{model}\": Wrongly named relation detected. The fields \
                 `{}` and `{}` in model `{model}` both use the same relation name \"{n}\". Please \
                 provide different relation names for them through `@relation(<name>).",
                first.name, f.name
            ),
        };
        diags.push(Diagnostic::error(f.span, msg));
    }
}

/// `@relation(...)` on a relation field of `schema`.
fn rel_attr<'s>(schema: &'s Schema, f: &Field) -> Option<&'s RelationAttribute> {
    schema
        .models
        .get(f.id.model.0 as usize)?
        .relation_attr_of(f)
}

fn has_fk_args(schema: &Schema, f: &Field) -> bool {
    rel_attr(schema, f).is_some_and(|r| r.fields.is_some() || r.references.is_some())
}

fn has_actions(schema: &Schema, f: &Field) -> Option<Span> {
    let r = rel_attr(schema, f)?;
    r.on_delete
        .as_ref()
        .or(r.on_update.as_ref())
        .map(|a| a.span)
}

fn build_relation(
    schema: &Schema,
    id: RelationId,
    x: FieldId,
    y: Option<FieldId>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Relation> {
    let fx = field(schema, x)?;
    let fy = y.and_then(|y| field(schema, y));
    let provider = schema.provider();
    let mode = schema.relation_mode();
    let is_mongo = provider == Some(Provider::MongoDb);
    let err = |diags: &mut Vec<Diagnostic>, span: Span, msg: String| {
        diags.push(Diagnostic::error(span, msg));
    };
    let mname = |f: &Field| model_name(schema, f.id.model);

    // Orientation and kind.
    let (kind, referencing, back) = match fy {
        None => {
            let kind = if fx.is_list() || has_fk_args(schema, fx) {
                RelationKind::OneToMany
            } else {
                RelationKind::OneToOne
            };
            (kind, fx, None)
        }
        Some(fy) => match (fx.is_list(), fy.is_list()) {
            (true, true) => {
                let x_first = x.model == fy.id.model || mname(fx) <= mname(fy);
                let (r, b) = if x_first { (fx, fy) } else { (fy, fx) };
                (RelationKind::ManyToMany, r, Some(b))
            }
            (true, false) => (RelationKind::OneToMany, fy, Some(fx)),
            (false, true) => (RelationKind::OneToMany, fx, Some(fy)),
            (false, false) => {
                let (r, b) = if !has_fk_args(schema, fx) && has_fk_args(schema, fy) {
                    (fy, fx)
                } else {
                    (fx, fy)
                };
                (RelationKind::OneToOne, r, Some(b))
            }
        },
    };
    let referencing_model = referencing.id.model;
    let referenced_model = referencing.ty.as_model()?;
    let own_model_name = mname(referencing);

    // Shape diagnostics.
    match (kind, back) {
        (RelationKind::ManyToMany, Some(back)) if !is_mongo => {
            for f in [referencing, back] {
                if has_fk_args(schema, f) || has_actions(schema, f).is_some() {
                    let at = rel_attr(schema, f).map_or(f.span, |r| r.span);
                    err(
                        diags,
                        at,
                        format!(
                            "The relation field `{}` on model `{}` is part of an implicit \
                             many-to-many relation and must not specify `fields`, `references`, \
                             `onDelete` or `onUpdate`. Use an explicit join model instead.",
                            f.name,
                            mname(f)
                        ),
                    );
                }
                let target =
                    f.ty.as_model()
                        .and_then(|t| schema.models.get(t.0 as usize));
                if let Some(t) = target
                    && !t.fields.iter().any(|tf| t.id_of(tf).is_some())
                {
                    err(
                        diags,
                        f.span,
                        format!(
                            "Error validating field `{}` in model `{}`: The relation field `{}` on \
                             Model `{}` references \
                             `{}` which does not have an `@id` field. Models without `@id` cannot \
                             be part of a many to many relation. Use an explicit intermediate \
                             Model to represent this relationship.",
                            f.name,
                            mname(f),
                            f.name,
                            mname(f),
                            t.name
                        ),
                    );
                }
            }
        }
        (RelationKind::OneToMany, Some(back))
            if has_fk_args(schema, back) || has_actions(schema, back).is_some() =>
        {
            err(
                diags,
                rel_attr(schema, back).map_or(back.span, |r| r.span),
                format!(
                    "Error parsing attribute \"@relation\": The relation field `{}` on Model \
                         `{}` must not specify the `fields`, `references`, `onDelete` or \
                         `onUpdate` argument in the @relation attribute. You must only specify \
                         it on the opposite field `{}` on model `{}`.",
                    back.name,
                    mname(back),
                    referencing.name,
                    own_model_name
                ),
            );
        }
        (RelationKind::OneToOne, Some(back)) => {
            if has_fk_args(schema, referencing) && has_fk_args(schema, back) && !is_mongo {
                err(
                    diags,
                    rel_attr(schema, back).map_or(back.span, |r| r.span),
                    format!(
                        "Error parsing attribute \"@relation\": The relation fields `{}` on Model \
                         `{}` and `{}` on Model `{}` both provide the `fields` or `references` \
                         argument in the @relation attribute. You have to provide it only on one \
                         of the two fields.",
                        referencing.name,
                        own_model_name,
                        back.name,
                        mname(back)
                    ),
                );
            } else if !has_fk_args(schema, referencing) {
                err(
                    diags,
                    referencing.span,
                    format!(
                        "Error parsing attribute \"@relation\": The relation fields `{}` on Model \
                         `{}` and `{}` on Model `{}` do not provide the `fields` argument in the \
                         @relation attribute. You have to provide it on one of the two fields.",
                        referencing.name,
                        own_model_name,
                        back.name,
                        mname(back)
                    ),
                );
            } else {
                if back.is_required() {
                    err(
                        diags,
                        back.span,
                        format!(
                            "Error parsing attribute \"@relation\": The relation field `{}` on \
                             Model `{}` is required. This is not valid because it's not possible \
                             to enforce this constraint on the database level. Please change the \
                             field type from `{}` to `{}?` to fix this.",
                            back.name,
                            mname(back),
                            own_model_name,
                            own_model_name
                        ),
                    );
                }
                if let Some(s) = has_actions(schema, back) {
                    err(
                        diags,
                        s,
                        format!(
                            "Error parsing attribute \"@relation\": The relation field `{}` on \
                             Model `{}` must not specify the `onDelete` or `onUpdate` argument in \
                             the @relation attribute. You must only specify it on the opposite \
                             field `{}` on model `{}`.",
                            back.name,
                            mname(back),
                            referencing.name,
                            own_model_name
                        ),
                    );
                }
            }
        }
        _ => {}
    }

    // MongoDB many-to-many: the other side has `fields` and `references` too.
    if is_mongo
        && kind == RelationKind::ManyToMany
        && let Some(back) = back
        && let Some(attr) = rel_attr(schema, back)
        && let (Some(own), Some(other)) = (
            schema.models.get(back.id.model.0 as usize),
            schema.models.get(referencing_model.0 as usize),
        )
    {
        let missing = |names: Option<&[Spanned<Name>]>, model: &Model| -> Vec<(Span, String)> {
            names
                .unwrap_or_default()
                .iter()
                .filter(|n| model.field(&n.value).is_none())
                .map(|n| (n.span, n.value.to_string()))
                .collect()
        };
        if let Some((span, name)) = missing(attr.fields.as_deref(), own).into_iter().next() {
            err(
                diags,
                span,
                format!(
                    "Error parsing attribute \"@relation\": The argument fields must refer only to \
                     existing fields. The following fields do not exist in this model: {name}"
                ),
            );
        }
        if let Some((span, name)) = missing(attr.references.as_deref(), other)
            .into_iter()
            .next()
        {
            err(
                diags,
                span,
                format!(
                    "Error parsing attribute \"@relation\": The argument `references` must refer \
                     only to existing fields in the related model `{}`. The following fields do \
                     not exist in the related model: {name}",
                    other.name
                ),
            );
        }
    }

    // Foreign key fields (1:1 and 1:n; MongoDB m:n uses them too).
    let attr = rel_attr(schema, referencing);
    let mut fields = FieldRefs::new();
    let mut references = FieldRefs::new();
    let needs_fk = kind != RelationKind::ManyToMany && !referencing.is_list();
    if let Some(attr) = attr {
        let own = schema.models.get(referencing_model.0 as usize)?;
        let other = schema.models.get(referenced_model.0 as usize)?;
        let declared_fields = attr.fields.as_deref().unwrap_or_default();
        let declared_refs = attr.references.as_deref().unwrap_or_default();
        let mut unknown = Vec::new();
        let mut relation_fields = Vec::new();
        for n in declared_fields {
            match own.field(&n.value) {
                Some(f) if f.is_relation() => relation_fields.push(n),
                Some(f) => fields.push(f.id),
                None => unknown.push(n),
            }
        }
        if let Some(first) = unknown.first() {
            let list: Vec<&str> = unknown.iter().map(|n| n.value.as_str()).collect();
            err(
                diags,
                first.span,
                format!(
                    "Error parsing attribute \"@relation\": The argument fields must refer only \
                     to existing fields. The following fields do not exist in this model: {}",
                    list.join(", ")
                ),
            );
        }
        if let Some(first) = relation_fields.first() {
            let list: Vec<&str> = relation_fields.iter().map(|n| n.value.as_str()).collect();
            err(
                diags,
                first.span,
                format!(
                    "Error parsing attribute \"@relation\": The argument fields must refer only \
                     to scalar fields. But it is referencing the following relation fields: {}",
                    list.join(", ")
                ),
            );
        }
        let mut unknown_refs = Vec::new();
        for n in declared_refs {
            match other.field(&n.value) {
                Some(f) => references.push(f.id),
                None => unknown_refs.push(n),
            }
        }
        if let Some(first) = unknown_refs.first() {
            let list: Vec<&str> = unknown_refs.iter().map(|n| n.value.as_str()).collect();
            err(
                diags,
                first.span,
                format!(
                    "Error parsing attribute \"@relation\": The argument `references` must refer \
                     only to existing fields in the related model `{}`. The following fields do \
                     not exist in the related model: {}",
                    other.name,
                    list.join(", ")
                ),
            );
        }
        if needs_fk && attr.fields.is_some() && attr.references.is_none() {
            err(
                diags,
                attr.span,
                format!(
                    "Error parsing attribute \"@relation\": The relation field `{}` on Model `{}` \
                     must specify the `references` argument in the @relation attribute.",
                    referencing.name, own.name
                ),
            );
        } else if needs_fk && attr.references.is_some() && attr.fields.is_none() {
            err(
                diags,
                attr.span,
                format!(
                    "Error parsing attribute \"@relation\": The relation field `{}` on Model `{}` \
                     must specify the `fields` argument in the @relation attribute.",
                    referencing.name, own.name
                ),
            );
        } else if declared_fields.len() != declared_refs.len() {
            err(
                diags,
                attr.span,
                "Error parsing attribute \"@relation\": You must specify the same number of \
                 fields in `fields` and `references`."
                    .to_string(),
            );
        } else if unknown.is_empty() && unknown_refs.is_empty() && relation_fields.is_empty() {
            // Types must match pairwise.
            for ((fid, rid), n) in fields.iter().zip(&references).zip(declared_fields) {
                let (Some(f), Some(r)) = (own.field_at(*fid), other.field_at(*rid)) else {
                    continue;
                };
                // MongoDB many-to-many (a list relation field): `fields` is a list of ids with the
                // native type of the references (`String[] @db.ObjectId` for `String @db.ObjectId`).
                let native = |m: &Model, x: &Field| {
                    m.native_type_of(x)
                        .map(|n| n.ty.name.clone())
                        .unwrap_or_default()
                };
                let mismatch = if referencing.is_list() {
                    !f.is_list() || native(own, f) != native(other, r)
                } else {
                    false
                };
                if is_mongo && f.ty == r.ty && mismatch {
                    err(
                        diags,
                        n.span,
                        "Error parsing attribute \"@relation\": The scalar field defined in \
                         `fields` argument must be an array of the same type defined in \
                         `references`"
                            .to_string(),
                    );
                }
                if f.ty != r.ty {
                    err(
                        diags,
                        n.span,
                        format!(
                            "Error parsing attribute \"@relation\": The type of the field `{}` in \
                             the model `{}` is not matching the type of the referenced field `{}` \
                             in model `{}`.",
                            f.name, own.name, r.name, other.name
                        ),
                    );
                }
            }
            // References must be a unique criterion of the referenced model.
            let unique = other
                .index_refs()
                .any(|i| i.is_unique() && same_fields(&i, &references));
            if !unique && !references.is_empty() && !is_mongo {
                err(
                    diags,
                    attr.span,
                    format!(
                        "Error parsing attribute \"@relation\": The argument `references` must \
                         refer to a unique criterion in the related model. Consider adding an \
                         `@unique` attribute to the field `{}` in the model `{}`.",
                        declared_refs
                            .iter()
                            .map(|r| r.value.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        other.name
                    ),
                );
            }
            // 1:1: the foreign key must be unique.
            if kind == RelationKind::OneToOne && back.is_some() && !fields.is_empty() {
                let unique = own
                    .index_refs()
                    .any(|i| i.is_unique() && same_fields(&i, &fields));
                if !unique {
                    err(
                        diags,
                        attr.span,
                        format!(
                            "Error parsing attribute \"@relation\": A one-to-one relation must \
                             use unique fields on the defining side. Either add an `@unique` \
                             attribute to the field `{}`, or change the relation to one-to-many.",
                            declared_fields
                                .iter()
                                .map(|r| r.value.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
            }
            // A required relation field over optional scalars.
            if referencing.is_required()
                && fields
                    .iter()
                    .filter_map(|f| own.field_at(*f))
                    .any(|f| f.is_optional())
            {
                err(
                    diags,
                    referencing.span,
                    format!(
                        "Error validating: The relation field `{}` uses the scalar fields {}. At least one of those fields is optional. Hence the \
                         relation field must be optional as well.",
                        referencing.name,
                        declared_fields
                            .iter()
                            .map(|r| r.value.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
    }
    if needs_fk && attr.is_none_or(|a| a.fields.is_none() && a.references.is_none()) {
        // 1:n singular side without `fields` (1:1 was reported above).
        if kind == RelationKind::OneToMany || back.is_none() {
            err(
                diags,
                referencing.span,
                format!(
                    "Error parsing attribute \"@relation\": The relation field `{}` on Model `{}` \
                     must specify the `fields` argument in the @relation attribute. You can run \
                     `prisma format` to fix this automatically.",
                    referencing.name, own_model_name
                ),
            );
        }
    }

    // Effective referential actions.
    let (on_delete, on_update) = if kind == RelationKind::ManyToMany && !is_mongo {
        let cascade = EffectiveAction {
            action: ReferentialAction::Cascade,
            explicit: false,
            span: None,
        };
        (cascade, cascade)
    } else {
        let own = schema.models.get(referencing_model.0 as usize)?;
        let required = if fields.is_empty() {
            referencing.is_required()
        } else {
            fields
                .iter()
                .filter_map(|f| own.field_at(*f))
                .any(|f| f.is_required())
        };
        let allowed = allowed_actions(provider, mode);
        let default_delete = if !required {
            ReferentialAction::SetNull
        } else if allowed.contains(&ReferentialAction::Restrict) {
            ReferentialAction::Restrict
        } else {
            ReferentialAction::NoAction
        };
        let mut effective = |written: Option<&Spanned<Option<ReferentialAction>>>,
                             default: ReferentialAction,
                             which: &str| {
            match written {
                Some(Spanned {
                    value: Some(action),
                    span,
                }) => {
                    check_action(diags, *action, *span, which, required, provider, mode);
                    EffectiveAction {
                        action: *action,
                        explicit: true,
                        span: Some(*span),
                    }
                }
                // Invalid names were reported while lowering; the default stays in effect.
                _ => EffectiveAction {
                    action: default,
                    explicit: false,
                    span: None,
                },
            }
        };
        let d = effective(
            attr.and_then(|a| a.on_delete.as_ref()),
            default_delete,
            "onDelete",
        );
        let u = effective(
            attr.and_then(|a| a.on_update.as_ref()),
            ReferentialAction::Cascade,
            "onUpdate",
        );
        (d, u)
    };

    let join_table = (kind == RelationKind::ManyToMany && !is_mongo).then(|| {
        let other = back.map_or(own_model_name, mname);
        Name::from(names::join_table_name(
            attr.and_then(|a| a.name.as_ref()).map(|n| n.value.as_str()),
            own_model_name,
            other,
        ))
    });
    let fk_name = match (provider, schema.supports_fk()) {
        (Some(p), true) if !fields.is_empty() && kind != RelationKind::ManyToMany => {
            let own = schema.models.get(referencing_model.0 as usize)?;
            Some(attr.and_then(|a| a.map.as_ref()).map_or_else(
                || {
                    let cols: smallvec::SmallVec<[&str; 4]> = fields
                        .iter()
                        .filter_map(|f| own.field_at(*f))
                        .map(|f| f.db_name())
                        .collect();
                    Name::from(names::foreign_key_name(own.db_name(), &cols, p))
                },
                Name::clone,
            ))
        }
        _ => None,
    };
    Some(Relation {
        id,
        name: attr.and_then(|a| a.name.as_ref()).map(|n| n.value.clone()),
        kind,
        referencing: referencing.id,
        referenced: back.map(|b| b.id),
        referencing_model,
        referenced_model,
        fields,
        references,
        on_delete,
        on_update,
        join_table,
        fk_name,
        is_self: referencing_model == referenced_model,
    })
}

/// Whether an index covers exactly the fields of `set` (in any order): the check Prisma makes
/// for unique criteria. `set` is short, so a scan beats building a hash set.
fn same_fields(index: &IndexRef<'_>, set: &[FieldId]) -> bool {
    let distinct = set
        .iter()
        .enumerate()
        .filter(|(i, f)| !set[..*i].contains(f))
        .count();
    index.len() == distinct && index.field_ids().all(|f| set.contains(&f))
}

fn check_action(
    diags: &mut Vec<Diagnostic>,
    action: ReferentialAction,
    span: Span,
    which: &str,
    required: bool,
    provider: Option<Provider>,
    mode: RelationMode,
) {
    let allowed = allowed_actions(provider, mode);
    if !allowed.contains(&action) {
        let list: Vec<String> = allowed
            .iter()
            .map(|a| format!("`{}`", a.as_str()))
            .collect();
        let mut msg = format!(
            "Error validating: Invalid referential action: `{}`. Allowed values: ({})",
            action.as_str(),
            list.join(", ")
        );
        if mode == RelationMode::Prisma && action == ReferentialAction::NoAction {
            let db = match provider {
                Some(Provider::Sqlite) => "sqlite",
                _ => "Postgres",
            };
            msg.push_str(&format!(
                ". `NoAction` is not implemented for {db} when using `relationMode = \"prisma\"`, \
                 you could try using `Restrict` instead. Learn more at \
                 https://pris.ly/d/relation-mode"
            ));
        }
        diags.push(Diagnostic::error(span, msg));
        return;
    }
    if action == ReferentialAction::SetDefault
        && provider == Some(Provider::MySql)
        && mode == RelationMode::ForeignKeys
    {
        diags.push(Diagnostic::warning(
            span,
            "MySQL does not actually support the `SetDefault` referential action, so using it \
             may result in unexpected errors. Read more at https://pris.ly/d/mysql-set-default",
        ));
    }
    if action == ReferentialAction::SetNull && required {
        if provider == Some(Provider::PostgreSql) && mode == RelationMode::ForeignKeys {
            diags.push(Diagnostic::warning(
                span,
                format!(
                    "The `{which}` referential action of a relation should not be set to \
                     `SetNull` when a referenced field is required. We recommend either to \
                     choose another referential action, or to make the referenced fields \
                     optional."
                ),
            ));
        } else {
            diags.push(Diagnostic::error(
                span,
                format!(
                    "Error parsing attribute \"@relation\": The `{which}` referential action of a \
                     relation must not be set to `SetNull` when a referenced field is required. Either choose another \
                     referential action, or make the referenced fields optional."
                ),
            ));
        }
    }
}
