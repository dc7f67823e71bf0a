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
//!
//! The comparison follows what Prisma's own differ acts on, and stays quiet where the replay
//! cannot know the answer:
//! - indexes are matched like Prisma matches them, by table, columns (in order) and
//!   uniqueness; a name alone never makes a difference (Prisma at most renames the index, and
//!   not at all when PostgreSQL truncated a long name). A partial index declared in the schema
//!   without its predicate (Prisma < 7 cannot express it) matches by name or columns;
//! - time types that differ only in fractional-second precision, columns of domain types
//!   (Prisma sees the base type), extra database defaults the schema does not declare and
//!   `ON UPDATE` actions the schema leaves implicit make no difference worth a finding;
//! - tables built by `CREATE TABLE ... AS` or `PARTITION OF` have unknown columns, so their
//!   columns and keys are not compared;
//! - something the schema has is not reported missing when a statement the replay does not
//!   model (a `DO` block, dynamic SQL) names it: the history may well create it there.

use super::catalog::{Catalog, QName, StmtRef, Table};
use super::change::{self, Change};
use super::history::MigrationHistory;
use super::replay::canon_type;
use crate::model::{DefaultKind, Field, FieldType, IndexKind, Model, Provider, Schema};
use crate::span::Span;
use std::collections::BTreeSet;

/// How serious a drift item is; the audit maps it onto a finding's severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The next `prisma migrate dev` or a fresh database loses data or integrity.
    High,
    /// A difference with consequences short of data loss.
    Medium,
    /// A difference with no consequence beyond noise in the next migration.
    Low,
    /// Information only.
    Info,
}

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
    /// How much the difference matters: what breaks, or what the next `prisma migrate dev`
    /// would do about it.
    pub severity: Severity,
    /// Further schema places of a grouped item (the other fields of a model, ...).
    pub also: Vec<Span>,
    /// Further migration places of a grouped item (the other columns' definitions, ...).
    pub also_sql: Vec<(StmtRef, rowan::TextRange)>,
    /// The database changes that close the difference (what the next migration needs), when
    /// they keep the data; empty otherwise.
    pub changes: Vec<super::change::Change>,
}

use super::change::action_sql;

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

/// `(kind, with time zone)` of a PostgreSQL time type, ignoring its precision.
fn temporal(t: &str) -> Option<(&'static str, bool)> {
    let t = t.trim_end_matches("[]");
    let base: String = match t.find('(') {
        Some(i) => {
            let close = t[i..].find(')').map_or(t.len(), |c| i + c + 1);
            format!("{}{}", &t[..i], &t[close..])
        }
        None => t.to_string(),
    };
    match base.as_str() {
        "timestamp with time zone" => Some(("timestamp", true)),
        "timestamp without time zone" => Some(("timestamp", false)),
        "time with time zone" => Some(("time", true)),
        "time without time zone" => Some(("time", false)),
        _ => None,
    }
}

/// Whether two normalised types differ in a way Prisma Client or the data would notice: time
/// types differing only in fractional-second precision do not (the client works in
/// milliseconds either way).
fn types_differ(have: &str, want: &str) -> bool {
    if same_type(have, want) {
        return false;
    }
    match (temporal(have), temporal(want)) {
        (Some(a), Some(b)) => a != b || have.ends_with("[]") != want.ends_with("[]"),
        _ => true,
    }
}

