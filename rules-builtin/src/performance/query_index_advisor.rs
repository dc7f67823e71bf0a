use crate::support::app_code::{callee_span, documented_view, is_admin_code};
use crate::support::indexes::{create_index_sql, is_partial, serves_lookups};
use crate::support::schema_edit::{index_attribute, insert_member_line};
use prisma_audit_core::application::{
    Application, Direction, FileRole, Filter, FilterOp, Operation, OrderBy, Quantifier, QueryCall,
    Value, span_of,
};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{
    Field, FieldType, IndexAlgorithm, IndexKind, Model, Provider, ScalarType, Schema,
};
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};
use prisma_audit_core::span::Span;

declare_rule! {
    /// ## What it does
    /// Reads the Prisma Client calls of the application (`findMany`, `findFirst`, `count`,
    /// `aggregate`, `groupBy`, `updateMany`, `deleteMany`) and reports those no index of the
    /// schema serves: the columns the call compares for equality, then one range or the sort
    /// columns, must lead an index. Calls that want the same columns are grouped, and each
    /// model gets the fewest indexes that serve its calls (one composite serving several calls
    /// beats several single-column indexes), every call site shown as evidence.
    ///
    /// An index serves a call when its leading columns are the call's equality columns (in any
    /// order), followed by its range column or its sort columns; a unique index whose columns
    /// the call all compares for equality serves it too (one row at most). Calls by a unique
    /// key (`findUnique`, `update`, `delete`, `upsert`) always have an index. Conditions that
    /// apply only on some paths (`...(search && { ... })`), `OR`/`NOT` branches, filters on
    /// other models and text searches (`contains`) are left out (a to-one relation filtered by
    /// the key its foreign key references, `tenant: { id }`, counts as the foreign key): the index is sized for what every
    /// execution of the call filters on.
    ///
    /// By default only calls that no index narrows are reported (no index leads with any of the
    /// columns they compare for equality, or with their range or sort column when they compare
    /// none): the database then reads the whole table. Calls that an index already narrows
    /// (say to one tenant's or one user's rows) need a wider composite only when those sets are
    /// large, which the code does not tell; the `extendIndexes` option reports them too, at
    /// `low` severity. Back-office code (an `admin` folder or route) and models documented as
    /// views (`/// @view`) are left out.
    ///
    /// ## Why is this bad?
    /// Without an index that leads with the filtered columns, the database reads every row of
    /// the table (or every row of a tenant, with a tenant-only index) and sorts them, on every
    /// call: fine while the table is small, a slow page or an API timeout once it grows.
    ///
    /// ## Example
    /// ```prisma
    /// model Appointment {
    ///   id       String   @id
    ///   tenantId String
    ///   status   String
    ///   dateTime DateTime
    ///
    ///   @@index([tenantId])
    /// }
    /// ```
    /// with `prisma.appointment.findMany({ where: { tenantId, status: "SCHEDULED" }, orderBy:
    /// { dateTime: "asc" } })` gets `@@index([tenantId, status, dateTime])`.
    ///
    /// ## Fix
    /// Adds the `@@index` to the model (safe: an index changes no data). The fix's SQL builds
    /// it with `CREATE INDEX CONCURRENTLY` on PostgreSQL: put that statement alone in a
    /// hand-edited migration, because PostgreSQL cannot build an index concurrently inside the
    /// transaction Prisma Migrate runs a migration in.
    ///
    /// On PostgreSQL, string columns searched inside (`contains`, `endsWith`, or with
    /// `mode: "insensitive"`) get a `low` finding of their own: no B-tree serves such a search,
    /// a trigram GIN index (`pg_trgm`) does; the help gives the schema and migration steps.
    ///
    /// A `// prisma-audit-ignore query-index-advisor -- reason` comment above a call leaves it
    /// out. Only application code counts (tests, seeds and scripts do not), on PostgreSQL, MySQL,
    /// SQL Server, SQLite and CockroachDB. A single boolean or enum column is not proposed on
    /// its own (too few distinct values to help), nor a lone foreign key (`missing-fk-index`
    /// reports those). An index no extracted call uses is never reported as unused: raw SQL,
    /// other services and the database console may use it.
    ///
    /// ## Options
    /// - `extendIndexes` (boolean, default false): also propose composites that extend an
    ///   index the calls already use (`tenantId` → `tenantId, status, dateTime`), for projects
    ///   whose tenants or histories are large.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/indexes
    /// - https://www.postgresql.org/docs/current/indexes-multicolumn.html
    /// - https://use-the-index-luke.com/sql/where-clause/the-equals-operator/concatenated-keys
    pub struct QueryIndexAdvisor;
    id = "query-index-advisor",
    summary = "Queries in the application code that no index serves",
    category = Performance,
    severity = Medium,
    fixable = true,
    enabled = false,
}

