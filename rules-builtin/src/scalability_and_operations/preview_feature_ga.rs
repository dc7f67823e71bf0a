use crate::support::connections::project_env;
use prisma_audit_core::declare_rule;
use prisma_audit_core::env::releases::{FeatureChange, feature_status};
use prisma_audit_core::finding::{FixSafety, Severity};
use prisma_audit_core::rule::{RawEdit, RawFinding, RawFix, Rule, RuleContext};
use prisma_audit_core::span::Span;
use prisma_audit_core::{TextRange, TextSize};

declare_rule! {
    /// ## What it does
    /// Checks `previewFeatures` against the Prisma version the project declares (the locked
    /// version, else the lowest one its specifier allows): flags that became generally
    /// available (no longer needed), were renamed (`fullTextSearch` → `fullTextSearchPostgres`
    /// on PostgreSQL), deprecated (`metrics`) or removed.
    ///
    /// Silent when the version is unknown (no `package.json` declaring Prisma), and for the
    /// flags that became generally available before 6.0 (`interactiveTransactions`,
    /// `filterJson`, `referentialIntegrity`, ...) unless the project is on 5.0 or later: on
    /// older releases some of them are still needed, and removing one turns its feature off.
    ///
    /// ## Why is this bad?
    /// Stale flags produce warnings on every `prisma generate`, hide which features really are
    /// in preview, and removed flags fail validation after an upgrade. A renamed flag silently
    /// turns the feature off.
    ///
    /// ## Example
    /// ```prisma
    /// generator client {
    ///   provider        = "prisma-client-js"
    ///   previewFeatures = ["driverAdapters", "fullTextSearch"] // Prisma 6.16, PostgreSQL
    /// }
    /// ```
    ///
    /// ## Fix
    /// Remove generally available flags, use the new name of renamed ones, and replace
    /// deprecated features (metrics: the driver's own pool metrics or OpenTelemetry tracing).
    ///
    /// ## Fix safety
    /// Removing a generally available flag and renaming a renamed one are safe (the feature
    /// stays on). Removing a removed flag is unsafe: the feature it enabled is gone.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/reference/preview-features/client-preview-features
    pub struct PreviewFeatureGa;
    id = "preview-feature-ga",
    summary = "previewFeatures lists flags that are GA, renamed, deprecated or removed",
    category = ScalabilityAndOperations,
    severity = Low,
    fixable = true,
    enabled = true,
}

/// The span of an array element plus one adjacent comma and spaces, so removing it keeps the
/// array valid.
fn removal_span(text: &str, span: Span) -> Span {
    let (s, e) = (
        usize::from(span.range.start()),
        usize::from(span.range.end()),
    );
    let bytes = text.as_bytes();
    let mut end = e;
    while end < bytes.len() && bytes[end] == b' ' {
        end += 1;
    }
    if end < bytes.len() && bytes[end] == b',' {
        end += 1;
        while end < bytes.len() && bytes[end] == b' ' {
            end += 1;
        }
        return Span::new(
            span.file,
            TextRange::new(TextSize::from(s as u32), TextSize::from(end as u32)),
        );
    }
    let mut start = s;
    while start > 0 && bytes[start - 1] == b' ' {
        start -= 1;
    }
    if start > 0 && bytes[start - 1] == b',' {
        start -= 1;
        return Span::new(
            span.file,
            TextRange::new(TextSize::from(start as u32), TextSize::from(e as u32)),
        );
    }
    span
}

