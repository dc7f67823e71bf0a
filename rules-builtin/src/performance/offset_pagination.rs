use crate::support::app_code::{
    SmallModels, callee_span, children_of_one_parent, default_tenant_key, grows, is_admin_code,
    is_background_code, searches_text,
};
use prisma_audit_core::application::{ByteSpan, FileRole, Operation, OrderBy, Value, span_of};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports `findMany` calls that page with a computed `skip` (`skip: (page - 1) *
    /// pageSize`) on a model that grows, and names the cursor and index that replace it.
    ///
    /// Silent for a constant `skip` (`skip: 1` after a cursor), for models that do not grow
    /// (reference data, views, the `smallModels` option), for the children of one parent row
    /// (`where: { postId }`: one post's comments) and for text searches (`contains`), which
    /// are short lists nobody pages deep into, in back-office code (`admin` folders, routes or
    /// files) and background work (`cron`, `jobs`, `workers`, `*-scripts` folders), and
    /// outside application code.
    ///
    /// ## Why is this bad?
    /// `OFFSET n` makes the database read and throw away `n` rows before it returns a page:
    /// page 1,000 of 50 rows reads 50,000. Deep pages get slower as the table grows, and rows
    /// inserted between two requests shift the pages (a row shown twice or never).
    ///
    /// ## Example
    /// ```ts
    /// prisma.sale.findMany({ skip: (page - 1) * 50, take: 50, orderBy: { createdAt: "desc" } });
    /// ```
    ///
    /// ## Fix
    /// Cursor pagination: `take: 50, skip: 1, cursor: { id: lastId }` with an `orderBy` that
    /// ends with a unique key (`[{ createdAt: "desc" }, { id: "desc" }]`) and an index on the
    /// sort columns (`@@index([createdAt, id])`, after the columns the `where` compares for
    /// equality). Offset paging stays fine for short lists and for "jump to page n" screens
    /// over small tables. Not fixed automatically.
    ///
    /// ## Options
    /// - `smallModels`: models whose tables stay small (never reported).
    ///
    /// ```toml
    /// [rules.offset-pagination]
    /// enabled = true
    /// smallModels = ["Plan"]
    /// ```
    ///
    /// Off by default: 15 of the 94 findings on the corpus of real projects were worth acting on
    /// (most paged lists are short: one tenant's or one parent's rows).
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-client/queries/pagination#cursor-based-pagination
    /// - https://use-the-index-luke.com/no-offset
    pub struct OffsetPagination;
    id = "offset-pagination",
    summary = "A list paged with a computed `skip` (OFFSET) on a growing model",
    category = Performance,
    severity = Low,
    fixable = false,
    enabled = false,
}

/// The span of the `skip` property inside the call's text, when it is written once.
fn skip_span(text: &str, call: ByteSpan) -> Option<ByteSpan> {
    let body = text.get(call.start as usize..call.end as usize)?;
    let mut found = None;
    for (i, _) in body.match_indices("skip") {
        let before = body[..i].chars().next_back();
        let after = body[i + 4..].chars().next();
        let word = !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if word {
            if found.is_some() {
                return None;
            }
            found = Some(i);
        }
    }
    let i = found? as u32;
    let end = body[i as usize..]
        .find([',', '\n', '}'])
        .map_or(4, |e| body[i as usize..i as usize + e].trim_end().len()) as u32;
    Some(ByteSpan {
        start: call.start + i,
        end: call.start + i + end,
    })
}

