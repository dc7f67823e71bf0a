//! Generative differential test of our PSL front end (parser + semantic model) against Prisma's
//! own validator (`@prisma/prisma-schema-wasm` 7.10 in one Node process, see
//! `tools/prisma-oracle/wasm-validate.mjs`). Slow suite: `--ignored`, run by
//! `scripts/test-all.sh` after the oracle is installed; without the oracle it fails and says how
//! to install it.
//!
//! Seeds are real schemas: the `valid/` fixtures and, when `../shared/corpus/schemas` exists
//! beside the repository (`PRISMA_DIFF_CORPUS` points elsewhere, `none` for fixtures only), every
//! schema row of that corpus (read at test time, never copied; without it the test says so on
//! stderr and mutates the fixtures). Every seed is first compared as it is; seeds both sides
//! accept and no larger than 24 KB (`PRISMA_DIFF_MAX_SEED_BYTES`) are then mutated.
//!
//! Each case applies 1–4 mutations of `support/psl_gen.rs`, which finds its spots with our own
//! parser: bare vs bracketed field lists (`@@index(a)`, `@@id`, `@@unique`, `@relation(fields:
//! a, references: b)`, and `[a, b]` unbracketed), positional vs named arguments (`fields:`,
//! `name:`, `value:`), arguments moved first or last (`map:` above all), `map:`/`name:`/`type:`/
//! `clustered:` on indexes and keys, `sort`/`length`/`ops` on index columns and `@id`/`@unique`,
//! `@default` forms (every function, with and without arguments, literals, lists, `map:`),
//! `@db.X` with and without parentheses and arguments, `//` and `///` comments at line ends and
//! on lines of their own, block comments (own line, several lines, before or after an item,
//! between tokens), comments inside argument lists, blank lines, tabs, extra and Unicode spaces,
//! CRLF (all lines, some lines, a lone CR), trailing whitespace; and mutations that break the
//! schema: a dropped `}`, unknown or misspelt attributes, duplicate fields and attributes, wrong
//! types and `?`/`[]` modifiers, a dropped line, random edits from `support/mutate.rs`.
//!
//! For every case Prisma accepts ⇔ we report no error (any Error-level diagnostic of parse +
//! resolve, computed as `prisma_oracle.rs` does). Where both reject, Prisma's first error must
//! fall on a line, or in a declaration, where we report one (see [`Observed::line_mismatch`]).
//!
//! Datasource URLs: Prisma 7 rejects `url`/`directUrl`/`shadowDatabaseUrl` in the schema and
//! Prisma 6 requires `url`; we judge them by the project's Prisma version (a rule, not a
//! validation error). The seeds are therefore compared **without those lines** (stripped before
//! mutation) and validated with Prisma 7 only.
//!
//! A disagreement is shrunk (whole files, then declarations, then lines removed while the same
//! disagreement with the same first message persists) and printed with both verdicts, the input schema
//! and the mutations that produced it, with the variables that replay it; then the test fails.
//! Known differences are listed in [`KNOWN_DIFFERENCES`], each with its reason.
//!
//! Runs. CI: fixed seed, 10,000 cases (9,992 with an applicable mutation), ≈ 25 s in a debug
//! build on the 2-core VM at load 2 (38 s of CPU: Node's validator, our parse + resolve and the
//! generator run on three threads). Locally:
//! `PRISMA_DIFF_CASES=1000000 PRISMA_DIFF_SEED=7 PRISMA_DIFF_KEEP_GOING=1 cargo test --release
//! -p prisma-audit-core --test prisma_differential -- --ignored --nocapture`
//! (`PRISMA_DIFF_KEEP_GOING` lists one case per kind of disagreement instead of stopping at the
//! first; `PRISMA_DIFF_CASE=N` replays and shrinks case N of a seed).
//!
//! One-off long run of that command (release build, 2-core VM at load 2–6; BENCHMARKS.md
//! "Differential PSL testing against Prisma"): 999,319 cases compared in 957 s at `5739b0e`,
//! 108 disagreements of 32 kinds (0.011%; earlier runs: 243 of 110 kinds at `bdf6a81`, 138 of 49
//! at `a86d815`). The test fails on any of them.

use prisma_audit_test_support::psl_gen;
use prisma_audit_test_support::wasm_oracle;

