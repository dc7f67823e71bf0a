//! Replaying a history, statement by statement in Prisma's order, into a [`Catalog`]; every
//! statement records its [`Effect`]s, references to objects that do not exist yet are kept as
//! [`MissingRef`]s and enum value removals as [`EnumChange`]s.
//!
//! The reader works on the splitter's tokens and understands the DDL Prisma generates plus the
//! hand-written SQL found in real histories; whatever it does not model is kept as an opaque
//! statement. It never fails.

use super::Dialect;
use super::catalog::*;
use super::history::MigrationHistory;
use super::split::{Token, TokenKind};
use rowan::{TextRange, TextSize};
use std::collections::{BTreeMap, BTreeSet};

/// Whether the table a statement works on existed before the statement's migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableState {
    /// Created by an earlier migration: the statement works on live data.
    Existing,
    /// Created earlier in the same migration: empty, no lock matters.
    New,
    /// Not in the catalog (created by a later migration, outside the history, or unknown).
    Unknown,
}

/// A constraint kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstraintKind {
    /// `PRIMARY KEY`.
    PrimaryKey,
    /// `UNIQUE`.
    Unique,
    /// `FOREIGN KEY`.
    ForeignKey,
    /// `CHECK`.
    Check,
    /// `EXCLUDE` or something else.
    Other,
}

/// A data-changing statement's verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataVerb {
    /// `INSERT`.
    Insert,
    /// `UPDATE`.
    Update,
    /// `DELETE`.
    Delete,
    /// `TRUNCATE`.
    Truncate,
}

/// What a statement did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// `CREATE TABLE`.
    CreateTable {
        /// Table.
        table: QName,
        /// Range of the name.
        name_range: TextRange,
    },
    /// `DROP TABLE` of a table known to the catalog.
    DropTable {
        /// Table.
        table: QName,
        /// Range of the name.
        name_range: TextRange,
        /// Its columns at that point.
        columns: Vec<String>,
    },
    /// `ALTER TABLE ... RENAME TO` / `RENAME TABLE`.
    RenameTable {
        /// Old name.
        from: QName,
        /// New name.
        to: QName,
        /// Columns of the renamed table.
        columns: Vec<String>,
    },
    /// `ADD COLUMN`.
    AddColumn {
        /// Table.
        table: QName,
        /// Column.
        column: String,
        /// `NOT NULL`.
        not_null: bool,
        /// Default expression.
        default: Option<String>,
        /// The default is volatile (evaluated per row: rewrites the table).
        volatile_default: bool,
        /// Range of the column definition.
        range: TextRange,
    },
    /// `DROP COLUMN`.
    DropColumn {
        /// Table.
        table: QName,
        /// Column.
        column: String,
        /// Range of the action.
        range: TextRange,
    },
    /// `RENAME COLUMN`.
    RenameColumn {
        /// Table.
        table: QName,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// `ALTER COLUMN ... TYPE` / MySQL `MODIFY`/`CHANGE`.
    AlterType {
        /// Table.
        table: QName,
        /// Column.
        column: String,
        /// Previous type, when known.
        from: Option<String>,
        /// New type.
        to: String,
        /// `USING` expression.
        using: Option<String>,
        /// Range of the action.
        range: TextRange,
    },
    /// `SET NOT NULL` (or a MySQL `MODIFY` that adds `NOT NULL`).
    SetNotNull {
        /// Table.
        table: QName,
        /// Column.
        column: String,
        /// Range of the action.
        range: TextRange,
    },
    /// `SET DEFAULT`.
    SetDefault {
        /// Table.
        table: QName,
        /// Column.
        column: String,
        /// Expression.
        default: String,
    },
    /// `ADD CONSTRAINT` (or inline in `ADD COLUMN`).
    AddConstraint {
        /// Table.
        table: QName,
        /// Kind.
        kind: ConstraintKind,
        /// Name (may be empty).
        name: String,
        /// Columns.
        columns: Vec<String>,
        /// `NOT VALID`.
        not_valid: bool,
        /// Range of the action.
        range: TextRange,
    },
    /// `CREATE INDEX`.
    CreateIndex {
        /// Index.
        index: QName,
        /// Table.
        table: QName,
        /// `UNIQUE`.
        unique: bool,
        /// `CONCURRENTLY`.
        concurrently: bool,
        /// Plain column names (expressions excluded).
        columns: Vec<String>,
        /// Range of the index name (or the statement).
        range: TextRange,
    },
    /// `ALTER INDEX ... RENAME TO`.
    RenameIndex {
        /// Old name.
        from: QName,
        /// New name.
        to: QName,
    },
    /// `DROP INDEX`.
    DropIndex {
        /// Index.
        index: QName,
        /// `CONCURRENTLY`.
        concurrently: bool,
    },
    /// `CREATE TYPE ... AS ENUM`.
    CreateEnum {
        /// Type.
        name: QName,
        /// Values.
        values: Vec<String>,
    },
    /// `ALTER TYPE ... ADD VALUE`.
    AddEnumValue {
        /// Type.
        name: QName,
        /// Value.
        value: String,
    },
    /// `ALTER TYPE ... RENAME VALUE`.
    RenameEnumValue {
        /// Type.
        name: QName,
        /// Old value.
        from: String,
        /// New value.
        to: String,
    },
    /// `ALTER TYPE ... RENAME TO`.
    RenameType {
        /// Old name.
        from: QName,
        /// New name.
        to: QName,
    },
    /// `DROP TYPE`.
    DropType {
        /// Type.
        name: QName,
    },
    /// `CREATE FUNCTION` / `CREATE PROCEDURE`.
    CreateFunction {
        /// Name.
        name: QName,
        /// `SECURITY DEFINER`.
        security_definer: bool,
        /// `SET search_path` attached.
        fixed_search_path: bool,
        /// Range of the name.
        name_range: TextRange,
    },
    /// `CREATE TRIGGER`.
    CreateTrigger {
        /// Name.
        name: String,
        /// Table.
        table: QName,
    },
    /// `CREATE VIEW`.
    CreateView {
        /// Name.
        name: QName,
    },
    /// `CREATE EXTENSION`.
    CreateExtension {
        /// Name.
        name: String,
    },
    /// `CREATE POLICY`.
    CreatePolicy {
        /// Policy name.
        name: String,
        /// Table.
        table: QName,
        /// Range of the policy name.
        name_range: TextRange,
    },
    /// `ENABLE`/`DISABLE ROW LEVEL SECURITY`.
    SetRls {
        /// Table.
        table: QName,
        /// Enabled.
        enabled: bool,
    },
    /// `INSERT`/`UPDATE`/`DELETE`/`TRUNCATE`.
    DataChange {
        /// Target table.
        table: QName,
        /// Verb.
        verb: DataVerb,
        /// Has a top-level `WHERE`.
        has_where: bool,
        /// Columns assigned by an `UPDATE`.
        set_columns: Vec<String>,
        /// Range of the verb.
        range: TextRange,
    },
    /// `BEGIN`/`START TRANSACTION` (true) or `COMMIT`/`END`/`ROLLBACK` (false).
    Transaction {
        /// Begin.
        begin: bool,
    },
    /// A statement the catalog does not model.
    Opaque,
}

/// The kind of a referenced object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjKind {
    /// Table, view or sequence.
    Relation,
    /// Type.
    Type,
    /// Function.
    Function,
}

/// A reference to an object that did not exist when the statement ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingRef {
    /// The referencing statement.
    pub at: StmtRef,
    /// Object kind.
    pub kind: ObjKind,
    /// Object name.
    pub name: QName,
    /// Range of the reference.
    pub range: TextRange,
}

/// Enum values removed by a migration (recreate pattern, `DROP` + `CREATE`, MySQL `MODIFY`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumChange {
    /// The migration.
    pub migration: usize,
    /// Enum type (for MySQL: `Table.column`).
    pub name: String,
    /// Values before.
    pub before: Vec<String>,
    /// Values after.
    pub after: Vec<String>,
    /// Values removed (renames excluded).
    pub removed: Vec<String>,
    /// The statement defining the new values.
    pub at: StmtRef,
    /// Statements converting columns to the new values (they fail on rows holding removed ones).
    pub conversions: Vec<StmtRef>,
    /// Columns of the enum type before the migration.
    pub columns: Vec<(QName, String)>,
    /// The migration maps old values (an `UPDATE`, or a `CASE`/literal in `USING`).
    pub mapped: bool,
    /// Where the enum was created originally.
    pub created_at: Option<StmtRef>,
}

/// The result of replaying a history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replay {
    /// The final catalog.
    pub catalog: Catalog,
    /// References to objects missing at the time.
    pub missing_refs: Vec<MissingRef>,
    /// Every creation of every object (kind, name) in order.
    pub creations: BTreeMap<(ObjKind, QName), Vec<StmtRef>>,
    /// Enum value removals.
    pub enum_changes: Vec<EnumChange>,
    /// Indexes and columns dropped by a later statement than the one that created them.
    pub drops: Vec<DroppedObject>,
}

/// What kind of object a [`DroppedObject`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DroppedKind {
    /// An index (unique indexes included).
    Index,
    /// A column.
    Column,
}

/// An index or column a statement removed, with the statement that created it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedObject {
    /// Index or column.
    pub kind: DroppedKind,
    /// The table it belonged to.
    pub table: QName,
    /// Index or column name.
    pub name: String,
    /// The statement that created it.
    pub created_at: StmtRef,
    /// The statement that dropped it.
    pub dropped_at: StmtRef,
    /// Index only: its plain columns, in order (expressions left out).
    pub columns: Vec<String>,
    /// Index only: `UNIQUE`.
    pub unique: bool,
    /// Index only: the key that still did the dropped index's job when it was dropped — the
    /// primary key or another B-tree whose leading columns are its columns (exactly its
    /// columns, and unique, when it was unique). Only for a B-tree on plain columns without
    /// operator classes, predicate or `NULLS` ordering.
    pub covered_by: Option<String>,
    /// Its definition has a shape Prisma never generates: a partial, expression or
    /// `NULLS FIRST/LAST` index, an index built `CONCURRENTLY`, a generated column.
    pub beyond_prisma: bool,
}

/// The key of the catalog that does the job of index `i` (dropped from it): see
/// [`DroppedObject::covered_by`].
fn covering_key(cat: &Catalog, i: &Index) -> Option<String> {
    let plain = i.method.eq_ignore_ascii_case("btree")
        && !index_beyond_prisma(i)
        && i.columns.iter().all(|c| c.opclass.is_none());
    if !plain || i.columns.is_empty() {
        return None;
    }
    let cols: Vec<&str> = i.columns.iter().map(|c| c.expr.as_str()).collect();
    let covers = |key: &[&str], unique: bool| {
        if i.unique {
            unique && key == cols.as_slice()
        } else {
            key.len() >= cols.len() && key[..cols.len()] == cols[..]
        }
    };
    let t = cat.tables.get(&i.table)?;
    if let Some(pk) = &t.primary_key {
        let key: Vec<&str> = pk.columns.iter().map(String::as_str).collect();
        if covers(&key, true) {
            return Some(if pk.name.is_empty() {
                "the primary key".into()
            } else {
                pk.name.clone()
            });
        }
    }
    for u in &t.uniques {
        let key: Vec<&str> = u.columns.iter().map(String::as_str).collect();
        if covers(&key, true) {
            return Some(u.name.clone());
        }
    }
    cat.table_indexes(&i.table)
        .filter(|o| {
            o.name != i.name
                && o.predicate.is_none()
                && o.method.eq_ignore_ascii_case("btree")
                && o.columns.iter().all(|c| !c.is_expression)
        })
        .find(|o| {
            let key: Vec<&str> = o.columns.iter().map(|c| c.expr.as_str()).collect();
            covers(&key, o.unique)
        })
        .map(|o| o.name.name.clone())
}

/// Whether Prisma Migrate could have generated this index from a schema: it never writes
/// predicates, expressions, `NULLS` ordering or `CONCURRENTLY`.
pub fn index_beyond_prisma(i: &Index) -> bool {
    i.predicate.is_some()
        || i.concurrently
        || i.columns
            .iter()
            .any(|c| c.is_expression || c.nulls.is_some())
}

impl Replay {
    /// The first creation of an object strictly after migration `after`.
    pub fn created_later(&self, kind: ObjKind, name: &QName, after: usize) -> Option<StmtRef> {
        self.creations
            .get(&(kind, name.clone()))?
            .iter()
            .find(|s| s.migration > after)
            .copied()
    }
}

