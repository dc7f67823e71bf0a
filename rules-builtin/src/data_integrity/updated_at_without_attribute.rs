use crate::support::fields::{checked_models, owned, project_sql};
use crate::support::model_roles::{is_counter_model, is_transient};
use crate::support::schema_edit::{append_field_attribute, field_path};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::ScalarType;
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext, RuleOptions};

declare_rule! {
    /// ## What it does
    /// Reports a `DateTime` field named exactly like the row's last-modified time (`updatedAt`,
    /// `updated_at`, `modifiedAt`, `modified_at`) that has no `@updatedAt` attribute.
    ///
    /// The field's meaning is inferred from its name, so findings are **heuristic**. Only
    /// these exact names count: fields the application sets on purpose (`lastPublishedAt`,
    /// `lastSeenAt`, `lastModified` copied from a file or an HTTP header, `syncedAt`) are
    /// never reported, because `@updatedAt` would overwrite them on every unrelated update.
    ///
    /// Deliberately silent on views and `@@ignore`d models, on fields that already have
    /// `@updatedAt`, on counter and aggregate models (`TagMetric { tagId, timeframe, likes,
    /// updatedAt }`: the job that recomputes a row sets the time itself, often in raw SQL where
    /// `@updatedAt` has no effect), on transient models (`VerificationToken`, `Session`,
    /// `PasswordResetCode`: rows that live until they expire, usually written by an auth
    /// library), and on columns a database trigger in the project's SQL maintains (a
    /// `NEW."updated_at" = now()` assignment or `moddatetime(updated_at)`). A trigger that lives
    /// only in the database, not in the project's migrations, is not seen: suppress the finding
    /// there.
    ///
    /// ## Why is this bad?
    /// `@updatedAt` is what makes Prisma Client set the field on every `update`/`upsert`.
    /// Without it the column keeps the value written at insert time (often `@default(now())`)
    /// unless every code path that updates the row remembers to set it — so the field looks
    /// like a last-modified time but silently is not one, and sync/export jobs that select
    /// "rows changed since" miss changes.
    ///
    /// ## Example
    /// ```prisma
    /// model Sale {
    ///   id        String   @id
    ///   updatedAt DateTime @default(now())
    /// }
    /// ```
    ///
    /// ## Fix
    /// Append `@updatedAt` (keeping any `@default(now())`):
    /// ```prisma
    ///   updatedAt DateTime @default(now()) @updatedAt
    /// ```
    /// The fix is unsafe: the value now changes on every update made through Prisma Client,
    /// including updates the application did not mean as a modification (a counter bump, a
    /// background job), and writes through raw SQL or other clients still do not touch it.
    /// `@updatedAt` is implemented by Prisma Client, so the database column and migrations do
    /// not change.
    ///
    /// ## Options
    /// - `updatedAt` (list of names, default `["updatedAt", "updated_at", "modifiedAt",
    ///   "modified_at"]`): the names treated as last-modified times.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/reference/prisma-schema-reference#updatedat
    pub struct UpdatedAtWithoutAttribute;
    id = "updated-at-without-attribute",
    summary = "updatedAt field without @updatedAt",
    category = DataIntegrity,
    severity = Medium,
    fixable = true,
    enabled = true,
}

/// Names that mean "the row's last-modified time" and nothing else.
const LAST_MODIFIED_NAMES: &[&str] = &["updatedAt", "updated_at", "modifiedAt", "modified_at"];

/// Options of `updated-at-without-attribute`.
#[derive(Debug, Clone, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// The field names treated as last-modified times.
    updated_at: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            updated_at: owned(LAST_MODIFIED_NAMES),
        }
    }
}

/// Whether `sql` (lower-cased) has a trigger body assigning `column` (`NEW."column" = ...`,
/// `NEW.column := ...`) or a `moddatetime(column)` trigger.
fn trigger_maintains(sql: &str, column: &str) -> bool {
    let col = column.to_ascii_lowercase();
    let assigned = |prefix: &str| {
        sql.match_indices(prefix).any(|(i, m)| {
            let rest = sql[i + m.len()..].trim_start();
            rest.starts_with('=') || rest.starts_with(":=")
        })
    };
    assigned(&format!("new.\"{col}\""))
        || assigned(&format!("new.{col}"))
        || sql.contains(&format!("moddatetime({col})"))
        || sql.contains(&format!("moddatetime(\"{col}\")"))
}

impl RuleOptions for Options {}

