//! Configuration files: `prisma-audit.toml` and prisma-lint's `.prismalintrc.json`, parsed into
//! a [`Config`] and validated against the rule registry.
//!
//! ```toml
//! fail-on = "high"                  # exit non-zero at or above this severity
//!
//! [categories]
//! performance = false               # switch a whole category off
//!
//! [rules.missing-fk-index]
//! severity = "low"                  # override the severity
//! enabled = true                    # force on or off
//! some-option = ["a", "b"]          # everything else is a rule option
//!
//! [rules]
//! model-name-pascal-case = true     # shorthand: on/off ...
//! some-rule = "off"                 # ... or "off" / a severity
//! ```
//!
//! Every error names the file and the key, in one line.

use crate::config::{Config, RuleConfig};
use crate::finding::{Category, Confidence, Severity};
use crate::project::{Project, normalize_path};
use crate::rule::{Rule, registry};
use crate::sql::MigrationScope;
use std::str::FromStr;

/// The default configuration file at the project root.
pub const TOML_FILE: &str = "prisma-audit.toml";
/// prisma-lint's configuration file, accepted as a configuration source.
pub const PRISMALINT_FILE: &str = ".prismalintrc.json";

/// A configuration file that cannot be used. Messages are one line and start with the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The explicit configuration file does not exist.
    #[error("configuration file `{0}` not found")]
    NotFound(String),
    /// The file is not UTF-8 text.
    #[error("{0}: not valid UTF-8 text")]
    NotText(String),
    /// TOML or JSON syntax error.
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A key or value the configuration does not accept.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong, naming the key.
        message: String,
    },
}

fn invalid(path: &str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        path: path.to_string(),
        message: message.into(),
    }
}

/// Load the project's configuration: the explicit file (a path relative to the project root),
/// or `prisma-audit.toml` and/or `.prismalintrc.json` at the root (when both exist, the TOML
/// file's settings win rule by rule), or the defaults. Returns warnings alongside (prisma-lint
/// rules prisma-audit does not have).
pub fn load_config(
    project: &Project,
    explicit: Option<&str>,
) -> Result<(Config, Vec<String>), ConfigError> {
    if let Some(path) = explicit {
        let path = normalize_path(path);
        let id = project
            .file_id(&path)
            .ok_or_else(|| ConfigError::NotFound(path.clone()))?;
        let file = project
            .file(id)
            .ok_or_else(|| ConfigError::NotFound(path.clone()))?;
        let text = file
            .text()
            .ok_or_else(|| ConfigError::NotText(path.clone()))?;
        return parse_any(text, &path);
    }
    let mut config = Config::default();
    let mut warnings = Vec::new();
    if project.file_id(PRISMALINT_FILE).is_some() {
        let text = project
            .text_of(PRISMALINT_FILE)
            .ok_or_else(|| ConfigError::NotText(PRISMALINT_FILE.into()))?;
        let (lint, w) = parse_prismalintrc(text, PRISMALINT_FILE)?;
        config = lint;
        warnings = w;
    }
    if project.file_id(TOML_FILE).is_some() {
        let text = project
            .text_of(TOML_FILE)
            .ok_or_else(|| ConfigError::NotText(TOML_FILE.into()))?;
        let toml = parse_toml(text, TOML_FILE)?;
        config = merge(config, toml);
    }
    Ok((config, warnings))
}

/// Parse a configuration file of either kind, chosen by its name (`*.json` is prisma-lint's).
pub fn parse_any(text: &str, path: &str) -> Result<(Config, Vec<String>), ConfigError> {
    if path.ends_with(".json") {
        parse_prismalintrc(text, path)
    } else {
        parse_toml(text, path).map(|c| (c, Vec::new()))
    }
}

/// `over` wins over `base`, key by key.
fn merge(mut base: Config, over: Config) -> Config {
    for (id, rule) in over.rules {
        let entry = base.rules.entry(id).or_default();
        if rule.enabled.is_some() {
            entry.enabled = rule.enabled;
        }
        if rule.severity.is_some() {
            entry.severity = rule.severity;
        }
        entry.options.extend(rule.options);
    }
    base.categories.extend(over.categories);
    if over.select.is_some() {
        base.select = over.select;
    }
    base.ignore.extend(over.ignore);
    if over.fail_on.is_some() {
        base.fail_on = over.fail_on;
    }
    if over.min_confidence.is_some() {
        base.min_confidence = over.min_confidence;
    }
    base.ignore_models.extend(over.ignore_models);
    base.code.include.extend(over.code.include);
    base.code.exclude.extend(over.code.exclude);
    base.audit_third_party_models |= over.audit_third_party_models;
    if over.migrations != MigrationScope::Pending {
        base.migrations = over.migrations;
    }
    base
}

