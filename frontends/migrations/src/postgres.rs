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
    // The parser alone (lexer + grammar events): building squawk-syntax's tree and running its
    // extra validation would triple the cost on large histories.
    let lexed = squawk_parser::LexedStr::new(&m.sql);
    let input = lexed.to_input();
    let output = squawk_parser::EntryPoint::SourceFile.parse(&input);
    let mut errors: Vec<(String, TextSize, TextSize)> = lexed
        .errors()
        .map(|(r, msg)| {
            (
                msg.to_string(),
                TextSize::from(r.start),
                TextSize::from(r.end),
            )
        })
        .collect();
    lexed.intersperse_trivia(&output, &mut |step| {
        if let squawk_parser::StrStep::Error { msg, pos } = step {
            let at = TextSize::from(u32::try_from(pos).unwrap_or(u32::MAX));
            errors.push((msg.to_string(), at, at));
        }
    });
    errors.sort_by_key(|e| e.1);
    for (msg, at, end) in errors {
        let Some(s) = m
            .statements
            .iter_mut()
            .find(|s| s.range.contains_inclusive(at))
        else {
            continue;
        };
        if s.parse_error.is_none() {
            let end = end.min(s.range.end()).max(at);
            s.parse_error = Some((msg, TextRange::new(at, end)));
        }
    }
}
