use crate::support::fields::{checked_models, project_sql};
use crate::support::naming::words;
use crate::support::schema_edit::span_text;
use prisma_audit_core::declare_rule;
use prisma_audit_core::model::{
    Field, FieldId, IndexKind, IndexRef, IndexSource, Model, Provider, ScalarType, Schema,
};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports unique constraints whose NULL handling lets through what they are evidently
    /// meant to forbid, or forbids what they seem to allow:
    /// - PostgreSQL, CockroachDB, MySQL, SQLite (NULLs are distinct in unique indexes, so rows
    ///   with NULL in one of the columns never conflict), a **composite** `@@unique` where:
    ///   - an optional column is a soft-delete marker (`deletedAt`, `deleted_at`,
    ///     `archivedAt`, `removedAt`...): `@@unique([orgId, name, deletedAt])` is meant to keep
    ///     live names unique, but live rows have `deletedAt` NULL and never conflict, so it
    ///     enforces nothing for them (heuristic: the marker is recognised by its name);
    ///   - or every optional column is a foreign key used as a scope, next to a required
    ///     column that is not a foreign key: `@@unique([tenantId, name])` with
    ///     `tenantId String?` (NULL for system or global rows) allows any number of
    ///     `(NULL, "admin")` rows.
    /// - SQL Server and MongoDB: a `@unique`/`@@unique` whose columns are **all** optional.
    ///   NULLs are equal there (MongoDB indexes a missing field as null), so only one row or
    ///   document may leave the field empty; the second insert fails with a duplicate key error.
    ///
    /// Deliberately silent where NULL-distinct uniqueness is the usual intent on PostgreSQL,
    /// CockroachDB, MySQL and SQLite: single-column `@unique` on an optional field ("unique
    /// when present", e.g. an optional email), a composite unique whose optional column is an
    /// identifier of its own (`@@unique([provider, externalId])`, `@@unique([orgId,
    /// sequentialId])`), alternatives (`@@unique([userId, tagId])` next to
    /// `@@unique([browserId, tagId])`, one of which is set), uniques that contain a required
    /// key (`@@unique([id, clinicId])`, a target for composite foreign keys), and uniques made
    /// only of foreign keys. Silent on every provider when the optional columns have a
    /// `@default` (they are NULL only when written so), or when the project's SQL creates a
    /// partial unique index on the table whose `WHERE` clause names the optional column (the
    /// NULL rows are handled there). Also silent on composite uniques with some required columns on SQL
    /// Server and MongoDB (NULL rows are compared by the other columns, as intended), on
    /// `@id`/`@@id` (never optional), views, `@@ignore`d models and schemas without a known
    /// provider.
    ///
    /// ## Why is this bad?
    /// The constraint documents an invariant the database does not enforce (duplicate system
    /// roles, duplicate live records next to soft-deleted ones), or it rejects legitimate rows
    /// in production (a second user without a phone number on SQL Server). Either way the bug
    /// shows up only with real data.
    ///
    /// ## Example
    /// ```prisma
    /// model Role {
    ///   id       String  @id
    ///   tenantId String? // NULL for system roles
    ///   name     String
    ///   tenant   Tenant? @relation(fields: [tenantId], references: [id])
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
    ///   For soft deletes, the partial index covers the live rows:
    ///   `... ON "Customer"("orgId", "name") WHERE "deletedAt" IS NULL`.
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

/// Why a NULL-distinct composite unique is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pattern {
    /// An optional soft-delete marker is part of the key.
    SoftDelete,
    /// Optional foreign keys scope a required business key.
    Scope,
}

/// First words of soft-delete markers.
const SOFT_DELETE: &[&str] = &["deleted", "archived", "removed", "trashed", "discarded"];

fn is_soft_delete_marker(f: &Field) -> bool {
    matches!(
        f.ty.as_scalar(),
        Some(ScalarType::DateTime | ScalarType::Boolean)
    ) && words(&f.name)
        .first()
        .is_some_and(|w| SOFT_DELETE.contains(&w.as_str()))
}

