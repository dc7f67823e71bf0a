//! Helpers of the rules that judge the application's Prisma Client calls: where a call is, which
//! code is back-office, which models grow.

use crate::support::model_roles::is_lookup_model;
use prisma_audit_core::application::{
    ByteSpan, Filter, FilterOp, QueryArgs, QueryCall, SelectItem, Value, span_of,
};
use prisma_audit_core::model::{Field, FieldType, Model, Schema};
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

/// Options of the rules that judge whether a model grows: `{ "smallModels": ["Plan"] }`.
#[derive(Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct SmallModels {
    /// Models whose tables stay small.
    #[serde(default)]
    pub small_models: Vec<String>,
}

impl prisma_audit_core::rule::RuleOptions for SmallModels {}

/// A relation a query loads with `include` or a nested `select`.
pub(crate) struct LoadedRelation<'s, 'a> {
    /// The `include`/`select` entry.
    pub item: &'a SelectItem,
    /// The relation field.
    pub field: &'s Field,
    /// The related model.
    pub target: &'s Model,
}

/// The relations `args` loads directly (its `include`, then its `select`), resolved against
/// `model`.
pub(crate) fn loaded_relations<'s, 'a>(
    schema: &'s Schema,
    model: &'s Model,
    args: &'a QueryArgs,
) -> impl Iterator<Item = LoadedRelation<'s, 'a>> {
    [&args.include, &args.select]
        .into_iter()
        .flatten()
        .flat_map(|sel| &sel.items)
        .filter_map(move |item| {
            let field = model.field(&item.field)?;
            let FieldType::Model(target) = field.ty else {
                return None;
            };
            let target = schema.model_by_id(target)?;
            Some(LoadedRelation {
                item,
                field,
                target,
            })
        })
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
        || small.iter().any(|s| *s == model.name))
}

/// Folder names of background work: cron jobs, queue workers, one-off data scripts. Code there
/// runs on purpose across tenants and off the request path.
const BACKGROUND_DIRS: &[&str] = &[
    "cron",
    "crons",
    "cronjob",
    "cronjobs",
    "jobs",
    "job",
    "workers",
    "worker",
    "queue",
    "queues",
    "trigger",
    "tasks",
    "migrations",
];

/// Whether the file is background work (see [`BACKGROUND_DIRS`], and `*-scripts` folders such
/// as `migration-scripts`).
pub(crate) fn is_background_code(path: &str) -> bool {
    let dirs: Vec<&str> = path.split('/').collect();
    dirs[..dirs.len().saturating_sub(1)].iter().any(|d| {
        let d = d.to_ascii_lowercase();
        BACKGROUND_DIRS.contains(&d.as_str()) || d.ends_with("-scripts") || d.ends_with("_scripts")
    })
}

/// The top-level conditions of a filter (the parts of an `AND`, or the filter itself).
pub(crate) fn conjuncts(filter: &Filter) -> &[Filter] {
    match filter {
        Filter::And { parts } => parts,
        other => std::slice::from_ref(other),
    }
}

/// Whether `filter` selects the children of one parent row: an equality on a foreign-key
/// column that is not the tenant key (`where: { postId }`, `where: { orderId: id }`).
pub(crate) fn children_of_one_parent(
    schema: &Schema,
    model: &Model,
    filter: &Filter,
    is_tenant_key: &dyn Fn(&str) -> bool,
) -> bool {
    conjuncts(filter).iter().any(|p| match p {
        Filter::Field {
            field,
            op: FilterOp::Equals,
            value,
            ..
        } if !matches!(value, Value::Null) => {
            !is_tenant_key(field)
                && model
                    .field(field)
                    .is_some_and(|f| schema.relations_using_scalar(f.id).next().is_some())
        }
        _ => false,
    })
}

/// Whether `filter` anywhere compares a field `in` a list the code computes (a batch).
pub(crate) fn has_computed_in(filter: &Filter) -> bool {
    match filter {
        Filter::Field {
            op: FilterOp::In,
            value: Value::Dynamic,
            ..
        } => true,
        Filter::And { parts } | Filter::Or { parts } | Filter::Not { parts } => {
            parts.iter().any(has_computed_in)
        }
        Filter::Relation { filter, .. } | Filter::Maybe { filter } => has_computed_in(filter),
        _ => false,
    }
}

/// Whether `filter` always searches text (`contains`, `startsWith`, `search`), not only when
/// a condition holds.
pub(crate) fn searches_text(filter: &Filter) -> bool {
    match filter {
        Filter::Field { op, .. } => matches!(
            op,
            FilterOp::Contains | FilterOp::StartsWith | FilterOp::EndsWith | FilterOp::Search
        ),
        Filter::And { parts } | Filter::Or { parts } | Filter::Not { parts } => {
            parts.iter().any(searches_text)
        }
        Filter::Relation { filter, .. } => searches_text(filter),
        // An optional search box: the list is also shown without it.
        Filter::Maybe { .. } | Filter::Dynamic => false,
    }
}

/// Whether a name folds (case and `_` ignored) to one of the default tenant keys.
pub(crate) fn default_tenant_key(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    crate::support::tenancy::DEFAULT_TENANT_KEYS
        .iter()
        .any(|k| k.to_ascii_lowercase() == folded)
}

#[cfg(test)]
mod tests {
    #[test]
    fn background_code_by_folder() {
        assert!(super::is_background_code("src/cron/cleanup.ts"));
        assert!(super::is_background_code("migration-scripts/backfill.ts"));
        assert!(super::is_background_code("apps/api/src/workers/email.ts"));
        assert!(!super::is_background_code("src/lib/jobs.ts"));
        assert!(!super::is_background_code("src/app/api/route.ts"));
    }
}
