//! Fuzz the PSL parser and the semantic model: any bytes (lossily decoded) must parse without
//! panicking, give the input back byte for byte, keep the tree-shape invariants, and resolve
//! into a model whose diagnostics lie inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prisma_audit_core::model::resolve;
use prisma_audit_core::rule::SchemaFile;
use prisma_audit_core::span::FileId;
use prisma_audit_core::syntax::parse;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parse = parse(&text);
    assert_eq!(parse.syntax().to_string(), text);
    for node in parse.syntax().descendants().skip(1) {
        for edge in [node.first_child_or_token(), node.last_child_or_token()]
            .into_iter()
            .flatten()
        {
            assert!(!edge.kind().is_trivia());
        }
    }
    assert_eq!(parse.shape_mismatch(), None);
    for e in parse.errors() {
        assert!(usize::from(e.range.end()) <= text.len());
    }
    let files = [SchemaFile {
        file: FileId(0),
        parse,
    }];
    for d in resolve(&files).1 {
        assert!(usize::from(d.span.range.end()) <= text.len());
    }
});
