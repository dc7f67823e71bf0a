'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { pathToFileURL } = require('node:url')
const pa = require('..')
const { VET_CLINIC, SCHEMA } = require('./helpers.js')

const files = { 'prisma/schema.prisma': SCHEMA }
const base = pa.audit({ files })
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'prisma-audit-node-'))

test('in-memory files', () => {
  assert.equal(base.project.root, 'project')
  assert.equal(base.project.models, 2)
  assert.deepEqual(base.project.schema_files, ['prisma/schema.prisma'])
  assert.ok(base.findings.length > 0)
  assert.equal(
    base.findings.length,
    Object.values(base.summary.counts).reduce((a, b) => a + b, 0)
  )
  // Uint8Array contents work like strings
  assert.deepEqual(pa.audit({ files: { 'prisma/schema.prisma': Buffer.from(SCHEMA) } }), base)
})

test('in-memory copy of vet-clinic equals the directory audit', () => {
  const all = {}
  const walk = (dir, rel) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name)
      const r = rel ? `${rel}/${e.name}` : e.name
      if (e.isDirectory()) walk(p, r)
      else all[r] = fs.readFileSync(p, 'utf8')
    }
  }
  walk(VET_CLINIC, '')
  // The same migration scope on both sides: a directory inside a git work tree takes its
  // pending migrations from git, in-memory files cannot.
  const mine = pa.audit({ files: all, migrations: 'all' })
  const theirs = pa.audit({ path: VET_CLINIC, migrations: 'all' })
  delete mine.project.root
  delete theirs.project.root
  assert.deepEqual(mine, theirs)
})

test('path as a file URL, a .prisma file, and an explicit schema', () => {
  const dir = pa.audit({ path: VET_CLINIC })
  assert.deepEqual(pa.audit({ path: pathToFileURL(VET_CLINIC) }), dir)
  const file = pa.audit({ path: path.join(VET_CLINIC, 'prisma', 'schema.prisma') })
  assert.equal(file.project.root, 'vet-clinic')
  assert.deepEqual(file.summary, dir.summary)
  assert.deepEqual(pa.audit({ path: VET_CLINIC, schema: 'prisma/schema.prisma' }), dir)
})

test('config object disables a rule and overrides a severity', () => {
  const first = base.findings[0]
  const off = pa.audit({ files, config: { rules: { [first.rule]: false } } })
  assert.ok(!off.findings.some((f) => f.rule === first.rule))
  const target = first.severity === 'info' ? 'critical' : 'info'
  const changed = pa.audit({ files, config: { rules: { [first.rule]: { severity: target } } } })
  assert.deepEqual([...new Set(changed.findings.filter((f) => f.rule === first.rule).map((f) => f.severity))], [target])
})

test('config file path and the project config file', () => {
  const first = base.findings[0]
  const dir = tmp()
  const cfg = path.join(dir, 'prisma-audit.toml')
  fs.writeFileSync(cfg, `[rules]\n"${first.rule}" = false\n`)
  const r = pa.audit({ files, config: cfg })
  assert.ok(!r.findings.some((f) => f.rule === first.rule))
  const discovered = pa.audit({ files: { ...files, 'prisma-audit.toml': `[rules]\n"${first.rule}" = false\n` } })
  assert.deepEqual(discovered.findings, r.findings)
})

function assertCode(fn, code, pattern) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, 'an Error')
    assert.equal(e.code, code, e.message)
    if (pattern) assert.match(e.message, pattern)
    return true
  })
}

test('errors carry a code', () => {
  assertCode(() => pa.audit({ path: path.join(tmp(), 'nope') }), 'PRISMA_AUDIT_IO', /does not exist/)
  assertCode(() => pa.audit({ path: tmp() }), 'PRISMA_AUDIT_INPUT', /no Prisma schema found/)
  assertCode(() => pa.audit({ files: { 'README.md': 'hi' } }), 'PRISMA_AUDIT_INPUT')
  assertCode(() => pa.audit({ path: VET_CLINIC, files }), 'PRISMA_AUDIT_INPUT', /not both/)
  assertCode(() => pa.audit({ files, config: { rules: { 'no-such-rule': false } } }), 'PRISMA_AUDIT_CONFIG', /no-such-rule/)
  assertCode(() => pa.audit({ files, config: { 'fail-on': 'sometimes' } }), 'PRISMA_AUDIT_CONFIG')
  assertCode(() => pa.audit({ files, config: { rules: { x: null } } }), 'PRISMA_AUDIT_CONFIG')
  const bad = path.join(tmp(), 'prisma-audit.toml')
  fs.writeFileSync(bad, '[rules\n')
  assertCode(() => pa.audit({ files, config: bad }), 'PRISMA_AUDIT_CONFIG', /prisma-audit\.toml/)
  assertCode(() => pa.audit({ files, config: path.join(tmp(), 'missing.toml') }), 'PRISMA_AUDIT_IO', /not found/)
  assertCode(() => pa.audit({ files, config: 42 }), 'PRISMA_AUDIT_INPUT')
  assertCode(() => pa.audit({ files: { 'prisma/schema.prisma': 1 } }), 'PRISMA_AUDIT_INPUT')
  assertCode(() => pa.audit('examples'), 'PRISMA_AUDIT_INPUT')
  assertCode(() => pa.render({ files }, 'pdf'), 'PRISMA_AUDIT_INPUT', /unknown format/)
  assertCode(() => pa.failed(base, 'severe'), 'PRISMA_AUDIT_INPUT')
})