use prisma_audit_core::Project;
use prisma_audit_core::audit::analyze;
use prisma_audit_core::diagnostic::DiagnosticLevel;
use psl_gen::{MUTATIONS, Rng, SchemaFacts, pick_mutation, strip_datasource_urls};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use wasm_oracle::{Verdict, WasmOracle};

/// Cases of a CI run.
const CI_CASES: u64 = 10_000;
/// Seed of a CI run.
const CI_SEED: u64 = 0x5EED_2026;
/// Seeds larger than this (bytes, all files) are compared as they are but not mutated, unless
/// `PRISMA_DIFF_MAX_SEED_BYTES` says otherwise: a 300 KB schema costs Prisma 150 ms.
const MAX_SEED_BYTES: u64 = 24_000;
/// Cases per batch.
const BATCH: u64 = 256;

/// One schema: file names as Prisma sees them and texts.
type Files = Vec<(String, String)>;

/// A documented difference: a case matching `matches` is counted, not failed.
struct Known {
    id: &'static str,
    reason: &'static str,
    matches: fn(&Observed) -> bool,
}

/// Where we knowingly differ from Prisma 7. Keep this short: each entry is a decision.
const KNOWN_DIFFERENCES: &[Known] = &[
    Known {
        id: "preview-feature-names",
        reason: "the `previewFeatures` names Prisma knows change with every release (features \
                 graduate or go away): the model does not reject names it does not know \
                 (`preview-feature-ga` reports graduated ones for the project's Prisma version)",
        matches: |o| {
            prisma_first(o).is_some_and(|m| {
                m.starts_with("The preview feature \"") && m.contains("is not known")
            })
        },
    },
    Known {
        id: "nul-byte",
        reason: "a file with a NUL byte is refused whole as binary (error at its first line); \
                 Prisma reports the line holding it. Both reject.",
        matches: |o| !o.ours.is_empty() && o.files.iter().any(|(_, t)| t.contains('\0')),
    },
    Known {
        id: "keyword-glued-to-name",
        reason: "Prisma's grammar reads `modelUser {` as `model User {` (a keyword needs no space \
                 after it); the parser reports an unknown block type instead: such a line is a typo",
        matches: |o| {
            o.prisma.is_valid() && {
                o.ours.first().is_some_and(|e| {
                    e.message
                        .strip_prefix("unknown block type `")
                        .is_some_and(|rest| {
                            ["model", "view", "type", "enum", "datasource", "generator"]
                                .iter()
                                .any(|k| rest.starts_with(k))
                        })
                })
            }
        },
    },
    Known {
        id: "empty-argument",
        reason: "Prisma's grammar takes `name:` with no value (kept for editor completion) and \
                 ignores it in native type arguments (`@db.VarChar(11:)` is valid); the parser \
                 reports the missing value",
        matches: |o| {
            o.prisma.is_valid()
                && o.files
                    .iter()
                    .any(|(_, t)| t.contains(":)") || t.contains(":,"))
        },
    },
    Known {
        id: "postgres-index-field-types",
        reason: "which field and native types PostgreSQL's Gin, Gist, SpGist and Brin indexes and \
                 their operator classes take (`InetOps` on `Inet`, ...) is not modelled; operator \
                 classes on the wrong index type are reported",
        matches: |o| {
            prisma_first(o).is_some_and(|m| {
                (m.contains("The given operator class")
                    && (m.contains("does not support native type")
                        || m.contains("to define a valid native type")))
                    || m.contains("index type does not support the type of the field")
                    || m.contains("has no default operator class")
            })
        },
    },
];

/// Prisma's first error message, if it rejects.
fn prisma_first(o: &Observed) -> Option<&str> {
    match &o.prisma {
        Verdict::Invalid(errors) => errors.first().map(|e| e.message.as_str()),
        _ => None,
    }
}

/// What both sides said about one case.
struct Observed {
    files: Files,
    prisma: Verdict,
    ours: Vec<OurError>,
}

#[derive(Debug, Clone)]
struct OurError {
    file: String,
    line: u32,
    message: String,
}

