//! Suppression comments, end to end through `audit`: two test rules flag every occurrence of a
//! marker word (`flagged`, `marked`) in schema and SQL files; comments silence them.

use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::span::Span;
use prisma_audit_core::{AuditOptions, Project, Report, TextRange, TextSize, audit};

fn flag_word(ctx: &RuleContext<'_>, word: &str, out: &mut Vec<RawFinding>) {
    for (id, file) in ctx.project.files() {
        let path = file.path();
        if !(path.ends_with(".prisma") || path.ends_with(".sql")) {
            continue;
        }
        let text = file.text().unwrap_or("");
        for (i, _) in text.match_indices(word) {
            let range = TextRange::at(TextSize::from(i as u32), TextSize::from(word.len() as u32));
            out.push(
                RawFinding::new(format!("{path}@{i}"), format!("{word} here"))
                    .at(Span::new(id, range)),
            );
        }
    }
}

declare_rule! {
    /// Test rule: flags the word `flagged`.
    pub struct TestFlag;
    id = "test-flag",
    summary = "Flags `flagged`",
    category = DataIntegrity,
    severity = High,
    fixable = false,
    enabled = true,
}

impl Rule for TestFlag {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        flag_word(ctx, "flagged", out);
    }
}

declare_rule! {
    /// Test rule: flags the word `marked`.
    pub struct TestMark;
    id = "test-mark",
    summary = "Flags `marked`",
    category = Performance,
    severity = Low,
    fixable = false,
    enabled = true,
}

impl Rule for TestMark {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        flag_word(ctx, "marked", out);
    }
}

fn run(files: &[(&str, &str)]) -> Report {
    let project = Project::from_files("p", files.iter().map(|(p, t)| (*p, t.as_bytes())));
    audit(&project, &AuditOptions::default()).expect("audit runs")
}

/// `(rule, file, line)` of every finding except `invalid-schema`-like engine noise.
fn found(report: &Report) -> Vec<(String, String, u32)> {
    let mut v: Vec<_> = report
        .findings
        .iter()
        .map(|f| {
            let loc = f.location.as_ref().expect("located");
            (f.rule.clone(), loc.file.clone(), loc.start.line)
        })
        .collect();
    v.sort();
    v
}

fn f(rule: &str, file: &str, line: u32) -> (String, String, u32) {
    (rule.into(), file.into(), line)
}

const S: &str = "prisma/schema.prisma";

#[test]
fn model_level_suppression_covers_the_model_only() {
    let schema = "\
// prisma-audit-ignore test-flag -- legacy table
model A {
  id      Int @id
  flagged Int
}

model B {
  id      Int @id
  flagged Int
}
";
    let r = run(&[(S, schema)]);
    assert_eq!(found(&r), [f("test-flag", S, 9)]);
    assert_eq!(r.summary.suppressed, 1);
}

#[test]
fn field_attribute_enum_and_value_suppressions() {
    let schema = "\
model A {
  id      Int @id
  /// The legacy flag.
  // prisma-audit-ignore test-flag
  flagged Int
  other   Int // marked but not suppressed
  // prisma-audit-ignore test-mark, test-flag -- both
  @@index([flagged, marked])
}

// prisma-audit-ignore test-mark
enum E {
  marked
  // prisma-audit-ignore test-flag
  flagged
  marked2
}
";
    let r = run(&[(S, schema)]);
    // Line 6: the trailing comment's `marked` is not covered; line 15 (`marked2`) is inside E.
    assert_eq!(found(&r), [f("test-mark", S, 6)]);
    assert_eq!(r.summary.suppressed, 6);
}

#[test]
fn a_blank_line_breaks_the_link_and_the_comment_is_reported_unused() {
    let schema = "\
model A {
  id      Int @id
  // prisma-audit-ignore test-flag

  flagged Int
}
";
    let r = run(&[(S, schema)]);
    assert_eq!(
        found(&r),
        [f("test-flag", S, 5), f("unused-suppression", S, 3)]
    );
    let unused = r
        .findings
        .iter()
        .find(|x| x.rule == "unused-suppression")
        .unwrap();
    assert!(unused.message.contains("`test-flag`"), "{}", unused.message);
    assert_eq!(unused.severity, prisma_audit_core::finding::Severity::Info);
}

#[test]
fn trailing_comment_covers_its_own_line_item() {
    let schema = "\
model A {
  id      Int @id
  flagged Int // prisma-audit-ignore test-flag
  marked  Int
}
";
    let r = run(&[(S, schema)]);
    assert_eq!(found(&r), [f("test-mark", S, 4)]);
}

