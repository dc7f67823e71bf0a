//! Every fix every rule offers on the corpus of real Prisma schemas keeps the schema valid and
//! is idempotent. For each corpus entry Prisma accepts (validator of the declared major, see
//! `support/corpus.rs`), with every rule enabled (the style rules too):
//!
//! - every distinct fix, safe or unsafe, must apply and change something; Prisma must accept
//!   the schema files with the fix applied, and auditing the fixed project again must not offer
//!   the same edit again (the same finding with a fix, or the same replacement at the place just
//!   edited);
//! - all safe fixes together (`--fix`, with the default configuration and with every rule) must
//!   give a schema Prisma accepts, and a second `--fix` must change nothing.
//!
//! Speed: a large schema takes Prisma ~50 ms and us (debug build, hundreds of migrations) up to
//! seconds per check, and the corpus offers ~40 000 fixes. So fixes are checked in batches of
//! fixes whose edits do not touch each other (each applies exactly as it would alone): one
//! validation and one re-audit per batch. A rejected batch is narrowed down to the fixes Prisma
//! rejects on their own (those edited next to an error line first, then bisection), and a fix
//! that looks offered again is re-checked alone, so every reported failure is one fix on its
//! own. What batching could hide: a fix that is invalid alone but valid next to another fix of
//! the same batch.
//!
//! Failures are grouped by rule, each with one readable example. Slow suite (needs Node and
//! `npm ci --prefix tools/prisma-oracle`); scripts/test-all.sh runs it with
//! `cargo test -p prisma-audit-rules --test corpus_fixes -- --ignored`. Skips when the corpus
//! directory is absent. `PRISMA_AUDIT_CORPUS_ONLY=<dir substring>` runs some entries,
//! `PRISMA_AUDIT_CORPUS_VERBOSE=1` prints per-entry timings.

use prisma_audit_test_support::wasm_oracle;

#[path = "support/corpus.rs"]
mod corpus;

use corpus::Entry;
use prisma_audit_core::config::Config;
use prisma_audit_core::finding::{Edit, Finding, FixSafety};
use prisma_audit_core::fix::{apply_fixes, fix_project, patched};
use prisma_audit_core::rule::rule_metas;
use prisma_audit_core::{AuditOptions, Project, audit};
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use wasm_oracle::{Verdict, WasmOracle};

/// Failures that are understood and wait for a change in the rule: (rule, or `--fix` for all
/// safe fixes together; kind of failure; text of the failure's detail, e.g. of Prisma's error;
/// cause and the change that removes it). A matching failure is listed without failing the
/// test; an entry nothing matches any more is listed as stale, to be removed.
const KNOWN_FAILURES: &[(&str, &str, &str, &str)] = &[];

/// The [`KNOWN_FAILURES`] entry explaining `f`, if any.
fn known(f: &Failure) -> Option<usize> {
    KNOWN_FAILURES.iter().position(|(rule, what, text, _)| {
        f.rule == *rule && f.what == *what && f.detail.contains(text)
    })
}

/// One failed check.
struct Failure {
    rule: String,
    /// `rejected by Prisma`, `not idempotent`, `does not apply`, `changes nothing`, `panic`.
    what: &'static str,
    entry: String,
    detail: String,
}

#[derive(Default)]
struct Tally {
    entries: usize,
    fixes: usize,
    safe: usize,
    schema_changing: usize,
    by_rule: BTreeMap<String, usize>,
    batches: usize,
    validations: usize,
    fix_runs: usize,
    failures: Vec<Failure>,
    /// Fixes valid one by one but rejected together (not failures of a single fix).
    interactions: Vec<String>,
    /// Entries where the search for invalid fixes stopped early.
    capped: BTreeSet<String>,
}

fn options(select: Option<Vec<String>>, schema: &Option<String>) -> AuditOptions {
    AuditOptions {
        schema: schema.clone(),
        config: Config {
            select,
            ..Config::default()
        },
        ..AuditOptions::default()
    }
}