/// Replay `history` (fills each statement's effects and target, and `history.replay`).
pub fn replay(history: &mut MigrationHistory) {
    let dialect = history.dialect;
    let mut st = State {
        dialect,
        replay: Replay::default(),
        pending: BTreeMap::new(),
        deferred: false,
        temporary: Vec::new(),
    };
    for mi in 0..history.migrations.len() {
        if history.migrations[mi].problem.is_some() {
            continue;
        }
        let enums_before: BTreeMap<QName, (Vec<String>, StmtRef)> = st
            .replay
            .catalog
            .enums
            .iter()
            .map(|(k, e)| (k.clone(), (e.values.clone(), e.created_at)))
            .collect();
        // Columns of enum types before the migration, only when it touches types (cloning the
        // catalog per migration would make the replay quadratic).
        let touches_types = {
            let m = &history.migrations[mi];
            m.statements.iter().any(|s| {
                let t = m.tokens.get(s.tokens.clone()).unwrap_or(&[]);
                t.get(1).is_some_and(|x| x.is_kw(&m.sql, "TYPE"))
                    || (dialect == Dialect::MySql
                        && t.first().is_some_and(|x| x.is_kw(&m.sql, "ALTER"))
                        && t.iter()
                            .any(|x| x.is_kw(&m.sql, "MODIFY") || x.is_kw(&m.sql, "CHANGE")))
            })
        };
        let catalog_before_tables: Vec<EnumColumn> = if touches_types {
            st.replay
                .catalog
                .tables
                .values()
                .flat_map(|t| {
                    t.columns
                        .iter()
                        .filter(|c| {
                            c.data_type.starts_with("enum(")
                                || enums_before
                                    .keys()
                                    .any(|k| k.name == c.data_type.trim_end_matches("[]"))
                        })
                        .map(|c| EnumColumn {
                            table: t.name.clone(),
                            column: c.name.clone(),
                            data_type: c.data_type.clone(),
                            defined_at: c.defined_at,
                        })
                })
                .collect()
        } else {
            Vec::new()
        };
        for si in 0..history.migrations[mi].statements.len() {
            let at = StmtRef {
                migration: mi,
                statement: si,
            };
            let (effects, target) = st.run(history, at);
            let created: Vec<QName> = effects
                .iter()
                .filter_map(|e| match e {
                    Effect::CreateTable { table, .. } => Some(table.clone()),
                    Effect::RenameTable { to, .. } => Some(to.clone()),
                    _ => None,
                })
                .collect();
            let stmt = &mut history.migrations[mi].statements[si];
            stmt.effects = effects;
            stmt.target = target;
            // Statements that used these tables before they existed (an order dependency):
            // apply them now, as the database that ran them in another order has them.
            for name in created {
                let Some(waiting) = st.pending.remove(&name) else {
                    continue;
                };
                st.deferred = true;
                for w in waiting {
                    st.run(history, w);
                }
                st.deferred = false;
            }
        }
        st.enum_changes(history, mi, &enums_before, &catalog_before_tables);
        // Temporary tables do not outlive the migration's session.
        for t in std::mem::take(&mut st.temporary) {
            st.replay.catalog.tables.remove(&t);
            st.replay.catalog.indexes.retain(|_, i| i.table != t);
        }
    }
    history.replay = st.replay;
}

/// PostgreSQL's names for constraints declared without one (`<table>_<columns>_fkey`, `_key`,
/// `_pkey`), so a later `DROP CONSTRAINT` by that name finds them.
fn name_unnamed_constraints(table: &mut Table) {
    // PostgreSQL's makeObjectName: shorten the longer part until the name fits 63 bytes.
    let name = |cols: &[String], suffix: &str| {
        let n1 = table.name.name.as_str();
        let n2 = cols.join("_");
        let overhead = suffix.len() + 1 + usize::from(!n2.is_empty());
        let avail = 63usize.saturating_sub(overhead);
        let (mut l1, mut l2) = (n1.len(), n2.len());
        while l1 + l2 > avail && l1 + l2 > 0 {
            if l1 > l2 { l1 -= 1 } else { l2 -= 1 }
        }
        let cut = |t: &str, mut l: usize| {
            while !t.is_char_boundary(l) {
                l -= 1;
            }
            t[..l].to_string()
        };
        if n2.is_empty() {
            format!("{}_{suffix}", cut(n1, l1))
        } else {
            format!("{}_{}_{suffix}", cut(n1, l1), cut(&n2, l2))
        }
    };
    let fks: Vec<String> = table
        .foreign_keys
        .iter()
        .map(|f| name(&f.columns, "fkey"))
        .collect();
    for (f, n) in table.foreign_keys.iter_mut().zip(fks) {
        if f.name.is_empty() {
            f.name = n;
        }
    }
    let uniques: Vec<String> = table
        .uniques
        .iter()
        .map(|u| name(&u.columns, "key"))
        .collect();
    for (u, n) in table.uniques.iter_mut().zip(uniques) {
        if u.name.is_empty() {
            u.name = n;
        }
    }
    let pkey = name(&[], "pkey");
    if let Some(p) = table.primary_key.as_mut().filter(|p| p.name.is_empty()) {
        p.name = pkey;
    }
}

/// MySQL's names for foreign keys declared without one (`<table>_ibfk_<n>`, `n` one more than
/// the highest such number on the table), so a later `DROP FOREIGN KEY` by that name finds
/// them.
fn name_unnamed_mysql_foreign_keys(table: &mut Table) {
    let prefix = format!("{}_ibfk_", table.name.name);
    let mut next = table
        .foreign_keys
        .iter()
        .filter_map(|f| f.name.strip_prefix(&prefix)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    for f in table.foreign_keys.iter_mut().filter(|f| f.name.is_empty()) {
        next += 1;
        f.name = format!("{prefix}{next}");
    }
}

/// Rename the unique or primary-key constraint `from` of `table` (its index was renamed).
fn rename_key_constraint(table: &mut Table, from: &str, to: &str) {
    for u in table.uniques.iter_mut().filter(|u| u.name == from) {
        u.name = to.to_string();
    }
    if let Some(p) = table.primary_key.as_mut().filter(|p| p.name == from) {
        p.name = to.to_string();
    }
}

/// A column of an enum type, snapshotted before a migration.
struct EnumColumn {
    table: QName,
    column: String,
    data_type: String,
    defined_at: StmtRef,
}

struct State {
    dialect: Dialect,
    replay: Replay,
    /// Statements waiting for a table that did not exist yet.
    pending: BTreeMap<QName, Vec<StmtRef>>,
    /// Re-running a waiting statement: record nothing but catalog changes.
    deferred: bool,
    /// Temporary tables of the current migration: gone when its session ends.
    temporary: Vec<QName>,
}

struct Stmt<'a> {
    src: &'a str,
    at: StmtRef,
    effects: Vec<Effect>,
    target: Option<(QName, TableState)>,
}

/// Builtin (non user-defined) type names, to avoid treating them as references.
fn is_builtin_type(t: &str) -> bool {
    let base = t.split(['(', '[', ' ']).next().unwrap_or(t);
    matches!(
        base,
        "integer"
            | "int"
            | "int2"
            | "int4"
            | "int8"
            | "smallint"
            | "bigint"
            | "serial"
            | "bigserial"
            | "smallserial"
            | "text"
            | "character"
            | "varchar"
            | "char"
            | "numeric"
            | "decimal"
            | "real"
            | "double"
            | "float"
            | "float4"
            | "float8"
            | "boolean"
            | "bool"
            | "timestamp"
            | "timestamptz"
            | "date"
            | "time"
            | "timetz"
            | "interval"
            | "json"
            | "jsonb"
            | "uuid"
            | "bytea"
            | "inet"
            | "cidr"
            | "macaddr"
            | "money"
            | "xml"
            | "bit"
            | "varbit"
            | "tsvector"
            | "tsquery"
            | "point"
            | "oid"
            | "citext"
            | "ltree"
            | "hstore"
            | "geometry"
            | "geography"
            | "vector"
            | "name"
            | "regclass"
            | "datetime"
            | "tinyint"
            | "mediumint"
            | "mediumtext"
            | "longtext"
            | "tinytext"
            | "blob"
            | "longblob"
            | "mediumblob"
            | "tinyblob"
            | "binary"
            | "varbinary"
            | "enum"
            | "set"
            | "year"
            | "blob_"
            | "int unsigned"
            | "unsigned"
    )
}

impl State {
    fn def_schema(&self) -> String {
        self.dialect.default_schema().to_string()
    }

    /// A table reference as the database resolves it. MySQL on Windows and macOS (where
    /// Prisma generated many histories) compares table names case-insensitively, and such
    /// histories write `ALTER TABLE \`user\`` for a table created as `User`.
    fn table_name(&self, found: Option<(QName, TextRange)>) -> Option<(QName, TextRange)> {
        let (name, r) = found?;
        if self.dialect != Dialect::MySql || self.replay.catalog.tables.contains_key(&name) {
            return Some((name, r));
        }
        let mut same = self
            .replay
            .catalog
            .tables
            .keys()
            .filter(|k| k.schema == name.schema && k.name.eq_ignore_ascii_case(&name.name));
        match (same.next(), same.next()) {
            (Some(k), None) => Some((k.clone(), r)),
            _ => Some((name, r)),
        }
    }

    fn created(&mut self, kind: ObjKind, name: &QName, at: StmtRef) {
        if self.deferred {
            return;
        }
        self.replay
            .creations
            .entry((kind, name.clone()))
            .or_default()
            .push(at);
    }

    /// Run statement `at` of `history`; returns its effects and target.
    fn run(
        &mut self,
        history: &MigrationHistory,
        at: StmtRef,
    ) -> (Vec<Effect>, Option<(QName, TableState)>) {
        let Some(m) = history.migrations.get(at.migration) else {
            return (Vec::new(), None);
        };
        let Some(stmt) = m.statements.get(at.statement) else {
            return (Vec::new(), None);
        };
        let toks = m.tokens.get(stmt.tokens.clone()).unwrap_or(&[]);
        let mut cx = Stmt {
            src: &m.sql,
            at,
            effects: Vec::new(),
            target: None,
        };
        self.statement(&mut cx, toks);
        (cx.effects, cx.target)
    }

    fn missing(&mut self, cx: &Stmt<'_>, kind: ObjKind, name: &QName, range: TextRange) {
        if self.deferred {
            return;
        }
        if kind == ObjKind::Relation {
            let list = self.pending.entry(name.clone()).or_default();
            if !list.contains(&cx.at) {
                list.push(cx.at);
            }
        }
        self.replay.missing_refs.push(MissingRef {
            at: cx.at,
            kind,
            name: name.clone(),
            range,
        });
    }

    /// Look a table up; records a missing reference when absent. Returns its state.
    fn use_table(&mut self, cx: &mut Stmt<'_>, name: &QName, range: TextRange) -> TableState {
        let state = match self.replay.catalog.tables.get(name) {
            Some(t) if t.created_at.migration == cx.at.migration => TableState::New,
            Some(_) => TableState::Existing,
            // A (materialized) view created by this migration: nothing reads it yet.
            None if self
                .replay
                .catalog
                .views
                .get(name)
                .is_some_and(|v| v.created_at.migration == cx.at.migration) =>
            {
                TableState::New
            }
            None if self.replay.catalog.has_relation(name) => TableState::Existing,
            None => {
                self.missing(cx, ObjKind::Relation, name, range);
                TableState::Unknown
            }
        };
        if cx.target.is_none() {
            cx.target = Some((name.clone(), state));
        }
        state
    }

    fn use_type(&mut self, cx: &Stmt<'_>, data_type: &str, range: TextRange) {
        let base = data_type.trim_end_matches("[]");
        if base.is_empty() || is_builtin_type(base) || base.contains(' ') || base.contains('(') {
            return;
        }
        let name = QName::new(self.def_schema(), base);
        if !self.replay.catalog.has_type(&name)
            && !self
                .replay
                .catalog
                .enums
                .keys()
                .chain(self.replay.catalog.other_types.keys())
                .any(|k| k.name == base)
        {
            self.missing(cx, ObjKind::Type, &name, range);
        }
    }

    fn statement(&mut self, cx: &mut Stmt<'_>, toks: &[Token]) {
        let mut c = Cur::new(cx.src, toks, self.dialect);
        let Some(first) = c.peek().copied() else {
            return;
        };
        let word = first.text(cx.src).to_ascii_uppercase();
        let handled = match word.as_str() {
            "CREATE" => self.create(cx, &mut c),
            "ALTER" => self.alter(cx, &mut c),
            "DROP" => self.drop(cx, &mut c),
            "INSERT" | "UPDATE" | "DELETE" | "WITH" | "TRUNCATE" | "REPLACE" => {
                self.data_change(cx, &mut c)
            }
            "RENAME" => self.rename_table_mysql(cx, &mut c),
            "BEGIN" | "START" => {
                cx.effects.push(Effect::Transaction { begin: true });
                true
            }
            "COMMIT" | "END" | "ROLLBACK" => {
                cx.effects.push(Effect::Transaction { begin: false });
                true
            }
            "COMMENT" => {
                self.comment_on(cx, &mut c);
                false
            }
            _ => false,
        };
        if !handled || cx.effects.is_empty() {
            if cx.effects.is_empty() {
                cx.effects.push(Effect::Opaque);
            }
            if !self.deferred {
                self.replay.catalog.opaque.push(cx.at);
            }
        }
    }

    fn comment_on(&mut self, cx: &mut Stmt<'_>, c: &mut Cur<'_>) {
        c.bump();
        if !c.eat_kw("ON") {
            return;
        }
        if c.eat_kw("TABLE") {
            if let Some((name, r)) = c.qname(&self.def_schema()) {
                self.use_table(cx, &name, r);
            }
        } else if c.eat_kw("COLUMN") {
            // schema.table.column or table.column
            let mut parts = Vec::new();
            let start = c.pos_range();
            while let Some((p, _)) = c.ident() {
                parts.push(p);
                if !c.eat_punct(".") {
                    break;
                }
            }
            let end = c.prev_end();
            if parts.len() >= 2 {
                parts.pop();
                let name = if parts.len() == 2 {
                    QName::new(parts[0].clone(), parts[1].clone())
                } else {
                    QName::new(self.def_schema(), parts[0].clone())
                };
                self.use_table(
                    cx,
                    &name,
                    TextRange::new(start.start(), end.max(start.start())),
                );
            }
        }
    }

