#!/usr/bin/env node
// Fail the build (exit 1) when the Prisma project has findings at or above a threshold.
//
//   node scripts/check-db.mjs [--threshold high] [--project .]
//
// Runs as `prebuild` in package.json, so `npm run build` stops before `next build`. The
// threshold also comes from $PRISMA_AUDIT_FAIL_ON. Exit 0: nothing at or above the threshold;
// 1: findings; 2: the audit itself failed (no schema, bad configuration, ...).
import { auditAsync, failed, SEVERITIES } from 'prisma-audit'

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback
}

const threshold = arg('threshold', process.env.PRISMA_AUDIT_FAIL_ON || 'high')
const project = arg('project', process.cwd())
if (!SEVERITIES.includes(threshold)) {
  console.error(`check-db: unknown threshold "${threshold}" (expected ${SEVERITIES.join(', ')})`)
  process.exit(2)
}

let report
try {
  report = await auditAsync({ path: project })
} catch (e) {
  console.error(`check-db: ${e.code ?? 'ERROR'}: ${e.message}`)
  process.exit(2)
}

const rank = (s) => SEVERITIES.indexOf(s)
const blocking = report.findings.filter((f) => rank(f.severity) <= rank(threshold))
const c = report.summary.counts
console.log(
  `prisma-audit ${report.project.root}: ${report.summary.verdict} ` +
    `(${c.critical} critical, ${c.high} high, ${c.medium} medium, ${c.low} low, ${c.info} info)`
)
if (failed(report, threshold)) {
  for (const f of blocking) {
    const at = f.location ? `${f.location.file}:${f.location.start.line}:${f.location.start.column}` : '-'
    console.log(`  ${f.severity.padEnd(8)} ${f.rule.padEnd(32)} ${at}  ${f.message}`)
  }
  console.error(`check-db: ${blocking.length} finding(s) at or above "${threshold}": fix them before building`)
  process.exit(1)
}
console.log(`check-db: no finding at or above "${threshold}"`)
