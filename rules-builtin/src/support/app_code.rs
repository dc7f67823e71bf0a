//! Helpers of the rules that judge the application's Prisma Client calls: where a call is, which
//! code is back-office, which models grow.

use crate::support::model_roles::is_lookup_model;
use prisma_audit_core::application::{ByteSpan, QueryCall, span_of};
use prisma_audit_core::model::{Model, Schema};
use prisma_audit_core::rule::RuleContext;
use prisma_audit_core::span::{FileId, Span};

/// Whether the file is back-office code (an `admin` folder, route or file), where queries are
/// rare and run by trusted staff.
pub(crate) fn is_admin_code(path: &str) -> bool {
    path.split(['/', '.', '_', '-'])
        .any(|part| part.eq_ignore_ascii_case("admin") || part.eq_ignore_ascii_case("backoffice"))
}

/// The call's callee (`prisma.appointment.findMany`), shorter than the whole call for a label.
pub(crate) fn callee_span(ctx: &RuleContext<'_>, file: FileId, call: &QueryCall) -> Span {
    let text = ctx.text(file);
    let (start, end) = (call.span.start as usize, call.span.end as usize);
    let op = call.operation.as_str();
    let callee_end = text
        .get(start..end)
        .and_then(|t| t.find(&format!("{op}(")).or_else(|| t.find(op)))
        .map_or(call.span.end, |i| (start + i + op.len()) as u32);
    span_of(
        file,
        ByteSpan {
            start: call.span.start,
            end: callee_end,
        },
    )
}

/// A model documented as a database view (`/// @view`) without being declared as one.
pub(crate) fn documented_view(model: &Model) -> bool {
    model.doc.as_deref().is_some_and(|d| d.contains("@view"))
}

/// Whether rows of `model` accumulate with use: not a view, not ignored, not small reference
/// data (see [`is_lookup_model`]), and not named in `small` (a configured list).
pub(crate) fn grows(schema: &Schema, model: &Model, small: &[String]) -> bool {
    !(model.is_view
        || model.is_ignored()
        || documented_view(model)
        || is_lookup_model(schema, model)
        || small.iter().any(|s| s == &model.name))
}
