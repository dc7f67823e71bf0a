use crate::support::fields::table_models;
use crate::support::naming::words;
use crate::support::schema_edit::field_path;
use prisma_audit_core::declare_rule;
use prisma_audit_core::model::{Field, Model, ScalarType};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports `Bytes` fields that look like stored files: the field name contains a file word
    /// (`file`, `image`, `photo`, `picture`, `avatar`, `attachment`, `document`, `pdf`, `blob`,
    /// `video`, `audio`, `thumbnail`, `scan`, `upload`), or a generic name (`data`, `content`,
    /// `bytes`, `body`, `raw`) on a model named like a file (`File`, `Attachment`, `Image`,
    /// `Photo`, `Upload`, ...), and the column has no size bound.
    ///
    /// Whether the bytes are a file is inferred from names, so findings are **heuristic**.
    /// Most `Bytes` columns are small values that belong in the database, and are never
    /// reported: names containing `hash`, `key`, `token`, `salt`, `iv`, `nonce`, `signature`,
    /// `secret`, `checksum`, `digest`, `fingerprint`, `mac`, `cipher` or `id`; any other name
    /// without a file word (CRDT states and updates, serialized models, payloads); and
    /// columns whose native type bounds their size (`@db.Binary(n)`, `@db.VarBinary(n)`,
    /// `@db.TinyBlob`, `@db.Blob`). A model named `Document` is not taken for a file: it is as
    /// often a collaborative text document whose content is a CRDT state.
    ///
    /// ## Why is this bad?
    /// Files in table rows make every `findMany` without a `select` load megabytes, bloat
    /// backups and replication, and grow the database (the most expensive storage you have).
    /// PostgreSQL `bytea` values are limited to 1 GB and are read whole; MongoDB documents to
    /// 16 MB.
    ///
    /// ## Example
    /// ```prisma
    /// model Pet {
    ///   id    String @id
    ///   photo Bytes
    /// }
    /// ```
    ///
    /// ## Fix
    /// Store the file in object storage (S3, GCS, R2, Vercel Blob...) and keep its key, size and
    /// content type in the row. If the bytes must stay, move them to a separate one-to-one
    /// model so ordinary queries do not load them.
    ///
    /// ## References
    /// - https://wiki.postgresql.org/wiki/BinaryFilesInDB
    /// - https://www.prisma.io/docs/orm/reference/prisma-schema-reference#bytes
    pub struct LargeBytesColumn;
    id = "large-bytes-column",
    summary = "Files stored in Bytes columns",
    category = Performance,
    severity = Low,
    fixable = false,
    enabled = true,
}

const FILE_WORDS: &[&str] = &[
    "file",
    "files",
    "image",
    "images",
    "img",
    "photo",
    "photos",
    "picture",
    "avatar",
    "attachment",
    "attachments",
    "pdf",
    "blob",
    "video",
    "audio",
    "thumbnail",
    "scan",
    "upload",
];
const GENERIC: &[&str] = &["data", "content", "bytes", "body", "raw", "binary", "blob"];
const SMALL: &[&str] = &[
    "hash",
    "key",
    "token",
    "salt",
    "iv",
    "nonce",
    "signature",
    "secret",
    "checksum",
    "digest",
    "fingerprint",
    "mac",
    "hmac",
    "cipher",
    "id",
    "uuid",
];

/// Words naming a file in a field name only (a `Document` model is often a text document).
const FILE_FIELD_WORDS: &[&str] = &["document", "documents"];

/// Native types that bound the column's size.
const BOUNDED: &[&str] = &["Binary", "VarBinary", "TinyBlob", "Blob", "Bit"];

fn looks_like_file(model: &Model, field: &Field) -> bool {
    let w = words(&field.name);
    if w.iter().any(|x| SMALL.contains(&x.as_str())) {
        return false;
    }
    if model.native_type_of(field).is_some_and(|nt| {
        BOUNDED.contains(&nt.ty.name.as_str())
            && nt
                .ty
                .args
                .first()
                .is_none_or(|a| !a.trim().eq_ignore_ascii_case("max"))
    }) {
        return false;
    }
    if w.iter()
        .any(|x| FILE_WORDS.contains(&x.as_str()) || FILE_FIELD_WORDS.contains(&x.as_str()))
    {
        return true;
    }
    let generic = w.len() == 1 && GENERIC.contains(&w[0].as_str());
    generic
        && words(&model.name)
            .iter()
            .any(|x| FILE_WORDS.contains(&x.as_str()))
}

impl Rule for LargeBytesColumn {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        for model in table_models(schema) {
            for field in model.scalar_fields() {
                if field.ty.as_scalar() != Some(ScalarType::Bytes)
                    || field.is_ignored()
                    || !looks_like_file(model, field)
                {
                    continue;
                }
                let path = field_path(schema, field);
                out.push(
                    RawFinding::new(
                        path.clone(),
                        format!(
                            "`{path}` stores file contents in a `Bytes` column: keep files in \
                             object storage and store their key in the row"
                        ),
                    )
                    .at(field.span)
                    .heuristic()
                    .help(
                        "Files in rows make every query without a `select` load them, bloat \
                         backups and replication and grow the most expensive storage you have. \
                         Upload the file to object storage (S3, GCS, R2...) and keep its key, size \
                         and content type here; if the bytes must stay in the database, move them \
                         to a separate one-to-one model.",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::cases;

    const ID: &str = "large-bytes-column";

    /// Names of files and documents.
    const FILE_LIKE: &str = r#"datasource db {
  provider = "postgresql"
}

model Pet {
  id        String @id
  photo     Bytes
  pdfData   Bytes?
  avatarUrl String
}

model Attachment {
  id   String @id
  data Bytes
}
"#;

    /// Hashes, salts, keys and small state blobs.
    const SMALL_VALUES: &str = r#"datasource db {
  provider = "postgresql"
}

model User {
  id           String @id
  passwordHash Bytes
  salt         Bytes
  iv           Bytes
  fileKey      Bytes
  imageHash    Bytes
  data         Bytes
}

model Document {
  id      String @id
  content Bytes
  state   Bytes
}
"#;

    /// A bounded `VarBinary` thumbnail passes, a `LongBlob` photo does not.
    const MYSQL: &str = r#"datasource db {
  provider = "mysql"
}

model Pet {
  id        Int   @id
  thumbnail Bytes @db.VarBinary(2048)
  photo     Bytes @db.LongBlob
}
"#;

    const SQL_SERVER_MAX: &str = r#"datasource db {
  provider = "sqlserver"
}

model Pet {
  id    Int   @id
  photo Bytes @db.VarBinary(Max)
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(cases(
            ID,
            &[SMALL_VALUES],
            &[FILE_LIKE, MYSQL, SQL_SERVER_MAX]
        ));
    }
}
