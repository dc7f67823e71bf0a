//! Helpers of the rules that read the migration history: spans of statements and migration
//! folders, Prisma's warnings as evidence, copies of a table made earlier in a migration,
//! explaining comments, SQL-only fixes, identifier quoting, and (in tests) projects built from
//! migration folders.

use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::rule::RawFix;
use prisma_audit_core::span::Span;
use prisma_audit_core::sql::catalog::StmtRef;
use prisma_audit_core::sql::replay::{DataVerb, Effect};
use prisma_audit_core::sql::warnings::{PrismaWarning, WarningKind};
use prisma_audit_core::sql::{Migration, MigrationHistory};
use prisma_audit_core::{TextRange, TextSize};

/// The span of a statement.
pub(crate) fn stmt_span(h: &MigrationHistory, at: StmtRef) -> Option<Span> {
    h.stmt_span(at.migration, at.statement)
}

/// A span inside migration `mig`.
pub(crate) fn mig_span(h: &MigrationHistory, mig: usize, range: TextRange) -> Option<Span> {
    h.migrations.get(mig)?.span(range)
}

/// The start of a migration's SQL file, or its first other file.
pub(crate) fn folder_span(h: &MigrationHistory, mig: usize) -> Option<Span> {
    let m = h.migrations.get(mig)?;
    let file = m.file.or_else(|| m.other_files.first().copied())?;
    Some(Span::new(file, TextRange::empty(TextSize::from(0))))
}

/// The Prisma warning of migration `mig` matching `kind` and `pred`, as a related location.
pub(crate) fn warning_evidence(
    h: &MigrationHistory,
    mig: usize,
    kinds: &[WarningKind],
    pred: impl Fn(&PrismaWarning) -> bool,
) -> Option<(Span, String)> {
    let m = h.migrations.get(mig)?;
    let w = m
        .warnings
        .iter()
        .find(|w| kinds.contains(&w.kind) && pred(w))?;
    Some((
        m.span(w.range)?,
        format!("Prisma warned when generating this migration: {}", w.text),
    ))
}

/// Whether an earlier statement of migration `mig` copies table `table`'s rows into another
/// table (`INSERT ... SELECT ... FROM table`, `CREATE TABLE ... AS SELECT ... FROM table`,
/// `SELECT ... INTO backup FROM table`): what is deleted or dropped afterwards is kept there.
pub(crate) fn table_copied_before(
    h: &MigrationHistory,
    mig: usize,
    si: usize,
    table: &str,
) -> bool {
    let m = &h.migrations[mig];
    let table = table.to_ascii_lowercase();
    m.statements[..si.min(m.statements.len())].iter().any(|s| {
        let text = m
            .text(s.range)
            .to_ascii_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let reads = text.contains("select")
            && text.split("from").skip(1).any(|rest| {
                let name = rest
                    .trim_start()
                    .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == ')')
                    .next()
                    .unwrap_or("");
                name.rsplit('.')
                    .next()
                    .unwrap_or("")
                    .trim_matches(|c| c == '"' || c == '`')
                    == table
            });
        let select_into = text.trim_start().starts_with("select")
            && text
                .split("from")
                .next()
                .is_some_and(|head| head.contains(" into "));
        reads
            && (select_into
                || s.effects.iter().any(|e| match e {
                    Effect::DataChange {
                        verb: DataVerb::Insert,
                        table: t,
                        ..
                    }
                    | Effect::CreateTable { table: t, .. } => t.name.to_ascii_lowercase() != table,
                    _ => false,
                }))
    })
}

/// Whether any comment of migration `m` has one of `words` (ASCII letters, any case): its
/// authors discuss the matter, e.g. locks or transactions.
pub(crate) fn comments_mention(m: &Migration, words: &[&str]) -> bool {
    m.comments.iter().any(|c| {
        c.text(&m.sql)
            .split(|ch: char| !ch.is_ascii_alphabetic())
            .any(|w| words.iter().any(|k| w.eq_ignore_ascii_case(k)))
    })
}

/// Whether statement `si` of `m` is introduced by a comment that explains it (a sentence, not
/// one of Prisma's `-- CreateIndex` section headers or a suppression): a deliberate change.
pub(crate) fn explained(m: &Migration, si: usize) -> bool {
    let Some(stmt) = m.statements.get(si) else {
        return false;
    };
    let from = si
        .checked_sub(1)
        .and_then(|p| m.statements.get(p))
        .map_or(TextSize::from(0), |p| p.range.end());
    m.comments.iter().any(|c| {
        let start = TextSize::from(c.start);
        if start < from || start > stmt.range.start() {
            return false;
        }
        let text = c.text(&m.sql);
        let words = text
            .split(|ch: char| !ch.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .count();
        words >= 3 && !text.contains("prisma-audit-ignore") && !text.contains("Warnings:")
    })
}

/// A fix that is only SQL to put in a new migration.
pub(crate) fn sql_fix(title: impl Into<String>, sql: impl Into<String>) -> RawFix {
    RawFix {
        title: title.into(),
        safety: FixSafety::Unsafe,
        edits: Vec::new(),
        sql: Some(sql.into()),
    }
}

/// Quote an identifier for the history's dialect.
pub(crate) fn quote(h: &MigrationHistory, name: &str) -> String {
    match h.dialect {
        prisma_audit_core::sql::Dialect::MySql => format!("`{name}`"),
        _ => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}
