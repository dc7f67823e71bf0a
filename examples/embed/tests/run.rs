//! The example builds and runs, and its output is the library's report.

use std::process::Command;

#[test]
fn embed_example_prints_the_report() {
    let out = Command::new(env!("CARGO_BIN_EXE_embed"))
        .output()
        .expect("run the example");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let first = stdout.lines().next().unwrap_or_default();
    let rules: usize = first
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert_eq!(
        rules,
        prisma_audit_core::rule::registry()
            .len()
            .max(prisma_audit_rules::link()),
        "{stdout}"
    );
    assert!(first.contains("verdict: "), "{stdout}");
    // Exit status follows the findings: 1 exactly when a critical/high finding is printed.
    let blocking = stdout
        .lines()
        .skip(1)
        .any(|l| l.starts_with("critical") || l.starts_with("high"));
    assert_eq!(out.status.code(), Some(i32::from(blocking)), "{stdout}");
}
