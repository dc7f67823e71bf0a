use super::field_meaning::words;
use super::{
    CREATED_AT_NAMES, UPDATED_AT_NAMES, checked_models, insert_line_after, insert_line_before,
    owned,
};
use crate::schema_edit::{insert_field_line, member_indent, newline};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{DefaultKind, Field, Model, ScalarType, Schema};
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext, parse_options};
use std::collections::HashSet;

declare_rule! {
    /// ## What it does
    /// Reports models without a creation timestamp (`createdAt`) or without an update
    /// timestamp (`updatedAt`, or any field with `@updatedAt`). Append-only models — names
    /// ending in `Log`, `Event`, `History`, `Audit`, `Movement`, `LedgerEntry`, `JournalEntry`
    /// (and their plurals) — only need `createdAt`: their rows are written once and never
    /// updated.
    ///
    /// Deliberately silent on:
    /// - views and `@@ignore`d models (Prisma does not write them);
    /// - join models: models whose columns are only the foreign keys of two or more relations,
    ///   a generated single-column id and timestamps or other `DateTime @default(now())`
    ///   fields (e.g. `UserRole { id, userId, roleId }`, `GroupUser { groupId, userId, joinedAt }`):
    ///   their rows are inserted and deleted, never updated.
    ///
    /// A field counts when its name is one of the configured names, whatever its type; a
    /// field with `@updatedAt` always counts as the update timestamp.
    ///
    /// ## Why is this bad?
    /// Without `createdAt` you cannot answer "when was this created?" in a support ticket, an
    /// audit or a data-retention job, and you cannot order or partition by age. Without
    /// `updatedAt` you cannot tell which rows changed since the last export, sync or backup,
    /// nor detect stale records. Neither can be reconstructed later: the rows that exist when
    /// you add the column all get the migration's date.
    ///
    /// ## Example
    /// ```prisma
    /// model Prescription {
    ///   id        String   @id @default(uuid())
    ///   dosage    String
    ///   createdAt DateTime @default(now())
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add the missing field after the existing timestamp (or after the last scalar field):
    /// ```prisma
    ///   updatedAt DateTime @default(now()) @updatedAt
    ///   createdAt DateTime @default(now())
    /// ```
    /// `@updatedAt` is maintained by Prisma Client on every update. The `@default(now())` on
    /// `updatedAt` is deliberate: a plain `updatedAt DateTime @updatedAt` is a `NOT NULL` column
    /// without a database default, so the migration that adds it
    /// (`ALTER TABLE ... ADD COLUMN "updatedAt" ... NOT NULL`) fails on a table that already has
    /// rows (`prisma migrate dev` warns "Added the required column ... without a default
    /// value"). With the default, existing rows get the migration time.
    ///
    /// The fix follows the model's naming: if the existing timestamp is `created_at`, it adds
    /// `updated_at`; if fields are mapped to snake_case columns (`@map("created_at")`), it adds
    /// `@map("updated_at")`. The fix is safe: it only adds a column with a default.
    ///
    /// ## Options
    /// - `createdAt` (list of names, default `["createdAt", "created_at", "createdOn",
    ///   "created_on", "dateCreated", "insertedAt", "inserted_at"]`): names accepted as the
    ///   creation timestamp; the first one matching the model's style is used by the fix.
    /// - `updatedAt` (list of names, default `["updatedAt", "updated_at", "updatedOn",
    ///   "updated_on", "modifiedAt", "modified_at", "lastModified", "dateModified"]`): names
    ///   accepted as the update timestamp (shared with `updated-at-without-attribute`).
    /// - `appendOnly` (list, default `["Log", "Logs", "Event", "Events", "History",
    ///   "Histories", "Audit", "Audits", "Movement", "Movements", "LedgerEntry",
    ///   "JournalEntry"]`): a model whose name ends with one of these words (at a word
    ///   boundary: `AdminAuditLog` matches `Log`, `Catalog` does not) needs only `createdAt`.
    ///   List full model names to mark single models.
    ///
    /// ```toml
    /// [rules.missing-timestamps]
    /// createdAt = ["createdAt", "created_at"]
    /// updatedAt = ["updatedAt", "updated_at"]
    /// appendOnly = ["Log", "Event", "CashTransaction"]
    /// ```
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/reference/prisma-schema-reference#updatedat
    /// - https://www.prisma.io/docs/orm/prisma-migrate/workflows/customizing-migrations
    pub struct MissingTimestamps;
    id = "missing-timestamps",
    summary = "Model without createdAt/updatedAt timestamps",
    category = DataIntegrity,
    severity = Low,
    fixable = true,
    enabled = true,
}

