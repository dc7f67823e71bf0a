//! Applying fixes: turn the edits of a report's findings into new file contents.
//!
//! Pure and in memory (no filesystem), so the CLI, the bindings and the playground share it.
//! Fixes are applied whole or not at all: a fix whose edits overlap an edit already accepted
//! is skipped (run the audit again to pick it up). Identical edits proposed by two findings
//! (the same `@@index` suggested twice) are applied once, and insertions at one point that each
//! append query parameters to a URL are merged parameter by parameter (each key once).

use crate::audit::{AuditError, AuditOptions, audit};
use crate::finding::{Edit, Finding, FixSafety};
use crate::fix_migration::{MigrationRequest, plan_migration};
use crate::project::Project;
use std::collections::BTreeMap;

/// Upper bound on audit → fix rounds in [`fix_project`] (a fix skipped for overlapping another
/// is retried in the next round).
pub const MAX_ROUNDS: usize = 8;

/// Why fixes could not be applied.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FixError {
    /// A fix edits a file the project does not contain or that is not text.
    #[error("fix edits `{0}`, which is not a text file of the project")]
    UnknownFile(String),
    /// An edit range lies outside the file or splits a character.
    #[error("fix edit {start}..{end} is outside `{file}` or not on a character boundary")]
    BadRange {
        /// File.
        file: String,
        /// Start byte offset.
        start: u32,
        /// End byte offset.
        end: u32,
    },
}

/// The result of applying fixes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixOutcome {
    /// New contents of every changed file, by path.
    pub files: BTreeMap<String, String>,
    /// Fingerprints of the findings whose fix was applied.
    pub applied: Vec<String>,
    /// Fingerprints of the findings whose fix was skipped because it overlapped another.
    pub skipped: Vec<String>,
}

/// Apply the fixes of `findings` to the files of `project`: only safe fixes unless
/// `include_unsafe`.
pub fn apply_fixes(
    project: &Project,
    findings: &[Finding],
    include_unsafe: bool,
) -> Result<FixOutcome, FixError> {
    let mut outcome = FixOutcome::default();
    let mut accepted: Vec<&Edit> = Vec::new();
    for finding in findings {
        let Some(fix) = &finding.fix else { continue };
        if fix.edits.is_empty() || (fix.safety == FixSafety::Unsafe && !include_unsafe) {
            continue;
        }
        let new: Vec<&Edit> = fix.edits.iter().filter(|e| !accepted.contains(e)).collect();
        if new.iter().any(|e| accepted.iter().any(|a| overlaps(a, e))) {
            outcome.skipped.push(finding.fingerprint.clone());
            continue;
        }
        accepted.extend(new);
        outcome.applied.push(finding.fingerprint.clone());
    }

    let mut by_file: BTreeMap<&str, Vec<&Edit>> = BTreeMap::new();
    for edit in accepted {
        by_file.entry(edit.file.as_str()).or_default().push(edit);
    }
    for (path, edits) in by_file {
        let text = project
            .text_of(path)
            .ok_or_else(|| FixError::UnknownFile(path.to_string()))?;
        let merged = merge_query_appends(&edits);
        let mut edits: Vec<&Edit> = merged.iter().collect();
        // Later offsets first so earlier offsets stay valid; at equal offsets the edit accepted
        // first must end up first in the text, so it is applied last.
        edits.reverse();
        edits.sort_by_key(|e| std::cmp::Reverse((e.start_offset, e.end_offset)));
        let mut out = text.to_string();
        for e in edits {
            let (s, t) = (e.start_offset as usize, e.end_offset as usize);
            if s > t || t > out.len() || !out.is_char_boundary(s) || !out.is_char_boundary(t) {
                return Err(FixError::BadRange {
                    file: path.to_string(),
                    start: e.start_offset,
                    end: e.end_offset,
                });
            }
            out.replace_range(s..t, &e.replacement);
        }
        if out != text {
            outcome.files.insert(path.to_string(), out);
        }
    }
    Ok(outcome)
}

