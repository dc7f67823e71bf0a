use crate::support::prisma_lint::{OneOrMany, Pattern, lint_models};
use crate::support::schema_edit::insert_member_line;
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{IndexKind, Model};
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext, RuleOptions};
use serde::Deserialize;

declare_rule! {
    /// ## What it does
    /// Checks that chosen fields lead an index, like prisma-lint's rule of the same name: the
    /// fields whose name matches `forNames`, and with `forAllRelations` the foreign-key fields
    /// of every relation. A field counts as indexed when it has `@id` or `@unique`, or is the
    /// first column of an `@@index`, `@@unique` or `@@id`.
    ///
    /// ## Why is this bad?
    /// Columns the application filters or joins on (`tenantId`, foreign keys) without an index
    /// make those queries scan the table; PostgreSQL does not index foreign keys by itself,
    /// and with `relationMode = "prisma"` there is no foreign key at all.
    ///
    /// ## Example
    /// With `{ "forNames": ["tenantId"], "forAllRelations": true }`:
    /// ```prisma
    /// model Bar {
    ///   id       String @id
    ///   tenantId String
    ///   fooId    String
    ///   foo      Foo    @relation(fields: [fooId], references: [id])
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add `@@index([tenantId])` (for a composite foreign key, `@@index([a, b])`): safe, it
    /// keeps data and behaviour (on a large table create the index concurrently in the
    /// migration).
    ///
    /// ## Options
    /// - `forNames` (a name or `"/regex/"`, or a list of them): fields that must be indexed.
    /// - `forAllRelations` (boolean): every relation's foreign-key fields must be indexed.
    ///
    /// Differences from prisma-lint: the leading column of `@@id` counts as indexed, and a
    /// composite foreign key counts as indexed when an index starts with all its columns.
    /// Off by default (style). Views and `@@ignore`d models are skipped; prisma-lint's
    /// `/// prisma-lint-ignore-model require-field-index tenantId` comments are honoured.
    ///
    /// ## References
    /// - https://github.com/loop-payments/prisma-lint/blob/main/RULES.md#require-field-index
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/indexes
    pub struct RequireFieldIndex;
    id = "require-field-index",
    summary = "Fields that must be indexed have no index",
    category = Style,
    severity = Low,
    fixable = true,
    enabled = false,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// Every relation's foreign-key fields must be indexed.
    #[serde(default)]
    for_all_relations: bool,
    /// Fields that must be indexed: a name, a `/regex/`, or a list of them.
    for_names: Option<OneOrMany<Pattern>>,
}

/// Whether some index of `model` (not fulltext) starts with `cols`.
fn covered(model: &Model, cols: &[&str]) -> bool {
    model.index_refs().any(|i| {
        i.kind != IndexKind::Fulltext
            && i.len() >= cols.len()
            && i.column_names().zip(cols).all(|(c, n)| c == *n)
    })
}

impl RuleOptions for Options {}