/// What one call needs from an index.
#[derive(Debug, Clone)]
struct Need<'s> {
    /// Fields compared for equality, in the call's order.
    eq: Vec<&'s Field>,
    /// The column after them: a range, or the first of the sort columns.
    tail: Vec<&'s Field>,
    /// Where the call is, and a description of what it filters on.
    site: (Span, String),
}

/// Read operations that filter rows without a unique key.
fn filters_rows(op: Operation) -> bool {
    use Operation::*;
    matches!(
        op,
        FindFirst
            | FindFirstOrThrow
            | FindMany
            | Count
            | Aggregate
            | GroupBy
            | UpdateMany
            | UpdateManyAndReturn
            | DeleteMany
    )
}

/// The equality and range fields of a filter's parts that hold on every execution.
fn collect<'s>(
    schema: &'s Schema,
    model: &'s Model,
    filter: &Filter,
    eq: &mut Vec<&'s Field>,
    range: &mut Vec<&'s Field>,
) {
    match filter {
        Filter::And { parts } => {
            for p in parts {
                collect(schema, model, p, eq, range);
            }
        }
        Filter::Field {
            field,
            op,
            value,
            insensitive,
        } => {
            let Some(f) = model.field(field).filter(|f| f.is_scalar()) else {
                return;
            };
            // A B-tree cannot serve a case-insensitive match; JSON paths are not columns.
            if *insensitive || matches!(f.ty, FieldType::Scalar(ScalarType::Json)) {
                return;
            }
            // `endedAt: null` is an equality too (and often the selective one).
            let list = matches!(value, Value::List { len } if *len > 1);
            if op.is_equality() && !list {
                if !eq.iter().any(|e| e.id == f.id) {
                    eq.push(f);
                }
            } else if (op.is_equality() || op.is_range()) && !range.iter().any(|r| r.id == f.id) {
                range.push(f);
            }
        }
        // A compound unique selector (`userId_roleId: { userId, roleId }`).
        Filter::Relation {
            field,
            quantifier: Quantifier::Direct,
            filter,
        } if model.field(field).is_none() => {
            collect(schema, model, filter, eq, range);
        }
        // A to-one relation filtered by the key its foreign key references
        // (`block: { id }`, `workspace: { is: { id } }`): equality on the foreign key.
        Filter::Relation {
            field,
            quantifier: Quantifier::Direct | Quantifier::Is,
            filter,
        } => {
            let Some(rel) = model.field(field).filter(|f| f.is_relation()) else {
                return;
            };
            let Some(r) = schema
                .relation_of(rel.id)
                .filter(|r| r.referencing == rel.id)
            else {
                return;
            };
            let mut keys = Vec::new();
            referenced_equalities(filter, &mut keys);
            for key in keys {
                let local = r
                    .references
                    .iter()
                    .zip(&r.fields)
                    .find_map(|(remote, local)| {
                        (schema.field(*remote)?.name == key).then(|| schema.field(*local))?
                    });
                if let Some(f) = local
                    && !eq.iter().any(|e| e.id == f.id)
                {
                    eq.push(f);
                }
            }
        }
        _ => {}
    }
}

/// String fields a filter searches inside (`contains`, `endsWith`, or a case-insensitive
/// match), on every execution or only sometimes: no B-tree serves those.
fn text_searches<'s>(model: &'s Model, filter: &Filter, out: &mut Vec<&'s Field>) {
    match filter {
        Filter::And { parts } | Filter::Or { parts } => {
            for p in parts {
                text_searches(model, p, out);
            }
        }
        Filter::Maybe { filter } => text_searches(model, filter, out),
        Filter::Field {
            field,
            op,
            insensitive,
            ..
        } => {
            let searches = matches!(op, FilterOp::Contains | FilterOp::EndsWith)
                || (*insensitive && matches!(op, FilterOp::Equals | FilterOp::StartsWith));
            if let Some(f) = model.field(field)
                && searches
                && matches!(f.ty, FieldType::Scalar(ScalarType::String))
                && !out.iter().any(|o| o.id == f.id)
            {
                out.push(f);
            }
        }
        _ => {}
    }
}

