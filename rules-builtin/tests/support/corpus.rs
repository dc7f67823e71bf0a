//! The corpus of real Prisma schemas and projects (`MANIFEST.tsv` plus verbatim files), read at
//! run time as test input: where it is, its entries, how each entry is loaded (the way Prisma
//! finds the schema) and which Prisma major validates it.
//!
//! The corpus lives outside this repository: `$PRISMA_AUDIT_CORPUS`, else `../shared/corpus`
//! next to the checkout. Tests skip (with a note on stderr) when it is absent.
#![allow(dead_code)]

use crate::wasm_oracle::{Verdict, WasmOracle};
use prisma_audit_core::Project;
use prisma_audit_core::audit::analyze;
use prisma_audit_core::load::{LoadLimits, load_dir};
use std::path::{Path, PathBuf};

/// The corpus directory, or `None` (with a note on stderr) when it is absent.
pub fn corpus_dir(test: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os("PRISMA_AUDIT_CORPUS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    };
    if dir.join("MANIFEST.tsv").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "{test}: skipped: no corpus at {} (set PRISMA_AUDIT_CORPUS to its directory)",
            dir.display()
        );
        None
    }
}

/// Starts Prisma's wasm validator; a missing validator fails the test (the corpus is there, so
/// the comparison is expected to run).
pub fn start_oracle() -> WasmOracle {
    WasmOracle::start().unwrap_or_else(|e| panic!("{e}"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A schema file or folder on its own.
    Schema,
    /// A whole project: schema, migration history, package.json, client code.
    Project,
}

/// One `MANIFEST.tsv` row.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: Kind,
    /// Relative to the corpus directory.
    pub dir: String,
    /// Relative to `dir`, without a trailing `/` for folders.
    pub schema_paths: Vec<String>,
    pub provider: String,
    pub prisma_version: String,
    /// The heuristic feature tags (`models=12`, `migrations=35`, `lines=220`, ...).
    pub features: String,
    /// Several rows share `dir`: the name shows the schema path too.
    pub shared_dir: bool,
}

/// The Prisma major whose validator judges an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Major {
    /// Declared in package.json (≤ 6 and RedwoodJS → 6).
    Declared(u8),
    /// No usable version (none found, `catalog:`, `*`, `latest`): Prisma 7 first, and Prisma 6
    /// when 7 rejects, since the schema may have been written for either.
    Unknown,
}

impl Entry {
    /// `dir`, plus the schema path when the directory holds several entries.
    pub fn name(&self) -> String {
        if self.shared_dir {
            format!("{} ({})", self.dir, self.schema_paths.join(";"))
        } else {
            self.dir.clone()
        }
    }

    /// The schema path as Prisma would be pointed at it: the single listed path, or the folder
    /// holding all listed paths (a main file plus a folder of models).
    pub fn schema_target(&self) -> String {
        if let [one] = self.schema_paths.as_slice() {
            return one.clone();
        }
        let split: Vec<Vec<&str>> = self
            .schema_paths
            .iter()
            .map(|p| p.split('/').collect())
            .collect();
        let mut common: Vec<&str> = Vec::new();
        'outer: for (i, part) in split[0].iter().enumerate() {
            for other in &split[1..] {
                // The last component of a path is the file or folder itself, not a parent.
                if other.len() <= i + 1 || other[i] != *part {
                    break 'outer;
                }
            }
            if i + 1 < split[0].len() {
                common.push(part);
            }
        }
        common.join("/")
    }

    /// A rough cost of auditing the entry (schema lines, migrations), to start big ones first.
    pub fn weight(&self) -> usize {
        let tag = |name: &str| {
            self.features
                .split(',')
                .find_map(|t| t.strip_prefix(name)?.parse::<usize>().ok())
                .unwrap_or(0)
        };
        tag("lines=").max(tag("schema_lines=")) + 20 * tag("migrations=")
    }

    /// The major of the declared `prisma@…` range, else of `@prisma/client@…` (`None` for
    /// RedwoodJS apps and unusable ranges).
    pub fn declared_major(&self) -> Option<u8> {
        let parts: Vec<&str> = self.prisma_version.split(';').map(str::trim).collect();
        let range = |name: &str| {
            parts
                .iter()
                .find_map(|p| p.strip_prefix(name))
                .and_then(major_of_range)
        };
        range("prisma@").or_else(|| range("@prisma/client@"))
    }

    /// Prisma `prisma@…` version first, then `@prisma/client@…`; RedwoodJS apps get Prisma 6.
    pub fn major(&self) -> Major {
        let v = self.prisma_version.trim();
        if v.starts_with("via @redwoodjs") {
            return Major::Declared(6);
        }
        let parts: Vec<&str> = v.split(';').map(str::trim).collect();
        let range = |name: &str| {
            parts
                .iter()
                .find_map(|p| p.strip_prefix(name))
                .and_then(major_of_range)
        };
        match range("prisma@").or_else(|| range("@prisma/client@")) {
            Some(m) if m >= 7 => Major::Declared(7),
            Some(_) => Major::Declared(6),
            None => Major::Unknown,
        }
    }
}

