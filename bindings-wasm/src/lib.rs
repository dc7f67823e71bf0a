//! WebAssembly binding of prisma-audit (wasm-bindgen), for the browser and Node.
//!
//! ```js
//! import init, { audit, render, rules, version } from './pkg-web/prisma_audit_wasm.js';
//! await init();
//! const report = audit('model User { id Int @id }');          // one schema string
//! const report2 = audit({ 'prisma/schema.prisma': schema,      // or a project as path → text
//!                         'prisma/migrations/0_init/migration.sql': sql,
//!                         'package.json': pkg, '.env': env });
//! const md = render(input, 'markdown');                        // text/json/markdown/sarif/github
//! ```
//!
//! The binding is thin: it converts JS values into the shared API's inputs
//! (`prisma-audit-api`, the same code the Python and Node bindings run), and hands back the
//! report exactly as its JSON Schema (`schema/report.schema.json`) describes it. Invalid input
//! (bad config, no schema, a non-string value) becomes a JS `Error` with a one-line message.

use prisma_audit_api::{Audited, ConfigInput, Input};
use prisma_audit_core::Project;
use wasm_bindgen::prelude::*;

/// Where a single schema string is placed in the in-memory project.
pub const SINGLE_SCHEMA_PATH: &str = "prisma/schema.prisma";

/// Display name of the in-memory project root.
const ROOT: &str = "input";

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** The audit input: one `schema.prisma` text, or a project as a map of path → contents
 * (schema files, `prisma/migrations/<name>/migration.sql`, `migration_lock.toml`,
 * `package.json`, `.env`, `prisma-audit.toml`, ...). Paths are relative, `/`-separated. */
export type AuditInput = string | Record<string, string | Uint8Array>;

/** Configuration: the text of a `prisma-audit.toml`, or the same keys as an object,
 * e.g. `{ rules: { "invalid-schema": "off" }, categories: { performance: false } }`.
 * When omitted, `prisma-audit.toml` / `.prismalintrc.json` in the input map are used. */
export type AuditConfig = string | Record<string, unknown>;

export type Severity = "critical" | "high" | "medium" | "low" | "info";
export type Category = "migration-integrity" | "data-integrity" | "performance" | "type-safety" | "security" | "scalability-and-operations" | "style";
export type Verdict = "not-ready" | "ready-with-fixes" | "ready";
export type Risk = "critical" | "high" | "medium" | "low";
export type FixSafety = "safe" | "unsafe";
export type Confidence = "certain" | "heuristic";
export type ReportFormat = "text" | "json" | "markdown" | "sarif" | "github";

/** 1-based line; 1-based column counted in characters (Unicode scalar values). */
export interface Position { line: number; column: number; }
export interface Location { file: string; start: Position; end: Position; }
export interface Related { message: string; location: Location; }
export interface Edit {
  file: string; start: Position; end: Position;
  /** Byte offsets (UTF-8) in the file. */
  start_offset: number; end_offset: number;
  replacement: string;
}
export interface Fix { title: string; safety: FixSafety; edits: Edit[]; sql?: string | null; }
export interface Finding {
  rule: string; severity: Severity; category: Category; confidence?: Confidence; message: string;
  help?: string | null; location?: Location | null; related?: Related[];
  fix?: Fix | null; fingerprint: string;
}
export interface Counts { critical: number; high: number; medium: number; low: number; info: number; }
export interface CategorySummary { category: Category; risk: Risk; findings: number; }
export interface Summary {
  verdict: Verdict; counts: Counts; categories: CategorySummary[];
  suppressed?: number; baselined?: number; ignored_models?: number; below_min_confidence?: number;
  outside_migration_scope?: number;
}
export interface ToolInfo { name: string; version: string; }
export interface ProjectInfo {
  root: string; provider?: string | null; prisma_version?: string | null;
  schema_files: string[]; migrations: number; models: number; enums: number; views: number;
  rules_run: number; excluded_models?: string[]; migration_scope?: ScopeInfo | null;
}
export interface ScopeInfo { mode: string; source: string; judged: string[]; not_judged: number; }
/** The report, as described by `schema/report.schema.json`. */
export interface Report {
  schema_version: string; tool: ToolInfo; project: ProjectInfo; summary: Summary;
  findings: Finding[]; strengths?: string[];
}
/** A byte range in a source file (UTF-8 offsets, end exclusive). */
export interface ByteSpan { start: number; end: number; }
/** The Prisma Client calls of one source file, as `schema/queries.schema.json` describes them
 * (model, operation, `where` tree, `orderBy`, `take`, selections, raw SQL), with the file's
 * interactive transactions, number conversions and `new PrismaClient` expressions. */