/// Options of `missing-timestamps`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct TimestampOptions {
    pub created_at: Vec<String>,
    pub updated_at: Vec<String>,
    pub append_only: Vec<String>,
}

impl Default for TimestampOptions {
    fn default() -> Self {
        TimestampOptions {
            created_at: owned(CREATED_AT_NAMES),
            updated_at: owned(UPDATED_AT_NAMES),
            append_only: owned(&[
                "Log",
                "Logs",
                "Event",
                "Events",
                "History",
                "Histories",
                "Audit",
                "Audits",
                "Movement",
                "Movements",
                "LedgerEntry",
                "JournalEntry",
            ]),
        }
    }
}

/// What a model lacks.
struct Missing<'a> {
    model: &'a Model,
    created: Option<&'a Field>,
    updated: Option<&'a Field>,
    append_only: bool,
}

impl Missing<'_> {
    fn needs_created(&self) -> bool {
        self.created.is_none()
    }
    fn needs_updated(&self) -> bool {
        !self.append_only && self.updated.is_none()
    }
}

/// The words of each `appendOnly` entry (empty entries dropped), split once per run.
fn append_only_suffixes(opts: &TimestampOptions) -> Vec<Vec<String>> {
    opts.append_only
        .iter()
        .map(|entry| words(entry))
        .filter(|suffix| !suffix.is_empty())
        .collect()
}

fn is_append_only(model: &Model, suffixes: &[Vec<String>]) -> bool {
    let name = words(&model.name);
    suffixes.iter().any(|suffix| name.ends_with(suffix))
}

/// Columns are only foreign keys of ≥ 2 relations, a generated id and timestamps.
fn is_join_model(schema: &Schema, model: &Model, opts: &TimestampOptions) -> bool {
    let fk_relations = model
        .fields
        .iter()
        .filter(|f| f.is_relation() && !schema.fk_fields(f.id).is_empty());
    if fk_relations.clone().nth(1).is_none() {
        return false;
    }
    let fks: HashSet<u32> = fk_relations
        .flat_map(|f| schema.fk_fields(f.id))
        .map(|id| id.index)
        .collect();
    model.scalar_fields().all(|f| {
        fks.contains(&f.id.index)
            || opts.created_at.iter().any(|n| n.as_str() == f.name)
            || opts.updated_at.iter().any(|n| n.as_str() == f.name)
            || f.updated_at.is_some()
            || (model.id_of(f).is_some() && model.default_of(f).is_some())
            || (f.ty.as_scalar() == Some(ScalarType::DateTime)
                && model
                    .default_of(f)
                    .is_some_and(|d| d.kind == DefaultKind::Now))
    })
}

/// Models considered (not join models) and what each lacks.
fn evaluate<'a, 'o>(
    schema: &'a Schema,
    opts: &'o TimestampOptions,
) -> impl Iterator<Item = Missing<'a>> + use<'a, 'o> {
    let suffixes = append_only_suffixes(opts);
    checked_models(schema)
        .filter(|m| !m.fields.is_empty() && !is_join_model(schema, m, opts))
        .map(move |model| {
            let created = model
                .fields
                .iter()
                .find(|f| f.is_scalar() && opts.created_at.iter().any(|n| n.as_str() == f.name));
            let updated = model
                .fields
                .iter()
                .find(|f| f.is_scalar() && f.updated_at.is_some())
                .or_else(|| {
                    model.fields.iter().find(|f| {
                        f.is_scalar() && opts.updated_at.iter().any(|n| n.as_str() == f.name)
                    })
                });
            // `append_only` only matters when a timestamp is missing (no finding and no
            // append-only count otherwise): skip splitting the name of complete models.
            let append_only =
                (created.is_none() || updated.is_none()) && is_append_only(model, &suffixes);
            Missing {
                model,
                created,
                updated,
                append_only,
            }
        })
}

