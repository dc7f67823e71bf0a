//! Text edits on schema files for fixes: precise insertions that keep the user's layout
//! (indentation, comments, line endings) and that `prisma format` would leave alone apart from
//! column alignment.

use prisma_audit_core::model::{Field, Model, Schema};
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
