//! Suppression comments.
//!
//! In `.prisma` files:
//! - `// prisma-audit-ignore rule-a, rule-b -- reason` on the line directly above a model, view,
//!   enum, field, enum value, block attribute (`@@index`, ...) or datasource/generator entry
//!   silences those rules for findings whose primary location starts inside that item. Other
//!   comments (`///` docs) may stand between the suppression and the item; a blank line may not.
//!   At the end of an item's line (`email String // prisma-audit-ignore rule-a`) it covers that
//!   item.
//! - `// prisma-audit-ignore-file rule-a` anywhere silences the rule in the whole file.
//!
//! In `.sql` files (migrations) the same with `--`: `-- prisma-audit-ignore rule-a` on the
//! line(s) directly above a statement covers that statement (up to its `;`); inside a statement
//! it covers the rest of the statement; `-- prisma-audit-ignore-file rule-a` the whole file.
//!
//! In application code (`.ts`, `.tsx`, `.js`, ...) the same with `//`: a
//! `// prisma-audit-ignore rule-a -- reason` line covers the statement on the next line (up to
//! where its brackets close), at the end of a line it covers that line, and
//! `// prisma-audit-ignore-file rule-a` covers the whole file. Rules that read the
//! application's queries leave out the calls a suppression covers.
//!
//! Rule ids are listed explicitly (comma- or space-separated); there is no `all`. Everything
//! after ` -- ` is a free-form reason. Each rule id of a comment that silences nothing is
//! reported by the engine as `unused-suppression`.

use crate::project::Project;
use crate::rule::SchemaFile;
use crate::span::{FileId, Span};
use crate::syntax::{Element, Node, SyntaxKind, Tree, TreeToken};
use rowan::{TextRange, TextSize};

const DIRECTIVE: &str = "prisma-audit-ignore";
const FILE_DIRECTIVE: &str = "prisma-audit-ignore-file";

/// What a suppression covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The whole file.
    File,
    /// Findings starting inside this range (or nothing, for a comment above no item).
    Range(Option<TextRange>),
}

#[derive(Debug, Clone)]
struct Entry {
    comment: Span,
    rule: String,
    scope: Scope,
    used: bool,
}

/// Suppression comments found in the project, with use tracking.
#[derive(Debug, Default)]
pub struct Suppressions {
    entries: Vec<Entry>,
    /// Entry indexes by rule id: a large schema has many comments and a rule many findings.
    by_rule: std::collections::HashMap<String, Vec<usize>>,
}

/// A parsed directive: whole-file or not, and the rule ids.
fn parse_directive(comment_body: &str) -> Option<(bool, Vec<String>)> {
    let body = comment_body.trim_start();
    let (file, rest) = if let Some(rest) = body.strip_prefix(FILE_DIRECTIVE) {
        (true, rest)
    } else if let Some(rest) = body.strip_prefix(DIRECTIVE) {
        (false, rest)
    } else {
        return None;
    };
    // `prisma-audit-ignored` or `prisma-audit-ignore-next` are not directives.
    if !(rest.is_empty() || rest.starts_with([' ', '\t', ':'])) {
        return None;
    }
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    let ids_part = match rest.find("--") {
        Some(i) => &rest[..i],
        None => rest,
    };
    let mut ids: Vec<String> = Vec::new();
    for id in ids_part.split([',', ' ', '\t']).filter(|s| !s.is_empty()) {
        if !ids.iter().any(|x| x == id) {
            ids.push(id.to_string());
        }
    }
    Some((file, ids))
}

impl Suppressions {
    /// Collect suppressions from schema files, SQL files and application code.
    pub fn collect(project: &Project, schema_files: &[SchemaFile], sql_files: &[FileId]) -> Self {
        let mut s = Suppressions::default();
        for file in schema_files {
            s.collect_schema(file.file, file.parse.flat());
        }
        for &id in sql_files {
            if let Some(text) = project.file(id).and_then(|f| f.text()) {
                s.collect_sql(id, text);
            }
        }
        for (id, file) in project.files() {
            if let Some(text) = file.text()
                && text.contains(DIRECTIVE)
                && prisma_audit_typescript::role_of(file.path()).is_some()
            {
                s.collect_code(id, text);
            }
        }
        s
    }

