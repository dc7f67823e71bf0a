use crate::support::app_code::callee_span;
use prisma_audit_core::application::{Filter, Operation, QueryCall};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::live::LiveQuery;
use prisma_audit_core::model::Model;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use std::collections::BTreeSet;

declare_rule! {
    /// ## What it does
    /// With a live database (`--database-url`) that has `pg_stat_statements`, reports the
    /// statements on the schema's tables that take the most time: each that used 10 % or more
    /// of the database's total query time, or 100 ms or more per call on average (at most
    /// five). It names the model, the columns the statement filters on and its cost, and points
    /// at the Prisma Client calls in the application's code that match it: same model, same
    /// kind of operation and the same filtered fields. Several matches are shown as related
    /// locations.
    ///
    /// Information for statements that are only a large share of the time, medium for a
    /// statement that takes 100 ms or more per call. Silent without a live database or without
    /// `pg_stat_statements`.
    ///
    /// ## Why is this bad?
    /// `pg_stat_statements` knows which statements cost the most, but not which line of the
    /// application sends them. Prisma's generated SQL is hard to trace back by hand, which is
    /// why the hot spots of a database often stay unknown to the team that owns the code.
    ///
    /// ## Example
    /// ```text
    /// SELECT ... FROM "public"."Appointment" WHERE ("tenantId" = $1 AND "status" = $2) ...
    ///   41 % of query time, 120,000 calls, mean 6.2 ms   → src/lib/appointments.ts:18
    /// ```
    ///
    /// ## Fix
    /// Check that the call's filter has an index (`query-index-advisor` suggests one), that it
    /// does not run in a loop (`n-plus-one-query`), that it selects only the fields it uses, and
    /// whether its result can be cached.
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/pgstatstatements.html
    /// - https://www.prisma.io/docs/orm/prisma-client/queries/query-optimization-performance
    pub struct ExpensiveQuery;
    id = "expensive-query",
    summary = "The statements that take the most time in the live database, traced to their Prisma Client calls",
    category = Performance,
    severity = Info,
    fixable = false,
    enabled = true,
}

/// The statement's kind, from its first word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Select,
    Insert,
    Update,
    Delete,
}

fn kind_of(sql: &str) -> Option<Kind> {
    let first = sql.split_whitespace().next()?.to_ascii_uppercase();
    Some(match first.as_str() {
        "SELECT" | "WITH" => Kind::Select,
        "INSERT" => Kind::Insert,
        "UPDATE" => Kind::Update,
        "DELETE" => Kind::Delete,
        _ => return None,
    })
}

fn op_kind(op: Operation) -> Option<Kind> {
    use Operation::*;
    Some(match op {
        FindUnique | FindUniqueOrThrow | FindFirst | FindFirstOrThrow | FindMany | Count
        | Aggregate | GroupBy => Kind::Select,
        Create | CreateMany | CreateManyAndReturn => Kind::Insert,
        Update | UpdateMany | UpdateManyAndReturn | Upsert => Kind::Update,
        Delete | DeleteMany => Kind::Delete,
        _ => return None,
    })
}

/// The identifier that starts `s` (`"public"."Pet"` → `Pet`, `"Pet"` → `Pet`).
fn leading_table(s: &str) -> Option<String> {
    let mut rest = s.trim_start();
    let mut last = None;
    while let Some(r) = rest.strip_prefix('"') {
        let end = r.find('"')?;
        last = Some(r[..end].to_string());
        rest = &r[end + 1..];
        match rest.strip_prefix('.') {
            Some(r) => rest = r,
            None => break,
        }
    }
    last
}

/// The table the statement reads or writes.
fn table_of(sql: &str, kind: Kind) -> Option<String> {
    let upper = sql.to_ascii_uppercase();
    let key = match kind {
        Kind::Select | Kind::Delete => " FROM ",
        Kind::Insert => "INSERT INTO ",
        Kind::Update => "UPDATE ",
    };
    let at = upper.find(key)? + key.len();
    leading_table(&sql[at..])
}

