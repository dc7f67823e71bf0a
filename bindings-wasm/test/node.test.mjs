// Node-level tests of the wasm module built with `wasm-bindgen --target nodejs` (pkg-node).
// Run: node --test bindings-wasm/test/   (after bindings-wasm/build.sh)
// NATIVE_RULES: path of `prisma-audit --list-rules --format json` output (the native registry).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const require = createRequire(import.meta.url);
const wasm = require('../pkg-node/prisma_audit_wasm.js');
const reportSchema = JSON.parse(readFileSync(join(repo, 'schema', 'report.schema.json'), 'utf8'));
const vetClinic = readFileSync(join(repo, 'examples', 'vet-clinic', 'prisma', 'schema.prisma'), 'utf8');

/** Minimal JSON Schema check for the report schema's vocabulary (type/required/$ref/items/oneOf const). */
function validate(value, schema, path = '$') {
  if (schema.$ref) return validate(value, reportSchema.$defs[schema.$ref.split('/').pop()], path);
  if (schema.oneOf) {
    const ok = schema.oneOf.some((s) => { try { validate(value, s, path); return true; } catch { return false; } });
    assert.ok(ok, `${path}: ${JSON.stringify(value)} matches no alternative`);
    return;
  }
  if (schema.anyOf) {
    const ok = schema.anyOf.some((s) => { try { validate(value, s, path); return true; } catch { return false; } });
    assert.ok(ok, `${path}: ${JSON.stringify(value)} matches no alternative`);
    return;
  }
  if ('const' in schema) assert.equal(value, schema.const, path);
  if (schema.type) {
    const types = [].concat(schema.type);
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array'
      : Number.isInteger(value) ? 'integer' : typeof value;
    assert.ok(types.includes(actual) || (actual === 'integer' && types.includes('number')),
      `${path}: expected ${types}, got ${actual}`);
  }
  if (schema.required) for (const k of schema.required) assert.ok(k in value, `${path}.${k} missing`);
  if (schema.properties && value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      assert.ok(k in schema.properties || schema.additionalProperties !== false, `${path}.${k} unexpected`);
      if (schema.properties[k]) validate(v, schema.properties[k], `${path}.${k}`);
    }
  }
  if (schema.items && Array.isArray(value)) value.forEach((v, i) => validate(v, schema.items, `${path}[${i}]`));
}

const BROKEN = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel User {\n  id Int @id\n  name String @@@\n}\n';

test('version() is the crate version', () => {
  const cargo = readFileSync(join(repo, 'Cargo.toml'), 'utf8');
  const v = /\[workspace\.package\][^[]*?version\s*=\s*"([^"]+)"/.exec(cargo)[1];
  assert.equal(wasm.version(), v);
});

test('a schema string with a syntax error gives an invalid-schema finding with a location', () => {
  const report = wasm.audit(BROKEN);
  validate(report, reportSchema);
  const f = report.findings.find((x) => x.rule === 'invalid-schema');
  assert.ok(f, `no invalid-schema finding in ${JSON.stringify(report.findings.map((x) => x.rule))}`);
  assert.equal(f.location.file, 'prisma/schema.prisma');
  assert.equal(f.location.start.line, 7);
  assert.equal(report.project.schema_files[0], 'prisma/schema.prisma');
  assert.equal(report.summary.verdict, report.findings.some((x) => x.severity === 'critical') ? 'not-ready' : report.summary.verdict);
});

test('the vet-clinic schema audits to a report matching the JSON Schema', () => {
  const report = wasm.audit(vetClinic);
  validate(report, reportSchema);
  assert.equal(report.schema_version, '1');
  assert.equal(report.tool.name, 'prisma-audit');
  assert.ok(report.project.models > 5, `models: ${report.project.models}`);
  assert.equal(report.findings.some((f) => f.rule === 'invalid-schema'), false);
});

test('a files map: migrations and package.json are read', () => {
  const files = {
    'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n}\n\nmodel User {\n  id Int @id\n}\n',
    'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" ("id" INTEGER NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\n',
    'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
    'package.json': JSON.stringify({ dependencies: { '@prisma/client': '6.1.0' }, devDependencies: { prisma: '6.1.0' } }),
    '.env': 'DATABASE_URL="postgresql://app:secret@db.example.com:5432/app"\n',
  };
  const report = wasm.audit(files);
  validate(report, reportSchema);
  assert.equal(report.project.migrations, 1);
  assert.equal(report.project.prisma_version, '6.1.0');
  assert.equal(report.project.provider, 'postgresql');
  // Same project as bytes.
  const enc = new TextEncoder();
  const asBytes = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, enc.encode(v)]));
  assert.deepEqual(wasm.audit(asBytes), report);
});

test('config as TOML text or object switches a rule off', () => {
  assert.ok(wasm.audit(BROKEN).findings.some((f) => f.rule === 'invalid-schema'));
  for (const config of ['[rules]\n"invalid-schema" = "off"\n', { rules: { 'invalid-schema': 'off' } }]) {
    const report = wasm.audit(BROKEN, config);
    assert.equal(report.findings.some((f) => f.rule === 'invalid-schema'), false, JSON.stringify(config));
  }
});

