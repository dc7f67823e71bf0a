//! PSL lexer + parser: round trips, tree shape, Prisma-verified syntax rules, error recovery
//! with exact ranges, and the typed AST accessors.

use prisma_audit_core::syntax::{
    SyntaxKind, SyntaxNode, ast,
    ast::{AstNode, Expr, Item},
    lex, parse,
};
use std::path::{Path, PathBuf};

/// Round trip plus the tree-shape invariants of `kind.rs`: no node but the root starts or ends
/// with trivia, and the lexer covers every byte.
fn check(text: &str) -> prisma_audit_core::syntax::Parse {
    let parse = parse(text);
    assert_eq!(parse.syntax().to_string(), text, "round trip of {text:?}");
    let lexed: u32 = lex(text).iter().map(|t| t.len).sum();
    assert_eq!(lexed as usize, text.len());
    for node in parse.syntax().descendants().skip(1) {
        for edge in [node.first_child_or_token(), node.last_child_or_token()]
            .into_iter()
            .flatten()
        {
            assert!(
                !edge.kind().is_trivia(),
                "{:?} has trivia at its edge in {text:?}",
                node
            );
        }
    }
    assert_eq!(
        parse.shape_mismatch(),
        None,
        "flat and rowan trees differ for {text:?}"
    );
    for e in parse.errors() {
        assert!(usize::from(e.range.end()) <= text.len());
        assert!(text.is_char_boundary(e.range.start().into()));
        assert!(text.is_char_boundary(e.range.end().into()));
    }
    parse
}

/// `(covered text, message)` of every error.
fn errors(text: &str) -> Vec<(String, String)> {
    check(text)
        .errors()
        .iter()
        .map(|e| {
            let r = std::ops::Range::<usize>::from(e.range);
            (text[r].to_string(), e.message.clone())
        })
        .collect()
}

/// Error ranges as `start..end`.
fn ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    check(text)
        .errors()
        .iter()
        .map(|e| e.range.into())
        .collect()
}

/// The models of `text` (the parse is leaked so the views can outlive this helper).
fn models(text: &str) -> Vec<ast::Model<'static>> {
    let parse: &'static _ = Box::leak(Box::new(parse(text)));
    parse
        .tree()
        .items()
        .filter_map(|i| match i {
            Item::Model(m) => Some(m),
            _ => None,
        })
        .collect()
}

fn names<'t, N>(
    it: impl Iterator<Item = N>,
    name: impl Fn(&N) -> Option<ast::Name<'t>>,
) -> Vec<String> {
    it.map(|n| name(&n).map_or("", |n| n.text()).to_string())
        .collect()
}

const SCHEMA: &str = r#"// Header comment
datasource db {
  provider = "postgresql"
  schemas  = ["public", "auth"]
  extensions = [pg_trgm, postgis(version: "3.4")]
}

generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["views", "fullTextSearchPostgres"]
  output          = env("OUT_DIR")
  binaryTargets   = ["native"]
}

/// A user of the app.
/// Second line.
model User {
  /** Primary key. */
  id        String   @id @default(uuid(7)) @db.Uuid
  // prisma-audit-ignore rule-a
  email     String   @unique @db.VarChar(255) // trailing note
  name      String?
  balance   Decimal  @default(-1.5) @db.Decimal(10, 2)
  tags      String[]
  blob      Unsupported("tsvector")?
  posts     Post[]
  createdAt DateTime @default(now()) @map("created_at")
  updatedAt DateTime @updatedAt

  @@index([email(sort: Desc, ops: raw("gin_trgm_ops")), name], type: Gin, map: "user_idx")
  @@map("users")
  @@schema("auth")
}

model Post {
  id       Int    @id @default(autoincrement())
  authorId String
  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)
  /* inline */ title String @default(dbgenerated("'untitled'::text"))

  @@unique([authorId, title])
}

view Stats {
  id    Int @unique
  count Int
}

type Address {
  street String
}

enum Role {
  USER  @map("user") // the default
  ADMIN
  @@map("roles")
  @@schema("auth")
}
"#;

#[test]
fn representative_schema_has_no_errors_and_snapshot() {
    let parse = check(SCHEMA);
    assert_eq!(parse.errors(), &[]);
    insta::assert_snapshot!("representative_tree", format!("{:#?}", parse.syntax()));
}

