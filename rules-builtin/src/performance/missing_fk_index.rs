use crate::support::indexes::{create_index_sql, serves_lookups};
use crate::support::schema_edit::insert_member_line;
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{Field, FieldRefs, Model, ModelId, Provider, RelationMode};
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};
use std::collections::BTreeSet;

declare_rule! {
    /// ## What it does
    /// Reports foreign-key columns (the `fields: [...]` side of a relation) that are not the
    /// leading columns of any index, unique constraint or primary key of their model: one
    /// finding per model, listing every unindexed foreign key, with one fix that adds all the
    /// indexes.
    ///
    /// A single-column foreign key `a` is covered by any index that starts with `a`; a composite
    /// foreign key `[a, b]` is covered by an index whose first two columns are `a` and `b` in
    /// either order. Indexes of type `Gin`, `Gist`, `SpGist` and `Brin`, fulltext indexes and
    /// partial indexes (`where:`) do not count. When the project has a migration history, an
    /// index the migrations create by hand (outside the schema) that starts with the foreign
    /// key counts as well, unless it is partial or built on expressions.
    ///
    /// ## Why is this bad?
    /// PostgreSQL, CockroachDB, SQLite and SQL Server do not index foreign-key columns by
    /// themselves. Without an index, every `include`/relation filter (`where: { customerId }`)
    /// and every delete or key update of a parent row (the database must check or cascade into
    /// the children) scans the whole child table; the cost grows with the child table, so it
    /// shows up in production rather than in development. With `relationMode = "prisma"` there
    /// are no foreign keys at all, so nothing creates an index on any provider; this is the
    /// warning Prisma itself prints, made precise.
    ///
    /// Silent on MySQL with foreign keys (the default relation mode): InnoDB creates an index
    /// for every foreign key automatically. Silent on MongoDB (no foreign keys or SQL indexes),
    /// on views and on `@@ignore`d models. A one-to-one foreign key marked `@unique` is already
    /// indexed by its unique constraint. Certain, not heuristic: it reads the relations and
    /// indexes, never names; a small lookup table as parent makes the finding cheaper to
    /// ignore, not false.
    ///
    /// ## Example
    /// ```prisma
    /// model Pet {
    ///   id         String   @id
    ///   customerId String
    ///   customer   Customer @relation(fields: [customerId], references: [id])
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add `@@index([customerId])` to the model (one `@@index` per listed foreign key; safe).
    /// On a large, busy PostgreSQL table create the index in a hand-edited migration with
    /// `CREATE INDEX CONCURRENTLY` (outside a transaction) so writes are not blocked while it
    /// builds.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/relation-mode#indexes
    /// - https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK
    /// - https://www.sqlite.org/foreignkeys.html#fk_indexes
    /// - https://dev.mysql.com/doc/refman/8.0/en/constraint-foreign-key.html
    pub struct MissingFkIndex;
    id = "missing-fk-index",
    summary = "Foreign-key columns without an index",
    category = Performance,
    severity = Medium,
    fixable = true,
    enabled = true,
}

/// One unindexed foreign key of a model.
struct Unindexed<'a> {
    /// Its fields, in the relation's order.
    fields: Vec<&'a Field>,
    /// The model it points to.
    target: &'a str,
    /// The relation field.
    relation: Option<&'a Field>,
}

impl Unindexed<'_> {
    /// `customerId` or `[ax, ay]`.
    fn columns(&self) -> String {
        if let [f] = self.fields.as_slice() {
            f.name.to_string()
        } else {
            let names: Vec<&str> = self.fields.iter().map(|f| f.name.as_str()).collect();
            ["[", &names.join(", "), "]"].concat()
        }
    }
    /// `@@index([a, b])`, with a `map:` when Prisma's default name would be cut to the length
    /// limit (two new indexes on a long table name would otherwise get the same name) or is
    /// already taken.
    fn index_line(&self, ctx: &RuleContext<'_>, model: &Model) -> String {
        crate::support::schema_edit::index_attribute(
            ctx.schema,
            model,
            prisma_audit_core::model::IndexKind::Normal,
            &self.fields,
        )
        .unwrap_or_else(|| {
            let names: Vec<&str> = self.fields.iter().map(|f| f.name.as_str()).collect();
            ["@@index([", &names.join(", "), "])"].concat()
        })
    }
}

