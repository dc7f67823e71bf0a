//! Deterministic generator of realistic Prisma schemas for benchmarks (shared by bench files:
//! `mod generate;`).
//!
//! Every model has ~12 fields (scalars, optional, list, enum, a self-chain of 1:n relations),
//! field and block attributes, doc, line and block comments. The output is a valid Prisma 7
//! schema (no `url` in the datasource), so semantic benchmarks can reuse it.

use std::fmt::Write;

pub mod history;

/// A schema with `models` models (plus a datasource, a generator and one enum).
pub fn schema(models: usize) -> String {
    let mut s = String::with_capacity(models * 900 + 512);
    s.push_str(
        "// Generated benchmark schema.\n\
         datasource db {\n  provider = \"postgresql\"\n}\n\n\
         generator client {\n  provider        = \"prisma-client-js\"\n  \
         previewFeatures = [\"views\", \"fullTextSearchPostgres\"]\n}\n\n\
         /// Lifecycle of a row.\n\
         enum Status {\n  ACTIVE   @map(\"active\")\n  ARCHIVED @map(\"archived\") // soft-deleted\n  \
         @@map(\"status\")\n}\n",
    );
    for i in 0..models {
        let _ = write!(
            s,
            "\n/// Model number {i}.\n\
             model M{i} {{\n  \
             id        Int      @id @default(autoincrement())\n  \
             /** Public handle, unique per model. */\n  \
             handle    String   @unique @db.VarChar(64)\n  \
             email     String?  @map(\"email_address\")\n  \
             score     Decimal  @default(0.5) @db.Decimal(10, 2)\n  \
             tags      String[]\n  \
             // prisma-audit-ignore some-rule\n  \
             status    Status   @default(ACTIVE)\n  \
             createdAt DateTime @default(now()) @map(\"created_at\")\n  \
             updatedAt DateTime @updatedAt\n"
        );
        if i > 0 {
            let p = i - 1;
            let _ = write!(
                s,
                "  parentId  Int?\n  \
                 parent    M{p}?    @relation(\"P{i}\", fields: [parentId], references: [id], onDelete: Cascade)\n"
            );
        }
        if i + 1 < models {
            let c = i + 1;
            let _ = writeln!(
                s,
                "  children  M{c}[]   @relation(\"P{c}\") // back relation"
            );
        }
        let _ = write!(
            s,
            "\n  @@index([handle(sort: Desc), createdAt], map: \"m{i}_handle_idx\")\n  \
             @@map(\"m_{i}\")\n}}\n"
        );
    }
    s
}
