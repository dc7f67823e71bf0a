//! JSON: the report itself, pretty-printed (the public contract, `schema/report.schema.json`).

use crate::report::Report;

/// Pretty-printed JSON with a trailing newline. Struct fields serialise in declaration order
/// and the report holds no maps, so identical reports give identical bytes.
pub(crate) fn render(report: &Report) -> String {
    // Serialised straight from the structs into one buffer sized for the usual ~1 KiB per
    // finding, so a large report is not copied again and again while the buffer grows.
    let mut buf = Vec::with_capacity(1024 + report.findings.len() * 1280);
    let out = match serde_json::to_writer_pretty(&mut buf, report) {
        // serde_json writes valid UTF-8 only.
        Ok(()) => String::from_utf8(buf).ok(),
        Err(_) => None,
    };
    // Serialising plain structs of strings and integers cannot fail; stay total anyway.
    let mut out = out.unwrap_or_else(|| match serde_json::to_string_pretty(report) {
        Ok(s) => s,
        Err(e) => {
            serde_json::json!({ "error": format!("cannot serialise the report: {e}") }).to_string()
        }
    });
    out.push('\n');
    out
}