    // ---------------------------------------------------------------- CREATE

    fn create(&mut self, cx: &mut Stmt<'_>, c: &mut Cur<'_>) -> bool {
        c.bump();
        if c.eat_kw("OR") {
            c.eat_kw("REPLACE");
        }
        c.eat_kw("DEFINER"); // MySQL CREATE DEFINER=... (rare)
        let mut unique = false;
        let mut temporary = false;
        loop {
            if c.eat_kw("TEMP") || c.eat_kw("TEMPORARY") {
                temporary = true;
                continue;
            }
            if c.eat_kw("GLOBAL")
                || c.eat_kw("LOCAL")
                || c.eat_kw("UNLOGGED")
                || c.eat_kw("CONSTRAINT")
                || c.eat_kw("RECURSIVE")
                || c.eat_kw("TRUSTED")
                || c.eat_kw("PROCEDURAL")
                || c.eat_kw("FULLTEXT")
                || c.eat_kw("SPATIAL")
            {
                continue;
            }
            if c.eat_kw("UNIQUE") {
                unique = true;
                continue;
            }
            break;
        }
        if c.eat_kw("TABLE") {
            let before = cx.effects.len();
            let done = self.create_table(cx, c);
            if temporary {
                for e in &cx.effects[before..] {
                    if let Effect::CreateTable { table, .. } = e {
                        self.temporary.push(table.clone());
                    }
                }
            }
            return done;
        }
        if c.eat_kw("INDEX") {
            return self.create_index(cx, c, unique);
        }
        if c.eat_kw("TYPE") {
            return self.create_type(cx, c);
        }
        if c.eat_kw("FUNCTION") || c.eat_kw("PROCEDURE") {
            return self.create_function(cx, c);
        }
        if c.eat_kw("TRIGGER") {
            return self.create_trigger(cx, c);
        }
        if c.eat_kw("MATERIALIZED") {
            c.eat_kw("VIEW");
            return self.create_view(cx, c);
        }
        if c.eat_kw("VIEW") {
            return self.create_view(cx, c);
        }
        if c.eat_kw("EXTENSION") {
            c.eat_if_not_exists();
            if let Some((name, _)) = c.ident() {
                self.replay.catalog.extensions.insert(
                    name.clone(),
                    NamedObject {
                        name: QName::new(self.def_schema(), name.clone()),
                        table: None,
                        created_at: cx.at,
                    },
                );
                cx.effects.push(Effect::CreateExtension { name });
            }
            return true;
        }
        if c.eat_kw("SCHEMA") {
            c.eat_if_not_exists();
            if let Some((name, _)) = c.ident() {
                self.replay.catalog.schemas.insert(name);
            }
            cx.effects.push(Effect::Opaque);
            return true;
        }
        if c.eat_kw("POLICY") {
            let Some((name, name_range)) = c.ident() else {
                return false;
            };
            if !c.eat_kw("ON") {
                return false;
            }
            let Some((table, r)) = c.qname(&self.def_schema()) else {
                return false;
            };
            self.use_table(cx, &table, r);
            self.replay.catalog.policies.insert(
                (table.clone(), name.clone()),
                NamedObject {
                    name: QName::new(table.schema.clone(), name.clone()),
                    table: Some(table.clone()),
                    created_at: cx.at,
                },
            );
            cx.effects.push(Effect::CreatePolicy {
                name,
                table,
                name_range,
            });
            return true;
        }
        if c.eat_kw("SEQUENCE") {
            c.eat_if_not_exists();
            if let Some((name, _)) = c.qname(&self.def_schema()) {
                self.created(ObjKind::Relation, &name, cx.at);
                self.replay.catalog.sequences.insert(
                    name.clone(),
                    NamedObject {
                        name,
                        table: None,
                        created_at: cx.at,
                    },
                );
            }
            cx.effects.push(Effect::Opaque);
            return true;
        }
        if c.eat_kw("DOMAIN") {
            if let Some((name, _)) = c.qname(&self.def_schema()) {
                self.created(ObjKind::Type, &name, cx.at);
                self.replay.catalog.other_types.insert(
                    name.clone(),
                    NamedObject {
                        name,
                        table: None,
                        created_at: cx.at,
                    },
                );
            }
            cx.effects.push(Effect::Opaque);
            return true;
        }
        false
    }

    fn create_table(&mut self, cx: &mut Stmt<'_>, c: &mut Cur<'_>) -> bool {
        c.eat_if_not_exists();
        let Some((name, name_range)) = c.qname(&self.def_schema()) else {
            return false;
        };
        if self.deferred && self.replay.catalog.tables.contains_key(&name) {
            return true;
        }
        let mut table = Table {
            name: name.clone(),
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            checks: Vec::new(),
            foreign_keys: Vec::new(),
            rls_enabled: false,
            rls_forced: false,
            opaque_columns: false,
            created_at: cx.at,
        };
        self.created(ObjKind::Relation, &name, cx.at);
        cx.target = Some((name.clone(), TableState::New));
        cx.effects.push(Effect::CreateTable {
            table: name.clone(),
            name_range,
        });
        if c.peek_punct("(") {
            let inner = c.group_tokens();
            // Insert first so self-references resolve.
            self.replay
                .catalog
                .tables
                .insert(name.clone(), table.clone());
            for el in split_commas(inner, cx.src) {
                self.table_element(cx, &mut table, el);
            }
        } else {
            // AS SELECT / PARTITION OF / LIKE
            table.opaque_columns = true;
            if c.eat_kw("PARTITION")
                && c.eat_kw("OF")
                && let Some((parent, r)) = c.qname(&self.def_schema())
            {
                self.use_table(cx, &parent, r);
                if let Some(p) = self.replay.catalog.tables.get(&parent) {
                    table.columns = p.columns.clone();
                    table.opaque_columns = false;
                }
            }
        }
        if self.dialect.is_postgres() {
            name_unnamed_constraints(&mut table);
        } else if self.dialect == Dialect::MySql {
            name_unnamed_mysql_foreign_keys(&mut table);
        }
        self.replay.catalog.tables.insert(name, table);
        true
    }

