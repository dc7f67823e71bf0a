//! Configuration: which rules run, at what severity, with which options, and when to fail.
//!
//! Parsing (`prisma-audit.toml`, `.prismalintrc.json`) and validation against the registry live
//! in [`crate::config_file`]; this module holds the resolved, typed configuration.

use crate::finding::{Category, Severity};
use crate::rule::RuleMeta;
use std::collections::BTreeMap;

/// Per-rule settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleConfig {
    /// Force the rule on or off (default: the rule's `default_enabled`).
    pub enabled: Option<bool>,
    /// Override the severity of every finding of the rule.
    pub severity: Option<Severity>,
    /// Typed options, validated by the rule.
    pub options: serde_json::Map<String, serde_json::Value>,
}

/// The resolved configuration of one audit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// Settings by rule id.
    pub rules: BTreeMap<String, RuleConfig>,
    /// Categories switched on or off as a whole.
    pub categories: BTreeMap<Category, bool>,
    /// When set, only these rule ids run (`--select`).
    pub select: Option<Vec<String>>,
    /// Rule ids that never run (`--ignore`).
    pub ignore: Vec<String>,
    /// Exit non-zero when a finding at or above this severity remains.
    pub fail_on: Option<Severity>,
}

impl Config {
    /// Whether `rule` runs. Precedence: `--ignore`, `--select`, per-rule `enabled`, category
    /// switch, the rule's default.
    pub fn is_enabled(&self, rule: &RuleMeta) -> bool {
        if self.ignore.iter().any(|id| id == rule.id) {
            return false;
        }
        if let Some(select) = &self.select {
            return select.iter().any(|id| id == rule.id);
        }
        if let Some(enabled) = self.rules.get(rule.id).and_then(|r| r.enabled) {
            return enabled;
        }
        if let Some(&on) = self.categories.get(&rule.category) {
            return on && rule.default_enabled;
        }
        rule.default_enabled
    }

    /// The configured severity override of `rule`, if any.
    pub fn severity_override(&self, rule: &RuleMeta) -> Option<Severity> {
        self.rules.get(rule.id).and_then(|r| r.severity)
    }

    /// The options of `rule` (empty when unconfigured).
    pub fn options(&self, id: &str) -> &serde_json::Map<String, serde_json::Value> {
        static EMPTY: std::sync::OnceLock<serde_json::Map<String, serde_json::Value>> =
            std::sync::OnceLock::new();
        self.rules
            .get(id)
            .map(|r| &r.options)
            .unwrap_or_else(|| EMPTY.get_or_init(serde_json::Map::new))
    }
}