/// The query parameters of an insertion that appends to a URL's query string (`?a=1&b=2`,
/// `&a=1`): its leading separator and its `key=value` pairs; `None` for any other text.
fn query_append(replacement: &str) -> Option<(&str, Vec<(&str, &str)>)> {
    let (lead, rest) = match replacement.chars().next()? {
        c @ ('?' | '&') => (&replacement[..c.len_utf8()], &replacement[c.len_utf8()..]),
        _ => ("", replacement),
    };
    let pairs: Option<Vec<(&str, &str)>> = rest
        .split('&')
        .map(|part| {
            let (k, v) = part.split_once('=')?;
            let plain = |t: &str| !t.contains(['?', '#', '/', '=', ' ', '\n', '"', '\'']);
            (!k.is_empty() && plain(k) && plain(v)).then_some((k, v))
        })
        .collect();
    Some((lead, pairs?))
}

/// Merge the insertions at one point that each append query parameters to a URL (two rules
/// adding `?connection_limit=1` and `?sslmode=require` to the same `DATABASE_URL`) into one
/// insertion: the first one's separator, then each parameter once (the first value of a key
/// wins). Concatenating them would give `?connection_limit=1?sslmode=require`. Other edits are
/// kept as they are, in order.
fn merge_query_appends(edits: &[&Edit]) -> Vec<Edit> {
    let mut out: Vec<Edit> = Vec::new();
    // Index in `out` of the merged insertion at each offset.
    let mut at: BTreeMap<u32, usize> = BTreeMap::new();
    for e in edits {
        let insertion = e.start_offset == e.end_offset;
        let append = insertion.then(|| query_append(&e.replacement)).flatten();
        let Some((_, pairs)) = append else {
            out.push((*e).clone());
            continue;
        };
        match at.get(&e.start_offset) {
            Some(&i) => {
                let (lead, mut merged) = query_append(&out[i].replacement)
                    .map(|(l, p)| {
                        (
                            l.to_string(),
                            p.iter()
                                .map(|(k, v)| format!("{k}={v}"))
                                .collect::<Vec<_>>(),
                        )
                    })
                    .unwrap_or_default();
                for (k, v) in pairs {
                    if !merged
                        .iter()
                        .any(|m| m.split_once('=').is_some_and(|(mk, _)| mk == k))
                    {
                        merged.push(format!("{k}={v}"));
                    }
                }
                out[i].replacement = format!("{lead}{}", merged.join("&"));
            }
            None => {
                at.insert(e.start_offset, out.len());
                out.push((*e).clone());
            }
        }
    }
    out
}

/// The unified diff (three lines of context) of every file in `changed` against its text in
/// `project` (empty for a new file), in path order. Secrets are redacted on both sides before
/// diffing (a URL's password shows as `****`, a secret `.env` value as `****`), so the diff
/// can be printed and its lines still line up.
pub fn unified_diff(project: &Project, changed: &BTreeMap<String, String>) -> String {
    use crate::redact::redact_file_text;
    let mut out = String::new();
    for (path, new) in changed {
        let old = project.text_of(path).unwrap_or("");
        let (old, new) = (redact_file_text(path, old), redact_file_text(path, new));
        if old == new {
            continue;
        }
        let diff = similar::TextDiff::from_lines(&old, &new);
        let from = if project.text_of(path).is_some() {
            format!("a/{path}")
        } else {
            "/dev/null".to_string()
        };
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&from, &format!("b/{path}"))
                .to_string(),
        );
    }
    out
}

/// `project` with some files' contents replaced, and new files added.
pub fn patched(project: &Project, changes: &BTreeMap<String, String>) -> Project {
    let added = changes
        .iter()
        .filter(|(path, _)| project.file_id(path).is_none())
        .map(|(path, text)| (path.clone(), text.as_bytes().to_vec()));
    Project::from_files(
        project.root(),
        project
            .files()
            .map(|(_, f)| {
                let bytes = match changes.get(f.path()) {
                    Some(text) => text.as_bytes().to_vec(),
                    None => f.bytes().to_vec(),
                };
                (f.path().to_string(), bytes)
            })
            .chain(added),
    )
}

