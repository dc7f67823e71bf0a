//! The source layout of the built-in rules: every rule lives in
//! `src/<category>/<rule_id>.rs` (both in snake case), one rule per file; code the rules share
//! lives in `src/support/`, and strength sources (facts, not rules) in `src/strengths/`. Checked against the rules' `declare_rule!` blocks and against the
//! registry.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One `declare_rule!` block found in a source file.
#[derive(Debug)]
struct Declared {
    /// Path relative to the crate's `src/`, with `/` separators.
    file: String,
    id: String,
    /// The `category = ...` identifier (`DataIntegrity`).
    category: String,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, recursively, sorted.
fn rust_files(dir: &Path, skip_dir: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if !skip_dir(&path) {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The value after `key = ` on a line of a `declare_rule!` block, without quotes and comma.
fn field<'a>(block: &'a str, key: &str) -> Option<&'a str> {
    block.lines().find_map(|line| {
        let rest = line.trim().strip_prefix(key)?.trim_start();
        let value = rest.strip_prefix('=')?.trim();
        Some(value.trim_end_matches(',').trim().trim_matches('"'))
    })
}

/// The `declare_rule!` blocks of `text`: (id, category).
fn declared_rules(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("\ndeclare_rule! {") {
        let block = &rest[at + 1..];
        let end = block.find("\n}").expect("declare_rule! block is closed");
        let block = &block[..end];
        let id = field(block, "id").expect("declare_rule! has an id");
        let category = field(block, "category").expect("declare_rule! has a category");
        out.push((id.to_string(), category.to_string()));
        rest = &rest[at + 1 + end..];
    }
    out
}

/// `DataIntegrity` → `data_integrity`.
fn snake_from_camel(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `missing-fk-index` → `missing_fk_index`.
fn snake_from_kebab(id: &str) -> String {
    id.replace('-', "_")
}

/// Every rule declared in this crate's `src/`, and the files without a rule.
fn scan() -> (Vec<Declared>, Vec<String>) {
    let src = src_dir();
    let mut declared = Vec::new();
    let mut without_rule = Vec::new();
    for path in rust_files(&src, &|_| false) {
        let rel = path
            .strip_prefix(&src)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&path).expect("read source file");
        let rules = declared_rules(&text);
        if rules.is_empty() {
            without_rule.push(rel);
            continue;
        }
        for (id, category) in rules {
            declared.push(Declared {
                file: rel.clone(),
                id,
                category,
            });
        }
    }
    (declared, without_rule)
}

#[test]
fn every_rule_file_is_named_after_its_category_and_id() {
    let (declared, _) = scan();
    assert!(!declared.is_empty(), "no declare_rule! found under src/");
    let misplaced: Vec<String> = declared
        .iter()
        .filter_map(|d| {
            let expected = format!(
                "{}/{}.rs",
                snake_from_camel(&d.category),
                snake_from_kebab(&d.id)
            );
            (d.file != expected).then(|| {
                format!(
                    "rule `{}` (category {}) is in src/{}, expected src/{expected}",
                    d.id, d.category, d.file
                )
            })
        })
        .collect();
    assert!(misplaced.is_empty(), "{}", misplaced.join("\n"));
}

#[test]
fn one_rule_per_file() {
    let (declared, _) = scan();
    let mut per_file: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for d in &declared {
        per_file.entry(&d.file).or_default().push(&d.id);
    }
    let crowded: Vec<String> = per_file
        .iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|(file, ids)| format!("src/{file} declares {}", ids.join(", ")))
        .collect();
    assert!(crowded.is_empty(), "{}", crowded.join("\n"));
}

#[test]
fn only_support_code_and_module_files_have_no_rule() {
    let (_, without_rule) = scan();
    let stray: Vec<&String> = without_rule
        .iter()
        .filter(|f| {
            !(f.starts_with("support/") || f.as_str() == "lib.rs" || f.ends_with("/mod.rs"))
        })
        // Strength sources (`src/strengths/`) register facts, not rules.
        .filter(|f| {
            !(f.starts_with("strengths/")
                && std::fs::read_to_string(src_dir().join(f.as_str()))
                    .is_ok_and(|t| t.contains("declare_strengths!(")))
        })
        .collect();
    assert!(
        stray.is_empty(),
        "files outside src/support/ that declare no rule (move shared code to src/support/): {stray:?}"
    );
}

#[test]
fn support_code_declares_no_rule() {
    let (declared, _) = scan();
    let in_support: Vec<String> = declared
        .iter()
        .filter(|d| d.file.starts_with("support/"))
        .map(|d| format!("`{}` in src/{}", d.id, d.file))
        .collect();
    assert!(in_support.is_empty(), "{}", in_support.join("\n"));
}

/// Ids of the rules other crates of the workspace declare (the engine's own rules), found in
/// their sources.
fn declared_elsewhere() -> Vec<String> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf();
    let this_crate = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    let skip = |dir: &Path| {
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
        dir == this_crate
            || name.is_some_and(|n| n.starts_with('.') || n == "target" || n == "node_modules")
    };
    rust_files(&workspace, &skip)
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .flat_map(|text| declared_rules(&text))
        .map(|(id, _)| id)
        .collect()
}

#[test]
fn every_registered_rule_has_exactly_one_file() {
    prisma_audit_rules::link();
    let (declared, _) = scan();
    let mut files: BTreeMap<&str, Vec<&Declared>> = BTreeMap::new();
    for d in &declared {
        files.entry(&d.id).or_default().push(d);
    }
    let elsewhere = declared_elsewhere();
    let mut problems = Vec::new();
    let registry = prisma_audit_core::rule::registry();
    for rule in &registry {
        let meta = rule.meta();
        match files.get(meta.id).map(Vec::as_slice) {
            Some([d]) => {
                let folder = meta.category.as_str().replace('-', "_");
                if snake_from_camel(&d.category) != folder {
                    problems.push(format!(
                        "`{}`: src/{} says category {}, the registry {}",
                        meta.id,
                        d.file,
                        d.category,
                        meta.category.as_str()
                    ));
                }
            }
            Some(many) => problems.push(format!(
                "`{}` is declared in {} files: {:?}",
                meta.id,
                many.len(),
                many.iter().map(|d| &d.file).collect::<Vec<_>>()
            )),
            None if elsewhere.iter().any(|id| id == meta.id) => {}
            None => problems.push(format!(
                "registered rule `{}` has no file under src/ (nor elsewhere in the workspace)",
                meta.id
            )),
        }
    }
    for id in files.keys() {
        if !registry.iter().any(|r| r.meta().id == *id) {
            problems.push(format!("`{id}` is declared under src/ but not registered"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn parser_reads_a_declaration() {
    let text = "use x;\n\ndeclare_rule! {\n    /// ## What it does\n    pub struct A;\n    id = \"a-b\",\n    summary = \"x\",\n    category = ScalabilityAndOperations,\n    severity = Low,\n    fixable = false,\n    enabled = true,\n}\n";
    assert_eq!(
        declared_rules(text),
        [("a-b".to_string(), "ScalabilityAndOperations".to_string())]
    );
    assert_eq!(
        snake_from_camel("ScalabilityAndOperations"),
        "scalability_and_operations"
    );
}
