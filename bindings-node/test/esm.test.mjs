// The package works from ESM: named imports and the package's `exports` map.
import test from 'node:test'
import assert from 'node:assert/strict'
import { audit, auditAsync, rules, version, failed, SEVERITIES } from '../index.mjs'
import { createRequire } from 'node:module'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import fs from 'node:fs'
import os from 'node:os'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)
const vet = path.resolve(here, '..', '..', 'examples', 'vet-clinic')

test('ESM named exports are the CommonJS ones', async () => {
  const cjs = require('../index.js')
  assert.equal(audit, cjs.audit)
  assert.equal(auditAsync, cjs.auditAsync)
  assert.equal(version, cjs.version)
  assert.deepEqual(rules(), cjs.rules())
  assert.deepEqual(SEVERITIES, ['critical', 'high', 'medium', 'low', 'info'])
  const r = await auditAsync({ path: vet })
  assert.deepEqual(r, audit({ path: vet }))
  assert.equal(failed(r, 'critical'), r.summary.counts.critical > 0)
})

test('the package name resolves from both module systems', () => {
  // A scratch package that depends on this one by path, imported by name.
  const pkgDir = path.resolve(here, '..')
  const code = (kind) =>
    kind === 'esm'
      ? `import { audit, version } from 'prisma-audit'; console.log(version, audit({ path: ${JSON.stringify(vet)} }).findings.length)`
      : `const { audit, version } = require('prisma-audit'); console.log(version, audit({ path: ${JSON.stringify(vet)} }).findings.length)`
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'prisma-audit-esm-'))
  fs.mkdirSync(path.join(scratch, 'node_modules'))
  fs.symlinkSync(pkgDir, path.join(scratch, 'node_modules', 'prisma-audit'), 'dir')
  const expected = `${version} ${audit({ path: vet }).findings.length}\n`
  for (const kind of ['esm', 'cjs']) {
    const args = kind === 'esm' ? ['--input-type=module', '-e', code(kind)] : ['-e', code(kind)]
    const out = execFileSync(process.execPath, args, { cwd: scratch, encoding: 'utf8' })
    assert.equal(out, expected, kind)
  }
})
