//! `schema/config.schema.json` (the JSON Schema of `prisma-audit.toml`) must be what
//! `config_schema::json_schema` generates from the registered rules, must accept every
//! configuration the docs show, and must agree with the configuration reader. Update it with:
//!
//! ```sh
//! UPDATE_DOCS=1 cargo test -p prisma-audit --test config_schema
//! ```

use prisma_audit_core::config_file::parse_toml;
use prisma_audit_core::config_schema::json_schema;
use prisma_audit_core::engine_findings::ENGINE_FINDINGS;
use prisma_audit_core::rule::registry;
use serde_json::Value;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generated() -> String {
    std::hint::black_box(prisma_audit_rules::link());
    json_schema(&registry(), ENGINE_FINDINGS)
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&generated()).unwrap();
    jsonschema::options().build(&schema).unwrap()
}

/// A TOML configuration as the JSON the schema describes.
fn as_json(toml_text: &str) -> Value {
    let table: toml::Table = toml_text
        .parse()
        .unwrap_or_else(|e| panic!("{e}\n{toml_text}"));
    serde_json::to_value(table).unwrap()
}

#[test]
fn committed_schema_is_up_to_date() {
    let path = root().join("schema/config.schema.json");
    let want = generated();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "schema/config.schema.json is stale; regenerate with: \
         UPDATE_DOCS=1 cargo test -p prisma-audit --test config_schema"
    );
}

/// The ```toml blocks of the rule docs and guides that configure rules.
fn documented_configs() -> Vec<(String, String)> {
    let mut files = vec![root().join("README.md")];
    for dir in ["docs", "docs/rules"] {
        let mut entries: Vec<_> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        entries.sort();
        files.extend(entries);
    }
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, block) in text.split("```toml\n").skip(1).enumerate() {
            let block = block.split("```").next().unwrap_or("");
            // Blocks of other TOML files (`migration_lock.toml`) start with a comment naming them.
            if block.starts_with("# ") && !block.starts_with("# prisma-audit.toml") {
                continue;
            }
            let name = format!("{} block {}", file.display(), i + 1);
            out.push((name, block.to_string()));
        }
    }
    out
}

#[test]
fn documented_configurations_are_valid() {
    let validator = validator();
    let configs = documented_configs();
    assert!(configs.len() > 80, "{}", configs.len());
    for (name, text) in configs {
        let json = as_json(&text);
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}:\n{text}\n{}", errors.join("\n"));
        parse_toml(&text, &name).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// The schema and the configuration reader agree on configurations both should reject.
#[test]
fn schema_rejects_what_the_reader_rejects() {
    let validator = validator();
    for text in [
        "fail-on = \"urgent\"\n",
        "unknown-key = 1\n",
        "[categories]\nperfomance = false\n",
        "[rules.no-such-rule]\nenabled = true\n",
        "[rules.missing-fk-index]\nseverity = \"urgent\"\n",
        "[rules.missing-fk-index]\nsome-option = 1\n",
        "[rules.forbid-field]\nforbid = \"id\"\n",
        "[rules.enum-value-case]\nstyle = \"kebab\"\n",
        "[rules.unused-suppression]\nmax = 1\n",
        "[rules]\nfield-order = 3\n",
    ] {
        assert!(parse_toml(text, "t").is_err(), "reader accepts:\n{text}");
        assert!(
            !validator.is_valid(&as_json(text)),
            "schema accepts:\n{text}"
        );
    }
    for text in [
        "fail-on = \"high\"\nmigrations = 3\n",
        "migrations = [\"20240101000000_init\"]\n",
        "[rules]\nmodel-name-pascal-case = true\nfield-order = \"low\"\n",
        "[rules.tenant-key-missing]\ntenantKeys = [\"orgId\"]\n",
        "[rules.require-field]\nrequire = [\"id\", { name = \"orgId\", ifSibling = \"/Id$/\" }]\n",
        "[rules.locking-migration]\nenabled = true\nlargeTables = [\"Order*\"]\n",
    ] {
        parse_toml(text, "t").unwrap_or_else(|e| panic!("{e}"));
        assert!(
            validator.is_valid(&as_json(text)),
            "schema rejects:\n{text}"
        );
    }
}

/// Every option a rule's type declares is explained in its docs' `## Options` section, and
/// every option the section explains exists.
#[test]
fn options_sections_match_the_options_types() {
    std::hint::black_box(prisma_audit_rules::link());
    let mut checked = 0;
    for rule in registry() {
        let meta = rule.meta();
        let docs = meta.docs_markdown();
        let section = docs
            .split("\n## Options\n")
            .nth(1)
            .map(|s| s.split("\n## ").next().unwrap_or(""));
        let Some(schema) = rule.options_schema() else {
            assert!(
                section.is_none(),
                "{}: `## Options` but no options type",
                meta.id
            );
            continue;
        };
        let value = schema.to_value();
        let mut declared: Vec<&str> = value["properties"]
            .as_object()
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        declared.sort_unstable();
        let section =
            section.unwrap_or_else(|| panic!("{}: options without `## Options`", meta.id));
        // Documented options are list items that start with the key in backticks.
        let mut documented: Vec<&str> = section
            .lines()
            .filter_map(|l| l.strip_prefix("- `")?.split('`').next())
            .collect();
        documented.sort_unstable();
        documented.dedup();
        assert_eq!(documented, declared, "{}", meta.id);
        checked += 1;
    }
    assert!(checked >= 20, "{checked}");
}
