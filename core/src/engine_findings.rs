//! Findings the engine reports itself, after the rules ran: they are bookkeeping over every
//! rule's findings, not checks. Their metadata sits beside the rules' (rule list, docs, SARIF,
//! configuration) so they can be configured, suppressed and documented like any rule.

use crate::rule::{RawFinding, RuleMeta};

/// The metadata constant of an engine finding, its docs taken from the doc comment like
/// [`declare_rule!`](crate::declare_rule) does for rules.
macro_rules! engine_finding {
    (
        $(#[doc = $doc:literal])*
        pub const $name:ident;
        id = $id:literal,
        summary = $summary:literal,
        category = $category:ident,
        severity = $severity:ident,
        enabled = $enabled:literal $(,)?
    ) => {
        $(#[doc = $doc])*
        pub const $name: RuleMeta = RuleMeta {
            id: $id,
            summary: $summary,
            category: crate::finding::Category::$category,
            default_severity: crate::finding::Severity::$severity,
            docs: concat!($($doc, "\n"),*),
            fixable: false,
            default_enabled: $enabled,
        };
    };
}

/// Every engine finding's metadata.
pub const ENGINE_FINDINGS: &[&RuleMeta] = &[&UNUSED_SUPPRESSION, &MIGRATIONS_NOT_JUDGED];

engine_finding! {
    /// ## What it does
    /// Reports `prisma-audit-ignore` comments that silenced no finding.
    ///
    /// ## Why is this bad?
    /// A stale suppression (the problem was fixed, or the rule id is misspelt) silently hides
    /// the next real problem at that place.
    ///
    /// ## Example
    /// ```prisma
    /// // prisma-audit-ignore missing-fk-index -- fixed long ago
    /// model Pet { ... }
    /// ```
    ///
    /// ## Fix
    /// Delete the comment or correct the rule id.
    pub const UNUSED_SUPPRESSION;
    id = "unused-suppression",
    summary = "A suppression comment silences nothing",
    category = ScalabilityAndOperations,
    severity = Info,
    enabled = true,
}

engine_finding! {
    /// ## What it does
    /// Says what the migration safety rules (`locking-migration`, `destructive-migration`,
    /// `unbounded-data-change`, `enum-values-removed`, ...) did not judge: by default they judge
    /// only the migrations that have not run yet, and this finding counts what they would
    /// report on the others. It points at the newest judged migration (the newest migration
    /// when none is pending).
    ///
    /// ## Why is this bad?
    /// It is not: a lock taken by a migration that ran long ago cannot be acted on. The finding
    /// keeps the choice visible, and names the flag that shows everything.
    ///
    /// Which migrations are pending: a list given by the caller (a live database, a deploy
    /// tool), else, in a git work tree, the migration folders added or changed since the
    /// branch's merge base with the CI's base branch or the default branch, plus uncommitted
    /// ones; else the newest migration.
    ///
    /// ## Fix
    /// Nothing to fix. `--migrations all` judges every migration; `--migrations N` the newest N;
    /// `--since REF` takes the folders changed since a git ref as pending.
    pub const MIGRATIONS_NOT_JUDGED;
    id = "migrations-not-judged",
    summary = "Migration findings left out because those migrations are not pending",
    category = MigrationIntegrity,
    severity = Info,
    enabled = true,
}

/// The summary finding: how many findings each safety rule has outside the scope. It points at
/// the newest judged migration (or the newest migration when none is pending).
pub(crate) fn not_judged_finding(
    info: &crate::sql::ScopeInfo,
    per_rule: &[(&str, usize)],
    history: Option<&crate::sql::MigrationHistory>,
) -> RawFinding {
    let at = history.and_then(|h| {
        let i = info
            .judged
            .last()
            .and_then(|name| h.migrations.iter().position(|m| &m.name == name))
            .or_else(|| h.migrations.len().checked_sub(1))?;
        let m = &h.migrations[i];
        let file = m.file.or_else(|| m.other_files.first().copied())?;
        Some(crate::span::Span::new(
            file,
            crate::TextRange::empty(crate::TextSize::from(0)),
        ))
    });
    let total: usize = per_rule.iter().map(|(_, n)| n).sum();
    let rules: Vec<String> = per_rule.iter().map(|(id, n)| format!("{id} {n}")).collect();
    let message = if info.judged.is_empty() {
        format!(
            "The migration safety rules judged nothing: no migration is pending ({}); the {} \
             migrations hold {total} findings they would report ({}). Run with \
             `--migrations all` to see them",
            info.source,
            info.not_judged,
            rules.join(", ")
        )
    } else {
        let judged = match info.judged.len() {
            1 => format!("judged `{}` only", info.judged[0]),
            n => format!("judged the {n} pending migrations"),
        };
        format!(
            "The migration safety rules {judged} ({}); the {} other migrations hold {total} \
             findings they would report ({}). Run with `--migrations all` to see them",
            info.source,
            info.not_judged,
            rules.join(", ")
        )
    };
    let mut f = RawFinding::new("migration-scope", message);
    f.span = at;
    f.help(
        "Migrations that already ran cannot be changed: their locks and data loss are history. \
         Pass the pending migrations explicitly (`--since REF`, or a list from the bindings) \
         when the default guess is not right for this checkout.",
    )
}
