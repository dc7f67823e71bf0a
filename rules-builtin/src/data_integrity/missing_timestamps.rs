use crate::support::fields::{
    CREATED_AT_NAMES, UPDATED_AT_NAMES, checked_models, insert_line_after, insert_line_before,
    owned,
};
use crate::support::model_roles::{self, APPEND_ONLY_SUFFIXES, ModelRole};
use crate::support::naming::words;
use crate::support::schema_edit::{insert_field_line, member_indent, newline};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{DefaultKind, Field, Model, ScalarType, Schema, third_party};
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext, RuleOptions};

declare_rule! {
    /// ## What it does
    /// Reports record models without a creation timestamp or without an update timestamp.
    /// **Off by default**: on real projects most models that lack timestamps lack them on
    /// purpose (line items written with their parent, files, reactions, results, mirrored
    /// third-party objects), so the rule is a house policy to opt into rather than a defect
    /// check.
    ///
    /// A model has a creation timestamp when a field has one of the configured `createdAt`
    /// names, a `DateTime` name starting with `created`, `inserted` or `added`, or any
    /// `DateTime @default(now())` (`joinedAt`, `sentAt`); an update timestamp when a field has
    /// `@updatedAt`, one of the configured `updatedAt` names, or a `DateTime` name starting with
    /// `updated`, `modified`, `edited` or `changed` (`editedAt`, `lastModified`). Whether a
    /// field is a timestamp is read from names, so findings are **heuristic**.
    ///
    /// Models whose role needs no timestamps are left out (see the shared model roles): join
    /// models (two or more foreign keys plus at most a little metadata, e.g. `UserRole { userId,
    /// roleId }`), counter and aggregate models (`DailyStats`, `TagMetric`), transient models
    /// (`PasswordResetToken`, `VerificationCode`, `Session`, `Lock`) and lookup models (small
    /// reference data without foreign keys: `Category`, `AppSetting { key @id, value }`).
    /// Append-only models — names ending in `Log`, `Event`, `History`, `Audit`, `Movement`,
    /// `LedgerEntry`, `JournalEntry`, `Snapshot`, `Version`, `Revision`, `Attempt`,
    /// `Execution`, `Delivery` (and their plurals) — only need the creation timestamp.
    ///
    /// Also silent on views, `@@ignore`d models and tables a well-known library owns (Auth.js,
    /// Better Auth, Supabase...).
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
    ///   order     MedicalOrder @relation(fields: [orderId], references: [id])
    ///   orderId   String
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
    ///   accepted as the update timestamp.
    /// - `appendOnly` (list, default `["Log", "Logs", "Event", "Events", "History",
    ///   "Histories", "Audit", "Audits", "AuditTrail", "Movement", "Movements", "LedgerEntry",
    ///   "JournalEntry", "Snapshot", "Snapshots", "Version", "Versions", "Revision",
    ///   "Revisions", "Attempt", "Attempts", "Execution", "Executions", "Delivery",
    ///   "Deliveries"]`): a model whose name ends with one of these words (at a word boundary:
    ///   `AdminAuditLog` matches `Log`, `Catalog` does not) needs only `createdAt`. List full
    ///   model names to mark single models.
    ///
    /// ```toml
    /// [rules.missing-timestamps]
    /// enabled = true
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
    enabled = false,
}

/// Options of `missing-timestamps`.
#[derive(Debug, Clone, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct TimestampOptions {
    /// Names accepted as the creation timestamp; the first one matching the model's naming
    /// style is used by the fix.
    pub created_at: Vec<String>,
    /// Names accepted as the update timestamp.
    pub updated_at: Vec<String>,
    /// Models that need only a creation timestamp: names ending with one of these words (at a
    /// word boundary), or full model names.
    pub append_only: Vec<String>,
}

impl Default for TimestampOptions {
    fn default() -> Self {
        TimestampOptions {
            created_at: owned(CREATED_AT_NAMES),
            updated_at: owned(UPDATED_AT_NAMES),
            append_only: owned(APPEND_ONLY_SUFFIXES),
        }
    }
}

/// First words of `DateTime` field names that record the row's creation.
const CREATED_WORDS: &[&str] = &["created", "inserted", "added"];
/// First words of `DateTime` field names that record the row's last change (`editedAt`,
/// `lastModified`, `last_updated_at`).
const UPDATED_WORDS: &[&str] = &["updated", "modified", "edited", "changed"];

fn is_date_time(f: &Field) -> bool {
    f.ty.as_scalar() == Some(ScalarType::DateTime) && !f.is_list()
}

