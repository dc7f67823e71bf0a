//! Shared by the drift rules: turn a drift item into a finding that points at both sides.

use super::{mig_span, stmt_span};
use prisma_audit_core::rule::RawFinding;
use prisma_audit_core::sql::MigrationHistory;
use prisma_audit_core::sql::drift::{DriftItem, DriftKind};

pub(crate) fn finding(h: &MigrationHistory, item: &DriftItem, help: &str) -> RawFinding {
    let sql = item.sql_at.and_then(|at| match item.sql_range {
        Some(r) => mig_span(h, at.migration, r),
        None => stmt_span(h, at),
    });
    let mut f = RawFinding::new(item.anchor.clone(), item.message.clone()).help(help);
    match item.kind {
        DriftKind::Missing | DriftKind::Mismatch => {
            f.span = item.schema_span.or(sql);
            if let (Some(s), true) = (sql, item.schema_span.is_some()) {
                f = f.related(s, "the migrations define it here");
            }
        }
        DriftKind::SqlOnly | DriftKind::MigrationOnly => {
            f.span = sql.or(item.schema_span);
            if let (Some(s), true) = (item.schema_span, sql.is_some()) {
                f = f.related(s, "the schema side");
            }
        }
    }
    f
}
