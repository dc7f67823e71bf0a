use super::drift_common::{finding, history_builds_databases};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::sql::drift::{DriftKind, diff};

declare_rule! {
    /// ## What it does
    /// Replays the migration history and compares the database it builds with what the schema
    /// implies: column types (with Prisma's default native types, e.g. `DateTime` →
    /// `timestamp(3)`, `Decimal` → `decimal(65,30)`), nullability, database defaults, primary
    /// keys, index and unique columns, foreign-key targets and referential actions, enum
    /// values — honouring `@map`, `@@map` and `@@schema`. It also reports tables, columns and
    /// plain indexes the migrations create but the schema does not declare. Each finding points
    /// at both sides.
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
        for item in diff(ctx.schema, h) {
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
    use crate::test_util::findings;

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
}
