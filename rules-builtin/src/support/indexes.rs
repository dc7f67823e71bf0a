//! Index analysis shared by the index rules: B-tree and lookup-capable indexes, partial
//! indexes, leading columns, the table and indexes the migration history builds for a model,
//! and the edit that removes an index line.

use prisma_audit_core::model::{
    IndexAlgorithm, IndexColumn, IndexKind, IndexRef, Model, Provider, SortOrder, names,
};
use prisma_audit_core::rule::{RawEdit, RuleContext};
use prisma_audit_core::span::Span;
use prisma_audit_core::sql::catalog::{Catalog, QName, Table};
use prisma_audit_core::{TextRange, TextSize};

/// A B-tree index: `@id`, `@unique`, and `@@index` without `type:` or with `type: BTree`.
/// Whether `field` alone is a key of `model`: its `@id`, `@unique`, or a one-column
/// `@@id`/`@@unique` (at most one row per value).
pub(crate) fn unique_alone(
    model: &prisma_audit_core::model::Model,
    field: &prisma_audit_core::model::Field,
) -> bool {
    model.index_refs().any(|i| {
        let mut cols = i.columns();
        i.is_unique()
            && cols.next().is_some_and(|c| c.field == Some(field.id))
            && cols.next().is_none()
    })
}

pub(crate) fn is_btree(index: &IndexRef<'_>) -> bool {
    match index.kind {
        IndexKind::Primary | IndexKind::Unique => true,
        IndexKind::Normal => matches!(index.algorithm, None | Some(IndexAlgorithm::BTree)),
        IndexKind::Fulltext => false,
    }
}

/// Whether an index can serve equality lookups on its leading columns (B-tree or Hash).
pub(crate) fn serves_lookups(index: &IndexRef<'_>) -> bool {
    is_btree(index)
        || (index.kind == IndexKind::Normal && index.algorithm == Some(IndexAlgorithm::Hash))
}

/// Whether the index is partial: a `where:` argument (Prisma's `partialIndexes` preview
/// feature) restricts it to some rows, so it neither covers nor duplicates a full index.
pub(crate) fn is_partial(ctx: &RuleContext<'_>, index: &IndexRef<'_>) -> bool {
    let text = crate::support::schema_edit::span_text(ctx, index.span);
    let bytes = text.as_bytes();
    text.match_indices("where").any(|(i, _)| {
        let before = text[..i].trim_end();
        let after = text[i + 5..].trim_start();
        (before.ends_with(',') || before.ends_with('('))
            && after.starts_with(':')
            && !bytes.get(i + 5).is_some_and(|b| b.is_ascii_alphanumeric())
    })
}

/// The table of `model` in the database the migration history builds, with that database's
/// catalog; `None` without a history or when no migration creates the table (then only the
/// schema can be read).
pub(crate) fn migrated_table<'c>(
    ctx: &'c RuleContext<'_>,
    model: &Model,
) -> Option<(&'c Catalog, &'c Table)> {
    let history = ctx.migrations?;
    let catalog = &history.replay.catalog;
    let db_schema = model
        .schema
        .as_ref()
        .map_or(history.dialect.default_schema(), |s| s.value.as_str());
    let table = catalog
        .tables
        .get(&QName::new(db_schema, model.db_name()))?;
    (!table.opaque_columns).then_some((catalog, table))
}