    fn collect_code(&mut self, file: FileId, text: &str) {
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let Some(at) = line.find("//") else {
                continue;
            };
            let Some((whole_file, ids)) = parse_directive(line[at + 2..].trim_end()) else {
                continue;
            };
            let comment = TextRange::new(size(start + at), size(start + line.trim_end().len()));
            let scope = if whole_file {
                Scope::File
            } else if line[..at].trim().is_empty() {
                Scope::Range(next_statement(text, offset))
            } else {
                Scope::Range(Some(TextRange::new(size(start), size(start + at))))
            };
            self.push(Span::new(file, comment), ids, scope);
        }
    }

    fn push(&mut self, comment: Span, ids: Vec<String>, scope: Scope) {
        for rule in ids {
            self.by_rule
                .entry(rule.clone())
                .or_default()
                .push(self.entries.len());
            self.entries.push(Entry {
                comment,
                rule,
                scope,
                used: false,
            });
        }
    }

    fn collect_schema(&mut self, file: FileId, tree: &Tree) {
        for token in tree.tokens() {
            if token.kind() != SyntaxKind::LINE_COMMENT {
                continue;
            }
            let Some((whole_file, ids)) = parse_directive(token.text().trim_start_matches('/'))
            else {
                continue;
            };
            let span = Span::new(file, token.text_range());
            let scope = if whole_file {
                Scope::File
            } else {
                Scope::Range(schema_target(&token))
            };
            self.push(span, ids, scope);
        }
    }

    fn collect_sql(&mut self, file: FileId, text: &str) {
        let scan = scan_sql(text);
        for comment in &scan.comments {
            let body = &text[usize::from(comment.range.start()) + 2..comment.range.end().into()];
            let Some((whole_file, ids)) = parse_directive(body) else {
                continue;
            };
            let scope = if whole_file {
                Scope::File
            } else {
                Scope::Range(sql_target(text, &scan, comment))
            };
            self.push(Span::new(file, comment.range), ids, scope);
        }
    }

    /// Whether a finding of `rule` at `span` is suppressed (marks the suppression used).
    pub fn take(&mut self, rule: &str, span: Option<Span>) -> bool {
        let Some(span) = span else {
            return false;
        };
        let start = span.range.start();
        let mut hit = false;
        let Some(indexes) = self.by_rule.get(rule) else {
            return false;
        };
        for &i in indexes {
            let e = &mut self.entries[i];
            if e.comment.file != span.file {
                continue;
            }
            let covers = match e.scope {
                Scope::File => true,
                Scope::Range(Some(r)) => r.start() <= start && (start < r.end() || r.is_empty()),
                Scope::Range(None) => false,
            };
            if covers {
                e.used = true;
                hit = true;
            }
        }
        hit
    }

    /// Suppressions that silenced nothing: their span and the rule id, in file and source
    /// order.
    pub fn unused(&self) -> Vec<(Span, String)> {
        let mut out: Vec<(Span, String)> = self
            .entries
            .iter()
            .filter(|e| !e.used)
            .map(|e| (e.comment, e.rule.clone()))
            .collect();
        out.sort_by_key(|(s, _)| (s.file, s.range.start()));
        out
    }
}

/// The statement that starts on the first non-blank line at or after `from` in application
/// code: up to the end of the line where its brackets are balanced again (strings and
/// comments are not told apart; a bracket inside one can widen the range).
fn next_statement(text: &str, from: usize) -> Option<TextRange> {
    let rest = &text[from.min(text.len())..];
    let skip = rest.len() - rest.trim_start().len();
    let start = from + skip;
    if start >= text.len() {
        return None;
    }
    let mut depth: i64 = 0;
    let mut end = text.len();
    for (i, b) in text.as_bytes()[start..].iter().enumerate() {
        match b {
            b'(' | b'{' | b'[' => depth += 1,
            b')' | b'}' | b']' => depth -= 1,
            b'\n' if depth <= 0 => {
                end = start + i;
                break;
            }
            _ => {}
        }
    }
    Some(TextRange::new(size(start), size(end)))
}

