//! Extraction of Prisma Client calls, one case per form a project writes them in. Each case's
//! calls are rendered one per line (line, receiver and why it is a client, model, operation,
//! arguments as JSON) for a snapshot.

use prisma_audit_typescript::{FileRole, Models, extract, role_of};

const MODELS: [&str; 7] = [
    "User",
    "Appointment",
    "Sale",
    "Pet",
    "InventoryItem",
    "URLMapping",
    "Customer",
];

fn calls(path: &str, source: &str) -> String {
    let models = Models::new(MODELS);
    let file = extract(
        path,
        role_of(path).unwrap_or(FileRole::App),
        source,
        &models,
    );
    let mut out = String::new();
    if let Some(e) = &file.syntax_error {
        out.push_str(&format!("syntax error: {}\n", e.message));
    }
    for f in &file.sql_fragments {
        let line = source[..f.span.start as usize].matches('\n').count() + 1;
        out.push_str(&format!("{line}: {}\n", serde_json::to_string(f).unwrap()));
    }
    for c in &file.calls {
        let line = source[..c.span.start as usize].matches('\n').count() + 1;
        // The span covers the whole call: from the receiver to `)` or a template's closing `.
        let text = &source[c.span.start as usize..c.span.end as usize];
        assert!(text.starts_with(&c.receiver), "{text}");
        assert!(text.ends_with(')') || text.ends_with('`'), "{text}");
        let via = serde_json::to_value(c.via).unwrap();
        let model = match (&c.accessor, &c.model) {
            (Some(a), Some(m)) => format!(".{a}→{m}"),
            (Some(a), None) => format!(".{a}"),
            _ => String::new(),
        };
        let detail = match (&c.args, &c.raw) {
            (Some(a), _) => serde_json::to_string(a).unwrap(),
            (_, Some(r)) => serde_json::to_string(r).unwrap(),
            _ => String::new(),
        };
        out.push_str(&format!(
            "{line}: {}[{}]{model}.{} {detail}\n",
            c.receiver,
            via.as_str().unwrap(),
            c.operation.as_str()
        ));
    }
    out
}

#[test]
fn clients_aliases_transactions_and_classes() {
    insta::assert_snapshot!(calls(
        "src/lib/appointments.ts",
        r#"import { PrismaClient } from "@prisma/client";
import { prisma as shared } from "@/lib/prisma";

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };
export const prisma = globalForPrisma.prisma ?? new PrismaClient();
const db = prisma;
const extended = prisma.$extends({ query: {} });

export async function upcoming(tenantId: string) {
  await db.appointment.findMany({ where: { tenantId } });
  await extended.user.count();
  await shared.sale.findFirst({ where: { id: 1 } });
  return prisma.$transaction(async (tx) => {
    const pet = await tx.pet.findUnique({ where: { id: "p1" } });
    return tx.appointment.update({ where: { id: pet!.id }, data: { status: "DONE" } });
  });
}

class AppointmentService {
  constructor(private readonly prisma: PrismaService) {}
  list(ctx: Ctx) {
    this.prisma.appointment.findMany();
    return ctx.prisma.uRLMapping.deleteMany({});
  }
}

// Not Prisma: no schema model behind the accessor, or no client operation.
items.filter.count();
prisma.appointment.toString();
"#
    ));
}

#[test]
fn filters_sorting_paging_and_selections() {
    insta::assert_snapshot!(calls(
        "src/lib/sales.ts",
        r#"import { prisma } from "./prisma";
export function report(tenantId: string, from: Date, q: string, where: any) {
  prisma.sale.findMany({
    where: {
      tenantId,
      status: { in: ["PAID", "REFUNDED"] },
      createdAt: { gte: from, lt: new Date() },
      deletedAt: null,
      customer: { name: { contains: q, mode: "insensitive" } },
      OR: [{ total: { gt: 100 } }, { pets: { some: { species: "CAT" } } }],
      NOT: { archived: true },
    },
    orderBy: [{ createdAt: "desc" }, { customer: { name: "asc" } }, { id: { sort: "asc", nulls: "last" } }],
    take: 20,
    skip: -1,
    cursor: { id: "c" },
    distinct: ["customerId"],
    include: {
      items: { where: { qty: { gt: 0 } }, orderBy: { position: "asc" }, take: 5 },
      _count: { select: { items: true } },
      customer: true,
    },
  });
  prisma.sale.findMany({ where, orderBy: sortBy });
  prisma.sale.findMany(args);
  prisma.sale.groupBy({ by: ["status"], _sum: { total: true } });
  prisma.sale.findFirst({ where: { ...scope, [key]: 1, status: "OPEN" } });
}
"#
    ));
}