/// PostgreSQL keeps the first 63 bytes of an identifier.
fn pg_truncated(name: &str) -> &str {
    if name.len() <= 63 {
        return name;
    }
    let mut end = 63;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// Whether `text` holds `word` not as part of a longer identifier.
pub fn names(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = text.as_bytes();
    text.match_indices(word).any(|(i, _)| {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let after = bytes.get(i + word.len()).copied();
        before.is_none_or(|b| !ident(b)) && after.is_none_or(|b| !ident(b))
    })
}

/// Text of the statements the replay does not model (`DO` blocks, dynamic SQL, ...), lower
/// case: the history may create objects there.
struct Unmodelled(Vec<String>);

impl Unmodelled {
    fn new(history: &MigrationHistory) -> Self {
        let texts = history
            .replay
            .catalog
            .opaque
            .iter()
            .filter_map(|at| {
                let m = history.migrations.get(at.migration)?;
                let text = m.text(m.statements.get(at.statement)?.range);
                // Only statements that can run DDL.
                let lower = text.to_ascii_lowercase();
                (lower.contains("create ") || lower.contains("alter ") || lower.contains("add "))
                    .then_some(lower)
            })
            .collect();
        Unmodelled(texts)
    }
    /// Whether one such statement names every word of `words` (as whole identifiers).
    fn mentions(&self, words: &[&str]) -> bool {
        let words: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
        self.0.iter().any(|t| words.iter().all(|w| names(t, w)))
    }
}

/// Compare `history`'s final catalog with `schema`.
pub fn diff(schema: &Schema, history: &MigrationHistory) -> Vec<DriftItem> {
    diff_with(schema, history, false)
}

/// [`diff`]; with `trust_replay`, also the differences that statements the replay does not
/// model (`DO` blocks, dynamic SQL) might account for. Comparing two schemas against one history
/// this way shows exactly what changed between them.
pub fn diff_with(
    schema: &Schema,
    history: &MigrationHistory,
    trust_replay: bool,
) -> Vec<DriftItem> {
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
    let unmodelled = if trust_replay {
        Unmodelled(Vec::new())
    } else {
        Unmodelled::new(history)
    };
    let mut known_tables: BTreeSet<(String, String)> = BTreeSet::new();
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
            // With several schemas, the join table lives beside one of the two models.
            known_tables.insert((default_schema.to_string(), j.to_string()));
            for id in [r.referencing_model, r.referenced_model] {
                if let Some(m) = schema.model_by_id(id) {
                    known_tables.insert((schema_of(m), j.to_string()));
                }
            }
        }
    }
    // Domain and other non-enum types: Prisma sees their base type.
    let other_types: BTreeSet<&str> = cat.other_types.keys().map(|k| k.name.as_str()).collect();
    // Models documented as views (`/// @view`, the convention of scripts that keep views
    // out of Prisma Migrate) describe views, not tables the history creates.
    let documented_view = |m: &Model| m.doc.as_ref().is_some_and(|d| d.contains("@view"));
    for model in schema.models().filter(|m| !m.is_ignored()) {
        let key = super::catalog::QName::new(schema_of(model), model.db_name());
        known_tables.insert((key.schema.clone(), key.name.clone()));
        if documented_view(model) {
            continue;
        }
        let table_name = model.db_name();
        let table_ix = by_table.get(&key).unwrap_or(&no_indexes);
        let Some(table) = cat.tables.get(&key) else {
            // A model declared over a view the migrations create, or created where the replay
            // cannot follow.
            if cat.views.contains_key(&key) || unmodelled.mentions(&[table_name]) {
                continue;
            }
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
                severity: Severity::High,
                also: Vec::new(),
                also_sql: Vec::new(),
                changes: change::new_table(schema, model, default_schema).unwrap_or_default(),
            });
            continue;
        };
        // Columns (unknown for `CREATE TABLE ... AS` and partitions).
        if !table.opaque_columns {
            columns(
                schema,
                model,
                table,
                history,
                &other_types,
                &unmodelled,
                &mut out,
            );
        }
        // Primary key, uniques, indexes.
        let mut matched: BTreeSet<&super::catalog::QName> = BTreeSet::new();
        for ix in model.indexes() {
            let cols: Vec<String> = schema
                .index_columns(model, &ix)
                .into_iter()
                .map(str::to_owned)
                .collect();
            let name = schema.index_db_name(model, &ix);
            match ix.kind {
                IndexKind::Primary => {
                    if table.opaque_columns {
                        continue;
                    }
                    let found = table.primary_key.as_ref();
                    if found.map(|p| &p.columns) != Some(&cols) {
                        if found.is_none() && unmodelled.mentions(&[table_name, "primary key"]) {
                            continue;
                        }
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
                            severity: Severity::High,
                            also: Vec::new(),
                also_sql: Vec::new(),
                changes: Vec::new(),
                        });
                    }
                }
                IndexKind::Unique | IndexKind::Normal | IndexKind::Fulltext => {
                    let unique = ix.kind == IndexKind::Unique;
                    let same_cols = |i: &super::catalog::Index| {
                        i.columns.iter().all(|c| !c.is_expression)
                            && i.columns
                                .iter()
                                .map(|c| c.expr.as_str())
                                .eq(cols.iter().map(String::as_str))
                    };
                    let same_name = |i: &super::catalog::Index| {
                        i.name.name == name
                            || (pg && pg_truncated(&i.name.name) == pg_truncated(&name))
                    };
                    let free = |i: &&&super::catalog::Index| !matched.contains(&i.name);
                    // Prisma matches by columns and uniqueness; the name decides between equals.
                    let exact = |i: &super::catalog::Index| {
                        i.unique == unique && i.predicate.is_none() && same_cols(i)
                    };
                    // A partial index the schema declares without its predicate.
                    let partial = |i: &super::catalog::Index| {
                        i.predicate.is_some() && (same_cols(i) || same_name(i))
                    };
                    let found = table_ix
                        .iter()
                        .filter(free)
                        .find(|i| exact(i) && same_name(i))
                        .or_else(|| table_ix.iter().filter(free).find(|i| exact(i)))
                        .or_else(|| {
                            table_ix
                                .iter()
                                .filter(free)
                                .find(|i| partial(i) && same_name(i))
                        })
                        .or_else(|| table_ix.iter().filter(free).find(|i| partial(i)));
                    if let Some(i) = found {
                        matched.insert(&i.name);
                        continue;
                    }
                    if unique && table.uniques.iter().any(|u| u.columns == cols) {
                        continue;
                    }
                    let by_name = table_ix.iter().filter(free).find(|i| same_name(i));
                    match by_name {
                        Some(i) => {
                            matched.insert(&i.name);
                            out.push(DriftItem {
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
                                severity: if unique != i.unique { Severity::High } else { Severity::Medium },
                                also: Vec::new(),
                                also_sql: Vec::new(),
                                changes: vec![
                                    Change::DropIndex { name: i.name.clone(), table: key.clone() },
                                    Change::CreateIndex(change::new_index(schema, model, &ix, default_schema)),
                                ],
                            });
                        }
                        None => {
                            let mut words = vec![table_name];
                            words.extend(cols.iter().map(String::as_str));
                            if unmodelled.mentions(&[name.as_str()]) || unmodelled.mentions(&words)
                            {
                                continue;
                            }
                            // A plain index whose columns lead another index or key is served
                            // by it: nothing is slower without it.
                            let leads = |other: &[String]| {
                                other.len() >= cols.len() && other[..cols.len()] == cols[..]
                            };
                            let covered = !unique
                                && (table_ix.iter().any(|i| {
                                    i.predicate.is_none()
                                        && leads(
                                            &i.columns
                                                .iter()
                                                .map(|c| c.expr.clone())
                                                .collect::<Vec<_>>(),
                                        )
                                }) || table.uniques.iter().any(|u| leads(&u.columns))
                                    || table
                                        .primary_key
                                        .as_ref()
                                        .is_some_and(|p| leads(&p.columns)));
                            if covered {
                                continue;
                            }
                            out.push(DriftItem {
                                kind: DriftKind::Missing,
                                anchor: format!("{table_name}|index|{name}"),
                                message: format!(
                                    "No migration creates the {} `{name}` on `{table_name}`({})",
                                    if unique { "unique index" } else { "index" },
                                    cols.join(", ")
                                ),
                                schema_span: Some(ix.span),
                                sql_at: None,
                                sql_range: None,
                                object: "index".into(),
                                // A missing unique index lets duplicates in.
                                severity: if unique {
                                    Severity::High
                                } else {
                                    Severity::Medium
                                },
                                also: Vec::new(),
                                also_sql: Vec::new(),
                                changes: vec![Change::CreateIndex(change::new_index(
                                    schema,
                                    model,
                                    &ix,
                                    default_schema,
                                ))],
                            });
                        }
                    }
                }
            }
        }
        // Foreign keys.
        // Tables built by `CREATE TABLE ... AS` are derived copies without constraints.
        if schema.supports_fk() && !table.opaque_columns {
            foreign_keys(schema, model, table, &unmodelled, &mut out);
        }
        migration_only_for_table(table_ix, &key, table, &matched, &mut out);
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
            severity: Severity::High,
            also: Vec::new(),
                also_sql: Vec::new(),
                changes: Vec::new(),
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
                None => {
                    if unmodelled.mentions(&[e.db_name()]) {
                        continue;
                    }
                    out.push(DriftItem {
                        kind: DriftKind::Missing,
                        anchor: format!("{}|enum", e.name),
                        message: format!("Enum `{}` is created by no migration", e.name),
                        schema_span: Some(e.name_span),
                        sql_at: None,
                        sql_range: None,
                        object: "enum".into(),
                        severity: Severity::High,
                        also: Vec::new(),
                        also_sql: Vec::new(),
                        changes: vec![Change::CreateEnum {
                            name: key.clone(),
                            values: want.iter().map(|v| v.to_string()).collect(),
                        }],
                    })
                }
                Some(ce) => {
                    let have: BTreeSet<&str> = ce.values.iter().map(String::as_str).collect();
                    let wanted: BTreeSet<&str> = want.iter().copied().collect();
                    // Values added or removed by statements the replay does not model.
                    let named = |v: &&str| unmodelled.mentions(&[e.db_name(), &format!("'{v}'")]);
                    let missing: Vec<&str> = wanted
                        .difference(&have)
                        .copied()
                        .filter(|v| !named(v))
                        .collect();
                    let extra: Vec<&str> = have
                        .difference(&wanted)
                        .copied()
                        .filter(|v| !named(v))
                        .collect();
                    if !missing.is_empty() || !extra.is_empty() {
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
                            // Writing a value the database lacks fails.
                            severity: if missing.is_empty() {
                                Severity::Medium
                            } else {
                                Severity::High
                            },
                            also: Vec::new(),
                            also_sql: Vec::new(),
                            changes: enum_changes(cat, &key, &want, &missing, &extra),
                        });
                    }
                }
            }
        }
        // Enum types the migrations create but the schema does not declare: the next `prisma
        // migrate dev` drops them (`DROP TYPE`). Only in schemas the Prisma schema uses, and not
        // when a column of a table the schema knows still has the type (an `Unsupported(...)`
        // field, or a type mismatch reported on the column).
        let enum_schema = |e: &crate::model::Enum| {
            e.schema
                .as_ref()
                .map_or(default_schema.to_string(), |s| s.value.to_string())
        };
        let declared: BTreeSet<(String, String)> = schema
            .enums
            .iter()
            .map(|e| (enum_schema(e), e.db_name().to_string()))
            .collect();
        let mut managed: BTreeSet<String> = BTreeSet::from([default_schema.to_string()]);
        managed.extend(schema.models().map(schema_of));
        managed.extend(schema.enums.iter().map(enum_schema));
        let used: BTreeSet<&str> = cat
            .tables
            .iter()
            .filter(|(k, _)| known_tables.contains(&(k.schema.clone(), k.name.clone())))
            .flat_map(|(_, t)| t.columns.iter())
            .map(|c| c.data_type.trim_end_matches("[]"))
            .collect();
        for (key, ce) in &cat.enums {
            if declared.contains(&(key.schema.clone(), key.name.clone()))
                || !managed.contains(&key.schema)
                || used.contains(key.name.as_str())
            {
                continue;
            }
            out.push(DriftItem {
                kind: DriftKind::SqlOnly,
                anchor: format!("{}|extra-enum", key.name),
                message: format!(
                    "Enum type `{key}` is created by the migrations but not declared in the schema: the next `prisma migrate dev` drops it (no column uses it)"
                ),
                schema_span: None,
                sql_at: Some(ce.created_at),
                sql_range: None,
                object: "enum".into(),
                // Nothing uses it (see above): dropping it loses no data.
                severity: Severity::Low,
                also: Vec::new(),
                also_sql: Vec::new(),
                changes: vec![Change::DropEnum { name: key.clone() }],
            });
        }
    }
    // SQLite changes a column or a foreign key by rebuilding the table.
    if history.dialect == super::Dialect::Sqlite {
        for item in &mut out {
            let in_place = |c: &Change| {
                matches!(
                    c,
                    Change::AddForeignKey { .. }
                        | Change::DropForeignKey { .. }
                        | Change::SetNotNull { .. }
                        | Change::SetDefault { .. }
                        | Change::AlterType { .. }
                )
            };
            if !item.changes.iter().any(in_place) {
                continue;
            }
            let table = item.changes.iter().find_map(|c| match c {
                Change::AddForeignKey { fk, .. } => Some(fk.table.clone()),
                Change::DropForeignKey { table, .. }
                | Change::SetNotNull { table, .. }
                | Change::SetDefault { table, .. }
                | Change::AlterType { table, .. } => Some(table.clone()),
                _ => None,
            });
            let rebuilt = table.and_then(|t| {
                let model = schema
                    .models()
                    .find(|m| m.db_name() == t.name && !m.is_ignored())?;
                let existing: Vec<String> = cat
                    .tables
                    .get(&t)?
                    .columns
                    .iter()
                    .map(|c| c.name.clone())
                    .collect();
                change::redefine_table(schema, model, &existing, default_schema)
            });
            item.changes = rebuilt.into_iter().collect();
        }
    }
    // A statement the replay does not model (a `DO` block, dynamic SQL) that names the object
    // may have created, changed or dropped it: the replayed catalog cannot tell.
    out.retain(|i| {
        i.kind == DriftKind::MigrationOnly || {
            let words = anchor_words(&i.anchor);
            words.is_empty()
                || !unmodelled.mentions(&words.iter().map(String::as_str).collect::<Vec<_>>())
        }
    });
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

