//! `docs/rules/` is generated from the registered rules' doc comments; this test fails when the
//! committed files are stale. Update them with:
//!
//! ```sh
//! UPDATE_DOCS=1 cargo test -p prisma-audit --test docs
//! ```

#[allow(dead_code)]
#[path = "../src/docs.rs"]
mod docs;

use prisma_audit_core::rule::{RuleMeta, rule_metas};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn docs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/rules")
}

fn generated() -> Vec<(String, String)> {
    std::hint::black_box(prisma_audit_rules::link());
    let metas: Vec<&'static RuleMeta> = rule_metas();
    docs::generate(&metas)
}

/// The committed `*.md` files of docs/rules.
fn committed() -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(docs_dir()) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".md") {
                files.insert(name, std::fs::read_to_string(e.path()).unwrap_or_default());
            }
        }
    }
    files
}

#[test]
fn rule_docs_are_up_to_date() {
    let want = generated();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let dir = docs_dir();
        std::fs::create_dir_all(&dir).unwrap();
        for name in committed().keys() {
            if !want.iter().any(|(n, _)| n == name) {
                std::fs::remove_file(dir.join(name)).unwrap();
            }
        }
        for (name, text) in &want {
            std::fs::write(dir.join(name), text).unwrap();
        }
        return;
    }
    let have = committed();
    let mut stale = Vec::new();
    for (name, text) in &want {
        match have.get(name) {
            None => stale.push(format!("missing docs/rules/{name}")),
            Some(t) if t != text => stale.push(format!("outdated docs/rules/{name}")),
            Some(_) => {}
        }
    }
    for name in have.keys() {
        if !want.iter().any(|(n, _)| n == name) {
            stale.push(format!("docs/rules/{name} documents no registered rule"));
        }
    }
    assert!(
        stale.is_empty(),
        "rule docs are stale:\n  {}\nregenerate with: UPDATE_DOCS=1 cargo test -p prisma-audit --test docs",
        stale.join("\n  ")
    );
}

#[test]
fn every_rule_has_a_page_and_an_index_row() {
    let files = generated();
    let index = &files.iter().find(|(n, _)| n == "README.md").unwrap().1;
    for meta in rule_metas() {
        let id = meta.id;
        let page = &files
            .iter()
            .find(|(n, _)| *n == format!("{id}.md"))
            .unwrap_or_else(|| panic!("no page for {id}"))
            .1;
        assert!(page.starts_with(&format!("# `{id}`\n")), "{page}");
        assert!(page.contains(meta.summary));
        assert!(
            index.contains(&format!("| [`{id}`]({id}.md) |")),
            "{id} not in index"
        );
    }
    assert_eq!(files.len(), rule_metas().len() + 1);
}
