use crate::support::case::{pluralize, to_snake_case};
use crate::support::prisma_lint::lint_models;
use crate::support::schema_edit::{insert_member_line, replace};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{Model, Provider};
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext, RuleOptions};
use serde::Deserialize;
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it does
    /// Checks that every model is mapped to the snake_case form of its name with
    /// `@@map("user_role")`, like prisma-lint's rule of the same name.
    ///
    /// ## Why is this bad?
    /// Without `@@map` the table is named exactly like the model (`"UserRole"`), so every raw
    /// SQL query, BI tool and psql session must quote the mixed-case name. Teams that want
    /// conventional snake_case tables enforce the mapping everywhere, consistently.
    ///
    /// ## Example
    /// ```prisma
    /// model UserRole {
    ///   id String @id
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add `@@map("user_role")` (or correct the existing `@@map`). The fix is **unsafe**
    /// whenever it changes the table name: Prisma Migrate does not detect renames and would
    /// drop the old table and create an empty one. Write the migration by hand with the
    /// rename shown in the fix's SQL (`ALTER TABLE "UserRole" RENAME TO "user_role";`). When
    /// the table already has that name (model `account` → `@@map("account")`) the fix is safe.
    ///
    /// ## Options
    /// - `compoundWords` (list): words kept whole (`["GraphQL"]` → `graphql_persisted_query`
    ///   instead of `graph_q_l_persisted_query`).
    /// - `trimPrefix` (string): a model-name prefix left out of the table name (`DbUserRole`
    ///   → `user_role`).
    /// - `pluralize` (boolean): expect plural table names (`user_roles`).
    /// - `irregularPlurals` (object, snake_case singular → plural): plurals the rules get wrong,
    ///   e.g. `{ "bill_of_lading": "bills_of_lading" }`.
    ///
    /// Off by default (style). Views and `@@ignore`d models are skipped; prisma-lint's
    /// `/// prisma-lint-ignore-model` comments are honoured.
    ///
    /// ## References
    /// - https://github.com/loop-payments/prisma-lint/blob/main/RULES.md#model-name-mapping-snake-case
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/database-mapping
    pub struct ModelNameMappingSnakeCase;
    id = "model-name-mapping-snake-case",
    summary = "Models not mapped to snake_case table names",
    category = Style,
    severity = Low,
    fixable = true,
    enabled = false,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// Words kept whole (`["GraphQL"]` gives `graphql_persisted_query`).
    #[serde(default)]
    compound_words: Vec<String>,
    /// A model-name prefix left out of the table name (`Db` maps `DbUserRole` to `user_role`).
    #[serde(default)]
    trim_prefix: String,
    /// Expect plural table names (`user_roles`).
    #[serde(default)]
    pluralize: bool,
    /// Plurals the rules get wrong, snake_case singular to plural
    /// (`{ "bill_of_lading": "bills_of_lading" }`).
    #[serde(default)]
    irregular_plurals: BTreeMap<String, String>,
}

fn expected(model: &str, opts: &Options) -> String {
    let name = model
        .strip_prefix(opts.trim_prefix.as_str())
        .unwrap_or(model);
    let snake = to_snake_case(name, &opts.compound_words, false);
    if !opts.pluralize {
        return snake;
    }
    match opts.irregular_plurals.get(&snake) {
        Some(p) => p.clone(),
        None => pluralize(&snake),
    }
}

/// The SQL renaming a table, per provider.
pub(crate) fn rename_table_sql(
    provider: Option<Provider>,
    model: &Model,
    to: &str,
) -> Option<String> {
    let from = model.db_name();
    let schema = model.schema.as_ref().map(|s| s.value.as_str());
    Some(match provider {
        Some(Provider::MongoDb) => return None,
        Some(Provider::MySql) => format!("RENAME TABLE `{from}` TO `{to}`;"),
        Some(Provider::SqlServer) => {
            let s = schema.unwrap_or("dbo");
            format!("EXEC sp_rename '{s}.{from}', '{to}';")
        }
        _ => match schema {
            Some(s) => format!("ALTER TABLE \"{s}\".\"{from}\" RENAME TO \"{to}\";"),
            None => format!("ALTER TABLE \"{from}\" RENAME TO \"{to}\";"),
        },
    })
}

