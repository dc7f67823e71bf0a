use crate::support::case::to_snake_case;
use crate::support::prisma_lint::lint_models;
use crate::support::schema_edit::{append_field_attribute, replace};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{Field, Model, Provider};
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext, RuleOptions};
use serde::Deserialize;

declare_rule! {
    /// ## What it does
    /// Checks that every multi-word field is mapped to the snake_case form of its name with
    /// `@map("user_id")`, like prisma-lint's rule of the same name. Single-word lower-case
    /// fields (`id`, `email`) need no mapping, but a mapping they have must be their own name
    /// (`id Int @id @map("customer_id")` is reported); relation fields have no column and are
    /// skipped; enum, composite-type and `Unsupported` fields are columns and are checked. On
    /// MongoDB the primary key's mandatory `@map("_id")` is accepted.
    ///
    /// ## Why is this bad?
    /// Without `@map` the column is named exactly like the field (`"userId"`), so every raw
    /// SQL query and BI tool must quote the mixed-case name; teams that want snake_case columns
    /// enforce the mapping on every field, consistently.
    ///
    /// ## Example
    /// ```prisma
    /// model UserRole {
    ///   id     String @id
    ///   userId String
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add `@map("user_id")` (or correct the existing `@map`). The fix is **unsafe** whenever
    /// it changes the column name: Prisma Migrate does not detect renames and would drop the
    /// column (and its data) and add an empty one. Edit the migration to use the rename shown
    /// in the fix's SQL. When the column already has that name the fix is safe.
    ///
    /// ## Options
    /// - `compoundWords` (list): words kept whole (`["GraphQL"]` → `graphql_id`).
    /// - `requireUnderscorePrefixForIds` (boolean): `@id` fields map to `_` + snake case
    ///   (`id` → `@map("_id")`), as MongoDB requires for its primary key.
    ///
    /// Off by default (style). Views and `@@ignore`d models are skipped; prisma-lint's
    /// `/// prisma-lint-ignore-model field-name-mapping-snake-case tenantId,userId` comments
    /// are honoured.
    ///
    /// ## References
    /// - https://github.com/loop-payments/prisma-lint/blob/main/RULES.md#field-name-mapping-snake-case
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/database-mapping
    pub struct FieldNameMappingSnakeCase;
    id = "field-name-mapping-snake-case",
    summary = "Fields not mapped to snake_case column names",
    category = Style,
    severity = Low,
    fixable = true,
    enabled = false,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// Words kept whole (`["GraphQL"]` maps `graphQLId` to `graphql_id`).
    #[serde(default)]
    compound_words: Vec<String>,
    /// `@id` fields map to `_` + snake case (`id` to `_id`), as MongoDB requires.
    #[serde(default)]
    require_underscore_prefix_for_ids: bool,
}

fn rename_column_sql(
    provider: Option<Provider>,
    model: &Model,
    field: &Field,
    to: &str,
) -> Option<String> {
    let table = model.db_name();
    let from = field.db_name();
    let schema = model.schema.as_ref().map(|s| s.value.as_str());
    Some(match provider {
        Some(Provider::MongoDb) => return None,
        Some(Provider::MySql) => format!("ALTER TABLE `{table}` RENAME COLUMN `{from}` TO `{to}`;"),
        Some(Provider::SqlServer) => {
            let s = schema.unwrap_or("dbo");
            format!("EXEC sp_rename '{s}.{table}.{from}', '{to}', 'COLUMN';")
        }
        _ => {
            let t = match schema {
                Some(s) => format!("\"{s}\".\"{table}\""),
                None => format!("\"{table}\""),
            };
            format!("ALTER TABLE {t} RENAME COLUMN \"{from}\" TO \"{to}\";")
        }
    })
}

impl RuleOptions for Options {}

