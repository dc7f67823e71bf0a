//! Precision of the default rule set on real projects, as data.
//!
//! `rules-builtin/precision/<rule-id>.tsv` holds hand-judged findings of one rule on the
//! real-world corpus (public Prisma projects, read at test time from `../shared/corpus` or `$PRISMA_AUDIT_CORPUS`, never
//! copied here): one row per finding — rule, repository, path, line, verdict (`useful` = true and
//! a reviewer acts on it, `noise` = true but thrown away, `wrong` = false or bad advice) and a
//! one-line reason. The header `# findings-on-corpus: N` records how many findings the rule
//! reported on the whole corpus when it was sampled.
//!
//! This test checks the data, regenerates the table in `docs/precision.md` from it (run
//! `UPDATE_PRECISION=1 cargo test -p prisma-audit-rules --test precision_table` and commit the
//! file), and holds every default-on rule to the bar: at least min(20, N) judged findings, of
//! which at least 90 % are useful. When the corpus is present it also checks that every judged
//! finding is still reported at its line, so a verdict never describes output that changed.
//! Rules that judge migrations are sampled with `--migrations all` (every migration of the
//! history, not only the pending ones), so the check audits in both scopes.

use prisma_audit_core::config::Config;
use prisma_audit_core::load::{LoadLimits, load};
use prisma_audit_core::rule::rule_metas;
use prisma_audit_core::sql::MigrationScope;
use prisma_audit_core::{AuditOptions, audit};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Required share of `useful` verdicts for a default-on rule.
const MIN_USEFUL: f64 = 0.90;
/// Required sample size (or every finding, when the rule reports fewer).
const MIN_SAMPLE: usize = 20;

/// Default-on rules not yet held to the bar, each with the reason. The table shows them as
/// not measured; keep this list short.
const NOT_MEASURED: &[(&str, &str)] = &[
    ("backup-not-configured", LIVE),
    ("connections-near-limit", LIVE),
    ("expensive-query", LIVE),
    ("invalid-index", LIVE),
    ("live-rls-disabled", LIVE),
    ("live-schema-drift", LIVE),
    ("migration-edited-after-apply", LIVE),
    ("migration-failed-in-database", LIVE),
    ("migration-missing-locally", LIVE),
    ("sequence-near-max", LIVE),
    ("transaction-id-wraparound", LIVE),
    ("unused-index", LIVE),
];

/// Why the live-database rules are not measured on the corpus.
const LIVE: &str = "reads a live database (`--database-url`), which the corpus of repositories does not have; silent without one";

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Verdict {
    rule: String,
    repo: String,
    path: String,
    line: u32,
    verdict: String,
    reason: String,
}

#[derive(Debug, Default)]
struct RuleData {
    findings_on_corpus: Option<usize>,
    rows: Vec<Verdict>,
    /// Rows judged with the rule switched on while it is off by default, kept as `# ` comment
    /// lines (the default audit does not report them, so they are not checked for staleness).
    off_rows: Vec<Verdict>,
}