/// Whether the field's name starts with one of `first` (after an optional `last` or `date`).
fn starts_with(f: &Field, first: &[&str]) -> bool {
    let w = words(&f.name);
    let w = match w.first().map(String::as_str) {
        Some("last" | "date") => &w[1..],
        _ => &w[..],
    };
    w.first().is_some_and(|x| first.contains(&x.as_str()))
}

/// What a model has.
struct Stamped<'a> {
    model: &'a Model,
    /// The creation timestamp: a configured name, a `DateTime` named `created...`, or any
    /// `DateTime @default(now())` without `@updatedAt`.
    created: Option<&'a Field>,
    /// The update timestamp: `@updatedAt`, a configured name, or a `DateTime` named
    /// `updated...`, `modified...`, `edited...`.
    updated: Option<&'a Field>,
    append_only: bool,
}

impl Stamped<'_> {
    fn needs_created(&self) -> bool {
        self.created.is_none()
    }
    fn needs_updated(&self) -> bool {
        !self.append_only && self.updated.is_none()
    }
}

/// Every model a timestamp is expected on, with what it has: not views, `@@ignore`d models,
/// tables a well-known library owns, join, counter, lookup or transient models.
fn survey<'a>(schema: &'a Schema, opts: &TimestampOptions) -> Vec<Stamped<'a>> {
    let named = |names: &[String], f: &Field| names.iter().any(|n| n.as_str() == f.name);
    let mut out = Vec::new();
    for model in checked_models(schema) {
        if model.fields.is_empty()
            || third_party::owner(model).is_some()
            || !matches!(
                model_roles::role(schema, model),
                ModelRole::Record | ModelRole::AppendOnly
            )
        {
            continue;
        }
        let created = model
            .scalar_fields()
            .find(|f| named(&opts.created_at, f))
            .or_else(|| {
                model.scalar_fields().find(|f| {
                    is_date_time(f)
                        && f.updated_at.is_none()
                        && (starts_with(f, CREATED_WORDS)
                            || model
                                .default_of(f)
                                .is_some_and(|d| d.kind == DefaultKind::Now))
                })
            });
        let updated = model
            .scalar_fields()
            .find(|f| f.updated_at.is_some())
            .or_else(|| model.scalar_fields().find(|f| named(&opts.updated_at, f)))
            .or_else(|| {
                model
                    .scalar_fields()
                    .find(|f| is_date_time(f) && starts_with(f, UPDATED_WORDS))
            });
        let append_only = model_roles::is_append_only(model, &opts.append_only);
        out.push(Stamped {
            model,
            created,
            updated,
            append_only,
        });
    }
    out
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

impl RuleOptions for TimestampOptions {}

impl Rule for MissingTimestamps {
    prisma_audit_core::rule_options!(TimestampOptions);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let opts: TimestampOptions = ctx.options();
        for m in survey(ctx.schema, &opts) {
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
                            "Model `{}` has neither `{c_name}` nor `{u_name}`: add \
                             `{c_name} DateTime @default(now())` and `{u_name} DateTime \
                             @default(now()) @updatedAt`",
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
                            "{what} `{}` has no `{c_name}`: add `{c_name} DateTime \
                             @default(now())` to record when each row was created",
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
                            "Model `{}` has no `{u_name}`: add `{u_name} DateTime @default(now()) \
                             @updatedAt` to record when each row last changed",
                            model.name
                        ),
                        edit,
                        format!("Add `{u_name}` to `{}`", model.name),
                    )
                }
            };
            let mut help = String::from(
                "Timestamps cannot be reconstructed later: rows that exist when the column is \
                 added all get the migration's date. `createdAt` answers \"when was this \
                 created?\" (support, audits, retention jobs); `updatedAt` tells which rows \
                 changed since the last sync, export or backup.",
            );
            if need_u {
                help.push_str(&updated_at_note(&u_name, model));
            }
            let mut f = RawFinding::new(anchor, message)
                .at(model.name_span)
                .help(help)
                .heuristic();
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
        let all = survey(ctx.schema, &opts);
        if all.is_empty() || all.iter().any(|m| m.needs_created() || m.needs_updated()) {
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

/// The help's note on adding `u_name` to `model`: keep its default, or mark the model append-only.
fn updated_at_note(u_name: &str, model: &Model) -> String {
    format!(
        " `@updatedAt` is set by Prisma Client on every update; keep `@default(now())` on \
         `{u_name}`: without a database default the migration adding a NOT NULL column fails on a \
         table that already has rows. If `{}` is append-only (rows never change), list it in this \
         rule's `appendOnly` option instead.",
        model.name
    )
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, findings_with, fixed, schema_findings};
    use prisma_audit_core::finding::{Confidence, FixSafety};
    use prisma_audit_core::{AuditOptions, Project, audit};
    use serde_json::json;

    const ID: &str = "missing-timestamps";

    const PRESCRIPTION: &str = r#"datasource db {
  provider = "postgresql"
}

