use super::serves_lookups;
use crate::schema_edit::insert_member_line;
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{FieldRefs, Provider, RelationMode, names};
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};
use std::collections::BTreeSet;

declare_rule! {
    /// ## What it does
    /// Reports foreign-key columns (the `fields: [...]` side of a relation) that are not the
    /// leading columns of any index, unique constraint or primary key of their model.
    ///
    /// A single-column foreign key `a` is covered by any index that starts with `a`; a composite
    /// foreign key `[a, b]` is covered by an index whose first two columns are `a` and `b` in
    /// either order. Indexes of type `Gin`, `Gist`, `SpGist`, `Brin` and fulltext indexes do not
    /// count.
    ///
    /// ## Why is this bad?
    /// PostgreSQL, CockroachDB, SQLite and SQL Server do not index foreign-key columns by
    /// themselves. Without an index, every `include`/relation filter (`where: { customerId }`)
    /// and every delete or key update of a parent row (the database must check or cascade into
    /// the children) scans the whole child table. With `relationMode = "prisma"` there are no
    /// foreign keys at all, so nothing creates an index on any provider; this is the warning
    /// Prisma itself prints, made precise.
    ///
    /// Silent on MySQL with foreign keys (the default relation mode): InnoDB creates an index
    /// for every foreign key automatically. Silent on MongoDB (no foreign keys or SQL indexes),
    /// on views and on `@@ignore`d models. A one-to-one foreign key marked `@unique` is already
    /// indexed by its unique constraint.
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
    /// Add `@@index([customerId])` to the model. On a large, busy PostgreSQL table create the
    /// index in a hand-edited migration with `CREATE INDEX CONCURRENTLY` (outside a
    /// transaction) so writes are not blocked while it builds.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/relation-mode#indexes
    /// - https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK
    /// - https://dev.mysql.com/doc/refman/8.0/en/constraint-foreign-key.html
    pub struct MissingFkIndex;
    id = "missing-fk-index",
    summary = "Foreign-key columns without an index",
    category = Performance,
    severity = Medium,
    fixable = true,
    enabled = true,
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
            let fk: Vec<_> = rel
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
            let covered = model
                .index_refs()
                .any(|i| serves_lookups(&i) && super::leads_with_set(&i, &names_));
            if covered {
                continue;
            }
            // The texts below are built with `concat` (one exact-size allocation) rather than
            // `format!`: this runs once per unindexed foreign key, thousands of times on big schemas.
            let cols = names_.join(", ");
            let what = if names_.len() == 1 {
                [model.name.as_str(), ".", names_[0]].concat()
            } else {
                [model.name.as_str(), ".[", &cols, "]"].concat()
            };
            let line = ["@@index([", &cols, "])"].concat();
            let db_cols: Vec<&str> = fk.iter().map(|f| f.db_name()).collect();
            let message = [
                "`",
                &what,
                "` (foreign key to ",
                &target.name,
                ") has no index: ",
                why_unindexed(provider, mode),
            ]
            .concat();
            let help = [
                "Add `",
                &line,
                "` to model `",
                &model.name,
                "` (or an index that starts with these columns).",
                if provider == Provider::PostgreSql {
                    " On a large, busy table create it in a hand-edited migration with `CREATE INDEX CONCURRENTLY` (outside a transaction) so writes are not blocked while it builds."
                } else {
                    " On a large, busy table create it in a hand-edited migration at a quiet time: building an index can block writes."
                },
            ]
            .concat();
            let mut f = RawFinding::new(what, message).at(fk[0].span).help(help);
            if let Some(rf) = model.field_at(rel.referencing) {
                let related = [
                    "relation `",
                    &model.name,
                    ".",
                    &rf.name,
                    "` to ",
                    &target.name,
                ]
                .concat();
                f = f.related(rf.span, related);
            }
            if let Some(edit) = insert_member_line(ctx, model, &line) {
                f = f.fix(RawFix {
                    title: ["Add `", &line, "` to `", &model.name, "`"].concat(),
                    safety: FixSafety::Safe,
                    edits: vec![edit],
                    sql: create_index_sql(provider, model.db_name(), &db_cols),
                });
            }
            out.push(f);
        }
    }
}

/// Why a missing index on a foreign key hurts with this provider and relation mode.
fn why_unindexed(provider: Provider, mode: RelationMode) -> &'static str {
    match (provider, mode) {
        (_, RelationMode::Prisma) => {
            "with `relationMode = \"prisma\"` there are no foreign keys, so no index is created for it and relation queries and emulated referential actions scan the table"
        }
        (Provider::PostgreSql, _) => {
            "PostgreSQL does not index foreign-key columns, so relation queries and deletes of the parent row scan the table"
        }
        (Provider::CockroachDb, _) => {
            "CockroachDB does not index foreign-key columns by itself, so relation queries and deletes of the parent row scan the table"
        }
        (Provider::Sqlite, _) => {
            "SQLite does not index foreign-key columns, so relation queries and deletes of the parent row scan the table"
        }
        (Provider::SqlServer, _) => {
            "SQL Server does not index foreign-key columns, so relation queries and deletes of the parent row scan the table"
        }
        _ => "nothing indexes it, so relation queries scan the table",
    }
}