impl RuleData {
    fn count(&self, verdict: &str) -> usize {
        self.rows.iter().filter(|r| r.verdict == verdict).count()
    }
    fn useful_share(&self) -> f64 {
        if self.rows.is_empty() {
            return 1.0;
        }
        self.count("useful") as f64 / self.rows.len() as f64
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("precision")
}

/// One judged finding: rule, repo, path, line, verdict, reason (tab-separated).
fn row(at: &str, line: &str) -> Result<Verdict, String> {
    let cols: Vec<&str> = line.split('\t').collect();
    let [rule, repo, path, line_no, verdict, reason] = cols[..] else {
        return Err(format!("{at}: expected 6 tab-separated columns"));
    };
    if !matches!(verdict, "useful" | "noise" | "wrong") {
        return Err(format!(
            "{at}: verdict `{verdict}` (useful, noise or wrong)"
        ));
    }
    if reason.trim().is_empty() {
        return Err(format!("{at}: a verdict needs a reason"));
    }
    Ok(Verdict {
        rule: rule.to_string(),
        repo: repo.to_string(),
        path: path.to_string(),
        line: line_no
            .parse()
            .map_err(|_| format!("{at}: bad line `{line_no}`"))?,
        verdict: verdict.to_string(),
        reason: reason.to_string(),
    })
}

/// Parses one data file; errors name the file and line.
fn parse(file: &str, text: &str) -> Result<RuleData, String> {
    let mut data = RuleData::default();
    let mut header_seen = false;
    for (i, line) in text.lines().enumerate() {
        let at = format!("{file}:{}", i + 1);
        if let Some(rest) = line.strip_prefix('#') {
            if let Some(n) = rest.trim().strip_prefix("findings-on-corpus:") {
                data.findings_on_corpus =
                    Some(n.trim().parse().map_err(|_| format!("{at}: bad count"))?);
            } else if header_seen && rest.split('\t').count() == 6 {
                data.off_rows.push(row(&at, rest.trim_start_matches(' '))?);
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if !header_seen {
            if cols != ["rule", "repo", "path", "line", "verdict", "reason"] {
                return Err(format!("{at}: expected the column header line"));
            }
            header_seen = true;
            continue;
        }
        data.rows.push(row(&at, line)?);
    }
    if data.findings_on_corpus.is_none() {
        return Err(format!("{file}: missing `# findings-on-corpus: N`"));
    }
    Ok(data)
}

fn load_all() -> BTreeMap<String, RuleData> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(data_dir()) else {
        return out;
    };
    let mut errors = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "tsv") {
            continue;
        }
        let id = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        match parse(&format!("precision/{id}.tsv"), &text) {
            Ok(data) => {
                for r in &data.rows {
                    if r.rule != id {
                        errors.push(format!("precision/{id}.tsv: a row of rule `{}`", r.rule));
                    }
                }
                let unique: BTreeSet<_> = data
                    .rows
                    .iter()
                    .map(|r| (&r.repo, &r.path, r.line))
                    .collect();
                if unique.len() != data.rows.len() {
                    errors.push(format!("precision/{id}.tsv: a finding is judged twice"));
                }
                out.insert(id, data);
            }
            Err(e) => errors.push(e),
        }
    }
    assert!(
        errors.is_empty(),
        "bad precision data:\n{}",
        errors.join("\n")
    );
    out
}

