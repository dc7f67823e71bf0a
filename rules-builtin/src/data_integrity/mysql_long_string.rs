use crate::support::fields::table_models;
use crate::support::naming::words;
use crate::support::schema_edit::native_type_attribute;
use crate::support::schema_edit::{append_field_attribute, field_path};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{Provider, ScalarType};
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// On MySQL, reports `String` fields without a native type whose name suggests long text:
    /// the last word of the name is one of `description`, `notes`/`note`, `content`, `body`,
    /// `bio`, `comment(s)`, `message`, `text`, `html`, `markdown`, `summary`, `details`,
    /// `instructions`, `transcript`, `biography`.
    ///
    /// The content is inferred from the name, so findings are **heuristic**.
    ///
    /// Silent on PostgreSQL, CockroachDB, SQLite and SQL Server, where `String` is already
    /// unbounded (`text`, `STRING`, `TEXT`, `nvarchar(1000)` is a different story handled
    /// elsewhere): adding `@db.Text` there changes nothing. Silent for fields used in an index,
    /// unique or id (a MySQL `TEXT` column needs a prefix length to be indexed), and on
    /// MongoDB.
    ///
    /// ## Why is this bad?
    /// Prisma maps `String` to `varchar(191)` on MySQL. A description, note or message longer
    /// than 191 characters makes the insert fail ("Data too long for column", the strict-mode
    /// default) or, with strict mode off, is silently truncated.
    ///
    /// ## Example
    /// ```prisma
    /// datasource db {
    ///   provider = "mysql"
    /// }
    ///
    /// model Post {
    ///   id   Int    @id
    ///   body String
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add `@db.Text` (64 KB) or `@db.MediumText` (16 MB), or `@db.VarChar(n)` with a limit the
    /// application enforces. Unsafe: it changes the column type.
    ///
    /// A field with a `@default` gets no automatic fix: MySQL rejects a literal default on a
    /// `TEXT` column ("BLOB, TEXT, GEOMETRY or JSON column can't have a default value"), and
    /// Prisma Migrate writes the default as a literal, so the migration would fail. Drop the
    /// default (set it in the application) before adding `@db.Text`, or use `@db.VarChar(n)`.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/reference/prisma-schema-reference#string
    /// - https://dev.mysql.com/doc/refman/8.0/en/string-type-syntax.html
    pub struct MysqlLongString;
    id = "mysql-long-string",
    summary = "Long-text String fields limited to varchar(191) on MySQL",
    category = DataIntegrity,
    severity = Medium,
    fixable = true,
    enabled = true,
}

const LONG: &[&str] = &[
    "description",
    "descriptions",
    "notes",
    "note",
    "content",
    "contents",
    "body",
    "bio",
    "biography",
    "comment",
    "comments",
    "message",
    "text",
    "html",
    "markdown",
    "summary",
    "details",
    "instructions",
    "transcript",
];

/// The larger text types to use, without and with a `@default` (which MySQL forbids on TEXT).
const HELP: &str = "Prisma maps `String` to `varchar(191)` on MySQL. Use `@db.Text` (64 KB), \
     `@db.MediumText` (16 MB) or `@db.VarChar(n)` with a limit the application validates.";
const WITH_DEFAULT_HELP: &str = "Prisma maps `String` to `varchar(191)` on MySQL. Use `@db.Text` \
     (64 KB), `@db.MediumText` (16 MB) or `@db.VarChar(n)` with a limit the application validates. \
     This field has a `@default`: MySQL rejects a literal default on a TEXT column, so drop the \
     default (set the value in the application) before adding `@db.Text`, or use `@db.VarChar(n)`.";

impl Rule for MysqlLongString {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        if schema.provider() != Some(Provider::MySql) {
            return;
        }
        for model in table_models(schema) {
            let indexed: Vec<_> = model.index_refs().flat_map(|i| i.field_ids()).collect();
            for field in model.scalar_fields() {
                if field.ty.as_scalar() != Some(ScalarType::String)
                    || model.native_type_of(field).is_some()
                    || field.is_ignored()
                    || indexed.contains(&field.id)
                {
                    continue;
                }
                let w = words(&field.name);
                if !w.last().is_some_and(|l| LONG.contains(&l.as_str())) {
                    continue;
                }
                let path = field_path(schema, field);
                let f = RawFinding::new(
                    path.clone(),
                    format!(
                        "`{path}` is `varchar(191)` on MySQL (a `String` without a native type): \
                         longer text fails to insert or is truncated; add `@db.Text`"
                    ),
                )
                .at(field.span)
                .heuristic();
                if model.default_of(field).is_some() {
                    out.push(f.help(WITH_DEFAULT_HELP));
                    continue;
                }
                out.push(f.help(HELP).fix(RawFix {
                    title: format!("Add `@db.Text` to `{path}`"),
                    safety: FixSafety::Unsafe,
                    edits: vec![append_field_attribute(
                        field,
                        &native_type_attribute(ctx.schema, "Text"),
                    )],
                    sql: Some(format!(
                        "ALTER TABLE `{}` MODIFY `{}` TEXT{};",
                        model.db_name(),
                        field.db_name(),
                        if field.is_required() {
                            " NOT NULL"
                        } else {
                            " NULL"
                        }
                    )),
                }));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, fixed, schema_findings};

    const ID: &str = "mysql-long-string";

    const MYSQL: &str = r#"datasource db {
  provider = "mysql"
}

model Post {
  id          Int     @id
  title       String
  body        String
  notes       String? // free text
  summary     String  @db.VarChar(500)
  description String  @unique
  noteId      String
  bio         String  @default("")
}
"#;

    const MYSQL_TEXT: &str = r#"datasource db {
  provider = "mysql"
}

model Post {
  id          Int     @id
  title       String
  body        String  @db.Text
  notes       String? @db.Text // free text
  summary     String  @db.VarChar(500)
  description String  @unique
  noteId      String
}
"#;

    #[test]
    fn pass_and_fail() {
        let others: Vec<String> = ["postgresql", "sqlite", "cockroachdb", "sqlserver"]
            .iter()
            .map(|p| MYSQL.replace("mysql", p))
            .collect();
        let mut pass: Vec<&str> = vec![MYSQL_TEXT];
        pass.extend(others.iter().map(String::as_str));
        insta::assert_snapshot!(cases(ID, &pass, &[MYSQL]));
    }

    #[test]
    fn heuristic_findings_and_no_fix_for_a_literal_default() {
        let f = schema_findings(ID, MYSQL);
        assert_eq!(f.len(), 3, "{f:#?}");
        assert!(
            f.iter()
                .all(|f| f.confidence == prisma_audit_core::finding::Confidence::Heuristic)
        );
        // A TEXT column cannot take a literal default on MySQL: no fix for `bio`.
        assert!(f[2].fix.is_none());
        assert_eq!(fixed(ID, MYSQL, false), MYSQL);
        let out = fixed(ID, MYSQL, true);
        assert!(out.contains("  body        String @db.Text\n"));
        assert!(out.contains("  notes       String? @db.Text // free text\n"));
    }

    #[test]
    fn never_on_postgres() {
        // The vet-clinic `notes String?` fields: String is already `text` on PostgreSQL.
        let vet = include_str!("../../../examples/vet-clinic/prisma/schema.prisma");
        assert!(vet.contains("notes          String?"));
        assert!(schema_findings(ID, vet).is_empty());
    }
}