/// Columns of one model against its table: missing columns (one item per model), types,
/// nullability, defaults, and columns the schema does not know.
fn columns(
    schema: &Schema,
    model: &Model,
    table: &Table,
    history: &MigrationHistory,
    other_types: &BTreeSet<&str>,
    unmodelled: &Unmodelled,
    out: &mut Vec<DriftItem>,
) {
    let provider = schema.provider().unwrap_or(Provider::PostgreSql);
    let pg = history.dialect.is_postgres();
    let table_name = model.db_name();
    let mut missing: Vec<&Field> = Vec::new();
    for f in model.scalar_fields().filter(|f| !f.is_ignored()) {
        let col_name = f.db_name();
        let Some(col) = table.column(col_name) else {
            if !unmodelled.mentions(&[table_name, col_name]) {
                missing.push(f);
            }
            continue;
        };
        let at = Some(col.defined_at);
        let domain = other_types.contains(col.data_type.trim_end_matches("[]"));
        if pg && !domain {
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
                if types_differ(&col.data_type, &expected) {
                    out.push(DriftItem {
                        kind: DriftKind::Mismatch,
                        anchor: format!("{table_name}.{col_name}|type"),
                        message: format!("Column `{table_name}.{col_name}` is {} in the migrations but the schema implies {expected}", col.data_type),
                        schema_span: Some(f.type_span),
                        sql_at: at,
                        sql_range: Some(col.def_range),
                        object: "column type".into(),
                        severity: Severity::High,
                        also: Vec::new(),
                also_sql: Vec::new(),
                changes: change::sql_type(schema, model, f, false).map(|to| Change::AlterType { table: table.name.clone(), column: col_name.to_string(), from: col.data_type.clone(), decimal: decimal_of(schema, f), to }).into_iter().collect(),
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
                    if f.is_required() {
                        "required"
                    } else {
                        "optional"
                    }
                ),
                schema_span: Some(f.type_span),
                sql_at: at,
                sql_range: Some(col.def_range),
                object: "nullability".into(),
                severity: Severity::High,
                also: Vec::new(),
                also_sql: Vec::new(),
                changes: vec![Change::SetNotNull {
                    table: table.name.clone(),
                    column: col_name.to_string(),
                    not_null: f.is_required(),
                }],
            });
        }
        // Prisma Client leaves `@default` values to the database: without the column default an
        // insert that omits the field stores NULL or fails. A default only the database has
        // changes nothing for the client.
        // Identity and generated columns fill themselves.
        let actual_default = col.default.is_some() || col.generated.is_some();
        if has_db_default(model, f) && !actual_default {
            out.push(DriftItem {
                kind: DriftKind::Mismatch,
                anchor: format!("{table_name}.{col_name}|default"),
                message: format!("Field `{}.{}` has a `@default` but no migration gives column `{table_name}.{col_name}` a default{}", model.name, f.name, if col.not_null { ": inserts that omit it fail" } else { ": inserts that omit it store NULL" }),
                schema_span: Some(model.default_of(f).map_or(f.name_span, |d| d.span)),
                sql_at: at,
                sql_range: Some(col.def_range),
                object: "default".into(),
                severity: if col.not_null { Severity::High } else { Severity::Medium },
                also: Vec::new(),
                also_sql: Vec::new(),
                changes: change::default_sql(schema, model, f).map(|default| Change::SetDefault { table: table.name.clone(), column: col_name.to_string(), default }).into_iter().collect(),
            });
        }
    }
    if let Some((first, rest)) = missing.split_first() {
        let names: Vec<String> = missing.iter().map(|f| format!("`{}`", f.name)).collect();
        out.push(DriftItem {
            kind: DriftKind::Missing,
            anchor: format!("{table_name}|columns|{}", missing.iter().map(|f| f.db_name()).collect::<Vec<_>>().join(",")),
            message: if rest.is_empty() {
                format!(
                    "Field `{}.{}` (column `{table_name}.{}`) is created by no migration",
                    model.name,
                    first.name,
                    first.db_name()
                )
            } else {
                format!(
                    "Model `{}`: {} fields ({}) have no column in table `{table_name}` that any migration creates",
                    model.name,
                    missing.len(),
                    names.join(", ")
                )
            },
            schema_span: Some(first.name_span),
            sql_at: Some(table.created_at),
            sql_range: None,
            object: "column".into(),
            severity: Severity::High,
            also: rest.iter().map(|f| f.name_span).collect(),
            also_sql: Vec::new(),
            changes: missing.iter().map(|f| change::new_column(schema, model, f)).collect::<Option<Vec<_>>>().map(|columns| Change::AddColumns { table: table.name.clone(), columns }).into_iter().collect(),
        });
    }
    let schema_cols: BTreeSet<&str> = model.scalar_fields().map(|f| f.db_name()).collect();
    let extra: Vec<&super::catalog::Column> = table
        .columns
        .iter()
        .filter(|c| !schema_cols.contains(c.name.as_str()))
        .collect();
    if let Some((first, rest)) = extra.split_first() {
        let names: Vec<String> = extra.iter().map(|c| format!("`{}`", c.name)).collect();
        out.push(DriftItem {
            kind: DriftKind::SqlOnly,
            anchor: format!(
                "{table_name}.{}|extra-column",
                extra.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(",")
            ),
            message: if rest.is_empty() {
                format!("Column `{table_name}.{}` exists in the migrations but model `{}` has no such field: the next `prisma migrate dev` drops it", first.name, model.name)
            } else {
                format!("Columns {} of `{table_name}` exist in the migrations but model `{}` has no such fields: the next `prisma migrate dev` drops them", names.join(", "), model.name)
            },
            schema_span: Some(model.name_span),
            sql_at: Some(first.defined_at),
            sql_range: Some(first.def_range),
            object: "column".into(),
            severity: Severity::High,
            also: Vec::new(),
            also_sql: rest.iter().map(|c| (c.defined_at, c.def_range)).collect(),
            changes: Vec::new(),
        });
    }
}

