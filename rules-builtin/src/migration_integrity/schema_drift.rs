use crate::support::drift::{drift_items, finding, history_builds_databases};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::sql::drift::DriftKind;

declare_rule! {
    /// ## What it does
    /// Replays the migration history and compares the database it builds with what the schema
    /// implies: column types (with Prisma's default native types, e.g. `DateTime` →
    /// `timestamp(3)`, `Decimal` → `decimal(65,30)`), nullability, database defaults the schema
    /// relies on, primary keys, indexes and unique constraints, foreign-key targets and
    /// `ON DELETE` actions, enum values — honouring `@map`, `@@map` and `@@schema`. It also
    /// reports tables, columns, plain indexes, foreign keys and enum types the migrations
    /// create but the schema does not declare, which the next `prisma migrate dev` drops (an
    /// enum type only while no column of a modelled table uses it). Each finding points at both
    /// sides.
    ///
    /// Indexes are matched the way Prisma's differ matches them — by table, columns (in order)
    /// and uniqueness — so a name that differs (Prisma 2 names, `ALTER INDEX ... RENAME`,
    /// PostgreSQL's 63-byte truncation) is not drift, and neither is an undeclared index that
    /// duplicates a declared one (Prisma's differ matches both to the declaration and keeps
    /// them; `migration-only-object` lists it). One Prisma cannot declare (e.g. `hnsw`) says
    /// so. Severity follows
    /// the consequence: high for types, nullability, missing defaults on required columns, key
    /// and target changes and columns or tables Prisma would drop; medium for `ON DELETE`
    /// differences and undeclared indexes.
    ///
    /// Deliberately quiet (the replay cannot know, or nothing changes): time types that differ
    /// only in fractional-second precision; columns of domain types; defaults only the
    /// database has; `ON UPDATE` actions the schema leaves implicit; tables built by `CREATE
    /// TABLE ... AS` (derived copies: columns, keys and foreign keys unknown); partial indexes
    /// the schema declares without their predicate; models documented as views (`/// @view`,
    /// the convention of scripts that keep views out of Prisma Migrate); anything a `DO`
    /// block or other unmodelled statement names; histories locked to another provider (see
    /// `migration-lock-provider`) and projects whose scripts only run `prisma db push`.
    /// MongoDB has no history.
    ///
    /// Confidence: certain. Every finding is a fact about the replayed history; where the
    /// replay could be incomplete (the silences above) the rule stays quiet rather than
    /// guess.
    ///
    /// ## Why is this bad?
    /// The schema and the history disagree about the database: someone edited a migration,
    /// changed the database by hand and pulled, or edited the schema without generating a
    /// migration. The next `prisma migrate dev` generates a migration that "fixes" the
    /// difference (often dropping what the SQL added), and Prisma Client's assumptions (types,
    /// nullability) do not hold on databases built from the history.
    ///
    /// ## Example
    /// ```prisma
    /// model Pet { weight Decimal? @db.Decimal(6, 2) }  // history: "weight" DECIMAL(65,30)
    /// ```
    ///
    /// ## Fix
    /// Decide which side is right. Schema right: `prisma migrate dev` generates the migration.
    /// History right: change the schema (`prisma db pull` on a database built from the history
    /// shows it). Check with `prisma migrate diff --from-migrations prisma/migrations
    /// --to-schema prisma/schema.prisma --shadow-database-url ...`.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-migrate/workflows/troubleshooting
    /// - https://www.prisma.io/docs/orm/reference/prisma-cli-reference#migrate-diff
    pub struct SchemaDrift;
    id = "schema-drift",
    summary = "The migrations build a database that differs from the schema",
    category = MigrationIntegrity,
    severity = High,
    fixable = false,
    enabled = true,
}