/// Which pattern, if any, makes a NULL-distinct composite unique `idx` of `model` suspicious.
fn null_distinct_pattern(
    schema: &Schema,
    model: &Model,
    idx: &IndexRef<'_>,
    cols: &[&Field],
) -> Option<Pattern> {
    let in_idx = |id: FieldId| cols.iter().any(|c| c.id == id);
    // A required key inside the constraint keeps NULL rows apart anyway.
    let contains_key = model.index_refs().any(|j| {
        j.is_unique()
            && !j.is_empty()
            && j.span != idx.span
            && j.columns().all(|c| {
                c.field.is_some_and(|id| {
                    in_idx(id) && model.field_at(id).is_some_and(|f| f.is_required())
                })
            })
    });
    if contains_key {
        return None;
    }
    if cols
        .iter()
        .any(|f| f.is_optional() && is_soft_delete_marker(f))
    {
        return Some(Pattern::SoftDelete);
    }
    let is_fk = |f: &Field| schema.relations_using_scalar(f.id).next().is_some();
    let scoped = cols.iter().filter(|f| f.is_optional()).all(|f| is_fk(f))
        && cols.iter().any(|f| f.is_required() && !is_fk(f));
    if !scoped {
        return None;
    }
    // Alternatives: another unique over the same required columns with its own optional one.
    let required: Vec<FieldId> = cols
        .iter()
        .filter(|f| f.is_required())
        .map(|f| f.id)
        .collect();
    let alternative = model.index_refs().any(|j| {
        j.is_unique() && j.span != idx.span && {
            let ids: Vec<FieldId> = j.field_ids().collect();
            required.iter().all(|r| ids.contains(r))
                && ids
                    .iter()
                    .any(|id| !in_idx(*id) && model.field_at(*id).is_some_and(|f| f.is_optional()))
        }
    });
    (!alternative).then_some(Pattern::Scope)
}

/// Whether `sql` (lower-cased) creates a partial unique index on `table` whose `WHERE` clause
/// mentions `column`: the project already handles the NULL rows.
fn partial_unique_covers(sql: &str, table: &str, column: &str) -> bool {
    let (table, column) = (table.to_ascii_lowercase(), column.to_ascii_lowercase());
    sql.split(';').any(|stmt| {
        let stmt = stmt.trim();
        let Some(rest) = stmt.strip_prefix("create unique index") else {
            return false;
        };
        let on_table = [
            format!(" on \"{table}\""),
            format!(" on {table}"),
            format!(".\"{table}\""),
        ]
        .iter()
        .any(|p| rest.contains(p.as_str()));
        on_table
            && rest.find(" where ").is_some_and(|i| {
                let cond = &rest[i..];
                cond.contains(&format!("\"{column}\"")) || cond.contains(&format!(" {column} "))
            })
    })
}

