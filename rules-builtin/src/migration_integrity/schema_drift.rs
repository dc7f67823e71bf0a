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

/// What to do when the schema and the history disagree on an object, or only the SQL has it.
const MISMATCH_HELP: &str = "The schema and the migration history disagree. If the schema is \
     right, run `prisma migrate dev` to generate the migration; if the history is right, change \
     the schema. Confirm with `prisma migrate diff --from-migrations ... --to-schema ...`.";
const SQL_ONLY_HELP: &str = "Prisma does not know this object, so the next `prisma migrate dev` \
     generates a migration that drops it. Declare it in the schema, or drop it deliberately in a \
     migration.";

impl Rule for SchemaDrift {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(h) = ctx.migrations else { return };
        if ctx.schema.models.is_empty() || !history_builds_databases(ctx, h) {
            return;
        }
        for item in drift_items(ctx, h) {
            let help = match item.kind {
                DriftKind::Mismatch => MISMATCH_HELP,
                DriftKind::SqlOnly => SQL_ONLY_HELP,
                _ => continue,
            };
            out.push(finding(h, &item, help));
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "schema-drift";

    /// A schema whose history below builds exactly its database.
    pub(crate) const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
}

enum Plan {
  BASIC
  PRO
}

model Owner {
  id    Int    @id @default(autoincrement())
  email String @unique
  pets  Pet[]
  @@map("owners")
}

model Pet {
  id        String   @id
  name      String   @db.VarChar(100)
  weight    Decimal?
  plan      Plan     @default(BASIC)
  ownerId   Int      @map("owner_id")
  owner     Owner    @relation(fields: [ownerId], references: [id], onDelete: Cascade)
  createdAt DateTime @default(now())
  @@index([ownerId])
}
"#;

    /// The migration `prisma migrate dev` generates for `SCHEMA`.
    pub(crate) const SQL: &str = r#"-- CreateEnum
CREATE TYPE "Plan" AS ENUM ('BASIC', 'PRO');

-- CreateTable
CREATE TABLE "owners" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,

