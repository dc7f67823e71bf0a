//! Our drift verdict against Prisma's own: for PostgreSQL migration histories of the corpus of
//! real projects, `prisma migrate diff --from-migrations <history> --to-schema-datamodel
//! <schema>` (the pinned Prisma 6 CLI in tools/prisma-migrate-diff, replaying the history on a
//! shadow database of a throwaway PostgreSQL 15) either sees no difference or prints the SQL
//! that would close it; our audit with the default configuration either reports `schema-drift`
//! / `missing-migration` findings or not. The two must agree, except for the histories listed in
//! [`EXCEPTIONS`].
//!
//! By default a fixed sample of histories ([`SAMPLE`]) runs; `PRISMA_AUDIT_MIGRATE_DIFF_ALL=1`
//! runs every PostgreSQL history of the corpus. Either way the test prints a table (agree /
//! disagree / Prisma failed, per history and in total) and then fails if any disagreement or
//! Prisma failure is not a listed exception.
//!
//! Slow suite (needs Node, `npm ci --prefix tools/prisma-migrate-diff` and PostgreSQL 15);
//! scripts/test-all.sh runs it with `cargo test -p prisma-audit-rules --test
//! migrate_diff_crosscheck -- --ignored --nocapture`. Skips when the corpus or PostgreSQL is
//! absent. See docs/migrate-diff-crosscheck.md for the results.

use prisma_audit_test_support::wasm_oracle;

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/migrate_diff.rs"]
mod migrate_diff;

use prisma_audit_test_support::pg_cluster;

use corpus::Entry;
use pg_cluster::Cluster;
use prisma_audit_core::{AuditOptions, audit};
use std::path::Path;

/// The rules whose findings mean "the replayed history and the schema differ".
const DRIFT_RULES: &[&str] = &["schema-drift", "missing-migration"];

/// The fixed sample ([`Entry::name`]: corpus `dir`, plus the schema path for directories with
/// several histories): 7 to 271 migrations, projects declaring Prisma 4 to 7, single- and
/// multi-file schemas, histories in sync, with drift of several kinds, and one Prisma cannot
/// replay. About 20 s in a debug build.
const SAMPLE: &[&str] = &[
    // RedwoodJS, 35 migrations: a unique index no migration creates.
    "projects/APITeamLimited__mainstage",
    // 271 migrations: foreign keys no relation declares, trigram indexes.
    "projects/Shelf-nu__shelf.nu",
    // 135 migrations written with Prisma 5 (implicit many-to-many tables with unique indexes).
    "projects/amplication__amplication (packages/amplication-prisma-db/prisma/schema.prisma)",
    // An enum type only the migrations create.
    "projects/unsend-dev__unsend",
    // `ON DELETE` drift, `engineType = "binary"`, a copy of a declared unique index.
    "projects/dyrector-io__dyrectorio",
    // jsonb columns the schema declares as json.
    "projects/msgbyte__tianji",
    // In sync, with a CHECK constraint added by hand.
    "projects/usertour__usertour",
    // In sync, Prisma 7 schema without a datasource URL.
    "projects/spliit-app__spliit",
    // In sync, one of several histories in one repository.
    "projects/djyde__cusdis (prisma/pgsql/schema.prisma)",
    // Multi-file schema with several database schemas, a history Prisma cannot replay.
    "projects/ABC-TransitionBasCarbone__bilan-carbone",
];

/// Histories where Prisma and we legitimately differ: (corpus `dir` plus ` (schema path)` when
/// the directory holds several histories, as [`Entry::name`] prints it; reason).
const EXCEPTIONS: &[(&str, &str)] = &[
    // Prisma cannot replay these histories on a clean PostgreSQL 15, so there is no diff to
    // compare with (our replay models the statements instead of running them).
    (
        "projects/ABC-TransitionBasCarbone__bilan-carbone",
        "Prisma cannot replay: a migration adds an enum value and uses it in the same file, which PostgreSQL rejects inside the script's transaction",
    ),
    (
        "projects/AjaniBilby__recommend-moe",
        "Prisma cannot replay: needs the pgvector extension",
    ),
    (
        "projects/ECEHive__hums",
        "Prisma cannot replay: needs the pgvector extension",
    ),
    (
        "projects/briefercloud__briefer",
        "Prisma cannot replay: needs the pgvector extension",
    ),
    (
        "projects/pdovhomilja__nextcrm-app",
        "Prisma cannot replay: needs the pgvector extension",
    ),
    (
        "projects/AlexPasharin__mycollections-desktop-app",
        "Prisma cannot replay: JSON_VALUE(... RETURNING ...) needs PostgreSQL 17",
    ),
    (
        "projects/civitai__civitai",
        "Prisma cannot replay: a trigger names a column `PostMetric` does not have in the history (and the file runs CREATE INDEX CONCURRENTLY in a multi-statement script)",
    ),
];

