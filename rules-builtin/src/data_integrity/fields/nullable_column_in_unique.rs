use super::checked_models;
use crate::schema_edit::span_text;
use prisma_audit_core::declare_rule;
use prisma_audit_core::model::{Field, IndexKind, IndexSource, Provider};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports unique constraints whose NULL handling lets through what they seem to forbid,
    /// or forbids what they seem to allow:
    /// - PostgreSQL, CockroachDB, MySQL, SQLite: a **composite** `@@unique` with at least one
    ///   optional column. NULLs are distinct there, so rows with NULL in that column never
    ///   conflict: `@@unique([tenantId, name])` with `tenantId String?` allows any number of
    ///   `(NULL, "admin")` rows.
    /// - SQL Server and MongoDB: a `@unique`/`@@unique` whose columns are **all** optional.
    ///   NULLs are equal there (MongoDB indexes a missing field as null), so only one row or
    ///   document may leave the field empty; the second insert fails with a duplicate key error.
    ///
    /// Deliberately silent on single-column `@unique` over an optional field on PostgreSQL,
    /// CockroachDB, MySQL and SQLite (the usual "optional but unique when present", e.g. an
    /// optional email: works as intended there), on composite uniques with some required
    /// columns on SQL Server and MongoDB (NULL rows are compared by the other columns, as
    /// intended), on `@id`/`@@id` (never optional), views, `@@ignore`d models and schemas
    /// without a known provider.
    ///
    /// ## Why is this bad?
    /// The constraint documents an invariant the database does not enforce (duplicate system
    /// roles, duplicate global settings), or it rejects legitimate rows in production (a second
    /// user without a phone number on SQL Server). Either way the bug shows up only with real
    /// data.
    ///
    /// ## Example
    /// ```prisma
    /// model Role {
    ///   id       String  @id
    ///   tenantId String? // NULL for system roles
    ///   name     String
    ///
    ///   @@unique([tenantId, name])
    /// }
    /// ```
    ///
    /// ## Fix
    /// - Make the column required (e.g. a real "system" tenant row instead of NULL), or store
    ///   a non-NULL sentinel value.
    /// - Or add, in a migration, a partial unique index for the NULL rows (PostgreSQL,
    ///   CockroachDB, SQLite): `CREATE UNIQUE INDEX "Role_name_system_key" ON "Role"("name")
    ///   WHERE "tenantId" IS NULL;` (PostgreSQL 15+ also offers `UNIQUE NULLS NOT DISTINCT`).
    ///   MySQL has no partial indexes: use a required column or a sentinel.
    /// - SQL Server: a filtered unique index (`... WHERE [email] IS NOT NULL`) in a migration;
    ///   MongoDB: a partial index (`partialFilterExpression`) created outside Prisma.
    ///
    /// Prisma cannot declare partial or filtered indexes in `schema.prisma`: such an index lives
    /// only in the migration SQL. Document it (prisma-audit reports it as a migration-only
    /// object) and check that migrations generated later do not drop it. Not fixable
    /// automatically.
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/indexes-unique.html
    /// - https://learn.microsoft.com/en-us/sql/relational-databases/indexes/create-filtered-indexes
    /// - https://www.mongodb.com/docs/manual/core/index-unique/#missing-document-field-in-a-unique-single-field-index
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/indexes
    pub struct NullableColumnInUnique;
    id = "nullable-column-in-unique",
    summary = "Optional column in a unique constraint",
    category = DataIntegrity,
    severity = Medium,
    fixable = false,
    enabled = true,
}

