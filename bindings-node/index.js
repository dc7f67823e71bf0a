'use strict'
// prisma-audit for Node: audit a Prisma ORM project from a build script or a test.
// The addon (binding.js -> prisma-audit.<platform>.node) runs the Rust core; this file converts
// options, parses the JSON report and turns native errors into Errors with a `code`.

const native = require('./binding.js')

const SEVERITIES = Object.freeze(['critical', 'high', 'medium', 'low', 'info'])

/** `[CODE] message` from the addon -> Error with `code`. */
function convertError(e) {
  if (e && typeof e.message === 'string') {
    const m = /^\[(PRISMA_AUDIT_[A-Z]+)\] ([\s\S]*)$/.exec(e.message)
    if (m) {
      const err = new Error(m[2])
      err.code = m[1]
      return err
    }
    if (!e.code || e.code === 'GenericFailure' || e.code === 'InvalidArg' || e.code === 'StringExpected' || e.code === 'ObjectExpected') {
      const err = new Error(e.message)
      err.code = 'PRISMA_AUDIT_INPUT'
      return err
    }
  }
  return e
}

function inputError(message) {
  const err = new TypeError(message)
  err.code = 'PRISMA_AUDIT_INPUT'
  return err
}

/** Validate and convert the public options to the addon's. */
function nativeOptions(options, format) {
  if (options === undefined || options === null) options = {}
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw inputError('audit(options): options must be an object { path?, files?, config?, schema?, migrations? }')
  }
  const out = { format }
  if (options.path !== undefined && options.path !== null) {
    if (typeof options.path !== 'string' && !(options.path instanceof URL)) {
      throw inputError('audit(options): `path` must be a string')
    }
    out.path = options.path instanceof URL ? require('node:url').fileURLToPath(options.path) : options.path
  }
  if (options.files !== undefined && options.files !== null) {
    if (typeof options.files !== 'object' || Array.isArray(options.files)) {
      throw inputError('audit(options): `files` must be an object of relative path -> text')
    }
    const files = {}
    for (const [name, text] of Object.entries(options.files)) {
      if (typeof text === 'string') files[name] = text
      else if (text instanceof Uint8Array) files[name] = Buffer.from(text).toString('utf8')
      else throw inputError(`audit(options): files[${JSON.stringify(name)}] must be a string`)
    }
    out.files = files
  }
  const config = options.config
  if (config !== undefined && config !== null) {
    if (typeof config === 'string') out.configPath = config
    else if (typeof config === 'object' && !Array.isArray(config)) out.configJson = JSON.stringify(config)
    else throw inputError('audit(options): `config` must be an object or a file path')
  }
  if (options.schema !== undefined && options.schema !== null) {
    if (typeof options.schema !== 'string') throw inputError('audit(options): `schema` must be a string')
    out.schema = options.schema
  }
  const migrations = options.migrations
  if (migrations !== undefined && migrations !== null) {
    const ok =
      typeof migrations === 'string' ||
      (Number.isInteger(migrations) && migrations >= 0) ||
      (Array.isArray(migrations) && migrations.every((m) => typeof m === 'string'))
    if (!ok) {
      throw inputError("audit(options): `migrations` must be 'pending', 'all', a count or a list of folder names")
    }
    out.migrationsJson = JSON.stringify(migrations)
  }
  return out
}

/** Audit synchronously and return the report (the CLI's `--format json`, parsed). */
function audit(options) {
  const opts = nativeOptions(options, 'json-compact')
  let json
  try {
    json = native.auditNative(opts)
  } catch (e) {
    throw convertError(e)
  }
  return JSON.parse(json)
}

/** Like `audit`, on the libuv thread pool: the main thread stays free. */
async function auditAsync(options) {
  const opts = nativeOptions(options, 'json-compact')
  let json
  try {
    json = await native.auditNativeAsync(opts)
  } catch (e) {
    throw convertError(e)
  }
  return JSON.parse(json)
}

/** Audit and render as `markdown`, `sarif`, `text` or `github` (or `json`). */
function render(options, format) {
  if (typeof format !== 'string' || format === 'json-compact') {
    throw inputError('render(options, format): `format` must be json, markdown, sarif, text or github')
  }
  try {
    return native.auditNative(nativeOptions(options, format))
  } catch (e) {
    throw convertError(e)
  }
}

/** Every registered rule. */
/**
 * The Prisma Client calls of the project's TypeScript/JavaScript (like `prisma-audit --queries`):
 * one object per source file with calls, as `schema/queries.schema.json` describes them.
 * Options: `path`, `files` and `schema`, as for `audit`.
 */
function queries(options) {
  const opts = nativeOptions(options, 'queries')
  let json
  try {
    json = native.auditNative(opts)
  } catch (e) {
    throw convertError(e)
  }
  return JSON.parse(json)
}

function rules() {
  return JSON.parse(native.rulesJson())
}

/** Whether `report` has a finding at or above `threshold` (like the CLI's `--fail-on`). */
function failed(report, threshold = 'high') {
  const rank = SEVERITIES.indexOf(threshold)
  if (rank < 0) throw inputError(`unknown severity \`${threshold}\` (expected ${SEVERITIES.join(', ')})`)
  return report.findings.some((f) => SEVERITIES.indexOf(f.severity) <= rank)
}

const version = native.nativeVersion()

module.exports = { audit, auditAsync, render, queries, rules, failed, version, SEVERITIES }
