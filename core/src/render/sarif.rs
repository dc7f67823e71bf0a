//! SARIF 2.1.0, shaped for GitHub code scanning.
//!
//! One run; `tool.driver.rules` lists every rule given (plus a minimal descriptor for any rule
//! id a finding uses that is not among them, so every result has a `ruleIndex`). Results carry
//! `partialFingerprints` (GitHub deduplicates alerts with them), `relatedLocations`, `fixes`
//! and `properties.severity`. Paths are relative to `%SRCROOT%`, regions use 1-based lines and
//! columns counted in Unicode code points (`columnKind: unicodeCodePoints`), end exclusive.
//!
//! GitHub needs at least one location per result to show it: a project-wide finding is placed
//! on line 1 of the first schema file.

use super::level_of;
use crate::finding::{Category, Edit, Finding, FixSafety, Location, Position, Severity};
use crate::report::Report;
use crate::rule::RuleMeta;
use serde_json::{Map, Value, json};

/// `$schema` of the log.
pub(crate) const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Where the tool lives.
const INFORMATION_URI: &str = "https://github.com/prisma-audit/prisma-audit";
/// The base every artifact URI is relative to.
const SRCROOT: &str = "%SRCROOT%";
/// Key of our fingerprint in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "prismaAudit/v1";

/// Percent-encode a relative path as a URI reference (keeps `/` and unreserved characters).
fn uri_of(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn artifact_location(path: &str) -> Value {
    json!({ "uri": uri_of(path), "uriBaseId": SRCROOT })
}

/// SARIF requires positive lines and columns.
fn clamp(n: u32) -> u32 {
    n.max(1)
}

fn region(start: Position, end: Position) -> Value {
    let (sl, sc) = (clamp(start.line), clamp(start.column));
    // An end before the start would be invalid: collapse to an empty region at the start.
    let (el, ec) = if (clamp(end.line), clamp(end.column)) < (sl, sc) {
        (sl, sc)
    } else {
        (clamp(end.line), clamp(end.column))
    };
    json!({ "startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec })
}

fn physical_location(loc: &Location) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": artifact_location(&loc.file),
            "region": region(loc.start, loc.end),
        }
    })
}

/// Severity on GitHub's 0–10 `security-severity` scale (security rules only).
fn security_severity(severity: Severity) -> Option<&'static str> {
    match severity {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("3.0"),
        Severity::Info => None,
    }
}

/// `missing-fk-index` → `MissingFkIndex`.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut cs = s.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The text under the docs' "What it does" heading, or `None`.
fn what_it_does(markdown: &str) -> Option<String> {
    let mut lines = markdown.lines();
    lines.find(|l| {
        l.trim_start_matches('#')
            .trim()
            .eq_ignore_ascii_case("what it does")
            && l.starts_with('#')
    })?;
    let body: Vec<&str> = lines.take_while(|l| !l.starts_with('#')).collect();
    let text = body.join("\n").trim().to_string();
    (!text.is_empty()).then_some(text)
}

fn rule_descriptor(meta: &RuleMeta) -> Value {
    let docs = meta.docs_markdown();
    let full = what_it_does(&docs).unwrap_or_else(|| meta.summary.to_string());
    // The category doubles as a tag; `security` is the one GitHub treats specially.
    let tags = ["prisma", meta.category.as_str()];
    let mut properties = Map::new();
    properties.insert("category".into(), json!(meta.category.as_str()));
    properties.insert(
        "defaultSeverity".into(),
        json!(meta.default_severity.as_str()),
    );
    properties.insert("fixable".into(), json!(meta.fixable));
    if meta.category == Category::Security
        && let Some(score) = security_severity(meta.default_severity)
    {
        properties.insert("security-severity".into(), json!(score));
    }
    properties.insert("tags".into(), json!(tags));
    let mut rule = Map::new();
    rule.insert("id".into(), json!(meta.id));
    rule.insert("name".into(), json!(pascal_case(meta.id)));
    rule.insert("shortDescription".into(), json!({ "text": meta.summary }));
    rule.insert("fullDescription".into(), json!({ "text": full }));
    if !docs.trim().is_empty() {
        rule.insert("help".into(), json!({ "text": docs, "markdown": docs }));
    }
    rule.insert(
        "defaultConfiguration".into(),
        json!({ "enabled": meta.default_enabled, "level": level_of(meta.default_severity) }),
    );
    rule.insert("properties".into(), Value::Object(properties));
    Value::Object(rule)
}

/// A descriptor for a rule id that has no metadata (engine-level findings).
fn bare_descriptor(finding: &Finding) -> Value {
    json!({
        "id": finding.rule,
        "name": pascal_case(&finding.rule),
        "shortDescription": { "text": finding.rule },
        "defaultConfiguration": { "level": level_of(finding.severity) },
        "properties": {
            "category": finding.category.as_str(),
            "tags": ["prisma", finding.category.as_str()],
        },
    })
}