impl Rule for SchemaDrift {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(h) = ctx.migrations else { return };
        if ctx.schema.models.is_empty() || !history_builds_databases(ctx, h) {
            return;
        }
        for item in drift_items(ctx, h) {
            let help = match item.kind {
                DriftKind::Mismatch => {
                    "The schema and the migration history disagree. If the schema is right, run `prisma migrate dev` to generate the migration; if the history is right, change the schema. Confirm with `prisma migrate diff --from-migrations ... --to-schema ...`."
                }
                DriftKind::SqlOnly => {
                    "Prisma does not know this object, so the next `prisma migrate dev` generates a migration that drops it. Declare it in the schema, or drop it deliberately in a migration."
                }
                _ => continue,
            };
            out.push(finding(h, &item, help));
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::support::test_util::findings;

    pub(crate) const SCHEMA: &str = "datasource db {\n  provider = \"postgresql\"\n}\n\nenum Plan {\n  BASIC\n  PRO\n}\n\nmodel Owner {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n  pets  Pet[]\n  @@map(\"owners\")\n}\n\nmodel Pet {\n  id        String   @id\n  name      String   @db.VarChar(100)\n  weight    Decimal?\n  plan      Plan     @default(BASIC)\n  ownerId   Int      @map(\"owner_id\")\n  owner     Owner    @relation(fields: [ownerId], references: [id], onDelete: Cascade)\n  createdAt DateTime @default(now())\n  @@index([ownerId])\n}\n";

    pub(crate) const SQL: &str = "-- CreateEnum\nCREATE TYPE \"Plan\" AS ENUM ('BASIC', 'PRO');\n\n-- CreateTable\nCREATE TABLE \"owners\" (\n    \"id\" SERIAL NOT NULL,\n    \"email\" TEXT NOT NULL,\n\n    CONSTRAINT \"owners_pkey\" PRIMARY KEY (\"id\")\n);\n\n-- CreateTable\nCREATE TABLE \"Pet\" (\n    \"id\" TEXT NOT NULL,\n    \"name\" VARCHAR(100) NOT NULL,\n    \"weight\" DECIMAL(65,30),\n    \"plan\" \"Plan\" NOT NULL DEFAULT 'BASIC',\n    \"owner_id\" INTEGER NOT NULL,\n    \"createdAt\" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,\n\n    CONSTRAINT \"Pet_pkey\" PRIMARY KEY (\"id\")\n);\n\n-- CreateIndex\nCREATE UNIQUE INDEX \"owners_email_key\" ON \"owners\"(\"email\");\n\n-- CreateIndex\nCREATE INDEX \"Pet_owner_id_idx\" ON \"Pet\"(\"owner_id\");\n\n-- AddForeignKey\nALTER TABLE \"Pet\" ADD CONSTRAINT \"Pet_owner_id_fkey\" FOREIGN KEY (\"owner_id\") REFERENCES \"owners\"(\"id\") ON DELETE CASCADE ON UPDATE CASCADE;\n";

    pub(crate) fn run(
        rule: &str,
        schema: &str,
        sql: &str,
    ) -> Vec<prisma_audit_core::finding::Finding> {
        findings(
            rule,
            &[
                ("prisma/schema.prisma", schema),
                (
                    "prisma/migrations/migration_lock.toml",
                    "provider = \"postgresql\"\n",
                ),
                ("prisma/migrations/20250101000000_init/migration.sql", sql),
            ],
        )
    }

    #[test]
    fn in_sync_history_has_no_drift() {
        for rule in ["schema-drift", "missing-migration", "migration-only-object"] {
            let f = run(rule, SCHEMA, SQL);
            assert!(f.is_empty(), "{rule}: {f:#?}");
        }
    }

    #[test]
    fn edited_copies_give_exactly_the_differences() {
        let sql = SQL
            .replace("\"weight\" DECIMAL(65,30)", "\"weight\" DECIMAL(6,2)")
            .replace("\"name\" VARCHAR(100) NOT NULL", "\"name\" VARCHAR(100)")
            .replace("ON DELETE CASCADE", "ON DELETE RESTRICT")
            .replace(
                "    \"createdAt\"",
                "    \"legacy\" TEXT,\n    \"createdAt\"",
            );
        let f = run("schema-drift", SCHEMA, &sql);
        let mut got: Vec<&str> = f.iter().map(|f| f.message.as_str()).collect();
        got.sort();
        assert_eq!(got.len(), 4, "{got:#?}");
        assert!(got.iter().any(|m| m.contains("Pet.weight")
            && m.contains("numeric(6,2)")
            && m.contains("numeric(65,30)")));
        assert!(
            got.iter()
                .any(|m| m.contains("Pet.name") && m.contains("nullable"))
        );
        assert!(
            got.iter()
                .any(|m| m.contains("Pet_owner_id_fkey") && m.contains("ON DELETE RESTRICT"))
        );
        assert!(got.iter().any(|m| m.contains("Pet.legacy")));
        let weight = f.iter().find(|f| f.message.contains("Pet.weight")).unwrap();
        assert_eq!(
            weight
                .location
                .as_ref()
                .map(|l| (l.file.as_str(), l.start.line)),
            Some(("prisma/schema.prisma", 20))
        );
        assert_eq!(weight.related[0].location.start.line, 16);
    }

    fn messages(rule: &str, schema: &str, sql: &str) -> Vec<String> {
        run(rule, schema, sql)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn enum_types_the_schema_does_not_declare() {
        // `prisma migrate diff` drops an enum type only the migrations create ...
        let sql = SQL.to_string() + "CREATE TYPE \"Mood\" AS ENUM ('CALM', 'ANGRY');\n";
        let f = messages("schema-drift", SCHEMA, &sql);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].contains("Enum type `Mood`") && f[0].contains("drops it"));
        assert!(messages("missing-migration", SCHEMA, &sql).is_empty());
        // ... but not while a column of a known table has the type (`Unsupported("Mood")`), nor
        // once a later migration drops it.
        let schema = SCHEMA.replace(
            "  createdAt DateTime @default(now())\n",
            "  createdAt DateTime @default(now())\n  mood      Unsupported(\"Mood\")?\n",
        );
        let used = sql.clone() + "ALTER TABLE \"Pet\" ADD COLUMN \"mood\" \"Mood\";\n";
        let f = messages("schema-drift", &schema, &used);
        assert!(f.is_empty(), "{f:#?}");
        let dropped = sql + "DROP TYPE \"Mood\";\n";
        let f = messages("schema-drift", SCHEMA, &dropped);
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn foreign_keys_no_relation_declares() {
        // A plain scalar column in the schema, a foreign key on it in the migrations: `prisma
        // migrate diff` drops the constraint.
        let schema = SCHEMA.replace(
            "  createdAt DateTime @default(now())\n",
            "  createdAt DateTime @default(now())\n  vetId     Int?\n",
        );
        let sql = SQL.to_string()
            + "ALTER TABLE \"Pet\" ADD COLUMN \"vetId\" INTEGER;\n\
               ALTER TABLE \"Pet\" ADD CONSTRAINT \"Pet_vetId_fkey\" FOREIGN KEY (\"vetId\") REFERENCES \"owners\"(\"id\") ON DELETE SET NULL ON UPDATE CASCADE;\n";
        let f = messages("schema-drift", &schema, &sql);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].contains("`Pet_vetId_fkey`") && f[0].contains("no relation declares it"),
            "{f:#?}"
        );
        // Declared as a relation: nothing.
        let schema = schema
            .replace(
                "  vetId     Int?\n",
                "  vetId     Int?\n  vet       Owner?   @relation(\"vet\", fields: [vetId], references: [id])\n",
            )
            .replace("  pets  Pet[]\n", "  pets  Pet[]\n  cared Pet[]    @relation(\"vet\")\n");
        let f = messages("schema-drift", &schema, &sql);
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn mysql_unnamed_foreign_keys_are_dropped_by_their_generated_name() {
        // MySQL names `ADD FOREIGN KEY` without a name `<table>_ibfk_<n>`; Prisma 2 histories
        // drop them by that name when Prisma 3 renamed them `<table>_<columns>_fkey`.
        let schema = "datasource db {\n  provider = \"mysql\"\n}\n\nmodel User {\n  id       Int       @id\n  projects Project[]\n}\n\nmodel Project {\n  id      Int  @id\n  ownerId Int\n  owner   User @relation(fields: [ownerId], references: [id])\n\n  @@index([ownerId])\n}\n";
        let init = "CREATE TABLE `User` (\n    `id` INTEGER NOT NULL,\n\n    PRIMARY KEY (`id`)\n) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n\nCREATE TABLE `Project` (\n    `id` INTEGER NOT NULL,\n    `ownerId` INTEGER NOT NULL,\n\n    INDEX `Project_ownerId_idx`(`ownerId`),\n    PRIMARY KEY (`id`)\n) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n\nALTER TABLE `Project` ADD FOREIGN KEY (`ownerId`) REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;\n";
        let rename = "ALTER TABLE `Project` DROP FOREIGN KEY `Project_ibfk_1`;\n\nALTER TABLE `Project` ADD CONSTRAINT `Project_ownerId_fkey` FOREIGN KEY (`ownerId`) REFERENCES `User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;\n";
        let f = findings(
            "schema-drift",
            &[
                ("prisma/schema.prisma", schema),
                (
                    "prisma/migrations/migration_lock.toml",
                    "provider = \"mysql\"\n",
                ),
                ("prisma/migrations/20210101000000_init/migration.sql", init),
                (
                    "prisma/migrations/20210901000000_fk_names/migration.sql",
                    rename,
                ),
            ],
        );
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn index_names_alone_make_no_difference() {
        // Prisma 2 names, a rename replayed from ALTER INDEX, and a name PostgreSQL truncates.
        let long = "Pet_".to_string() + &"x".repeat(70);
        let schema = SCHEMA.replace(
            "  @@index([ownerId])\n",
            &format!("  @@index([ownerId])\n  @@index([name], map: \"{long}\")\n"),
        );
        let sql = SQL
            .replace("\"owners_email_key\"", "\"owners.email_unique\"")
            .replace("\"Pet_owner_id_idx\"", "\"Pet_owner_old\"")
            + "ALTER INDEX \"Pet_owner_old\" RENAME TO \"Pet_owner_id_idx\";\n"
            + &format!("CREATE INDEX \"{}\" ON \"Pet\"(\"name\");\n", &long[..63]);
        for rule in ["schema-drift", "missing-migration"] {
            let f = messages(rule, &schema, &sql);
            assert!(f.is_empty(), "{rule}: {f:#?}");
        }
    }

    #[test]
    fn what_the_replay_cannot_know_is_not_reported() {
        let schema = SCHEMA
            .replace(
                "  createdAt DateTime @default(now())\n",
                "  createdAt DateTime @default(now()) @db.Timestamptz\n  nick      String\n  tag       String   @db.Text\n",
            )
            .replace("onDelete: Cascade)", "onDelete: Cascade, onUpdate: NoAction)")
            + "\nmodel Stat {\n  id Int @id\n  n  Int\n}\n\nmodel Rank {\n  id Int @id\n}\n\n/// @view\n\nmodel Summary {\n  id Int @id\n}\n";
        let sql = SQL
            .replace(
                "\"createdAt\" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,",
                "\"createdAt\" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,\n    \"nick\" TEXT NOT NULL,\n    \"tag\" short_text NOT NULL,",
            )
            .replace("\"email\" TEXT NOT NULL,", "\"email\" TEXT NOT NULL DEFAULT '',")
            .replace(" ON UPDATE CASCADE", "")
            .replace("CREATE UNIQUE INDEX \"owners_email_key\" ON \"owners\"(\"email\");\n", "")
            + "CREATE DOMAIN short_text AS TEXT CHECK (length(VALUE) < 100);\n\
               DO $$ BEGIN CREATE UNIQUE INDEX \"owners_email_key\" ON \"owners\"(\"email\"); EXCEPTION WHEN duplicate_table THEN NULL; END $$;\n\
               CREATE TABLE \"Stat\" AS SELECT 1 AS id;\n\
               CREATE VIEW \"Rank\" AS SELECT 1 AS id;\n";
        for rule in ["schema-drift", "missing-migration"] {
            let f = messages(rule, &schema, &sql);
            assert!(f.is_empty(), "{rule}: {f:#?}");
        }
    }

    #[test]
    fn extra_indexes_say_what_prisma_will_do() {
        let schema = SCHEMA.replace(
            "  @@index([ownerId])\n",
            "  @@index([ownerId])\n  @@index([name])\n",
        );
        let sql = SQL.to_string()
            + "CREATE INDEX \"Pet_name_idx\" ON \"Pet\"(\"name\");\n\
               CREATE INDEX \"Pet_name_copy\" ON \"Pet\"(\"name\");\n\
               CREATE INDEX \"Pet_plan_idx\" ON \"Pet\"(\"plan\");\n\
               CREATE INDEX \"Pet_vec_idx\" ON \"Pet\" USING hnsw (\"weight\");\n\
               CREATE INDEX \"Pet_name_part\" ON \"Pet\"(\"name\") WHERE \"weight\" IS NULL;\n";
        let f = run("schema-drift", &schema, &sql);
        let mut got: Vec<(String, &str)> = f
            .iter()
            .map(|f| (f.message.clone(), f.severity.as_str()))
            .collect();
        got.sort();
        assert_eq!(got.len(), 2, "{got:#?}");
        assert!(
            got[0].0.contains("`Pet_plan_idx`")
                && got[0].0.contains("declare it")
                && got[0].1 == "medium",
            "{got:#?}"
        );
        assert!(
            got[1].0.contains("`Pet_vec_idx`") && got[1].0.contains("cannot declare"),
            "{got:#?}"
        );
        // `prisma migrate diff` keeps an undeclared copy of a declared index (its differ
        // matches both to the declaration): not drift, an object only the migrations show.
        let inventory = run("migration-only-object", &schema, &sql);
        assert_eq!(inventory.len(), 1, "{inventory:#?}");
        assert!(
            inventory[0]
                .related
                .iter()
                .any(|r| r.message.contains("`Pet_name_copy`")
                    && r.message.contains("duplicates `Pet_name_idx`")),
            "{inventory:#?}"
        );
    }

    #[test]
    fn partial_indexes_declared_without_their_predicate_match() {
        let schema = SCHEMA.replace(
            "  @@index([ownerId])\n",
            "  @@index([ownerId])\n  @@index([name], map: \"Pet_live_name\")\n",
        );
        let sql = SQL.to_string()
            + "CREATE UNIQUE INDEX \"Pet_live_name\" ON \"Pet\"(\"name\") WHERE \"weight\" IS NOT NULL;\n";
        for rule in ["schema-drift", "missing-migration", "migration-only-object"] {
            let f = messages(rule, &schema, &sql);
            assert!(f.is_empty(), "{rule}: {f:#?}");
        }
    }

    #[test]
    fn histories_that_do_not_build_the_database_are_not_compared() {
        let edited = SQL.replace("\"weight\" DECIMAL(65,30)", "\"weight\" DECIMAL(6,2)");
        assert_eq!(run("schema-drift", SCHEMA, &edited).len(), 1);
        // Only `prisma db push` in the scripts: the folder is left-over history.
        let push = findings(
            "schema-drift",
            &[
                ("prisma/schema.prisma", SCHEMA),
                (
                    "package.json",
                    r#"{"scripts":{"build":"prisma db push && next build"}}"#,
                ),
                (
                    "prisma/migrations/migration_lock.toml",
                    "provider = \"postgresql\"\n",
                ),
                (
                    "prisma/migrations/20250101000000_init/migration.sql",
                    &edited,
                ),
            ],
        );
        assert!(push.is_empty(), "{push:#?}");
        // A `db:push` script for local prototyping does not replace the history.
        let local = findings(
            "schema-drift",
            &[
                ("prisma/schema.prisma", SCHEMA),
                (
                    "package.json",
                    r#"{"scripts":{"db:push":"prisma db push"}}"#,
                ),
                (
                    "prisma/migrations/migration_lock.toml",
                    "provider = \"postgresql\"\n",
                ),
                (
                    "prisma/migrations/20250101000000_init/migration.sql",
                    &edited,
                ),
            ],
        );
        assert_eq!(local.len(), 1, "{local:#?}");
        // A lock file for another provider: `migration-lock-provider` says so.
        let other = findings(
            "schema-drift",
            &[
                ("prisma/schema.prisma", SCHEMA),
                (
                    "prisma/migrations/migration_lock.toml",
                    "provider = \"mysql\"\n",
                ),
                (
                    "prisma/migrations/20250101000000_init/migration.sql",
                    &edited,
                ),
            ],
        );
        assert!(other.is_empty(), "{other:#?}");
    }

    #[test]
    fn columns_only_the_history_has_are_one_finding_per_table() {
        let sql = SQL.replace(
            "    \"createdAt\"",
            "    \"legacy\" TEXT,\n    \"old\" INTEGER,\n    \"createdAt\"",
        );
        let f = run("schema-drift", SCHEMA, &sql);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message.contains("Columns `legacy`, `old` of `Pet`"),
            "{f:#?}"
        );
        assert!(
            f[0].related
                .iter()
                .any(|r| r.message == "also not in the schema")
        );
    }

    #[test]
    fn missing_columns_are_one_finding_per_model() {
        let schema = SCHEMA.replace(
            "  createdAt DateTime @default(now())\n",
            "  createdAt DateTime @default(now())\n  chip      String?\n  color     String?\n",
        );
        let f = run("missing-migration", &schema, SQL);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message.contains("2 fields (`chip`, `color`)"),
            "{f:#?}"
        );
        assert!(
            f[0].related
                .iter()
                .any(|r| r.message.contains("also without"))
        );
    }
}