#[test]
fn round_trips_edge_inputs() {
    let inputs = [
        "",
        " ",
        "\n",
        "\r",
        "\r\n",
        "\r\r\n\n",
        "\u{feff}",
        "\u{feff}model A {\n}\n",
        "\t\tmodel\tA\t{\n\tid\tInt\n}",
        "model",
        "model A",
        "model A {",
        "model A {\n  id",
        "model A {\n  id Int @default(",
        "model A {\n  id Int @default([[[[",
        "\"unterminated",
        "\"a\\",
        "/* unterminated",
        "/*/",
        "/**/",
        "///",
        "//",
        "/",
        "@",
        "@@",
        "-",
        "--1",
        "1.2.3",
        "}}}}",
        "{{{{",
        "))))((((",
        "\0\u{1}\u{7f}",
        "é",
        "\u{a0}\u{3000}",
        "model Café {\n  naïve String @default(\"héllo ✓\")\n}\n",
        "model A {\r\n  id Int @id\r\n}\r\n",
        "model A {\r  id Int @id\r}\r",
        "enum E {\n  A @map(\"a\")\n  B\n}",
        "datasource db {\n  provider = \n}",
        "generator g {\n  = \"x\"\n}",
        "model A {\n  id Int @id /* a\n b */\n}",
        "model A {\n  @@index([a,\n b])\n}",
        "\u{1F600} model 🙂 {\n}",
        "model A {\n  a Int @@id\n}",
        "type X = String @id",
        "model A {} model B {}",
    ];
    for input in inputs {
        check(input);
    }
    let junk: Vec<u8> = (0u8..=255).cycle().take(4096).collect();
    check(&String::from_utf8_lossy(&junk));
}

#[test]
fn deep_nesting_is_capped_without_stack_overflow() {
    for open in ["[", "(", "a(", "[a("] {
        let depth = 100_000;
        let text = format!(
            "model A {{\n  id Int @default({})\n}}\nmodel B {{\n  id Int\n}}\n",
            open.repeat(depth)
        );
        let parse = check(&text);
        if open != "(" {
            assert!(
                parse
                    .errors()
                    .iter()
                    .any(|e| e.message.contains("too deep")),
                "{open}"
            );
        }
        assert!(
            parse.errors().len() < 10,
            "no error cascade: {:?}",
            parse.errors()
        );
        assert_eq!(models(&text).len(), 2);
        assert_eq!(models(&text)[1].fields().count(), 1);
    }
    // 128 levels are fine.
    let text = format!(
        "model A {{\n  id Int @default({}{})\n}}\n",
        "[".repeat(127),
        "]".repeat(127)
    );
    assert_eq!(errors(&text), vec![]);
}

#[test]
fn lexer_tokens() {
    let kinds = |t: &str| lex(t).iter().map(|t| t.kind).collect::<Vec<_>>();
    use SyntaxKind::*;
    assert_eq!(
        kinds("a-b 1A -1.5 1. @@x @y"),
        vec![
            IDENT, WHITESPACE, IDENT, WHITESPACE, NUMBER, WHITESPACE, NUMBER, DOT, WHITESPACE,
            AT_AT, IDENT, WHITESPACE, AT, IDENT
        ]
    );
    assert_eq!(
        kinds("/// d\r\n// c\r/* x\n */"),
        vec![DOC_COMMENT, NEWLINE, LINE_COMMENT, NEWLINE, BLOCK_COMMENT]
    );
    assert_eq!(
        kinds("\"a\\\"b\" \"open\nx"),
        vec![STRING, WHITESPACE, STRING, NEWLINE, IDENT]
    );
    assert_eq!(
        kinds("\u{feff}\u{a0}x\u{feff}"),
        vec![WHITESPACE, WHITESPACE, IDENT, ERROR_TOKEN]
    );
    assert_eq!(kinds("!!§"), vec![ERROR_TOKEN]);
    assert_eq!(kinds("naïve"), vec![IDENT]);
}

