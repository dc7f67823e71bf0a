use crate::support::indexes::{built_as_declared, is_btree, is_partial, remove_line, same_column};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{IndexKind, IndexRef, IndexSource, Model, Provider, names};
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports a plain `@@index` that another index of the same model makes useless:
    /// - it duplicates an `@id`/`@@id`, `@unique`/`@@unique` or another `@@index` exactly, or
    /// - its columns are a leading prefix of another index of the same access method
    ///   (`@@index([a])` next to `@@index([a, b])`, `@@unique([a, b])` or `@@id([a, b])`).
    ///
    /// Columns compare by field, sort order, MySQL length prefix and operator class. Primary
    /// keys and unique constraints are B-tree indexes, so they cover plain B-tree indexes;
    /// `Hash`, `Gin`, `Gist`, `SpGist` and `Brin` indexes are only redundant to an identical
    /// index of the same type (a hash index cannot serve a prefix). Fulltext indexes, unique
    /// constraints and primary keys are never reported: a unique constraint enforces a rule, it
    /// is not just an access path. SQL Server clustered indexes are not reported. The order in
    /// which indexes are declared is irrelevant and never part of the advice.
    ///
    /// The rule only reports what it can verify is the whole index (deliberate silences):
    /// - partial indexes (`where:`) are neither reported nor counted as covering: they hold
    ///   some rows only;
    /// - with a migration history, both indexes must exist in the database the migrations
    ///   build, as plain indexes on those columns: an index the migrations recreate as a
    ///   partial or expression index, or never create, is not what the schema says;
    /// - without a migration history, an index with a hand-chosen `map:` name (not Prisma's
    ///   `Table_column_idx`) is left alone: such indexes come from an introspected database,
    ///   where the schema cannot show what Prisma does not model (SQL Server and PostgreSQL
    ///   `INCLUDE` columns, filters) and the tables often belong to another application.
    ///
    /// On MySQL with foreign keys, dropping the redundant index is accepted even when a foreign
    /// key uses it: InnoDB switches to the covering index, which starts with the same columns.
    ///
    /// ## Why is this bad?
    /// Every index is written on every insert and on every update of its columns, takes disk
    /// and memory, and slows `VACUUM`; a redundant one buys nothing, because the database can
    /// use the covering index (its leading columns) for the same lookups.
    ///
    /// ## Example
    /// ```prisma
    /// model Tenant {
    ///   id   String @id
    ///   slug String @unique
    ///
    ///   @@index([slug]) // duplicates the unique index on slug
    /// }
    /// ```
    ///
    /// ## Fix
    /// Remove the redundant `@@index(...)` line (safe: the covering index serves the same
    /// queries). When the index has a custom `map:` name the fix is marked unsafe: hand-written
    /// SQL, migrations or query hints may refer to that name.
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/indexes-multicolumn.html
    /// - https://www.postgresql.org/docs/current/indexes-unique.html
    /// - https://dev.mysql.com/doc/refman/8.0/en/multiple-column-indexes.html
    pub struct RedundantIndex;
    id = "redundant-index",
    summary = "Indexes made redundant by another index or a unique constraint",
    category = Performance,
    severity = Low,
    fixable = true,
    enabled = true,
}

/// Whether `cover` makes `idx` (a plain index) redundant.
fn covers(ctx: &RuleContext<'_>, idx: &IndexRef<'_>, cover: &IndexRef<'_>) -> bool {
    if cover.kind == IndexKind::Fulltext || idx.len() > cover.len() || is_partial(ctx, cover) {
        return false;
    }
    let prefix_ok = if is_btree(idx) && is_btree(cover) {
        true
    } else if cover.kind == IndexKind::Normal && cover.algorithm == idx.algorithm {
        // Other access methods: only an identical index is redundant.
        idx.len() == cover.len()
    } else {
        false
    };
    prefix_ok
        && idx
            .columns()
            .zip(cover.columns())
            .all(|(a, b)| same_column(&a, &b))
}

/// Whether `idx` carries a `map:` name other than the one Prisma would give it.
fn hand_named(ctx: &RuleContext<'_>, model: &Model, idx: &IndexRef<'_>) -> bool {
    let Some(map) = idx.map else { return false };
    let schema = ctx.schema;
    let declared = idx.to_index();
    let cols = schema.index_columns(model, &declared);
    let provider = schema.provider().unwrap_or(Provider::PostgreSql);
    map != names::index_name(model.db_name(), &cols, provider)
}

fn describe(ctx: &RuleContext<'_>, i: &IndexRef<'_>) -> String {
    let cols: Vec<&str> = i.column_names().collect();
    match (i.kind, i.source) {
        (IndexKind::Primary, IndexSource::Field(_)) => format!("`{} @id`", cols.join(", ")),
        (IndexKind::Unique, IndexSource::Field(_)) => format!("`{} @unique`", cols.join(", ")),
        _ => format!("`{}`", crate::support::schema_edit::span_text(ctx, i.span)),
    }
}

