// Port of test-support/src/generate/mod.rs `schema(n)`: the same deterministic benchmark schema
// (n models of ~12 fields, a self-chain of 1:n relations, attributes and comments).
export function generateSchema(models) {
  let s = '// Generated benchmark schema.\n' +
    'datasource db {\n  provider = "postgresql"\n}\n\n' +
    'generator client {\n  provider        = "prisma-client-js"\n  ' +
    'previewFeatures = ["views", "fullTextSearchPostgres"]\n}\n\n' +
    '/// Lifecycle of a row.\n' +
    'enum Status {\n  ACTIVE   @map("active")\n  ARCHIVED @map("archived") // soft-deleted\n  ' +
    '@@map("status")\n}\n';
  for (let i = 0; i < models; i++) {
    s += `\n/// Model number ${i}.\n` +
      `model M${i} {\n  ` +
      'id        Int      @id @default(autoincrement())\n  ' +
      '/** Public handle, unique per model. */\n  ' +
      'handle    String   @unique @db.VarChar(64)\n  ' +
      'email     String?  @map("email_address")\n  ' +
      'score     Decimal  @default(0.5) @db.Decimal(10, 2)\n  ' +
      'tags      String[]\n  ' +
      '// prisma-audit-ignore some-rule\n  ' +
      'status    Status   @default(ACTIVE)\n  ' +
      'createdAt DateTime @default(now()) @map("created_at")\n  ' +
      'updatedAt DateTime @updatedAt\n';
    if (i > 0) {
      const p = i - 1;
      s += `  parentId  Int?\n  ` +
        `parent    M${p}?    @relation("P${i}", fields: [parentId], references: [id], onDelete: Cascade)\n`;
    }
    if (i + 1 < models) {
      const c = i + 1;
      s += `  children  M${c}[]   @relation("P${c}") // back relation\n`;
    }
    s += `\n  @@index([handle(sort: Desc), createdAt], map: "m${i}_handle_idx")\n  ` +
      `@@map("m_${i}")\n}\n`;
  }
  return s;
}
