use crate::security::project_env;
use prisma_audit_core::declare_rule;
use prisma_audit_core::env::span_of;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::span::Span;

declare_rule! {
    /// ## What it does
    /// Counts `new PrismaClient(` in application code (TypeScript/JavaScript outside
    /// `node_modules`, build output, tests, seeds and scripts). Reports every instantiation
    /// after the first, and in Next.js projects a single client created without the
    /// `globalThis` singleton pattern.
    ///
    /// ## Why is this bad?
    /// Each `PrismaClient` owns its own connection pool (num_cpus × 2 + 1 connections), so
    /// several clients multiply the connections per process and exhaust the database. In
    /// Next.js development, hot reloading re-evaluates modules and creates a new client (and
    /// pool) on every change unless it is cached on `globalThis`.
    ///
    /// ## Example
    /// ```ts
    /// // src/lib/reports.ts
    /// const prisma = new PrismaClient() // a second client next to src/lib/prisma.ts
    /// ```
    ///
    /// ## Fix
    /// Create one client in one module (`src/lib/prisma.ts`), cache it on `globalThis` in
    /// development, and import it everywhere.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/more/help-and-troubleshooting/nextjs-help
    /// - https://www.prisma.io/docs/orm/prisma-client/setup-and-configuration/databases-connections#prismaclient-in-long-running-applications
    pub struct MultiplePrismaClients;
    id = "multiple-prisma-clients",
    summary = "More than one PrismaClient is created in application code",
    category = ScalabilityAndOperations,
    severity = Medium,
    fixable = false,
    enabled = true,
}

const NEEDLE: &str = "new PrismaClient";

fn is_app_code(path: &str) -> bool {
    let ext_ok = [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"]
        .iter()
        .any(|e| path.ends_with(e))
        && !path.ends_with(".d.ts");
    let segs: Vec<&str> = path.split('/').collect();
    let skip_dir = segs.iter().any(|s| {
        matches!(
            *s,
            "node_modules"
                | ".next"
                | "dist"
                | "build"
                | "out"
                | "coverage"
                | "generated"
                | "scripts"
                | "prisma"
                | "test"
                | "tests"
                | "__tests__"
                | "e2e"
                | "seed"
                | "examples"
        )
    });
    let name = segs.last().copied().unwrap_or("");
    let skip_name = name.contains(".test.")
        || name.contains(".spec.")
        || name.starts_with("seed.")
        || name.contains(".config.");
    ext_ok && !skip_dir && !skip_name
}

/// Byte offsets of `new PrismaClient` outside line comments.
fn occurrences(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(NEEDLE) {
        let at = from + i;
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let before = text[line_start..at].trim_start();
        if !(before.starts_with("//") || before.starts_with('*') || before.contains("//")) {
            out.push(at);
        }
        from = at + NEEDLE.len();
    }
    out
}

impl Rule for MultiplePrismaClients {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        let mut all: Vec<(Span, String)> = Vec::new();
        let mut singleton = false;
        for (id, f) in ctx.project.files() {
            if !is_app_code(f.path()) {
                continue;
            }
            let Some(text) = f.text() else { continue };
            let found = occurrences(text);
            if !found.is_empty() && text.contains("globalThis") {
                singleton = true;
            }
            for at in found {
                all.push((span_of(id, at..at + NEEDLE.len()), f.path().to_string()));
            }
        }
        let serverless = env.serverless_signs();
        let next = env.has_dependency("next");
        if all.len() == 1 {
            if next && !singleton {
                let (span, path) = &all[0];
                out.push(
                    RawFinding::new(format!("{path}|singleton"), format!("`{path}` creates PrismaClient without the `globalThis` singleton: Next.js hot reloading creates a new client and connection pool on every change in development"))
                        .at(*span)
                        .severity(Severity::Low)
                        .help("Cache the client on `globalThis` outside production: `const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient }; export const prisma = globalForPrisma.prisma ?? new PrismaClient(); if (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = prisma`."),
                );
            }
            return;
        }
        let Some((first, first_path)) = all.first().cloned() else {
            return;
        };
        let others: Vec<String> = all.iter().map(|(_, p)| format!("`{p}`")).collect();
        let severity = if serverless.is_empty() {
            Severity::Medium
        } else {
            Severity::High
        };
        for (span, path) in all.iter().skip(1) {
            out.push(
                RawFinding::new(format!("{path}|new PrismaClient"), format!(
                    "`{path}` creates another PrismaClient ({} instantiations in application code: {}); each opens its own connection pool",
                    all.len(),
                    others.join(", ")
                ))
                .at(*span)
                .related(first, format!("first client, in `{first_path}`"))
                .severity(severity)
                .help("Every PrismaClient owns a pool of num_cpus × 2 + 1 connections; several clients per process multiply the connections and exhaust the database, especially when every serverless instance does it. Export one client from one module (e.g. `src/lib/prisma.ts`, cached on `globalThis` for Next.js development) and import it everywhere."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_util::findings;
    use prisma_audit_core::finding::Severity;

    const SCHEMA: &str = "datasource db {\n  provider = \"postgresql\"\n}\n";
    const SINGLETON: &str = "import { PrismaClient } from '@prisma/client'\nconst g = globalThis as any\nexport const prisma = g.prisma ?? new PrismaClient()\n";

    #[test]
    fn second_client_is_reported() {
        let f = findings(
            "multiple-prisma-clients",
            &[
                ("prisma/schema.prisma", SCHEMA),
                ("src/lib/prisma.ts", SINGLETON),
                (
                    "src/lib/reports.ts",
                    "import { PrismaClient } from '@prisma/client'\n\nconst prisma = new PrismaClient()\n",
                ),
                ("scripts/seed.ts", "const prisma = new PrismaClient()\n"),
                ("src/lib/a.test.ts", "const prisma = new PrismaClient()\n"),
                ("src/lib/c.ts", "// const prisma = new PrismaClient()\n"),
            ],
        );
        assert_eq!(f.len(), 1, "{f:#?}");
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!(
            (loc.file.as_str(), loc.start.line, loc.start.column),
            ("src/lib/reports.ts", 3, 16)
        );
        assert_eq!(f[0].severity, Severity::Medium);
    }

    #[test]
    fn one_client_passes_and_next_without_singleton_is_low() {
        assert!(
            findings(
                "multiple-prisma-clients",
                &[
                    ("prisma/schema.prisma", SCHEMA),
                    ("src/lib/prisma.ts", SINGLETON)
                ]
            )
            .is_empty()
        );
        let f = findings(
            "multiple-prisma-clients",
            &[
                ("prisma/schema.prisma", SCHEMA),
                ("package.json", r#"{"dependencies":{"next":"15.0.0"}}"#),
                ("src/db.ts", "export const prisma = new PrismaClient()\n"),
            ],
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Low);
    }
}