fn all_rule_ids() -> Vec<String> {
    rule_metas().iter().map(|m| m.id.to_string()).collect()
}

fn shorten(s: &str, max: usize) -> String {
    let one_line = s.replace('\r', "\\r").replace('\n', "\\n");
    if one_line.chars().count() <= max {
        one_line
    } else {
        one_line.chars().take(max).collect::<String>() + "…"
    }
}

/// `file:line:col replace "old" with "new"` for each edit.
fn show_edits(project: &Project, edits: &[Edit]) -> String {
    edits
        .iter()
        .map(|e| {
            let old = project
                .text_of(&e.file)
                .and_then(|t| t.get(e.start_offset as usize..e.end_offset as usize))
                .unwrap_or("?");
            let what = if old.is_empty() {
                format!("insert \"{}\"", shorten(&e.replacement, 160))
            } else {
                format!(
                    "replace \"{}\" with \"{}\"",
                    shorten(old, 80),
                    shorten(&e.replacement, 160)
                )
            };
            format!("{}:{}:{} {what}", e.file, e.start.line, e.start.column)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn prisma_errors(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Valid => String::new(),
        Verdict::Unknown(why) => format!("no verdict: {why}"),
        Verdict::Invalid(errors) => errors
            .iter()
            .take(2)
            .map(|e| {
                format!(
                    "{}:{} {}",
                    e.file.as_deref().unwrap_or("?"),
                    e.line.unwrap_or(0),
                    shorten(&e.message, 200)
                )
            })
            .collect::<Vec<_>>()
            .join(" | "),
    }
}

/// The schema files (path, text) of `project`.
fn schema_texts(project: &Project, paths: &[String]) -> Vec<(String, String)> {
    paths
        .iter()
        .map(|p| (p.clone(), project.text_of(p).unwrap_or("").to_string()))
        .collect()
}

/// Maps byte offsets of the original text to the text after a set of non-conflicting edits.
struct Shift<'e> {
    /// Per file: (start, end, cumulative size change up to and including this edit), by start.
    files: BTreeMap<&'e str, Vec<(u32, u32, i64)>>,
}

impl<'e> Shift<'e> {
    fn new(edits: impl IntoIterator<Item = &'e Edit>) -> Self {
        let mut files: BTreeMap<&str, Vec<(u32, u32, i64)>> = BTreeMap::new();
        for e in edits {
            let delta = e.replacement.len() as i64 - i64::from(e.end_offset - e.start_offset);
            files
                .entry(e.file.as_str())
                .or_default()
                .push((e.start_offset, e.end_offset, delta));
        }
        for list in files.values_mut() {
            list.sort_by_key(|&(s, e, _)| (s, e));
            let mut total = 0;
            for entry in list.iter_mut() {
                total += entry.2;
                entry.2 = total;
            }
        }
        Shift { files }
    }

    /// Where `pos` of `file` is after the edits (an insertion at `pos` itself lands after it).
    fn at(&self, file: &str, pos: u32) -> u32 {
        let Some(list) = self.files.get(file) else {
            return pos;
        };
        // Edits ending at or before `pos`, minus insertions exactly at `pos`.
        let mut n = list.partition_point(|&(_, end, _)| end <= pos);
        while n > 0 && list[n - 1].0 == pos && list[n - 1].1 == pos {
            n -= 1;
        }
        let delta = if n == 0 { 0 } else { list[n - 1].2 };
        (i64::from(pos) + delta) as u32
    }
}

/// The findings of a re-audit that carry a fix, indexed to find a fix offered again.
struct Reoffers<'a> {
    by_fingerprint: BTreeMap<(&'a str, &'a str), &'a Finding>,
    /// (rule, file, start, replaced length, replacement) of every edit.
    by_edit: BTreeMap<(&'a str, &'a str, u32, u32, &'a str), &'a Finding>,
}

impl<'a> Reoffers<'a> {
    fn new(again: &'a [Finding]) -> Self {
        let mut r = Reoffers {
            by_fingerprint: BTreeMap::new(),
            by_edit: BTreeMap::new(),
        };
        for g in again {
            let Some(fix) = &g.fix else { continue };
            r.by_fingerprint.insert((&g.rule, &g.fingerprint), g);
            for n in &fix.edits {
                let key = (
                    g.rule.as_str(),
                    n.file.as_str(),
                    n.start_offset,
                    n.end_offset - n.start_offset,
                    n.replacement.as_str(),
                );
                r.by_edit.entry(key).or_insert(g);
            }
        }
        r
    }

    /// The re-audit offers `original`'s fix again: the same finding still has a fix that
    /// changes the text, or a finding of the rule proposes one of the fix's edits again at the
    /// place it was applied (the inserted text inserted a second time, next to the first).
    fn offered_again(
        &self,
        fixed: &Project,
        original: &Finding,
        shift: &Shift<'_>,
    ) -> Option<(&'static str, Vec<Edit>)> {
        let mut candidates: Vec<(&'static str, &Finding)> = Vec::new();
        if let Some(g) = self
            .by_fingerprint
            .get(&(original.rule.as_str(), original.fingerprint.as_str()))
        {
            candidates.push(("the same finding offers a fix again", g));
        }
        for e in edits(original).iter().filter(|e| !e.replacement.is_empty()) {
            let at = shift.at(&e.file, e.start_offset);
            for start in [at, at + e.replacement.len() as u32] {
                let key = (
                    original.rule.as_str(),
                    e.file.as_str(),
                    start,
                    e.end_offset - e.start_offset,
                    e.replacement.as_str(),
                );
                if let Some(g) = self.by_edit.get(&key) {
                    candidates.push(("the same edit is offered again", g));
                }
            }
        }
        candidates.into_iter().find_map(|(why, g)| {
            let changes = apply_fixes(fixed, std::slice::from_ref(g), true)
                .map(|o| !o.files.is_empty())
                .unwrap_or(true);
            changes.then(|| (why, edits(g).to_vec()))
        })
    }
}

/// Examples shown per rule and kind of failure (all with `PRISMA_AUDIT_CORPUS_VERBOSE=1`).
const EXAMPLES: usize = 2;

/// At most this many fixes are applied together.
const BATCH: usize = 4096;

/// Per entry, the search for invalid fixes stops after this many (on a large schema each step
/// costs a validation); `PRISMA_AUDIT_CORPUS_EXHAUSTIVE=1` lifts the cap.
const MAX_INVALID_PER_ENTRY: usize = 8;

/// One entry under test.
struct Cx<'a> {
    oracle: &'a mut WasmOracle,
    name: &'a str,
    loaded: &'a corpus::Loaded,
    schema_paths: Vec<String>,
    major: u8,
    /// Fixes found invalid so far (for the cap).
    invalid: usize,
    tally: &'a mut Tally,
}

impl Cx<'_> {
    fn fail(&mut self, rule: &str, what: &'static str, detail: String) {
        self.tally.failures.push(Failure {
            rule: rule.to_string(),
            what,
            entry: self.name.to_string(),
            detail,
        });
    }

    fn project(&self) -> &Project {
        &self.loaded.project
    }

    fn validate(&mut self, project: &Project) -> Verdict {
        self.tally.validations += 1;
        let files = schema_texts(project, &self.schema_paths);
        self.oracle.validate(&files, self.major)
    }

    /// The project with `fixes` applied (their edits never conflict: see [`batches`]).
    fn fixed(&self, fixes: &[&Finding]) -> Result<Project, String> {
        let owned: Vec<Finding> = fixes.iter().map(|f| (*f).clone()).collect();
        let outcome = apply_fixes(self.project(), &owned, true).map_err(|e| e.to_string())?;
        if !outcome.skipped.is_empty() {
            return Err(format!(
                "{} fix(es) skipped as overlapping",
                outcome.skipped.len()
            ));
        }
        Ok(patched(self.project(), &outcome.files))
    }

    fn edits_schema(&self, f: &Finding) -> bool {
        edits(f).iter().any(|e| self.schema_paths.contains(&e.file))
    }

    fn capped(&mut self) -> bool {
        if !exhaustive() && self.invalid >= MAX_INVALID_PER_ENTRY {
            self.tally.capped.insert(self.name.to_string());
            return true;
        }
        false
    }
}

