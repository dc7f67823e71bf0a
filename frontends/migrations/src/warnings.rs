//! Prisma's `/* Warnings: ... */` header: the destructive-change and unexecutable-step warnings
//! `prisma migrate dev` writes at the top of a generated `migration.sql`.
//!
//! ```sql
//! /*
//!   Warnings:
//!
//!   - You are about to drop the column `nickname` on the `Pet` table. All the data in the column will be lost.
//!   - The values [BASIC,STANDARD] on the enum `PlanType` will be removed. If these variants are still used in the database, this will fail.
//! */
//! ```

use super::split::{Token, TokenKind};
use rowan::{TextRange, TextSize};

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WarningKind {
    /// `You are about to drop the column ...`
    DropColumn,
    /// `You are about to drop the `T` table ...`
    DropTable,
    /// `You are about to alter the column ...` (a cast that may lose data).
    AlterColumnType,
    /// `Changed the type of ... No cast exists` (the column is dropped and recreated).
    RecreateColumn,
    /// `The values [..] on the enum `E` will be removed.`
    EnumValuesRemoved,
    /// `A unique constraint covering the columns ... will be added.`
    UniqueAdded,
    /// `Added the required column ... without a default value.`
    RequiredColumnAdded,
    /// `Made the column ... required`.
    MadeRequired,
    /// `The primary key for the ... table will be changed.`
    PrimaryKeyChanged,
    /// `You are about to drop the enum ...` or any other drop.
    DropOther,
    /// Anything else.
    Other,
}

/// One warning of the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrismaWarning {
    /// Classification.
    pub kind: WarningKind,
    /// The warning's text (one line, without the leading `- `).
    pub text: String,
    /// Where it is in the file.
    pub range: TextRange,
    /// The table named by the warning, if any.
    pub table: Option<String>,
    /// The column named by the warning, if any.
    pub column: Option<String>,
    /// The enum named by the warning, if any.
    pub enum_name: Option<String>,
    /// Listed values (enum values, unique columns).
    pub values: Vec<String>,
}

/// Parse the warnings of every block comment containing `Warnings:` among `comments`.
pub fn parse_warnings(src: &str, comments: &[Token]) -> Vec<PrismaWarning> {
    let mut out = Vec::new();
    for c in comments {
        if c.kind != TokenKind::Comment {
            continue;
        }
        let text = c.text(src);
        if !text.starts_with("/*") || !text.contains("Warnings:") {
            continue;
        }
        let base = c.start as usize;
        let mut current: Option<(usize, usize)> = None; // byte range in file
        let mut offset = 0usize;
        for line in text.split_inclusive('\n') {
            let line_start = base + offset;
            offset += line.len();
            let trimmed = line.trim();
            let lead = line.len() - line.trim_start().len();
            if let Some(rest) = trimmed.strip_prefix("- ") {
                if let Some(r) = current.take() {
                    out.push(make(src, r));
                }
                let s = line_start + lead + 2;
                current = Some((s, s + rest.trim_end_matches("*/").trim_end().len()));
            } else if trimmed.is_empty() || trimmed == "*/" || trimmed.starts_with("Warnings:") {
                if let Some(r) = current.take() {
                    out.push(make(src, r));
                }
            } else if let Some((s, _)) = current {
                // Continuation line.
                let body = trimmed.trim_end_matches("*/").trim_end();
                current = Some((s, line_start + lead + body.len()));
            }
        }
        if let Some(r) = current.take() {
            out.push(make(src, r));
        }
    }
    out
}

