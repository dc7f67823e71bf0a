//! The database changes that close a drift item: what `prisma migrate dev` would put in the next
//! migration for it, as data. [`super::drift`] attaches them to its items; [`super::fix_sql`]
//! renders them as SQL.
//!
//! Only changes that keep the data are described here: objects the schema declares and no
//! migration creates, details the schema changes (types, nullability, defaults, foreign-key
//! actions, enum values), and indexes and enum types nothing depends on. Tables and columns
//! only the migrations have are not: dropping them loses data, and the schema usually lacks
//! them by mistake.

use super::catalog::QName;
use crate::model::{
    DefaultKind, Field, FieldType, IndexKind, Model, Provider, ReferentialAction, Relation, Schema,
    SortOrder,
};

/// A column to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewColumn {
    /// Column name.
    pub name: String,
    /// SQL type as Prisma writes it (`TEXT`, `DECIMAL(10,2)`, `"Role"`, `SERIAL`).
    pub sql_type: String,
    /// `NOT NULL`.
    pub not_null: bool,
    /// The `DEFAULT` expression, if the schema gives the column one in the database.
    pub default: Option<String>,
}

/// One column of an index to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIndexColumn {
    /// Column name.
    pub name: String,
    /// `DESC`.
    pub descending: bool,
    /// Operator class (`gin_trgm_ops`).
    pub ops: Option<String>,
    /// Prefix length (MySQL).
    pub length: Option<u32>,
}

/// An index to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIndex {
    /// Index name.
    pub name: String,
    /// The table.
    pub table: QName,
    /// `UNIQUE`.
    pub unique: bool,
    /// Access method (`Gin`, `Hash`...) when the schema names one.
    pub method: Option<String>,
    /// `@@fulltext` (MySQL).
    pub fulltext: bool,
    /// Columns.
    pub columns: Vec<NewIndexColumn>,
}

/// A foreign key to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewForeignKey {
    /// Constraint name.
    pub name: String,
    /// The referencing table.
    pub table: QName,
    /// Referencing columns.
    pub columns: Vec<String>,
    /// The referenced table.
    pub ref_table: QName,
    /// Referenced columns.
    pub ref_columns: Vec<String>,
    /// `ON DELETE` action (SQL spelling).
    pub on_delete: &'static str,
    /// `ON UPDATE` action (SQL spelling).
    pub on_update: &'static str,
}

/// A table to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTable {
    /// The table.
    pub table: QName,
    /// Columns in schema order.
    pub columns: Vec<NewColumn>,
    /// Primary key: constraint name and columns.
    pub primary_key: Option<(String, Vec<String>)>,
}

/// A table rebuilt with a new definition (SQLite, which cannot change a column or a foreign key
/// in place): created under a temporary name, filled from the old one, swapped in, its indexes
/// recreated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redefine {
    /// The new definition.
    pub table: NewTable,
    /// A one-column primary key written on its column (SQLite), and whether it autoincrements.
    pub inline_pk: Option<(String, bool)>,
    /// Foreign keys, written in the table.
    pub foreign_keys: Vec<NewForeignKey>,
    /// Indexes to recreate.
    pub indexes: Vec<NewIndex>,
    /// Columns copied from the old table (in both definitions), sorted.
    pub copy: Vec<String>,
}

