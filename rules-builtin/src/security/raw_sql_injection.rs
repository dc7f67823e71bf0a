use prisma_audit_core::application::{FileRole, Input, Operation, Origin, SqlHelper, span_of};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::{FixSafety, Severity};
use prisma_audit_core::rule::{RawEdit, RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports raw SQL whose text is built at run time in the application code:
    /// `$queryRawUnsafe` / `$executeRawUnsafe` called with a template literal that interpolates
    /// values (`` `... WHERE id = '${id}'` ``) or with a concatenation of a non-literal
    /// (`'... ORDER BY ' + column`), and `Prisma.raw(...)` of such text.
    ///
    /// The tagged forms (`` prisma.$queryRaw`... ${id}` ``, `` Prisma.sql`...` ``) are safe: Prisma
    /// sends the interpolated values as parameters. A variable passed whole (`$queryRawUnsafe(sql)`,
    /// `Prisma.raw(column)`) is not reported: where it comes from is not known from the call,
    /// and it is often a constant or an allow-listed name. Only values traced to input are
    /// reported: a parameter of the enclosing function typed `string` (or untyped; numbers,
    /// booleans and unions of literals cannot inject), or request data (`req.body`, `query`,
    /// `params`, `searchParams`, `formData.get(...)`), also through local variables computed
    /// from them; each is shown as related location.
    ///
    /// ## Why is this bad?
    /// The values are pasted into the SQL text, so whoever controls them controls the query:
    /// `'; DROP TABLE ...`, `' OR '1'='1`, or a `UNION SELECT` that reads other tenants' data or
    /// password hashes. It is the classic SQL injection, and Prisma's type safety does not
    /// reach raw SQL.
    ///
    /// ## Example
    /// ```ts
    /// await prisma.$queryRawUnsafe(`SELECT * FROM "User" WHERE email = '${email}'`);
    /// ```
    ///
    /// ## Fix
    /// Use the tagged template, which turns every `${value}` into a parameter (and drop the
    /// quotes around it): `` prisma.$queryRaw`SELECT * FROM "User" WHERE email = ${email}` ``;
    /// or keep `$queryRawUnsafe` and pass the values as arguments: `$queryRawUnsafe('... WHERE
    /// email = $1', email)`. Identifiers (a sort column, a table name) cannot be parameters:
    /// map them through an allow-list of constants and `Prisma.raw` only those.
    ///
    /// The fix rewrites a `$queryRawUnsafe`/`$executeRawUnsafe` call with a template literal as
    /// the tagged template: each `${value}` and each `$n` argument becomes a parameter, and a
    /// quoted SQL string holding values becomes one parameter (`'%${term}%'` → ``${`%${term}%`}``).
    /// It is not offered when a value stands for an identifier or a list (`ORDER BY ${column}`,
    /// `IN (${ids})`), nor for concatenations.
    ///
    /// ## Fix safety
    /// Unsafe: the values reach the database typed as parameters (a number compared with a
    /// text column, a value PostgreSQL cannot infer the type of, may need a cast), so run the
    /// query once after the change.
    ///
    /// Only application code counts (not tests, seeds or scripts). Off by default: on real
    /// projects most run-time text in raw SQL is an allow-listed column name, a validated
    /// integer or an enum value. Without tracing origins, 1 of 15 corpus findings was worth
    /// changing; with the origin required (parameters, request data, and locals computed from
    /// them), 1 of 7: the others are checked against an allow-list, an enum or as integers
    /// before they reach the SQL, which the tracing does not see.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-client/using-raw-sql/raw-queries#sql-injection-prevention
    /// - https://owasp.org/www-community/attacks/SQL_Injection
    pub struct RawSqlInjection;
    id = "raw-sql-injection",
    summary = "Raw SQL built from run-time values (SQL injection)",
    category = Security,
    severity = Critical,
    fixable = true,
    enabled = false,
}