/// Why [`fix_project`] stopped.
#[derive(Debug, thiserror::Error)]
pub enum FixRunError {
    /// The audit failed.
    #[error(transparent)]
    Audit(#[from] AuditError),
    /// A fix could not be applied.
    #[error(transparent)]
    Fix(#[from] FixError),
}

/// The result of [`fix_project`].
#[derive(Debug)]
pub struct FixRun {
    /// The project after fixing.
    pub project: Project,
    /// New contents of every file that changed, by path (compared with the input project).
    pub changed: BTreeMap<String, String>,
    /// Number of fixes applied over all rounds.
    pub applied: usize,
    /// Audit rounds run.
    pub rounds: usize,
    /// What the user should know about the migration (why none was written, changes left out).
    pub notes: Vec<String>,
}

/// How [`fix_project_with`] fixes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixOptions {
    /// Apply unsafe fixes too.
    pub include_unsafe: bool,
    /// Write the migration that brings the database to the fixed schema (see
    /// [`crate::fix_migration`]); `None`: schema edits only.
    pub migration: Option<MigrationRequest>,
}

/// Audit and apply fixes until nothing fixable remains (at most [`MAX_ROUNDS`] rounds).
/// Nothing is written anywhere: the caller decides what to do with [`FixRun::changed`].
/// Schema edits only; [`fix_project_with`] also writes the migration.
pub fn fix_project(
    project: &Project,
    options: &AuditOptions,
    include_unsafe: bool,
) -> Result<FixRun, FixRunError> {
    fix_project_with(
        project,
        options,
        &FixOptions {
            include_unsafe,
            migration: None,
        },
    )
}

/// [`fix_project`], then (with [`FixOptions::migration`]) the migration folders that bring a
/// database built by the project's migration history to the fixed schema, added to
/// [`FixRun::changed`] as new files.
pub fn fix_project_with(
    project: &Project,
    options: &AuditOptions,
    fix: &FixOptions,
) -> Result<FixRun, FixRunError> {
    let include_unsafe = fix.include_unsafe;
    let mut changed: BTreeMap<String, String> = BTreeMap::new();
    let mut current = patched(project, &changed);
    let (mut applied, mut rounds) = (0, 0);
    let mut notes = Vec::new();
    let mut planned: Vec<String> = Vec::new();
    // A migration can make more fixes apply (an index is only redundant once the index that
    // covers it exists), so edits and migration alternate until the edits settle.
    for pass in 1..=3 {
        let applied_before = applied;
        while rounds < MAX_ROUNDS * pass {
            rounds += 1;
            let report = audit(&current, options)?;
            let outcome = apply_fixes(&current, &report.findings, include_unsafe)?;
            if outcome.files.is_empty() {
                break;
            }
            applied += outcome.applied.len();
            changed.extend(outcome.files);
            current = patched(project, &changed);
        }
        let Some(request) = &fix.migration else { break };
        if pass > 1 && applied == applied_before {
            break;
        }
        // The migration is planned from the project without the one planned before.
        changed.retain(|path, _| !planned.contains(path));
        let base = patched(project, &changed);
        let report = audit(&base, options)?;
        let plan = plan_migration(
            project,
            &base,
            options,
            &report.findings,
            include_unsafe,
            request,
        );
        notes = plan.notes;
        planned = plan.files.keys().cloned().collect();
        changed.extend(plan.files);
        current = patched(project, &changed);
    }
    changed.retain(|path, text| project.text_of(path) != Some(text.as_str()));
    Ok(FixRun {
        project: current,
        changed,
        applied,
        rounds,
        notes,
    })
}

/// Two edits of one file conflict when their ranges intersect, or one replaces a range the
/// other inserts into. Insertions at the same point do not conflict (both apply, in order).
fn overlaps(a: &Edit, b: &Edit) -> bool {
    if a.file != b.file {
        return false;
    }
    let (a0, a1, b0, b1) = (a.start_offset, a.end_offset, b.start_offset, b.end_offset);
    if a0 == a1 && b0 == b1 {
        return false;
    }
    if a0 == a1 {
        return b0 < a0 && a0 < b1;
    }
    if b0 == b1 {
        return a0 < b0 && b0 < a1;
    }
    a0 < b1 && b0 < a1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Category, Fix, Position, Severity};

    fn edit(start: u32, end: u32, text: &str) -> Edit {
        let p = Position { line: 1, column: 1 };
        Edit {
            file: "s.prisma".into(),
            start: p,
            end: p,
            start_offset: start,
            end_offset: end,
            replacement: text.into(),
        }
    }

    fn finding(fp: &str, safety: FixSafety, edits: Vec<Edit>) -> Finding {
        Finding {
            rule: "r".into(),
            severity: Severity::Low,
            category: Category::Performance,
            confidence: Default::default(),
            message: "m".into(),
            help: None,
            location: None,
            related: Vec::new(),
            fix: Some(Fix {
                title: "t".into(),
                safety,
                edits,
                sql: None,
            }),
            fingerprint: fp.into(),
        }
    }

    fn project() -> Project {
        Project::from_files("t", [("s.prisma", "abcdef")])
    }

