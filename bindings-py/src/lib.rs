//! Native half of the Python module `prisma_audit` (`prisma_audit._native`). The typed Python
//! API (`Report`, `Finding`, ...) lives in `python/prisma_audit/__init__.py`; this module only
//! converts inputs, runs the core audit with the GIL released, and hands back the report.

// One engine for both bindings: load + configure + audit exactly like the CLI.
use prisma_audit_api as engine;

/// The addon allocates through mimalloc, as the CLI does: it reuses freed memory for the next
/// audit instead of handing it back to the kernel at once and faulting it in again, as glibc
/// does for results over its trim threshold (large schemas; BENCHMARKS.md). `local_dynamic_tls`
/// (Cargo.toml) because the addon is loaded with `dlopen`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use engine::{Audited, ConfigInput, ErrorKind, Input};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use std::path::PathBuf;

create_exception!(
    _native,
    PrismaAuditError,
    PyException,
    "Base class of every error raised by prisma_audit."
);
create_exception!(
    _native,
    IoError,
    PrismaAuditError,
    "A file or directory could not be read."
);
create_exception!(
    _native,
    ConfigError,
    PrismaAuditError,
    "The configuration (file or table) is invalid."
);
create_exception!(
    _native,
    InputError,
    PrismaAuditError,
    "The input cannot be audited (no schema found, bad arguments, ...)."
);

fn to_py_err(e: engine::Error) -> PyErr {
    match e.kind {
        ErrorKind::Io => IoError::new_err(e.message),
        ErrorKind::Config => ConfigError::new_err(e.message),
        ErrorKind::Input => InputError::new_err(e.message),
        ErrorKind::Internal => PrismaAuditError::new_err(e.message),
    }
}

/// A finished audit: the report plus the audited files (for Markdown excerpts).
#[pyclass(frozen, module = "prisma_audit._native")]
struct NativeReport {
    audited: Audited,
}

#[pymethods]
impl NativeReport {
    /// The report rendered as `text`, `json`, `markdown`, `sarif` or `github`.
    fn render(&self, py: Python<'_>, format: &str) -> PyResult<String> {
        let audited = &self.audited;
        py.detach(|| engine::render_as(audited, format))
            .map_err(to_py_err)
    }
}

/// The project to read: a path, or in-memory files (relative path → str or bytes).
fn input_of(path: Option<PathBuf>, files: Option<&Bound<'_, PyDict>>) -> PyResult<Input> {
    Ok(match (path, files) {
        (Some(_), Some(_)) => {
            return Err(InputError::new_err(
                "pass either `path` or `files`, not both",
            ));
        }
        (Some(path), None) => Input::Path(path),
        (None, Some(files)) => {
            let mut out = Vec::with_capacity(files.len());
            for (key, value) in files.iter() {
                let name: String = key.extract().map_err(|_| {
                    PyTypeError::new_err("files: keys must be str (paths relative to the root)")
                })?;
                let bytes = if let Ok(s) = value.cast::<PyString>() {
                    s.to_cow()?.as_bytes().to_vec()
                } else if let Ok(b) = value.cast::<PyBytes>() {
                    b.as_bytes().to_vec()
                } else {
                    return Err(PyTypeError::new_err(format!(
                        "files[{name:?}]: expected str or bytes"
                    )));
                };
                out.push((name, bytes));
            }
            Input::Files(out)
        }
        (None, None) => Input::Path(PathBuf::from(".")),
    })
}

/// `queries_json(path, files, schema)`: see `prisma_audit.queries`.
#[pyfunction]
#[pyo3(signature = (path=None, files=None, schema=None))]
fn queries_json(
    py: Python<'_>,
    path: Option<PathBuf>,
    files: Option<&Bound<'_, PyDict>>,
    schema: Option<String>,
) -> PyResult<String> {
    let input = input_of(path, files)?;
    py.detach(move || engine::queries_json(input, schema))
        .map_err(to_py_err)
}

/// `audit(path, files, config_json, config_path, schema, migrations_json)`: see
/// `prisma_audit.audit`.
#[pyfunction]
#[pyo3(signature = (path=None, files=None, config_json=None, config_path=None, schema=None, migrations_json=None))]
fn audit(
    py: Python<'_>,
    path: Option<PathBuf>,
    files: Option<&Bound<'_, PyDict>>,
    config_json: Option<String>,
    config_path: Option<PathBuf>,
    schema: Option<String>,
    migrations_json: Option<String>,
) -> PyResult<NativeReport> {
    let input = input_of(path, files)?;
    let config = match (config_json, config_path) {
        (Some(json), _) => ConfigInput::Table(
            serde_json::from_str(&json)
                .map_err(|e| ConfigError::new_err(format!("config: {e}")))?,
        ),
        (None, Some(path)) => ConfigInput::File(path),
        (None, None) => ConfigInput::Discover,
    };
    let migrations = match migrations_json {
        Some(json) => Some(
            serde_json::from_str(&json)
                .map_err(|e| InputError::new_err(format!("migrations: {e}")))?,
        ),
        None => None,
    };
    let audited = py
        .detach(move || engine::run(input, config, schema, migrations))
        .map_err(to_py_err)?;
    Ok(NativeReport { audited })
}

/// The registered rules as JSON (a list of objects).
#[pyfunction]
fn rules_json() -> String {
    engine::rules_json().to_string()
}

/// The number of registered rules (the native registry).
#[pyfunction]
fn rule_count() -> usize {
    engine::rule_count()
}

/// Benchmark hook: seconds per audit of `path` done purely in Rust (no Python objects).
#[pyfunction]
#[pyo3(signature = (path, iterations, render_json=false))]
fn _bench_core(
    py: Python<'_>,
    path: String,
    iterations: usize,
    render_json: bool,
) -> PyResult<Vec<f64>> {
    py.detach(|| engine::bench_core(&path, iterations, render_json))
        .map_err(to_py_err)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("PrismaAuditError", py.get_type::<PrismaAuditError>())?;
    m.add("IoError", py.get_type::<IoError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add_class::<NativeReport>()?;
    m.add_function(wrap_pyfunction!(audit, m)?)?;
    m.add_function(wrap_pyfunction!(rules_json, m)?)?;
    m.add_function(wrap_pyfunction!(queries_json, m)?)?;
    m.add_function(wrap_pyfunction!(rule_count, m)?)?;
    m.add_function(wrap_pyfunction!(_bench_core, m)?)?;
    Ok(())
}