/// Whether an index the migrations create on `model`'s table (a plain B-tree or hash index, a
/// unique constraint or the primary key, without a `WHERE` predicate) starts with `columns` in
/// any order.
fn migrations_cover(ctx: &RuleContext<'_>, model: &Model, columns: &[&str]) -> bool {
    let Some((catalog, table)) = crate::support::indexes::migrated_table(ctx, model) else {
        return false;
    };
    let leads = |cols: &mut dyn Iterator<Item = &str>| {
        let head: Vec<&str> = cols.take(columns.len()).collect();
        head.len() == columns.len() && columns.iter().all(|c| head.contains(c))
    };
    table
        .primary_key
        .iter()
        .chain(&table.uniques)
        .any(|k| leads(&mut k.columns.iter().map(String::as_str)))
        || catalog.table_indexes(&table.name).any(|i| {
            i.predicate.is_none()
                && (i.method.eq_ignore_ascii_case("btree") || i.method.eq_ignore_ascii_case("hash"))
                && !i
                    .columns
                    .iter()
                    .take(columns.len())
                    .any(|c| c.is_expression)
                && leads(&mut i.columns.iter().map(|c| c.expr.as_str()))
        })
}

impl Rule for MissingFkIndex {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        let Some(provider) = schema.provider() else {
            return;
        };
        let mode = schema.relation_mode();
        match provider {
            Provider::MongoDb => return,
            Provider::MySql if mode == RelationMode::ForeignKeys => return,
            _ => {}
        }
        // Sorted FK field sets already judged (two relations may share their fields).
        let mut seen: BTreeSet<FieldRefs> = BTreeSet::new();
        // Unindexed foreign keys per referencing model, in relation order.
        let mut by_model: Vec<(ModelId, Vec<Unindexed<'_>>)> = Vec::new();
        for rel in schema.relations() {
            if rel.is_many_to_many() || rel.fields.is_empty() {
                continue;
            }
            let Some(model) = schema.model_by_id(rel.referencing_model) else {
                continue;
            };
            if model.is_view || model.is_ignored() {
                continue;
            }
            let Some(target) = schema.model_by_id(rel.referenced_model) else {
                continue;
            };
            let fk: Vec<&Field> = rel
                .fields
                .iter()
                .filter_map(|id| model.field_at(*id))
                .collect();
            if fk.len() != rel.fields.len() || fk.iter().any(|f| f.is_ignored()) {
                continue;
            }
            let mut key = rel.fields.clone();
            key.sort();
            if !seen.insert(key) {
                continue;
            }
            let names_: Vec<&str> = fk.iter().map(|f| f.name.as_str()).collect();
            let covered = model.index_refs().any(|i| {
                serves_lookups(&i)
                    && crate::support::indexes::leads_with_set(&i, &names_)
                    && !crate::support::indexes::is_partial(ctx, &i)
            });
            if covered {
                continue;
            }
            let db_cols: Vec<&str> = fk.iter().map(|f| f.db_name()).collect();
            if migrations_cover(ctx, model, &db_cols) {
                continue;
            }
            let entry = Unindexed {
                fields: fk,
                target: target.name.as_str(),
                relation: model.field_at(rel.referencing),
            };
            match by_model.iter_mut().find(|(m, _)| *m == model.id) {
                Some((_, list)) => list.push(entry),
                None => by_model.push((model.id, vec![entry])),
            }
        }
        for (model_id, list) in by_model {
            let Some(model) = schema.model_by_id(model_id) else {
                continue;
            };
            out.push(finding(ctx, provider, mode, model, &list));
        }
    }
}

/// How to add the indexes to a large table: concurrently on PostgreSQL, else at a quiet time.
const CONCURRENTLY_NOTE: &str = " On a large, busy table create them in a hand-edited migration \
     with `CREATE INDEX CONCURRENTLY` (outside a transaction) so writes are not blocked while they \
     build.";
const QUIET_TIME_NOTE: &str = " On a large, busy table create them in a hand-edited migration at a \
     quiet time: building an index can block writes.";

