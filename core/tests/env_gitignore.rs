//! `.gitignore` semantics over in-memory paths.

use prisma_audit_core::Project;
use prisma_audit_core::env::gitignore::{GitIgnore, Pattern};

fn gi(files: &[(&str, &str)]) -> GitIgnore {
    GitIgnore::from_files(files.iter().copied())
}

#[test]
fn basename_patterns_match_at_any_depth() {
    let g = gi(&[(".gitignore", ".env\nnode_modules/\n*.log\n")]);
    assert!(g.is_ignored(".env"));
    assert!(g.is_ignored("apps/web/.env"));
    assert!(!g.is_ignored(".env.local"));
    assert!(g.is_ignored("node_modules/prisma/package.json"));
    assert!(g.is_ignored("a/b/debug.log"));
    assert!(!g.is_ignored("src/log.ts"));
}

#[test]
fn wildcard_and_negation_last_match_wins() {
    let g = gi(&[(".gitignore", ".env*\n!.env.example\n")]);
    assert!(g.is_ignored(".env"));
    assert!(g.is_ignored(".env.production"));
    assert!(!g.is_ignored(".env.example"));
    // Order matters: a later exclusion overrides the negation.
    let g = gi(&[(".gitignore", "!.env.example\n.env*\n")]);
    assert!(g.is_ignored(".env.example"));
}

#[test]
fn anchored_patterns_only_match_relative_to_their_file() {
    let g = gi(&[(".gitignore", "/.env\n/build\nconfig/secret.json\n")]);
    assert!(g.is_ignored(".env"));
    assert!(!g.is_ignored("apps/web/.env"));
    assert!(g.is_ignored("build/x.js"));
    assert!(!g.is_ignored("src/build/x.js"));
    assert!(g.is_ignored("config/secret.json"));
    assert!(!g.is_ignored("a/config/secret.json"));
}

#[test]
fn directory_only_patterns_do_not_match_files() {
    let g = gi(&[(".gitignore", "secrets/\n")]);
    assert!(g.is_ignored("secrets/.env"));
    assert!(!g.is_ignored("secrets"));
}

#[test]
fn double_star_forms() {
    let g = gi(&[(".gitignore", "**/.env.local\nlogs/**\na/**/b.txt\n")]);
    assert!(g.is_ignored(".env.local"));
    assert!(g.is_ignored("x/y/.env.local"));
    assert!(g.is_ignored("logs/a/b.log"));
    assert!(!g.is_ignored("logs"));
    assert!(g.is_ignored("a/b.txt"));
    assert!(g.is_ignored("a/x/y/b.txt"));
    assert!(!g.is_ignored("b.txt"));
}

#[test]
fn nested_gitignore_overrides_parent() {
    let g = gi(&[(".gitignore", ".env\n"), ("apps/web/.gitignore", "!.env\n")]);
    assert!(g.is_ignored(".env"));
    assert!(!g.is_ignored("apps/web/.env"));
    assert!(g.is_ignored("apps/api/.env"));
    // A nested file's patterns are relative to its directory.
    let g = gi(&[("apps/web/.gitignore", "/.env\n")]);
    assert!(g.is_ignored("apps/web/.env"));
    assert!(!g.is_ignored(".env"));
    assert!(!g.is_ignored("apps/web/sub/.env"));
}

#[test]
fn files_in_an_excluded_directory_cannot_be_reincluded() {
    let g = gi(&[(".gitignore", "config/\n!config/.env\n")]);
    assert!(g.is_ignored("config/.env"));
    // Excluding the contents (not the directory) allows re-inclusion.
    let g = gi(&[(".gitignore", "config/*\n!config/.env\n")]);
    assert!(!g.is_ignored("config/.env"));
    assert!(g.is_ignored("config/other"));
}

#[test]
fn escapes_comments_classes_and_trailing_spaces() {
    let g = gi(&[(
        ".gitignore",
        "# comment\n\\#hash\n\\!bang\n.env.[lp]*\ntrail   \n",
    )]);
    assert!(g.is_ignored("#hash"));
    assert!(g.is_ignored("!bang"));
    assert!(g.is_ignored(".env.local"));
    assert!(g.is_ignored(".env.production"));
    assert!(!g.is_ignored(".env.test"));
    assert!(g.is_ignored("trail"));
    assert!(!g.is_ignored("# comment"));
    let p = Pattern::parse("[!a-c]x", 1).unwrap();
    assert!(p.matches("dx", false));
    assert!(!p.matches("bx", false));
    assert!(Pattern::parse("", 1).is_none());
    assert!(Pattern::parse("!", 1).is_none());
}

#[test]
fn decision_names_the_pattern() {
    let g = gi(&[(".gitignore", "*.log\n.env\n")]);
    let d = g.decide(".env").unwrap();
    assert_eq!((d.file.path.as_str(), d.pattern.line), (".gitignore", 2));
    assert!(g.decide("src/a.ts").is_none());
}

#[test]
fn from_project_reads_every_gitignore_but_node_modules() {
    let p = Project::from_files(
        "p",
        [
            (".gitignore", "/.env\n"),
            ("packages/db/.gitignore", ".env\n"),
            ("node_modules/x/.gitignore", "*\n"),
        ],
    );
    let g = GitIgnore::from_project(&p);
    assert_eq!(g.files().len(), 2);
    assert!(g.is_ignored("packages/db/.env"));
    assert!(!g.is_ignored("src/index.ts"));
}

#[test]
fn pathological_patterns_do_not_blow_up() {
    let g = gi(&[(
        ".gitignore",
        "**/**/**/**/**/**/**/*a*a*a*a*a*a*a*b\n[\n\\\n",
    )]);
    let long = "a/".repeat(30) + &"a".repeat(60);
    assert!(!g.is_ignored(&long));
}