impl Observed {
    fn agree(&self) -> bool {
        self.prisma.is_valid() == self.ours.is_empty()
    }
    /// Both reject, and Prisma's first error is neither on a line nor in a declaration where we
    /// report an error. Line-exact is too strict: Prisma reports an unclosed block at its first
    /// line, we where the `}` is missing. When Prisma's first error is one of its "This line is
    /// ..." syntax errors, any of those lines will do: a block that never closes makes every
    /// line after it one.
    fn line_mismatch(&self) -> bool {
        let Verdict::Invalid(errors) = &self.prisma else {
            return false;
        };
        let Some(first) = errors.first() else {
            return false;
        };
        if self.ours.is_empty() || first.line.is_none() {
            return false;
        }
        const SYNTAX: &str = "Error validating: This line is";
        let candidates = errors.iter().filter(|e| {
            std::ptr::eq(*e, first)
                || (first.message.starts_with(SYNTAX) && e.message.starts_with(SYNTAX))
        });
        !candidates.into_iter().any(|e| {
            let (Some(file), Some(line)) = (&e.file, e.line) else {
                return false;
            };
            let text = self
                .files
                .iter()
                .find(|(n, _)| n == file)
                .map_or("", |(_, t)| t.as_str());
            let blocks = declaration_lines(text);
            let block_of = |l: u32| blocks.iter().position(|b| b.contains(&l));
            self.ours.iter().any(|o| {
                o.file == *file
                    && (o.line == line
                        || (block_of(line).is_some() && block_of(line) == block_of(o.line)))
            })
        })
    }
    fn known(&self) -> Option<usize> {
        KNOWN_DIFFERENCES.iter().position(|k| (k.matches)(self))
    }
}

/// The line range (1-based, inclusive) of every top-level declaration, by our parser.
fn declaration_lines(text: &str) -> Vec<std::ops::RangeInclusive<u32>> {
    let line_at = |at: usize| {
        1 + text.as_bytes()[..at.min(text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u32
    };
    prisma_audit_core::syntax::parse(text)
        .tree()
        .items()
        .map(|i| line_at(i.range().start().into())..=line_at(i.range().end().into()))
        .collect()
}

/// Byte ranges of the top-level declarations with their line end, by our parser.
fn declaration_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    prisma_audit_core::syntax::parse(text)
        .tree()
        .items()
        .map(|i| {
            let (start, end) = (usize::from(i.range().start()), usize::from(i.range().end()));
            let end = text[end..].find('\n').map_or(text.len(), |n| end + n + 1);
            start..end
        })
        .collect()
}

// --- seeds ----------------------------------------------------------------------------------

struct Seed {
    name: String,
    /// Size of all files.
    bytes: u64,
    files: Files,
    facts: SchemaFacts,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn prisma_files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(prisma_files_under(&p));
            } else if p.extension().is_some_and(|x| x == "prisma") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A schema file or folder as the files Prisma validates (URL lines stripped).
fn read_schema(path: &Path) -> Option<Files> {
    let mut files = Vec::new();
    if path.is_dir() {
        for f in prisma_files_under(path) {
            let rel = f
                .strip_prefix(path)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&f).ok()?;
            files.push((format!("schema/{rel}"), strip_datasource_urls(&text)));
        }
    } else {
        let text = std::fs::read_to_string(path).ok()?;
        files.push(("schema.prisma".to_string(), strip_datasource_urls(&text)));
    }
    (!files.is_empty()).then_some(files)
}

/// The `valid/` fixtures, then the corpus schemas (one entry per `schema` row of its
/// `MANIFEST.tsv`, a folder being one multi-file schema; every `.prisma` file alone when the
/// manifest is missing).
fn seed_paths() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let valid = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schemas/valid");
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&valid)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    fixtures.sort();
    for p in fixtures {
        if p.is_dir() || p.extension().is_some_and(|e| e == "prisma") {
            let name = format!(
                "fixture:{}",
                p.file_name().unwrap_or_default().to_string_lossy()
            );
            out.push((name, p));
        }
    }
    // `PRISMA_DIFF_CORPUS` points elsewhere (`none`: fixtures only).
    let corpus = std::env::var_os("PRISMA_DIFF_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/corpus"));
    if !corpus.join("schemas").is_dir() {
        eprintln!(
            "prisma_differential: no corpus at {} (schemas/ missing): mutating the fixtures only",
            corpus.display()
        );
        return out;
    }
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).unwrap_or_default();
    let mut from_manifest = Vec::new();
    for row in manifest.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        if cols.len() < 5 || cols[0] != "schema" {
            continue;
        }
        for schema in cols[4].split(';').filter(|s| !s.is_empty()) {
            let path = corpus.join(cols[1]).join(schema.trim_end_matches('/'));
            from_manifest.push((format!("corpus:{}/{schema}", cols[1]), path));
        }
    }
    if from_manifest.is_empty() {
        for p in prisma_files_under(&corpus.join("schemas")) {
            let name = format!(
                "corpus:{}",
                p.strip_prefix(&corpus).unwrap_or(&p).to_string_lossy()
            );
            from_manifest.push((name, p));
        }
    }
    out.extend(from_manifest);
    out
}

