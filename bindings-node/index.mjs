// ESM entry point: the same API as index.js.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const cjs = require('./index.js')

export const { audit, auditAsync, render, queries, rules, failed, version, SEVERITIES } = cjs