/// Whether the migrations build `index` of `model` as the plain index the schema describes:
/// the primary key, a unique constraint, or an index (found by name, else by columns) on the
/// same columns, without a `WHERE` predicate or expression columns. `None` when the table is
/// not in the migration history.
pub(crate) fn built_as_declared(
    ctx: &RuleContext<'_>,
    model: &Model,
    index: &IndexRef<'_>,
) -> Option<bool> {
    let (catalog, table) = migrated_table(ctx, model)?;
    let schema = ctx.schema;
    let declared = index.to_index();
    let cols = schema.index_columns(model, &declared);
    let name = schema.index_db_name(model, &declared);
    if index.kind == IndexKind::Primary {
        return Some(table.primary_key.as_ref().is_some_and(|pk| {
            pk.columns
                .iter()
                .map(String::as_str)
                .eq(cols.iter().copied())
        }));
    }
    let unique = index.kind == IndexKind::Unique;
    if unique
        && table.uniques.iter().any(|u| {
            u.columns
                .iter()
                .map(String::as_str)
                .eq(cols.iter().copied())
        })
    {
        return Some(true);
    }
    let btree = is_btree(index);
    let plain_same = |i: &prisma_audit_core::sql::catalog::Index| {
        i.unique == unique
            && (!btree || i.method.eq_ignore_ascii_case("btree"))
            && i.predicate.is_none()
            && i.columns.iter().all(|c| !c.is_expression)
            && i.columns
                .iter()
                .map(|c| c.expr.as_str())
                .eq(cols.iter().copied())
    };
    let on_table: Vec<_> = catalog.table_indexes(&table.name).collect();
    Some(match on_table.iter().find(|i| i.name.name == name) {
        Some(i) => plain_same(i),
        None => on_table.iter().any(|i| plain_same(i)),
    })
}

/// Two index columns are the same: field, sort order (`Asc` = unspecified), length prefix and
/// operator class.
pub(crate) fn same_column(a: &IndexColumn<'_>, b: &IndexColumn<'_>) -> bool {
    let sort = |c: &IndexColumn<'_>| c.sort.unwrap_or(SortOrder::Asc);
    a.name == b.name && sort(a) == sort(b) && a.length == b.length && a.ops == b.ops
}

/// Whether `index` has at least `names.len()` columns and each of `names` is among the first
/// `names.len()` of them (in any order), without allocating.
pub(crate) fn leads_with_set(index: &IndexRef<'_>, names: &[&str]) -> bool {
    index.len() >= names.len()
        && names
            .iter()
            .all(|n| index.column_names().take(names.len()).any(|c| c == *n))
}

/// Whether the first `names.len()` columns of `index` are exactly `names`, in order
/// (without allocating).
pub(crate) fn leads_with(index: &IndexRef<'_>, names: &[&str]) -> bool {
    index.len() >= names.len() && index.column_names().zip(names).all(|(c, n)| c == *n)
}

/// An edit deleting `span`: its whole line (with the line break and any trailing comment) when
/// nothing else is on that line, else just the span.
pub(crate) fn remove_line(ctx: &RuleContext<'_>, span: Span) -> RawEdit {
    let text = ctx.text(span.file);
    let (start, end) = (
        usize::from(span.range.start()).min(text.len()),
        usize::from(span.range.end()).min(text.len()),
    );
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    let before = &text[line_start..start];
    let after = text[end..line_end].trim();
    let whole = before.trim().is_empty() && (after.is_empty() || after.starts_with("//"));
    let (s, e) = if whole {
        (line_start, line_end)
    } else {
        (start, end)
    };
    let to = |x: usize| TextSize::try_from(x).unwrap_or_default();
    RawEdit {
        span: Span {
            file: span.file,
            range: TextRange::new(to(s), to(e)),
        },
        replacement: String::new(),
    }
}

/// `CREATE INDEX [CONCURRENTLY] "<name>" ON "<table>"("a", "b");` for the providers whose
/// migrations the fix can describe in SQL (PostgreSQL, CockroachDB).
pub(crate) fn create_index_sql(
    provider: Provider,
    table: &str,
    columns: &[&str],
    map: Option<&str>,
) -> Option<String> {
    let concurrently = match provider {
        Provider::PostgreSql => "CONCURRENTLY ",
        Provider::CockroachDb => "",
        _ => return None,
    };
    let name = map.map_or_else(
        || names::index_name(table, columns, provider),
        str::to_owned,
    );
    // Sized once: the fixed text (37 bytes at most), the names, each column quoted with `, `.
    let quoted: usize = columns.iter().map(|c| c.len() + 4).sum();
    let mut sql = String::with_capacity(40 + name.len() + table.len() + quoted);
    for part in [
        "CREATE INDEX ",
        concurrently,
        "\"",
        &name,
        "\" ON \"",
        table,
        "\"(",
    ] {
        sql.push_str(part);
    }
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push('"');
        sql.push_str(column);
        sql.push('"');
    }
    sql.push_str(");");
    Some(sql)
}