/// Top-level keys of `prisma-audit.toml`.
const KEYS: [&str; 9] = [
    "fail-on",
    "min-confidence",
    "migrations",
    "ignore-models",
    "audit-third-party-models",
    "code-include",
    "code-exclude",
    "categories",
    "rules",
];

/// Parse `prisma-audit.toml` text; `path` is used in messages.
pub fn parse_toml(text: &str, path: &str) -> Result<Config, ConfigError> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        ConfigError::Syntax {
            path: path.to_string(),
            line,
            column,
            message: one_line(e.message()),
        }
    })?;
    let known = KnownRules::new();
    let mut config = Config::default();
    for (key, value) in &table {
        match key.as_str() {
            "fail-on" => {
                let s = value.as_str().ok_or_else(|| {
                    invalid(
                        path,
                        format!("`fail-on` must be a string, found {}", value.type_str()),
                    )
                })?;
                let sev =
                    Severity::from_str(s).map_err(|e| invalid(path, format!("`fail-on`: {e}")))?;
                config.fail_on = Some(sev);
            }
            "min-confidence" => {
                let s = value.as_str().ok_or_else(|| {
                    invalid(
                        path,
                        format!(
                            "`min-confidence` must be a string, found {}",
                            value.type_str()
                        ),
                    )
                })?;
                let c = Confidence::from_str(s)
                    .map_err(|e| invalid(path, format!("`min-confidence`: {e}")))?;
                config.min_confidence = Some(c);
            }
            "ignore-models" => {
                let items = value.as_array().ok_or_else(|| {
                    invalid(path, "`ignore-models` must be an array of glob patterns")
                })?;
                for item in items {
                    let p = item.as_str().ok_or_else(|| {
                        invalid(path, "`ignore-models` must be an array of glob patterns")
                    })?;
                    config.ignore_models.push(p.to_string());
                }
            }
            "code-include" | "code-exclude" => {
                let bad = || invalid(path, format!("`{key}` must be an array of glob patterns"));
                let items = value.as_array().ok_or_else(bad)?;
                let mut globs = Vec::new();
                for item in items {
                    globs.push(item.as_str().ok_or_else(bad)?.to_string());
                }
                if key == "code-include" {
                    config.code.include = globs;
                } else {
                    config.code.exclude = globs;
                }
            }
            "migrations" => {
                config.migrations = migrations_value(value).map_err(|e| invalid(path, e))?;
            }
            "audit-third-party-models" => {
                config.audit_third_party_models = value.as_bool().ok_or_else(|| {
                    invalid(path, "`audit-third-party-models` must be true or false")
                })?;
            }
            "categories" => {
                let t = value
                    .as_table()
                    .ok_or_else(|| invalid(path, "`categories` must be a table"))?;
                for (name, on) in t {
                    let category = Category::from_str(name).map_err(|_| {
                        let known: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
                        invalid(
                            path,
                            format!(
                                "unknown category `{name}` in [categories]{} (known: {})",
                                did_you_mean(name, known.iter().copied()),
                                known.join(", ")
                            ),
                        )
                    })?;
                    let on = on.as_bool().ok_or_else(|| {
                        invalid(path, format!("[categories] `{name}` must be true or false"))
                    })?;
                    config.categories.insert(category, on);
                }
            }
            "rules" => {
                let t = value
                    .as_table()
                    .ok_or_else(|| invalid(path, "`rules` must be a table"))?;
                for (id, value) in t {
                    if let Err(CheckError::Unknown(m)) =
                        known.check(id, " in [rules]", &Default::default())
                    {
                        return Err(invalid(path, m));
                    }
                    let rc = toml_rule_config(id, value).map_err(|m| invalid(path, m))?;
                    if let Err(CheckError::Options(e)) = known.check(id, "", &rc.options) {
                        return Err(invalid(path, format!("[rules.{id}]: {e}")));
                    }
                    config.rules.insert(id.clone(), rc);
                }
            }
            other => {
                return Err(invalid(
                    path,
                    format!(
                        "unknown key `{other}`{} (expected fail-on, min-confidence, \
                         migrations, ignore-models, audit-third-party-models, code-include, code-exclude, [categories] or [rules])",
                        did_you_mean(other, KEYS)
                    ),
                ));
            }
        }
    }
    Ok(config)
}