/// Foreign keys of one model's relations against its table.
fn foreign_keys(
    schema: &Schema,
    model: &Model,
    table: &Table,
    unmodelled: &Unmodelled,
    out: &mut Vec<DriftItem>,
) {
    let table_name = model.db_name();
    // The table's foreign keys some relation accounts for.
    let mut matched = vec![false; table.foreign_keys.len()];
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
        // By name, else by columns and target, else by columns.
        let fks = &table.foreign_keys;
        let found = fks
            .iter()
            .find(|k| !name.is_empty() && k.name == name)
            .or_else(|| {
                fks.iter()
                    .find(|k| k.columns == cols && k.ref_table.name == target.db_name())
            })
            .or_else(|| fks.iter().find(|k| k.columns == cols));
        if let Some(i) = found.and_then(|k| fks.iter().position(|x| std::ptr::eq(x, k))) {
            matched[i] = true;
        }
        let Some(fk) = found else {
            let mut words = vec![table_name, "references", target.db_name()];
            words.extend(cols.iter().map(String::as_str));
            if (!name.is_empty() && unmodelled.mentions(&[name.as_str()]))
                || unmodelled.mentions(&words)
            {
                continue;
            }
            out.push(DriftItem {
                kind: DriftKind::Missing,
                anchor: format!("{table_name}|fk|{}", cols.join(",")),
                message: format!("No migration creates the foreign key `{name}` from `{table_name}`({}) to `{}`: the database does not enforce the relation", cols.join(", "), target.db_name()),
                schema_span: Some(f.name_span),
                sql_at: None,
                sql_range: None,
                object: "foreign key".into(),
                severity: Severity::Medium,
                also: Vec::new(),
                also_sql: Vec::new(),
                changes: change::new_foreign_key(schema, model, rel, &table.name.schema).map(|fk| Change::AddForeignKey { fk, replaces: None }).into_iter().collect(),
            });
            continue;
        };
        let want_del = action_sql(rel.on_delete.action);
        let want_upd = action_sql(rel.on_update.action);
        // `ON UPDATE` only matters when keys change; compared when the schema writes it.
        let upd_differs = rel.on_update.explicit && fk.on_update != want_upd;
        let target_differs = fk.ref_table.name != target.db_name();
        if fk.on_delete != want_del || upd_differs || target_differs {
            let label = if fk.name.is_empty() {
                format!("on `{table_name}`({})", fk.columns.join(", "))
            } else {
                format!("`{}`", fk.name)
            };
            out.push(DriftItem {
                kind: DriftKind::Mismatch,
                anchor: format!("{table_name}|fk|{}", cols.join(",")),
                message: if target_differs {
                    format!(
                        "Foreign key {label} references `{}` in the migrations but the relation `{}.{}` references `{}`",
                        fk.ref_table.name, model.name, f.name, target.db_name()
                    )
                } else if upd_differs {
                    format!(
                        "Foreign key {label} is ON DELETE {} ON UPDATE {} in the migrations but the relation says ON DELETE {want_del} ON UPDATE {want_upd}",
                        fk.on_delete, fk.on_update
                    )
                } else {
                    format!(
                        "Foreign key {label} is ON DELETE {} in the migrations but the relation `{}.{}` implies ON DELETE {want_del}",
                        fk.on_delete, model.name, f.name
                    )
                },
                schema_span: Some(
                    rel.on_delete
                        .span
                        .or(model.relation_attr_of(f).map(|r| r.span))
                        .unwrap_or(f.name_span),
                ),
                sql_at: Some(fk.defined_at),
                sql_range: None,
                object: "foreign key".into(),
                severity: if target_differs { Severity::High } else { Severity::Medium },
                also: Vec::new(),
                also_sql: Vec::new(),
                changes: change::new_foreign_key(schema, model, rel, &table.name.schema).map(|new| Change::AddForeignKey { fk: new, replaces: Some(fk.name.clone()) }).into_iter().collect(),
            });
        }
    }
    // Foreign keys the migrations create that no relation declares: the next `prisma migrate
    // dev` drops them, and the database stops enforcing them.
    for (fk, _) in table
        .foreign_keys
        .iter()
        .zip(&matched)
        .filter(|(_, m)| !**m)
    {
        if (!fk.name.is_empty() && unmodelled.mentions(&[fk.name.as_str()]))
            || unmodelled.mentions(&[table_name, fk.ref_table.name.as_str()])
        {
            continue;
        }
        let label = if fk.name.is_empty() {
            String::new()
        } else {
            format!(" `{}`", fk.name)
        };
        out.push(DriftItem {
            kind: DriftKind::SqlOnly,
            anchor: format!("{table_name}|extra-fk|{}", fk.columns.join(",")),
            message: format!(
                "Foreign key{label} from `{table_name}`({}) to `{}` is created by the migrations but no relation declares it: the next `prisma migrate dev` drops it and the database stops enforcing it",
                fk.columns.join(", "),
                fk.ref_table.name
            ),
            schema_span: Some(model.name_span),
            sql_at: Some(fk.defined_at),
            sql_range: None,
            object: "foreign key".into(),
            severity: Severity::Medium,
            also: Vec::new(),
            also_sql: Vec::new(),
            changes: vec![Change::DropForeignKey { table: table.name.clone(), name: fk.name.clone() }],
        });
    }
}