impl Rule for RawSqlInjection {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let app = ctx.application();
        for file in &app.files {
            if file.queries.role != FileRole::App {
                continue;
            }
            for call in &file.queries.calls {
                let unsafe_method = matches!(
                    call.operation,
                    Operation::QueryRawUnsafe | Operation::ExecuteRawUnsafe
                );
                let Some(raw) = call
                    .raw
                    .as_ref()
                    .filter(|r| unsafe_method && r.built_at_runtime)
                else {
                    continue;
                };
                let method = call.operation.as_str();
                let tagged = match call.operation {
                    Operation::ExecuteRawUnsafe => "$executeRaw",
                    _ => "$queryRaw",
                };
                let how = if raw.text.is_some() {
                    "a template literal that interpolates values"
                } else {
                    "a concatenation with a non-literal value"
                };
                let mut f = RawFinding::new(
                    format!("{}:{}", method, call.span.start),
                    format!(
                        "`{method}` runs SQL built from {how} ({}): the values are pasted into \
                         the SQL text (SQL injection)",
                        describe(&raw.inputs)
                    ),
                )
                .at(span_of(file.file, call.span));
                for input in &raw.inputs {
                    f = f.related(span_of(file.file, input.span), origin_label(input));
                }
                if let Some(form) = &raw.tagged_form {
                    f = f.fix(RawFix {
                        title: format!("Use the tagged template `{tagged}`: values as parameters"),
                        safety: FixSafety::Unsafe,
                        edits: vec![RawEdit {
                            span: span_of(file.file, form.span),
                            replacement: form.text.clone(),
                        }],
                        sql: None,
                    });
                }
                out.push(
                    f
                    .help(format!(
                        "Whoever controls an interpolated value controls the query. Use the \
                         tagged template `{tagged}`...`` (each `${{value}}` becomes a parameter; \
                         drop the quotes around it), or pass the values as arguments ($1, $2, ...). \
                         Identifiers such as a sort column cannot be parameters: pick them from \
                         an allow-list of constants."
                    )),
                );
            }
            for fragment in &file.queries.sql_fragments {
                if fragment.helper != SqlHelper::Raw
                    || !fragment.built_at_runtime
                    || fragment.inputs.is_empty()
                {
                    continue;
                }
                let mut f = RawFinding::new(
                    format!("Prisma.raw:{}", fragment.span.start),
                    format!(
                        "`Prisma.raw` pastes text built from {} into the SQL (SQL injection)",
                        describe(&fragment.inputs)
                    ),
                )
                .at(span_of(file.file, fragment.span));
                for input in &fragment.inputs {
                    f = f.related(span_of(file.file, input.span), origin_label(input));
                }
                out.push(
                    f.help(
                        "`Prisma.raw` is not escaped. Build the fragment with `Prisma.sql`...`` \
                         (values become parameters) or `Prisma.join`, and keep `Prisma.raw` for \
                         constants chosen from an allow-list.",
                    )
                    .severity(Severity::High),
                );
            }
        }
    }
}