#[test]
fn unused_ids_all_and_unknown_rules_are_reported_per_id() {
    let schema = "\
// prisma-audit-ignore test-flag, test-mark, all, no-such-rule
model A {
  id      Int @id
  flagged Int
}
";
    let r = run(&[(S, schema)]);
    let mut unused: Vec<_> = r
        .findings
        .iter()
        .filter(|x| x.rule == "unused-suppression")
        .map(|x| (x.message.clone(), x.location.as_ref().unwrap().start.line))
        .collect();
    unused.sort();
    assert_eq!(
        unused,
        [
            (
                "suppression names unknown rule `no-such-rule`".to_string(),
                1
            ),
            ("suppression of `all` silences nothing".to_string(), 1),
            ("suppression of `test-mark` silences nothing".to_string(), 1),
        ]
    );
    assert!(!r.findings.iter().any(|x| x.rule == "test-flag"));
}

#[test]
fn suppressions_of_rules_that_did_not_run_are_not_judged() {
    let schema = "\
// prisma-audit-ignore test-mark
model A {
  id      Int @id
  flagged Int
}
";
    let project = Project::from_files("p", [(S, schema)]);
    let mut options = AuditOptions::default();
    options.config.select = Some(vec!["test-flag".into(), "unused-suppression".into()]);
    let r = audit(&project, &options).unwrap();
    assert!(
        !r.findings.iter().any(|x| x.rule == "unused-suppression"),
        "{:#?}",
        r.findings
    );
    // When the rule runs, the same comment is stale, and its fingerprint does not depend on
    // the line number.
    let r1 = run(&[(S, schema)]);
    let shifted = format!("\n\n{schema}");
    let r2 = run(&[(S, &shifted)]);
    let fp = |r: &Report| {
        r.findings
            .iter()
            .find(|x| x.rule == "unused-suppression")
            .map(|x| x.fingerprint.clone())
            .expect("reported")
    };
    assert_eq!(fp(&r1), fp(&r2));
}

#[test]
fn file_level_suppression_covers_one_file_only() {
    let a = "model A {\n  id Int @id\n  flagged Int\n}\n// prisma-audit-ignore-file test-flag\n";
    let b = "model B {\n  id Int @id\n  flagged Int\n}\n";
    let r = run(&[("prisma/schema/a.prisma", a), ("prisma/schema/b.prisma", b)]);
    assert_eq!(found(&r), [f("test-flag", "prisma/schema/b.prisma", 3)]);
}

#[test]
fn ignore_lookalikes_are_not_directives() {
    let schema = "\
// prisma-audit-ignored test-flag
// see prisma-audit-ignore test-flag
/// prisma-audit-ignore test-flag
model A {
  id      Int @id
  flagged Int
}
";
    let r = run(&[(S, schema)]);
    assert_eq!(found(&r), [f("test-flag", S, 6)]);
}

const SQL: &str = "prisma/migrations/20240101000000_init/migration.sql";

#[test]
fn sql_statement_suppressions() {
    let sql = "\
-- CreateTable
-- prisma-audit-ignore test-flag -- reviewed
CREATE TABLE \"A\" (
    \"flagged\" TEXT DEFAULT 'a;b',
    \"marked\" TEXT
);

CREATE TABLE \"B\" (\"flagged\" TEXT);
CREATE TABLE \"C\" (
    -- prisma-audit-ignore test-mark
    \"x\" TEXT,
    \"marked\" TEXT
);
-- prisma-audit-ignore test-flag

CREATE TABLE \"D\" (\"flagged\" TEXT);
CREATE FUNCTION f() RETURNS text AS $$ SELECT 'flagged;' $$ LANGUAGE sql; -- prisma-audit-ignore test-flag
";
    let r = run(&[(S, "model A {\n  id Int @id\n}\n"), (SQL, sql)]);
    assert_eq!(
        found(&r),
        [
            f("test-flag", SQL, 8),
            f("test-flag", SQL, 16),
            f("test-mark", SQL, 5),
            f("unused-suppression", SQL, 14),
        ]
    );
}

#[test]
fn sql_file_suppression() {
    let sql = "CREATE TABLE \"A\" (\"flagged\" TEXT);\n/* -- not a directive */\n-- prisma-audit-ignore-file test-flag\nCREATE TABLE \"B\" (\"flagged\" TEXT, \"marked\" TEXT);\n";
    let r = run(&[(S, "model A {\n  id Int @id\n}\n"), (SQL, sql)]);
    assert_eq!(found(&r), [f("test-mark", SQL, 4)]);
    assert_eq!(r.summary.suppressed, 2);
}