impl Rule for RequireFieldIndex {
    prisma_audit_core::rule_options!(Options);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let opts: Options = ctx.options();
        let names = opts.for_names.map(|n| n.to_vec()).unwrap_or_default();
        if names.is_empty() && !opts.for_all_relations {
            return;
        }
        for (model, ignores) in lint_models(ctx, Self::META.id) {
            // Column groups to check: (columns, why).
            let mut groups: Vec<(Vec<String>, String)> = Vec::new();
            for field in model.scalar_fields() {
                if let Some(p) = names.iter().find(|p| p.matches(&field.name)) {
                    groups.push((
                        vec![field.name.to_string()],
                        format!("its name matches `{}` in `forNames`", p.as_written()),
                    ));
                }
            }
            if opts.for_all_relations {
                for field in model.relation_fields() {
                    let Some(fks) = model
                        .relation_attr_of(field)
                        .and_then(|r| r.fields.as_ref())
                    else {
                        continue;
                    };
                    let cols: Vec<String> = fks.iter().map(|f| f.value.to_string()).collect();
                    if cols.is_empty() || groups.iter().any(|(g, _)| *g == cols) {
                        continue;
                    }
                    groups.push((
                        cols,
                        format!("it is the foreign key of relation `{}`", field.name),
                    ));
                }
            }
            for (cols, why) in groups {
                if cols.iter().any(|c| ignores.name(Self::META.id, c)) {
                    continue;
                }
                let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
                if covered(model, &refs) {
                    continue;
                }
                let list = cols.join(", ");
                let Some(first) = model.field(&cols[0]) else {
                    continue;
                };
                let mut f = RawFinding::new(
                    format!("{}.{}", model.name, cols.join(",")),
                    format!(
                        "`{}.{}` must have an index ({why})",
                        model.name,
                        if cols.len() == 1 {
                            list.clone()
                        } else {
                            format!("({list})")
                        }
                    ),
                )
                .at(first.span)
                .help(format!(
                    "Add `@@index([{list}])` to `{}`; queries filtering or joining on it otherwise \
                     scan the table.",
                    model.name
                ));
                if let Some(edit) = insert_member_line(ctx, model, &format!("@@index([{list}])")) {
                    f = f.fix(RawFix {
                        title: format!("Add `@@index([{list}])` to `{}`", model.name),
                        safety: FixSafety::Safe,
                        edits: vec![edit],
                        sql: None,
                    });
                }
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};
    use serde_json::json;

    const ID: &str = "require-field-index";

    /// `createdAt` and `id` are indexed (first column of an index, primary key); `tenantId`
    /// and the foreign key `fooId` are not.
    const MODELS: &str = r#"model Foo {
  id   String @id
  bars Bar[]
}

model Bar {
  id        String   @id
  tenantId  String
  createdAt DateTime
  fooId     String
  foo       Foo      @relation(fields: [fooId], references: [id])

  @@index([createdAt, id])
}
"#;

    /// A composite foreign key covered by an index, a field of a composite primary key, and
    /// a field ignored by name.
    const COMPOSITE_KEYS_AND_IGNORED_FIELD: &str = r#"model A {
  x Int
  y Int
  bs B[]
  @@id([x, y])
}
model B {
  /// prisma-lint-ignore-model require-field-index tenantId
  id Int @id
  tenantId Int
  ax Int
  ay Int
  a A @relation(fields: [ax, ay], references: [x, y])
  @@index([ax, ay])
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                // Nothing configured.
                Case::schema(MODELS),
                Case::schema(COMPOSITE_KEYS_AND_IGNORED_FIELD)
                    .options(json!({"forAllRelations": true, "forNames": ["x", "tenantId"]})),
            ],
            &[
                Case::schema(MODELS).options(
                    json!({"forNames": ["tenantId", "createdAt", "/^id$/"], "forAllRelations": true})
                ),
                Case::schema(MODELS).options(json!({"forNames": "/Id$/"})),
            ],
        ));
    }

    #[test]
    fn fix_adds_index() {
        let p = prisma_audit_core::Project::from_files(
            "t",
            [("schema.prisma".to_string(), MODELS.as_bytes().to_vec())],
        );
        let mut config = prisma_audit_core::config::Config {
            select: Some(vec![ID.into()]),
            ..Default::default()
        };
        config.rules.insert(
            ID.into(),
            prisma_audit_core::config::RuleConfig {
                options: json!({"forAllRelations": true})
                    .as_object()
                    .cloned()
                    .unwrap(),
                ..Default::default()
            },
        );
        let report = prisma_audit_core::audit(
            &p,
            &prisma_audit_core::AuditOptions {
                config,
                ..Default::default()
            },
        )
        .unwrap();
        let out = prisma_audit_core::fix::apply_fixes(&p, &report.findings, false).unwrap();
        assert_eq!(
            out.files["schema.prisma"],
            MODELS.replace(
                "  @@index([createdAt, id])\n",
                "  @@index([createdAt, id])\n  @@index([fooId])\n"
            )
        );
    }
}