/// The first major version number of an npm range (`^6.19.3` → 6, `>=2.26.0 || …` → 2);
/// `None` for `catalog:`, `*`, `latest`, workspace ranges.
fn major_of_range(range: &str) -> Option<u8> {
    let first = range.split("||").next()?.trim();
    let digits: String = first
        .trim_start_matches(['^', '~', '>', '<', '=', 'v', ' '])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Every row of `MANIFEST.tsv`, in file order (only those whose `dir` contains
/// `$PRISMA_AUDIT_CORPUS_ONLY` when it is set).
pub fn manifest(corpus: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).expect("read MANIFEST.tsv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("MANIFEST.tsv has no `{name}` column"))
    };
    let (kind, dir, paths, provider, version) = (
        col("kind"),
        col("dir"),
        col("schema_paths"),
        col("provider"),
        col("prisma_version"),
    );
    let features = col("features");
    let mut entries: Vec<Entry> = lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            let cell = |i: usize| cells.get(i).copied().unwrap_or("").to_string();
            Entry {
                kind: match cells[kind] {
                    "project" => Kind::Project,
                    "schema" => Kind::Schema,
                    other => panic!("MANIFEST.tsv: unknown kind `{other}`"),
                },
                dir: cell(dir),
                schema_paths: cell(paths)
                    .split(';')
                    .filter(|p| !p.is_empty())
                    .map(|p| p.trim_end_matches('/').to_string())
                    .collect(),
                provider: cell(provider),
                prisma_version: cell(version),
                features: cell(features),
                shared_dir: false,
            }
        })
        .collect();
    if let Ok(only) = std::env::var("PRISMA_AUDIT_CORPUS_ONLY") {
        entries.retain(|e| e.dir.contains(&only));
    }
    for i in 0..entries.len() {
        let shared = entries.iter().filter(|e| e.dir == entries[i].dir).count() > 1;
        entries[i].shared_dir = shared;
    }
    entries
}

/// An entry read from disk like the CLI reads a project directory.
pub struct Loaded {
    pub project: Project,
    /// The `--schema` to pass, or `None` when Prisma's own discovery (prisma.config.ts,
    /// package.json `prisma.schema`, default locations) finds the entry's schema.
    pub schema: Option<String>,
    /// The schema files (path, text) as Prisma would read them.
    pub schema_files: Vec<(String, String)>,
}

/// Read an entry's directory and locate its schema.
pub fn load_entry(corpus: &Path, entry: &Entry) -> Result<Loaded, String> {
    let project = load_dir(&corpus.join(&entry.dir), &LoadLimits::default())
        .map_err(|e| format!("load: {e}"))?;
    let target = entry.schema_target();
    let explicit = analyze(&project, Some(&target)).map_err(|e| format!("schema: {e}"))?;
    let discovered = analyze(&project, None).ok();
    let same = discovered
        .as_ref()
        .is_some_and(|d| d.source.files == explicit.source.files);
    let schema_files = explicit
        .source
        .files
        .iter()
        .filter_map(|&id| project.file(id))
        .map(|f| {
            (
                f.path().to_string(),
                String::from_utf8_lossy(f.bytes()).into_owned(),
            )
        })
        .collect();
    Ok(Loaded {
        schema: (!same).then_some(target),
        schema_files,
        project,
    })
}

/// Prisma's verdict on `files` with the validator of the entry's major (see [`Major`]), and the
/// major that gave it.
pub fn prisma_verdict(
    oracle: &mut WasmOracle,
    major: Major,
    files: &[(String, String)],
) -> (Verdict, u8) {
    match major {
        Major::Declared(m) => (oracle.validate(files, m), m),
        Major::Unknown => match oracle.validate(files, 7) {
            Verdict::Valid => (Verdict::Valid, 7),
            seven => match oracle.validate(files, 6) {
                Verdict::Valid => (Verdict::Valid, 6),
                _ => (seven, 7),
            },
        },
    }
}

/// The first line of a panic payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic".into());
    text.lines().next().unwrap_or("").to_string()
}

/// Runs `work` on every entry with `threads` workers (each with its own state from `init`),
/// heaviest entries first, returning the results in entry order.
pub fn parallel<S, R: Send>(
    items: &[Entry],
    threads: usize,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &Entry) -> R + Sync,
) -> Vec<R> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(items[i].weight()));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                let mut state = init();
                loop {
                    let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&i) = order.get(n) else { break };
                    let item = &items[i];
                    let r = work(&mut state, item);
                    results.lock().unwrap().push((i, r));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Worker threads: `PRISMA_AUDIT_TEST_THREADS`, else the available parallelism (at most 4).
pub fn threads() -> usize {
    std::env::var("PRISMA_AUDIT_TEST_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get().min(4))
                .unwrap_or(1)
        })
}
