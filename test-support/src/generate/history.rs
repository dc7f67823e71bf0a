//! A generated PostgreSQL migration history with its schema (shared by the migration benches).

/// A history of `n` migrations and its schema, as project files.
pub fn generated_project(n: usize) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut schema = String::from("datasource db {\n  provider = \"postgresql\"\n}\n\n");
    for i in 0..n {
        let t = format!("T{i}");
        let mut sql = format!(
            "-- CreateTable\nCREATE TABLE \"{t}\" (\n    \"id\" TEXT NOT NULL,\n    \"name\" VARCHAR(191) NOT NULL,\n    \"amount\" DECIMAL(10,2),\n    \"createdAt\" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,\n    \"updatedAt\" TIMESTAMP(3) NOT NULL,\n    \"parentId\" TEXT,\n    \"note\" TEXT,\n    \"count\" INTEGER NOT NULL DEFAULT 0,\n\n    CONSTRAINT \"{t}_pkey\" PRIMARY KEY (\"id\")\n);\n\n-- CreateIndex\nCREATE INDEX \"{t}_name_idx\" ON \"{t}\"(\"name\");\n\n-- CreateIndex\nCREATE UNIQUE INDEX \"{t}_note_key\" ON \"{t}\"(\"note\");\n"
        );
        let mut model = format!(
            "model {t} {{\n  id        String   @id\n  name      String   @db.VarChar(191)\n  amount    Decimal? @db.Decimal(10, 2)\n  createdAt DateTime @default(now())\n  updatedAt DateTime @updatedAt\n  parentId  String?\n  note      String?  @unique\n  count     Int      @default(0)\n\n  @@index([name])\n"
        );
        if i > 0 {
            let p = format!("T{}", i - 1);
            sql.push_str(&format!(
                "\n-- AddForeignKey\nALTER TABLE \"{t}\" ADD CONSTRAINT \"{t}_parentId_fkey\" FOREIGN KEY (\"parentId\") REFERENCES \"{p}\"(\"id\") ON DELETE SET NULL ON UPDATE CASCADE;\n\n-- Backfill\nUPDATE \"{p}\" SET \"note\" = E'generated\\n' || \"id\" WHERE \"note\" IS NULL AND \"count\" > 0;\n"
            ));
            model.push_str(&format!("  parent    {p}?      @relation(\"{t}Parent\", fields: [parentId], references: [id], onDelete: SetNull)\n"));
        }
        if i + 1 < n {
            model.push_str(&format!(
                "  children  T{}[]    @relation(\"T{}Parent\")\n",
                i + 1,
                i + 1
            ));
        }
        if i % 10 == 0 {
            sql.push_str(&format!(
                "\nCREATE OR REPLACE FUNCTION touch_{i}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.\"updatedAt\" := now(); -- keep; in sync\n  RETURN NEW;\nEND;\n$$;\n"
            ));
        }
        model.push_str("}\n\n");
        schema.push_str(&model);
        files.push((
            format!(
                "prisma/migrations/{}_m{i}/migration.sql",
                20240101000000u64 + i as u64
            ),
            sql,
        ));
    }
    files.push((
        "prisma/migrations/migration_lock.toml".into(),
        "provider = \"postgresql\"\n".into(),
    ));
    files.push(("prisma/schema.prisma".into(), schema));
    files
}