/// One `artifactChange` per file, replacements in edit order.
fn artifact_changes(edits: &[Edit]) -> Vec<Value> {
    let mut files: Vec<&str> = Vec::new();
    for e in edits {
        if !files.contains(&e.file.as_str()) {
            files.push(&e.file);
        }
    }
    files
        .into_iter()
        .map(|file| {
            let replacements: Vec<Value> = edits
                .iter()
                .filter(|e| e.file == file)
                .map(|e| {
                    json!({
                        "deletedRegion": region(e.start, e.end),
                        "insertedContent": { "text": e.replacement },
                    })
                })
                .collect();
            json!({ "artifactLocation": artifact_location(file), "replacements": replacements })
        })
        .collect()
}

fn result(finding: &Finding, rule_index: usize, fallback_file: Option<&str>) -> Value {
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(finding.rule));
    r.insert("ruleIndex".into(), json!(rule_index));
    r.insert("level".into(), json!(level_of(finding.severity)));
    let mut text = finding.message.clone();
    if let Some(help) = &finding.help {
        text.push_str("\n\n");
        text.push_str(help);
    }
    r.insert("message".into(), json!({ "text": text }));
    match (&finding.location, fallback_file) {
        (Some(loc), _) => {
            r.insert("locations".into(), json!([physical_location(loc)]));
        }
        (None, Some(file)) => {
            let line_one = Position { line: 1, column: 1 };
            let loc = Location {
                file: file.to_string(),
                start: line_one,
                end: line_one,
            };
            r.insert("locations".into(), json!([physical_location(&loc)]));
        }
        (None, None) => {}
    }
    if !finding.related.is_empty() {
        let related: Vec<Value> = finding
            .related
            .iter()
            .enumerate()
            .map(|(i, rel)| {
                let mut v = physical_location(&rel.location);
                if let Value::Object(m) = &mut v {
                    m.insert("id".into(), json!(i + 1));
                    m.insert("message".into(), json!({ "text": rel.message }));
                }
                v
            })
            .collect();
        r.insert("relatedLocations".into(), Value::Array(related));
    }
    r.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: finding.fingerprint }),
    );
    let mut properties = Map::new();
    properties.insert("severity".into(), json!(finding.severity.as_str()));
    properties.insert("category".into(), json!(finding.category.as_str()));
    properties.insert("confidence".into(), json!(finding.confidence.as_str()));
    if let Some(fix) = &finding.fix {
        let safety = match fix.safety {
            FixSafety::Safe => "safe",
            FixSafety::Unsafe => "unsafe",
        };
        properties.insert("fixSafety".into(), json!(safety));
        if let Some(sql) = &fix.sql {
            properties.insert("fixSql".into(), json!(sql));
        }
        if !fix.edits.is_empty() {
            r.insert(
                "fixes".into(),
                json!([{
                    "description": { "text": fix.title },
                    "artifactChanges": artifact_changes(&fix.edits),
                }]),
            );
        }
    }
    r.insert("properties".into(), Value::Object(properties));
    Value::Object(r)
}

pub(crate) fn render(report: &Report, rules: &[&'static RuleMeta]) -> String {
    let mut descriptors: Vec<Value> = rules.iter().map(|m| rule_descriptor(m)).collect();
    let mut ids: Vec<String> = rules.iter().map(|m| m.id.to_string()).collect();
    let fallback_file = report.project.schema_files.first().map(String::as_str);
    let mut results = Vec::with_capacity(report.findings.len());
    for f in &report.findings {
        let index = match ids.iter().position(|id| *id == f.rule) {
            Some(i) => i,
            None => {
                ids.push(f.rule.clone());
                descriptors.push(bare_descriptor(f));
                ids.len() - 1
            }
        };
        results.push(result(f, index, fallback_file));
    }
    let log = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": report.tool.name,
                    "version": report.tool.version,
                    "semanticVersion": report.tool.version,
                    "informationUri": INFORMATION_URI,
                    "rules": descriptors,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {
                "verdict": report.summary.verdict.as_str(),
                "suppressed": report.summary.suppressed,
                "baselined": report.summary.baselined,
                "ignoredModels": report.summary.ignored_models,
                "belowMinConfidence": report.summary.below_min_confidence,
                "excludedModels": report.project.excluded_models,
            },
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(
            uri_of("prisma/my schema.prisma"),
            "prisma/my%20schema.prisma"
        );
        assert_eq!(uri_of("a/é.sql"), "a/%C3%A9.sql");
        assert_eq!(pascal_case("missing-fk-index"), "MissingFkIndex");
        assert_eq!(
            what_it_does("## What it does\nChecks X.\n\n## Why is this bad?\nY").as_deref(),
            Some("Checks X.")
        );
        assert_eq!(what_it_does("no headings"), None);
    }
}