export interface FileQueries {
  path: string; role: "app" | "test" | "seed" | "script";
  calls: { span: ByteSpan; receiver: string; via: string; accessor?: string; model?: string;
           operation: string; args?: Record<string, unknown>; raw?: Record<string, unknown>; }[];
  sqlFragments?: Record<string, unknown>[];
  transactions?: Record<string, unknown>[];
  numberConversions?: Record<string, unknown>[];
  clients?: Record<string, unknown>[];
  readsGlobal?: boolean;
  syntaxError?: { message: string; span?: ByteSpan };
}
/** Metadata of one built-in rule. */
export interface RuleInfo {
  id: string; summary: string; category: Category; default_severity: Severity;
  fixable: boolean; default_enabled: boolean;
  /** Markdown documentation (What it does / Why is this bad? / Example / Fix / References). */
  docs: string;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// TS-only type names for the signatures below.
    #[wasm_bindgen(typescript_type = "AuditInput")]
    pub type AuditInput;
    #[wasm_bindgen(typescript_type = "AuditConfig | null | undefined")]
    pub type AuditConfigArg;
    #[wasm_bindgen(typescript_type = "Report")]
    pub type ReportJs;
    #[wasm_bindgen(typescript_type = "RuleInfo[]")]
    pub type RuleInfoArray;
    #[wasm_bindgen(typescript_type = "FileQueries[]")]
    pub type FileQueriesArray;
}

/// Audit `input` (a schema string or a path → text map) and return the report as a plain
/// object matching `schema/report.schema.json`.
#[wasm_bindgen(skip_typescript)]
pub fn audit(input: AuditInput, config: Option<AuditConfigArg>) -> Result<ReportJs, JsError> {
    let audited = audit_input(&input, config.as_deref())?;
    let json = serde_json::to_string(&audited.report).map_err(|e| JsError::new(&e.to_string()))?;
    let value = js_sys::JSON::parse(&json).map_err(|_| JsError::new("cannot build the report"))?;
    Ok(value.unchecked_into())
}

/// Audit `input` and render the report as `format` (`text`, `json`, `markdown`, `sarif` or
/// `github`); text is rendered without colours.
#[wasm_bindgen(skip_typescript)]
pub fn render(
    input: AuditInput,
    format: &str,
    config: Option<AuditConfigArg>,
) -> Result<String, JsError> {
    let audited = audit_input(&input, config.as_deref())?;
    prisma_audit_api::render_as(&audited, format).map_err(|e| JsError::new(&e.message))
}

/// Metadata of every built-in rule, sorted by id.
#[wasm_bindgen(skip_typescript)]
pub fn rules() -> Result<RuleInfoArray, JsError> {
    let list: Vec<serde_json::Value> = prisma_audit_api::metas()
        .iter()
        .map(|m| {
            serde_json::json!({
                "id": m.id,
                "summary": m.summary,
                "category": m.category,
                "default_severity": m.default_severity,
                "fixable": m.fixable,
                "default_enabled": m.default_enabled,
                "docs": m.docs_markdown(),
            })
        })
        .collect();
    let json = serde_json::to_string(&list).map_err(|e| JsError::new(&e.to_string()))?;
    let value = js_sys::JSON::parse(&json).map_err(|_| JsError::new("cannot list the rules"))?;
    Ok(value.unchecked_into())
}

