use crate::support::connections::project_env;
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::Severity;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Checks the Prisma Client generator's `binaryTargets` against the deployment platform
    /// the project shows: a Dockerfile whose final stage is Alpine (`linux-musl-openssl-3.0.x`)
    /// and does not run `prisma generate` itself, or Vercel/Netlify/AWS Lambda
    /// (`rhel-openssl-3.0.x`) with explicit targets that include neither `native` nor that one.
    /// With the Rust-free client (Prisma 7, `engineType = "client"`) it reports `binaryTargets`
    /// as having no effect.
    ///
    /// ## Why is this bad?
    /// The query engine is a native library built per platform. If the generated client does
    /// not contain the runtime platform's engine, the application crashes at the first query
    /// with "Prisma Client could not locate the Query Engine for runtime ...".
    ///
    /// ## Example
    /// ```prisma
    /// generator client {
    ///   provider      = "prisma-client-js"
    ///   binaryTargets = ["debian-openssl-3.0.x"] // deployed on Vercel
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add the runtime's target (keep `native` for local development) or run
    /// `prisma generate` on the runtime image.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/reference/prisma-schema-reference#binarytargets-options
    pub struct GeneratorBinaryTargets;
    id = "generator-binary-targets",
    summary = "binaryTargets miss the deployment platform's query engine",
    category = ScalabilityAndOperations,
    severity = High,
    fixable = false,
    enabled = true,
}

/// Final-stage base image of a Dockerfile and whether it runs `prisma generate`.
fn dockerfile(text: &str) -> (Option<String>, bool) {
    let mut last_from = None;
    for line in text.lines() {
        let t = line.trim();
        if t.len() > 5 && t[..5].eq_ignore_ascii_case("FROM ") {
            last_from = t[5..]
                .split_whitespace()
                .next()
                .map(str::to_ascii_lowercase);
        }
    }
    (last_from, text.contains("prisma generate"))
}

impl Rule for GeneratorBinaryTargets {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        let rust_free =
            env.uses_driver_adapters() && env.adapter_dependency().is_some() || env.is_prisma7();
        let mut needed: Vec<(&str, String)> = Vec::new();
        for (_, f) in ctx.project.files() {
            let name = f.path().rsplit('/').next().unwrap_or("");
            if !(name == "Dockerfile"
                || name.starts_with("Dockerfile.")
                || name.ends_with(".Dockerfile"))
                || f.path().contains("node_modules/")
            {
                continue;
            }
            if let (Some(image), false) = dockerfile(f.text().unwrap_or(""))
                && image.contains("alpine")
            {
                needed.push((
                    "linux-musl-openssl-3.0.x",
                    format!(
                        "`{}` runs on `{image}` (Alpine) without running `prisma generate`",
                        f.path()
                    ),
                ));
            }
        }
        let platform_signs: Vec<String> = env
            .serverless_signs()
            .into_iter()
            .filter(|s| {
                s.contains("vercel")
                    || s.contains("Vercel")
                    || s.contains("netlify")
                    || s.contains("Netlify")
                    || s.contains("Lambda")
                    || s.contains("Next.js")
            })
            .collect();
        for g in env.generators.iter().filter(|g| {
            g.provider_name() == "prisma-client-js" || g.provider_name() == "prisma-client"
        }) {
            let Some(span) = g.binary_targets_span else {
                continue;
            };
            let targets: Vec<&str> = g.binary_targets.iter().map(|(t, _)| t.as_str()).collect();
            if rust_free {
                let message = format!(
                    "Generator `{}` declares `binaryTargets`, which the Rust-free client (driver \
                     adapters) does not use",
                    g.name
                );
                let help = "Without the Rust query engine there are no native binaries to select; \
                            remove `binaryTargets` to avoid confusion (keep them only while the \
                            Rust engine is still in use).";
                out.push(
                    RawFinding::new(format!("{}|binaryTargets|unused", g.name), message)
                        .at(span)
                        .severity(Severity::Info)
                        .help(help),
                );
                continue;
            }
            let has_native = targets.contains(&"native");
            let mut wanted = needed.clone();
            if !has_native && !platform_signs.is_empty() {
                wanted.push((
                    "rhel-openssl-3.0.x",
                    format!("the project deploys to {}", platform_signs.join(", ")),
                ));
            }
            for (target, why) in wanted {
                if targets.iter().any(|t| {
                    *t == target
                        || (target.starts_with("linux-musl") && t.starts_with("linux-musl"))
                }) {
                    continue;
                }
                let message = format!(
                    "`binaryTargets` of generator `{}` lacks `{target}`: {why}",
                    g.name
                );
                let help = format!(
                    "The generated client only contains query engines for its `binaryTargets`; on \
                     a platform without its engine the app crashes at the first query (\"could not \
                     locate the Query Engine\"). Add \"{target}\" (keep \"native\" for local \
                     development) or run `prisma generate` on the runtime image."
                );
                out.push(
                    RawFinding::new(format!("{}|binaryTargets|{target}", g.name), message)
                        .at(span)
                        .help(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "generator-binary-targets";

    const NATIVE: &str = r#"generator client {
  provider      = "prisma-client-js"
  binaryTargets = ["native"]
}
"#;

    const NATIVE_AND_MUSL: &str = r#"generator client {
  provider      = "prisma-client-js"
  binaryTargets = ["native", "linux-musl-openssl-3.0.x"]
}
"#;

    const DEBIAN_ONLY: &str = r#"generator client {
  provider      = "prisma-client-js"
  binaryTargets = ["debian-openssl-3.0.x"]
}
"#;

    /// The client is generated in the build stage, the app runs on Alpine.
    const ALPINE_RUNTIME: &str = r#"FROM node:22 AS build
RUN npm ci
FROM node:22-alpine
COPY --from=build /app /app
"#;

    const ALPINE_GENERATES: &str = r#"FROM node:22-alpine
RUN npx prisma generate
"#;

    const PRISMA_7: &str = r#"{"devDependencies":{"prisma":"7.0.0"}}"#;

    fn with(schema: &str, path: &str, text: &str) -> Case {
        Case::files(&[("schema.prisma", schema), (path, text)])
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                with(NATIVE_AND_MUSL, "Dockerfile", ALPINE_RUNTIME),
                with(NATIVE, "Dockerfile", ALPINE_GENERATES),
                with(NATIVE, "vercel.json", "{}"),
            ],
            &[
                with(NATIVE, "Dockerfile", ALPINE_RUNTIME),
                with(DEBIAN_ONLY, "vercel.json", "{}"),
                // The Rust-free client of Prisma 7 has no engine binaries to select.
                with(NATIVE, "package.json", PRISMA_7),
            ],
        ));
    }
}
