//! Every entry of the corpus of real Prisma schemas and projects audits with the default
//! configuration without a panic, and our `invalid-schema` verdict agrees with Prisma's own
//! validator (the major the entry declares, see `support/corpus.rs`): no `invalid-schema`
//! finding where Prisma accepts the schema files, and one where Prisma rejects them unless the
//! difference is listed in [`KNOWN_DIFFERENCES`].
//!
//! Slow suite (needs Node and `npm ci --prefix tools/prisma-oracle`); scripts/test-all.sh runs
//! it with `cargo test -p prisma-audit-rules --test corpus -- --ignored`. Skips when the corpus
//! directory is absent.

use prisma_audit_test_support::wasm_oracle;

#[path = "support/corpus.rs"]
mod corpus;

use corpus::{Entry, Kind, Loaded};
use prisma_audit_core::{AuditOptions, audit};
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use wasm_oracle::Verdict;

/// Schemas Prisma rejects while we report no `invalid-schema`, accepted because every error
/// Prisma gives matches the pattern: (substring of Prisma's message, reason).
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    // DEVELOPERS.md "Prisma 6 vs 7": connection URLs in the datasource are valid up to Prisma 6
    // and rejected by 7; whether they are allowed depends on the installed version, so the
    // `datasource-url-in-schema` rule judges them (as in core/tests/prisma_oracle.rs).
    (
        "is no longer supported in schema files",
        "Prisma 7 rejects datasource URLs; version-dependent, reported by datasource-url-in-schema",
    ),
];

/// What happened to one entry.
struct Outcome {
    name: String,
    kind: Kind,
    /// A panic while loading or auditing (its message), or an audit error.
    crash: Option<String>,
    verdict: Verdict,
    major: u8,
    /// Our `invalid-schema` findings: `file:line message`.
    invalid: Vec<String>,
    findings: usize,
    by_rule: BTreeMap<String, usize>,
    discovered: bool,
}

fn run(oracle: &mut wasm_oracle::WasmOracle, corpus: &std::path::Path, entry: &Entry) -> Outcome {
    let mut out = Outcome {
        name: entry.name(),
        kind: entry.kind,
        crash: None,
        verdict: Verdict::Unknown("not validated".into()),
        major: 0,
        invalid: Vec::new(),
        findings: 0,
        by_rule: BTreeMap::new(),
        discovered: false,
    };
    let loaded = catch_unwind(AssertUnwindSafe(|| corpus::load_entry(corpus, entry)));
    let Loaded {
        project,
        schema,
        schema_files,
    } = match loaded {
        Ok(Ok(l)) => l,
        Ok(Err(e)) => {
            out.crash = Some(e);
            return out;
        }
        Err(p) => {
            out.crash = Some(format!(
                "panic while loading: {}",
                corpus::panic_message(&*p)
            ));
            return out;
        }
    };
    out.discovered = schema.is_none();
    (out.verdict, out.major) = corpus::prisma_verdict(oracle, entry.major(), &schema_files);
    let options = AuditOptions {
        schema,
        ..AuditOptions::default()
    };
    let report = match catch_unwind(AssertUnwindSafe(|| audit(&project, &options))) {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            out.crash = Some(format!("audit error: {e}"));
            return out;
        }
        Err(p) => {
            out.crash = Some(format!("panic: {}", corpus::panic_message(&*p)));
            return out;
        }
    };
    out.findings = report.findings.len();
    for f in &report.findings {
        *out.by_rule.entry(f.rule.clone()).or_default() += 1;
        if f.rule == "invalid-schema" {
            let at = f
                .location
                .as_ref()
                .map(|l| format!("{}:{}", l.file, l.start.line))
                .unwrap_or_default();
            out.invalid.push(format!("{at} {}", f.message));
        }
    }
    out
}

fn median(mut xs: Vec<usize>) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    xs.sort_unstable();
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2] as f64
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) as f64 / 2.0
    }
}

fn known_difference(errors: &[wasm_oracle::OracleError]) -> Option<&'static str> {
    let mut reason = None;
    for e in errors {
        let (_, why) = KNOWN_DIFFERENCES
            .iter()
            .find(|(pattern, _)| e.message.contains(pattern))?;
        reason = Some(*why);
    }
    reason
}