/// `migrations = "pending" | "all" | N | ["folder", ...]`.
fn migrations_value(value: &toml::Value) -> Result<MigrationScope, String> {
    match value {
        toml::Value::String(s) => s
            .parse::<MigrationScope>()
            .map_err(|e| format!("`migrations`: {e}")),
        toml::Value::Integer(n) if *n >= 0 => Ok(MigrationScope::Latest(*n as usize)),
        toml::Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(MigrationScope::Folders)
            .ok_or_else(|| "`migrations`: a list holds migration folder names".to_string()),
        _ => Err(
            "`migrations` must be \"pending\", \"all\", a number or a list of migration folders"
                .to_string(),
        ),
    }
}

/// One `[rules.<id>]` entry: a table, a boolean, or a string (`"off"`, `"on"` or a severity).
fn toml_rule_config(id: &str, value: &toml::Value) -> Result<RuleConfig, String> {
    let mut rc = RuleConfig::default();
    match value {
        toml::Value::Boolean(b) => rc.enabled = Some(*b),
        toml::Value::String(s) => match s.as_str() {
            "off" => rc.enabled = Some(false),
            "on" => rc.enabled = Some(true),
            s => {
                rc.severity =
                    Some(Severity::from_str(s).map_err(|e| format!("[rules] `{id}`: {e} or off"))?);
                rc.enabled = Some(true);
            }
        },
        toml::Value::Table(t) => {
            for (key, v) in t {
                match key.as_str() {
                    "severity" => {
                        let s = v.as_str().ok_or_else(|| {
                            format!(
                                "[rules.{id}] `severity` must be a string, found {}",
                                v.type_str()
                            )
                        })?;
                        rc.severity = Some(
                            Severity::from_str(s)
                                .map_err(|e| format!("[rules.{id}] `severity`: {e}"))?,
                        );
                    }
                    "enabled" => {
                        rc.enabled = Some(v.as_bool().ok_or_else(|| {
                            format!(
                                "[rules.{id}] `enabled` must be true or false, found {}",
                                v.type_str()
                            )
                        })?);
                    }
                    _ => {
                        rc.options.insert(key.clone(), toml_to_json(v));
                    }
                }
            }
        }
        other => {
            return Err(format!(
                "[rules] `{id}` must be a table, a boolean or a string, found {}",
                other.type_str()
            ));
        }
    }
    Ok(rc)
}

