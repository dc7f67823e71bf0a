#!/usr/bin/env node
// Drift oracle: `prisma migrate diff --from-migrations <dir> --to-schema-datamodel <schema>
// --script --exit-code` with the pinned Prisma 6 CLI, offline (wasm schema engine through the pg
// driver adapter, see prisma.config.ts). Prints one JSON line; see README.md.
//
// Usage: node migrate-diff.mjs --migrations DIR --schema FILE_OR_DIR --url postgresql://...
//        [--timeout MS]
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const PRISMA = join(HERE, "node_modules", "prisma", "build", "index.js");

function parseArgs(argv) {
  const out = { timeout: Number(process.env.PRISMA_MIGRATE_DIFF_TIMEOUT_MS ?? 120000) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--migrations") out.migrations = value();
    else if (a === "--schema") out.schema = value();
    else if (a === "--url") out.url = value();
    else if (a === "--timeout") out.timeout = Number(value());
    else if (a === "--version") out.version = true;
    else usage(`unknown argument ${a}`);
  }
  return out;
}

function usage(msg) {
  process.stderr.write(
    `${msg}\nusage: migrate-diff.mjs --migrations DIR --schema FILE_OR_DIR --url postgresql://... [--timeout MS]\n`,
  );
  process.exit(2);
}

// The schema's `.prisma` files, relative to the schema path (a file, or a folder = multi-file).
function schemaFiles(schema) {
  return statSync(schema).isDirectory()
    ? readdirSync(schema, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith(".prisma"))
    : [""];
}

// A copy of the schema in `dir` that Prisma 6 accepts: a datasource without `url` (Prisma 7
// style, the URL lives in prisma.config.ts) gets `url = env("DATABASE_URL")`, the rest is
// verbatim. Returns the schema path to pass and every `env("NAME")` the files mention (url,
// directUrl, shadowDatabaseUrl, ...): Prisma 6 wants them set; they all get the throwaway URL
// (the driver adapter decides where Prisma connects).
function prepareSchema(schema, dir) {
  const isDir = statSync(schema).isDirectory();
  const target = isDir ? join(dir, "schema") : join(dir, "schema.prisma");
  const names = new Set(["DATABASE_URL"]);
  for (const rel of schemaFiles(schema)) {
    let text = readFileSync(rel ? join(schema, rel) : schema, "utf8");
    text = text.replace(/(datasource\s+\w+\s*\{)([^}]*)\}/g, (block, head, body) =>
      /^\s*url\s*=/m.test(body) ? block : `${head}\n  url = env("DATABASE_URL")${body}}`,
    );
    for (const m of text.matchAll(/env\(\s*"([^"]+)"\s*\)/g)) names.add(m[1]);
    const out = rel ? join(target, rel) : target;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
  }
  return { path: target, envNames: [...names] };
}

const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, "");

function run(args) {
  if (!args.migrations || !args.schema || !args.url) usage("--migrations, --schema and --url are required");
  const migrations = resolve(args.migrations);
  // An empty working directory (no stray .env or prisma.config.ts is picked up) holding the
  // schema copy.
  const cwd = mkdtempSync(join(tmpdir(), "prisma-migrate-diff-"));
  const schema = prepareSchema(resolve(args.schema), cwd);
  const env = {};
  // Nothing inherited that could point Prisma elsewhere (DATABASE_URL, PRISMA_* engines, ...).
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith("PRISMA_") && !k.endsWith("_URL") && k !== "DATABASE_URL") env[k] = v;
  }
  for (const name of schema.envNames) env[name] = args.url;
  Object.assign(env, {
    PRISMA_MIGRATE_DIFF_URL: args.url,
    PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true",
    PRISMA_QUERY_ENGINE_LIBRARY: "/bin/true",
    PRISMA_QUERY_ENGINE_BINARY: "/bin/true", // generators with engineType = "binary"
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    PRISMA_DISABLE_WARNINGS: "1",
    CHECKPOINT_DISABLE: "1",
    NO_COLOR: "1",
  });
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [
        PRISMA,
        "migrate",
        "diff",
        "--config",
        join(HERE, "prisma.config.ts"),
        "--from-migrations",
        migrations,
        "--to-schema-datamodel",
        schema.path,
        "--script",
        "--exit-code",
      ],
      { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, args.timeout);
    child.on("close", (code) => {
      clearTimeout(timer);
      rmSync(cwd, { recursive: true, force: true });
      const sql = strip(stdout).trim();
      // --exit-code: 0 = no difference, 2 = a difference, anything else = an error.
      const result = {
        migrations: args.migrations,
        schema: args.schema,
        empty: code === 0 ? true : code === 2 ? false : null,
        sql: code === 2 ? sql : code === 0 ? "" : null,
        error: code === 0 || code === 2 ? null : strip(stderr).trim() || sql || `exit ${code}`,
        exitCode: code,
        timedOut,
        durationMs: Date.now() - started,
      };
      done(result);
    });
  });
}

const args = parseArgs(process.argv.slice(2));
if (args.version) {
  const v = JSON.parse(readFileSync(join(HERE, "node_modules", "prisma", "package.json"), "utf8")).version;
  process.stdout.write(JSON.stringify({ prisma: v }) + "\n");
} else {
  const result = await run(args);
  process.stdout.write(JSON.stringify(result) + "\n");
  process.exit(result.empty === null ? 1 : 0);
}
