//! The report: the public JSON contract every output and binding is built from.

use crate::finding::{Category, Finding, Severity};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version of the report's JSON shape. Bumped only on breaking changes.
pub const SCHEMA_VERSION: &str = "1";

/// A complete audit result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// JSON shape version (`"1"`).
    pub schema_version: String,
    /// The tool that produced the report.
    pub tool: ToolInfo,
    /// What was audited.
    pub project: ProjectInfo,
    /// Verdict and counts.
    pub summary: Summary,
    /// Findings, sorted by severity, file, position, rule, then message.
    pub findings: Vec<Finding>,
    /// Good practices the audit confirmed, computed from the project.
    #[serde(default)]
    pub strengths: Vec<String>,
}

/// Name and version of the tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ToolInfo {
    /// `prisma-audit`.
    pub name: String,
    /// Crate version.
    pub version: String,
}

impl Default for ToolInfo {
    fn default() -> Self {
        ToolInfo {
            name: "prisma-audit".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// Facts about the audited project.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProjectInfo {
    /// Display name of the project root (the directory name, or what the caller passed).
    pub root: String,
    /// Datasource provider (`postgresql`, `mysql`, ...), if a datasource was found.
    pub provider: Option<String>,
    /// Declared Prisma CLI version from package.json, if any.
    pub prisma_version: Option<String>,
    /// Schema files, relative to the root.
    pub schema_files: Vec<String>,
    /// Number of migrations found.
    pub migrations: usize,
    /// Number of models (views excluded).
    pub models: usize,
    /// Number of enums.
    pub enums: usize,
    /// Number of views.
    pub views: usize,
    /// Number of rules that ran.
    pub rules_run: usize,
    /// Models left out of the audit, with the reason: `ignore-models`, or a table a library
    /// owns (`Account (owned by Auth.js)`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded_models: Vec<String>,
    /// Which migrations the safety rules judged (absent without a migration history).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migration_scope: Option<crate::sql::ScopeInfo>,
}

/// Overall readiness.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// At least one critical finding.
    NotReady,
    /// High or medium findings, no critical ones.
    ReadyWithFixes,
    /// Only low or info findings, or none.
    Ready,
}

impl Verdict {
    /// The documented rule: any critical → not ready; else any high or medium → ready with
    /// fixes; else ready.
    pub fn from_counts(counts: &Counts) -> Self {
        if counts.critical > 0 {
            Verdict::NotReady
        } else if counts.high > 0 || counts.medium > 0 {
            Verdict::ReadyWithFixes
        } else {
            Verdict::Ready
        }
    }
    /// Title for humans.
    pub fn title(self) -> &'static str {
        match self {
            Verdict::NotReady => "Not ready",
            Verdict::ReadyWithFixes => "Ready with fixes",
            Verdict::Ready => "Ready",
        }
    }
    /// Kebab-case id as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::NotReady => "not-ready",
            Verdict::ReadyWithFixes => "ready-with-fixes",
            Verdict::Ready => "ready",
        }
    }
}

/// Findings per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Counts {
    /// Critical findings.
    pub critical: usize,
    /// High findings.
    pub high: usize,
    /// Medium findings.
    pub medium: usize,
    /// Low findings.
    pub low: usize,
    /// Info findings.
    pub info: usize,
}

impl Counts {
    /// Count `findings` by severity.
    pub fn of(findings: &[Finding]) -> Self {
        let mut c = Counts::default();
        for f in findings {
            *c.get_mut(f.severity) += 1;
        }
        c
    }
    /// The count of one severity.
    pub fn get(&self, severity: Severity) -> usize {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
        }
    }
    fn get_mut(&mut self, severity: Severity) -> &mut usize {
        match severity {
            Severity::Critical => &mut self.critical,
            Severity::High => &mut self.high,
            Severity::Medium => &mut self.medium,
            Severity::Low => &mut self.low,
            Severity::Info => &mut self.info,
        }
    }
    /// All findings.
    pub fn total(&self) -> usize {
        self.critical + self.high + self.medium + self.low + self.info
    }
}

/// Risk level of one category.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    /// A critical finding in the category.
    Critical,
    /// A high finding.
    High,
    /// A medium finding.
    Medium,
    /// Only low/info findings or none.
    Low,
}

impl Risk {
    /// Risk from the most serious finding of a category.
    pub fn from_worst(worst: Option<Severity>) -> Self {
        match worst {
            Some(Severity::Critical) => Risk::Critical,
            Some(Severity::High) => Risk::High,
            Some(Severity::Medium) => Risk::Medium,
            _ => Risk::Low,
        }
    }
    /// Title for humans.
    pub fn title(self) -> &'static str {
        match self {
            Risk::Critical => "Critical",
            Risk::High => "High",
            Risk::Medium => "Medium",
            Risk::Low => "Low",
        }
    }
}

/// One row of the risk table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CategorySummary {
    /// The category.
    pub category: Category,
    /// Its risk level.
    pub risk: Risk,
    /// Number of findings in it.
    pub findings: usize,
}

/// Verdict, counts and risk table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Overall readiness.
    pub verdict: Verdict,
    /// Findings per severity.
    pub counts: Counts,
    /// One row per category, in [`Category::ALL`] order (`style` only when it has findings).
    pub categories: Vec<CategorySummary>,
    /// Findings silenced by suppression comments.
    #[serde(default)]
    pub suppressed: usize,
    /// Findings hidden because the baseline already knew them.
    #[serde(default)]
    pub baselined: usize,
    /// Findings inside models left out of the audit (see `project.excluded_models`).
    #[serde(default)]
    pub ignored_models: usize,
    /// Heuristic findings hidden by `min-confidence`.
    #[serde(default)]
    pub below_min_confidence: usize,
    /// Findings of the safety rules in migrations outside the migration scope (already applied).
    #[serde(default)]
    pub outside_migration_scope: usize,
}

impl Summary {
    /// Summarise sorted findings.
    pub fn of(findings: &[Finding]) -> Self {
        let counts = Counts::of(findings);
        let categories = Category::ALL
            .into_iter()
            .map(|category| {
                let mut n = 0;
                let mut worst = None;
                for f in findings.iter().filter(|f| f.category == category) {
                    n += 1;
                    worst = Some(worst.map_or(f.severity, |w: Severity| w.min(f.severity)));
                }
                CategorySummary {
                    category,
                    risk: Risk::from_worst(worst),
                    findings: n,
                }
            })
            // Style rules are opt-in: no row unless one of them reported something.
            .filter(|row| row.category != Category::Style || row.findings > 0)
            .collect();
        Summary {
            verdict: Verdict::from_counts(&counts),
            counts,
            categories,
            suppressed: 0,
            baselined: 0,
            ignored_models: 0,
            below_min_confidence: 0,
            outside_migration_scope: 0,
        }
    }
}

/// The JSON Schema of [`Report`], pretty-printed (committed at `schema/report.schema.json`).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Report);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
