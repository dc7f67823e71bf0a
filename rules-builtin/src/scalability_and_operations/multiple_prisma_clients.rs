use crate::support::connections::project_env;
use prisma_audit_core::declare_rule;
use prisma_audit_core::env::package_json::PackageJson;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::span::Span;
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it does
    /// Finds the modules of one application that each create their own `PrismaClient` (a
    /// `new PrismaClient(...)` expression, as the TypeScript front end reads it: not text in
    /// comments or strings), and in Next.js a single client created without a cache on
    /// `globalThis` (or `global`, or inside a `singleton(...)` helper).
    ///
    /// Modules are grouped by application: the directory of the nearest `package.json`, or
    /// the workspace folder (`apps/<name>`, `packages/<name>`, `services/<name>`) in a
    /// monorepo, since every application is its own process. One finding per application
    /// lists all of its client modules.
    ///
    /// Deliberately left out, because each runs as a process of its own or never in
    /// production:
    /// - scripts, seeds, tests, tools and migrations (by folder: `scripts`, `*-scripts`,
    ///   `tools`, `bin`, `seed`, `test`, `e2e`, `fixtures`, `migrations`, ...; by name:
    ///   `*seed*`, `*.test.*`, `*.spec.*`, `*.config.*`), background jobs, which usually run
    ///   in a worker or cron process of their own (`tasks`, `jobs`, `cron`, `workers`,
    ///   `trigger` folders), files a `package.json` script runs
    ///   (`node sync.js`), and files that run themselves (a shebang, `require.main === module`,
    ///   `import.meta.main`, `process.exit(`, a top-level `main().catch(...)`) or are
    ///   worker threads (`worker_threads`);
    /// - modules imported only by such scripts (a client module for the `prisma db seed` script);
    /// - a module creating its client twice, as the `globalThis` singleton does (one per
    ///   environment branch): it counts once.
    ///
    /// `new PrismaClientKnownRequestError(...)` and other names that merely start with
    /// `PrismaClient` are not clients.
    ///
    /// Medium; high with signs of a serverless deployment (Next.js, Vercel, Netlify, AWS
    /// Lambda, ...), where every function instance multiplies the extra pools.
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

const EXTS: [&str; 8] = [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"];
/// Monorepo folders whose children are applications or packages of their own.
const WORKSPACE_DIRS: [&str; 4] = ["apps", "packages", "services", "libs"];

fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// The path without its JS/TS extension.
fn strip_ext(path: &str) -> &str {
    EXTS.iter()
        .find_map(|e| path.strip_suffix(e))
        .unwrap_or(path)
}

/// JavaScript or TypeScript source outside dependencies and build output.
fn is_code(path: &str) -> bool {
    EXTS.iter().any(|e| path.ends_with(e))
        && !path.ends_with(".d.ts")
        && !path.split('/').any(|s| {
            matches!(
                s,
                "node_modules" | ".next" | "dist" | "build" | "out" | "coverage" | "generated"
            )
        })
}

/// Scripts, seeds, tests, tools and migrations, by folder or file name.
fn is_script_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let segs: Vec<&str> = lower.split('/').collect();
    let (dirs, name) = segs.split_at(segs.len().saturating_sub(1));
    let name = name.first().copied().unwrap_or("");
    let dir_hit = dirs.iter().any(|s| {
        s.contains("script")
            || s.contains("seed")
            || matches!(
                *s,
                "tools"
                    | "tool"
                    | "bin"
                    | "test"
                    | "tests"
                    | "__tests__"
                    | "e2e"
                    | "smoke"
                    | "fixtures"
                    | "__mocks__"
                    | "mocks"
                    | "migrations"
                    | "manual-migrations"
                    | "examples"
                    | "example"
                    | "docs"
                    | "bench"
                    | "benchmarks"
                    | "tasks"
                    | "jobs"
                    | "cron"
                    | "crons"
                    | "workers"
                    | "worker"
                    | "trigger"
            )
    });
    let name_hit = name.contains("seed")
        || name.contains(".test.")
        || name.contains(".spec.")
        || name.contains(".config.")
        || name.contains(".template.")
        || name.contains(".stories.");
    dir_hit || name_hit
}

/// A file that runs itself as a program or a worker thread.
fn is_script_text(text: &str) -> bool {
    if text.starts_with("#!")
        || text.contains("require.main === module")
        || text.contains("import.meta.main")
        || text.contains("worker_threads")
        || text.contains("process.exit(")
    {
        return true;
    }
    // A top-level call chained like a script's entry: `main().catch(...)`,
    // `run().finally(...)`.
    text.lines().any(|line| {
        if line.starts_with([' ', '\t']) {
            return false;
        }
        let Some(open) = line.find("()") else {
            return false;
        };
        let name = line[..open]
            .trim_start_matches("void ")
            .trim_start_matches("await ");
        let rest = line[open + 2..].trim_start();
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && [".catch(", ".then(", ".finally("]
                .iter()
                .any(|m| rest.starts_with(m))
    })
}