fn edits(f: &Finding) -> &[Edit] {
    f.fix.as_ref().map_or(&[], |x| x.edits.as_slice())
}

fn exhaustive() -> bool {
    std::env::var_os("PRISMA_AUDIT_CORPUS_EXHAUSTIVE").is_some()
}

/// Like `prisma_audit_core::fix`: ranges that intersect, or an insertion inside a replaced
/// range. Identical edits conflict too: `apply_fixes` applies them once, so one fix of the
/// batch would lose its edit.
fn conflicts(a: &Edit, b: &Edit) -> bool {
    if a.file != b.file {
        return false;
    }
    if a == b {
        return true;
    }
    let (a0, a1, b0, b1) = (a.start_offset, a.end_offset, b.start_offset, b.end_offset);
    match (a0 == a1, b0 == b1) {
        (true, true) => false,
        (true, false) => b0 < a0 && a0 < b1,
        (false, true) => a0 < b0 && b0 < a1,
        (false, false) => a0 < b1 && b0 < a1,
    }
}

/// Greedy partition of `fixes` into batches of at most [`BATCH`] fixes whose edits do not
/// conflict, so that a batch applies exactly like each of its fixes applied alone.
fn batches<'f>(fixes: &[&'f Finding]) -> Vec<Vec<&'f Finding>> {
    let mut out: Vec<(Vec<&Finding>, Vec<&Edit>)> = Vec::new();
    for &f in fixes {
        let slot = out.iter().position(|(members, taken)| {
            members.len() < BATCH
                && !edits(f)
                    .iter()
                    .any(|e| taken.iter().any(|t| conflicts(t, e)))
        });
        let slot = slot.unwrap_or_else(|| {
            out.push((Vec::new(), Vec::new()));
            out.len() - 1
        });
        out[slot].0.push(f);
        out[slot].1.extend(edits(f));
    }
    out.into_iter().map(|(members, _)| members).collect()
}