    #[test]
    fn applies_non_overlapping_and_skips_conflicts() {
        let f = [
            finding("1", FixSafety::Safe, vec![edit(1, 2, "X")]),
            finding("2", FixSafety::Safe, vec![edit(1, 3, "Y")]),
            finding("3", FixSafety::Safe, vec![edit(6, 6, "!"), edit(0, 0, "<")]),
        ];
        let out = apply_fixes(&project(), &f, false).unwrap();
        assert_eq!(out.files["s.prisma"], "<aXcdef!");
        assert_eq!(out.applied, ["1", "3"]);
        assert_eq!(out.skipped, ["2"]);
    }

    #[test]
    fn unsafe_fixes_need_opt_in_and_duplicates_apply_once() {
        let f = [
            finding("1", FixSafety::Unsafe, vec![edit(0, 1, "Z")]),
            finding("2", FixSafety::Safe, vec![edit(3, 3, "+")]),
            finding("3", FixSafety::Safe, vec![edit(3, 3, "+")]),
            finding("4", FixSafety::Safe, vec![edit(3, 3, "-")]),
        ];
        let safe = apply_fixes(&project(), &f, false).unwrap();
        assert_eq!(safe.files["s.prisma"], "abc+-def");
        let all = apply_fixes(&project(), &f, true).unwrap();
        assert_eq!(all.files["s.prisma"], "Zbc+-def");
    }

    #[test]
    fn bad_ranges_are_errors() {
        let f = [finding("1", FixSafety::Safe, vec![edit(4, 99, "")])];
        assert!(matches!(
            apply_fixes(&project(), &f, false),
            Err(FixError::BadRange { .. })
        ));
    }

    #[test]
    fn query_appends_at_one_point_merge_by_key() {
        let url = "u=postgresql://h/db";
        let p = Project::from_files("t", [("s.prisma", url)]);
        let end = url.len() as u32;
        let f = [
            finding(
                "1",
                FixSafety::Unsafe,
                vec![edit(end, end, "?connection_limit=1&pool_timeout=20")],
            ),
            finding(
                "2",
                FixSafety::Unsafe,
                vec![edit(end, end, "?sslmode=require&connection_limit=5")],
            ),
        ];
        let out = apply_fixes(&p, &f, true).unwrap();
        assert_eq!(
            out.files["s.prisma"],
            "u=postgresql://h/db?connection_limit=1&pool_timeout=20&sslmode=require"
        );
        // Other insertions at one point are kept as they are.
        let g = [
            finding("1", FixSafety::Safe, vec![edit(1, 1, "X")]),
            finding("2", FixSafety::Safe, vec![edit(1, 1, "Y")]),
        ];
        assert_eq!(
            apply_fixes(&project(), &g, false).unwrap().files["s.prisma"],
            "aXYbcdef"
        );
    }

    #[test]
    fn query_append_recognises_parameter_lists_only() {
        assert_eq!(query_append("&a=1"), Some(("&", vec![("a", "1")])));
        assert_eq!(
            query_append("?a=1&b="),
            Some(("?", vec![("a", "1"), ("b", "")]))
        );
        assert_eq!(query_append("@@index([a])"), None);
        assert_eq!(query_append("?a=1?b=2"), None);
        assert_eq!(query_append("\n# comment\n"), None);
    }

    #[test]
    fn unified_diff_redacts_and_aligns() {
        let env = "A=1\nDATABASE_URL=\"postgresql://app:Sup3r-Secret@db.example.com/app\"\n";
        let p = Project::from_files("t", [(".env", env)]);
        let new = env.replace("/app\"", "/app?sslmode=require\"");
        let changed: BTreeMap<String, String> = [(".env".to_string(), new)].into();
        let d = unified_diff(&p, &changed);
        assert!(!d.contains("Sup3r-Secret"), "{d}");
        assert!(d.starts_with("--- a/.env\n+++ b/.env\n"), "{d}");
        assert!(
            d.contains("\n-DATABASE_URL=\"postgresql://app:****@db.example.com/app\"\n+DATABASE_URL=\"postgresql://app:****@db.example.com/app?sslmode=require\"\n"),
            "{d}"
        );
        let added: BTreeMap<String, String> =
            [("new.sql".to_string(), "SELECT 1;\n".to_string())].into();
        assert!(unified_diff(&p, &added).starts_with("--- /dev/null\n+++ b/new.sql\n"));
    }
}
