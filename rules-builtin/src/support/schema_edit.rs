//! Text edits on schema files for fixes: precise insertions that keep the user's layout
//! (indentation, comments, line endings) and that `prisma format` would leave alone apart from
//! column alignment.

use prisma_audit_core::model::names;
use prisma_audit_core::model::{Field, IndexKind, IndexRef, IndexSource, Model, Provider, Schema};
use prisma_audit_core::rule::{RawEdit, RuleContext};
use prisma_audit_core::span::Span;
use prisma_audit_core::{TextRange, TextSize};

/// Byte offset as `usize`.
fn off(size: TextSize) -> usize {
    usize::from(size)
}

/// An insertion of `text` at byte `at` of `file`.
pub fn insert_at(file: prisma_audit_core::span::FileId, at: usize, text: String) -> RawEdit {
    let at = TextSize::try_from(at).unwrap_or_default();
    RawEdit {
        span: Span {
            file,
            range: TextRange::empty(at),
        },
        replacement: text,
    }
}

/// Replace exactly `span` with `text`.
pub fn replace(span: Span, text: impl Into<String>) -> RawEdit {
    RawEdit {
        span,
        replacement: text.into(),
    }
}

/// The line ending the file uses (`\r\n` when its first line ends that way).
pub fn newline(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The indentation of the model's members (that of its first field), default two spaces.
pub fn member_indent<'c>(ctx: &'c RuleContext<'_>, model: &Model) -> &'c str {
    let text = ctx.text(model.span.file);
    model
        .fields
        .first()
        .map(|f| {
            let start = off(f.span.range.start()).min(text.len());
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let indent = &text[line_start..start];
            if indent.chars().all(|c| c == ' ' || c == '\t') && !indent.is_empty() {
                indent
            } else {
                "  "
            }
        })
        .unwrap_or("  ")
}

/// Insert a member line (a field or a block attribute such as `@@index([tenantId])`) as the
/// last line of `model`'s body, just before its closing brace.
pub fn insert_member_line(ctx: &RuleContext<'_>, model: &Model, line: &str) -> Option<RawEdit> {
    let text = ctx.text(model.span.file);
    let end = off(model.span.range.end()).min(text.len());
    let brace = text[..end].rfind('}')?;
    let nl = newline(text);
    let indent = member_indent(ctx, model);
    let line_start = text[..brace].rfind('\n').map_or(0, |i| i + 1);
    if text[line_start..brace].trim().is_empty() {
        // `}` on its own line: insert a whole line before it.
        Some(insert_at(
            model.span.file,
            line_start,
            [indent, line, nl].concat(),
        ))
    } else {
        // `model A { id Int @id }`: break the line.
        Some(insert_at(
            model.span.file,
            brace,
            [nl, indent, line, nl].concat(),
        ))
    }
}

/// Insert a field line right after the last field of `model` (block attributes stay last).
pub fn insert_field_line(ctx: &RuleContext<'_>, model: &Model, line: &str) -> Option<RawEdit> {
    let Some(last) = model.fields.last() else {
        return insert_member_line(ctx, model, line);
    };
    let text = ctx.text(model.span.file);
    let end = off(last.span.range.end()).min(text.len());
    let nl = newline(text);
    let indent = member_indent(ctx, model);
    match text[end..].find('\n') {
        Some(i) if end + i < off(model.span.range.end()) => Some(insert_at(
            model.span.file,
            end + i + 1,
            [indent, line, nl].concat(),
        )),
        _ => insert_member_line(ctx, model, line),
    }
}

/// Append a field attribute (e.g. `@db.Decimal(10, 2)` or `@updatedAt`) after the field's last
/// attribute (before any trailing comment: the field's span ends at its last attribute).
pub fn append_field_attribute(field: &Field, attribute: &str) -> RawEdit {
    let end = field.span.range.end();
    RawEdit {
        span: Span {
            file: field.span.file,
            range: TextRange::empty(end),
        },
        replacement: format!(" {attribute}"),
    }
}

/// Set `key: value` (e.g. `onDelete: Cascade`) in the field's `@relation(...)`: replace the
/// argument when present, else add it before the closing parenthesis. `None` when the field
/// has no `@relation(...)` with parentheses.
pub fn set_relation_argument(
    ctx: &RuleContext<'_>,
    field: &Field,
    key: &str,
    value: &str,
) -> Option<RawEdit> {
    let attr = ctx.schema.model_of(field.id)?.relation_attr_of(field)?;
    let existing = match key {
        "onDelete" => attr.on_delete.as_ref().map(|a| a.span),
        "onUpdate" => attr.on_update.as_ref().map(|a| a.span),
        _ => None,
    };
    if let Some(span) = existing {
        return Some(replace(span, format!("{key}: {value}")));
    }
    let text = ctx.text(attr.span.file);
    let (start, end) = (off(attr.span.range.start()), off(attr.span.range.end()));
    let src = text.get(start..end)?;
    if !src.ends_with(')') {
        return None;
    }
    let close = end - 1;
    let open = start + src.find('(')?;
    let has_args = !text[open + 1..close].trim().is_empty();
    let sep = if has_args { ", " } else { "" };
    Some(insert_at(
        attr.span.file,
        close,
        format!("{sep}{key}: {value}"),
    ))
}

/// A native type attribute: `ty` (e.g. `Timestamptz(3)`) prefixed with the datasource's name,
/// which is what Prisma requires (`datasource pg { ... }` → `@pg.Timestamptz(3)`; `@db.` is only
/// right when the datasource is called `db`). `@db.` without a datasource.
pub fn native_type_attribute(schema: &Schema, ty: &str) -> String {
    let name = schema.datasource().map_or("db", |d| d.name.as_str());
    ["@", name, ".", ty].concat()
}

/// Add `column` as the first column of a block index's field list (`@@unique([a])` →
/// `@@unique([tenantId, a])`), keeping the rest as written. A bare single column, which Prisma
/// reads as a one-element list (`@@unique(a)`, `@@index(fields: a(sort: Desc))`), becomes a
/// list: `@@unique([tenantId, a])`. `None` for a field-level `@id`/`@unique` or an index
/// without columns.
pub fn prepend_index_column(
    ctx: &RuleContext<'_>,
    index: IndexRef<'_>,
    column: &str,
) -> Option<RawEdit> {
    if index.source != IndexSource::Block {
        return None;
    }
    let first = index.column(0)?;
    let text = ctx.text(first.span.file);
    let start = off(first.span.range.start()).min(text.len());
    if text[..start].trim_end().ends_with('[') {
        return Some(insert_at(first.span.file, start, format!("{column}, ")));
    }
    let written = span_text(ctx, first.span);
    Some(replace(first.span, format!("[{column}, {written}]")))
}

/// MySQL column types an index can only use with a prefix `length:`.
const MYSQL_PREFIX_ONLY: &[&str] = &[
    "TinyText",
    "Text",
    "MediumText",
    "LongText",
    "TinyBlob",
    "Blob",
    "MediumBlob",
    "LongBlob",
];

/// The prefix length given to MySQL text and blob columns in a new `@@index`: 191 characters
/// fit InnoDB's 767-byte key limit in utf8mb4.
const MYSQL_PREFIX_LENGTH: u32 = 191;

/// A new `@@index([...])` or `@@unique([...])` (per `kind`) on `fields` of `model`, written so
/// Prisma accepts it next to the schema's other indexes and next to other indexes added by
/// other fixes:
///
/// - `map: "..."` when Prisma's default name (`{table}_{columns}_idx`) is cut to the provider's
///   identifier limit (two indexes of a long table name then get the same name, which Prisma
///   rejects) or is already the name of another index or key of the schema; the explicit name
///   keeps the default's prefix and ends with a hash of the full default name;
/// - on MySQL, `(length: 191)` on text and blob columns of an `@@index` (MySQL cannot index
///   them whole). `None` for an `@@unique` on such a column (a prefix would change what is
///   unique) and for any other kind.
pub fn index_attribute(
    schema: &Schema,
    model: &Model,
    kind: IndexKind,
    fields: &[&Field],
) -> Option<String> {
    let (attribute, suffix) = match kind {
        IndexKind::Normal => ("@@index", "_idx"),
        IndexKind::Unique => ("@@unique", "_key"),
        _ => return None,
    };
    let provider = schema.provider().unwrap_or(Provider::PostgreSql);
    let mut columns = Vec::with_capacity(fields.len());
    for field in fields {
        let prefix_only = provider == Provider::MySql
            && model
                .native_type_of(field)
                .is_some_and(|nt| MYSQL_PREFIX_ONLY.contains(&nt.ty.name.as_str()));
        match (prefix_only, kind) {
            (false, _) => columns.push(field.name.to_string()),
            (true, IndexKind::Normal) => {
                columns.push(format!("{}(length: {MYSQL_PREFIX_LENGTH})", field.name))
            }
            (true, _) => return None,
        }
    }
    let db_columns: Vec<&str> = fields.iter().map(|f| f.db_name()).collect();
    let default = match kind {
        IndexKind::Unique => names::unique_index_name(model.db_name(), &db_columns, provider),
        _ => names::index_name(model.db_name(), &db_columns, provider),
    };
    let full_len = model.db_name().len()
        + db_columns.iter().map(|c| c.len() + 1).sum::<usize>()
        + suffix.len();
    let truncated = full_len > provider.max_identifier_length();
    let taken = schema.models().any(|m| {
        m.indexes()
            .iter()
            .any(|i| schema.index_db_name(m, i) == default)
    });
    let list = columns.join(", ");
    if !truncated && !taken {
        return Some(format!("{attribute}([{list}])"));
    }
    let full = [model.db_name(), "_", &db_columns.join("_")].concat();
    let hash = full.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let hash = format!("_{:08x}", hash as u32);
    let keep = provider
        .max_identifier_length()
        .saturating_sub(suffix.len() + hash.len())
        .min(full.len());
    let mut keep = keep;
    while !full.is_char_boundary(keep) {
        keep -= 1;
    }
    let map = [&full[..keep], &hash, suffix].concat();
    Some(format!("{attribute}([{list}], map: \"{map}\")"))
}

/// The text of a span.
pub fn span_text<'a>(ctx: &'a RuleContext<'_>, span: Span) -> &'a str {
    ctx.text(span.file)
        .get(off(span.range.start())..off(span.range.end()))
        .unwrap_or("")
}

/// `model.field` for messages and anchors.
pub fn field_path(schema: &Schema, field: &Field) -> String {
    match schema.model_of(field.id) {
        Some(m) => format!("{}.{}", m.name, field.name),
        None => field.name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prisma_audit_core::Project;
    use prisma_audit_core::audit::analyze;
    use prisma_audit_core::diagnostic::DiagnosticLevel;
    use prisma_audit_core::rule::SharedFacts;

    /// Runs `f` with a rule context on `schema` (one file, `schema.prisma`).
    fn with_ctx<R>(schema: &str, f: impl FnOnce(&RuleContext<'_>) -> R) -> R {
        let project = Project::from_files("t", [("schema.prisma", schema)]);
        let analysis = analyze(&project, None).expect("schema");
        let options = serde_json::Map::new();
        let shared = SharedFacts::new();
        let ctx = RuleContext {
            project: &project,
            schema_files: &analysis.schema_files,
            schema: &analysis.schema,
            diagnostics: &analysis.diagnostics,
            options: &options,
            migrations: None,
            shared: &shared,
            suppressions: None,
            code: &Default::default(),
            live: None,
        };
        f(&ctx)
    }

    fn apply(text: &str, edit: &RawEdit) -> String {
        let (s, e) = (off(edit.span.range.start()), off(edit.span.range.end()));
        [&text[..s], edit.replacement.as_str(), &text[e..]].concat()
    }

    fn errors(schema: &str) -> Vec<String> {
        with_ctx(schema, |ctx| {
            ctx.diagnostics
                .iter()
                .filter(|d| d.level == DiagnosticLevel::Error)
                .map(|d| d.message.clone())
                .collect()
        })
    }

    const PG: &str = "datasource db {\n  provider = \"postgresql\"\n}\n\n";

    #[test]
    fn native_types_use_the_datasource_name() {
        let named = "datasource pg {\n  provider = \"postgresql\"\n}\n";
        with_ctx(named, |ctx| {
            assert_eq!(
                native_type_attribute(ctx.schema, "Timestamptz(3)"),
                "@pg.Timestamptz(3)"
            );
        });
        with_ctx(PG, |ctx| {
            assert_eq!(native_type_attribute(ctx.schema, "Text"), "@db.Text");
        });
        with_ctx("model A {\n  id Int @id\n}\n", |ctx| {
            assert_eq!(native_type_attribute(ctx.schema, "Text"), "@db.Text");
        });
    }

    /// `@@unique`/`@@index` as written → with `tenantId` as first column.
    #[test]
    fn a_column_is_prepended_to_lists_and_bare_single_columns() {
        for (before, after) in [
            ("@@unique([email])", "@@unique([tenantId, email])"),
            (
                "@@unique([ email, name ])",
                "@@unique([ tenantId, email, name ])",
            ),
            ("@@unique(email)", "@@unique([tenantId, email])"),
            (
                "@@unique(email, map: \"uq[email]\")",
                "@@unique([tenantId, email], map: \"uq[email]\")",
            ),
            (
                "@@unique(map: \"uq[email]\", fields: [email])",
                "@@unique(map: \"uq[email]\", fields: [tenantId, email])",
            ),
            (
                "@@unique(fields: email)",
                "@@unique(fields: [tenantId, email])",
            ),
            (
                "@@index(name(sort: Desc))",
                "@@index([tenantId, name(sort: Desc)])",
            ),
            (
                "@@index([name(sort: Desc)], type: BTree)",
                "@@index([tenantId, name(sort: Desc)], type: BTree)",
            ),
        ] {
            let schema = format!(
                "{PG}model User {{\n  id       Int    @id\n  tenantId Int\n  email    String\n  name     String\n\n  {before}\n}}\n"
            );
            let out = with_ctx(&schema, |ctx| {
                let model = ctx.schema.models().next().unwrap();
                let index = model
                    .index_refs()
                    .find(|i| i.kind != IndexKind::Primary)
                    .unwrap();
                let edit = prepend_index_column(ctx, index, "tenantId").expect(before);
                apply(&schema, &edit)
            });
            assert_eq!(out, schema.replace(before, after), "{before}");
            assert_eq!(errors(&out), Vec::<String>::new(), "{out}");
        }
        // A field-level `@unique` is not a list to extend.
        let schema = format!("{PG}model User {{\n  id    Int    @id\n  email String @unique\n}}\n");
        with_ctx(&schema, |ctx| {
            let model = ctx.schema.models().next().unwrap();
            for index in model.index_refs() {
                assert!(prepend_index_column(ctx, index, "tenantId").is_none());
            }
        });
    }

    fn new_index(schema: &str, kind: IndexKind, fields: &[&str]) -> Option<String> {
        with_ctx(schema, |ctx| {
            let model = ctx.schema.models().next().unwrap();
            let fields: Vec<&Field> = fields.iter().map(|f| model.field(f).unwrap()).collect();
            index_attribute(ctx.schema, model, kind, &fields)
        })
    }

    #[test]
    fn new_indexes_get_a_name_when_the_default_would_be_cut_or_is_taken() {
        let schema = format!(
            "{PG}model Post {{\n  id       Int @id\n  authorId Int\n  editorId Int @map(\"editor\")\n\n  @@index([authorId])\n}}\n"
        );
        assert_eq!(
            new_index(&schema, IndexKind::Normal, &["editorId"]).as_deref(),
            Some("@@index([editorId])")
        );
        assert_eq!(
            new_index(&schema, IndexKind::Unique, &["authorId", "editorId"]).as_deref(),
            Some("@@unique([authorId, editorId])")
        );
        // `Post_authorId_idx` exists: a second index on the same column needs its own name.
        let taken = new_index(&schema, IndexKind::Normal, &["authorId"]).unwrap();
        assert!(
            taken.starts_with("@@index([authorId], map: \"Post_authorId_")
                && taken.ends_with("_idx\")"),
            "{taken}"
        );

        // A table name near PostgreSQL's 63-byte limit: both default names are cut to
        // `shopping_sale_snapshot_unit_stock_choices_shopping_sale_sna_idx`, which Prisma
        // rejects; the written names differ and fit.
        let table = "shopping_sale_snapshot_unit_stock_choices";
        let (c1, c2) = (
            "shopping_sale_snapshot_unit_stock_id",
            "shopping_sale_snapshot_unit_id",
        );
        assert_eq!(
            names::index_name(table, &[c1], Provider::PostgreSql),
            names::index_name(table, &[c2], Provider::PostgreSql)
        );
        let long = format!(
            "{PG}model Choice {{\n  id Int @id\n  {c1} Int\n  {c2} Int\n\n  @@map(\"{table}\")\n}}\n"
        );
        let a = new_index(&long, IndexKind::Normal, &[c1]).unwrap();
        let b = new_index(&long, IndexKind::Normal, &[c2]).unwrap();
        assert_ne!(a, b);
        for line in [&a, &b] {
            let map = line.split('"').nth(1).unwrap();
            assert!(map.len() <= 63 && map.starts_with(table), "{line}");
        }
        let both = long.replace("\n\n  @@map", &format!("\n\n  {a}\n  {b}\n  @@map"));
        assert_eq!(errors(&both), Vec::<String>::new(), "{both}");
        let defaults = long.replace(
            "\n\n  @@map",
            &format!("\n\n  @@index([{c1}])\n  @@index([{c2}])\n  @@map"),
        );
        assert!(!errors(&defaults).is_empty(), "{defaults}");
    }

    #[test]
    fn mysql_text_columns_get_a_prefix_length_in_an_index_only() {
        let schema = "datasource db {\n  provider = \"mysql\"\n}\n\nmodel Doc {\n  id    Int    @id\n  title String @db.Text\n  owner Int\n}\n";
        assert_eq!(
            new_index(schema, IndexKind::Normal, &["owner", "title"]).as_deref(),
            Some("@@index([owner, title(length: 191)])")
        );
        assert_eq!(new_index(schema, IndexKind::Unique, &["title"]), None);
        assert_eq!(new_index(schema, IndexKind::Primary, &["owner"]), None);
    }
}