/// The identifiers an item's anchor names (`table.column|type` → table, column;
/// `table|index|name` → table, name; `Enum|enum-values` → the enum).
pub fn anchor_words(anchor: &str) -> Vec<String> {
    let mut parts = anchor.split('|');
    let head = parts.next().unwrap_or("");
    let kind = parts.next().unwrap_or("");
    // Enum values are checked one by one where they are compared.
    if kind == "enum-values" {
        return Vec::new();
    }
    let mut words: Vec<String> = head
        .split(['.', ','])
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if let Some(rest) = parts.next() {
        words.extend(
            rest.split(',')
                .filter(|w| !w.is_empty())
                .map(|w| w.to_string()),
        );
    }
    words
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
        severity: Severity::Info,
        also: Vec::new(),
        also_sql: Vec::new(),
        changes: Vec::new(),
    }
}

fn migration_only_for_table(
    indexes: &[&super::catalog::Index],
    key: &super::catalog::QName,
    table: &Table,
    matched: &BTreeSet<&super::catalog::QName>,
    out: &mut Vec<DriftItem>,
) {
    for ix in indexes {
        if matched.contains(&ix.name) || table.uniques.iter().any(|u| u.name == ix.name.name) {
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
                    ix.predicate
                        .as_ref()
                        .map(|p| format!(" (WHERE {p})"))
                        .unwrap_or_default()
                ),
                schema_span: None,
                sql_at: Some(ix.defined_at),
                sql_range: None,
                object: what.into(),
                severity: Severity::Info,
                also: Vec::new(),
                also_sql: Vec::new(),
                changes: Vec::new(),
            }),
            None => {
                let cols: Vec<&str> = ix.columns.iter().map(|c| c.expr.as_str()).collect();
                let same_key = |i: &super::catalog::Index| {
                    i.unique == ix.unique
                        && i.predicate.is_none()
                        && i.columns
                            .iter()
                            .map(|c| c.expr.as_str())
                            .eq(cols.iter().copied())
                };
                // Another index the schema declares has the same key: this one is redundant.
                let twin = indexes
                    .iter()
                    .find(|i| i.name != ix.name && matched.contains(&i.name) && same_key(i));
                // Access methods the schema's `type:` can name.
                let declarable = matches!(
                    ix.method.as_str(),
                    "btree" | "hash" | "gist" | "gin" | "spgist" | "brin"
                );
                // Prisma's differ matches both to the declaration and keeps this one: not drift,
                // only an object the schema does not show.
                if let Some(t) = twin {
                    out.push(only(
                            format!("{}|duplicate index|{}", key.name, ix.name.name),
                            format!(
                                "Index `{}` on `{}`({}) duplicates `{}`, which the schema declares (Prisma keeps both: its differ matches each to the declaration)",
                                ix.name.name,
                                key.name,
                                cols.join(", "),
                                t.name.name
                            ),
                            ix.defined_at,
                            "duplicate index",
                    ));
                    continue;
                }
                let (message, severity) = match declarable {
                    true => (
                        format!(
                            "Index `{}` on `{}`({}) is created by the migrations but not declared in the schema: the next `prisma migrate dev` drops it; declare it with `@@index` (with `type:`/`ops:` as needed)",
                            ix.name.name,
                            key.name,
                            cols.join(", ")
                        ),
                        // Losing it is a silent performance regression, not data loss.
                        Severity::Medium,
                    ),
                    false => (
                        format!(
                            "Index `{}` on `{}`({}) uses `{}`, which the schema cannot declare: every `prisma migrate dev` generates a `DROP INDEX` for it; remove that statement from generated migrations (`--create-only`)",
                            ix.name.name,
                            key.name,
                            cols.join(", "),
                            ix.method
                        ),
                        Severity::Medium,
                    ),
                };
                out.push(DriftItem {
                    kind: DriftKind::SqlOnly,
                    anchor: format!("{}|extra-index|{}", key.name, ix.name.name),
                    message,
                    schema_span: None,
                    sql_at: Some(ix.defined_at),
                    sql_range: None,
                    object: "index".into(),
                    severity,
                    also: Vec::new(),
                    also_sql: Vec::new(),
                    changes: vec![Change::DropIndex {
                        name: ix.name.clone(),
                        table: key.clone(),
                    }],
                });
            }
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
                severity: Severity::Info,
                also: Vec::new(),
                also_sql: Vec::new(),
                changes: Vec::new(),
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
            severity: Severity::Info,
            also: Vec::new(),
            also_sql: Vec::new(),
            changes: Vec::new(),
        });
    }
}

