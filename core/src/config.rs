//! Configuration: which rules run, at what severity, with which options, and when to fail.
//!
//! Parsing (`prisma-audit.toml`, `.prismalintrc.json`) and validation against the registry live
//! in [`crate::config_file`]; this module holds the resolved, typed configuration.

use crate::finding::{Category, Confidence, Severity};
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
    /// Report only findings at least this sure (`min-confidence = "certain"` hides findings
    /// inferred from names); default: every finding.
    pub min_confidence: Option<Confidence>,
    /// Models (or their tables) the project does not own: glob patterns (`*`, `?`) matched
    /// against the model name and the table name. Findings inside them are not reported.
    pub ignore_models: Vec<String>,
    /// Also audit tables that a well-known library owns (Auth.js, Better Auth, Supabase,
    /// SAML Jackson, ...; see [`crate::model::third_party`]). Default: left out.
    pub audit_third_party_models: bool,
    /// Which application source files are read (`code-include`, `code-exclude`): glob
    /// patterns on paths relative to the project root (`*` matches any run of characters,
    /// `/` included). Empty include: every source file; exclude wins.
    pub code: crate::application::CodeScope,
    /// Which migrations the safety rules judge (`migrations = "pending" | "all" | N | [folders]`).
    pub migrations: crate::sql::MigrationScope,
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

    /// Whether findings inside `model` are left out: it matches `ignore-models`, or a library
    /// owns it and third-party models are not audited. Returns the reason.
    pub fn model_exclusion(&self, model: &crate::model::Model) -> Option<String> {
        let table = model.db_name();
        if let Some(p) = self
            .ignore_models
            .iter()
            .find(|p| glob_match(p, &model.name) || glob_match(p, table))
        {
            return Some(format!("ignore-models `{p}`"));
        }
        if self.audit_third_party_models {
            return None;
        }
        crate::model::third_party::owner(model).map(|owner| format!("owned by {owner}"))
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

/// `*` (any run of characters) and `?` (one character) glob match, whole string.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs() {
        assert!(glob_match("jackson_*", "jackson_store"));
        assert!(glob_match("*Token", "VerificationToken"));
        assert!(glob_match("Us?r", "User"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("jackson_*", "xjackson_store"));
        assert!(!glob_match("User", "Users"));
        assert!(glob_match("a*b*c", "aXbYbZc"));
        assert!(!glob_match("a*b*c", "aXbYbZ"));
    }
}
