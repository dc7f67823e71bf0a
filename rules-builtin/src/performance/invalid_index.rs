use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// With a live database (`--database-url`), reports indexes PostgreSQL marks invalid
    /// (`pg_index.indisvalid = false`), with the schema's declaration of the index as the
    /// location when it has one.
    ///
    /// Silent without a live database.
    ///
    /// ## Why is this bad?
    /// A `CREATE INDEX CONCURRENTLY` that failed (a deadlock, a duplicate for a unique index, a
    /// cancelled migration) leaves the index behind, invalid: the planner never uses it, yet
    /// every write still maintains it. Queries the schema believes indexed scan the table, a
    /// unique index that is invalid enforces nothing, and Prisma's migrations consider the index
    /// created.
    ///
    /// ## Example
    /// ```text
    /// "Pet_customerId_idx" INVALID   (CREATE INDEX CONCURRENTLY failed)
    /// ```
    ///
    /// ## Fix
    /// `DROP INDEX CONCURRENTLY "name";` then build it again (`CREATE INDEX CONCURRENTLY ...`),
    /// or `REINDEX INDEX CONCURRENTLY "name";` (PostgreSQL 12+). For a unique index, remove
    /// the duplicates first.
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY
    pub struct InvalidIndex;
    id = "invalid-index",
    summary = "An index the live database marks invalid (a failed concurrent build)",
    category = Performance,
    severity = High,
    fixable = false,
    enabled = true,
}

impl Rule for InvalidIndex {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(live) = ctx.live else { return };
        for ix in live.indexes.iter().filter(|i| !i.valid) {
            let declared = crate::support::live::declaration(ctx, &ix.table, &ix.name);
            let message = format!(
                "Index `{}` on `{}` is invalid in the database: the planner never uses it{}, yet every write maintains it",
                ix.name,
                ix.table,
                if ix.unique {
                    " and it enforces no uniqueness"
                } else {
                    ""
                }
            );
            let help = format!(
                "A `CREATE INDEX CONCURRENTLY` failed and left it behind. Rebuild it: `REINDEX INDEX CONCURRENTLY \"{}\";` (PostgreSQL 12+), or drop it concurrently and create it again{}.",
                ix.name,
                if ix.unique {
                    " after removing the duplicates"
                } else {
                    ""
                }
            );
            let mut f = RawFinding::new(format!("{}.{}", ix.schema, ix.name), message).help(help);
            if let Some(span) = declared {
                f = f.at(span);
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, live, table};
    use prisma_audit_core::live::LiveIndex;

    const ID: &str = "invalid-index";

    fn with_index(valid: bool) -> Case {
        let mut snapshot = live(Vec::new());
        snapshot.indexes.push(LiveIndex {
            schema: "public".into(),
            table: "Pet".into(),
            name: "Pet_ownerId_idx".into(),
            valid,
            ..LiveIndex::default()
        });
        Case::schema(
            "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel Pet {\n  id      Int @id\n  ownerId Int\n\n  @@index([ownerId])\n}\n",
        )
        .live(snapshot)
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(ID, &[with_index(true)], &[with_index(false)]));
    }
}
