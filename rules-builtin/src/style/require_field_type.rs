use crate::support::prisma_lint::{Pattern, lint_models};
use crate::support::schema_edit::span_text;
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext, RuleOptions};
use serde::Deserialize;

declare_rule! {
    /// ## What it does
    /// Checks that fields whose name matches `ifName` have the configured `type`, like
    /// prisma-lint's rule of the same name. The type is compared as written, without `?` or
    /// `[]` (`String`, `DateTime`, an enum or model name).
    ///
    /// ## Why is this bad?
    /// Conventions such as "every `id` is a `String`" or "every `...At` field is a `DateTime`"
    /// keep ids and timestamps interchangeable across models; one `createdAt String` breaks
    /// sorting, date arithmetic and every query that compares it.
    ///
    /// ## Example
    /// With `{ "require": [{ "ifName": "/At$/", "type": "DateTime" }] }`:
    /// ```prisma
    /// model User {
    ///   id        String @id
    ///   createdAt String
    /// }
    /// ```
    ///
    /// ## Fix
    /// Change the field's type. Not fixed automatically: changing a column type converts or
    /// loses data.
    ///
    /// ## Options
    /// - `require` (list, required): `{ "ifName": "name" | "/regex/", "type": "Type",
    ///   "nativeType": "VarChar" }` (`nativeType` optional: the name after `@db.`). Without it
    ///   the rule reports nothing. When several entries match one field with different types,
    ///   the conflict is reported too.
    ///
    /// Off by default (style). Views and `@@ignore`d models are skipped.
    ///
    /// ## References
    /// - https://github.com/loop-payments/prisma-lint/blob/main/RULES.md#require-field-type
    pub struct RequireFieldType;
    id = "require-field-type",
    summary = "Fields without the type their name requires",
    category = Style,
    severity = Low,
    fixable = false,
    enabled = false,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Requirement {
    /// Fields this entry applies to: an exact name or a `/regex/`.
    if_name: Pattern,
    /// The Prisma type those fields must have (`String`, `Int`, `DateTime`, ...).
    #[serde(rename = "type")]
    ty: String,
    /// The native type they must have: the name after `@db.` (`VarChar`, `Uuid`).
    native_type: Option<String>,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// Type requirements by field name. Without them the rule reports nothing.
    #[serde(default)]
    require: Vec<Requirement>,
}

impl RuleOptions for Options {
    const REQUIRED: &'static [&'static str] = &["require"];
}

impl Rule for RequireFieldType {
    prisma_audit_core::rule_options!(Options);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let opts: Options = ctx.options();
        if opts.require.is_empty() {
            return;
        }
        for (model, _) in lint_models(ctx, Self::META.id) {
            for field in &model.fields {
                let matches: Vec<&Requirement> = opts
                    .require
                    .iter()
                    .filter(|r| r.if_name.matches(&field.name))
                    .collect();
                let Some(first) = matches.first() else {
                    continue;
                };
                let path = format!("{}.{}", model.name, field.name);
                let mut types: Vec<&str> = Vec::new();
                let mut natives: Vec<&str> = Vec::new();
                for r in &matches {
                    if !types.contains(&r.ty.as_str()) {
                        types.push(&r.ty);
                    }
                    if let Some(n) = &r.native_type
                        && !natives.contains(&n.as_str())
                    {
                        natives.push(n);
                    }
                }
                if types.len() > 1 || natives.len() > 1 {
                    let mut all = types.join(", ");
                    if natives.len() > 1 {
                        all.push_str(&format!(" (native types {})", natives.join(", ")));
                    }
                    out.push(
                        RawFinding::new(
                            format!("{path}|conflict"),
                            format!(
                                "Field `{path}` matches `require-field-type` entries with \
                                 conflicting types: {all}"
                            ),
                        )
                        .at(field.name_span)
                        .help("Make the `ifName` patterns of the configuration disjoint."),
                    );
                }
                let written = span_text(ctx, field.type_span);
                let actual = written.trim_end_matches('?').trim_end_matches("[]");
                let like = first.if_name.as_written();
                let mut problems = Vec::new();
                if actual != first.ty {
                    problems.push(format!(
                        "has type `{actual}`; fields named like `{like}` must be `{}`",
                        first.ty
                    ));
                }
                if let Some(want) = &first.native_type {
                    match model.native_type_of(field) {
                        None => problems.push(format!(
                            "has no native type; fields named like `{like}` must be `@db.{want}`"
                        )),
                        Some(nt) if nt.ty.name != *want => problems.push(format!(
                            "is `@db.{}`; fields named like `{like}` must be `@db.{want}`",
                            nt.ty.name
                        )),
                        Some(_) => {}
                    }
                }
                if problems.is_empty() {
                    continue;
                }
                out.push(
                    RawFinding::new(
                        path.clone(),
                        format!("Field `{path}` {}", problems.join(", and ")),
                    )
                    .at(field.type_span)
                    .help(
                        "Change the type as configured (with a migration that converts the \
                         existing values), or rename the field.",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};
    use serde_json::json;

    const ID: &str = "require-field-type";

    const TYPES: &str = r#"model User {
  id        Int       @id
  createdAt String
  updatedAt DateTime?
}
"#;

    const NATIVE_TYPES: &str = r#"datasource db {
  provider = "postgresql"
}
model User {
  id    String @id @db.Uuid
  email String
  name  String @db.Text
}
"#;

    const ONE_ID: &str = r#"model User {
  id String @id
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            // Nothing required.
            &[Case::schema(TYPES)],
            &[
                // `updatedAt DateTime?` matches: optionality is not part of the type.
                Case::schema(TYPES).options(json!({"require": [
                    {"ifName": "id", "type": "String"},
                    {"ifName": "/At$/", "type": "DateTime"}
                ]})),
                Case::schema(NATIVE_TYPES).options(json!({"require": [
                    {"ifName": "id", "type": "String", "nativeType": "Uuid"},
                    {"ifName": "/^(email|name)$/", "type": "String", "nativeType": "VarChar"}
                ]})),
                // `id` matches both entries; it has the type of the first.
                Case::schema(ONE_ID).options(json!({"require": [
                    {"ifName": "id", "type": "String"},
                    {"ifName": "/^i/", "type": "Int"}
                ]})),
            ],
        ));
    }
}