/// The columns the statement's `WHERE` compares (`"Pet"."tenantId" = $1` → `tenantId`).
fn where_columns(sql: &str) -> BTreeSet<String> {
    let upper = sql.to_ascii_uppercase();
    let Some(at) = upper.find(" WHERE ") else {
        return BTreeSet::new();
    };
    let clause = &sql[at + 7..];
    let end = ["ORDER BY", "LIMIT", "OFFSET", "RETURNING", "GROUP BY"]
        .iter()
        .filter_map(|k| clause.to_ascii_uppercase().find(k))
        .min()
        .unwrap_or(clause.len());
    let clause = &clause[..end];
    let mut out = BTreeSet::new();
    let mut rest = clause;
    while let Some(q) = rest.find('"') {
        let after = &rest[q + 1..];
        let Some(close) = after.find('"') else { break };
        let ident = &after[..close];
        let tail = after[close + 1..].trim_start();
        if !tail.starts_with('.') {
            let compared = [
                "=", "<", ">", "IN ", "IN(", "LIKE", "ILIKE", "IS ", "NOT ", "<>", "!=",
            ]
            .iter()
            .any(|op| tail.to_ascii_uppercase().starts_with(op));
            if compared {
                out.insert(ident.to_string());
            }
        }
        rest = &after[close + 1..];
    }
    out
}

/// The database columns a call's `where` compares directly (not through relations).
fn filter_columns(model: &Model, filter: &Filter, out: &mut BTreeSet<String>) {
    match filter {
        Filter::And { parts } | Filter::Or { parts } | Filter::Not { parts } => {
            for p in parts {
                filter_columns(model, p, out);
            }
        }
        Filter::Field { field, .. } => {
            if let Some(f) = model.scalar_fields().find(|f| f.name.as_str() == field) {
                out.insert(f.db_name().to_string());
            }
        }
        Filter::Maybe { filter } => filter_columns(model, filter, out),
        _ => {}
    }
}

fn call_columns(model: &Model, call: &QueryCall) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if let Some(f) = call.args.as_ref().and_then(|a| a.filter.as_ref()) {
        filter_columns(model, f, &mut out);
    }
    out
}

fn duration(us: i64) -> String {
    if us >= 1_000_000 {
        format!("{:.1} s", us as f64 / 1e6)
    } else {
        format!("{:.1} ms", us as f64 / 1e3)
    }
}

impl Rule for ExpensiveQuery {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(live) = ctx.live else { return };
        let Some(queries) = &live.top_queries else {
            return;
        };
        let total = live.total_query_time_ms.max(1);
        let app = ctx.application();
        let mut reported = 0;
        for q in queries {
            if reported == 5 {
                break;
            }
            let share = q.total_time_ms as f64 / total as f64;
            if share < 0.10 && q.mean_time_us < 100_000 {
                continue;
            }
            let Some(kind) = kind_of(&q.query) else {
                continue;
            };
            let Some(table) = table_of(&q.query, kind) else {
                continue;
            };
            let Some(model) = ctx.schema.models().find(|m| m.db_name() == table) else {
                continue;
            };
            reported += 1;
            out.push(finding(ctx, &app, q, kind, model, share));
        }
    }
}