/// One change to the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// `CREATE TYPE ... AS ENUM`.
    CreateEnum {
        /// Type name.
        name: QName,
        /// Values in order.
        values: Vec<String>,
    },
    /// `ALTER TYPE ... ADD VALUE`.
    AddEnumValues {
        /// Type name.
        name: QName,
        /// New values.
        values: Vec<String>,
    },
    /// Values removed from an enum: the type is rebuilt, and rows holding a removed value must
    /// be mapped first (a template the user fills in).
    RemoveEnumValues {
        /// Type name.
        name: QName,
        /// The values the type keeps, in order.
        values: Vec<String>,
        /// The values removed.
        removed: Vec<String>,
        /// Columns of the type: table, column, default expression.
        columns: Vec<(QName, String, Option<String>)>,
    },
    /// `DROP TYPE` (nothing uses it).
    DropEnum {
        /// Type name.
        name: QName,
    },
    /// `CREATE TABLE`.
    CreateTable(NewTable),
    /// `ALTER TABLE ... ADD COLUMN`.
    AddColumns {
        /// The table.
        table: QName,
        /// The columns.
        columns: Vec<NewColumn>,
    },
    /// `ALTER COLUMN ... SET DATA TYPE`.
    AlterType {
        /// The table.
        table: QName,
        /// The column.
        column: String,
        /// The type the migrations gave it (catalog spelling).
        from: String,
        /// The new type, as Prisma writes it.
        to: String,
        /// New precision and scale when the new type is a `DECIMAL(p,s)` (for the data check).
        decimal: Option<(u32, u32)>,
    },
    /// `ALTER COLUMN ... SET NOT NULL` / `DROP NOT NULL`.
    SetNotNull {
        /// The table.
        table: QName,
        /// The column.
        column: String,
        /// `true`: SET NOT NULL.
        not_null: bool,
    },
    /// `ALTER COLUMN ... SET DEFAULT`.
    SetDefault {
        /// The table.
        table: QName,
        /// The column.
        column: String,
        /// The expression.
        default: String,
    },
    /// `CREATE [UNIQUE] INDEX`.
    CreateIndex(NewIndex),
    /// `DROP INDEX`.
    DropIndex {
        /// Index name.
        name: QName,
        /// Its table.
        table: QName,
    },
    /// `ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY`, after dropping the constraint it
    /// replaces, if any.
    AddForeignKey {
        /// The constraint.
        fk: NewForeignKey,
        /// The existing constraint of the same columns (other actions or target) to drop first.
        replaces: Option<String>,
    },
    /// A table rebuilt with its schema definition (SQLite).
    RedefineTable(Box<Redefine>),
    /// `ALTER TABLE ... DROP CONSTRAINT` of a foreign key no relation declares.
    DropForeignKey {
        /// The table.
        table: QName,
        /// Constraint name.
        name: String,
    },
}

/// SQL spelling of a referential action.
pub fn action_sql(a: ReferentialAction) -> &'static str {
    match a {
        ReferentialAction::Cascade => "CASCADE",
        ReferentialAction::Restrict => "RESTRICT",
        ReferentialAction::NoAction => "NO ACTION",
        ReferentialAction::SetNull => "SET NULL",
        ReferentialAction::SetDefault => "SET DEFAULT",
    }
}

/// The table a model maps to, in `default_schema` unless `@@schema` says otherwise.
pub fn table_name(model: &Model, default_schema: &str) -> QName {
    QName::new(
        model
            .schema
            .as_ref()
            .map_or(default_schema.to_string(), |s| s.value.to_string()),
        model.db_name(),
    )
}