impl Rule for UpdatedAtWithoutAttribute {
    prisma_audit_core::rule_options!(Options);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let opts: Options = ctx.options();
        let mut sql: Option<String> = None;
        for model in checked_models(ctx.schema) {
            // Counter rows are rewritten by the jobs that aggregate them, which set the time
            // themselves (often in raw SQL, where `@updatedAt` does nothing); transient rows
            // (tokens, sessions) live until they expire and are managed by auth libraries.
            let mut skipped: Option<bool> = None;
            for field in model.scalar_fields() {
                if field.ty.as_scalar() != Some(ScalarType::DateTime)
                    || field.is_list()
                    || field.updated_at.is_some()
                    || field.is_ignored()
                    || !opts.updated_at.iter().any(|n| n.as_str() == field.name)
                {
                    continue;
                }
                if *skipped.get_or_insert_with(|| {
                    is_counter_model(ctx.schema, model) || is_transient(model)
                }) {
                    continue;
                }
                let sql = sql.get_or_insert_with(|| project_sql(ctx));
                if trigger_maintains(sql, field.db_name()) {
                    continue;
                }
                let path = field_path(ctx.schema, field);
                let mut f = RawFinding::new(
                    path.clone(),
                    format!(
                        "`{path}` has no `@updatedAt`: Prisma Client never changes it on update, \
                         so it keeps its insert-time value unless every update sets it; add \
                         `@updatedAt`"
                    ),
                )
                .at(field.span)
                .heuristic()
                .help(format!(
                    "The name says `{}` is the row's last-modified time. `@updatedAt` makes Prisma \
                     Client write the current time into it on every `update`, `updateMany` and \
                     `upsert`; without it the field only looks like a last-modified time, and jobs \
                     that select rows changed since a date miss changes. If a database trigger \
                     maintains the column, or the application sets it on purpose only for some \
                     changes, suppress this finding.",
                    field.name
                ));
                f = f.fix(RawFix {
                    title: format!("Add `@updatedAt` to `{path}`"),
                    safety: FixSafety::Unsafe,
                    edits: vec![append_field_attribute(field, "@updatedAt")],
                    sql: None,
                });
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, findings, findings_with, fixed, schema_findings};
    use prisma_audit_core::finding::{Confidence, FixSafety};
    use serde_json::json;

    const ID: &str = "updated-at-without-attribute";
    const PG: &str = "datasource db {\n  provider = \"postgresql\"\n}\n\n";

    const SALE: &str = r#"datasource db {
  provider = "postgresql"
}

model Sale {
  id              Int       @id
  updatedAt       DateTime  @default(now()) // last change
  modified_at     DateTime?
  updated_on      DateTime?
  lastModified    DateTime
  lastPublishedAt DateTime?
  modifiedAt      DateTime  @updatedAt
  createdAt       DateTime  @default(now())
}
"#;

    // Not a DateTime, a view, an ignored model, a name that is not an update time.
    const SILENT: &str = r#"datasource db {
  provider = "postgresql"
}

model A {
  id        Int      @id
  updatedAt String
}

view V {
  id        Int      @unique
  updatedAt DateTime
}

model B {
  id        Int      @id
  updatedAt DateTime

  @@ignore
}

model C {
  id        Int      @id
  touchedAt DateTime
}
"#;

    const TRANSIENT: &str = r#"datasource db {
  provider = "postgresql"
}

model VerificationRequest {
  id        Int      @id
  token     String   @unique
  expires   DateTime
  updatedAt DateTime @default(now())
}
"#;

    const COUNTER: &str = r#"datasource db {
  provider = "postgresql"
}

model Tag {
  id      Int         @id
  metrics TagMetric[]
}

model TagMetric {
  tagId     Int
  timeframe String
  likes     Int      @default(0)
  updatedAt DateTime @default(now())
  tag       Tag      @relation(fields: [tagId], references: [id])

  @@id([tagId, timeframe])
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(cases(ID, &[SILENT, TRANSIENT, COUNTER], &[SALE]));
    }

    #[test]
    fn heuristic_findings_with_an_unsafe_fix() {
        let f = schema_findings(ID, SALE);
        assert_eq!(f.len(), 2, "{f:#?}");
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!((loc.start.line, loc.start.column), (7, 3));
        assert!(f.iter().all(|f| f.confidence == Confidence::Heuristic));
        assert_eq!(f[0].fix.as_ref().unwrap().safety, FixSafety::Unsafe);
        let out = fixed(ID, SALE, true);
        assert!(
            out.contains("  updatedAt       DateTime  @default(now()) @updatedAt // last change\n")
        );
        assert!(out.contains("  modified_at     DateTime? @updatedAt\n"));
        assert!(out.contains("  lastPublishedAt DateTime?\n"));
        // Unsafe fixes are not applied by default.
        assert_eq!(fixed(ID, SALE, false), SALE);
    }

    #[test]
    fn option_adds_field_names() {
        let f = findings_with(
            ID,
            &[("schema.prisma", SILENT)],
            json!({"updatedAt": ["touchedAt"]}),
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.starts_with("`C.touchedAt`"));
    }

    #[test]
    fn columns_maintained_by_a_trigger_are_left_alone() {
        let s = format!(
            "{PG}model Post {{\n  id         Int      @id\n  updated_at DateTime @default(now())\n}}\n\nmodel Tag {{\n  id        Int      @id\n  updatedAt DateTime @default(now()) @map(\"modified\")\n}}\n"
        );
        let trigger = "CREATE FUNCTION touch() RETURNS TRIGGER AS $$\nBEGIN\n  NEW.\"updated_at\" = now();\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\n";
        let f = findings(
            ID,
            &[
                ("prisma/schema.prisma", &s),
                ("prisma/migrations/1_init/migration.sql", trigger),
            ],
        );
        let names: Vec<&str> = f
            .iter()
            .map(|f| f.message.split('`').nth(1).unwrap())
            .collect();
        assert_eq!(names, ["Tag.updatedAt"]);
        let moddatetime = "CREATE TRIGGER t BEFORE UPDATE ON tag FOR EACH ROW EXECUTE PROCEDURE moddatetime(modified);\n";
        let f = findings(
            ID,
            &[
                ("prisma/schema.prisma", &s),
                ("prisma/migrations/1_init/migration.sql", trigger),
                ("prisma/migrations/2_tag/migration.sql", moddatetime),
            ],
        );
        assert!(f.is_empty(), "{f:#?}");
        // A comparison is not an assignment.
        assert!(!super::trigger_maintains(
            "if new.updated_at <> old.updated_at then",
            "updated_at"
        ));
        assert!(super::trigger_maintains(
            "new.updated_at := now();",
            "updated_at"
        ));
    }
}