/// The Prisma Client calls of the application code in `input` (a project map holding the
/// schema and `.ts`/`.js` files), as plain objects matching `schema/queries.schema.json`.
#[wasm_bindgen(skip_typescript)]
pub fn queries(input: AuditInput) -> Result<FileQueriesArray, JsError> {
    let project = Project::from_files(ROOT, files_from_js(&input)?);
    let json = prisma_audit_api::queries_json(Input::Project(project), None)
        .map_err(|e| JsError::new(&e.message))?;
    let value = js_sys::JSON::parse(&json).map_err(|_| JsError::new("cannot build the queries"))?;
    Ok(value.unchecked_into())
}

/// Number of rule ids (the same as `rules().length`; a cheap link check).
#[wasm_bindgen(js_name = ruleCount)]
pub fn rule_count() -> usize {
    prisma_audit_api::rule_count()
}

/// The prisma-audit version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[wasm_bindgen(typescript_custom_section)]
const TS_FUNCTIONS: &'static str = r#"
/** Audit a schema string or a project map; throws an Error with a message on invalid input. */
export function audit(input: AuditInput, config?: AuditConfig | null): Report;
/** Audit, then render the report as text (no colours), JSON, Markdown, SARIF 2.1.0 or GitHub annotations. */
export function render(input: AuditInput, format: ReportFormat, config?: AuditConfig | null): string;
/** Metadata of every built-in rule, sorted by id. */
export function rules(): RuleInfo[];
/** The Prisma Client calls of the TypeScript/JavaScript files in a project map. */
export function queries(input: AuditInput): FileQueries[];
"#;

fn audit_input(input: &JsValue, config: Option<&JsValue>) -> Result<Audited, JsError> {
    let project = Project::from_files(ROOT, files_from_js(input)?);
    let config = config_from_js(config)?;
    prisma_audit_api::run(Input::Project(project), config, None, None)
        .map_err(|e| JsError::new(&e.message))
}

fn files_from_js(input: &JsValue) -> Result<Vec<(String, Vec<u8>)>, JsError> {
    if let Some(text) = input.as_string() {
        return Ok(vec![(SINGLE_SCHEMA_PATH.to_string(), text.into_bytes())]);
    }
    if !input.is_object() || input.is_null() || js_sys::Array::is_array(input) {
        return Err(JsError::new(
            "input must be a schema string or an object mapping paths to file contents",
        ));
    }
    let entries = js_sys::Object::entries(input.unchecked_ref());
    let mut files: Vec<(String, Vec<u8>)> = Vec::with_capacity(entries.length() as usize);
    for entry in entries.iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let path = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1);
        let bytes = if let Some(text) = value.as_string() {
            text.into_bytes()
        } else if value.is_instance_of::<js_sys::Uint8Array>() {
            value.unchecked_into::<js_sys::Uint8Array>().to_vec()
        } else {
            return Err(JsError::new(&format!(
                "input[{path:?}] must be a string or a Uint8Array"
            )));
        };
        files.push((path, bytes));
    }
    if files.is_empty() {
        return Err(JsError::new("input has no files"));
    }
    Ok(files)
}

fn config_from_js(config: Option<&JsValue>) -> Result<ConfigInput, JsError> {
    let Some(config) = config.filter(|c| !c.is_undefined() && !c.is_null()) else {
        return Ok(ConfigInput::Discover);
    };
    if let Some(text) = config.as_string() {
        return Ok(ConfigInput::Toml(text));
    }
    if !config.is_object() || js_sys::Array::is_array(config) {
        return Err(JsError::new(
            "config must be prisma-audit.toml text or an object with the same keys",
        ));
    }
    let json = js_sys::JSON::stringify(config)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| JsError::new("config: cannot read the object"))?;
    let value: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| JsError::new(&format!("config: {e}")))?;
    Ok(ConfigInput::Table(value))
}
