use super::{UPDATED_AT_NAMES, checked_models, owned};
use crate::schema_edit::{append_field_attribute, field_path};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::ScalarType;
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext, parse_options};

declare_rule! {
    /// ## What it does
    /// Reports a `DateTime` field named like an update timestamp (`updatedAt`, `updated_at`,
    /// `modifiedAt`...) that has no `@updatedAt` attribute.
    ///
    /// Silent on views and `@@ignore`d models, and on fields that already have `@updatedAt`.
    /// A field whose value is maintained by a database trigger is still reported: Prisma does
    /// not know about the trigger; suppress the finding there.
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
    /// The fix is unsafe: the value now changes on every update made through Prisma Client
    /// (writes through raw SQL or other clients still do not touch it). `@updatedAt` is
    /// implemented by Prisma Client, so the database column and migrations do not change.
    ///
    /// ## Options
    /// - `updatedAt` (list of names, default `["updatedAt", "updated_at", "updatedOn",
    ///   "updated_on", "modifiedAt", "modified_at", "lastModified", "dateModified"]`): the
    ///   names treated as update timestamps (use the same list as `missing-timestamps`).
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

/// Options of `updated-at-without-attribute`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    updated_at: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            updated_at: owned(UPDATED_AT_NAMES),
        }
    }
}

impl Rule for UpdatedAtWithoutAttribute {
    fn validate_options(
        &self,
        options: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), String> {
        parse_options::<Options>(options).map(|_| ())
    }

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let opts: Options = ctx.options();
        for model in checked_models(ctx.schema) {
            for field in model.scalar_fields() {
                if field.ty.as_scalar() != Some(ScalarType::DateTime)
                    || field.is_list()
                    || field.updated_at.is_some()
                    || field.is_ignored()
                    || !opts.updated_at.iter().any(|n| n.as_str() == field.name)
                {
                    continue;
                }
                let path = field_path(ctx.schema, field);
                let mut f = RawFinding::new(
                    path.clone(),
                    format!(
                        "`{path}` has no `@updatedAt`: Prisma Client never changes it on update, so it keeps its insert-time value unless every update sets it; add `@updatedAt`"
                    ),
                )
                .at(field.span)
                .help(format!(
                    "`@updatedAt` makes Prisma Client write the current time into `{}` on every `update`, `updateMany` and `upsert`. Without it the field only looks like a last-modified time, and jobs that select rows changed since a date miss changes. If a database trigger maintains the column, suppress this finding.",
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
    use crate::test_util::{findings_with, fixed, schema_findings};
    use serde_json::json;

    const ID: &str = "updated-at-without-attribute";
    const PG: &str = "datasource db {\n  provider = \"postgresql\"\n}\n\n";

    #[test]
    fn reports_and_fixes() {
        let s = format!(
            "{PG}model Sale {{\n  id         Int       @id\n  updatedAt  DateTime  @default(now()) // last change\n  updated_on DateTime?\n  touchedAt  DateTime\n  modifiedAt DateTime  @updatedAt\n  createdAt  DateTime  @default(now())\n}}\n"
        );
        let f = schema_findings(ID, &s);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert!(
            f[0].message
                .starts_with("`Sale.updatedAt` has no `@updatedAt`"),
            "{}",
            f[0].message
        );
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!((loc.start.line, loc.start.column), (7, 3));
        assert!(!f[1].fingerprint.is_empty());
        assert!(f[1].message.starts_with("`Sale.updated_on`"));
        assert_eq!(
            f[0].fix.as_ref().unwrap().safety,
            prisma_audit_core::finding::FixSafety::Unsafe
        );
        assert_eq!(
            fixed(ID, &s, true),
            format!(
                "{PG}model Sale {{\n  id         Int       @id\n  updatedAt  DateTime  @default(now()) @updatedAt // last change\n  updated_on DateTime? @updatedAt\n  touchedAt  DateTime\n  modifiedAt DateTime  @updatedAt\n  createdAt  DateTime  @default(now())\n}}\n"
            )
        );
        // Unsafe fixes are not applied by default.
        assert_eq!(fixed(ID, &s, false), s);
    }

    #[test]
    fn silent_cases_and_options() {
        let s = format!(
            "{PG}model A {{\n  id        Int      @id\n  updatedAt String\n}}\n\nview V {{\n  id        Int      @unique\n  updatedAt DateTime\n}}\n\nmodel B {{\n  id        Int      @id\n  updatedAt DateTime\n\n  @@ignore\n}}\n\nmodel C {{\n  id        Int      @id\n  touchedAt DateTime\n}}\n"
        );
        assert!(schema_findings(ID, &s).is_empty());
        let f = findings_with(
            ID,
            &[("schema.prisma", &s)],
            json!({"updatedAt": ["touchedAt"]}),
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.starts_with("`C.touchedAt`"));
    }
}