fn to_snake(name: &str) -> String {
    words(name).join("_")
}

/// The name and `@map` suffix for a new timestamp field, following the model's style.
fn new_field_name(
    model: &Model,
    counterpart: Option<&Field>,
    names: &[String],
    fallback: &str,
) -> (String, String) {
    let snake_names = match counterpart {
        Some(f) => f.name.contains('_'),
        None => {
            let multiword: Vec<&Field> = model
                .scalar_fields()
                .filter(|f| words(&f.name).len() > 1)
                .collect();
            let snake = multiword.iter().filter(|f| f.name.contains('_')).count();
            snake > 0 && snake * 2 >= multiword.len()
        }
    };
    let first = names.first().map_or(fallback, String::as_str);
    let name = if snake_names {
        names
            .iter()
            .find(|n| n.contains('_'))
            .cloned()
            .unwrap_or_else(|| to_snake(first))
    } else {
        names
            .iter()
            .find(|n| !n.contains('_'))
            .cloned()
            .unwrap_or_else(|| first.to_string())
    };
    // A column mapped to the snake_case form of its field name (`fullName` → `full_name`);
    // MongoDB's `@map("_id")` does not count.
    let mapped = |f: &Field| {
        f.map
            .as_ref()
            .is_some_and(|m| m.value != f.name && m.value == to_snake(&f.name))
    };
    let map_snake = !snake_names
        && match counterpart {
            Some(f) => mapped(f),
            None => model.scalar_fields().any(mapped),
        };
    let map = if map_snake {
        format!(" @map(\"{}\")", to_snake(&name))
    } else {
        String::new()
    };
    (name, map)
}