/// The fixes of `batch` whose edited text (in `fixed`, after all of the batch's edits) lies on
/// or next to a line Prisma reports an error on.
fn suspects<'f>(fixed: &Project, batch: &[&'f Finding], verdict: &Verdict) -> Vec<&'f Finding> {
    let Verdict::Invalid(errors) = verdict else {
        return Vec::new();
    };
    let shift = Shift::new(batch.iter().flat_map(|f| edits(f)));
    // Line start offsets per file, to turn offsets into 1-based lines.
    let mut starts: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut line_of = |file: &str, offset: usize| -> Option<u32> {
        let text = fixed.text_of(file)?;
        let lines = starts.entry(file.to_string()).or_insert_with(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        Some(lines.partition_point(|&s| s <= offset) as u32)
    };
    batch
        .iter()
        .copied()
        .filter(|f| {
            edits(f).iter().any(|e| {
                let start = shift.at(&e.file, e.start_offset) as usize;
                let (Some(first), Some(last)) = (
                    line_of(&e.file, start),
                    line_of(&e.file, start + e.replacement.len()),
                ) else {
                    return false;
                };
                errors.iter().any(|err| {
                    err.file.as_deref() == Some(e.file.as_str())
                        && err
                            .line
                            .is_some_and(|l| first.saturating_sub(1) <= l && l <= last + 1)
                })
            })
        })
        .collect()
}

