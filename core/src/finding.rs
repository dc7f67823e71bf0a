//! Findings: what a rule reports, in the shape of the public JSON contract.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How serious a finding is, most serious first (so sorting puts critical findings on top).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Will break production or lose data; blocks a release.
    Critical,
    /// Likely to cause an incident or a failed deploy.
    High,
    /// Costs performance, integrity or maintainability; fix soon.
    Medium,
    /// Worth fixing when touching the code.
    Low,
    /// Information, no action required.
    Info,
}

impl Severity {
    /// All severities, most serious first.
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    /// Lower-case name as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }

    /// `true` if `self` is at least as serious as `threshold`.
    pub fn at_least(self, threshold: Severity) -> bool {
        self <= threshold
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown severity `{s}` (expected critical, high, medium, low or info)")
            })
    }
}

/// How sure a rule is that a finding is real: certain (read from the schema, SQL or
/// configuration) or heuristic (inferred from names or conventions, so it may not apply).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Follows from what the project declares; true wherever it is reported.
    #[default]
    Certain,
    /// Inferred from names or conventions (`tenantId`, `price`, `createdAt`): read the evidence.
    Heuristic,
}

impl Confidence {
    /// Both levels, most certain first.
    pub const ALL: [Confidence; 2] = [Confidence::Certain, Confidence::Heuristic];

    /// Lower-case name as in the JSON and the configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Certain => "certain",
            Confidence::Heuristic => "heuristic",
        }
    }

    /// `true` if `self` is at least as sure as `threshold`.
    pub fn at_least(self, threshold: Confidence) -> bool {
        self <= threshold
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Confidence {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Confidence::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown confidence `{s}` (expected certain or heuristic)"))
    }
}

/// The risk areas of the report's risk table.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Migration history: order, drift, destructive or locking changes.
    MigrationIntegrity,
    /// Referential actions, constraints, timestamps, precision, tenancy.
    DataIntegrity,
    /// Indexes and query shapes.
    Performance,
    /// Application code that calls Prisma Client.
    TypeSafety,
    /// Secrets, TLS, privileges, row-level security.
    Security,
    /// Connection pooling, versions, deployment configuration, scaling.
    ScalabilityAndOperations,
    /// Naming and layout conventions (prisma-lint parity; off by default).
    Style,
}

impl Category {
    /// All categories in report order.
    pub const ALL: [Category; 7] = [
        Category::MigrationIntegrity,
        Category::DataIntegrity,
        Category::Performance,
        Category::TypeSafety,
        Category::Security,
        Category::ScalabilityAndOperations,
        Category::Style,
    ];

    /// Kebab-case id as in the JSON and the config.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::MigrationIntegrity => "migration-integrity",
            Category::DataIntegrity => "data-integrity",
            Category::Performance => "performance",
            Category::TypeSafety => "type-safety",
            Category::Security => "security",
            Category::ScalabilityAndOperations => "scalability-and-operations",
            Category::Style => "style",
        }
    }

    /// Title for humans ("Migration integrity").
    pub fn title(self) -> &'static str {
        match self {
            Category::MigrationIntegrity => "Migration integrity",
            Category::DataIntegrity => "Data integrity",
            Category::Performance => "Performance",
            Category::TypeSafety => "Type safety (application code)",
            Category::Security => "Security",
            Category::ScalabilityAndOperations => "Scalability and operations",
            Category::Style => "Style and conventions",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("unknown category `{s}`"))
    }
}

pub use prisma_audit_project::{Location, Position};

impl From<prisma_audit_migrations::drift::Severity> for Severity {
    fn from(s: prisma_audit_migrations::drift::Severity) -> Self {
        use prisma_audit_migrations::drift::Severity as Drift;
        match s {
            Drift::High => Severity::High,
            Drift::Medium => Severity::Medium,
            Drift::Low => Severity::Low,
            Drift::Info => Severity::Info,
        }
    }
}

/// Another place that explains the finding (the other side of a relation, the migration that
/// creates a table, ...).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct Related {
    /// What is at that place.
    pub message: String,
    /// Where.
    pub location: Location,
}

/// Whether a fix can be applied without review (ruff's notion of fix safety).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum FixSafety {
    /// Keeps the meaning of the data and the application; apply freely.
    Safe,
    /// Changes behaviour or needs a migration to be reviewed; apply deliberately.
    Unsafe,
}

/// One text replacement in one file. `start`/`end` are positions; `start_offset`/`end_offset`
/// the same range in bytes, for tools that edit buffers.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct Edit {
    /// Path relative to the project root.
    pub file: String,
    /// Start of the replaced range.
    pub start: Position,
    /// End of the replaced range (equal to `start` for an insertion).
    pub end: Position,
    /// Byte offset of `start`.
    pub start_offset: u32,
    /// Byte offset of `end`.
    pub end_offset: u32,
    /// New text.
    pub replacement: String,
}

/// A proposed fix.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct Fix {
    /// What the fix does, imperative ("Add `@@index([customerId])` to `Pet`").
    pub title: String,
    /// Safe or unsafe.
    pub safety: FixSafety,
    /// Text edits, non-overlapping.
    pub edits: Vec<Edit>,
    /// SQL a migration would need, when the fix changes the database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
}

/// One problem found by one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// Rule id (kebab-case).
    pub rule: String,
    /// Effective severity (after configuration).
    pub severity: Severity,
    /// Risk area.
    pub category: Category,
    /// Certain, or heuristic (inferred from names or conventions).
    #[serde(default)]
    pub confidence: Confidence,
    /// What is wrong, naming the model/field/index concretely.
    pub message: String,
    /// Why it matters and what to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Where; absent for project-wide findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Other places involved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// A proposed fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// Stable id: hash of rule, file and semantic anchor (not line numbers).
    pub fingerprint: String,
}