fn quoted(names: &[&Field]) -> String {
    names
        .iter()
        .map(|f| format!("`{}`", f.name))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Rule for NullableColumnInUnique {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        let Some(provider) = schema.provider() else {
            return;
        };
        let db = match provider {
            Provider::PostgreSql => "PostgreSQL",
            Provider::CockroachDb => "CockroachDB",
            Provider::MySql => "MySQL",
            Provider::Sqlite => "SQLite",
            Provider::SqlServer => "SQL Server",
            Provider::MongoDb => "MongoDB",
        };
        let nulls_equal = matches!(provider, Provider::SqlServer | Provider::MongoDb);
        for model in checked_models(schema) {
            for idx in model.index_refs() {
                if idx.kind != IndexKind::Unique || idx.is_empty() {
                    continue;
                }
                // Most unique constraints have no optional column: check before allocating.
                if !idx.columns().any(|c| {
                    c.field
                        .and_then(|id| model.field_at(id))
                        .is_some_and(|f| f.is_optional())
                }) {
                    continue;
                }
                let cols: Vec<Option<&Field>> = idx
                    .columns()
                    .map(|c| c.field.and_then(|id| model.field_at(id)))
                    .collect();
                let optional: Vec<&Field> = cols
                    .iter()
                    .flatten()
                    .copied()
                    .filter(|f| f.is_optional())
                    .collect();
                if optional.is_empty() {
                    continue;
                }
                let all_optional = optional.len() == cols.len();
                let report = if nulls_equal {
                    all_optional
                } else {
                    cols.len() >= 2
                };
                if !report {
                    continue;
                }
                let names: Vec<&str> = idx.column_names().collect();
                let what = match idx.source {
                    IndexSource::Field(_) => format!("`{}.{} @unique`", model.name, names[0]),
                    IndexSource::Block => {
                        format!("`{}` on `{}`", span_text(ctx, idx.span), model.name)
                    }
                };
                let opt = quoted(&optional);
                let (message, help) = if nulls_equal {
                    let rows = if provider == Provider::MongoDb {
                        "document"
                    } else {
                        "row"
                    };
                    let null = if provider == Provider::MongoDb {
                        "MongoDB indexes a missing or null field as null and treats those as equal"
                    } else {
                        "SQL Server treats NULLs as equal in unique constraints"
                    };
                    let which = if cols.len() == 1 {
                        format!("{opt} empty")
                    } else {
                        format!("all of {opt} empty")
                    };
                    let remedy = if provider == Provider::MongoDb {
                        format!(
                            "Make the field required, or replace the index with a partial unique index (`partialFilterExpression: {{ {}: {{ $exists: true }} }}`) created outside Prisma: `@unique` cannot declare one.",
                            names[0]
                        )
                    } else {
                        format!(
                            "Make the field required, or enforce uniqueness with a filtered unique index in a migration (`CREATE UNIQUE INDEX ... ON [{}]({}) WHERE [{}] IS NOT NULL;`): Prisma cannot declare filtered indexes, so it lives only in the migration SQL — document it.",
                            model.db_name(),
                            names
                                .iter()
                                .map(|n| format!("[{n}]"))
                                .collect::<Vec<_>>()
                                .join(", "),
                            optional[0].db_name(),
                        )
                    };
                    (
                        format!(
                            "{what} has only optional columns: {null}, so only one `{}` {rows} may leave {which}; the next insert without a value fails with a duplicate key error",
                            model.name
                        ),
                        format!(
                            "On most other databases NULLs never conflict in a unique index, so code written for them expects any number of rows without a value. {remedy}"
                        ),
                    )
                } else {
                    let partial = match (provider, optional.as_slice()) {
                        (Provider::MySql, _) => "MySQL has no partial indexes, so use a required column or a sentinel value.".to_string(),
                        (_, [single]) => {
                            let others: Vec<String> = cols
                                .iter()
                                .flatten()
                                .filter(|f| f.id != single.id)
                                .map(|f| format!("\"{}\"", f.db_name()))
                                .collect();
                            format!(
                                "Or enforce it for the NULL rows with a partial unique index added in a migration: `CREATE UNIQUE INDEX \"{}_{}_null_{}_key\" ON \"{}\"({}) WHERE \"{}\" IS NULL;`{}. Prisma cannot declare partial indexes, so it lives only in the migration SQL: document it and check that later generated migrations do not drop it.",
                                model.db_name(),
                                others.iter().map(|o| o.trim_matches('"')).collect::<Vec<_>>().join("_"),
                                single.db_name(),
                                model.db_name(),
                                others.join(", "),
                                single.db_name(),
                                if provider == Provider::PostgreSql { " (PostgreSQL 15+ also supports `UNIQUE NULLS NOT DISTINCT`)" } else { "" },
                            )
                        }
                        _ => "Or enforce it for the NULL rows with partial unique indexes added in a migration (Prisma cannot declare them; they live only in the migration SQL, so document them).".to_string(),
                    };
                    (
                        format!(
                            "{what} includes the optional {opt}: {db} treats NULLs as distinct, so `{}` rows with {opt} NULL never conflict and duplicates are allowed there",
                            model.name
                        ),
                        format!(
                            "A unique constraint does not fire for rows with NULL in one of its columns, so the invariant it documents is not enforced for those rows. Make {opt} required (e.g. a real row instead of NULL) or store a non-NULL sentinel value. {partial}"
                        ),
                    )
                };
                let mut f = RawFinding::new(
                    format!("{}|unique({})", model.name, names.join(",")),
                    message,
                )
                .at(idx.span)
                .help(help);
                if idx.len() > 1 || matches!(idx.source, IndexSource::Block) {
                    for o in &optional {
                        f = f.related(o.span, format!("`{}` is optional", o.name));
                    }
                }
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_util::schema_findings;

    const ID: &str = "nullable-column-in-unique";

    fn schema(provider: &str) -> String {
        format!(
            "datasource db {{\n  provider = \"{provider}\"\n}}\n\nmodel Role {{\n  id       String  @id\n  tenantId String?\n  name     String\n  email    String? @unique\n  code     String?\n  slug     String\n\n  @@unique([tenantId, name])\n  @@unique([name, slug])\n  @@unique([code, email])\n}}\n"
        )
    }

    #[test]
    fn postgres_composite_only() {
        let f = schema_findings(ID, &schema("postgresql"));
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(
            f[0].message,
            "`@@unique([tenantId, name])` on `Role` includes the optional `tenantId`: PostgreSQL treats NULLs as distinct, so `Role` rows with `tenantId` NULL never conflict and duplicates are allowed there"
        );
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!((loc.start.line, loc.start.column), (13, 3));
        assert_eq!(f[0].related[0].location.start.line, 7);
        let help = f[0].help.as_ref().unwrap();
        assert!(help.contains("CREATE UNIQUE INDEX \"Role_name_null_tenantId_key\" ON \"Role\"(\"name\") WHERE \"tenantId\" IS NULL;"), "{help}");
        assert!(help.contains("NULLS NOT DISTINCT"));
        assert!(f[1].message.contains("the optional `code`, `email`"));
        assert!(f[0].fix.is_none());
    }

    #[test]
    fn other_providers() {
        let f = schema_findings(ID, &schema("mysql"));
        assert_eq!(f.len(), 2);
        assert!(f[0].message.contains("MySQL treats NULLs as distinct"));
        assert!(
            f[0].help
                .as_ref()
                .unwrap()
                .contains("MySQL has no partial indexes")
        );
        assert_eq!(schema_findings(ID, &schema("sqlite")).len(), 2);
        assert_eq!(schema_findings(ID, &schema("cockroachdb")).len(), 2);
        let f = schema_findings(ID, &schema("sqlserver"));
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(
            f[0].message,
            "`Role.email @unique` has only optional columns: SQL Server treats NULLs as equal in unique constraints, so only one `Role` row may leave `email` empty; the next insert without a value fails with a duplicate key error"
        );
        assert!(
            f[1].message
                .contains("may leave all of `code`, `email` empty")
        );
        let mongo = "datasource db {\n  provider = \"mongodb\"\n}\n\nmodel User {\n  id    String  @id @map(\"_id\")\n  email String? @unique\n  name  String\n}\n";
        let f = schema_findings(ID, mongo);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .contains("MongoDB indexes a missing or null field as null")
        );
        let none = "model User {\n  id Int @id\n  a  Int?\n  b  Int\n\n  @@unique([a, b])\n}\n";
        assert!(schema_findings(ID, none).is_empty());
    }
}