fn contains(list: &[&Finding], f: &Finding) -> bool {
    list.iter().any(|i| std::ptr::eq(*i, f))
}

/// `batch` (applied together) is rejected by Prisma with `verdict`: find the fixes Prisma
/// rejects on their own, report them and add them to `invalid`. Suspects (fixes edited next to
/// an error line) are tried alone first, then what is left is bisected.
fn find_invalid<'f>(
    cx: &mut Cx<'_>,
    batch: &[&'f Finding],
    verdict: Verdict,
    invalid: &mut Vec<&'f Finding>,
) {
    if cx.capped() {
        return;
    }
    if let [single] = batch {
        cx.fail(
            &single.rule,
            "rejected by Prisma",
            format!(
                "{}\n      Prisma {}: {}",
                show_edits(cx.project(), edits(single)),
                cx.major,
                prisma_errors(&verdict)
            ),
        );
        cx.invalid += 1;
        invalid.push(single);
        return;
    }
    let before = invalid.len();
    if let Ok(fixed) = cx.fixed(batch) {
        for s in suspects(&fixed, batch, &verdict) {
            if contains(invalid, s) || cx.capped() {
                continue;
            }
            let Ok(alone) = cx.fixed(&[s]) else { continue };
            let v = cx.validate(&alone);
            if !v.is_valid() {
                find_invalid(cx, &[s], v, invalid);
            }
        }
    }
    let rest: Vec<&Finding> = batch
        .iter()
        .copied()
        .filter(|f| !contains(invalid, f))
        .collect();
    let verdict = if invalid.len() > before {
        let Ok(fixed) = cx.fixed(&rest) else { return };
        let v = cx.validate(&fixed);
        if v.is_valid() {
            return;
        }
        v
    } else {
        verdict
    };
    if rest.len() <= 1 {
        find_invalid(cx, &rest, verdict, invalid);
        return;
    }
    let (a, b) = rest.split_at(rest.len() / 2);
    let mut found = false;
    for half in [a, b] {
        if cx.capped() {
            return;
        }
        let Ok(fixed) = cx.fixed(half) else { continue };
        let v = cx.validate(&fixed);
        if !v.is_valid() {
            found = true;
            find_invalid(cx, half, v, invalid);
        }
    }
    if !found {
        // Each half is valid, together they are not: fixes that clash with each other (the
        // `--fix` runs below check the combinations users get).
        let rules: BTreeSet<&str> = rest.iter().map(|f| f.rule.as_str()).collect();
        cx.tally.interactions.push(format!(
            "{}: {} fixes ({rules:?}) valid apart, rejected together: {}",
            cx.name,
            rest.len(),
            prisma_errors(&verdict)
        ));
    }
}

fn reaudit(project: &Project, options: &AuditOptions) -> Result<Vec<Finding>, String> {
    match catch_unwind(AssertUnwindSafe(|| audit(project, options))) {
        Ok(Ok(r)) => Ok(r.findings),
        Ok(Err(e)) => Err(e.to_string()),
        Err(p) => Err(format!("panic: {}", corpus::panic_message(&*p))),
    }
}