impl Rule for OffsetPagination {
    prisma_audit_core::rule_options!(SmallModels);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let options: SmallModels = ctx.options();
        let app = ctx.application();
        for (file, call) in app.calls() {
            if file.queries.role != FileRole::App || call.operation != Operation::FindMany {
                continue;
            }
            // Back-office screens and background work page through their lists on purpose.
            let path = ctx.project.file(file.file).map_or("", |f| f.path());
            if is_admin_code(path) || is_background_code(path) {
                continue;
            }
            let Some(model) = call.model.as_deref().and_then(|m| ctx.schema.model(m)) else {
                continue;
            };
            let Some(args) = call.args.as_ref() else {
                continue;
            };
            if args.skip != Some(Value::Dynamic)
                || args.cursor.is_some()
                || !grows(ctx.schema, model, &options.small_models)
            {
                continue;
            }
            // The children of one parent (one post's comments) and search results are short
            // lists nobody pages deep into.
            if args.filter.as_ref().is_some_and(|f| {
                children_of_one_parent(ctx.schema, model, f, &default_tenant_key)
                    || searches_text(f)
            }) {
                continue;
            }
            let sort: Vec<String> = match &args.order_by {
                Some(OrderBy::Keys { keys }) => keys
                    .iter()
                    .filter(|k| k.path.len() == 1 && model.field(&k.path[0]).is_some())
                    .map(|k| k.path[0].clone())
                    .collect(),
                _ => Vec::new(),
            };
            let id = model
                .fields
                .iter()
                .find(|f| model.id_of(f).is_some())
                .map_or("id".to_string(), |f| f.name.to_string());
            let mut index_cols = sort.clone();
            if !index_cols.contains(&id) {
                index_cols.push(id.clone());
            }
            let at = skip_span(ctx.text(file.file), call.span)
                .map(|s| span_of(file.file, s))
                .unwrap_or_else(|| callee_span(ctx, file.file, call));
            let (receiver, accessor) = (
                call.receiver.as_str(),
                call.accessor.as_deref().unwrap_or(""),
            );
            out.push(
                RawFinding::new(
                    format!("{accessor}.findMany.skip:{}", call.span.start),
                    format!(
                        "`{receiver}.{accessor}.findMany` pages `{}` with a computed `skip`: \
                         deep pages read and discard every row before them",
                        model.name
                    ),
                )
                .at(at)
                .related(callee_span(ctx, file.file, call), "the query")
                .help(format!(
                    "Page with a cursor: `cursor: {{ {id}: lastId }}, skip: 1, take` and an \
                     `orderBy` ending with `{id}`, served by `@@index([{}])` (after the columns \
                     the `where` compares for equality).",
                    index_cols.join(", ")
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "offset-pagination";

    const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
}

model Sale {
  id        String   @id @default(cuid())
  tenantId  String
  createdAt DateTime @default(now())
}

model Category {
  id   String @id
  name String
}
"#;

    fn code(source: &str) -> Case {
        Case::files(&[
            ("prisma/schema.prisma", SCHEMA),
            ("src/lib/sales.ts", source),
        ])
    }

    const OFFSET: &str = r#"import { prisma } from "@/lib/prisma";
export const page = (tenantId: string, page: number) =>
  prisma.sale.findMany({
    where: { tenantId },
    orderBy: { createdAt: "desc" },
    skip: (page - 1) * 50,
    take: 50,
  });
"#;

    const FINE: &str = r#"import { prisma } from "@/lib/prisma";
export const next = (lastId: string) =>
  prisma.sale.findMany({ cursor: { id: lastId }, skip: 1, take: 50, orderBy: { id: "asc" } });
export const second = () => prisma.sale.findMany({ skip: 10, take: 10 });
export const cats = (page: number) => prisma.category.findMany({ skip: page * 20, take: 20 });
export const search = (q: string, page: number) =>
  prisma.sale.findMany({ where: { id: { contains: q } }, skip: page * 20, take: 20 });
"#;

    #[test]
    fn pass_and_fail() {
        let small = code(OFFSET).options(serde_json::json!({ "smallModels": ["Sale"] }));
        insta::assert_snapshot!(table(ID, &[code(FINE), small], &[code(OFFSET)]));
    }

    #[test]
    fn skip_span_finds_the_property() {
        let text = "f({ skip: (page - 1) * n, take: n })";
        let s = super::skip_span(
            text,
            prisma_audit_core::application::ByteSpan {
                start: 0,
                end: text.len() as u32,
            },
        )
        .unwrap();
        assert_eq!(
            &text[s.start as usize..s.end as usize],
            "skip: (page - 1) * n"
        );
    }
}