test('rules() equals the native registry (inventory kept every registration on wasm32)', () => {
  const rules = wasm.rules();
  assert.equal(wasm.ruleCount(), rules.length);
  assert.ok(rules.length > 0);
  for (const r of rules) {
    assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(r.docs.length > 0 && r.summary.length > 0, r.id);
  }
  assert.ok(rules.some((r) => r.id === 'invalid-schema'));
  const nativePath = process.env.NATIVE_RULES;
  if (!nativePath) {
    assert.fail('set NATIVE_RULES to the output of `prisma-audit --list-rules --format json`');
  }
  const native = JSON.parse(readFileSync(nativePath, 'utf8'));
  assert.equal(rules.length, native.length, 'wasm rule count differs from the native registry');
  assert.deepEqual(rules.map((r) => r.id), native.map((r) => r.id));
});

test('render() gives markdown, sarif and json text', () => {
  const md = wasm.render(BROKEN, 'markdown');
  assert.match(md, /invalid-schema/);
  const sarif = JSON.parse(wasm.render(BROKEN, 'sarif'));
  assert.equal(sarif.version, '2.1.0');
  assert.ok(sarif.runs[0].results.some((r) => r.ruleId === 'invalid-schema'));
  assert.deepEqual(JSON.parse(wasm.render(BROKEN, 'json')), wasm.audit(BROKEN));
  assert.match(wasm.render(BROKEN, 'text'), /invalid-schema/);
});

test('errors become exceptions with a message', () => {
  assert.throws(() => wasm.render(BROKEN, 'pdf'), /unknown format `pdf`/);
  assert.throws(() => wasm.audit(42), /input must be a schema string or an object/);
  assert.throws(() => wasm.audit({ 'prisma/schema.prisma': 7 }), /must be a string or a Uint8Array/);
  assert.throws(() => wasm.audit({ 'README.md': 'hello' }), /no Prisma schema found/);
  assert.throws(() => wasm.audit(BROKEN, 'rules = ['), /config:1:/);
  assert.throws(() => wasm.audit(BROKEN, { rules: { 'no-such-rule': 'off' } }), /no-such-rule/);
  // The module still works after errors (no trap/abort left it broken).
  assert.ok(wasm.audit(BROKEN).findings.length > 0);
});

test('hostile input never traps: binary, non-UTF-8, empty, huge', () => {
  assert.ok(wasm.audit('').findings.length >= 0);
  assert.ok(wasm.audit({ 'prisma/schema.prisma': new Uint8Array([0xff, 0xfe, 0, 1, 2]) }).findings.some((f) => f.rule === 'invalid-schema'));
  assert.ok(wasm.audit('model A {'.repeat(5000)).findings.length > 0);
  assert.ok(wasm.audit('\u{1F600} model 😀 { id Int @id }').findings.length > 0);
});

test('the TypeScript types cover the report JSON Schema (no drift)', () => {
  const dts = readFileSync(join(here, '..', 'pkg-node', 'prisma_audit_wasm.d.ts'), 'utf8');
  const defs = { Report: reportSchema, ...reportSchema.$defs };
  for (const [name, def] of Object.entries(defs)) {
    if (def.properties) {
      const m = new RegExp(`export interface ${name} \\{([^}]*)\\}`).exec(dts);
      assert.ok(m, `interface ${name} missing from the .d.ts`);
      for (const prop of Object.keys(def.properties)) {
        const required = (def.required ?? []).includes(prop);
        const re = new RegExp(`(^|[\\s;{])${prop}${required ? '' : '\\??'}:`);
        assert.match(m[1], re, `${name}.${prop} (${required ? 'required' : 'optional'})`);
      }
    } else if (def.oneOf) {
      const m = new RegExp(`export type ${name} = ([^;]*);`).exec(dts);
      assert.ok(m, `type ${name} missing from the .d.ts`);
      assert.deepEqual(m[1].split('|').map((s) => JSON.parse(s.trim())).sort(),
        def.oneOf.map((v) => v.const).sort(), name);
    }
  }
});

test('queries() reads pasted TypeScript against the schema', () => {
  const files = wasm.queries({
    'prisma/schema.prisma': vetClinic,
    'src/lib/upcoming.ts':
      'import { prisma } from "@/lib/prisma";\n' +
      'export const upcoming = (tenantId: string) =>\n' +
      '  prisma.appointment.findMany({ where: { tenantId, status: "SCHEDULED" }, orderBy: { dateTime: "asc" }, take: 20 });\n',
  });
  assert.equal(files.length, 1);
  const [call] = files[0].calls;
  assert.equal(files[0].role, 'app');
  assert.deepEqual([call.model, call.operation, call.via], ['Appointment', 'findMany', 'imported']);
  assert.equal(call.args.where.kind, 'and');
  assert.deepEqual(call.args.take, { kind: 'literal', text: '20' });
  assert.throws(() => wasm.queries({ 'src/a.ts': 'x' }), /schema/i);
});
