//! `--fix --unsafe-fixes` leaves a consistent project: for examples/vet-clinic and PostgreSQL
//! migration histories of the corpus of real projects, every fix is applied together with the
//! migration it needs ([`fix_project_with`]), and then
//! - a fresh audit reports no `schema-drift` or `missing-migration` finding the project did not
//!   already have (those left are differences the migration deliberately does not drop: tables,
//!   columns and indexes only the migrations create);
//! - Prisma's validator accepts the fixed schema;
//! - on a throwaway PostgreSQL 15, Prisma replays the whole history plus the written migrations
//!   (each `CREATE INDEX CONCURRENTLY` in its own) on a shadow database, and `prisma migrate diff
//!   --from-migrations … --to-schema-datamodel …` (Prisma 6.19, tools/prisma-migrate-diff) sees
//!   no difference beyond the one it saw before fixing (none, for histories in sync).
//!
//! By default a fixed sample ([`SAMPLE`]) runs; `PRISMA_AUDIT_FIX_MIGRATION_ALL=1` runs every
//! PostgreSQL history of the corpus and prints the table. Slow suite (needs Node, the corpus,
//! `npm ci --prefix tools/prisma-migrate-diff`, tools/prisma-oracle and PostgreSQL 15):
//! `cargo test -p prisma-audit-rules --test fix_migration_crosscheck -- --ignored --nocapture`.
//! Skips when the corpus or PostgreSQL is absent.

use prisma_audit_test_support::wasm_oracle;

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/migrate_diff.rs"]
mod migrate_diff;

use corpus::{Entry, Kind};
use prisma_audit_core::fix::{FixOptions, fix_project_with};
use prisma_audit_core::fix_migration::MigrationRequest;
use prisma_audit_core::{AuditOptions, Project, audit};
use prisma_audit_test_support::pg_cluster::{self, Cluster};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use wasm_oracle::Verdict;

const DRIFT_RULES: &[&str] = &["schema-drift", "missing-migration"];

/// Histories with many kinds of fixes (foreign-key indexes, redundant indexes, `onDelete`
/// actions, tenant-scoped uniques, type changes), in sync or with drift of their own, single-
/// and multi-file schemas, 7 to 271 migrations.
const SAMPLE: &[&str] = &[
    "projects/APITeamLimited__mainstage",
    "projects/Shelf-nu__shelf.nu",
    "projects/amplication__amplication (packages/amplication-prisma-db/prisma/schema.prisma)",
    "projects/unsend-dev__unsend",
    "projects/dyrector-io__dyrectorio",
    "projects/msgbyte__tianji",
    "projects/usertour__usertour",
    "projects/tegonhq__tegon",
    "projects/jeepies__jays.pics",
    "projects/copilot-platforms__tasks-app",
    "projects/djyde__cusdis (prisma/pgsql/schema.prisma)",
    // SQLite: an `onDelete` change rebuilds the table.
    "projects/Mintplex-Labs__anything-llm",
    "projects/djyde__cusdis (prisma/sqlite/schema.prisma)",
];

/// The timestamp of the written migrations (after every corpus history).
const TIMESTAMP: &str = "20300101000000";

/// A SQLite history: applied with Python's `sqlite3` module instead of Prisma.
fn is_sqlite_history(e: &Entry) -> bool {
    e.kind == Kind::Project
        && e.provider == "sqlite"
        && e.features.split(',').any(|t| t == "lock_provider=sqlite")
}

/// Apply every `migration.sql` under `dir` in folder order to an in-memory SQLite database
/// (Python's `sqlite3`): `Ok(statement-set)` stands for "applied", the set is always empty.
fn sqlite_apply(dir: &Path) -> Result<BTreeSet<String>, String> {
    let script = "import glob,sqlite3,sys\ndb=sqlite3.connect(':memory:')\nfor f in sorted(glob.glob(sys.argv[1]+'/*/migration.sql')):\n    try:\n        db.executescript(open(f,encoding='utf-8').read())\n    except Exception as e:\n        print(f.split('/')[-2]+': '+str(e)); sys.exit(1)\n";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(dir)
        .output()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    if out.status.success() {
        Ok(BTreeSet::new())
    } else {
        Err(format!(
            "SQLite: {}",
            String::from_utf8_lossy(&out.stdout).trim()
        ))
    }
}

/// Prisma's diff as a set of statements (comments dropped), `Err` when it has no verdict.
fn prisma_diff(migrations: &Path, schema: &Path, url: &str) -> Result<BTreeSet<String>, String> {
    let v = migrate_diff::run(migrations, schema, url)?;
    match v["empty"].as_bool() {
        Some(true) => Ok(BTreeSet::new()),
        Some(false) => Ok(v["sql"]
            .as_str()
            .unwrap_or("")
            .split("\n\n")
            .map(|chunk| {
                chunk
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("--"))
                    .collect::<Vec<_>>()
                    .join("\n")
                    .trim()
                    .to_string()
            })
            .filter(|s| !s.is_empty())
            .collect()),
        None => Err(v["error"]
            .as_str()
            .unwrap_or("unknown error")
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with("Loaded Prisma config"))
            .take(4)
            .collect::<Vec<_>>()
            .join(" / ")),
    }
}

