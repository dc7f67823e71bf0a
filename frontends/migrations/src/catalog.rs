//! The in-memory database a replayed history produces: schemas, tables, columns, keys, indexes,
//! foreign keys, enums, views, functions, triggers, extensions, row-level security. What it
//! does not model stays as opaque statements.

use std::collections::{BTreeMap, BTreeSet};

/// Where a statement is: migration index and statement index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StmtRef {
    /// Migration index in the history.
    pub migration: usize,
    /// Statement index in that migration.
    pub statement: usize,
}

/// A schema-qualified name (`schema` is the dialect's default schema when unqualified).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QName {
    /// Schema (`public` on PostgreSQL by default; empty on MySQL/SQLite).
    pub schema: String,
    /// Object name.
    pub name: String,
}

impl QName {
    /// A name.
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        QName {
            schema: schema.into(),
            name: name.into(),
        }
    }
}

impl std::fmt::Display for QName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.schema.is_empty() || self.schema == "public" {
            write!(f, "{}", self.name)
        } else {
            write!(f, "{}.{}", self.schema, self.name)
        }
    }
}

/// A column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Name.
    pub name: String,
    /// Normalised type (PostgreSQL: as `format_type` prints it, e.g. `timestamp(3) without
    /// time zone`, `numeric(65,30)`, `character varying(255)`, enum names unquoted).
    pub data_type: String,
    /// `NOT NULL`.
    pub not_null: bool,
    /// Default expression as written.
    pub default: Option<String>,
    /// Generated expression (`GENERATED ALWAYS AS (...)`) or `identity`.
    pub generated: Option<String>,
    /// Where the column was defined (its definition's range inside that statement).
    pub defined_at: StmtRef,
    /// Byte range of the column definition.
    pub def_range: rowan::TextRange,
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    /// Constraint name (empty when unnamed).
    pub name: String,
    /// Referencing columns.
    pub columns: Vec<String>,
    /// Referenced table.
    pub ref_table: QName,
    /// Referenced columns.
    pub ref_columns: Vec<String>,
    /// `ON DELETE` action, upper case (`NO ACTION` when absent).
    pub on_delete: String,
    /// `ON UPDATE` action.
    pub on_update: String,
    /// Added `NOT VALID` and never validated.
    pub not_valid: bool,
    /// Where it was added.
    pub defined_at: StmtRef,
}

/// A unique or primary-key constraint, or a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyConstraint {
    /// Constraint name (empty when unnamed).
    pub name: String,
    /// Columns.
    pub columns: Vec<String>,
    /// Where it was added.
    pub defined_at: StmtRef,
}

/// One element of an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexColumn {
    /// Column name, or the expression text for expression elements.
    pub expr: String,
    /// Whether this is an expression rather than a plain column.
    pub is_expression: bool,
    /// `DESC`.
    pub descending: bool,
    /// `NULLS FIRST`/`NULLS LAST` as written.
    pub nulls: Option<String>,
    /// Operator class, if any.
    pub opclass: Option<String>,
}

/// An index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// Name.
    pub name: QName,
    /// Table.
    pub table: QName,
    /// `UNIQUE`.
    pub unique: bool,
    /// Access method (`btree` unless given).
    pub method: String,
    /// Elements.
    pub columns: Vec<IndexColumn>,
    /// Partial index predicate.
    pub predicate: Option<String>,
    /// Built `CONCURRENTLY`.
    pub concurrently: bool,
    /// Where it was created.
    pub defined_at: StmtRef,
}

/// A table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Name.
    pub name: QName,
    /// Columns in order.
    pub columns: Vec<Column>,
    /// Primary key.
    pub primary_key: Option<KeyConstraint>,
    /// Unique constraints (not unique indexes).
    pub uniques: Vec<KeyConstraint>,
    /// Check constraints.
    pub checks: Vec<KeyConstraint>,
    /// Foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
    /// Row-level security enabled.
    pub rls_enabled: bool,
    /// Row-level security forced for the owner.
    pub rls_forced: bool,
    /// Columns are unknown (`CREATE TABLE ... AS`, `PARTITION OF`).
    pub opaque_columns: bool,
    /// Where it was created.
    pub created_at: StmtRef,
}

impl Table {
    /// A column by name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
    /// A column by name, mutable.
    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }
}

/// An enum type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumType {
    /// Name.
    pub name: QName,
    /// Values in order.
    pub values: Vec<String>,
    /// Where it was created.
    pub created_at: StmtRef,
}

/// A function or procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// Name.
    pub name: QName,
    /// `SECURITY DEFINER`.
    pub security_definer: bool,
    /// A `SET search_path` clause is attached.
    pub fixed_search_path: bool,
    /// Language.
    pub language: Option<String>,
    /// Where it was (last) created.
    pub created_at: StmtRef,
}

/// A trigger, view, extension, policy or sequence: a named object with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedObject {
    /// Name.
    pub name: QName,
    /// The table it belongs to, if any.
    pub table: Option<QName>,
    /// Where it was created.
    pub created_at: StmtRef,
}

/// The replayed database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    /// Schemas created by the history.
    pub schemas: BTreeSet<String>,
    /// Tables.
    pub tables: BTreeMap<QName, Table>,
    /// Indexes (unique indexes included), by name.
    pub indexes: BTreeMap<QName, Index>,
    /// Enum types.
    pub enums: BTreeMap<QName, EnumType>,
    /// Other named types (composite, domain, range).
    pub other_types: BTreeMap<QName, NamedObject>,
    /// Views and materialized views.
    pub views: BTreeMap<QName, NamedObject>,
    /// Functions and procedures.
    pub functions: BTreeMap<QName, Function>,
    /// Triggers (name qualified with the table's schema).
    pub triggers: BTreeMap<(QName, String), NamedObject>,
    /// Extensions.
    pub extensions: BTreeMap<String, NamedObject>,
    /// RLS policies, by table and policy name.
    pub policies: BTreeMap<(QName, String), NamedObject>,
    /// Sequences.
    pub sequences: BTreeMap<QName, NamedObject>,
    /// Statements the catalog does not model (GRANT, COMMENT ON, DO blocks, ...).
    pub opaque: Vec<StmtRef>,
}

impl Catalog {
    /// Indexes of a table.
    pub fn table_indexes<'a>(&'a self, table: &'a QName) -> impl Iterator<Item = &'a Index> + 'a {
        self.indexes.values().filter(move |i| &i.table == table)
    }
    /// Whether any kind of relation (table, view, sequence) has this name.
    pub fn has_relation(&self, name: &QName) -> bool {
        self.tables.contains_key(name)
            || self.views.contains_key(name)
            || self.sequences.contains_key(name)
    }
    /// Whether a type (enum or other) has this name.
    pub fn has_type(&self, name: &QName) -> bool {
        self.enums.contains_key(name) || self.other_types.contains_key(name)
    }
}