impl RuleOptions for Options {}

impl Rule for ModelNameMappingSnakeCase {
    prisma_audit_core::rule_options!(Options);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let opts: Options = ctx.options();
        let provider = ctx.schema.provider();
        let mongo = provider == Some(Provider::MongoDb);
        let noun = if mongo { "collection" } else { "table" };
        let mut tables: std::collections::HashMap<&str, usize> = Default::default();
        for m in &ctx.schema.models {
            *tables.entry(m.db_name()).or_default() += 1;
        }
        for (model, _) in lint_models(ctx, Self::META.id) {
            let want = expected(&model.name, &opts);
            if model.map.as_ref().is_some_and(|m| m.value == want) {
                continue;
            }
            let has_map_attr = model.attributes.iter().any(|a| a.value == "map");
            let renames = model.db_name() != want;
            let (message, edit) = match &model.map {
                Some(m) => (
                    format!(
                        "Model `{}` is mapped to `{}`; expected `@@map(\"{want}\")`",
                        model.name, m.value
                    ),
                    Some(replace(m.span, format!("@@map(\"{want}\")"))),
                ),
                None => (
                    format!(
                        "Model `{}` is not mapped to a snake_case {noun} name; add `@@map(\"{want}\")`",
                        model.name
                    ),
                    (!has_map_attr)
                        .then(|| insert_member_line(ctx, model, &format!("@@map(\"{want}\")")))
                        .flatten(),
                ),
            };
            let span = model.map.as_ref().map_or(model.name_span, |m| m.span);
            let help = if !renames {
                format!("The {noun} is already named `{want}`; the mapping only makes it explicit.")
            } else if mongo {
                format!(
                    "This points the client at the collection `{want}`: the documents stay in `{}` \
                     until you rename it (`db.{}.renameCollection(\"{want}\")`) before deploying.",
                    model.db_name(),
                    model.db_name()
                )
            } else {
                format!(
                    "This renames the table `{}` to `{want}`. Prisma Migrate does not detect \
                     renames: it would drop the table and create an empty one, so edit the \
                     generated migration to rename it instead.",
                    model.db_name()
                )
            };
            let mut f = RawFinding::new(model.name.clone(), message)
                .at(span)
                .help(help);
            // Never map two models to one table, nor to a name under which two of the model's
            // indexes would get the same default name (both cut to the identifier limit).
            let taken = tables
                .get(want.as_str())
                .is_some_and(|&n| n > usize::from(model.db_name() == want))
                || index_names_collide(ctx.schema, model, &want);
            if let Some(edit) = edit.filter(|_| !taken) {
                f = f.fix(RawFix {
                    title: format!("Map model `{}` to `{want}`", model.name),
                    safety: if renames {
                        FixSafety::Unsafe
                    } else {
                        FixSafety::Safe
                    },
                    edits: vec![edit],
                    sql: if renames {
                        rename_table_sql(provider, model, &want)
                    } else {
                        None
                    },
                });
            }
            out.push(f);
        }
    }
}

/// Whether two of `model`'s indexes without a `map:` get the same default name once its table is
/// called `table` (Prisma cuts default names to the identifier limit and rejects the clash).
fn index_names_collide(
    schema: &prisma_audit_core::model::Schema,
    model: &prisma_audit_core::model::Model,
    table: &str,
) -> bool {
    use prisma_audit_core::model::{IndexKind, names};
    let provider = schema.provider().unwrap_or(Provider::PostgreSql);
    let mut seen = std::collections::HashSet::new();
    model.indexes().iter().filter(|i| i.map.is_none()).any(|i| {
        let cols = schema.index_columns(model, i);
        let name = match i.kind {
            IndexKind::Primary => return false,
            IndexKind::Unique => names::unique_index_name(table, &cols, provider),
            IndexKind::Normal | IndexKind::Fulltext => names::index_name(table, &cols, provider),
        };
        !seen.insert(name)
    })
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, fixed, table};
    use serde_json::json;

    const ID: &str = "model-name-mapping-snake-case";

    /// An unmapped model, a wrong mapping and a correct one.
    const MAPPINGS: &str = r#"datasource db {
  provider = "postgresql"
}

