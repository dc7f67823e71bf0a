//! Native half of the npm package `prisma-audit` (`binding.js` loads it). The public API
//! (`audit`, `auditAsync`, `rules`, `version`, typed in `index.d.ts`) lives in `index.js`; this
//! addon only converts inputs, runs the core audit and returns the report as JSON text.
//!
//! Errors are thrown with the message `[CODE] message`; `index.js` moves `CODE` to `error.code`.

// One engine for both bindings: load + configure + audit exactly like the CLI.
use prisma_audit_api as engine;

/// The addon allocates through mimalloc, as the CLI does: it reuses freed memory for the next
/// audit instead of handing it back to the kernel at once and faulting it in again, as glibc
/// does for results over its trim threshold (large schemas; BENCHMARKS.md). `local_dynamic_tls`
/// (Cargo.toml) because the addon is loaded with `dlopen`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use engine::{ConfigInput, Input};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::collections::HashMap;
use std::path::PathBuf;

/// Inputs of one audit, as `index.js` passes them.
#[napi(object)]
pub struct NativeOptions {
    /// Project directory or `.prisma` file.
    pub path: Option<String>,
    /// In-memory files: relative path → text.
    pub files: Option<HashMap<String, String>>,
    /// Configuration table as JSON text (keys of prisma-audit.toml).
    pub config_json: Option<String>,
    /// Configuration file path.
    pub config_path: Option<String>,
    /// Schema file or folder relative to the root (`--schema`).
    pub schema: Option<String>,
    /// Which migrations the safety rules judge, as JSON: `"pending"`, `"all"`, a number or a
    /// list of pending migration folder names.
    pub migrations_json: Option<String>,
    /// Output format: `json-compact` (default), `json`, `markdown`, `sarif`, `text`, `github`,
    /// or `queries` for the Prisma Client calls of the application code (JSON, no audit).
    pub format: Option<String>,
}

fn coded(kind: engine::ErrorKind, message: impl std::fmt::Display) -> Error {
    Error::new(
        Status::GenericFailure,
        format!("[{}] {message}", kind.code()),
    )
}

fn run(opts: NativeOptions) -> Result<String> {
    let input = match (opts.path, opts.files) {
        (Some(_), Some(_)) => {
            return Err(coded(
                engine::ErrorKind::Input,
                "pass either `path` or `files`, not both",
            ));
        }
        (Some(path), None) => Input::Path(PathBuf::from(path)),
        (None, Some(files)) => {
            let mut files: Vec<(String, Vec<u8>)> = files
                .into_iter()
                .map(|(k, v)| (k, v.into_bytes()))
                .collect();
            files.sort();
            Input::Files(files)
        }
        (None, None) => Input::Path(PathBuf::from(".")),
    };
    if opts.format.as_deref() == Some("queries") {
        return engine::queries_json(input, opts.schema).map_err(|e| coded(e.kind, e.message));
    }
    let config = match (opts.config_json, opts.config_path) {
        (Some(json), _) => ConfigInput::Table(
            serde_json::from_str(&json)
                .map_err(|e| coded(engine::ErrorKind::Config, format!("config: {e}")))?,
        ),
        (None, Some(path)) => ConfigInput::File(PathBuf::from(path)),
        (None, None) => ConfigInput::Discover,
    };
    let migrations = match opts.migrations_json {
        Some(json) => Some(
            serde_json::from_str(&json)
                .map_err(|e| coded(engine::ErrorKind::Input, format!("migrations: {e}")))?,
        ),
        None => None,
    };
    let audited = engine::run(input, config, opts.schema, migrations)
        .map_err(|e| coded(e.kind, e.message))?;
    match opts.format.as_deref() {
        // The report for `JSON.parse` in index.js: the same data as `json`, without the
        // indentation (a third fewer bytes to copy and parse).
        None | Some("json-compact") => serde_json::to_string(&audited.report)
            .map_err(|e| coded(engine::ErrorKind::Internal, e)),
        Some(format) => engine::render_as(&audited, format).map_err(|e| coded(e.kind, e.message)),
    }
}

/// Audit synchronously; returns the rendered report (JSON by default).
#[napi]
pub fn audit_native(options: NativeOptions) -> Result<String> {
    run(options)
}

/// The audit of [`audit_native`] on the libuv thread pool.
pub struct AuditTask {
    options: Option<NativeOptions>,
}

impl Task for AuditTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> Result<String> {
        match self.options.take() {
            Some(options) => run(options),
            None => Err(coded(engine::ErrorKind::Internal, "audit task ran twice")),
        }
    }

    fn resolve(&mut self, _env: Env, output: String) -> Result<String> {
        Ok(output)
    }
}

/// Audit off the main thread; the Promise resolves to the rendered report.
#[napi]
pub fn audit_native_async(options: NativeOptions) -> AsyncTask<AuditTask> {
    AsyncTask::new(AuditTask {
        options: Some(options),
    })
}

/// The registered rules as JSON text.
#[napi]
pub fn rules_json() -> String {
    engine::rules_json().to_string()
}

/// The number of registered rules (the native registry).
#[napi]
pub fn rule_count() -> u32 {
    engine::rule_count() as u32
}

/// The crate version.
#[napi]
pub fn native_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// Benchmark hook: milliseconds per audit of `path` done purely in Rust (no JS values).
#[napi]
pub fn bench_core(path: String, iterations: u32, render_json: bool) -> Result<Vec<f64>> {
    engine::bench_core(&path, iterations as usize, render_json)
        .map(|t| t.into_iter().map(|s| s * 1000.0).collect())
        .map_err(|e| coded(e.kind, e.message))
}