/// The module specifiers a file imports or requires.
fn specifiers(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for marker in ["from ", "require(", "import("] {
        for (i, _) in text.match_indices(marker) {
            let rest = text[i + marker.len()..].trim_start();
            let Some(q) = rest
                .chars()
                .next()
                .filter(|c| matches!(c, '\'' | '"' | '`'))
            else {
                continue;
            };
            if let Some(end) = rest[1..].find(q) {
                out.push(&rest[1..1 + end]);
            }
        }
    }
    out
}

/// `a/b/../c` → `a/c`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Whether `spec`, imported from `importer`, names the module at `target` (extension
/// stripped; `index` modules also by their folder). Relative specifiers are resolved; alias
/// specifiers (`@/db/client`, `~/lib/db`, `lib/prisma` with a base URL) match by suffix.
fn names(spec: &str, importer: &str, target: &str) -> bool {
    let target_dir = target.strip_suffix("/index");
    let spec = strip_ext(spec);
    if spec.starts_with('.') {
        let resolved = normalize(&format!("{}/{spec}", dir_of(importer)));
        return resolved == target || target_dir == Some(resolved.as_str());
    }
    let tail = match spec.split_once('/') {
        Some(("@" | "~" | "#" | "@@" | "$", rest)) => rest,
        Some(_) if !spec.starts_with('@') => spec,
        _ => return false,
    };
    let ends = |t: &str| t == tail || t.ends_with(&format!("/{tail}"));
    ends(target) || target_dir.is_some_and(ends)
}

/// Paths that `package.json` scripts run directly (`node sync-stripe.js`, `tsx scripts/x`).
fn script_targets(ctx: &RuleContext<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for (_, f) in ctx.project.files() {
        let path = f.path();
        if !(path == "package.json" || path.ends_with("/package.json"))
            || path.split('/').any(|s| s == "node_modules")
        {
            continue;
        }
        let Some(pkg) = f.text().and_then(PackageJson::parse) else {
            continue;
        };
        let dir = dir_of(path);
        for (_, command) in &pkg.scripts {
            for token in command.split([' ', ';', '&', '|', '(', ')']) {
                let token = token.trim_matches(['"', '\'']);
                if token.starts_with('-')
                    || !(token.contains('/') || EXTS.iter().any(|e| token.ends_with(e)))
                {
                    continue;
                }
                out.push(normalize(&format!("{dir}/{}", strip_ext(token))));
            }
        }
    }
    out
}

/// The application a file belongs to: the nearest `package.json` directory, or a deeper
/// workspace folder (`apps/web`).
fn unit_of(path: &str, package_dirs: &[String]) -> String {
    let segs: Vec<&str> = path.split('/').collect();
    let mut best = String::new();
    for i in (0..segs.len().saturating_sub(1)).rev() {
        let dir = segs[..i].join("/");
        if package_dirs.contains(&dir) {
            best = dir;
            break;
        }
    }
    for i in 0..segs.len().saturating_sub(2) {
        if WORKSPACE_DIRS.contains(&segs[i]) {
            let ws = segs[..i + 2].join("/");
            if ws.len() > best.len() {
                best = ws;
            }
            break;
        }
    }
    best
}

struct ClientModule {
    path: String,
    span: Span,
    singleton: bool,
}

impl Rule for MultiplePrismaClients {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        let code: Vec<(prisma_audit_core::span::FileId, &str, &str)> = ctx
            .project
            .files()
            .filter(|(_, f)| is_code(f.path()))
            .filter_map(|(id, f)| Some((id, f.path(), f.text()?)))
            .collect();
        let run_by_scripts = script_targets(ctx);
        let is_script = |path: &str, text: &str| {
            let stem = strip_ext(path);
            is_script_path(path)
                || is_script_text(text)
                || run_by_scripts
                    .iter()
                    .any(|t| t == stem || stem.strip_suffix("/index") == Some(t.as_str()))
        };
        let package_dirs: Vec<String> = ctx
            .project
            .files()
            .map(|(_, f)| f.path())
            .filter(|p| {
                (*p == "package.json" || p.ends_with("/package.json"))
                    && !p.split('/').any(|s| s == "node_modules")
            })
            .map(|p| dir_of(p).to_string())
            .collect();

