use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// With a live database (`--database-url`), reports sequences that have handed out more
    /// than half of their range (`pg_sequences.last_value` against `max_value`): the
    /// `autoincrement()` ids of `Int` columns stop at 2,147,483,647. High from 50 %, critical
    /// from 80 %.
    ///
    /// Silent without a live database.
    ///
    /// ## Why is this bad?
    /// When the sequence reaches its maximum, every insert into the table fails ("nextval:
    /// reached maximum value of sequence"). Widening a large table's key to `BIGINT` rewrites
    /// the table and every referencing column under an exclusive lock, which takes long on a
    /// table big enough to get there: it must be planned well before.
    ///
    /// ## Example
    /// ```text
    /// "Event_id_seq": 1,932,735,283 of 2,147,483,647 (90 %)
    /// ```
    ///
    /// ## Fix
    /// Change the id and every column that references it to `BigInt` (a migration that rewrites
    /// the tables, or a new column filled in the background and swapped in), and
    /// `ALTER SEQUENCE ... AS bigint`.
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/view-pg-sequences.html
    /// - https://www.crunchydata.com/blog/the-integer-at-the-end-of-the-universe-integer-overflow-in-postgres
    pub struct SequenceNearMax;
    id = "sequence-near-max",
    summary = "A sequence of the live database has used most of its range",
    category = ScalabilityAndOperations,
    severity = High,
    fixable = false,
    enabled = true,
}

impl Rule for SequenceNearMax {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(live) = ctx.live else { return };
        for seq in live.sequences.iter().filter(|s| s.used() >= 0.5) {
            let used = seq.used();
            let owner = seq
                .owned_by
                .as_ref()
                .map(|(t, c)| format!(" (`{t}.{c}`)"))
                .unwrap_or_default();
            let message = format!(
                "Sequence `{}`{owner} has handed out {} of {} ({:.0} %): inserts fail when it runs out",
                seq.name,
                crate::support::live::group(seq.last_value.unwrap_or(0)),
                crate::support::live::group(seq.max_value),
                used * 100.0
            );
            let help = "Widen the id and every column that references it to `BigInt`, and run `ALTER SEQUENCE ... AS bigint`; on a large table plan it (a new column filled in the background) well before the sequence runs out.";
            let mut f = RawFinding::new(format!("{}.{}", seq.schema, seq.name), message)
                .severity(if used >= 0.8 {
                    Severity::Critical
                } else {
                    Severity::High
                })
                .help(help);
            let field = seq.owned_by.as_ref().and_then(|(t, c)| {
                let m = ctx.schema.models().find(|m| m.db_name() == t.as_str())?;
                m.scalar_fields().find(|f| f.db_name() == c.as_str())
            });
            if let Some(field) = field {
                f = f.at(field.name_span);
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, live, table};
    use prisma_audit_core::live::LiveSequence;

    const ID: &str = "sequence-near-max";

    fn at(last: Option<i64>) -> Case {
        let mut snap = live(Vec::new());
        snap.sequences.push(LiveSequence {
            schema: "public".into(),
            name: "Event_id_seq".into(),
            last_value: last,
            max_value: 2_147_483_647,
            owned_by: Some(("Event".into(), "id".into())),
        });
        Case::schema(
            "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel Event {\n  id Int @id @default(autoincrement())\n}\n",
        )
        .live(snap)
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[at(None), at(Some(1_000_000))],
            &[at(Some(1_200_000_000)), at(Some(1_932_735_283))],
        ));
    }
}
