//! The JSON Schema of `prisma-audit.toml` (committed at `schema/config.schema.json`), for
//! editors that complete and check TOML against a schema (a `#:schema` comment at the top of
//! the file, or the editor's schema settings). It lists the top-level keys and, for every rule
//! id, the shorthand forms and the `[rules.<id>]` table: `severity`, `enabled` and the rule's
//! own options, taken from [`Rule::options_schema`].

use crate::finding::{Category, Severity};
use crate::rule::{Rule, RuleMeta};
use serde_json::{Map, Value, json};

/// The schema for the rules in `rules` and the engine's findings in `engine`, pretty-printed
/// with a final newline.
pub fn json_schema(rules: &[Box<dyn Rule>], engine: &[&RuleMeta]) -> String {
    let mut defs = Map::new();
    let mut rule_props = Map::new();
    let mut entries: Vec<(&RuleMeta, Option<schemars::Schema>)> = rules
        .iter()
        .map(|r| (r.meta(), r.options_schema()))
        .chain(engine.iter().map(|m| (*m, None)))
        .collect();
    entries.sort_by_key(|(m, _)| m.id);
    for (meta, options) in entries {
        rule_props.insert(meta.id.to_string(), rule_entry(meta, options, &mut defs));
    }
    let severities: Vec<&str> = Severity::ALL.iter().map(|s| s.as_str()).collect();
    let categories: Map<String, Value> = Category::ALL
        .iter()
        .map(|c| {
            (
                c.as_str().to_string(),
                json!({ "type": "boolean", "description": format!("Run the {} rules.", c.title()) }),
            )
        })
        .collect();
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "prisma-audit.toml",
        "description": "Configuration of prisma-audit, read from prisma-audit.toml at the project root.",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "fail-on": {
                "description": "Exit non-zero when a finding of this severity or higher is reported.",
                "enum": severities
            },
            "min-confidence": {
                "description": "Hide findings below this confidence: `certain` hides those inferred from names or conventions.",
                "enum": ["certain", "heuristic"]
            },
            "migrations": {
                "description": "Which migrations the migration safety rules judge: `pending` (default), `all`, the newest N, or a list of migration folder names.",
                "anyOf": [
                    { "enum": ["pending", "all"] },
                    { "type": "integer", "minimum": 0 },
                    { "type": "array", "items": { "type": "string" } }
                ]
            },
            "ignore-models": {
                "description": "Models left out of the audit: glob patterns on model names.",
                "type": "array",
                "items": { "type": "string" }
            },
            "audit-third-party-models": {
                "description": "Also audit the tables libraries own (auth, job queues), which are left out by default.",
                "type": "boolean"
            },
            "code-include": {
                "description": "Read only the application source files matching these globs (paths relative to the project root; `*` matches `/` too).",
                "type": "array",
                "items": { "type": "string" }
            },
            "code-exclude": {
                "description": "Never read the application source files matching these globs.",
                "type": "array",
                "items": { "type": "string" }
            },
            "categories": {
                "description": "Switch whole rule categories on or off.",
                "type": "object",
                "additionalProperties": false,
                "properties": categories
            },
            "rules": {
                "description": "Per-rule settings: `true`/`false`, `\"off\"`/`\"on\"`, a severity, or a table with `severity`, `enabled` and the rule's options.",
                "type": "object",
                "additionalProperties": false,
                "properties": rule_props
            }
        },
        "$defs": defs
    });
    let mut out = serde_json::to_string_pretty(&schema).unwrap_or_default();
    out.push('\n');
    out
}

/// The schema of one `rules.<id>` entry.
fn rule_entry(
    meta: &RuleMeta,
    options: Option<schemars::Schema>,
    defs: &mut Map<String, Value>,
) -> Value {
    let severities: Vec<&str> = Severity::ALL.iter().map(|s| s.as_str()).collect();
    let mut table = Map::new();
    table.insert(
        "severity".into(),
        json!({ "description": "Severity of this rule's findings.", "enum": severities }),
    );
    table.insert(
        "enabled".into(),
        json!({ "description": "Force the rule on or off.", "type": "boolean" }),
    );
    let mut additional = false;
    if let Some(schema) = options {
        let schema = hoist_defs(meta.id, schema.to_value(), defs);
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (k, v) in props {
                table.insert(k.clone(), v.clone());
            }
        }
        // A rule whose options type accepts unknown keys keeps accepting them.
        additional = schema.get("additionalProperties") != Some(&Value::Bool(false));
    }
    let shorthand: Vec<&str> = ["off", "on"].into_iter().chain(severities).collect();
    json!({
        "description": format!("{} ({}, {} by default)", meta.summary, meta.default_severity.as_str(),
            if meta.default_enabled { "on" } else { "off" }),
        "anyOf": [
            { "type": "boolean" },
            { "enum": shorthand },
            { "type": "object", "additionalProperties": additional, "properties": table }
        ]
    })
}

/// Move the `$defs` of a rule's options schema into the shared `defs`, renaming a definition
/// whose name is taken by a different one (`<rule-id>.<name>`), and rewrite its references.
fn hoist_defs(id: &str, mut schema: Value, defs: &mut Map<String, Value>) -> Value {
    let Some(local) = schema
        .as_object_mut()
        .and_then(|o| o.remove("$defs"))
        .and_then(|d| d.as_object().cloned())
    else {
        return schema;
    };
    let mut text = serde_json::to_string(&schema).unwrap_or_default();
    let mut local_defs: Vec<(String, Value)> = local.into_iter().collect();
    let renames: Vec<(String, String)> = local_defs
        .iter()
        .filter(|(name, def)| defs.get(name).is_some_and(|d| d != def))
        .map(|(name, _)| (name.clone(), format!("{id}.{name}")))
        .collect();
    for (old, new) in &renames {
        let (from, to) = (format!("\"#/$defs/{old}\""), format!("\"#/$defs/{new}\""));
        text = text.replace(&from, &to);
        for (_, def) in local_defs.iter_mut() {
            let t = serde_json::to_string(def).unwrap_or_default();
            *def = serde_json::from_str(&t.replace(&from, &to)).unwrap_or_default();
        }
    }
    for (name, def) in local_defs {
        let name = renames
            .iter()
            .find(|(old, _)| *old == name)
            .map_or(name.clone(), |(_, new)| new.clone());
        defs.insert(name, def);
    }
    serde_json::from_str(&text).unwrap_or(schema)
}
