//! The workspace's layers: the PSL and TypeScript front ends depend on no crate of ours, dependencies between
//! our crates form no cycle and point the documented way (front ends and project reading below
//! core, core below rules and the live-database reader, those below the API, CLI and bindings), and no source file includes
//! another crate's file with `#[path]`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Our crates (path dependencies of the workspace) and, for each, the crates of ours it depends
/// on for building (normal and build dependencies; dev-dependencies are test-only).
fn our_graph() -> BTreeMap<String, BTreeSet<String>> {
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(root())
        .output()
        .expect("cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    let packages = meta["packages"].as_array().expect("packages");
    let ours: BTreeSet<String> = packages
        .iter()
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .collect();
    packages
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|d| d["kind"].as_str() != Some("dev"))
                .filter_map(|d| d["name"].as_str())
                .filter(|n| ours.contains(*n))
                .map(str::to_string)
                .collect();
            (p["name"].as_str().unwrap_or_default().to_string(), deps)
        })
        .collect()
}

#[test]
fn layers_point_one_way() {
    let graph = our_graph();
    for front_end in ["prisma-audit-psl", "prisma-audit-typescript"] {
        assert!(
            graph[front_end].is_empty(),
            "the front end {front_end} depends on {:?}",
            graph[front_end]
        );
    }
    // The documented order: a crate may depend only on crates of a lower layer.
    let layer = |name: &str| match name {
        "prisma-audit-psl" | "prisma-audit-typescript" => 0,
        "prisma-audit-project" => 1,
        "prisma-audit-migrations" => 2,
        "prisma-audit-core" => 3,
        // The rules and the live-database reader both sit on core, side by side.
        "prisma-audit-rules" | "prisma-audit-live" => 4,
        _ => 5, // API, CLI, bindings, examples, test support
    };
    for (name, deps) in &graph {
        for d in deps {
            assert!(
                layer(d) < layer(name)
                    || (layer(name) == 5 && layer(d) == 5 && d == "prisma-audit-api"),
                "{name} depends on {d}, which is not below it"
            );
        }
    }
    // No cycles (implied by the layers, checked directly as well).
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        assert!(
            !path.iter().any(|p| p == n),
            "dependency cycle: {path:?} -> {n}"
        );
        if done.contains(n) {
            return;
        }
        path.push(n.to_string());
        for d in g.get(n).into_iter().flatten() {
            visit(d, g, path, done);
        }
        path.pop();
        done.insert(n.to_string());
    }
    let mut done = BTreeSet::new();
    for n in graph.keys() {
        visit(n, &graph, &mut Vec::new(), &mut done);
    }
}

/// Every `#[path = "..."]` in our sources stays inside the crate of the file that has it.
#[test]
fn no_path_includes_across_crates() {
    let root = root().canonicalize().expect("root");
    let mut bad = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().to_string();
            if p.is_dir() {
                if !matches!(
                    name.as_str(),
                    "target" | "node_modules" | ".git" | "pkg" | "pkg-web"
                ) && !name.starts_with('.')
                {
                    stack.push(p);
                }
                continue;
            }
            if !name.ends_with(".rs") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            for line in text.lines() {
                let Some(rest) = line.trim().strip_prefix("#[path = \"") else {
                    continue;
                };
                let Some(rel) = rest.split('"').next() else {
                    continue;
                };
                let target = p.parent().unwrap_or(&root).join(rel);
                let crate_of = |f: &Path| -> Option<PathBuf> {
                    f.ancestors()
                        .skip(1)
                        .find(|a| a.join("Cargo.toml").is_file())
                        .map(Path::to_path_buf)
                };
                let target = target.canonicalize().unwrap_or(target);
                if crate_of(&p) != crate_of(&target) {
                    bad.push(format!("{}: {line}", p.display()));
                }
            }
        }
    }
    assert!(bad.is_empty(), "#[path] across crates:\n{}", bad.join("\n"));
}