/// One finding for all unindexed foreign keys of `model`, with one fix adding every index.
fn finding(
    ctx: &RuleContext<'_>,
    provider: Provider,
    mode: RelationMode,
    model: &Model,
    list: &[Unindexed<'_>],
) -> RawFinding {
    let lines: Vec<String> = list.iter().map(|u| u.index_line(ctx, model)).collect();
    let (anchor, message) = if let [one] = list {
        let what = [model.name.as_str(), ".", &one.columns()].concat();
        let message = [
            "`",
            &what,
            "` (foreign key to ",
            one.target,
            ") has no index: ",
            why_unindexed(provider, mode),
        ]
        .concat();
        (what, message)
    } else {
        let each: Vec<String> = list
            .iter()
            .map(|u| ["`", &u.columns(), "` (to ", u.target, ")"].concat())
            .collect();
        let message = format!(
            "`{}` has {} foreign keys without an index, {}: {}",
            model.name,
            list.len(),
            each.join(", "),
            why_unindexed(provider, mode)
        );
        (model.name.to_string(), message)
    };
    let adds: Vec<String> = lines.iter().map(|l| ["`", l, "`"].concat()).collect();
    let help = [
        "Add ",
        &adds.join(", "),
        " to model `",
        &model.name,
        "` (or indexes that start with these columns).",
        if provider == Provider::PostgreSql {
            CONCURRENTLY_NOTE
        } else {
            QUIET_TIME_NOTE
        },
    ]
    .concat();
    let mut f = RawFinding::new(anchor, message)
        .at(list[0].fields[0].span)
        .help(help);
    for (i, u) in list.iter().enumerate() {
        if i > 0 {
            f = f.related(
                u.fields[0].span,
                format!(
                    "foreign key `{}.{}` to {}",
                    model.name,
                    u.columns(),
                    u.target
                ),
            );
        }
        if let Some(rf) = u.relation {
            f = f.related(
                rf.span,
                ["relation `", &model.name, ".", &rf.name, "` to ", u.target].concat(),
            );
        }
    }
    let nl = crate::support::schema_edit::newline(ctx.text(model.span.file));
    let indent = crate::support::schema_edit::member_indent(ctx, model);
    let joined = lines.join(&[nl, indent].concat());
    if let Some(edit) = insert_member_line(ctx, model, &joined) {
        let sql: Vec<String> = list
            .iter()
            .zip(&lines)
            .filter_map(|(u, line)| {
                let cols: Vec<&str> = u.fields.iter().map(|f| f.db_name()).collect();
                create_index_sql(provider, model.db_name(), &cols, map_of(line))
            })
            .collect();
        let title = if let [one] = lines.as_slice() {
            ["Add `", one, "` to `", &model.name, "`"].concat()
        } else {
            format!("Add {} indexes to `{}`", lines.len(), model.name)
        };
        f = f.fix(RawFix {
            title,
            safety: FixSafety::Safe,
            edits: vec![edit],
            sql: (!sql.is_empty()).then(|| sql.join("\n")),
        });
    }
    f
}

/// Why a missing index on a foreign key hurts with this provider and relation mode.
fn why_unindexed(provider: Provider, mode: RelationMode) -> &'static str {
    match (provider, mode) {
        (_, RelationMode::Prisma) => {
            "with `relationMode = \"prisma\"` there are no foreign keys, so no index is created \
             for it and relation queries and emulated referential actions scan the table"
        }
        (Provider::PostgreSql, _) => {
            "PostgreSQL does not index foreign-key columns, so relation queries and deletes of the \
             parent row scan the table"
        }
        (Provider::CockroachDb, _) => {
            "CockroachDB does not index foreign-key columns by itself, so relation queries and \
             deletes of the parent row scan the table"
        }
        (Provider::Sqlite, _) => {
            "SQLite does not index foreign-key columns, so relation queries and deletes of the \
             parent row scan the table"
        }
        (Provider::SqlServer, _) => {
            "SQL Server does not index foreign-key columns, so relation queries and deletes of the \
             parent row scan the table"
        }
        _ => "nothing indexes it, so relation queries scan the table",
    }
}

/// The `map: "name"` of an index line the fix writes, if any.
fn map_of(line: &str) -> Option<&str> {
    let rest = &line[line.find("map: \"")? + 6..];
    rest.find('"').map(|end| &rest[..end])
}