fn toml_to_json(value: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => J::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

/// Parse prisma-lint's `.prismalintrc.json`:
/// `{ "rules": { "model-name-pascal-case": ["error", { ...options }], "other": "off" } }`.
/// Rules map to prisma-audit rules with the same id; ids prisma-audit does not have become
/// warnings (not errors), so a prisma-lint configuration keeps working while rules are added.
pub fn parse_prismalintrc(text: &str, path: &str) -> Result<(Config, Vec<String>), ConfigError> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| ConfigError::Syntax {
        path: path.to_string(),
        line: e.line().max(1),
        column: e.column().max(1),
        message: one_line(
            &e.to_string()
                .replace(&format!(" at line {} column {}", e.line(), e.column()), ""),
        ),
    })?;
    let obj = json
        .as_object()
        .ok_or_else(|| invalid(path, "expected a JSON object"))?;
    let known = KnownRules::new();
    let mut config = Config::default();
    let mut warnings = Vec::new();
    for (key, value) in obj {
        if key != "rules" {
            warnings.push(format!("{path}: ignoring unknown key `{key}`"));
            continue;
        }
        let entries = value
            .as_object()
            .ok_or_else(|| invalid(path, "`rules` must be an object"))?;
        for (id, setting) in entries {
            let (level, options) = match setting {
                serde_json::Value::String(level) => (level.as_str(), None),
                serde_json::Value::Array(items) => match items.as_slice() {
                    [serde_json::Value::String(level)] => (level.as_str(), None),
                    [serde_json::Value::String(level), opts] => (level.as_str(), Some(opts)),
                    _ => {
                        return Err(invalid(
                            path,
                            format!("rules.{id}: expected [\"error\" | \"off\", {{ options }}]"),
                        ));
                    }
                },
                _ => {
                    return Err(invalid(
                        path,
                        format!(
                            "rules.{id}: expected \"error\", \"off\" or [\"error\", {{ options }}]"
                        ),
                    ));
                }
            };
            let enabled = match level {
                "error" | "warn" | "on" => true,
                "off" => false,
                other => {
                    return Err(invalid(
                        path,
                        format!(
                            "rules.{id}: unknown level `{other}` (expected \"error\" or \"off\")"
                        ),
                    ));
                }
            };
            if let Err(CheckError::Unknown(_)) = known.check(id, "", &Default::default()) {
                warnings.push(format!(
                    "{path}: prisma-lint rule `{id}` is not available in prisma-audit; ignored"
                ));
                continue;
            }
            let mut rc = RuleConfig {
                enabled: Some(enabled),
                ..RuleConfig::default()
            };
            match options {
                None => {}
                Some(serde_json::Value::Object(map)) => rc.options = map.clone(),
                Some(_) => {
                    return Err(invalid(
                        path,
                        format!("rules.{id}: options must be an object"),
                    ));
                }
            }
            if let Err(CheckError::Options(e)) = known.check(id, "", &rc.options) {
                return Err(invalid(path, format!("rules.{id}: {e}")));
            }
            config.rules.insert(id.clone(), rc);
        }
    }
    Ok((config, warnings))
}

/// The rule ids a configuration may name: the registered rules and the engine's findings.
struct KnownRules {
    rules: Vec<Box<dyn Rule>>,
    metas: Vec<&'static crate::rule::RuleMeta>,
}

impl KnownRules {
    fn new() -> Self {
        Self {
            rules: registry(),
            metas: crate::rule::rule_metas(),
        }
    }

    /// Check that `id` is known (else a message naming it with a suggestion) and that
    /// `options` suit it; the engine's findings take no options.
    fn check(
        &self,
        id: &str,
        context: &str,
        options: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), CheckError> {
        if !self.metas.iter().any(|m| m.id == id) {
            return Err(CheckError::Unknown(format!(
                "unknown rule `{id}`{context}{}",
                did_you_mean(id, self.metas.iter().map(|m| m.id))
            )));
        }
        let result = match self.rules.iter().find(|r| r.meta().id == id) {
            Some(rule) => rule.validate_options(options),
            None => match options.keys().next() {
                Some(key) => Err(format!("unknown option `{key}` (this rule has no options)")),
                None => Ok(()),
            },
        };
        result.map_err(CheckError::Options)
    }
}

/// Why a rule entry of a configuration is rejected.
enum CheckError {
    /// The id names no rule (message with a suggestion).
    Unknown(String),
    /// The options do not suit the rule.
    Options(String),
}

/// Check rule ids given on the command line (`--select`, `--ignore`) against the registry.
/// The error names the first unknown id and suggests the closest registered one.
pub fn check_rule_ids<'a>(ids: impl IntoIterator<Item = &'a str>) -> Result<(), String> {
    let known = KnownRules::new();
    for id in ids {
        if let Err(CheckError::Unknown(message)) = known.check(id, "", &Default::default()) {
            return Err(message);
        }
    }
    Ok(())
}

/// ` (did you mean `x`?)` for the closest candidate within a small edit distance, else "".
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (levenshtein(word, c), c))
        .filter(|&(d, c)| d <= limit || c.starts_with(word) && !word.is_empty())
        .min()
        .map(|(_, c)| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

fn one_line(message: &str) -> String {
    message
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches('.')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_and_suggestions() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "ab"), 2);
        assert_eq!(
            did_you_mean("missing-fk-idx", ["missing-fk-index", "invalid-schema"]),
            " (did you mean `missing-fk-index`?)"
        );
        assert_eq!(did_you_mean("zzzzzzzz", ["invalid-schema"]), "");
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
        assert_eq!(line_col("x", 99), (1, 2));
    }
}