impl Rule for MissingTimestamps {
    fn validate_options(
        &self,
        options: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), String> {
        parse_options::<TimestampOptions>(options).map(|_| ())
    }

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let opts: TimestampOptions = ctx.options();
        for m in evaluate(ctx.schema, &opts) {
            let (need_c, need_u) = (m.needs_created(), m.needs_updated());
            if !need_c && !need_u {
                continue;
            }
            let model = m.model;
            let (c_name, c_map) = new_field_name(model, m.updated, &opts.created_at, "createdAt");
            let (u_name, u_map) = new_field_name(model, m.created, &opts.updated_at, "updatedAt");
            let c_line = format!("{c_name} DateTime @default(now()){c_map}");
            let u_line = format!("{u_name} DateTime @default(now()) @updatedAt{u_map}");
            let last_scalar = model.scalar_fields().last();
            let after_last = |line: &str| match last_scalar {
                Some(f) => insert_line_after(ctx, model, f, line),
                None => insert_field_line(ctx, model, line),
            };
            let (anchor, message, edit, title) = match (need_c, need_u) {
                (true, true) => {
                    let text = ctx.text(model.span.file);
                    let joined = format!(
                        "{c_line}{}{}{u_line}",
                        newline(text),
                        member_indent(ctx, model)
                    );
                    (
                        format!("{}|timestamps", model.name),
                        format!(
                            "Model `{}` has neither `{c_name}` nor `{u_name}`: add `{c_name} DateTime @default(now())` and `{u_name} DateTime @default(now()) @updatedAt`",
                            model.name
                        ),
                        after_last(&joined),
                        format!("Add `{c_name}` and `{u_name}` to `{}`", model.name),
                    )
                }
                (true, false) => {
                    let edit = match m.updated {
                        Some(u) => insert_line_before(ctx, model, u, &c_line),
                        None => after_last(&c_line),
                    };
                    let what = if m.append_only {
                        "Append-only model"
                    } else {
                        "Model"
                    };
                    (
                        format!("{}|createdAt", model.name),
                        format!(
                            "{what} `{}` has no `{c_name}`: add `{c_name} DateTime @default(now())` to record when each row was created",
                            model.name
                        ),
                        edit,
                        format!("Add `{c_name}` to `{}`", model.name),
                    )
                }
                _ => {
                    let edit = match m.created {
                        Some(c) => insert_line_after(ctx, model, c, &u_line),
                        None => after_last(&u_line),
                    };
                    (
                        format!("{}|updatedAt", model.name),
                        format!(
                            "Model `{}` has no `{u_name}`: add `{u_name} DateTime @default(now()) @updatedAt` to record when each row last changed",
                            model.name
                        ),
                        edit,
                        format!("Add `{u_name}` to `{}`", model.name),
                    )
                }
            };
            let mut help = String::from(
                "Timestamps cannot be reconstructed later: rows that exist when the column is added all get the migration's date. `createdAt` answers \"when was this created?\" (support, audits, retention jobs); `updatedAt` tells which rows changed since the last sync, export or backup.",
            );
            if need_u {
                help.push_str(&format!(
                    " `@updatedAt` is set by Prisma Client on every update; keep `@default(now())` on `{u_name}`: without a database default the migration adding a NOT NULL column fails on a table that already has rows."
                ));
            }
            if !m.append_only && need_u {
                help.push_str(&format!(
                    " If `{}` is append-only (rows never change), list it in this rule's `appendOnly` option instead.",
                    model.name
                ));
            }
            let mut f = RawFinding::new(anchor, message)
                .at(model.name_span)
                .help(help);
            if let Some(c) = m.created.filter(|_| need_u) {
                f = f.related(c.span, format!("`{}` is here", c.name));
            }
            if let Some(u) = m.updated.filter(|_| need_c) {
                f = f.related(u.span, format!("`{}` is here", u.name));
            }
            if let Some(edit) = edit {
                f = f.fix(RawFix {
                    title,
                    safety: FixSafety::Safe,
                    edits: vec![edit],
                    sql: None,
                });
            }
            out.push(f);
        }
    }

    fn strengths(&self, ctx: &RuleContext<'_>) -> Vec<String> {
        let opts: TimestampOptions = ctx.options();
        // Stop at the first model that lacks a timestamp (the usual case on a large schema).
        let mut all = Vec::new();
        for m in evaluate(ctx.schema, &opts) {
            if m.needs_created() || m.needs_updated() {
                return Vec::new();
            }
            all.push(m);
        }
        if all.is_empty() {
            return Vec::new();
        }
        let n = all.len();
        let models = if n == 1 { "model has" } else { "models have" };
        let append_only = all
            .iter()
            .filter(|m| m.append_only && m.updated.is_none())
            .count();
        let all_word = if n == 1 { "The" } else { "All" };
        let suffix = if append_only > 0 {
            format!(" ({append_only} append-only: createdAt)")
        } else {
            String::new()
        };
        vec![format!(
            "{all_word} {n} {models} createdAt and updatedAt timestamps{suffix}"
        )]
    }
}

#[cfg(test)]
mod tests {
    use crate::test_util::{findings_with, fixed, schema_findings};
    use prisma_audit_core::config::Config;
    use prisma_audit_core::{AuditOptions, Project, audit};
    use serde_json::json;

    const ID: &str = "missing-timestamps";
    const PG: &str = "datasource db {\n  provider = \"postgresql\"\n}\n\n";

    fn strengths(schema: &str) -> Vec<String> {
        let p = Project::from_files(
            "t",
            [("schema.prisma".to_string(), schema.as_bytes().to_vec())],
        );
        let config = Config {
            select: Some(vec![ID.to_string()]),
            ..Config::default()
        };
        audit(
            &p,
            &AuditOptions {
                config,
                ..AuditOptions::default()
            },
        )
        .unwrap()
        .strengths
    }