// --- verdicts -------------------------------------------------------------------------------

/// Our errors: every Error-level diagnostic of parse + resolve (as `prisma_oracle.rs`).
fn our_errors(files: &Files) -> Vec<OurError> {
    let multi = files.first().is_some_and(|(n, _)| n.starts_with("schema/"));
    let project = Project::from_files(
        "case",
        files
            .iter()
            .map(|(n, t)| (n.clone(), t.as_bytes().to_vec()))
            .collect::<Vec<_>>(),
    );
    let explicit = if multi { "schema" } else { "schema.prisma" };
    match analyze(&project, Some(explicit)) {
        Ok(a) => a
            .diagnostics
            .iter()
            .filter(|d| d.level == DiagnosticLevel::Error)
            .map(|d| {
                let file = project.file(d.span.file);
                let name = file.map(|f| f.path().to_string()).unwrap_or_default();
                let text = files
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map_or("", |(_, t)| t.as_str());
                let at = usize::from(d.span.range.start()).min(text.len());
                let line = 1 + text.as_bytes()[..at]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                OurError {
                    file: name,
                    line: line as u32,
                    message: d.message.clone(),
                }
            })
            .collect(),
        Err(e) => vec![OurError {
            file: String::new(),
            line: 0,
            message: e.to_string(),
        }],
    }
}

/// Observe many cases: Prisma on one thread, `meanwhile` (the next batch) on another, our
/// verdicts on this one.
fn observe_batch<T: Send>(
    oracle: &mut WasmOracle,
    batch: Vec<Files>,
    meanwhile: impl FnOnce() -> T + Send,
) -> (Vec<Observed>, T) {
    let (verdicts, ours, other) = std::thread::scope(|scope| {
        let prisma = scope.spawn(|| {
            batch
                .iter()
                .map(|files| oracle.validate(files, 7))
                .collect::<Vec<_>>()
        });
        let other = scope.spawn(meanwhile);
        let ours: Vec<Vec<OurError>> = batch.iter().map(our_errors).collect();
        (
            prisma.join().expect("oracle thread"),
            ours,
            other.join().expect("generator thread"),
        )
    });
    let observed = batch
        .into_iter()
        .zip(verdicts.into_iter().zip(ours))
        .map(|(files, (prisma, ours))| Observed {
            files,
            prisma,
            ours,
        })
        .collect();
    (observed, other)
}

fn observe(oracle: &mut WasmOracle, files: Files) -> Observed {
    let prisma = oracle.validate(&files, 7);
    let ours = our_errors(&files);
    Observed {
        files,
        prisma,
        ours,
    }
}

/// The kind of a failure, kept while shrinking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Failure {
    /// Prisma accepts, we report an error.
    WeReject,
    /// Prisma rejects, we report nothing.
    WeAccept,
    /// Both reject, but not on Prisma's first error line.
    Line,
}

/// A failure and the message that identifies it (Prisma's first error, or ours when only we
/// reject): shrinking keeps both, so it does not drift to another disagreement.
fn signature(o: &Observed) -> Option<(Failure, String)> {
    let kind = failure(o)?;
    let message = match (&o.prisma, kind) {
        (_, Failure::WeReject) => o.ours.first().map(|e| e.message.clone()),
        (Verdict::Invalid(errors), _) => errors.first().map(|e| e.message.clone()),
        _ => None,
    };
    Some((kind, message.unwrap_or_default()))
}

fn failure(o: &Observed) -> Option<Failure> {
    raw_failure(o).filter(|_| o.known().is_none())
}

