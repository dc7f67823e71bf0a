// Binding overhead: audit({ path }) (the parsed report object) vs the core audit in pure Rust.
//
// The core side runs inside the addon (benchCore: load, configure, audit and render the JSON
// report, what `prisma-audit --format json` does); calls alternate to share the
// machine's noise. Prints medians and exits 1 when the overhead is 10% or more.
//
//   node bench/bench.mjs [PATH] [--rounds 7] [--iterations 15]
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const require = createRequire(import.meta.url)
const pa = require('../index.js')
const native = require('../binding.js')

const here = path.dirname(fileURLToPath(import.meta.url))
const opt = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}
const positional = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !(all[i - 1] || '').startsWith('--'))
const target = positional || path.resolve(here, '..', '..', 'examples', 'vet-clinic')
const rounds = opt('rounds', 7)
const iterations = opt('iterations', 15)
const limit = opt('limit', 10)

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

for (let i = 0; i < 3; i++) pa.audit({ path: target })
native.benchCore(target, 3, true)

const core = []
const binding = []
for (let i = 0; i < rounds * iterations; i++) {
  // Alternate core and binding call by call so both see the same machine load.
  core.push(...native.benchCore(target, 1, true))
  const t = process.hrtime.bigint()
  const report = pa.audit({ path: target })
  binding.push(Number(process.hrtime.bigint() - t) / 1e6)
  if (!report.findings.length) throw new Error('no findings')
}
const c = median(core)
const b = median(binding)
const overhead = ((b - c) / c) * 100
console.log(
  `node: core audit + JSON ${c.toFixed(2)} ms, audit() ${b.toFixed(2)} ms (median of ${binding.length}), ` +
    `overhead ${overhead >= 0 ? '+' : ''}${overhead.toFixed(1)}%`
)
process.exit(overhead < limit ? 0 : 1)