/// Whether a trigram index (`type: Gin` or `Gist` with a `gin_trgm_ops`/`gist_trgm_ops`
/// operator class) covers `field`.
fn has_trigram_index(model: &Model, field: &Field) -> bool {
    model.index_refs().any(|i| {
        matches!(
            i.algorithm,
            Some(IndexAlgorithm::Gin | IndexAlgorithm::Gist)
        ) && i
            .columns()
            .any(|c| c.name == field.name.as_str() && c.ops.is_some_and(|o| o.contains("trgm")))
    })
}

/// Fields compared for equality at the top of a related model's filter.
fn referenced_equalities<'f>(filter: &'f Filter, out: &mut Vec<&'f str>) {
    match filter {
        Filter::And { parts } => {
            for p in parts {
                referenced_equalities(p, out);
            }
        }
        Filter::Field {
            field, op, value, ..
        } if op.is_equality() && !matches!(value, Value::List { len } if *len > 1) => {
            out.push(field)
        }
        _ => {}
    }
}

/// What `call` on `model` needs from an index, if anything.
fn need_of<'s>(
    schema: &'s Schema,
    model: &'s Model,
    call: &QueryCall,
    site: Span,
) -> Option<Need<'s>> {
    let args = call.args.as_ref()?;
    if args.dynamic {
        return None;
    }
    // Nothing known about the filter: whatever the code filters on, an index for the sort
    // alone would be a guess.
    if matches!(args.filter, Some(Filter::Dynamic)) {
        return None;
    }
    let (mut eq, mut range): (Vec<&Field>, Vec<&Field>) = (Vec::new(), Vec::new());
    if let Some(filter) = &args.filter {
        collect(schema, model, filter, &mut eq, &mut range);
    }
    let mut sort: Vec<(&Field, Option<Direction>)> = Vec::new();
    if let Some(OrderBy::Keys { keys }) = &args.order_by {
        for key in keys {
            match key.path.as_slice() {
                [name] => match model.field(name).filter(|f| f.is_scalar()) {
                    Some(f) => sort.push((f, key.direction)),
                    None => break,
                },
                _ => break,
            }
        }
    }
    // Sorting by a column compared for equality costs nothing.
    sort.retain(|(f, _)| !eq.iter().any(|e| e.id == f.id));
    // A B-tree reads backwards too, but not in mixed directions.
    let mixed = sort.windows(2).any(|w| w[0].1 != w[1].1);
    let tail: Vec<&Field> = match range.first() {
        Some(r) => vec![*r],
        None if !mixed => sort.iter().map(|(f, _)| *f).collect(),
        None => sort.first().map(|(f, _)| *f).into_iter().collect(),
    };
    if eq.is_empty() && tail.is_empty() {
        return None;
    }
    // A sort-only index is a guess when the filter has parts not known statically.
    if eq.is_empty() && range.is_empty() && args.filter.as_ref().is_some_and(|f| !fully_known(f)) {
        return None;
    }
    let describe = describe(call, &eq, &range, &sort);
    Some(Need {
        eq,
        tail,
        site: (site, describe),
    })
}

/// Whether every part of a filter is known statically on every execution.
fn fully_known(f: &Filter) -> bool {
    match f {
        Filter::And { parts } | Filter::Or { parts } | Filter::Not { parts } => {
            parts.iter().all(fully_known)
        }
        Filter::Relation { filter, .. } => fully_known(filter),
        Filter::Field { .. } => true,
        Filter::Maybe { .. } | Filter::Dynamic => false,
    }
}

/// "`findMany` filters on `tenantId`, `status` and sorts by `dateTime`".
fn describe(
    call: &QueryCall,
    eq: &[&Field],
    range: &[&Field],
    sort: &[(&Field, Option<Direction>)],
) -> String {
    let names = |fs: &mut dyn Iterator<Item = &str>| {
        fs.map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
    };
    let mut parts = Vec::new();
    if !eq.is_empty() {
        parts.push(format!(
            "filters on {}",
            names(&mut eq.iter().map(|f| f.name.as_str()))
        ));
    }
    if !range.is_empty() {
        parts.push(format!(
            "a range of {}",
            names(&mut range.iter().map(|f| f.name.as_str()))
        ));
    }
    if !sort.is_empty() {
        parts.push(format!(
            "sorts by {}",
            names(&mut sort.iter().map(|(f, _)| f.name.as_str()))
        ));
    }
    format!("`{}` {}", call.operation.as_str(), parts.join(", "))
}

