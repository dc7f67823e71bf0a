use prisma_audit_core::declare_rule;
use prisma_audit_core::diagnostic::{Diagnostic, DiagnosticLevel};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports syntax and validation errors of the Prisma schema: what `prisma validate`
    /// rejects (unknown types, missing back-relations, ambiguous relations, broken syntax, a
    /// schema file that is not UTF-8 text, ...).
    ///
    /// Follow-up errors are folded into their cause, as Prisma does:
    /// - on a field whose type is unknown, only the unknown type is reported (not also "not a
    ///   relation field" for its `@relation`);
    /// - a schema without a `datasource` block gets one finding for all its native type
    ///   attributes (`@db.VarChar`, ...), naming the `.prisma` file that declares a datasource
    ///   outside the files read, as happens when a tool is pointed at a sub-folder of a
    ///   multi-file schema.
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

const HELP: &str = "Prisma rejects this schema (`prisma validate` fails), so client generation and \
     migrations fail. Fix this error first: other findings are computed on a best-effort reading \
     of the schema.";

/// `(file, line start offset)` of a diagnostic, to group errors of one line.
fn line_of(ctx: &RuleContext<'_>, d: &Diagnostic) -> (prisma_audit_core::span::FileId, usize) {
    let text = ctx.text(d.span.file);
    let start = usize::from(d.span.range.start()).min(text.len());
    (d.span.file, text[..start].rfind('\n').map_or(0, |i| i + 1))
}

/// The diagnostic's message, with the advice for a one-to-one relation over several fields
/// worded as Prisma does: the fields need a compound `@@unique([...])` on the model, not an
/// `@unique` on "the field `a, b`".
fn message(message: &str) -> String {
    const FIELD: &str = "Either add an `@unique` attribute to the field `";
    if let Some(i) = message.find(FIELD) {
        let rest = &message[i + FIELD.len()..];
        if let Some(end) = rest.find('`') {
            let fields = &rest[..end];
            if fields.contains(',') {
                return format!(
                    "{}Either add an `@@unique([{fields}])` attribute to the model{}",
                    &message[..i],
                    &rest[end + 1..]
                );
            }
        }
    }
    message.to_string()
}

/// The native type attribute (`@db.Citext`) an "Attribute not known" error names, if any.
fn native_type(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("Attribute not known: \"")?;
    let name = rest.split('"').next()?;
    name.starts_with("@db.").then_some(name)
}

impl Rule for InvalidSchema {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let errors: Vec<&Diagnostic> = ctx
            .diagnostics
            .iter()
            .filter(|d| d.level == DiagnosticLevel::Error)
            .collect();
        // Lines whose field has an unknown type: their other errors follow from it.
        let unknown_type_lines: Vec<_> = errors
            .iter()
            .filter(|d| d.message.contains("is neither a built-in type"))
            .map(|d| line_of(ctx, d))
            .collect();
        let no_datasource = ctx.schema.datasource().is_none();
        let mut native: Vec<&Diagnostic> = Vec::new();
        for diag in errors {
            if no_datasource && native_type(&diag.message).is_some() {
                native.push(diag);
                continue;
            }
            if !diag.message.contains("is neither a built-in type")
                && unknown_type_lines.contains(&line_of(ctx, diag))
            {
                continue;
            }
            let text = ctx.text(diag.span.file);
            let start = usize::from(diag.span.range.start()).min(text.len());
            // Anchor on the message and the line's text, not its number, so unrelated edits
            // above keep the fingerprint.
            let line = text[..start].rsplit('\n').next().unwrap_or("").trim();
            out.push(
                RawFinding::new(format!("{}|{line}", diag.message), message(&diag.message))
                    .at(diag.span)
                    .help(HELP),
            );
        }
        if let Some((first, rest)) = native.split_first() {
            out.push(missing_datasource(ctx, first, rest));
        }
    }
}