    CONSTRAINT "owners_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Pet" (
    "id" TEXT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "weight" DECIMAL(65,30),
    "plan" "Plan" NOT NULL DEFAULT 'BASIC',
    "owner_id" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Pet_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "owners_email_key" ON "owners"("email");

-- CreateIndex
CREATE INDEX "Pet_owner_id_idx" ON "Pet"("owner_id");

-- AddForeignKey
ALTER TABLE "Pet" ADD CONSTRAINT "Pet_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "owners"("id") ON DELETE CASCADE ON UPDATE CASCADE;
"#;

    /// A PostgreSQL project of `schema` whose only migration is `sql`.
    pub(crate) fn project(schema: &str, sql: &str) -> Case {
        Case::pg(&[("20250101000000_init", sql)]).with_file("prisma/schema.prisma", schema)
    }

    /// `SCHEMA` with `fields` (whole lines) added to model `Pet`.
    pub(crate) fn pet_fields(fields: &str) -> String {
        let last = "  createdAt DateTime @default(now())\n";
        SCHEMA.replace(last, &format!("{last}{fields}"))
    }

    /// `SCHEMA` with `attributes` (whole lines) added to model `Pet`.
    pub(crate) fn pet_attributes(attributes: &str) -> String {
        let last = "  @@index([ownerId])\n";
        SCHEMA.replace(last, &format!("{last}{attributes}"))
    }

    pub(crate) fn in_sync() -> Case {
        project(SCHEMA, SQL)
    }

    const MOOD: &str = r#"CREATE TYPE "Mood" AS ENUM ('CALM', 'ANGRY');
"#;

    /// An enum type only the migrations create: `prisma migrate diff` drops it.
    pub(crate) fn enum_type_only_in_migrations() -> Case {
        project(SCHEMA, &format!("{SQL}{MOOD}"))
    }

    /// Only index names differ: Prisma 2 names, a rename replayed from ALTER INDEX, and a
    /// name PostgreSQL truncates to 63 bytes.
    pub(crate) fn index_names_differ() -> Case {
        let long = format!("Pet_{}", "x".repeat(70));
        let schema = pet_attributes(&format!("  @@index([name], map: \"{long}\")\n"));
        let sql = SQL
            .replace("\"owners_email_key\"", "\"owners.email_unique\"")
            .replace("\"Pet_owner_id_idx\"", "\"Pet_owner_old\"")
            + "ALTER INDEX \"Pet_owner_old\" RENAME TO \"Pet_owner_id_idx\";\n"
            + &format!("CREATE INDEX \"{}\" ON \"Pet\"(\"name\");\n", &long[..63]);
        project(&schema, &sql)
    }

    /// Equivalent spellings (TIMESTAMPTZ, no ON UPDATE for NoAction) and differences left
    /// alone: a column default the schema does not declare, and what replaying the SQL cannot
    /// know (a domain type, an index created in a DO block, a table created from a query, a
    /// view for a model, a model documented as a view).
    pub(crate) fn what_the_replay_cannot_know() -> Case {
        let schema = pet_fields(
            r#"  nick      String
  tag       String   @db.Text
"#,
        )
        .replace(
            "createdAt DateTime @default(now())",
            "createdAt DateTime @default(now()) @db.Timestamptz",
        )
        .replace(
            "onDelete: Cascade)",
            "onDelete: Cascade, onUpdate: NoAction)",
        ) + r#"
model Stat {
  id Int @id
  n  Int
}

model Rank {
  id Int @id
}

/// @view

model Summary {
  id Int @id
}
"#;
        let sql = SQL
            .replace(
                r#""createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,"#,
                r#""createdAt" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "nick" TEXT NOT NULL,
    "tag" short_text NOT NULL,"#,
            )
            .replace(
                r#""email" TEXT NOT NULL,"#,
                r#""email" TEXT NOT NULL DEFAULT '',"#,
            )
            .replace(" ON UPDATE CASCADE", "")
            .replace(
                "CREATE UNIQUE INDEX \"owners_email_key\" ON \"owners\"(\"email\");\n",
                "",
            )
            + r#"CREATE DOMAIN short_text AS TEXT CHECK (length(VALUE) < 100);
DO $$ BEGIN CREATE UNIQUE INDEX "owners_email_key" ON "owners"("email"); EXCEPTION WHEN duplicate_table THEN NULL; END $$;
CREATE TABLE "Stat" AS SELECT 1 AS id;
CREATE VIEW "Rank" AS SELECT 1 AS id;
"#;
        project(&schema, &sql)
    }

    /// A partial unique index the schema declares as a plain `@@index` of the same name.
    pub(crate) fn partial_index_declared_without_predicate() -> Case {
        project(
            &pet_attributes("  @@index([name], map: \"Pet_live_name\")\n"),
            &format!(
                "{SQL}CREATE UNIQUE INDEX \"Pet_live_name\" ON \"Pet\"(\"name\") WHERE \"weight\" IS NOT NULL;\n"
            ),
        )
    }

    /// Indexes only the migrations create: one the schema could declare, one it cannot
    /// (`hnsw`), a partial one, and an undeclared copy of a declared index (`prisma migrate
    /// diff` matches both to the declaration and keeps the copy).
    pub(crate) fn extra_indexes() -> Case {
        let sql = format!(
            r#"{SQL}CREATE INDEX "Pet_name_idx" ON "Pet"("name");
CREATE INDEX "Pet_name_copy" ON "Pet"("name");
CREATE INDEX "Pet_plan_idx" ON "Pet"("plan");
CREATE INDEX "Pet_vec_idx" ON "Pet" USING hnsw ("weight");
CREATE INDEX "Pet_name_part" ON "Pet"("name") WHERE "weight" IS NULL;
"#
        );
        project(&pet_attributes("  @@index([name])\n"), &sql)
    }

    /// `Pet.weight` with another precision than the schema's.
    fn weight_edited() -> String {
        SQL.replace("\"weight\" DECIMAL(65,30)", "\"weight\" DECIMAL(6,2)")
    }

    const VET_FOREIGN_KEY: &str = r#"ALTER TABLE "Pet" ADD COLUMN "vetId" INTEGER;
ALTER TABLE "Pet" ADD CONSTRAINT "Pet_vetId_fkey" FOREIGN KEY ("vetId") REFERENCES "owners"("id") ON DELETE SET NULL ON UPDATE CASCADE;
"#;

    const MYSQL_SCHEMA: &str = r#"datasource db {
  provider = "mysql"
}

model User {
  id       Int       @id
  projects Project[]
}

model Project {
  id      Int  @id
  ownerId Int
  owner   User @relation(fields: [ownerId], references: [id])

  @@index([ownerId])
}
"#;

