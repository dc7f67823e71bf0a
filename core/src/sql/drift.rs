//! Drift between the replayed catalog (what the migrations build) and what the schema implies
//! (tables, columns, types, nullability, defaults, primary keys, indexes, uniques, foreign keys
//! and their actions, enums), honouring `@map`/`@@map`/`@@schema`.
//!
//! Three outcomes: [`DriftKind::Missing`] (the schema has it, no migration creates it),
//! [`DriftKind::Mismatch`] (both have it, details differ) and [`DriftKind::SqlOnly`] (the
//! migrations create a table, column or plain index the schema does not know: the next
//! `prisma migrate dev` drops it). Objects Prisma cannot express (partial and expression
//! indexes, functions, triggers, views, policies, RLS, extensions, checks) are reported as
//! [`DriftKind::MigrationOnly`].

use super::catalog::{Catalog, StmtRef, Table};
use super::history::MigrationHistory;
use super::replay::canon_type;
use crate::model::{
    DefaultKind, Field, FieldType, IndexKind, Model, Provider, ReferentialAction, Schema,
};
use crate::span::Span;
use std::collections::BTreeSet;

/// The kind of a difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DriftKind {
    /// In the schema, created by no migration.
    Missing,
    /// In both, with different details.
    Mismatch,
    /// Created by the migrations, absent from the schema (Prisma would drop it).
    SqlOnly,
    /// Created by the migrations, not expressible in the schema.
    MigrationOnly,
}

/// One difference, with both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriftItem {
    /// Kind.
    pub kind: DriftKind,
    /// Stable anchor, e.g. `Tenant.planType|type`.
    pub anchor: String,
    /// Message.
    pub message: String,
    /// The schema side (model, field, attribute).
    pub schema_span: Option<Span>,
    /// The migration side (the statement that created the object).
    pub sql_at: Option<StmtRef>,
    /// The exact range inside that statement (e.g. the column definition), when known.
    pub sql_range: Option<rowan::TextRange>,
    /// What object kind (for migration-only objects: `partial index`, `function`, ...).
    pub object: String,
}

fn action_sql(a: ReferentialAction) -> &'static str {
    match a {
        ReferentialAction::Cascade => "CASCADE",
        ReferentialAction::Restrict => "RESTRICT",
        ReferentialAction::NoAction => "NO ACTION",
        ReferentialAction::SetNull => "SET NULL",
        ReferentialAction::SetDefault => "SET DEFAULT",
    }
}

/// The DB default Prisma creates for a field's `@default`, if any.
fn has_db_default(model: &Model, f: &Field) -> bool {
    match model.default_of(f).map(|d| &d.kind) {
        None => false,
        Some(
            DefaultKind::Uuid(_)
            | DefaultKind::Cuid(_)
            | DefaultKind::Nanoid(_)
            | DefaultKind::Ulid
            | DefaultKind::Auto
            | DefaultKind::OtherFunction(_),
        ) => false,
        Some(DefaultKind::DbGenerated(None)) => false,
        Some(_) => true,
    }
}

fn same_type(a: &str, b: &str) -> bool {
    a == b || a.eq_ignore_ascii_case(b)
}