test('auditAsync rejects with a coded Error', async () => {
  await assert.rejects(pa.auditAsync({ path: path.join(tmp(), 'nope') }), (e) => {
    assert.ok(e instanceof Error)
    assert.equal(e.code, 'PRISMA_AUDIT_IO')
    return true
  })
  await assert.rejects(pa.auditAsync({ files, config: 7 }), { code: 'PRISMA_AUDIT_INPUT' })
})

test('auditAsync runs off the main thread (the event loop keeps turning)', async () => {
  let ticks = 0
  let running = true
  const tick = () => {
    ticks++
    if (running) setImmediate(tick)
  }
  setImmediate(tick)
  const pending = [0, 1, 2, 3].map(() => pa.auditAsync({ path: VET_CLINIC }))
  assert.ok(pending[0] instanceof Promise)
  const reports = await Promise.all(pending)
  running = false
  assert.ok(ticks > 0, 'the event loop ran while auditing')
  const sync = pa.audit({ path: VET_CLINIC })
  for (const r of reports) assert.deepEqual(r, sync)
})

test('malformed input never crashes', () => {
  for (const content of ['\u0000\uFFFDgarbage', '', 'model {{{{ @@@', 'model A { id Int @id @default(']) {
    try {
      const r = pa.audit({ files: { 'prisma/schema.prisma': content } })
      assert.equal(typeof r.summary.verdict, 'string')
    } catch (e) {
      assert.match(e.code, /^PRISMA_AUDIT_/)
    }
  }
})

test('failed() applies a threshold', () => {
  const vet = pa.audit({ path: VET_CLINIC })
  assert.ok(vet.summary.counts.critical > 0)
  assert.equal(pa.failed(vet, 'critical'), true)
  const clean = pa.audit({ files, config: { rules: Object.fromEntries(base.findings.map((f) => [f.rule, false])) } })
  assert.equal(clean.findings.length, 0)
  assert.equal(clean.summary.verdict, 'ready')
  assert.equal(pa.failed(clean, 'info'), false)
})

test('migrations option: pending (newest), all, a count, a list', () => {
  const history = {
    'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n}\n\nmodel User {\n  id Int @id\n  email String\n\n  @@index([email])\n}\n',
    'prisma/migrations/20240101000000_init/migration.sql':
      'CREATE TABLE "User" ("id" INTEGER NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\n',
    'prisma/migrations/20240201000000_idx/migration.sql':
      'ALTER TABLE "User" DROP COLUMN "email";\n',
    'prisma/migrations/20240301000000_noop/migration.sql': 'SELECT 1;\n',
  }
  const judged = (migrations) =>
    pa.audit({ files: history, migrations }).project.migration_scope.judged
  assert.deepEqual(judged(undefined), ['20240301000000_noop'])
  assert.equal(judged('all').length, 3)
  assert.deepEqual(judged(2), ['20240201000000_idx', '20240301000000_noop'])
  assert.deepEqual(judged(['20240201000000_idx']), ['20240201000000_idx'])
  const dropped = (migrations) =>
    pa.audit({ files: history, migrations }).findings.filter((f) => f.rule === 'destructive-migration').length
  assert.equal(dropped(undefined), 0)
  assert.equal(dropped('all'), 1)
  assert.throws(() => pa.audit({ files: history, migrations: 'some' }), { code: 'PRISMA_AUDIT_INPUT' })
  assert.throws(() => pa.audit({ files: history, migrations: [1] }), { code: 'PRISMA_AUDIT_INPUT' })
})

test('queries() reads the example project\'s Prisma Client calls', () => {
  const files = pa.queries({ path: VET_CLINIC })
  const dashboard = files.find((f) => f.path === 'src/lib/dashboard.ts')
  assert.equal(dashboard.role, 'app')
  const [first] = dashboard.calls
  assert.deepEqual([first.model, first.operation], ['Appointment', 'findMany'])
  assert.deepEqual(first.args.orderBy, { kind: 'keys', keys: [{ path: ['dateTime'], direction: 'asc' }] })
  assert.equal(files.find((f) => f.path === 'scripts/seed.ts').role, 'seed')
  const [only] = pa.queries({
    files: { 'schema.prisma': SCHEMA, 'src/a.ts': 'prisma.pet.findMany({ take: 5 })\n' },
  })
  assert.deepEqual(only.calls[0].args.take, { kind: 'literal', text: '5' })
  assert.throws(() => pa.queries({ files: { 'src/a.ts': 'x' } }), (e) => e.code === 'PRISMA_AUDIT_INPUT')
})
