//! A third-party rule: company policy says every model carries a `///` doc comment.
//! Linking this crate into a binary is all it takes to register the rule.

use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};
use prisma_audit_core::span::Span;
use prisma_audit_core::syntax::ast::{AstNode, Item};

declare_rule! {
    /// ## What it does
    /// Requires a `///` documentation comment above every model.
    ///
    /// ## Why is this bad?
    /// Our data catalogue is generated from schema docs; undocumented models are invisible.
    ///
    /// ## Example
    /// ```prisma
    /// model Invoice { id Int @id }
    /// ```
    ///
    /// ## Fix
    /// Add `/// What an invoice is.` above the model.
    pub struct ModelNeedsDoc;
    id = "acme-model-needs-doc",
    summary = "Every model has a /// doc comment (ACME policy)",
    category = ScalabilityAndOperations,
    severity = Low,
    fixable = false,
    enabled = true,
}

impl Rule for ModelNeedsDoc {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        for file in ctx.schema_files {
            for item in file.parse.tree().items() {
                let Item::Model(model) = item else { continue };
                if model.doc().is_some() {
                    continue;
                }
                let Some(name) = model.name() else { continue };
                out.push(
                    RawFinding::new(
                        name.text(),
                        format!("model `{}` has no `///` doc comment", name.text()),
                    )
                    .at(Span::new(file.file, name.range()))
                    .help("Describe what one row of this model is; the data catalogue shows it."),
                );
            }
        }
    }
}

/// Reference this from the binary that should carry the rule (keeps the linker from dropping it).
#[inline(never)]
pub fn link() {}

#[cfg(test)]
mod tests {
    use prisma_audit_core::config::Config;
    use prisma_audit_core::{AuditOptions, Project, audit};

    #[test]
    fn the_rule_is_registered_and_runs() {
        assert!(
            prisma_audit_core::rule::registry()
                .iter()
                .any(|r| r.meta().id == "acme-model-needs-doc")
        );
        let schema = "/// A customer of the shop.\nmodel Customer {\n  id Int @id\n}\n\nmodel Invoice {\n  id Int @id\n}\n";
        let project = Project::from_files("t", [("schema.prisma", schema)]);
        let config = Config {
            select: Some(vec!["acme-model-needs-doc".into()]),
            ..Config::default()
        };
        let report = audit(
            &project,
            &AuditOptions {
                config,
                ..Default::default()
            },
        )
        .expect("audit");
        let messages: Vec<_> = report.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages, ["model `Invoice` has no `///` doc comment"]);
        let loc = report.findings[0].location.as_ref().expect("location");
        assert_eq!(
            (loc.start.line, loc.start.column, loc.end.column),
            (6, 7, 14)
        );
    }
}
