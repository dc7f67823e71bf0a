use crate::support::fields::table_models;
use crate::support::naming::words;
use crate::support::schema_edit::native_type_attribute;
use crate::support::schema_edit::{field_path, replace};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::Provider;
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports `@db.Char(n)` columns on PostgreSQL.
    ///
    /// ## Why is this bad?
    /// `character(n)` pads values with spaces to `n` characters. The padding is ignored by
    /// `=` comparisons but not by `LIKE`, regular expressions, `length()` in some contexts, or
    /// by the application, which reads `'ab   '` back; values longer than `n` are rejected.
    /// It is not faster or smaller than `varchar`/`text` in PostgreSQL (it is usually the
    /// slowest of the three). The PostgreSQL wiki lists it under "Don't Do This".
    ///
    /// Only columns that evidently hold values of varying length are reported: the padding never
    /// shows for a value that always fills the column. Silent, therefore, on `Char(1)` to
    /// `Char(3)` (flags, country, currency and language codes) and on names saying the value
    /// has a fixed length (`code`, `hash`, `digest`, `checksum`, `token`, `uuid`, `id`, `key`,
    /// `password`, `country`, `currency`, `locale`, `iso`, `zip`...); since that judgement comes
    /// from names, findings are **heuristic**.
    ///
    /// Silent on other providers (MySQL `CHAR` strips trailing spaces on read; SQL Server
    /// `NCHAR` codes are a common deliberate choice).
    ///
    /// ## Example
    /// ```prisma
    /// model Country {
    ///   code String @id @db.Char(2)
    ///   name String @db.Char(100)
    /// }
    /// ```
    ///
    /// ## Fix
    /// Use `@db.VarChar(n)` (keeps the length check) or plain `String` (`text`). Unsafe: the
    /// column type changes and the conversion strips the trailing padding of existing values.
    ///
    /// ## References
    /// - https://wiki.postgresql.org/wiki/Don%27t_Do_This#Don.27t_use_char.28n.29
    /// - https://www.postgresql.org/docs/current/datatype-character.html
    pub struct CharColumn;
    id = "char-column",
    summary = "Blank-padded char(n) columns on PostgreSQL",
    category = DataIntegrity,
    severity = Low,
    fixable = true,
    enabled = true,
}

/// Name words of values that always have the same length.
const FIXED_LENGTH: &[&str] = &[
    "code", "codes", "hash", "digest", "checksum", "sha", "sha1", "sha256", "md5", "token", "uuid",
    "guid", "id", "key", "password", "pwd", "pin", "otp", "country", "currency", "locale", "lang",
    "language", "iso", "zip", "postal", "postcode", "flag", "gender", "sex",
];

/// Parts of names of fixed-length values, also found inside a single word (`passWord`,
/// `pwhash`, `sessionToken`).
const FIXED_LENGTH_PARTS: &[&str] = &["password", "hash", "token", "uuid", "digest", "checksum"];

/// Whether a `Char(n)` column evidently holds values shorter than `n`.
fn holds_varying_lengths(field_name: &str, n: Option<u32>) -> bool {
    let lower = field_name.to_ascii_lowercase();
    n.is_none_or(|n| n > 3)
        && !words(field_name)
            .iter()
            .any(|w| FIXED_LENGTH.contains(&w.as_str()))
        && !FIXED_LENGTH_PARTS.iter().any(|p| lower.contains(p))
}

impl Rule for CharColumn {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        if schema.provider() != Some(Provider::PostgreSql) {
            return;
        }
        for model in table_models(schema) {
            for field in model.scalar_fields() {
                let Some(nt) = model.native_type_of(field) else {
                    continue;
                };
                if nt.ty.name != "Char" {
                    continue;
                }
                let n = nt.ty.args.first().map_or("1", |a| a.as_str());
                if !holds_varying_lengths(&field.name, n.trim().parse().ok()) {
                    continue;
                }
                let path = field_path(schema, field);
                let new = native_type_attribute(schema, &format!("VarChar({n})"));
                out.push(
                    RawFinding::new(
                        path.clone(),
                        format!(
                            "`{path}` uses `@db.Char({n})`: values are blank-padded to {n} \
                             characters; use `{new}` or plain `String`"
                        ),
                    )
                    .at(nt.span)
                    .heuristic()
                    .help(
                        "PostgreSQL `character(n)` pads with spaces: the application reads the \
                         padding back and `LIKE`/regex comparisons see it, while it brings no \
                         speed or space benefit over `varchar(n)`/`text`.",
                    )
                    .fix(RawFix {
                        title: format!("Use `{new}` for `{path}`"),
                        safety: FixSafety::Unsafe,
                        edits: vec![replace(nt.span, new.clone())],
                        sql: Some(format!(
                            "ALTER TABLE \"{}\" ALTER COLUMN \"{}\" TYPE VARCHAR({n});",
                            model.db_name(),
                            field.db_name()
                        )),
                    }),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, fixed, schema_findings};

    const ID: &str = "char-column";

    const PG: &str = r#"datasource db {
  provider = "postgresql"
}

model Country {
  code        String @id @db.Char(2)
  name        String @db.Char(100)
  resetToken  String @db.Char(64)
  passWord    String @db.Char(32)
  region      String @db.Char(3)
}
"#;

    const PG_FIXED_WIDTH_ONLY: &str = r#"datasource db {
  provider = "postgresql"
}

model Country {
  code        String @id @db.Char(2)
  name        String @db.VarChar(100)
  resetToken  String @db.Char(64)
  passWord    String @db.Char(32)
  region      String @db.Char(3)
}
"#;

    const MYSQL: &str = r#"datasource db {
  provider = "mysql"
}

model Country {
  code        String @id @db.Char(2)
  name        String @db.Char(100)
  resetToken  String @db.Char(64)
  passWord    String @db.Char(32)
  region      String @db.Char(3)
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(cases(ID, &[PG_FIXED_WIDTH_ONLY, MYSQL], &[PG]));
    }

    #[test]
    fn is_a_heuristic_with_an_unsafe_fix() {
        let f = schema_findings(ID, PG);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(
            f[0].confidence,
            prisma_audit_core::finding::Confidence::Heuristic
        );
        assert_eq!(fixed(ID, PG, false), PG);
        assert_eq!(
            fixed(ID, PG, true),
            PG.replace("@db.Char(100)", "@db.VarChar(100)")
        );
    }
}