fn finding(
    ctx: &RuleContext<'_>,
    app: &prisma_audit_core::application::Application,
    q: &LiveQuery,
    kind: Kind,
    model: &Model,
    share: f64,
) -> RawFinding {
    let columns = where_columns(&q.query);
    // Calls of the model and kind, the ones filtering on exactly these columns first.
    let mut matches: Vec<(bool, prisma_audit_core::span::Span)> = app
        .calls()
        .filter(|(_, c)| {
            c.model.as_deref() == Some(model.name.as_str()) && op_kind(c.operation) == Some(kind)
        })
        .filter_map(|(f, c)| {
            let cols = call_columns(model, c);
            let exact = cols == columns;
            (exact || (!columns.is_empty() && columns.is_subset(&cols)))
                .then(|| (exact, callee_span(ctx, f.file, c)))
        })
        .collect();
    matches.sort_by_key(|(exact, _)| !*exact);
    let what = match kind {
        Kind::Select => "Reads of",
        Kind::Insert => "Inserts into",
        Kind::Update => "Updates of",
        Kind::Delete => "Deletes from",
    };
    let filter = if columns.is_empty() {
        String::new()
    } else {
        format!(
            " filtering on {}",
            columns
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let message = format!(
        "{what} `{}`{filter} take {:.0} % of the database's query time: {} calls, mean {}",
        model.name,
        share * 100.0,
        crate::support::live::group(q.calls),
        duration(q.mean_time_us)
    );
    let help = if matches.is_empty() {
        "No Prisma Client call in the project's code matches it (raw SQL, another service, or code outside the project). Check that its filter has an index and whether its result can be cached.".to_string()
    } else {
        "The matching Prisma Client call is shown (others as related locations). Check that its filter has an index (`query-index-advisor`), that it does not run in a loop (`n-plus-one-query`), that it selects only what it uses, and whether its result can be cached.".to_string()
    };
    let slow = q.mean_time_us >= 100_000;
    let anchor = format!(
        "{}|{kind:?}|{}",
        model.name,
        columns.iter().cloned().collect::<Vec<_>>().join(",")
    );
    let mut f = RawFinding::new(anchor, message)
        .severity(if slow {
            Severity::Medium
        } else {
            Severity::Info
        })
        .help(help);
    let mut spans = matches.into_iter().map(|(_, s)| s);
    if let Some(first) = spans.next() {
        f = f.at(first);
    }
    for s in spans.take(5) {
        f = f.related(s, "also sends this statement");
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::test_util::{Case, live, table};

    const ID: &str = "expensive-query";

    const SCHEMA: &str = "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel Appointment {\n  id       String @id\n  tenantId String\n  status   String @map(\"state\")\n}\n";
    const CODE: &str = "import { prisma } from './db';\nexport const open = (tenantId: string) =>\n  prisma.appointment.findMany({ where: { tenantId, status: 'OPEN' } });\nexport const one = (id: string) => prisma.appointment.findUnique({ where: { id } });\n";
    const SQL: &str = "SELECT \"public\".\"Appointment\".\"id\", \"public\".\"Appointment\".\"tenantId\" FROM \"public\".\"Appointment\" WHERE (\"public\".\"Appointment\".\"tenantId\" = $1 AND \"public\".\"Appointment\".\"state\" = $2) OFFSET $3";

    fn db(total_ms: i64, mean_us: i64) -> Case {
        let mut snap = live(Vec::new());
        snap.total_query_time_ms = 10_000;
        snap.top_queries = Some(vec![LiveQuery {
            query: SQL.into(),
            calls: 120_000,
            total_time_ms: total_ms,
            mean_time_us: mean_us,
            rows: 500_000,
        }]);
        Case::files(&[
            ("prisma/schema.prisma", SCHEMA),
            ("src/appointments.ts", CODE),
        ])
        .live(snap)
    }

    #[test]
    fn statements_are_parsed_like_prisma_writes_them() {
        assert_eq!(kind_of(SQL), Some(Kind::Select));
        assert_eq!(table_of(SQL, Kind::Select).as_deref(), Some("Appointment"));
        assert_eq!(
            where_columns(SQL).into_iter().collect::<Vec<_>>(),
            ["state", "tenantId"]
        );
        let update = "UPDATE \"public\".\"Pet\" SET \"name\" = $1 WHERE (\"public\".\"Pet\".\"id\" = $2 AND 1=1) RETURNING \"public\".\"Pet\".\"id\"";
        assert_eq!(table_of(update, Kind::Update).as_deref(), Some("Pet"));
        assert_eq!(
            where_columns(update).into_iter().collect::<Vec<_>>(),
            ["id"]
        );
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                // A small share of the time, fast.
                db(300, 2_500),
            ],
            &[db(4_100, 6_200), db(300, 250_000)],
        ));
    }
}
