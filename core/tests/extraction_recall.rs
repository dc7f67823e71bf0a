//! Recall of the Prisma Client call extraction on real projects, against the hand-judged
//! sample in `frontends/typescript/tests/data/recall-sample.tsv` (how it was drawn and judged:
//! `recall-sample.md` beside it). Each sampled call the judge found to be a Prisma Client call
//! must be extracted at its line with the judged operation and model; the share found must stay
//! at least 95 %. Runs when the corpus is present (`../shared/corpus` or
//! `$PRISMA_AUDIT_CORPUS`), and is skipped otherwise.

use prisma_audit_core::application::queries;
use prisma_audit_core::audit::analyze;
use prisma_audit_core::load::{LoadLimits, load};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("PRISMA_AUDIT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    dir.join("MANIFEST.tsv").is_file().then_some(dir)
}

/// (operation, model) of every call per file, by the 1-based line the call starts on and
/// every line it spans.
type Calls = BTreeMap<String, Vec<(u32, u32, String, String)>>;

fn extracted(corpus: &Path, dir: &str, schema: &str) -> Calls {
    let loaded = load(&corpus.join(dir), &LoadLimits::default()).expect("load");
    let analysis = analyze(&loaded.project, Some(schema)).expect("schema");
    let mut out = Calls::new();
    for file in queries(&loaded.project, &analysis.schema, &Default::default()) {
        let text = loaded.project.text_of(&file.path).unwrap_or("");
        let line_of = |offset: u32| text[..offset as usize].matches('\n').count() as u32 + 1;
        let calls = out.entry(file.path.clone()).or_default();
        for c in &file.calls {
            calls.push((
                line_of(c.span.start),
                line_of(c.span.end),
                c.operation.as_str().to_string(),
                c.model.clone().unwrap_or_default(),
            ));
        }
    }
    out
}

#[test]
fn sampled_prisma_calls_are_extracted() {
    let Some(corpus) = corpus() else {
        eprintln!("corpus not found; skipped");
        return;
    };
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).unwrap();
    let mut schema_of: BTreeMap<&str, &str> = BTreeMap::new();
    for row in manifest.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        if cols.first() == Some(&"project") && cols.len() > 4 {
            let first = cols[4].split(';').next().unwrap_or("");
            schema_of.entry(cols[1]).or_insert(first);
        }
    }
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../frontends/typescript/tests/data/recall-sample.tsv");
    let sample = std::fs::read_to_string(sample).unwrap();
    let mut by_project: BTreeMap<&str, Calls> = BTreeMap::new();
    let (mut prisma, mut found, mut regressions) = (0, 0, Vec::new());
    for row in sample.lines().skip(1) {
        let c: Vec<&str> = row.split('\t').collect();
        let (dir, file, line, op, is_prisma, model, judged) =
            (c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
        if is_prisma != "yes" {
            continue;
        }
        prisma += 1;
        let line: u32 = line.parse().unwrap();
        let calls = by_project
            .entry(dir)
            .or_insert_with(|| extracted(&corpus, dir, schema_of[dir]));
        let hit = calls
            .get(file)
            .into_iter()
            .flatten()
            .any(|(start, end, o, m)| {
                *start <= line && line <= *end && o == op && (model.is_empty() || m == model)
            });
        if hit {
            found += 1;
        } else if judged == "yes" {
            regressions.push(format!("{dir} {file}:{line} {op} {model}"));
        }
    }
    assert!(
        regressions.is_empty(),
        "calls extracted when the sample was judged are no longer found:\n{}",
        regressions.join("\n")
    );
    let recall = found as f64 / prisma as f64;
    eprintln!(
        "recall on the sample: {found}/{prisma} = {:.1} %",
        recall * 100.0
    );
    assert!(prisma >= 100 && recall >= 0.95, "{found}/{prisma}");
}