#[test]
fn arguments_built_in_constants_and_conditional_spreads() {
    insta::assert_snapshot!(calls(
        "src/lib/customers.ts",
        r#"import { prisma } from "@/lib/prisma";
export async function list(tenantId: string, search?: string, sort?: string) {
  const scope = { tenantId, deletedAt: null };
  const where = {
    ...scope,
    isActive: true,
    ...(search && { name: { contains: search, mode: "insensitive" } }),
    ...(sort ? { status: "OPEN" } : {}),
  };
  const args = { where, orderBy: { name: "asc" }, take: 50 };
  await prisma.customer.findMany({ where });
  await prisma.customer.findMany(args);
  const extended = { tenantId };
  if (search) extended.OR = [{ name: search }];
  await prisma.customer.count({ where: extended });
  let changing = { tenantId };
  await prisma.customer.count({ where: changing });
}
// `where` here is the parameter, not the constant of the function above.
export const byFilter = (where: object, q?: string) =>
  prisma.customer.findMany({ where, orderBy: { name: q ? "asc" : "desc" } });
export const titled = (q?: string) =>
  prisma.customer.findMany({ where: { name: q ? { contains: q } : undefined, isActive: q && true } });
"#
    ));
}

#[test]
fn raw_queries() {
    insta::assert_snapshot!(calls(
        "src/lib/reports.ts",
        r#"import { prisma } from "@/lib/prisma";
const TEMP_TABLE = "report_tmp";
export async function stats(tenantId: string, column: string) {
  await prisma.$queryRaw`SELECT count(*) FROM "Sale" WHERE "tenantId" = ${tenantId}`;
  await prisma.$executeRawUnsafe(`DELETE FROM "Sale" WHERE "tenantId" = '${tenantId}'`);
  await prisma.$queryRawUnsafe('SELECT * FROM "Sale" ORDER BY ' + column);
  await prisma.$queryRawUnsafe('SELECT * FROM "Sale" WHERE id = $1', tenantId);
  await prisma.$queryRawUnsafe(sql);
  await prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS "${TEMP_TABLE}"`);
  const order = Prisma.raw(column);
  const fixed = Prisma.raw("created_at DESC");
  const ids = Prisma.join([1, 2, 3]);
  await prisma.$queryRaw(Prisma.sql`SELECT * FROM "Sale" WHERE id IN (${ids}) ORDER BY ${order}`);
  await prisma.$queryRaw`SELECT * FROM "Sale" ${Prisma.raw(`WHERE "tenantId" = '${tenantId}'`)}`;
}
"#
    ));
}

#[test]
fn broken_and_plain_javascript_files() {
    insta::assert_snapshot!(calls(
        "scripts/seed.js",
        "const { PrismaClient } = require('@prisma/client');\nconst prisma = new PrismaClient();\nprisma.user.create({ data: { email: 'a' } });\nprisma.user.findMany({ where: { email: \n"
    ));
    insta::assert_snapshot!(calls("src/empty.ts", ""));
    insta::assert_snapshot!(calls(
        "src/page.tsx",
        "export default async function Page() {\n  const users = await prisma.user.findMany({ take: 10 });\n  return <ul>{users.map((u) => <li key={u.id}>{u.name}</li>)}</ul>;\n}\n"
    ));
}

#[test]
fn roles_by_path() {
    let cases = [
        ("src/lib/prisma.ts", Some(FileRole::App)),
        ("app/api/route.tsx", Some(FileRole::App)),
        ("src/user.test.ts", Some(FileRole::Test)),
        ("src/__tests__/user.ts", Some(FileRole::Test)),
        ("e2e/login.spec.ts", Some(FileRole::Test)),
        ("prisma/seed.ts", Some(FileRole::Seed)),
        ("prisma/seeds/users.mjs", Some(FileRole::Seed)),
        ("scripts/backfill.ts", Some(FileRole::Script)),
        ("src/types.d.ts", None),
        ("public/app.min.js", None),
        ("node_modules/x/index.js", None),
        ("apps/web/.next/server/page.js", None),
        ("src/generated/prisma/client.ts", None),
        ("dist/index.js", None),
        ("schema.prisma", None),
        ("README", None),
    ];
    for (path, want) in cases {
        assert_eq!(role_of(path), want, "{path}");
    }
}