/// Why the fix removing an index with a custom `map:` name is unsafe.
const CUSTOM_NAME_NOTE: &str = " The index has a custom `map:` name; check that no hand-written \
     SQL, migration or query hint refers to it before dropping it.";

impl Rule for RedundantIndex {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        if schema.provider() == Some(Provider::MongoDb) {
            // MongoDB indexes exist too, but `_id` and compound semantics differ; stay silent.
            return;
        }
        for model in schema.models() {
            if model.is_ignored() {
                continue;
            }
            let indexes = model.index_refs();
            for (pos, idx) in indexes.clone().enumerate() {
                if idx.kind != IndexKind::Normal
                    || idx.is_empty()
                    || idx.clustered == Some(true)
                    || is_partial(ctx, &idx)
                {
                    continue;
                }
                // An exact duplicate of a plain index is reported on the later one only.
                let cover = indexes.clone().enumerate().find(|(other, c)| {
                    *other != pos
                        && covers(ctx, &idx, c)
                        && !(c.kind == IndexKind::Normal && c.len() == idx.len() && *other > pos)
                });
                let Some((_, cover)) = cover else { continue };
                // Check the database the migrations build; without them, leave hand-named
                // (introspected) indexes alone.
                match built_as_declared(ctx, model, &idx) {
                    Some(true) => {
                        if built_as_declared(ctx, model, &cover) != Some(true) {
                            continue;
                        }
                    }
                    Some(false) => continue,
                    None => {
                        if hand_named(ctx, model, &idx) {
                            continue;
                        }
                    }
                }
                let cols: Vec<&str> = idx.column_names().collect();
                let this = crate::support::schema_edit::span_text(ctx, idx.span).to_string();
                let by = describe(ctx, &cover);
                let exact = cover.len() == idx.len();
                let message = if exact {
                    format!("`{this}` on `{}` duplicates {by}: remove it", model.name)
                } else {
                    format!(
                        "`{this}` on `{}` is redundant: its columns are the leading columns of \
                         {by}, which serves the same lookups; remove it",
                        model.name
                    )
                };
                let kind = match cover.kind {
                    IndexKind::Primary => "the primary key",
                    IndexKind::Unique => "the unique constraint",
                    _ => "the index",
                };
                let (safety, note) = if idx.map.is_some() {
                    (FixSafety::Unsafe, CUSTOM_NAME_NOTE)
                } else {
                    (FixSafety::Safe, "")
                };
                let sql = match schema.provider() {
                    Some(p @ (Provider::PostgreSql | Provider::CockroachDb)) => Some(format!(
                        "DROP INDEX {}\"{}\";",
                        if p == Provider::PostgreSql {
                            "CONCURRENTLY "
                        } else {
                            ""
                        },
                        schema.index_db_name(model, &idx.to_index())
                    )),
                    _ => None,
                };
                out.push(
                    RawFinding::new(format!("{}.[{}]", model.name, cols.join(",")), message)
                        .at(idx.span)
                        .help(format!(
                            "Every index costs write time, disk and memory. {kind} {by} already \
                             serves lookups on `{}`, so this index adds nothing.{note}",
                            cols.join(", ")
                        ))
                        .related(cover.span, format!("covering {by}"))
                        .fix(RawFix {
                            title: format!("Remove `{this}` from `{}`", model.name),
                            safety,
                            edits: vec![remove_line(ctx, idx.span)],
                            sql,
                        }),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, fixed, table};

    const ID: &str = "redundant-index";

    /// `models` on PostgreSQL.
    fn pg(models: &str) -> String {
        format!(
            r#"datasource db {{
  provider = "postgresql"
}}

{models}"#
        )
    }

    /// A model `T` with an `id` and `members`.
    fn t(members: &str) -> Case {
        Case::schema(&pg(&format!(
            r#"model T {{
  id Int @id
{members}}}
"#
        )))
    }

    // Members of `T` (besides `id`) without a redundant index.

    /// The shorter index is not a prefix: `b` is not the leading column.
    const OTHER_COLUMN_ORDER: &str = r#"  a Int
  b Int
  @@index([b])
  @@index([a, b])
"#;

    /// Sort orders differ.
    const OTHER_SORT_ORDER: &str = r#"  a Int
  b Int
  @@index([a(sort: Desc)])
  @@index([a, b])
"#;

    /// A hash index cannot serve a prefix.
    const HASH_PREFIX: &str = r#"  a Int
  b Int
  @@index([a], type: Hash)
  @@index([a, b])
"#;

    /// Access methods differ.
    const GIN_BESIDE_UNIQUE: &str = r#"  a Int
  b Int
  @@index([a], type: Gin)
  @@unique([a])
"#;

    /// Unique constraints enforce a rule: never reported.
    const UNIQUE_PREFIX_OF_INDEX: &str = r#"  a Int
  b Int
  @@unique([a])
  @@index([a, b])