/// Whether the index columns `cols` serve `need`.
fn serves(cols: &[&str], unique: bool, need: &Need<'_>) -> bool {
    let is_eq = |c: &str| need.eq.iter().any(|f| f.name == c);
    if unique && !cols.is_empty() && cols.iter().all(|c| is_eq(c)) {
        return true;
    }
    let k = cols.iter().take_while(|c| is_eq(c)).count();
    if k < need.eq.len() {
        return false;
    }
    need.tail
        .iter()
        .zip(cols[k..].iter().chain(std::iter::repeat(&"")))
        .all(|(f, c)| f.name == *c)
}

/// Whether an existing index of `model` serves `need`.
fn served(ctx: &RuleContext<'_>, model: &Model, need: &Need<'_>) -> bool {
    model.index_refs().any(|i| {
        serves_lookups(&i) && !is_partial(ctx, &i) && {
            let cols: Vec<&str> = i.column_names().collect();
            serves(&cols, i.is_unique(), need)
        }
    })
}

/// An existing index that leads with one of the call's equality columns (or, without any, its
/// first range or sort column): the call already reads a subset of the table through it.
fn narrowed_by<'m>(
    model: &'m Model,
    need: &Need<'_>,
) -> Option<prisma_audit_core::model::IndexRef<'m>> {
    let leads = |c: &str| match need.eq.is_empty() {
        false => need.eq.iter().any(|f| f.name == c),
        true => need.tail.first().is_some_and(|f| f.name == c),
    };
    model
        .index_refs()
        .filter(|i| serves_lookups(i))
        .find(|i| i.column_names().next().is_some_and(leads))
}

/// The existing index that serves the longest prefix of `proposal`, for the evidence.
fn best_existing(model: &Model, proposal: &[&Field]) -> Option<(Span, usize)> {
    model
        .index_refs()
        .filter(|i| serves_lookups(i))
        .map(|i| {
            let n = i
                .column_names()
                .zip(proposal)
                .take_while(|(c, f)| *c == f.name.as_str())
                .count();
            (i.span, n)
        })
        .filter(|(_, n)| *n > 0)
        .max_by_key(|(_, n)| *n)
}

/// A column whose values are too few to make it worth an index of its own.
fn low_cardinality(f: &Field) -> bool {
    matches!(
        f.ty,
        FieldType::Enum(_) | FieldType::Scalar(ScalarType::Boolean)
    )
}

/// Whether `f` is part of a foreign key of `model`.
fn is_foreign_key(schema: &Schema, model: &Model, f: &Field) -> bool {
    model
        .relation_fields()
        .any(|r| schema.fk_fields(r.id).contains(&f.id))
}

/// One proposed index and the calls it serves.
struct Proposal<'s> {
    columns: Vec<&'s Field>,
    sites: Vec<(Span, String)>,
}

/// Options of `query-index-advisor`.
#[derive(Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// Also propose composites that extend an index the calls already use (`tenantId` →
    /// `tenantId, status, dateTime`): worth it on large tables (big tenants, long histories).
    #[serde(default)]
    extend_indexes: bool,
}

impl prisma_audit_core::rule::RuleOptions for Options {}