/// Checks one batch: Prisma accepts it (else the fixes it rejects alone are reported), and a
/// re-audit offers none of its fixes again (confirmed on the fix alone).
fn check_batch(cx: &mut Cx<'_>, batch: &[&Finding]) {
    cx.tally.batches += 1;
    let fixed = match cx.fixed(batch) {
        Ok(p) => p,
        Err(e) => {
            let rules: BTreeSet<&str> = batch.iter().map(|f| f.rule.as_str()).collect();
            let rules = rules.into_iter().collect::<Vec<_>>().join(",");
            cx.fail(
                &rules,
                "does not apply",
                format!("batch of {}: {e}", batch.len()),
            );
            return;
        }
    };
    let mut invalid = Vec::new();
    if batch.iter().any(|f| cx.edits_schema(f)) {
        let verdict = cx.validate(&fixed);
        if !verdict.is_valid() {
            find_invalid(cx, batch, verdict, &mut invalid);
        }
    }
    let keep: Vec<&Finding> = batch
        .iter()
        .copied()
        .filter(|f| !contains(&invalid, f))
        .collect();
    let fixed = if invalid.is_empty() {
        fixed
    } else {
        match cx.fixed(&keep) {
            Ok(p) => p,
            Err(_) => return,
        }
    };
    let rules: BTreeSet<String> = keep.iter().map(|f| f.rule.clone()).collect();
    let again = match reaudit(
        &fixed,
        &options(Some(rules.into_iter().collect()), &cx.loaded.schema),
    ) {
        Ok(r) => r,
        Err(e) => {
            cx.fail(
                "(audit)",
                "panic",
                format!("re-audit after {} fixes: {e}", keep.len()),
            );
            return;
        }
    };
    let shift = Shift::new(keep.iter().flat_map(|f| edits(f)));
    let reoffers = Reoffers::new(&again);
    for &f in &keep {
        if reoffers.offered_again(&fixed, f, &shift).is_none() {
            continue;
        }
        // Confirm on the fix alone.
        let Ok(alone) = cx.fixed(&[f]) else { continue };
        let only_rule = options(Some(vec![f.rule.clone()]), &cx.loaded.schema);
        let Ok(again) = reaudit(&alone, &only_rule) else {
            continue;
        };
        let found = Reoffers::new(&again).offered_again(&alone, f, &Shift::new(edits(f)));
        if let Some((why, next)) = found {
            cx.fail(
                &f.rule,
                "not idempotent",
                format!(
                    "{}\n      then {why}: {}",
                    show_edits(cx.project(), edits(f)),
                    show_edits(&alone, &next)
                ),
            );
        }
    }
}