/// Write the project's files under `dir`, renaming migration folders per `renames`.
fn write_project(project: &Project, dir: &Path, renames: &[(&str, &str)]) {
    for (_, f) in project.files() {
        let mut path = f.path().to_string();
        for (from, to) in renames {
            path = path.replace(from, to);
        }
        let target = dir.join(&path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, f.bytes()).unwrap();
    }
}

struct Case {
    name: String,
    project: Project,
    schema: Option<String>,
    /// Schema path (file or folder) relative to the project root, for Prisma.
    schema_target: String,
    migrations_dir: String,
    major: corpus::Major,
    /// Migration folders renamed for Prisma's replay (see vet-clinic).
    renames: Vec<(&'static str, &'static str)>,
    /// SQLite: the migrations are applied with `sqlite3`, not compared with Prisma's diff.
    sqlite: bool,
}

struct Outcome {
    name: String,
    sqlite: bool,
    migrations: usize,
    drift_before: usize,
    drift_after: Vec<String>,
    introduced: Vec<String>,
    valid: Result<(), String>,
    prisma_before: Result<BTreeSet<String>, String>,
    prisma_after: Result<BTreeSet<String>, String>,
    secs: f64,
}

fn drift(project: &Project, options: &AuditOptions) -> Vec<String> {
    audit(project, options)
        .expect("audit")
        .findings
        .into_iter()
        .filter(|f| DRIFT_RULES.contains(&f.rule.as_str()))
        .map(|f| format!("{}: {}", f.rule, f.message))
        .collect()
}

fn run(
    case: &Case,
    url: &str,
    oracle: &mut prisma_audit_test_support::wasm_oracle::WasmOracle,
) -> Outcome {
    let started = std::time::Instant::now();
    let options = AuditOptions {
        schema: case.schema.clone(),
        ..AuditOptions::default()
    };
    let before = drift(&case.project, &options);
    let run = fix_project_with(
        &case.project,
        &options,
        &FixOptions {
            include_unsafe: true,
            migration: Some(MigrationRequest::new(TIMESTAMP)),
        },
    )
    .expect("fixes apply");
    let migrations = run
        .changed
        .keys()
        .filter(|p| {
            p.contains(&format!(
                "_{}",
                prisma_audit_core::fix_migration::DEFAULT_NAME
            ))
        })
        .count();
    let after = drift(&run.project, &options);
    let introduced: Vec<String> = after
        .iter()
        .filter(|a| !before.contains(a))
        .cloned()
        .collect();
    // The fixed schema files, for Prisma's validator.
    let schema_files: Vec<(String, String)> =
        prisma_audit_core::audit::analyze(&run.project, case.schema.as_deref())
            .map(|a| {
                a.source
                    .files
                    .iter()
                    .filter_map(|&id| run.project.file(id))
                    .map(|f| {
                        (
                            f.path().to_string(),
                            f.text().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
    let (verdict, _) = corpus::prisma_verdict(oracle, case.major, &schema_files);
    let valid = match verdict {
        Verdict::Valid => Ok(()),
        other => Err(format!("{other:?}")),
    };
    let tmp = std::env::temp_dir().join(format!(
        "prisma-audit-fix-migration-{}-{}",
        std::process::id(),
        case.name.replace(['/', ' ', '(', ')'], "_")
    ));
    let _ = std::fs::remove_dir_all(&tmp);
    let (orig, fixed) = (tmp.join("before"), tmp.join("after"));
    write_project(&case.project, &orig, &case.renames);
    write_project(&run.project, &fixed, &case.renames);
    let diff = |root: &Path| {
        prisma_diff(
            &root.join(&case.migrations_dir),
            &root.join(&case.schema_target),
            url,
        )
    };
    let (prisma_before, prisma_after) = if case.sqlite {
        (
            sqlite_apply(&orig.join(&case.migrations_dir)),
            sqlite_apply(&fixed.join(&case.migrations_dir)),
        )
    } else {
        (diff(&orig), diff(&fixed))
    };
    let _ = std::fs::remove_dir_all(&tmp);
    Outcome {
        name: case.name.clone(),
        sqlite: case.sqlite,
        migrations,
        drift_before: before.len(),
        drift_after: after,
        introduced,
        valid,
        prisma_before,
        prisma_after,
        secs: started.elapsed().as_secs_f64(),
    }
}

/// `work` over `cases` on two threads, each with its own validator.
fn parallel(cases: &[Case], url: &str) -> Vec<Outcome> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..corpus::threads().clamp(1, 2) {
            scope.spawn(|| {
                let mut oracle = corpus::start_oracle();
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(case) = cases.get(i) else { break };
                    let outcome = run(case, url, &mut oracle);
                    results.lock().unwrap().push((i, outcome));
                }
            });
        }
    });
    let mut out = results.into_inner().unwrap();
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, o)| o).collect()
}