/// The Markdown page: how the data is made, then one row per rule.
fn render(data: &BTreeMap<String, RuleData>) -> String {
    let mut metas: Vec<_> = rule_metas().into_iter().copied().collect();
    metas.sort_by_key(|m| (!m.default_enabled, m.id));
    let mut out = String::from(
        "# Precision on real projects\n\n\
         <!-- Generated from rules-builtin/precision/*.tsv by\n     \
         UPDATE_PRECISION=1 cargo test -p prisma-audit-rules --test precision_table -->\n\n\
         A linter is only as good as its noise. Every rule that runs by default is measured on a \
         corpus of real public Prisma projects (schemas and migration histories as their \
         repositories hold them): a sample of its findings — every finding when it reports fewer \
         than 20 — is judged by hand and the verdicts are kept as data in \
         [`rules-builtin/precision/`](../rules-builtin/precision/), one file per rule (repository, \
         path, line, verdict, one-line reason; no source text).\n\n\
         - **useful**: true, and a reviewer would act on it or want to know;\n\
         - **noise**: true, but a reviewer would throw it away (taste, no consequence);\n\
         - **wrong**: false, or its advice or fix is wrong.\n\n\
         A rule runs by default only when at least 90 % of its judged findings are useful. Rules \
         below the bar are off by default (enable them in `prisma-audit.toml`); findings that \
         infer meaning from names are marked `heuristic` and can be hidden with \
         `min-confidence = \"certain\"`. The test that regenerates this page also checks that \
         every judged finding is still reported at its line. For a rule that is off by default, \
         the counts are those of the rule switched on. Rules that judge migrations are \
         sampled with `--migrations all`: every migration of a history judged as if it were \
         about to run.\n\n\
         ## Findings per corpus entry\n\n\
         Default configuration, release build, every entry of the corpus (257 schemas, 42 \
         projects with their migration histories); `cargo test -p prisma-audit-rules --test \
         corpus -- --ignored --nocapture` prints the current figures.\n\n\
         | Build | Findings | Median per entry | Median per schema | Median per project |\n\
         |-------|---------:|-----------------:|------------------:|-------------------:|\n\
         | before the precision work (546e1cd) | 12,837 | 13 | 12 | 53 |\n\
         | with per-rule precision data (8e88650) | 2,849 | 4 | 3 | 12.5 |\n\n\
         Most of what remains is `missing-fk-index` (one finding per model, 92 % useful): \
         without it the median per entry is 1.\n\n\
         ## Rules\n\n\
         | Rule | Default | Severity | Findings on the corpus | Judged | Useful | Noise | Wrong | Useful share |\n\
         |------|---------|----------|-----------------------:|-------:|-------:|------:|------:|-------------:|\n",
    );
    for m in &metas {
        let d = data.get(m.id);
        if d.is_none() && !m.default_enabled {
            continue;
        }
        let default = if m.default_enabled { "on" } else { "off" };
        match d {
            Some(d) => {
                let n = d.findings_on_corpus.unwrap_or(0);
                // An off rule shows the sample judged with it switched on.
                let shown = RuleData {
                    findings_on_corpus: d.findings_on_corpus,
                    rows: if m.default_enabled || d.off_rows.is_empty() {
                        d.rows.clone()
                    } else {
                        d.off_rows.clone()
                    },
                    off_rows: Vec::new(),
                };
                let d = &shown;
                let share = if d.rows.is_empty() {
                    "—".to_string()
                } else {
                    format!("{:.0} %", d.useful_share() * 100.0)
                };
                let _ = writeln!(
                    out,
                    "| [`{id}`](rules/{id}.md) | {default} | {sev} | {n} | {judged} | {u} | {no} | {w} | {share} |",
                    id = m.id,
                    sev = m.default_severity,
                    judged = d.rows.len(),
                    u = d.count("useful"),
                    no = d.count("noise"),
                    w = d.count("wrong"),
                );
            }
            None => {
                let why = NOT_MEASURED
                    .iter()
                    .find(|(id, _)| *id == m.id)
                    .map_or("not measured", |(_, why)| why);
                let _ = writeln!(
                    out,
                    "| [`{id}`](rules/{id}.md) | {default} | {sev} | — | — | — | — | — | {why} |",
                    id = m.id,
                    sev = m.default_severity,
                );
            }
        }
    }
    out
}

#[test]
fn precision_table_is_up_to_date() {
    prisma_audit_rules::link();
    let data = load_all();
    let page = render(&data);
    let path = root().join("docs/precision.md");
    if std::env::var_os("UPDATE_PRECISION").is_some() {
        std::fs::write(&path, &page).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == page,
        "docs/precision.md is out of date: run \
         UPDATE_PRECISION=1 cargo test -p prisma-audit-rules --test precision_table"
    );
}