/// A failure, known differences included.
fn raw_failure(o: &Observed) -> Option<Failure> {
    if matches!(o.prisma, Verdict::Unknown(_)) {
        return None;
    }
    if !o.agree() {
        return Some(if o.prisma.is_valid() {
            Failure::WeReject
        } else {
            Failure::WeAccept
        });
    }
    o.line_mismatch().then_some(Failure::Line)
}

// --- shrinking and reporting ----------------------------------------------------------------

/// Remove lines (halves, quarters, ... single lines) while the same failure persists.
fn shrink(oracle: &mut WasmOracle, files: Files, want: &(Failure, String)) -> Files {
    let mut best = files;
    let same = |oracle: &mut WasmOracle, trial: &Files| {
        signature(&observe(oracle, trial.clone())).as_ref() == Some(want)
    };
    // Whole files of a multi-file schema first.
    let mut i = 0;
    while best.len() > 1 && i < best.len() {
        let mut trial = best.clone();
        trial.remove(i);
        if same(oracle, &trial) {
            best = trial;
        } else {
            i += 1;
        }
    }
    // Whole declarations, last first.
    for fi in 0..best.len() {
        let mut k = declaration_ranges(&best[fi].1).len();
        while k > 0 {
            k -= 1;
            let Some(range) = declaration_ranges(&best[fi].1).get(k).cloned() else {
                continue;
            };
            let mut trial = best.clone();
            trial[fi].1.replace_range(range, "");
            if same(oracle, &trial) {
                best = trial;
            }
        }
    }
    for fi in 0..best.len() {
        let mut chunk = best[fi].1.split_inclusive('\n').count().div_ceil(2).max(1);
        loop {
            let mut start = 0;
            loop {
                let lines: Vec<&str> = best[fi].1.split_inclusive('\n').collect();
                if start >= lines.len() {
                    break;
                }
                let end = (start + chunk).min(lines.len());
                let text: String = lines[..start].concat() + &lines[end..].concat();
                let mut trial = best.clone();
                trial[fi].1 = text;
                if same(oracle, &trial) {
                    best = trial;
                } else {
                    start = end;
                }
            }
            if chunk == 1 {
                break;
            }
            chunk = chunk.div_ceil(2);
        }
    }
    best
}

fn describe(o: &Observed) -> String {
    let mut s = String::new();
    for (name, text) in &o.files {
        s.push_str(&format!("--- {name} ---\n"));
        for (i, line) in text.split_inclusive('\n').enumerate() {
            let shown = line.replace('\r', "\\r").replace('\t', "\\t");
            s.push_str(&format!("{:>4} | {}", i + 1, shown.trim_end_matches('\n')));
            s.push('\n');
        }
    }
    s.push_str(&match &o.prisma {
        Verdict::Valid => "Prisma 7: valid\n".to_string(),
        Verdict::Invalid(errors) => {
            let mut p = "Prisma 7: invalid\n".to_string();
            for e in errors.iter().take(5) {
                p.push_str(&format!(
                    "  {}:{} {}\n",
                    e.file.as_deref().unwrap_or("?"),
                    e.line.map_or("?".to_string(), |l| l.to_string()),
                    e.message
                ));
            }
            p
        }
        Verdict::Unknown(e) => format!("Prisma 7: no verdict ({e})\n"),
    });
    if o.ours.is_empty() {
        s.push_str("ours: valid\n");
    } else {
        s.push_str("ours: invalid\n");
        for e in o.ours.iter().take(5) {
            s.push_str(&format!("  {}:{} {}\n", e.file, e.line, e.message));
        }
    }
    s
}

// --- the run --------------------------------------------------------------------------------

fn env_u64(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let v = v.trim().replace('_', "");
    match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => v.parse().ok(),
    }
}

/// The random source of case `i` of run `seed`: each case can be replayed alone.
fn case_rng(seed: u64, i: u64) -> Rng {
    let mut r = Rng::new(seed ^ i.wrapping_mul(0xD1B5_4A32_D192_ED03));
    r.next_u64();
    r
}

#[derive(Default, Clone, Copy)]
struct Tally {
    cases: u64,
    both_valid: u64,
    both_invalid: u64,
    failures: u64,
}