#[cfg(test)]
mod tests {
    use super::map_of;
    use crate::support::test_util::{Case, fixed, schema_findings, table};

    const ID: &str = "missing-fk-index";

    /// `models` on PostgreSQL.
    fn pg(models: &str) -> String {
        datasource("postgresql", models)
    }

    fn datasource(provider: &str, models: &str) -> String {
        format!(
            r#"datasource db {{
  provider = "{provider}"
}}

{models}"#
        )
    }

    /// `Pet.customerId` without an index.
    const PETS: &str = r#"model Customer {
  id   String @id
  pets Pet[]
}

model Pet {
  id         String   @id
  customerId String
  customer   Customer @relation(fields: [customerId], references: [id])
}
"#;

    /// [`PETS`] with `attribute` on the `Pet` model.
    fn pets_with(attribute: &str) -> String {
        pg(&format!(
            r#"model Customer {{
  id   String @id
  pets Pet[]
}}

model Pet {{
  id         String   @id
  customerId String
  customer   Customer @relation(fields: [customerId], references: [id])

  {attribute}
}}
"#
        ))
    }

    const UNIQUE_FK: &str = r#"model Customer {
  id   String @id
  pets Pet[]
}

model Pet {
  id         String   @id
  customerId String   @unique
  customer   Customer @relation(fields: [customerId], references: [id])
}
"#;

    /// The index leads with both columns of the composite key, in another order.
    const COMPOSITE_FK_ANY_ORDER: &str = r#"model A {
  x  Int
  y  Int
  bs B[]
  @@id([x, y])
}

model B {
  id Int @id
  ax Int
  ay Int
  a  A   @relation(fields: [ax, ay], references: [x, y])

  @@index([ay, ax, id])
}
"#;

    /// `id` sits between the key's columns.
    const COMPOSITE_FK_SPLIT: &str = r#"model A {
  x  Int
  y  Int
  bs B[]
  @@id([x, y])
}

model B {
  id Int @id
  ax Int
  ay Int
  a  A   @relation(fields: [ax, ay], references: [x, y])

  @@index([ay, id, ax])
}
"#;

    /// Two unindexed foreign keys in one model: one finding, one fix.
    const TWO_FKS: &str = r#"model A {
  id String @id
  cs C[]
}

model B {
  id String @id
  cs C[]
}

model C {
  id  String @id
  aId String
  bId String?
  a   A      @relation(fields: [aId], references: [id], onDelete: Cascade)
  b   B?     @relation(fields: [bId], references: [id])
}
"#;

    /// On a name this long Prisma cuts both default index names to the same 63 bytes.
    const LONG_TABLE_NAME: &str = r#"model A {
  id String @id
  xs ProductSaleSnapshotContentFileAttachmentRelationshipRecord[] @relation("x")
  ys ProductSaleSnapshotContentFileAttachmentRelationshipRecord[] @relation("y")
}

model ProductSaleSnapshotContentFileAttachmentRelationshipRecord {
  id                         String @id
  firstAttachmentOwnerId     String
  secondAttachmentOwnerId    String
  first  A @relation("x", fields: [firstAttachmentOwnerId], references: [id])
  second A @relation("y", fields: [secondAttachmentOwnerId], references: [id])
}
"#;

    const PET_TABLE: &str = r#"CREATE TABLE "Pet" ("id" TEXT NOT NULL, "customerId" TEXT NOT NULL, CONSTRAINT "Pet_pkey" PRIMARY KEY ("id"));
"#;

    const PET_TABLE_AND_INDEX: &str = r#"CREATE TABLE "Pet" ("id" TEXT NOT NULL, "customerId" TEXT NOT NULL, CONSTRAINT "Pet_pkey" PRIMARY KEY ("id"));
CREATE INDEX "pet_customer" ON "Pet"("customerId", "id");
"#;

    const PET_TABLE_AND_PARTIAL_INDEX: &str = r#"CREATE TABLE "Pet" ("id" TEXT NOT NULL, "customerId" TEXT NOT NULL, CONSTRAINT "Pet_pkey" PRIMARY KEY ("id"));