        // The `new PrismaClient` expressions the TypeScript front end found (not text in
        // comments or strings), by file.
        let app = ctx.application();
        let mut units: BTreeMap<String, Vec<ClientModule>> = BTreeMap::new();
        for file in &app.files {
            let Some(first) = file.queries.clients.first() else {
                continue;
            };
            let Some(f) = ctx.project.file(file.file) else {
                continue;
            };
            let (path, text) = (f.path(), f.text().unwrap_or(""));
            if is_script(path, text) {
                continue;
            }
            // A module that only scripts, seeds and tests import is part of them.
            let target = strip_ext(path);
            let importers: Vec<(&str, &str)> = code
                .iter()
                .filter(|(_, p, t)| *p != path && specifiers(t).iter().any(|s| names(s, p, target)))
                .map(|&(_, p, t)| (p, t))
                .collect();
            if !importers.is_empty() && importers.iter().all(|(p, t)| is_script(p, t)) {
                continue;
            }
            units
                .entry(unit_of(path, &package_dirs))
                .or_default()
                .push(ClientModule {
                    path: path.to_string(),
                    span: prisma_audit_core::application::span_of(file.file, first.span),
                    singleton: file.queries.reads_global
                        || file.queries.clients.iter().any(|c| c.in_singleton_helper),
                });
        }