/// A seed for the next case among those no larger than `max_bytes`.
fn pick_seed<'s>(rng: &mut Rng, seeds: &'s [Seed], max_bytes: u64) -> &'s Seed {
    let small: Vec<&Seed> = seeds.iter().filter(|s| s.bytes <= max_bytes).collect();
    let pool: Vec<&Seed> = if small.is_empty() {
        seeds.iter().collect()
    } else {
        small
    };
    pool[rng.below(pool.len())]
}

/// One generated case: the mutated files and the names of the mutations applied.
fn generate(rng: &mut Rng, seed: &Seed) -> (Files, Vec<&'static str>) {
    let mut files = seed.files.clone();
    let mut applied = Vec::new();
    // 1 mutation in half the cases, 2 in a quarter, up to 4.
    let mut count = 1;
    while count < 4 && rng.chance(1, 2) {
        count += 1;
    }
    for _ in 0..count {
        for _attempt in 0..6 {
            let m = pick_mutation(rng);
            let fi = rng.below(files.len());
            let (name, _, _, f) = MUTATIONS[m];
            if let Some(text) = f(rng, &seed.facts, &files[fi].1) {
                files[fi].1 = text;
                applied.push(name);
                break;
            }
        }
    }
    (files, applied)
}

#[test]
#[ignore = "slow: needs Node and Prisma's wasm validator (scripts/test-all.sh runs it)"]
fn mutated_schemas_agree_with_prisma() {
    let mut oracle = WasmOracle::start().unwrap_or_else(|e| {
        panic!(
            "the Prisma oracle is required for this test: {e} (install it with `npm ci --prefix \
             tools/prisma-oracle --no-audit --no-fund`; needs Node 20+)"
        )
    });
    let cases = env_u64("PRISMA_DIFF_CASES").unwrap_or(CI_CASES);
    let run_seed = env_u64("PRISMA_DIFF_SEED").unwrap_or(CI_SEED);
    let only_case = env_u64("PRISMA_DIFF_CASE");
    let keep_going = std::env::var_os("PRISMA_DIFF_KEEP_GOING").is_some();
    let max_seed_bytes = env_u64("PRISMA_DIFF_MAX_SEED_BYTES").unwrap_or(MAX_SEED_BYTES);
    let started = Instant::now();

    // Seeds: the schemas both sides accept. A seed on which we disagree is a failure too.
    let mut seeds = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    let read: Vec<(String, Files)> = seed_paths()
        .into_iter()
        .filter_map(|(name, path)| Some((name, read_schema(&path)?)))
        .collect();
    let seed_count = read.len();
    let (names, texts): (Vec<String>, Vec<Files>) = read.into_iter().unzip();
    let (observed, ()) = observe_batch(&mut oracle, texts, || ());
    let mut rejected_by_both = 0;
    for (name, o) in names.into_iter().zip(observed) {
        match failure(&o) {
            Some(Failure::Line) | None if o.prisma.is_valid() => {
                let facts = SchemaFacts::of(&o.files);
                seeds.push(Seed {
                    name,
                    bytes: o.files.iter().map(|(_, t)| t.len() as u64).sum(),
                    files: o.files,
                    facts,
                });
            }
            None | Some(Failure::Line) => rejected_by_both += 1,
            Some(kind) => {
                let sig = signature(&o).unwrap_or((kind, String::new()));
                let shrunk = shrink(&mut oracle, o.files.clone(), &sig);
                let shown = describe(&observe(&mut oracle, shrunk));
                failures.push(format!("seed {name} as it is ({kind:?}):\n{shown}"));
            }
        }
    }
    assert!(
        seeds.len() >= 20,
        "too few seeds both sides accept: {} of {seed_count}",
        seeds.len()
    );
    eprintln!(
        "prisma_differential: {} seeds ({seed_count} schemas read, {rejected_by_both} rejected \
         by both, {} disagree as they are); seed {run_seed:#x}, {cases} cases",
        seeds.len(),
        failures.len()
    );

    let mut tally: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    let mut known = vec![0u64; KNOWN_DIFFERENCES.len()];
    let (mut unknown, mut skipped) = (0u64, 0u64);
    // Disagreements with a signature already reported (keep-going mode) are only counted.
    let mut seen = std::collections::HashSet::new();
    let mut repeats = 0u64;
    let range = match only_case {
        Some(i) => i..i + 1,
        None => 0..cases,
    };
    // Cases go in batches: while Prisma validates one and this thread computes our verdicts on
    // it, a third thread generates the next.
    let generate_batch = |from: u64, to: u64| {
        let mut batch: Vec<(u64, &Seed, Vec<&'static str>)> = Vec::new();
        let mut files = Vec::new();
        for i in from..to {
            let mut rng = case_rng(run_seed, i);
            let seed = pick_seed(&mut rng, &seeds, max_seed_bytes);
            let (f, applied) = generate(&mut rng, seed);
            if !applied.is_empty() {
                batch.push((i, seed, applied));
                files.push(f);
            }
        }
        (batch, files)
    };
    let mut stop = false;
    let mut next = (range.start + BATCH).min(range.end);
    let mut pending = generate_batch(range.start, next);
    skipped += next - range.start - pending.0.len() as u64;
    while !pending.0.is_empty() && !stop {
        let (batch, files) = std::mem::take(&mut pending);
        let following = (next + BATCH).min(range.end);
        let (observed, generated) =
            observe_batch(&mut oracle, files, || generate_batch(next, following));
        skipped += following - next - generated.0.len() as u64;
        pending = generated;
        next = following;
        for ((i, seed, applied), o) in batch.into_iter().zip(observed) {
            if matches!(o.prisma, Verdict::Unknown(_)) {
                unknown += 1;
                continue;
            }
            if raw_failure(&o).is_some()
                && let Some(k) = o.known()
            {
                known[k] += 1;
            }
            let fail = failure(&o);
            let mut names = applied.clone();
            names.sort_unstable();
            names.dedup();
            let count = |t: &mut Tally| {
                t.cases += 1;
                match (o.prisma.is_valid(), o.ours.is_empty()) {
                    (true, true) => t.both_valid += 1,
                    (false, false) => t.both_invalid += 1,
                    _ => {}
                }
                if fail.is_some() {
                    t.failures += 1;
                }
            };
            for n in &names {
                count(tally.entry(n).or_default());
            }
            count(&mut total);
            let Some(kind) = fail else { continue };
            let sig = signature(&o).unwrap_or((kind, String::new()));
            if !seen.insert(sig.clone()) {
                repeats += 1;
                continue;
            }
            if keep_going {
                // Survey mode: one line per kind of disagreement; replay a case to shrink it.
                failures.push(format!(
                    "case {i} {kind:?} {applied:?} {}: {}",
                    seed.name, sig.1
                ));
                continue;
            }
            let shrunk = shrink(&mut oracle, o.files.clone(), &sig);
            let shown = describe(&observe(&mut oracle, shrunk));
            failures.push(format!(
                "case {i} (PRISMA_DIFF_SEED={run_seed:#x} PRISMA_DIFF_CASE={i}), seed {}, \
                 mutations {applied:?}: {kind:?}\nshrunk:\n{shown}",
                seed.name,
            ));
            stop = true;
            break;
        }
    }
    let elapsed = started.elapsed();

    eprintln!("mutation               cases  both-valid  both-invalid  failures");
    for (name, t) in tally.iter().chain(std::iter::once((&"(all)", &total))) {
        eprintln!(
            "{name:<20} {:>7} {:>11} {:>13} {:>9}",
            t.cases, t.both_valid, t.both_invalid, t.failures
        );
    }
    for (k, n) in KNOWN_DIFFERENCES.iter().zip(&known) {
        eprintln!("known difference {}: {n} cases ({})", k.id, k.reason);
    }
    eprintln!(
        "prisma_differential: {} cases compared in {:.1} s ({unknown} without a Prisma \
         verdict, {skipped} without an applicable mutation)",
        total.cases,
        elapsed.as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} disagreements with Prisma 7 ({repeats} more like them):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(
        only_case.is_some() || total.cases >= cases * 9 / 10,
        "only {} of {cases} cases had an applicable mutation",
        total.cases
    );
    assert!(
        unknown * 100 <= total.cases.max(1),
        "Prisma gave no verdict on {unknown} of {} cases",
        total.cases
    );
    // Both verdicts are exercised.
    assert!(only_case.is_some() || (total.both_valid > 0 && total.both_invalid > 0));
}
