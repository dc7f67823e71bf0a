//! JSON: the report itself, pretty-printed (the public contract, `schema/report.schema.json`).

use crate::report::Report;

/// Pretty-printed JSON with a trailing newline. Struct fields serialise in declaration order
/// and the report holds no maps, so identical reports give identical bytes.
pub(crate) fn render(report: &Report) -> String {
    // Serialising plain structs of strings and integers cannot fail; stay total anyway.
    let mut out = serde_json::to_string_pretty(report).unwrap_or_else(|e| {
        serde_json::json!({ "error": format!("cannot serialise the report: {e}") }).to_string()
    });
    out.push('\n');
    out
}
