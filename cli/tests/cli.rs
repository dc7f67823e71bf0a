//! End-to-end tests of the `prisma-audit` binary: exit codes, one-line errors, formats,
//! baselines, configuration and rule selection. Fixtures are written to fresh temporary
//! directories; they rely only on rules that exist in every build (`invalid-schema`,
//! `unused-suppression`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

const BIN: &str = env!("CARGO_BIN_EXE_prisma-audit");

const VALID: &str = "datasource db {\n  provider = \"postgresql\"\n}\n\ngenerator client {\n  provider = \"prisma-client\"\n  output   = \"./generated\"\n}\n\nmodel User {\n  id    String @id @default(uuid())\n  email String @unique\n}\n";

/// A temporary project directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "prisma-audit-cli-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    fn path(&self) -> &Path {
        &self.0
    }
    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec![dir.to_str().unwrap()];
    all.extend_from_slice(args);
    run(&all)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Exit 2 with exactly one line `prisma-audit: error: ...` on stderr containing `needle`.
#[track_caller]
fn assert_usage_error(o: &Output, needle: &str) {
    let err = stderr(o);
    assert_eq!(
        o.status.code(),
        Some(2),
        "stderr: {err}\nstdout: {}",
        stdout(o)
    );
    assert_eq!(err.lines().count(), 1, "not one line: {err:?}");
    assert!(err.starts_with("prisma-audit: error: "), "{err}");
    assert!(err.contains(needle), "{err:?} does not mention {needle:?}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", stdout(o), stderr(o)))
}

