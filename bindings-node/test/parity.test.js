'use strict'
// The Node binding gives the CLI's results: same report, same rule registry.
const test = require('node:test')
const assert = require('node:assert/strict')
const pa = require('..')
const { VET_CLINIC, runCli } = require('./helpers.js')

const cliJson = JSON.parse(runCli('examples/vet-clinic', '--format', 'json', '--fail-on', 'none'))

test('audit() equals the CLI JSON report on examples/vet-clinic', () => {
  assert.deepEqual(pa.audit({ path: VET_CLINIC }), cliJson)
})

test('auditAsync() equals the CLI JSON report', async () => {
  assert.deepEqual(await pa.auditAsync({ path: VET_CLINIC }), cliJson)
})

test('render() equals the CLI markdown and SARIF', () => {
  const md = runCli('examples/vet-clinic', '--format', 'markdown', '--fail-on', 'none')
  assert.equal(pa.render({ path: VET_CLINIC }, 'markdown'), md)
  const sarif = runCli('examples/vet-clinic', '--format', 'sarif', '--fail-on', 'none')
  assert.deepEqual(JSON.parse(pa.render({ path: VET_CLINIC }, 'sarif')), JSON.parse(sarif))
})

test('rules() equals the native registry and the CLI list', () => {
  const cliRules = JSON.parse(runCli('--list-rules', '--format', 'json'))
  const rules = pa.rules()
  assert.ok(rules.length > 0)
  assert.equal(rules.length, cliRules.length)
  assert.equal(rules.length, require('../binding.js').ruleCount())
  assert.deepEqual(
    rules.map(({ docs, ...rest }) => rest),
    cliRules
  )
  for (const r of rules) assert.ok(r.docs.trim().length > 0, r.id)
})

test('version is the tool version of the report', () => {
  assert.equal(pa.version, cliJson.tool.version)
  assert.equal(pa.version, require('../package.json').version)
})
