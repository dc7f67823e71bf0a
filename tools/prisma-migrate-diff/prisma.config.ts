// Used only by migrate-diff.mjs (it passes `--config` and sets PRISMA_MIGRATE_DIFF_URL): the
// wasm schema engine ("js" engine) talking to PostgreSQL through the pg driver adapter, so no
// native engine binary is needed.
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

const url = new URL(process.env.PRISMA_MIGRATE_DIFF_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");

// @prisma/adapter-pg 6.19 rejects two internal catalog types the schema engine's queries
// return, so every migrate command that describes a database fails with "Column type 'name'
// could not be deserialized from the database" (prisma/orm#27403; later adapter releases map
// `name`, prisma/orm#28470): `name` (OID 19, `name[]` 1003) and `"char"` (OID 18, e.g.
// `pg_constraint.contype`). Both are patched on the adapter's queryable class, before the
// adapter maps the field descriptions: `name` becomes text, `"char"` becomes text on the wire
// and the adapter's single-character column type in the result (the engine reads it as a char;
// as text it aborts with "RuntimeError: unreachable", e.g. on any CHECK constraint).
const CHARACTER = 6; // ColumnTypeEnum.Character of @prisma/driver-adapter-utils
const charColumns = new WeakMap<object, number[]>();
let patched = false;
function patchQueryable(proto: any) {
  if (patched) return;
  patched = true;
  const performIO = proto.performIO;
  const queryRaw = proto.queryRaw;
  proto.performIO = async function (query: object, ...rest: unknown[]) {
    const result = await performIO.call(this, query, ...rest);
    const chars: number[] = [];
    (result.fields ?? []).forEach((f: { dataTypeID: number }, i: number) => {
      if (f.dataTypeID === 18) {
        f.dataTypeID = 25;
        chars.push(i);
      } else if (f.dataTypeID === 19) f.dataTypeID = 25;
      else if (f.dataTypeID === 1003) f.dataTypeID = 1009;
    });
    if (chars.length) charColumns.set(query, chars);
    return result;
  };
  proto.queryRaw = async function (query: object) {
    const result = await queryRaw.call(this, query);
    for (const i of charColumns.get(query) ?? []) result.columnTypes[i] = CHARACTER;
    return result;
  };
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => {
    // Discrete fields, not `connectionString`: the adapter's shadow database (a fresh
    // `prisma_migrate_shadow_db_<uuid>` per run, dropped afterwards) overrides `database`,
    // which a connection string would take precedence over. idleTimeoutMillis: otherwise the
    // pool keeps the CLI alive ~10 s after it is done.
    const factory = new PrismaPg({
      host: url.hostname,
      port: Number(url.port || 5432),
      user: decodeURIComponent(url.username || "postgres"),
      password: url.password ? decodeURIComponent(url.password) : undefined,
      database: decodeURIComponent(url.pathname.slice(1) || "postgres"),
      idleTimeoutMillis: 100,
    });
    // PrismaPgAdapter and the transaction class both extend the (unexported) queryable class.
    for (const method of ["connect", "connectToShadowDb"] as const) {
      const original = (factory as any)[method].bind(factory);
      (factory as any)[method] = async () => {
        const adapter = await original();
        patchQueryable(Object.getPrototypeOf(Object.getPrototypeOf(adapter)));
        return adapter;
      };
    }
    return factory;
  },
});
