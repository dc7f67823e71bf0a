//! PostgreSQL validation with squawk-syntax (pinned `=2.68.0`): every migration file is parsed
//! once; a syntax error is attached to the statement it falls in, so the statement becomes an
//! `unparseable-migration` finding instead of aborting anything.

use super::history::Migration;
use super::split::TokenKind;
use rowan::{TextRange, TextSize};

/// Deepest bracket nesting we hand to the parser (its recursion is bounded by the input).
const MAX_DEPTH: usize = 256;

/// Parse `m.sql` with squawk and record syntax errors on the statements.
pub fn validate(m: &mut Migration) {
    if m.sql.trim().is_empty() {
        return;
    }
    // Refuse pathological nesting before it reaches a recursive-descent parser.
    let mut depth = 0usize;
    for t in &m.tokens {
        if t.kind == TokenKind::Punct {
            match t.text(&m.sql) {
                "(" | "[" => depth += 1,
                ")" | "]" => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth > MAX_DEPTH {
                let r = t.range();
                if let Some(s) = m
                    .statements
                    .iter_mut()
                    .find(|s| s.range.contains_inclusive(r.start()))
                {
                    s.parse_error = Some(("brackets nested too deeply to parse".into(), r));
                }
                return;
            }
        }
    }
    let parse = squawk_syntax::SourceFile::parse(&m.sql);
    for e in parse.errors() {
        let r = e.range();
        let at = r.start();
        let Some(s) = m
            .statements
            .iter_mut()
            .find(|s| s.range.contains_inclusive(at))
            .or(None)
        else {
            continue;
        };
        if s.parse_error.is_none() {
            let end = r.end().min(s.range.end()).max(at);
            s.parse_error = Some((e.message().to_string(), TextRange::new(at, end)));
        }
    }
    let _ = TextSize::from(0);
}