fn vet_clinic() -> Case {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/vet-clinic");
    let project = prisma_audit_core::load::load_dir(&root, &Default::default()).expect("load");
    Case {
        name: "examples/vet-clinic".into(),
        project,
        schema: None,
        schema_target: "prisma/schema.prisma".into(),
        migrations_dir: "prisma/migrations".into(),
        major: corpus::Major::Declared(6),
        // Its trial-tracking migration is dated before the initial one (a finding of the
        // example): Prisma replays it where it can run, after the migrations it depends on.
        renames: vec![(
            "20241210000000_add_trial_tracking",
            "20250630232238_add_trial_tracking",
        )],
        sqlite: false,
    }
}

#[test]
#[ignore = "slow: needs the corpus, Node, tools/prisma-migrate-diff, tools/prisma-oracle and PostgreSQL 15 (scripts/test-all.sh runs it)"]
fn fixes_with_their_migration_leave_a_consistent_project() {
    let Some(corpus_dir) = corpus::corpus_dir("fix_migration_crosscheck") else {
        return;
    };
    if !Cluster::available() {
        eprintln!(
            "fix_migration_crosscheck: skipped: PostgreSQL 15 is not installed ({})",
            pg_cluster::PGBIN
        );
        return;
    }
    assert!(
        migrate_diff::installed(),
        "tools/prisma-migrate-diff is not installed: npm ci --prefix tools/prisma-migrate-diff"
    );
    prisma_audit_rules::link();
    let started = std::time::Instant::now();
    let all = std::env::var("PRISMA_AUDIT_FIX_MIGRATION_ALL").is_ok_and(|v| v == "1");
    let mut cases = vec![vet_clinic()];
    for e in corpus::manifest(&corpus_dir)
        .into_iter()
        .filter(|e| migrate_diff::is_pg_history(e) || is_sqlite_history(e))
        .filter(|e| all || SAMPLE.contains(&e.name().as_str()))
    {
        let loaded = corpus::load_entry(&corpus_dir, &e).expect("load");
        cases.push(Case {
            name: e.name(),
            project: loaded.project,
            schema: loaded.schema,
            schema_target: e.schema_target(),
            migrations_dir: migrate_diff::migrations_dir(&e),
            major: e.major(),
            renames: Vec::new(),
            sqlite: is_sqlite_history(&e),
        });
    }
    if !all {
        assert_eq!(
            cases.len(),
            SAMPLE.len() + 1,
            "every sample history is in the corpus"
        );
    }
    let pg = Cluster::start();
    let url = pg.url("postgres");
    let outcomes = parallel(&cases, &url);
    let mut failures = Vec::new();
    let mut table = Vec::new();
    let (mut in_sync, mut written) = (0, 0);
    for o in &outcomes {
        let mut problems = Vec::new();
        if !o.introduced.is_empty() {
            problems.push(format!("drift after fixing: {}", o.introduced.join(" / ")));
        }
        if let Err(e) = &o.valid {
            problems.push(format!("Prisma rejects the fixed schema: {e}"));
        }
        let prisma = match (&o.prisma_before, &o.prisma_after) {
            (Ok(b), Ok(a)) => {
                let new: Vec<&String> = a.difference(b).collect();
                if !new.is_empty() {
                    problems.push(format!(
                        "prisma migrate diff sees {} new difference(s): {}",
                        new.len(),
                        new.iter()
                            .take(4)
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(" / ")
                    ));
                }
                if o.sqlite {
                    "SQLite applies the history and the written migration".to_string()
                } else if a.is_empty() {
                    in_sync += 1;
                    "migrate diff empty".to_string()
                } else {
                    format!(
                        "migrate diff: {} statement(s), all there before fixing",
                        a.len()
                    )
                }
            }
            // Prisma cannot replay the history itself: nothing to compare.
            (Err(b), Err(_)) => format!("Prisma cannot replay the history: {b}"),
            (Ok(_), Err(a)) => {
                problems.push(format!("Prisma cannot replay the fixed history: {a}"));
                "FAILED".into()
            }
            (Err(b), Ok(_)) => format!("Prisma could not replay the original: {b}"),
        };
        written += o.migrations;
        table.push(format!(
            "{:>5.1}s  {:<70} {} migration(s) written; drift findings {} -> {}; {prisma}{}",
            o.secs,
            o.name,
            o.migrations,
            o.drift_before,
            o.drift_after.len(),
            if problems.is_empty() {
                String::new()
            } else {
                format!("\n          {}", problems.join("\n          "))
            }
        ));
        if !problems.is_empty() {
            failures.push(format!("{}: {}", o.name, problems.join("; ")));
        }
    }
    eprintln!(
        "fix_migration_crosscheck: {} projects in {:.1?}",
        outcomes.len(),
        started.elapsed()
    );
    for line in &table {
        eprintln!("  {line}");
    }
    eprintln!(
        "  {written} migration folder(s) written; {in_sync} project(s) with an empty migrate diff after fixing; {} failure(s)",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} project(s) left inconsistent by --fix --unsafe-fixes:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
