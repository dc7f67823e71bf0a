//! Markdown: an audit report for humans, in the shape of a hand-written production-readiness
//! review: verdict and executive summary, counts, findings by severity with source excerpts
//! and fixes, a risk table, a pre-deployment checklist and the project's strengths.

use super::{
    SourceFile, Sources, display_end, file_pos, language_of, severity_title, verdict_explanation,
};
use crate::finding::{Category, Confidence, Edit, Finding, FixSafety, Position, Severity};
use crate::project::Project;
use crate::redact::redact_urls;
use crate::report::{Report, Risk, Verdict};
use crate::rule::RuleMeta;
use std::fmt::Write;

/// Lines of context around a finding in an excerpt.
const CONTEXT: u32 = 2;
/// Longest excerpt, in lines.
const MAX_EXCERPT: u32 = 15;
/// Locations listed per checklist item.
const MAX_CHECKLIST_LOCATIONS: usize = 5;

/// Inline text: one line, table pipes escaped.
fn inline(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// A fence longer than any backtick run in `content`.
fn fence(content: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in content.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

fn code_block(out: &mut String, lang: &str, content: &str) {
    let content = content.trim_end_matches('\n');
    let f = fence(content);
    let _ = writeln!(out, "{f}{lang}\n{content}\n{f}\n");
}

/// Comment prefix of a language, for the file caption inside an excerpt.
fn comment_prefix(lang: &str) -> Option<&'static str> {
    match lang {
        "prisma" | "ts" | "js" => Some("//"),
        "sql" => Some("--"),
        "env" | "toml" | "yaml" => Some("#"),
        _ => None,
    }
}

fn provider_title(provider: &str) -> String {
    match provider {
        "postgresql" | "postgres" => "PostgreSQL".into(),
        "mysql" => "MySQL".into(),
        "sqlite" => "SQLite".into(),
        "sqlserver" => "SQL Server".into(),
        "mongodb" => "MongoDB".into(),
        "cockroachdb" => "CockroachDB".into(),
        other => other.into(),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// "1 critical, 2 high" for the severities present among `findings`.
fn breakdown<'a>(findings: impl Iterator<Item = &'a Finding> + Clone) -> String {
    Severity::ALL
        .into_iter()
        .filter_map(|s| {
            let n = findings.clone().filter(|f| f.severity == s).count();
            (n > 0).then(|| format!("{n} {}", s.as_str()))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn header(out: &mut String, report: &Report) {
    let p = &report.project;
    let v = report.summary.verdict;
    let _ = writeln!(out, "# Prisma Audit Report: {}\n", inline(&p.root));
    let _ = writeln!(
        out,
        "**Verdict**: {}: {}  ",
        v.title().to_uppercase(),
        verdict_explanation(v)
    );
    if let Some(provider) = &p.provider {
        let _ = writeln!(out, "**Database**: {}  ", provider_title(provider));
    }
    if let Some(version) = &p.prisma_version {
        let _ = writeln!(out, "**Prisma version**: {}  ", inline(version));
    }
    if !p.schema_files.is_empty() {
        let files: Vec<String> = p
            .schema_files
            .iter()
            .map(|f| format!("`{}`", inline(f)))
            .collect();
        let _ = writeln!(out, "**Schema**: {}  ", files.join(", "));
    }
    let _ = writeln!(
        out,
        "**Scope**: {}, {}, {}, {}; {} run",
        plural(p.models, "model"),
        plural(p.enums, "enum"),
        plural(p.views, "view"),
        plural(p.migrations, "migration"),
        plural(p.rules_run, "rule")
    );
    out.push_str("\n---\n\n");
}

fn executive_summary(out: &mut String, report: &Report) {
    let s = &report.summary;
    let c = &s.counts;
    let total = c.total();
    out.push_str("## Executive summary\n\n");
    let mut para = format!("**{}.** ", s.verdict.title());
    if total == 0 {
        let _ = write!(
            para,
            "The audit of `{}` found no problems.",
            inline(&report.project.root)
        );
    } else {
        let _ = write!(
            para,
            "The audit of `{}` found {} ({}).",
            inline(&report.project.root),
            plural(total, "finding"),
            breakdown(report.findings.iter())
        );
    }
    para.push(' ');
    para.push_str(match s.verdict {
        Verdict::NotReady => {
            "Critical findings will break production or lose data: fix them before this project is deployed."
        }
        Verdict::ReadyWithFixes => {
            "Nothing blocks a deployment outright, but the high and medium findings should be fixed before or soon after launch."
        }
        Verdict::Ready if total > 0 => {
            "Nothing needs fixing before deployment; the remaining findings are improvements to make when touching the code."
        }
        Verdict::Ready => "The project is ready for production as far as static analysis can tell.",
    });
    let mut risky: Vec<_> = s
        .categories
        .iter()
        .filter(|c| c.risk <= Risk::Medium && c.findings > 0)
        .collect();
    risky.sort_by_key(|c| c.risk);
    if !risky.is_empty() {
        let names: Vec<String> = risky
            .iter()
            .map(|c| {
                format!(
                    "{} ({})",
                    c.category.title(),
                    c.risk.title().to_ascii_lowercase()
                )
            })
            .collect();
        let list = match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => names.join(""),
        };
        let _ = write!(
            para,
            " The riskiest {} {list}.",
            if names.len() == 1 {
                "area is"
            } else {
                "areas are"
            }
        );
    }
    if total > 0 {
        para.push_str(
            " The pre-deployment checklist lists what to fix first; each finding below gives its location, why it matters and a fix.",
        );
    }
    let _ = writeln!(out, "{para}\n");
    out.push_str("| Severity | Findings |\n|----------|---------:|\n");
    for sev in Severity::ALL {
        let _ = writeln!(out, "| {} | {} |", severity_title(sev), c.get(sev));
    }
    let _ = writeln!(out, "| **Total** | **{total}** |\n");
    let mut hidden = Vec::new();
    if s.suppressed > 0 {
        hidden.push(format!(
            "{} suppressed by comments",
            plural(s.suppressed, "finding")
        ));
    }
    if s.baselined > 0 {
        hidden.push(format!(
            "{} already in the baseline",
            plural(s.baselined, "finding")
        ));
    }
    if s.ignored_models > 0 {
        hidden.push(format!(
            "{} in models left out of the audit ({})",
            plural(s.ignored_models, "finding"),
            report.project.excluded_models.join(", ")
        ));
    }
    if s.below_min_confidence > 0 {
        hidden.push(format!(
            "{} below `min-confidence`",
            plural(s.below_min_confidence, "heuristic finding")
        ));
    }
    if !hidden.is_empty() {
        let _ = writeln!(out, "Not shown: {}.\n", hidden.join("; "));
    }
    out.push_str("---\n\n");
}

/// Source lines around the finding, redacted, with the file as a comment on top.
fn excerpt(out: &mut String, file: &str, src: &SourceFile, start: Position, end: Position) {
    let end = display_end(start, end);
    let lines = src.line_count() as u32;
    let first = start.line.saturating_sub(CONTEXT).max(1);
    let last = (end.line.max(start.line) + CONTEXT)
        .min(lines)
        .min(first + MAX_EXCERPT - 1);
    if first > last {
        return;
    }
    let lang = language_of(file);
    let mut body = String::new();
    if let Some(prefix) = comment_prefix(lang) {
        let _ = writeln!(body, "{prefix} {file} (lines {first}-{last})");
    }
    for n in first..=last {
        body.push_str(src.line(n));
        body.push('\n');
    }
    code_block(out, lang, &body);
}

/// Lines `first..=last` of `src`, each followed by `\n`.
fn hunk_text(src: &SourceFile, first: u32, last: u32) -> String {
    let mut s = String::new();
    for n in first..=last {
        s.push_str(src.line(n));
        s.push('\n');
    }
    s
}

/// Byte offset of the original position `pos` inside the hunk text (the shown lines from
/// `first`, each ended by `\n`): columns are mapped through redaction, so an edit after a
/// redacted password lands where it belongs in the shown line.
fn hunk_offset(src: &SourceFile, hunk: &str, first: u32, pos: Position, end: bool) -> usize {
    if pos.line < first {
        return 0;
    }
    let before: usize = (first..pos.line).map(|n| src.line(n).len() + 1).sum();
    let line_start = src.offset(Position {
        line: pos.line,
        column: 1,
    });
    let at = if end {
        src.end_offset(pos)
    } else {
        src.offset(pos)
    };
    let within = at.saturating_sub(line_start).min(src.line(pos.line).len());
    (before + within).min(hunk.len())
}

/// The edits of one file as a unified diff (no context lines).
fn diff(file: &str, src: &SourceFile, edits: &[&Edit]) -> String {
    let mut edits: Vec<&Edit> = edits.to_vec();
    edits.sort_by_key(|e| (e.start, e.end));
    let last_line = |e: &Edit| {
        if e.end.column <= 1 && e.end.line > e.start.line {
            e.end.line - 1
        } else {
            e.end.line.max(e.start.line)
        }
    };
    let mut out = format!("--- a/{file}\n+++ b/{file}\n");
    // Lines added minus lines removed by the hunks so far.
    let mut delta: i64 = 0;
    let mut i = 0;
    while i < edits.len() {
        let first = edits[i].start.line.max(1);
        let mut last = last_line(edits[i]);
        let mut j = i + 1;
        while j < edits.len() && edits[j].start.line <= last {
            last = last.max(last_line(edits[j]));
            j += 1;
        }
        let old = hunk_text(src, first, last);
        let mut new = old.clone();
        // Apply from the end so earlier offsets stay valid; skip an edit that overlaps the
        // one applied before it (a stale or malformed fix).
        let mut limit = old.len();
        for e in edits[i..j].iter().rev() {
            let s = hunk_offset(src, &old, first, e.start, false);
            let t = hunk_offset(src, &old, first, e.end, true).max(s);
            if t > limit || (s == t && s == limit && limit != old.len()) {
                continue;
            }
            new.replace_range(s..t, &redact_urls(&e.replacement));
            limit = s;
        }
        let split = |t: &str| -> Vec<String> {
            if t.is_empty() {
                Vec::new()
            } else {
                t.strip_suffix('\n')
                    .unwrap_or(t)
                    .split('\n')
                    .map(str::to_string)
                    .collect()
            }
        };
        let (mut old_lines, mut new_lines) = (split(&old), split(&new));
        // Drop unchanged lines at both ends.
        let lead = old_lines
            .iter()
            .zip(&new_lines)
            .take_while(|(a, b)| a == b)
            .count();
        old_lines.drain(..lead);
        new_lines.drain(..lead);
        while !old_lines.is_empty() && old_lines.last() == new_lines.last() {
            old_lines.pop();
            new_lines.pop();
        }
        i = j;
        if old_lines.is_empty() && new_lines.is_empty() {
            continue;
        }
        // Unified diff: an empty side starts at the line before the change.
        let start = first as i64 + lead as i64;
        let old_start = start - i64::from(old_lines.is_empty());
        let new_start = start + delta - i64::from(new_lines.is_empty());
        delta += new_lines.len() as i64 - old_lines.len() as i64;
        let _ = writeln!(
            out,
            "@@ -{old_start},{} +{new_start},{} @@",
            old_lines.len(),
            new_lines.len()
        );
        for l in old_lines {
            let _ = writeln!(out, "-{l}");
        }
        for l in new_lines {
            let _ = writeln!(out, "+{l}");
        }
    }
    out
}

fn finding(out: &mut String, n: usize, f: &Finding, sources: &mut Sources<'_>) {
    let _ = writeln!(out, "#### {n}. `{}`: {}\n", f.rule, inline(&f.message));
    let mut meta = Vec::new();
    if let Some(loc) = &f.location {
        meta.push(format!(
            "**Location**: `{}`",
            file_pos(&inline(&loc.file), loc.start)
        ));
    } else {
        meta.push("**Location**: project-wide".to_string());
    }
    meta.push(format!("**Category**: {}", f.category.title()));
    meta.push(format!("**Severity**: {}", severity_title(f.severity)));
    if f.confidence == Confidence::Heuristic {
        meta.push("**Confidence**: heuristic (inferred from names)".to_string());
    }
    let _ = writeln!(out, "{}\n", meta.join(" · "));
    if let Some(loc) = &f.location
        && let Some(src) = sources.get(&loc.file)
    {
        excerpt(out, &loc.file, src, loc.start, loc.end);
    }
    if !f.related.is_empty() {
        out.push_str("**Related**:\n");
        for r in &f.related {
            let _ = writeln!(
                out,
                "- `{}`: {}",
                file_pos(&inline(&r.location.file), r.location.start),
                inline(&r.message)
            );
        }
        out.push('\n');
    }
    if let Some(help) = &f.help {
        let _ = writeln!(out, "**Why it matters**: {}\n", help.trim());
    }
    if let Some(fix) = &f.fix {
        let safety = match fix.safety {
            FixSafety::Safe => "safe to apply",
            FixSafety::Unsafe => "unsafe: review before applying",
        };
        let _ = writeln!(out, "**Fix** ({safety}): {}\n", inline(&fix.title));
        let mut files: Vec<&str> = Vec::new();
        for e in &fix.edits {
            if !files.contains(&e.file.as_str()) {
                files.push(&e.file);
            }
        }
        for file in files {
            let edits: Vec<&Edit> = fix.edits.iter().filter(|e| e.file == file).collect();
            match sources.get(file) {
                Some(src) => code_block(out, "diff", &diff(file, src, &edits)),
                None => {
                    for e in edits {
                        let _ = writeln!(
                            out,
                            "Replace `{}` to `{}` with:\n",
                            file_pos(file, e.start),
                            file_pos(file, e.end)
                        );
                        code_block(out, language_of(file), &redact_urls(&e.replacement));
                    }
                }
            }
        }
        if let Some(sql) = &fix.sql {
            out.push_str("**Migration SQL**:\n\n");
            code_block(out, "sql", &redact_urls(sql));
        }
    }
}

fn findings(out: &mut String, report: &Report, sources: &mut Sources<'_>) {
    out.push_str("## Findings\n\n");
    if report.findings.is_empty() {
        out.push_str("No findings.\n\n---\n\n");
        return;
    }
    let mut current = None;
    for (i, f) in numbered(report).into_iter().enumerate() {
        if current != Some(f.severity) {
            current = Some(f.severity);
            let _ = writeln!(out, "### {}\n", severity_title(f.severity));
        }
        finding(out, i + 1, f, sources);
    }
    out.push_str("---\n\n");
}

fn status_note(findings: &[&Finding], risk: Risk, checks: usize) -> String {
    if findings.is_empty() {
        return if checks > 0 {
            format!("No findings ({} passed)", plural(checks, "check"))
        } else {
            "No findings".to_string()
        };
    }
    let what = breakdown(findings.iter().copied());
    let advice = match risk {
        Risk::Critical => "blocks deployment",
        Risk::High => "fix before launch",
        Risk::Medium => "fix soon",
        Risk::Low => "minor",
    };
    format!("{what}: {advice}")
}

fn risk_table(out: &mut String, report: &Report, rules: &[&'static RuleMeta]) {
    out.push_str("## Risk assessment\n\n");
    out.push_str(
        "| Category | Risk | Findings | Status |\n|----------|------|---------:|--------|\n",
    );
    for row in &report.summary.categories {
        let fs: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.category == row.category)
            .collect();
        let checks = rules.iter().filter(|m| m.category == row.category).count();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            row.category.title(),
            row.risk.title(),
            row.findings,
            status_note(&fs, row.risk, checks)
        );
    }
    out.push_str("\n---\n\n");
}

/// Findings in the order (and with the numbers, 1-based) of the Findings section.
fn numbered(report: &Report) -> Vec<&Finding> {
    Severity::ALL
        .into_iter()
        .flat_map(|sev| report.findings.iter().filter(move |f| f.severity == sev))
        .collect()
}

fn checklist(out: &mut String, report: &Report, rules: &[&'static RuleMeta]) {
    out.push_str("## Pre-deployment checklist\n\n");
    let numbering = numbered(report);
    let mut any = false;
    for (sev, heading) in [
        (Severity::Critical, "Critical (must fix)"),
        (Severity::High, "High (strongly recommended)"),
    ] {
        // Rules in order of their first finding of this severity.
        let mut rule_ids: Vec<&str> = Vec::new();
        for f in report.findings.iter().filter(|f| f.severity == sev) {
            if !rule_ids.contains(&f.rule.as_str()) {
                rule_ids.push(&f.rule);
            }
        }
        if rule_ids.is_empty() {
            continue;
        }
        any = true;
        let _ = writeln!(out, "### {heading}\n");
        for id in rule_ids {
            let fs: Vec<&Finding> = report
                .findings
                .iter()
                .filter(|f| f.severity == sev && f.rule == id)
                .collect();
            // An imperative title: the fix of a lone finding, else what the rule checks.
            let meta = rules.iter().find(|m| m.id == id);
            let title = match (fs.as_slice(), meta) {
                ([one], _) if one.fix.is_some() => one
                    .fix
                    .as_ref()
                    .map(|x| inline(&x.title))
                    .unwrap_or_default(),
                (_, Some(meta)) => inline(meta.summary),
                (fs, None) => fs.first().map(|f| inline(&f.message)).unwrap_or_default(),
            };
            let numbers: Vec<String> = fs
                .iter()
                .filter_map(|f| numbering.iter().position(|g| std::ptr::eq(*g, *f)))
                .map(|i| (i + 1).to_string())
                .collect();
            let see = match numbers.len() {
                0 => String::new(),
                1 => format!("; see finding {}", numbers[0]),
                _ => format!("; see findings {}", numbers.join(", ")),
            };
            let mut locations: Vec<String> = fs
                .iter()
                .filter_map(|f| f.location.as_ref())
                .take(MAX_CHECKLIST_LOCATIONS)
                .map(|l| format!("`{}:{}`", inline(&l.file), l.start.line))
                .collect();
            let located = fs.iter().filter(|f| f.location.is_some()).count();
            if located > MAX_CHECKLIST_LOCATIONS {
                locations.push(format!("and {} more", located - MAX_CHECKLIST_LOCATIONS));
            }
            let _ = write!(out, "- [ ] **{title}** (`{id}`{see})");
            if !locations.is_empty() {
                let _ = write!(out, ": {}", locations.join(", "));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    if !any {
        out.push_str("Nothing blocks deployment: there are no critical or high findings.\n\n");
    }
    out.push_str("---\n\n");
}

fn strengths(out: &mut String, report: &Report, rules: &[&'static RuleMeta]) {
    out.push_str("## Strengths\n\n");
    let mut items: Vec<String> = report.strengths.iter().map(|s| inline(s)).collect();
    for category in Category::ALL {
        let clean = report
            .summary
            .categories
            .iter()
            .any(|c| c.category == category && c.findings == 0);
        if clean {
            let checks = rules.iter().filter(|m| m.category == category).count();
            items.push(if checks > 0 {
                format!(
                    "**{}**: no findings from {}",
                    category.title(),
                    plural(checks, "check")
                )
            } else {
                format!("**{}**: no findings", category.title())
            });
        }
    }
    if items.is_empty() {
        out.push_str("None recorded.\n");
    }
    for (i, item) in items.iter().enumerate() {
        let _ = writeln!(out, "{}. {item}", i + 1);
    }
    out.push_str("\n---\n\n");
}

pub(crate) fn render(
    report: &Report,
    project: Option<&Project>,
    rules: &[&'static RuleMeta],
) -> String {
    let mut sources = Sources::new(project);
    let mut out = String::new();
    header(&mut out, report);
    executive_summary(&mut out, report);
    findings(&mut out, report, &mut sources);
    risk_table(&mut out, report, rules);
    checklist(&mut out, report, rules);
    strengths(&mut out, report, rules);
    let _ = writeln!(
        out,
        "*Generated by {} {} with {}. This is static analysis of the project's files: test every fix against a staging database before deploying to production.*",
        report.tool.name,
        report.tool.version,
        plural(report.project.rules_run, "rule")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(sl: u32, sc: u32, el: u32, ec: u32, text: &str) -> Edit {
        Edit {
            file: "s.prisma".into(),
            start: Position {
                line: sl,
                column: sc,
            },
            end: Position {
                line: el,
                column: ec,
            },
            start_offset: 0,
            end_offset: 0,
            replacement: text.into(),
        }
    }

    #[test]
    fn diffs() {
        let src = SourceFile::new("model A {\n  id Int\n}\n".to_string());
        let e = edit(2, 9, 2, 9, " @id");
        assert_eq!(
            diff("s.prisma", &src, &[&e]),
            "--- a/s.prisma\n+++ b/s.prisma\n@@ -2,1 +2,1 @@\n-  id Int\n+  id Int @id\n"
        );
        // Insert a line before `}` and delete line 2 (whole line, end at next line's column 1).
        let ins = edit(3, 1, 3, 1, "  @@index([id])\n");
        let del = edit(2, 1, 3, 1, "");
        assert_eq!(
            diff("s.prisma", &src, &[&ins, &del]),
            "--- a/s.prisma\n+++ b/s.prisma\n@@ -2,1 +1,0 @@\n-  id Int\n@@ -2,0 +2,1 @@\n+  @@index([id])\n"
        );
    }

    /// An insertion after a redacted password lands at the end of the shown URL, and the diff
    /// never shows the password.
    #[test]
    fn diffs_on_redacted_lines() {
        let original = "DATABASE_URL=\"postgresql://app:Sup3r-Secret-Pw@db.example.com/app\"\n";
        let shown = crate::redact::redact_env_text(original);
        let src = SourceFile::redacted(original, shown);
        // After `app` (the URL's last character), before the closing quote.
        let col = original.find("\"\n").unwrap() as u32 + 1;
        let e = edit(1, col, 1, col, "?sslmode=require");
        let out = diff(".env", &src, &[&e]);
        assert!(!out.contains("Sup3r-Secret-Pw"), "{out}");
        assert!(
            out.ends_with(
                "+DATABASE_URL=\"postgresql://app:****@db.example.com/app?sslmode=require\"\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn fences_and_inline() {
        assert_eq!(fence("a ``` b"), "````");
        assert_eq!(fence("plain"), "```");
        assert_eq!(inline("a |\n b"), "a \\| b");
    }
}