    #[test]
    fn missing_updated_at_after_created_at() {
        let s = format!(
            "{PG}model Prescription {{\n  id        String   @id @default(uuid())\n  dosage    String\n  createdAt DateTime @default(now())\n\n  @@index([dosage])\n}}\n"
        );
        let f = schema_findings(ID, &s);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .contains("Model `Prescription` has no `updatedAt`"),
            "{}",
            f[0].message
        );
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!((loc.start.line, loc.start.column), (5, 7));
        assert_eq!(f[0].related.len(), 1);
        assert_eq!(f[0].related[0].location.start.line, 8);
        assert_eq!(
            f[0].fix.as_ref().unwrap().safety,
            prisma_audit_core::finding::FixSafety::Safe
        );
        assert_eq!(
            fixed(ID, &s, false),
            format!(
                "{PG}model Prescription {{\n  id        String   @id @default(uuid())\n  dosage    String\n  createdAt DateTime @default(now())\n  updatedAt DateTime @default(now()) @updatedAt\n\n  @@index([dosage])\n}}\n"
            )
        );
    }

    #[test]
    fn complete_models_pass_and_strength() {
        let s = format!(
            "{PG}model Pet {{\n  id        Int      @id\n  createdAt DateTime @default(now())\n  modified  DateTime @updatedAt\n}}\n\nmodel AdminAuditLog {{\n  id        Int      @id\n  action    String\n  createdAt DateTime @default(now())\n}}\n"
        );
        assert!(schema_findings(ID, &s).is_empty());
        assert_eq!(
            strengths(&s),
            ["All 2 models have createdAt and updatedAt timestamps (1 append-only: createdAt)"]
        );
        let s = format!("{PG}model Pet {{\n  id Int @id\n}}\n");
        assert!(strengths(&s).is_empty());
    }

    #[test]
    fn both_missing_and_created_missing() {
        let s = format!(
            "{PG}model Tag {{\n  id   Int    @id\n  name String\n  posts Post[]\n}}\n\nmodel Post {{\n  id        Int      @id\n  tagId     Int\n  updatedAt DateTime @updatedAt\n  tag       Tag      @relation(fields: [tagId], references: [id])\n}}\n"
        );
        let f = schema_findings(ID, &s);
        assert_eq!(f.len(), 2);
        assert!(f.iter().any(|f| {
            f.message
                .starts_with("Model `Tag` has neither `createdAt` nor `updatedAt`")
        }));
        assert!(
            f.iter()
                .any(|f| f.message.starts_with("Model `Post` has no `createdAt`"))
        );
        assert_eq!(
            fixed(ID, &s, false),
            format!(
                "{PG}model Tag {{\n  id   Int    @id\n  name String\n  createdAt DateTime @default(now())\n  updatedAt DateTime @default(now()) @updatedAt\n  posts Post[]\n}}\n\nmodel Post {{\n  id        Int      @id\n  tagId     Int\n  createdAt DateTime @default(now())\n  updatedAt DateTime @updatedAt\n  tag       Tag      @relation(fields: [tagId], references: [id])\n}}\n"
            )
        );
    }

    #[test]
    fn append_only_join_view_and_ignored() {
        let s = format!(
            "{PG}model TrialAccessLog {{\n  id     Int    @id\n  action String\n}}\n\nmodel Catalog {{\n  id   Int    @id\n  createdAt DateTime @default(now())\n}}\n\nmodel User {{\n  id        Int        @id\n  createdAt DateTime   @default(now())\n  updatedAt DateTime   @updatedAt\n  roles     UserRole[]\n}}\n\nmodel Role {{\n  id        Int        @id\n  createdAt DateTime   @default(now())\n  updatedAt DateTime   @updatedAt\n  users     UserRole[]\n}}\n\nmodel UserRole {{\n  userId Int\n  roleId Int\n  joinedAt DateTime @default(now())\n  user   User @relation(fields: [userId], references: [id])\n  role   Role @relation(fields: [roleId], references: [id])\n\n  @@id([userId, roleId])\n}}\n\nview Stats {{\n  id Int @unique\n}}\n\nmodel Legacy {{\n  id Int @id\n\n  @@ignore\n}}\n"
        );
        let f = schema_findings(ID, &s);
        let msgs: Vec<&str> = f.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:#?}");
        assert!(
            msgs[0].starts_with("Append-only model `TrialAccessLog` has no `createdAt`"),
            "{msgs:#?}"
        );
        assert!(
            msgs[1].starts_with("Model `Catalog` has no `updatedAt`"),
            "{msgs:#?}"
        );
    }

    #[test]
    fn follows_snake_case_style() {
        let s = format!(
            "{PG}model Customer {{\n  id        Int      @id @map(\"customer_id\")\n  fullName  String   @map(\"full_name\")\n  createdAt DateTime @default(now()) @map(\"created_at\")\n\n  @@map(\"customers\")\n}}\n\nmodel order_line {{\n  id         Int      @id\n  created_at DateTime @default(now())\n}}\n\nmodel Invoice {{\n  id      Int    @id\n  fullName String @map(\"full_name\")\n}}\n\nmodel Doc {{\n  id   Int    @id @map(\"_id\")\n  name String\n}}\n"
        );
        assert_eq!(
            fixed(ID, &s, false),
            format!(
                "{PG}model Customer {{\n  id        Int      @id @map(\"customer_id\")\n  fullName  String   @map(\"full_name\")\n  createdAt DateTime @default(now()) @map(\"created_at\")\n  updatedAt DateTime @default(now()) @updatedAt @map(\"updated_at\")\n\n  @@map(\"customers\")\n}}\n\nmodel order_line {{\n  id         Int      @id\n  created_at DateTime @default(now())\n  updated_at DateTime @default(now()) @updatedAt\n}}\n\nmodel Invoice {{\n  id      Int    @id\n  fullName String @map(\"full_name\")\n  createdAt DateTime @default(now()) @map(\"created_at\")\n  updatedAt DateTime @default(now()) @updatedAt @map(\"updated_at\")\n}}\n\nmodel Doc {{\n  id   Int    @id @map(\"_id\")\n  name String\n  createdAt DateTime @default(now())\n  updatedAt DateTime @default(now()) @updatedAt\n}}\n"
            )
        );
    }

    #[test]
    fn options() {
        let s = format!(
            "{PG}model CashTransaction {{\n  id       Int      @id\n  bornAt   DateTime @default(now())\n}}\n"
        );
        assert_eq!(schema_findings(ID, &s).len(), 1);
        let f = findings_with(
            ID,
            &[("schema.prisma", &s)],
            json!({"createdAt": ["bornAt"], "appendOnly": ["CashTransaction"]}),
        );
        assert!(f.is_empty(), "{f:#?}");
        let f = findings_with(
            ID,
            &[("schema.prisma", &s)],
            json!({"createdAt": ["bornAt"]}),
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("has no `updatedAt`"));
        use prisma_audit_core::rule::Rule;
        let opts = json!({"createdAt": ["a"], "bogus": 1});
        let err = super::MissingTimestamps
            .validate_options(opts.as_object().unwrap())
            .unwrap_err();
        assert!(err.contains("bogus"), "{err}");
    }

    #[test]
    fn one_line_model_and_crlf() {
        let s = "datasource db {\r\n  provider = \"postgresql\"\r\n}\r\n\r\nmodel A {\r\n  id        Int      @id\r\n  createdAt DateTime @default(now()) // when\r\n}\r\n";
        assert_eq!(
            fixed(ID, s, false),
            "datasource db {\r\n  provider = \"postgresql\"\r\n}\r\n\r\nmodel A {\r\n  id        Int      @id\r\n  createdAt DateTime @default(now()) // when\r\n  updatedAt DateTime @default(now()) @updatedAt\r\n}\r\n"
        );
    }
}
