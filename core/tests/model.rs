//! End-to-end tests of the semantic model: PSL text → `syntax::parse` → `model::resolve`.
//! Expected diagnostics mirror `prisma validate` (6.19) on the same input.

use prisma_audit_core::diagnostic::{Diagnostic, DiagnosticLevel};
use prisma_audit_core::model::*;
use prisma_audit_core::rule::SchemaFile;
use prisma_audit_core::span::{FileId, Span};
use prisma_audit_core::syntax::parse;

struct Resolved {
    texts: Vec<String>,
    schema: Schema,
    diags: Vec<Diagnostic>,
}

impl Resolved {
    fn text(&self, span: Span) -> &str {
        self.texts
            .get(span.file.0 as usize)
            .and_then(|t| t.get(usize::from(span.range.start())..usize::from(span.range.end())))
            .unwrap_or("<bad span>")
    }
    /// (level, message, span text) of every diagnostic.
    fn all(&self) -> Vec<(DiagnosticLevel, String, String)> {
        self.diags
            .iter()
            .map(|d| (d.level, d.message.clone(), self.text(d.span).to_string()))
            .collect()
    }
    fn errors(&self) -> Vec<(String, String)> {
        self.all()
            .into_iter()
            .filter(|d| d.0 == DiagnosticLevel::Error)
            .map(|d| (d.1, d.2))
            .collect()
    }
    /// Exactly one error, containing `needle`, at `span_text`.
    fn assert_one_error(&self, needle: &str, span_text: &str) {
        let errors = self.errors();
        assert_eq!(errors.len(), 1, "expected one error, got {errors:#?}");
        let (msg, at) = &errors[0];
        assert!(msg.contains(needle), "{msg:?} does not contain {needle:?}");
        assert_eq!(at, span_text, "span of {msg:?}");
    }
    fn assert_clean(&self) {
        assert!(self.diags.is_empty(), "{:#?}", self.all());
    }
    fn model(&self, name: &str) -> &Model {
        self.schema
            .model(name)
            .unwrap_or_else(|| panic!("no model {name}"))
    }
    fn field(&self, model: &str, field: &str) -> &Field {
        self.schema
            .field_by_name(model, field)
            .unwrap_or_else(|| panic!("no field {model}.{field}"))
    }
    fn relation(&self, model: &str, field: &str) -> &Relation {
        self.schema
            .relation_of(self.field(model, field).id)
            .unwrap_or_else(|| panic!("{model}.{field} has no relation"))
    }
    fn name_of(&self, id: FieldId) -> String {
        let f = self.schema.field(id).expect("field");
        format!(
            "{}.{}",
            self.schema.model_by_id(id.model).expect("model").name,
            f.name
        )
    }
}

fn resolve_files(texts: &[&str]) -> Resolved {
    resolve_files_impl(texts, false)
}

fn resolve_files_impl(texts: &[&str], allow_syntax_errors: bool) -> Resolved {
    let files: Vec<SchemaFile> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| SchemaFile {
            file: FileId(i as u32),
            parse: parse(t),
        })
        .collect();
    for (i, f) in files.iter().enumerate() {
        assert!(
            allow_syntax_errors || f.parse.errors().is_empty(),
            "syntax errors in file {i}: {:?}",
            f.parse.errors()
        );
    }
    let (schema, diags) = resolve(&files);
    Resolved {
        texts: texts.iter().map(|t| t.to_string()).collect(),
        schema,
        diags,
    }
}

fn with_ds(provider: &str, extra: &str, body: &str) -> Resolved {
    let text = format!(
        "datasource db {{\n  provider = \"{provider}\"\n  url = env(\"DATABASE_URL\")\n  {extra}\n}}\n\n{body}"
    );
    resolve_files(&[&text])
}

fn pg(body: &str) -> Resolved {
    with_ds("postgresql", "", body)
}

const BLOG: &str = r#"
model User {
  id      Int     @id @default(autoincrement())
  email   String  @unique
  posts   Post[]
  drafts  Post[]  @relation("Drafts")
  profile Profile?
}

model Profile {
  id     Int  @id
  userId Int  @unique
  user   User @relation(fields: [userId], references: [id], onDelete: Cascade)
}

model Post {
  id        Int   @id
  authorId  Int
  author    User  @relation(fields: [authorId], references: [id])
  editorId  Int?
  editor    User? @relation("Drafts", fields: [editorId], references: [id])
}
"#;

// ---------------------------------------------------------------- referential actions

#[test]
fn implicit_referential_actions_follow_fk_arity() {
    let r = pg(BLOG);
    r.assert_clean();
    let required = r.relation("Post", "author");
    assert_eq!(required.on_delete.action, ReferentialAction::Restrict);
    assert!(!required.on_delete.explicit);
    assert_eq!(required.on_delete.span, None);
    assert_eq!(required.on_update.action, ReferentialAction::Cascade);
    assert!(!required.on_update.explicit);

    let optional = r.relation("Post", "editor");
    assert_eq!(optional.on_delete.action, ReferentialAction::SetNull);
    assert!(!optional.on_delete.explicit);
    assert_eq!(optional.on_update.action, ReferentialAction::Cascade);
}

#[test]
fn explicit_referential_action_is_recorded_with_its_span() {
    let r = pg(BLOG);
    let rel = r.relation("Profile", "user");
    assert_eq!(rel.on_delete.action, ReferentialAction::Cascade);
    assert!(rel.on_delete.explicit);
    assert_eq!(
        r.text(rel.on_delete.span.expect("span")),
        "onDelete: Cascade"
    );
    assert!(!rel.on_update.explicit);
}

#[test]
fn sql_server_required_relation_defaults_to_no_action() {
    let r = with_ds("sqlserver", "", BLOG);
    r.assert_clean();
    assert_eq!(
        r.relation("Post", "author").on_delete.action,
        ReferentialAction::NoAction
    );
    assert_eq!(
        r.relation("Post", "editor").on_delete.action,
        ReferentialAction::SetNull
    );
}

#[test]
fn restrict_is_rejected_on_sql_server() {
    let r = with_ds(
        "sqlserver",
        "",
        &BLOG.replace("onDelete: Cascade", "onDelete: Restrict"),
    );
    r.assert_one_error(
        "Invalid referential action: `Restrict`",
        "onDelete: Restrict",
    );
}

#[test]
fn relation_mode_prisma_has_no_foreign_keys_and_rejects_no_action_on_postgres() {
    let body = BLOG.replace("onDelete: Cascade", "onDelete: NoAction");
    let r = with_ds("postgresql", "relationMode = \"prisma\"", &body);
    assert!(!r.schema.supports_fk());
    assert_eq!(r.schema.relation_mode(), RelationMode::Prisma);
    assert_eq!(r.relation("Post", "author").fk_name, None);
    r.assert_one_error(
        "`NoAction` is not implemented for Postgres",
        "onDelete: NoAction",
    );
    // Defaults are the same as with foreign keys.
    assert_eq!(
        r.relation("Post", "author").on_delete.action,
        ReferentialAction::Restrict
    );

    let r = with_ds("mysql", "relationMode = \"prisma\"", &body);
    r.assert_clean();
}

#[test]
fn mongodb_implies_prisma_relation_mode() {
    let r = with_ds(
        "mongodb",
        "",
        "model A {\n  id String @id @default(auto()) @map(\"_id\") @db.ObjectId\n}\n",
    );
    r.assert_clean();
    assert_eq!(r.schema.relation_mode(), RelationMode::Prisma);
    assert!(!r.schema.supports_fk());
    assert!(!r.schema.provider().expect("provider").is_sql());
}

#[test]
fn set_null_on_required_fk_is_a_warning_on_postgres_and_an_error_elsewhere() {
    let body = BLOG.replace("onDelete: Cascade", "onDelete: SetNull");
    let r = pg(&body);
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
    let all = r.all();
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0].0, DiagnosticLevel::Warning);
    assert_eq!(all[0].2, "onDelete: SetNull");

    let r = with_ds("mysql", "", &body);
    r.assert_one_error("must not be set to `SetNull`", "onDelete: SetNull");
}

#[test]
fn set_default_on_mysql_is_only_a_warning() {
    let r = with_ds(
        "mysql",
        "",
        &BLOG.replace("onDelete: Cascade", "onDelete: SetDefault"),
    );
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
    let all = r.all();
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0].0, DiagnosticLevel::Warning);
    assert_eq!(all[0].2, "onDelete: SetDefault");
}

#[test]
fn unknown_referential_action_is_an_error() {
    let r = pg(&BLOG.replace("onDelete: Cascade", "onDelete: Explode"));
    r.assert_one_error("Invalid referential action: `Explode`", "onDelete: Explode");
    // The default stays in effect.
    let rel = r.relation("Profile", "user");
    assert_eq!(rel.on_delete.action, ReferentialAction::Restrict);
    assert!(!rel.on_delete.explicit);
}

