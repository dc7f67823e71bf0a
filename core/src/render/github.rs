//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per
//! finding, then a plain summary line.
//!
//! Escaping follows the Actions runner: in the message `%`, `\r` and `\n` are percent-encoded;
//! in property values `:` and `,` are encoded as well.

use super::{level_of, severity_title};
use crate::finding::{Confidence, FixSafety};
use crate::report::Report;
use std::fmt::Write;

/// Escape a workflow command's message.
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow command's property value.
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub(crate) fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let command = match level_of(f.severity) {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        let mut props = Vec::new();
        if let Some(loc) = &f.location {
            props.push(format!("file={}", escape_property(&loc.file)));
            props.push(format!("line={}", loc.start.line));
            props.push(format!("col={}", loc.start.column));
            props.push(format!("endLine={}", loc.end.line));
            // GitHub only honours an end column on single-line annotations.
            if loc.end.line == loc.start.line {
                props.push(format!("endColumn={}", loc.end.column));
            }
        }
        props.push(format!("title={}", escape_property(&f.rule)));
        let mut message = match f.confidence {
            Confidence::Certain => format!("[{}] {}", severity_title(f.severity), f.message),
            Confidence::Heuristic => {
                format!("[{}, heuristic] {}", severity_title(f.severity), f.message)
            }
        };
        if let Some(help) = &f.help {
            let _ = write!(message, "\n\n{help}");
        }
        if let Some(fix) = &f.fix {
            let safety = match fix.safety {
                FixSafety::Safe => "safe",
                FixSafety::Unsafe => "unsafe",
            };
            let _ = write!(message, "\n\nFix ({safety}): {}", fix.title);
        }
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            props.join(","),
            escape_data(&message)
        );
    }
    let c = &report.summary.counts;
    let _ = writeln!(
        out,
        "prisma-audit: {} ({} critical, {} high, {} medium, {} low, {} info)",
        report.summary.verdict.title(),
        c.critical,
        c.high,
        c.medium,
        c.low,
        c.info
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