/// The SQL type of a field as Prisma writes it in DDL (`TEXT`, `DECIMAL(10,2)`, `"Role"[]`),
/// with serial types for `@default(autoincrement())` when `serial` is set.
pub fn sql_type(schema: &Schema, model: &Model, f: &Field, serial: bool) -> Option<String> {
    let provider = schema.provider().unwrap_or(Provider::PostgreSql);
    let pg = matches!(provider, Provider::PostgreSql | Provider::CockroachDb);
    let mut ty = match &f.ty {
        FieldType::Enum(id) => {
            let e = schema.enum_by_id(*id)?;
            match provider {
                Provider::MySql => format!(
                    "ENUM({})",
                    e.values
                        .iter()
                        .map(|v| literal(v.db_name()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Provider::Sqlite => "TEXT".to_string(),
                _ => format!("\"{}\"", e.db_name().replace('"', "\"\"")),
            }
        }
        _ => schema
            .effective_native_type(f)?
            .sql(provider)
            .to_ascii_uppercase(),
    };
    let auto = matches!(
        model.default_of(f).map(|d| &d.kind),
        Some(DefaultKind::Autoincrement)
    );
    if serial && auto && provider == Provider::PostgreSql {
        ty = match ty.as_str() {
            "INTEGER" | "INT4" => "SERIAL".into(),
            "BIGINT" | "INT8" => "BIGSERIAL".into(),
            "SMALLINT" | "INT2" => "SMALLSERIAL".into(),
            _ => ty,
        };
    }
    if serial && auto && provider == Provider::MySql {
        ty.push_str(" AUTO_INCREMENT");
    }
    if f.is_list() && pg {
        ty.push_str("[]");
    }
    Some(ty)
}

/// A string literal.
pub fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The database default Prisma creates for a field's `@default`, as SQL (`None` when the
/// client fills the value: `uuid()`, `cuid()`, ...; or for `autoincrement()`, which is the
/// column's type or `AUTO_INCREMENT`).
pub fn default_sql(schema: &Schema, model: &Model, f: &Field) -> Option<String> {
    let provider = schema.provider().unwrap_or(Provider::PostgreSql);
    let kind = &model.default_of(f)?.kind;
    let enum_value = |v: &str| -> String {
        let db = match &f.ty {
            FieldType::Enum(id) => schema
                .enum_by_id(*id)
                .and_then(|e| e.values.iter().find(|x| x.name.as_str() == v))
                .map_or(v.to_string(), |x| x.db_name().to_string()),
            _ => v.to_string(),
        };
        literal(&db)
    };
    let one = |k: &DefaultKind| -> Option<String> {
        Some(match k {
            DefaultKind::Now => match provider {
                Provider::MySql => "CURRENT_TIMESTAMP(3)".into(),
                _ => "CURRENT_TIMESTAMP".into(),
            },
            DefaultKind::String(s) => literal(s),
            DefaultKind::Number(n) => n.to_string(),
            DefaultKind::Boolean(b) => b.to_string(),
            DefaultKind::EnumValue(v) => enum_value(v),
            DefaultKind::DbGenerated(Some(e)) if !e.is_empty() => e.clone(),
            _ => return None,
        })
    };
    match kind {
        DefaultKind::List(items) => {
            if !matches!(provider, Provider::PostgreSql | Provider::CockroachDb) {
                return None;
            }
            let vals: Option<Vec<String>> = items.iter().map(one).collect();
            let ty = sql_type(schema, model, f, false)?;
            Some(format!("ARRAY[{}]::{ty}", vals?.join(", ")))
        }
        k => one(k),
    }
}

/// A column as Prisma creates it.
pub fn new_column(schema: &Schema, model: &Model, f: &Field) -> Option<NewColumn> {
    Some(NewColumn {
        name: f.db_name().to_string(),
        sql_type: sql_type(schema, model, f, true)?,
        not_null: f.is_required() || f.is_list(),
        default: default_sql(schema, model, f),
    })
}

/// A model's index (not its primary key) as Prisma creates it.
pub fn new_index(
    schema: &Schema,
    model: &Model,
    ix: &crate::model::Index,
    default_schema: &str,
) -> NewIndex {
    let cols = schema.index_columns(model, ix);
    NewIndex {
        name: schema.index_db_name(model, ix),
        table: table_name(model, default_schema),
        unique: ix.kind == IndexKind::Unique,
        method: match ix.algorithm {
            None | Some(crate::model::IndexAlgorithm::BTree) => None,
            Some(a) => Some(format!("{a:?}").to_ascii_lowercase()),
        },
        fulltext: ix.kind == IndexKind::Fulltext,
        columns: ix
            .fields
            .iter()
            .zip(cols)
            .map(|(c, name)| NewIndexColumn {
                name: name.to_string(),
                descending: c.sort == Some(SortOrder::Desc),
                ops: c.ops.as_ref().map(|o| o.to_string()),
                length: c.length,
            })
            .collect(),
    }
}

/// The foreign key of a relation with `fields`, as Prisma creates it.
pub fn new_foreign_key(
    schema: &Schema,
    model: &Model,
    rel: &Relation,
    default_schema: &str,
) -> Option<NewForeignKey> {
    let target = schema.model_by_id(rel.referenced_model)?;
    let name_of = |ids: &crate::model::FieldRefs| -> Option<Vec<String>> {
        ids.iter()
            .map(|r| schema.field(*r).map(|x| x.db_name().to_string()))
            .collect()
    };
    Some(NewForeignKey {
        name: rel.fk_name.as_ref()?.to_string(),
        table: table_name(model, default_schema),
        columns: name_of(&rel.fields)?,
        ref_table: table_name(target, default_schema),
        ref_columns: name_of(&rel.references)?,
        on_delete: action_sql(rel.on_delete.action),
        on_update: action_sql(rel.on_update.action),
    })
}

/// Everything Prisma creates for a model the migrations lack: the table with its primary key,
/// then its indexes and foreign keys.
pub fn new_table(schema: &Schema, model: &Model, default_schema: &str) -> Option<Vec<Change>> {
    let table = table_name(model, default_schema);
    let columns: Option<Vec<NewColumn>> = model
        .scalar_fields()
        .filter(|f| !f.is_ignored())
        .map(|f| new_column(schema, model, f))
        .collect();
    let mut out = Vec::new();
    let mut primary_key = None;
    for ix in model.indexes() {
        match ix.kind {
            IndexKind::Primary => {
                primary_key = Some((
                    schema.index_db_name(model, &ix),
                    schema
                        .index_columns(model, &ix)
                        .into_iter()
                        .map(str::to_string)
                        .collect(),
                ))
            }
            _ => out.push(Change::CreateIndex(new_index(
                schema,
                model,
                &ix,
                default_schema,
            ))),
        }
    }
    if schema.supports_fk() {
        for f in model.relation_fields() {
            let Some(rel) = schema.relation_of(f.id) else {
                continue;
            };
            if rel.referencing != f.id || rel.fields.is_empty() {
                continue;
            }
            if let Some(fk) = new_foreign_key(schema, model, rel, default_schema) {
                out.push(Change::AddForeignKey { fk, replaces: None });
            }
        }
    }
    out.insert(
        0,
        Change::CreateTable(NewTable {
            table,
            columns: columns?,
            primary_key,
        }),
    );
    Some(out)
}

/// The table of `model` rebuilt with the schema's definition, copying the columns both have
/// (`existing`: the columns the migrations gave it).
pub fn redefine_table(
    schema: &Schema,
    model: &Model,
    existing: &[String],
    default_schema: &str,
) -> Option<Change> {
    let mut changes = new_table(schema, model, default_schema)?.into_iter();
    let Some(Change::CreateTable(mut table)) = changes.next() else {
        return None;
    };
    let mut foreign_keys = Vec::new();
    let mut indexes = Vec::new();
    for c in changes {
        match c {
            Change::AddForeignKey { fk, .. } => foreign_keys.push(fk),
            Change::CreateIndex(ix) => indexes.push(ix),
            _ => {}
        }
    }
    let mut inline_pk = None;
    if let Some((_, cols)) = &table.primary_key
        && let [only] = cols.as_slice()
    {
        let auto = model
            .scalar_fields()
            .find(|f| f.db_name() == only)
            .is_some_and(|f| {
                matches!(
                    model.default_of(f).map(|d| &d.kind),
                    Some(DefaultKind::Autoincrement)
                )
            });
        inline_pk = Some((only.clone(), auto));
        table.primary_key = None;
    }
    let mut copy: Vec<String> = table
        .columns
        .iter()
        .map(|c| c.name.clone())
        .filter(|c| existing.contains(c))
        .collect();
    copy.sort();
    Some(Change::RedefineTable(Box::new(Redefine {
        table,
        inline_pk,
        foreign_keys,
        indexes,
        copy,
    })))
}