// ---------------------------------------------------------------- relation pairing

#[test]
fn back_relations_pair_by_name_and_by_model_pair() {
    let r = pg(BLOG);
    let author = r.relation("Post", "author");
    assert_eq!(author.kind, RelationKind::OneToMany);
    assert_eq!(r.name_of(author.referencing), "Post.author");
    assert_eq!(r.name_of(author.referenced.expect("back")), "User.posts");
    assert_eq!(author.name, None);

    let editor = r.relation("User", "drafts");
    assert_eq!(editor.name.as_deref(), Some("Drafts"));
    assert_eq!(r.name_of(editor.referencing), "Post.editor");
    assert_eq!(
        r.schema
            .back_relation(r.field("User", "drafts").id)
            .map(|f| f.name.as_str()),
        Some("editor")
    );

    // Scalar FK fields and referenced fields.
    let author_field = r.field("Post", "author").id;
    let fks: Vec<String> = r
        .schema
        .fk_fields(author_field)
        .iter()
        .map(|f| r.name_of(*f))
        .collect();
    assert_eq!(fks, ["Post.authorId"]);
    let refs: Vec<String> = author.references.iter().map(|f| r.name_of(*f)).collect();
    assert_eq!(refs, ["User.id"]);
    // The back side has no FK fields.
    assert!(r.schema.fk_fields(r.field("User", "posts").id).is_empty());
    assert_eq!(r.schema.relations().len(), 3);
}

#[test]
fn one_to_one_fk_side_is_the_side_with_fields() {
    let r = pg(BLOG);
    let rel = r.relation("User", "profile");
    assert_eq!(rel.kind, RelationKind::OneToOne);
    assert_eq!(r.name_of(rel.referencing), "Profile.user");
    assert_eq!(r.name_of(rel.referenced.expect("back")), "User.profile");
    assert_eq!(rel.referencing_model, r.model("Profile").id);
    assert_eq!(rel.referenced_model, r.model("User").id);
    assert_eq!(rel.fk_name.as_deref(), Some("Profile_userId_fkey"));
}