impl Rule for QueryIndexAdvisor {
    prisma_audit_core::rule_options!(Options);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        let provider = match schema.provider() {
            Some(Provider::MongoDb) | None => return,
            Some(p) => p,
        };
        let options: Options = ctx.options();
        let app: std::rc::Rc<Application> = ctx.application();
        if !app.has_calls() {
            return;
        }
        // Text searched with `contains`/case-insensitive matches: (model, field, call sites).
        let mut searches: Vec<(&Model, &Field, Vec<Span>)> = Vec::new();
        // Needs per model, in model order.
        let mut needs: Vec<(&Model, Vec<Need<'_>>)> = Vec::new();
        for (file, call) in app.calls() {
            if file.queries.role != FileRole::App || !filters_rows(call.operation) {
                continue;
            }
            let Some(model) = call.model.as_deref().and_then(|m| schema.model(m)) else {
                continue;
            };
            if model.is_view || model.is_ignored() || documented_view(model) {
                continue;
            }
            if is_admin_code(ctx.project.file(file.file).map_or("", |f| f.path())) {
                continue;
            }
            let site = callee_span(ctx, file.file, call);
            if ctx.suppressed(Self::META.id, span_of(file.file, call.span)) {
                continue;
            }
            if provider == Provider::PostgreSql
                && let Some(filter) = call.args.as_ref().and_then(|a| a.filter.as_ref())
            {
                let mut fields = Vec::new();
                text_searches(model, filter, &mut fields);
                for f in fields.into_iter().filter(|f| !has_trigram_index(model, f)) {
                    match searches.iter_mut().find(
                        |(m, g, _): &&mut (&Model, &Field, Vec<Span>)| {
                            m.id == model.id && g.id == f.id
                        },
                    ) {
                        Some((_, _, sites)) => sites.push(site),
                        None => searches.push((model, f, vec![site])),
                    }
                }
            }
            let Some(need) = need_of(schema, model, call, site) else {
                continue;
            };
            if served(ctx, model, &need) {
                continue;
            }
            // An index already narrows the rows: extending it is worth it only on large
            // tables, which the code does not tell (the `extendIndexes` option opts in).
            if !options.extend_indexes && narrowed_by(model, &need).is_some() {
                continue;
            }
            let columns: Vec<&Field> = need.eq.iter().chain(&need.tail).copied().collect();
            if let [only] = columns.as_slice()
                && (low_cardinality(only) || is_foreign_key(schema, model, only))
            {
                continue;
            }
            match needs.iter_mut().find(|(m, _)| m.id == model.id) {
                Some((_, list)) => list.push(need),
                None => needs.push((model, vec![need])),
            }
        }
        for (model, list) in needs {
            for p in proposals(list) {
                out.push(finding(ctx, provider, model, p));
            }
        }
        for (model, field, sites) in searches {
            out.push(trigram_finding(model, field, &sites));
        }
    }
}

/// The finding for text searches no index can serve on PostgreSQL: a trigram GIN index can.
fn trigram_finding(model: &Model, field: &Field, sites: &[Span]) -> RawFinding {
    let calls = match sites.len() {
        1 => "1 query".to_string(),
        n => format!("{n} queries"),
    };
    let (table, column) = (model.db_name(), field.db_name());
    let mut f = RawFinding::new(
        format!("{}.{}(trgm)", model.name, field.name),
        format!(
            "`{}.{}` is searched inside (`contains`, `endsWith` or `mode: \"insensitive\"`) by \
             {calls} of the application; no B-tree index can serve that, a trigram index can",
            model.name, field.name
        ),
    )
    .at(field.name_span)
    .help(format!(
        "A `LIKE '%term%'` or case-insensitive match is checked on every row the other \
         conditions leave (the whole table without them). With the \
         `pg_trgm` extension a GIN index serves it: enable the `postgresqlExtensions` preview \
         feature, add `extensions = [pg_trgm]` to the datasource and \
         `@@index([{}(ops: raw(\"gin_trgm_ops\"))], type: Gin)` to `{}`; the migration needs \
         `CREATE EXTENSION IF NOT EXISTS pg_trgm;` before \
         `CREATE INDEX CONCURRENTLY \"{table}_{column}_trgm_idx\" ON \"{table}\" USING gin \
         (\"{column}\" gin_trgm_ops);` (alone in its migration). Not worth it on small tables.",
        field.name, model.name
    ))
    .severity(prisma_audit_core::finding::Severity::Low);
    for site in sites {
        f = f.related(*site, "searches here");
    }
    f
}