/// Prisma 6 gives implicit many-to-many join tables (`_AToB`) a primary key `_AToB_AB_pkey`
/// where Prisma 4 and 5 created a unique index `_AToB_AB_unique`: its diff of a history written
/// with Prisma 5 therefore adds the key and drops the index of every such table. Under the
/// Prisma the project declares (≤ 5) there is no difference, and our audit rightly reports
/// none, so these statements are left out of Prisma's diff for projects declaring Prisma ≤ 5.
fn without_prisma6_join_table_keys(e: &Entry, sql: &str) -> Option<String> {
    if e.declared_major().is_none_or(|m| m > 5) {
        return None;
    }
    let mut dropped = false;
    let kept: Vec<&str> = sql
        .split("\n\n")
        .filter(|chunk| {
            let stmt: String = chunk
                .lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join(" ");
            let stmt = stmt.trim();
            let join_key = (stmt.starts_with("ALTER TABLE ")
                && stmt.ends_with("_AB_pkey\" PRIMARY KEY (\"A\", \"B\");"))
                || (stmt.starts_with("DROP INDEX ") && stmt.ends_with("_AB_unique\";"));
            dropped |= join_key;
            !join_key
        })
        .collect();
    dropped.then(|| kept.join("\n\n"))
}

/// Prisma's answer for one history.
#[derive(Debug)]
enum Prisma {
    /// No difference.
    Empty,
    /// No difference once Prisma 6's join-table keys are left out (see
    /// [`without_prisma6_join_table_keys`]).
    EmptyForDeclaredVersion,
    /// The SQL that would close the difference.
    Differs(String),
    /// Prisma could not compute a diff (the history fails on the shadow database, ...).
    Failed(String),
}

struct Outcome {
    name: String,
    prisma: Prisma,
    /// Our drift findings: `rule: message`.
    ours: Vec<String>,
    /// A crash or audit error on our side.
    error: Option<String>,
    secs: f64,
}

/// `prisma migrate diff` through tools/prisma-migrate-diff/migrate-diff.mjs.
fn prisma_diff(corpus: &Path, e: &Entry, url: &str) -> Prisma {
    let dir = corpus.join(&e.dir);
    let v = match migrate_diff::run(
        &dir.join(migrate_diff::migrations_dir(e)),
        &dir.join(e.schema_target()),
        url,
    ) {
        Ok(v) => v,
        Err(why) => return Prisma::Failed(why),
    };
    match v["empty"].as_bool() {
        Some(true) => Prisma::Empty,
        Some(false) => {
            let sql = v["sql"].as_str().unwrap_or("").to_string();
            match without_prisma6_join_table_keys(e, &sql) {
                Some(rest)
                    if rest
                        .lines()
                        .all(|l| l.trim().is_empty() || l.starts_with("--")) =>
                {
                    Prisma::EmptyForDeclaredVersion
                }
                Some(rest) => Prisma::Differs(rest),
                None => Prisma::Differs(sql),
            }
        }
        None => Prisma::Failed(v["error"].as_str().unwrap_or("unknown error").to_string()),
    }
}

/// Our drift findings for the entry's history (default configuration, the entry's schema).
fn our_drift(corpus: &Path, e: &Entry) -> Result<Vec<String>, String> {
    let loaded = corpus::load_entry(corpus, e)?;
    let options = AuditOptions {
        schema: loaded.schema,
        ..AuditOptions::default()
    };
    let report = audit(&loaded.project, &options).map_err(|err| format!("audit: {err}"))?;
    Ok(report
        .findings
        .iter()
        .filter(|f| DRIFT_RULES.contains(&f.rule.as_str()))
        .map(|f| format!("{}: {}", f.rule, f.message))
        .collect())
}

fn run(corpus: &Path, e: &Entry, url: &str) -> Outcome {
    let started = std::time::Instant::now();
    let prisma = prisma_diff(corpus, e, url);
    let (ours, error) =
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| our_drift(corpus, e))) {
            Ok(Ok(f)) => (f, None),
            Ok(Err(err)) => (Vec::new(), Some(err)),
            Err(p) => (
                Vec::new(),
                Some(format!("panic: {}", corpus::panic_message(&*p))),
            ),
        };
    Outcome {
        name: e.name(),
        prisma,
        ours,
        error,
        secs: started.elapsed().as_secs_f64(),
    }
}

fn first_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("Loaded Prisma config"))
        .collect();
    let mut s = lines
        .iter()
        .take(n)
        .copied()
        .collect::<Vec<_>>()
        .join(" / ");
    if lines.len() > n {
        s.push_str(&format!(" / ... ({} lines)", lines.len()));
    }
    s
}

