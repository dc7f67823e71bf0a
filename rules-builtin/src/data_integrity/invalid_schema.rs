use prisma_audit_core::declare_rule;
use prisma_audit_core::diagnostic::DiagnosticLevel;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports syntax and validation errors of the Prisma schema: what `prisma validate`
    /// rejects (unknown types, missing back-relations, ambiguous relations, broken syntax, a
    /// schema file that is not UTF-8 text, ...).
    ///
    /// ## Why is this bad?
    /// Prisma refuses to generate the client or run migrations for an invalid schema: the
    /// build and every deploy fail. Other rules work on a best-effort model of a broken schema,
    /// so fix these first.
    ///
    /// ## Example
    /// ```prisma
    /// model Pet {
    ///   id    String @id
    ///   owner Customer   // no model named Customer
    /// }
    /// ```
    ///
    /// ## Fix
    /// Follow the message; `npx prisma validate` and `npx prisma format` confirm the fix.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/reference/prisma-schema-reference
    pub struct InvalidSchema;
    id = "invalid-schema",
    summary = "The schema has syntax or validation errors Prisma rejects",
    category = DataIntegrity,
    severity = Critical,
    fixable = false,
    enabled = true,
}

impl Rule for InvalidSchema {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        for diag in ctx
            .diagnostics
            .iter()
            .filter(|d| d.level == DiagnosticLevel::Error)
        {
            let text = ctx.text(diag.span.file);
            let start = usize::from(diag.span.range.start()).min(text.len());
            // Anchor on the message and the line's text, not its number, so unrelated edits
            // above keep the fingerprint.
            let line = text[..start].rsplit('\n').next().unwrap_or("").trim();
            out.push(
                RawFinding::new(format!("{}|{line}", diag.message), diag.message.clone())
                    .at(diag.span)
                    .help("Prisma rejects this schema (`prisma validate` fails), so client generation and migrations fail. Fix this error first: other findings are computed on a best-effort reading of the schema."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_util::findings;

    #[test]
    fn valid_schema_passes() {
        let f = findings(
            "invalid-schema",
            &[(
                "schema.prisma",
                "datasource db {\n  provider = \"postgresql\"\n}\n",
            )],
        );
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn binary_schema_is_reported() {
        let f = findings("invalid-schema", &[("schema.prisma", "model A {\0}")]);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("binary"), "{}", f[0].message);
        assert_eq!(
            f[0].location.as_ref().map(|l| l.file.as_str()),
            Some("schema.prisma")
        );
    }
}