/// The precision and scale of a field stored as `DECIMAL(p,s)`.
fn decimal_of(schema: &Schema, f: &Field) -> Option<(u32, u32)> {
    let nt = schema.effective_native_type(f)?;
    if !matches!(nt.name.as_str(), "Decimal" | "Numeric") {
        return None;
    }
    let p = nt.args.first()?.parse().ok()?;
    let s = nt.args.get(1).map_or(Some(0), |a| a.parse().ok())?;
    Some((p, s))
}

/// The changes that give enum type `key` the values `want`: values added, or the type rebuilt
/// without the removed ones (with every column of the type converted).
fn enum_changes(
    cat: &Catalog,
    key: &QName,
    want: &[&str],
    missing: &[&str],
    extra: &[&str],
) -> Vec<Change> {
    if extra.is_empty() {
        return vec![Change::AddEnumValues {
            name: key.clone(),
            values: missing.iter().map(|v| v.to_string()).collect(),
        }];
    }
    let columns = cat
        .tables
        .values()
        .flat_map(|t| t.columns.iter().map(move |c| (t, c)))
        .filter(|(_, c)| {
            let ty = c.data_type.trim_end_matches("[]");
            ty == key.name || ty == format!("{}.{}", key.schema, key.name)
        })
        .map(|(t, c)| (t.name.clone(), c.name.clone(), c.default.clone()))
        .collect();
    vec![Change::RemoveEnumValues {
        name: key.clone(),
        values: want.iter().map(|v| v.to_string()).collect(),
        removed: extra.iter().map(|v| v.to_string()).collect(),
        columns,
    }]
}