"#;

    const UNIQUE_PREFIX_OF_UNIQUE: &str = r#"  a Int @unique
  b Int
  @@unique([a, b])
"#;

    /// Partial indexes are neither redundant nor covering.
    const PARTIAL_COVER: &str = r#"  a  Int
  b  Int

  @@index([a, b], where: raw("b > 0"))
  @@index([a])
"#;

    const PARTIAL_PREFIX: &str = r#"  a  Int
  b  Int

  @@index([a, b])
  @@index([a], where: { b: 1 })
"#;

    /// A duplicate of a unique field, a prefix of another index, a duplicate of the id.
    const DUPLICATES_AND_PREFIX: &str = r#"model T {
  id       String @id
  slug     String @unique
  tenantId String
  name     String

  @@index([slug])
  @@index([tenantId])
  @@index([tenantId, name])
  @@index([id])
}
"#;

    /// Exact duplicates are reported on the later one only.
    const EXACT_DUPLICATES: &str = r#"model T {
  id Int @id
  a  Int

  @@index([a])
  @@index([a])
  @@index([a, id], type: Hash)
  @@index([a, id], type: Hash)
}
"#;

    const SINGLE_LINE_INDEX: &str = r#"model T {
  id Int @id
  @@index([id]) // old
}
"#;

    const HAND_NAMED: &str = r#"model T {
  id Int @id
  a  Int
  b  Int

  @@index([a, b])
  @@index([a], map: "custom_a")
}
"#;

    const BOTH_INDEXES: &str = r#"CREATE TABLE "T" ("id" INTEGER NOT NULL, "a" INTEGER NOT NULL, "b" INTEGER NOT NULL, CONSTRAINT "T_pkey" PRIMARY KEY ("id"));
CREATE INDEX "T_a_b_idx" ON "T"("a", "b");
CREATE INDEX "custom_a" ON "T"("a");
"#;

    /// The migrations made the covering index partial: it does not cover.
    const COVERING_PARTIAL: &str = r#"CREATE TABLE "T" ("id" INTEGER NOT NULL, "a" INTEGER NOT NULL, "b" INTEGER NOT NULL, CONSTRAINT "T_pkey" PRIMARY KEY ("id"));
CREATE INDEX "T_a_b_idx" ON "T"("a", "b") WHERE "b" > 0;
CREATE INDEX "custom_a" ON "T"("a");
"#;

    /// The migrations never created the covering index.
    const COVERING_MISSING: &str = r#"CREATE TABLE "T" ("id" INTEGER NOT NULL, "a" INTEGER NOT NULL, "b" INTEGER NOT NULL, CONSTRAINT "T_pkey" PRIMARY KEY ("id"));
CREATE INDEX "custom_a" ON "T"("a");
"#;

    /// [`HAND_NAMED`] with one migration of `sql`.
    fn hand_named_migrated(sql: &str) -> Case {
        Case::pg(&[("1_init", sql)]).with_file("prisma/schema.prisma", &pg(HAND_NAMED))
    }

    /// MongoDB indexes are left alone.
    const MONGO: &str = r#"datasource db {
  provider = "mongodb"
}

model T {
  id String @id @map("_id")
  a  String @unique
  @@index([a])
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                t(OTHER_COLUMN_ORDER),
                t(OTHER_SORT_ORDER),
                t(HASH_PREFIX),
                t(GIN_BESIDE_UNIQUE),
                t(UNIQUE_PREFIX_OF_INDEX),
                t(UNIQUE_PREFIX_OF_UNIQUE),
                t(PARTIAL_COVER),
                t(PARTIAL_PREFIX),
                // Introspected, no history: the schema may not show all of `custom_a`.
                Case::schema(&pg(HAND_NAMED)),
                hand_named_migrated(COVERING_PARTIAL),
                hand_named_migrated(COVERING_MISSING),
                Case::schema(MONGO),
            ],
            &[
                Case::schema(&pg(DUPLICATES_AND_PREFIX)),
                Case::schema(&pg(EXACT_DUPLICATES)),
                Case::schema(&pg(SINGLE_LINE_INDEX)),
                // The migrations confirm both indexes; the fix is unsafe for a `map:` name.
                hand_named_migrated(BOTH_INDEXES),
            ],
        ));
    }

    #[test]
    fn the_fix_removes_the_redundant_lines() {
        assert_eq!(
            fixed(ID, &pg(DUPLICATES_AND_PREFIX), false),
            pg(r#"model T {
  id       String @id
  slug     String @unique
  tenantId String
  name     String

  @@index([tenantId, name])
}
"#)
        );
        let safe = fixed(ID, &pg(EXACT_DUPLICATES), false);
        assert!(
            safe.matches("@@index([a])").count() == 1 && safe.matches("type: Hash").count() == 1
        );
        assert_eq!(
            fixed(ID, &pg(SINGLE_LINE_INDEX), false),
            pg(r#"model T {
  id Int @id
}
"#)
        );
    }
}
