use super::{table_models, words};
use crate::schema_edit::field_path;
use prisma_audit_core::declare_rule;
use prisma_audit_core::model::{Field, Model, ScalarType};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports `Bytes` fields that look like stored files: the field name contains a file word
    /// (`file`, `image`, `photo`, `picture`, `avatar`, `attachment`, `document`, `pdf`, `blob`,
    /// `video`, `audio`, `thumbnail`, `scan`, `upload`), or a generic name (`data`, `content`,
    /// `bytes`, `body`, `raw`) on a model named like a file (`File`, `Attachment`, `Document`,
    /// `Image`, `Photo`, `Upload`, ...).
    ///
    /// Never reported: names containing `hash`, `key`, `token`, `salt`, `iv`, `nonce`,
    /// `signature`, `secret`, `checksum`, `digest`, `fingerprint`, `mac`, `cipher` or `id` —
    /// small binary values that belong in the database.
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
    "document",
    "documents",
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

fn looks_like_file(model: &Model, field: &Field) -> bool {
    let w = words(&field.name);
    if w.iter().any(|x| SMALL.contains(&x.as_str())) {
        return false;
    }
    if w.iter().any(|x| FILE_WORDS.contains(&x.as_str())) {
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
                    .help("Files in rows make every query without a `select` load them, bloat backups and replication and grow the most expensive storage you have. Upload the file to object storage (S3, GCS, R2...) and keep its key, size and content type here; if the bytes must stay in the database, move them to a separate one-to-one model."),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_util::schema_findings;

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
    }

    #[test]
    fn small_binary_values_are_fine() {
        let s = pg(
            "model User {\n  id           String @id\n  passwordHash Bytes\n  salt         Bytes\n  iv           Bytes\n  fileKey      Bytes\n  imageHash    Bytes\n  data         Bytes\n}\n",
        );
        assert!(schema_findings(ID, &s).is_empty());
    }
}