    fn table_element(&mut self, cx: &mut Stmt<'_>, table: &mut Table, el: &[Token]) {
        let Some(first) = el.first() else { return };
        let src = cx.src;
        let is_constraint = first.kind == TokenKind::Word
            && ["CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "EXCLUDE", "INDEX", "KEY", "FULLTEXT", "SPATIAL", "LIKE"]
                .iter()
                .any(|k| first.is_kw(src, k))
            // `"key" TEXT` is a column named key.
            && !(el.len() > 1 && (first.is_kw(src, "KEY") || first.is_kw(src, "INDEX")) && el[1].kind == TokenKind::Word && !el[1].is_kw(src, "USING"));
        let mut c = Cur::new(src, el, self.dialect);
        if is_constraint {
            self.constraint(cx, &mut c, table, span_of(el), true);
        } else if let Some(col) = self.column_def(cx, &mut c, table) {
            table.columns.retain(|x| x.name != col.name);
            table.columns.push(col);
        }
    }

    /// Parse a column definition; inline constraints are applied to `table`.
    fn column_def(
        &mut self,
        cx: &mut Stmt<'_>,
        c: &mut Cur<'_>,
        table: &mut Table,
    ) -> Option<Column> {
        let start = c.pos_range().start();
        let (name, _) = c.ident()?;
        let type_start = c.i;
        const STOPS: &[&str] = &[
            "NOT",
            "NULL",
            "DEFAULT",
            "PRIMARY",
            "UNIQUE",
            "REFERENCES",
            "CHECK",
            "CONSTRAINT",
            "GENERATED",
            "COLLATE",
            "AUTO_INCREMENT",
            "AUTOINCREMENT",
            "ON",
            "COMMENT",
            "AS",
            "CHARSET",
            "FIRST",
            "AFTER",
            "INVISIBLE",
            "VISIBLE",
            "IDENTITY",
        ];
        while let Some(t) = c.peek() {
            if t.kind == TokenKind::Word && STOPS.iter().any(|k| t.is_kw(c.src, k)) {
                break;
            }
            if t.is_kw(c.src, "CHARACTER") && c.peek_at(1).is_some_and(|n| n.is_kw(c.src, "SET")) {
                break;
            }
            if t.kind == TokenKind::Punct && t.text(c.src) == "(" {
                c.group_tokens();
                continue;
            }
            c.bump();
        }
        let raw_type = tokens_text(c.src, &c.t[type_start..c.i]);
        let type_range = span_of(&c.t[type_start..c.i]);
        let (data_type, serial) = canon_type(&raw_type, self.dialect);
        let mut col = Column {
            name: name.clone(),
            data_type,
            not_null: serial,
            default: serial.then(|| "nextval".to_string()),
            generated: None,
            defined_at: cx.at,
            def_range: TextRange::new(start, start),
        };
        self.use_type(cx, &col.data_type, type_range);
        let mut cname = String::new();
        while let Some(t) = c.peek().copied() {
            let w = t.text(c.src).to_ascii_uppercase();
            match w.as_str() {
                "NOT" => {
                    c.bump();
                    if c.eat_kw("NULL") {
                        col.not_null = true;
                    }
                }
                "NULL" => {
                    c.bump();
                    col.not_null = false;
                }
                "DEFAULT" => {
                    c.bump();
                    let s = c.i;
                    c.bump_expr(STOPS_AFTER_DEFAULT);
                    col.default = Some(tokens_text(c.src, &c.t[s..c.i]));
                }
                "CONSTRAINT" => {
                    c.bump();
                    cname = c.ident().map(|x| x.0).unwrap_or_default();
                }
                "PRIMARY" => {
                    c.bump();
                    c.eat_kw("KEY");
                    col.not_null = true;
                    table.primary_key = Some(KeyConstraint {
                        name: std::mem::take(&mut cname),
                        columns: vec![name.clone()],
                        defined_at: cx.at,
                    });
                }
                "UNIQUE" => {
                    c.bump();
                    c.eat_kw("KEY");
                    table.uniques.push(KeyConstraint {
                        name: std::mem::take(&mut cname),
                        columns: vec![name.clone()],
                        defined_at: cx.at,
                    });
                }
                "REFERENCES" => {
                    c.bump();
                    if let Some(fk) =
                        self.references(cx, c, std::mem::take(&mut cname), vec![name.clone()])
                    {
                        table.foreign_keys.push(fk);
                    }
                }
                "CHECK" => {
                    c.bump();
                    c.group_tokens();
                    table.checks.push(KeyConstraint {
                        name: std::mem::take(&mut cname),
                        columns: vec![name.clone()],
                        defined_at: cx.at,
                    });
                }
                "GENERATED" | "AS" => {
                    c.bump();
                    if w == "GENERATED" {
                        if c.eat_kw("ALWAYS") {
                        } else if c.eat_kw("BY") {
                            c.eat_kw("DEFAULT");
                        }
                        c.eat_kw("AS");
                    }
                    if c.eat_kw("IDENTITY") {
                        col.generated = Some("identity".into());
                        col.not_null = true;
                        if c.peek_punct("(") {
                            c.group_tokens();
                        }
                    } else if c.peek_punct("(") {
                        let g = c.group_tokens();
                        col.generated = Some(tokens_text(c.src, g));
                    }
                }
                "AUTO_INCREMENT" | "AUTOINCREMENT" => {
                    c.bump();
                    col.default = Some("autoincrement".into());
                }
                "ON" => {
                    // MySQL ON UPDATE CURRENT_TIMESTAMP(3)
                    c.bump();
                    c.eat_kw("UPDATE");
                    c.bump_expr(STOPS_AFTER_DEFAULT);
                }
                _ => {
                    c.bump();
                    if c.peek_punct("(") {
                        c.group_tokens();
                    }
                }
            }
        }
        col.def_range = TextRange::new(start, c.prev_end().max(start));
        Some(col)
    }

    fn references(
        &mut self,
        cx: &mut Stmt<'_>,
        c: &mut Cur<'_>,
        name: String,
        columns: Vec<String>,
    ) -> Option<ForeignKey> {
        let (ref_table, r) = self.table_name(c.qname(&self.def_schema()))?;
        let ref_columns = if c.peek_punct("(") {
            ident_list(c.src, c.group_tokens(), self.dialect)
        } else {
            Vec::new()
        };
        if cx.target.as_ref().is_none_or(|t| t.0 != ref_table)
            && !self.replay.catalog.has_relation(&ref_table)
        {
            self.missing(cx, ObjKind::Relation, &ref_table, r);
        }
        let mut fk = ForeignKey {
            name,
            columns,
            ref_table,
            ref_columns,
            on_delete: "NO ACTION".into(),
            on_update: "NO ACTION".into(),
            not_valid: false,
            defined_at: cx.at,
        };
        loop {
            if c.eat_kw("MATCH") {
                c.bump();
            } else if c.eat_kw("ON") {
                let del = if c.eat_kw("DELETE") {
                    true
                } else {
                    c.eat_kw("UPDATE");
                    false
                };
                let action = if c.eat_kw("CASCADE") {
                    "CASCADE"
                } else if c.eat_kw("RESTRICT") {
                    "RESTRICT"
                } else if c.eat_kw("NO") {
                    c.eat_kw("ACTION");
                    "NO ACTION"
                } else if c.eat_kw("SET") {
                    if c.eat_kw("NULL") {
                        "SET NULL"
                    } else {
                        c.eat_kw("DEFAULT");
                        "SET DEFAULT"
                    }
                } else {
                    c.bump();
                    "NO ACTION"
                };
                if del {
                    fk.on_delete = action.into();
                } else {
                    fk.on_update = action.into();
                }
            } else if c.eat_kw("NOT") {
                if c.eat_kw("VALID") {
                    fk.not_valid = true;
                }
            } else if c.eat_kw("DEFERRABLE")
                || c.eat_kw("INITIALLY")
                || c.eat_kw("DEFERRED")
                || c.eat_kw("IMMEDIATE")
            {
            } else {
                break;
            }
        }
        Some(fk)
    }

    /// A table constraint (in `CREATE TABLE` or after `ADD`). Returns the effect's kind.
    fn constraint(
        &mut self,
        cx: &mut Stmt<'_>,
        c: &mut Cur<'_>,
        table: &mut Table,
        range: TextRange,
        in_create: bool,
    ) -> Option<ConstraintKind> {
        let mut name = String::new();
        if c.eat_kw("CONSTRAINT") {
            name = c.ident().map(|x| x.0).unwrap_or_default();
        }
        let kind;
        let mut columns = Vec::new();
        let mut not_valid = false;
        if c.eat_kw("PRIMARY") {
            c.eat_kw("KEY");
            kind = ConstraintKind::PrimaryKey;
            if c.peek_punct("(") {
                columns = ident_list(c.src, c.group_tokens(), self.dialect);
            }
            for col in &columns {
                if let Some(cc) = table.column_mut(col) {
                    cc.not_null = true;
                }
            }
            table.primary_key = Some(KeyConstraint {
                name: name.clone(),
                columns: columns.clone(),
                defined_at: cx.at,
            });
        } else if c.eat_kw("UNIQUE")
            || (self.dialect == Dialect::MySql && c.peek_kw("INDEX"))
            || (self.dialect == Dialect::MySql && c.peek_kw("KEY"))
            || c.peek_kw("FULLTEXT")
        {
            // MySQL: UNIQUE [INDEX|KEY] [name] (cols), INDEX name (cols)
            let prev_unique = c.i > 0 && c.t[c.i - 1].is_kw(c.src, "UNIQUE");
            let is_index = c.eat_kw("INDEX") || c.eat_kw("KEY") || c.eat_kw("FULLTEXT");
            c.eat_kw("FULLTEXT");
            c.eat_kw("INDEX");
            c.eat_kw("KEY");
            if !c.peek_punct("(")
                && let Some((n, _)) = c.ident()
            {
                name = n;
            }
            if c.peek_punct("(") {
                columns = ident_list(c.src, c.group_tokens(), self.dialect);
            }
            if self.dialect == Dialect::MySql && (is_index || !name.is_empty()) {
                // MySQL keeps these as indexes.
                let index = QName::new(table.name.name.clone(), name.clone());
                self.replay.catalog.indexes.insert(
                    index.clone(),
                    Index {
                        name: index,
                        table: table.name.clone(),
                        unique: prev_unique,
                        method: "btree".into(),
                        columns: columns.iter().map(|c| plain_col(c)).collect(),
                        predicate: None,
                        concurrently: false,
                        defined_at: cx.at,
                    },
                );
                kind = if prev_unique {
                    ConstraintKind::Unique
                } else {
                    ConstraintKind::Other
                };
            } else {
                kind = ConstraintKind::Unique;
                table.uniques.push(KeyConstraint {
                    name: name.clone(),
                    columns: columns.clone(),
                    defined_at: cx.at,
                });
            }
        } else if c.eat_kw("INDEX") || c.eat_kw("KEY") {
            if !c.peek_punct("(")
                && let Some((n, _)) = c.ident()
            {
                name = n;
            }
            if c.peek_punct("(") {
                columns = ident_list(c.src, c.group_tokens(), self.dialect);
            }
            let index = QName::new(table.name.name.clone(), name.clone());
            self.replay.catalog.indexes.insert(
                index.clone(),
                Index {
                    name: index,
                    table: table.name.clone(),
                    unique: false,
                    method: "btree".into(),
                    columns: columns.iter().map(|c| plain_col(c)).collect(),
                    predicate: None,
                    concurrently: false,
                    defined_at: cx.at,
                },
            );
            kind = ConstraintKind::Other;
        } else if c.eat_kw("FOREIGN") {
            c.eat_kw("KEY");
            if !c.peek_punct("(") {
                c.ident();
            }
            if c.peek_punct("(") {
                columns = ident_list(c.src, c.group_tokens(), self.dialect);
            }
            kind = ConstraintKind::ForeignKey;
            if c.eat_kw("REFERENCES")
                && let Some(fk) = self.references(cx, c, name.clone(), columns.clone())
            {
                not_valid = fk.not_valid;
                table
                    .foreign_keys
                    .retain(|f| name.is_empty() || f.name != name);
                table.foreign_keys.push(fk);
            }
        } else if c.eat_kw("CHECK") {
            c.group_tokens();
            kind = ConstraintKind::Check;
            while let Some(t) = c.peek() {
                if t.is_kw(c.src, "VALID") {
                    not_valid = true;
                }
                c.bump();
            }
            table.checks.push(KeyConstraint {
                name: name.clone(),
                columns: Vec::new(),
                defined_at: cx.at,
            });
        } else {
            kind = ConstraintKind::Other;
        }
        if !in_create {
            cx.effects.push(Effect::AddConstraint {
                table: table.name.clone(),
                kind,
                name,
                columns,
                not_valid,
                range,
            });
        }
        Some(kind)
    }

    fn create_index(&mut self, cx: &mut Stmt<'_>, c: &mut Cur<'_>, unique: bool) -> bool {
        let concurrently = c.eat_kw("CONCURRENTLY");
        c.eat_if_not_exists();
        let mut name = None;
        if !c.peek_kw("ON") {
            name = c.qname(&self.def_schema());
        }
        if !c.eat_kw("ON") {
            return false;
        }
        c.eat_kw("ONLY");
        let Some((table, tr)) = self.table_name(c.qname(&self.def_schema())) else {
            return false;
        };
        let state = self.use_table(cx, &table, tr);
        let _ = state;
        let mut method = "btree".to_string();
        if c.eat_kw("USING")
            && let Some((m, _)) = c.ident()
        {
            method = m.to_ascii_lowercase();
        }
        let mut columns = Vec::new();
        if c.peek_punct("(") {
            let inner = c.group_tokens();
            for el in split_commas(inner, cx.src) {
                columns.push(index_column(cx.src, el, self.dialect));
            }
        }
        let mut predicate = None;
        while let Some(t) = c.peek() {
            if t.is_kw(c.src, "WHERE") {
                c.bump();
                let s = c.i;
                while c.peek().is_some() {
                    c.bump();
                }
                predicate = Some(tokens_text(c.src, &c.t[s..c.i]));
                break;
            }
            if t.kind == TokenKind::Punct && t.text(c.src) == "(" {
                c.group_tokens();
            } else {
                c.bump();
            }
        }
        let (index_name, range) = match name {
            Some((mut n, r)) => {
                if self.dialect.is_postgres() {
                    n.schema = table.schema.clone();
                } else if self.dialect == Dialect::MySql {
                    n.schema = table.name.clone();
                }
                (n, r)
            }
            None => {
                let cols: Vec<_> = columns
                    .iter()
                    .map(|c: &IndexColumn| c.expr.clone())
                    .collect();
                (
                    QName::new(
                        table.schema.clone(),
                        format!("{}_{}_idx", table.name, cols.join("_")),
                    ),
                    tr,
                )
            }
        };
        let plain: Vec<String> = columns
            .iter()
            .filter(|c| !c.is_expression)
            .map(|c| c.expr.clone())
            .collect();
        self.replay.catalog.indexes.insert(
            index_name.clone(),
            Index {
                name: index_name.clone(),
                table: table.clone(),
                unique,
                method,
                columns,
                predicate,
                concurrently,
                defined_at: cx.at,
            },
        );
        cx.effects.push(Effect::CreateIndex {
            index: index_name,
            table,
            unique,
            concurrently,
            columns: plain,
            range,
        });
        true
    }

    fn create_type(&mut self, cx: &mut Stmt<'_>, c: &mut Cur<'_>) -> bool {
        let Some((name, _)) = c.qname(&self.def_schema()) else {
            return false;
        };
        self.created(ObjKind::Type, &name, cx.at);
        if c.eat_kw("AS") && c.eat_kw("ENUM") {
            let values = if c.peek_punct("(") {
                string_list(c.src, c.group_tokens())
            } else {
                Vec::new()
            };
            self.replay.catalog.enums.insert(
                name.clone(),
                EnumType {
                    name: name.clone(),
                    values: values.clone(),
                    created_at: cx.at,
                },
            );
            cx.effects.push(Effect::CreateEnum { name, values });
        } else {
            self.replay.catalog.other_types.insert(
                name.clone(),
                NamedObject {
                    name,
                    table: None,
                    created_at: cx.at,
                },
            );
            cx.effects.push(Effect::Opaque);
        }
        true
    }

    fn create_function(&mut self, cx: &mut Stmt<'_>, c: &mut Cur<'_>) -> bool {
        let Some((name, name_range)) = c.qname(&self.def_schema()) else {
            return false;
        };
        let mut security_definer = false;
        let mut fixed_search_path = false;
        let mut language = None;
        while let Some(t) = c.peek().copied() {
            if t.is_kw(c.src, "SECURITY") {
                c.bump();
                if c.eat_kw("DEFINER") {
                    security_definer = true;
                }
                continue;
            }
            if t.is_kw(c.src, "SET") {
                c.bump();
                if c.peek()
                    .is_some_and(|n| n.text(c.src).eq_ignore_ascii_case("search_path"))
                {
                    fixed_search_path = true;
                }
                continue;
            }
            if t.is_kw(c.src, "LANGUAGE") {
                c.bump();
                language = c.ident().map(|x| x.0.to_ascii_lowercase());
                continue;
            }
            if t.kind == TokenKind::Punct && t.text(c.src) == "(" {
                c.group_tokens();
                continue;
            }
            c.bump();
        }
        self.created(ObjKind::Function, &name, cx.at);
        self.replay.catalog.functions.insert(
            name.clone(),
            Function {
                name: name.clone(),
                security_definer,
                fixed_search_path,
                language,
                created_at: cx.at,
            },
        );
        cx.effects.push(Effect::CreateFunction {
            name,
            security_definer,
            fixed_search_path,
            name_range,
        });
        true
    }

    fn create_trigger(&mut self, cx: &mut Stmt<'_>, c: &mut Cur<'_>) -> bool {
        c.eat_if_not_exists();
        let Some((name, _)) = c.ident() else {
            return false;
        };
        // Skip to ON <table>.
        while let Some(t) = c.peek() {
            if t.is_kw(c.src, "ON") {
                break;
            }
            c.bump();
        }
        if !c.eat_kw("ON") {
            return false;
        }
        let Some((table, tr)) = c.qname(&self.def_schema()) else {
            return false;
        };
        self.use_table(cx, &table, tr);
        // EXECUTE FUNCTION|PROCEDURE f(...)
        while let Some(t) = c.peek() {
            if t.is_kw(c.src, "EXECUTE") {
                c.bump();
                if (c.eat_kw("FUNCTION") || c.eat_kw("PROCEDURE"))
                    && let Some((f, fr)) = c.qname(&self.def_schema())
                    && !self.replay.catalog.functions.contains_key(&f)
                {
                    self.missing(cx, ObjKind::Function, &f, fr);
                }
                break;
            }
            c.bump();
        }
        self.replay.catalog.triggers.insert(
            (table.clone(), name.clone()),
            NamedObject {
                name: QName::new(table.schema.clone(), name.clone()),
                table: Some(table.clone()),
                created_at: cx.at,
            },
        );
        cx.effects.push(Effect::CreateTrigger { name, table });
        true
    }

    fn create_view(&mut self, cx: &mut Stmt<'_>, c: &mut Cur<'_>) -> bool {
        c.eat_if_not_exists();
        let Some((name, _)) = c.qname(&self.def_schema()) else {
            return false;
        };
        // Tables after FROM/JOIN that are not CTE names.
        let mut ctes = BTreeSet::new();
        let toks = c.t;
        let mut i = c.i;
        while i < toks.len() {
            let t = toks[i];
            if (t.is_kw(c.src, "WITH") || (t.kind == TokenKind::Punct && t.text(c.src) == ","))
                && toks.get(i + 2).is_some_and(|n| n.is_kw(c.src, "AS"))
                && let Some(n) = toks.get(i + 1)
            {
                ctes.insert(ident_text(c.src, n, self.dialect));
            }
            if (t.is_kw(c.src, "FROM") || t.is_kw(c.src, "JOIN")) && i + 1 < toks.len() {
                let mut sub = Cur::new(c.src, &toks[i + 1..], self.dialect);
                if let Some((tn, r)) = sub.qname(&self.def_schema())
                    && !ctes.contains(&tn.name)
                    && !self.replay.catalog.has_relation(&tn)
                    && toks[i + 1].kind != TokenKind::Punct
                {
                    self.missing(cx, ObjKind::Relation, &tn, r);
                }
            }
            i += 1;
        }
        self.created(ObjKind::Relation, &name, cx.at);
        self.replay.catalog.views.insert(
            name.clone(),
            NamedObject {
                name: name.clone(),
                table: None,
                created_at: cx.at,
            },
        );
        cx.effects.push(Effect::CreateView { name });
        true
    }

    // ---------------------------------------------------------------- ALTER

    fn alter(&mut self, cx: &mut Stmt<'_>, c: &mut Cur<'_>) -> bool {
        c.bump();
        if c.eat_kw("TABLE") {
            return self.alter_table(cx, c);
        }
        if c.eat_kw("TYPE") {
            return self.alter_type(cx, c);
        }
        if c.eat_kw("INDEX") {
            return self.alter_index(cx, c);
        }
        false
    }

    /// `ALTER INDEX [IF EXISTS] name RENAME TO new` (PostgreSQL). An index backing a unique or
    /// primary-key constraint renames the constraint too.
    fn alter_index(&mut self, cx: &mut Stmt<'_>, c: &mut Cur<'_>) -> bool {
        c.eat_if_exists();
        let Some((name, _)) = c.qname(&self.def_schema()) else {
            return false;
        };
        if !(c.eat_kw("RENAME") && c.eat_kw("TO")) {
            return false;
        }
        let Some((to, _)) = c.ident() else {
            return false;
        };
        // Indexes are keyed by their table's schema; an unqualified name may live elsewhere.
        let key = if self.replay.catalog.indexes.contains_key(&name) {
            Some(name.clone())
        } else {
            let mut same = self
                .replay
                .catalog
                .indexes
                .keys()
                .filter(|k| k.name == name.name);
            match (same.next(), same.next()) {
                (Some(k), None) => Some(k.clone()),
                _ => None,
            }
        };
        let schema = key
            .as_ref()
            .map_or(name.schema.clone(), |k| k.schema.clone());
        let new = QName::new(schema, to);
        if let Some(key) = key
            && let Some(mut ix) = self.replay.catalog.indexes.remove(&key)
        {
            ix.name = new.clone();
            if let Some(t) = self.replay.catalog.tables.get_mut(&ix.table) {
                rename_key_constraint(t, &key.name, &new.name);
            }
            self.replay.catalog.indexes.insert(new.clone(), ix);
        } else {
            // A constraint's index the catalog keeps on the table only.
            for t in self.replay.catalog.tables.values_mut() {
                if t.name.schema == name.schema {
                    rename_key_constraint(t, &name.name, &new.name);
                }
            }
        }
        cx.effects.push(Effect::RenameIndex {
            from: name,
            to: new,
        });
        true
    }

    /// `ALTER TABLE ... SET SCHEMA` / `ALTER TYPE ... SET SCHEMA`: the object, its indexes and
    /// the references to it move to another schema under the same name.
    fn set_schema(&mut self, cx: &mut Stmt<'_>, from: &QName, schema: String, is_type: bool) {
        let to = QName::new(schema, from.name.clone());
        if is_type {
            if let Some(mut e) = self.replay.catalog.enums.remove(from) {
                e.name = to.clone();
                self.replay.catalog.enums.insert(to.clone(), e);
            } else if let Some(mut o) = self.replay.catalog.other_types.remove(from) {
                o.name = to.clone();
                self.replay.catalog.other_types.insert(to.clone(), o);
            }
            self.created(ObjKind::Type, &to, cx.at);
            cx.effects.push(Effect::RenameType {
                from: from.clone(),
                to,
            });
            return;
        }
        let Some(table) = self.replay.catalog.tables.get(from).cloned() else {
            if let Some(mut v) = self.replay.catalog.views.remove(from) {
                v.name = to.clone();
                self.replay.catalog.views.insert(to, v);
            } else if let Some(mut s) = self.replay.catalog.sequences.remove(from) {
                s.name = to.clone();
                self.replay.catalog.sequences.insert(to, s);
            }
            cx.effects.push(Effect::Opaque);
            return;
        };
        let columns = table.columns.iter().map(|c| c.name.clone()).collect();
        self.rename_table(cx, from, &to, table, columns);
        if self.dialect.is_postgres() {
            // PostgreSQL keys indexes by their table's schema.
            let moved: Vec<QName> = self
                .replay
                .catalog
                .indexes
                .iter()
                .filter(|(k, i)| i.table == to && k.schema != to.schema)
                .map(|(k, _)| k.clone())
                .collect();
            for k in moved {
                if let Some(mut ix) = self.replay.catalog.indexes.remove(&k) {
                    ix.name.schema = to.schema.clone();
                    self.replay.catalog.indexes.insert(ix.name.clone(), ix);
                }
            }
            for (key, p) in std::mem::take(&mut self.replay.catalog.policies) {
                let key = if &key.0 == from {
                    (to.clone(), key.1)
                } else {
                    key
                };
                self.replay.catalog.policies.insert(key, p);
            }
            for (key, t) in std::mem::take(&mut self.replay.catalog.triggers) {
                let key = if &key.0 == from {
                    (to.clone(), key.1)
                } else {
                    key
                };
                self.replay.catalog.triggers.insert(key, t);
            }
        }
    }

    fn alter_type(&mut self, cx: &mut Stmt<'_>, c: &mut Cur<'_>) -> bool {
        let Some((name, r)) = c.qname(&self.def_schema()) else {
            return false;
        };
        if !self.replay.catalog.has_type(&name) {
            self.missing(cx, ObjKind::Type, &name, r);
        }
        if c.peek_kw("SET") && c.peek_at(1).is_some_and(|t| t.is_kw(cx.src, "SCHEMA")) {
            c.bump();
            c.bump();
            let Some((schema, _)) = c.ident() else {
                return false;
            };
            self.set_schema(cx, &name, schema, true);
            return true;
        }
        if c.eat_kw("ADD") {
            c.eat_kw("VALUE");
            c.eat_if_not_exists();
            let Some(v) = c.string() else { return false };
            let mut pos = None;
            if c.eat_kw("BEFORE") {
                pos = c.string().map(|s| (s, true));
            } else if c.eat_kw("AFTER") {
                pos = c.string().map(|s| (s, false));
            }
            if let Some(e) = self.replay.catalog.enums.get_mut(&name)
                && !e.values.contains(&v)
            {
                let at = pos
                    .and_then(|(s, before)| {
                        e.values
                            .iter()
                            .position(|x| *x == s)
                            .map(|p| if before { p } else { p + 1 })
                    })
                    .unwrap_or(e.values.len());
                e.values.insert(at.min(e.values.len()), v.clone());
            }
            cx.effects.push(Effect::AddEnumValue { name, value: v });
            return true;
        }
        if c.eat_kw("RENAME") {
            if c.eat_kw("VALUE") {
                let (Some(from), true, Some(to)) = (c.string(), c.eat_kw("TO"), c.string()) else {
                    return false;
                };
                if let Some(e) = self.replay.catalog.enums.get_mut(&name) {
                    for v in e.values.iter_mut() {
                        if *v == from {
                            *v = to.clone();
                        }
                    }
                }
                cx.effects.push(Effect::RenameEnumValue { name, from, to });
                return true;
            }
            if c.eat_kw("TO") {
                let Some((to, _)) = c.ident() else {
                    return false;
                };
                let to = QName::new(name.schema.clone(), to);
                if let Some(mut e) = self.replay.catalog.enums.remove(&name) {
                    e.name = to.clone();
                    self.replay.catalog.enums.insert(to.clone(), e);
                } else if let Some(o) = self.replay.catalog.other_types.remove(&name) {
                    self.replay.catalog.other_types.insert(to.clone(), o);
                }
                // Columns of the type follow the rename.
                for t in self.replay.catalog.tables.values_mut() {
                    for col in t.columns.iter_mut() {
                        if col.data_type == name.name {
                            col.data_type = to.name.clone();
                        } else if col.data_type == format!("{}[]", name.name) {
                            col.data_type = format!("{}[]", to.name);
                        }
                    }
                }
                self.created(ObjKind::Type, &to, cx.at);
                cx.effects.push(Effect::RenameType { from: name, to });
                return true;
            }
        }
        false
    }

    fn alter_table(&mut self, cx: &mut Stmt<'_>, c: &mut Cur<'_>) -> bool {
        c.eat_if_exists();
        c.eat_kw("ONLY");
        let Some((name, nr)) = self.table_name(c.qname(&self.def_schema())) else {
            return false;
        };
        c.eat_punct("*");
        self.use_table(cx, &name, nr);
        if c.peek_kw("SET") && c.peek_at(1).is_some_and(|t| t.is_kw(cx.src, "SCHEMA")) {
            c.bump();
            c.bump();
            let Some((schema, _)) = c.ident() else {
                return false;
            };
            self.set_schema(cx, &name, schema, false);
            return true;
        }
        let rest = &c.t[c.i..];
        for action in split_commas(rest, cx.src) {
            self.alter_action(cx, &name, action);
        }
        true
    }

    fn alter_action(&mut self, cx: &mut Stmt<'_>, table_name: &QName, action: &[Token]) {
        let src = cx.src;
        let range = span_of(action);
        let mut c = Cur::new(src, action, self.dialect);
        let Some(mut table) = self.replay.catalog.tables.get(table_name).cloned() else {
            // Unknown table: still record what we can for rules.
            self.alter_unknown(cx, table_name, &mut c, range);
            return;
        };
        let mut keep = true;
        if c.eat_kw("ADD") {
            let is_column = c.eat_kw("COLUMN")
                || !(c.peek_kw("CONSTRAINT")
                    || c.peek_kw("PRIMARY")
                    || c.peek_kw("UNIQUE")
                    || c.peek_kw("FOREIGN")
                    || c.peek_kw("CHECK")
                    || c.peek_kw("EXCLUDE")
                    || c.peek_kw("INDEX")
                    || c.peek_kw("KEY")
                    || c.peek_kw("FULLTEXT"));
            if is_column {
                c.eat_if_not_exists();
                let fks_before = table.foreign_keys.len();
                let uniques_before = table.uniques.len();
                if let Some(col) = self.column_def(cx, &mut c, &mut table) {
                    let volatile = col.default.as_deref().is_some_and(is_volatile);
                    cx.effects.push(Effect::AddColumn {
                        table: table_name.clone(),
                        column: col.name.clone(),
                        not_null: col.not_null,
                        default: col.default.clone(),
                        volatile_default: volatile,
                        range: col.def_range,
                    });
                    if table.foreign_keys.len() > fks_before {
                        cx.effects.push(Effect::AddConstraint {
                            table: table_name.clone(),
                            kind: ConstraintKind::ForeignKey,
                            name: String::new(),
                            columns: vec![col.name.clone()],
                            not_valid: false,
                            range,
                        });
                    }
                    if table.uniques.len() > uniques_before {
                        cx.effects.push(Effect::AddConstraint {
                            table: table_name.clone(),
                            kind: ConstraintKind::Unique,
                            name: String::new(),
                            columns: vec![col.name.clone()],
                            not_valid: false,
                            range,
                        });
                    }
                    table.columns.retain(|x| x.name != col.name);
                    table.columns.push(col);
                }
            } else {
                self.constraint(cx, &mut c, &mut table, range, false);
            }
        } else if c.eat_kw("DROP") {
            if c.eat_kw("CONSTRAINT")
                || (c.peek_kw("FOREIGN") && c.eat_kw("FOREIGN") && c.eat_kw("KEY"))
            {
                c.eat_if_exists();
                if let Some((n, _)) = c.ident() {
                    table.foreign_keys.retain(|f| f.name != n);
                    table.uniques.retain(|u| u.name != n);
                    table.checks.retain(|u| u.name != n);
                    if table.primary_key.as_ref().is_some_and(|p| p.name == n) {
                        table.primary_key = None;
                    }
                    // A unique constraint also owns an index of the same name.
                    let key = QName::new(table_name.schema.clone(), n);
                    self.replay.catalog.indexes.remove(&key);
                }
            } else if c.eat_kw("PRIMARY") {
                table.primary_key = None;
            } else if c.eat_kw("INDEX") || c.eat_kw("KEY") {
                if let Some((n, _)) = c.ident() {
                    let key = QName::new(table_name.name.clone(), n);
                    self.replay.catalog.indexes.remove(&key);
                }
            } else {
                c.eat_kw("COLUMN");
                c.eat_if_exists();
                if let Some((col, _)) = c.ident() {
                    cx.effects.push(Effect::DropColumn {
                        table: table_name.clone(),
                        column: col.clone(),
                        range,
                    });
                    if let Some(def) = table.column(&col) {
                        self.replay.drops.push(DroppedObject {
                            kind: DroppedKind::Column,
                            table: table_name.clone(),
                            name: col.clone(),
                            created_at: def.defined_at,
                            dropped_at: cx.at,
                            columns: Vec::new(),
                            unique: false,
                            covered_by: None,
                            beyond_prisma: def
                                .generated
                                .as_deref()
                                .is_some_and(|g| g != "identity"),
                        });
                    }
                    table.columns.retain(|x| x.name != col);
                    table.foreign_keys.retain(|f| !f.columns.contains(&col));
                    table.uniques.retain(|f| !f.columns.contains(&col));
                    let tn = table_name.clone();
                    self.replay.catalog.indexes.retain(|_, i| {
                        i.table != tn
                            || !i
                                .columns
                                .iter()
                                .any(|ic| !ic.is_expression && ic.expr == col)
                    });
                }
            }
        } else if c.eat_kw("ALTER") {
            c.eat_kw("COLUMN");
            let Some((col, _)) = c.ident() else {
                self.replay.catalog.tables.insert(table_name.clone(), table);
                return;
            };
            let set_data_type = c.peek_kw("SET")
                && c.peek_at(1).is_some_and(|t| t.is_kw(src, "DATA"))
                && c.peek_at(2).is_some_and(|t| t.is_kw(src, "TYPE"));
            if set_data_type {
                c.bump();
                c.bump();
            }
            if c.eat_kw("TYPE") {
                let s = c.i;
                while let Some(t) = c.peek() {
                    if t.is_kw(src, "USING") || t.is_kw(src, "COLLATE") {
                        break;
                    }
                    if t.kind == TokenKind::Punct && t.text(src) == "(" {
                        c.group_tokens();
                    } else {
                        c.bump();
                    }
                }
                let (to, _) = canon_type(&tokens_text(src, &c.t[s..c.i]), self.dialect);
                self.use_type(cx, &to, span_of(&c.t[s..c.i]));
                let mut using = None;
                if c.eat_kw("COLLATE") {
                    c.bump();
                }
                if c.eat_kw("USING") {
                    let u = c.i;
                    while c.peek().is_some() {
                        c.bump();
                    }
                    using = Some(tokens_text(src, &c.t[u..c.i]));
                }
                let from = table.column(&col).map(|x| x.data_type.clone());
                if let Some(cc) = table.column_mut(&col) {
                    cc.data_type = to.clone();
                }
                cx.effects.push(Effect::AlterType {
                    table: table_name.clone(),
                    column: col,
                    from,
                    to,
                    using,
                    range,
                });
            } else if c.eat_kw("SET") {
                if c.eat_kw("NOT") && c.eat_kw("NULL") {
                    if let Some(cc) = table.column_mut(&col) {
                        cc.not_null = true;
                    }
                    cx.effects.push(Effect::SetNotNull {
                        table: table_name.clone(),
                        column: col,
                        range,
                    });
                } else if c.eat_kw("DEFAULT") {
                    let s = c.i;
                    while c.peek().is_some() {
                        c.bump();
                    }
                    let d = tokens_text(src, &c.t[s..c.i]);
                    if let Some(cc) = table.column_mut(&col) {
                        cc.default = Some(d.clone());
                    }
                    cx.effects.push(Effect::SetDefault {
                        table: table_name.clone(),
                        column: col,
                        default: d,
                    });
                }
            } else if c.eat_kw("DROP") {
                if c.eat_kw("NOT") {
                    if let Some(cc) = table.column_mut(&col) {
                        cc.not_null = false;
                    }
                } else if c.eat_kw("DEFAULT") {
                    if let Some(cc) = table.column_mut(&col) {
                        cc.default = None;
                    }
                } else if (c.eat_kw("IDENTITY") || c.eat_kw("EXPRESSION"))
                    && let Some(cc) = table.column_mut(&col)
                {
                    cc.generated = None;
                }
            } else if c.eat_kw("ADD")
                && c.eat_kw("GENERATED")
                && let Some(cc) = table.column_mut(&col)
            {
                cc.generated = Some("identity".into());
                cc.not_null = true;
            }
        } else if c.eat_kw("MODIFY") || c.peek_kw("CHANGE") {
            // MySQL: MODIFY [COLUMN] def / CHANGE [COLUMN] old def
            let change = c.eat_kw("CHANGE");
            c.eat_kw("COLUMN");
            let old = if change { c.ident().map(|x| x.0) } else { None };
            let before = c.i;
            let mut tmp = table.clone();
            if let Some(col) = self.column_def(cx, &mut c, &mut tmp) {
                let old_name = old.unwrap_or_else(|| col.name.clone());
                let prev = table.column(&old_name).cloned();
                let _ = before;
                if let Some(p) = &prev {
                    if p.data_type != col.data_type {
                        cx.effects.push(Effect::AlterType {
                            table: table_name.clone(),
                            column: col.name.clone(),
                            from: Some(p.data_type.clone()),
                            to: col.data_type.clone(),
                            using: None,
                            range,
                        });
                    }
                    if col.not_null && !p.not_null {
                        cx.effects.push(Effect::SetNotNull {
                            table: table_name.clone(),
                            column: col.name.clone(),
                            range,
                        });
                    }
                }
                if let Some(slot) = table.columns.iter_mut().find(|x| x.name == old_name) {
                    let defined_at = slot.defined_at;
                    let def_range = slot.def_range;
                    *slot = col;
                    slot.defined_at = defined_at;
                    slot.def_range = def_range;
                } else {
                    table.columns.push(col);
                }
            }
        } else if c.eat_kw("RENAME") {
            if c.eat_kw("TO") || c.eat_kw("AS") {
                if let Some((to, _)) = c.ident() {
                    let to = QName::new(table_name.schema.clone(), to);
                    let columns = table.columns.iter().map(|c| c.name.clone()).collect();
                    self.rename_table(cx, table_name, &to, table.clone(), columns);
                    keep = false;
                }
            } else if c.eat_kw("CONSTRAINT") {
                if let (Some((from, _)), true, Some((to, _))) =
                    (c.ident(), c.eat_kw("TO"), c.ident())
                {
                    for f in table.foreign_keys.iter_mut().filter(|f| f.name == from) {
                        f.name = to.clone();
                    }
                    for u in table.uniques.iter_mut().filter(|u| u.name == from) {
                        u.name = to.clone();
                    }
                    if let Some(p) = table.primary_key.as_mut().filter(|p| p.name == from) {
                        p.name = to.clone();
                    }
                    // PostgreSQL renames the index of a unique or primary-key constraint too.
                    let key = QName::new(table_name.schema.clone(), from);
                    if self.dialect.is_postgres()
                        && let Some(mut ix) = self.replay.catalog.indexes.remove(&key)
                    {
                        ix.name = QName::new(table_name.schema.clone(), to);
                        self.replay.catalog.indexes.insert(ix.name.clone(), ix);
                    }
                }
            } else if c.eat_kw("INDEX") || c.eat_kw("KEY") {
                if let (Some((from, _)), true, Some((to, _))) =
                    (c.ident(), c.eat_kw("TO"), c.ident())
                {
                    let key = QName::new(table_name.name.clone(), from);
                    if let Some(mut ix) = self.replay.catalog.indexes.remove(&key) {
                        ix.name = QName::new(table_name.name.clone(), to);
                        self.replay.catalog.indexes.insert(ix.name.clone(), ix);
                    }
                }
            } else {
                c.eat_kw("COLUMN");
                if let (Some((from, _)), true, Some((to, _))) =
                    (c.ident(), c.eat_kw("TO"), c.ident())
                {
                    if let Some(cc) = table.column_mut(&from) {
                        cc.name = to.clone();
                    }
                    for f in table.foreign_keys.iter_mut() {
                        for x in f.columns.iter_mut().filter(|x| **x == from) {
                            *x = to.clone();
                        }
                    }
                    for ix in self
                        .replay
                        .catalog
                        .indexes
                        .values_mut()
                        .filter(|i| &i.table == table_name)
                    {
                        for x in ix
                            .columns
                            .iter_mut()
                            .filter(|x| !x.is_expression && x.expr == from)
                        {
                            x.expr = to.clone();
                        }
                    }
                    cx.effects.push(Effect::RenameColumn {
                        table: table_name.clone(),
                        from,
                        to,
                    });
                }
            }
        } else if c.eat_kw("ENABLE") || c.eat_kw("DISABLE") || c.peek_kw("FORCE") || c.peek_kw("NO")
        {
            let enable = c.t.first().is_some_and(|t| t.is_kw(src, "ENABLE"));
            if c.eat_kw("FORCE") {
                table.rls_forced = true;
            } else if c.eat_kw("NO") && c.eat_kw("FORCE") {
                table.rls_forced = false;
            } else if c.eat_kw("ROW") && c.eat_kw("LEVEL") {
                table.rls_enabled = enable;
                cx.effects.push(Effect::SetRls {
                    table: table_name.clone(),
                    enabled: enable,
                });
            }
        } else if c.eat_kw("VALIDATE")
            && c.eat_kw("CONSTRAINT")
            && let Some((n, _)) = c.ident()
        {
            for f in table.foreign_keys.iter_mut().filter(|f| f.name == n) {
                f.not_valid = false;
            }
        }
        if keep {
            if self.dialect.is_postgres() {
                name_unnamed_constraints(&mut table);
            } else if self.dialect == Dialect::MySql {
                name_unnamed_mysql_foreign_keys(&mut table);
            }
            self.replay.catalog.tables.insert(table_name.clone(), table);
        }
    }

    /// Actions on a table the catalog does not know: effects only.
    fn alter_unknown(
        &mut self,
        cx: &mut Stmt<'_>,
        table: &QName,
        c: &mut Cur<'_>,
        range: TextRange,
    ) {
        if c.eat_kw("DROP") {
            if c.eat_kw("COLUMN")
                || !(c.peek_kw("CONSTRAINT")
                    || c.peek_kw("INDEX")
                    || c.peek_kw("FOREIGN")
                    || c.peek_kw("PRIMARY"))
            {
                c.eat_if_exists();
                if let Some((col, _)) = c.ident() {
                    cx.effects.push(Effect::DropColumn {
                        table: table.clone(),
                        column: col,
                        range,
                    });
                }
            }
        } else if c.eat_kw("ADD") {
            c.eat_kw("COLUMN");
            c.eat_if_not_exists();
            let mut tmp = Table {
                name: table.clone(),
                columns: Vec::new(),
                primary_key: None,
                uniques: Vec::new(),
                checks: Vec::new(),
                foreign_keys: Vec::new(),
                rls_enabled: false,
                rls_forced: false,
                opaque_columns: true,
                created_at: cx.at,
            };
            if !(c.peek_kw("CONSTRAINT")
                || c.peek_kw("PRIMARY")
                || c.peek_kw("UNIQUE")
                || c.peek_kw("FOREIGN")
                || c.peek_kw("CHECK"))
            {
                if let Some(col) = self.column_def(cx, c, &mut tmp) {
                    cx.effects.push(Effect::AddColumn {
                        table: table.clone(),
                        column: col.name.clone(),
                        not_null: col.not_null,
                        volatile_default: col.default.as_deref().is_some_and(is_volatile),
                        default: col.default,
                        range: col.def_range,
                    });
                }
            } else {
                self.constraint(cx, c, &mut tmp, range, false);
            }
        }
    }

    fn rename_table(
        &mut self,
        cx: &mut Stmt<'_>,
        from: &QName,
        to: &QName,
        mut table: Table,
        columns: Vec<String>,
    ) {
        self.replay.catalog.tables.remove(from);
        table.name = to.clone();
        self.replay.catalog.tables.insert(to.clone(), table);
        for ix in self.replay.catalog.indexes.values_mut() {
            if &ix.table == from {
                ix.table = to.clone();
            }
        }
        for t in self.replay.catalog.tables.values_mut() {
            for f in t.foreign_keys.iter_mut() {
                if &f.ref_table == from {
                    f.ref_table = to.clone();
                }
            }
        }
        self.created(ObjKind::Relation, to, cx.at);
        cx.effects.push(Effect::RenameTable {
            from: from.clone(),
            to: to.clone(),
            columns,
        });
    }

    fn rename_table_mysql(&mut self, cx: &mut Stmt<'_>, c: &mut Cur<'_>) -> bool {
        c.bump();
        if !c.eat_kw("TABLE") {
            return false;
        }
        let (Some((from, fr)), true, Some((to, _))) = (
            self.table_name(c.qname(&self.def_schema())),
            c.eat_kw("TO"),
            c.qname(&self.def_schema()),
        ) else {
            return false;
        };
        self.use_table(cx, &from, fr);
        if let Some(t) = self.replay.catalog.tables.get(&from).cloned() {
            let columns = t.columns.iter().map(|c| c.name.clone()).collect();
            self.rename_table(cx, &from, &to, t, columns);
        }
        true
    }

    // ---------------------------------------------------------------- DROP

    fn drop(&mut self, cx: &mut Stmt<'_>, c: &mut Cur<'_>) -> bool {
        c.bump();
        if c.eat_kw("TABLE") {
            let if_exists = c.eat_if_exists();
            let rest = &c.t[c.i..];
            for part in split_commas(rest, cx.src) {
                let mut p = Cur::new(cx.src, part, self.dialect);
                if let Some((name, r)) = self.table_name(p.qname(&self.def_schema())) {
                    match self.replay.catalog.tables.remove(&name) {
                        Some(t) => {
                            if cx.target.is_none() {
                                let state = if t.created_at.migration == cx.at.migration {
                                    TableState::New
                                } else {
                                    TableState::Existing
                                };
                                cx.target = Some((name.clone(), state));
                            }
                            let tn = name.clone();
                            // PostgreSQL: foreign keys to it go too (`CASCADE`; without it the
                            // drop fails). SQLite keeps them in the other tables' definitions.
                            if self.dialect.is_postgres() {
                                for other in self.replay.catalog.tables.values_mut() {
                                    other.foreign_keys.retain(|f| f.ref_table != tn);
                                }
                            }
                            self.replay.catalog.indexes.retain(|_, i| i.table != tn);
                            self.replay.catalog.triggers.retain(|k, _| k.0 != tn);
                            self.replay.catalog.policies.retain(|k, _| k.0 != tn);
                            cx.effects.push(Effect::DropTable {
                                table: name,
                                name_range: r,
                                columns: t.columns.iter().map(|c| c.name.clone()).collect(),
                            });
                        }
                        None if !if_exists => {
                            self.missing(cx, ObjKind::Relation, &name, r);
                        }
                        None => {}
                    }
                }
            }
            return true;
        }
        if c.eat_kw("INDEX") {
            let concurrently = c.eat_kw("CONCURRENTLY");
            c.eat_if_exists();
            let Some((mut name, _)) = c.qname(&self.def_schema()) else {
                return false;
            };
            if c.eat_kw("ON") {
                // MySQL: DROP INDEX name ON table
                if let Some((t, _)) = self.table_name(c.qname(&self.def_schema())) {
                    name = QName::new(t.name, name.name);
                }
            }
            let mut removed = self.replay.catalog.indexes.remove(&name);
            if removed.is_none() {
                // Unqualified name in another schema.
                let key = self
                    .replay
                    .catalog
                    .indexes
                    .keys()
                    .find(|k| k.name == name.name)
                    .cloned();
                if let Some(k) = key {
                    removed = self.replay.catalog.indexes.remove(&k);
                }
            }
            if let Some(i) = removed {
                self.replay.drops.push(DroppedObject {
                    kind: DroppedKind::Index,
                    beyond_prisma: index_beyond_prisma(&i),
                    columns: i
                        .columns
                        .iter()
                        .filter(|c| !c.is_expression)
                        .map(|c| c.expr.clone())
                        .collect(),
                    unique: i.unique,
                    covered_by: covering_key(&self.replay.catalog, &i),
                    table: i.table,
                    name: i.name.name,
                    created_at: i.defined_at,
                    dropped_at: cx.at,
                });
            }
            cx.effects.push(Effect::DropIndex {
                index: name,
                concurrently,
            });
            return true;
        }
        if c.eat_kw("TYPE") {
            c.eat_if_exists();
            let rest = &c.t[c.i..];
            for part in split_commas(rest, cx.src) {
                let mut p = Cur::new(cx.src, part, self.dialect);
                if let Some((name, _)) = p.qname(&self.def_schema()) {
                    self.replay.catalog.enums.remove(&name);
                    self.replay.catalog.other_types.remove(&name);
                    cx.effects.push(Effect::DropType { name });
                }
            }
            return true;
        }
        if c.eat_kw("VIEW") || (c.eat_kw("MATERIALIZED") && c.eat_kw("VIEW")) {
            c.eat_if_exists();
            if let Some((name, _)) = c.qname(&self.def_schema()) {
                self.replay.catalog.views.remove(&name);
            }
            cx.effects.push(Effect::Opaque);
            return true;
        }
        if c.eat_kw("FUNCTION") || c.eat_kw("PROCEDURE") {
            c.eat_if_exists();
            if let Some((name, _)) = c.qname(&self.def_schema()) {
                self.replay.catalog.functions.remove(&name);
            }
            cx.effects.push(Effect::Opaque);
            return true;
        }
        if c.eat_kw("TRIGGER") {
            c.eat_if_exists();
            if let (Some((name, _)), true, Some((table, _))) =
                (c.ident(), c.eat_kw("ON"), c.qname(&self.def_schema()))
            {
                self.replay.catalog.triggers.remove(&(table, name));
            }
            cx.effects.push(Effect::Opaque);
            return true;
        }
        if c.eat_kw("POLICY") {
            c.eat_if_exists();
            if let (Some((name, _)), true, Some((table, _))) =
                (c.ident(), c.eat_kw("ON"), c.qname(&self.def_schema()))
            {
                self.replay.catalog.policies.remove(&(table, name));
            }
            cx.effects.push(Effect::Opaque);
            return true;
        }
        if c.eat_kw("EXTENSION") {
            c.eat_if_exists();
            if let Some((name, _)) = c.ident() {
                self.replay.catalog.extensions.remove(&name);
            }
            cx.effects.push(Effect::Opaque);
            return true;
        }
        if c.eat_kw("SEQUENCE") {
            c.eat_if_exists();
            if let Some((name, _)) = c.qname(&self.def_schema()) {
                self.replay.catalog.sequences.remove(&name);
            }
            cx.effects.push(Effect::Opaque);
            return true;
        }
        false
    }

    // ---------------------------------------------------------------- DML

    fn data_change(&mut self, cx: &mut Stmt<'_>, c: &mut Cur<'_>) -> bool {
        // Skip a WITH prefix: WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] (...), ...
        if c.eat_kw("WITH") {
            c.eat_kw("RECURSIVE");
            loop {
                c.ident();
                if c.peek_punct("(") {
                    c.group_tokens();
                }
                c.eat_kw("AS");
                c.eat_kw("NOT");
                c.eat_kw("MATERIALIZED");
                if c.peek_punct("(") {
                    c.group_tokens();
                }
                if !c.eat_punct(",") {
                    break;
                }
            }
        }
        let Some(verb_tok) = c.peek().copied() else {
            return false;
        };
        let verb = match verb_tok.text(cx.src).to_ascii_uppercase().as_str() {
            "INSERT" | "REPLACE" => DataVerb::Insert,
            "UPDATE" => DataVerb::Update,
            "DELETE" => DataVerb::Delete,
            "TRUNCATE" => DataVerb::Truncate,
            _ => return false,
        };
        c.bump();
        match verb {
            DataVerb::Insert => {
                c.eat_kw("IGNORE");
                c.eat_kw("OR");
                c.eat_kw("REPLACE");
                c.eat_kw("INTO");
            }
            DataVerb::Delete => {
                c.eat_kw("FROM");
            }
            DataVerb::Truncate => {
                c.eat_kw("TABLE");
            }
            DataVerb::Update => {}
        }
        c.eat_kw("ONLY");
        let mut tables = Vec::new();
        if verb == DataVerb::Truncate {
            for part in split_commas(&c.t[c.i..], cx.src) {
                let mut p = Cur::new(cx.src, part, self.dialect);
                p.eat_kw("ONLY");
                if let Some(t) = self.table_name(p.qname(&self.def_schema())) {
                    tables.push(t);
                }
            }
        } else if let Some(t) = self.table_name(c.qname(&self.def_schema())) {
            tables.push(t);
        }
        let mut has_where = false;
        let mut set_columns = Vec::new();
        let mut in_set = false;
        let mut prev_comma_or_set = false;
        while let Some(t) = c.peek().copied() {
            if t.is_kw(cx.src, "WHERE") {
                has_where = true;
            }
            if t.is_kw(cx.src, "SET") && verb == DataVerb::Update && set_columns.is_empty() {
                in_set = true;
                prev_comma_or_set = true;
                c.bump();
                continue;
            }
            if in_set
                && (t.is_kw(cx.src, "FROM")
                    || t.is_kw(cx.src, "WHERE")
                    || t.is_kw(cx.src, "RETURNING"))
            {
                in_set = false;
            }
            if in_set
                && prev_comma_or_set
                && matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent)
            {
                set_columns.push(ident_text(cx.src, &t, self.dialect));
            }
            prev_comma_or_set = t.kind == TokenKind::Punct && t.text(cx.src) == ",";
            if t.kind == TokenKind::Punct && t.text(cx.src) == "(" {
                c.group_tokens();
            } else {
                c.bump();
            }
        }
        for (table, r) in tables {
            self.use_table(cx, &table, r);
            cx.effects.push(Effect::DataChange {
                table,
                verb,
                has_where,
                set_columns: set_columns.clone(),
                range: verb_tok.range(),
            });
        }
        true
    }