#[test]
fn default_rules_meet_the_bar() {
    prisma_audit_rules::link();
    let data = load_all();
    let mut failures = Vec::new();
    for m in rule_metas() {
        if !m.default_enabled || NOT_MEASURED.iter().any(|(id, _)| *id == m.id) {
            continue;
        }
        let Some(d) = data.get(m.id) else {
            failures.push(format!(
                "{}: runs by default but has no precision data",
                m.id
            ));
            continue;
        };
        let n = d.findings_on_corpus.unwrap_or(0);
        let need = MIN_SAMPLE.min(n);
        if d.rows.len() < need {
            failures.push(format!(
                "{}: {} judged findings, needs {need} (it reports {n} on the corpus)",
                m.id,
                d.rows.len()
            ));
        }
        if d.useful_share() < MIN_USEFUL {
            failures.push(format!(
                "{}: {:.0} % useful ({} useful, {} noise, {} wrong): below {:.0} %",
                m.id,
                d.useful_share() * 100.0,
                d.count("useful"),
                d.count("noise"),
                d.count("wrong"),
                MIN_USEFUL * 100.0
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// MANIFEST rows: (dir, first schema path) per repository.
fn manifest(corpus: &Path) -> BTreeMap<String, Vec<(String, String)>> {
    let text = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).unwrap_or_default();
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 5 {
            continue;
        }
        let schema = cols[4].split(';').next().unwrap_or("").to_string();
        let entry = (cols[1].to_string(), schema);
        let list = out.entry(cols[2].to_string()).or_default();
        if !list.contains(&entry) {
            list.push(entry);
        }
    }
    out
}

#[test]
fn judged_findings_are_still_reported() {
    let corpus = std::env::var_os("PRISMA_AUDIT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/corpus"));
    if !corpus.join("MANIFEST.tsv").is_file() {
        eprintln!(
            "judged_findings_are_still_reported: no corpus at {}; skipped",
            corpus.display()
        );
        return;
    }
    prisma_audit_rules::link();
    let data = load_all();
    let by_repo = manifest(&corpus);
    let wanted: BTreeSet<&str> = data
        .values()
        .flat_map(|d| &d.rows)
        .map(|r| r.repo.as_str())
        .collect();
    // (repo, rule, path, line) of every finding in the entries of the judged repositories.
    let mut reported = BTreeSet::new();
    for repo in wanted {
        for (dir, schema) in by_repo.get(repo).into_iter().flatten() {
            let Ok(loaded) = load(&corpus.join(dir), &LoadLimits::default()) else {
                continue;
            };
            // Migration rules are judged on every migration (`--migrations all`); the summary
            // of what was not judged only exists in the default scope. Either run counts.
            for scope in [MigrationScope::Pending, MigrationScope::All] {
                let options = AuditOptions {
                    schema: Some(schema.clone()),
                    config: Config {
                        migrations: scope,
                        ..Config::default()
                    },
                    ..Default::default()
                };
                let Ok(report) = audit(&loaded.project, &options) else {
                    continue;
                };
                for f in report.findings {
                    if let Some(loc) = f.location {
                        reported.insert((repo.to_string(), f.rule, loc.file, loc.start.line));
                    }
                }
            }
        }
    }
    let stale: Vec<String> = data
        .values()
        .flat_map(|d| &d.rows)
        .filter(|r| !reported.contains(&(r.repo.clone(), r.rule.clone(), r.path.clone(), r.line)))
        .map(|r| {
            format!(
                "{} {} {}:{} ({})",
                r.rule, r.repo, r.path, r.line, r.verdict
            )
        })
        .collect();
    assert!(
        stale.is_empty(),
        "judged findings no longer reported (re-judge or drop them):\n{}",
        stale.join("\n")
    );
}

#[test]
fn parser_rejects_malformed_rows() {
    let ok = "# findings-on-corpus: 3\nrule\trepo\tpath\tline\tverdict\treason\nr\ta/b\tp.prisma\t4\tuseful\twhy\n";
    let d = parse("x", ok).unwrap();
    assert_eq!((d.findings_on_corpus, d.rows.len()), (Some(3), 1));
    assert!(parse("x", &ok.replace("useful", "great")).is_err());
    assert!(parse("x", &ok.replace("\twhy", "\t ")).is_err());
    assert!(parse("x", &ok.replace("# findings-on-corpus: 3\n", "")).is_err());
    assert!(parse("x", &ok.replace("\t4\t", "\tfour\t")).is_err());
    // Rows judged while a rule is off by default are kept as comments.
    let off = format!("{ok}# r\ta/b\tp.prisma\t5\tnoise\ttaste\n");
    let d = parse("x", &off).unwrap();
    assert_eq!((d.rows.len(), d.off_rows.len()), (1, 1));
    assert_eq!(d.off_rows[0].verdict, "noise");
}
