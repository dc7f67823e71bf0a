//! MySQL and SQLite validation with sqlparser, statement by statement (our own splitter cuts
//! the file first, so locations stay exact and one bad statement does not hide the others).
//! SQLite's `PRAGMA` statements (`PRAGMA foreign_keys=OFF`, `PRAGMA defer_foreign_keys=ON`, ...)
//! and MySQL's session `SET` statements are recognised here and not handed to the parser.

use super::Dialect;
use super::history::Migration;
use sqlparser::dialect::{MySqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;

/// Deepest bracket nesting handed to the parser.
const MAX_DEPTH: usize = 100;

/// Parse each statement of `m` with sqlparser and record syntax errors.
pub fn validate(m: &mut Migration, dialect: Dialect) {
    for i in 0..m.statements.len() {
        if m.statements[i].parse_error.is_some() {
            continue;
        }
        let toks = m.stmt_tokens(i);
        let Some(first) = toks.first() else { continue };
        let src = &m.sql;
        // Statements sqlparser does not need to see.
        if first.is_kw(src, "PRAGMA")
            || (dialect == Dialect::MySql
                && (first.is_kw(src, "SET") || first.is_kw(src, "DELIMITER")))
            || (dialect == Dialect::Sqlite
                && first.is_kw(src, "CREATE")
                && toks.iter().take(4).any(|t| t.is_kw(src, "TRIGGER")))
        {
            continue;
        }
        let mut depth = 0usize;
        let mut max = 0usize;
        for t in toks {
            match t.text(src) {
                "(" => depth += 1,
                ")" => depth = depth.saturating_sub(1),
                _ => {}
            }
            max = max.max(depth);
        }
        let range = m.statements[i].range;
        if max > MAX_DEPTH {
            m.statements[i].parse_error =
                Some(("brackets nested too deeply to parse".into(), range));
            continue;
        }
        let text = m.text(range).to_string();
        let result = match dialect {
            Dialect::MySql => Parser::parse_sql(&MySqlDialect {}, &text),
            _ => Parser::parse_sql(&SQLiteDialect {}, &text),
        };
        if let Err(e) = result {
            m.statements[i].parse_error = Some((e.to_string(), range));
        }
    }
}
