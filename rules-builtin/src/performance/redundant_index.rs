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
                        "`{this}` on `{}` is redundant: its columns are the leading columns of {by}, which serves the same lookups; remove it",
                        model.name
                    )
                };
                let kind = match cover.kind {
                    IndexKind::Primary => "the primary key",
                    IndexKind::Unique => "the unique constraint",
                    _ => "the index",
                };
                let (safety, note) = if idx.map.is_some() {
                    (
                        FixSafety::Unsafe,
                        " The index has a custom `map:` name; check that no hand-written SQL, migration or query hint refers to it before dropping it.",
                    )
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
                            "Every index costs write time, disk and memory. {kind} {by} already serves lookups on `{}`, so this index adds nothing.{note}",
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
    use crate::support::test_util::{fixed, schema_findings};

    const ID: &str = "redundant-index";

    fn pg(body: &str) -> String {
        format!("datasource db {{\n  provider = \"postgresql\"\n}}\n\n{body}")
    }

    #[test]
    fn duplicates_unique_and_prefix() {
        let s = pg(
            "model T {\n  id       String @id\n  slug     String @unique\n  tenantId String\n  name     String\n\n  @@index([slug])\n  @@index([tenantId])\n  @@index([tenantId, name])\n  @@index([id])\n}\n",
        );
        let f = schema_findings(ID, &s);
        assert_eq!(f.len(), 3, "{f:#?}");
        assert_eq!(
            f[0].message,
            "`@@index([slug])` on `T` duplicates `slug @unique`: remove it"
        );
        assert_eq!(f[0].location.as_ref().unwrap().start.line, 11);
        assert_eq!(f[0].related[0].location.start.line, 7);
        assert!(
            f[1].message
                .contains("leading columns of `@@index([tenantId, name])`")
        );
        assert!(f[2].message.contains("duplicates `id @id`"));
        assert!(!f.iter().any(|x| x.message.contains("reorder")));
        let out = fixed(ID, &s, false);
        assert_eq!(
            out,
            pg(
                "model T {\n  id       String @id\n  slug     String @unique\n  tenantId String\n  name     String\n\n  @@index([tenantId, name])\n}\n"
            )
        );
    }

    #[test]
    fn not_redundant() {
        for body in [
            // different column order
            "  a Int\n  b Int\n  @@index([b])\n  @@index([a, b])\n",
            // sort order differs
            "  a Int\n  b Int\n  @@index([a(sort: Desc)])\n  @@index([a, b])\n",
            // access methods differ
            "  a Int\n  b Int\n  @@index([a], type: Hash)\n  @@index([a, b])\n",
            "  a Int\n  b Int\n  @@index([a], type: Gin)\n  @@unique([a])\n",
            // uniques are constraints
            "  a Int\n  b Int\n  @@unique([a])\n  @@index([a, b])\n",
            "  a Int @unique\n  b Int\n  @@unique([a, b])\n",
        ] {
            let s = pg(&format!("model T {{\n  id Int @id\n{body}}}\n"));
            assert!(schema_findings(ID, &s).is_empty(), "{body}");
        }
    }

    #[test]
    fn exact_duplicate_reported_once() {
        let s = pg(
            "model T {\n  id Int @id\n  a  Int\n\n  @@index([a])\n  @@index([a])\n  @@index([a, id], type: Hash)\n  @@index([a, id], type: Hash)\n}\n",
        );
        let f = schema_findings(ID, &s);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(f[0].location.as_ref().unwrap().start.line, 10);
        assert_eq!(f[1].location.as_ref().unwrap().start.line, 12);
        let safe = fixed(ID, &s, false);
        assert!(
            safe.matches("@@index([a])").count() == 1 && safe.matches("type: Hash").count() == 1
        );
    }

    /// Findings on `schema` with one migration `sql` (PostgreSQL).
    fn with_migration(schema: &str, sql: &str) -> Vec<prisma_audit_core::finding::Finding> {
        crate::support::test_util::findings(
            ID,
            &[
                ("prisma/schema.prisma", schema),
                (
                    "prisma/migrations/migration_lock.toml",
                    "provider = \"postgresql\"\n",
                ),
                ("prisma/migrations/1_init/migration.sql", sql),
            ],
        )
    }

    const TABLE: &str = "CREATE TABLE \"T\" (\"id\" INTEGER NOT NULL, \"a\" INTEGER NOT NULL, \"b\" INTEGER NOT NULL, CONSTRAINT \"T_pkey\" PRIMARY KEY (\"id\"));\n";

    #[test]
    fn hand_named_indexes_need_the_migrations_to_confirm() {
        let s = pg(
            "model T {\n  id Int @id\n  a  Int\n  b  Int\n\n  @@index([a, b])\n  @@index([a], map: \"custom_a\")\n}\n",
        );
        // Introspected, no history: the schema may not show all of `custom_a`.
        assert!(schema_findings(ID, &s).is_empty());
        let plain = format!(
            "{TABLE}CREATE INDEX \"T_a_b_idx\" ON \"T\"(\"a\", \"b\");\nCREATE INDEX \"custom_a\" ON \"T\"(\"a\");\n"
        );
        let f = with_migration(&s, &plain);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message
                .starts_with("`@@index([a], map: \"custom_a\")`")
        );
        assert_eq!(
            f[0].fix.as_ref().unwrap().safety,
            prisma_audit_core::finding::FixSafety::Unsafe
        );
        // The migrations made the covering index partial: it does not cover.
        let partial = plain.replace("(\"a\", \"b\");", "(\"a\", \"b\") WHERE \"b\" > 0;");
        assert!(with_migration(&s, &partial).is_empty());
        // ... or never created it.
        let missing = plain.replace("CREATE INDEX \"T_a_b_idx\" ON \"T\"(\"a\", \"b\");\n", "");
        assert!(with_migration(&s, &missing).is_empty());
    }

    #[test]
    fn partial_indexes_neither_redundant_nor_covering() {
        for body in [
            "  @@index([a, b], where: raw(\"b > 0\"))\n  @@index([a])\n",
            "  @@index([a, b])\n  @@index([a], where: { b: 1 })\n",
        ] {
            let s = pg(&format!(
                "model T {{\n  id Int @id\n  a  Int\n  b  Int\n\n{body}}}\n"
            ));
            assert!(schema_findings(ID, &s).is_empty(), "{body}");
        }
    }

    #[test]
    fn silent_on_mongodb_and_single_line_model() {
        let s = "datasource db {\n  provider = \"mongodb\"\n}\n\nmodel T {\n  id String @id @map(\"_id\")\n  a  String @unique\n  @@index([a])\n}\n";
        assert!(schema_findings(ID, s).is_empty());
        let s = pg("model T {\n  id Int @id\n  @@index([id]) // old\n}\n");
        assert_eq!(fixed(ID, &s, false), pg("model T {\n  id Int @id\n}\n"));
    }
}