impl Rule for PreviewFeatureGa {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let env = project_env(ctx);
        let version = env.prisma_version();
        let provider = env.provider();
        let shown = version
            .as_ref()
            .map_or("this Prisma version".to_string(), |v| format!("Prisma {v}"));
        for g in &env.generators {
            for (feature, span) in &g.preview_features {
                let Some(ev) = feature_status(feature, version.as_ref(), provider) else {
                    continue;
                };
                // The table records only "before 6.0" for the oldest flags, and some of them
                // became GA as late as 5.0.0: judge them only on a known version of 5.0 or
                // later (below it the flag may still be needed).
                if ev.since.is_none() && version.as_ref().is_none_or(|v| v.major < 5) {
                    continue;
                }
                let since = ev.since.map_or("5.0 or earlier".to_string(), |(a, b, c)| {
                    format!("{a}.{b}.{c}")
                });
                let text = ctx.text(span.file);
                let (message, severity, fix) = match ev.change {
                    FeatureChange::Ga => (
                        format!(
                            "Preview feature `{feature}` is generally available since {since}; \
                             with {shown} the flag is no longer needed"
                        ),
                        Severity::Low,
                        Some(RawFix {
                            title: format!("Remove `{feature}`"),
                            safety: FixSafety::Safe,
                            edits: vec![RawEdit {
                                span: removal_span(text, *span),
                                replacement: String::new(),
                            }],
                            sql: None,
                        }),
                    ),
                    FeatureChange::Renamed { to, .. } => (
                        format!(
                            "Preview feature `{feature}` was renamed to `{to}` in {since} for {}: \
                             with {shown} the old name no longer enables it",
                            provider.unwrap_or("this provider")
                        ),
                        Severity::Medium,
                        Some(RawFix {
                            title: format!("Rename to `{to}`"),
                            safety: FixSafety::Safe,
                            edits: vec![RawEdit {
                                span: *span,
                                replacement: format!("\"{to}\""),
                            }],
                            sql: None,
                        }),
                    ),
                    FeatureChange::Deprecated => (
                        format!(
                            "Preview feature `{feature}` is deprecated since {since} and goes away \
                             in the next major"
                        ),
                        Severity::Medium,
                        None,
                    ),
                    FeatureChange::Removed => (
                        format!(
                            "Preview feature `{feature}` was removed in {since}: {shown} rejects the schema"
                        ),
                        Severity::High,
                        Some(RawFix {
                            title: format!("Remove `{feature}`"),
                            safety: FixSafety::Unsafe,
                            edits: vec![RawEdit {
                                span: removal_span(text, *span),
                                replacement: String::new(),
                            }],
                            sql: None,
                        }),
                    ),
                };
                let mut f = RawFinding::new(format!("{}|{feature}", g.name), message)
                    .at(*span)
                    .severity(severity)
                    .help(format!(
                        "Stale preview flags cause warnings on every `prisma generate`, a renamed \
                         flag silently turns its feature off, and a removed one fails validation. \
                         Source: {}.",
                        ev.source
                    ));
                if let Some(fix) = fix {
                    f = f.fix(fix);
                }
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "preview-feature-ga";

    /// A schema on `provider` whose client generator enables `features`.
    fn schema(provider: &str, features: &str) -> String {
        format!(
            r#"datasource db {{
  provider = "{provider}"
}}

generator client {{
  provider        = "prisma-client-js"
  previewFeatures = [{features}]
}}
"#
        )
    }

    /// A project on Prisma `version`.
    fn on(version: &str, provider: &str, features: &str) -> Case {
        Case::files(&[
            ("prisma/schema.prisma", &schema(provider, features)),
            (
                "package.json",
                &format!(r#"{{"devDependencies":{{"prisma":"{version}"}}}}"#),
            ),
        ])
    }

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(
            ID,
            &[
                // GA in 6.16.
                on("6.15.0", "postgresql", r#""driverAdapters""#),
                // Deprecated in 6.14.
                on("6.13.0", "postgresql", r#""metrics""#),
                // Prisma 4.4 still needs it (GA in 4.7), 3.x needs `filterJson`.
                on("4.4.0", "postgresql", r#""interactiveTransactions""#),
                on("^3.9.1", "mysql", r#""filterJson""#),
                // No package.json: the version is unknown.
                Case::files(&[(
                    "prisma/schema.prisma",
                    &schema("postgresql", r#""interactiveTransactions""#)
                )]),
            ],
            &[
                // The fix removes the GA flag only.
                on(
                    "6.16.0",
                    "postgresql",
                    r#""driverAdapters", "relationJoins""#
                ),
                // Renamed on PostgreSQL: medium, the fix renames it; GA on MySQL: low, the
                // fix removes it.
                on("6.2.0", "postgresql", r#""fullTextSearch""#),
                on("6.2.0", "mysql", r#""fullTextSearch""#),
                // Deprecated: medium; removed in 7: high.
                on("6.14.0", "postgresql", r#""metrics""#),
                on("7.0.0", "postgresql", r#""metrics""#),
                // GA before 6, on a known version of 5 or later.
                on("5.4.2", "postgresql", r#""interactiveTransactions""#),
            ],
        ));
    }
}
