//! Client of `tools/prisma-oracle/wasm-validate.mjs`: Prisma's own schema validator (compiled
//! to WebAssembly) in one long-running Node process, ≈ 0.5 ms per schema.
//!
//! Install once with `npm ci --prefix tools/prisma-oracle` (done by `scripts/test-all.sh`).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// One error Prisma reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OracleError {
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u32>,
}

/// Prisma's verdict on one schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Valid,
    Invalid(Vec<OracleError>),
    /// The validator itself failed (panic, bad request): no verdict.
    Unknown(String),
}

impl Verdict {
    pub fn is_valid(&self) -> bool {
        matches!(self, Verdict::Valid)
    }
}

pub struct WasmOracle {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

pub fn oracle_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("tools/prisma-oracle")
}

impl WasmOracle {
    /// Starts the validator, or says why it cannot (not installed, no Node).
    pub fn start() -> Result<Self, String> {
        let dir = oracle_dir();
        if !dir.join("node_modules/@prisma/prisma-schema-wasm").is_dir() {
            return Err(format!(
                "the Prisma wasm validator is not installed: run `npm ci --prefix {}`",
                dir.display()
            ));
        }
        let mut child = Command::new("node")
            .arg(dir.join("wasm-validate.mjs"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start node: {e}"))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        Ok(Self {
            child,
            stdin,
            stdout,
        })
    }

    /// Prisma `major` (6 or 7) validates the files (name, text) of one schema.
    pub fn validate(&mut self, files: &[(String, String)], major: u8) -> Verdict {
        let req = serde_json::json!({ "files": files, "major": major });
        let mut line = req.to_string();
        line.push('\n');
        if let Err(e) = self.stdin.write_all(line.as_bytes()) {
            return Verdict::Unknown(format!("write: {e}"));
        }
        let _ = self.stdin.flush();
        let mut answer = String::new();
        if let Err(e) = self.stdout.read_line(&mut answer) {
            return Verdict::Unknown(format!("read: {e}"));
        }
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&answer) else {
            return Verdict::Unknown(format!("bad answer: {answer}"));
        };
        if let Some(e) = v.get("oracleError") {
            return Verdict::Unknown(e.to_string());
        }
        if v["ok"].as_bool() == Some(true) {
            return Verdict::Valid;
        }
        let errors = v["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| OracleError {
                        message: e["message"].as_str().unwrap_or_default().to_string(),
                        file: e["file"].as_str().map(str::to_string),
                        line: e["line"].as_u64().map(|l| l as u32),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Verdict::Invalid(errors)
    }
}

impl Drop for WasmOracle {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