model Prescription {
  id        String   @id @default(uuid())
  dosage    String
  createdAt DateTime @default(now())

  @@index([dosage])
}
"#;

    const PRESCRIPTION_FIXED: &str = r#"datasource db {
  provider = "postgresql"
}

model Prescription {
  id        String   @id @default(uuid())
  dosage    String
  createdAt DateTime @default(now())
  updatedAt DateTime @default(now()) @updatedAt

  @@index([dosage])
}
"#;

    const COMPLETE: &str = r#"datasource db {
  provider = "postgresql"
}

model Pet {
  id        Int      @id
  createdAt DateTime @default(now())
  modified  DateTime @updatedAt
}

model AdminAuditLog {
  id        Int      @id
  action    String
  createdAt DateTime @default(now())
}
"#;

    const PET_ONLY_ID: &str = r#"datasource db {
  provider = "postgresql"
}

model Pet {
  id Int @id
}
"#;

    const AUTHOR_POST: &str = r#"datasource db {
  provider = "postgresql"
}

model Author {
  id   Int    @id
  name String
  posts Post[]
}

model Post {
  id        Int      @id
  authorId  Int
  updatedAt DateTime @updatedAt
  author    Author   @relation(fields: [authorId], references: [id])
}
"#;

    const AUTHOR_POST_FIXED: &str = r#"datasource db {
  provider = "postgresql"
}

model Author {
  id   Int    @id
  name String
  createdAt DateTime @default(now())
  updatedAt DateTime @default(now()) @updatedAt
  posts Post[]
}

model Post {
  id        Int      @id
  authorId  Int
  createdAt DateTime @default(now())
  updatedAt DateTime @updatedAt
  author    Author   @relation(fields: [authorId], references: [id])
}
"#;

    // An append-only log, a model with `createdAt` only, complete models with their join
    // table, a view and an ignored model.
    const APPEND_ONLY_JOIN_VIEW_IGNORED: &str = r#"datasource db {
  provider = "postgresql"
}

model TrialAccessLog {
  id     Int    @id
  action String
}

model Catalog {
  id   Int    @id
  createdAt DateTime @default(now())
}

model User {
  id        Int        @id
  createdAt DateTime   @default(now())
  updatedAt DateTime   @updatedAt
  roles     UserRole[]
}

model Role {
  id        Int        @id
  createdAt DateTime   @default(now())
  updatedAt DateTime   @updatedAt
  users     UserRole[]
}

model UserRole {
  userId Int
  roleId Int
  joinedAt DateTime @default(now())
  user   User @relation(fields: [userId], references: [id])
  role   Role @relation(fields: [roleId], references: [id])

  @@id([userId, roleId])
}

view Stats {
  id Int @unique
}

model Legacy {
  id Int @id

  @@ignore
}
"#;

    const SNAKE_CASE: &str = r#"datasource db {
  provider = "postgresql"
}

model Customer {
  id        Int      @id @map("customer_id")
  fullName  String   @map("full_name")
  createdAt DateTime @default(now()) @map("created_at")

  @@map("customers")
}

model order_line {
  id         Int      @id
  created_at DateTime @default(now())
}

model Invoice {
  id      Int    @id
  fullName String @map("full_name")
}

model Doc {
  id   Int    @id @map("_id")
  name String
}
"#;

    const SNAKE_CASE_FIXED: &str = r#"datasource db {
  provider = "postgresql"
}

model Customer {
  id        Int      @id @map("customer_id")
  fullName  String   @map("full_name")
  createdAt DateTime @default(now()) @map("created_at")
  updatedAt DateTime @default(now()) @updatedAt @map("updated_at")

  @@map("customers")
}

model order_line {
  id         Int      @id
  created_at DateTime @default(now())
  updated_at DateTime @default(now()) @updatedAt
}

model Invoice {
  id      Int    @id
  fullName String @map("full_name")
  createdAt DateTime @default(now()) @map("created_at")
  updatedAt DateTime @default(now()) @updatedAt @map("updated_at")
}