    // ---------------------------------------------------------------- enums

    fn enum_changes(
        &mut self,
        history: &MigrationHistory,
        mi: usize,
        before: &BTreeMap<QName, (Vec<String>, StmtRef)>,
        tables_before: &[EnumColumn],
    ) {
        let m = &history.migrations[mi];
        let effects: Vec<(usize, &Effect)> = m
            .statements
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.effects.iter().map(move |e| (i, e)))
            .collect();
        let renamed_values: Vec<(&QName, &String)> = effects
            .iter()
            .filter_map(|(_, e)| match e {
                Effect::RenameEnumValue { name, from, .. } => Some((name, from)),
                _ => None,
            })
            .collect();
        for (name, (old_values, old_created)) in before {
            let Some(now) = self.replay.catalog.enums.get(name) else {
                continue;
            };
            let removed: Vec<String> = old_values
                .iter()
                .filter(|v| !now.values.contains(v))
                .filter(|v| {
                    !renamed_values
                        .iter()
                        .any(|(n, f)| n.name == name.name && *f == *v)
                })
                .cloned()
                .collect();
            if removed.is_empty() {
                continue;
            }
            // Names the new type had in this migration.
            let mut aliases: BTreeSet<String> = BTreeSet::from([name.name.clone()]);
            loop {
                let n = aliases.len();
                for (_, e) in &effects {
                    if let Effect::RenameType { from, to } = e
                        && aliases.contains(&to.name)
                        && now.created_at.migration == mi
                    {
                        aliases.insert(from.name.clone());
                    }
                }
                if aliases.len() == n {
                    break;
                }
            }
            let conversions: Vec<StmtRef> = effects
                .iter()
                .filter(|(_, e)| matches!(e, Effect::AlterType { to, .. } if aliases.contains(to.trim_end_matches("[]"))))
                .map(|(i, _)| StmtRef { migration: mi, statement: *i })
                .collect();
            let columns: Vec<(QName, String)> = tables_before
                .iter()
                .filter(|c| c.data_type.trim_end_matches("[]") == name.name)
                .map(|c| (c.table.clone(), c.column.clone()))
                .collect();
            let mapped = self.mapped(m, &effects, &removed, &columns, &aliases);
            let at = if now.created_at.migration == mi {
                now.created_at
            } else {
                conversions.first().copied().unwrap_or(StmtRef {
                    migration: mi,
                    statement: 0,
                })
            };
            self.replay.enum_changes.push(EnumChange {
                migration: mi,
                name: name.name.clone(),
                before: old_values.clone(),
                after: now.values.clone(),
                removed,
                at,
                conversions,
                columns,
                mapped,
                created_at: Some(*old_created),
            });
        }
        // MySQL inline enums changed by MODIFY/CHANGE.
        for (i, e) in &effects {
            if let Effect::AlterType {
                table,
                column,
                from: Some(from),
                to,
                ..
            } = e
            {
                let (Some(old), Some(new)) = (inline_enum(from), inline_enum(to)) else {
                    continue;
                };
                let removed: Vec<String> =
                    old.iter().filter(|v| !new.contains(v)).cloned().collect();
                if removed.is_empty() {
                    continue;
                }
                let columns = vec![(table.clone(), column.clone())];
                let mapped = self.mapped(m, &effects, &removed, &columns, &BTreeSet::new());
                self.replay.enum_changes.push(EnumChange {
                    migration: mi,
                    name: format!("{}.{column}", table.name),
                    before: old,
                    after: new,
                    removed,
                    at: StmtRef {
                        migration: mi,
                        statement: *i,
                    },
                    conversions: vec![StmtRef {
                        migration: mi,
                        statement: *i,
                    }],
                    columns,
                    mapped,
                    created_at: tables_before
                        .iter()
                        .find(|c| &c.table == table && &c.column == column)
                        .map(|c| c.defined_at),
                });
            }
        }
    }

    fn mapped(
        &self,
        m: &super::history::Migration,
        effects: &[(usize, &Effect)],
        removed: &[String],
        columns: &[(QName, String)],
        aliases: &BTreeSet<String>,
    ) -> bool {
        let mentions_removed =
            |text: &str| removed.iter().any(|v| text.contains(&format!("'{v}'")));
        for (i, e) in effects {
            match e {
                Effect::DataChange {
                    verb: verb @ (DataVerb::Update | DataVerb::Delete),
                    table,
                    set_columns,
                    ..
                } => {
                    let stmt_text = m.statements.get(*i).map(|s| m.text(s.range)).unwrap_or("");
                    // An UPDATE assigning the enum column, a DELETE of the table's rows, or any
                    // statement naming a removed value.
                    let touches = columns.iter().any(|(t, c)| {
                        t == table && (*verb == DataVerb::Delete || set_columns.contains(c))
                    });
                    if touches || mentions_removed(stmt_text) {
                        return true;
                    }
                }
                Effect::AlterType {
                    to, using: Some(u), ..
                } if (aliases.is_empty() || aliases.contains(to.trim_end_matches("[]")))
                    && (u.to_ascii_uppercase().contains("CASE") || mentions_removed(u)) =>
                {
                    return true;
                }
                _ => {}
            }
        }
        false
    }
}

