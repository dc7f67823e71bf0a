'use strict'
const { execFileSync } = require('node:child_process')
const path = require('node:path')

const REPO = path.resolve(__dirname, '..', '..')
const VET_CLINIC = path.join(REPO, 'examples', 'vet-clinic')

/** Run the prisma-audit CLI ($PRISMA_AUDIT_CLI or `cargo run --release`). */
function runCli(...args) {
  const cli = process.env.PRISMA_AUDIT_CLI
  const [cmd, pre] = cli ? [cli, []] : ['cargo', ['run', '--quiet', '--release', '-p', 'prisma-audit', '--']]
  return execFileSync(cmd, [...pre, ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 << 20 })
}

const SCHEMA = `
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
}

model Customer {
  id    String @id @default(uuid())
  email String @unique
  pets  Pet[]
}

model Pet {
  id         String   @id @default(uuid())
  customerId String
  customer   Customer @relation(fields: [customerId], references: [id])
}
`

module.exports = { REPO, VET_CLINIC, runCli, SCHEMA }