#[test]
#[ignore = "slow: needs the corpus, Node, tools/prisma-migrate-diff and PostgreSQL 15 (scripts/test-all.sh runs it)"]
fn drift_agrees_with_prisma_migrate_diff() {
    let Some(corpus) = corpus::corpus_dir("migrate_diff_crosscheck") else {
        return;
    };
    if !Cluster::available() {
        eprintln!(
            "migrate_diff_crosscheck: skipped: PostgreSQL 15 is not installed ({})",
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
    let all = std::env::var("PRISMA_AUDIT_MIGRATE_DIFF_ALL").is_ok_and(|v| v == "1");
    let histories: Vec<Entry> = corpus::manifest(&corpus)
        .into_iter()
        .filter(migrate_diff::is_pg_history)
        .collect();
    let entries: Vec<Entry> = if all {
        histories
    } else {
        let picked: Vec<Entry> = histories
            .into_iter()
            .filter(|e| SAMPLE.contains(&e.name().as_str()))
            .collect();
        if std::env::var_os("PRISMA_AUDIT_CORPUS_ONLY").is_none() {
            for name in SAMPLE {
                assert!(
                    picked.iter().any(|e| e.name() == *name),
                    "sample history `{name}` is not a PostgreSQL history of the corpus"
                );
            }
        }
        picked
    };

    let pg = Cluster::start();
    let url = pg.url("postgres");
    let outcomes = corpus::parallel(
        &entries,
        corpus::threads().min(2),
        || (),
        |_, e| run(&corpus, e, &url),
    );

    let (mut agree_clean, mut agree_drift, mut prisma_failed) = (0, 0, 0);
    let mut failures = Vec::new();
    let mut table = Vec::new();
    for o in &outcomes {
        // "Prisma cannot replay" excuses only a Prisma failure, never a disagreement.
        let prisma_failed_now = matches!(o.prisma, Prisma::Failed(_)) && o.error.is_none();
        let exception = EXCEPTIONS
            .iter()
            .find(|(n, why)| {
                *n == o.name && (prisma_failed_now || !why.starts_with("Prisma cannot replay"))
            })
            .map(|e| e.1);
        let (verdict, detail) = if let Some(err) = &o.error {
            ("ERROR", err.clone())
        } else {
            match (&o.prisma, o.ours.is_empty()) {
                (Prisma::Empty, true) => {
                    agree_clean += 1;
                    ("agree (no drift)", String::new())
                }
                (Prisma::EmptyForDeclaredVersion, true) => {
                    agree_clean += 1;
                    (
                        "agree (no drift; Prisma 6's join-table primary keys left out, the project declares Prisma <= 5)",
                        String::new(),
                    )
                }
                (Prisma::Differs(_), false) => {
                    agree_drift += 1;
                    ("agree (drift)", first_lines(&o.ours.join("\n"), 8))
                }
                (Prisma::Failed(why), _) => {
                    prisma_failed += 1;
                    ("Prisma failed", first_lines(why, 4))
                }
                (Prisma::Empty | Prisma::EmptyForDeclaredVersion, false) => (
                    "DISAGREE: only we report drift",
                    first_lines(&o.ours.join("\n"), 4),
                ),
                (Prisma::Differs(sql), true) => (
                    "DISAGREE: only Prisma sees a difference",
                    first_lines(sql, 6),
                ),
            }
        };
        let ok = verdict.starts_with("agree") || exception.is_some();
        let verdict = match exception {
            Some(why) if !verdict.starts_with("agree") => format!("{verdict} (exception: {why})"),
            _ => verdict.to_string(),
        };
        if !ok {
            failures.push(format!("{}: {verdict}: {detail}", o.name));
        }
        table.push(format!(
            "{:>5.1}s  {:<70}  {verdict}{}",
            o.secs,
            o.name,
            if detail.is_empty() {
                String::new()
            } else {
                format!("\n          {detail}")
            }
        ));
    }
    let disagree = outcomes.len() - agree_clean - agree_drift - prisma_failed;
    eprintln!(
        "migrate_diff_crosscheck: {} PostgreSQL histories in {:.1?}",
        outcomes.len(),
        started.elapsed()
    );
    for line in &table {
        eprintln!("  {line}");
    }
    eprintln!(
        "  agree: {} ({agree_clean} without drift, {agree_drift} with drift); disagree: {disagree}; Prisma failed: {prisma_failed}",
        agree_clean + agree_drift
    );
    assert!(
        failures.is_empty(),
        "{} disagreement(s) with prisma migrate diff that are not listed exceptions:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