    /// The foreign key has no name: MySQL names it `Project_ibfk_1`.
    const MYSQL_INIT: &str = r#"CREATE TABLE `User` (
    `id` INTEGER NOT NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `Project` (
    `id` INTEGER NOT NULL,
    `ownerId` INTEGER NOT NULL,

    INDEX `Project_ownerId_idx`(`ownerId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `Project` ADD FOREIGN KEY (`ownerId`) REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
"#;

    /// Prisma 3 renaming the foreign keys of a Prisma 2 history.
    const MYSQL_FK_NAMES: &str = r#"ALTER TABLE `Project` DROP FOREIGN KEY `Project_ibfk_1`;

ALTER TABLE `Project` ADD CONSTRAINT `Project_ownerId_fkey` FOREIGN KEY (`ownerId`) REFERENCES `User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;
"#;

    #[test]
    fn pass_and_fail() {
        let vet_field = pet_fields("  vetId     Int?\n");
        let vet_relation = pet_fields(
            r#"  vetId     Int?
  vet       Owner?   @relation("vet", fields: [vetId], references: [id])
"#,
        )
        .replace(
            "  pets  Pet[]\n",
            "  pets  Pet[]\n  cared Pet[]    @relation(\"vet\")\n",
        );
        let four_differences = SQL
            .replace("\"weight\" DECIMAL(65,30)", "\"weight\" DECIMAL(6,2)")
            .replace("\"name\" VARCHAR(100) NOT NULL", "\"name\" VARCHAR(100)")
            .replace("ON DELETE CASCADE", "ON DELETE RESTRICT")
            .replace(
                "    \"createdAt\"",
                "    \"legacy\" TEXT,\n    \"createdAt\"",
            );
        let two_extra_columns = SQL.replace(
            "    \"createdAt\"",
            "    \"legacy\" TEXT,\n    \"old\" INTEGER,\n    \"createdAt\"",
        );
        insta::assert_snapshot!(table(
            ID,
            &[
                in_sync(),
                // The enum type is used by a column (`Unsupported("Mood")`) ...
                project(
                    &pet_fields("  mood      Unsupported(\"Mood\")?\n"),
                    &format!("{SQL}{MOOD}ALTER TABLE \"Pet\" ADD COLUMN \"mood\" \"Mood\";\n"),
                ),
                // ... or dropped by a later statement.
                project(SCHEMA, &format!("{SQL}{MOOD}DROP TYPE \"Mood\";\n")),
                // The foreign key declared as a relation.
                project(&vet_relation, &format!("{SQL}{VET_FOREIGN_KEY}")),
                Case::migrations(
                    "mysql",
                    &[
                        ("20210101000000_init", MYSQL_INIT),
                        ("20210901000000_fk_names", MYSQL_FK_NAMES),
                    ],
                )
                .with_file("prisma/schema.prisma", MYSQL_SCHEMA),
                index_names_differ(),
                what_the_replay_cannot_know(),
                partial_index_declared_without_predicate(),
                // Only `prisma db push` deploys: the folder is left-over history.
                project(SCHEMA, &weight_edited()).with_file(
                    "package.json",
                    r#"{"scripts":{"build":"prisma db push && next build"}}"#,
                ),
                // A lock file for another provider: `migration-lock-provider` reports it.
                project(SCHEMA, &weight_edited()).with_file(
                    "prisma/migrations/migration_lock.toml",
                    "provider = \"mysql\"\n",
                ),
                // Objects the schema cannot express are `migration-only-object`'s.
                crate::migration_integrity::migration_only_object::tests::objects(),
            ],
            &[
                // Another precision, a nullable column, another ON DELETE, an extra column.
                project(SCHEMA, &four_differences),
                enum_type_only_in_migrations(),
                // A plain scalar field in the schema, a foreign key on its column in the
                // migrations: `prisma migrate diff` drops the constraint.
                project(&vet_field, &format!("{SQL}{VET_FOREIGN_KEY}")),
                extra_indexes(),
                project(SCHEMA, &weight_edited()),
                // A `db:push` script for local prototyping does not replace the history.
                project(SCHEMA, &weight_edited()).with_file(
                    "package.json",
                    r#"{"scripts":{"db:push":"prisma db push"}}"#
                ),
                // Columns only the history has: one finding per table.
                project(SCHEMA, &two_extra_columns),
            ],
        ));
    }
}