CREATE INDEX "pet_customer" ON "Pet"("customerId") WHERE "id" <> '';
"#;

    /// [`PETS`] with one migration of `sql`.
    fn pets_migrated(sql: &str) -> Case {
        Case::pg(&[("1_init", sql)]).with_file("prisma/schema.prisma", &pg(PETS))
    }

    const RELATION_MODE_PRISMA: &str = r#"datasource db {
  provider     = "mysql"
  relationMode = "prisma"
}

"#;

    #[test]
    fn pass_and_fail() {
        let relation_mode_prisma = format!("{RELATION_MODE_PRISMA}{PETS}");
        insta::assert_snapshot!(table(
            ID,
            &[
                // Covered by the leading columns of an index or unique constraint.
                Case::schema(&pets_with("@@index([customerId, id])")),
                Case::schema(&pets_with("@@unique([customerId, id])")),
                Case::schema(&pg(UNIQUE_FK)),
                Case::schema(&pg(COMPOSITE_FK_ANY_ORDER)),
                // An index built by hand in a migration counts.
                pets_migrated(PET_TABLE_AND_INDEX),
                // MySQL indexes foreign keys itself.
                Case::schema(&datasource("mysql", PETS)),
                Case::schema(&pets_with("@@ignore")),
            ],
            &[
                Case::schema(&pg(PETS)),
                // Not leading, or not a B-tree.
                Case::schema(&pets_with("@@index([id, customerId])")),
                Case::schema(&pets_with("@@index([customerId], type: Gin)")),
                Case::schema(&pg(COMPOSITE_FK_SPLIT)),
                // The other foreign key and both relation fields are related.
                Case::schema(&pg(TWO_FKS)),
                // Each new index gets its own `map:`, and the SQL uses those names.
                Case::schema(&pg(LONG_TABLE_NAME)),
                pets_migrated(PET_TABLE),
                // A partial index covers only some rows, in a migration or in the schema.
                pets_migrated(PET_TABLE_AND_PARTIAL_INDEX),
                Case::schema(&pets_with(
                    r#"@@index([customerId], where: raw("id <> ''"))"#
                )),
                // Without foreign keys in the database: the fix has no SQL.
                Case::schema(&relation_mode_prisma),
                // Other databases that do not index foreign keys themselves.
                Case::schema(&datasource("sqlite", PETS)),
                Case::schema(&datasource("sqlserver", PETS)),
                Case::schema(&datasource("cockroachdb", PETS)),
            ],
        ));
    }

    #[test]
    fn the_fix_adds_the_index() {
        assert_eq!(
            fixed(ID, &pg(PETS), false),
            pg(r#"model Customer {
  id   String @id
  pets Pet[]
}

model Pet {
  id         String   @id
  customerId String
  customer   Customer @relation(fields: [customerId], references: [id])
  @@index([customerId])
}
"#)
        );
    }

    #[test]
    fn the_fix_indexes_a_composite_key_in_its_order() {
        assert!(fixed(ID, &pg(COMPOSITE_FK_SPLIT), false).contains(
            r#"  @@index([ax, ay])
}"#
        ));
    }

    /// On a long table name Prisma cuts both default index names to the same 63 bytes: each new index
    /// gets its own `map:`, and the SQL uses those names.
    #[test]
    fn long_table_names_get_distinct_index_names() {
        let s = pg(LONG_TABLE_NAME);
        let out = fixed(ID, &s, false);
        let maps: Vec<&str> = out.lines().filter_map(map_of).collect();
        assert_eq!(maps.len(), 2, "{out}");
        assert_ne!(maps[0], maps[1]);
        assert!(maps.iter().all(|m| m.len() <= 63), "{maps:?}");
        let f = &schema_findings(ID, &s)[0];
        let sql = f
            .fix
            .as_ref()
            .and_then(|x| x.sql.clone())
            .unwrap_or_default();
        assert!(maps.iter().all(|m| sql.contains(m)), "{sql}");
    }

    #[test]
    fn one_fix_adds_every_index_of_a_model() {
        let out = fixed(ID, &pg(TWO_FKS), false);
        assert!(
            out.ends_with(
                r#"  b   B?     @relation(fields: [bId], references: [id])
  @@index([aId])
  @@index([bId])
}
"#
            ),
            "{out}"
        );
    }
}