/// Checks every fix of one Prisma-valid entry.
fn check_entry(
    oracle: &mut WasmOracle,
    name: &str,
    loaded: &corpus::Loaded,
    major: u8,
    tally: &mut Tally,
) {
    let mut cx = Cx {
        oracle,
        name,
        loaded,
        schema_paths: loaded.schema_files.iter().map(|(p, _)| p.clone()).collect(),
        major,
        invalid: 0,
        tally,
    };
    let verbose = std::env::var_os("PRISMA_AUDIT_CORPUS_VERBOSE").is_some();
    let everything = options(Some(all_rule_ids()), &loaded.schema);
    let report = audit(&loaded.project, &everything).expect("audit");

    // Every distinct fix (two findings may offer the same one) must apply and change something.
    let mut seen: BTreeSet<(&str, &[Edit])> = BTreeSet::new();
    let mut sound: Vec<&Finding> = Vec::new();
    for f in &report.findings {
        let Some(fix) = &f.fix else { continue };
        if fix.edits.is_empty() || !seen.insert((&f.rule, &fix.edits)) {
            continue;
        }
        cx.tally.fixes += 1;
        cx.tally.safe += usize::from(fix.safety == FixSafety::Safe);
        cx.tally.schema_changing += usize::from(cx.edits_schema(f));
        *cx.tally.by_rule.entry(f.rule.clone()).or_default() += 1;
        let bad_range = fix.edits.iter().find(|e| {
            let text = loaded.project.text_of(&e.file).unwrap_or("");
            text.get(e.start_offset as usize..e.end_offset as usize)
                .is_none()
        });
        if let Some(e) = bad_range {
            let detail = format!(
                "{}:{}..{} is outside the file or splits a character",
                e.file, e.start_offset, e.end_offset
            );
            cx.fail(&f.rule, "does not apply", detail);
        } else if fix.edits.iter().all(|e| {
            loaded.project.text_of(&e.file).unwrap_or("")
                [e.start_offset as usize..e.end_offset as usize]
                == e.replacement
        }) {
            cx.fail(
                &f.rule,
                "changes nothing",
                show_edits(cx.project(), &fix.edits),
            );
        } else {
            sound.push(f);
        }
    }
    let t = std::time::Instant::now();
    for batch in batches(&sound) {
        check_batch(&mut cx, &batch);
    }
    if verbose && t.elapsed().as_secs_f64() > 1.0 {
        eprintln!(
            "    {name}: {} fixes checked in {:.1?}",
            sound.len(),
            t.elapsed()
        );
    }

    // All safe fixes together, as `--fix` applies them.
    for (label, select) in [
        ("default rules", None),
        ("every rule", Some(all_rule_ids())),
    ] {
        let opts = options(select, &loaded.schema);
        let t = std::time::Instant::now();
        let run = fix_project(&loaded.project, &opts, false);
        if verbose && t.elapsed().as_secs_f64() > 1.0 {
            eprintln!("    {name}: --fix with {label} in {:.1?}", t.elapsed());
        }
        let run = match run {
            Ok(run) => run,
            Err(e) => {
                cx.fail("--fix", "does not apply", format!("{label}: {e}"));
                continue;
            }
        };
        if run.changed.is_empty() {
            continue;
        }
        cx.tally.fix_runs += 1;
        let changed: Vec<&String> = run.changed.keys().collect();
        if run.changed.keys().any(|p| cx.schema_paths.contains(p)) {
            let verdict = cx.validate(&run.project);
            if !verdict.is_valid() {
                cx.fail(
                    "--fix",
                    "rejected by Prisma",
                    format!(
                        "{label}: {} fixes in {changed:?}\n      Prisma {major}: {}",
                        run.applied,
                        prisma_errors(&verdict)
                    ),
                );
                continue;
            }
        }
        match fix_project(&run.project, &opts, false) {
            Ok(again) if again.changed.is_empty() => {}
            Ok(again) => {
                let report = audit(&run.project, &opts).expect("audit");
                let rules: BTreeSet<&str> = report
                    .findings
                    .iter()
                    .filter(|f| {
                        f.fix
                            .as_ref()
                            .is_some_and(|x| x.safety == FixSafety::Safe && !x.edits.is_empty())
                    })
                    .map(|f| f.rule.as_str())
                    .collect();
                cx.fail(
                    "--fix",
                    "not idempotent",
                    format!(
                        "{label}: a second --fix changes {:?} (rules still fixing: {rules:?})",
                        again.changed.keys().collect::<Vec<_>>()
                    ),
                );
            }
            Err(e) => cx.fail("--fix", "does not apply", format!("{label}: {e}")),
        }
    }
}

fn run_entry(oracle: &mut WasmOracle, corpus: &std::path::Path, entry: &Entry) -> Tally {
    let mut tally = Tally::default();
    let name = entry.name();
    let Ok(loaded) = corpus::load_entry(corpus, entry) else {
        // Reported by tests/corpus.rs.
        return tally;
    };
    let (verdict, major) = corpus::prisma_verdict(oracle, entry.major(), &loaded.schema_files);
    if !verdict.is_valid() {
        return tally;
    }
    tally.entries = 1;
    let started = std::time::Instant::now();
    if let Err(p) = catch_unwind(AssertUnwindSafe(|| {
        check_entry(oracle, &name, &loaded, major, &mut tally)
    })) {
        tally.failures.push(Failure {
            rule: "(audit)".into(),
            what: "panic",
            entry: name.clone(),
            detail: corpus::panic_message(&*p),
        });
    }
    if std::env::var_os("PRISMA_AUDIT_CORPUS_VERBOSE").is_some() {
        eprintln!(
            "  {name}: {} fixes, {} failures, {:.1?}",
            tally.fixes,
            tally.failures.len(),
            started.elapsed()
        );
    }
    tally
}