#[test]
fn self_relations_pair_within_the_model() {
    let r = pg(r#"
model Employee {
  id        Int        @id
  managerId Int?
  manager   Employee?  @relation("Reports", fields: [managerId], references: [id])
  reports   Employee[] @relation("Reports")
  followers Employee[] @relation("Follows")
  following Employee[] @relation("Follows")
}
"#);
    r.assert_clean();
    let reports = r.relation("Employee", "reports");
    assert!(reports.is_self);
    assert_eq!(reports.kind, RelationKind::OneToMany);
    assert_eq!(r.name_of(reports.referencing), "Employee.manager");
    assert_eq!(reports.on_delete.action, ReferentialAction::SetNull);

    let follows = r.relation("Employee", "followers");
    assert_eq!(follows.kind, RelationKind::ManyToMany);
    assert!(follows.is_self);
    assert_eq!(follows.join_table.as_deref(), Some("_Follows"));
    assert_eq!(
        r.name_of(
            follows
                .other_end(r.field("Employee", "followers").id)
                .expect("end")
        ),
        "Employee.following"
    );
}

#[test]
fn implicit_many_to_many_gets_a_join_table_that_cascades() {
    let r = pg(r#"
model Tag {
  id    Int    @id
  posts Post[]
  liked Post[] @relation("Likes")
}
model Post {
  id     Int   @id
  tags   Tag[]
  likers Tag[] @relation("Likes")
}
"#);
    r.assert_clean();
    let rel = r.relation("Post", "tags");
    assert_eq!(rel.kind, RelationKind::ManyToMany);
    assert_eq!(rel.join_table.as_deref(), Some("_PostToTag"));
    assert_eq!(r.name_of(rel.referencing), "Post.tags");
    assert_eq!(rel.on_delete.action, ReferentialAction::Cascade);
    assert_eq!(rel.on_update.action, ReferentialAction::Cascade);
    assert!(rel.fields.is_empty());
    assert_eq!(rel.fk_name, None);
    assert_eq!(
        r.relation("Tag", "liked").join_table.as_deref(),
        Some("_Likes")
    );
}

// ---------------------------------------------------------------- native types & names

#[test]
fn effective_native_types_per_provider() {
    let body = r#"
model T {
  id  Int      @id
  s   String
  d   Decimal
  t   DateTime
  j   Json
  b   Bytes
  f   Float
  v   String   @db.VarChar(255)
}
"#;
    let expect = [
        (
            "postgresql",
            [
                "integer",
                "text",
                "decimal(65,30)",
                "timestamp(3)",
                "jsonb",
                "bytea",
                "double precision",
            ],
        ),
        (
            "cockroachdb",
            [
                "INT4",
                "STRING",
                "DECIMAL(65,30)",
                "TIMESTAMP(3)",
                "JSONB",
                "BYTES",
                "FLOAT8",
            ],
        ),
        (
            "mysql",
            [
                "int",
                "varchar(191)",
                "decimal(65,30)",
                "datetime(3)",
                "json",
                "longblob",
                "double",
            ],
        ),
    ];
    for (provider, types) in expect {
        let r = with_ds(
            provider,
            "",
            &body.replace(
                "@db.VarChar(255)",
                if provider == "cockroachdb" {
                    "@db.String(255)"
                } else {
                    "@db.VarChar(255)"
                },
            ),
        );
        r.assert_clean();
        let p = r.schema.provider().expect("provider");
        let m = r.model("T");
        for (field, want) in ["id", "s", "d", "t", "j", "b", "f"].iter().zip(types) {
            let got = r
                .schema
                .effective_native_type(m.field(field).expect("field"))
                .map(|t| t.sql(p));
            assert_eq!(got.as_deref(), Some(want), "{provider} {field}");
        }
        let v = r
            .schema
            .effective_native_type(m.field("v").expect("v"))
            .expect("v type");
        assert_eq!(v.args.as_slice(), ["255"]);
        assert_eq!(
            r.text(
                m.native_type_of(m.field("v").expect("v"))
                    .expect("attr")
                    .span
            ),
            if provider == "cockroachdb" {
                "@db.String(255)"
            } else {
                "@db.VarChar(255)"
            }
        );
    }
}

#[test]
fn sqlite_and_sql_server_defaults() {
    let t = |provider: Provider, s: ScalarType| {
        default_native_type(provider, s).map(|t| t.sql(provider))
    };
    assert_eq!(
        t(Provider::Sqlite, ScalarType::String).as_deref(),
        Some("TEXT")
    );
    assert_eq!(
        t(Provider::Sqlite, ScalarType::Float).as_deref(),
        Some("REAL")
    );
    assert_eq!(
        t(Provider::Sqlite, ScalarType::DateTime).as_deref(),
        Some("DATETIME")
    );
    assert_eq!(
        t(Provider::Sqlite, ScalarType::Bytes).as_deref(),
        Some("BLOB")
    );
    assert_eq!(
        t(Provider::SqlServer, ScalarType::String).as_deref(),
        Some("NVARCHAR(1000)")
    );
    assert_eq!(
        t(Provider::SqlServer, ScalarType::Decimal).as_deref(),
        Some("DECIMAL(32,16)")
    );
    assert_eq!(
        t(Provider::SqlServer, ScalarType::DateTime).as_deref(),
        Some("DATETIME2")
    );
    assert_eq!(t(Provider::SqlServer, ScalarType::Json), None);
    assert_eq!(
        t(Provider::MySql, ScalarType::Boolean).as_deref(),
        Some("tinyint(1)")
    );
    assert_eq!(
        t(Provider::PostgreSql, ScalarType::Boolean).as_deref(),
        Some("boolean")
    );
}

#[test]
fn db_names_follow_map_and_prisma_default_constraint_names() {
    let r = pg(r#"
model User {
  id    Int    @id
  posts Post[]
  @@map("users")
}
model Post {
  id       Int    @id @map("post_id")
  authorId Int    @map("author_id")
  author   User   @relation(fields: [authorId], references: [id])
  slug     String
  lang     String
  title    String
  @@unique([slug, lang])
  @@index([authorId])
  @@index([title], map: "custom_title")
  @@map("posts")
}
"#);
    r.assert_clean();
    assert_eq!(r.model("User").db_name(), "users");
    let post = r.model("Post");
    assert_eq!(post.db_name(), "posts");
    assert_eq!(post.field("authorId").expect("f").db_name(), "author_id");
    assert_eq!(post.field("slug").expect("f").db_name(), "slug");
    let names: Vec<(IndexKind, String)> = post
        .indexes()
        .iter()
        .map(|i| (i.kind, r.schema.index_db_name(post, i)))
        .collect();
    assert_eq!(
        names,
        [
            (IndexKind::Primary, "posts_pkey".to_string()),
            (IndexKind::Unique, "posts_slug_lang_key".to_string()),
            (IndexKind::Normal, "posts_author_id_idx".to_string()),
            (IndexKind::Normal, "custom_title".to_string()),
        ]
    );
    assert_eq!(
        r.relation("Post", "author").fk_name.as_deref(),
        Some("posts_author_id_fkey")
    );
}

#[test]
fn index_columns_carry_sort_length_ops_and_type() {
    let r = pg(r#"
model Doc {
  id    Int    @id
  title String @unique(map: "doc_title", sort: Desc)
  body  String
  meta  Json
  @@index([title(sort: Desc), body], type: BTree, name: "by_text")
  @@index([meta(ops: JsonbPathOps)], type: Gin)
  @@index([body(ops: raw("gin_trgm_ops"))], type: Gin)
  @@unique(fields: [title, body], name: "title_body", map: "tb")
}
"#);
    r.assert_clean();
    let doc = r.model("Doc");
    let idx = doc.indexes();
    assert_eq!(idx.len(), 6);
    assert_eq!(idx[0].kind, IndexKind::Primary);
    assert!(matches!(idx[0].source, IndexSource::Field(_)));
    assert_eq!(idx[1].kind, IndexKind::Unique);
    assert_eq!(idx[1].map.as_deref(), Some("doc_title"));
    assert_eq!(idx[1].fields[0].sort, Some(SortOrder::Desc));
    assert_eq!(
        r.text(idx[1].span),
        "@unique(map: \"doc_title\", sort: Desc)"
    );

    let text = &idx[2];
    assert_eq!(text.kind, IndexKind::Normal);
    assert_eq!(text.algorithm, Some(IndexAlgorithm::BTree));
    assert_eq!(text.name.as_deref(), Some("by_text"));
    assert_eq!(text.fields.len(), 2);
    assert_eq!(text.fields[0].name, "title");
    assert_eq!(text.fields[0].sort, Some(SortOrder::Desc));
    assert_eq!(text.fields[1].sort, None);
    assert_eq!(idx[3].fields[0].ops.as_deref(), Some("JsonbPathOps"));
    assert_eq!(idx[3].algorithm, Some(IndexAlgorithm::Gin));
    assert_eq!(r.schema.index_db_name(doc, &idx[3]), "Doc_meta_idx");
    assert_eq!(
        idx[4].fields[0].ops.as_deref(),
        Some("raw(\"gin_trgm_ops\")")
    );
    assert_eq!(
        r.text(idx[4].fields[0].span),
        "body(ops: raw(\"gin_trgm_ops\"))"
    );
    assert_eq!(idx[5].name.as_deref(), Some("title_body"));
    assert_eq!(idx[5].map.as_deref(), Some("tb"));
    assert_eq!(r.schema.index_db_name(doc, &idx[5]), "tb");
    assert!(doc.has_unique_criteria());
}

// ---------------------------------------------------------------- fields & attributes

#[test]
fn field_types_arity_defaults_and_attributes() {
    let r = pg(r#"
/// A user.
model User {
  /// Primary key.
  id        String   @id @default(uuid(7))
  c         String   @default(cuid(2))
  n         String   @default(nanoid(16))
  g         String   @default(dbgenerated("gen_random_uuid()"))
  role      Role     @default(ADMIN)
  tags      String[] @default(["a", "b"])
  age       Int?     @default(18)
  active    Boolean  @default(true)
  createdAt DateTime @default(now())
  updatedAt DateTime @updatedAt
  legacy    Unsupported("circle")?
  old       String?  @ignore
  address   Address?
}

enum Role {
  ADMIN @map("admin")
  USER
  @@map("roles")
}

type Address {
  street String
}
"#);
    // Composite types are MongoDB-only.
    r.assert_one_error("Composite types are not supported", "Address");
    let u = r.model("User");
    assert_eq!(u.doc.as_deref(), Some("A user."));
    let id = u.field("id").expect("id");
    assert_eq!(id.doc.as_deref(), Some("Primary key."));
    assert_eq!(id.ty, FieldType::Scalar(ScalarType::String));
    assert!(u.id_of(id).is_some());
    let d = |name: &str| {
        u.field(name)
            .and_then(|f| u.default_of(f).cloned())
            .map(|d| d.kind)
    };
    assert_eq!(d("id"), Some(DefaultKind::Uuid(Some(7))));
    assert_eq!(d("c"), Some(DefaultKind::Cuid(Some(2))));
    assert_eq!(d("n"), Some(DefaultKind::Nanoid(Some(16))));
    assert_eq!(
        d("g"),
        Some(DefaultKind::DbGenerated(Some("gen_random_uuid()".into())))
    );
    assert_eq!(d("role"), Some(DefaultKind::EnumValue("ADMIN".into())));
    assert_eq!(
        d("tags"),
        Some(DefaultKind::List(vec![
            DefaultKind::String("a".into()),
            DefaultKind::String("b".into())
        ]))
    );
    assert_eq!(d("age"), Some(DefaultKind::Number("18".into())));
    assert_eq!(d("active"), Some(DefaultKind::Boolean(true)));
    assert_eq!(d("createdAt"), Some(DefaultKind::Now));
    let created = u.field("createdAt").expect("f");
    assert_eq!(
        r.text(u.default_of(created).expect("d").span),
        "@default(now())"
    );
    assert_eq!(r.text(created.name_span), "createdAt");
    assert_eq!(r.text(created.span), "createdAt DateTime @default(now())");
    assert!(u.field("updatedAt").expect("f").updated_at.is_some());
    assert!(u.field("tags").expect("f").is_list());
    assert!(u.field("age").expect("f").is_optional());
    let legacy = u.field("legacy").expect("f");
    assert_eq!(legacy.ty, FieldType::Unsupported("circle".into()));
    assert!(u.field("old").expect("f").is_ignored());
    assert!(matches!(u.field("role").expect("f").ty, FieldType::Enum(_)));
    assert!(matches!(
        u.field("address").expect("f").ty,
        FieldType::Composite(_)
    ));

    let role = r.schema.enum_("Role").expect("enum");
    assert_eq!(role.db_name(), "roles");
    assert_eq!(role.value("ADMIN").expect("v").db_name(), "admin");
    assert_eq!(role.value("USER").expect("v").db_name(), "USER");
    assert_eq!(
        r.schema
            .composite_type("Address")
            .expect("type")
            .fields
            .len(),
        1
    );
}

#[test]
fn views_are_separate_from_models() {
    let body = "model A {\n  id Int @id\n}\nview V {\n  id Int\n}\n";
    pg(body).assert_one_error("only available with the `views` preview feature", "V");
    let generator =
        "generator c {\n  provider = \"prisma-client-js\"\n  previewFeatures = [\"views\"]\n}\n";
    let r = pg(&format!("{generator}{body}"));
    r.assert_clean();
    assert_eq!(
        r.schema
            .models()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>(),
        ["A"]
    );
    assert_eq!(
        r.schema
            .views()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>(),
        ["V"]
    );
    assert!(r.model("V").is_view);
}

#[test]
fn datasource_and_generator_configuration() {
    let r = resolve_files(&[r#"
generator client {
  provider        = "prisma-client-js"
  output          = "../generated"
  previewFeatures = ["multiSchema", "postgresqlExtensions"]
  binaryTargets   = ["native", "debian-openssl-3.0.x"]
  engineType      = "library"
  custom          = "x"
}

datasource db {
  provider          = "postgresql"
  url               = env("DATABASE_URL")
  directUrl         = "postgresql://direct"
  shadowDatabaseUrl = env("SHADOW")
  extensions        = [pg_trgm, uuid_ossp(map: "uuid-ossp", schema: "ext")]
  schemas           = ["public", "auth"]
}
"#]);
    r.assert_clean();
    let ds = r.schema.datasource().expect("ds");
    assert_eq!(ds.name, "db");
    assert_eq!(ds.provider, Some(Provider::PostgreSql));
    assert_eq!(
        ds.url.as_ref().map(|u| u.value.clone()),
        Some(ConfigValue::Env("DATABASE_URL".into()))
    );
    assert_eq!(
        r.text(ds.url.as_ref().expect("url").value_span),
        "env(\"DATABASE_URL\")"
    );
    assert_eq!(
        ds.direct_url.as_ref().map(|u| u.value.clone()),
        Some(ConfigValue::Literal("postgresql://direct".into()))
    );
    assert_eq!(
        ds.shadow_database_url
            .as_ref()
            .and_then(|u| u.value.as_env()),
        Some("SHADOW")
    );
    assert_eq!(
        ds.extensions
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>(),
        ["pg_trgm", "uuid_ossp"]
    );
    assert_eq!(ds.extensions[1].map.as_deref(), Some("uuid-ossp"));
    assert_eq!(ds.extensions[1].schema.as_deref(), Some("ext"));
    assert_eq!(
        ds.schemas
            .iter()
            .map(|s| s.value.as_str())
            .collect::<Vec<_>>(),
        ["public", "auth"]
    );
    assert_eq!(ds.relation_mode(), RelationMode::ForeignKeys);
    assert!(r.schema.supports_fk());

    let g = r.schema.generator("client").expect("generator");
    assert_eq!(
        g.provider,
        Some(ConfigValue::Literal("prisma-client-js".into()))
    );
    assert_eq!(g.output, Some(ConfigValue::Literal("../generated".into())));
    assert!(g.has_preview_feature("multischema"));
    assert_eq!(g.binary_targets.len(), 2);
    assert_eq!(g.engine_type.as_deref(), Some("library"));
    assert_eq!(
        g.entry("custom").map(|e| e.value.clone()),
        Some(ConfigValue::Literal("x".into()))
    );
}

// ---------------------------------------------------------------- multi-file

#[test]
fn multi_file_schemas_are_one_namespace() {
    let r = resolve_files(&[
        "datasource db {\n  provider = \"postgresql\"\n}\n",
        "model User {\n  id    Int    @id\n  posts Post[]\n}\n",
        "model Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n",
    ]);
    r.assert_clean();
    let rel = r.relation("User", "posts");
    assert_eq!(r.name_of(rel.referencing), "Post.author");
    let author = r.field("Post", "author");
    assert_eq!(author.name_span.file, FileId(2));
    assert_eq!(r.text(author.name_span), "author");
    assert_eq!(r.model("User").span.file, FileId(1));
}

#[test]
fn duplicate_model_across_files_is_an_error_at_the_second_name() {
    let r = resolve_files(&[
        "datasource db {\n  provider = \"postgresql\"\n}\nmodel User {\n  id Int @id\n}\n",
        "model User {\n  id Int @id\n}\n",
    ]);
    r.assert_one_error(
        "The model \"User\" cannot be defined because a model with that name already exists",
        "User",
    );
    assert_eq!(r.diags[0].span.file, FileId(1));
    assert_eq!(r.schema.models.len(), 1);
}

// ---------------------------------------------------------------- diagnostics

#[test]
fn unknown_type() {
    let r = pg("model A {\n  id Int @id\n  b  Bogus?\n}\n");
    r.assert_one_error("Type \"Bogus\" is neither a built-in type", "Bogus?");
}

#[test]
fn missing_back_relation() {
    let r = pg(
        "model A {\n  id Int @id\n}\nmodel B {\n  id  Int @id\n  aId Int\n  a   A   @relation(fields: [aId], references: [id])\n}\n",
    );
    r.assert_one_error(
        "is missing an opposite relation field on the model `A`",
        "a   A   @relation(fields: [aId], references: [id])",
    );
}

#[test]
fn ambiguous_unnamed_relations() {
    let r = pg(r#"
model User {
  id     Int    @id
  posts  Post[]
}
model Post {
  id       Int  @id
  aId      Int
  a        User @relation(fields: [aId], references: [id])
  bId      Int
  b        User @relation(fields: [bId], references: [id])
}
"#);
    let errors = r.errors();
    assert!(
        errors.iter().any(|(m, at)| m
            .contains("Ambiguous relation detected. The fields `a` and `b`")
            && at.starts_with("b        User")),
        "{errors:#?}"
    );
}

#[test]
fn fields_references_arity_mismatch() {
    let r = pg(&BLOG.replace(
        "fields: [authorId], references: [id]",
        "fields: [authorId, editorId], references: [id]",
    ));
    r.assert_one_error(
        "You must specify the same number of fields in `fields` and `references`",
        "@relation(fields: [authorId, editorId], references: [id])",
    );
}

#[test]
fn references_to_missing_fields() {
    let r = pg(&BLOG.replace(
        "fields: [authorId], references: [id]",
        "fields: [authorId], references: [uid]",
    ));
    r.assert_one_error(
        "The following fields do not exist in the related model: uid",
        "uid",
    );
    let r = pg(&BLOG.replace(
        "fields: [authorId], references: [id]",
        "fields: [writerId], references: [id]",
    ));
    r.assert_one_error(
        "The following fields do not exist in this model: writerId",
        "writerId",
    );
}

#[test]
fn references_must_be_unique_and_types_must_match() {
    let r = pg(&BLOG
        .replace("authorId  Int\n", "authorId  String\n")
        .replace(
            "references: [id])\n  editorId",
            "references: [email])\n  editorId",
        ));
    r.assert_clean();
    let r = pg(&BLOG.replace("authorId  Int\n", "authorId  String\n"));
    r.assert_one_error(
        "is not matching the type of the referenced field `id`",
        "authorId",
    );
    let r = pg(&BLOG
        .replace("email   String  @unique", "email   String")
        .replace("authorId  Int\n", "authorId  String\n")
        .replace(
            "references: [id])\n  editorId",
            "references: [email])\n  editorId",
        ));
    r.assert_one_error(
        "must refer to a unique criterion",
        "@relation(fields: [authorId], references: [email])",
    );
}

#[test]
fn required_relation_over_optional_fk_and_required_one_to_one_back_side() {
    let r = pg(&BLOG.replace("authorId  Int\n", "authorId  Int?\n"));
    r.assert_one_error(
        "Hence the relation field must be optional as well",
        "author    User  @relation(fields: [authorId], references: [id])",
    );
    let r = pg(&BLOG.replace("profile Profile?", "profile Profile"));
    r.assert_one_error(
        "The relation field `profile` on Model `User` is required",
        "profile Profile",
    );
    let r = pg(&BLOG.replace("userId Int  @unique", "userId Int"));
    r.assert_one_error(
        "A one-to-one relation must use unique fields on the defining side",
        "@relation(fields: [userId], references: [id], onDelete: Cascade)",
    );
}

#[test]
fn duplicate_fields_and_enum_values() {
    let r = pg("model A {\n  id Int @id\n  id String\n}\n");
    r.assert_one_error("Field \"id\" is already defined on model \"A\"", "id");
    let second = r.texts[0].rfind("id String").expect("second id");
    assert_eq!(usize::from(r.diags[0].span.range.start()), second);
    let r = pg("model A {\n  id Int @id\n}\nenum E {\n  X\n  X\n}\n");
    r.assert_one_error("Value \"X\" is already defined on enum \"E\"", "X");
}

/// Field attributes live in one list per model; each field reads its own slice, and a dropped
/// duplicate field leaves nothing behind in that list.
#[test]
fn field_attributes_as_written() {
    let r = pg("model A {\n  id Int @id @default(autoincrement())\n  \
                id String @unique @map(\"x\")\n  name String @map(\"n\") @db.Text\n  \
                plain Int\n}\n");
    r.assert_one_error("Field \"id\" is already defined on model \"A\"", "id");
    let model = r.model("A");
    let written = |field: &str| -> Vec<(String, String)> {
        model
            .attributes_of(r.field("A", field))
            .iter()
            .map(|a| (a.value.to_string(), r.text(a.span).to_string()))
            .collect()
    };
    let pair = |n: &str, t: &str| (n.to_string(), t.to_string());
    assert_eq!(
        written("id"),
        [
            pair("id", "@id"),
            pair("default", "@default(autoincrement())")
        ]
    );
    assert_eq!(
        written("name"),
        [pair("map", "@map(\"n\")"), pair("db.Text", "@db.Text")]
    );
    assert!(written("plain").is_empty());
    assert_eq!(
        model.field_attributes.len(),
        4,
        "the duplicate's attributes are dropped"
    );
}

#[test]
fn field_details_per_field() {
    // The duplicate `b` (with its `@relation`, `@unique` and `@default`) is dropped; the details
    // of the fields around it must stay theirs.
    let r = pg(
        "model A {\n  id Int @id @default(autoincrement()) @db.Integer\n  \
                bId Int @unique\n  b B @relation(\"x\", fields: [bId], references: [id])\n  \
                b B? @relation(\"y\") @unique @default(1)\n  \
                c String @unique @db.VarChar(3)\n  plain Int\n}\n\
                model B {\n  id Int @id\n  a A[] @relation(\"x\")\n}\n",
    );
    r.assert_one_error("Field \"b\" is already defined on model \"A\"", "b");
    let a = r.model("A");
    // The source text of an attribute, "" when absent.
    let text = |s: Option<Span>| s.map_or(String::new(), |s| r.text(s).to_string());
    let field = |n: &str| r.field("A", n);
    let native = |f: &Field| a.native_type_of(f).map(|n| n.ty.to_string());
    let id = field("id");
    assert_eq!(text(a.id_of(id).map(|x| x.span)), "@id");
    assert_eq!(
        text(a.default_of(id).map(|x| x.span)),
        "@default(autoincrement())"
    );
    assert_eq!(native(id).as_deref(), Some("Integer"));
    assert!(a.unique_of(id).is_none() && a.relation_attr_of(id).is_none());
    let b = field("b");
    let rel = a.relation_attr_of(b).expect("@relation on b");
    assert_eq!(rel.name.as_ref().map(|n| n.value.as_str()), Some("x"));
    assert!(a.unique_of(b).is_none() && a.default_of(b).is_none());
    let c = field("c");
    assert_eq!(text(a.unique_of(c).map(|x| x.span)), "@unique");
    assert_eq!(native(c).as_deref(), Some("VarChar(3)"));
    assert!(a.relation_attr_of(c).is_none() && a.id_of(c).is_none());
    let plain = field("plain");
    assert!(
        a.id_of(plain).is_none()
            && a.unique_of(plain).is_none()
            && a.default_of(plain).is_none()
            && a.native_type_of(plain).is_none()
            && a.relation_attr_of(plain).is_none()
    );
    // The schema finds a field's owner from the field alone.
    assert_eq!(
        r.schema
            .details_of(c)
            .and_then(|d| d.native_type(c))
            .map(|n| n.ty.to_string())
            .as_deref(),
        Some("VarChar(3)")
    );
    assert_eq!(r.schema.relations().len(), 1);
}

#[test]
fn more_than_one_datasource_and_missing_datasource() {
    let r = resolve_files(&[
        "datasource db {\n  provider = \"postgresql\"\n}\ndatasource other {\n  provider = \"mysql\"\n}\nmodel A {\n  id Int @id\n}\n",
    ]);
    r.assert_one_error("You defined more than one datasource", "other");
    assert_eq!(r.schema.provider(), Some(Provider::PostgreSql));

    let r = resolve_files(&["model A {\n  id Int @id\n}\n"]);
    assert!(r.errors().is_empty());
    let all = r.all();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].0, DiagnosticLevel::Warning);
    assert!(r.schema.supports_fk());
}

#[test]
fn unknown_provider_is_an_error() {
    let r = resolve_files(&["datasource db {\n  provider = \"oracle\"\n}\n"]);
    r.assert_one_error("Datasource provider not known: \"oracle\"", "\"oracle\"");
    assert_eq!(r.schema.provider(), None);
    let r = resolve_files(&["datasource db {\n  provider = \"prisma+postgres\"\n}\n"]);
    r.assert_clean();
    assert_eq!(r.schema.provider(), Some(Provider::PostgreSql));
}

#[test]
fn url_in_datasource_is_recorded_not_rejected() {
    let r = pg("model A {\n  id Int @id\n}\n");
    r.assert_clean();
    assert!(r.schema.datasource().and_then(|d| d.url.as_ref()).is_some());
}

#[test]
fn model_without_unique_criteria() {
    let r = pg("model A {\n  a Int? @unique\n  b Int\n}\n");
    r.assert_one_error("Each model must have at least one unique criteria", "A");
    // Ignored models and views are exempt; @@id and @@unique count.
    pg("model A {\n  a Int\n  @@ignore\n}\n").assert_clean();
    pg("generator c {\n  provider = \"prisma-client-js\"\n  previewFeatures = [\"views\"]\n}\nview A {\n  a Int\n}\n")
        .assert_clean();
    pg("model A {\n  a Int\n  b Int\n  @@id([a, b])\n}\n").assert_clean();
    pg("model A {\n  a Int\n  b Int\n  @@unique([a, b])\n}\n").assert_clean();
}

#[test]
fn unknown_attributes() {
    let r = pg("model A {\n  id Int @id @foo\n}\n");
    r.assert_one_error("Attribute not known: \"@foo\"", "@foo");
    let r = pg("model A {\n  id Int @id\n  @@bar\n}\n");
    r.assert_one_error("Attribute not known: \"@bar\"", "@@bar");
    // A native type with the wrong datasource prefix.
    let r = pg("model A {\n  id String @id @pg.Uuid\n}\n");
    r.assert_one_error("The prefix pg is invalid", "@pg.Uuid");
}

#[test]
fn native_type_checks() {
    let r = pg("model A {\n  id Int @id @db.VarChar(10)\n}\n");
    r.assert_one_error(
        "Native type VarChar is not compatible with declared field type Int",
        "@db.VarChar(10)",
    );
    let r = pg("model A {\n  id Int @id @db.TinyInt\n}\n");
    r.assert_one_error(
        "Native type TinyInt is not supported for postgresql connector",
        "@db.TinyInt",
    );
}

#[test]
fn default_type_mismatches() {
    let r = pg("model A {\n  id Int @id\n  k  Int @default(\"5\")\n}\n");
    r.assert_one_error("Expected a Int value, but found `\"5\"`", "\"5\"");
    let r = pg("model A {\n  id Int @id\n  s  String @default(5)\n}\n");
    r.assert_one_error("Expected a String value, but found `5`", "5");
    let r = pg("model A {\n  id String @id @default(autoincrement())\n}\n");
    r.assert_one_error(
        "The function `autoincrement()` cannot be used on fields of type `String`",
        "autoincrement()",
    );
    let r = pg("model A {\n  id Int @id\n  r  R @default(C)\n}\nenum R {\n  A\n  B\n}\n");
    r.assert_one_error("not a valid value of the enum", "C");
    let r = pg("model A {\n  id Int @id\n  u  Int @updatedAt\n}\n");
    r.assert_one_error("must be of type DateTime", "@updatedAt");
}

#[test]
fn unsupported_fields_cannot_be_ignored() {
    let r = pg("model A {\n  id Int @id\n  c  Unsupported(\"circle\") @ignore\n}\n");
    r.assert_one_error(
        "Fields of type `Unsupported` cannot take an `@ignore` attribute",
        "@ignore",
    );
}

#[test]
fn optional_and_unsupported_lists() {
    // `Type[]?` is a syntax error (reported by the parser); the model does not repeat it and
    // lowers the field as a list.
    let text = "datasource db {\n  provider = \"postgresql\"\n}\nmodel A {\n  id Int @id\n  t  String[]?\n}\n";
    assert_eq!(parse(text).errors().len(), 1);
    let r = resolve_files_impl(&[text], true);
    r.assert_clean();
    assert!(r.field("A", "t").is_list());
    let r = with_ds("mysql", "", "model A {\n  id Int @id\n  t  String[]\n}\n");
    r.assert_one_error("can't be a list", "String[]");
}

#[test]
fn implicit_many_to_many_requires_ids_and_no_fields() {
    let r = pg(
        "model Tag {\n  name  String @unique\n  posts Post[]\n}\nmodel Post {\n  id   Int   @id\n  tags Tag[]\n}\n",
    );
    r.assert_one_error("does not have an `@id` field", "tags Tag[]");
}

#[test]
fn one_to_many_back_side_must_not_have_fields() {
    let r = pg(&BLOG.replace(
        "posts   Post[]\n",
        "posts   Post[] @relation(onDelete: Cascade)\n",
    ));
    r.assert_one_error(
        "must not specify the `fields`, `references`, `onDelete` or `onUpdate`",
        "@relation(onDelete: Cascade)",
    );
}

#[test]
fn singular_side_without_fields() {
    let r = pg("model A {\n  id Int @id\n  bs B[]\n}\nmodel B {\n  id Int @id\n  a  A\n}\n");
    r.assert_one_error("must specify the `fields` argument", "a  A");
}

// ---------------------------------------------------------------- robustness

#[test]
fn every_prefix_of_a_schema_resolves_without_panicking() {
    let text = format!(
        "datasource db {{\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}}\n{BLOG}\nenum R {{\n  A @map(\"a\")\n}}\nmodel Z {{\n  id Int @id @default(dbgenerated(\"1\"))\n  @@index([id(sort: Desc)], type: Hash)\n}}\n"
    );
    let mut end = 0;
    while end <= text.len() {
        if text.is_char_boundary(end) {
            let prefix = &text[..end];
            let files = [SchemaFile {
                file: FileId(0),
                parse: parse(prefix),
            }];
            let (_schema, diags) = resolve(&files);
            for d in diags {
                assert!(
                    usize::from(d.span.range.end()) <= prefix.len(),
                    "span past end: {d:?}"
                );
            }
        }
        end += 1;
    }
}

#[test]
fn deleting_any_one_character_never_panics() {
    let text = format!(
        "datasource db {{\n  provider = \"postgresql\"\n}}\n{BLOG}\nmodel T {{\n  a Int\n  b Int\n  @@id([a, b])\n  @@index([b(sort: Desc)], map: \"x\")\n}}\n"
    );
    for (i, c) in text.char_indices() {
        let mut broken = text.clone();
        broken.replace_range(i..i + c.len_utf8(), "");
        let files = [SchemaFile {
            file: FileId(0),
            parse: parse(&broken),
        }];
        let (schema, _diags) = resolve(&files);
        // The model API stays usable on broken input.
        for m in &schema.models {
            let _ = m.indexes();
            let _ = m.has_unique_criteria();
            for f in &m.fields {
                let _ = schema.effective_native_type(f);
                let _ = schema.fk_fields(f.id);
            }
        }
    }
}

// ---------------------------------------------------------------- connector support

#[test]
fn fulltext_index_only_on_mysql_and_mongodb() {
    let body = "model Post {\n  id    Int    @id\n  title String\n  body  String\n\n  @@fulltext([title, body])\n}\n";
    for provider in ["postgresql", "sqlite", "sqlserver", "cockroachdb"] {
        with_ds(provider, "", body).assert_one_error(
            "Error parsing attribute \"@@fulltext\": Defining fulltext indexes is not supported \
             with the current connector.",
            "@@fulltext([title, body])",
        );
    }
    assert_eq!(with_ds("mysql", "", body).errors(), vec![]);
    let mongo = "model Post {\n  id    String @id @map(\"_id\") @db.ObjectId\n  title String\n\n  @@fulltext([title])\n}\n";
    assert_eq!(with_ds("mongodb", "", mongo).errors(), vec![]);
}

#[test]
fn sequence_default_only_on_cockroachdb() {
    let body = "model Ticket {\n  id Int @id @default(sequence(start: 5))\n}\n";
    for provider in ["postgresql", "mysql", "sqlite", "sqlserver"] {
        with_ds(provider, "", body).assert_one_error(
            "Error parsing attribute \"@default\": Unknown function in @default(): `sequence` is \
             not known. You can read about the available functions here: \
             https://pris.ly/d/attribute-functions",
            "sequence(start: 5)",
        );
    }
    assert_eq!(with_ds("cockroachdb", "", body).errors(), vec![]);
}

// ---------------------------------------------------------------- bare single values

/// Prisma coerces a bare value to a one-element list (`prisma validate` 7.10 accepts all four).
#[test]
fn bare_single_field_is_a_one_element_list() {
    let r = pg(r#"
model A {
  id     Int
  userId Int
  slug   String

  @@id(id)
  @@unique(slug, map: "a_slug_key")
  @@index(userId)
  @@index(fields: slug(sort: Desc))
}
"#);
    assert_eq!(r.errors(), Vec::<(String, String)>::new());
    let model = &r.schema.models[0];
    let cols: Vec<Vec<String>> = model
        .block_indexes
        .iter()
        .map(|i| i.fields.iter().map(|f| f.name.to_string()).collect())
        .collect();
    assert_eq!(cols, [["id"], ["slug"], ["userId"], ["slug"]]);
    assert!(
        model
            .block_indexes
            .iter()
            .all(|i| i.fields[0].field.is_some())
    );
    assert_eq!(model.block_indexes[1].map.as_deref(), Some("a_slug_key"));
    assert_eq!(model.block_indexes[3].fields[0].sort, Some(SortOrder::Desc));
}

/// Some error message contains `needle`.
fn has_error(r: &Resolved, needle: &str) -> bool {
    r.errors().iter().any(|(m, _)| m.contains(needle))
}

#[test]
fn an_unnamed_argument_is_the_default_one_in_any_position() {
    let r = pg("model A {\n  id Int @id\n  a  Int\n  @@unique(map: \"a_key\", [a])\n}\n");
    r.assert_clean();
    let idx = &r.model("A").block_indexes[0];
    assert_eq!(idx.fields[0].name, "a");
    assert_eq!(idx.map.as_deref(), Some("a_key"));
    let r = pg("model A {\n  id Int @id\n  b  B[] @relation(\"R\")\n}\n\
                model B {\n  id Int @id\n  aId Int\n  \
                a A @relation(fields: [aId], \"R\", references: [id])\n}\n");
    r.assert_clean();
    let attr = r
        .model("B")
        .relation_attr_of(r.field("B", "a"))
        .expect("relation");
    assert_eq!(attr.name.as_ref().map(|n| n.value.as_str()), Some("R"));
}

#[test]
fn attribute_arguments_are_checked_like_prisma() {
    let body = |attr: &str| format!("model A {{\n  id Int @id\n  a  Int\n  b  Int\n  {attr}\n}}\n");
    let r = pg(&body("@@index(a, b)"));
    r.assert_one_error("You provided multiple unnamed arguments", "(a, b)");
    let r = pg(&body("@@index([a], map: \"x\", map: \"y\")"));
    r.assert_one_error("Argument \"map\" is already specified.", "map: \"y\"");
    let r = pg(&body("@@unique(fields: [a], [b])"));
    r.assert_one_error("already specified as unnamed argument", "fields: [a]");
    let r = pg(&body("@@unique([a], type: Hash)"));
    r.assert_one_error("No such argument", "type: Hash");
    let r = pg(&body("@@index([a], name: \"n\", map: \"m\")"));
    r.assert_one_error(
        "It does not accept both",
        "@@index([a], name: \"n\", map: \"m\")",
    );
    let r = pg(&body("@@index([a], clustered: maybe)"));
    assert!(
        has_error(&r, "Expected a boolean value"),
        "{:?}",
        r.errors()
    );
    let r = pg("model A {\n  id Int @id @updatedAt(1)\n}\n");
    assert!(has_error(&r, "No such argument"), "{:?}", r.errors());
    let r = pg("model A {\n  id Int @id\n  @@schema(name: \"s\")\n}\n");
    assert!(has_error(&r, "No such argument"), "{:?}", r.errors());
    let r = pg("model A {\n  id Int @id\n  @@map\n}\n");
    r.assert_one_error("Argument \"name\" is missing.", "@@map");
}

#[test]
fn index_and_key_arguments_the_connector_does_not_support() {
    let r = with_ds("mysql", "", "model A {\n  id Int @id(map: \"pk\")\n}\n");
    r.assert_one_error("database name for the primary key", "A");
    let r = pg("model A {\n  id Int @id(sort: Desc)\n}\n");
    r.assert_one_error(
        "sort argument is not supported in the primary key",
        "@id(sort: Desc)",
    );
    let r = pg("model A {\n  id Int @id\n  s String\n  @@index([s(length: 10)])\n}\n");
    r.assert_one_error(
        "length argument is not supported in an index",
        "@@index([s(length: 10)])",
    );
    let r = with_ds(
        "mysql",
        "",
        "model A {\n  id Int @id\n  n Int\n  @@index([n(length: 10)])\n}\n",
    );
    r.assert_one_error(
        "only allowed with field types `String` or `Bytes`",
        "@@index([n(length: 10)])",
    );
    let r = pg("model A {\n  id Int @id(clustered: false)\n}\n");
    r.assert_one_error(
        "Defining clustering is not supported",
        "@id(clustered: false)",
    );
    let r = with_ds(
        "sqlserver",
        "",
        "model A {\n  id Int @id\n  a Int\n  @@index([a], clustered: true)\n}\n",
    );
    r.assert_one_error("only hold one clustered index", "A");
    let r = with_ds(
        "sqlserver",
        "",
        "model A {\n  id Int @id(clustered: false)\n  a Int\n  @@index([a], clustered: true)\n}\n",
    );
    r.assert_clean();
    let r = with_ds(
        "mysql",
        "",
        "model A {\n  id Int @id\n  a Int\n  @@index([a], type: Hash)\n}\n",
    );
    r.assert_one_error("index type is not supported", "@@index([a], type: Hash)");
    let r = pg("model A {\n  id Int @id\n  a Int\n  @@index([a(sort: Desc)], type: Hash)\n}\n");
    r.assert_one_error(
        "Hash type does not support sort option",
        "@@index([a(sort: Desc)], type: Hash)",
    );
    let r = pg("model A {\n  id Int @id\n  j Json\n  @@index([j(ops: JsonbPathOps)])\n}\n");
    r.assert_one_error(
        "not supported with the `BTree` index type",
        "@@index([j(ops: JsonbPathOps)])",
    );
    let r =
        pg("model A {\n  id Int @id\n  j Json\n  @@index([j(ops: JsonbPathOps)], type: Gin)\n}\n");
    r.assert_clean();
    let r = with_ds(
        "sqlite",
        "",
        "model A {\n  id Int @id\n  b B @relation(fields: [bId], references: [id], map: \"fk\")\n  bId Int\n}\n\
         model B {\n  id Int @id\n  a A[]\n}\n",
    );
    r.assert_one_error(
        "does not support named foreign keys",
        "@relation(fields: [bId], references: [id], map: \"fk\")",
    );
}

#[test]
fn default_values_the_connector_does_not_support() {
    let one = |provider: &str, field: &str| {
        with_ds(
            provider,
            "",
            &format!("model A {{\n  id Int @id\n  {field}\n  @@index([x])\n}}\n"),
        )
    };
    let r = one("postgresql", "x Int @default(1, map: \"d\")");
    r.assert_one_error(
        "database name for the default value",
        "@default(1, map: \"d\")",
    );
    one("sqlserver", "x Int @default(1, map: \"d\")").assert_clean();
    let r = one("postgresql", "x String @default(auto())");
    r.assert_one_error("does not support the `auto()` function", "auto()");
    let r = with_ds(
        "mysql",
        "",
        "model A {\n  id Int @id\n  x Int @default(autoincrement())\n}\n",
    );
    r.assert_one_error("used on a non-indexed field", "@default(autoincrement())");
    let r = with_ds(
        "sqlite",
        "",
        "model A {\n  id Int @id\n  x Int @default(autoincrement())\n}\n",
    );
    r.assert_one_error("used on a non-id field", "@default(autoincrement())");
    let r = with_ds(
        "cockroachdb",
        "",
        "model A {\n  id Int @id @default(autoincrement())\n}\n",
    );
    r.assert_one_error(
        "only on BigInt fields on CockroachDB",
        "@default(autoincrement())",
    );
    let r = one("postgresql", "x String @default(uuid(5))");
    r.assert_one_error("either 4 or 7", "uuid(5)");
    let r = one("postgresql", "x String @default(cuid(3))");
    r.assert_one_error("either 1 or 2", "cuid(3)");
    let r = one("postgresql", "x Int[] @default(1)");
    r.assert_one_error("default value of a list field must be a list", "1");
    one("postgresql", "x String[] @default(uuid())").assert_clean();
    let r = one("postgresql", "x Json @default(\"{\")");
    r.assert_one_error("not a valid JSON string", "\"{\"");
    let r = one("postgresql", "x Bytes @default(\"abc\")");
    r.assert_one_error("not a valid base64 string", "\"abc\"");
    let r = one("postgresql", "x DateTime @default(\"yesterday\")");
    r.assert_one_error("not a valid rfc3339 datetime string", "\"yesterday\"");
    one(
        "postgresql",
        "x DateTime @default(\"2020-01-01T00:00:00.5+02:00\")",
    )
    .assert_clean();
}

#[test]
fn native_type_arguments_are_checked() {
    let one = |provider: &str, field: &str| {
        with_ds(
            provider,
            "",
            &format!("model A {{\n  id Int @id\n  {field}\n}}\n"),
        )
    };
    one("mysql", "x String @db.VarChar")
        .assert_one_error("takes 1 arguments, but received 0", "@db.VarChar");
    one("postgresql", "x String @db.Text(5)")
        .assert_one_error("takes 0 arguments, but received 1", "@db.Text(5)");
    one("postgresql", "x String @db.VarChar(1, 2)")
        .assert_one_error("takes 1 optional arguments", "@db.VarChar(1, 2)");
    one("postgresql", "x String @db.VarChar(Max)")
        .assert_one_error("Expected a nonnegative integer", "@db.VarChar(Max)");
    one("sqlserver", "x String @db.NVarChar(Max)").assert_clean();
    one("postgresql", "x Decimal @db.Decimal(10)")
        .assert_one_error("Expected two nonnegative integers", "@db.Decimal(10)");
    one("postgresql", "x Decimal @db.Decimal(2, 10)").assert_one_error(
        "scale must not be larger than the precision",
        "@db.Decimal(2, 10)",
    );
    one("postgresql", "x DateTime @db.Timestamptz(10)")
        .assert_one_error("M can range from 0 to 6", "@db.Timestamptz(10)");
    one("postgresql", "x String @db.Text()").assert_clean();
    one("sqlserver", "x Decimal @db.Money")
        .assert_one_error("expected field type Float", "@db.Money");
    one("sqlserver", "x Json").assert_one_error("can't be of type Json", "Json");
}

#[test]
fn schema_level_checks() {
    let r = resolve_files(&["generator client {\n  output = \"x\"\n}\n"]);
    r.assert_one_error(
        "Argument \"provider\" is missing in generator block",
        "client",
    );
    let r = resolve_files(&["generator client {\n  provider = \"a\"\n  provider = \"b\"\n}\n"]);
    r.assert_one_error(
        "Key \"provider\" is already defined in generator",
        "provider",
    );
    let r = with_ds(
        "postgresql",
        "extensions = [citext]",
        "model A {\n  id Int @id\n}\n",
    );
    r.assert_one_error(
        "only available with the `postgresqlExtensions` preview feature",
        "extensions",
    );
    let r = with_ds(
        "mongodb",
        "",
        "type T {\n}\nmodel A {\n  id String @id @map(\"_id\")\n}\n",
    );
    r.assert_one_error("A type must have at least one field", "T");
    let r = pg("model A {\n  id Int @id\n  @@schema(\"s\")\n}\n");
    r.assert_one_error(
        "This schema is not defined in the datasource",
        "@@schema(\"s\")",
    );
    let r = with_ds(
        "postgresql",
        "schemas = [\"s\"]",
        "model A {\n  id Int @id\n}\n",
    );
    r.assert_one_error("missing an `@@schema` attribute", "A");
}

#[test]
fn database_names_of_indexes_are_unique_in_the_connector_namespace() {
    let twice = "model A {\n  id Int @id\n  a Int\n  @@index([a])\n  @@index([a])\n}\n";
    pg(twice).assert_one_error("constraint name `A_a_idx` has to be unique", "@@index([a])");
    with_ds("mysql", "", twice).assert_one_error("on model `A`", "@@index([a])");
    with_ds("cockroachdb", "", twice).assert_clean();
    let across = "model A {\n  id Int @id\n  a Int\n  @@index([a], map: \"x\")\n}\n\
                  model B {\n  id Int @id\n  b Int\n  @@index([b], map: \"x\")\n}\n";
    pg(across).assert_one_error(
        "global for primary key, indexes and unique constraints",
        "@@index([b], map: \"x\")",
    );
    with_ds("mysql", "", across).assert_clean();
    // PostgreSQL: one namespace per database schema.
    let r = with_ds(
        "postgresql",
        "schemas = [\"a\", \"b\"]",
        "model A {\n  id Int @id\n  @@map(\"t\")\n  @@schema(\"a\")\n}\n\
         model B {\n  id Int @id\n  @@map(\"t\")\n  @@schema(\"b\")\n}\n",
    );
    r.assert_clean();
}

#[test]
fn columns_some_databases_cannot_index() {
    let r = pg("model A {\n  id Int @id\n  x String @unique @db.Xml\n}\n");
    r.assert_one_error("Native type `Xml` cannot be unique in Postgres", "@unique");
    pg("model A {\n  id String @id @db.Xml\n}\n").assert_clean();
    let r = with_ds(
        "mysql",
        "",
        "model A {\n  id Int @id\n  x String @db.Text\n  @@index([x])\n}\n",
    );
    r.assert_one_error("native type `Text` of MySQL", "@@index([x])");
    with_ds(
        "mysql",
        "",
        "model A {\n  id Int @id\n  x String @db.Text\n  @@index([x(length: 10)])\n}\n",
    )
    .assert_clean();
    let r = with_ds(
        "sqlserver",
        "",
        "model A {\n  id Int @id\n  x String @unique @db.NVarChar(Max)\n}\n",
    );
    r.assert_one_error(
        "Native type `NVarChar(Max)` cannot be unique in SQL Server",
        "@unique",
    );
    let r = with_ds(
        "mysql",
        "",
        "model A {\n  id Int @id\n  x String\n  @@fulltext([x(length: 10)])\n}\n",
    );
    r.assert_one_error(
        "not supported in a @@fulltext attribute",
        "@@fulltext([x(length: 10)])",
    );
}

#[test]
fn names_types_and_relations_prisma_rejects() {
    let r = pg("model A {\n  id Int @id\n  a-b Int\n}\n");
    r.assert_one_error("The character `-` is not allowed in Field names", "a-b");
    let r = pg("model A {\n  id Int @id\n}\nenum E {\n  X @map(\"x\") @map(\"y\")\n}\n");
    r.assert_one_error("can only be defined once", "@map(\"y\")");
    let r = pg("model A {\n  id Int @id\n  t DateTime[] @updatedAt\n}\n");
    r.assert_one_error("cannot be lists", "@updatedAt");
    // A scalar list is a required field: it makes a unique criterion.
    pg("model A {\n  tags String[]\n  @@unique([tags])\n}\n").assert_clean();
    let mongo = |body: &str| with_ds("mongodb", "", body);
    let r = mongo("type T {\n  t T\n}\nmodel A {\n  id String @id @map(\"_id\")\n  t T\n}\n");
    r.assert_one_error("causes an endless cycle", "t T");
    let r = mongo("model A {\n  id String @id\n}\n");
    r.assert_one_error("must have an @map(\"_id\") annotation", "id String @id");
    // Many-to-many on MongoDB: the ids in `fields` have the native type of the references.
    let m2m = |native: &str| {
        mongo(&format!(
            "model A {{\n  id String @id @map(\"_id\") @db.ObjectId\n  bIds String[] {native}\n  \
             bs B[] @relation(fields: [bIds], references: [id])\n}}\n\
             model B {{\n  id String @id @map(\"_id\") @db.ObjectId\n  aIds String[] @db.ObjectId\n  \
             as A[] @relation(fields: [aIds], references: [id])\n}}\n"
        ))
    };
    m2m("@db.ObjectId").assert_clean();
    m2m("").assert_one_error(
        "must be an array of the same type defined in `references`",
        "bIds",
    );
    let r = pg(
        "model A {\n  id Int @id\n  bs B[] @relation(fields: [id], references: [id])\n}\n\
         model B {\n  id Int @id\n  as A[]\n}\n",
    );
    assert!(
        has_error(
            &r,
            "Embedded many-to-many relations are not supported on Postgres"
        ),
        "{:?}",
        r.errors()
    );
}

#[test]
fn default_function_arguments_are_checked() {
    let one = |provider: &str, field: &str| {
        with_ds(
            provider,
            "",
            &format!("model A {{\n  id Int @id\n  {field}\n}}\n"),
        )
    };
    one("postgresql", "x String @default(uuid(\"4\"))")
        .assert_one_error("takes a single Int argument", "uuid(\"4\")");
    one("postgresql", "x DateTime @default(now(1))")
        .assert_one_error("takes no arguments", "now(1)");
    one("postgresql", "x String @default(dbgenerated(1))")
        .assert_one_error("takes a single String argument", "dbgenerated(1)");
    one("cockroachdb", "x BigInt @default(sequence(step: 2))")
        .assert_one_error("Unexpected argument in `sequence()`", "sequence(step: 2)");
    one(
        "cockroachdb",
        "x BigInt @default(sequence(start: 3, cache: 10))",
    )
    .assert_clean();
    one("mysql", "x Boolean @db.Bit(10)")
        .assert_one_error("only Bit(1) can be used as Boolean", "@db.Bit(10)");
    one("mysql", "x Boolean @db.Bit(1)").assert_clean();
}

#[test]
fn relation_names_precisions_and_mongodb_keys() {
    let r = pg("model A {\n  id Int @id\n  bs B[] @relation(R)\n}\n\
         model B {\n  id Int @id\n  aId Int\n  a A @relation(R, fields: [aId], references: [id])\n}\n");
    assert!(
        has_error(
            &r,
            "Expected a string value, but received literal value `R`"
        ),
        "{:?}",
        r.errors()
    );
    with_ds(
        "mysql",
        "",
        "model A {\n  id Int @id\n  t DateTime @db.Timestamp(10)\n}\n",
    )
    .assert_clean();
    let mongo = |body: &str| with_ds("mongodb", "", body);
    let r = mongo("model A {\n  id String @id @unique @map(\"_id\")\n}\n");
    r.assert_one_error("cannot be an id and unique on MongoDB", "@unique");
    // A list relation field on MongoDB needs a list of ids in `fields`.
    let r = mongo(
        "model A {\n  id String @id @map(\"_id\")\n  bId String\n  bs B[] @relation(fields: [bId], references: [id])\n}\n\
         model B {\n  id String @id @map(\"_id\")\n  aIds String[]\n  as A[] @relation(fields: [aIds], references: [id])\n}\n",
    );
    assert!(
        has_error(&r, "must be an array of the same type"),
        "{:?}",
        r.errors()
    );
}

/// `name:` on `@@index` is the database name (the old spelling of `map:`), so two indexes on the
/// same column with different `name:`s do not clash (Prisma 6 and 7 accept this).
#[test]
fn index_name_argument_is_the_database_name() {
    let r = pg(r#"
model Asset {
  id           Int @id
  sequentialId String

  @@index([sequentialId], name: "Asset_sequentialId_idx")
  @@index([sequentialId(ops: raw("gin_trgm_ops"))], name: "Asset_sequentialId_trgm_idx", type: Gin)
}
"#);
    assert_eq!(r.errors(), Vec::<(String, String)>::new());
    let maps: Vec<_> = r.schema.models[0]
        .block_indexes
        .iter()
        .map(|i| i.map.as_deref().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        maps,
        ["Asset_sequentialId_idx", "Asset_sequentialId_trgm_idx"]
    );
}

#[test]
fn a_scalar_list_cannot_be_part_of_a_primary_key() {
    let r = pg("model A {\n  a Int[]\n  b Int\n  @@id([a, b])\n}\n");
    r.assert_one_error("refers to the optional fields: a", "a");
}

#[test]
fn connector_rules_found_by_a_million_mutated_schemas() {
    // `sequence()` goes on any field type.
    with_ds(
        "cockroachdb",
        "",
        "model A {\n  id BigInt @id\n  x Float @default(sequence())\n}\n",
    )
    .assert_clean();
    // Composite types may hold Decimal on MongoDB; models may not.
    let r = with_ds(
        "mongodb",
        "",
        "type T {\n  d Decimal\n}\nmodel A {\n  id String @id @map(\"_id\")\n  t T\n}\n",
    );
    r.assert_clean();
    // A MySQL text column may be the primary key with a prefix length.
    with_ds(
        "mysql",
        "",
        "model A {\n  id String @id(length: 100) @db.Text\n}\n",
    )
    .assert_clean();
    let r = with_ds(
        "cockroachdb",
        "",
        "model A {\n  id BigInt @id\n  t DateTime @db.Timestamp(9)\n}\n",
    );
    r.assert_one_error("M can range from 0 to 6", "@db.Timestamp(9)");
    let r = pg("model A {\n  id Int @id\n  1st Int\n}\n");
    r.assert_one_error("The name of a Field must not start with a number", "1st");
    let r = pg("model A {\n  id Int @id\n  a Int\n  @@index([a(sort: Up)])\n}\n");
    r.assert_one_error("Expected one of: Asc, Desc", "Up");
}

#[test]
fn key_names_native_type_twice_and_composite_keys() {
    let r = pg("model A {\n  a Int\n  b Int\n  @@id([a, b], name: \"a-b\")\n}\n");
    r.assert_one_error(
        "only allows for the following characters",
        "@@id([a, b], name: \"a-b\")",
    );
    let r = pg("model A {\n  id Int @id\n  s String @db.VarChar(9) @db.Text\n}\n");
    r.assert_one_error("Attribute \"@db\" can only be defined once", "@db.Text");
    let r = with_ds(
        "mongodb",
        "",
        "type T {\n  k String @unique\n}\nmodel A {\n  id String @id @map(\"_id\")\n  t T\n}\n",
    );
    r.assert_one_error(
        "Defining `@unique` attribute for a field in a composite type",
        "@unique",
    );
    let r = with_ds(
        "cockroachdb",
        "",
        "model A {\n  id BigInt @id\n  j Json[]\n}\n",
    );
    r.assert_one_error("does not support the Json List type", "Json[]");
    pg("model A {\n  id Int @id\n  j Json[]\n}\n").assert_clean();
}

#[test]
fn composite_index_paths_and_extension_arguments() {
    let mongo = |index: &str| {
        with_ds(
            "mongodb",
            "",
            &format!(
                "type Address {{\n  city String\n}}\nmodel A {{\n  id String @id @map(\"_id\")\n  \
                 address Address\n  {index}\n}}\n"
            ),
        )
    };
    mongo("@@index([address.city])").assert_clean();
    mongo("@@index([address.zip])")
        .assert_one_error("unknown fields: zip in type Address", "address.zip");
    mongo("@@index([home.city])").assert_one_error("unknown fields: home.city", "home.city");
    let r = with_ds(
        "postgresql",
        "extensions = [citext(sZhema: \"public\")]",
        "generator c {\n  provider = \"x\"\n  previewFeatures = [\"postgresqlExtensions\"]\n}\n\
         model A {\n  id Int @id\n}\n",
    );
    r.assert_one_error("Argument not known: \"sZhema\"", "sZhema: \"public\"");
}

#[test]
fn both_sides_of_a_mongodb_many_to_many_are_checked() {
    let r = with_ds(
        "mongodb",
        "",
        "model A {\n  id String @id @map(\"_id\") @db.ObjectId\n  bIds String[] @db.ObjectId\n  \
         bs B[] @relation(fields: [bIds], references: [id])\n}\n\
         model B {\n  id String @id @map(\"_id\") @db.ObjectId\n  aIds String[] @db.ObjectId\n  \
         as A[] @relation(fields: [aIds], references: [key])\n}\n",
    );
    assert!(
        has_error(
            &r,
            "The following fields do not exist in the related model: key"
        ),
        "{:?}",
        r.errors()
    );
}