/// Values of a MySQL inline `enum('a','b')` type.
fn inline_enum(t: &str) -> Option<Vec<String>> {
    let inner = t.strip_prefix("enum(")?.strip_suffix(')')?;
    Some(
        inner
            .split(',')
            .map(|v| v.trim().trim_matches('\'').to_string())
            .collect(),
    )
}

const STOPS_AFTER_DEFAULT: &[&str] = &[
    "NOT",
    "NULL",
    "PRIMARY",
    "UNIQUE",
    "REFERENCES",
    "CHECK",
    "CONSTRAINT",
    "GENERATED",
    "COLLATE",
    "AUTO_INCREMENT",
    "AUTOINCREMENT",
    "ON",
    "COMMENT",
];

/// Whether a default expression is volatile (evaluated per row, so adding the column rewrites
/// the table).
pub fn is_volatile(default: &str) -> bool {
    let l = default.to_ascii_lowercase();
    [
        "gen_random_uuid",
        "uuid_generate",
        "random(",
        "clock_timestamp",
        "timeofday",
        "nextval",
        "txid_current",
        "gen_random_bytes",
        "uuid()",
        "autoincrement",
    ]
    .iter()
    .any(|f| l.contains(f))
}

fn plain_col(c: &str) -> IndexColumn {
    IndexColumn {
        expr: c.to_string(),
        is_expression: false,
        descending: false,
        nulls: None,
        opclass: None,
    }
}