model Doc {
  id   Int    @id @map("_id")
  name String
  createdAt DateTime @default(now())
  updatedAt DateTime @default(now()) @updatedAt
}
"#;

    // `Post` has `joinedAt @default(now())` and `editedAt`; the others are a transient,
    // a counter, two lookup models and an Auth.js table.
    const ROLES: &str = r#"datasource db {
  provider = "postgresql"
}

model User {
  id        Int      @id @default(autoincrement())
  name      String
  createdAt DateTime @default(now())
  updatedAt DateTime @updatedAt
  posts     Post[]
  tokens    PasswordResetToken[]
  stats     PostStats[]
}

model Post {
  id       Int       @id @default(autoincrement())
  title    String
  joinedAt DateTime  @default(now())
  editedAt DateTime?
  userId   Int
  user     User      @relation(fields: [userId], references: [id])
}

model PasswordResetToken {
  id        Int      @id @default(autoincrement())
  token     String   @unique
  expiresAt DateTime
  userId    Int
  user      User     @relation(fields: [userId], references: [id])
}

model PostStats {
  userId Int
  day    DateTime
  views  Int
  user   User     @relation(fields: [userId], references: [id])

  @@id([userId, day])
}

model Category {
  id   Int    @id @default(autoincrement())
  name String @unique
}

model AppSetting {
  key   String @id
  value String
}

model VerificationToken {
  identifier String
  token      String   @unique
  expires    DateTime

  @@unique([identifier, token])
}
"#;

    const NOTE: &str = r#"datasource db {
  provider = "postgresql"
}

model Note {
  id   Int    @id
  text String
}
"#;

    const CASH_TRANSACTION: &str = r#"datasource db {
  provider = "postgresql"
}

model CashTransaction {
  id       Int      @id
  bornAt   DateTime @default(now())
}
"#;

    fn strengths(schema: &str) -> Vec<String> {
        crate::support::test_util::rule_strengths(ID, schema)
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(cases(
            ID,
            &[COMPLETE, ROLES],
            &[
                PRESCRIPTION,
                AUTHOR_POST,
                APPEND_ONLY_JOIN_VIEW_IGNORED,
                NOTE,
                CASH_TRANSACTION
            ]
        ));
    }

    #[test]
    fn missing_updated_at_after_created_at() {
        let f = schema_findings(ID, PRESCRIPTION);
        assert_eq!(f.len(), 1);
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!((loc.start.line, loc.start.column), (5, 7));
        assert_eq!(f[0].related.len(), 1);
        assert_eq!(f[0].related[0].location.start.line, 8);
        assert_eq!(f[0].fix.as_ref().unwrap().safety, FixSafety::Safe);
        assert_eq!(fixed(ID, PRESCRIPTION, false), PRESCRIPTION_FIXED);
    }

    #[test]
    fn strengths_of_complete_models() {
        assert_eq!(
            strengths(COMPLETE),
            ["All 2 models have createdAt and updatedAt timestamps (1 append-only: createdAt)"]
        );
        assert!(strengths(PET_ONLY_ID).is_empty());
        assert_eq!(
            strengths(ROLES),
            ["All 2 models have createdAt and updatedAt timestamps"]
        );
    }

    #[test]
    fn both_missing_and_created_missing() {
        assert_eq!(schema_findings(ID, AUTHOR_POST).len(), 2);
        assert_eq!(fixed(ID, AUTHOR_POST, false), AUTHOR_POST_FIXED);
    }

    #[test]
    fn append_only_join_view_and_ignored() {
        assert_eq!(schema_findings(ID, APPEND_ONLY_JOIN_VIEW_IGNORED).len(), 2);
    }

    #[test]
    fn follows_snake_case_style() {
        assert_eq!(fixed(ID, SNAKE_CASE, false), SNAKE_CASE_FIXED);
    }

    #[test]
    fn findings_are_heuristic_and_off_by_default() {
        let f = schema_findings(ID, NOTE);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].confidence, Confidence::Heuristic);
        let p = Project::from_files(
            "t",
            [("schema.prisma".to_string(), NOTE.as_bytes().to_vec())],
        );
        let report = audit(&p, &AuditOptions::default()).unwrap();
        assert!(!report.findings.iter().any(|f| f.rule == ID));
    }

    #[test]
    fn options() {
        let s = CASH_TRANSACTION;
        assert_eq!(schema_findings(ID, s).len(), 1);
        let f = findings_with(
            ID,
            &[("schema.prisma", s)],
            json!({"createdAt": ["bornAt"], "appendOnly": ["CashTransaction"]}),
        );
        assert!(f.is_empty(), "{f:#?}");
        let f = findings_with(
            ID,
            &[("schema.prisma", s)],
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
