//! Renderers: turn a [`Report`] into terminal text, JSON, Markdown, SARIF 2.1.0 or GitHub
//! Actions workflow commands.
//!
//! Every renderer is a pure function of its inputs and deterministic (no clock, no hash-map
//! iteration). Source excerpts are read from the optional [`Project`] and always pass through
//! [`crate::redact`], so a code frame of a `.env` file or of a connection URL never shows a
//! password.

mod github;
mod json;
mod markdown;
mod sarif;
mod text;

use crate::finding::{Position, Severity};
use crate::project::Project;
use crate::report::{Report, Verdict};
use crate::rule::RuleMeta;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Human-readable terminal output with code frames.
    Text,
    /// The report as pretty-printed JSON (see `schema/report.schema.json`).
    Json,
    /// A Markdown audit report for humans (pull requests, wikis).
    Markdown,
    /// SARIF 2.1.0 for code-scanning tools (GitHub code scanning among them).
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::message`).
    Github,
}

impl Format {
    /// All formats, in documentation order.
    pub const ALL: [Format; 5] = [
        Format::Text,
        Format::Json,
        Format::Markdown,
        Format::Sarif,
        Format::Github,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Sarif => "sarif",
            Format::Github => "github",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown format `{s}` (expected text, json, markdown, sarif or github)")
            })
    }
}

/// Options that change how a report is rendered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Text format only: emit ANSI colours. The caller decides (TTY detection, `--color`).
    pub color: bool,
}

/// Render `report` in `format`.
///
/// `project` supplies source text for code frames and excerpts (rendered without them when
/// `None` or when a file is missing); `rules` supplies rule metadata (SARIF
/// `tool.driver.rules`, Markdown checklist and strengths). The output ends with a newline.
pub fn render(
    report: &Report,
    project: Option<&Project>,
    rules: &[&'static RuleMeta],
    format: Format,
    opts: &RenderOptions,
) -> String {
    match format {
        Format::Text => text::render(report, project, rules, opts),
        Format::Json => json::render(report),
        Format::Markdown => markdown::render(report, project, rules),
        Format::Sarif => sarif::render(report, rules),
        Format::Github => github::render(report),
    }
}

/// Title-case name of a severity ("Critical").
pub(crate) fn severity_title(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
        Severity::Info => "Info",
    }
}

/// The SARIF / GitHub level of a severity.
pub(crate) fn level_of(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// Redacted source text of the project's files, loaded on demand.
pub(crate) struct Sources<'p> {
    project: Option<&'p Project>,
    cache: BTreeMap<String, Option<SourceFile>>,
}

/// A text and the byte offset where each of its lines starts.
struct Lines {
    text: String,
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: String) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { text, starts }
    }

    /// Byte offset where the content of line `n` (1-based) starts (after a BOM on line 1).
    fn start(&self, n: u32) -> Option<usize> {
        let i = (n as usize).checked_sub(1)?;
        let start = *self.starts.get(i)?;
        Some(if i == 0 && self.text.starts_with('\u{feff}') {
            start + '\u{feff}'.len_utf8()
        } else {
            start
        })
    }

    fn line(&self, n: u32) -> &str {
        let Some(start) = self.start(n) else {
            return "";
        };
        let end = self
            .starts
            .get(n as usize)
            .map_or(self.text.len(), |&next| next - 1)
            .max(start);
        let line = &self.text[start..end];
        line.strip_suffix('\r').unwrap_or(line)
    }
}

/// Map a 0-based character column of `original` onto `shown` (the same line after
/// redaction): columns in the common prefix stay, columns in the common suffix shift by the
/// length difference, columns inside the changed part go to its start (or its end for the end
/// of a range).
fn map_column(original: &str, shown: &str, col: usize, end: bool) -> usize {
    if original == shown {
        return col;
    }
    let o: Vec<char> = original.chars().collect();
    let s: Vec<char> = shown.chars().collect();
    let max = o.len().min(s.len());
    let prefix = o.iter().zip(&s).take_while(|(a, b)| a == b).count();
    let suffix = o
        .iter()
        .rev()
        .zip(s.iter().rev())
        .take(max - prefix)
        .take_while(|(a, b)| a == b)
        .count();
    if col <= prefix {
        col
    } else if col >= o.len() - suffix {
        col - (o.len() - suffix) + (s.len() - suffix)
    } else if end {
        s.len() - suffix
    } else {
        prefix
    }
}

/// One file's text as shown (redacted), with positions of the original mapped onto it.
pub(crate) struct SourceFile {
    shown: Lines,
    /// The original text, kept when redaction changed something.
    original: Option<Lines>,
}

impl SourceFile {
    /// A file shown as is.
    #[cfg(test)]
    fn new(text: String) -> Self {
        SourceFile {
            shown: Lines::new(text),
            original: None,
        }
    }

    /// A file whose `original` text is shown as `shown` (same line structure).
    pub(crate) fn redacted(original: &str, shown: String) -> Self {
        SourceFile {
            original: (original != shown).then(|| Lines::new(original.to_string())),
            shown: Lines::new(shown),
        }
    }

    /// The text as shown.
    pub fn text(&self) -> &str {
        &self.shown.text
    }

    /// Number of lines (a final line break does not start another line).
    pub fn line_count(&self) -> usize {
        let n = self.shown.starts.len();
        if n > 1 && self.shown.text.ends_with('\n') {
            n - 1
        } else {
            n
        }
    }

    /// Line `n` (1-based) as shown, without its line ending; empty when out of range.
    pub fn line(&self, n: u32) -> &str {
        self.shown.line(n)
    }

    /// Byte range of lines `first..=last` (1-based, clamped), without the final line ending.
    pub fn lines_range(&self, first: u32, last: u32) -> std::ops::Range<usize> {
        let start = self.offset(Position {
            line: first,
            column: 1,
        });
        let end = self.end_offset(Position {
            line: last.max(first),
            column: u32::MAX,
        });
        start..end.max(start)
    }

    /// Byte offset in the shown text of the original 1-based line/column (columns in
    /// characters) where a range starts, clamped into the text.
    pub fn offset(&self, pos: Position) -> usize {
        self.map(pos, false)
    }

    /// Like [`SourceFile::offset`], for the end of a range.
    pub fn end_offset(&self, pos: Position) -> usize {
        self.map(pos, true)
    }

    fn map(&self, pos: Position, end: bool) -> usize {
        let Some(start) = self.shown.start(pos.line) else {
            return self.shown.text.len();
        };
        let line = self.shown.line(pos.line);
        let mut col = (pos.column as usize).saturating_sub(1);
        if let Some(original) = &self.original {
            col = map_column(original.line(pos.line), line, col, end);
        }
        start + line.char_indices().nth(col).map_or(line.len(), |(b, _)| b)
    }
}

impl<'p> Sources<'p> {
    pub(crate) fn new(project: Option<&'p Project>) -> Self {
        Sources {
            project,
            cache: BTreeMap::new(),
        }
    }

    /// The already loaded text of `path` (see [`Sources::get`]).
    pub(crate) fn peek(&self, path: &str) -> Option<&SourceFile> {
        self.cache.get(path).and_then(Option::as_ref)
    }

    /// The redacted text of `path`, if the project has it as text.
    pub(crate) fn get(&mut self, path: &str) -> Option<&SourceFile> {
        let project = self.project;
        self.cache
            .entry(path.to_string())
            .or_insert_with(|| {
                let text = project?.text_of(path)?;
                let shown = crate::redact::redact_file_text(path, text);
                Some(SourceFile::redacted(text, shown))
            })
            .as_ref()
    }
}

/// Language tag of a fenced code block for `path`.
pub(crate) fn language_of(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if crate::redact::is_env_file(name) {
        return "env";
    }
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "prisma" => "prisma",
        "sql" => "sql",
        "json" => "json",
        "ts" | "tsx" | "mts" | "cts" => "ts",
        "js" | "jsx" | "mjs" | "cjs" => "js",
        "toml" => "toml",
        "yaml" | "yml" => "yaml",
        _ => "text",
    }
}

/// One sentence on what a verdict means.
pub(crate) fn verdict_explanation(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::NotReady => "critical findings must be fixed before deploying to production",
        Verdict::ReadyWithFixes => {
            "no critical findings; fix the high and medium ones before or soon after deploying"
        }
        Verdict::Ready => "no critical, high or medium findings",
    }
}

/// A location's end, pulled back to the end of the previous line when it sits at column 1 of
/// a later line (a range that swallows the line break).
pub(crate) fn display_end(start: Position, end: Position) -> Position {
    if end.column <= 1 && end.line > start.line {
        Position {
            line: end.line - 1,
            column: u32::MAX,
        }
    } else {
        end
    }
}

/// `file:line:col` of a position.
pub(crate) fn file_pos(file: &str, pos: Position) -> String {
    format!("{file}:{}:{}", pos.line, pos.column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
        }
        assert_eq!("SARIF".parse::<Format>(), Ok(Format::Sarif));
        assert!("yaml".parse::<Format>().is_err());
    }

    #[test]
    fn offsets_clamp_and_count_chars() {
        let f = SourceFile::new("\u{feff}ab\r\nçd\n".to_string());
        assert_eq!(f.line(1), "ab");
        assert_eq!(f.line(2), "çd");
        assert_eq!(f.line(9), "");
        let at = |line, column| f.offset(Position { line, column });
        assert_eq!(at(1, 1), 3);
        assert_eq!(at(2, 1), 7);
        assert_eq!(at(2, 2), 9);
        assert_eq!(at(2, 99), 10);
        assert_eq!(at(99, 1), f.text().len());
    }

    #[test]
    fn positions_map_through_redaction() {
        let original = "X=postgres://u:longpassword@h/db\n";
        let f = SourceFile::redacted(original, crate::redact::redact_env_text(original));
        assert_eq!(f.line(1), "X=postgres://u:****@h/db");
        // `u:longpassword` (columns 14..28) becomes `u:****`.
        let start = f.offset(Position {
            line: 1,
            column: 14,
        });
        let end = f.end_offset(Position {
            line: 1,
            column: 28,
        });
        assert_eq!(&f.text()[start..end], "u:****");
        // Inside the password: the start goes to the mask's start, the end to its end.
        let inside = Position {
            line: 1,
            column: 20,
        };
        assert_eq!(&f.text()[f.offset(inside)..f.end_offset(inside)], "****");
        // After it: shifted.
        assert_eq!(
            &f.text()[f.offset(Position {
                line: 1,
                column: 29
            })..],
            "h/db\n"
        );
        assert_eq!(map_column("abc", "abc", 7, false), 7);
    }

    #[test]
    fn languages() {
        assert_eq!(language_of("prisma/schema.prisma"), "prisma");
        assert_eq!(language_of("prisma/migrations/1_init/migration.sql"), "sql");
        assert_eq!(language_of(".env.production"), "env");
        assert_eq!(language_of("src/db.ts"), "ts");
        assert_eq!(language_of("Makefile"), "text");
    }
}