fn quoted(names: &[&Field]) -> String {
    names
        .iter()
        .map(|f| format!("`{}`", f.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// MySQL has no partial index to keep live rows unique next to soft-deleted copies.
const MYSQL_LIVE_ROWS: &str = "MySQL has no partial indexes: keep a non-NULL value in the marker \
     for live rows (e.g. a fixed epoch date) or a generated column that is NULL only for deleted \
     rows.";

/// MySQL has no partial index to make rows with NULL unique.
const MYSQL_NULL_ROWS: &str =
    "MySQL has no partial indexes, so use a required column or a sentinel value.";

/// Rows with NULL in one of several optional columns need one partial index per column.
const NULL_ROWS_PARTIAL_INDEXES: &str = "Or enforce it for the NULL rows with partial unique \
     indexes added in a migration (Prisma cannot declare them; they live only in the migration \
     SQL, so document them).";

/// The remedy on MongoDB, where documents without the field collide on null.
fn mongodb_remedy(names: &[&str]) -> String {
    format!(
        "Make the field required, or replace the index with a partial unique index \
         (`partialFilterExpression: {{ {}: {{ $exists: true }} }}`) created outside Prisma: \
         `@unique` cannot declare one.",
        names[0]
    )
}

/// The remedy on SQL Server, where NULLs collide: a filtered unique index in a migration.
fn filtered_index_remedy(model: &Model, names: &[&str], optional: &[&Field]) -> String {
    format!(
        "Make the field required, or enforce uniqueness with a filtered unique index in a \
         migration (`CREATE UNIQUE INDEX ... ON [{}]({}) WHERE [{}] IS NOT NULL;`): Prisma cannot \
         declare filtered indexes, so it lives only in the migration SQL — document it.",
        model.db_name(),
        names
            .iter()
            .map(|n| format!("[{n}]"))
            .collect::<Vec<_>>()
            .join(", "),
        optional[0].db_name(),
    )
}

/// A partial unique index over the `live` columns of the rows whose soft-delete `marker` is NULL.
fn live_rows_partial_index(model: &Model, live: &[String], marker: &[&Field]) -> String {
    format!(
        "Enforce it for live rows with a partial unique index added in a migration: \
         `CREATE UNIQUE INDEX \"{}_live_key\" ON \"{}\"({}) WHERE \"{}\" IS NULL;`. Prisma cannot \
         declare partial indexes, so it lives only in the migration SQL: document it and check \
         that later generated migrations do not drop it.",
        model.db_name(),
        model.db_name(),
        live.join(", "),
        marker[0].db_name(),
    )
}

/// A partial unique index on the other columns, for the rows where `single` is NULL.
fn null_rows_partial_index(
    provider: Provider,
    model: &Model,
    cols: &[Option<&Field>],
    single: &Field,
) -> String {
    let others: Vec<String> = cols
        .iter()
        .flatten()
        .filter(|f| f.id != single.id)
        .map(|f| format!("\"{}\"", f.db_name()))
        .collect();
    let others_in_name = others
        .iter()
        .map(|o| o.trim_matches('"'))
        .collect::<Vec<_>>()
        .join("_");
    let nulls_not_distinct = if provider == Provider::PostgreSql {
        " (PostgreSQL 15+ also supports `UNIQUE NULLS NOT DISTINCT`)"
    } else {
        ""
    };
    format!(
        "Or enforce it for the NULL rows with a partial unique index added in a migration: \
         `CREATE UNIQUE INDEX \"{}_{}_null_{}_key\" ON \"{}\"({}) WHERE \"{}\" IS NULL;`{}. Prisma \
         cannot declare partial indexes, so it lives only in the migration SQL: document it and \
         check that later generated migrations do not drop it.",
        model.db_name(),
        others_in_name,
        single.db_name(),
        model.db_name(),
        others.join(", "),
        single.db_name(),
        nulls_not_distinct,
    )
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
        let mut sql: Option<String> = None;
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
                let pattern = if nulls_equal {
                    None
                } else {
                    let resolved: Vec<&Field> = cols.iter().flatten().copied().collect();
                    if cols.len() < 2 || resolved.len() != cols.len() {
                        continue;
                    }
                    match null_distinct_pattern(ctx.schema, model, &idx, &resolved) {
                        Some(p) => Some(p),
                        None => continue,
                    }
                };
                if nulls_equal && !all_optional {
                    continue;
                }
                // Optional columns the database fills by default are NULL only when written so.
                if optional.iter().all(|f| model.default_of(f).is_some()) {
                    continue;
                }
                let sql = sql.get_or_insert_with(|| project_sql(ctx));
                if optional
                    .iter()
                    .any(|f| partial_unique_covers(sql, model.db_name(), f.db_name()))
                {
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
                        mongodb_remedy(&names)
                    } else {
                        filtered_index_remedy(model, &names, &optional)
                    };
                    (
                        format!(
                            "{what} has only optional columns: {null}, so only one `{}` {rows} may \
                             leave {which}; the next insert without a value fails with a duplicate \
                             key error",
                            model.name
                        ),
                        format!(
                            "On most other databases NULLs never conflict in a unique index, so \
                             code written for them expects any number of rows without a value. \
                             {remedy}"
                        ),
                    )
                } else if pattern == Some(Pattern::SoftDelete) {
                    let marker: Vec<&Field> = optional
                        .iter()
                        .copied()
                        .filter(|f| is_soft_delete_marker(f))
                        .collect();
                    let marker_names = quoted(&marker);
                    let live: Vec<String> = cols
                        .iter()
                        .flatten()
                        .filter(|f| !marker.iter().any(|m| m.id == f.id))
                        .map(|f| format!("\"{}\"", f.db_name()))
                        .collect();
                    let partial = if provider == Provider::MySql {
                        MYSQL_LIVE_ROWS.to_string()
                    } else {
                        live_rows_partial_index(model, &live, &marker)
                    };
                    (
                        format!(
                            "{what} includes the soft-delete marker {marker_names}: live `{}` rows \
                             have it NULL, and {db} treats NULLs as distinct, so live rows never \
                             conflict: the constraint enforces nothing for them",
                            model.name
                        ),
                        format!(
                            "The constraint is meant to keep live rows unique while allowing \
                             deleted copies, but a unique index never fires for rows with NULL in \
                             one of its columns, and every live row has {marker_names} NULL. \
                             {partial}"
                        ),
                    )
                } else {
                    let partial = match (provider, optional.as_slice()) {
                        (Provider::MySql, _) => MYSQL_NULL_ROWS.to_string(),
                        (_, [single]) => null_rows_partial_index(provider, model, &cols, single),
                        _ => NULL_ROWS_PARTIAL_INDEXES.to_string(),
                    };

                    (
                        format!(
                            "{what} includes the optional {opt}: {db} treats NULLs as distinct, so \
                             `{}` rows with {opt} NULL never conflict and duplicates are allowed \
                             there",
                            model.name
                        ),
                        format!(
                            "A unique constraint does not fire for rows with NULL in one of its \
                             columns, so the invariant it documents is not enforced for rows \
                             without {opt} (typically global or system rows). Make {opt} required \
                             (e.g. a real row instead of NULL) or store a non-NULL sentinel value. \
                             {partial}"
                        ),
                    )
                };
                let mut f = RawFinding::new(
                    format!("{}|unique({})", model.name, names.join(",")),
                    message,
                )
                .at(idx.span)
                .help(help);
                if pattern == Some(Pattern::SoftDelete) {
                    f = f.heuristic();
                }
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
    use crate::support::test_util::{cases, schema_findings};
    use prisma_audit_core::finding::Confidence;

    const ID: &str = "nullable-column-in-unique";

    const PG: &str = r#"datasource db {
  provider = "postgresql"
}

model Tenant {
  id    String @id
  roles Role[]
}

model Role {
  id       String  @id
  tenantId String?
  name     String
  email    String? @unique
  code     String?
  slug     String
  tenant   Tenant? @relation(fields: [tenantId], references: [id])

  @@unique([tenantId, name])
  @@unique([name, slug])
  @@unique([code, email])
}
"#;

    fn on(provider: &str) -> String {
        PG.replace("postgresql", provider)
    }

    const SOFT_DELETE: &str = r#"datasource db {
  provider = "postgresql"
}

model Customer {
  id        String    @id
  orgId     String
  name      String
  deletedAt DateTime?

  @@unique([orgId, name, deletedAt])
}
"#;

    const MONGO: &str = r#"datasource db {
  provider = "mongodb"
}