/// The range of the item a schema suppression comment applies to: the next sibling node when
/// only trivia (no blank line) separates them, or the item whose line the comment ends.
fn schema_target(comment: &TreeToken<'_>) -> Option<TextRange> {
    if let Some(node) = trailing_of(comment) {
        return Some(node.text_range());
    }
    let mut newlines = 0;
    let mut next = comment.next_sibling_or_token();
    while let Some(el) = next {
        match &el {
            Element::Node(node) => return Some(node.text_range()),
            Element::Token(t) => match t.kind() {
                SyntaxKind::WHITESPACE => {}
                SyntaxKind::NEWLINE => {
                    newlines += 1;
                    if newlines > 1 {
                        return None;
                    }
                }
                k if k.is_comment() => newlines = 0,
                _ => return None,
            },
        }
        next = el.next_sibling_or_token();
    }
    None
}

/// The node ending the comment's line, if the comment follows it on the same line.
fn trailing_of<'t>(comment: &TreeToken<'t>) -> Option<Node<'t>> {
    let mut prev = comment.prev_sibling_or_token();
    while let Some(el) = prev {
        match &el {
            Element::Node(node) => return Some(*node),
            Element::Token(t) if t.kind() == SyntaxKind::WHITESPACE => {}
            Element::Token(_) => return None,
        }
        prev = el.prev_sibling_or_token();
    }
    None
}

/// A `--` comment in SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SqlComment {
    range: TextRange,
}

/// Statements (first significant byte to `;` inclusive, or end of file) and line comments.
#[derive(Debug, Default)]
struct SqlScan {
    statements: Vec<TextRange>,
    comments: Vec<SqlComment>,
}

fn size(n: usize) -> TextSize {
    TextSize::from(u32::try_from(n).unwrap_or(u32::MAX))
}