/// One finding for the native types of a schema without a datasource.
fn missing_datasource(
    ctx: &RuleContext<'_>,
    first: &Diagnostic,
    rest: &[&Diagnostic],
) -> RawFinding {
    let mut types: Vec<&str> = Vec::new();
    for d in std::iter::once(&first).chain(rest) {
        if let Some(t) = native_type(&d.message)
            && !types.contains(&t)
        {
            types.push(t);
        }
    }
    let read: Vec<_> = ctx.schema_files.iter().map(|f| f.file).collect();
    // A `.prisma` file outside the files read that declares a datasource.
    let elsewhere = ctx.project.files().find_map(|(id, f)| {
        let declares = f.path().ends_with(".prisma")
            && !read.contains(&id)
            && f.text().is_some_and(|t| {
                t.lines()
                    .any(|l| l.trim_start().starts_with("datasource ") && l.contains('{'))
            });
        declares.then(|| f.path().to_string())
    });
    let n = 1 + rest.len();
    let hint = match &elsewhere {
        Some(path) => format!(
            "; `{path}` declares one but is not among the schema files read: point the schema path \
             (`--schema`, package.json `prisma.schema` or prisma.config.ts `schema`) at the folder \
             holding every schema file"
        ),
        None => ": add the `datasource` block (its `provider` decides which `@db.*` types exist)"
            .to_string(),
    };
    let mut f = RawFinding::new(
        "datasource|native-types",
        format!(
            "The schema has no `datasource` block, so Prisma rejects its {n} native type \
             attribute{} ({}){hint}",
            if n == 1 { "" } else { "s" },
            types
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
    .at(first.span)
    .help(HELP);
    for d in rest {
        f = f.related(d.span, "another native type attribute");
    }
    f
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, findings};

    const ID: &str = "invalid-schema";

    const VALID: &str = r#"datasource db {
  provider = "postgresql"
}
"#;

    const BINARY: &str = "model A {\0}";

    const UNKNOWN_TYPE: &str = r#"datasource db {
  provider = "postgresql"
}

model User {
  id      Int      @id
  courses Course[] @relation("Teacher")
}
"#;

    #[test]
    fn pass_and_fail() {
        // The unknown type's follow-up errors are folded into one finding.
        insta::assert_snapshot!(cases(ID, &[VALID], &[BINARY, UNKNOWN_TYPE]));
    }

    #[test]
    fn one_finding_per_broken_schema() {
        for s in [BINARY, UNKNOWN_TYPE] {
            let f = findings(ID, &[("schema.prisma", s)]);
            assert_eq!(f.len(), 1, "{f:#?}");
            assert_eq!(
                f[0].location.as_ref().map(|l| l.file.as_str()),
                Some("schema.prisma")
            );
        }
    }

    #[test]
    fn native_types_without_a_datasource_are_one_finding() {
        let models = "model User {\n  id   Int    @id\n  name String @db.VarChar(80)\n  mail String @db.Citext\n}\n";
        let main = "generator client {\n  provider = \"prisma-client-js\"\n}\n\ndatasource db {\n  provider = \"postgresql\"\n}\n";
        let f = findings(
            "invalid-schema",
            &[
                ("prisma/models/user.prisma", models),
                ("prisma/schema.prisma", main),
                ("package.json", r#"{"prisma":{"schema":"prisma/models"}}"#),
            ],
        );
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message.starts_with("The schema has no `datasource` block, so Prisma rejects its 2 native type attributes (`@db.VarChar`, `@db.Citext`); `prisma/schema.prisma` declares one"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].related.len(), 1);
    }

    #[test]
    fn one_to_one_over_several_fields_asks_for_a_compound_unique() {
        let m = "Error parsing attribute \"@relation\": A one-to-one relation must use unique fields on the defining side. Either add an `@unique` attribute to the field `accountableId, userId`, or change the relation to one-to-many.";
        assert_eq!(
            super::message(m),
            "Error parsing attribute \"@relation\": A one-to-one relation must use unique fields on the defining side. Either add an `@@unique([accountableId, userId])` attribute to the model, or change the relation to one-to-many."
        );
        let single = m.replace("accountableId, userId", "userId");
        assert_eq!(super::message(&single), single);
    }
}