impl Rule for FieldNameMappingSnakeCase {
    prisma_audit_core::rule_options!(Options);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let opts: Options = ctx.options();
        let provider = ctx.schema.provider();
        let mongo = provider == Some(Provider::MongoDb);
        let noun = if mongo { "field" } else { "column" };
        for (model, ignores) in lint_models(ctx, Self::META.id) {
            for field in &model.fields {
                if field.is_relation() || ignores.name(Self::META.id, &field.name) {
                    continue;
                }
                let id_prefix =
                    opts.require_underscore_prefix_for_ids && model.id_of(field).is_some();
                // A one-word lower-case name needs no mapping, but a mapping it has must match.
                let required = id_prefix || field.name.to_lowercase() != field.name;
                if !required && field.map.is_none() {
                    continue;
                }
                // MongoDB requires `@map("_id")` on the primary key.
                if mongo
                    && model.id_of(field).is_some()
                    && field.map.as_ref().is_some_and(|m| m.value == "_id")
                {
                    continue;
                }
                let snake = to_snake_case(&field.name, &opts.compound_words, false);
                let want = if id_prefix {
                    format!("_{snake}")
                } else {
                    snake
                };
                if field.map.as_ref().is_some_and(|m| m.value == want) {
                    continue;
                }
                let path = format!("{}.{}", model.name, field.name);
                let has_map_attr = model.attributes_of(field).iter().any(|a| a.value == "map");
                let (message, edit) = match &field.map {
                    Some(m) => (
                        format!(
                            "Field `{path}` is mapped to `{}`; expected `@map(\"{want}\")`",
                            m.value
                        ),
                        Some(replace(m.span, format!("@map(\"{want}\")"))),
                    ),
                    None => (
                        format!(
                            "Field `{path}` is not mapped to a snake_case {noun} name; add `@map(\"{want}\")`"
                        ),
                        (!has_map_attr)
                            .then(|| append_field_attribute(field, &format!("@map(\"{want}\")"))),
                    ),
                };
                let renames = field.db_name() != want;
                let help = if renames && mongo {
                    format!(
                        "This makes the client read the field `{want}`: existing documents of `{}` \
                         keep `{}` until you rename it in every document (`$rename`) before \
                         deploying.",
                        model.db_name(),
                        field.db_name()
                    )
                } else if renames {
                    format!(
                        "This renames the column `{}` of `{}` to `{want}`. Prisma Migrate does not \
                         detect renames: it would drop the column with its data and add an empty \
                         one, so edit the generated migration to rename it instead.",
                        field.db_name(),
                        model.db_name()
                    )
                } else {
                    format!(
                        "The {noun} is already named `{want}`; the mapping only makes it explicit."
                    )
                };
                let span = field.map.as_ref().map_or(field.span, |m| m.span);
                let mut f = RawFinding::new(path, message).at(span).help(help);
                // Never map two fields to one column.
                let taken = model
                    .fields
                    .iter()
                    .any(|o| o.id != field.id && o.is_scalar() && o.db_name() == want);
                if let Some(edit) = edit.filter(|_| !taken) {
                    f = f.fix(RawFix {
                        title: format!("Map field `{}` to `{want}`", field.name),
                        safety: if renames {
                            FixSafety::Unsafe
                        } else {
                            FixSafety::Safe
                        },
                        edits: vec![edit],
                        sql: if renames {
                            rename_column_sql(provider, model, field, &want)
                        } else {
                            None
                        },
                    });
                }
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, fixed, table};
    use serde_json::json;

    const ID: &str = "field-name-mapping-snake-case";

    /// A wrong mapping, an unmapped enum column, a one-word field, a relation field and a
    /// correct mapping.
    const MAPPINGS: &str = r#"datasource db {
  provider = "postgresql"
}

enum RoleType {
  ADMIN
}

model User {
  id    String     @id
  roles UserRole[]
}

model UserRole {
  id       String   @id
  userId   String   @map(name: "user_i_d")
  roleType RoleType
  note     String   // no mapping needed
  user     User     @relation(fields: [userId], references: [id])
  okField  String   @map("ok_field")
}
"#;

    /// One-word fields need no mapping, but one they have must be their own name.
    const ONE_WORD_MAPPED_ELSEWHERE: &str = r#"model Customer {
  id    Int    @id @map("customer_id")
  email String @map("email")
}
"#;

    /// The column `user_id` is taken: no fix for `userId`.
    const COLUMN_TAKEN: &str = r#"model A {
  id      Int @id
  userId  Int
  user_id Int @map("legacy")
  other   Int @map("user_id")
}
"#;

    /// MongoDB's primary key must be mapped to `_id`.
    const MONGODB_ID: &str = r#"datasource db {
  provider = "mongodb"
}
model User {
  id String @id @default(auto()) @map("_id") @db.ObjectId
}
"#;

    const MONGODB_FIELD: &str = r#"datasource db {
  provider = "mongodb"
}
model User {
  id        String   @id @default(auto()) @map("_id") @db.ObjectId
  createdAt DateTime
}
"#;

    /// `_id` and `graphql_id` follow the options; `tenantId` is ignored by name.
    const OPTIONS_AND_IGNORED_FIELD: &str = r#"model PersistedQuery {
  /// prisma-lint-ignore-model field-name-mapping-snake-case tenantId,otherId
  id        String @id @map("_id")
  graphQLId String @map("graphql_id")
  tenantId  String
}
"#;

    const UNMAPPED_ID: &str = r#"model Q {
  id String @id
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                Case::schema(MONGODB_ID),
                Case::schema(OPTIONS_AND_IGNORED_FIELD).options(
                    json!({"compoundWords": ["GraphQL"], "requireUnderscorePrefixForIds": true})
                ),
            ],
            &[
                Case::schema(MAPPINGS),
                Case::schema(ONE_WORD_MAPPED_ELSEWHERE),
                Case::schema(COLUMN_TAKEN),
                Case::schema(MONGODB_FIELD),
                // Without the options `_id` is not `id`, and `GraphQL` is three words.
                Case::schema(OPTIONS_AND_IGNORED_FIELD),
                Case::schema(UNMAPPED_ID).options(json!({"requireUnderscorePrefixForIds": true})),
            ],
        ));
    }

    #[test]
    fn fix_adds_or_corrects_map() {
        let s = r#"datasource db {
  provider = "postgresql"
}

model UserRole {
  id     String @id
  userId String // the user
  roleId String @map("roleid")
  teamId String @map("team_id")
}
"#;
        assert_eq!(fixed(ID, s, false), s);
        assert_eq!(
            fixed(ID, s, true),
            r#"datasource db {
  provider = "postgresql"
}

model UserRole {
  id     String @id
  userId String @map("user_id") // the user
  roleId String @map("role_id")
  teamId String @map("team_id")
}
"#
        );
    }
}