model UserRole {
  id String @id
}

model Team {
  id String @id

  @@map("teams")
}

model GoodOne {
  id String @id

  @@map("good_one")
}
"#;

    /// Under the snake_case name both default index names would be cut to the same 63 bytes,
    /// which Prisma rejects: reported without a fix.
    const INDEX_NAMES_WOULD_CLASH: &str = r#"datasource db {
  provider = "postgresql"
}

model OperatorRegistrationStatusUpdatedEventWithAVeryLongName {
  id Int @id
  blockNumber Int
  blockHash Int

  @@index([blockNumber])
  @@index([blockHash])
}
"#;

    /// The same indexes under a short name: fixed.
    const SHORT_NAME_WITH_INDEXES: &str = r#"datasource db {
  provider = "postgresql"
}

model EventLog {
  id Int @id
  blockNumber Int
  blockHash Int

  @@index([blockNumber])
  @@index([blockHash])
}
"#;

    /// `GraphQL` is one word, `Db` a prefix and table names plural under the options.
    const NEEDS_OPTIONS: &str = r#"model DbGraphQLPersistedQuery {
  id String @id

  @@map("graphql_persisted_queries")
}
model BillOfLading {
  id String @id

  @@map("bills_of_lading")
}
"#;

    /// The table `user_role` is taken: no fix for `UserRole`.
    const TABLE_TAKEN: &str = r#"model UserRole {
  id String @id
}
model Legacy {
  id String @id
  @@map("user_role")
}
"#;

    const MONGODB: &str = r#"datasource db {
  provider = "mongodb"
}
model UserRole {
  id String @id @default(auto()) @map("_id") @db.ObjectId
}
"#;

    /// MySQL's rename; views, ignored models and `prisma-lint-ignore-model` are skipped.
    const MYSQL_AND_SKIPPED: &str = r#"datasource db {
  provider = "mysql"
}
model UserRole {
  id String @id
}
view UserView {
  id String @unique
}
model Legacy {
  id String @id
  @@ignore
}
model Skipped {
  /// prisma-lint-ignore-model model-name-mapping-snake-case
  id String @id
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[Case::schema(NEEDS_OPTIONS).options(json!({
                "compoundWords": ["GraphQL"],
                "trimPrefix": "Db",
                "pluralize": true,
                "irregularPlurals": {"bill_of_lading": "bills_of_lading"}
            }))],
            &[
                Case::schema(MAPPINGS),
                Case::schema(INDEX_NAMES_WOULD_CLASH),
                Case::schema(SHORT_NAME_WITH_INDEXES),
                Case::schema(NEEDS_OPTIONS),
                Case::schema(TABLE_TAKEN),
                Case::schema(MONGODB),
                Case::schema(MYSQL_AND_SKIPPED),
            ],
        ));
    }

    #[test]
    fn fixes_add_or_correct_the_map() {
        let s = r#"datasource db {
  provider = "postgresql"
}

model UserRole {
  id String @id
}

model Team {
  id String @id

  @@map(name: "teams")
}

model account {
  id String @id
}
"#;
        // Only the mapping that keeps the table name is safe.
        assert_eq!(
            fixed(ID, s, false),
            r#"datasource db {
  provider = "postgresql"
}

model UserRole {
  id String @id
}

model Team {
  id String @id

  @@map(name: "teams")
}

model account {
  id String @id
  @@map("account")
}
"#
        );
        assert_eq!(
            fixed(ID, s, true),
            r#"datasource db {
  provider = "postgresql"
}

model UserRole {
  id String @id
  @@map("user_role")
}

model Team {
  id String @id

  @@map("team")
}

model account {
  id String @id
  @@map("account")
}
"#
        );
    }
}