#[test]
#[ignore = "slow: needs the corpus, Node and tools/prisma-oracle (scripts/test-all.sh runs it)"]
fn corpus_fixes_keep_the_schema_valid_and_are_idempotent() {
    let Some(corpus) = corpus::corpus_dir("corpus_fixes") else {
        return;
    };
    prisma_audit_rules::link();
    let started = std::time::Instant::now();
    let entries = corpus::manifest(&corpus);
    drop(corpus::start_oracle());
    let tallies = corpus::parallel(
        &entries,
        corpus::threads(),
        corpus::start_oracle,
        |oracle, entry| run_entry(oracle, &corpus, entry),
    );
    let mut total = Tally::default();
    for t in tallies {
        total.entries += t.entries;
        total.fixes += t.fixes;
        total.safe += t.safe;
        total.schema_changing += t.schema_changing;
        total.fix_runs += t.fix_runs;
        total.batches += t.batches;
        total.validations += t.validations;
        total.interactions.extend(t.interactions);
        total.capped.extend(t.capped);
        for (rule, n) in t.by_rule {
            *total.by_rule.entry(rule).or_default() += n;
        }
        total.failures.extend(t.failures);
    }
    eprintln!(
        "corpus fixes: {} Prisma-valid entries, {} distinct fixes ({} safe, {} unsafe; {} edit the schema) in {:.1?}",
        total.entries,
        total.fixes,
        total.safe,
        total.fixes - total.safe,
        total.schema_changing,
        started.elapsed()
    );
    eprintln!(
        "  {} batches, {} Prisma validations; --fix runs that changed something: {}",
        total.batches, total.validations, total.fix_runs
    );
    for note in &total.interactions {
        eprintln!("  note: {note}");
    }
    if !total.capped.is_empty() {
        eprintln!(
            "  stopped after {MAX_INVALID_PER_ENTRY} invalid fixes (PRISMA_AUDIT_CORPUS_EXHAUSTIVE=1 finds all): {}",
            total.capped.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    let per_rule: Vec<String> = total
        .by_rule
        .iter()
        .map(|(r, n)| format!("{r} {n}"))
        .collect();
    eprintln!("  fixes by rule: {}", per_rule.join(", "));

    // Group by rule, then by kind of failure: a count and examples.
    let (known_failures, failures): (Vec<&Failure>, Vec<&Failure>) =
        total.failures.iter().partition(|f| known(f).is_some());
    let shown = if std::env::var_os("PRISMA_AUDIT_CORPUS_VERBOSE").is_some() {
        usize::MAX
    } else {
        EXAMPLES
    };
    let report = |list: &[&Failure]| {
        let mut groups: BTreeMap<(&str, &str), Vec<&Failure>> = BTreeMap::new();
        for f in list {
            groups.entry((&f.rule, f.what)).or_default().push(f);
        }
        let mut text = String::new();
        for ((rule, what), fs) in &groups {
            let entries: BTreeSet<&str> = fs.iter().map(|f| f.entry.as_str()).collect();
            text.push_str(&format!(
                "\n{rule}: {what}: {} fix(es) in {} entries\n",
                fs.len(),
                entries.len()
            ));
            if let Some(i) = known(fs[0]) {
                text.push_str(&format!("    known: {}\n", KNOWN_FAILURES[i].3));
            }
            for f in fs.iter().take(shown) {
                text.push_str(&format!("    {}\n      {}\n", f.entry, f.detail));
            }
        }
        text
    };
    if !known_failures.is_empty() {
        eprintln!(
            "  {} known failure(s), waiting for a change in the rule:{}",
            known_failures.len(),
            report(&known_failures)
        );
    }
    for (i, (rule, what, text, _)) in KNOWN_FAILURES.iter().enumerate() {
        if std::env::var_os("PRISMA_AUDIT_CORPUS_ONLY").is_none()
            && !known_failures.iter().any(|f| known(f) == Some(i))
        {
            eprintln!(
                "  stale KNOWN_FAILURES entry (nothing fails this way any more, remove it): {rule}: {what}: {text}"
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing fix(es):{}",
        failures.len(),
        report(&failures)
    );
}