model User {
  id    String  @id @map("_id")
  email String? @unique
  name  String
}
"#;

    const INTENDED_NULL_DISTINCT: &str = r#"datasource db {
  provider = "postgresql"
}

model User {
  id     String   @id
  recent Recent[]
  links  Link[]
}

model Tag {
  id     String   @id
  recent Recent[]
}

model Recent {
  id        String  @id
  userId    String?
  browserId String?
  tagId     String
  kind      String
  user      User?   @relation(fields: [userId], references: [id])
  tag       Tag     @relation(fields: [tagId], references: [id])

  @@unique([userId, tagId, kind])
  @@unique([browserId, tagId, kind])
}

model Payment {
  id            String  @id
  gateway       String
  transactionId String?

  @@unique([gateway, transactionId])
}

model Link {
  id      String  @id
  ownerId String?
  label   String
  owner   User?   @relation(fields: [ownerId], references: [id])

  @@unique([id, ownerId])
}
"#;

    // An optional unique column with a database-generated default.
    const SQL_SERVER_GENERATED: &str = r#"datasource db {
  provider = "sqlserver"
}

model Line {
  id      Int     @id
  rowguid String? @unique @default(dbgenerated("newid()"))
}
"#;

    const NO_DATASOURCE: &str = r#"model User {
  id Int @id
  a  Int?
  b  Int

  @@unique([a, b])
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(cases(
            ID,
            &[INTENDED_NULL_DISTINCT, SQL_SERVER_GENERATED, NO_DATASOURCE],
            &[
                PG,
                SOFT_DELETE,
                &SOFT_DELETE.replace("postgresql", "mysql"),
                &on("mysql"),
                &on("sqlite"),
                &on("cockroachdb"),
                &on("sqlserver"),
                MONGO,
            ]
        ));
    }

    #[test]
    fn postgres_scoped_composite() {
        let f = schema_findings(ID, PG);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].confidence, Confidence::Certain);
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!((loc.start.line, loc.start.column), (19, 3));
        assert_eq!(f[0].related[0].location.start.line, 12);
        assert!(f[0].fix.is_none());
    }

    #[test]
    fn soft_delete_marker_is_heuristic() {
        let f = schema_findings(ID, SOFT_DELETE);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].confidence, Confidence::Heuristic);
    }

    #[test]
    fn counts_per_provider() {
        for p in ["mysql", "sqlite", "cockroachdb"] {
            assert_eq!(schema_findings(ID, &on(p)).len(), 1, "{p}");
        }
        // SQL Server: single-column and all-optional uniques, not the scoped composite.
        assert_eq!(schema_findings(ID, &on("sqlserver")).len(), 2);
        assert_eq!(schema_findings(ID, MONGO).len(), 1);
    }

    #[test]
    fn partial_index_in_migrations() {
        use crate::support::test_util::findings;
        let s = SOFT_DELETE;
        let sql = "CREATE UNIQUE INDEX \"Customer_live_key\" ON \"Customer\"(\"orgId\", \"name\") WHERE \"deletedAt\" IS NULL;\n";
        let f = findings(
            ID,
            &[
                ("prisma/schema.prisma", s),
                ("prisma/migrations/1_live/migration.sql", sql),
            ],
        );
        assert!(f.is_empty(), "{f:#?}");
        let other = sql.replace("\"Customer\"(", "\"Other\"(");
        let f = findings(
            ID,
            &[
                ("prisma/schema.prisma", s),
                ("prisma/migrations/1_live/migration.sql", &other),
            ],
        );
        assert_eq!(f.len(), 1);
    }
}