        let serverless = env.serverless_signs();
        let next = env.has_dependency("next");
        for (unit, mut modules) in units {
            let app = if unit.is_empty() {
                "the project root".to_string()
            } else {
                format!("`{unit}`")
            };
            if modules.len() == 1 {
                let m = &modules[0];
                if next && !m.singleton {
                    let message = format!(
                        "`{}` creates PrismaClient without the `globalThis` singleton: Next.js hot \
                         reloading creates a new client and connection pool on every change in \
                         development",
                        m.path
                    );
                    let help = "Cache the client on `globalThis` outside production: \
                                `const globalForPrisma = globalThis as unknown as { prisma?: \
                                PrismaClient }; export const prisma = globalForPrisma.prisma ?? \
                                new PrismaClient(); if (process.env.NODE_ENV !== 'production') \
                                globalForPrisma.prisma = prisma`.";
                    out.push(
                        RawFinding::new(format!("{}|singleton", m.path), message)
                            .at(m.span)
                            .severity(Severity::Low)
                            .help(help),
                    );
                }
                continue;
            }
            // Point at a module that is not the shared singleton; the others are related.
            modules.sort_by_key(|m| (m.singleton, m.path.clone()));
            let list: Vec<String> = modules.iter().map(|m| format!("`{}`", m.path)).collect();
            let primary = &modules[0];
            let serverless_note = if serverless.is_empty() {
                String::new()
            } else {
                format!(
                    " On serverless platforms ({}) every function instance repeats this.",
                    serverless.join(", ")
                )
            };
            let mut f = RawFinding::new(
                format!("{unit}|new PrismaClient"),
                format!(
                    "{} modules of {app} create their own PrismaClient ({}): each opens its own \
                     connection pool in the same process",
                    modules.len(),
                    list.join(", ")
                ),
            )
            .at(primary.span)
            .severity(if serverless.is_empty() {
                Severity::Medium
            } else {
                Severity::High
            })
            .help(format!(
                "Every PrismaClient owns a pool of num_cpus × 2 + 1 connections; several clients \
                 per process multiply the connections and can exhaust the \
                 database.{serverless_note} Export one client from one module (e.g. \
                 `src/lib/prisma.ts`, cached on `globalThis` for Next.js development) and import \
                 it everywhere."
            ));

            for m in &modules[1..] {
                f = f.related(m.span, format!("another client, in `{}`", m.path));
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "multiple-prisma-clients";

    const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
}
"#;

    /// The usual shared client, cached on `globalThis`.
    const SINGLETON: &str = r#"import { PrismaClient } from '@prisma/client'
const g = globalThis as any
export const prisma = g.prisma ?? new PrismaClient()
"#;

    /// A module creating its own client.
    const OWN_CLIENT: &str = r#"const prisma = new PrismaClient()
"#;

    const NEXT: &str = r#"{"dependencies":{"next":"15.0.0"}}"#;

    /// A project of the given files next to `prisma/schema.prisma`.
    fn project(files: &[(&str, &str)]) -> Case {
        let mut all = vec![("prisma/schema.prisma", SCHEMA)];
        all.extend_from_slice(files);
        Case::files(&all)
    }

    /// Two more client modules besides the singleton; scripts, tests, comments and Prisma's
    /// error classes do not count.
    fn second_client_modules() -> Case {
        project(&[
            ("src/lib/prisma.ts", SINGLETON),
            (
                "src/lib/reports.ts",
                r#"import { PrismaClient } from '@prisma/client'

const prisma = new PrismaClient()
"#,
            ),
            (
                "src/lib/audit.ts",
                r#"import { PrismaClient } from '@prisma/client'
const prisma = new PrismaClient()
"#,
            ),
            ("scripts/seed.ts", OWN_CLIENT),
            ("src/lib/a.test.ts", OWN_CLIENT),
            ("src/lib/c.ts", "// const prisma = new PrismaClient()\n"),
            (
                "src/lib/errors.ts",
                r#"throw new PrismaClientKnownRequestError('x', { code: 'P2002' })
"#,
            ),
        ])
    }

    /// Each application of a monorepo is its own process with its own client.
    fn monorepo_applications() -> Case {
        project(&[
            ("apps/web/src/db.ts", SINGLETON),
            (
                "apps/worker/src/db.ts",
                "export const prisma = new PrismaClient()\n",
            ),
            ("packages/db/package.json", "{}"),
            (
                "packages/db/src/client.ts",
                "export const db = new PrismaClient()\n",
            ),
        ])
    }

    /// Scripts run by package.json, `main()` programs, worker threads, migration scripts,
    /// tools, task modules and the helpers only a seed imports are separate processes.
    fn scripts_and_workers() -> Case {
        project(&[
            ("src/lib/prisma.ts", SINGLETON),
            (
                "package.json",
                r#"{"scripts":{"sync":"node --env-file .env sync-stripe.js","grant":"node src/lib/grant"}}"#,
            ),
            ("sync-stripe.js", OWN_CLIENT),
            ("src/lib/grant/index.js", OWN_CLIENT),
            (
                "src/lib/report.ts",
                r#"const prisma = new PrismaClient()
async function main() {}
main().catch(console.error)
"#,
            ),
            (
                "src/worker/thumbnail.ts",
                r#"import { workerData } from 'worker_threads'
const prisma = new PrismaClient()
"#,
            ),
            ("migration-scripts/backfill.ts", OWN_CLIENT),
            ("tools/verify.ts", OWN_CLIENT),
            (
                "tasks/daily-stats.cjs",
                r#"const prisma = new PrismaClient()
module.exports = async () => {}
"#,
            ),
            (
                "src/db/client.node.ts",
                "export const prismaClient = new PrismaClient()\n",
            ),
            (
                "prisma/seed/index.ts",
                "import { prismaClient } from '@/db/client.node'\n",
            ),
        ])
    }

    /// One module whose two branches each create a client.
    const TWO_BRANCHES: &str = r#"let prisma
if (process.env.NODE_ENV === 'production') {
  prisma = new PrismaClient()
} else {
  if (!global.cachedPrisma) {
    global.cachedPrisma = new PrismaClient()
  }
  prisma = global.cachedPrisma
}
"#;

    /// A client cached on `global` by hand.
    const GLOBAL_CACHE: &str = r#"if (!global.prisma) global.prisma = new PrismaClient()
export default global.prisma
"#;

    /// A module that calls `main()` without `.catch` is imported, not run as a script.
    const MAIN_WITHOUT_CATCH: &str = r#"const prisma = new PrismaClient()
async function main() {}
main()
"#;

    /// `module` next to the singleton and an application page importing `client.node`.
    fn beside_singleton(path: &str, module: &str) -> Case {
        project(&[
            ("src/lib/prisma.ts", SINGLETON),
            (path, module),
            (
                "src/app/page.ts",
                "import { prismaClient } from '@/db/client.node'\n",
            ),
        ])
    }

    fn next_app(db: &str) -> Case {
        project(&[("package.json", NEXT), ("src/db.ts", db)])
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                monorepo_applications(),
                scripts_and_workers(),
                project(&[("lib/db.ts", TWO_BRANCHES)]),
                // `global.x` and a `singleton(...)` helper are the same cache.
                next_app(GLOBAL_CACHE),
                next_app(
                    "export const prisma = singletonSync('prisma', () => new PrismaClient())\n"
                ),
                next_app("const db = global[id] ?? new PrismaClient()\n"),
            ],
            &[
                // One finding for the application, anchored at a module that is not the
                // singleton, the others related.
                second_client_modules(),
                project(&[
                    ("apps/web/src/db.ts", SINGLETON),
                    ("apps/web/src/auth.ts", OWN_CLIENT),
                ]),
                // The same modules as in `scripts_and_workers`, without what makes them
                // scripts: no package.json script, `main()` without a `.catch`, imported by
                // the application.
                beside_singleton("sync-stripe.js", OWN_CLIENT),
                beside_singleton("src/lib/report.ts", MAIN_WITHOUT_CATCH),
                beside_singleton(
                    "src/db/client.node.ts",
                    "export const prismaClient = new PrismaClient()\n"
                ),
                // Next.js without a cached client: low.
                next_app("export const prisma = new PrismaClient()\n"),
            ],
        ));
    }
}
