use crate::support::connections::project_env;
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::rule::{RawEdit, RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports a `prisma-client` generator (the Rust-free client, default in Prisma 7)
    /// without `output`.
    ///
    /// ## Why is this bad?
    /// The `prisma-client` generator does not write into `node_modules`; its `output` is
    /// required and `prisma generate` fails without it, breaking every build and deploy.
    ///
    /// ## Example
    /// ```prisma
    /// generator client {
    ///   provider = "prisma-client"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add `output = "../src/generated/prisma"` and import the client from there.
    ///
    /// ## Fix safety
    /// Unsafe: the client is generated into a new folder, so imports from `@prisma/client` must
    /// move to it.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-schema/overview/generators#prisma-client
    pub struct GeneratorOutputRequired;
    id = "generator-output-required",
    summary = "The prisma-client generator has no output path",
    category = ScalabilityAndOperations,
    severity = High,
    fixable = true,
    enabled = true,
}

impl Rule for GeneratorOutputRequired {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        for g in &env.generators {
            if g.provider_name() != "prisma-client" || g.output.is_some() {
                continue;
            }
            let span = g.provider.as_ref().map_or(g.span, |(_, s)| *s);
            let message = format!(
                "Generator `{}` uses `prisma-client` without `output`: `prisma generate` fails \
                 because this generator requires an output path",
                g.name
            );
            let help = "The `prisma-client` generator writes plain TypeScript into your source \
                        tree instead of `node_modules/.prisma`; it has no default location, so \
                        `output` is required. Add e.g. `output = \"../src/generated/prisma\"` and \
                        import `PrismaClient` from that folder.";
            let mut f = RawFinding::new(format!("{}|output", g.name), message)
                .at(span)
                .help(help);

            if let Some(at) = g.insert_at {
                f = f.fix(RawFix {
                    title: "Add `output = \"../src/generated/prisma\"`".into(),
                    safety: FixSafety::Unsafe,
                    edits: vec![RawEdit {
                        span: at,
                        replacement: "  output   = \"../src/generated/prisma\"\n".into(),
                    }],
                    sql: None,
                });
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, fixed, schema_findings};

    const ID: &str = "generator-output-required";

    const NO_OUTPUT: &str = r#"generator client {
  provider = "prisma-client"
}
"#;

    const WITH_OUTPUT: &str = r#"generator client {
  provider = "prisma-client"
  output   = "../generated"
}
"#;

    const PRISMA_CLIENT_JS: &str = r#"generator client {
  provider = "prisma-client-js"
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(cases(ID, &[WITH_OUTPUT, PRISMA_CLIENT_JS], &[NO_OUTPUT]));
    }

    #[test]
    fn one_finding_and_an_unsafe_fix_that_adds_output() {
        let f = schema_findings(ID, NO_OUTPUT);
        assert_eq!(f.len(), 1);
        assert!(f[0].fix.is_some());
        assert_eq!(fixed(ID, NO_OUTPUT, false), NO_OUTPUT);
        assert_eq!(
            fixed(ID, NO_OUTPUT, true),
            r#"generator client {
  provider = "prisma-client"
  output   = "../src/generated/prisma"
}
"#
        );
    }
}
