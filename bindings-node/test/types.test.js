'use strict'
// index.d.ts mirrors the report's JSON Schema (schema/report.schema.json): every object type has
// the schema's properties (optional exactly when not required) and every string enum the
// schema's values. A new field in the Rust report fails this test until the types follow.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { REPO } = require('./helpers.js')

const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'schema', 'report.schema.json'), 'utf8'))
const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8')

/** `export interface Name { a: T; b?: U }` -> { a: false, b: true } (name -> optional). */
function interfaceFields(name) {
  const m = new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(dts)
  assert.ok(m, `index.d.ts has no interface ${name}`)
  const fields = {}
  for (const line of m[1].split('\n')) {
    const f = /^\s{2}'?([A-Za-z_-]+)'?(\?)?:/.exec(line)
    if (f) fields[f[1]] = Boolean(f[2])
  }
  return fields
}

/** `export type Name = 'a' | 'b'` -> ['a', 'b']. */
function unionValues(name) {
  const m = new RegExp(`export type ${name} =([^\\n]*(?:\\n\\s+\\|[^\\n]*)*)`).exec(dts)
  assert.ok(m, `index.d.ts has no type ${name}`)
  return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1])
}

function check(name, def) {
  if (def.properties) {
    const required = new Set(def.required || [])
    const expected = {}
    for (const key of Object.keys(def.properties)) expected[key] = !required.has(key)
    assert.deepEqual(interfaceFields(name), expected, name)
  } else if (def.oneOf || def.enum) {
    const values = def.enum || def.oneOf.map((v) => v.const)
    assert.ok(values.every((v) => typeof v === 'string'), name)
    assert.deepEqual(unionValues(name).sort(), [...values].sort(), name)
  } else {
    assert.fail(`unexpected schema definition ${name}`)
  }
}

test('Report matches the JSON Schema root', () => {
  check('Report', schema)
})

test('every schema definition has a matching type', () => {
  const names = Object.keys(schema.$defs)
  assert.ok(names.length >= 10)
  for (const name of names) check(name, schema.$defs[name])
})

test('the real report has exactly the typed keys', () => {
  const pa = require('..')
  const r = pa.audit({ path: path.join(REPO, 'examples', 'vet-clinic') })
  assert.deepEqual(Object.keys(r).sort(), Object.keys(interfaceFields('Report')).sort())
  assert.deepEqual(Object.keys(r.findings[0]).filter((k) => !(k in interfaceFields('Finding'))), [])
})