/// "`title` (a parameter of `copyTemplate`), `req.query.sort` (request input)".
fn describe(inputs: &[Input]) -> String {
    inputs
        .iter()
        .map(|i| format!("`{}` ({})", i.text, origin_label(i)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn origin_label(input: &Input) -> String {
    match &input.origin {
        Origin::Parameter {
            function: Some(name),
        } => format!("a text parameter of `{name}`"),
        Origin::Parameter { function: None } => "a text parameter of the function".into(),
        Origin::Request => "request input".into(),
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, fixed_file, table};

    const ID: &str = "raw-sql-injection";

    const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
}

model User {
  id    String @id
  email String @unique
}
"#;

    fn code(path: &str, source: &str) -> Case {
        Case::files(&[("prisma/schema.prisma", SCHEMA), (path, source)])
    }

    const TAGGED: &str = r#"import { prisma } from "@/lib/prisma";
export const byEmail = (email: string) =>
  prisma.$queryRaw`SELECT * FROM "User" WHERE email = ${email}`;
export const byIds = (ids: string[]) =>
  prisma.$queryRaw(Prisma.sql`SELECT * FROM "User" WHERE id IN (${Prisma.join(ids)})`);
"#;

    const PARAMETERS: &str = r#"import { prisma } from "@/lib/prisma";
export const byEmail = (email: string) =>
  prisma.$queryRawUnsafe('SELECT * FROM "User" WHERE email = $1', email);
const ORDER = { newest: Prisma.raw('"createdAt" DESC') };
export const sorted = (sql: string) => prisma.$queryRawUnsafe(sql);
// Interpolating a constant is not input.
const TEMP = "tmp_users";
export const drop = () => prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS "${TEMP}"`);
"#;

    const INTERPOLATED: &str = r#"import { prisma } from "@/lib/prisma";
export async function byEmail(email: string) {
  return prisma.$queryRawUnsafe(`SELECT * FROM "User" WHERE email = '${email}'`);
}
"#;

    const CONCATENATED: &str = r#"import { prisma } from "@/lib/prisma";
export async function purge(table: string, column: string) {
  await prisma.$executeRawUnsafe('DELETE FROM "' + table + '"');
  return prisma.$queryRaw`SELECT * FROM "User" ORDER BY ${Prisma.raw(`"${column}" DESC`)}`;
}
"#;

    /// The value reaches the SQL through a local computed from a request payload.
    const THROUGH_A_LOCAL: &str = r#"import { prisma } from "@/lib/prisma";
export class Templates {
  async copy(payload: { title: string }) {
    const title = payload.title.trim();
    return prisma.$queryRaw`SELECT count(*) FROM "T" WHERE "title" ~ '^${Prisma.raw(`${title}`)}'`;
  }
}
export async function GET(req: Request) {
  const sort = new URL(req.url).searchParams.get("sort");
  return prisma.$queryRawUnsafe(`SELECT * FROM "T" ORDER BY ${sort}`);
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                code("src/lib/users.ts", TAGGED),
                code("src/lib/users.ts", PARAMETERS),
                // Tests and scripts are not the application.
                code("src/users.test.ts", INTERPOLATED),
                code("scripts/backfill.ts", CONCATENATED),
            ],
            &[
                code("src/lib/users.ts", INTERPOLATED),
                code("src/lib/admin.ts", CONCATENATED),
                code("src/lib/templates.ts", THROUGH_A_LOCAL),
            ],
        ));
    }

    /// The fix turns values, `$n` arguments and quoted strings holding values into
    /// parameters of the tagged template, and leaves identifier positions alone.
    #[test]
    fn fix_rewrites_as_a_tagged_template() {
        let source = r#"import { prisma } from "@/lib/prisma";
export async function search(tenantId: string, term: string, limit: number) {
  return prisma.$queryRawUnsafe(
    `SELECT id FROM "Pet" WHERE "tenantId" = $1 AND name ILIKE '%${term}%' AND note <> 'it''s' LIMIT ${limit}`,
    tenantId,
  );
}
export async function sorted(column: string) {
  return prisma.$queryRawUnsafe(`SELECT id FROM "Pet" ORDER BY ${column}`);
}
"#;
        let files = [
            ("prisma/schema.prisma", SCHEMA),
            ("src/lib/pets.ts", source),
        ];
        let out = fixed_file(ID, &files, "src/lib/pets.ts");
        let expected = r#"import { prisma } from "@/lib/prisma";
export async function search(tenantId: string, term: string, limit: number) {
  return prisma.$queryRaw`SELECT id FROM "Pet" WHERE "tenantId" = ${tenantId} AND name ILIKE ${`%${term}%`} AND note <> 'it''s' LIMIT ${limit}`;
}
export async function sorted(column: string) {
  return prisma.$queryRawUnsafe(`SELECT id FROM "Pet" ORDER BY ${column}`);
}
"#;
        assert_eq!(out, expected);
    }
}