/// A small SQL scanner: finds `;` outside strings (`'...'`, `E'...'` with backslash escapes),
/// quoted identifiers, dollar-quoted bodies (`$tag$...$tag$`), `--` and nested `/* */`
/// comments.
fn scan_sql(text: &str) -> SqlScan {
    let b = text.as_bytes();
    let mut scan = SqlScan::default();
    let mut stmt_start: Option<usize> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                let end = memchr(b, i, b'\n');
                scan.comments.push(SqlComment {
                    range: TextRange::new(size(i), size(end)),
                });
                i = end;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0usize;
                let mut j = i;
                while j < b.len() {
                    if b[j] == b'/' && b.get(j + 1) == Some(&b'*') {
                        depth += 1;
                        j += 2;
                    } else if b[j] == b'*' && b.get(j + 1) == Some(&b'/') {
                        depth -= 1;
                        j += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        j += 1;
                    }
                }
                i = j.min(b.len());
                continue;
            }
            c if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let start = *stmt_start.get_or_insert(i);
        match c {
            b';' => {
                scan.statements
                    .push(TextRange::new(size(start), size(i + 1)));
                stmt_start = None;
                i += 1;
            }
            b'\'' => {
                let escapes = i > 0
                    && matches!(b[i - 1], b'E' | b'e')
                    && (i < 2 || !(b[i - 2].is_ascii_alphanumeric() || b[i - 2] == b'_'));
                i = skip_quoted(b, i, b'\'', escapes);
            }
            b'"' => i = skip_quoted(b, i, b'"', false),
            b'$' => match dollar_tag(b, i) {
                Some(tag_len) => {
                    let tag = &b[i..i + tag_len];
                    let body = i + tag_len;
                    i = find(b, body, tag).map_or(b.len(), |j| j + tag_len);
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    if let Some(start) = stmt_start {
        let end = text.trim_end().len().max(start);
        scan.statements.push(TextRange::new(size(start), size(end)));
    }
    scan
}

fn memchr(b: &[u8], from: usize, needle: u8) -> usize {
    b[from..]
        .iter()
        .position(|&c| c == needle)
        .map_or(b.len(), |p| from + p)
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// Past the closing quote (a doubled quote is an escaped quote).
fn skip_quoted(b: &[u8], open: usize, quote: u8, backslash: bool) -> usize {
    let mut j = open + 1;
    while j < b.len() {
        if backslash && b[j] == b'\\' {
            j += 2;
            continue;
        }
        if b[j] == quote {
            if b.get(j + 1) == Some(&quote) {
                j += 2;
                continue;
            }
            return j + 1;
        }
        j += 1;
    }
    b.len()
}

/// Length of a dollar-quote tag (`$$`, `$body$`) starting at `i`, if one starts there.
fn dollar_tag(b: &[u8], i: usize) -> Option<usize> {
    // `$1` parameters and identifiers like `a$b` are not tags.
    if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_') {
        return None;
    }
    let mut j = i + 1;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
        if j == i + 1 && b[j].is_ascii_digit() {
            return None;
        }
        j += 1;
    }
    (b.get(j) == Some(&b'$')).then_some(j + 1 - i)
}

/// What a SQL suppression covers: the statement on its line (trailing comment), the rest of the
/// statement it sits in, or the next statement when only comments and single line ends separate
/// them.
fn sql_target(text: &str, scan: &SqlScan, comment: &SqlComment) -> Option<TextRange> {
    let at = comment.range.start();
    let line_start = text[..usize::from(at)].rfind('\n').map_or(0, |p| p + 1);
    let trailing = !text[line_start..usize::from(at)].trim().is_empty();
    // A statement that contains the comment, or (trailing) ends on its line before it.
    if let Some(stmt) = scan.statements.iter().find(|s| {
        (s.start() < at && at < s.end())
            || (trailing && s.end() <= at && usize::from(s.end()) > line_start)
    }) {
        if stmt.end() <= at || trailing {
            return Some(*stmt);
        }
        return Some(TextRange::new(comment.range.end(), stmt.end()));
    }
    let next = scan
        .statements
        .iter()
        .find(|s| s.start() >= comment.range.end())?;
    // Between comment and statement: whitespace and other comments, no blank line.
    let mut gap = String::with_capacity(usize::from(next.start() - comment.range.end()));
    let mut pos = comment.range.end();
    for c in scan
        .comments
        .iter()
        .filter(|c| c.range.start() >= comment.range.end() && c.range.end() <= next.start())
    {
        gap.push_str(&text[usize::from(pos)..usize::from(c.range.start())]);
        gap.push('#');
        pos = c.range.end();
    }
    gap.push_str(&text[usize::from(pos)..usize::from(next.start())]);
    if gap.chars().any(|c| !c.is_whitespace() && c != '#') {
        return None;
    }
    let lines: Vec<&str> = gap.split('\n').collect();
    let blank_line = lines.len() > 2
        && lines[1..lines.len() - 1]
            .iter()
            .any(|l| l.trim().is_empty());
    if blank_line {
        return None;
    }
    Some(*next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stmts(text: &str) -> Vec<&str> {
        scan_sql(text)
            .statements
            .iter()
            .map(|r| &text[usize::from(r.start())..usize::from(r.end())])
            .collect()
    }

    #[test]
    fn directive_parsing() {
        assert_eq!(
            parse_directive(" prisma-audit-ignore a, b c -- because a, d"),
            Some((false, vec!["a".into(), "b".into(), "c".into()]))
        );
        assert_eq!(
            parse_directive(" prisma-audit-ignore-file a"),
            Some((true, vec!["a".into()]))
        );
        assert_eq!(parse_directive(" prisma-audit-ignored a"), None);
        assert_eq!(parse_directive(" note prisma-audit-ignore a"), None);
        assert_eq!(
            parse_directive("prisma-audit-ignore"),
            Some((false, vec![]))
        );
    }

    #[test]
    fn sql_statements_respect_quotes_and_comments() {
        let sql = "CREATE TABLE \"a;b\" (x text DEFAULT 'it''s;');\n\
                   -- c; d\n/* e; /* f; */ g; */ INSERT INTO t VALUES (E'\\';');\n\
                   CREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; $fn$ LANGUAGE sql;\n\
                   SELECT $1;\nDROP TABLE x";
        assert_eq!(
            stmts(sql),
            [
                "CREATE TABLE \"a;b\" (x text DEFAULT 'it''s;');",
                "INSERT INTO t VALUES (E'\\';');",
                "CREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; $fn$ LANGUAGE sql;",
                "SELECT $1;",
                "DROP TABLE x",
            ]
        );
    }
}
