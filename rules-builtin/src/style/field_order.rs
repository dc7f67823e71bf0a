use crate::support::prisma_lint::lint_models;
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext, RuleOptions};
use serde::Deserialize;

declare_rule! {
    /// ## What it does
    /// Checks that the fields named in `order` appear in that order in every model, like
    /// prisma-lint's rule of the same name. Fields of `order` a model does not have are
    /// ignored (use `require-field` to require them). The first name of `order` must be the
    /// model's first field and the last name its last field, unless `...` stands there: `...`
    /// allows any number of other fields at that point.
    ///
    /// ## Why is this bad?
    /// A fixed layout (`tenantId` and `id` first, timestamps last) makes large schemas
    /// scannable and diffs predictable. It has no effect on the database.
    ///
    /// ## Example
    /// With `{ "order": ["tenantId", "id", "...", "createdAt", "updatedAt"] }`:
    /// ```prisma
    /// model User {
    ///   id        String   @id
    ///   createdAt DateTime
    ///   email     String
    /// }
    /// ```
    ///
    /// ## Fix
    /// Move the fields into the configured order. Not fixed automatically (moving lines with
    /// their comments is left to the author).
    ///
    /// ## Options
    /// - `order` (list of field names and `...`, required). Without it the rule reports
    ///   nothing.
    ///
    /// Off by default (style). Views and `@@ignore`d models are skipped.
    ///
    /// ## References
    /// - https://github.com/loop-payments/prisma-lint/blob/main/RULES.md#field-order
    pub struct FieldOrder;
    id = "field-order",
    summary = "Fields not in the configured order",
    category = Style,
    severity = Low,
    fixable = false,
    enabled = false,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// The field order: field names, with `...` standing for all other fields. Without it the
    /// rule reports nothing.
    order: Option<Vec<String>>,
}

/// prisma-lint's walk: the actual field names that are out of order.
fn out_of_order(actual: &[&str], expected: &[&str]) -> Vec<String> {
    let (mut e, mut a) = (0, 0);
    let mut bad = Vec::new();
    while e < expected.len() && a < actual.len() {
        let exp = expected[e];
        if actual[a] == exp {
            e += 1;
            a += 1;
            continue;
        }
        if exp == "..." {
            if expected.get(e + 1) == Some(&actual[a]) {
                e += 1;
            } else {
                a += 1;
            }
            continue;
        }
        bad.push(actual[a].to_string());
        a += 1;
    }
    bad.extend(actual[a..].iter().map(|s| s.to_string()));
    bad
}

impl RuleOptions for Options {
    const REQUIRED: &'static [&'static str] = &["order"];
}

impl Rule for FieldOrder {
    prisma_audit_core::rule_options!(Options);

    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let Some(order) = ctx.options::<Options>().order else {
            return;
        };
        for (model, _) in lint_models(ctx, Self::META.id) {
            let actual: Vec<&str> = model.fields.iter().map(|f| f.name.as_str()).collect();
            let expected: Vec<&str> = order
                .iter()
                .map(String::as_str)
                .filter(|n| *n == "..." || actual.contains(n))
                .collect();
            let bad = out_of_order(&actual, &expected);
            if bad.is_empty() {
                continue;
            }
            let mut f = RawFinding::new(
                model.name.clone(),
                format!(
                    "Fields of `{}` are not in the expected order: {}",
                    model.name,
                    expected.join(", ")
                ),
            )
            .at(model.name_span)
            .help(format!(
                "Out of place: {}. Reorder the fields as configured in `order`; field order has no \
                 effect on the database.",
                crate::support::prisma_lint::quoted_list(&bad)
            ));
            if let Some(first) = bad.first().and_then(|n| model.field(n)) {
                f = f.related(first.span, format!("`{}` is out of order", first.name));
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::out_of_order;
    use crate::support::test_util::{Case, table};
    use serde_json::json;

    const ID: &str = "field-order";

    #[test]
    fn walk_like_prisma_lint() {
        let ord = ["tenantId", "id", "createdAt", "updatedAt", "..."];
        let filt = |a: &[&str]| -> Vec<String> {
            let e: Vec<&str> = ord
                .iter()
                .copied()
                .filter(|n| *n == "..." || a.contains(n))
                .collect();
            out_of_order(a, &e)
        };
        assert!(filt(&["tenantId", "id", "email"]).is_empty());
        assert!(filt(&["tenantId", "id", "createdAt", "email"]).is_empty());
        assert_eq!(filt(&["id", "email", "tenantId"]), ["id", "email"]);
    }

    const IN_ORDER: &str = r#"model User {
  tenantId  String
  id        String   @id
  email     String
  createdAt DateTime
  updatedAt DateTime
}
"#;

    /// `email` comes after `createdAt`, which the order wants last.
    const OUT_OF_ORDER: &str = r#"model Post {
  id        String   @id
  createdAt DateTime
  email     String
}
"#;

    #[test]
    fn pass_and_fail() {
        let order = || json!({"order": ["tenantId", "id", "...", "createdAt", "updatedAt"]});
        insta::assert_snapshot!(table(
            ID,
            &[
                Case::schema(IN_ORDER).options(order()),
                // No `order` configured: nothing to check.
                Case::schema(OUT_OF_ORDER),
            ],
            &[Case::schema(OUT_OF_ORDER).options(order())],
        ));
    }
}
