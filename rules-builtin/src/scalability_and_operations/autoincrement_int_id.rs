use crate::support::fields::table_models;
use crate::support::schema_edit::{field_path, replace, span_text};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{DefaultKind, FieldId, Provider, ScalarType};
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};
use std::collections::HashMap;

declare_rule! {
    /// ## What it does
    /// Reports `Int @id @default(autoincrement())` primary keys on PostgreSQL, MySQL and SQL
    /// Server. Off by default: it matters for high-volume tables (events, logs, messages,
    /// order lines), which only you can name.
    ///
    /// Silent on SQLite (its `INTEGER PRIMARY KEY` is 64-bit), CockroachDB and MongoDB, and
    /// when the column has an explicit native type.
    ///
    /// ## Why is this bad?
    /// `Int` is a 32-bit signed integer: the sequence stops at 2,147,483,647 and every insert
    /// then fails. Sequences also advance on rolled-back inserts and upsert conflicts, so the
    /// limit arrives sooner than the row count suggests, and widening the key later rewrites
    /// the table and every foreign key pointing at it.
    ///
    /// ## Example
    /// ```prisma
    /// model Event {
    ///   id Int @id @default(autoincrement())
    /// }
    /// ```
    ///
    /// ## Fix
    /// Use `BigInt @id @default(autoincrement())` (and `BigInt` for the foreign keys that
    /// reference it). Unsafe: Prisma Client returns `bigint` instead of `number` for these
    /// fields, and on PostgreSQL the migration must also widen the sequence
    /// (`ALTER SEQUENCE "Event_id_seq" AS bigint`), which `serial` created `AS integer`.
    ///
    /// ## References
    /// - https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-SERIAL
    /// - https://www.prisma.io/docs/orm/reference/prisma-schema-reference#bigint
    pub struct AutoincrementIntId;
    id = "autoincrement-int-id",
    summary = "32-bit autoincrement primary keys",
    category = ScalabilityAndOperations,
    severity = Low,
    fixable = true,
    enabled = false,
}

impl Rule for AutoincrementIntId {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        if !matches!(
            schema.provider(),
            Some(Provider::PostgreSql | Provider::MySql | Provider::SqlServer)
        ) {
            return;
        }
        // Referenced field → the foreign-key fields pointing at it (one pass).
        let mut referencing: HashMap<FieldId, Vec<FieldId>> = HashMap::new();
        for rel in schema.relations() {
            for (fk, refd) in rel.fields.iter().zip(&rel.references) {
                referencing.entry(*refd).or_default().push(*fk);
            }
        }
        for model in table_models(schema) {
            for field in model.scalar_fields() {
                if field.ty.as_scalar() != Some(ScalarType::Int)
                    || model.id_of(field).is_none()
                    || model.native_type_of(field).is_some()
                    || !model
                        .default_of(field)
                        .is_some_and(|d| d.kind == DefaultKind::Autoincrement)
                {
                    continue;
                }
                let path = field_path(schema, field);
                // The id and every foreign key referencing it become BigInt.
                let mut edits = Vec::new();
                let mut ok = true;
                let mut targets = vec![field];
                // Transitively: a foreign key that is itself referenced (a compound key made of
                // foreign keys) must change too.
                let mut i = 0;
                while i < targets.len() {
                    let current = targets[i].id;
                    for fk in referencing.get(&current).into_iter().flatten() {
                        if let Some(fk) = schema.field(*fk)
                            && !targets.iter().any(|t| t.id == fk.id)
                        {
                            targets.push(fk);
                        }
                    }
                    i += 1;
                }
                for t in &targets {
                    let written = span_text(ctx, t.type_span);
                    let owner = schema.model_of(t.id);
                    let with_ops = owner.is_some_and(|m| {
                        m.index_refs().any(|ix| {
                            ix.columns()
                                .any(|c| c.field == Some(t.id) && c.ops.is_some())
                        })
                    });
                    let native = owner.and_then(|m| m.native_type_of(t));
                    if native.is_some() || with_ops || !written.starts_with("Int") {
                        ok = false;
                        break;
                    }
                    edits.push(replace(t.type_span, format!("BigInt{}", &written[3..])));
                }
                let table = model.db_name();
                let col = field.db_name();
                let sql = (schema.provider() == Some(Provider::PostgreSql)).then(|| {
                    format!(
                        "ALTER TABLE \"{table}\" ALTER COLUMN \"{col}\" TYPE BIGINT;\n\
                         ALTER SEQUENCE \"{table}_{col}_seq\" AS BIGINT;"
                    )
                });
                let mut f = RawFinding::new(
                    path.clone(),
                    format!(
                        "`{path}` is a 32-bit `Int` autoincrement key: inserts fail once the \
                         sequence passes 2,147,483,647; use `BigInt` on high-volume tables"
                    ),
                )
                .at(field.type_span)
                .help(
                    "Sequences also advance on rolled-back inserts and upsert conflicts, and \
                     widening the key later rewrites the table and every foreign key referencing \
                     it. `BigInt` costs 4 more bytes per row; Prisma Client then returns `bigint` \
                     values.",
                );
                if ok {
                    let n = targets.len() - 1;
                    f = f.fix(RawFix {
                        title: if n == 0 {
                            format!("Make `{path}` a `BigInt`")
                        } else {
                            format!(
                                "Make `{path}` and the {n} foreign key(s) referencing it `BigInt`"
                            )
                        },
                        safety: FixSafety::Unsafe,
                        edits,
                        sql,
                    });
                }
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, fixed, schema_findings};

    const ID: &str = "autoincrement-int-id";

    const S: &str = r#"datasource db {
  provider = "postgresql"
}

model Event {
  id    Int    @id @default(autoincrement())
  lines Line[]
}

model Line {
  id      String @id
  eventId Int?
  event   Event? @relation(fields: [eventId], references: [id])
}
"#;

