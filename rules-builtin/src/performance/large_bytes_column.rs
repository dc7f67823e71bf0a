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
                            "`{path}` stores file contents in a `Bytes` column: keep files in object storage and store their key in the row"
                        ),
                    )
                    .at(field.span)
                    .heuristic()
                    .help("Files in rows make every query without a `select` load them, bloat backups and replication and grow the most expensive storage you have. Upload the file to object storage (S3, GCS, R2...) and keep its key, size and content type here; if the bytes must stay in the database, move them to a separate one-to-one model."),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::schema_findings;

    const ID: &str = "large-bytes-column";

    fn pg(body: &str) -> String {
        format!("datasource db {{\n  provider = \"postgresql\"\n}}\n\n{body}")
    }

    #[test]
    fn reports_file_like_bytes() {
        let s = pg(
            "model Pet {\n  id        String @id\n  photo     Bytes\n  pdfData   Bytes?\n  avatarUrl String\n}\n\nmodel Attachment {\n  id   String @id\n  data Bytes\n}\n",
        );
        let f = schema_findings(ID, &s);
        let names: Vec<&str> = f
            .iter()
            .map(|x| x.message.split('`').nth(1).unwrap())
            .collect();
        assert_eq!(names, ["Pet.photo", "Pet.pdfData", "Attachment.data"]);
        assert_eq!(f[0].location.as_ref().unwrap().start.line, 7);
        assert!(f[0].fix.is_none());
        assert_eq!(
            f[0].confidence,
            prisma_audit_core::finding::Confidence::Heuristic
        );
    }

    #[test]
    fn small_binary_values_are_fine() {
        let s = pg(
            "model User {\n  id           String @id\n  passwordHash Bytes\n  salt         Bytes\n  iv           Bytes\n  fileKey      Bytes\n  imageHash    Bytes\n  data         Bytes\n}\n\nmodel Document {\n  id      String @id\n  content Bytes\n  state   Bytes\n}\n",
        );
        assert!(schema_findings(ID, &s).is_empty());
        let mysql = "datasource db {\n  provider = \"mysql\"\n}\n\nmodel Pet {\n  id        Int   @id\n  thumbnail Bytes @db.VarBinary(2048)\n  photo     Bytes @db.LongBlob\n}\n";
        let f = schema_findings(ID, mysql);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.starts_with("`Pet.photo`"));
        let mssql = "datasource db {\n  provider = \"sqlserver\"\n}\n\nmodel Pet {\n  id    Int   @id\n  photo Bytes @db.VarBinary(Max)\n}\n";
        assert_eq!(schema_findings(ID, mssql).len(), 1);
    }
}
