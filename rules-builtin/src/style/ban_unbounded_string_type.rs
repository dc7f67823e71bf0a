use crate::support::prisma_lint::lint_models;
use prisma_audit_core::declare_rule;
use prisma_audit_core::model::{Provider, ScalarType};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext, RuleOptions};
use serde::Deserialize;

declare_rule! {
    /// ## What it does
    /// Reports `String` fields whose column has no length limit, like prisma-lint's rule of the
    /// same name: a `String` without a native type on PostgreSQL and CockroachDB (`text` /
    /// `STRING`), and an explicit `@db.Text` anywhere unless `allowNativeTextType` is set.
    ///
    /// ## Why is this bad?
    /// This is a **validation** choice, not a performance one. On PostgreSQL `text` and
    /// `varchar(n)` are stored and indexed the same way, and `text` is not slower; never
    /// switch types for speed. The rule exists for teams that want the database to cap every
    /// string (as in <https://brandur.org/text>) so that an API never accepts a megabyte-long
    /// "name" by accident. If you validate lengths in the application, leave the rule off.
    ///
    /// ## Example
    /// ```prisma
    /// model User {
    ///   id   String @id @db.VarChar(36)
    ///   name String
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add a bounded native type such as `@db.VarChar(255)` chosen per field. Not fixed
    /// automatically: the right limit is a product decision, and shrinking a column fails or
    /// truncates when longer values already exist.
    ///
    /// ## Options
    /// - `allowNativeTextType` (boolean): accept an explicit `@db.Text`.
    ///
    /// Differences from prisma-lint: a bare `String` is not reported on MySQL (it is
    /// `varchar(191)`) nor on SQL Server (`nvarchar(1000)`), which are bounded already; the
    /// rule is silent on SQLite (no length-limited type exists) and MongoDB. Off by default
    /// (style). Views and `@@ignore`d models are skipped.
    ///
    /// ## References
    /// - https://github.com/loop-payments/prisma-lint/blob/main/RULES.md#ban-unbounded-string-type
    /// - https://www.postgresql.org/docs/current/datatype-character.html
    pub struct BanUnboundedStringType;
    id = "ban-unbounded-string-type",
    summary = "String fields without a length limit",
    category = Style,
    severity = Low,
    fixable = false,
    enabled = false,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// Accept an explicit `@db.Text`.
    #[serde(default)]
    allow_native_text_type: bool,
}

impl RuleOptions for Options {}

impl Rule for BanUnboundedStringType {
    prisma_audit_core::rule_options!(Options);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let opts: Options = ctx.options();
        let provider = ctx.schema.provider();
        let bare_unbounded = match provider {
            Some(Provider::PostgreSql | Provider::CockroachDb) => true,
            Some(Provider::MySql | Provider::SqlServer) => false,
            _ => return,
        };
        for (model, _) in lint_models(ctx, Self::META.id) {
            for field in &model.fields {
                if field.ty.as_scalar() != Some(ScalarType::String) {
                    continue;
                }
                let path = format!("{}.{}", model.name, field.name);
                let message = match model.native_type_of(field) {
                    Some(nt) if nt.ty.name == "Text" && !opts.allow_native_text_type => {
                        format!("`{path}` is `@db.Text`, which has no length limit")
                    }
                    None if bare_unbounded => format!(
                        "`{path}` is a `String` without a native type: the column (`{}`) has no length limit",
                        if provider == Some(Provider::CockroachDb) {
                            "STRING"
                        } else {
                            "text"
                        }
                    ),
                    _ => continue,
                };
                out.push(RawFinding::new(path, message).at(field.span).help(
                    "If the project caps string lengths in the database, add a bounded type such \
                     as `@db.VarChar(255)` sized for this field. On PostgreSQL `text` performs the \
                     same as `varchar(n)`; this is about validation, not speed.",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};
    use serde_json::json;

    const ID: &str = "ban-unbounded-string-type";

    /// A bounded id, a bare `String`, an explicit `@db.Text` and a non-string field.
    const POSTGRES: &str = r#"datasource db {
  provider = "postgresql"
}

model User {
  id   String @id @db.VarChar(36)
  name String
  bio  String @db.Text
  n    Int
}
"#;

    const COCKROACH: &str = r#"datasource db {
  provider = "cockroachdb"
}

model User {
  id   String @id @db.String(36)
  name String
}
"#;

    const SQLITE: &str = r#"datasource db {
  provider = "sqlite"
}

model User {
  id   String @id
  name String
}
"#;

    const MONGODB: &str = r#"datasource db {
  provider = "mongodb"
}

model User {
  id   String @id @map("_id") @db.ObjectId
  name String
}
"#;

    #[test]
    fn pass_and_fail() {
        let mysql = POSTGRES.replace("postgresql", "mysql");
        insta::assert_snapshot!(table(
            ID,
            &[
                // No length-limited type to ask for.
                Case::schema(SQLITE),
                Case::schema(MONGODB),
            ],
            &[
                Case::schema(POSTGRES),
                // Only the bare `String` remains.
                Case::schema(POSTGRES).options(json!({"allowNativeTextType": true})),
                // A bare `String` is `varchar(191)` on MySQL: only `@db.Text` is reported.
                Case::schema(&mysql),
                Case::schema(COCKROACH),
            ],
        ));
    }
}