/// Snippets whose verdict was checked with `prisma validate` (Prisma 7): `true` = Prisma
/// reports an error caused by syntax, `false` = no syntax problem.
#[test]
fn syntax_verdicts_match_prisma() {
    let cases: &[(&str, bool)] = &[
        // Block comments: own line, before an item, at the end of a line are fine.
        ("model A {\n  /** doc */\n  id Int @id\n}\n", false),
        (
            "model A {\n  /**\n   * doc\n   */\n  id Int @id\n}\n",
            false,
        ),
        ("/* top */\nmodel A {\n  id Int @id\n}\n", false),
        ("model A {\n  /* x */ id Int @id\n}\n", false),
        ("model A {\n  id Int @id /* x */\n}\n", false),
        ("model A {\n  id Int @id /* a\n  b */\n}\n", false),
        ("model A { /* x */\n  id Int @id\n}\n", false),
        ("enum E {\n  /* x */\n  A\n}\n", false),
        (
            "datasource d {\n  provider = \"postgresql\" /* x */\n}\n",
            false,
        ),
        // ... but not between the parts of one item.
        ("model A {\n  id /* x */ Int @id\n}\n", true),
        ("model A {\n  id Int /* x */ @id\n}\n", true),
        ("model A {\n  id Int @id /* x */ @unique\n}\n", true),
        ("model A {\n  id Int @id @default(/* x */ 1)\n}\n", true),
        ("model A /* x */ {\n  id Int @id\n}\n", true),
        // `{` must end its line; anything after it is ignored by Prisma.
        ("model A {}\n", true),
        ("model A { id Int @id }\n", true),
        ("model A { garbage\n  id Int @id\n}\n", false),
        ("model A { // hi\n  id Int @id\n}\n", false),
        ("model A { /// doc\n  id Int @id\n}\n", false),
        ("model A\n{\n  id Int @id\n}\n", true),
        ("model A {\n  id Int @id }\n", true),
        (
            "model A {\n  id Int @id\n} model B {\n  id Int @id\n}\n",
            false,
        ),
        ("model A {\n  id Int @id\n} // x\n", false),
        // No line breaks inside arguments or arrays; no trailing commas.
        (
            "model A {\n  id Int @id\n  @@index([\n    id\n  ], map: \"x\")\n}\n",
            true,
        ),
        (
            "generator c {\n  provider = \"x\"\n  f = [\n    \"views\"\n  ]\n}\n",
            true,
        ),
        ("model A {\n  id Int @id\n  @@index([id,])\n}\n", true),
        (
            "model A {\n  id Int @id\n  @@index([id], map: \"x\",)\n}\n",
            true,
        ),
        (
            "model A {\n  id String @id @default(dbgenerated(\"x\",))\n}\n",
            true,
        ),
        // Names and keywords.
        ("model model {\n  id Int @id\n}\n", false),
        (
            "model A {\n  id Int @id\n  model String\n  enum Int\n}\n",
            false,
        ),
        ("model A {\n  id Int @id\n  b-c Int\n}\n", false),
        ("model A {\n  id Int @id\n  1b Int\n}\n", false),
        ("model A {\n  id Int @id\n  _b Int\n}\n", true),
        ("model A {\n  id Int @id\n  café Int\n  éa Int\n}\n", false),
        ("Model A {\n  id Int @id\n}\n", true),
        ("foo A {\n  id Int @id\n}\n", true),
        ("model {\n  id Int @id\n}\n", true),
        ("type Foo = String\n", true),
        // Field types.
        ("model A {\n  id Int @id\n  b Int[]?\n}\n", true),
        ("model A {\n  id Int @id\n  b Int ?\n  c Int []\n}\n", false),
        ("model A {\n  id Int @id\n  b Int[ ]\n}\n", true),
        (
            "model A {\n  id Int @id\n  b Unsupported(\"x\")?\n}\n",
            false,
        ),
        (
            "model A {\n  id Int @id\n  b Unsupported( \"x\" )\n}\n",
            false,
        ),
        (
            "model A {\n  id Int @id\n  b Unsupported (\"x\")\n}\n",
            true,
        ),
        ("model A {\n  id Int @id\n  b Unsupported(1)\n}\n", true),
        ("model A {\n  id: Int @id\n}\n", true),
        ("model A {\n  id Int! @id\n}\n", true),
        ("model A {\n  id Int @id\n  b [Int]\n}\n", true),
        ("model A {\n  id Int @id\n  b\n}\n", true),
        // Attributes.
        ("model A {\n  id Int @ id\n}\n", false),
        ("model A {\n  id Int @id @default (1)\n}\n", false),
        ("model A {\n  id Int@id@unique\n}\n", false),
        ("model A {\n  id Int @id\n  @@ map(\"x\")\n}\n", false),
        ("model A {\n  id String @id @db. VarChar(3)\n}\n", true),
        ("model A {\n  id Int @id\n  @@index(map: )\n}\n", true),
        (
            "model A {\n  id Int @id\n  @@index([id(sort : Desc)])\n}\n",
            false,
        ),
        ("model A {\n  id Int @id @default()\n}\n", false),
        // Literals.
        ("model A {\n  id Float @id @default(-1.5)\n}\n", false),
        ("model A {\n  id Int @id @default(007)\n}\n", false),
        ("model A {\n  id Float @id @default(1.)\n}\n", true),
        ("model A {\n  id Float @id @default(1e5)\n}\n", true),
        ("model A {\n  id Int @id @default(-a)\n}\n", true),
        (
            "model A {\n  id String @id @default(\"\\u0041\\/\\b\\f\\n\\r\\t\")\n}\n",
            false,
        ),
        ("model A {\n  id String @id @default(\"\\x\")\n}\n", true),
        ("model A {\n  id String @id @default(\"\\0\")\n}\n", true),
        ("model A {\n  id String @id @default(\"\\'\")\n}\n", true),
        ("model A {\n  id String @id @default(\"a\tb\")\n}\n", true),
        ("model A {\n  id String @id @default(\"abc)\n}\n", true),
        (
            "model A {\n  id String @id @default(\"héllo ✓\")\n}\n",
            false,
        ),
        // Entries and enums.
        ("generator c {\n  provider \"x\"\n}\n", true),
        ("generator c {\n  output =\n}\n", true),
        (
            "generator c {\n  o = env(\"X\")\n  b = [\"a\", \"b\"]\n  x = true\n  y = 1\n}\n",
            false,
        ),
        ("enum E {\n  A B\n}\n", true),
        (
            "enum E {\n  A @map(\"a\") // c\n  B\n  @@map(\"e\")\n}\n",
            false,
        ),
        // Whitespace and line ends.
        ("\u{feff}model A {\n  id Int @id\n}\n", true),
        ("model A {\r\n\tid Int @id\r\n}\r\n", false),
        ("model A {\r  id Int @id\r}\r", false),
        ("model A {\n  id\u{a0}Int @id\n}\n", false),
        ("model A {\n  id\u{b}Int @id\n}\n", true),
        ("model A {\n  id Int @id\n}\n\u{c}", true),
        ("model A {\n  id Int @id\n}\n/* abc", true),
        ("model A {\n  id Int @id\n}\n// end", false),
        ("model A {\n  id Int @id\n}\n/// doc for nothing\n", false),
    ];
    let mut wrong = Vec::new();
    for (text, rejected) in cases {
        let errs = errors(text);
        if errs.is_empty() == *rejected {
            wrong.push(format!(
                "{text:?}: expected error = {rejected}, got {errs:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn error_ranges_are_exact() {
    let t = "model A {\n  id Int @id\n  b\n}\n";
    assert_eq!(
        errors(t),
        vec![(String::new(), "expected a field type".into())]
    );
    assert_eq!(ranges(t), vec![26..26]);

    let t = "model A {\n  id Int @id @default(\"abc)\n  b Int\n}\n";
    assert_eq!(ranges(t), vec![32..37]);
    assert!(errors(t)[0].1.contains("unterminated string"));

    let t = "model A {\n  id Int @id junk here\n}\n";
    assert_eq!(
        errors(t),
        vec![(
            "junk here".into(),
            "unexpected text at the end of the line".into()
        )]
    );

    let t = "model A {\n  a \"x\"\n}\n";
    assert_eq!(ranges(t), vec![13..13, 14..17]);

    let t = "foo Bar {\n  x y\n}\nmodel A {\n  id Int @id\n}\n";
    assert_eq!(ranges(t), vec![0..3]);

    let t = "model A {\n  id Int @default(\"a\\qb\")\n}\n";
    assert_eq!(errors(t)[0].0, "\\q");

    let t = "model A {\n  id Int @id\n  @@index([a, b,])\n}\n";
    assert_eq!(ranges(t), vec![38..39]);

    let t = "model A {\n  b Int[]?\n}\n";
    assert_eq!(errors(t)[0].0, "?");

    let t = "\u{feff}model A {\n}\n";
    assert_eq!(ranges(t), vec![0..3]);

    let t = "@@map(\"x\")\nmodel A {\n  id Int\n}\n";
    assert_eq!(errors(t)[0].0, "@@map(\"x\")");
    assert_eq!(models(t).len(), 1);

    let t = "model A {\n  id Int @default(1\n}\n";
    assert_eq!(errors(t), vec![(String::new(), "expected `)`".into())]);
    assert_eq!(ranges(t), vec![29..29]);
}

#[test]
fn broken_model_does_not_hide_the_next_one() {
    // Missing `}`: the next declaration starts a new model; the error is on its keyword, the
    // line Prisma reports.
    let t = "model A {\n  id Int @id\n\nmodel B {\n  id Int @id\n  name String\n}\n";
    assert_eq!(ranges(t), vec![24..29]);
    let ms = models(t);
    assert_eq!(ms.len(), 2);
    assert_eq!(ms[1].name().unwrap().text(), "B");
    assert_eq!(names(ms[1].fields(), ast::Field::name), ["id", "name"]);

    // Garbage lines, unclosed args and strings stay within their line.
    let t = "model A {\n  id Int @default(\n  %% junk %%\n  x \"open\n  ok Int\n}\nmodel B {\n  id Int\n}\n";
    let p = check(t);
    assert!(p.errors().len() >= 3);
    let ms = models(t);
    assert_eq!(names(ms[0].fields(), ast::Field::name), ["id", "x", "ok"]);
    assert_eq!(ms[1].fields().count(), 1);

    // Unknown block swallows only itself.
    let t = "foo A {\n  id Int\n}\nmodel B {\n  id Int\n}\n";
    assert_eq!(models(t).len(), 1);

    // Unknown block missing its `}` stops at the next declaration.
    let t = "foo A {\n  id Int\nmodel B {\n  id Int\n}\n";
    assert_eq!(models(t).len(), 1);

    // Stray `}` and `model A {}` on one line.
    let t = "}\nmodel A {}\nmodel B {\n  id Int\n}\n";
    let p = check(t);
    assert_eq!(p.errors().len(), 2);
    assert_eq!(models(t).len(), 2);
    assert_eq!(models(t)[1].fields().count(), 1);

    // A multi-line array is an error but keeps its elements.
    let t =
        "generator g {\n  provider = \"x\"\n  f = [\n    \"a\",\n    \"b\"\n  ]\n  o = \"y\"\n}\n";
    let p = check(t);
    assert_eq!(p.errors().len(), 1);
    let Some(Item::Generator(g)) = p.tree().items().next() else {
        panic!()
    };
    let entries: Vec<_> = g.entries().collect();
    assert_eq!(entries.len(), 3);
    let arr = entries[1].value().unwrap().as_array().unwrap();
    assert_eq!(arr.len(), 2);
}

#[test]
fn ast_accessors() {
    let p = check(SCHEMA);
    let items: Vec<Item> = p.tree().items().collect();
    assert_eq!(items.len(), 7);
    let names: Vec<String> = items
        .iter()
        .map(|i| i.name().map_or("", |n| n.text()).to_string())
        .collect();
    assert_eq!(
        names,
        ["db", "client", "User", "Post", "Stats", "Address", "Role"]
    );

    // Datasource and generator entries.
    let Item::Datasource(ds) = &items[0] else {
        panic!()
    };
    let entries: Vec<_> = ds.entries().collect();
    assert_eq!(entries[0].key().unwrap().text(), "provider");
    assert_eq!(
        entries[0].value().unwrap().as_string().as_deref(),
        Some("postgresql")
    );
    let schemas = entries[1].value().unwrap().as_array().unwrap();
    assert_eq!(
        schemas
            .iter()
            .map(|e| e.as_string().unwrap())
            .collect::<Vec<_>>(),
        ["public", "auth"]
    );
    let exts = entries[2].value().unwrap().as_array().unwrap();
    assert_eq!(exts[0].as_const(), Some("pg_trgm"));
    let Expr::Call(postgis) = &exts[1] else {
        panic!()
    };
    assert_eq!(postgis.name(), "postgis");
    let Item::Generator(g) = &items[1] else {
        panic!()
    };
    let output = g.entries().nth(2).unwrap();
    let Some(Expr::Call(env)) = output.value() else {
        panic!()
    };
    assert_eq!(env.name(), "env");
    assert_eq!(
        env.args()
            .next()
            .unwrap()
            .value()
            .unwrap()
            .as_string()
            .as_deref(),
        Some("OUT_DIR")
    );

    // Model, docs, fields.
    let Item::Model(user) = &items[2] else {
        panic!()
    };
    assert!(!user.is_view());
    assert_eq!(user.keyword().unwrap().text(), "model");
    assert_eq!(
        user.doc().as_deref(),
        Some("A user of the app.\nSecond line.")
    );
    let fields: Vec<_> = user.fields().collect();
    assert_eq!(fields.len(), 9);
    let field = |n: &str| {
        *fields
            .iter()
            .find(|f| f.name().unwrap().text() == n)
            .unwrap()
    };

    let id = field("id");
    let ty = id.field_type().unwrap();
    assert_eq!(ty.name().unwrap().text(), "String");
    assert!(!ty.is_optional() && !ty.is_list());
    let attrs: Vec<_> = id.attributes().collect();
    assert_eq!(
        attrs.iter().map(|a| a.name()).collect::<Vec<_>>(),
        ["id", "default", "db.Uuid"]
    );
    let Some(Expr::Call(uuid)) = attrs[1].args().next().unwrap().value() else {
        panic!()
    };
    assert_eq!(uuid.name(), "uuid");
    let Some(Expr::Number(seven)) = uuid.args().next().unwrap().value() else {
        panic!()
    };
    assert_eq!(seven.text(), "7");
    // Block comment above a field is a leading comment, not a doc comment.
    let leading = ast::leading_comments(id.syntax());
    assert_eq!(leading.len(), 1);
    assert_eq!(leading[0].kind(), SyntaxKind::BLOCK_COMMENT);
    assert_eq!(leading[0].text(), "/** Primary key. */");
    assert_eq!(id.doc(), None);

    // Suppression comment above `email`; the trailing note is not attached to `email`.
    let email = field("email");
    let leading = ast::leading_comments(email.syntax());
    assert_eq!(leading.len(), 1);
    assert_eq!(leading[0].text(), "// prisma-audit-ignore rule-a");
    assert!(!email.syntax().to_string().contains("trailing note"));
    let varchar = email.attributes().nth(1).unwrap();
    assert_eq!(varchar.name(), "db.VarChar");
    assert_eq!(varchar.path().unwrap().segments().count(), 2);
    let Some(Expr::Number(n)) = varchar.args().next().unwrap().value() else {
        panic!()
    };
    assert_eq!(n.text(), "255");
    // ... and the next field does not pick up the trailing note either.
    assert!(ast::leading_comments(field("name").syntax()).is_empty());

    assert!(field("name").field_type().unwrap().is_optional());
    assert!(field("tags").field_type().unwrap().is_list());
    let blob = field("blob").field_type().unwrap();
    assert!(blob.is_optional());
    assert_eq!(blob.name(), None);
    assert_eq!(
        blob.unsupported().unwrap().string().unwrap().text(),
        "\"tsvector\""
    );

    let balance = field("balance");
    let default = balance.attributes().next().unwrap();
    let Some(Expr::Number(neg)) = default.args().next().unwrap().value() else {
        panic!()
    };
    assert_eq!(neg.text(), "-1.5");
    let decimal = balance.attributes().nth(1).unwrap();
    assert_eq!(decimal.args().count(), 2);

    // Block attributes with named args and function calls in arrays.
    let battrs: Vec<_> = user.block_attributes().collect();
    assert_eq!(
        battrs.iter().map(|a| a.name()).collect::<Vec<_>>(),
        ["index", "map", "schema"]
    );
    let index = battrs[0].arg_list().unwrap();
    assert_eq!(
        index.named("type").unwrap().value().unwrap().as_const(),
        Some("Gin")
    );
    assert_eq!(
        index
            .named("map")
            .unwrap()
            .value()
            .unwrap()
            .as_string()
            .as_deref(),
        Some("user_idx")
    );
    let cols = index
        .named_or_first("fields")
        .unwrap()
        .value()
        .unwrap()
        .as_array()
        .unwrap();
    assert_eq!(cols.len(), 2);
    let Expr::Call(email_col) = &cols[0] else {
        panic!()
    };
    assert_eq!(email_col.name(), "email");
    let col_args = email_col.arg_list().unwrap();
    assert_eq!(
        col_args.named("sort").unwrap().value().unwrap().as_const(),
        Some("Desc")
    );
    let Some(Expr::Call(raw)) = col_args.named("ops").unwrap().value() else {
        panic!()
    };
    assert_eq!(raw.name(), "raw");
    assert_eq!(cols[1].as_const(), Some("name"));

    // Relation attribute, block comment before a field on the same line.
    let Item::Model(post) = &items[3] else {
        panic!()
    };
    let relation = post
        .fields()
        .find(|f| f.name().unwrap().text() == "author")
        .unwrap()
        .attributes()
        .next()
        .unwrap();
    let rel = relation.arg_list().unwrap();
    assert_eq!(
        rel.named("fields")
            .unwrap()
            .value()
            .unwrap()
            .as_array()
            .unwrap()[0]
            .as_const(),
        Some("authorId")
    );
    assert_eq!(
        rel.named("onDelete").unwrap().value().unwrap().as_const(),
        Some("Cascade")
    );
    let title = post
        .fields()
        .find(|f| f.name().unwrap().text() == "title")
        .unwrap();
    assert_eq!(
        ast::leading_comments(title.syntax())[0].text(),
        "/* inline */"
    );
    let Some(Expr::Call(dbgen)) = title
        .attributes()
        .next()
        .unwrap()
        .args()
        .next()
        .unwrap()
        .value()
    else {
        panic!()
    };
    assert_eq!(
        dbgen
            .args()
            .next()
            .unwrap()
            .value()
            .unwrap()
            .as_string()
            .as_deref(),
        Some("'untitled'::text")
    );

    // View, composite type, enum.
    let Item::Model(stats) = &items[4] else {
        panic!()
    };
    assert!(stats.is_view());
    let Item::CompositeType(addr) = &items[5] else {
        panic!()
    };
    assert_eq!(addr.fields().count(), 1);
    let Item::Enum(role) = &items[6] else {
        panic!()
    };
    let values: Vec<_> = role.values().collect();
    assert_eq!(values.len(), 2);
    assert_eq!(values[0].name().unwrap().text(), "USER");
    assert_eq!(
        values[0]
            .attributes()
            .next()
            .unwrap()
            .args()
            .next()
            .unwrap()
            .value()
            .unwrap()
            .as_string()
            .as_deref(),
        Some("user")
    );
    assert!(ast::leading_comments(values[1].syntax()).is_empty());
    assert_eq!(
        role.block_attributes()
            .map(|a| a.name())
            .collect::<Vec<_>>(),
        ["map", "schema"]
    );
    let body = role.body().unwrap();
    assert!(body.l_brace().is_some() && body.r_brace().is_some());
}

#[test]
fn doc_comments_and_blank_lines() {
    let t = "/// Not mine (blank line below)\n\n/// Mine\nmodel A {\n  /// Field doc\n  /// more\n  a Int\n\n  // plain\n  /// doc after plain\n  b Int\n}\n";
    let m = &models(t)[0];
    assert_eq!(m.doc().as_deref(), Some("Mine"));
    let fields: Vec<_> = m.fields().collect();
    assert_eq!(fields[0].doc().as_deref(), Some("Field doc\nmore"));
    assert_eq!(fields[1].doc().as_deref(), Some("doc after plain"));
    assert_eq!(ast::leading_comments(fields[1].syntax()).len(), 2);
}

#[test]
fn string_unescape() {
    assert_eq!(ast::unescape(r#""a\"b\\c\u0041\/\n""#), "a\"b\\cA/\n");
    assert_eq!(ast::unescape("\"open"), "open");
}

#[test]
fn broken_input_accessors_return_none() {
    let t = "model {\n  a\n  b Int @\n  c Int @db.\n}\n";
    let m = &models(t)[0];
    assert!(m.name().is_none());
    let fields: Vec<_> = m.fields().collect();
    assert!(fields[0].field_type().is_none());
    assert_eq!(fields[1].attributes().next().unwrap().name(), "");
    assert_eq!(fields[2].attributes().next().unwrap().name(), "db");
    let t = "model A {\n  id Int\n";
    assert!(models(t)[0].body().unwrap().r_brace().is_none());
}

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schemas")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "prisma") {
            out.push(path);
        }
    }
}

/// Every fixture round-trips; valid fixtures have no syntax errors; `syntax_*` fixtures do.
#[test]
fn fixture_corpus() {
    let mut files = Vec::new();
    walk(&fixtures_root(), &mut files);
    files.sort();
    for file in &files {
        let text = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
        let parse = check(&text);
        let rel = file.strip_prefix(fixtures_root()).unwrap();
        let group = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let stem = file.file_stem().unwrap().to_string_lossy();
        if group == "valid" {
            assert_eq!(parse.errors(), &[], "{}", rel.display());
        } else if stem.starts_with("syntax_") {
            assert!(!parse.errors().is_empty(), "{}", rel.display());
        }
    }
}

#[test]
fn ranges_cover_nodes_without_trivia() {
    let t = "/// d\nmodel A { // c\n  a Int // t\n}\n";
    let m = &models(t)[0];
    assert_eq!(
        m.syntax().text().to_string(),
        "model A { // c\n  a Int // t\n}"
    );
    let f = m.fields().next().unwrap();
    assert_eq!(f.syntax().text().to_string(), "a Int");
    let root: SyntaxNode = parse(t).syntax();
    assert_eq!(root.kind(), SyntaxKind::SOURCE_FILE);
}

use prisma_audit_test_support::generate;

/// The benchmark generator produces error-free schemas (Prisma 7 accepts them too).
#[test]
fn bench_generator_schema_parses_cleanly() {
    let text = generate::schema(30);
    let parse = check(&text);
    assert_eq!(parse.errors(), &[]);
    assert_eq!(models(&text).len(), 30);
}

#[test]
fn a_block_comment_ends_the_line_of_an_item() {
    // Prisma rejects anything after a trailing block comment, another comment included.
    let t = "model A {\n  id Int @id /* c */ // d\n}\n";
    assert_eq!(errors(t).len(), 1, "{:?}", errors(t));
    assert_eq!(errors(t)[0].0, "// d");
    let t = "model A {\n  id Int @id /* c */ /* d */\n}\n";
    assert_eq!(errors(t)[0].0, "/* d */");
    // Alone on its line, or before the item, it may be followed by a comment.
    assert!(errors("model A {\n  /* c */ // d\n  id Int @id /* e */\n}\n").is_empty());
}

#[test]
fn a_missing_brace_is_reported_where_the_next_declaration_starts() {
    let t = "datasource db {\ngenerator client {\n  provider = \"prisma-client-js\"\n}\n";
    assert_eq!(errors(t)[0].0, "generator");
    let p = parse(t);
    let first = p
        .tree()
        .items()
        .next()
        .and_then(|i| i.name())
        .map(|n| n.text());
    assert_eq!(first, Some("db"));
}

#[test]
fn a_brace_after_an_opening_brace_is_ignored_like_the_rest_of_its_line() {
    // Prisma ignores the rest of the line after `{`, its `}` included: a later `}` closes.
    let t = "enum E {} junk\n  A\n}\n";
    assert_eq!(errors(t), vec![]);
    let p = parse(t);
    let Some(Item::Enum(e)) = p.tree().items().next() else {
        panic!("no enum")
    };
    assert_eq!(e.values().count(), 1);
    // Without one, the block is open until the next declaration.
    let t = "model A {}\nmodel B {\n  id Int\n}\n";
    assert_eq!(errors(t).len(), 1);
    assert_eq!(errors(t)[0].0, "model");
    assert!(
        errors(t)[0]
            .1
            .contains("Prisma ignores the rest of the line after `{`")
    );
}
