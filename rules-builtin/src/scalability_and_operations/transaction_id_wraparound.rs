use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// With a live database (`--database-url`), reports a database whose oldest unfrozen
    /// transaction ID is more than 500 million transactions old (`age(datfrozenxid)`), of the
    /// about 2 billion PostgreSQL allows. High from 500 million, critical from 1.2 billion.
    ///
    /// Silent without a live database.
    ///
    /// ## Why is this bad?
    /// Autovacuum freezes old rows so transaction IDs can be reused. When it falls behind (a
    /// long-running transaction, an abandoned replication slot, autovacuum turned off or
    /// throttled), PostgreSQL first forces aggressive vacuums and, 3 million transactions before
    /// wraparound, refuses every write until a manual `VACUUM` finishes: an outage of hours on a
    /// large database.
    ///
    /// ## Example
    /// ```text
    /// age(datfrozenxid) = 1,300,000,000
    /// ```
    ///
    /// ## Fix
    /// Find what holds vacuum back (`pg_stat_activity` for old transactions,
    /// `pg_replication_slots`, `pg_prepared_xacts`), then run `VACUUM (FREEZE, VERBOSE)` on the
    /// tables with the oldest `relfrozenxid`.
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/routine-vacuuming.html#VACUUM-FOR-WRAPAROUND
    pub struct TransactionIdWraparound;
    id = "transaction-id-wraparound",
    summary = "The live database is heading for transaction-ID wraparound",
    category = ScalabilityAndOperations,
    severity = High,
    fixable = false,
    enabled = true,
}

impl Rule for TransactionIdWraparound {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(age) = ctx.live.and_then(|l| l.xid_age) else {
            return;
        };
        if age < 500_000_000 {
            return;
        }
        let message = format!(
            "The database's oldest unfrozen transaction is {} million transactions old ({:.0} % of the way to wraparound, where PostgreSQL stops accepting writes)",
            age / 1_000_000,
            age as f64 / 2_000_000_000.0 * 100.0
        );
        let help = "Find what holds vacuum back (old transactions in `pg_stat_activity`, `pg_replication_slots`, `pg_prepared_xacts`), then `VACUUM (FREEZE)` the tables with the oldest `relfrozenxid`.";
        out.push(
            RawFinding::new("xid-age", message)
                .severity(if age >= 1_200_000_000 {
                    Severity::Critical
                } else {
                    Severity::High
                })
                .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, live, table};

    const ID: &str = "transaction-id-wraparound";

    fn at(age: i64) -> Case {
        let mut snap = live(Vec::new());
        snap.xid_age = Some(age);
        Case::schema("datasource db {\n  provider = \"postgresql\"\n}\n").live(snap)
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[at(5_000), at(200_000_000)],
            &[at(700_000_000), at(1_300_000_000)],
        ));
    }
}