fn first_errors(errors: &[wasm_oracle::OracleError]) -> String {
    errors
        .iter()
        .take(3)
        .map(|e| {
            format!(
                "{}:{} {}",
                e.file.as_deref().unwrap_or("?"),
                e.line.unwrap_or(0),
                e.message
            )
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
#[ignore = "slow: needs the corpus, Node and tools/prisma-oracle (scripts/test-all.sh runs it)"]
fn corpus_audits_cleanly_and_agrees_with_prisma() {
    let Some(corpus) = corpus::corpus_dir("corpus") else {
        return;
    };
    prisma_audit_rules::link();
    let started = std::time::Instant::now();
    let entries = corpus::manifest(&corpus);
    // Fail early and once when the validator is missing.
    drop(corpus::start_oracle());
    let outcomes = corpus::parallel(
        &entries,
        corpus::threads(),
        corpus::start_oracle,
        |oracle, entry| run(oracle, &corpus, entry),
    );

    let mut failures: Vec<String> = Vec::new();
    let mut known: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut agreed: Vec<String> = Vec::new();
    let (mut valid, mut rejected, mut unknown) = (0, 0, 0);
    let (mut invalid_ours, mut both_invalid) = (0, 0);
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_kind: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for o in &outcomes {
        if let Some(crash) = &o.crash {
            failures.push(format!("CRASH {}: {crash}", o.name));
            continue;
        }
        for (rule, n) in &o.by_rule {
            *by_rule.entry(rule.clone()).or_default() += n;
        }
        let kind = match o.kind {
            Kind::Schema => "schema",
            Kind::Project => "project",
        };
        per_kind.entry(kind).or_default().push(o.findings);
        invalid_ours += usize::from(!o.invalid.is_empty());
        match &o.verdict {
            Verdict::Valid => {
                valid += 1;
                if !o.invalid.is_empty() {
                    failures.push(format!(
                        "FALSE invalid-schema {} (Prisma {} accepts it): {}",
                        o.name,
                        o.major,
                        o.invalid.join(" | ")
                    ));
                }
            }
            Verdict::Invalid(errors) => {
                rejected += 1;
                if !o.invalid.is_empty() {
                    both_invalid += 1;
                    agreed.push(format!(
                        "{} (Prisma {}: {}; ours: {})",
                        o.name,
                        o.major,
                        first_errors(errors),
                        o.invalid[0]
                    ));
                } else if let Some(reason) = known_difference(errors) {
                    known.entry(reason).or_default().push(o.name.clone());
                } else {
                    failures.push(format!(
                        "MISSED {} (Prisma {} rejects it, we report no invalid-schema): {}",
                        o.name,
                        o.major,
                        first_errors(errors)
                    ));
                }
            }
            Verdict::Unknown(why) => {
                unknown += 1;
                failures.push(format!(
                    "NO VERDICT {}: the validator failed: {why}",
                    o.name
                ));
            }
        }
    }

    let crashes = outcomes.iter().filter(|o| o.crash.is_some()).count();
    let total: usize = outcomes.iter().map(|o| o.findings).sum();
    let discovered = outcomes.iter().filter(|o| o.discovered).count();
    eprintln!(
        "corpus: {} entries in {:.1?}",
        outcomes.len(),
        started.elapsed()
    );
    eprintln!(
        "  schema located by Prisma's discovery: {discovered}, by an explicit --schema: {}",
        outcomes.len() - discovered
    );
    eprintln!("  crashes: {crashes}");
    eprintln!(
        "  Prisma: {valid} valid, {rejected} rejected, {unknown} without a verdict; \
         we report invalid-schema on {invalid_ours} ({both_invalid} of them rejected by Prisma too)"
    );
    for line in &agreed {
        eprintln!("  rejected by both: {line}");
    }
    for (reason, names) in &known {
        eprintln!(
            "  known difference ({} entries): {reason}: {}",
            names.len(),
            names.join(", ")
        );
    }
    eprintln!("  findings: {total} in total");
    for (kind, counts) in &per_kind {
        eprintln!(
            "  median findings per {kind} entry: {} ({} entries)",
            median(counts.clone()),
            counts.len()
        );
    }
    let mut rules: Vec<_> = by_rule.into_iter().collect();
    rules.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let top: Vec<String> = rules
        .iter()
        .take(15)
        .map(|(rule, n)| format!("{rule} {n}"))
        .collect();
    eprintln!("  most frequent rules: {}", top.join(", "));
    assert!(
        failures.is_empty(),
        "{} corpus failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
