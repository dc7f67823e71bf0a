use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// With a live database (`--database-url`), reports what SQL can see of point-in-time
    /// recovery: WAL archiving off (`archive_mode`, `archive_command`), a `wal_level` too low
    /// to archive, or an archiver whose last attempt failed (`pg_stat_archiver`).
    ///
    /// Advice, not proof: managed services (RDS, Cloud SQL, Azure, Supabase, Neon) back up
    /// outside PostgreSQL's archiver and often show archiving off, so an off archiver is
    /// information; a failing archiver is medium.
    ///
    /// Silent without a live database.
    ///
    /// ## Why is this bad?
    /// Without archived WAL, the only way back after a bad migration or a deleted table is the
    /// last full dump: every write since is lost. A failing archiver also keeps WAL on disk
    /// until the disk fills and the server stops.
    ///
    /// ## Example
    /// ```text
    /// archive_mode = off
    /// ```
    ///
    /// ## Fix
    /// On a managed service, check that automated backups and point-in-time recovery are on
    /// in its console. Self-hosted: set `wal_level = replica`, `archive_mode = on` and an
    /// `archive_command` (or use pgBackRest, WAL-G, Barman), and test a restore.
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/continuous-archiving.html
    pub struct BackupNotConfigured;
    id = "backup-not-configured",
    summary = "The live database shows no working WAL archiving (point-in-time recovery)",
    category = ScalabilityAndOperations,
    severity = Info,
    fixable = false,
    enabled = true,
}

impl Rule for BackupNotConfigured {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(live) = ctx.live else { return };
        let setting = |k: &str| live.settings.get(k).map(String::as_str);
        if let Some(a) = live.archiver.as_ref().filter(|a| a.failing) {
            out.push(
                RawFinding::new(
                    "archiver-failing",
                    format!(
                        "WAL archiving is failing ({} failed attempts; the last one after the last success): point-in-time recovery has a gap and WAL piles up on disk",
                        a.failed_count
                    ),
                )
                .severity(Severity::Medium)
                .help("Check the server log for the `archive_command` error and fix it; the disk fills with WAL until it works again."),
            );
            return;
        }
        let (Some(mode), Some(level)) = (setting("archive_mode"), setting("wal_level")) else {
            return;
        };
        // `archive_command` is visible only to roles allowed to read all settings.
        let no_command = setting("archive_command").is_some_and(|c| c.trim().is_empty());
        let off = mode == "off" || level == "minimal" || (mode == "on" && no_command);
        if !off {
            return;
        }
        out.push(
            RawFinding::new(
                "archiving-off",
                format!(
                    "WAL archiving is off (archive_mode = {mode}, wal_level = {level}): this server keeps no point-in-time recovery of its own"
                ),
            )
            .help("On a managed service this is normal: check that automated backups and point-in-time recovery are on in its console. Self-hosted: archive WAL (pgBackRest, WAL-G, Barman) and test a restore."),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, live, table};
    use prisma_audit_core::live::LiveArchiver;

    const ID: &str = "backup-not-configured";

    fn server(mode: &str, command: &str, failing: bool) -> Case {
        let mut snap = live(Vec::new());
        snap.settings.insert("archive_mode".into(), mode.into());
        snap.settings.insert("wal_level".into(), "replica".into());
        snap.settings
            .insert("archive_command".into(), command.into());
        snap.archiver = Some(LiveArchiver {
            archived_count: 10,
            failed_count: u8::from(failing).into(),
            last_archived_age_seconds: Some(60),
            failing,
        });
        Case::schema("datasource db {\n  provider = \"postgresql\"\n}\n").live(snap)
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[server("on", "pgbackrest archive-push %p", false)],
            &[
                server("off", "", false),
                server("on", "pgbackrest archive-push %p", true)
            ],
        ));
    }
}