fn rules_of(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

/// A project whose schema is binary (NUL bytes): one critical `invalid-schema` finding.
fn binary_schema_project() -> TempDir {
    let t = TempDir::new();
    t.write("prisma/schema.prisma", b"\x00\x01\x02PK\x03\x04binary\x00");
    t
}

fn valid_project() -> TempDir {
    let t = TempDir::new();
    t.write("prisma/schema.prisma", VALID);
    t
}

#[test]
fn nonexistent_path_is_a_one_line_error() {
    let t = TempDir::new();
    let missing = t.path().join("nope");
    assert_usage_error(&run(&[missing.to_str().unwrap()]), "does not exist");
}

#[test]
fn file_where_a_directory_was_expected() {
    let t = TempDir::new();
    let f = t.write("notes.txt", "hello");
    assert_usage_error(&run(&[f.to_str().unwrap()]), "is a file");
}

#[test]
fn project_without_schema_is_an_error() {
    let t = TempDir::new();
    t.write("package.json", "{}");
    t.write("src/index.ts", "console.log(1)");
    assert_usage_error(&run_in(t.path(), &[]), "no Prisma schema found");
}

#[cfg(target_os = "linux")]
#[test]
fn unreadable_schema_file_is_a_one_line_error() {
    // Reading /proc/self/mem from offset 0 fails with EIO even for root, unlike chmod 000.
    let t = TempDir::new();
    std::fs::create_dir_all(t.path().join("prisma")).unwrap();
    std::os::unix::fs::symlink("/proc/self/mem", t.path().join("prisma/schema.prisma")).unwrap();
    assert_usage_error(&run_in(t.path(), &[]), "cannot read");
    assert!(stderr(&run_in(t.path(), &[])).contains("schema.prisma"));
}

#[cfg(unix)]
#[test]
fn permission_denied_file_is_a_one_line_error_unless_root() {
    use std::os::unix::fs::PermissionsExt;
    let t = valid_project();
    let env = t.write(".env", "DATABASE_URL=postgres://u:p@h/db");
    std::fs::set_permissions(&env, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable_anyway = std::fs::read(&env).is_ok(); // root ignores file modes
    let o = run_in(t.path(), &["--select", "invalid-schema"]);
    std::fs::set_permissions(&env, std::fs::Permissions::from_mode(0o644)).unwrap();
    if readable_anyway {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    } else {
        assert_usage_error(&o, "permission denied");
        assert!(stderr(&o).contains(".env"));
    }
}

#[test]
fn non_utf8_schema_is_an_invalid_schema_finding() {
    let t = TempDir::new();
    t.write(
        "prisma/schema.prisma",
        b"model A {\n  id Int @id\n}\n\xff\xfe caf\xe9\n",
    );
    let o = run_in(t.path(), &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report = json(&o);
    assert_eq!(rules_of(&report), ["invalid-schema"]);
    let f = &report["findings"][0];
    assert_eq!(f["severity"], "critical");
    assert!(f["message"].as_str().unwrap().contains("UTF-8"), "{f}");
    assert_eq!(f["location"]["file"], "prisma/schema.prisma");
}

#[test]
fn binary_schema_is_an_invalid_schema_finding_and_exit_follows_fail_on() {
    let t = binary_schema_project();
    let o = run_in(t.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("invalid-schema"), "{}", stdout(&o));
    assert!(stdout(&o).contains("binary"), "{}", stdout(&o));
    assert_eq!(
        run_in(t.path(), &["--fail-on", "critical"]).status.code(),
        Some(1)
    );
    assert_eq!(
        run_in(t.path(), &["--fail-on", "none"]).status.code(),
        Some(0)
    );
}

#[test]
fn fail_on_thresholds() {
    // One info finding: an SQL suppression that silences nothing.
    let t = valid_project();
    t.write(
        "prisma/migrations/20240101000000_init/migration.sql",
        "-- prisma-audit-ignore invalid-schema -- stale\nCREATE TABLE \"User\" (\"id\" TEXT NOT NULL);\n",
    );
    let only = ["--select", "invalid-schema,unused-suppression"];
    let code = |fail_on: &str| {
        let mut args = only.to_vec();
        args.extend(["--fail-on", fail_on]);
        let o = run_in(t.path(), &args);
        (o.status.code(), stdout(&o))
    };
    let (c, out) = code("info");
    assert_eq!(c, Some(1), "{out}");
    assert!(out.contains("unused-suppression"), "{out}");
    assert_eq!(code("low").0, Some(0));
    assert_eq!(code("critical").0, Some(0));
    // Default threshold is high: an info finding passes.
    assert_eq!(run_in(t.path(), &only).status.code(), Some(0));
    // The configuration's fail-on applies when the flag is absent; the flag wins.
    t.write("prisma-audit.toml", "fail-on = \"info\"\n");
    assert_eq!(run_in(t.path(), &only).status.code(), Some(1));
    let mut args = only.to_vec();
    args.extend(["--fail-on", "high"]);
    assert_eq!(run_in(t.path(), &args).status.code(), Some(0));
    assert_usage_error(&run_in(t.path(), &["--fail-on", "severe"]), "--fail-on");
}

#[test]
fn unknown_rule_in_config_is_an_error_naming_it() {
    let t = valid_project();
    t.write(
        "prisma-audit.toml",
        "[rules.invalid-schma]\nseverity = \"low\"\n",
    );
    let o = run_in(t.path(), &[]);
    assert_usage_error(&o, "unknown rule `invalid-schma`");
    assert!(stderr(&o).contains("prisma-audit.toml"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("did you mean `invalid-schema`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn config_errors_are_one_line() {
    let t = valid_project();
    t.write("prisma-audit.toml", "fail-on = \"high\"\n[rules\n");
    assert_usage_error(&run_in(t.path(), &[]), "prisma-audit.toml:2:");
    t.write("prisma-audit.toml", "fail-on = \"severe\"\n");
    assert_usage_error(&run_in(t.path(), &[]), "unknown severity `severe`");
    t.write("prisma-audit.toml", "[categories]\nperf = false\n");
    assert_usage_error(&run_in(t.path(), &[]), "unknown category `perf`");
    t.write("prisma-audit.toml", "[rules.invalid-schema]\nmax = 3\n");
    assert_usage_error(&run_in(t.path(), &[]), "unknown option `max`");
    // --config FILE is relative to the working directory and must exist.
    let missing = t.path().join("missing.toml");
    assert_usage_error(
        &run_in(t.path(), &["--config", missing.to_str().unwrap()]),
        "not found",
    );
}

#[test]
fn explicit_config_file_and_category_switch() {
    let t = binary_schema_project();
    let cfg = t.write("ci/audit.toml", "[categories]\ndata-integrity = false\n");
    let o = run_in(
        t.path(),
        &["--config", cfg.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(rules_of(&json(&o)).is_empty());
    let cfg = t.write(
        "ci/audit.toml",
        "[rules.invalid-schema]\nseverity = \"low\"\n",
    );
    let o = run_in(
        t.path(),
        &["--config", cfg.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["findings"][0]["severity"], "low");
}

#[test]
fn prismalintrc_unknown_rules_warn_and_known_rules_apply() {
    let t = binary_schema_project();
    t.write(
        ".prismalintrc.json",
        r#"{ "rules": { "no-such-prisma-lint-rule": ["error", { "x": 1 }], "invalid-schema": "off" } }"#,
    );
    let o = run_in(t.path(), &["--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(rules_of(&json(&o)).is_empty());
    let err = stderr(&o);
    assert!(
        err.contains("warning") && err.contains("no-such-prisma-lint-rule"),
        "{err}"
    );
}

#[test]
fn json_output_is_deterministic() {
    let t = binary_schema_project();
    t.write(
        "prisma/migrations/20240101000000_init/migration.sql",
        "-- prisma-audit-ignore invalid-schema\nSELECT 1;\n",
    );
    let a = run_in(t.path(), &["--format", "json"]);
    let b = run_in(t.path(), &["--format", "json"]);
    assert_eq!(a.status.code(), Some(1));
    assert!(!a.stdout.is_empty());
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(rules_of(&json(&a)).len(), 2);
}

#[test]
fn every_format_renders() {
    let t = binary_schema_project();
    for format in ["text", "json", "markdown", "sarif", "github"] {
        let o = run_in(t.path(), &["--format", format]);
        assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
        assert!(
            stdout(&o).contains("invalid-schema"),
            "{format}: {}",
            stdout(&o)
        );
    }
    assert_usage_error(&run_in(t.path(), &["--format", "xml"]), "xml");
}

#[test]
fn baseline_round_trip() {
    let t = binary_schema_project();
    let baseline = t.path().join("audit-baseline.json");
    let b = baseline.to_str().unwrap();
    let o = run_in(t.path(), &["--write-baseline", b]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(written["fingerprints"].as_array().unwrap().len(), 1);
    let o = run_in(t.path(), &["--baseline", b, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report = json(&o);
    assert!(rules_of(&report).is_empty());
    assert_eq!(report["summary"]["baselined"], 1);
    // A missing or broken baseline is an error, not an empty baseline.
    let missing = t.path().join("none.json");
    assert_usage_error(
        &run_in(t.path(), &["--baseline", missing.to_str().unwrap()]),
        "baseline",
    );
    std::fs::write(&baseline, "not json").unwrap();
    assert_usage_error(&run_in(t.path(), &["--baseline", b]), "baseline");
}

#[test]
fn list_rules_and_explain() {
    let o = run(&["--list-rules"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let header = out.lines().next().unwrap();
    for col in [
        "RULE", "CATEGORY", "SEVERITY", "FIXABLE", "DEFAULT", "SUMMARY",
    ] {
        assert!(header.contains(col), "{header}");
    }
    let row = out
        .lines()
        .find(|l| l.starts_with("invalid-schema "))
        .expect("invalid-schema listed");
    assert!(
        row.contains("data-integrity") && row.contains("critical"),
        "{row}"
    );
    assert!(out.lines().any(|l| l.starts_with("unused-suppression ")));

    let o = run(&["--list-rules", "--format", "json"]);
    let rules = json(&o);
    let ids: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"invalid-schema") && ids.contains(&"unused-suppression"));
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);

    let o = run(&["--explain", "invalid-schema"]);
    assert_eq!(o.status.code(), Some(0));
    let page = stdout(&o);
    assert!(page.starts_with("# `invalid-schema`"), "{page}");
    assert!(page.contains("## What it does"), "{page}");
    assert_usage_error(
        &run(&["--explain", "invalid-schem"]),
        "did you mean `invalid-schema`",
    );
}

#[test]
fn select_and_ignore() {
    let t = binary_schema_project();
    let o = run_in(
        t.path(),
        &["--ignore", "invalid-schema", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(rules_of(&json(&o)).is_empty());
    let o = run_in(
        t.path(),
        &["--select", "unused-suppression", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(json(&o)["project"]["rules_run"], 1);
    let o = run_in(
        t.path(),
        &["--select", "invalid-schema", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(rules_of(&json(&o)), ["invalid-schema"]);
    assert_usage_error(
        &run_in(t.path(), &["--select", "invalid-schema,nope-rule"]),
        "unknown rule `nope-rule`",
    );
    assert_usage_error(
        &run_in(t.path(), &["--ignore", "unused-supression"]),
        "did you mean",
    );
}

#[test]
fn usage_errors_are_one_line() {
    assert_usage_error(&run(&["--bogus"]), "--bogus");
    assert_usage_error(&run(&["a", "b"]), "unexpected argument");
    assert_usage_error(&run(&["--color", "sometimes"]), "sometimes");
    let o = run(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("--fail-on"));
}

#[test]
fn schema_file_as_path_and_schema_flag() {
    let t = TempDir::new();
    t.write("prisma/schema.prisma", b"\x00binary");
    t.write("db/main.prisma", VALID);
    // A schema file as PATH: the project root is above `prisma/`, the schema is that file.
    let schema = t.path().join("prisma/schema.prisma");
    let o = run(&[schema.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report = json(&o);
    let root_name = t.path().file_name().unwrap().to_str().unwrap();
    assert_eq!(report["project"]["root"], root_name);
    assert_eq!(
        report["findings"][0]["location"]["file"],
        "prisma/schema.prisma"
    );
    // --schema (relative to PATH) overrides discovery.
    let o = run_in(
        t.path(),
        &["--schema", "db/main.prisma", "--select", "invalid-schema"],
    );
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stdout(&o), stderr(&o));
    assert_usage_error(
        &run_in(t.path(), &["--schema", "db/other.prisma"]),
        "db/other.prisma",
    );
    let abs = t.path().join("db/main.prisma");
    let o = run_in(
        t.path(),
        &[
            "--schema",
            abs.to_str().unwrap(),
            "--select",
            "invalid-schema",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_usage_error(
        &run_in(t.path(), &["--schema", "/definitely/not/here.prisma"]),
        "does not exist",
    );
}

#[test]
fn skipped_folders_are_not_read() {
    let t = valid_project();
    t.write("node_modules/pkg/prisma/schema.prisma", b"\x00binary");
    t.write("dist/schema.prisma", b"\x00binary");
    let o = run_in(t.path(), &["--schema", ".", "--select", "invalid-schema"]);
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stdout(&o), stderr(&o));
}

#[test]
fn output_file_quiet_and_color() {
    let t = binary_schema_project();
    let out = t.path().join("report.sarif");
    let o = run_in(
        t.path(),
        &["--format", "sarif", "--output", out.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");

    // --quiet: only the summary line on failure, nothing on success.
    let o = run_in(t.path(), &["--quiet"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o).lines().count(), 1, "{}", stdout(&o));
    assert!(stdout(&o).contains("1 critical"), "{}", stdout(&o));
    let o = run_in(t.path(), &["--quiet", "--fail-on", "none"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty() && o.stderr.is_empty());

    // Colour: never when piped (auto), always on request.
    assert!(!stdout(&run_in(t.path(), &[])).contains('\x1b'));
    assert!(stdout(&run_in(t.path(), &["--color", "always"])).contains('\x1b'));
    assert!(!stdout(&run_in(t.path(), &["--color", "never"])).contains('\x1b'));
}

#[test]
fn secrets_in_env_do_not_reach_the_output() {
    let t = binary_schema_project();
    t.write(
        ".env",
        "DATABASE_URL=postgresql://admin:hunter2secret@db.example.com/app\n",
    );
    for format in ["text", "json", "markdown", "sarif", "github"] {
        let o = run_in(t.path(), &["--format", format]);
        assert!(!stdout(&o).contains("hunter2secret"), "{format}");
        assert!(!stderr(&o).contains("hunter2secret"), "{format}");
    }
}

#[test]
fn fix_applies_only_what_was_asked_and_is_idempotent() {
    let dir = TempDir::new();
    let schema = "datasource db {\n  provider = \"postgresql\"\n}\n\ngenerator client {\n  provider = \"prisma-client\"\n}\n";
    let path = dir.write("prisma/schema.prisma", schema);
    let root = dir.path().to_str().unwrap();
    let args = [
        root,
        "--select",
        "generator-output-required",
        "--fail-on",
        "none",
        "--fix",
    ];
    // The only fix is unsafe: `--fix` alone leaves the file untouched.
    let out = run(&args);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), schema);

    let mut unsafe_args = args.to_vec();
    unsafe_args.push("--unsafe-fixes");
    let out = run(&unsafe_args);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert!(
        fixed.contains("  output   = \"../src/generated/prisma\"\n}"),
        "{fixed}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("applied 1 fix(es) to 1 file(s)"),
        "{stderr}"
    );
    // Nothing left to fix; the report no longer contains the finding.
    let out = run(&unsafe_args);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), fixed);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("generator-output-required"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("applied 0 fix(es) to 0 file(s)"));
    // No temporary files are left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path().join("prisma"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn unsafe_fixes_require_fix() {
    let out = run(&[".", "--unsafe-fixes"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&[".", "--fix", "--diff"]);
    assert_eq!(out.status.code(), Some(2));
}

/// `--diff` prints what the fixes would change, redacted, and writes nothing; `--fix` writes
/// and prints the same diff on stderr. Two fixes on one URL give one valid URL.
#[test]
fn diff_shows_the_fixes_without_writing() {
    let t = TempDir::new();
    t.write(
        "prisma/schema.prisma",
        "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n\nmodel A {\n  id Int @id\n}\n",
    );
    let env = "DATABASE_URL=\"postgresql://app:hunter2secret@db.example.com:5432/app\"\n";
    let env_path = t.write(".env", env);
    t.write("vercel.json", "{}");
    let args = [
        "--select",
        "connection-pool-unsized,database-url-no-tls",
        "--unsafe-fixes",
    ];
    let mut diff_args = args.to_vec();
    diff_args.push("--diff");
    let out = run_in(t.path(), &diff_args);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let diff = stdout(&out);
    assert!(!diff.contains("hunter2secret"), "{diff}");
    assert!(
        diff.contains("+DATABASE_URL=\"postgresql://app:****@db.example.com:5432/app?connection_limit=1&pool_timeout=20&sslmode=require\"\n"),
        "{diff}"
    );
    assert_eq!(std::fs::read_to_string(&env_path).unwrap(), env);

    let mut fix_args = args.to_vec();
    fix_args.extend(["--fix", "--fail-on", "none"]);
    let out = run_in(t.path(), &fix_args);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stderr(&out).contains(&diff), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&env_path).unwrap(),
        "DATABASE_URL=\"postgresql://app:hunter2secret@db.example.com:5432/app?connection_limit=1&pool_timeout=20&sslmode=require\"\n"
    );
    // Nothing left to change.
    let out = run_in(t.path(), &diff_args);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(stdout(&out), "");
}

/// A project whose one migration creates `Pet` without an index on its foreign key.
fn project_with_history(t: &TempDir) {
    t.write(
        "prisma/schema.prisma",
        "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n\nmodel Owner {\n  id   Int   @id\n  pets Pet[]\n}\n\nmodel Pet {\n  id      Int   @id\n  ownerId Int\n  owner   Owner @relation(fields: [ownerId], references: [id], onDelete: Cascade)\n}\n",
    );
    t.write(
        "prisma/migrations/20240101000000_init/migration.sql",
        "CREATE TABLE \"Owner\" (\"id\" INTEGER NOT NULL, CONSTRAINT \"Owner_pkey\" PRIMARY KEY (\"id\"));\nCREATE TABLE \"Pet\" (\"id\" INTEGER NOT NULL, \"ownerId\" INTEGER NOT NULL, CONSTRAINT \"Pet_pkey\" PRIMARY KEY (\"id\"));\nALTER TABLE \"Pet\" ADD CONSTRAINT \"Pet_ownerId_fkey\" FOREIGN KEY (\"ownerId\") REFERENCES \"Owner\"(\"id\") ON DELETE CASCADE ON UPDATE CASCADE;\n",
    );
    t.write(
        "prisma/migrations/migration_lock.toml",
        "provider = \"postgresql\"\n",
    );
}

fn migration_folders(t: &TempDir) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(t.path().join("prisma/migrations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".toml"))
        .collect();
    names.sort();
    names
}

#[test]
fn fix_writes_the_migration_its_schema_edits_need() {
    let t = TempDir::new();
    project_with_history(&t);
    let args = [
        "--select",
        "missing-fk-index,schema-drift,missing-migration",
    ];
    // --diff shows the new migration and writes nothing.
    let mut diff_args = args.to_vec();
    diff_args.push("--diff");
    let out = run_in(t.path(), &diff_args);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let diff = stdout(&out);
    assert!(diff.contains("+  @@index([ownerId])"), "{diff}");
    assert!(
        diff.contains("_prisma_audit_fixes_index_1/migration.sql"),
        "{diff}"
    );
    assert!(
        diff.contains("+CREATE INDEX CONCURRENTLY \"Pet_ownerId_idx\" ON \"Pet\"(\"ownerId\");"),
        "{diff}"
    );
    assert_eq!(migration_folders(&t), ["20240101000000_init"]);

    // --fix writes the schema and the migration; the next audit sees no drift.
    let mut fix_args = args.to_vec();
    fix_args.extend(["--fix", "--fix-migration", "pet_owner_index"]);
    let out = run_in(t.path(), &fix_args);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        stderr(&out).contains("wrote 1 migration(s)"),
        "{}",
        stderr(&out)
    );
    let folders = migration_folders(&t);
    assert_eq!(folders.len(), 2, "{folders:?}");
    assert!(
        folders[1].ends_with("_pet_owner_index_index_1"),
        "{folders:?}"
    );
    assert!(folders[1] > folders[0]);
    let sql = std::fs::read_to_string(
        t.path()
            .join("prisma/migrations")
            .join(&folders[1])
            .join("migration.sql"),
    )
    .unwrap();
    // One statement: PostgreSQL refuses CONCURRENTLY inside the migration's transaction.
    assert_eq!(sql.matches(';').count(), 1, "{sql}");
    let out = run_in(t.path(), &[args[0], args[1], "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["findings"].as_array().unwrap().len(), 0, "{report}");
}

#[test]
fn no_fix_migration_changes_the_schema_only() {
    let t = TempDir::new();
    project_with_history(&t);
    let out = run_in(
        t.path(),
        &[
            "--select",
            "missing-fk-index",
            "--fix",
            "--no-fix-migration",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(migration_folders(&t), ["20240101000000_init"]);
    assert!(
        std::fs::read_to_string(t.path().join("prisma/schema.prisma"))
            .unwrap()
            .contains("@@index([ownerId])")
    );
    // A bad name and the flags without --fix are usage errors.
    for bad in [
        &["--fix", "--fix-migration", "Bad Name"][..],
        &["--fix-migration", "x"][..],
    ] {
        let out = run_in(t.path(), bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {out:?}");
    }
}

#[test]
fn no_migration_when_the_lock_file_names_another_provider() {
    let t = TempDir::new();
    project_with_history(&t);
    t.write(
        "prisma/migrations/migration_lock.toml",
        "provider = \"mysql\"\n",
    );
    let out = run_in(
        t.path(),
        &["--select", "missing-fk-index", "--fix", "--fail-on", "none"],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        stderr(&out).contains("migration_lock.toml says `mysql`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(migration_folders(&t), ["20240101000000_init"]);
}

#[test]
fn a_database_that_cannot_be_reached_is_one_line_and_exit_2() {
    let t = TempDir::new();
    project_with_history(&t);
    // Nothing listens on port 1: refused at once.
    let out = run_in(
        t.path(),
        &[
            "--database-url",
            "postgresql://app:s3cret-pw@127.0.0.1:1/app?sslmode=disable",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("cannot connect to"), "{err}");
    assert!(err.contains("check the host and the port"), "{err}");
    assert!(!err.contains("s3cret-pw"), "{err}");
    assert_eq!(stdout(&out), "");
    // --live without a value for the datasource url.
    let out = run_in(t.path(), &["--live"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        stderr(&out).contains("pass --database-url"),
        "{}",
        stderr(&out)
    );
}

// ------------------------------------------------------------------ migration scope and git

/// `git -C dir args…` with a fixed identity; panics when git fails.
fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.email=t@example.com", "-c", "user.name=t"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

fn migration(dir: &TempDir, name: &str, sql: &str) {
    dir.write(&format!("prisma/migrations/{name}/migration.sql"), sql);
}

/// Judged migration folders of the report.
fn judged(o: &Output) -> (String, Vec<String>) {
    let report = json(o);
    let scope = &report["project"]["migration_scope"];
    let names = scope["judged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    (scope["source"].as_str().unwrap().to_string(), names)
}

fn history_project() -> TempDir {
    let dir = TempDir::new();
    dir.write("prisma/schema.prisma", VALID);
    migration(
        &dir,
        "20240101000000_init",
        "CREATE TABLE \"User\" (\"id\" TEXT NOT NULL);\n",
    );
    migration(
        &dir,
        "20240201000000_email",
        "ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT;\n",
    );
    dir
}

#[test]
fn pending_migrations_outside_git_are_the_newest() {
    let dir = history_project();
    let o = run_in(dir.path(), &["--format", "json", "--fail-on", "none"]);
    assert_eq!(
        judged(&o),
        (
            "newest migration".to_string(),
            vec!["20240201000000_email".to_string()]
        )
    );
    let o = run_in(
        dir.path(),
        &[
            "--format",
            "json",
            "--fail-on",
            "none",
            "--migrations",
            "all",
        ],
    );
    assert_eq!(judged(&o).1.len(), 2);
    let o = run_in(dir.path(), &["--migrations", "some"]);
    assert_usage_error(&o, "--migrations: `some`");
    let o = run_in(dir.path(), &["--since", "main"]);
    assert_usage_error(&o, "not inside a git work tree");
}

#[test]
fn pending_migrations_come_from_the_git_branch() {
    let dir = history_project();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "init"]);
    // On the default branch with a clean tree: nothing is pending.
    let o = run_in(dir.path(), &["--format", "json", "--fail-on", "none"]);
    let (source, names) = judged(&o);
    assert!(names.is_empty(), "{names:?}");
    assert!(source.starts_with("git: "), "{source}");
    // A branch adds one migration (committed) and another one (untracked).
    git(dir.path(), &["checkout", "-qb", "feature"]);
    migration(
        &dir,
        "20240301000000_name",
        "ALTER TABLE \"User\" ADD COLUMN \"name\" TEXT;\n",
    );
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "name"]);
    migration(
        &dir,
        "20240401000000_age",
        "ALTER TABLE \"User\" ADD COLUMN \"age\" INTEGER;\n",
    );
    let o = run_in(dir.path(), &["--format", "json", "--fail-on", "none"]);
    let (source, names) = judged(&o);
    assert_eq!(names, ["20240301000000_name", "20240401000000_age"]);
    assert!(source.contains("merge base with main"), "{source}");
    // --since picks the base explicitly; an unknown ref is a usage error.
    let o = run_in(
        dir.path(),
        &["--format", "json", "--fail-on", "none", "--since", "HEAD"],
    );
    assert_eq!(judged(&o).1, ["20240401000000_age"]);
    let o = run_in(dir.path(), &["--since", "no-such-ref"]);
    assert_usage_error(&o, "merge base");
}

/// `--queries` prints the example's Prisma Client calls as JSON and exits 0, whatever the
/// findings; each call's span is the call expression in its file.
#[test]
fn queries_of_the_example_project() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/vet-clinic");
    let o = run_in(&root, &["--queries"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let files = json(&o);
    let files = files.as_array().unwrap();
    let dashboard = files
        .iter()
        .find(|f| f["path"] == "src/lib/dashboard.ts")
        .expect("dashboard.ts has calls");
    assert_eq!(dashboard["role"], "app");
    let text = std::fs::read_to_string(root.join("src/lib/dashboard.ts")).unwrap();
    for call in dashboard["calls"].as_array().unwrap() {
        let (start, end) = (
            call["span"]["start"].as_u64().unwrap() as usize,
            call["span"]["end"].as_u64().unwrap() as usize,
        );
        let source = &text[start..end];
        let op = call["operation"].as_str().unwrap();
        let accessor = call["accessor"].as_str().unwrap();
        assert!(source.contains(&format!("{accessor}.{op}(")), "{source}");
    }
    let seed = files
        .iter()
        .find(|f| f["path"] == "scripts/seed.ts")
        .unwrap();
    assert_eq!(seed["role"], "seed");
}

/// Which source files `--queries` reads: not `.gitignore`d ones, not `code-exclude`d ones,
/// and only `code-include`d ones when that is set.
#[test]
fn queries_respect_gitignore_and_code_globs() {
    let t = TempDir::new();
    t.write(
        "prisma/schema.prisma",
        "datasource db {\n  provider = \"postgresql\"\n}\nmodel Post {\n  id Int @id\n}\n",
    );
    let call = "prisma.post.findMany({ take: 1 })\n";
    for path in ["src/a.ts", "src/skip/b.ts", "legacy/c.ts", "tools/d.ts"] {
        t.write(path, call);
    }
    t.write(".gitignore", "legacy/\n");
    let paths = |o: &Output| -> Vec<String> {
        json(o)
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect()
    };
    t.write("prisma-audit.toml", "code-exclude = [\"src/skip/*\"]\n");
    let o = run_in(t.path(), &["--queries"]);
    assert_eq!(paths(&o), ["src/a.ts", "tools/d.ts"], "{}", stderr(&o));
    t.write("prisma-audit.toml", "code-include = [\"src/**\"]\n");
    let o = run_in(t.path(), &["--queries"]);
    assert_eq!(paths(&o), ["src/a.ts", "src/skip/b.ts"], "{}", stderr(&o));
}
