//! Discovery + parse + extraction throughput on a generated code base: 2,000 TypeScript files
//! of about 10 KB each (20 MB), a third of them free of Prisma calls, the rest mixing service
//! functions with `findMany`/`findFirst`/`count`/`update`/raw calls through an imported client,
//! a transaction client and `this.prisma`.
//!
//! `cargo bench -p prisma-audit-typescript --bench extract`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use prisma_audit_typescript::{Models, extract_all, role_of};
use std::hint::black_box;

const MODELS: [&str; 8] = [
    "User",
    "Account",
    "Order",
    "OrderItem",
    "Product",
    "Invoice",
    "Event",
    "AuditLog",
];

fn accessor(i: usize) -> String {
    let m = MODELS[i % MODELS.len()];
    let mut c = m.chars();
    c.next()
        .map_or(String::new(), |f| f.to_lowercase().chain(c).collect())
}

/// One generated service file of about `target` bytes.
fn file(n: usize, target: usize) -> String {
    let mut out = String::with_capacity(target + 2_000);
    out.push_str("import { prisma } from \"@/lib/prisma\";\nimport type { Prisma } from \"@prisma/client\";\nimport { z } from \"zod\";\n\n");
    let mut i = 0;
    while out.len() < target {
        let a = accessor(n + i);
        if n.is_multiple_of(3) {
            // Plain application code without Prisma calls.
            out.push_str(&format!(
                "export function format{n}_{i}(items: Array<{{ id: string; total: number }}>) {{\n  const sorted = [...items].sort((x, y) => y.total - x.total);\n  return sorted.map((item, index) => `${{index + 1}}. ${{item.id}}: ${{item.total.toFixed(2)}}`).join(\"\\n\");\n}}\n\n"
            ));
        } else {
            out.push_str(&format!(
                "export async function list{n}_{i}(tenantId: string, from: Date, search?: string) {{\n  const where = {{ tenantId, createdAt: {{ gte: from }}, ...(search && {{ name: {{ contains: search, mode: \"insensitive\" }} }}) }};\n  const [rows, total] = await Promise.all([\n    prisma.{a}.findMany({{ where, orderBy: [{{ createdAt: \"desc\" }}, {{ id: \"asc\" }}], take: 50, include: {{ items: {{ take: 5 }} }} }}),\n    prisma.{a}.count({{ where }}),\n  ]);\n  return {{ rows, total }};\n}}\n\nexport async function settle{n}_{i}(id: string) {{\n  return prisma.$transaction(async (tx) => {{\n    const row = await tx.{a}.findFirst({{ where: {{ id, status: \"OPEN\" }} }});\n    if (!row) throw new Error(\"missing\");\n    await tx.$executeRaw`UPDATE \"T\" SET n = n + 1 WHERE id = ${{id}}`;\n    return tx.{a}.update({{ where: {{ id }}, data: {{ status: \"DONE\" }} }});\n  }});\n}}\n\nexport class Service{n}_{i} {{\n  constructor(private readonly prisma: PrismaService) {{}}\n  byTenant(tenantId: string) {{\n    return this.prisma.{a}.findMany({{ where: {{ tenantId, deletedAt: null }}, select: {{ id: true, name: true }} }});\n  }}\n}}\n\n"
            ));
        }
        i += 1;
    }
    out
}

fn bench(c: &mut Criterion) {
    let files: Vec<(String, String)> = (0..2_000)
        .map(|n| {
            (
                format!("src/services/module{n}/service.ts"),
                file(n, 10_000),
            )
        })
        .collect();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    // Write the code base to a folder (with a schema) for side-by-side runs of other tools.
    if let Some(dir) = std::env::var_os("PRISMA_AUDIT_BENCH_DUMP") {
        let dir = std::path::PathBuf::from(dir);
        for (path, text) in &files {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let models: String = MODELS
            .iter()
            .map(|m| {
                format!(
                    "model {m} {{\n  id String @id\n  tenantId String\n  createdAt DateTime\n}}\n"
                )
            })
            .collect();
        std::fs::create_dir_all(dir.join("prisma")).unwrap();
        std::fs::write(
            dir.join("prisma/schema.prisma"),
            format!("datasource db {{\n  provider = \"postgresql\"\n}}\n{models}"),
        )
        .unwrap();
    }
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let models = Models::new(MODELS);
    let calls: usize = extract_all(&pairs, &models)
        .iter()
        .map(|f| f.calls.len())
        .sum();
    assert!(calls > 20_000, "{calls}");
    eprintln!("{} files, {bytes} bytes, {calls} calls", files.len());
    let mut g = c.benchmark_group("typescript");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("discover_parse_extract_2000_files", |b| {
        b.iter(|| {
            let kept: Vec<(&str, &str)> = pairs
                .iter()
                .copied()
                .filter(|(p, _)| role_of(p).is_some())
                .collect();
            black_box(extract_all(&kept, &models))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
