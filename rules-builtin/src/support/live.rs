//! Helpers of the rules that read the live database snapshot.

use prisma_audit_core::rule::RuleContext;
use prisma_audit_core::span::Span;

/// The schema's declaration (`@@index`, `@unique`, ...) of index `name` on table `table`.
pub(crate) fn declaration(ctx: &RuleContext<'_>, table: &str, name: &str) -> Option<Span> {
    let model = ctx.schema.models().find(|m| m.db_name() == table)?;
    model
        .indexes()
        .into_iter()
        .find(|ix| ctx.schema.index_db_name(model, ix) == name)
        .map(|ix| ix.span)
}

/// `2147483647` → `2,147,483,647`.
pub(crate) fn group(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}
