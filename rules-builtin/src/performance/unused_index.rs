use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// With a live database (`--database-url`), reports indexes no query has used
    /// (`pg_stat_user_indexes.idx_scan = 0`) since the statistics began at least
    /// `minStatsDays` days ago (default 14), with the schema's declaration of the index as the
    /// location when it has one.
    ///
    /// Deliberately quiet:
    /// - indexes behind a primary key, a unique constraint or a unique index: they enforce
    ///   rules, whether or not queries read them;
    /// - when the statistics are younger than `minStatsDays` (a fresh database, a restore, a
    ///   `pg_stat_reset()`), every index looks unused;
    /// - the statistics of the database checked only: a replica that serves reads keeps its own,
    ///   so check it too before dropping anything.
    ///
    /// Silent without a live database.
    ///
    /// ## Why is this bad?
    /// Every insert and every update of an indexed column writes to each index. An index no
    /// query reads costs write time, disk, memory and vacuum work for nothing.
    ///
    /// ## Example
    /// ```text
    /// "Pet_name_idx"  idx_scan = 0 over 30 days, 48 MB
    /// ```
    ///
    /// ## Fix
    /// Confirm on every replica, then remove the `@@index` from the schema and let the next
    /// migration drop it.
    ///
    /// ## Options
    /// - `minStatsDays`: statistics younger than this many days say nothing (default 14).
    ///
    /// ```toml
    /// [rules.unused-index]
    /// minStatsDays = 30
    /// ```
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ALL-INDEXES-VIEW
    /// - https://github.com/ankane/pghero (unused indexes)
    pub struct UnusedIndex;
    id = "unused-index",
    summary = "Indexes no query used in the live database's statistics",
    category = Performance,
    severity = Low,
    fixable = false,
    enabled = true,
}

/// Options of `unused-index`.
#[derive(Debug, Clone, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct UnusedIndexOptions {
    /// Statistics younger than this many days say nothing (default 14).
    #[serde(default = "default_days")]
    pub min_stats_days: u32,
}

impl Default for UnusedIndexOptions {
    fn default() -> Self {
        UnusedIndexOptions {
            min_stats_days: default_days(),
        }
    }
}

impl prisma_audit_core::rule::RuleOptions for UnusedIndexOptions {}

fn default_days() -> u32 {
    14
}

impl Rule for UnusedIndex {
    prisma_audit_core::rule_options!(UnusedIndexOptions);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(live) = ctx.live else { return };
        let days = ctx.options::<UnusedIndexOptions>().min_stats_days;
        let Some(age) = live.stats_age_seconds else {
            return;
        };
        if age < i64::from(days) * 86_400 {
            return;
        }
        for ix in live
            .indexes
            .iter()
            .filter(|i| i.valid && i.scans == 0 && !i.unique && !i.primary && !i.constraint)
        {
            let declared = crate::support::live::declaration(ctx, &ix.table, &ix.name);
            let message = format!(
                "Index `{}` on `{}` was never used in {} days of statistics ({}), yet every write to `{}` maintains it",
                ix.name,
                ix.table,
                age / 86_400,
                human_size(ix.size_bytes),
                ix.table
            );
            let help = "Check the replicas that serve reads (each keeps its own statistics). If none uses it, remove the `@@index` from the schema and let the next migration drop it.";
            let mut f = RawFinding::new(format!("{}.{}", ix.schema, ix.name), message).help(help);
            if let Some(span) = declared {
                f = f.at(span);
            }
            out.push(f);
        }
    }
}

fn human_size(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if b >= 1024.0 * 1024.0 * 1024.0 {
        format!("{:.1} GB", b / (1024.0 * 1024.0 * 1024.0))
    } else if b >= 1024.0 * 1024.0 {
        format!("{:.1} MB", b / (1024.0 * 1024.0))
    } else {
        format!("{} kB", (b / 1024.0).ceil() as i64)
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, live, table};
    use prisma_audit_core::live::LiveIndex;

    const ID: &str = "unused-index";

    fn case(f: impl Fn(&mut LiveIndex), days: i64) -> Case {
        let mut snapshot = live(Vec::new());
        snapshot.stats_age_seconds = Some(days * 86_400);
        let mut ix = LiveIndex {
            schema: "public".into(),
            table: "Pet".into(),
            name: "Pet_name_idx".into(),
            valid: true,
            scans: 0,
            size_bytes: 48 * 1024 * 1024,
            ..LiveIndex::default()
        };
        f(&mut ix);
        snapshot.indexes.push(ix);
        Case::schema(
            "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel Pet {\n  id   Int    @id\n  name String\n\n  @@index([name])\n}\n",
        )
        .live(snapshot)
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                case(|i| i.scans = 3, 30),
                // Statistics too young.
                case(|_| {}, 2),
                // Enforces uniqueness.
                case(|i| i.unique = true, 30),
                case(|i| i.constraint = true, 30),
            ],
            &[case(|_| {}, 30)],
        ));
    }
}