/// Compare `history`'s final catalog with `schema`.
pub fn diff(schema: &Schema, history: &MigrationHistory) -> Vec<DriftItem> {
    let mut out = Vec::new();
    let cat: &Catalog = &history.replay.catalog;
    let provider = schema.provider().unwrap_or(Provider::PostgreSql);
    if !provider.is_sql() {
        return out;
    }
    let pg = history.dialect.is_postgres();
    let default_schema = history.dialect.default_schema();
    let schema_of = |m: &Model| {
        m.schema
            .as_ref()
            .map_or(default_schema.to_string(), |s| s.value.to_string())
    };
    let mut known_tables: BTreeSet<(String, String)> = BTreeSet::new();
    let mut known_indexes: BTreeSet<String> = BTreeSet::new();
    // Indexes grouped by table once (looking them up per model would be quadratic).
    let mut by_table: std::collections::BTreeMap<
        &super::catalog::QName,
        Vec<&super::catalog::Index>,
    > = std::collections::BTreeMap::new();
    for ix in cat.indexes.values() {
        by_table.entry(&ix.table).or_default().push(ix);
    }
    let no_indexes: Vec<&super::catalog::Index> = Vec::new();
    for r in schema.relations() {
        if let Some(j) = &r.join_table {
            known_tables.insert((default_schema.to_string(), j.to_string()));
        }
    }
    for model in schema.models().filter(|m| !m.is_ignored()) {
        let key = super::catalog::QName::new(schema_of(model), model.db_name());
        known_tables.insert((key.schema.clone(), key.name.clone()));
        let table_name = model.db_name();
        let table_ix = by_table.get(&key).unwrap_or(&no_indexes);
        let Some(table) = cat.tables.get(&key) else {
            out.push(DriftItem {
                kind: DriftKind::Missing,
                anchor: format!("{table_name}|table"),
                message: format!(
                    "Model `{}` maps to table `{}`, which no migration creates",
                    model.name, key
                ),
                schema_span: Some(model.name_span),
                sql_at: None,
                sql_range: None,
                object: "table".into(),
            });
            continue;
        };
        // Columns
        for f in model.scalar_fields().filter(|f| !f.is_ignored()) {
            let col_name = f.db_name();
            let Some(col) = table.column(col_name) else {
                out.push(DriftItem {
                    kind: DriftKind::Missing,
                    anchor: format!("{table_name}.{col_name}|column"),
                    message: format!("Field `{}.{}` (column `{table_name}.{col_name}`) is created by no migration", model.name, f.name),
                    schema_span: Some(f.name_span),
                    sql_at: Some(table.created_at),
                    sql_range: None,
                    object: "column".into(),
                });
                continue;
            };
            let at = Some(col.defined_at);
            if pg && !table.opaque_columns {
                let expected = match &f.ty {
                    FieldType::Enum(id) => schema.enum_by_id(*id).map(|e| e.db_name().to_string()),
                    _ => schema
                        .effective_native_type(f)
                        .map(|nt| canon_type(&nt.sql(provider), history.dialect).0),
                };
                if let Some(mut expected) = expected {
                    if f.is_list() {
                        expected.push_str("[]");
                    }
                    // autoincrement() is SERIAL: integer + sequence default.
                    if !same_type(&expected, &col.data_type) {
                        out.push(DriftItem {
                            kind: DriftKind::Mismatch,
                            anchor: format!("{table_name}.{col_name}|type"),
                            message: format!("Column `{table_name}.{col_name}` is {} in the migrations but the schema implies {expected}", col.data_type),
                            schema_span: Some(f.type_span),
                            sql_at: at,
                            sql_range: Some(col.def_range),
                            object: "column type".into(),
                        });
                    }
                }
            }
            if !f.is_list() && f.is_required() != col.not_null {
                out.push(DriftItem {
                    kind: DriftKind::Mismatch,
                    anchor: format!("{table_name}.{col_name}|nullability"),
                    message: format!(
                        "Column `{table_name}.{col_name}` is {} in the migrations but the field is {}",
                        if col.not_null { "NOT NULL" } else { "nullable" },
                        if f.is_required() { "required" } else { "optional" }
                    ),
                    schema_span: Some(f.type_span),
                    sql_at: at,
                    sql_range: Some(col.def_range),
                    object: "nullability".into(),
                });
            }
            let expect_default = has_db_default(model, f);
            let actual_default =
                col.default.is_some() || col.generated.as_deref() == Some("identity");
            if expect_default != actual_default {
                out.push(DriftItem {
                    kind: DriftKind::Mismatch,
                    anchor: format!("{table_name}.{col_name}|default"),
                    message: if actual_default {
                        format!("Column `{table_name}.{col_name}` has default `{}` in the migrations but the field has no database default", col.default.as_deref().unwrap_or("identity"))
                    } else {
                        format!("Field `{}.{}` has a `@default` but no migration gives column `{table_name}.{col_name}` a default", model.name, f.name)
                    },
                    schema_span: Some(model.default_of(f).map_or(f.name_span, |d| d.span)),
                    sql_at: at,
                    sql_range: Some(col.def_range),
                    object: "default".into(),
                });
            }
        }
        let schema_cols: BTreeSet<&str> = model.scalar_fields().map(|f| f.db_name()).collect();
        for col in &table.columns {
            if !schema_cols.contains(col.name.as_str()) {
                out.push(DriftItem {
                    kind: DriftKind::SqlOnly,
                    anchor: format!("{table_name}.{}|extra-column", col.name),
                    message: format!("Column `{table_name}.{}` exists in the migrations but model `{}` has no such field: the next `prisma migrate dev` drops it", col.name, model.name),
                    schema_span: Some(model.name_span),
                    sql_at: Some(col.defined_at),
                    sql_range: Some(col.def_range),
                    object: "column".into(),
                });
            }
        }
        // Primary key, uniques, indexes.
        for ix in model.indexes() {
            let cols: Vec<String> = schema
                .index_columns(model, &ix)
                .into_iter()
                .map(str::to_owned)
                .collect();
            let name = schema.index_db_name(model, &ix);
            known_indexes.insert(name.clone());
            match ix.kind {
                IndexKind::Primary => {
                    let found = table.primary_key.as_ref();
                    if found.map(|p| &p.columns) != Some(&cols) {
                        out.push(DriftItem {
                            kind: if found.is_some() { DriftKind::Mismatch } else { DriftKind::Missing },
                            anchor: format!("{table_name}|pk"),
                            message: match found {
                                Some(p) => format!("Primary key of `{table_name}` is ({}) in the migrations but ({}) in the schema", p.columns.join(", "), cols.join(", ")),
                                None => format!("No migration gives `{table_name}` the primary key ({})", cols.join(", ")),
                            },
                            schema_span: Some(ix.span),
                            sql_at: found.map(|p| p.defined_at),
                            sql_range: None,
                            object: "primary key".into(),
                        });
                    }
                }
                IndexKind::Unique | IndexKind::Normal | IndexKind::Fulltext => {
                    let unique = ix.kind == IndexKind::Unique;
                    let by_name = table_ix.iter().find(|i| i.name.name == name);
                    let by_cols = table_ix.iter().find(|i| {
                        i.unique == unique
                            && i.predicate.is_none()
                            && i.columns
                                .iter()
                                .map(|c| c.expr.as_str())
                                .eq(cols.iter().map(String::as_str))
                    });
                    let constraint = table
                        .uniques
                        .iter()
                        .find(|u| u.name == name || u.columns == cols);
                    if unique && constraint.is_some() {
                        continue;
                    }
                    match (by_name, by_cols) {
                        (_, Some(_)) => {}
                        (Some(i), None) => out.push(DriftItem {
                            kind: DriftKind::Mismatch,
                            anchor: format!("{table_name}|index|{name}"),
                            message: format!(
                                "Index `{name}` is {}({}) in the migrations but {}({}) in the schema",
                                if i.unique { "UNIQUE " } else { "" },
                                i.columns.iter().map(|c| c.expr.as_str()).collect::<Vec<_>>().join(", "),
                                if unique { "UNIQUE " } else { "" },
                                cols.join(", ")
                            ),
                            schema_span: Some(ix.span),
                            sql_at: Some(i.defined_at),
                            sql_range: None,
                            object: "index".into(),
                        }),
                        (None, None) => out.push(DriftItem {
                            kind: DriftKind::Missing,
                            anchor: format!("{table_name}|index|{name}"),
                            message: format!("No migration creates the {} `{name}` on `{table_name}`({})", if unique { "unique index" } else { "index" }, cols.join(", ")),
                            schema_span: Some(ix.span),
                            sql_at: None,
                            sql_range: None,
                            object: "index".into(),
                        }),
                    }
                }
            }
        }
        // Foreign keys.
        if schema.supports_fk() {
            for f in model.relation_fields() {
                let Some(rel) = schema.relation_of(f.id) else {
                    continue;
                };
                if rel.referencing != f.id || rel.fields.is_empty() {
                    continue;
                }
                let Some(target) = schema.model_by_id(rel.referenced_model) else {
                    continue;
                };
                let cols: Vec<String> = rel
                    .fields
                    .iter()
                    .filter_map(|r| schema.field(*r).map(|x| x.db_name().to_string()))
                    .collect();
                let name = rel.fk_name.clone().unwrap_or_default();
                let found = table
                    .foreign_keys
                    .iter()
                    .find(|k| (!name.is_empty() && k.name == name) || k.columns == cols);
                let Some(fk) = found else {
                    out.push(DriftItem {
                        kind: DriftKind::Missing,
                        anchor: format!("{table_name}|fk|{}", cols.join(",")),
                        message: format!("No migration creates the foreign key `{name}` from `{table_name}`({}) to `{}`", cols.join(", "), target.db_name()),
                        schema_span: Some(f.name_span),
                        sql_at: None,
                        sql_range: None,
                        object: "foreign key".into(),
                    });
                    continue;
                };
                let want_del = action_sql(rel.on_delete.action);
                let want_upd = action_sql(rel.on_update.action);
                if fk.on_delete != want_del
                    || fk.on_update != want_upd
                    || fk.ref_table.name != target.db_name()
                {
                    out.push(DriftItem {
                        kind: DriftKind::Mismatch,
                        anchor: format!("{table_name}|fk|{}", cols.join(",")),
                        message: format!(
                            "Foreign key `{}` is `{}` ON DELETE {} ON UPDATE {} in the migrations but the relation implies `{}` ON DELETE {want_del} ON UPDATE {want_upd}",
                            fk.name, fk.ref_table.name, fk.on_delete, fk.on_update, target.db_name()
                        ),
                        schema_span: Some(rel.on_delete.span.or(model.relation_attr_of(f).map(|r| r.span)).unwrap_or(f.name_span)),
                        sql_at: Some(fk.defined_at),
                        sql_range: None,
                        object: "foreign key".into(),
                    });
                }
            }
        }
        migration_only_for_table(table_ix, &key, table, &known_indexes, &mut out);
    }
    // Indexes on tables not known to the schema are covered by the table finding.
    for (key, table) in &cat.tables {
        if known_tables.contains(&(key.schema.clone(), key.name.clone()))
            || key.name == "_prisma_migrations"
        {
            continue;
        }
        out.push(DriftItem {
            kind: DriftKind::SqlOnly,
            anchor: format!("{}|extra-table", key.name),
            message: format!("Table `{key}` is created by the migrations but no model maps to it: the next `prisma migrate dev` drops it"),
            schema_span: None,
            sql_at: Some(table.created_at),
            sql_range: None,
            object: "table".into(),
        });
    }
    // Enums (PostgreSQL types).
    if pg {
        for e in &schema.enums {
            let key = super::catalog::QName::new(
                e.schema
                    .as_ref()
                    .map_or(default_schema.to_string(), |s| s.value.to_string()),
                e.db_name(),
            );
            let want: Vec<&str> = e.values.iter().map(|v| v.db_name()).collect();
            match cat.enums.get(&key) {
                None => out.push(DriftItem {
                    kind: DriftKind::Missing,
                    anchor: format!("{}|enum", e.name),
                    message: format!("Enum `{}` is created by no migration", e.name),
                    schema_span: Some(e.name_span),
                    sql_at: None,
                    sql_range: None,
                    object: "enum".into(),
                }),
                Some(ce) => {
                    let have: BTreeSet<&str> = ce.values.iter().map(String::as_str).collect();
                    let wanted: BTreeSet<&str> = want.iter().copied().collect();
                    if have != wanted {
                        let missing: Vec<&str> = wanted.difference(&have).copied().collect();
                        let extra: Vec<&str> = have.difference(&wanted).copied().collect();
                        out.push(DriftItem {
                            kind: DriftKind::Mismatch,
                            anchor: format!("{}|enum-values", e.name),
                            message: format!(
                                "Enum `{}` differs: {}{}",
                                e.name,
                                if missing.is_empty() {
                                    String::new()
                                } else {
                                    format!("no migration adds {}", missing.join(", "))
                                },
                                if extra.is_empty() {
                                    String::new()
                                } else {
                                    format!(
                                        "{}the migrations also have {}",
                                        if missing.is_empty() { "" } else { "; " },
                                        extra.join(", ")
                                    )
                                }
                            ),
                            schema_span: Some(e.name_span),
                            sql_at: Some(ce.created_at),
                            sql_range: None,
                            object: "enum".into(),
                        });
                    }
                }
            }
        }
    }
    // Objects Prisma cannot express.
    let schema_views: BTreeSet<&str> = schema.views().map(|v| v.db_name()).collect();
    for (name, f) in &cat.functions {
        out.push(only(
            format!("{}|function", name.name),
            format!("Function `{}` exists only in the migrations", name),
            f.created_at,
            "function",
        ));
    }
    for ((table, name), t) in &cat.triggers {
        out.push(only(
            format!("{}|trigger|{name}", table.name),
            format!(
                "Trigger `{name}` on `{}` exists only in the migrations",
                table.name
            ),
            t.created_at,
            "trigger",
        ));
    }
    for (name, v) in &cat.views {
        if !schema_views.contains(name.name.as_str()) {
            out.push(only(
                format!("{}|view", name.name),
                format!("View `{}` exists only in the migrations", name),
                v.created_at,
                "view",
            ));
        }
    }
    let declared_ext: BTreeSet<String> = schema
        .datasource()
        .map(|d| {
            d.extensions
                .iter()
                .map(|e| e.map.clone().unwrap_or_else(|| e.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    for (name, x) in &cat.extensions {
        if !declared_ext.contains(name) {
            out.push(only(
                format!("{name}|extension"),
                format!("Extension `{name}` is created only in the migrations"),
                x.created_at,
                "extension",
            ));
        }
    }
    for ((table, name), p) in &cat.policies {
        out.push(only(
            format!("{}|policy|{name}", table.name),
            format!(
                "RLS policy `{name}` on `{}` exists only in the migrations",
                table.name
            ),
            p.created_at,
            "policy",
        ));
    }
    out
}

fn only(anchor: String, message: String, at: StmtRef, object: &str) -> DriftItem {
    DriftItem {
        kind: DriftKind::MigrationOnly,
        anchor,
        message,
        schema_span: None,
        sql_at: Some(at),
        sql_range: None,
        object: object.into(),
    }
}

fn migration_only_for_table(
    indexes: &[&super::catalog::Index],
    key: &super::catalog::QName,
    table: &Table,
    known: &BTreeSet<String>,
    out: &mut Vec<DriftItem>,
) {
    for ix in indexes {
        if known.contains(&ix.name.name) || table.uniques.iter().any(|u| u.name == ix.name.name) {
            continue;
        }
        let special = if ix.predicate.is_some() {
            Some("partial index")
        } else if ix.columns.iter().any(|c| c.is_expression) {
            Some("expression index")
        } else if ix.columns.iter().any(|c| c.nulls.is_some()) {
            Some("index with NULLS ordering")
        } else {
            None
        };
        match special {
            Some(what) => out.push(DriftItem {
                kind: DriftKind::MigrationOnly,
                anchor: format!("{}|{}|{}", key.name, what, ix.name.name),
                message: format!(
                    "{} `{}` on `{}`{} exists only in the migrations",
                    match what {
                        "partial index" => "Partial index",
                        "expression index" => "Expression index",
                        _ => "Index with NULLS FIRST/LAST",
                    },
                    ix.name.name,
                    key.name,
                    ix.predicate.as_ref().map(|p| format!(" (WHERE {p})")).unwrap_or_default()
                ),
                schema_span: None,
                sql_at: Some(ix.defined_at),
                sql_range: None,
                object: what.into(),
            }),
            None => out.push(DriftItem {
                kind: DriftKind::SqlOnly,
                anchor: format!("{}|extra-index|{}", key.name, ix.name.name),
                message: format!("Index `{}` on `{}`({}) is created by the migrations but not declared in the schema: the next `prisma migrate dev` drops it", ix.name.name, key.name, ix.columns.iter().map(|c| c.expr.as_str()).collect::<Vec<_>>().join(", ")),
                schema_span: None,
                sql_at: Some(ix.defined_at),
                sql_range: None,
                object: "index".into(),
            }),
        }
    }
    if !table.checks.is_empty() {
        for c in &table.checks {
            out.push(DriftItem {
                kind: DriftKind::MigrationOnly,
                anchor: format!("{}|check|{}", key.name, c.name),
                message: format!(
                    "CHECK constraint{} on `{}` exists only in the migrations",
                    if c.name.is_empty() {
                        String::new()
                    } else {
                        format!(" `{}`", c.name)
                    },
                    key.name
                ),
                schema_span: None,
                sql_at: Some(c.defined_at),
                sql_range: None,
                object: "check constraint".into(),
            });
        }
    }
    if table.rls_enabled {
        out.push(DriftItem {
            kind: DriftKind::MigrationOnly,
            anchor: format!("{}|rls", key.name),
            message: format!(
                "Row-level security on `{}` is enabled only in the migrations",
                key.name
            ),
            schema_span: None,
            sql_at: Some(table.created_at),
            sql_range: None,
            object: "row-level security".into(),
        });
    }
}