/// The fewest indexes that serve every need of one model: equality columns ordered by how many
/// needs share them (selective columns before flags, enums and nullable columns such as a
/// soft-delete timestamp, which most rows share), then each need joins the first proposal
/// that serves it.
fn proposals(mut needs: Vec<Need<'_>>) -> Vec<Proposal<'_>> {
    let mut freq: Vec<(&str, usize)> = Vec::new();
    for n in &needs {
        for f in &n.eq {
            match freq.iter_mut().find(|(c, _)| *c == f.name.as_str()) {
                Some((_, k)) => *k += 1,
                None => freq.push((f.name.as_str(), 1)),
            }
        }
    }
    let class = |f: &Field| match () {
        _ if low_cardinality(f) => 1,
        _ if f.arity == prisma_audit_core::model::Arity::Optional => 2,
        _ => 0,
    };
    let rank = |f: &Field| {
        let (shared, first) = freq
            .iter()
            .position(|(c, _)| *c == f.name.as_str())
            .map_or((usize::MAX, usize::MAX), |i| (usize::MAX - freq[i].1, i));
        (class(f), shared, first)
    };
    for n in &mut needs {
        n.eq.sort_by_key(|f| rank(f));
    }
    // Widest needs first, so narrower ones can join them.
    needs.sort_by_key(|n| std::cmp::Reverse(n.eq.len() + n.tail.len()));
    let mut out: Vec<Proposal<'_>> = Vec::new();
    for n in needs {
        let host = out.iter_mut().find(|p| {
            let cols: Vec<&str> = p.columns.iter().map(|f| f.name.as_str()).collect();
            serves(&cols, false, &n)
        });
        match host {
            Some(p) => p.sites.push(n.site),
            None => out.push(Proposal {
                columns: n.eq.iter().chain(&n.tail).copied().collect(),
                sites: vec![n.site],
            }),
        }
    }
    for p in &mut out {
        p.sites.sort_by_key(|(s, _)| (s.file, s.range.start()));
    }
    out
}

fn finding(
    ctx: &RuleContext<'_>,
    provider: Provider,
    model: &Model,
    p: Proposal<'_>,
) -> RawFinding {
    let schema = ctx.schema;
    let cols: Vec<&str> = p.columns.iter().map(|f| f.name.as_str()).collect();
    let list = cols.join(", ");
    let calls = match p.sites.len() {
        1 => "1 query".to_string(),
        n => format!("{n} queries"),
    };
    let existing = best_existing(model, &p.columns);
    let message = match existing {
        Some((_, n)) => format!(
            "No index of `{}` serves {calls} of the application: the best one covers only `{}`; \
             `@@index([{list}])` would serve them",
            model.name,
            cols[..n].join(", ")
        ),
        None => format!(
            "No index of `{}` serves {calls} of the application: add `@@index([{list}])`",
            model.name
        ),
    };
    let mut f = RawFinding::new(format!("{}({list})", model.name), message)
        .at(model.name_span)
        .help(
            "Each call below reads the table through these columns; without an index that \
             leads with them the database scans the table (or a whole tenant) and sorts the \
             rows on every call. Equality columns come first, then the range or sort column. \
             If the table stays small (a few thousand rows), an index is not needed.",
        );
    if let Some((span, _)) = existing {
        f = f.related(span, "the closest existing index");
    }
    for (span, what) in &p.sites {
        f = f.related(*span, what.clone());
    }
    if existing.is_some() {
        f = f.severity(prisma_audit_core::finding::Severity::Low);
    }
    if let Some(attr) = index_attribute(schema, model, IndexKind::Normal, &p.columns)
        && let Some(edit) = insert_member_line(ctx, model, &attr)
    {
        let db_cols: Vec<&str> = p.columns.iter().map(|f| f.db_name()).collect();
        let sql = create_index_sql(provider, model.db_name(), &db_cols, None);
        f = f.fix(RawFix {
            title: format!("Add `{attr}` to `{}`", model.name),
            safety: FixSafety::Safe,
            edits: vec![edit],
            sql,
        });
    }
    f
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};
    use serde_json::json;

    const ID: &str = "query-index-advisor";

    const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
}

enum Status {
  SCHEDULED
  DONE
}

model Tenant {
  id           String        @id
  appointments Appointment[]
}

model Appointment {
  id       String   @id
  tenantId String
  tenant   Tenant   @relation(fields: [tenantId], references: [id])
  status   Status
  dateTime DateTime
  notes    String?

  @@index([tenantId])
}
"#;

    fn app(code: &str) -> Case {
        Case::files(&[
            ("prisma/schema.prisma", SCHEMA),
            ("src/lib/appointments.ts", code),
        ])
    }

    fn with_index(index: &str, code: &str) -> Case {
        let schema = SCHEMA.replace("@@index([tenantId])", index);
        Case::files(&[
            ("prisma/schema.prisma", &schema),
            ("src/lib/appointments.ts", code),
        ])
    }

    const UPCOMING: &str = r#"import { prisma } from "@/lib/prisma";