fn index_column(src: &str, el: &[Token], dialect: Dialect) -> IndexColumn {
    let mut c = Cur::new(src, el, dialect);
    let mut col = IndexColumn {
        expr: tokens_text(src, el),
        is_expression: true,
        descending: false,
        nulls: None,
        opclass: None,
    };
    let simple = matches!(
        el.first().map(|t| t.kind),
        Some(TokenKind::Word | TokenKind::QuotedIdent)
    ) && !el
        .get(1)
        .is_some_and(|t| t.text(src) == "(" && el[0].kind == TokenKind::Word);
    if simple {
        if let Some((name, _)) = c.ident() {
            col.expr = name;
            col.is_expression = false;
        }
        // MySQL prefix length `col(191)`
        if c.peek_punct("(") {
            c.group_tokens();
        }
    } else {
        if c.peek_punct("(") {
            c.group_tokens();
        } else {
            c.bump();
            if c.peek_punct("(") {
                c.group_tokens();
            }
        }
        col.expr = tokens_text(src, &el[..c.i.min(el.len())]);
    }
    while let Some(t) = c.peek().copied() {
        if t.is_kw(src, "DESC") {
            col.descending = true;
        } else if t.is_kw(src, "ASC") {
        } else if t.is_kw(src, "NULLS") {
            c.bump();
            col.nulls = c.peek().map(|n| n.text(src).to_ascii_uppercase());
        } else if t.is_kw(src, "COLLATE") {
            c.bump();
        } else if matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent) {
            col.opclass = Some(t.text(src).to_string());
        }
        c.bump();
    }
    col
}

