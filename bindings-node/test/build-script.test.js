'use strict'
// examples/node-build-script/scripts/check-db.mjs fails the build on findings >= threshold.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const pa = require('..')
const { REPO, VET_CLINIC, SCHEMA } = require('./helpers.js')

const EXAMPLE = path.join(REPO, 'examples', 'node-build-script')
const SCRIPT = path.join(EXAMPLE, 'scripts', 'check-db.mjs')

// What `npm install` in the example does: link the package (no registry needed).
const link = path.join(EXAMPLE, 'node_modules', 'prisma-audit')
if (!fs.existsSync(path.join(link, 'package.json'))) {
  fs.mkdirSync(path.dirname(link), { recursive: true })
  fs.rmSync(link, { force: true, recursive: true })
  fs.symlinkSync(path.relative(path.dirname(link), path.join(REPO, 'bindings-node')), link, 'dir')
}

function run(args, env = {}) {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: EXAMPLE,
    encoding: 'utf8',
    env: { ...process.env, PRISMA_AUDIT_FAIL_ON: '', ...env },
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

function project(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-db-'))
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
    fs.writeFileSync(path.join(dir, rel), text)
  }
  return dir
}

test('vet-clinic fails the build (critical and high findings)', () => {
  const r = run(['--project', VET_CLINIC])
  assert.equal(r.code, 1, r.err)
  assert.match(r.out, /committed-secret/)
  assert.match(r.out, /not-ready/)
  assert.match(r.err, /at or above "high"/)
})

// Keep only generator-output-required (high) firing: other rules are switched off in the
// project's prisma-audit.toml, so new rules cannot change the outcome.
function onlyRule(keep) {
  const firing = new Set(pa.audit({ files: { 'prisma/schema.prisma': SCHEMA } }).findings.map((f) => f.rule))
  const off = [...firing].filter((r) => r !== keep)
  return off.length ? `[rules]\n${off.map((r) => `"${r}" = false`).join('\n')}\n` : ''
}

test('a threshold above every finding passes; below fails', () => {
  const dir = project({ 'prisma/schema.prisma': SCHEMA, 'prisma-audit.toml': onlyRule('generator-output-required') })
  const high = run(['--project', dir])
  assert.equal(high.code, 1, high.out + high.err)
  assert.match(high.out, /generator-output-required/)
  const critical = run(['--project', dir, '--threshold', 'critical'])
  assert.equal(critical.code, 0, critical.out + critical.err)
  assert.match(critical.out, /no finding at or above "critical"/)
  const fromEnv = run(['--project', dir], { PRISMA_AUDIT_FAIL_ON: 'critical' })
  assert.equal(fromEnv.code, 0)
})

test('a clean project passes', () => {
  const dir = project({ 'prisma/schema.prisma': SCHEMA, 'prisma-audit.toml': onlyRule(null) })
  const r = run(['--project', dir, '--threshold', 'info'])
  assert.equal(r.code, 0, r.out + r.err)
  assert.match(r.out, /: ready /)
})

test('audit errors exit 2 with the error code', () => {
  const r = run(['--project', path.join(os.tmpdir(), 'no-such-project-dir')])
  assert.equal(r.code, 2)
  assert.match(r.err, /PRISMA_AUDIT_IO/)
  const bad = run(['--project', VET_CLINIC, '--threshold', 'severe'])
  assert.equal(bad.code, 2)
})
