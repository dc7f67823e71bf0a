//! Baselines: the fingerprints of known findings, so CI reports only new ones.

use crate::report::Report;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A set of accepted finding fingerprints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// Baseline file format version.
    pub version: u32,
    /// Fingerprints of accepted findings.
    pub fingerprints: BTreeSet<String>,
}

/// A baseline file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("invalid baseline file: {0}")]
pub struct BaselineError(String);

impl Baseline {
    /// The baseline accepting every finding of `report`.
    pub fn from_report(report: &Report) -> Self {
        Baseline {
            version: 1,
            fingerprints: report
                .findings
                .iter()
                .map(|f| f.fingerprint.clone())
                .collect(),
        }
    }
    /// Parse a baseline file.
    pub fn from_json(text: &str) -> Result<Self, BaselineError> {
        serde_json::from_str(text).map_err(|e| BaselineError(e.to_string()))
    }
    /// Serialise (pretty, sorted, trailing newline).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
    /// Whether `fingerprint` is known.
    pub fn contains(&self, fingerprint: &str) -> bool {
        self.fingerprints.contains(fingerprint)
    }
}
