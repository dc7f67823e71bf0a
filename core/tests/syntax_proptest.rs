//! Property tests of the PSL parser: whatever the input, parsing never panics, the tree gives the
//! input back byte for byte, no node but the root starts or ends with trivia, and every error
//! range lies inside the input on char boundaries. The semantic model resolves whatever the tree
//! holds, with every diagnostic inside the input.

use prisma_audit_core::model::resolve;
use prisma_audit_core::rule::SchemaFile;
use prisma_audit_core::span::FileId;
use prisma_audit_core::syntax::{lex, parse};
use proptest::prelude::*;

use mutate::{ALPHABET, apply, edit};
use prisma_audit_test_support::mutate;

fn check(text: &str) -> Result<(), TestCaseError> {
    let parse = parse(text);
    prop_assert_eq!(parse.syntax().to_string(), text);
    let lexed: usize = lex(text).iter().map(|t| t.len as usize).sum();
    prop_assert_eq!(lexed, text.len());
    for node in parse.syntax().descendants().skip(1) {
        for edge in [node.first_child_or_token(), node.last_child_or_token()]
            .into_iter()
            .flatten()
        {
            prop_assert!(
                !edge.kind().is_trivia(),
                "{:?} starts/ends with trivia",
                node
            );
        }
    }
    prop_assert_eq!(parse.shape_mismatch(), None);
    for e in parse.errors() {
        prop_assert!(usize::from(e.range.end()) <= text.len());
        prop_assert!(text.is_char_boundary(e.range.start().into()));
        prop_assert!(text.is_char_boundary(e.range.end().into()));
    }
    // Accessors never panic on broken trees either.
    for item in parse.tree().items() {
        let _ = item.name().map(|n| n.text());
        if let prisma_audit_core::syntax::ast::Item::Model(m) = item {
            for f in m.fields() {
                let _ = f
                    .field_type()
                    .map(|t| (t.is_list(), t.is_optional(), t.name()));
                for a in f.attributes() {
                    let _ = a.name();
                    for arg in a.args() {
                        let _ = arg.value().map(|v| (v.as_string(), v.as_const()));
                    }
                }
                let _ = f.doc();
            }
        }
    }
    let files = [SchemaFile {
        file: FileId(0),
        parse,
    }];
    let (schema, diagnostics) = resolve(&files);
    for d in &diagnostics {
        prop_assert_eq!(d.span.file, FileId(0));
        prop_assert!(usize::from(d.span.range.end()) <= text.len(), "{:?}", d);
    }
    for m in &schema.models {
        prop_assert!(usize::from(m.span.range.end()) <= text.len());
        for f in &m.fields {
            prop_assert!(
                m.span.range.contains_range(f.span.range),
                "{} outside {}",
                f.name,
                m.name
            );
        }
    }
    Ok(())
}

const BASE: &str = r#"datasource db {
  provider = "postgresql"
}

generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["views"]
}

/// Doc
model User {
  /** block */
  id    String @id @default(uuid()) @db.Uuid // note
  email String? @unique @db.VarChar(255)
  posts Post[]
  blob  Unsupported("x")?
  @@index([email(sort: Desc)], type: Gin, map: "i")
}

enum Role {
  A @map("a")
  B
  @@map("roles")
}
"#;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn arbitrary_bytes_lossy(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn psl_alphabet_soup(parts in proptest::collection::vec(0..ALPHABET.len(), 0..200)) {
        let text: String = parts.iter().map(|&i| ALPHABET[i]).collect();
        check(&text)?;
    }

    #[test]
    fn mutated_valid_schema(edits in proptest::collection::vec(edit(), 1..12)) {
        check(&apply(BASE, &edits))?;
    }
}

#[test]
fn base_schema_is_valid() {
    assert_eq!(parse(BASE).errors(), &[]);
}