/// `CREATE INDEX [CONCURRENTLY] "<name>" ON "<table>"("a", "b");` for the providers whose
/// migrations the fix can describe in SQL (PostgreSQL, CockroachDB).
fn create_index_sql(provider: Provider, table: &str, columns: &[&str]) -> Option<String> {
    let concurrently = match provider {
        Provider::PostgreSql => "CONCURRENTLY ",
        Provider::CockroachDb => "",
        _ => return None,
    };
    let name = names::index_name(table, columns, provider);
    // Sized once: the fixed text (37 bytes at most), the names, each column quoted with `, `.
    let quoted: usize = columns.iter().map(|c| c.len() + 4).sum();
    let mut sql = String::with_capacity(40 + name.len() + table.len() + quoted);
    for part in [
        "CREATE INDEX ",
        concurrently,
        "\"",
        &name,
        "\" ON \"",
        table,
        "\"(",
    ] {
        sql.push_str(part);
    }
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push('"');
        sql.push_str(column);
        sql.push('"');
    }
    sql.push_str(");");
    Some(sql)
}

#[cfg(test)]
mod tests {
    use crate::test_util::{fixed, schema_findings};

    const ID: &str = "missing-fk-index";

    fn pg(body: &str) -> String {
        format!("datasource db {{\n  provider = \"postgresql\"\n}}\n\n{body}")
    }

    const PETS: &str = "model Customer {\n  id   String @id\n  pets Pet[]\n}\n\nmodel Pet {\n  id         String   @id\n  customerId String\n  customer   Customer @relation(fields: [customerId], references: [id])\n}\n";

    #[test]
    fn reports_unindexed_fk_with_fix() {
        let s = pg(PETS);
        let f = schema_findings(ID, &s);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .starts_with("`Pet.customerId` (foreign key to Customer) has no index: PostgreSQL"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].location.as_ref().unwrap().start.line, 12);
        assert_eq!(f[0].related.len(), 1);
        let fix = f[0].fix.as_ref().unwrap();
        assert_eq!(
            fix.sql.as_deref(),
            Some("CREATE INDEX CONCURRENTLY \"Pet_customerId_idx\" ON \"Pet\"(\"customerId\");")
        );
        let out = fixed(ID, &s, false);
        assert_eq!(
            out,
            pg(
                "model Customer {\n  id   String @id\n  pets Pet[]\n}\n\nmodel Pet {\n  id         String   @id\n  customerId String\n  customer   Customer @relation(fields: [customerId], references: [id])\n  @@index([customerId])\n}\n"
            )
        );
    }

    #[test]
    fn covered_by_leading_columns_only() {
        let with = |idx: &str| {
            pg(&PETS.replace(
                "references: [id])\n}",
                &format!("references: [id])\n\n  {idx}\n}}"),
            ))
        };
        assert!(schema_findings(ID, &with("@@index([customerId, id])")).is_empty());
        assert!(schema_findings(ID, &with("@@unique([customerId, id])")).is_empty());
        assert_eq!(
            schema_findings(ID, &with("@@index([id, customerId])")).len(),
            1
        );
        assert_eq!(
            schema_findings(ID, &with("@@index([customerId], type: Gin)")).len(),
            1
        );
        let unique = pg(&PETS.replace("customerId String\n", "customerId String @unique\n"));
        assert!(schema_findings(ID, &unique).is_empty());
    }

    #[test]
    fn composite_fk_any_order() {
        let s = pg(
            "model A {\n  x Int\n  y Int\n  bs B[]\n  @@id([x, y])\n}\n\nmodel B {\n  id Int @id\n  ax Int\n  ay Int\n  a  A   @relation(fields: [ax, ay], references: [x, y])\n\n  @@index([ay, ax, id])\n}\n",
        );
        assert!(schema_findings(ID, &s).is_empty());
        let s2 = s.replace("@@index([ay, ax, id])", "@@index([ay, id, ax])");
        let f = schema_findings(ID, &s2);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.starts_with("`B.[ax, ay]`"), "{}", f[0].message);
        assert!(fixed(ID, &s2, false).contains("  @@index([ax, ay])\n}"));
    }

    #[test]
    fn provider_awareness() {
        let mysql = PETS.to_string();
        let fk = format!("datasource db {{\n  provider = \"mysql\"\n}}\n\n{mysql}");
        assert!(schema_findings(ID, &fk).is_empty());
        let prisma_mode = format!(
            "datasource db {{\n  provider     = \"mysql\"\n  relationMode = \"prisma\"\n}}\n\n{mysql}"
        );
        let f = schema_findings(ID, &prisma_mode);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("relationMode = \"prisma\""));
        assert!(f[0].fix.as_ref().unwrap().sql.is_none());
        for p in ["sqlite", "sqlserver", "cockroachdb"] {
            let s = format!("datasource db {{\n  provider = \"{p}\"\n}}\n\n{mysql}");
            assert_eq!(schema_findings(ID, &s).len(), 1, "{p}");
        }
        let ignored =
            pg(&PETS.replace("references: [id])\n}", "references: [id])\n\n  @@ignore\n}"));
        assert!(schema_findings(ID, &ignored).is_empty());
    }
}