    /// A compound key made of foreign keys: `Grant.groupId` references `GroupUser.groupId`,
    /// which references `Group.id`.
    const TRANSITIVE: &str = r#"datasource db {
  provider = "postgresql"
}

model Group {
  id      Int         @id @default(autoincrement())
  members GroupUser[]
}

model GroupUser {
  groupId Int
  userId  Int
  group   Group   @relation(fields: [groupId], references: [id])
  grants  Grant[]

  @@id([groupId, userId])
}

model Grant {
  id      String    @id
  groupId Int
  userId  Int
  member  GroupUser @relation(fields: [groupId, userId], references: [groupId, userId])
}
"#;

    const SQLITE: &str = r#"datasource db {
  provider = "sqlite"
}

model Event {
  id    Int    @id @default(autoincrement())
  lines Line[]
}

model Line {
  id      String @id
  eventId Int?
  event   Event? @relation(fields: [eventId], references: [id])
}
"#;

    const BIGINT: &str = r#"datasource db {
  provider = "postgresql"
}

model Event {
  id    BigInt @id @default(autoincrement())
  lines Line[]
}

model Line {
  id      String @id
  eventId BigInt?
  event   Event? @relation(fields: [eventId], references: [id])
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(cases(ID, &[SQLITE, BIGINT], &[S, TRANSITIVE]));
    }

    #[test]
    fn one_finding_per_key_and_the_fix_widens_its_foreign_keys() {
        assert_eq!(schema_findings(ID, S).len(), 1);
        assert_eq!(schema_findings(ID, TRANSITIVE).len(), 1);
        let out = fixed(ID, S, true);
        assert_eq!(
            out,
            S.replace("id    Int    @id", "id    BigInt    @id")
                .replace("eventId Int?", "eventId BigInt?")
        );
    }

    #[test]
    fn widens_foreign_keys_transitively() {
        let out = fixed(ID, TRANSITIVE, true);
        assert!(
            out.contains(
                "model Grant {\n  id      String    @id\n  groupId BigInt\n  userId  Int\n"
            ),
            "{out}"
        );
        assert!(out.contains("  groupId BigInt\n  userId  Int\n  group"));
    }
}