/// ASCII-lowercase everything outside single-quoted literals (enum values keep their case).
fn lower_outside_quotes(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut quoted = false;
    for ch in t.chars() {
        if ch == '\'' {
            quoted = !quoted;
        }
        out.push(if quoted { ch } else { ch.to_ascii_lowercase() });
    }
    out
}

/// Normalise a type: PostgreSQL types as `format_type` prints them. Returns the type and whether
/// it was a `serial` pseudo-type.
pub fn canon_type(raw: &str, dialect: Dialect) -> (String, bool) {
    let mut t: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    // Strip quotes of user types and schema prefixes ("public"."PlanType" → PlanType).
    if t.contains('"') || t.contains('`') {
        let unq: String = t.chars().filter(|c| *c != '"' && *c != '`').collect();
        let base = unq.rsplit('.').next().unwrap_or(&unq).to_string();
        return (base.replace(" []", "[]"), false);
    }
    t = lower_outside_quotes(&t)
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(", ", ",");
    if !dialect.is_postgres() {
        return (t, false);
    }
    let (base, array) = match t.find('[') {
        Some(i) => (t[..i].trim().to_string(), t[i..].replace(' ', "")),
        None => (t.clone(), String::new()),
    };
    let (name, args, rest) = match base.find('(') {
        Some(i) => {
            let close = base[i..].find(')').map_or(base.len(), |c| i + c + 1);
            (
                base[..i].trim().to_string(),
                base[i..close].to_string(),
                base[close..].trim().to_string(),
            )
        }
        None => (base.clone(), String::new(), String::new()),
    };
    let mut serial = false;
    let name = match name.as_str() {
        "int" | "int4" | "integer" => "integer".to_string(),
        "serial" | "serial4" => {
            serial = true;
            "integer".into()
        }
        "bigserial" | "serial8" => {
            serial = true;
            "bigint".into()
        }
        "smallserial" | "serial2" => {
            serial = true;
            "smallint".into()
        }
        "int8" | "bigint" => "bigint".into(),
        "int2" | "smallint" => "smallint".into(),
        "float8" | "double precision" | "float" => "double precision".into(),
        "float4" | "real" => "real".into(),
        "bool" | "boolean" => "boolean".into(),
        "decimal" | "numeric" => "numeric".into(),
        "varchar" | "character varying" => "character varying".into(),
        "char" | "character" | "bpchar" => "character".into(),
        "timestamptz" => "timestamp with time zone".into(),
        "timetz" => "time with time zone".into(),
        "varbit" | "bit varying" => "bit varying".into(),
        other => other.to_string(),
    };
    let mut out = match (name.as_str(), rest.as_str()) {
        ("timestamp", "with time zone") | ("timestamp with time zone", _) => {
            format!("timestamp{args} with time zone")
        }
        ("timestamp", _) | ("timestamp without time zone", _) => {
            format!("timestamp{args} without time zone")
        }
        ("time", "with time zone") | ("time with time zone", _) => {
            format!("time{args} with time zone")
        }
        ("time", _) | ("time without time zone", _) => format!("time{args} without time zone"),
        ("character", "varying") => format!("character varying{args}"),
        ("double", "precision") => "double precision".into(),
        _ if rest.is_empty() => format!("{name}{args}"),
        _ => format!("{name}{args} {rest}"),
    };
    if name == "character" && args.is_empty() && rest.is_empty() {
        out = "character(1)".into();
    }
    (format!("{out}{array}"), serial)
}

// ---------------------------------------------------------------------------- token helpers

fn span_of(toks: &[Token]) -> TextRange {
    match (toks.first(), toks.last()) {
        (Some(a), Some(b)) => {
            TextRange::new(TextSize::from(a.start), TextSize::from(b.end.max(a.start)))
        }
        _ => TextRange::default(),
    }
}

/// Text from the first to the last token, whitespace collapsed.
fn tokens_text(src: &str, toks: &[Token]) -> String {
    let r = span_of(toks);
    src.get(usize::from(r.start())..usize::from(r.end()))
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn ident_text(src: &str, t: &Token, dialect: Dialect) -> String {
    let text = t.text(src);
    match t.kind {
        TokenKind::QuotedIdent => {
            let q = text.chars().next().unwrap_or('"');
            let inner = if text.len() >= 2 && !t.unterminated {
                &text[1..text.len() - 1]
            } else {
                text.get(1..).unwrap_or("")
            };
            if q == '[' || !inner.contains(q) {
                inner.to_string()
            } else {
                let qs = q.to_string();
                inner.replace(&format!("{qs}{qs}"), &qs)
            }
        }
        _ if dialect.is_postgres() && text.bytes().any(|b| b.is_ascii_uppercase()) => {
            text.to_ascii_lowercase()
        }
        _ => text.to_string(),
    }
}

/// Split tokens at top-level commas.
fn split_commas<'a>(toks: &'a [Token], src: &str) -> Vec<&'a [Token]> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, t) in toks.iter().enumerate() {
        if t.kind == TokenKind::Punct {
            match t.text(src) {
                "(" | "[" => depth += 1,
                ")" | "]" => depth -= 1,
                "," if depth == 0 => {
                    out.push(&toks[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
    }
    if start < toks.len() {
        out.push(&toks[start..]);
    }
    out
}

/// Identifiers of a parenthesised list (first identifier of each element).
fn ident_list(src: &str, inner: &[Token], dialect: Dialect) -> Vec<String> {
    split_commas(inner, src)
        .into_iter()
        .filter_map(|el| {
            el.iter()
                .find(|t| matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent))
                .map(|t| ident_text(src, t, dialect))
        })
        .collect()
}

/// String literals of a parenthesised list.
fn string_list(src: &str, inner: &[Token]) -> Vec<String> {
    inner
        .iter()
        .filter(|t| t.kind == TokenKind::String)
        .map(|t| unquote_string(t.text(src)))
        .collect()
}

fn unquote_string(s: &str) -> String {
    let s = s.trim_start_matches(['E', 'e', 'N', 'n']);
    let inner = s.strip_prefix('\'').unwrap_or(s);
    let inner = inner.strip_suffix('\'').unwrap_or(inner);
    inner.replace("''", "'")
}

/// A cursor over a statement's tokens.
struct Cur<'a> {
    src: &'a str,
    t: &'a [Token],
    i: usize,
    dialect: Dialect,
}

impl<'a> Cur<'a> {
    fn new(src: &'a str, t: &'a [Token], dialect: Dialect) -> Self {
        Cur {
            src,
            t,
            i: 0,
            dialect,
        }
    }
    fn peek(&self) -> Option<&Token> {
        self.t.get(self.i)
    }
    fn peek_at(&self, off: usize) -> Option<&Token> {
        self.t.get(self.i + off)
    }
    fn bump(&mut self) {
        if self.i < self.t.len() {
            self.i += 1;
        }
    }
    fn peek_kw(&self, kw: &str) -> bool {
        self.peek().is_some_and(|t| t.is_kw(self.src, kw))
    }
    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.peek_kw(kw) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn peek_punct(&self, p: &str) -> bool {
        self.peek().is_some_and(|t| t.is_punct(self.src, p))
    }
    fn eat_punct(&mut self, p: &str) -> bool {
        if self.peek_punct(p) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn eat_if_not_exists(&mut self) -> bool {
        if self.peek_kw("IF") && self.peek_at(1).is_some_and(|t| t.is_kw(self.src, "NOT")) {
            self.i += 3;
            true
        } else {
            false
        }
    }
    fn eat_if_exists(&mut self) -> bool {
        if self.peek_kw("IF") && self.peek_at(1).is_some_and(|t| t.is_kw(self.src, "EXISTS")) {
            self.i += 2;
            true
        } else {
            false
        }
    }
    fn pos_range(&self) -> TextRange {
        self.peek()
            .map_or_else(|| TextRange::empty(self.prev_end()), |t| t.range())
    }
    fn prev_end(&self) -> TextSize {
        match self.i.checked_sub(1).and_then(|i| self.t.get(i)) {
            Some(t) => TextSize::from(t.end),
            None => self
                .t
                .first()
                .map_or(TextSize::from(0), |t| TextSize::from(t.start)),
        }
    }
    fn string(&mut self) -> Option<String> {
        let t = *self.peek()?;
        if t.kind == TokenKind::String {
            self.i += 1;
            Some(unquote_string(t.text(self.src)))
        } else {
            None
        }
    }
    fn ident(&mut self) -> Option<(String, TextRange)> {
        let t = *self.peek()?;
        match t.kind {
            TokenKind::Word | TokenKind::QuotedIdent => {
                self.i += 1;
                Some((ident_text(self.src, &t, self.dialect), t.range()))
            }
            _ => None,
        }
    }
    /// `name` or `schema.name`.
    fn qname(&mut self, default_schema: &str) -> Option<(QName, TextRange)> {
        let (first, r1) = self.ident()?;
        if self.peek_punct(".")
            && self
                .peek_at(1)
                .is_some_and(|t| matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent))
        {
            self.i += 1;
            let (second, r2) = self.ident()?;
            let schema = if self.dialect.is_postgres() {
                first
            } else {
                default_schema.to_string()
            };
            return Some((QName::new(schema, second), r1.cover(r2)));
        }
        Some((QName::new(default_schema, first), r1))
    }
    /// At `(`: skip to the matching `)`; returns the tokens inside.
    fn group_tokens(&mut self) -> &'a [Token] {
        if !self.peek_punct("(") {
            return &[];
        }
        let start = self.i + 1;
        let mut depth = 0i32;
        while let Some(t) = self.peek() {
            if t.kind == TokenKind::Punct {
                match t.text(self.src) {
                    "(" => depth += 1,
                    ")" => {
                        depth -= 1;
                        if depth == 0 {
                            let inner = &self.t[start..self.i];
                            self.i += 1;
                            return inner;
                        }
                    }
                    _ => {}
                }
            }
            self.i += 1;
        }
        &self.t[start.min(self.t.len())..]
    }
    /// Skip an expression until a stop keyword at depth 0.
    fn bump_expr(&mut self, stops: &[&str]) {
        let mut first = true;
        while let Some(t) = self.peek() {
            if !first && t.kind == TokenKind::Word && stops.iter().any(|k| t.is_kw(self.src, k)) {
                break;
            }
            first = false;
            if t.kind == TokenKind::Punct && t.text(self.src) == "(" {
                self.group_tokens();
            } else {
                self.i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_types() {
        let pg = Dialect::Postgres;
        assert_eq!(
            canon_type("TIMESTAMP(3)", pg).0,
            "timestamp(3) without time zone"
        );
        assert_eq!(
            canon_type("TIMESTAMPTZ(3)", pg).0,
            "timestamp(3) with time zone"
        );
        assert_eq!(canon_type("DECIMAL(65,30)", pg).0, "numeric(65,30)");
        assert_eq!(canon_type("VARCHAR(255)", pg).0, "character varying(255)");
        assert_eq!(canon_type("SERIAL", pg), ("integer".into(), true));
        assert_eq!(canon_type("TEXT[]", pg).0, "text[]");
        assert_eq!(canon_type("\"PlanType\"", pg).0, "PlanType");
        assert_eq!(canon_type("\"public\".\"PlanType\"[]", pg).0, "PlanType[]");
        assert_eq!(canon_type("DOUBLE PRECISION", pg).0, "double precision");
        assert_eq!(canon_type("INT", pg).0, "integer");
    }
}