export function upcoming(tenantId: string, from: Date) {
  return prisma.appointment.findMany({
    where: { tenantId, status: "SCHEDULED", dateTime: { gte: from } },
    orderBy: { dateTime: "asc" },
  });
}
export function countScheduled(tenantId: string) {
  return prisma.appointment.count({ where: { tenantId, status: "SCHEDULED" } });
}
"#;

    const BY_DATE: &str = r#"import { prisma } from "@/lib/prisma";
export const recent = () => prisma.appointment.findMany({ orderBy: { dateTime: "desc" }, take: 20 });
"#;

    /// A suppression in application code that covers no reported call is stale.
    #[test]
    fn stale_suppressions_in_code_are_reported() {
        use prisma_audit_core::config::Config;
        use prisma_audit_core::{AuditOptions, audit};
        let code = "// prisma-audit-ignore query-index-advisor\nprisma.appointment.findUnique({ where: { id } });\nprisma.appointment.findMany({ orderBy: { dateTime: \"desc\" } }); // prisma-audit-ignore query-index-advisor\n";
        let project = prisma_audit_core::Project::from_files(
            "t",
            [("prisma/schema.prisma", SCHEMA), ("src/a.ts", code)],
        );
        let config = Config {
            select: Some(vec![ID.into(), "unused-suppression".into()]),
            ..Config::default()
        };
        let report = audit(
            &project,
            &AuditOptions {
                config,
                ..AuditOptions::default()
            },
        )
        .unwrap();
        let found: Vec<(&str, &str, u32)> = report
            .findings
            .iter()
            .map(|f| {
                let l = f.location.as_ref().unwrap();
                (f.rule.as_str(), l.file.as_str(), l.start.line)
            })
            .collect();
        // Line 1 covers a unique-key call (never reported): stale. Line 3 covers its own call.
        assert_eq!(
            found,
            [("unused-suppression", "src/a.ts", 1)],
            "{report:#?}"
        );
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                // An index leads with the equality columns, then the range column.
                with_index("@@index([status, tenantId, dateTime])", UPCOMING),
                // The tenant index already narrows the rows (composites only on request).
                app(UPCOMING),
                // Back-office code.
                Case::files(&[
                    ("prisma/schema.prisma", SCHEMA),
                    ("src/app/admin/page.ts", BY_DATE),
                ]),
                // By primary key, with the tenant as an extra check: one row at most.
                app(r#"prisma.appointment.findFirst({ where: { id: "a", tenantId: "t" } });"#),
                // Only the tenant: the tenant index serves it.
                app("prisma.appointment.findMany({ where: { tenantId: t } });"),
                // A lone enum column is not worth an index of its own.
                app(r#"prisma.appointment.count({ where: { status: "DONE" } });"#),
                // Arguments not known statically, a test file, a unique-key call.
                app("prisma.appointment.findMany(args);"),
                Case::files(&[
                    ("prisma/schema.prisma", SCHEMA),
                    ("src/appointments.test.ts", UPCOMING),
                ]),
                app(r#"prisma.appointment.findUnique({ where: { id: "a" } });"#),
                // A filter through the tenant relation is an equality on `tenantId`, which the
                // tenant index narrows.
                app("prisma.appointment.findMany({ where: { tenant: { id: t }, dateTime: { gte: d } } });"),
                // A suppression comment above the call leaves it out.
                app(&BY_DATE.replace(
                    "export const recent",
                    "// prisma-audit-ignore query-index-advisor -- a nightly report\nexport const recent",
                )),
                // Conditions added only on some paths do not count.
                app(
                    "prisma.appointment.findMany({ where: { tenantId: t, ...(s && { status: s }) } });"
                ),
            ],
            &[
                // No index leads with `status` or `dateTime`.
                app(
                    r#"prisma.appointment.findMany({ where: { status: "DONE", dateTime: { lt: d } } });"#
                ),
                app(BY_DATE),
                // The tenant index narrows the rows; the composite is proposed on request.
                app(UPCOMING).options(json!({ "extendIndexes": true })),
                // A nullable column compared with null goes after the enum.
                app(r#"prisma.appointment.findMany({ where: { notes: null, status: "DONE" }, orderBy: { dateTime: "asc" } });"#),
                // A search inside a text column: only a trigram index serves it.
                app(r#"prisma.appointment.findMany({ where: { tenantId: t, notes: { contains: q, mode: "insensitive" } } });"#),
            ],
        ));
    }
}