fn make(src: &str, (s, e): (usize, usize)) -> PrismaWarning {
    let e = e.max(s).min(src.len());
    let raw = src.get(s..e).unwrap_or("");
    let text: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let ticks = backticked(&text);
    let values = bracketed(&text);
    let kind = classify(&text);
    let (mut table, mut column, mut enum_name) = (None, None, None);
    match kind {
        WarningKind::DropColumn
        | WarningKind::AlterColumnType
        | WarningKind::RecreateColumn
        | WarningKind::RequiredColumnAdded
        | WarningKind::MadeRequired => {
            column = ticks.first().cloned();
            table = ticks.get(1).cloned();
        }
        WarningKind::DropTable | WarningKind::PrimaryKeyChanged => table = ticks.first().cloned(),
        WarningKind::UniqueAdded => table = ticks.last().cloned(),
        WarningKind::EnumValuesRemoved | WarningKind::DropOther => {
            enum_name = ticks.first().cloned();
        }
        WarningKind::Other => table = ticks.first().cloned(),
    }
    PrismaWarning {
        kind,
        text,
        range: TextRange::new(TextSize::from(s as u32), TextSize::from(e as u32)),
        table,
        column,
        enum_name,
        values,
    }
}

fn classify(t: &str) -> WarningKind {
    let l = t.to_ascii_lowercase();
    if l.contains("drop the column") {
        WarningKind::DropColumn
    } else if l.contains("drop the enum") {
        WarningKind::DropOther
    } else if l.contains("about to drop the") && l.contains("table") {
        WarningKind::DropTable
    } else if l.contains("on the enum") && l.contains("removed") {
        WarningKind::EnumValuesRemoved
    } else if l.contains("unique constraint") {
        WarningKind::UniqueAdded
    } else if l.contains("added the required column") || l.contains("required column") {
        WarningKind::RequiredColumnAdded
    } else if l.contains("made the column") {
        WarningKind::MadeRequired
    } else if l.contains("no cast exists") || l.contains("dropped and recreated") {
        WarningKind::RecreateColumn
    } else if l.contains("alter the column") || l.contains("changed the type") {
        WarningKind::AlterColumnType
    } else if l.contains("primary key") {
        WarningKind::PrimaryKeyChanged
    } else if l.contains("drop") {
        WarningKind::DropOther
    } else {
        WarningKind::Other
    }
}

fn backticked(t: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut parts = t.split('`');
    parts.next();
    while let (Some(inside), _) = (parts.next(), parts.next()) {
        if !inside.starts_with('[') {
            out.push(inside.to_string());
        }
    }
    out
}

fn bracketed(t: &str) -> Vec<String> {
    let Some(open) = t.find('[') else {
        return Vec::new();
    };
    let Some(close) = t[open..].find(']') else {
        return Vec::new();
    };
    t[open + 1..open + close]
        .split(',')
        .map(|v| v.trim().trim_matches('`').to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Dialect;
    use crate::split::split;

    #[test]
    fn parses_prisma_header() {
        let src = "/*\n  Warnings:\n\n  - You are about to drop the column `nickname` on the `Pet` table. All the data in the column will be lost.\n  - The values [BASIC,STANDARD] on the enum `PlanType` will be removed. If these variants are still used in the database, this will fail.\n  - A unique constraint covering the columns `[email]` on the table `User` will be added. If there are existing duplicate values, this will fail.\n  - Added the required column `ownerId` to the `Pet` table without a default value. This is not possible if the table is not empty.\n\n*/\nALTER TABLE \"Pet\" DROP COLUMN \"nickname\";\n";
        let (_, comments, _) = split(src, Dialect::Postgres);
        let w = parse_warnings(src, &comments);
        assert_eq!(w.len(), 4, "{w:#?}");
        assert_eq!(w[0].kind, WarningKind::DropColumn);
        assert_eq!(
            (w[0].table.as_deref(), w[0].column.as_deref()),
            (Some("Pet"), Some("nickname"))
        );
        assert_eq!(w[1].kind, WarningKind::EnumValuesRemoved);
        assert_eq!(w[1].enum_name.as_deref(), Some("PlanType"));
        assert_eq!(w[1].values, ["BASIC", "STANDARD"]);
        assert_eq!(w[2].kind, WarningKind::UniqueAdded);
        assert_eq!(w[2].table.as_deref(), Some("User"));
        assert_eq!(w[2].values, ["email"]);
        assert_eq!(w[3].kind, WarningKind::RequiredColumnAdded);
        assert!(src[usize::from(w[0].range.start())..].starts_with("You are about"));
    }
}
